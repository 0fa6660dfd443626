//! The text encodings `include :encoding:` (and `csv-table`, `raw`) may
//! name: the few that documentation files are written in, decoded here
//! rather than through a codec library. A name kbgen does not know is the
//! option error docutils gives for a name Python does not know.

/// An encoding of an included file, under any of Python's names for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    /// UTF-8 whose byte order mark, if any, is dropped (`utf-8-sig`).
    Utf8Sig,
    Ascii,
    Latin1,
    /// UTF-16 in the order its byte order mark gives (little-endian
    /// without one, as Python on every platform kbgen runs on).
    Utf16,
    Utf16Le,
    Utf16Be,
}

impl TextEncoding {
    /// The encoding Python's `codecs.lookup` finds for `name` (case,
    /// `-`/`_`/space insensitive), among those kbgen has.
    pub fn from_name(name: &str) -> Option<TextEncoding> {
        let key: String = name
            .trim()
            .to_ascii_lowercase()
            .chars()
            .map(|c| if c == '_' || c == ' ' { '-' } else { c })
            .collect();
        Some(match key.as_str() {
            "utf-8" | "utf8" | "u8" | "utf" | "cp65001" => TextEncoding::Utf8,
            "utf-8-sig" | "utf8-sig" => TextEncoding::Utf8Sig,
            "ascii" | "us-ascii" | "646" | "us" => TextEncoding::Ascii,
            "latin-1" | "latin1" | "latin" | "l1" | "iso-8859-1" | "iso8859-1" | "8859"
            | "cp819" | "iso-ir-100" => TextEncoding::Latin1,
            "utf-16" | "utf16" | "u16" => TextEncoding::Utf16,
            "utf-16-le" | "utf-16le" | "utf16le" => TextEncoding::Utf16Le,
            "utf-16-be" | "utf-16be" | "utf16be" => TextEncoding::Utf16Be,
            _ => return None,
        })
    }

    /// Python's name of the codec, as its error messages give it.
    fn python_name(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "utf-8",
            TextEncoding::Utf8Sig => "utf-8-sig",
            TextEncoding::Ascii => "ascii",
            TextEncoding::Latin1 => "latin-1",
            TextEncoding::Utf16 => "utf-16",
            TextEncoding::Utf16Le => "utf-16-le",
            TextEncoding::Utf16Be => "utf-16-be",
        }
    }

    /// The text of `bytes`, or Python's `UnicodeDecodeError` text for the
    /// first byte that cannot be decoded.
    pub fn decode(self, bytes: &[u8]) -> Result<String, String> {
        let error = |position: usize, reason: &str| {
            format!(
                "UnicodeDecodeError: '{}' codec can't decode byte 0x{:02x} in position {position}: {reason}",
                self.python_name(),
                bytes.get(position).copied().unwrap_or(0)
            )
        };
        match self {
            TextEncoding::Utf8 | TextEncoding::Utf8Sig => {
                let bytes = match self {
                    TextEncoding::Utf8Sig => bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes),
                    _ => bytes,
                };
                String::from_utf8(bytes.to_vec()).map_err(|e| {
                    let at = e.utf8_error().valid_up_to();
                    let reason = if e.utf8_error().error_len().is_none() {
                        "unexpected end of data"
                    } else if bytes
                        .get(at)
                        .is_some_and(|&b| (0x80..0xc2).contains(&b) || b > 0xf4)
                    {
                        "invalid start byte"
                    } else {
                        "invalid continuation byte"
                    };
                    error(at, reason)
                })
            }
            TextEncoding::Ascii => match bytes.iter().position(|&b| b >= 0x80) {
                Some(at) => Err(error(at, "ordinal not in range(128)")),
                None => Ok(bytes.iter().map(|&b| char::from(b)).collect()),
            },
            TextEncoding::Latin1 => Ok(bytes.iter().map(|&b| char::from(b)).collect()),
            TextEncoding::Utf16 | TextEncoding::Utf16Le | TextEncoding::Utf16Be => {
                let (big_endian, body) = match (self, bytes) {
                    (TextEncoding::Utf16, [0xff, 0xfe, rest @ ..]) => (false, rest),
                    (TextEncoding::Utf16, [0xfe, 0xff, rest @ ..]) => (true, rest),
                    (TextEncoding::Utf16Be, _) => (true, bytes),
                    _ => (false, bytes),
                };
                let skipped = bytes.len() - body.len();
                let units = body.chunks(2).map(|pair| match pair {
                    [a, b] if big_endian => u16::from_be_bytes([*a, *b]),
                    [a, b] => u16::from_le_bytes([*a, *b]),
                    _ => 0xdc00, // an odd last byte: reported below
                });
                let mut text = String::with_capacity(body.len() / 2);
                for (k, unit) in char::decode_utf16(units).enumerate() {
                    match unit {
                        Ok(c) => text.push(c),
                        Err(_) if body.len() % 2 == 1 && k == body.len() / 2 => {
                            return Err(error(skipped + body.len() - 1, "truncated data"));
                        }
                        Err(_) => {
                            return Err(error(skipped + 2 * k, "illegal encoding"));
                        }
                    }
                }
                Ok(text)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_looked_up_as_python_does() {
        assert_eq!(
            TextEncoding::from_name("Latin_1"),
            Some(TextEncoding::Latin1)
        );
        assert_eq!(TextEncoding::from_name("UTF-16"), Some(TextEncoding::Utf16));
        assert_eq!(TextEncoding::from_name("utf8"), Some(TextEncoding::Utf8));
        assert_eq!(TextEncoding::from_name("klingon"), None);
    }

    #[test]
    fn bytes_decode_or_give_pythons_error() {
        let sig = b"\xff\xfeG\x00r\x00\xfc\x00";
        assert_eq!(TextEncoding::Utf16.decode(sig).as_deref(), Ok("Gr\u{fc}"));
        assert_eq!(TextEncoding::Utf16Be.decode(b"\x00G").as_deref(), Ok("G"));
        assert_eq!(
            TextEncoding::Latin1.decode(b"Gr\xfc\xdfe").as_deref(),
            Ok("Grüße")
        );
        assert_eq!(
            TextEncoding::Ascii.decode(sig).unwrap_err(),
            "UnicodeDecodeError: 'ascii' codec can't decode byte 0xff in position 0: ordinal not in range(128)"
        );
        assert_eq!(
            TextEncoding::Utf8.decode(b"ab\xfc").unwrap_err(),
            "UnicodeDecodeError: 'utf-8' codec can't decode byte 0xfc in position 2: invalid start byte"
        );
        assert_eq!(
            TextEncoding::Utf8Sig.decode(b"\xef\xbb\xbfx").as_deref(),
            Ok("x")
        );
    }
}
