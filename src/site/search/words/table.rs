//! A thread's map from folded word to number, shaped for the one question
//! the word scan asks per occurrence of a word.
//!
//! A general map would want the folded word as a string first (a copy
//! for every word with a capital), hash it, then compare it with a call
//! to `memcmp`. Here a word is read straight from the text in 8-byte
//! chunks, folded as it is read (an ASCII word is letters and digits
//! only, and for those OR-ing `0x20` into every byte is lower-casing),
//! hashed chunk by chunk, and compared chunk by chunk; a slot keeps the
//! first chunk, so a word of up to 8 bytes (most) is compared without
//! reading anything else. Each slot also remembers the last scan that met
//! it and where that scan counts it, so the scan needs no second map.

use super::WordId;

/// Marks an empty [`Slot`] (in [`Slot::len`]).
const EMPTY: u32 = u32::MAX;
/// Fx's multiplier: one multiplication mixes a chunk into the hash.
const MIX: u64 = 0xf135_7aea_2e62_a9c5;
/// OR-ed into each byte of an ASCII word to lower-case it.
pub(super) const ASCII_FOLD: u64 = 0x2020_2020_2020_2020;

/// A word as it is looked up: bytes of `text` (`start..end`), OR-ed with
/// `fold` byte by byte ([`ASCII_FOLD`] for an ASCII word of the text, `0`
/// for a word already folded).
#[derive(Clone, Copy)]
pub(super) struct Key<'a> {
    pub(super) text: &'a [u8],
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) fold: u64,
}

impl Key<'_> {
    fn len(&self) -> usize {
        self.end - self.start
    }

    /// Folded bytes `8 * k ..` of the word, zero past its end.
    #[inline]
    fn chunk(&self, k: usize) -> u64 {
        let at = self.start + 8 * k;
        let n = (self.end - at).min(8);
        let raw = match self.text.get(at..at + 8) {
            Some(eight) => u64::from_le_bytes(eight.try_into().unwrap_or([0; 8])),
            None => {
                let mut eight = [0u8; 8];
                eight[..n].copy_from_slice(&self.text[at..at + n]);
                u64::from_le_bytes(eight)
            }
        };
        (raw | self.fold) & low_bytes(n)
    }

    fn chunks(&self) -> usize {
        self.len().div_ceil(8)
    }

    /// The hash of the folded word whose first chunk is `first`: that
    /// chunk's alone for a word of one chunk (most), so most words are
    /// read once.
    #[inline]
    fn hash(&self, first: u64) -> u64 {
        let mut h = first.wrapping_mul(MIX);
        for k in 1..self.chunks() {
            h = (h.rotate_left(5) ^ self.chunk(k)).wrapping_mul(MIX);
        }
        h
    }
}

/// A mask of the low `n` bytes of a `u64` (`n` at most 8).
#[inline]
fn low_bytes(n: usize) -> u64 {
    u64::MAX.checked_shr(64 - 8 * n as u32).unwrap_or(0)
}

/// One word of a [`WordTable`].
#[derive(Clone, Copy)]
pub(super) struct Slot {
    /// The folded word's first 8 bytes (zero past its end).
    first: u64,
    /// Where the word's chunks start in [`WordTable::arena`].
    at: u32,
    /// The folded word's length in bytes, [`EMPTY`] for an empty slot.
    len: u32,
    pub(super) id: WordId,
    /// The last scan that met the word (see [`WordTable::next_scan`]).
    pub(super) seen: u32,
    /// Where that scan counts the word.
    pub(super) stat: u32,
}

const VACANT: Slot = Slot {
    first: 0,
    at: 0,
    len: EMPTY,
    id: 0,
    seen: 0,
    stat: 0,
};

/// Folded word → number, open addressing (linear probing) at most half
/// full. Words are never removed.
pub(super) struct WordTable {
    slots: Vec<Slot>,
    /// `64 - log2(slots.len())`: a hash's top bits pick its first slot
    /// (the top bits of a product depend on every bit of the chunk).
    shift: u32,
    /// Every word's folded bytes, each in whole zero-padded chunks.
    arena: Vec<u64>,
    words: usize,
    /// Number of the current scan; never 0, which [`VACANT`] slots hold.
    scan: u32,
    /// A new word's folded text, for the shared vocabulary.
    spelled: Vec<u8>,
}

/// Slots of a new table.
const FIRST_SLOTS: usize = 1024;

impl Default for WordTable {
    fn default() -> Self {
        WordTable::with_slots(FIRST_SLOTS)
    }
}

