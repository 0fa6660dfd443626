//! TeX and LaTeX, token for token as Pygments' `TexLexer` (2.21): control
//! sequences, comments, groups, and the math modes (`$…$`, `\(…\)`,
//! `$$…$$`, `\[…\]`, math environments) with their own rules.

use super::pyg::{Emitter, SinkTokens, char_at, is_space};
use super::scan::Sink;

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Root,
    /// After a control sequence: its `[options]` and `*`.
    Command,
    InlineMath,
    DisplayMath,
    /// Inside `\begin{equation}` and friends.
    EnvironmentMath,
}

pub fn tokens(code: &str, out: &mut Sink) {
    let mut sink = SinkTokens(out);
    let mut e = Emitter::new(code, &mut sink);
    let b = code.as_bytes();
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    let mut stack = vec![State::Root];
    let mut i = 0;
    while i < b.len() {
        let state = *stack.last().unwrap_or(&State::Root);
        let c = b[i];
        let (end, class): (usize, Option<&'static str>) = match state {
            State::Command => {
                if c == b'[' {
                    match b[i + 1..].iter().position(|&c| c == b']' || c == b'\n') {
                        Some(k) if b[i + 1 + k] == b']' => (i + k + 2, Some("na")),
                        _ => {
                            stack.pop();
                            continue;
                        }
                    }
                } else if c == b'*' {
                    (i + 1, Some("k"))
                } else {
                    stack.pop();
                    continue;
                }
            }
            State::Root => {
                if let Some(name_end) = math_environment(code, i, "\\begin") {
                    e.put(i, i + 6, Some("k"));
                    e.put(i + 6, name_end, Some("nb"));
                    stack.push(State::EnvironmentMath);
                    i = name_end;
                    continue;
                }
                match c {
                    b'\\' if at(i + 1) == b'[' => {
                        stack.push(State::DisplayMath);
                        (i + 2, Some("sb"))
                    }
                    b'\\' if at(i + 1) == b'(' => {
                        stack.push(State::InlineMath);
                        (i + 2, Some("s"))
                    }
                    b'$' if at(i + 1) == b'$' => {
                        stack.push(State::DisplayMath);
                        (i + 2, Some("sb"))
                    }
                    b'$' => {
                        stack.push(State::InlineMath);
                        (i + 1, Some("s"))
                    }
                    b'\\' => {
                        stack.push(State::Command);
                        let letters = b[i + 1..]
                            .iter()
                            .position(|&c| {
                                !(c.is_ascii_alphabetic() || matches!(c, b'@' | b'_' | b':'))
                            })
                            .map_or(b.len(), |k| i + 1 + k);
                        (control_end(code, i, letters), Some("k"))
                    }
                    _ => match general(b, i) {
                        Some(t) => t,
                        None => {
                            let end = b[i..]
                                .iter()
                                .position(|c| b"\\$%&_^{}".contains(c))
                                .map_or(b.len(), |k| i + k);
                            (end, None)
                        }
                    },
                }
            }
            State::InlineMath | State::DisplayMath | State::EnvironmentMath => {
                let closed = match state {
                    State::InlineMath if c == b'\\' && at(i + 1) == b')' => Some((i + 2, "s")),
                    State::InlineMath if c == b'$' => Some((i + 1, "s")),
                    State::DisplayMath if c == b'\\' && at(i + 1) == b']' => Some((i + 2, "s")),
                    State::DisplayMath if c == b'$' && at(i + 1) == b'$' => Some((i + 2, "s")),
                    _ => None,
                };
                if let Some((end, class)) = closed {
                    e.put(i, end, Some(class));
                    stack.pop();
                    i = end;
                    continue;
                }
                if state == State::EnvironmentMath
                    && let Some(name_end) = math_environment(code, i, "\\end")
                {
                    e.put(i, i + 4, Some("k"));
                    e.put(i + 4, name_end, Some("nb"));
                    stack.pop();
                    i = name_end;
                    continue;
                }
                if state == State::DisplayMath && c == b'$' {
                    (i + 1, Some("nb"))
                } else {
                    math(code, i)
                }
            }
        };
        let (end, class) = if end > i {
            (end, class)
        } else {
            // No rule: one character as an error.
            (i + char_at(code, i).map_or(1, char::len_utf8), Some("err"))
        };
        e.put(i, end, class);
        i = end;
    }
    e.finish();
}

/// `\begin{math}` (or `\end{…}`: `command`) at `i` for the environments
/// Pygments lexes as math; the end of the closing brace.
fn math_environment(code: &str, i: usize, command: &str) -> Option<usize> {
    let rest = code.get(i..)?.strip_prefix(command)?.strip_prefix('{')?;
    // the longest name is `displaymath`: look no further
    let close = rest.bytes().take(12).position(|c| c == b'}')?;
    let name = &rest[..close];
    let known = matches!(
        name,
        "math" | "displaymath" | "equation" | "equation*" | "align" | "align*"
    );
    known.then_some(i + command.len() + 1 + close + 1)
}

/// `\\([letters]+|\S?)`: the end of a control sequence whose letters
/// (as the state allows them) end at `letters`.
fn control_end(code: &str, i: usize, letters: usize) -> usize {
    if letters > i + 1 {
        return letters;
    }
    match char_at(code, i + 1) {
        Some(c) if !is_space(c) => i + 1 + c.len_utf8(),
        _ => i + 1,
    }
}

/// Pygments' `general` rules: `%…\n` comments, braces and `& _ ^`.
fn general(b: &[u8], i: usize) -> Option<(usize, Option<&'static str>)> {
    match b[i] {
        b'%' => memchr::memchr(b'\n', &b[i..]).map(|k| (i + k + 1, Some("c"))),
        b'{' | b'}' | b'&' | b'_' | b'^' => Some((i + 1, Some("nb"))),
        _ => None,
    }
}

/// Pygments' `math` rules at `i`; an empty range when none matches.
fn math(code: &str, i: usize) -> (usize, Option<&'static str>) {
    let b = code.as_bytes();
    let c = b[i];
    if c == b'\\' {
        let letters = b[i + 1..]
            .iter()
            .position(|c| !c.is_ascii_alphabetic())
            .map_or(b.len(), |k| i + 1 + k);
        return (control_end(code, i, letters), Some("nv"));
    }
    if let Some(t) = general(b, i) {
        return t;
    }
    if c.is_ascii_digit() {
        let end = b[i..]
            .iter()
            .position(|c| !c.is_ascii_digit())
            .map_or(b.len(), |k| i + k);
        return (end, Some("m"));
    }
    if b"-=!+*/()[]".contains(&c) {
        return (i + 1, Some("o"));
    }
    let end = b[i..]
        .iter()
        .position(|c| b"=!+*/()[]\\$%&_^{}0123456789-".contains(c))
        .map_or(b.len(), |k| i + k);
    (end, Some("nb"))
}
