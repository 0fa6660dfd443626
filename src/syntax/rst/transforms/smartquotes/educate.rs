//! `docutils.utils.smartquotes.educate_tokens` with the action docutils'
//! transform uses, `qDe`: quotes, old-school dashes (`--` en, `---` em)
//! and ellipses.
//!
//! docutils writes each step as a regular expression substitution that
//! looks behind and ahead; Rust's `regex` has no look-around, so every
//! step here is a hand-written left-to-right scan with Python's `re.sub`
//! semantics: matches do not overlap, and look-arounds see the text as it
//! was before that step (earlier steps' replacements included, since
//! docutils runs the substitutions one after the other).

use std::borrow::Cow;

use super::steps::{Buffers, Steps, educate_one_quote, educate_window, is_digit, is_word_char};
use super::triggers::Triggers;

/// A language's quotes: primary open, primary close, secondary open,
/// secondary close (docutils' `opquote`, `cpquote`, `osquote`, `csquote`).
pub type Quotes<'a> = [&'a str; 4];

/// What docutils uses for a language it has no quotes for: ASCII.
pub const ASCII_QUOTES: Quotes<'static> = ["\"", "\"", "'", "'"];

const EN_DASH: &str = "\u{2013}";
const EM_DASH: &str = "\u{2014}";
const ELLIPSIS: &str = "\u{2026}";
pub(super) const APOSTROPHE: &str = "\u{2019}";

/// Educates the text nodes of one block in document order, each as it
/// is met (docutils' `educate_tokens` over the block's `get_tokens`):
/// the only state crossing texts is the last character of the one
/// before, so nothing is collected and each changed text is replaced
/// where it is.
pub struct Educator<'q, 'b> {
    /// The steps' buffers, shared by the blocks of a page.
    scratch: &'b mut Scratch,
    /// The matched tag of docutils' table (`en`, `de-ch`, …) or `""`
    /// when unsupported.
    language: &'q str,
    quotes: Quotes<'q>,
    /// docutils' `prev_token_last_char`: context for a text's first quote.
    prev_last: char,
}

/// Buffers educating reuses from text to text: the quote steps' and the
/// text with its context character before it.
#[derive(Default)]
pub struct Scratch {
    steps: Buffers,
    with_context: String,
}

impl<'q, 'b> Educator<'q, 'b> {
    pub fn new(language: &'q str, quotes: Quotes<'q>, scratch: &'b mut Scratch) -> Self {
        Educator {
            scratch,
            language,
            quotes,
            prev_last: ' ',
        }
    }

    /// A text left alone (inside `literal`, `math`, …); its last
    /// character is still context for the next text.
    pub fn literal(&mut self, text: &str) {
        if let Some(c) = text.chars().next_back() {
            self.prev_last = c;
        }
    }

    /// A text to educate, in docutils' form (backslash escapes are a NUL
    /// before the escaped character, what the inline parser keeps while
    /// smart quotes are on): its new text, `None` when unchanged (NUL
    /// escape markers kept where they were).
    pub fn plain(&mut self, text: &str) -> Option<String> {
        // A quote as context would be educated twice (French's
        // two-character quotes); docutils puts `;` in its place.
        let context = match self.prev_last {
            '"' | '\'' => ';',
            c => c,
        };
        if let Some(c) = text.chars().next_back() {
            self.prev_last = c;
        }
        let triggers = Triggers::of(text);
        match triggers.any() {
            true => educate_plain(
                text,
                context,
                &triggers,
                (self.language, self.quotes),
                self.scratch,
            ),
            false => None,
        }
    }
}

