//! Turns an example as written in a page into a well-formed XML document
//! when the only things "wrong" with it are documentation conventions:
//!
//! - elision lines (`...`, `[...]`, `....` alone on a line) are blanked;
//! - `...` where attributes go in a start tag (`<disk ...>`) is blanked;
//! - elements still open at the end of the block are closed implicitly;
//! - a fragment with several top-level elements is wrapped in a dummy root.
//!
//! Elisions are blanked with spaces rather than removed so every byte of
//! the block keeps its offset: diagnostics map straight back to the page.
//! End tags that match nothing are left alone: they are real mistakes and
//! roxmltree reports them. Everything here is a single linear scan.

/// Name of the dummy root wrapped around multi-root fragments.
pub const WRAPPER: &str = "kbgen-fragment";

/// A prepared example: `text` is what gets parsed.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub text: String,
    /// Where the wrapper's start tag was inserted, and its length.
    insert_at: usize,
    insert_len: usize,
    /// Length of the block's own text (after the insertion, before the suffix).
    body_len: usize,
    /// Elisions blanked (lines and in-tag `...`).
    pub elisions: usize,
    /// Elements closed implicitly at the end.
    pub implicit_closes: usize,
    pub wrapped: bool,
}

impl Prepared {
    /// A standalone file: parsed exactly as it is.
    pub fn plain(text: &str) -> Prepared {
        Prepared {
            text: text.to_string(),
            insert_at: 0,
            insert_len: 0,
            body_len: text.len(),
            elisions: 0,
            implicit_closes: 0,
            wrapped: false,
        }
    }

    /// Maps an offset in `text` back to an offset in the block's own text.
    /// Offsets inside inserted markup map to where it was inserted.
    pub fn body_offset(&self, pre: usize) -> usize {
        if pre < self.insert_at {
            pre
        } else if pre < self.insert_at + self.insert_len {
            self.insert_at
        } else {
            (pre - self.insert_len).min(self.body_len)
        }
    }
}

/// True for a line that only stands for omitted content.
pub fn is_elision_line(line: &str) -> bool {
    matches!(line.trim(), "..." | "[...]" | "....")
}

pub fn prepare(block: &str) -> Prepared {
    let mut bytes = block.as_bytes().to_vec();
    let mut elisions = 0;
    let mut start = 0;
    for line in block.split('\n') {
        if is_elision_line(line) {
            for b in &mut bytes[start..start + line.len()] {
                if !b.is_ascii_whitespace() {
                    *b = b' ';
                }
            }
            elisions += 1;
        }
        start += line.len() + 1;
    }
    let scan = scan(&mut bytes);
    elisions += scan.tag_elisions;
    // Only ASCII `.`, `[`, `]` were replaced by spaces: still valid UTF-8.
    let body = String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    let wrap = scan.top_level > 1;
    let close = !scan.broken;
    let mut text = String::with_capacity(body.len() + 64);
    let (insert_at, insert_len) = if wrap {
        (scan.prolog_end, WRAPPER.len() + 2)
    } else {
        (0, 0)
    };
    text.push_str(&body[..insert_at]);
    if wrap {
        text.push('<');
        text.push_str(WRAPPER);
        text.push('>');
    }
    text.push_str(&body[insert_at..]);
    let mut implicit_closes = 0;
    if close {
        for name in scan.open.iter().rev() {
            text.push_str("</");
            // A name ends at an ASCII byte, so it is whole characters.
            text.push_str(body.get(name.clone()).unwrap_or_default());
            text.push('>');
            implicit_closes += 1;
        }
    }
    if wrap {
        text.push_str("</");
        text.push_str(WRAPPER);
        text.push('>');
    }
    Prepared {
        text,
        insert_at,
        insert_len,
        body_len: body.len(),
        elisions,
        implicit_closes,
        wrapped: wrap,
    }
}