impl WordTable {
    /// A table of `slots` slots (a power of two) before it first grows:
    /// a table that will hold a site's vocabulary starts big rather than
    /// placing every word again at each doubling.
    pub(super) fn with_slots(slots: usize) -> WordTable {
        let slots = slots.max(2).next_power_of_two();
        WordTable {
            slots: vec![VACANT; slots],
            shift: 64 - slots.trailing_zeros(),
            arena: Vec::new(),
            words: 0,
            scan: 1,
            spelled: Vec::new(),
        }
    }

    /// Starts a new scan: every slot's [`Slot::seen`] is now stale.
    pub(super) fn next_scan(&mut self) -> u32 {
        self.scan = self.scan.wrapping_add(1);
        if self.scan == 0 {
            for s in &mut self.slots {
                s.seen = 0;
            }
            self.scan = 1;
        }
        self.scan
    }

    pub(super) fn at(&mut self, i: usize) -> &mut Slot {
        &mut self.slots[i]
    }

    /// Where an ASCII word of `len` bytes, at most 8, whose folded bytes
    /// are `first` (see [`fold_ascii`]), is, when the table has it. The
    /// path nearly every word takes: one multiplication, then slots
    /// compared by two numbers.
    #[inline(always)]
    pub(super) fn find_short(&self, first: u64, len: usize) -> Option<usize> {
        let mask = self.slots.len() - 1;
        let mut i = (first.wrapping_mul(MIX) >> self.shift) as usize;
        loop {
            let s = self.slots.get(i)?;
            if s.first == first && s.len as usize == len {
                return Some(i);
            }
            if s.len == EMPTY {
                return None;
            }
            i = (i + 1) & mask;
        }
    }

    /// Where an ASCII word of `len` bytes, more than 8, at `start` of
    /// `text`, is, when the table has it: [`WordTable::find_short`] for
    /// longer words, their chunks folded as they are read.
    #[inline]
    pub(super) fn find_long(&self, text: &[u8], start: usize, len: usize) -> Option<usize> {
        let chunk = |k: usize| fold_ascii(text, start + 8 * k, (len - 8 * k).min(8));
        let first = chunk(0);
        let chunks = len.div_ceil(8);
        let mut h = first.wrapping_mul(MIX);
        for k in 1..chunks {
            h = (h.rotate_left(5) ^ chunk(k)).wrapping_mul(MIX);
        }
        let mask = self.slots.len() - 1;
        let mut i = (h >> self.shift) as usize;
        loop {
            let s = self.slots.get(i)?;
            if s.first == first && s.len as usize == len {
                let at = s.at as usize;
                if (1..chunks).all(|k| self.arena.get(at + k) == Some(&chunk(k))) {
                    return Some(i);
                }
            }
            if s.len == EMPTY {
                return None;
            }
            i = (i + 1) & mask;
        }
    }

    /// Where `key`'s word is, made (numbered by `number`, given the
    /// folded word) when the table does not have it yet. `None` when the
    /// table can hold no more (past 32 GiB of words).
    #[inline(never)]
    pub(super) fn slot(
        &mut self,
        key: Key<'_>,
        number: impl FnOnce(&str) -> WordId,
    ) -> Option<usize> {
        let i = match self.probe(key) {
            Ok(found) => return Some(found),
            Err(vacant) => vacant,
        };
        let first = key.chunk(0);
        let len = key.len();
        let at = u32::try_from(self.arena.len()).ok()?;
        let len32 = u32::try_from(len).ok().filter(|&l| l != EMPTY)?;
        self.spelled.clear();
        for k in 0..key.chunks() {
            let c = key.chunk(k);
            self.arena.push(c);
            self.spelled.extend_from_slice(&c.to_le_bytes());
        }
        self.spelled.truncate(len);
        // The bytes are a whole word of a `str`, lower-cased ASCII or
        // already folded, so they are UTF-8.
        let id = number(std::str::from_utf8(&self.spelled).unwrap_or_default());
        self.slots[i] = Slot {
            first,
            at,
            len: len32,
            id,
            seen: 0,
            stat: 0,
        };
        self.words += 1;
        if 2 * self.words > self.slots.len() {
            self.grow();
            return self.probe(key).ok();
        }
        Some(i)
    }

    /// The slot of `key`'s word, or the vacant slot where it goes.
    fn probe(&self, key: Key<'_>) -> Result<usize, usize> {
        let mask = self.slots.len() - 1;
        let first = key.chunk(0);
        let len = key.len();
        let mut i = (key.hash(first) >> self.shift) as usize;
        loop {
            let s = &self.slots[i];
            if s.len == EMPTY {
                return Err(i);
            }
            if s.first == first && s.len as usize == len && self.rest_equal(s.at, key) {
                return Ok(i);
            }
            i = (i + 1) & mask;
        }
    }

