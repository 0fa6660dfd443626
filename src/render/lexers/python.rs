//! Python: comments, strings of every prefix and quoting (escapes as `se`
//! unless raw), numbers, keywords, builtins, decorators, and the names
//! `def` and `class` define.

use super::scan::{
    Scan, Sink, Words, is_word_start, line_end, number_end, string_with_escapes, word_end,
};

/// Python's words with their classes, sorted (a test checks the order).
pub const WORDS: &[(&str, &str)] = &[
    ("Ellipsis", "kc"),
    ("Exception", "nc"),
    ("False", "kc"),
    ("None", "kc"),
    ("NotImplemented", "kc"),
    ("True", "kc"),
    ("__file__", "nb"),
    ("__name__", "nb"),
    ("and", "o"),
    ("as", "k"),
    ("assert", "k"),
    ("async", "k"),
    ("await", "k"),
    ("bool", "nc"),
    ("break", "k"),
    ("bytes", "nc"),
    ("class", "kt"),
    ("cls", "bp"),
    ("continue", "k"),
    ("def", "kt"),
    ("del", "k"),
    ("dict", "nc"),
    ("elif", "k"),
    ("else", "k"),
    ("enumerate", "nb"),
    ("except", "k"),
    ("finally", "k"),
    ("float", "nc"),
    ("for", "k"),
    ("from", "k"),
    ("global", "k"),
    ("if", "k"),
    ("import", "k"),
    ("in", "k"),
    ("int", "nc"),
    ("is", "o"),
    ("isinstance", "nb"),
    ("lambda", "kt"),
    ("len", "nb"),
    ("list", "nc"),
    ("nonlocal", "k"),
    ("not", "o"),
    ("object", "nc"),
    ("open", "nb"),
    ("or", "o"),
    ("pass", "k"),
    ("print", "nb"),
    ("raise", "k"),
    ("range", "nb"),
    ("return", "k"),
    ("self", "bp"),
    ("set", "nc"),
    ("sorted", "nb"),
    ("str", "nc"),
    ("super", "nb"),
    ("try", "k"),
    ("tuple", "nc"),
    ("type", "nc"),
    ("while", "k"),
    ("with", "k"),
    ("yield", "k"),
    ("zip", "nb"),
];

/// [`WORDS`] indexed for lookup.
static WORD_CLASSES: Words = Words::new(WORDS);

pub fn tokens(code: &str, out: &mut Sink) {
    let mut s = Scan::new(code, out);
    // The class of the next name: set by `def` and `class`.
    let mut defining: Option<&'static str> = None;
    while !s.at_end() {
        let c = s.peek(0);
        match c {
            b'#' => {
                let end = line_end(s.b, s.i);
                s.emit(end, "c");
            }
            b'"' | b'\'' => {
                let quote = s.i;
                string(&mut s, quote, false);
            }
            b'@' if s.at_line_start() && is_word_start(s.peek(1)) => {
                let mut end = word_end(s.b, s.i + 1);
                while s.b.get(end) == Some(&b'.')
                    && s.b.get(end + 1).is_some_and(|&c| is_word_start(c))
                {
                    end = word_end(s.b, end + 1);
                }
                s.emit(end, "nv");
            }
            b'0'..=b'9' => {
                let end = number_end(s.b, s.i);
                s.emit(end, "m");
            }
            b'.' if s.peek(1).is_ascii_digit() => {
                let end = number_end(s.b, s.i);
                s.emit(end, "m");
            }
            c if is_word_start(c) => {
                let end = word_end(s.b, s.i);
                let w = &s.code[s.i..end];
                let quote = s.b.get(end).copied().unwrap_or(0);
                if (quote == b'"' || quote == b'\'') && is_string_prefix(w) {
                    let raw = w.bytes().any(|c| c == b'r' || c == b'R');
                    string(&mut s, end, raw);
                    continue;
                }
                if let Some(class) = defining.take() {
                    s.emit(end, class);
                    continue;
                }
                match WORD_CLASSES.class(w) {
                    Some(class) => {
                        s.emit(end, class);
                        defining = match w {
                            "def" => Some("nf"),
                            "class" => Some("nc"),
                            _ => None,
                        };
                    }
                    None => s.skip_to(end),
                }
            }
            b'+' | b'-' | b'*' | b'/' | b'%' | b'=' | b'<' | b'>' | b'!' | b'&' | b'|' | b'^'
            | b'~' => {
                let mut end = s.i + 1;
                while end < s.b.len() && matches!(s.b[end], b'=' | b'*' | b'/' | b'<' | b'>') {
                    end += 1;
                }
                s.emit(end, "o");
            }
            _ => s.step(),
        }
    }
    s.finish();
}

/// `r`, `b`, `f`, `u` and their pairs, in either case.
fn is_string_prefix(w: &str) -> bool {
    w.len() <= 2
        && w.bytes()
            .all(|c| matches!(c.to_ascii_lowercase(), b'r' | b'b' | b'f' | b'u'))
}

/// A string whose prefix starts at the cursor and whose quote is at `quote`:
/// single or triple quoted; escapes are `se` unless `raw`.
fn string(s: &mut Scan, quote: usize, raw: bool) {
    let q = s.b[quote];
    let triple = s.b.get(quote + 1) == Some(&q) && s.b.get(quote + 2) == Some(&q);
    let mut j = if triple { quote + 3 } else { quote + 1 };
    let end = loop {
        match s.b.get(j) {
            None => break s.b.len(),
            Some(b'\\') => j += 2,
            Some(b'\n') if !triple => break j,
            Some(&c) if c == q => {
                if !triple {
                    break j + 1;
                }
                if s.b.get(j + 1) == Some(&q) && s.b.get(j + 2) == Some(&q) {
                    break j + 3;
                }
                j += 1;
            }
            Some(_) => j += 1,
        }
    };
    let end = end.min(s.b.len());
    if raw {
        s.emit(end, "s");
    } else {
        string_with_escapes(s, end);
    }
}
