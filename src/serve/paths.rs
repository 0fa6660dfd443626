//! Mapping request paths to files, safely, and their content types.
//!
//! The preview must never serve a file outside the output folder, whatever
//! the request looks like: each segment is percent-decoded on its own (so
//! `%2f` cannot smuggle a separator), `..`, NUL, backslashes and drive
//! letters are refused, and the final path is canonicalised and checked to
//! stay under the canonical output root, which also catches symlinks
//! pointing out of it.

use std::path::{Path, PathBuf};

/// Decodes a URL path (query and fragment already removed, leading `/`
/// included) into safe segments; `None` when the path is unacceptable.
pub fn safe_segments(url_path: &str) -> Option<Vec<String>> {
    let rest = url_path.strip_prefix('/')?;
    let mut out = Vec::new();
    for raw in rest.split('/') {
        let seg = percent_decode(raw)?;
        if seg.contains(['/', '\\', '\0', ':']) || seg == ".." || seg.starts_with('.') && seg != "."
        {
            return None;
        }
        if !seg.is_empty() && seg != "." {
            out.push(seg);
        }
    }
    Some(out)
}

/// Strict percent-decoding: malformed escapes and invalid UTF-8 are refused.
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            // Checked by hand: `from_str_radix` would also accept a sign (`%+f`).
            let digit = |b: u8| (b as char).to_digit(16);
            out.push((digit(hex[0])? * 16 + digit(hex[1])?) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The file a request path names under the canonical `root`, following a
/// folder to its `index.html`; `None` for anything missing or outside.
pub fn resolve(root: &Path, url_path: &str) -> Option<PathBuf> {
    let segments = safe_segments(url_path)?;
    let mut path = root.to_path_buf();
    path.extend(&segments);
    let path = path.canonicalize().ok()?;
    if !path.starts_with(root) {
        return None;
    }
    if path.is_dir() {
        let index = path.join("index.html").canonicalize().ok()?;
        return (index.starts_with(root) && index.is_file()).then_some(index);
    }
    path.is_file().then_some(path)
}

/// Content type by file extension; unknown types are sent as bytes.
pub fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "xml" | "rng" | "xsd" => "application/xml",
        "txt" | "rst" | "md" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_paths_are_refused() {
        for bad in [
            "/../etc/passwd",
            "/a/../../x",
            "/%2e%2e/x",
            "/%2E%2E/x",
            "/a%2f..%2f..%2fx",
            "/a%2Fb",
            "/a%5cb",
            "/a\\b",
            "/a%00b",
            "/c:/x",
            "/%zz",
            "/%+f",
            "/%2",
            "/%e9",
            "/.kbgen-output",
            "relative",
        ] {
            assert_eq!(safe_segments(bad), None, "{bad}");
        }
    }

    #[test]
    fn normal_paths_decode() {
        assert_eq!(safe_segments("/").unwrap(), Vec::<String>::new());
        assert_eq!(
            safe_segments("/kbase/a%20b.html").unwrap(),
            vec!["kbase", "a b.html"]
        );
        assert_eq!(safe_segments("//a/./b/").unwrap(), vec!["a", "b"]);
        assert_eq!(
            safe_segments("/%C3%A9t%C3%A9.html").unwrap(),
            vec!["été.html"]
        );
    }

    #[test]
    fn content_types() {
        assert_eq!(
            content_type(Path::new("a.HTML")),
            "text/html; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("f.woff2")), "font/woff2");
        assert_eq!(content_type(Path::new("x.svg")), "image/svg+xml");
        assert_eq!(content_type(Path::new("noext")), "application/octet-stream");
    }
}
