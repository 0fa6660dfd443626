//! An entry's text, taken from the tree: prose and code apart, white space
//! collapsed while it is gathered so the raw text is never held.

use std::cell::RefCell;

use crate::ast::{Element, Node, Tag};

/// Text of one entry, prose and code kept apart so code, which is long
/// and repetitive, goes last and is the first to be cut. Both are
/// whitespace-collapsed as they are gathered, so the raw text is never
/// held.
#[derive(Default)]
pub(super) struct Text {
    pub(super) prose: Collapsed,
    code: Collapsed,
}

impl Text {
    /// Prose, then code, separated by a space when both have words: one
    /// string of exactly that size (the gathering buffers go back to
    /// [`SPARE`]).
    pub(super) fn joined(self) -> String {
        let (prose, code) = (&self.prose.out, &self.code.out);
        let mut all = String::with_capacity(prose.len() + 1 + code.len());
        all.push_str(prose);
        if !code.is_empty() {
            if !all.is_empty() {
                all.push(' ');
            }
            all.push_str(code);
        }
        all
    }
}

/// Text collapsed while it is appended: what [`collapse`] gives for the
/// concatenation of everything pushed, with [`Collapsed::space`] standing
/// for a space. Stretches of words already separated by single spaces
/// (most prose) are copied whole.
pub(super) struct Collapsed {
    /// A buffer from [`SPARE`], given back when dropped.
    out: String,
    /// White space came after the last word character.
    gap: bool,
}

thread_local! {
    /// Gathering buffers of entries already made, kept with their
    /// capacity: an entry's text grew from nothing by doubling, and those
    /// reallocations were a fifth of gathering.
    static SPARE: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}
/// Most buffers a thread keeps (sections nest about this deep at most).
const SPARE_MAX: usize = 16;
/// Largest buffer kept, in bytes: one huge entry does not hold its size
/// for the rest of the process.
const SPARE_LARGEST: usize = 1 << 20;

impl Default for Collapsed {
    fn default() -> Self {
        let out = SPARE
            .try_with(|spare| spare.try_borrow_mut().ok().and_then(|mut s| s.pop()))
            .ok()
            .flatten()
            .unwrap_or_default();
        Collapsed { out, gap: false }
    }
}

impl Drop for Collapsed {
    fn drop(&mut self) {
        let mut out = std::mem::take(&mut self.out);
        if out.capacity() == 0 || out.capacity() > SPARE_LARGEST {
            return;
        }
        out.clear();
        // During a thread's teardown the spares may be gone: just free.
        let _ = SPARE.try_with(|spare| {
            if let Ok(mut spare) = spare.try_borrow_mut()
                && spare.len() < SPARE_MAX
            {
                spare.push(out);
            }
        });
    }
}

impl Collapsed {
    pub(super) fn space(&mut self) {
        self.gap = true;
    }

    pub(super) fn push(&mut self, s: &str) {
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let before = i;
            i = skip_space(s, i);
            if i > before {
                self.gap = true;
            }
            if i >= b.len() {
                break;
            }
            let first = i;
            i = skip_stretch(s, i);
            if self.gap && !self.out.is_empty() {
                self.out.push(' ');
            }
            self.gap = false;
            self.out.push_str(&s[first..i]);
        }
    }
}

/// Past the words at `i` and the single spaces between them: to the
/// first white space that is not one space before a word (or the end).
/// Printable ASCII, most of any text, is skipped eight bytes at a time.
fn skip_stretch(s: &str, mut i: usize) -> usize {
    let b = s.as_bytes();
    loop {
        i = next_unprintable(b, i);
        let Some(&c) = b.get(i) else {
            return i;
        };
        if c == b' ' {
            match b.get(i + 1) {
                // One space, then a word goes on.
                Some(&next) if (0x21..0x80).contains(&next) => i += 2,
                Some(_) if skip_space(s, i + 1) == i + 1 => i += 1,
                _ => return i,
            }
        } else if c < 0x80 {
            if matches!(c, b'\t'..=b'\r') {
                return i;
            }
            // A control character that is no white space: part of a word.
            i += 1;
        } else {
            let end = skip_word(s, i);
            if end == i {
                return i;
            }
            i = end;
        }
    }
}

