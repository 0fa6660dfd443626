//! What the Pygments-exact lexers ([`super::python`], [`super::tex`],
//! [`super::rst`]) share: an emitter that merges adjacent tokens of one
//! type (as docutils and Pygments' HTML formatter both do, so only the
//! merged stream is observable), the character classes of Python's `re`
//! (`\s`, `\w`, identifiers), and the input clean-up Pygments applies
//! before lexing.
//!
//! Token types are passed as Pygments' short names (`kn`, `s2`, `w`, …;
//! `None` is `Token.Text`); [`long_name`] gives the full type docutils'
//! `syntax_highlight = long` prints.

use std::borrow::Cow;

use super::scan::Sink;

/// Receives an [`Emitter`]'s merged tokens as byte ranges of its code, so
/// a writer can take the text of several tokens in one slice (the HTML
/// writer escapes a run of tokens that share a span at once).
pub trait Tokens {
    /// `code[from..to]` is one merged token of type `class`.
    fn token(&mut self, code: &str, from: usize, to: usize, class: Option<&'static str>);
}

/// A [`Sink`] as [`Tokens`]: each token's text.
pub struct SinkTokens<'x, 's>(pub &'x mut Sink<'s>);

impl Tokens for SinkTokens<'_, '_> {
    fn token(&mut self, code: &str, from: usize, to: usize, class: Option<&'static str>) {
        (self.0)(&code[from..to], class);
    }
}

/// Pieces of one text, each with its token type, merged while the type
/// stays the same.
pub struct Emitter<'a, 'o> {
    pub code: &'a str,
    out: &'o mut dyn Tokens,
    /// Start and type of the token being merged; it ends where the next
    /// emitted piece starts.
    start: usize,
    class: Option<&'static str>,
    /// End of what has been emitted.
    end: usize,
    /// Whether the first error token ends the lexing ([`Self::error`]).
    stop_at_error: bool,
    /// Set by an error token under `stop_at_error`: the lexer stops, and
    /// what was passed on is to be thrown away.
    pub stopped: bool,
}

impl<'a, 'o> Emitter<'a, 'o> {
    pub fn new(code: &'a str, out: &'o mut dyn Tokens) -> Self {
        Emitter {
            code,
            out,
            start: 0,
            class: None,
            end: 0,
            stop_at_error: false,
            stopped: false,
        }
    }

    /// An emitter whose lexer stops at the first error token, for a
    /// caller that throws the output of such a text away (Sphinx's
    /// `default` blocks: Python only when they lex without one).
    pub fn stopping_at_error(code: &'a str, out: &'o mut dyn Tokens) -> Self {
        Emitter {
            stop_at_error: true,
            ..Emitter::new(code, out)
        }
    }

    /// `[from, to)` is of type `class`; pieces come in order and touch.
    pub fn put(&mut self, from: usize, to: usize, class: Option<&'static str>) {
        if to <= from {
            return;
        }
        debug_assert_eq!(from, self.end);
        if !same_class(class, self.class) && self.end > self.start {
            self.out.token(self.code, self.start, self.end, self.class);
            self.start = from;
        }
        if self.end == self.start {
            self.start = from;
        }
        self.class = class;
        self.end = to;
    }

    /// `[from, to)` matched no rule: an `err` token, which stops the
    /// lexer when [`Self::stopping_at_error`] made this emitter.
    pub fn error(&mut self, from: usize, to: usize) {
        self.put(from, to, Some("err"));
        self.stopped |= self.stop_at_error;
    }

    pub fn finish(mut self) {
        if self.end > self.start {
            self.out.token(self.code, self.start, self.end, self.class);
        }
        self.start = self.end;
    }
}

/// Whether two token types are the same: the types are string constants,
/// so the same address usually answers before the bytes are compared.
pub fn same_class(a: Option<&'static str>, b: Option<&'static str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => std::ptr::eq(a, b) || a == b,
        (a, b) => a.is_none() && b.is_none(),
    }
}

/// The character at byte `i` of `s` (`None` at or past the end or off a
/// boundary).
pub fn char_at(s: &str, i: usize) -> Option<char> {
    s.get(i..).and_then(|rest| rest.chars().next())
}

/// Python's `\s` for `str` patterns (`str.isspace`).
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

/// Python's `\w` for `str` patterns: alphanumerics and `_`.
pub fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// End of the run of characters at `i` (before `end`) that satisfy `f`.
pub fn run_end(s: &str, i: usize, end: usize, f: impl Fn(char) -> bool) -> usize {
    let mut j = i;
    while j < end {
        let b = s.as_bytes()[j];
        if b < 0x80 {
            if !f(b as char) {
                break;
            }
            j += 1;
        } else {
            match s[j..end].chars().next() {
                Some(c) if f(c) => j += c.len_utf8(),
                _ => break,
            }
        }
    }
    j
}

/// Python's `\w` for ASCII bytes, as a table (`false` for the bytes of
/// other characters, which [`is_word`] decides).
static ASCII_WORD: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = (b as u8).is_ascii_alphanumeric() || b == b'_' as usize;
        b += 1;
    }
    table
};

