//! Syntax highlighting of literal blocks with syntect, class-based (the
//! theme's CSS decides colours, so light and dark styles are pure CSS).

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// Loaded once per build and shared by every page (loading syntaxes is the
/// expensive part; highlighting one block is cheap).
pub struct Highlighter {
    syntaxes: SyntaxSet,
}

impl Default for Highlighter {
    fn default() -> Self {
        Self::new()
    }
}

impl Highlighter {
    pub fn new() -> Self {
        Highlighter {
            syntaxes: SyntaxSet::load_defaults_newlines(),
        }
    }

    /// Highlights `code` as `language` (a syntect token such as `xml`,
    /// `sh`, `c`). Returns `None` when the language is unknown, so the
    /// caller falls back to escaped plain text.
    pub fn highlight(&self, code: &str, language: &str) -> Option<String> {
        let syntax = self
            .syntaxes
            .find_syntax_by_token(language)
            .or_else(|| self.syntaxes.find_syntax_by_token(alias(language)?))?;
        let mut generator = ClassedHTMLGenerator::new_with_class_style(
            syntax,
            &self.syntaxes,
            ClassStyle::SpacedPrefixed { prefix: "hl-" },
        );
        for line in LinesWithEndings::from(code) {
            generator
                .parse_html_for_line_which_includes_newline(line)
                .ok()?;
        }
        Some(generator.finalize())
    }
}

/// Pygments names authors write in `.. code::` that syntect knows under
/// another token.
fn alias(language: &str) -> Option<&'static str> {
    Some(match language.to_ascii_lowercase().as_str() {
        "shell" | "console" | "shell-session" | "bash" | "zsh" => "sh",
        "pycon" | "python3" | "py3" => "py",
        "html5" | "xhtml" => "html",
        "rng" | "xsd" | "xslt" | "svg" => "xml",
        "yml" => "yaml",
        "c++" => "cpp",
        _ => return None,
    })
}

/// Guesses the language of an unlabelled literal block: blocks whose first
/// non-blank, non-elision line starts with `<` and a letter, `?` or `!` are XML.
pub fn guess_language(code: &str) -> Option<&'static str> {
    let first = code
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !matches!(*l, "..." | "[...]" | "...."))?;
    let mut chars = first.chars();
    if chars.next() == Some('<')
        && chars
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '?' || c == '!')
    {
        return Some("xml");
    }
    None
}

/// Class-based highlighting CSS: syntect's InspiredGitHub theme for light
/// mode and base16-ocean.dark inside `prefers-color-scheme: dark`, so the
/// page follows the reader's system setting with no script.
pub fn theme_css() -> String {
    use syntect::highlighting::ThemeSet;
    use syntect::html::css_for_theme_with_class_style;
    let themes = ThemeSet::load_defaults();
    let style = ClassStyle::SpacedPrefixed { prefix: "hl-" };
    let mut css = String::new();
    if let Some(light) = themes.themes.get("InspiredGitHub") {
        css.push_str(&css_for_theme_with_class_style(light, style).unwrap_or_default());
    }
    if let Some(dark) = themes.themes.get("base16-ocean.dark") {
        css.push_str("@media (prefers-color-scheme: dark) {\n");
        css.push_str(&css_for_theme_with_class_style(dark, style).unwrap_or_default());
        css.push_str("}\n");
    }
    css
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_is_guessed_after_elisions() {
        assert_eq!(guess_language("...\n<domain/>"), Some("xml"));
        assert_eq!(guess_language("virsh start x"), None);
        assert_eq!(guess_language("<= 3"), None);
    }

    #[test]
    fn pygments_names_are_understood() {
        let h = Highlighter::new();
        assert!(h.highlight("echo hi\n", "shell").is_some());
        assert!(h.highlight("<a/>\n", "rng").is_some());
        assert!(h.highlight("x\n", "no-such-language").is_none());
    }

    #[test]
    fn xml_is_highlighted_with_classes() {
        let h = Highlighter::new();
        let html = h.highlight("<a b='c'/>\n", "xml").unwrap();
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("<a b="), "markup must be escaped: {html}");
    }
}
