//! Diffs and Makefiles: line-oriented formats.

use super::scan::{Scan, Sink, is_word_char, line_end};

/// A unified or context diff, line by line, as Pygments' `diff` lexer:
/// `+`/`>` inserted `gi`, `-`/`<` deleted `gd`, `@@` hunks `gu`, `diff`
/// and `index` headers `gh`; context lines plain.
pub fn diff(code: &str, out: &mut Sink) {
    let mut s = Scan::new(code, out);
    while !s.at_end() {
        let line = line_end(s.b, s.i);
        let text = &s.b[s.i..line];
        let class = match text.first() {
            Some(b'+' | b'>') => Some("gi"),
            Some(b'-' | b'<') => Some("gd"),
            Some(b'@') => Some("gu"),
            Some(b'!') => Some("gs"),
            Some(b'=') => Some("gh"),
            _ if text.starts_with(b"diff")
                || text.starts_with(b"index")
                || text.starts_with(b"Index") =>
            {
                Some("gh")
            }
            _ => None,
        };
        if let Some(class) = class {
            s.emit(line, class);
        }
        s.skip_to(line + 1);
    }
    s.finish();
}

/// Make's directives, `k` at the start of a line.
const DIRECTIVES: &[&str] = &[
    "-include", "define", "else", "endef", "endif", "export", "ifdef", "ifeq", "ifndef", "ifneq",
    "include", "override", "sinclude", "unexport", "vpath",
];

/// A Makefile: comments, directives, variable assignments (`nv`, operator
/// `o`), rule targets (`nf`), variable references (`$(X)`, `$@`: `nv`) and
/// recipe lines, which are lexed as shell commands.
pub fn makefile(code: &str, out: &mut Sink) {
    let mut s = Scan::new(code, out);
    while !s.at_end() {
        let line = line_end(s.b, s.i);
        if s.peek(0) == b'\t' {
            s.skip_to(s.i + 1);
            while s.i < line && matches!(s.peek(0), b'@' | b'-' | b'+') {
                s.skip_to(s.i + 1);
            }
            recipe(&mut s, line);
        } else {
            make_line(&mut s, line);
        }
        s.skip_to(line + 1);
    }
    s.finish();
}

fn make_line(s: &mut Scan, line: usize) {
    while s.i < line && matches!(s.peek(0), b' ' | b'\t') {
        s.skip_to(s.i + 1);
    }
    if s.peek(0) == b'#' {
        s.emit(line, "c");
        return;
    }
    let word_stop = s.b[s.i..line]
        .iter()
        .position(|c| c.is_ascii_whitespace() || *c == b'(')
        .map_or(line, |p| s.i + p);
    if DIRECTIVES.contains(&&s.code[s.i..word_stop]) {
        s.emit(word_stop, "k");
        references(s, line);
        return;
    }
    // `NAME = value` (any of = := ::= ?= += !=) or `targets: prerequisites`.
    let mut j = s.i;
    while j < line {
        let c = s.b[j];
        let op_len = match c {
            b'=' => 1,
            b':' | b'?' | b'+' | b'!' if s.b.get(j + 1) == Some(&b'=') => 2,
            b':' if s.b.get(j + 1) == Some(&b':') && s.b.get(j + 2) == Some(&b'=') => 3,
            _ => 0,
        };
        if op_len > 0 {
            let name = trim(s.b, s.i, j);
            s.emit(name, "nv");
            s.skip_to(j);
            s.emit(j + op_len, "o");
            references(s, line);
            return;
        }
        if c == b':' {
            let targets = trim(s.b, s.i, j);
            s.emit(targets, "nf");
            s.skip_to(j);
            s.emit(j + 1 + usize::from(s.b.get(j + 1) == Some(&b':')), "o");
            references(s, line);
            return;
        }
        if c == b'$' || c == b'#' {
            break;
        }
        j += 1;
    }
    references(s, line);
}

fn trim(b: &[u8], start: usize, mut end: usize) -> usize {
    while end > start && matches!(b[end - 1], b' ' | b'\t') {
        end -= 1;
    }
    end
}

/// Plain text up to `line` with variable references and a trailing comment.
fn references(s: &mut Scan, line: usize) {
    while s.i < line {
        match s.peek(0) {
            b'$' => {
                let end = reference_end(s.b, s.i, line);
                s.emit(end, "nv");
            }
            b'#' => s.emit(line, "c"),
            _ => s.step(),
        }
    }
}

/// `$(…)` and `${…}` (nested ones included), `$@`, `$<`, `$X`.
fn reference_end(b: &[u8], i: usize, line: usize) -> usize {
    match b.get(i + 1) {
        Some(&open @ (b'(' | b'{')) => {
            let close = if open == b'(' { b')' } else { b'}' };
            let mut depth = 0usize;
            for (j, &c) in b.iter().enumerate().take(line).skip(i + 1) {
                if c == open {
                    depth += 1;
                } else if c == close {
                    depth -= 1;
                    if depth == 0 {
                        return j + 1;
                    }
                }
            }
            line
        }
        Some(&c) if is_word_char(c) || b"@<^?*%+|$".contains(&c) => i + 2,
        _ => i + 1,
    }
}

/// A recipe line: shell, with Make's references cut out first.
fn recipe(s: &mut Scan, line: usize) {
    while s.i < line {
        let next = s.b[s.i..line]
            .iter()
            .position(|&c| c == b'$')
            .map_or(line, |p| s.i + p);
        super::shell::script_range(s, next);
        if next < line {
            let end = reference_end(s.b, next, line);
            s.emit(end, "nv");
        }
    }
}
