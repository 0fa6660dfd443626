//! `book.toml`: the site configuration.
//!
//! Every key is optional and has a documented default, so an empty file is a
//! valid site. Unknown keys and wrong types are errors that name the key, the
//! file and the line (serde's `deny_unknown_fields` plus toml's spans).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diag::Diagnostic;
use crate::source::SourceFile;

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Config {
    /// Site title, shown in the header and the index page.
    pub title: String,
    /// One-line description of the site (index page, `<meta name=description>`).
    pub description: String,
    /// Language of the content (`<html lang>`).
    pub language: String,
    /// Folder holding the pages, relative to `book.toml`.
    pub source: PathBuf,
    /// Folder the site is written to, relative to `book.toml`.
    pub output: PathBuf,
    /// Theme name: a folder under `themes/`; files there override the built-in default theme.
    pub theme: String,
    /// Public URL of the site root (`https://example.org/docs/`); its path is
    /// the base path every link is made under. Empty: links are relative.
    pub site_url: String,
    /// Category order on the index page; categories not listed follow alphabetically.
    pub categories: Vec<String>,
    /// Category for pages without a `:category:` field.
    pub default_category: String,
    pub xml: XmlConfig,
    pub rst: RstConfig,
    pub markdown: MarkdownConfig,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct XmlConfig {
    /// What an XML-looking example that is not well-formed is: `warning`
    /// (an error under `--strict`), `error`, or `ignore`. Examples with
    /// passthrough content are always errors.
    pub malformed: Policy,
    /// Extra or replacement schemas: namespace URI → `.rng` file (relative to `book.toml`).
    pub schemas: BTreeMap<String, PathBuf>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
#[derive(Default)]
pub struct RstConfig {
    /// Whether `.. raw:: html` is allowed in pages (off by default: raw HTML
    /// from contributors would run in every reader's browser).
    pub allow_raw: bool,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct MarkdownConfig {
    /// Raw HTML in Markdown: `escape` (shown as text, the default) or `allow`.
    pub raw_html: RawHtml,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Policy {
    #[default]
    Warning,
    Error,
    Ignore,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "kebab-case")]
pub enum RawHtml {
    #[default]
    Escape,
    Allow,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Knowledge base".into(),
            description: String::new(),
            language: "en".into(),
            source: "content".into(),
            output: "book".into(),
            theme: "default".into(),
            site_url: String::new(),
            categories: Vec::new(),
            default_category: "Other articles".into(),
            xml: XmlConfig::default(),
            rst: RstConfig::default(),
            markdown: MarkdownConfig::default(),
        }
    }
}

impl Default for XmlConfig {
    fn default() -> Self {
        XmlConfig {
            malformed: Policy::Warning,
            schemas: BTreeMap::new(),
        }
    }
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            raw_html: RawHtml::Escape,
        }
    }
}

impl Config {
    /// Parses `book.toml` text; errors point at the offending key's line.
    pub fn parse(source: &SourceFile) -> Result<Config, Diagnostic> {
        toml::from_str::<Config>(&source.text).map_err(|e| {
            let message = e.message().to_string();
            let d = Diagnostic::error(
                "config",
                format!("invalid {}: {message}", source.path.display()),
            );
            match e.span() {
                Some(span) => d.at(source, span.start, span.end),
                None => d.in_file(&source.path),
            }
        })
    }

    /// Loads a config file from disk.
    pub fn load(path: &Path) -> Result<Config, Diagnostic> {
        let source = SourceFile::read(path, path)?;
        Config::parse(&source)
    }

    /// The path part of `site-url`, always starting and ending with `/`
    /// (`https://x.org/docs/kbase` → `/docs/kbase/`); `None` when unset.
    pub fn base_path(&self) -> Option<String> {
        if self.site_url.is_empty() {
            return None;
        }
        let after_scheme = match self.site_url.find("://") {
            Some(i) => &self.site_url[i + 3..],
            None => self.site_url.as_str(),
        };
        let path = match after_scheme.find('/') {
            Some(i) if self.site_url.contains("://") => &after_scheme[i..],
            Some(_) => after_scheme,
            None if self.site_url.contains("://") => "/",
            None => after_scheme,
        };
        let mut p = String::new();
        if !path.starts_with('/') {
            p.push('/');
        }
        p.push_str(path);
        if !p.ends_with('/') {
            p.push('/');
        }
        Some(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Diagnostic> {
        Config::parse(&SourceFile::new("book.toml", text))
    }

    #[test]
    fn empty_file_gives_defaults() {
        assert_eq!(parse("").unwrap(), Config::default());
    }

    #[test]
    fn unknown_key_is_an_error_with_its_line() {
        let err = parse("title = \"x\"\ntitel = \"y\"\n").unwrap_err();
        assert!(err.message.contains("titel"), "{}", err.message);
        assert_eq!(err.location.unwrap().line, 2);
    }

    #[test]
    fn wrong_type_names_the_key() {
        let err = parse("title = \"x\"\n\ncategories = \"a\"\n").unwrap_err();
        assert_eq!(err.location.as_ref().unwrap().line, 3);
        assert!(
            err.message.contains("sequence") || err.message.contains("array"),
            "{}",
            err.message
        );
    }

    #[test]
    fn base_path_from_site_url() {
        let mut c = Config::default();
        assert_eq!(c.base_path(), None);
        c.site_url = "https://example.org/docs/kbase".into();
        assert_eq!(c.base_path().as_deref(), Some("/docs/kbase/"));
        c.site_url = "https://example.org".into();
        assert_eq!(c.base_path().as_deref(), Some("/"));
        c.site_url = "/docs/".into();
        assert_eq!(c.base_path().as_deref(), Some("/docs/"));
    }
}
