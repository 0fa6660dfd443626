//! A linear scan of conf.py before it is parsed, refusing nesting that
//! would make a recursive parser, the evaluator or dropping the syntax tree
//! exhaust the stack: ruff's parser grows its stack on the heap, so
//! `x = ------...1` a million deep would cost gigabytes instead.
//!
//! The limits are CPython's own where it has them: 200 nested brackets
//! ("too many nested parentheses") and 100 indentation levels ("too many
//! levels of indentation"). Unbracketed chains (`-`, `not`, `.`, binary
//! operators) are bounded by counting, per bracket level and element
//! (between commas), the tokens that can each add a level to the tree.

use crate::diag::Diagnostic;
use crate::source::SourceFile;

const MAX_BRACKETS: usize = 200;
const MAX_INDENT_LEVELS: usize = 100;
/// An upper bound on expression depth: CPython's compiler gives up on
/// expressions far shallower than this ("maximum recursion depth exceeded
/// during compilation"), so no conf.py Sphinx reads comes near it.
const MAX_CHAIN: usize = 1000;

/// Returns the first place where conf.py nests beyond the limits.
pub(super) fn check_nesting(src: &SourceFile) -> Result<(), Diagnostic> {
    let bytes = src.text.as_bytes();
    let fail = |at: usize, msg: &str| {
        Err(Diagnostic::error("conf-py-too-deep", msg.to_string()).at(src, at, at + 1))
    };
    // Per open bracket level: the nesting tokens in the current element.
    let mut levels: Vec<usize> = vec![0];
    let mut chain_total = 0usize;
    let mut indents: Vec<usize> = vec![0];
    let mut at_line_start = true;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if at_line_start && levels.len() == 1 {
            let start = i;
            while i < bytes.len() && (bytes[i] == b' ' || bytes[i] == b'\t') {
                i += 1;
            }
            at_line_start = false;
            if i < bytes.len() && !matches!(bytes[i], b'\n' | b'#' | b'\\') {
                let width = i - start;
                while indents.last().is_some_and(|&w| w > width) {
                    indents.pop();
                }
                if indents.last().is_some_and(|&w| w < width) {
                    indents.push(width);
                }
                if indents.len() > MAX_INDENT_LEVELS {
                    return fail(i, "too many levels of indentation (Python allows 100)");
                }
            }
            continue;
        }
        match b {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'\'' | b'"' => {
                let (end, ops) = skip_string(bytes, i, is_fstring_prefix(bytes, i));
                if let Some(top) = levels.last_mut() {
                    *top += ops;
                    chain_total += ops;
                }
                if chain_total + levels.len() > MAX_CHAIN {
                    return fail(
                        i,
                        "expression nested too deeply for kbgen (over 1000 levels)",
                    );
                }
                i = end;
                continue;
            }
            b'\\' if bytes.get(i + 1) == Some(&b'\n') => i += 1,
            b'\n' if levels.len() == 1 => {
                at_line_start = true;
                levels[0] = 0;
                chain_total = 0;
            }
            b'(' | b'[' | b'{' => {
                levels.push(0);
                if levels.len() > MAX_BRACKETS + 1 {
                    return fail(i, "too many nested parentheses (Python allows 200)");
                }
            }
            b')' | b']' | b'}' if levels.len() > 1 => {
                chain_total -= levels.pop().unwrap_or(0);
            }
            b',' | b';' | b'=' => {
                if let Some(top) = levels.last_mut() {
                    chain_total -= *top;
                    *top = 0;
                }
            }
            b'+' | b'-' | b'*' | b'/' | b'%' | b'@' | b'&' | b'|' | b'^' | b'~' | b'<' | b'>'
            | b'.' => {
                bump(&mut levels, &mut chain_total, 1);
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                let start = i;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                let word = &bytes[start..i];
                if matches!(
                    word,
                    b"not" | b"lambda" | b"if" | b"await" | b"and" | b"or" | b"in" | b"is"
                ) {
                    bump(&mut levels, &mut chain_total, 1);
                }
                if chain_total + levels.len() > MAX_CHAIN {
                    return fail(
                        start,
                        "expression nested too deeply for kbgen (over 1000 levels)",
                    );
                }
                continue;
            }
            _ => {}
        }
        if chain_total + levels.len() > MAX_CHAIN {
            return fail(
                i,
                "expression nested too deeply for kbgen (over 1000 levels)",
            );
        }
        i += 1;
    }
    Ok(())
}

