//! The cursor every lexer of this folder drives: one pass over the bytes,
//! plain text collected until a token is emitted, no regular expressions.
//!
//! Lexers look at ASCII bytes only and every token they emit starts and
//! ends at an ASCII byte or at the end of the text, so slices always fall
//! on character boundaries; non-ASCII characters are stepped over whole
//! ([`Scan::step`]) and never start a token.

/// Receives consecutive pieces of the code, each with its Pygments class.
pub type Sink<'s> = dyn FnMut(&str, Option<&'static str>) + 's;

pub struct Scan<'a, 's> {
    pub code: &'a str,
    pub b: &'a [u8],
    /// Current position.
    pub i: usize,
    /// Start of the plain text not yet passed on.
    plain: usize,
    out: &'s mut Sink<'s>,
}

impl<'a, 's> Scan<'a, 's> {
    pub fn new(code: &'a str, out: &'s mut Sink<'s>) -> Self {
        Scan {
            code,
            b: code.as_bytes(),
            i: 0,
            plain: 0,
            out,
        }
    }

    pub fn at_end(&self) -> bool {
        self.i >= self.b.len()
    }

    /// The byte at the cursor plus `ahead`, or 0 past the end.
    pub fn peek(&self, ahead: usize) -> u8 {
        self.b.get(self.i + ahead).copied().unwrap_or(0)
    }

    pub fn starts_with(&self, s: &[u8]) -> bool {
        self.b[self.i.min(self.b.len())..].starts_with(s)
    }

    /// Steps over one character as plain text.
    pub fn step(&mut self) {
        self.i += char_len(self.peek(0)).min(self.b.len() - self.i).max(1);
    }

    /// Passes on pending plain text.
    pub fn flush(&mut self) {
        if self.plain < self.i {
            (self.out)(&self.code[self.plain..self.i], None);
        }
        self.plain = self.i;
    }

    /// Emits `[cursor, end)` with `class` (plain text before it first) and
    /// moves the cursor to `end`.
    pub fn emit(&mut self, end: usize, class: &'static str) {
        let end = end.clamp(self.i, self.b.len());
        self.flush();
        if end > self.i {
            (self.out)(&self.code[self.i..end], Some(class));
        }
        self.i = end;
        self.plain = end;
    }

    /// Moves the cursor to `end`, leaving `[cursor, end)` plain.
    pub fn skip_to(&mut self, end: usize) {
        self.i = end.clamp(self.i, self.b.len());
    }

    /// Emits what is left as plain text.
    pub fn finish(mut self) {
        self.i = self.b.len();
        self.flush();
    }

    /// Whether only blanks precede the cursor on its line.
    pub fn at_line_start(&self) -> bool {
        self.b[..self.i.min(self.b.len())]
            .iter()
            .rev()
            .take_while(|&&c| c != b'\n')
            .all(|&c| c == b' ' || c == b'\t')
    }
}

/// A lexer's table of words and their classes (sorted by word), indexed
/// by first byte at compile time: a lookup compares the few words that
/// share the identifier's first byte, and only those of its length, where
/// a binary search would compare half a dozen strings per identifier.
/// Most identifiers are no word of the table: the lengths of the words
/// under each first byte, as a bit set, turn them away before any compare.
pub struct Words {
    words: &'static [(&'static str, &'static str)],
    /// For each ASCII first byte, the range of `words` starting with it.
    by_first: [(u16, u16); 128],
    /// For each ASCII first byte, bit `n` set when a word of length `n`
    /// (31: 31 or more) starts with it.
    lengths: [u32; 128],
}

/// The bit of [`Words::lengths`] for a word of `len` bytes.
const fn length_bit(len: usize) -> u32 {
    1 << if len < 31 { len } else { 31 }
}

impl Words {
    /// The index of `words`, which must be sorted (a test checks).
    pub const fn new(words: &'static [(&'static str, &'static str)]) -> Words {
        let mut by_first = [(0u16, 0u16); 128];
        let mut lengths = [0u32; 128];
        let mut k = 0;
        while k < words.len() {
            let b = words[k].0.as_bytes();
            if !b.is_empty() && b[0] < 128 {
                let slot = &mut by_first[b[0] as usize];
                if slot.0 == slot.1 {
                    *slot = (k as u16, k as u16);
                }
                slot.1 = k as u16 + 1;
                lengths[b[0] as usize] |= length_bit(b.len());
            }
            k += 1;
        }
        Words {
            words,
            by_first,
            lengths,
        }
    }

    /// The class of `w`, if it is one of the words.
    pub fn class(&self, w: &str) -> Option<&'static str> {
        let first = usize::from(*w.as_bytes().first()?);
        if self.lengths.get(first)? & length_bit(w.len()) == 0 {
            return None;
        }
        let (from, to) = self.by_first[first];
        self.words[usize::from(from)..usize::from(to)]
            .iter()
            .find(|(word, _)| word.len() == w.len() && *word == w)
            .map(|(_, class)| *class)
    }
}

