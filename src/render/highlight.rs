//! Syntax highlighting of literal blocks: kbgen's own one-pass lexers
//! ([`super::lexers`]) for the languages documentation uses most, syntect's
//! grammars for the rest; kbgen writes compact, class-based HTML (the
//! theme's CSS decides colours, so light and dark styles are pure CSS).
//!
//! syntect's own HTML writer nests one `<span>` per TextMate scope with
//! one class per scope atom (`<span class="hl-entity hl-name hl-tag
//! hl-localname hl-xml">`), which tripled the size of libvirt's pages and
//! was a large part of writing them. Instead each token gets at most one
//! class, the short Pygments name of its kind (`nt` tag, `na` attribute,
//! `s` string, `c` comment, … see [`TOKEN_CLASSES`]), which is also what
//! docutils and Sphinx emit with Pygments, so stylesheets written for them
//! apply. Adjacent tokens of one kind share a span, and whitespace never
//! opens one.

use syntect::highlighting::{FontStyle, Theme, ThemeSet};
use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxSet};
use syntect::util::LinesWithEndings;

/// Token kinds, most specific first: the first entry whose scope is a
/// prefix of any scope on the stack decides the class (so the quotes of a
/// string are string, everything in a comment is comment). The scope is
/// also what the CSS colour of the class is taken from.
pub const TOKEN_CLASSES: &[(&str, &str)] = &[
    ("comment", "c"),
    ("meta.tag.preprocessor", "cp"),
    ("meta.preprocessor", "cp"),
    ("meta.tag.sgml", "cp"),
    ("string.regexp", "sr"),
    ("constant.character.escape", "se"),
    ("string", "s"),
    ("constant.character.entity", "ni"),
    ("constant.numeric", "m"),
    ("constant.language", "kc"),
    ("constant", "l"),
    ("entity.name.tag", "nt"),
    ("punctuation.definition.tag", "nt"),
    ("entity.other.attribute-name", "na"),
    ("entity.name.function", "nf"),
    ("support.function", "nb"),
    ("entity.name.class", "nc"),
    ("entity.name.type", "nc"),
    ("entity.other.inherited-class", "nc"),
    ("support.class", "nc"),
    ("support.type", "nc"),
    ("entity.name.namespace", "nn"),
    ("entity.name", "nx"),
    ("keyword.operator", "o"),
    ("keyword", "k"),
    ("storage.type", "kt"),
    ("storage", "kd"),
    ("variable.language", "bp"),
    ("variable", "nv"),
    ("support", "nb"),
    ("markup.heading", "gh"),
    ("markup.inserted", "gi"),
    ("markup.deleted", "gd"),
    ("markup.bold", "gs"),
    ("markup.italic", "ge"),
    ("invalid", "err"),
];

/// Classes only kbgen's lexers give, with the scope whose colour the CSS
/// takes and whether they are bold: console prompts and output, diff hunks,
/// and the finer Pygments types of the Python lexer.
const LEXER_CLASSES: &[(&str, &str, bool)] = &[
    ("gp", "keyword", true),
    ("go", "comment", false),
    ("gu", "markup.heading", false),
    // Pygments' finer types the Python lexer gives, coloured as their kind
    ("c1", "comment", false),
    ("ch", "comment", false),
    ("s1", "string", false),
    ("s2", "string", false),
    ("sa", "string", false),
    ("sd", "string", false),
    ("si", "constant.character.escape", false),
    ("mi", "constant.numeric", false),
    ("mf", "constant.numeric", false),
    ("mh", "constant.numeric", false),
    ("mo", "constant.numeric", false),
    ("mb", "constant.numeric", false),
    ("kn", "keyword", false),
    ("ow", "keyword.operator", false),
    ("ne", "support.class", false),
    ("fm", "entity.name.function", false),
    ("vm", "variable", false),
    ("nd", "variable", false),
];