/// One plain token with `triggers`, after a character `context`: its new
/// text, `None` when that is the text as it was. Each step borrows the
/// text until it changes something.
fn educate_plain(
    text: &str,
    context: char,
    triggers: &Triggers,
    (language, quotes): (&str, Quotes),
    scratch: &mut Scratch,
) -> Option<String> {
    // Both steps change nothing without a NUL marker or a backslash, as
    // most text that gets here has neither.
    let nul = memchr::memchr(0, text.as_bytes()).is_some();
    let mut t = match nul {
        true => Cow::Owned(backslash_escapes(text)),
        false => Cow::Borrowed(text),
    };
    // Backslashes: the author's, and those put after NULs.
    let escapes = triggers.backslash || nul;
    if escapes {
        t = process_escapes(t);
    }
    // Escaping only removes dashes and periods, so the raw text's
    // triggers are necessary for these, and sufficient while the text is
    // still the raw one (borrowed): no search for them then.
    let raw = matches!(t, Cow::Borrowed(_));
    if triggers.dashes && (raw || t.contains("--")) {
        t = Cow::Owned(educate_dashes(&t));
    }
    if triggers.ellipsis && (raw || t.contains("...") || t.contains(". . .")) {
        t = Cow::Owned(t.replace("...", ELLIPSIS).replace(". . .", ELLIPSIS));
    }
    if triggers.quote && only_inner_apostrophes(&t) {
        // What the steps below make of them, without running them.
        t = Cow::Owned(t.replace('\'', APOSTROPHE));
    } else if triggers.quote {
        let with_context = &mut scratch.with_context;
        with_context.clear();
        with_context.push(context);
        with_context.push_str(&t);
        let mut educated = educate_quotes(with_context, language, quotes, &mut scratch.steps);
        // The steps only rewrite quotes, and the context is none.
        educated.drain(..context.len_utf8());
        t = Cow::Owned(educated);
    }
    if escapes || triggers.reference || holds_reference(quotes) {
        t = restore_escapes(t);
    }
    match t {
        Cow::Borrowed(_) => None,
        Cow::Owned(new) => (new != text).then_some(new),
    }
}

/// Whether the text's quotes are all `'` between two word characters,
/// the second no digit (`don't`, `libvirt's`): no step of
/// [`educate_quotes`] before the apostrophe step matches there (each
/// needs a quote, space, bracket or dash beside the quote, or digits
/// after it), and that step, or the closing step when the language's
/// closing quote is the apostrophe, makes each an apostrophe. Most
/// quotes in prose are these.
fn only_inner_apostrophes(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr(b'"', b).is_none()
        && memchr::memchr_iter(b'\'', b).all(|q| {
            let before = text[..q].chars().next_back();
            let after = text[q + 1..].chars().next();
            before.is_some_and(is_word_char)
                && after.is_some_and(|c| is_word_char(c) && !is_digit(c))
        })
}

/// `educateDashesOldSchool`: `---` becomes an em dash, then `--` an en
/// dash (Python's `str.replace` twice), in one pass: a run of `n` dashes
/// is `n / 3` em dashes, then an en dash for two left over or the dash
/// for one.
fn educate_dashes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = memchr::memchr(b'-', rest.as_bytes()) {
        out.push_str(&rest[..at]);
        let run = rest[at..].bytes().take_while(|&b| b == b'-').count();
        for _ in 0..run / 3 {
            out.push_str(EM_DASH);
        }
        match run % 3 {
            2 => out.push_str(EN_DASH),
            1 => out.push('-'),
            _ => {}
        }
        rest = &rest[at + run..];
    }
    out.push_str(rest);
    out
}

/// Whether a locale's quotes are written as character references, which
/// `restore_escapes` turns into characters too. Asked per educated text
/// of quotes a few bytes long: a byte loop, not a substring searcher.
fn holds_reference(quotes: Quotes) -> bool {
    quotes
        .iter()
        .any(|q| q.as_bytes().windows(2).any(|w| w == b"&#"))
}

/// docutils' `get_tokens`: a backslash between a NUL escape marker and the
/// characters smartquotes treats as active, so they stay as they are.
fn backslash_escapes(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    let mut after_nul = false;
    for c in text.chars() {
        if after_nul && matches!(c, '-' | '\\' | '\'' | '"' | '.' | '`') {
            out.push('\\');
        }
        after_nul = c == '\0';
        out.push(c);
    }
    out
}