#[derive(Debug, Default)]
struct Scan {
    /// Names of the open elements, as byte ranges of the block (no
    /// `String` a tag: a scan runs over every example of every page).
    open: Vec<std::ops::Range<usize>>,
    top_level: usize,
    prolog_end: usize,
    tag_elisions: usize,
    /// The block ends inside markup or has a mismatched end tag: closing
    /// elements would not help, roxmltree's own error is the right one.
    broken: bool,
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

fn is_name_byte(b: u8) -> bool {
    !(b.is_ascii_whitespace() || matches!(b, b'>' | b'/' | b'=' | b'"' | b'\'' | b'<'))
}

fn read_name(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && is_name_byte(bytes[i]) {
        i += 1;
    }
    i
}

fn skip_ws(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// One pass over the markup: tracks open elements, counts top-level
/// elements, finds the end of the prolog, and blanks `...` in attribute
/// position.
fn scan(bytes: &mut [u8]) -> Scan {
    let mut s = Scan::default();
    let mut i = 0;
    let n = bytes.len();
    while let Some(lt) = bytes[i..].iter().position(|&b| b == b'<').map(|p| p + i) {
        let rest = &bytes[lt..];
        if rest.starts_with(b"<!--") {
            match find(bytes, lt + 4, b"-->") {
                Some(e) => i = e + 3,
                None => return broken(s),
            }
        } else if rest.starts_with(b"<![CDATA[") {
            match find(bytes, lt + 9, b"]]>") {
                Some(e) => i = e + 3,
                None => return broken(s),
            }
        } else if rest.starts_with(b"<?") {
            match find(bytes, lt + 2, b"?>") {
                Some(e) => {
                    i = e + 2;
                    if s.top_level == 0 {
                        s.prolog_end = i;
                    }
                }
                None => return broken(s),
            }
        } else if rest.starts_with(b"<!") {
            // DOCTYPE, with an optional internal subset in brackets.
            let mut j = lt + 2;
            let mut depth = 0i32;
            let end = loop {
                match bytes.get(j) {
                    None => return broken(s),
                    Some(b'[') => depth += 1,
                    Some(b']') => depth -= 1,
                    Some(b'>') if depth <= 0 => break j,
                    _ => {}
                }
                j += 1;
            };
            i = end + 1;
            if s.top_level == 0 {
                s.prolog_end = i;
            }
        } else if rest.starts_with(b"</") {
            let name_end = read_name(bytes, lt + 2);
            let name = &bytes[lt + 2..name_end];
            match s.open.last() {
                Some(top) if bytes[top.clone()] == *name => {
                    s.open.pop();
                }
                _ => s.broken = true,
            }
            match bytes[name_end..].iter().position(|&b| b == b'>') {
                Some(p) => i = name_end + p + 1,
                None => return broken(s),
            }
        } else if rest.len() > 1 && is_name_byte(rest[1]) {
            let name_end = read_name(bytes, lt + 1);
            let name = lt + 1..name_end;
            if s.open.is_empty() {
                s.top_level += 1;
            }
            let mut j = name_end;
            loop {
                j = skip_ws(bytes, j);
                if j >= n {
                    return broken(s);
                }
                if bytes[j..].starts_with(b"/>") {
                    i = j + 2;
                    break;
                }
                if bytes[j] == b'>' {
                    s.open.push(name);
                    i = j + 1;
                    break;
                }
                if bytes[j..].starts_with(b"...") {
                    while j < n && bytes[j] == b'.' {
                        bytes[j] = b' ';
                        j += 1;
                    }
                    s.tag_elisions += 1;
                    continue;
                }
                // An attribute: name, `=`, quoted value.
                let attr_end = read_name(bytes, j);
                let eq = skip_ws(bytes, attr_end);
                let q = skip_ws(bytes, eq + 1);
                if attr_end == j
                    || bytes.get(eq) != Some(&b'=')
                    || !matches!(bytes.get(q), Some(b'"' | b'\''))
                {
                    // Not something this scan understands: let the parser say what.
                    s.broken = true;
                    i = j + 1;
                    break;
                }
                let quote = bytes[q];
                match bytes[q + 1..].iter().position(|&b| b == quote) {
                    Some(p) => j = q + 1 + p + 1,
                    None => return broken(s),
                }
            }
        } else {
            i = lt + 1;
        }
    }
    s
}

fn broken(mut s: Scan) -> Scan {
    s.broken = true;
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elision_lines_are_blanked_in_place() {
        let p = prepare("...\n<a>\n  [...]\n</a>\n....");
        assert_eq!(p.text, "   \n<a>\n       \n</a>\n    ");
        assert_eq!(p.elisions, 3);
        assert!(!p.wrapped);
    }

    #[test]
    fn dots_in_place_of_attributes_are_blanked() {
        let p = prepare("<graphics type='vnc' ...>\n</graphics>");
        assert_eq!(p.text, "<graphics type='vnc'    >\n</graphics>");
        let p = prepare("<forward .../>");
        assert_eq!(p.text, "<forward    />");
        assert_eq!(p.elisions, 1);
    }

    #[test]
    fn open_elements_are_closed_and_fragments_wrapped() {
        let p = prepare("<domain>\n  <name>x</name>\n");
        assert_eq!(p.text, "<domain>\n  <name>x</name>\n</domain>");
        assert_eq!(p.implicit_closes, 1);
        let p = prepare("<a/>\n<b>");
        assert_eq!(p.text, "<kbgen-fragment><a/>\n<b></b></kbgen-fragment>");
        assert_eq!(p.body_offset(16), 0);
        assert_eq!(p.body_offset(0), 0);
        assert_eq!(p.body_offset(21), 5);
    }

    #[test]
    fn wrapper_goes_after_the_prolog() {
        let p = prepare("<?xml version='1.0'?>\n<!DOCTYPE x [<!ELEMENT x ANY>]>\n<a/><b/>");
        assert!(
            p.text.starts_with(
                "<?xml version='1.0'?>\n<!DOCTYPE x [<!ELEMENT x ANY>]><kbgen-fragment>"
            ),
            "{}",
            p.text
        );
    }

    #[test]
    fn dangling_and_mismatched_end_tags_are_not_repaired() {
        let p = prepare("<a>\n</b>");
        assert_eq!(p.text, "<a>\n</b>");
        let p = prepare("<a/>\n</domain>");
        assert_eq!(p.text, "<a/>\n</domain>");
    }

    #[test]
    fn comments_and_attribute_values_do_not_confuse_the_scan() {
        let p = prepare("<a x='<b>' y=\"...\"><!-- <c> --></a>");
        assert_eq!(p.text, "<a x='<b>' y=\"...\"><!-- <c> --></a>");
        assert_eq!(p.elisions, 0);
    }
}
