//! Python, token for token as Pygments' `PythonLexer` (2.21) cuts and
//! types it: its states (root, `def`/`class` names, imports, soft keywords,
//! every string flavour, f-string expressions) are kept as a stack the way
//! its regular-expression lexer keeps them, and each state tries its rules
//! in Pygments' order, as hand-written byte tests instead of regexes.
//! `conformance/pygments-tokens` checks the result against Pygments on
//! whole trees of `.py` files.

use super::pyg::{
    Emitter, SinkTokens, Tokens, char_at, ident_end, is_space, is_word, line_end, run_end, word_end,
};
use super::python_words::{self, MAGIC_FUNCTIONS};
use super::scan::{Sink, Words};

mod strings;

pub fn tokens(code: &str, out: &mut Sink) {
    let mut sink = SinkTokens(out);
    let mut e = Emitter::new(code, &mut sink);
    Lx::new(code, 0, code.len(), 0).run(&mut e);
    e.finish();
}

/// [`tokens`] as byte ranges; with `stop_at_error`, lexing stops at the
/// first error token and the answer is `false` (what was passed on is
/// then incomplete, to be thrown away).
pub fn ranges(code: &str, out: &mut dyn Tokens, stop_at_error: bool) -> bool {
    let mut e = if stop_at_error {
        Emitter::stopping_at_error(code, out)
    } else {
        Emitter::new(code, out)
    };
    Lx::new(code, 0, code.len(), 0).run(&mut e);
    if e.stopped {
        return false;
    }
    e.finish();
    true
}

/// How a string's backslashes and braces are read (Pygments' combined
/// escape states).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Quoting {
    /// `r''`, `rb''`: no escapes.
    Raw,
    /// `''`, `u''`: unicode and byte escapes, `%`/`{}` formatting.
    Str,
    /// `b''`: byte escapes.
    Bytes,
    /// `f''`, `t''`: `{{`, `}}`, escapes, `{expression}`.
    Format,
    /// `rf''`: `{{`, `}}`, `{expression}`.
    RawFormat,
}

#[derive(Clone, Copy)]
struct Quoted {
    quoting: Quoting,
    quote: u8,
    triple: bool,
    /// `s2` or `s1`.
    class: &'static str,
}

#[derive(Clone, Copy)]
enum State {
    Root,
    FuncName,
    ClassName,
    Import,
    FromImport,
    /// After `match`/`case`: a `_` wildcard on the line.
    SoftKeyword,
    Str(Quoted),
    /// Inside `{…}` of an f-string.
    FormatExpr,
    /// Inside brackets within an f-string expression.
    FormatInner,
}

/// Nesting of soft-keyword lines lexed inside each other beyond which the
/// rest is lexed without the rule (only hostile input gets there).
const MAX_DEPTH: usize = 32;

struct Lx<'a> {
    s: &'a str,
    b: &'a [u8],
    /// The text being lexed is `s[lo..hi]` (a part when lexing a soft
    /// keyword's pattern, as Pygments' `using(this)` does).
    lo: usize,
    hi: usize,
    pos: usize,
    stack: Vec<State>,
    depth: usize,
    /// The word last looked up: (position, length, kind), so root and
    /// `expr` share one lookup.
    looked_up: (usize, usize, Option<&'static str>),
}

/// Word kinds in [`KINDS`] besides token types: keywords of root and
/// expressions (`await`, `for`, …), and those only root knows (`assert`…).
const KEYWORD: &str = "K";
const ROOT_ONLY: &str = "R";

/// Every word Pygments' rules name, with its token type or kind, indexed
/// by first byte (one lookup per identifier instead of one per list).
static KINDS: Words = Words::new(&python_words::KINDS);

impl<'a> Lx<'a> {
    fn new(s: &'a str, lo: usize, hi: usize, depth: usize) -> Self {
        Lx {
            s,
            b: s.as_bytes(),
            lo,
            hi,
            pos: lo,
            stack: vec![State::Root],
            depth,
            looked_up: (usize::MAX, 0, None),
        }
    }

