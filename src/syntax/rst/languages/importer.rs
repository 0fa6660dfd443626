//! What docutils' `LanguageImporter` reports the first time a page's
//! language is asked for: the modules it failed to import on the way
//! (INFO), a warning when none fits, and "Using MODULE for language".
//! docutils has two importers, the parser's (`docutils.parsers.rst.
//! languages`, no fallback) and the labels' (`docutils.languages`,
//! falling back to English); both have the same language modules, which
//! kbgen has built in ([`super::LANGUAGES`]).

use crate::diag::Severity;
use crate::syntax::rst::transforms::smartquotes::normalize_language_tag;

use super::LANGUAGES;

/// Which of docutils' two language importers asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Importer {
    /// `docutils.parsers.rst.languages`: directive and role names.
    Parser,
    /// `docutils.languages`: labels and bibliographic field names.
    Labels,
}

impl Importer {
    fn package(self) -> &'static str {
        match self {
            Importer::Parser => "docutils.parsers.rst.languages.",
            Importer::Labels => "docutils.languages.",
        }
    }
}

/// A language module as Python prints it. kbgen's modules are built in,
/// so they have no file to name (docutils' message adds `from 'PATH'`,
/// the place docutils is installed).
fn module_repr(importer: Importer, module: &str) -> String {
    format!("<module '{}{module}'>", importer.package())
}

/// The messages, in order, docutils' importer gives for `language_code`
/// (none for English, `en`, or no code: docutils does not report those).
/// Each tag of the code is tried in docutils' package, then as a
/// top-level module (which kbgen assumes absent); the first module found
/// is used, else the parser's importer uses none and the labels' English.
pub fn import_messages(importer: Importer, language_code: &str) -> Vec<(Severity, String)> {
    let mut out = Vec::new();
    if language_code.is_empty() || language_code == "en" {
        return out;
    }
    let mut found = None;
    for tag in normalize_language_tag(language_code) {
        let name = tag.replace('-', "_");
        if let Some(language) = LANGUAGES.iter().find(|l| l.module == name) {
            found = Some(language.module);
            break;
        }
        for package in [importer.package(), ""] {
            out.push((
                Severity::Info,
                format!("Module \"{package}{name}\" not found."),
            ));
        }
    }
    let used = match (found, importer) {
        (Some(module), _) => module_repr(importer, module),
        (None, Importer::Parser) => {
            out.push((
                Severity::Warning,
                format!("rST localisation for language \"{language_code}\" not found."),
            ));
            "None".to_string()
        }
        (None, Importer::Labels) => {
            out.push((
                Severity::Warning,
                format!(
                    "Language \"{language_code}\" not supported: Docutils-generated text will be in English."
                ),
            ));
            module_repr(importer, "en")
        }
    };
    out.push((
        Severity::Info,
        format!("Using {used} for language \"{language_code}\"."),
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(importer: Importer, code: &str) -> Vec<String> {
        import_messages(importer, code)
            .into_iter()
            .map(|(_, t)| t)
            .collect()
    }

    #[test]
    fn a_known_language_is_only_announced() {
        assert_eq!(
            texts(Importer::Labels, "de"),
            ["Using <module 'docutils.languages.de'> for language \"de\"."]
        );
        assert!(import_messages(Importer::Parser, "en").is_empty());
    }

    #[test]
    fn subtags_are_tried_before_the_language() {
        assert_eq!(
            texts(Importer::Parser, "de-AT"),
            [
                "Module \"docutils.parsers.rst.languages.de_at\" not found.",
                "Module \"de_at\" not found.",
                "Using <module 'docutils.parsers.rst.languages.de'> for language \"de-AT\".",
            ]
        );
    }

    #[test]
    fn an_unknown_language_warns_and_falls_back() {
        let parser = import_messages(Importer::Parser, "xx");
        assert_eq!(parser[2].0, Severity::Warning);
        assert_eq!(parser[3].1, "Using None for language \"xx\".");
        let labels = texts(Importer::Labels, "xx");
        assert_eq!(
            labels[3],
            "Using <module 'docutils.languages.en'> for language \"xx\"."
        );
    }
}
