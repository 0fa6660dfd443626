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

/// Whether `uri` uses a scheme that runs code or smuggles content when
/// followed (`javascript:`, `vbscript:`, `data:`). Browsers ignore ASCII
/// whitespace and control characters inside the scheme and compare it
/// case-insensitively, so this does too.
pub fn is_dangerous_uri(uri: &str) -> bool {
    let mut scheme = String::with_capacity(12);
    for c in uri.chars() {
        if c == ':' {
            break;
        }
        if c.is_ascii_control() || c == ' ' {
            continue;
        }
        if scheme.len() >= 10 {
            return false;
        }
        scheme.push(c.to_ascii_lowercase());
    }
    uri.contains(':') && matches!(scheme.as_str(), "javascript" | "vbscript" | "data")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
        assert_eq!(escape("été ✓"), "été ✓");
    }

    #[test]
    fn dangerous_schemes_are_caught_despite_obfuscation() {
        for uri in [
            "javascript:alert(1)",
            "JaVaScRiPt:x",
            " java\tscript:x",
            "\u{1}javascript:x",
            "vbscript:x",
            "data:text/html,x",
        ] {
            assert!(is_dangerous_uri(uri), "{uri:?}");
        }
        for uri in [
            "https://x.org/javascript:",
            "page.html",
            "#javascript",
            "mailto:a@b",
            "./data:x",
        ] {
            assert!(!is_dangerous_uri(uri), "{uri:?}");
        }
    }
}
