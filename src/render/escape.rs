//! Escaping for HTML text and attribute values, and the URI schemes that
//! must never become live links.

/// Bytes looked at per step when skipping text that needs no escaping. A
/// fixed-size block whose test has no early exit compiles to a handful of
/// vector compares, so plain prose costs well under one instruction a byte
/// instead of a compare-and-branch per byte.
const BLOCK: usize = 16;

/// The replacement of a byte that HTML text or a double- or single-quoted
/// attribute value cannot hold as is.
const fn replacement(b: u8) -> Option<&'static str> {
    match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'"' => Some("&quot;"),
        b'\'' => Some("&#39;"),
        _ => None,
    }
}

/// Whether [`replacement`] rewrites a byte, as a table.
static ESCAPED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = replacement(b as u8).is_some();
        b += 1;
    }
    table
};

/// Whether `block` holds a byte [`replacement`] rewrites. Written without
/// short-circuits so that it vectorises.
fn needs_escape(block: &[u8; BLOCK]) -> bool {
    let mut found = false;
    for &b in block {
        found |= (b == b'&') | (b == b'<') | (b == b'>') | (b == b'"') | (b == b'\'');
    }
    found
}

/// Escapes text for HTML content and (double-quoted) attribute values.
/// Copies unescaped runs in one go and skips clean blocks of [`BLOCK`]
/// bytes at a time (the short last one padded): this runs over every
/// byte of every page, mostly in short text nodes and highlighted tokens.
pub fn escape_into(text: &str, out: &mut String) {
    let bytes = text.as_bytes();
    // Most calls are short highlighted tokens and text nodes with nothing
    // to escape: one table look-up a byte, then a single copy.
    if bytes.len() < BLOCK && !bytes.iter().any(|&b| ESCAPED[usize::from(b)]) {
        out.push_str(text);
        return;
    }
    out.reserve(bytes.len());
    let mut last = 0;
    for (n, chunk) in bytes.chunks(BLOCK).enumerate() {
        let dirty = match chunk.try_into() {
            Ok(block) => needs_escape(block),
            // A few bytes are quicker to look at than to pad.
            Err(_) if chunk.len() < 8 => chunk.iter().any(|&b| replacement(b).is_some()),
            Err(_) => {
                // Padded with NULs, which are never escaped.
                let mut block = [0; BLOCK];
                block[..chunk.len()].copy_from_slice(chunk);
                needs_escape(&block)
            }
        };
        if !dirty {
            continue;
        }
        for (k, &b) in chunk.iter().enumerate() {
            if replacement(b).is_none() {
                continue;
            }
            let j = n * BLOCK + k;
            // `j` is at an ASCII byte, so both slices end on char boundaries.
            if last < j {
                out.push_str(&text[last..j]);
            }
            push_replacement(b, out);
            last = j + 1;
        }
    }
    out.push_str(&text[last..]);
}

/// Appends [`replacement`] of `b`, each arm a constant the compiler copies
/// in place instead of calling `memcpy`.
fn push_replacement(b: u8, out: &mut String) {
    match b {
        b'&' => out.push_str("&amp;"),
        b'<' => out.push_str("&lt;"),
        b'>' => out.push_str("&gt;"),
        b'"' => out.push_str("&quot;"),
        b'\'' => out.push_str("&#39;"),
        _ => {}
    }
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

    /// The byte-at-a-time definition the block skipping must agree with.
    fn escape_slowly(text: &str) -> String {
        let mut out = String::new();
        for c in text.chars() {
            match u8::try_from(c).ok().and_then(replacement) {
                Some(rep) => out.push_str(rep),
                None => out.push(c),
            }
        }
        out
    }

    #[test]
    fn block_skipping_agrees_with_bytewise_escaping_at_every_position() {
        // Every special byte at every offset of texts around the block
        // size, among multi-byte characters and plain ASCII.
        for len in 0..(3 * BLOCK + 3) {
            for at in 0..len.max(1) {
                for special in ['&', '<', '>', '"', '\'', 'é', 'x'] {
                    let text: String = (0..len)
                        .map(|k| {
                            if k == at {
                                special
                            } else if k % 7 == 3 {
                                '✓'
                            } else {
                                'a'
                            }
                        })
                        .collect();
                    assert_eq!(escape(&text), escape_slowly(&text), "{text:?}");
                }
            }
        }
        let dense = "<&>\"'".repeat(20);
        assert_eq!(escape(&dense), escape_slowly(&dense));
    }
}
