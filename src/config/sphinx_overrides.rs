//! `[sphinx]` in book.toml: values that replace what conf.py says. This is
//! where a setting goes when kbgen cannot evaluate conf.py's expression for
//! it (the warning names the key), or when a kbgen build should differ.
//! Keys are conf.py's names in kebab-case (`rst_epilog` → `rst-epilog`).

use std::collections::BTreeMap;

use serde::Deserialize;

use super::sphinx::SphinxSettings;

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct SphinxOverrides {
    pub project: Option<String>,
    pub version: Option<String>,
    pub release: Option<String>,
    /// conf.py's `root_doc` (or the older `master_doc`).
    pub root_doc: Option<String>,
    pub exclude_patterns: Option<Vec<String>>,
    /// Suffix → file type, as conf.py's dict form (`".rst" = "restructuredtext"`).
    pub source_suffix: Option<BTreeMap<String, String>>,
    pub rst_prolog: Option<String>,
    pub rst_epilog: Option<String>,
    /// An empty string means no default role (docutils' `title-reference`).
    pub default_role: Option<String>,
    /// An empty string means no primary domain.
    pub primary_domain: Option<String>,
    pub highlight_language: Option<String>,
    pub numfig: Option<bool>,
    pub numfig_format: Option<BTreeMap<String, String>>,
    pub numfig_secnum_depth: Option<u32>,
    pub today: Option<String>,
    pub today_fmt: Option<String>,
    pub language: Option<String>,
    pub html_title: Option<String>,
    pub html_secnumber_suffix: Option<String>,
    pub html_static_path: Option<Vec<String>>,
    pub manpages_url: Option<String>,
    pub extensions: Option<Vec<String>>,
    pub suppress_warnings: Option<Vec<String>>,
    /// Tags for `.. only::`, added to the builder's and conf.py's.
    pub tags: Vec<String>,
}

/// The book.toml key (kebab-case) for a conf.py setting name.
pub fn override_key(conf_name: &str) -> String {
    match conf_name {
        "master_doc" => "root-doc".into(),
        other => other.replace('_', "-"),
    }
}

impl SphinxOverrides {
    /// Whether book.toml sets the conf.py setting `conf_name`.
    pub fn sets(&self, conf_name: &str) -> bool {
        match conf_name {
            "project" => self.project.is_some(),
            "version" => self.version.is_some(),
            "release" => self.release.is_some(),
            "root_doc" | "master_doc" => self.root_doc.is_some(),
            "exclude_patterns" => self.exclude_patterns.is_some(),
            "source_suffix" => self.source_suffix.is_some(),
            "rst_prolog" => self.rst_prolog.is_some(),
            "rst_epilog" => self.rst_epilog.is_some(),
            "default_role" => self.default_role.is_some(),
            "primary_domain" => self.primary_domain.is_some(),
            "highlight_language" => self.highlight_language.is_some(),
            "numfig" => self.numfig.is_some(),
            "numfig_format" => self.numfig_format.is_some(),
            "numfig_secnum_depth" => self.numfig_secnum_depth.is_some(),
            "today" => self.today.is_some(),
            "today_fmt" => self.today_fmt.is_some(),
            "language" => self.language.is_some(),
            "html_title" => self.html_title.is_some(),
            "html_secnumber_suffix" => self.html_secnumber_suffix.is_some(),
            "html_static_path" => self.html_static_path.is_some(),
            "manpages_url" => self.manpages_url.is_some(),
            "extensions" => self.extensions.is_some(),
            "suppress_warnings" => self.suppress_warnings.is_some(),
            _ => false,
        }
    }
}

fn set<T: Clone>(field: &mut T, value: &Option<T>) {
    if let Some(v) = value {
        *field = v.clone();
    }
}

fn non_empty(value: &Option<String>) -> Option<Option<String>> {
    value.as_ref().map(|v| (!v.is_empty()).then(|| v.clone()))
}

impl SphinxSettings {
    /// Replaces every setting book.toml's `[sphinx]` table gives.
    pub fn apply_overrides(&mut self, o: &SphinxOverrides) {
        set(&mut self.project, &o.project);
        set(&mut self.version, &o.version);
        set(&mut self.release, &o.release);
        set(&mut self.root_doc, &o.root_doc);
        set(&mut self.exclude_patterns, &o.exclude_patterns);
        set(&mut self.source_suffix, &o.source_suffix);
        set(&mut self.rst_prolog, &o.rst_prolog);
        set(&mut self.rst_epilog, &o.rst_epilog);
        set(&mut self.default_role, &non_empty(&o.default_role));
        set(&mut self.primary_domain, &non_empty(&o.primary_domain));
        set(&mut self.highlight_language, &o.highlight_language);
        set(&mut self.numfig, &o.numfig);
        set(&mut self.numfig_format, &o.numfig_format);
        set(&mut self.numfig_secnum_depth, &o.numfig_secnum_depth);
        set(&mut self.today, &o.today);
        set(&mut self.today_fmt, &o.today_fmt);
        set(&mut self.language, &o.language);
        set(&mut self.html_title, &o.html_title.clone().map(Some));
        set(&mut self.html_secnumber_suffix, &o.html_secnumber_suffix);
        set(&mut self.html_static_path, &o.html_static_path);
        set(&mut self.manpages_url, &o.manpages_url);
        set(&mut self.extensions, &o.extensions);
        set(&mut self.suppress_warnings, &o.suppress_warnings);
        self.tags.extend(o.tags.iter().cloned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_replace_only_what_they_set() {
        let o: SphinxOverrides =
            toml::from_str("project = \"P\"\ndefault-role = \"\"\ntags = [\"x\"]\n").unwrap();
        let mut s = SphinxSettings {
            default_role: Some("any".into()),
            version: "1.0".into(),
            ..SphinxSettings::default()
        };
        s.apply_overrides(&o);
        assert_eq!(s.project, "P");
        assert_eq!(s.default_role, None);
        assert_eq!(s.version, "1.0");
        assert!(s.tags.contains("x"));
        assert!(o.sets("project") && !o.sets("version"));
        assert_eq!(override_key("rst_epilog"), "rst-epilog");
    }

    #[test]
    fn unknown_keys_are_refused() {
        let e = toml::from_str::<SphinxOverrides>("rst_epilog = \"x\"\n").unwrap_err();
        assert!(e.message().contains("rst_epilog"), "{}", e.message());
    }
}
