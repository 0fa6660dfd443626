//! Data formats: JSON, YAML, INI and TOML. Keys are told from values by
//! their position (before `:` or `=`), as Pygments does, not by a grammar.

use super::scan::{Scan, Sink, line_end, number_end, quoted_end, string_with_escapes, word_end};

pub fn json(code: &str, out: &mut Sink) {
    let mut s = Scan::new(code, out);
    while !s.at_end() {
        match s.peek(0) {
            b'"' => {
                let end = quoted_end(s.b, s.i, b'"', true, false);
                string_with_escapes(&mut s, end);
            }
            b'-' | b'0'..=b'9' if s.peek(0) != b'-' || s.peek(1).is_ascii_digit() => {
                let start = s.i + usize::from(s.peek(0) == b'-');
                let end = number_end(s.b, start);
                s.emit(end, "m");
            }
            b'a'..=b'z' => {
                let end = word_end(s.b, s.i);
                if matches!(&s.code[s.i..end], "true" | "false" | "null") {
                    s.emit(end, "kc");
                } else {
                    s.skip_to(end);
                }
            }
            // `//` comments, which JSON-with-comments files have.
            b'/' if s.peek(1) == b'/' => {
                let end = line_end(s.b, s.i);
                s.emit(end, "c");
            }
            _ => s.step(),
        }
    }
    s.finish();
}

/// A scalar value's class: numbers `m`, booleans and null `kc`, text `s`.
fn scalar_class(text: &str) -> &'static str {
    let t = text.trim();
    let b = t.as_bytes();
    let digits = b
        .strip_prefix(b"-")
        .or_else(|| b.strip_prefix(b"+"))
        .unwrap_or(b);
    if !digits.is_empty()
        && (digits[0].is_ascii_digit() || digits[0] == b'.')
        && number_end(digits, 0) == digits.len()
    {
        return "m";
    }
    match t {
        "true" | "false" | "yes" | "no" | "on" | "off" | "True" | "False" | "Yes" | "No"
        | "null" | "Null" | "NULL" | "~" => "kc",
        _ => "s",
    }
}

pub fn yaml(code: &str, out: &mut Sink) {
    let mut s = Scan::new(code, out);
    // Indentation of the key that opened a `|` or `>` block, while in one.
    let mut block: Option<usize> = None;
    while !s.at_end() {
        let line = line_end(s.b, s.i);
        let text = &s.b[s.i..line];
        let indent = text.iter().take_while(|&&c| c == b' ').count();
        if let Some(key_indent) = block {
            if indent > key_indent || text.trim_ascii().is_empty() {
                if !text.trim_ascii().is_empty() {
                    s.emit(line, "s");
                }
                s.skip_to(line + 1);
                continue;
            }
            block = None;
        }
        s.skip_to(s.i + indent);
        // Sequence dashes: `- - item`.
        while s.peek(0) == b'-' && matches!(s.peek(1), b' ' | b'\n' | 0) {
            s.skip_to(s.i + 1);
            while s.peek(0) == b' ' {
                s.skip_to(s.i + 1);
            }
        }
        if s.peek(0) == b'#' {
            s.emit(line, "c");
        } else if !s.starts_with(b"---") && !s.starts_with(b"...") {
            if let Some(colon) = key_end(s.b, s.i, line) {
                s.emit(colon, "nt");
                s.skip_to(colon + 1);
            }
            if yaml_value(&mut s, line) {
                block = Some(indent);
            }
        }
        s.skip_to(line + 1);
    }
    s.finish();
}

/// End of a mapping key at `i` (before its `:`, which is followed by a
/// blank or the end of the line), or `None`.
fn key_end(b: &[u8], i: usize, line: usize) -> Option<usize> {
    if matches!(b.get(i), Some(b'"' | b'\'')) {
        let end = quoted_end(b, i, b[i], b[i] == b'"', false);
        return (b.get(end) == Some(&b':')).then_some(end);
    }
    let mut j = i;
    while j < line {
        match b[j] {
            b':' if j > i && matches!(b.get(j + 1), Some(b' ' | b'\n' | b'\r') | None) => {
                return Some(j);
            }
            b'#' if j > i && b[j - 1] == b' ' => return None,
            b'{' | b'[' | b'"' | b'\'' if j == i => return None,
            _ => j += 1,
        }
    }
    None
}

/// The value after a key or dash, to the end of the line. Returns whether
/// it opens a block scalar (`|`, `>`).
fn yaml_value(s: &mut Scan, line: usize) -> bool {
    // Depth of `[…]` and `{…}` on this line, where `,` and `: ` end scalars.
    let mut flow = 0usize;
    while s.i < line {
        match s.peek(0) {
            b'[' | b'{' => {
                flow += 1;
                s.skip_to(s.i + 1);
            }
            b']' | b'}' => {
                flow = flow.saturating_sub(1);
                s.skip_to(s.i + 1);
            }
            b' ' | b'\t' | b',' => s.skip_to(s.i + 1),
            b'#' if s.i == 0 || s.b[s.i - 1] == b' ' => s.emit(line, "c"),
            b'"' | b'\'' => {
                let q = s.peek(0);
                let end = quoted_end(s.b, s.i, q, q == b'"', false).min(line);
                if q == b'"' {
                    string_with_escapes(s, end);
                } else {
                    s.emit(end, "s");
                }
            }
            b'&' | b'*' if s.peek(1) != b' ' => {
                let end = plain_end(s.b, s.i + 1, line, false);
                s.emit(end, "nv");
            }
            b'|' | b'>'
                if s.b[s.i + 1..line]
                    .iter()
                    .all(|c| b"+-0123456789 ".contains(c)) =>
            {
                s.emit(s.i + 1, "k");
                s.skip_to(line);
                return true;
            }
            _ => {
                let in_flow = flow > 0;
                let end = plain_end(s.b, s.i, line, in_flow);
                if s.b.get(end) == Some(&b':') && in_flow {
                    s.emit(end, "nt");
                    s.skip_to(end + 1);
                } else {
                    let class = scalar_class(&s.code[s.i..end]);
                    s.emit(end, class);
                }
            }
        }
    }
    false
}

