//! The steps of docutils' `educateQuotes`, in its order, as data: each
//! [`Step`] says which quote it rewrites and whether it matches at a
//! position. [`educate_window`] runs them one after the other as
//! `re.sub` would; [`educate_one_quote`] answers for the common window
//! that holds a single quote, where only the first step that matches can
//! change anything.

use super::educate::{APOSTROPHE, Quotes};
use crate::syntax::rst::chars::{is_space, is_word};

/// `_CH_CLASSES['punct']`: ASCII punctuation except `&`, and the space.
fn is_punct(c: char) -> bool {
    c == ' ' || (c.is_ascii_punctuation() && c != '&')
}

/// Python's `\w`.
pub(super) fn is_word_char(c: char) -> bool {
    c == '_' || is_word(c)
}

fn is_open(c: char) -> bool {
    matches!(c, '(' | '[' | '{')
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '\u{2013}' | '\u{2014}')
}

/// `_CH_CLASSES['sep']`: whitespace, zero-width space and non-joiner.
fn is_sep(c: char) -> bool {
    is_space(c) || c == '\u{200b}' || c == '\u{200c}'
}

/// `\d`: a decimal digit (Rust's numeric class stands for Python's).
pub(super) fn is_digit(c: char) -> bool {
    c.is_numeric()
}

/// What replaces the characters a step matched, borrowed from the
/// quotes so that a match allocates nothing.
#[derive(Clone, Copy)]
enum Repl<'q> {
    /// One string.
    Str(&'q str),
    /// The matched character before the quote, kept, then a string.
    After(char, &'q str),
    /// Two strings, one after the other.
    Pair(&'q str, &'q str),
}

impl Repl<'_> {
    fn push_onto(self, out: &mut Vec<char>) {
        match self {
            Repl::Str(s) => out.extend(s.chars()),
            Repl::After(c, s) => {
                out.push(c);
                out.extend(s.chars());
            }
            Repl::Pair(a, b) => {
                out.extend(a.chars());
                out.extend(b.chars());
            }
        }
    }

    fn push_str(self, out: &mut String) {
        match self {
            Repl::Str(s) => out.push_str(s),
            Repl::After(c, s) => {
                out.push(c);
                out.push_str(s);
            }
            Repl::Pair(a, b) => {
                out.push_str(a);
                out.push_str(b);
            }
        }
    }
}

