//! Shell scripts (bash, sh, zsh) and console sessions.
//!
//! A script: comments, quoted strings (variables inside stay part of the
//! string), `$VAR`/`${…}`/`$(` as variables, keywords, builtins,
//! assignments, function definitions, here-documents and operators;
//! commands and options stay plain, as in Pygments.
//!
//! A session, as Pygments' `console` lexer reads it: a line that starts
//! with a prompt (`$ `, `# `, `% `, `> `, `user@host:~$ `, `[root@h ~]# `,
//! `(venv) $ `) has the prompt as `gp` and the command lexed as a script
//! (continued over lines ending in `\`); every other line is output, `go`.

use super::scan::{Scan, Sink, Words, find_after, is_word_char, is_word_start, line_end, word_end};

/// Shell words with their classes, sorted (a test checks the order).
pub const WORDS: &[(&str, &str)] = &[
    ("alias", "nb"),
    ("break", "k"),
    ("case", "k"),
    ("cd", "nb"),
    ("continue", "k"),
    ("declare", "kd"),
    ("do", "k"),
    ("done", "k"),
    ("echo", "nb"),
    ("elif", "k"),
    ("else", "k"),
    ("esac", "k"),
    ("eval", "nb"),
    ("exec", "nb"),
    ("exit", "nb"),
    ("export", "kd"),
    ("fi", "k"),
    ("for", "k"),
    ("function", "k"),
    ("if", "k"),
    ("in", "k"),
    ("local", "kd"),
    ("printf", "nb"),
    ("pwd", "nb"),
    ("read", "nb"),
    ("readonly", "kd"),
    ("return", "k"),
    ("select", "k"),
    ("set", "nb"),
    ("shift", "nb"),
    ("source", "nb"),
    ("test", "nb"),
    ("then", "k"),
    ("trap", "nb"),
    ("unset", "nb"),
    ("until", "k"),
    ("while", "k"),
];

/// [`WORDS`] indexed for lookup.
static WORD_CLASSES: Words = Words::new(WORDS);

pub fn script(code: &str, out: &mut Sink) {
    let mut s = Scan::new(code, out);
    let end = s.b.len();
    script_range(&mut s, end);
    s.finish();
}

pub fn session(code: &str, out: &mut Sink) {
    let mut s = Scan::new(code, out);
    while !s.at_end() {
        let line = line_end(s.b, s.i);
        match prompt_len(&s.b[s.i..line]) {
            Some(p) => {
                s.emit(s.i + p, "gp");
                // The command goes on over lines ending in a backslash.
                let mut end = line;
                while end > s.i && s.b[end - 1] == b'\\' && end < s.b.len() {
                    end = line_end(s.b, end + 1);
                }
                script_range(&mut s, end);
            }
            None if line > s.i => s.emit(line, "go"),
            None => {}
        }
        s.skip_to(line + 1);
    }
    s.finish();
}

/// Length of the prompt at the start of `line`, if it has one.
fn prompt_len(line: &[u8]) -> Option<usize> {
    let mut i = 0;
    // `(venv) `
    if line.first() == Some(&b'(') {
        let close = line.iter().position(|&c| c == b')')?;
        i = close + 1;
        while line.get(i) == Some(&b' ') {
            i += 1;
        }
    }
    let rest = &line[i..];
    // `$ `, `# `, `% `, `> ` alone, or ending `user@host:~$ `, `[root@h ~]# `.
    let end = rest
        .iter()
        .position(|&c| matches!(c, b'$' | b'#' | b'%' | b'>'))?;
    let head = &rest[..end];
    let plain_head = head
        .iter()
        .all(|&c| is_word_char(c) || matches!(c, b'@' | b':' | b'~' | b'/' | b'-' | b'.'));
    let bracketed = head.first() == Some(&b'[') && head.last() == Some(&b']');
    let ok = head.is_empty()
        || (plain_head && head.contains(&b'@'))
        || (plain_head && head.ends_with(b":~"))
        || bracketed;
    let after = rest.get(end + 1).copied();
    if !ok || !(after == Some(b' ') || after.is_none()) {
        return None;
    }
    // `# ` with nothing before is a root prompt only when a command follows.
    Some(i + end + 1 + usize::from(after == Some(b' ')))
}