/// End of a plain scalar at `i`: before ` #`, the end of the line, or (in
/// flow collections) `,`, `]`, `}` and `: `. Trailing blanks excluded.
fn plain_end(b: &[u8], i: usize, line: usize, in_flow: bool) -> usize {
    let mut j = i;
    while j < line {
        let c = b[j];
        if (c == b'#' && j > i && b[j - 1] == b' ')
            || (in_flow && matches!(c, b',' | b']' | b'}'))
            || (in_flow && c == b':' && matches!(b.get(j + 1), Some(b' ')))
        {
            break;
        }
        j += 1;
    }
    while j > i && b[j - 1] == b' ' {
        j -= 1;
    }
    j.max(i + 1).min(line.max(i + 1))
}

pub fn ini(code: &str, out: &mut Sink) {
    let mut s = Scan::new(code, out);
    while !s.at_end() {
        let line = line_end(s.b, s.i);
        while s.i < line && matches!(s.peek(0), b' ' | b'\t') {
            s.skip_to(s.i + 1);
        }
        match s.peek(0) {
            b';' | b'#' => s.emit(line, "c"),
            b'[' => s.emit(line, "k"),
            _ => {
                let sep = s.b[s.i..line].iter().position(|&c| c == b'=' || c == b':');
                if let Some(p) = sep {
                    let sep = s.i + p;
                    let key = trim_end(s.b, s.i, sep);
                    s.emit(key, "na");
                    s.skip_to(sep);
                    s.emit(s.i + 1, "o");
                    while s.i < line && matches!(s.peek(0), b' ' | b'\t') {
                        s.skip_to(s.i + 1);
                    }
                    s.emit(line, "s");
                }
            }
        }
        s.skip_to(line + 1);
    }
    s.finish();
}

fn trim_end(b: &[u8], start: usize, mut end: usize) -> usize {
    while end > start && matches!(b[end - 1], b' ' | b'\t') {
        end -= 1;
    }
    end
}

pub fn toml(code: &str, out: &mut Sink) {
    let mut s = Scan::new(code, out);
    // Whether the next bare word is a key: at a line start, after `{` or `,`
    // inside an inline table.
    let mut expect_key = true;
    let mut braces = 0usize;
    while !s.at_end() {
        let c = s.peek(0);
        match c {
            b'\n' => {
                s.step();
                expect_key = braces == 0;
            }
            b' ' | b'\t' | b'\r' => s.step(),
            b'#' => {
                let end = line_end(s.b, s.i);
                s.emit(end, "c");
            }
            b'[' if expect_key && braces == 0 => {
                let end = line_end(s.b, s.i);
                let close = s.b[s.i..end]
                    .iter()
                    .rposition(|&c| c == b']')
                    .map_or(end, |p| s.i + p + 1);
                s.emit(close, "k");
            }
            b'"' | b'\'' => {
                let triple = s.b[s.i..].starts_with(&[c, c, c]);
                let end = if triple {
                    super::scan::find_after(s.b, s.i + 3, &[c, c, c])
                } else {
                    quoted_end(s.b, s.i, c, c == b'"', false)
                };
                if expect_key {
                    s.emit(end, "na");
                } else if c == b'"' {
                    string_with_escapes(&mut s, end);
                } else {
                    s.emit(end, "s");
                }
            }
            b'=' => {
                s.emit(s.i + 1, "o");
                expect_key = false;
            }
            b'{' => {
                braces += 1;
                s.step();
                expect_key = true;
            }
            b'}' => {
                braces = braces.saturating_sub(1);
                s.step();
            }
            b',' => {
                s.step();
                expect_key = braces > 0;
            }
            _ if expect_key && (c.is_ascii_alphanumeric() || c == b'_' || c == b'-') => {
                let mut end = s.i;
                while end < s.b.len()
                    && (s.b[end].is_ascii_alphanumeric() || matches!(s.b[end], b'_' | b'-' | b'.'))
                {
                    end += 1;
                }
                s.emit(end, "na");
            }
            b'+' | b'-' | b'0'..=b'9' | b'.' => {
                let mut end = s.i + 1;
                // Numbers, dates and times: digits with `-:.+_TZe`.
                while end < s.b.len()
                    && (s.b[end].is_ascii_alphanumeric()
                        || matches!(s.b[end], b'-' | b':' | b'.' | b'+' | b'_'))
                {
                    end += 1;
                }
                s.emit(end, "m");
            }
            b'a'..=b'z' => {
                let end = word_end(s.b, s.i);
                match &s.code[s.i..end] {
                    "true" | "false" => s.emit(end, "kc"),
                    "inf" | "nan" => s.emit(end, "m"),
                    _ => s.skip_to(end),
                }
            }
            _ => s.step(),
        }
    }
    s.finish();
}