/// Created once per build and shared by every page. syntect's grammars are
/// loaded on the first block in a language kbgen has no lexer for, so a
/// site without one never pays for them.
pub struct Highlighter {
    syntaxes: std::sync::OnceLock<SyntaxSet>,
    /// [`TOKEN_CLASSES`] with their scopes parsed.
    kinds: Vec<(Scope, &'static str)>,
}

impl Default for Highlighter {
    fn default() -> Self {
        Self::new()
    }
}

impl Highlighter {
    pub fn new() -> Self {
        Highlighter {
            syntaxes: std::sync::OnceLock::new(),
            kinds: TOKEN_CLASSES
                .iter()
                .filter_map(|(scope, class)| Some((Scope::new(scope).ok()?, *class)))
                .collect(),
        }
    }

    /// Highlights `code` as `language` (a syntect token such as `xml`,
    /// `sh`, `c`, or a Pygments name such as `shell`). Returns `None` when
    /// the language is unknown, so the caller falls back to escaped plain
    /// text.
    pub fn highlight(&self, code: &str, language: &str) -> Option<String> {
        let mut html = String::with_capacity(code.len() + code.len() / 2);
        self.highlight_into(code, language, &mut html)
            .then_some(html)
    }

    /// [`Self::highlight`] appended to `out` (a page's HTML, so a block
    /// costs no buffer of its own); `false`, with nothing written, when the
    /// language is unknown.
    pub fn highlight_into(&self, code: &str, language: &str, out: &mut String) -> bool {
        if let Some(lexer) = super::lexers::range_lexer_for(language) {
            let mut runs = SpanRuns::new(out);
            lexer(code, &mut runs, false);
            runs.finish(code);
            return true;
        }
        let mut spans = Spans {
            html: out,
            open: None,
        };
        let known = self.tokens(code, language, |text, class| spans.token(text, class));
        spans.finish();
        known
    }

    /// [`Self::highlight_into`], unless the lexer meets a Pygments
    /// `Error` token (class `err`): then `out` is left as it was and the
    /// answer is `false`, as for an unknown language. Sphinx highlights a
    /// block of its `default` language as Python only when it lexes
    /// without one (Pygments' `raiseonerror` filter, then plain text):
    /// prose, shell lines or file names shown with `::` are not Python.
    /// Written in one pass and undone on an error, because most blocks
    /// that reach it are Python; a lexer that can stops at the error.
    pub fn highlight_into_unless_error(
        &self,
        code: &str,
        language: &str,
        out: &mut String,
    ) -> bool {
        let start = out.len();
        if let Some(lexer) = super::lexers::range_lexer_for(language) {
            let mut runs = SpanRuns::new(out);
            if lexer(code, &mut runs, true) {
                runs.finish(code);
                return true;
            }
            out.truncate(start);
            return false;
        }
        let mut error = false;
        let mut spans = Spans {
            html: out,
            open: None,
        };
        let known = self.tokens(code, language, |text, class| {
            error |= class == Some("err");
            spans.token(text, class);
        });
        spans.finish();
        if known && !error {
            return true;
        }
        out.truncate(start);
        false
    }