/// Lexes `[cursor, end)` as a script.
pub(super) fn script_range(s: &mut Scan, end: usize) {
    // At the start of a command: a word there may be a keyword or assignment.
    let mut command_start = true;
    while s.i < end {
        let c = s.peek(0);
        let was_start = command_start;
        command_start = false;
        match c {
            b'\n' | b';' | b'|' | b'&' | b'(' | b')' | b'{' | b'}' => {
                let mut e = s.i + 1;
                if c != b'\n' && s.b.get(e) == Some(&c) && matches!(c, b';' | b'|' | b'&') {
                    e += 1;
                }
                if matches!(c, b';' | b'|' | b'&') {
                    s.emit(e, "o");
                } else {
                    s.skip_to(e);
                }
                command_start = true;
            }
            b' ' | b'\t' => {
                s.step();
                command_start = was_start;
            }
            b'#' if s.i == 0 || s.b[s.i - 1].is_ascii_whitespace() => {
                let e = line_end(s.b, s.i).min(end);
                s.emit(e, "c");
            }
            b'\\' => s.skip_to(s.i + 2),
            b'\'' => {
                let e = s.b[s.i + 1..]
                    .iter()
                    .position(|&q| q == b'\'')
                    .map_or(s.b.len(), |p| s.i + 2 + p);
                s.emit(e, "s");
            }
            b'"' => {
                let e = super::scan::quoted_end(s.b, s.i, b'"', true, true);
                s.emit(e, "s");
            }
            b'`' => {
                let e = super::scan::quoted_end(s.b, s.i, b'`', true, true);
                s.emit(e, "s");
            }
            b'$' => {
                let e = variable_end(s.b, s.i);
                if e > s.i + 1 {
                    s.emit(e, "nv");
                } else {
                    s.step();
                }
                command_start = s.b.get(s.i.wrapping_sub(1)) == Some(&b'(');
            }
            b'<' if s.peek(1) == b'<' && s.peek(2) != b'<' => heredoc(s, end),
            b'<' | b'>' | b'!' => {
                let mut e = s.i + 1;
                while e < end && matches!(s.b[e], b'>' | b'&' | b'=') {
                    e += 1;
                }
                s.emit(e, "o");
            }
            b'[' if s.peek(1) == b'[' => s.emit(s.i + 2, "nb"),
            b']' if s.peek(1) == b']' => s.emit(s.i + 2, "nb"),
            c if is_word_start(c) && was_start => {
                let e = word_end(s.b, s.i);
                let w = &s.code[s.i..e];
                let next = s.b.get(e).copied().unwrap_or(0);
                if next == b'=' || (next == b'+' && s.b.get(e + 1) == Some(&b'=')) {
                    s.emit(e, "nv");
                } else if next == b'(' && s.b.get(e + 1) == Some(&b')') {
                    s.emit(e, "nf");
                } else if let Some(class) = WORD_CLASSES.class(w) {
                    s.emit(e, class);
                    // `then cmd`, `export NAME=…`: a command or assignment follows.
                    command_start =
                        matches!(class, "k" | "kd") && !matches!(w, "in" | "case" | "for");
                } else {
                    s.skip_to(command_word_end(s.b, e, end));
                }
            }
            c if c.is_ascii_digit() && (s.i == 0 || !is_word_char(s.b[s.i - 1])) => {
                let e = word_end(s.b, s.i);
                if s.b[s.i..e].iter().all(u8::is_ascii_digit)
                    && !matches!(s.b.get(e), Some(b'.' | b'-' | b'/' | b':'))
                {
                    s.emit(e, "m");
                } else {
                    s.skip_to(e);
                }
            }
            c if is_word_char(c) => {
                let e = word_end(s.b, s.i);
                s.skip_to(e);
            }
            _ => s.step(),
        }
    }
}

/// A command name runs on through `-`, `.`, `/`: `qemu-img`, `./run`.
fn command_word_end(b: &[u8], mut i: usize, end: usize) -> usize {
    while i < end && (is_word_char(b[i]) || matches!(b[i], b'-' | b'.' | b'/')) {
        i += 1;
    }
    i
}

/// `$name`, `$1`, `$@`, `${…}`, or `$(`/`$((` (the opening only).
fn variable_end(b: &[u8], i: usize) -> usize {
    match b.get(i + 1) {
        Some(b'{') => b[i..]
            .iter()
            .position(|&c| c == b'}' || c == b'\n')
            .map_or(b.len(), |p| i + p + 1),
        Some(b'(') => i + if b.get(i + 2) == Some(&b'(') { 3 } else { 2 },
        Some(&c) if is_word_start(c) => word_end(b, i + 1),
        Some(c) if c.is_ascii_digit() || b"@*#?$!-".contains(c) => i + 2,
        _ => i + 1,
    }
}

/// `<<WORD` (or `<<-'WORD'`) through the line holding only WORD: `s`.
fn heredoc(s: &mut Scan, end: usize) {
    let mut j = s.i + 2;
    if s.b.get(j) == Some(&b'-') {
        j += 1;
    }
    let quoted = matches!(s.b.get(j), Some(b'\'' | b'"'));
    let word_start = j + usize::from(quoted);
    let word_stop = word_end(s.b, word_start);
    if word_stop == word_start {
        s.emit(s.i + 2, "o");
        return;
    }
    let word = s.b[word_start..word_stop].to_vec();
    // The body starts on the next line and ends after the terminator line.
    let mut line = find_after(s.b, word_stop, b"\n");
    while line < s.b.len() {
        let stop = line_end(s.b, line);
        if s.b[line..stop].trim_ascii_start() == word.as_slice() {
            s.emit(stop, "s");
            return;
        }
        line = stop + 1;
    }
    let _ = end;
    let all = s.b.len();
    s.emit(all, "s");
}