    fn run(mut self, e: &mut Emitter) {
        while self.pos < self.hi && !e.stopped {
            let state = *self.stack.last().unwrap_or(&State::Root);
            let matched = match state {
                State::Root => self.root(e),
                State::FuncName => self.func_name(e),
                State::ClassName => self.name_as(e, "nc"),
                State::Import => self.import(e),
                State::FromImport => self.after_from(e),
                State::SoftKeyword => self.soft_keyword(e),
                State::Str(q) => self.string(e, q),
                State::FormatExpr => self.format_expr(e),
                State::FormatInner => self.format_inner(e),
            };
            if !matched {
                // No rule: a newline resets to root, anything else is an error.
                if self.at(self.pos) == b'\n' {
                    self.stack.truncate(1);
                    self.stack[0] = State::Root;
                    self.put(e, self.pos + 1, Some("w"));
                } else {
                    let len = char_at(self.s, self.pos).map_or(1, char::len_utf8);
                    e.error(self.pos, self.pos + len);
                    self.pos += len;
                }
            }
        }
    }

    /// The byte at `i`, or 0 outside the text.
    fn at(&self, i: usize) -> u8 {
        if i < self.hi { self.b[i] } else { 0 }
    }

    fn starts(&self, i: usize, s: &str) -> bool {
        self.b[i.min(self.hi)..self.hi].starts_with(s.as_bytes())
    }

    fn put(&mut self, e: &mut Emitter, to: usize, class: Option<&'static str>) {
        e.put(self.pos, to, class);
        self.pos = to;
    }

    fn pop(&mut self) {
        if self.stack.len() > 1 {
            self.stack.pop();
        }
    }

    fn line_start(&self, i: usize) -> bool {
        i == self.lo || self.b[i - 1] == b'\n'
    }

    /// Whether a `\b` falls at `i`, after a word character.
    fn word_boundary(&self, i: usize) -> bool {
        i >= self.hi || !char_at(self.s, i).is_some_and(is_word)
    }