    /// Calls `token(text, class)` for consecutive pieces of `code` that
    /// together are exactly `code`, each with its Pygments class (or none).
    /// Returns `false`, having called nothing, when `language` is unknown.
    pub fn tokens(
        &self,
        code: &str,
        language: &str,
        mut token: impl FnMut(&str, Option<&'static str>),
    ) -> bool {
        if let Some(lexer) = super::lexers::lexer_for(language) {
            lexer(code, &mut token);
            return true;
        }
        self.syntect_tokens(code, language, &mut token)
    }

    /// [`Self::tokens`] by syntect's grammar for `language`. Kept public so
    /// the token goldens of the previous highlighter can be regenerated.
    pub fn syntect_tokens(
        &self,
        code: &str,
        language: &str,
        mut token: impl FnMut(&str, Option<&'static str>),
    ) -> bool {
        let syntaxes = self.syntaxes.get_or_init(SyntaxSet::load_defaults_newlines);
        let Some(syntax) = syntaxes
            .find_syntax_by_token(language)
            .or_else(|| syntaxes.find_syntax_by_token(alias(language)?))
        else {
            return false;
        };
        let mut state = ParseState::new(syntax);
        let mut stack = ScopeStack::new();
        let mut lines = LinesWithEndings::from(code);
        for line in lines.by_ref() {
            let Ok(ops) = state.parse_line(line, syntaxes) else {
                token(line, None);
                break;
            };
            let mut at = 0;
            let mut class = self.class_of(&stack);
            for (i, op) in ops {
                let i = i.min(line.len());
                if i > at {
                    token(&line[at..i], class);
                    at = i;
                }
                if stack.apply(&op).is_err() {
                    stack = ScopeStack::new();
                }
                class = self.class_of(&stack);
            }
            token(&line[at..], class);
        }
        // After a grammar error the rest is plain text.
        for line in lines {
            token(line, None);
        }
        true
    }

    /// Class of the token under `stack`: the best-ranked kind over all its
    /// scopes. A scope's rank is looked up once per thread and cached, since
    /// this runs after every scope change of every line.
    fn class_of(&self, stack: &ScopeStack) -> Option<&'static str> {
        RANKS.with(|ranks| {
            let mut ranks = ranks.borrow_mut();
            let best = stack
                .as_slice()
                .iter()
                .map(|scope| {
                    *ranks.entry(*scope).or_insert_with(|| {
                        self.kinds
                            .iter()
                            .position(|(kind, _)| kind.is_prefix_of(*scope))
                            .unwrap_or(usize::MAX)
                    })
                })
                .min()?;
            self.kinds.get(best).map(|(_, class)| *class)
        })
    }
}

thread_local! {
    /// Scope → index of its kind in [`TOKEN_CLASSES`] (`usize::MAX`: none).
    static RANKS: std::cell::RefCell<rustc_hash::FxHashMap<Scope, usize>> =
        std::cell::RefCell::new(rustc_hash::FxHashMap::default());
}

/// Highlighted HTML being written: escaped text in at most one open span.
struct Spans<'o> {
    html: &'o mut String,
    open: Option<&'static str>,
}

/// Pygments' names, punctuation and whitespace (the exact Python lexer's
/// most frequent types) have no colour of their own in kbgen's CSS:
/// written as plain text, they cost no span.
fn span_class(class: Option<&'static str>) -> Option<&'static str> {
    match class {
        Some("n" | "p" | "w") => None,
        other => other,
    }
}

/// Whether a token with `class` (after [`span_class`]) closes the span
/// open: whitespace looks the same in any span, so it keeps the current one.
fn opens_span(open: Option<&'static str>, class: Option<&'static str>, text: &[u8]) -> bool {
    !super::lexers::pyg::same_class(class, open) && !text.iter().all(|b| b.is_ascii_whitespace())
}

/// Closes the span `open` (if any) and opens one for `class` (if any).
fn switch_span(html: &mut String, open: &mut Option<&'static str>, class: Option<&'static str>) {
    if open.is_some() {
        html.push_str("</span>");
    }
    if let Some(c) = class {
        html.push_str("<span class=\"");
        html.push_str(c);
        html.push_str("\">");
    }
    *open = class;
}

impl Spans<'_> {
    fn token(&mut self, text: &str, class: Option<&'static str>) {
        if text.is_empty() {
            return;
        }
        let class = span_class(class);
        if opens_span(self.open, class, text.as_bytes()) {
            switch_span(self.html, &mut self.open, class);
        }
        super::escape::escape_into(text, self.html);
    }

    fn finish(self) {
        if self.open.is_some() {
            self.html.push_str("</span>");
        }
    }
}

/// [`Spans`] for a lexer that gives byte ranges ([`super::lexers::pyg::Tokens`]):
/// the same HTML, but the text of all the tokens one span holds is escaped
/// in one go when the span closes, not token by token.
struct SpanRuns<'o> {
    html: &'o mut String,
    open: Option<&'static str>,
    /// Start of the code not yet written, all of it inside `open`.
    pending: usize,
}

impl<'o> SpanRuns<'o> {
    fn new(html: &'o mut String) -> Self {
        SpanRuns {
            html,
            open: None,
            pending: 0,
        }
    }

    /// Writes the rest of `code` (all of it, `code` being what the lexer
    /// was given) and closes the span open.
    fn finish(self, code: &str) {
        super::escape::escape_into(&code[self.pending..], self.html);
        if self.open.is_some() {
            self.html.push_str("</span>");
        }
    }
}