/// `processEscapes`: backslash escapes become character references for
/// the duration of the education.
const ESCAPES: [(&str, &str); 6] = [
    ("\\\\", "&#92;"),
    ("\\\"", "&#34;"),
    ("\\'", "&#39;"),
    ("\\.", "&#46;"),
    ("\\-", "&#45;"),
    ("\\`", "&#96;"),
];

fn process_escapes(text: Cow<str>) -> Cow<str> {
    let mut t = text;
    for (escape, reference) in ESCAPES {
        if t.contains(escape) {
            t = Cow::Owned(t.replace(escape, reference));
        }
    }
    t
}

/// `processEscapes(restore=True)`: each reference becomes its character
/// (as in docutils, a reference the author wrote becomes one too).
fn restore_escapes(text: Cow<str>) -> Cow<str> {
    let mut t = text;
    if !t.contains("&#") {
        return t;
    }
    for (escape, reference) in ESCAPES {
        if t.contains(reference) {
            t = Cow::Owned(t.replace(reference, &escape[1..]));
        }
    }
    t
}

/// `educateQuotes`: the steps in docutils' order.
///
/// Every step rewrites a quote, looking at most one character before it
/// and three after, and leaves every other character as it was. So the
/// text splits into windows (each quote with one character before and
/// three after, overlapping ones merged) that the steps treat
/// independently, and the text between them is copied: a long paragraph
/// with one apostrophe costs a scan for quotes, not a dozen passes. When
/// a replacement itself holds a quote (the ASCII fallback, or a locale
/// setting) the steps run over the whole text instead.
fn educate_quotes(text: &str, language: &str, q: Quotes, buffers: &mut Buffers) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    // Every step below rewrites a quote; dashes only serve as context.
    if memchr::memchr2(b'"', b'\'', text.as_bytes()).is_none() {
        out.push_str(text);
        return out;
    }
    let steps = Steps::new(language, q);
    if q.iter().any(|s| s.bytes().any(|b| b == b'"' || b == b'\'')) {
        educate_window(text, true, &steps, buffers, &mut out);
        return out;
    }
    let mut copied = 0;
    for (start, end) in quote_windows(text) {
        out.push_str(&text[copied..start]);
        let window = &text[start..end];
        if memchr::memchr2_iter(b'"', b'\'', window.as_bytes())
            .nth(1)
            .is_none()
        {
            educate_one_quote(window, start == 0, &steps, buffers, &mut out);
        } else {
            educate_window(window, start == 0, &steps, buffers, &mut out);
        }
        copied = end;
    }
    out.push_str(&text[copied..]);
    out
}

