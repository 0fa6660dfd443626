//! A line's text without a copy of its own: most lines are a stretch of
//! the page exactly as written, so they share one copy of the page and
//! keep only where they are in it.

use std::ops::Deref;
use std::rc::Rc;

/// The text of a [`super::Line`]: a byte range of a shared buffer (the
/// page's text for lines as written; a buffer of its own for a line that
/// was expanded or made up). Splitting a page into lines this way copies
/// nothing and allocates once per page, not once per line: one
/// allocation per line was a sixteenth of all of a build's.
#[derive(Clone)]
pub struct LineText {
    buf: Rc<str>,
    start: u32,
    end: u32,
}

impl LineText {
    /// `buf[range]`; `range` must lie on `buf`'s char boundaries (a
    /// range that does not gives the empty text rather than panicking).
    pub fn shared(buf: &Rc<str>, range: std::ops::Range<usize>) -> LineText {
        let ok = buf.get(range.clone()).is_some();
        let (start, end) = if ok { (range.start, range.end) } else { (0, 0) };
        LineText {
            buf: Rc::clone(buf),
            start: start as u32,
            end: end as u32,
        }
    }

    pub fn as_str(&self) -> &str {
        self.buf
            .get(self.start as usize..self.end as usize)
            .unwrap_or_default()
    }

    /// The text from byte `from` on (empty past the end or off a char
    /// boundary), sharing the buffer.
    pub fn suffix(&self, from: usize) -> LineText {
        let mut t = self.clone();
        if self.is_char_boundary(from) && from <= self.len() {
            t.start += from as u32;
        } else {
            t.start = t.end;
        }
        t
    }

    /// Empties the text, as `String::clear` does.
    pub fn clear(&mut self) {
        self.end = self.start;
    }

    /// Shortens the text to its first `len` bytes (a char boundary), as
    /// `String::truncate` does.
    pub fn truncate(&mut self, len: usize) {
        if len < self.len() && self.is_char_boundary(len) {
            self.end = self.start + len as u32;
        }
    }
}

impl Deref for LineText {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl From<String> for LineText {
    fn from(s: String) -> LineText {
        let end = s.len() as u32;
        LineText {
            buf: Rc::from(s),
            start: 0,
            end,
        }
    }
}

impl From<&str> for LineText {
    fn from(s: &str) -> LineText {
        LineText {
            buf: Rc::from(s),
            start: 0,
            end: s.len() as u32,
        }
    }
}

impl std::fmt::Debug for LineText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for LineText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<str> for LineText {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for LineText {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq for LineText {
    fn eq(&self, other: &LineText) -> bool {
        self.as_str() == other.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_the_buffer_and_reads_its_range() {
        let buf: Rc<str> = Rc::from("first\nsecond");
        let t = LineText::shared(&buf, 6..12);
        assert_eq!(t.as_str(), "second");
        assert_eq!(Rc::strong_count(&buf), 2);
        let off = LineText::shared(&buf, 3..40);
        assert_eq!(off.as_str(), "");
    }

    #[test]
    fn truncates_on_char_boundaries_only() {
        let mut t = LineText::from("añb".to_string());
        t.truncate(2);
        assert_eq!(t.as_str(), "añb");
        t.truncate(3);
        assert_eq!(t.as_str(), "añ");
        t.truncate(9);
        assert_eq!(t.as_str(), "añ");
    }
}