impl super::lexers::pyg::Tokens for SpanRuns<'_> {
    fn token(&mut self, code: &str, from: usize, to: usize, class: Option<&'static str>) {
        let class = span_class(class);
        if opens_span(self.open, class, &code.as_bytes()[from..to]) {
            super::escape::escape_into(&code[self.pending..from], self.html);
            self.pending = from;
            switch_span(self.html, &mut self.open, class);
        }
    }
}

/// Pygments names authors write in `.. code::` that syntect knows under
/// another token (used for the goldens of the previous highlighter, and by
/// names the lexers do not take).
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

/// [`theme_css`] as generated when kbgen was built, for the build's
/// `static/highlight.css`. Making it costs every build ~6 M instructions
/// (syntect deserialises all its bundled themes to read two), so it is
/// kept as a file; a unit test checks the file is what [`theme_css`]
/// gives (`KBGEN_BLESS=1` rewrites it).
pub const THEME_CSS: &str = include_str!("highlight.css");

/// Highlighting CSS for the classes of [`TOKEN_CLASSES`], coloured by
/// syntect's InspiredGitHub theme for light mode and base16-ocean.dark
/// inside `prefers-color-scheme: dark`, so the page follows the reader's
/// system setting with no script.
pub fn theme_css() -> String {
    let themes = ThemeSet::load_defaults();
    let mut css = String::from("/* Token colours (Pygments class names), generated by kbgen. */\n");
    if let Some(light) = themes.themes.get("InspiredGitHub") {
        css.push_str(&classes_css(light));
    }
    if let Some(dark) = themes.themes.get("base16-ocean.dark") {
        css.push_str("@media (prefers-color-scheme: dark) {\n");
        css.push_str(&classes_css(dark));
        css.push_str("}\n");
    }
    css
}