/// Byte ranges of the windows of [`educate_quotes`], in order, disjoint.
fn quote_windows(text: &str) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for q in memchr::memchr2_iter(b'"', b'\'', text.as_bytes()) {
        let start = text[..q].char_indices().next_back().map_or(q, |(i, _)| i);
        let end = text[q + 1..]
            .char_indices()
            .nth(3)
            .map_or(text.len(), |(i, _)| q + 1 + i);
        match out.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => out.push((start, end)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const EN: Quotes = ["\u{201c}", "\u{201d}", "\u{2018}", "\u{2019}"];

    fn one(text: &str, language: &str, quotes: Quotes) -> String {
        Educator::new(language, quotes, &mut Scratch::default())
            .plain(text)
            .unwrap_or_else(|| text.to_string())
    }

    #[test]
    fn inner_apostrophes_shortcut_gives_what_the_quote_steps_give() {
        const DE: Quotes = ["\u{201e}", "\u{201c}", "\u{201a}", "\u{2018}"];
        for text in [
            "don't",
            "libvirt's API",
            "a'b'c",
            "l'été",
            "x_'y",
            "it's--ok",
        ] {
            assert!(only_inner_apostrophes(text), "{text}");
            for (language, quotes) in [("en", EN), ("de", DE), ("", ASCII_QUOTES)] {
                let stepped = educate_quotes(
                    &format!(" {text}"),
                    language,
                    quotes,
                    &mut Buffers::default(),
                );
                assert_eq!(
                    stepped[1..],
                    text.replace('\'', APOSTROPHE),
                    "{text} {language}"
                );
            }
        }
        for text in [
            "'80s", "x'80s", "don't\"", "'quoted'", "end'", "'start", "a' b", "a 'b",
        ] {
            assert!(!only_inner_apostrophes(text), "{text}");
        }
    }

    #[test]
    fn smartypants_self_test_cases() {
        // The cases of smartquotes.py's own `--test`.
        assert_eq!(one("1440-80's", "en", EN), "1440-80’s");
        assert_eq!(one("1440-'80s", "en", EN), "1440-’80s");
        assert_eq!(one("1440---'80s", "en", EN), "1440—’80s");
        assert_eq!(one("1960's", "en", EN), "1960’s");
        assert_eq!(one("one two '60s", "en", EN), "one two ’60s");
        assert_eq!(one("'60s", "en", EN), "’60s");
        assert_eq!(one("\"Isn't this fun?\"", "en", EN), "“Isn’t this fun?”");
    }

    #[test]
    fn dashes_ellipses_and_escapes() {
        assert_eq!(
            one("a -- b --- c ... d . . . e", "en", EN),
            "a – b — c … d … e"
        );
        // Escaped quotes (NUL-marked) stay straight, the marker stays.
        let escaped = "\0\"x\0\" \0-- \0.\0..";
        assert_eq!(one(escaped, "en", EN), escaped);
    }

    #[test]
    fn dash_runs_educate_as_two_replacements() {
        for n in 0..12 {
            let text = format!("a{}b-", "-".repeat(n));
            let twice = text.replace("---", EM_DASH).replace("--", EN_DASH);
            assert_eq!(educate_dashes(&text), twice, "{n} dashes");
        }
    }

    #[test]
    fn context_crosses_tokens() {
        let mut scratch = Scratch::default();
        let mut educator = Educator::new("en", EN, &mut scratch);
        assert_eq!(educator.plain("say "), None);
        educator.literal("x");
        assert_eq!(educator.plain("'s \""), Some("’s “".to_string()));
    }

    #[test]
    fn french_quotes_are_two_characters() {
        let fr: Quotes = ["«\u{a0}", "\u{a0}»", "“", "”"];
        assert_eq!(
            one("\"Bonjour\" 'x'", "fr", fr),
            "«\u{a0}Bonjour\u{a0}» “x”"
        );
    }

    /// The windows of `educate_quotes` give what the steps give over the
    /// whole text, for every short mix of quotes and their context.
    #[test]
    fn quote_windows_agree_with_whole_text() {
        let alphabet = ['\'', '"', 'a', ' ', '-', '(', '.', '8', 's', '\u{2014}'];
        let fr: Quotes = ["«\u{a0}", "\u{a0}»", "“", "”"];
        let mut text = String::new();
        for n in 0..alphabet.len().pow(5) {
            text.clear();
            let mut k = n;
            for _ in 0..5 {
                text.push(alphabet[k % alphabet.len()]);
                k /= alphabet.len();
            }
            // Quotes far apart fall in separate windows.
            let long = format!("{text} and then some words {text}");
            for (language, quotes) in [("en", EN), ("fr", fr)] {
                for t in [text.as_str(), long.as_str()] {
                    let mut whole = String::new();
                    let mut buffers = Buffers::default();
                    let steps = Steps::new(language, quotes);
                    educate_window(t, true, &steps, &mut buffers, &mut whole);
                    assert_eq!(
                        educate_quotes(t, language, quotes, &mut Buffers::default()),
                        whole,
                        "{t:?} {language}"
                    );
                }
            }
        }
    }
}