/// One substitution of `educateQuotes`. Every one rewrites a quote,
/// looking at most one character before it and three after.
#[derive(Clone, Copy)]
enum Step<'q> {
    /// A quote at the very start of the text, before punctuation at a
    /// non-boundary: a closing quote (`^'(?=punct\B)`).
    StartsText(char, &'q str),
    /// Adjacent quotes before a word (`"'`, `'"`): both open.
    Adjacent(char, char, &'q str, &'q str),
    /// An opening character or dash, then a quote, optional punctuation
    /// and a space: the quote closes.
    AfterOpening(char, &'q str),
    /// Decades (the '80s), in English only.
    Decade,
    /// `OPENING_SECONDARY` / `OPENING_PRIMARY`: a separator, opening
    /// character or dash, then the quote, before a word character or
    /// punctuation.
    AfterSeparator(char, &'q str),
    /// `'` between word characters: an apostrophe.
    Inner,
    /// `'` not after whitespace: closing.
    SingleNotAfterSpace(&'q str),
    /// `"` not after whitespace, or before whitespace: closing.
    DoubleClosing(&'q str),
    /// Every `quote` left (`str.replace`).
    Every(char, &'q str),
}

impl<'q> Step<'q> {
    /// The quote the step rewrites: every match holds it at its position
    /// or the next.
    fn quote(self) -> char {
        match self {
            Step::StartsText(q, _)
            | Step::Adjacent(q, _, _, _)
            | Step::AfterOpening(q, _)
            | Step::AfterSeparator(q, _)
            | Step::Every(q, _) => q,
            Step::Decade | Step::Inner | Step::SingleNotAfterSpace(_) => '\'',
            Step::DoubleClosing(_) => '"',
        }
    }

    /// Whether the step matches at `i` of `t`, and then how many
    /// characters it consumes and what replaces them.
    #[inline(always)]
    fn at(self, t: &[char], i: usize, starts_text: bool) -> Option<(usize, Repl<'q>)> {
        let c = ch(t, i)?;
        match self {
            Step::StartsText(quote, r) => (i == 0
                && starts_text
                && c == quote
                && is(t, 1, is_punct)
                && is(t, 1, is_word_char) == is(t, 2, is_word_char))
            .then_some((1, Repl::Str(r))),
            Step::Adjacent(first, second, a, z) => {
                (c == first && ch(t, i + 1) == Some(second) && is(t, i + 2, is_word_char))
                    .then_some((2, Repl::Pair(a, z)))
            }
            Step::AfterOpening(quote, r) => ((is_open(c) || is_dash(c))
                && ch(t, i + 1) == Some(quote)
                && (ch(t, i + 2) == Some(' ')
                    || (is(t, i + 2, is_punct) && ch(t, i + 3) == Some(' '))))
            .then_some((2, Repl::After(c, r))),
            Step::Decade => (c == '\''
                && is(t, i + 1, is_digit)
                && is(t, i + 2, is_digit)
                && ch(t, i + 3) == Some('s'))
            .then_some((1, Repl::Str(APOSTROPHE))),
            Step::AfterSeparator(quote, r) => ((is_sep(c) || is_open(c) || is_dash(c))
                && ch(t, i + 1) == Some(quote)
                && is(t, i + 2, |n| is_word_char(n) || is_punct(n)))
            .then_some((2, Repl::After(c, r))),
            Step::Inner => {
                (i > 0 && is(t, i - 1, is_word_char) && c == '\'' && is(t, i + 1, is_word_char))
                    .then_some((1, Repl::Str(APOSTROPHE)))
            }
            Step::SingleNotAfterSpace(r) => {
                (c == '\'' && !(i > 0 && is(t, i - 1, is_space))).then_some((1, Repl::Str(r)))
            }
            Step::DoubleClosing(r) => (c == '"'
                && (!(i > 0 && is(t, i - 1, is_space)) || is(t, i + 1, is_space)))
            .then_some((1, Repl::Str(r))),
            Step::Every(quote, r) => (c == quote).then_some((1, Repl::Str(r))),
        }
    }
}

/// Most steps there are (for a language whose closing quote is not the
/// apostrophe, in English).
const MAX_STEPS: usize = 14;

/// The steps of `educateQuotes` for `language` and its quotes, in
/// docutils' order.
pub(super) struct Steps<'q> {
    steps: [Step<'q>; MAX_STEPS],
    len: usize,
}

impl<'q> Steps<'q> {
    pub(super) fn new(language: &str, q: Quotes<'q>) -> Self {
        let [op, cp, os, cs] = q;
        let mut steps = Steps {
            steps: [Step::Decade; MAX_STEPS],
            len: 0,
        };
        let mut push = |step| {
            steps.steps[steps.len] = step;
            steps.len += 1;
        };
        push(Step::StartsText('\'', cs));
        push(Step::StartsText('"', cp));
        push(Step::Adjacent('"', '\'', op, os));
        push(Step::Adjacent('\'', '"', os, op));
        push(Step::AfterOpening('\'', cs));
        push(Step::AfterOpening('"', cp));
        if language.starts_with("en") {
            push(Step::Decade);
        }
        push(Step::AfterSeparator('\'', os));
        if cs != APOSTROPHE {
            push(Step::Inner);
        }
        push(Step::SingleNotAfterSpace(cs));
        push(Step::Every('\'', os));
        push(Step::AfterSeparator('"', op));
        push(Step::DoubleClosing(cp));
        push(Step::Every('"', op));
        steps
    }

    fn iter(&self) -> impl Iterator<Item = Step<'q>> + '_ {
        self.steps[..self.len].iter().copied()
    }
}

/// The text a window's steps rewrite, and a spare buffer each step
/// writes its result into (then the two swap): the steps of a text's
/// windows share two allocations.
#[derive(Default)]
pub(super) struct Buffers {
    text: Vec<char>,
    spare: Vec<char>,
}

impl Buffers {
    /// One `re.sub` step. The text stays as it is when nothing matches
    /// (the common case).
    ///
    /// Every step holds its quote at `i` or `i + 1`, so only the
    /// positions at and just before each such quote are tried, left to
    /// right, skipping those inside an earlier match (matches do not
    /// overlap): the same matches as trying every position.
    fn sub(&mut self, step: Step, starts_text: bool) {
        let needs = step.quote();
        let text = &self.text;
        let out = &mut self.spare;
        let candidates = text
            .iter()
            .enumerate()
            .filter(|&(_, &c)| c == needs)
            .flat_map(|(q, _)| [q.saturating_sub(1), q]);
        let mut changed = false;
        // `text[..copied]` is in `out`; no match may start before `next`.
        let mut copied = 0;
        let mut next = 0;
        for i in candidates {
            if i < next {
                continue;
            }
            if let Some((consumed, replacement)) = step.at(text, i, starts_text) {
                if !changed {
                    out.clear();
                    changed = true;
                }
                out.extend_from_slice(&text[copied..i]);
                replacement.push_onto(out);
                next = (i + consumed.max(1)).min(text.len());
                copied = next;
            }
        }
        if changed {
            out.extend_from_slice(&text[copied..]);
            std::mem::swap(&mut self.text, &mut self.spare);
        }
    }
}

fn ch(t: &[char], i: usize) -> Option<char> {
    t.get(i).copied()
}

fn is(t: &[char], i: usize, f: impl Fn(char) -> bool) -> bool {
    ch(t, i).is_some_and(f)
}

/// The steps over one window, appended to `out`; `starts_text`: the
/// window starts the text (the first step is anchored there).
pub(super) fn educate_window(
    text: &str,
    starts_text: bool,
    steps: &Steps,
    b: &mut Buffers,
    out: &mut String,
) {
    b.text.clear();
    b.text.extend(text.chars());
    for step in steps.iter() {
        b.sub(step, starts_text);
    }
    out.extend(b.text.iter());
}

/// [`educate_window`] for a window holding one quote, when no
/// replacement holds a quote: before the first step that matches the
/// text is as it was, and after it no quote is left for another step
/// to match, so that step alone decides, at the first position it
/// matches (the one before the quote, then the quote's).
pub(super) fn educate_one_quote(
    text: &str,
    starts_text: bool,
    steps: &Steps,
    b: &mut Buffers,
    out: &mut String,
) {
    b.text.clear();
    b.text.extend(text.chars());
    let t = &b.text;
    let Some(q) = t.iter().position(|&c| c == '\'' || c == '"') else {
        out.push_str(text);
        return;
    };
    for step in steps.iter().filter(|s| s.quote() == t[q]) {
        for i in [q.saturating_sub(1), q] {
            if let Some((consumed, replacement)) = step.at(t, i, starts_text) {
                out.extend(&t[..i]);
                replacement.push_str(out);
                out.extend(&t[(i + consumed).min(t.len())..]);
                return;
            }
        }
    }
    out.push_str(text);
}
