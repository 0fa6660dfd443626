//! Pages' search text set aside during a full build ([`crate::site::spill`]).
//!
//! Compaction ranks words by their inverse document frequency over the
//! whole site, so no entry can be compacted before every page is loaded.
//! Keeping every entry's text and counted words until then grows with the
//! site (about 40 MB per 1,500 libvirt pages, six times what the written
//! index keeps). Instead each page's entries are set aside, encoded, as
//! the page is loaded, its words counted into the site's document
//! frequencies on the way ([`SiteWords`]); the index is then written a
//! chunk of pages at a time, reading their entries back
//! ([`SearchSpill::get`]). Memory holds the vocabulary and one number per
//! word, not the text.

use std::sync::{Mutex, PoisonError};

use super::SearchEntry;
use super::words::{SiteWords, WordStat};
use crate::site::spill::{Decoder, Spill, SpillRef, put_number, put_text, unreadable};

/// The set-aside entries of a build's pages, and the site's word counts.
pub struct SearchSpill {
    spill: Spill,
    words: Mutex<SiteWords>,
}

impl Default for SearchSpill {
    fn default() -> Self {
        Self::new()
    }
}

impl SearchSpill {
    pub fn new() -> SearchSpill {
        SearchSpill::new_in(&std::env::temp_dir())
    }

    /// See [`Spill::new_in`].
    pub fn new_in(dir: &std::path::Path) -> SearchSpill {
        SearchSpill {
            spill: Spill::new_in(dir),
            words: Mutex::new(SiteWords::default()),
        }
    }

    /// Counts `entries` into the site's words and sets them aside. `Err`
    /// gives them back when they could not be written (the caller keeps
    /// them in memory; they are counted all the same).
    pub fn put(&self, entries: Vec<SearchEntry>) -> Result<SpillRef, Vec<SearchEntry>> {
        self.words().add(&entries);
        self.spill.put(&encode(&entries)).ok_or(entries)
    }

    /// The entries set aside at `at`.
    pub fn get(&self, at: SpillRef) -> std::io::Result<Vec<SearchEntry>> {
        decode(&self.spill.get(at)?).ok_or_else(|| unreadable("unreadable"))
    }

    /// The word counts of every page put so far.
    pub fn words(&self) -> std::sync::MutexGuard<'_, SiteWords> {
        self.words.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Entries as bytes: per entry its id, title and text, then its words
/// (number, count, start as the distance from the previous word's,
/// length), numbers as LEB128. The words of an entry within its cap
/// ([`super::entry_caps`]) are left out: it is kept whole, its words never
/// ranked (and they are already counted).
fn encode(entries: &[SearchEntry]) -> Vec<u8> {
    let size: usize = entries
        .iter()
        .map(|e| e.id.len() + e.title.len() + e.text.len() + 6 * e.words.len() + 16)
        .sum();
    let mut out = Vec::with_capacity(size + 4);
    put_number(&mut out, entries.len() as u64);
    for (e, cap) in entries.iter().zip(super::entry_caps(entries)) {
        put_text(&mut out, &e.id);
        put_text(&mut out, &e.title);
        put_text(&mut out, &e.text);
        let words: &[WordStat] = if e.text.len() <= cap { &[] } else { &e.words };
        put_number(&mut out, words.len() as u64);
        let mut previous = 0;
        for w in words {
            let range = w.first();
            put_number(&mut out, u64::from(w.word));
            put_number(&mut out, u64::from(w.count));
            put_number(&mut out, (range.start - previous) as u64);
            put_number(&mut out, range.len() as u64);
            previous = range.start;
        }
    }
    out
}

/// [`encode`] undone; `None` for bytes it did not make.
fn decode(bytes: &[u8]) -> Option<Vec<SearchEntry>> {
    let mut r = Decoder::new(bytes);
    let count = r.number()?;
    let mut entries = Vec::with_capacity(count.min(1 << 16) as usize);
    for _ in 0..count {
        let id = r.text()?;
        let title = r.text()?;
        let text = r.text()?;
        let n = r.number()?;
        let mut words = Vec::with_capacity(n.min(1 << 20) as usize);
        let mut start = 0u32;
        for _ in 0..n {
            let word = r.u32()?;
            let count = r.u32()?;
            start = start.checked_add(r.u32()?)?;
            let end = start.checked_add(r.u32()?)?;
            text.get(start as usize..end as usize)?;
            words.push(WordStat::new(word, count, start, end));
        }
        entries.push(SearchEntry {
            id,
            title,
            text,
            words,
        });
    }
    r.done().then_some(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A short entry, one long enough to exceed its cap (its words are
    /// kept), and an empty one.
    fn entries() -> Vec<SearchEntry> {
        let long: String = (0..400).map(|i| format!("w{} Alpha ", i % 97)).collect();
        vec![
            SearchEntry::new(
                String::new(),
                String::new(),
                "Top text, top. é alpha".into(),
            ),
            SearchEntry::new("s1".into(), "Sé 1".into(), long),
            SearchEntry::new("e".into(), String::new(), String::new()),
        ]
    }

    /// What comes back: everything, less the words of entries within their cap.
    fn as_kept(mut entries: Vec<SearchEntry>) -> Vec<SearchEntry> {
        let caps: Vec<usize> = super::super::entry_caps(&entries).collect();
        for (e, cap) in entries.iter_mut().zip(caps) {
            if e.text.len() <= cap {
                e.words.clear();
            }
        }
        entries
    }

    #[test]
    fn entries_come_back_as_they_were_put() {
        let spill = SearchSpill::new();
        let a = spill.put(entries()).unwrap();
        let b = spill.put(Vec::new()).unwrap();
        let c = spill.put(entries()[1..].to_vec()).unwrap();
        assert_eq!(spill.get(c).unwrap(), as_kept(entries()[1..].to_vec()));
        let back = spill.get(a).unwrap();
        assert_eq!(back, as_kept(entries()));
        assert!(back[0].words.is_empty() && !back[1].words.is_empty());
        assert_eq!(spill.get(b).unwrap(), Vec::new());
        // Words are counted as they are put, kept or not: "alpha" is in
        // three entries.
        let words = spill.words();
        assert_eq!(words.entries(), 5);
        let alpha = entries()[1].words[1].word as usize;
        assert_eq!(words.document_frequency(alpha), 3);
    }

    /// Truncated or altered bytes are refused, never a panic.
    #[test]
    fn damaged_bytes_are_refused() {
        let bytes = encode(&entries());
        assert_eq!(decode(&bytes).unwrap(), as_kept(entries()));
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut]).is_none(), "cut at {cut}");
        }
        for at in 0..bytes.len() {
            let mut b = bytes.clone();
            b[at] ^= 0xff;
            let _ = decode(&b);
        }
    }
}
