//! JSON string escaping, byte for byte as `serde_json` writes strings, so
//! text set aside already escaped ([`super::spill`]) is copied into the
//! index as it is: no escaping and no UTF-8 check when the index is written.

/// Appends `s` as the inside of a JSON string, escaped as `serde_json`
/// escapes: `"` and `\` get a backslash, the control characters
/// U+0000–U+001F become `\b`, `\t`, `\n`, `\f`, `\r` or `\u00xx` (hex in
/// lower case), and everything else (U+007F and non-ASCII included) is
/// copied. Text without any of those, nearly all, is checked eight bytes
/// at a time and copied in one piece.
pub(super) fn escape_into(out: &mut Vec<u8>, s: &str) {
    let b = s.as_bytes();
    out.reserve(b.len());
    let mut copied = 0;
    let mut i = 0;
    while i < b.len() {
        if let Some(eight) = b.get(i..i + 8) {
            let x = u64::from_le_bytes(eight.try_into().unwrap_or([0; 8]));
            if !any_to_escape(x) {
                i += 8;
                continue;
            }
        }
        let end = (i + 8).min(b.len());
        for (at, &c) in b.iter().enumerate().take(end).skip(i) {
            if let Some(escape) = escape_of(c) {
                out.extend_from_slice(&b[copied..at]);
                escape.write(out);
                copied = at + 1;
            }
        }
        i = end;
    }
    out.extend_from_slice(&b[copied..]);
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// Whether any of the eight bytes of `x` is below 0x20, `"` or `\`. Each
/// test is the classic exact "some byte is zero / below n" bit trick.
#[inline]
fn any_to_escape(x: u64) -> bool {
    let below_space = x.wrapping_sub(0x20 * ONES) & !x & HIGH;
    let quote = x ^ (u64::from(b'"') * ONES);
    let backslash = x ^ (u64::from(b'\\') * ONES);
    let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    (below_space | zero(quote) | zero(backslash)) != 0
}

/// How one byte is escaped.
enum Escape {
    /// A backslash and this letter (or the byte itself: `"`, `\`).
    Short(u8),
    /// `\u00` and two hex digits.
    Unicode(u8),
}

impl Escape {
    fn write(self, out: &mut Vec<u8>) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        match self {
            Escape::Short(c) => out.extend_from_slice(&[b'\\', c]),
            Escape::Unicode(c) => out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(c >> 4)],
                HEX[usize::from(c & 0xf)],
            ]),
        }
    }
}

fn escape_of(c: u8) -> Option<Escape> {
    Some(match c {
        b'"' | b'\\' => Escape::Short(c),
        0x08 => Escape::Short(b'b'),
        b'\t' => Escape::Short(b't'),
        b'\n' => Escape::Short(b'n'),
        0x0c => Escape::Short(b'f'),
        b'\r' => Escape::Short(b'r'),
        0..0x20 => Escape::Unicode(c),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every ASCII character, alone and at every position of a longer
    /// text (inside and across the eight-byte steps), and non-ASCII text,
    /// escape as `serde_json` escapes them.
    #[test]
    fn strings_escape_as_serde_json_escapes_them() {
        let mut texts: Vec<String> = (0u8..0x80).map(|c| char::from(c).to_string()).collect();
        for c in 0u8..0x80 {
            for at in [0, 3, 7, 8, 9, 15, 16, 20] {
                let mut t: Vec<char> = "plain text, longer than sixteen".chars().collect();
                t.insert(at, char::from(c));
                texts.push(t.into_iter().collect());
            }
        }
        texts.push("é \u{7f} \u{2028} 日本語 \"quoted\" back\\slash\ttab\u{1}".into());
        texts.push(String::new());
        for text in texts {
            let mut out = Vec::new();
            escape_into(&mut out, &text);
            let expected = serde_json::to_string(&text).unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                expected[1..expected.len() - 1],
                "{text:?}"
            );
        }
    }
}
