//! Escaping for HTML text and attribute values, and the URI schemes that
//! must never become live links.

/// Escapes text for HTML content and (double-quoted) attribute values.
/// Copies unescaped runs in one go: this runs over every byte of every page.
pub fn escape_into(text: &str, out: &mut String) {
    let mut last = 0;
    for (i, b) in text.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&text[last..]);
}

/// Escaped copy of `text`.
pub fn escape(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    escape_into(text, &mut s);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
        assert_eq!(escape("été ✓"), "été ✓");
    }
}