/// The first byte at or after `i` where a stretch may end: one that is
/// not printable ASCII other than the space (below `!` or above `~`),
/// except a space followed by printable ASCII other than the space (one
/// space between words, most of any text). Eight bytes are tested at a
/// time, so prose is crossed without stopping at every space; a space
/// ending the eight is returned, for the caller to look past. The tail
/// of fewer than eight bytes stops at every space.
#[inline]
fn next_unprintable(b: &[u8], mut i: usize) -> usize {
    while let Some(eight) = b.get(i..i + 8) {
        let stops = stops(u64::from_le_bytes(eight.try_into().unwrap_or([0; 8])));
        if stops != 0 {
            return i + (stops.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < b.len() && (0x21..0x80).contains(&b[i]) {
        i += 1;
    }
    i
}

/// The high bit of each byte of `x` where [`next_unprintable`] stops.
/// Every test works on the low seven bits of each byte, so none carries
/// into the next byte and each byte's answer is exact.
#[inline]
fn stops(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let ascii = !x & HIGH;
    let low = x & !HIGH;
    // 0x21..=0x7f.
    let printable = (low + (0x80 - 0x21) * ONES) & ascii;
    // Exactly 0x20: its low seven bits less 0x20 are zero.
    let minus_space = low ^ (0x20 * ONES);
    let space = !((minus_space + 0x7f * ONES) | minus_space) & ascii;
    // The next byte is that of the next eight bits (none for the last).
    let space_before_word = space & (printable >> 8);
    !(printable | space_before_word) & HIGH
}

/// Past the white space (as [`char::is_whitespace`] says) at `i`.
fn skip_space(s: &str, mut i: usize) -> usize {
    let b = s.as_bytes();
    while let Some(&c) = b.get(i) {
        if c < 0x80 {
            if !matches!(c, b'\t'..=b'\r' | b' ') {
                break;
            }
            i += 1;
        } else {
            match s[i..].chars().next() {
                Some(ch) if ch.is_whitespace() => i += ch.len_utf8(),
                _ => break,
            }
        }
    }
    i
}

/// Past the word (characters other than white space) at `i`.
fn skip_word(s: &str, mut i: usize) -> usize {
    let b = s.as_bytes();
    while let Some(&c) = b.get(i) {
        if c < 0x80 {
            if matches!(c, b'\t'..=b'\r' | b' ') {
                break;
            }
            i += 1;
        } else {
            match s[i..].chars().next() {
                Some(ch) if !ch.is_whitespace() => i += ch.len_utf8(),
                _ => break,
            }
        }
    }
    i
}

/// Walks a section (or the document): its own text goes to `text`, each
/// subsection becomes an entry of `out` (id, title, text).
///
/// A subsection's text is joined as soon as its walk ends, so its
/// gathering buffers go back to [`SPARE`] for the next one: only the
/// sections open along the current path hold buffers, not every section
/// of the page (a page of 40 sections needed 80 buffers, and most were
/// grown from nothing).
pub(super) fn gather(e: &Element, text: &mut Text, out: &mut Vec<(String, String, String)>) {
    for child in &e.children {
        match child {
            Node::Text(t) => text.prose.push(&t.text),
            Node::Element(c) => match c.tag {
                Tag::Section => {
                    let title = c
                        .first(Tag::Title)
                        .map(|t| collapse(&t.text_cow()))
                        .unwrap_or_default();
                    let id = c.ids.first().cloned().unwrap_or_default();
                    let slot = out.len();
                    out.push((id, title, String::new()));
                    let mut own = Text::default();
                    gather(c, &mut own, out);
                    if let Some(entry) = out.get_mut(slot) {
                        entry.2 = own.joined();
                    }
                }
                Tag::Title if e.tag == Tag::Section || e.tag == Tag::Document => {}
                Tag::Docinfo
                | Tag::SystemMessage
                | Tag::Comment
                | Tag::Raw
                | Tag::Target
                | Tag::SubstitutionDefinition
                | Tag::Pending
                | Tag::Problematic => {}
                Tag::Topic if c.classes.iter().any(|k| k == "contents") => {}
                Tag::LiteralBlock | Tag::DoctestBlock => {
                    text.code.space();
                    text.code.push(&c.text_cow());
                }
                _ => {
                    text.prose.space();
                    gather(c, text, out);
                    text.prose.space();
                }
            },
        }
    }
}

/// `s` with runs of white space made one space, trimmed.
fn collapse(s: &str) -> String {
    let mut c = Collapsed::default();
    c.push(s);
    // Exactly its size: the buffer goes back to [`SPARE`].
    c.out.as_str().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pieces pushed one after another collapse as their concatenation
    /// does by definition: runs of white space (Unicode's) made one
    /// space, trimmed.
    #[test]
    fn pushes_collapse_as_the_concatenation_would() {
        let pieces = [
            "",
            " ",
            "a",
            "a b",
            "a  b",
            " a\tb ",
            "x\u{a0}y",
            "\u{2003}",
            "é è",
            "日本 語",
            "a \u{a0}b",
            "a\n",
            "\r\nz",
            "end ",
            "½ ¾",
            "a \u{1}b\u{1} c",
            "stretches longer than eight bytes, twice  over\tand\u{85}on é\u{a0}x",
            "0123456 8 \u{7f}~ !",
        ];
        for first in pieces {
            for second in pieces {
                for third in ["", "q", " \u{3000} ", "w x"] {
                    let mut c = Collapsed::default();
                    c.push(first);
                    c.push(second);
                    c.push(third);
                    let all = format!("{first}{second}{third}");
                    let expected = all.split_whitespace().collect::<Vec<_>>().join(" ");
                    assert_eq!(c.out, expected, "{first:?} {second:?} {third:?}");
                }
            }
        }
    }

    /// The eight-byte test stops exactly where the byte-by-byte rule
    /// does: at a byte outside `!`..=`\x7f`, unless it is a space whose
    /// next byte (within the eight) is inside it.
    #[test]
    fn eight_byte_stops_are_the_byte_rule() {
        let printable = |b: u8| (0x21..0x80).contains(&b);
        let samples: Vec<u8> = (0..=255u8).collect();
        for &byte in &samples {
            for &next in &[b' ', b'a', 0x80, b'\n', 0x7f, 0x21, 0x20, 0x00, byte] {
                for at in 0..8 {
                    let mut eight = *b"ab cd ef";
                    eight[at] = byte;
                    if at + 1 < 8 {
                        eight[at + 1] = next;
                    }
                    let flags = stops(u64::from_le_bytes(eight));
                    for k in 0..8 {
                        let c = eight[k];
                        let expected =
                            !(printable(c) || (c == b' ' && k + 1 < 8 && printable(eight[k + 1])));
                        let got = flags >> (8 * k + 7) & 1 == 1;
                        assert_eq!(got, expected, "{eight:?} at {k}");
                    }
                }
            }
        }
    }

    /// A buffer given back is reused empty: nothing of an earlier entry
    /// leaks into the next, whose text is exactly its own.
    #[test]
    fn reused_buffers_start_empty() {
        for round in 0..3 {
            let mut text = Text::default();
            assert!(text.prose.out.is_empty() && text.code.out.is_empty());
            text.prose.push(&format!("prose of entry {round} "));
            text.code.push("code();");
            let joined = text.joined();
            assert_eq!(joined, format!("prose of entry {round} code();"));
            // No slack from growing by doubling.
            assert!(
                joined.capacity() <= joined.len() + 1,
                "{}",
                joined.capacity()
            );
        }
    }
}
