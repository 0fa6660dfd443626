//! The line model docutils parses on: the text split into lines, tabs
//! expanded to 8-column stops, `\v`/`\f` turned into spaces and trailing
//! whitespace stripped (`docutils.statemachine.string2lines`). Each line
//! remembers where it starts in the source so nodes can carry byte spans
//! even though the parser works on the expanded text.

mod text;

use std::rc::Rc;

pub use text::LineText;

/// One physical line after docutils' normalisation.
#[derive(Debug, Clone)]
pub struct Line {
    /// Expanded, right-stripped text.
    pub text: LineText,
    /// Byte offset of the line's first character in the source text.
    pub start: usize,
    /// Byte offset just past the line's last character (before the line break).
    pub end: usize,
    /// 1-based line number reported in messages (the line in its own file,
    /// or the table line a cell line came from).
    pub lineno: usize,
    /// For lines that contained tabs: source offset (relative to `start`)
    /// of every byte of `text`; empty when the text maps one-to-one.
    map: Vec<u32>,
}

impl Line {
    /// Whether byte `i` of the text is byte `start + i` of the source
    /// (nothing was expanded).
    pub fn maps_directly(&self) -> bool {
        self.map.is_empty()
    }

    /// Source byte offset of byte `i` of the expanded text.
    pub fn src(&self, i: usize) -> usize {
        if self.map.is_empty() {
            (self.start + i).min(self.end)
        } else {
            match self.map.get(i) {
                Some(&o) => self.start + o as usize,
                None => self.end,
            }
        }
    }
}

/// Python's `str.splitlines()` boundaries (after `\v`/`\f` became spaces);
/// [`split_lines`] finds them on bytes, this is the reference its test uses.
#[cfg(test)]
fn is_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{1c}' | '\u{1d}' | '\u{1e}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// Python's `str.isspace()`, close enough for stripping line ends.
pub fn is_py_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{1c}'..='\u{1f}')
}

/// Bytes that start a line break (see [`split_lines`]).
static MAY_BREAK: [bool; 256] = {
    let mut t = [false; 256];
    t[b'\n' as usize] = true;
    t[b'\r' as usize] = true;
    t[0x1c] = true;
    t[0x1d] = true;
    t[0x1e] = true;
    t[0xC2] = true;
    t[0xE2] = true;
    t
};

/// The first index at or after `from` holding a [`MAY_BREAK`] byte, or
/// the length.
fn next_may_break(bytes: &[u8], from: usize) -> usize {
    let rest = bytes.get(from..).unwrap_or_default();
    from + rest
        .iter()
        .position(|&b| MAY_BREAK[usize::from(b)])
        .unwrap_or(rest.len())
}

/// Whether `b` is a byte [`split_lines`] cannot pass over as plain text:
/// a control character (`\n` and the other breaks, tabs, `\v`, `\f`) or
/// the lead byte of U+0085, U+2028 or U+2029.
fn is_special(b: u8) -> bool {
    b < 0x20 || b == 0xC2 || b == 0xE2
}

