//! The settings of a Sphinx project: what `conf.py` says (read, never
//! executed), with `book.toml` overriding it. One value of this type is made
//! when the site is loaded and shared by every page's parse (the parts a page
//! reads: prolog, epilog, `|version|`, the default role, tags for `only`) and
//! by the project-wide steps (toctree, cross-references, `objects.inv`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// Which reStructuredText kbgen reads: plain docutils (kbase sites, the
/// default) or Sphinx's (directives, roles and settings Sphinx adds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Dialect {
    #[default]
    Docutils,
    Sphinx,
}

/// A Sphinx project's settings. Field names are conf.py's; defaults are
/// Sphinx 9's.
#[derive(Debug, Clone, PartialEq)]
pub struct SphinxSettings {
    /// The `conf.py` these came from (`None`: `[rst] dialect = "sphinx"`
    /// in a `book.toml` site without one).
    pub conf_path: Option<PathBuf>,
    pub project: String,
    pub version: String,
    pub release: String,
    /// The document at the root of the document tree (`root_doc`, formerly
    /// `master_doc`), a docname without suffix.
    pub root_doc: String,
    /// Glob patterns, relative to the source folder, of files that are not pages.
    pub exclude_patterns: Vec<String>,
    /// Page suffix → file type (`.rst` → `restructuredtext`).
    pub source_suffix: BTreeMap<String, String>,
    /// Text put before every page (after its leading field list).
    pub rst_prolog: String,
    /// Text put after every page.
    pub rst_epilog: String,
    /// The role of `` `text` `` without a role (`None`: docutils' `title-reference`).
    pub default_role: Option<String>,
    pub primary_domain: Option<String>,
    /// Language of code blocks without one (`default`: Python 3 or plain text).
    pub highlight_language: String,
    pub numfig: bool,
    /// `figure`/`table`/`code-block`/`section` → format with `%s`.
    pub numfig_format: BTreeMap<String, String>,
    pub numfig_secnum_depth: u32,
    /// `today` when set; else the build date formatted with `today_fmt`.
    pub today: String,
    pub today_fmt: String,
    pub language: String,
    pub html_title: Option<String>,
    /// What follows a section number in HTML (Sphinx's default `. `).
    pub html_secnumber_suffix: String,
    pub html_static_path: Vec<String>,
    pub manpages_url: String,
    pub extensions: Vec<String>,
    /// Sphinx's `suppress_warnings`: warning types (`ref`, `ref.*`,
    /// `ref.option`) whose warnings are not reported.
    pub suppress_warnings: Vec<String>,
    /// Tags for `.. only::` (from `book.toml` and `kbgen build -t TAG`).
    pub tags: BTreeSet<String>,
}

impl Default for SphinxSettings {
    fn default() -> Self {
        SphinxSettings {
            conf_path: None,
            project: "Project name not set".into(),
            version: String::new(),
            release: String::new(),
            root_doc: "index".into(),
            exclude_patterns: Vec::new(),
            source_suffix: BTreeMap::from([(".rst".into(), "restructuredtext".into())]),
            rst_prolog: String::new(),
            rst_epilog: String::new(),
            default_role: None,
            primary_domain: Some("py".into()),
            highlight_language: "default".into(),
            numfig: false,
            numfig_format: BTreeMap::new(),
            numfig_secnum_depth: 1,
            today: String::new(),
            today_fmt: "%b %d, %Y".into(),
            language: "en".into(),
            html_title: None,
            html_secnumber_suffix: ". ".into(),
            html_static_path: Vec::new(),
            manpages_url: String::new(),
            extensions: Vec::new(),
            suppress_warnings: Vec::new(),
            tags: BTreeSet::from([
                "html".to_string(),
                "format_html".into(),
                "builder_html".into(),
            ]),
        }
    }
}

/// Formats a date (`days` since 1970-01-01) as `today_fmt` asks, with
/// Python's `time.strftime` directives.
pub fn format_date(fmt: &str, days: i64) -> String {
    crate::python_text::strftime(fmt, days.saturating_mul(86_400))
}

/// Sphinx's `type.subtype` of the warning kbgen reports with `code`, for
/// `suppress_warnings`; `None` for a warning Sphinx logs without a type
/// (or does not make), which `suppress_warnings` cannot silence.
pub fn sphinx_warning_type(code: &str) -> Option<(&'static str, &'static str)> {
    Some(match code {
        "toc-circular" => ("toc", "circular"),
        "toc-not-included" => ("toc", "not_included"),
        "toc-missing" => ("toc", "not_readable"),
        "toc-glob" => ("toc", "empty_glob"),
        "toc-duplicate" => ("toc", "duplicate_entry"),
        "toc-secnum" => ("toc", "secnum"),
        "ref-undefined-label" | "ref-no-title" => ("ref", "ref"),
        "ref-unknown-document" => ("ref", "doc"),
        "ref-term" => ("ref", "term"),
        "ref-option" => ("ref", "option"),
        "ref-any" | "ref-any-ambiguous" => ("ref", "any"),
        "download-not-readable" => ("download", "not_readable"),
        _ => return None,
    })
}

impl SphinxSettings {
    /// Whether `suppress_warnings` silences the warning with `code`, as
    /// Sphinx matches it: `type`, `type.*` or `type.subtype`.
    pub fn suppresses(&self, code: &str) -> bool {
        let Some((kind, sub)) = sphinx_warning_type(code) else {
            return false;
        };
        self.suppress_warnings.iter().any(|s| {
            s == kind
                || s.strip_suffix(".*") == Some(kind)
                || s.split_once('.') == Some((kind, sub))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_format_as_strftime_does() {
        // 2026-12-01 is day 20788 since the epoch.
        assert_eq!(format_date("%Y-%m-%d", 20_788), "2026-12-01");
        assert_eq!(format_date("%b %d, %Y", 20_788), "Dec 01, 2026");
        assert_eq!(format_date("%B %e %y %%", 0), "January  1 70 %");
        assert_eq!(format_date("%Y-%m-%d", 11_016), "2000-02-29");
    }

    #[test]
    fn suppress_warnings_matches_as_sphinx_does() {
        let with = |list: &[&str]| SphinxSettings {
            suppress_warnings: list.iter().map(|s| s.to_string()).collect(),
            ..SphinxSettings::default()
        };
        assert!(with(&["ref.option"]).suppresses("ref-option"));
        assert!(!with(&["ref.option"]).suppresses("ref-term"));
        assert!(with(&["ref"]).suppresses("ref-term"));
        assert!(with(&["ref.*"]).suppresses("ref-any"));
        assert!(with(&["toc.not_included"]).suppresses("toc-not-included"));
        // A warning Sphinx logs without a type is never suppressed.
        assert!(!with(&["ref", "ref.*"]).suppresses("ref-duplicate-label"));
        assert!(!with(&[]).suppresses("ref-option"));
    }
}
