//! A fast highlighter for XML, the language of nearly every example in a
//! libvirt knowledge base.
//!
//! syntect's XML grammar tries each of its regular expressions at every
//! position; on libvirt's pages that was a third of a whole build. XML's
//! lexical structure is small (tags, attributes, quoted values, comments,
//! declarations, entity references), so it is tokenised here directly, in
//! one pass over the bytes, into the same Pygments classes syntect's
//! scopes map to ([`crate::render::highlight::TOKEN_CLASSES`]). It never fails:
//! examples with elisions (`...`) or mistakes are highlighted as far as
//! they make sense and the rest is plain text.

/// Calls `token(text, class)` for consecutive pieces of `code` that
/// together are exactly `code`.
pub fn tokens(code: &str, mut token: impl FnMut(&str, Option<&'static str>)) {
    let b = code.as_bytes();
    let mut i = 0;
    let mut text_start = 0;
    // Flushes plain text before a token starting at `at`.
    let flush =
        |text_start: &mut usize, at: usize, token: &mut dyn FnMut(&str, Option<&'static str>)| {
            if *text_start < at {
                token(&code[*text_start..at], None);
            }
        };
    while i < b.len() {
        match b[i] {
            b'<' => {
                let rest = &b[i..];
                let (end, class) = if rest.starts_with(b"<!--") {
                    (find_after(b, i + 4, b"-->"), "c")
                } else if rest.starts_with(b"<![CDATA[") {
                    (find_after(b, i + 9, b"]]>"), "s")
                } else if rest.starts_with(b"<?") {
                    (find_after(b, i + 2, b"?>"), "cp")
                } else if rest.starts_with(b"<!") {
                    (find_after(b, i + 2, b">"), "cp")
                } else if is_tag_start(rest) {
                    flush(&mut text_start, i, &mut token);
                    i = tag(code, i, &mut token);
                    text_start = i;
                    continue;
                } else {
                    i += 1;
                    continue;
                };
                flush(&mut text_start, i, &mut token);
                token(&code[i..end], Some(class));
                i = end;
                text_start = i;
            }
            b'&' => {
                let end = entity_end(b, i);
                if end > i {
                    flush(&mut text_start, i, &mut token);
                    token(&code[i..end], Some("ni"));
                    i = end;
                    text_start = i;
                } else {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    flush(&mut text_start, b.len(), &mut token);
}

/// `<name` or `</name`.
fn is_tag_start(rest: &[u8]) -> bool {
    let name = if rest.get(1) == Some(&b'/') { 2 } else { 1 };
    rest.get(name).is_some_and(|&c| is_name_start(c))
}

/// ASCII letters, `_`, `:` and any non-ASCII byte (names may be Unicode).
fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c == b':' || c >= 0x80
}

fn is_name_char(c: u8) -> bool {
    is_name_start(c) || c.is_ascii_digit() || c == b'-' || c == b'.'
}

/// Index just past the first `needle` at or after `from`, or the end.
fn find_after(b: &[u8], from: usize, needle: &[u8]) -> usize {
    b.get(from..)
        .and_then(|rest| rest.windows(needle.len()).position(|w| w == needle))
        .map_or(b.len(), |p| from + p + needle.len())
}

/// End of an entity reference (`&amp;`, `&#10;`, `&#x1F;`) at `i`, or `i`.
fn entity_end(b: &[u8], i: usize) -> usize {
    let mut j = i + 1;
    if b.get(j) == Some(&b'#') {
        j += 1;
    }
    let start = j;
    while j < b.len()
        && (b[j].is_ascii_alphanumeric() || b[j] == b'_' || b[j] == b'-' || b[j] == b'.')
    {
        j += 1;
    }
    if j > start && b.get(j) == Some(&b';') {
        j + 1
    } else {
        i
    }
}

/// A start or end tag at `i` (`<` then a name): the name, attributes and
/// values, up to and including `>` or `/>` (or the end of the text, for a
/// tag an elision cut short). Returns the index after it.
fn tag(code: &str, i: usize, token: &mut impl FnMut(&str, Option<&'static str>)) -> usize {
    let b = code.as_bytes();
    let mut j = i + 1;
    if b.get(j) == Some(&b'/') {
        j += 1;
    }
    while j < b.len() && is_name_char(b[j]) {
        j += 1;
    }
    token(&code[i..j], Some("nt"));
    loop {
        let start = j;
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        if j > start {
            token(&code[start..j], None);
        }
        let Some(&c) = b.get(j) else {
            return j;
        };
        match c {
            b'>' => {
                token(&code[j..j + 1], Some("nt"));
                return j + 1;
            }
            b'/' if b.get(j + 1) == Some(&b'>') => {
                token(&code[j..j + 2], Some("nt"));
                return j + 2;
            }
            b'"' | b'\'' => {
                // Unterminated values end at the end of the text.
                let end = b[j + 1..]
                    .iter()
                    .position(|&q| q == c)
                    .map_or(b.len(), |p| j + 1 + p + 1);
                token(&code[j..end], Some("s"));
                j = end;
            }
            c if is_name_start(c) => {
                let start = j;
                while j < b.len() && is_name_char(b[j]) {
                    j += 1;
                }
                token(&code[start..j], Some("na"));
            }
            // `<` cannot appear in a tag: it starts the next one.
            b'<' => return j,
            _ => {
                // `=`, stray punctuation: plain, one character.
                let len = code[j..].chars().next().map_or(1, char::len_utf8);
                token(&code[j..j + len], None);
                j += len;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes(code: &str) -> Vec<(String, Option<&'static str>)> {
        let mut out = Vec::new();
        tokens(code, |t, c| out.push((t.to_string(), c)));
        assert_eq!(
            out.iter().map(|(t, _)| t.as_str()).collect::<String>(),
            code
        );
        out.retain(|(t, _)| !t.trim().is_empty());
        out
    }

    #[test]
    fn tags_attributes_values_and_entities() {
        let got = classes("<qemu:arg value='-newarg'/> a &amp; b</x>");
        let want: Vec<(&str, Option<&str>)> = vec![
            ("<qemu:arg", Some("nt")),
            ("value", Some("na")),
            ("=", None),
            ("'-newarg'", Some("s")),
            ("/>", Some("nt")),
            (" a ", None),
            ("&amp;", Some("ni")),
            (" b", None),
            ("</x", Some("nt")),
            (">", Some("nt")),
        ];
        let got: Vec<(&str, Option<&str>)> = got.iter().map(|(t, c)| (t.as_str(), *c)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn comments_declarations_and_cdata() {
        let got = classes("<?xml version='1.0'?><!-- a <b> --><![CDATA[<x>]]><!DOCTYPE d>");
        let kinds: Vec<Option<&str>> = got.iter().map(|(_, c)| *c).collect();
        assert_eq!(kinds, vec![Some("cp"), Some("c"), Some("s"), Some("cp")]);
    }

    #[test]
    fn elisions_and_broken_markup_stay_text() {
        for code in [
            "...\n<a>\n  ...\n</a>",
            "<a b='unterminated",
            "<a <b>",
            "a < b && c > d",
            "<",
            "&",
            "&#;",
            "<é attr=\"ü\">",
            "</",
            "<!--",
        ] {
            classes(code);
        }
        assert_eq!(classes("a < b")[0].1, None);
    }

    #[test]
    fn any_mix_of_xml_pieces_is_tokenised_losslessly() {
        const PIECES: &[&str] = &[
            "<",
            ">",
            "/",
            "/>",
            "</",
            "a",
            "qemu:arg",
            " ",
            "\n",
            "=",
            "'",
            "\"",
            "&",
            ";",
            "&amp;",
            "#",
            "<!--",
            "-->",
            "<?",
            "?>",
            "<![CDATA[",
            "]]>",
            "<!",
            "é",
            "…",
            "...",
        ];
        let n = PIECES.len();
        for len in 1..=3u32 {
            for mut code in 0..n.pow(len) {
                let mut text = String::new();
                for _ in 0..len {
                    text.push_str(PIECES[code % n]);
                    code /= n;
                }
                classes(&text);
            }
        }
        // Longer mixes from a fixed linear congruential sequence.
        let mut x = 12345u64;
        for _ in 0..2000 {
            let mut text = String::new();
            for _ in 0..12 {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(PIECES[(x >> 33) as usize % n]);
            }
            classes(&text);
        }
    }
}
