//! docutils' language modules: the localized directive and role names a
//! page written in another language (`language_code`) may use, and the
//! labels and bibliographic field names of the generated text. The data
//! are facts from docutils ([`tables`], generated); the lookup follows
//! docutils' `directives.directive()` and `roles.role()`: the page's
//! language first, then English with an INFO saying so.

pub mod importer;
mod tables;

use std::collections::HashMap;

pub use tables::LANGUAGES;

/// One docutils language module.
pub struct Language {
    /// The module's name (`de`, `pt_br`), as docutils' messages print it.
    pub module: &'static str,
    /// Localized directive name (lower case) → canonical name.
    pub directives: &'static [(&'static str, &'static str)],
    /// Localized role name (lower case) → canonical name.
    pub roles: &'static [(&'static str, &'static str)],
    /// Canonical label (`contents`, `author`) → the language's text.
    pub labels: &'static [(&'static str, &'static str)],
    /// Localized bibliographic field name (lower case) → canonical name.
    pub bibliographic_fields: &'static [(&'static str, &'static str)],
    /// Separators tried in order to split an `Authors` field.
    pub author_separators: &'static [&'static str],
}

/// What a name is looked up as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NameKind {
    Directive,
    Role,
}

impl NameKind {
    fn word(self) -> &'static str {
        match self {
            NameKind::Directive => "directive",
            NameKind::Role => "role",
        }
    }

    fn table(self, language: &Language) -> &'static [(&'static str, &'static str)] {
        match self {
            NameKind::Directive => language.directives,
            NameKind::Role => language.roles,
        }
    }
}

fn find(table: &[(&str, &'static str)], key: &str) -> Option<&'static str> {
    table.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// docutils' `normalize_language_tag` as the module importer uses it: the
/// tag in lower case, then without its last subtags, as module names.
pub fn module_for(language_code: &str) -> Option<&'static Language> {
    let tag = language_code.to_lowercase().replace('_', "-");
    let parts: Vec<&str> = tag.split('-').collect();
    (1..=parts.len()).rev().find_map(|n| {
        let name = parts[..n].join("_");
        LANGUAGES.iter().find(|l| l.module == name)
    })
}

fn english() -> Option<&'static Language> {
    LANGUAGES.iter().find(|l| l.module == "en")
}

/// Whether the page's language is English (docutils' default), for
/// which kbgen's own name handling stands.
pub fn is_english(language_code: &str) -> bool {
    language_code.is_empty() || module_for(language_code).is_some_and(|l| l.module == "en")
}

/// Names already found, as docutils caches them (`_directives`,
/// `_roles`): a name found once is not reported again.
#[derive(Debug, Default)]
pub struct NameCache {
    found: HashMap<(NameKind, String), String>,
}

impl NameCache {
    /// Records that `name` stood for the known `canonical` name.
    pub fn remember(&mut self, kind: NameKind, name: &str, canonical: &str) {
        self.found
            .insert((kind, name.to_lowercase()), canonical.to_string());
    }
}

impl NameCache {
    /// Forgets `name`: it turned out not to be a known name.
    pub fn forget(&mut self, kind: NameKind, name: &str) {
        self.found.remove(&(kind, name.to_lowercase()));
    }

    /// Whether `name` was found before.
    pub fn knows(&self, kind: NameKind, name: &str) -> bool {
        self.found.contains_key(&(kind, name.to_lowercase()))
    }
}

/// A name looked up in a language module: the canonical name to try,
/// and the INFO text docutils reports on the way, if any.
pub struct Resolved {
    pub canonical: String,
    pub info: Option<String>,
}

/// docutils' lookup of a directive or role name in a page written in
/// `language_code` (not English): the language's table, else English's
/// with "Using English fallback", else the name itself "as canonical".
pub fn resolve(cache: &NameCache, kind: NameKind, language_code: &str, name: &str) -> Resolved {
    let normname = name.to_lowercase();
    if let Some(c) = cache.found.get(&(kind, normname.clone())) {
        return Resolved {
            canonical: c.clone(),
            info: None,
        };
    }
    let word = kind.word();
    let mut text = Vec::new();
    match module_for(language_code) {
        Some(language) => {
            if let Some(c) = find(kind.table(language), &normname) {
                return Resolved {
                    canonical: c.to_string(),
                    info: None,
                };
            }
            text.push(format!(
                "No {word} entry for \"{name}\" in module \"docutils.parsers.rst.languages.{}\".",
                language.module
            ));
        }
        None => text.push(format!(
            "Problem retrieving {word} entry from language module None: 'NoneType' object has no attribute '{word}s'."
        )),
    }
    let canonical = match english().and_then(|en| find(kind.table(en), &normname)) {
        Some(c) => {
            text.push(format!("Using English fallback for {word} \"{name}\"."));
            c.to_string()
        }
        None => {
            text.push(format!("Trying \"{name}\" as canonical {word} name."));
            normname
        }
    };
    Resolved {
        canonical,
        info: Some(text.join("\n")),
    }
}

/// The label (`contents`, `abstract`, `author`) in the page's language,
/// English when the language has none.
pub fn label(language_code: &str, canonical: &str) -> Option<&'static str> {
    module_for(language_code)
        .and_then(|l| find(l.labels, canonical))
        .or_else(|| english().and_then(|en| find(en.labels, canonical)))
}

/// A bibliographic field name in the page's language → its canonical name.
pub fn bibliographic_field(language_code: &str, name: &str) -> Option<&'static str> {
    let language = module_for(language_code).or_else(english)?;
    find(language.bibliographic_fields, &name.to_lowercase())
}

/// The separators that split an `Authors` field in the page's language.
pub fn author_separators(language_code: &str) -> &'static [&'static str] {
    module_for(language_code)
        .or_else(english)
        .map_or(&[";", ","], |l| l.author_separators)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_fall_back_to_their_language() {
        assert_eq!(module_for("de-AT").map(|l| l.module), Some("de"));
        assert_eq!(module_for("pt-BR").map(|l| l.module), Some("pt_br"));
        assert_eq!(module_for("pt_br").map(|l| l.module), Some("pt_br"));
        assert!(module_for("xx").is_none());
    }

    #[test]
    fn localized_names_and_english_fallback() {
        let cache = NameCache::default();
        let r = resolve(&cache, NameKind::Directive, "de", "Notiz");
        assert_eq!(r.canonical, "note");
        assert!(r.info.is_none());
        let r = resolve(&cache, NameKind::Directive, "de", "note");
        assert_eq!(r.canonical, "note");
        assert_eq!(
            r.info.as_deref(),
            Some(
                "No directive entry for \"note\" in module \"docutils.parsers.rst.languages.de\".\nUsing English fallback for directive \"note\"."
            )
        );
        let r = resolve(&cache, NameKind::Role, "fr", "Bogus");
        assert_eq!(r.canonical, "bogus");
        assert!(
            r.info
                .is_some_and(|t| t.ends_with("Trying \"Bogus\" as canonical role name."))
        );
    }

    #[test]
    fn found_names_are_not_reported_again() {
        let mut cache = NameCache::default();
        cache.remember(NameKind::Directive, "Note", "note");
        assert!(
            resolve(&cache, NameKind::Directive, "de", "note")
                .info
                .is_none()
        );
    }
}