/// End of the `\w` run at `i`.
pub fn word_end(s: &str, i: usize, end: usize) -> usize {
    let b = &s.as_bytes()[..end];
    let j = b
        .get(i..)
        .and_then(|rest| rest.iter().position(|&c| !ASCII_WORD[usize::from(c)]))
        .map_or(end.max(i), |k| i + k);
    if j < end && b[j] >= 0x80 {
        run_end(s, j, end, is_word)
    } else {
        j
    }
}

/// End of the Python identifier at `i` (`[xid_start][xid_continue]*`),
/// or `i` when none starts there.
pub fn ident_end(s: &str, i: usize, end: usize) -> usize {
    match char_at(s, i) {
        Some(c) if i < end && (c == '_' || unicode_ident::is_xid_start(c)) => {
            run_end(s, i + c.len_utf8(), end, unicode_ident::is_xid_continue)
        }
        _ => i,
    }
}

/// End of the line at `i` (the newline excluded), at most `end`.
pub fn line_end(s: &str, i: usize, end: usize) -> usize {
    memchr::memchr(b'\n', &s.as_bytes()[i..end]).map_or(end, |p| i + p)
}

/// What Pygments' `Lexer.get_tokens` makes of a text before lexing it: a
/// leading BOM dropped, `\r\n` and `\r` made `\n`, leading and trailing
/// newlines stripped (`stripnl`), and one newline added (`ensurenl`).
pub fn prepare(code: &str) -> Cow<'_, str> {
    let code = code.strip_prefix('\u{feff}').unwrap_or(code);
    let mut text: Cow<str> = if code.contains('\r') {
        Cow::Owned(code.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(code)
    };
    let trimmed = text.trim_matches('\n');
    if trimmed.len() + 1 == text.len() && text.ends_with('\n') {
        return text;
    }
    let mut owned = String::with_capacity(trimmed.len() + 1);
    owned.push_str(trimmed);
    owned.push('\n');
    text = Cow::Owned(owned);
    text
}

/// The full token type for a short name, lowercase, dots as spaces (what
/// docutils' `syntax_highlight = long` makes of `str(tokentype)`, `token`
/// dropped). `None` for `Token.Text` and for names kbgen does not emit.
pub fn long_name(short: &str) -> Option<&'static str> {
    LONG_NAMES
        .iter()
        .find(|(s, _)| *s == short)
        .map(|(_, long)| *long)
}

/// Pygments' standard token types that kbgen's exact lexers emit.
const LONG_NAMES: &[(&str, &str)] = &[
    ("w", "whitespace"),
    ("err", "error"),
    ("k", "keyword"),
    ("kc", "keyword constant"),
    ("kn", "keyword namespace"),
    ("n", "name"),
    ("na", "name attribute"),
    ("nb", "name builtin"),
    ("bp", "name builtin pseudo"),
    ("nc", "name class"),
    ("nd", "name decorator"),
    ("ne", "name exception"),
    ("nf", "name function"),
    ("fm", "name function magic"),
    ("nn", "name namespace"),
    ("nt", "name tag"),
    ("nv", "name variable"),
    ("vm", "name variable magic"),
    ("l", "literal"),
    ("s", "literal string"),
    ("sa", "literal string affix"),
    ("sb", "literal string backtick"),
    ("s2", "literal string double"),
    ("sd", "literal string doc"),
    ("se", "literal string escape"),
    ("si", "literal string interpol"),
    ("s1", "literal string single"),
    ("m", "literal number"),
    ("mb", "literal number bin"),
    ("mf", "literal number float"),
    ("mh", "literal number hex"),
    ("mi", "literal number integer"),
    ("mo", "literal number oct"),
    ("o", "operator"),
    ("ow", "operator word"),
    ("p", "punctuation"),
    ("c", "comment"),
    ("ch", "comment hashbang"),
    ("c1", "comment single"),
    ("gh", "generic heading"),
    ("ge", "generic emph"),
    ("gs", "generic strong"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prepare_strips_newlines_and_ends_with_one() {
        assert_eq!(prepare("\n\na\r\nb\n\n"), "a\nb\n");
        assert_eq!(prepare("a"), "a\n");
        assert_eq!(prepare("\u{feff}x\n"), "x\n");
        assert!(matches!(prepare("x\n"), Cow::Borrowed(_)));
    }

    #[test]
    fn merged_pieces() {
        let mut got = Vec::new();
        {
            let mut sink = |t: &str, c: Option<&'static str>| got.push((t.to_string(), c));
            let mut tokens = SinkTokens(&mut sink);
            let mut e = Emitter::new("abcdef", &mut tokens);
            e.put(0, 1, Some("k"));
            e.put(1, 3, Some("k"));
            e.put(3, 4, None);
            e.put(4, 6, Some("k"));
            e.finish();
        }
        assert_eq!(
            got,
            [
                ("abc".to_string(), Some("k")),
                ("d".to_string(), None),
                ("ef".to_string(), Some("k"))
            ]
        );
    }
}
