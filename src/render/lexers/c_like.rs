//! C, C++, Rust, Go and JavaScript: one lexer for the languages of braces,
//! `//` comments and quoted strings, told apart by a [`Dialect`].
//!
//! It classifies what can be told from the text alone, as Pygments does:
//! comments, strings and their escapes, numbers, keywords by kind (tables
//! in [`super::c_like_words`]), operators, preprocessor lines, names after
//! `fn`/`func`/`function`/`class`/`struct`/`namespace`, and C function
//! definitions (a name after a type and before `(`). Calls stay plain.

use super::scan::{
    Scan, find_after, is_word_start, line_end, number_end, quoted_end, string_with_escapes,
};

/// What sets one language of the family apart.
pub struct Dialect {
    /// Every reserved or builtin word with its class, sorted by word.
    pub words: &'static [(&'static str, &'static str)],
    /// After one of these words, the next name is defined as a function (`nf`).
    pub function_definers: &'static [&'static str],
    /// After one of these, the next name is a type (`nc`) or namespace (`nn`).
    pub type_definers: &'static [(&'static str, &'static str)],
    /// `#include`, `#define`: lines starting with `#` are preprocessor (`cp`).
    pub preprocessor: bool,
    /// `` ` `` opens a raw string (Go) or a template literal (JavaScript).
    pub backtick: Backtick,
    /// `/…/` after an operator is a regular expression literal (JavaScript).
    pub regex_literals: bool,
    /// Rust: lifetimes, `#[attributes]`, `name!` macros, `r#"…"#`, `b'x'`.
    pub rust: bool,
    /// A name between a type and `(` is a function definition (C, C++).
    pub c_definitions: bool,
}

#[derive(PartialEq)]
pub enum Backtick {
    None,
    Raw,
    Template,
}