    /// Whether the word stored at `at` has `key`'s chunks after the first.
    fn rest_equal(&self, at: u32, key: Key<'_>) -> bool {
        let at = at as usize;
        (1..key.chunks()).all(|k| self.arena.get(at + k) == Some(&key.chunk(k)))
    }

    /// Twice the slots, every word placed again.
    fn grow(&mut self) {
        let doubled = vec![VACANT; 2 * self.slots.len()];
        let old = std::mem::replace(&mut self.slots, doubled);
        self.shift -= 1;
        let mask = self.slots.len() - 1;
        for s in old.into_iter().filter(|s| s.len != EMPTY) {
            let chunks = (s.len as usize).div_ceil(8);
            let stored = &self.arena[s.at as usize..s.at as usize + chunks];
            let mut h = stored.first().map_or(0, |c| c.wrapping_mul(MIX));
            for &c in stored.iter().skip(1) {
                h = (h.rotate_left(5) ^ c).wrapping_mul(MIX);
            }
            let mut i = (h >> self.shift) as usize;
            while self.slots[i].len != EMPTY {
                i = (i + 1) & mask;
            }
            self.slots[i] = s;
        }
    }
}

/// The folded first chunk of an ASCII word of `len` bytes (at most 8) at
/// `start` of `text`, as [`WordTable::find_short`] takes it.
#[inline(always)]
pub(super) fn fold_ascii(text: &[u8], start: usize, len: usize) -> u64 {
    let raw = match text.get(start..start + 8) {
        Some(eight) => u64::from_le_bytes(eight.try_into().unwrap_or([0; 8])),
        None => tail_chunk(text, start, len),
    };
    (raw | ASCII_FOLD) & low_bytes(len)
}

/// `len` bytes (at most 8) at `start`, near the end of `text`.
#[cold]
fn tail_chunk(text: &[u8], start: usize, len: usize) -> u64 {
    let mut eight = [0u8; 8];
    let n = len.min(8).min(text.len().saturating_sub(start));
    eight[..n].copy_from_slice(&text[start..start + n]);
    u64::from_le_bytes(eight)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str, fold: bool) -> Key<'_> {
        Key {
            text: text.as_bytes(),
            start: 0,
            end: text.len(),
            fold: if fold { ASCII_FOLD } else { 0 },
        }
    }

    /// Words of every length up to three chunks, read at the end of their
    /// text and inside a longer one, ASCII-folded or not, through several
    /// growths: each gets one number, the same however it is spelled, and
    /// the short-word path finds the words of one chunk where the general
    /// one put them.
    #[test]
    fn words_get_one_number_each_however_they_are_read() {
        let mut table = WordTable::default();
        let mut names: Vec<String> = Vec::new();
        let mut expected = std::collections::HashMap::new();
        for n in 0..3000usize {
            let word: String = format!("W{n}x").repeat(1 + n % 9);
            let lower = word.to_ascii_lowercase();
            let padded = format!("{word} tail of the text");
            let mut id_of = |table: &mut WordTable, key: Key<'_>| {
                let at = table.slot(key, |w| {
                    names.push(w.to_string());
                    (names.len() - 1) as WordId
                });
                at.map(|i| table.at(i).id)
            };
            let id = id_of(&mut table, key(&word, true));
            let inside = Key {
                text: padded.as_bytes(),
                start: 0,
                end: word.len(),
                fold: ASCII_FOLD,
            };
            assert_eq!(id, id_of(&mut table, inside), "{word}");
            assert_eq!(id, id_of(&mut table, key(&lower, false)), "{word}");
            // The raw, unfolded spelling is another word.
            assert_ne!(id, id_of(&mut table, key(&word, false)), "{word}");
            for text in [&word, &padded] {
                let found = if word.len() <= 8 {
                    let first = fold_ascii(text.as_bytes(), 0, word.len());
                    table.find_short(first, word.len())
                } else {
                    table.find_long(text.as_bytes(), 0, word.len())
                };
                assert_eq!(found.map(|i| table.at(i).id), id, "{word}");
            }
            expected.insert(lower, id);
        }
        for (word, id) in &expected {
            let at = table.slot(key(word, false), |_| WordId::MAX);
            assert_eq!(at.map(|i| table.at(i).id), *id);
        }
        for (id, name) in names.iter().enumerate() {
            if let Some(&Some(expected_id)) = expected.get(name) {
                assert_eq!(expected_id as usize, id);
            }
        }
        assert_eq!(table.find_short(fold_ascii(b"absent", 0, 6), 6), None);
        assert_eq!(table.find_long(b"absent-and-long", 0, 15), None);
    }
}