/// The index of the first [`is_special`] byte at or after `from`, or the
/// length. Most lines of a page are plain, so this one scan finds the
/// line's `\n` and proves the line plain at once; it looks at eight bytes
/// per step (the bit tricks below flag a byte below 0x20 or equal to
/// 0xC2 or 0xE2; the lowest flag is always a real match, as borrows only
/// run upwards).
fn next_special(bytes: &[u8], from: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    fn zero_bytes(v: u64) -> u64 {
        v.wrapping_sub(ONES) & !v & HIGHS
    }
    let mut at = from;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        let below_space = x.wrapping_sub(ONES * 0x20) & !x & HIGHS;
        let flags = below_space | zero_bytes(x ^ (ONES * 0xC2)) | zero_bytes(x ^ (ONES * 0xE2));
        if flags != 0 {
            return at + (flags.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    let rest = bytes.get(at..).unwrap_or_default();
    at + rest
        .iter()
        .position(|&b| is_special(b))
        .unwrap_or(rest.len())
}

/// Splits normalised source text into docutils lines.
pub fn split_lines(text: &str) -> Vec<Line> {
    let mut lines = Vec::with_capacity(memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1);
    // One copy of the page that the lines as written share.
    let buf: Rc<str> = Rc::from(text);
    let bytes = text.as_bytes();
    let mut start = 0;
    loop {
        // Fast path: the line up to the next `\n` is plain text (no other
        // break, no tab to expand), so it ends at that `\n`.
        let nl = next_special(bytes, start);
        if bytes.get(nl).is_none_or(|&b| b == b'\n') {
            let raw = text.get(start..nl).unwrap_or("");
            // Most lines end in a printable ASCII character: nothing to trim.
            let kept = match raw.as_bytes().last() {
                Some(&b) if b > b' ' && b < 0x7f => raw,
                _ => raw.trim_end_matches(is_py_space),
            };
            lines.push(Line {
                text: LineText::shared(&buf, start..start + kept.len()),
                start,
                end: start + kept.len(),
                lineno: lines.len() + 1,
                map: Vec::new(),
            });
            if nl >= bytes.len() {
                break;
            }
            start = nl + 1;
            if start >= text.len() {
                break;
            }
            continue;
        }
        // The end of this line and the start of the next, found on bytes:
        // every break character is ASCII or starts with 0xC2 / 0xE2.
        let mut end = text.len();
        let mut next = text.len();
        let mut found = false;
        // Skip at once to the next byte that can start a break: most of
        // the text is none of them.
        let mut i = next_may_break(bytes, start);
        while i < bytes.len() {
            let len = match bytes[i] {
                b'\n' | 0x1c..=0x1e => 1,
                b'\r' => {
                    if bytes.get(i + 1) == Some(&b'\n') {
                        2
                    } else {
                        1
                    }
                }
                0xC2 if bytes.get(i + 1) == Some(&0x85) => 2,
                0xE2 if bytes.get(i + 1) == Some(&0x80)
                    && matches!(bytes.get(i + 2), Some(0xA8 | 0xA9)) =>
                {
                    3
                }
                _ => {
                    i = next_may_break(bytes, i + 1);
                    continue;
                }
            };
            end = i;
            next = i + len;
            found = true;
            break;
        }
        let raw = text.get(start..end).unwrap_or("");
        let mut l = expand(&buf, raw, start);
        l.lineno = lines.len() + 1;
        lines.push(l);
        if !found {
            break;
        }
        start = next;
        if start >= text.len() {
            break;
        }
    }
    // A text ending with a newline has no final empty line (splitlines).
    if text.is_empty() {
        lines.clear();
    }
    lines
}

/// The line `raw`, which starts at `start` in `buf`, expanded.
fn expand(buf: &Rc<str>, raw: &str, start: usize) -> Line {
    // Most lines have nothing to expand: share them as they are.
    if !raw.bytes().any(|b| matches!(b, b'\t' | 0x0b | 0x0c)) {
        let text = raw.trim_end_matches(is_py_space);
        return Line {
            text: LineText::shared(buf, start..start + text.len()),
            start,
            end: start + text.len(),
            lineno: 0,
            map: Vec::new(),
        };
    }
    let has_tab = raw.contains('\t');
    let mut out = String::with_capacity(raw.len());
    let mut map = Vec::new();
    let mut col = 0usize;
    for (i, c) in raw.char_indices() {
        match c {
            '\t' => {
                let n = 8 - col % 8;
                for _ in 0..n {
                    out.push(' ');
                    if has_tab {
                        map.push(i as u32);
                    }
                }
                col += n;
            }
            '\u{0b}' | '\u{0c}' => {
                out.push(' ');
                if has_tab {
                    map.push(i as u32);
                }
                col += 1;
            }
            c => {
                out.push(c);
                if has_tab {
                    for k in 0..c.len_utf8() {
                        map.push((i + k) as u32);
                    }
                }
                col += 1;
            }
        }
    }
    let trimmed = out.trim_end_matches(is_py_space).len();
    out.truncate(trimmed);
    map.truncate(trimmed);
    let end = if has_tab {
        map.last().map(|&o| start + o as usize + 1).unwrap_or(start)
    } else {
        start + trimmed
    };
    // `end` must sit on a char boundary of the source; the last mapped
    // byte + 1 may not when the last char is multi-byte, so use the raw length.
    let end = if has_tab {
        end.max(start).min(start + raw.len())
    } else {
        end
    };
    Line {
        text: out.into(),
        start,
        end,
        lineno: 0,
        map,
    }
}

/// Number of leading spaces.
pub fn indent_of(s: &str) -> usize {
    s.len() - s.trim_start_matches(' ').len()
}

/// East-Asian-aware display width (docutils' `column_width`): wide and
/// full-width characters count two columns, combining characters none.
pub fn column_width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let u = c as u32;
            // Below U+0300 no character is combining or wide.
            if u < 0x300 {
                1
            } else if is_combining(u) {
                0
            } else if is_wide(u) {
                2
            } else {
                1
            }
        })
        .sum()
}

