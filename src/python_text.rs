//! Python's way of writing a string back (`repr`), which docutils' and
//! Sphinx's messages and conf.py values quote: one implementation for the
//! conf.py evaluator, the dumps of pending nodes and the directive messages.

/// Python's `repr` of a `str`: single quotes unless the text holds a single
/// quote and no double quote; backslashes, the quote and control
/// characters escaped as Python escapes them.
pub fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

#[cfg(test)]
mod tests {
    use super::str_repr;

    #[test]
    fn strings_are_quoted_and_escaped_as_python_does() {
        assert_eq!(str_repr("abc"), "'abc'");
        assert_eq!(str_repr("it's"), "\"it's\"");
        assert_eq!(str_repr("'\""), "'\\'\"'");
        assert_eq!(str_repr("a\\b\n\t\r"), "'a\\\\b\\n\\t\\r'");
        assert_eq!(str_repr("\u{1}\u{7f}é"), "'\\x01\\x7fé'");
    }
}