/// What the previous significant token was, for the contextual rules.
#[derive(Clone, Copy, PartialEq)]
enum Prev {
    Other,
    /// A type, a declaration keyword or a plain name: what precedes a C
    /// function's name.
    TypeLike,
    FunctionDefiner,
    TypeDefiner(&'static str),
    /// An operator or an opening bracket: a `/` after it starts a regex.
    Operator,
}

pub fn tokens(code: &str, out: &mut super::scan::Sink, d: &Dialect) {
    let mut s = Scan::new(code, out);
    let mut prev = Prev::Operator;
    let mut in_receiver = false;
    while !s.at_end() {
        let c = s.peek(0);
        let next = s.peek(1);
        let before = prev;
        prev = Prev::Other;
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => {
                s.step();
                prev = before;
            }
            b'/' if next == b'/' => {
                let end = line_end(s.b, s.i);
                s.emit(end, "c");
                prev = before;
            }
            b'/' if next == b'*' => {
                let end = find_after(s.b, s.i + 2, b"*/");
                s.emit(end, "c");
                prev = before;
            }
            b'#' if d.preprocessor && s.at_line_start() => {
                let end = preprocessor_end(s.b, s.i);
                s.emit(end, "cp");
            }
            b'#' if d.rust && (next == b'[' || (next == b'!' && s.peek(2) == b'[')) => {
                let end = s.b[s.i..]
                    .iter()
                    .position(|&c| c == b']' || c == b'\n')
                    .map_or(s.b.len(), |p| s.i + p + 1);
                s.emit(end, "cp");
            }
            b'"' => {
                let end = quoted_end(s.b, s.i, b'"', true, d.backtick == Backtick::Template);
                string_with_escapes(&mut s, end);
            }
            b'\'' if d.rust && is_lifetime(s.b, s.i) => {
                let end = super::scan::word_end(s.b, s.i + 1);
                s.emit(end, "kd");
            }
            b'\'' => {
                let end = quoted_end(s.b, s.i, b'\'', true, false);
                string_with_escapes(&mut s, end);
            }
            b'`' if d.backtick == Backtick::Raw => {
                let end = quoted_end(s.b, s.i, b'`', false, true);
                s.emit(end, "s");
            }
            b'`' if d.backtick == Backtick::Template => template(&mut s),
            b'/' if d.regex_literals && before == Prev::Operator => {
                let end = regex_end(s.b, s.i);
                s.emit(end, "sr");
            }
            b'0'..=b'9' => {
                let end = number_end(s.b, s.i);
                s.emit(end, "m");
            }
            b'.' if next.is_ascii_digit() => {
                let end = number_end(s.b, s.i);
                s.emit(end, "m");
            }
            c if is_word_start(c) || (c == b'$' && d.regex_literals) => {
                prev = word(&mut s, d, before);
            }
            b'+' | b'-' | b'*' | b'%' | b'=' | b'<' | b'>' | b'!' | b'&' | b'|' | b'^' | b'~'
            | b'?' | b':' | b'/' => {
                let mut end = s.i + 1;
                while end < s.b.len() && is_operator(s.b[end]) && !starts_comment(s.b, end) {
                    end += 1;
                }
                // `~Name(`: a destructor is a definition too.
                let destructor = c == b'~' && end == s.i + 1;
                s.emit(end, "o");
                prev = if destructor && d.c_definitions {
                    Prev::TypeLike
                } else {
                    Prev::Operator
                };
            }
            b'.' if next == b'.' => {
                let end = s.i
                    + if s.peek(2) == b'.' || s.peek(2) == b'=' {
                        3
                    } else {
                        2
                    };
                s.emit(end, "o");
                prev = Prev::Operator;
            }
            // Go's `func (g *Guest) Name(`: the receiver comes between.
            b'(' if before == Prev::FunctionDefiner && d.backtick == Backtick::Raw => {
                s.step();
                in_receiver = true;
                prev = Prev::Operator;
            }
            b')' if in_receiver => {
                s.step();
                in_receiver = false;
                prev = Prev::FunctionDefiner;
            }
            b'(' | b'[' | b'{' | b',' | b';' => {
                s.step();
                prev = Prev::Operator;
            }
            _ => s.step(),
        }
    }
    s.finish();
}

fn is_operator(c: u8) -> bool {
    matches!(
        c,
        b'+' | b'-'
            | b'*'
            | b'%'
            | b'='
            | b'<'
            | b'>'
            | b'!'
            | b'&'
            | b'|'
            | b'^'
            | b'~'
            | b'?'
            | b':'
            | b'/'
    )
}

fn starts_comment(b: &[u8], i: usize) -> bool {
    b[i] == b'/' && matches!(b.get(i + 1), Some(b'/' | b'*'))
}

/// A name: keyword, type, constant, builtin, definition, or plain.
fn word(s: &mut Scan, d: &Dialect, before: Prev) -> Prev {
    let start = s.i;
    let mut end = super::scan::word_end(s.b, start + 1);
    while d.regex_literals && end < s.b.len() && s.b[end] == b'$' {
        end = super::scan::word_end(s.b, end + 1);
    }
    let w = &s.code[start..end];
    let after = s.b.get(end).copied().unwrap_or(0);
    if d.rust && after == b'!' && s.b.get(end + 1) != Some(&b'=') {
        s.emit(end + 1, "nb");
        return Prev::Other;
    }
    if d.rust && matches!(w, "r" | "b" | "br" | "rb") && matches!(after, b'"' | b'#' | b'\'') {
        let close = rust_prefixed_string_end(s.b, end);
        if close > end {
            s.emit(close, "s");
            return Prev::Other;
        }
    }
    match before {
        Prev::FunctionDefiner => {
            s.emit(end, "nf");
            return Prev::Other;
        }
        Prev::TypeDefiner(class) => {
            s.emit(end, class);
            return Prev::Other;
        }
        _ => {}
    }
    if let Ok(k) = d.words.binary_search_by(|(word, _)| (*word).cmp(w)) {
        let class = d.words[k].1;
        s.emit(end, class);
        if d.function_definers.contains(&w) {
            return Prev::FunctionDefiner;
        }
        if let Some((_, class)) = d.type_definers.iter().find(|(t, _)| *t == w) {
            return Prev::TypeDefiner(class);
        }
        return match class {
            "kt" | "kd" => Prev::TypeLike,
            "k" | "o" => Prev::Operator,
            _ => Prev::Other,
        };
    }
    let call = next_significant(s.b, end) == b'(';
    if call && d.c_definitions && before == Prev::TypeLike {
        s.emit(end, "nf");
        return Prev::Other;
    }
    s.skip_to(end);
    Prev::TypeLike
}