    /// The `\w` run at `i`.
    fn word(&self, i: usize) -> &'a str {
        &self.s[i..word_end(self.s, i, self.hi)]
    }

    /// End of `(?:\s|\\\s)+` at `i`, or `i`.
    fn blanks_end(&self, i: usize) -> usize {
        let mut j = i;
        loop {
            let k = run_end(self.s, j, self.hi, is_space);
            let k = if self.at(k) == b'\\' && char_at(self.s, k + 1).is_some_and(is_space) {
                k + 1 + char_at(self.s, k + 1).map_or(1, char::len_utf8)
            } else {
                k
            };
            if k == j {
                return j;
            }
            j = k;
        }
    }

    fn root(&mut self, e: &mut Emitter) -> bool {
        let p = self.pos;
        let c = self.b[p];
        if c == b'\n' {
            self.put(e, p + 1, Some("w"));
            return true;
        }
        // A docstring starts with blanks, a prefix letter or its quotes.
        if (c >= 0x80
            || is_space(char::from(c))
            || matches!(c | 0x20, b'"' | b'\'' | b'r' | b'u' | b'b'))
            && self.line_start(p)
            && self.docstring(e)
        {
            return true;
        }
        if c == b'#' {
            let end = line_end(self.s, p, self.hi);
            let hashbang = p == self.lo && self.at(p + 1) == b'!' && end > p + 2;
            self.put(e, end, Some(if hashbang { "ch" } else { "c1" }));
            return true;
        }
        if c == b'\\' {
            let end = if self.at(p + 1) == b'\n' {
                p + 2
            } else {
                p + 1
            };
            self.put(e, end, None);
            return true;
        }
        // Keywords and constants start with an ASCII letter.
        let (word, kind) = if c.is_ascii_alphabetic() {
            self.word_kind(p)
        } else {
            ("", None)
        };
        if matches!(kind, Some(ROOT_ONLY | KEYWORD)) {
            let end = self.keyword_end(p, word, true);
            self.put(e, end, Some("k"));
            return true;
        }
        if kind == Some("kc") {
            self.put(e, p + word.len(), Some("kc"));
            return true;
        }
        // The rules below start with these letters (`def`, `class`,
        // `lazy`, `from`, `import`, a soft keyword) or, for a soft
        // keyword, with the blanks opening a line.
        let blank = matches!(c, b' ' | b'\t');
        if !(matches!(c, b'm' | b'c' | b'd' | b'l' | b'f' | b'i') || (blank && self.line_start(p)))
        {
            return self.expr(e);
        }
        if self.line_start(p) && self.soft_keyword_start(e) {
            return true;
        }
        for (w, class, next) in [
            ("def", "k", State::FuncName),
            ("class", "k", State::ClassName),
        ] {
            if self.starts(p, w) && self.keyword_then_blanks(e, p, w, class) {
                self.stack.push(next);
                return true;
            }
        }
        if self.line_start(p) && self.starts(p, "lazy") {
            let after = self.blanks_end(p + 4);
            for (w, next) in [("from", State::FromImport), ("import", State::Import)] {
                if after > p + 4 && self.starts(after, w) {
                    let end = self.blanks_end(after + w.len());
                    if end > after + w.len() {
                        self.put(e, p + 4, Some("kn"));
                        self.put(e, after, Some("w"));
                        self.put(e, after + w.len(), Some("kn"));
                        self.put(e, end, Some("w"));
                        self.stack.push(next);
                        return true;
                    }
                }
            }
        }
        for (w, next) in [("from", State::FromImport), ("import", State::Import)] {
            if self.starts(p, w) && self.keyword_then_blanks(e, p, w, "kn") {
                self.stack.push(next);
                return true;
            }
        }
        self.expr(e)
    }

    /// `(WORD)((?:\s|\\\s)+)`: the word as `class`, the blanks as `w`.
    fn keyword_then_blanks(
        &mut self,
        e: &mut Emitter,
        p: usize,
        w: &str,
        class: &'static str,
    ) -> bool {
        let end = self.blanks_end(p + w.len());
        if end == p + w.len() {
            return false;
        }
        self.put(e, p + w.len(), Some(class));
        self.put(e, end, Some("w"));
        true
    }

    /// End of the keyword `word` at `p`: `yield from` (and, outside
    /// root, `async for`) are one token.
    fn keyword_end(&self, p: usize, word: &str, root: bool) -> usize {
        let end = p + word.len();
        let rest = match word {
            "yield" => " from",
            "async" if !root => " for",
            _ => return end,
        };
        if self.starts(end, rest) && self.word_boundary(end + rest.len()) {
            end + rest.len()
        } else {
            end
        }
    }

    /// `^(\s*)([rRuUbB]{,2})("""…""")`: a string opening a line is a
    /// docstring, one token up to the first closing quotes.
    fn docstring(&mut self, e: &mut Emitter) -> bool {
        let p = self.pos;
        let ws = run_end(self.s, p, self.hi, is_space);
        let mut q = ws;
        while q < ws + 2 && matches!(self.at(q), b'r' | b'R' | b'u' | b'U' | b'b' | b'B') {
            q += 1;
        }
        for quotes in ["\"\"\"", "'''"] {
            if self.starts(q, quotes) {
                let body = &self.b[q + 3..self.hi];
                if let Some(k) = memchr::memmem::find(body, quotes.as_bytes()) {
                    self.put(e, ws, Some("w"));
                    self.put(e, q, Some("sa"));
                    self.put(e, q + 3 + k + 3, Some("sd"));
                    return true;
                }
            }
        }
        false
    }

    /// `^([ \t]*)(match|case)\b` not followed by what makes it a name.
    fn soft_keyword_start(&mut self, e: &mut Emitter) -> bool {
        let p = self.pos;
        let w = run_end(self.s, p, self.hi, |c| c == ' ' || c == '\t');
        let word = self.word(w);
        if !matches!(word, "match" | "case") {
            return false;
        }
        let after = run_end(self.s, w + word.len(), self.hi, |c| c == ' ' || c == '\t');
        if matches!(
            self.at(after),
            b':' | b',' | b';' | b'=' | b'^' | b'&' | b'|' | b'@' | b'~' | b')' | b']' | b'}'
        ) || LOWER_KEYWORDS.contains(&self.word(after))
        {
            return false;
        }
        self.put(e, w, None);
        self.put(e, w + word.len(), Some("k"));
        self.stack.push(State::SoftKeyword);
        true
    }

    /// `(\s+)([^\n_]*)(_\b)`: the wildcard `_` of a pattern, the text
    /// before it lexed afresh; otherwise back to root.
    fn soft_keyword(&mut self, e: &mut Emitter) -> bool {
        let p = self.pos;
        let ws = run_end(self.s, p, self.hi, is_space);
        let stop = memchr::memchr2(b'_', b'\n', &self.b[ws..self.hi]).map(|k| ws + k);
        match stop {
            Some(u)
                if ws > p
                    && self.b[u] == b'_'
                    && self.word_boundary(u + 1)
                    && self.depth < MAX_DEPTH =>
            {
                self.put(e, ws, Some("w"));
                Lx::new(self.s, ws, u, self.depth + 1).run(e);
                self.pos = u;
                self.put(e, u + 1, Some("k"));
            }
            _ => self.pop(),
        }
        true
    }

    fn func_name(&mut self, e: &mut Emitter) -> bool {
        let p = self.pos;
        let word = self.word(p);
        if MAGIC_FUNCTIONS.binary_search(&word).is_ok() {
            self.put(e, p + word.len(), Some("fm"));
            return true;
        }
        let end = ident_end(self.s, p, self.hi);
        if end > p {
            self.put(e, end, Some("nf"));
        }
        self.pop();
        true
    }

    /// A name as `class`, then back (`classname` has no other rule).
    fn name_as(&mut self, e: &mut Emitter, class: &'static str) -> bool {
        let end = ident_end(self.s, self.pos, self.hi);
        if end == self.pos {
            return false;
        }
        self.put(e, end, Some(class));
        self.pop();
        true
    }

    fn import(&mut self, e: &mut Emitter) -> bool {
        let p = self.pos;
        let ws = run_end(self.s, p, self.hi, is_space);
        if ws > p && self.starts(ws, "as") {
            let end = run_end(self.s, ws + 2, self.hi, is_space);
            if end > ws + 2 {
                self.put(e, ws, Some("w"));
                self.put(e, ws + 2, Some("k"));
                self.put(e, end, Some("w"));
                return true;
            }
        }
        if self.at(p) == b'.' {
            self.put(e, p + 1, Some("nn"));
            return true;
        }
        let end = ident_end(self.s, p, self.hi);
        if end > p {
            self.put(e, end, Some("nn"));
            return true;
        }
        if self.at(ws) == b',' {
            self.put(e, ws, Some("w"));
            self.put(e, ws + 1, Some("o"));
            let end = run_end(self.s, ws + 1, self.hi, is_space);
            self.put(e, end, Some("w"));
            return true;
        }
        self.pop();
        true
    }

    fn after_from(&mut self, e: &mut Emitter) -> bool {
        let p = self.pos;
        let ws = run_end(self.s, p, self.hi, is_space);
        if ws > p && self.word(ws) == "import" {
            self.put(e, ws, Some("w"));
            self.put(e, ws + 6, Some("kn"));
            self.pop();
            return true;
        }
        if self.at(p) == b'.' {
            self.put(e, p + 1, Some("nn"));
            return true;
        }
        if self.word(p) == "None" {
            self.put(e, p + 4, Some("kc"));
            self.pop();
            return true;
        }
        let end = ident_end(self.s, p, self.hi);
        if end > p {
            self.put(e, end, Some("nn"));
            return true;
        }
        self.pop();
        true
    }

    /// Pygments' `expr` state: strings, numbers, operators, words.
    fn expr(&mut self, e: &mut Emitter) -> bool {
        let p = self.pos;
        let c = self.b[p];
        // Each rule is tried only on the bytes it can start with.
        if matches!(c | 0x20, b'"' | b'\'' | b'r' | b'u' | b'b' | b'f' | b't')
            && let Some((prefix, quoting)) = self.string_prefix(p)
        {
            self.open_string(e, p + prefix, quoting);
            return true;
        }
        if c >= 0x80 || (c != b'\n' && is_space(char::from(c))) {
            let blank = run_end(self.s, p, self.hi, |c| c != '\n' && is_space(c));
            if blank > p {
                self.put(e, blank, None);
                return true;
            }
        }
        if (c.is_ascii_digit() || c == b'.')
            && let Some((end, class)) = self.number(p)
        {
            self.put(e, end, Some(class));
            return true;
        }
        match c {
            b'!' | b':' if self.at(p + 1) == b'=' => {
                self.put(e, p + 2, Some("o"));
                return true;
            }
            b'-' | b'~' | b'+' | b'/' | b'*' | b'%' | b'=' | b'<' | b'>' | b'&' | b'^' | b'|'
            | b'.' => {
                self.put(e, p + 1, Some("o"));
                return true;
            }
            b'[' | b']' | b'{' | b'}' | b':' | b'(' | b')' | b',' | b';' => {
                self.put(e, p + 1, Some("p"));
                return true;
            }
            b'@' => {
                let end = ident_end(self.s, p + 1, self.hi);
                let class = if end > p + 1 { "nd" } else { "o" };
                self.put(e, end.max(p + 1), Some(class));
                return true;
            }
            _ => {}
        }
        let (word, kind) = self.word_kind(p);
        if let Some(kind) = kind {
            let after_dot = p > self.lo && self.b[p - 1] == b'.';
            let class = match kind {
                KEYWORD => {
                    let end = self.keyword_end(p, word, false);
                    self.put(e, end, Some("k"));
                    return true;
                }
                // `async` alone is a name here; `async for` a keyword
                ROOT_ONLY if word == "async" => {
                    let end = self.keyword_end(p, word, false);
                    if end > p + word.len() {
                        self.put(e, end, Some("k"));
                        return true;
                    }
                    None
                }
                ROOT_ONLY => None,
                "nb" | "bp" | "ne" if after_dot => None,
                class => Some(class),
            };
            if let Some(class) = class {
                self.put(e, p + word.len(), Some(class));
                return true;
            }
        }
        // an ASCII word starting with a letter or `_` and followed by
        // ASCII is the identifier; otherwise Unicode's rules decide
        let end = if word.is_ascii()
            && !word.is_empty()
            && !c.is_ascii_digit()
            && self.at(p + word.len()) < 0x80
        {
            p + word.len()
        } else {
            ident_end(self.s, p, self.hi)
        };
        if end > p {
            self.put(e, end, Some("n"));
            return true;
        }
        false
    }

    /// The `\w` run at `p` and its kind in [`KINDS`].
    fn word_kind(&mut self, p: usize) -> (&'a str, Option<&'static str>) {
        let (at, len, kind) = self.looked_up;
        if at == p {
            return (&self.s[p..p + len], kind);
        }
        let word = self.word(p);
        let kind = KINDS.class(word);
        self.looked_up = (p, word.len(), kind);
        (word, kind)
    }

    /// A string's prefix length and quoting when a string opens at `p`.
    fn string_prefix(&self, p: usize) -> Option<(usize, Quoting)> {
        let quote = |i: usize| matches!(self.at(i), b'"' | b'\'');
        if quote(p) {
            return Some((0, Quoting::Str));
        }
        let l1 = self.at(p).to_ascii_lowercase();
        let l2 = self.at(p + 1).to_ascii_lowercase();
        if quote(p + 1) {
            return match l1 {
                b'f' | b't' => Some((1, Quoting::Format)),
                b'r' => Some((1, Quoting::Raw)),
                b'u' => Some((1, Quoting::Str)),
                b'b' => Some((1, Quoting::Bytes)),
                _ => None,
            };
        }
        if quote(p + 2) {
            return match (l1, l2) {
                (b'r', b'f' | b't') | (b'f' | b't', b'r') => Some((2, Quoting::RawFormat)),
                (b'r', b'b') | (b'b', b'r') => Some((2, Quoting::Raw)),
                _ => None,
            };
        }
        None
    }

    fn open_string(&mut self, e: &mut Emitter, q: usize, quoting: Quoting) {
        let quote = self.b[q];
        let triple = self.at(q + 1) == quote && self.at(q + 2) == quote;
        let class = if quote == b'"' { "s2" } else { "s1" };
        self.put(e, q, Some("sa"));
        self.put(e, q + if triple { 3 } else { 1 }, Some(class));
        self.stack.push(State::Str(Quoted {
            quoting,
            quote,
            triple,
            class,
        }));
    }

    /// Pygments' `numbers` state: the end and type of a number at `p`.
    fn number(&self, p: usize) -> Option<(usize, &'static str)> {
        let c = self.at(p);
        if c == b'.' {
            let end = self.digits(p + 1)?;
            return Some((self.exponent(end), "mf"));
        }
        let d = self.digits(p)?;
        if self.at(d) == b'.' {
            let end = self.digits(d + 1).unwrap_or(d + 1);
            return Some((self.exponent(end), "mf"));
        }
        let exp = self.exponent(d);
        if exp > d {
            let end = if self.at(exp) == b'j' { exp + 1 } else { exp };
            return Some((end, "mf"));
        }
        if c == b'0' {
            let based = |digit: fn(u8) -> bool| {
                let mut j = p + 2;
                while digit(self.at(j)) || (self.at(j) == b'_' && digit(self.at(j + 1))) {
                    j += if self.at(j) == b'_' { 2 } else { 1 };
                }
                (j > p + 2).then_some(j)
            };
            let based = match self.at(p + 1) {
                b'o' | b'O' => based(|b| (b'0'..=b'7').contains(&b)).map(|j| (j, "mo")),
                b'b' | b'B' => based(|b| b == b'0' || b == b'1').map(|j| (j, "mb")),
                b'x' | b'X' => based(|b| b.is_ascii_hexdigit()).map(|j| (j, "mh")),
                _ => None,
            };
            if based.is_some() {
                return based;
            }
        }
        Some((d, "mi"))
    }

    /// End of `\d(?:_?\d)*` at `i`.
    fn digits(&self, i: usize) -> Option<usize> {
        if !self.at(i).is_ascii_digit() {
            return None;
        }
        let mut j = i + 1;
        loop {
            if self.at(j).is_ascii_digit() {
                j += 1;
            } else if self.at(j) == b'_' && self.at(j + 1).is_ascii_digit() {
                j += 2;
            } else {
                return Some(j);
            }
        }
    }

    /// End of an optional `[eE][+-]?\d(?:_?\d)*` at `i`.
    fn exponent(&self, i: usize) -> usize {
        if !matches!(self.at(i), b'e' | b'E') {
            return i;
        }
        let sign = usize::from(matches!(self.at(i + 1), b'+' | b'-'));
        self.digits(i + 1 + sign).unwrap_or(i)
    }
}

/// Python's hard keywords that start lowercase (`keyword.kwlist`): after
/// `match`/`case` they make it a name.
const LOWER_KEYWORDS: &[&str] = &[
    "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif",
    "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda",
    "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
];