fn is_combining(u: u32) -> bool {
    matches!(u, 0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05BD | 0x0610..=0x061A | 0x064B..=0x065F
        | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

pub fn is_wide(u: u32) -> bool {
    // Nothing below U+1100 is wide: one comparison for most text.
    u >= 0x1100
        && matches!(u, 0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6 | 0x1F300..=0x1F64F | 0x1F900..=0x1F9FF | 0x20000..=0x2FFFD | 0x30000..=0x3FFFD)
}

/// A copy of `l` (from an included file) whose offsets all point at the
/// including directive's span `start..end`.
pub fn relocated(l: &Line, start: usize, end: usize) -> Line {
    Line {
        lineno: l.lineno,
        text: l.text.clone(),
        start,
        end: end.max(start),
        map: vec![0; l.text.len()],
    }
}

/// A line whose text does not come from the source byte for byte (a
/// parsed CSV cell): every offset in it points at `start`, its end at `end`.
pub fn detached(text: String, start: usize, end: usize, lineno: usize) -> Line {
    Line {
        lineno,
        start,
        end: end.max(start),
        map: vec![0; text.len()],
        text: text.into(),
    }
}

/// A line made from part of another (a table cell): `start` is the source
/// offset of its first character.
pub fn synthetic(text: String, start: usize, end: usize, lineno: usize) -> Line {
    let len = text.len();
    Line {
        lineno,
        text: text.into(),
        start,
        end: end.max(start),
        map: (0..len as u32)
            .map(|i| i.min((end.max(start) - start) as u32))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabs_expand_to_eight_columns() {
        let l = split_lines("a\tb\n\tc  \n");
        assert_eq!(l.len(), 2);
        assert_eq!(l[0].text, "a       b");
        assert_eq!(l[1].text, "        c");
        assert_eq!(l[1].src(8), 5);
        assert_eq!(l[0].src(8), 2);
    }

    #[test]
    fn the_word_scan_finds_the_first_special_byte() {
        let naive = |b: &[u8], from: usize| {
            (from..b.len())
                .find(|&i| is_special(b[i]))
                .unwrap_or(b.len())
        };
        let alphabet = [
            b'a', b' ', b'\n', b'\t', 0x1f, 0x20, 0x7f, 0x80, 0xC2, 0xC3, 0xE2, 0xE1, 0xFF,
        ];
        // A fixed pseudo-random sequence: every position of every byte kind.
        let mut state = 12345u32;
        for len in 0..40 {
            for _ in 0..50 {
                let bytes: Vec<u8> = (0..len)
                    .map(|_| {
                        state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                        alphabet[(state >> 16) as usize % alphabet.len()]
                    })
                    .collect();
                for from in 0..=len {
                    assert_eq!(
                        next_special(&bytes, from),
                        naive(&bytes, from),
                        "{bytes:?} {from}"
                    );
                }
            }
        }
    }

    #[test]
    fn lines_keep_offsets() {
        let l = split_lines("ab\n\ncd");
        assert_eq!(l.len(), 3);
        assert_eq!((l[2].start, l[2].end), (4, 6));
        assert_eq!(l[1].text, "");
    }

    #[test]
    fn byte_level_breaks_match_python_splitlines() {
        let pieces = [
            "a", "é", "\n", "\r", "\r\n", "\u{1c}", "\u{1d}", "\u{1e}", "\u{85}", "\u{2028}",
            "\u{2029}", "\u{2027}", "\u{a0}", " ", "\t", "\u{c5}",
        ];
        // Every sequence of three pieces, checked against a char-level split.
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let text = format!("{a}{b}{c}x");
                    let mut want = Vec::new();
                    let mut cur = String::new();
                    let mut chars = text.chars().peekable();
                    while let Some(ch) = chars.next() {
                        if is_break(ch) {
                            if ch == '\r' && chars.peek() == Some(&'\n') {
                                chars.next();
                            }
                            want.push(std::mem::take(&mut cur));
                        } else {
                            cur.push(ch);
                        }
                    }
                    want.push(cur);
                    let got: Vec<String> = split_lines(&text)
                        .into_iter()
                        .map(|l| l.text.to_string())
                        .collect();
                    let want: Vec<String> = want
                        .into_iter()
                        .map(|w| expand(&Rc::from(w.as_str()), &w, 0).text.to_string())
                        .collect();
                    assert_eq!(got, want, "{text:?}");
                }
            }
        }
    }
}