fn next_significant(b: &[u8], i: usize) -> u8 {
    b[i.min(b.len())..]
        .iter()
        .copied()
        .find(|c| *c != b' ' && *c != b'\t')
        .unwrap_or(0)
}

/// `#include …` to the end of the line, continued lines (`\` at the end)
/// included.
fn preprocessor_end(b: &[u8], i: usize) -> usize {
    let mut end = line_end(b, i);
    while end > i && b[end - 1] == b'\\' && end < b.len() {
        end = line_end(b, end + 1);
    }
    end
}

/// `'a` not closed by a quote right after one character: a lifetime.
fn is_lifetime(b: &[u8], i: usize) -> bool {
    b.get(i + 1).is_some_and(|&c| is_word_start(c)) && b.get(i + 2) != Some(&b'\'')
}

/// After the prefix of `r"…"`, `r#"…"#`, `b"…"`, `b'x'`, `br#"…"#`: the end
/// of the literal, or `i` when it is not one.
fn rust_prefixed_string_end(b: &[u8], i: usize) -> usize {
    let hashes = b[i..].iter().take_while(|&&c| c == b'#').count();
    match b.get(i + hashes) {
        Some(b'"') if hashes > 0 || b.get(i.wrapping_sub(1)) == Some(&b'r') => {
            let mut close = vec![b'"'];
            close.extend(std::iter::repeat_n(b'#', hashes));
            find_after(b, i + hashes + 1, &close)
        }
        Some(&q) if hashes == 0 && (q == b'"' || q == b'\'') => {
            quoted_end(b, i, q, true, q == b'"')
        }
        _ => i,
    }
}

/// End of a regular expression literal at `i` (`/`): the closing `/`
/// outside a `[class]`, then the flags; the end of the line if unclosed.
fn regex_end(b: &[u8], i: usize) -> usize {
    let mut j = i + 1;
    let mut class = false;
    while j < b.len() {
        match b[j] {
            b'\\' => j += 1,
            b'[' => class = true,
            b']' => class = false,
            b'/' if !class => return super::scan::word_end(b, j + 1),
            b'\n' => return j,
            _ => {}
        }
        j += 1;
    }
    b.len()
}

/// A JavaScript template literal: the text is `s`, `${…}` inside stays plain.
fn template(s: &mut Scan) {
    let mut j = s.i + 1;
    while j < s.b.len() {
        match s.b[j] {
            b'\\' => j += 2,
            b'`' => {
                s.emit(j + 1, "s");
                return;
            }
            b'$' if s.b.get(j + 1) == Some(&b'{') => {
                s.emit(j, "s");
                let mut depth = 0usize;
                let mut k = j + 1;
                while k < s.b.len() {
                    match s.b[k] {
                        b'{' => depth += 1,
                        b'}' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        b'`' => break,
                        _ => {}
                    }
                    k += 1;
                }
                let stop = if s.b.get(k) == Some(&b'}') { k + 1 } else { k };
                s.skip_to(stop);
                j = stop;
            }
            _ => j += 1,
        }
    }
    let end = s.b.len();
    s.emit(end, "s");
}
