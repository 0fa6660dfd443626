//! Facts about URLs that several stages need: whether following one runs
//! code, and whether it leaves the site. One rule each, so the link checker
//! that warns and the HTML writer that refuses agree.

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

/// Whether a URL leaves the site (has a scheme or is protocol-relative).
pub fn is_external(url: &str) -> bool {
    if url.starts_with("//") {
        return true;
    }
    match url.find(':') {
        Some(i) => {
            let scheme = &url[..i];
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dangerous_schemes_are_caught_despite_obfuscation() {
        for uri in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "java\nscript:alert(1)",
            "jav\tascript:x",
            "\u{1}javascript:x",
            "VBSCRIPT:x",
            "data:text/html,x",
        ] {
            assert!(is_dangerous_uri(uri), "{uri:?}");
        }
        for uri in [
            "https://x",
            "page.html#javascript:",
            "mailto:a@b",
            "javascript",
        ] {
            assert!(!is_dangerous_uri(uri), "{uri:?}");
        }
    }

    #[test]
    fn external_urls_have_a_scheme() {
        assert!(is_external("https://example.org"));
        assert!(is_external("//cdn.example.org/x.js"));
        assert!(is_external("mailto:a@b"));
        assert!(!is_external("a/b.html"));
        assert!(!is_external("1x:y"));
        assert!(!is_external("#frag:x"));
        assert!(!is_external("x.html#a:b"));
    }
}