/// The innermost bracket still open at `offset`, when it was opened on an
/// earlier line: CPython then reports the syntax error as "'(' was never
/// closed" at that bracket, which is where the mistake is.
pub(super) fn unclosed_bracket_before(src: &SourceFile, offset: usize) -> Option<usize> {
    let bytes = src.text.as_bytes();
    let mut open: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < bytes.len().min(offset) {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'\'' | b'"' => {
                i = skip_string(bytes, i, false).0;
                continue;
            }
            b'(' | b'[' | b'{' => open.push(i),
            b')' | b']' | b'}' => {
                open.pop();
            }
            _ => {}
        }
        i += 1;
    }
    let at = *open.last()?;
    (src.line_of(at) < src.line_of(offset.min(bytes.len()))).then_some(at)
}

fn bump(levels: &mut [usize], total: &mut usize, n: usize) {
    if let Some(top) = levels.last_mut() {
        *top += n;
        *total += n;
    }
}

/// Whether the quote at `i` opens an f-string (or t-string): its prefix
/// letters include `f` or `t`.
fn is_fstring_prefix(bytes: &[u8], i: usize) -> bool {
    let mut k = i;
    while k > 0 && bytes[k - 1].is_ascii_alphabetic() {
        k -= 1;
    }
    let prefix = &bytes[k..i];
    prefix.len() <= 3
        && prefix.iter().all(|c| b"rRbBfFuUtT".contains(c))
        && prefix.iter().any(|c| b"fFtT".contains(c))
}

/// Skips the string literal whose quote is at `i` (any prefix was already
/// scanned as a word). Returns the index after it and, for safety with
/// f-strings, how many bytes inside it could open nesting in a replacement
/// field (a conservative over-count).
fn skip_string(bytes: &[u8], i: usize, count_ops: bool) -> (usize, usize) {
    let q = bytes[i];
    let triple = bytes.get(i + 1) == Some(&q) && bytes.get(i + 2) == Some(&q);
    let mut j = if triple { i + 3 } else { i + 1 };
    let mut ops = 0;
    while j < bytes.len() {
        match bytes[j] {
            b'\\' => j += 1,
            b'\n' if !triple => return (j, ops),
            c if c == q => {
                if !triple {
                    return (j + 1, ops);
                }
                if bytes.get(j + 1) == Some(&q) && bytes.get(j + 2) == Some(&q) {
                    return (j + 3, ops);
                }
            }
            b'{' | b'(' | b'[' | b'-' | b'+' | b'~' | b'.' | b'*' if count_ops => ops += 1,
            _ => {}
        }
        j += 1;
    }
    (j, ops)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> Result<(), Diagnostic> {
        check_nesting(&SourceFile::new("conf.py", text))
    }

    #[test]
    fn ordinary_files_pass() {
        check("x = [os.path.join(a, 'b'), {'k': (1, 2)}]\nif x:\n    y = -1 + f'{x!r}'\n").unwrap();
        let long_list = format!("x = [{}]\n", vec!["'a' + 'b'"; 5000].join(", "));
        check(&long_list).unwrap();
        check(&format!("x = '''{}'''\n", "(. -".repeat(5000))).unwrap();
    }

    #[test]
    fn deep_brackets_and_chains_are_refused_with_a_line() {
        let d = check(&format!(
            "a = 1\nx = {}1{}\n",
            "(".repeat(201),
            ")".repeat(201)
        ))
        .unwrap_err();
        assert_eq!(d.location.unwrap().line, 2);
        assert!(check(&format!("x = {}1\n", "-".repeat(5000))).is_err());
        assert!(check(&format!("x = {}1\n", "not ".repeat(5000))).is_err());
        assert!(check(&format!("x = f'{}'\n", "{".repeat(5000))).is_err());
        assert!(check(&format!("x = {}1\n", "lambda: ".repeat(5000))).is_err());
        let mut deep = String::new();
        for i in 0..120 {
            deep.push_str(&format!("{}if x:\n", " ".repeat(i)));
        }
        assert!(check(&deep).unwrap_err().message.contains("indentation"));
    }
}
