//! reStructuredText, token for token as Pygments' `RstLexer` (2.21):
//! headings, list markers, directives, targets, comments, field markers,
//! definition lists, literal blocks ([`blocks`]) and inline markup
//! ([`inline`]). Parts Pygments lexes with `using(this, state='inline')`
//! are lexed by a nested lexer over just that part, as Pygments does, and
//! `.. code::` blocks in a language kbgen lexes exactly are handed to that
//! lexer with their indentation kept as text.

mod blocks;
mod inline;

use super::pyg::{Emitter, SinkTokens, char_at};
use super::scan::Sink;

pub fn tokens(code: &str, out: &mut Sink) {
    let mut sink = SinkTokens(out);
    let mut e = Emitter::new(code, &mut sink);
    Rst::new(code, 0, code.len(), 0, State::Root).run(&mut e);
    e.finish();
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Root,
    Inline,
    /// Inside ``` `` ```…``` `` ```.
    Literal,
}

/// Nesting of lexers (list items within list items, code within code)
/// beyond which a part is passed on as plain text: only hostile input
/// gets there.
const MAX_DEPTH: usize = 40;

/// Searches an inline rule makes (`needle` ids for [`Rst::find`]).
#[derive(Clone, Copy)]
enum Needle {
    Lt,
    GtBacktickUnderscore,
    BacktickUnderscore,
    Backtick,
    TwoStars,
    Star,
    BracketUnderscore,
    Gt,
}

const NEEDLES: [&[u8]; 8] = [b"<", b">`_", b"`_", b"`", b"**", b"*", b"]_", b">"];

struct Rst<'a> {
    s: &'a str,
    b: &'a [u8],
    /// The text being lexed is `s[lo..hi]`.
    lo: usize,
    hi: usize,
    pos: usize,
    stack: Vec<State>,
    depth: usize,
    /// Last answer of [`Rst::find`] per needle: (searched from, line end,
    /// found), reused while the cursor moves forward on a line, so long
    /// lines cost linear time.
    found: [(usize, usize, Option<usize>); 8],
    /// Last line end found: (from, end).
    line: (usize, usize),
    /// A reference-target scan that failed: (from, where it stopped).
    target_fail: (usize, usize),
}

impl<'a> Rst<'a> {
    fn new(s: &'a str, lo: usize, hi: usize, depth: usize, state: State) -> Self {
        let mut stack = vec![State::Root];
        if state != State::Root {
            stack.push(state);
        }
        Rst {
            s,
            b: s.as_bytes(),
            lo,
            hi,
            pos: lo,
            stack,
            depth,
            found: [(usize::MAX, 0, None); 8],
            line: (usize::MAX, 0),
            target_fail: (usize::MAX, 0),
        }
    }

    fn run(mut self, e: &mut Emitter) {
        while self.pos < self.hi {
            let matched = match *self.stack.last().unwrap_or(&State::Root) {
                State::Root => self.root(e),
                State::Inline => self.inline(e),
                State::Literal => self.literal(e),
            };
            if !matched {
                if self.b[self.pos] == b'\n' {
                    self.stack.truncate(1);
                    self.put(e, self.pos + 1, Some("w"));
                } else {
                    let len = char_at(self.s, self.pos).map_or(1, char::len_utf8);
                    self.put(e, self.pos + len, Some("err"));
                }
            }
        }
    }

    fn root(&mut self, e: &mut Emitter) -> bool {
        let p = self.pos;
        if (p == self.lo || self.b[p - 1] == b'\n') && self.block(e) {
            return true;
        }
        if self.starts(p, "::") && self.literal_block(e) {
            return true;
        }
        self.inline(e)
    }

    /// `[a, b)` lexed by a nested lexer starting in `state` (Pygments'
    /// `using(this, state=…)`).
    fn nested(&mut self, e: &mut Emitter, a: usize, b: usize, state: State) {
        if a >= b {
            return;
        }
        self.pos = a;
        if self.depth >= MAX_DEPTH {
            self.put(e, b, None);
            return;
        }
        Rst::new(self.s, a, b, self.depth + 1, state).run(e);
        self.pos = b;
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

    /// End of the line at `i` (the newline or `hi`).
    fn line_end(&mut self, i: usize) -> usize {
        let (from, end) = self.line;
        if from <= i && i <= end {
            return end;
        }
        let end = memchr::memchr(b'\n', &self.b[i..self.hi]).map_or(self.hi, |k| i + k);
        self.line = (i, end);
        end
    }

    /// The first `needle` at or after `from` that ends by the end of the
    /// cursor's line (inline rules never cross lines).
    fn find(&mut self, needle: Needle, from: usize) -> Option<usize> {
        let le = self.line_end(self.pos);
        if from > le {
            return None;
        }
        let k = needle as usize;
        let (at, end, found) = self.found[k];
        if at <= from && end == le && found.is_none_or(|f| f >= from) {
            return found;
        }
        let found = memchr::memmem::find(&self.b[from..le], NEEDLES[k]).map(|f| from + f);
        self.found[k] = (from, le, found);
        found
    }
}