/// Length of the UTF-8 character whose first byte is `lead`.
fn char_len(lead: u8) -> usize {
    match lead {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

pub fn is_word_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

pub fn is_word_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// End of the identifier starting at `i` (ASCII letters, digits, `_`).
pub fn word_end(b: &[u8], i: usize) -> usize {
    let mut j = i;
    while j < b.len() && is_word_char(b[j]) {
        j += 1;
    }
    j
}

/// End of the line at `i`, newline excluded.
pub fn line_end(b: &[u8], i: usize) -> usize {
    b[i.min(b.len())..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(b.len(), |p| i + p)
}

/// Index just past the first `needle` at or after `from`, or the end.
pub fn find_after(b: &[u8], from: usize, needle: &[u8]) -> usize {
    b.get(from..)
        .and_then(|rest| rest.windows(needle.len()).position(|w| w == needle))
        .map_or(b.len(), |p| from + p + needle.len())
}

/// End of a number starting at `i` (a digit, or `.` then a digit): decimal,
/// `0x`/`0o`/`0b` forms, `_` separators, fraction, exponent and a letter
/// suffix (`u64`, `UL`, `f`, `j`) are all part of it.
pub fn number_end(b: &[u8], i: usize) -> usize {
    let mut j = i;
    let hex = b.get(i) == Some(&b'0') && matches!(b.get(i + 1), Some(b'x' | b'X'));
    if hex || (b.get(i) == Some(&b'0') && matches!(b.get(i + 1), Some(b'o' | b'O' | b'b' | b'B'))) {
        j += 2;
        while j < b.len() && (b[j].is_ascii_hexdigit() || b[j] == b'_') {
            j += 1;
        }
    } else {
        while j < b.len() && (b[j].is_ascii_digit() || b[j] == b'_') {
            j += 1;
        }
        if b.get(j) == Some(&b'.') && b.get(j + 1).is_some_and(u8::is_ascii_digit) {
            j += 1;
            while j < b.len() && (b[j].is_ascii_digit() || b[j] == b'_') {
                j += 1;
            }
        }
        if matches!(b.get(j), Some(b'e' | b'E')) {
            let sign = usize::from(matches!(b.get(j + 1), Some(b'+' | b'-')));
            if b.get(j + 1 + sign).is_some_and(u8::is_ascii_digit) {
                j += 1 + sign;
                while j < b.len() && b[j].is_ascii_digit() {
                    j += 1;
                }
            }
        }
    }
    word_end(b, j)
}

/// End of a string opened by the quote at `i`: past the closing `quote`,
/// skipping backslash escapes when `escapes`; at the end of the line when
/// not `multiline`; at the end of the text when unterminated.
pub fn quoted_end(b: &[u8], i: usize, quote: u8, escapes: bool, multiline: bool) -> usize {
    let mut j = i + 1;
    while j < b.len() {
        match b[j] {
            c if c == quote => return j + 1,
            b'\\' if escapes => j += 2,
            b'\n' if !multiline => return j,
            _ => j += 1,
        }
    }
    b.len()
}

/// Emits the string `[cursor, end)` as `s`, its backslash escapes as `se`.
pub fn string_with_escapes(s: &mut Scan, end: usize) {
    let end = end.min(s.b.len());
    let mut j = s.i;
    while j < end {
        if s.b[j] == b'\\' && j + 1 < end {
            s.emit(j, "s");
            let mut e = j + 2;
            // \xNN, \uNNNN, \u{…}, \NNN: the digits belong to the escape.
            match s.b[j + 1] {
                b'x' | b'u' | b'U' => {
                    while e < end && (s.b[e].is_ascii_hexdigit() || matches!(s.b[e], b'{' | b'}')) {
                        e += 1;
                    }
                }
                b'0'..=b'7' => {
                    while e < end && e < j + 4 && (b'0'..=b'7').contains(&s.b[e]) {
                        e += 1;
                    }
                }
                c if c >= 0x80 => e = j + 1,
                _ => {}
            }
            s.emit(e, "se");
            j = e;
        } else {
            j += 1;
        }
    }
    s.emit(end, "s");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        for (text, len) in [
            ("0x1F;", 4),
            ("1.5e3)", 5),
            ("1_000u64 ", 8),
            ("3.5e-2,", 6),
            ("1..2", 1),
            ("0.0&", 3),
            ("42UL", 4),
        ] {
            assert_eq!(number_end(text.as_bytes(), 0), len, "{text}");
        }
    }

    #[test]
    fn quoted_strings() {
        let b = br#""a\"b" x"#;
        assert_eq!(quoted_end(b, 0, b'"', true, false), 6);
        assert_eq!(quoted_end(b"'ab\ncd'", 0, b'\'', false, false), 3);
        assert_eq!(quoted_end(b"'ab\ncd'", 0, b'\'', false, true), 7);
        assert_eq!(quoted_end(b"\"abc\\", 0, b'"', true, false), 5);
    }
}