/// One rule per class: the colour and font style `theme` gives its scope.
fn classes_css(theme: &Theme) -> String {
    let highlighter = syntect::highlighting::Highlighter::new(theme);
    let mut css = String::new();
    let mut done = std::collections::BTreeSet::new();
    for (scope, class) in TOKEN_CLASSES {
        if !done.insert(*class) {
            continue;
        }
        let Ok(scope) = Scope::new(scope) else {
            continue;
        };
        let style = highlighter.style_for_stack(&[scope]);
        let c = style.foreground;
        css.push_str(&format!(
            "div.highlight pre .{class}, pre code .{class} {{ color: #{:02x}{:02x}{:02x};",
            c.r, c.g, c.b
        ));
        if style.font_style.contains(FontStyle::BOLD) {
            css.push_str(" font-weight: bold;");
        }
        if style.font_style.contains(FontStyle::ITALIC) {
            css.push_str(" font-style: italic;");
        }
        if style.font_style.contains(FontStyle::UNDERLINE) {
            css.push_str(" text-decoration: underline;");
        }
        css.push_str(" }\n");
    }
    for (class, scope, bold) in LEXER_CLASSES {
        let Ok(scope) = Scope::new(scope) else {
            continue;
        };
        let c = highlighter.style_for_stack(&[scope]).foreground;
        css.push_str(&format!(
            "div.highlight pre .{class}, pre code .{class} {{ color: #{:02x}{:02x}{:02x};{} }}\n",
            c.r,
            c.g,
            c.b,
            if *bold { " font-weight: bold;" } else { "" }
        ));
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
    fn common_languages_never_load_syntect() {
        // syntect compiles a grammar's regular expressions on first use
        // (30-45 ms a language, per process): the common ones must not.
        let h = Highlighter::new();
        for language in [
            "console",
            "shell",
            "bash",
            "sh",
            "c",
            "cpp",
            "c++",
            "python",
            "py",
            "json",
            "yaml",
            "yml",
            "ini",
            "toml",
            "diff",
            "makefile",
            "make",
            "rust",
            "xml",
            "go",
            "javascript",
            "js",
        ] {
            assert!(h.highlight("x = 1 # y\n", language).is_some(), "{language}");
        }
        assert!(h.syntaxes.get().is_none(), "syntect was loaded");
        assert!(h.highlight("main = print 1\n", "haskell").is_some());
        assert!(h.syntaxes.get().is_some(), "other languages use syntect");
    }

    #[test]
    fn pygments_names_are_understood() {
        let h = Highlighter::new();
        assert!(h.highlight("echo hi\n", "shell").is_some());
        assert!(h.highlight("<a/>\n", "rng").is_some());
        assert!(h.highlight("x\n", "no-such-language").is_none());
    }

    #[test]
    fn xml_is_highlighted_with_one_short_class_per_token() {
        let h = Highlighter::new();
        let html = h.highlight("<a b='c&amp;'/> <!-- x -->\n", "xml").unwrap();
        // Whitespace stays in the open span; the quotes belong to the string.
        assert_eq!(
            html,
            "<span class=\"nt\">&lt;a </span><span class=\"na\">b</span>=\
             <span class=\"s\">&#39;c&amp;amp;&#39;</span><span class=\"nt\">/&gt; </span>\
             <span class=\"c\">&lt;!-- x --&gt;\n</span>"
        );
    }

    /// The HTML [`Spans`] writes from the lexer's text pieces, as a
    /// build wrote every block before lexers gave ranges.
    fn spans_html(h: &Highlighter, code: &str, language: &str) -> (String, bool) {
        let mut html = String::new();
        let mut error = false;
        let mut spans = Spans {
            html: &mut html,
            open: None,
        };
        h.tokens(code, language, |text, class| {
            error |= class == Some("err");
            spans.token(text, class);
        });
        spans.finish();
        (html, error)
    }

    /// The range lexers' writer ([`SpanRuns`], one escape a span) gives
    /// the HTML of the piece-by-piece writer, and a block with an error
    /// token is left out whole, wherever the error is.
    #[test]
    fn span_runs_write_what_spans_write() {
        let h = Highlighter::new();
        let corners = include_str!("../../tests/highlight/pygments/python_corners.py");
        let mut codes = vec![
            corners.to_string(),
            "def f(x):\n    return x <= 'a&b' # \"q\"\n".to_string(),
            "  x  =  1\n\n  \t y\n".to_string(),
            "virsh start <dom> --console\n".to_string(),
            "echo $HOME\n".to_string(),
            "a = 1\n$\n".to_string(),
            String::new(),
        ];
        // Every prefix of the corner cases ends a token somewhere new.
        codes.extend(
            (0..corners.len())
                .step_by(37)
                .filter_map(|n| corners.get(..n))
                .map(String::from),
        );
        for code in &codes {
            let (want, error) = spans_html(&h, code, "python");
            let mut got = String::from("<");
            assert!(h.highlight_into(code, "python", &mut got));
            assert_eq!(got[1..], want[..], "{code:?}");
            let mut got = String::from("<");
            let highlighted = h.highlight_into_unless_error(code, "python", &mut got);
            assert_eq!(highlighted, !error, "{code:?}");
            assert_eq!(&got[1..], if error { "" } else { &want[..] }, "{code:?}");
        }
        assert!(codes.iter().any(|c| spans_html(&h, c, "python").1));
    }

    #[test]
    fn highlighted_text_is_the_code_escaped() {
        let h = Highlighter::new();
        let code = "if [ \"$a\" -lt 3 ]; then echo '<x>' & fi\n# done\n";
        let html = h.highlight(code, "sh").unwrap();
        let text = html
            .split('<')
            .enumerate()
            .map(|(i, part)| {
                if i == 0 {
                    part
                } else {
                    part.split_once('>').map_or("", |p| p.1)
                }
            })
            .collect::<String>();
        let unescaped = text
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&");
        assert_eq!(unescaped, code);
    }

    #[test]
    fn stored_theme_css_is_what_the_themes_give() {
        let css = theme_css();
        if std::env::var_os("KBGEN_BLESS").is_some() {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/render/highlight.css");
            std::fs::write(path, &css).expect("write highlight.css");
            return;
        }
        assert!(
            css == THEME_CSS,
            "src/render/highlight.css is stale: rerun with KBGEN_BLESS=1"
        );
    }

    #[test]
    fn every_class_has_a_light_and_a_dark_colour() {
        let css = theme_css();
        let lexer_classes = LEXER_CLASSES.iter().map(|(class, _, _)| class);
        for class in TOKEN_CLASSES
            .iter()
            .map(|(_, class)| class)
            .chain(lexer_classes)
        {
            assert_eq!(
                css.matches(&format!("pre code .{class} {{")).count(),
                2,
                "{class}"
            );
        }
    }
}
