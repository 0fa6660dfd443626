//! Pages' search text set aside on disk during a full build, so a big
//! site's text is never all in memory.
//!
//! Compaction ranks words by their inverse document frequency over the
//! whole site, so no entry can be compacted before every page is loaded.
//! Keeping every entry's text and counted words until then grows with the
//! site (about 40 MB per 1,500 libvirt pages, six times what the written
//! index keeps). Instead each page's entries are appended, encoded, to a
//! temporary file as the page is loaded, its words counted into the site's
//! document frequencies on the way ([`SiteWords`]); the index is then
//! written page by page, reading each page's entries back
//! ([`SearchSpill::get`]). Memory holds the vocabulary and one number per
//! word, not the text.
//!
//! The file is unnamed where the system allows (removed as soon as it is
//! open), so a killed build leaves nothing behind. If no temporary file can
//! be made, the encoded entries stay in memory: the build still works, with
//! the memory the text takes.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};

use super::SearchEntry;
use super::words::{SiteWords, WordStat};

/// Where a page's entries are in the spill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpillRef {
    offset: u64,
    len: u32,
}

/// The encoded entries of a build's pages, and the site's word counts.
pub struct SearchSpill {
    store: Mutex<Store>,
    words: Mutex<SiteWords>,
}

enum Store {
    /// `path` is the file's name while it has one (see [`temporary_file`]).
    File {
        file: File,
        len: u64,
        path: Option<PathBuf>,
    },
    Memory(Vec<u8>),
}

impl Default for SearchSpill {
    fn default() -> Self {
        Self::new()
    }
}

impl SearchSpill {
    /// A spill in a new temporary file (in memory when none can be made).
    pub fn new() -> SearchSpill {
        let store = match temporary_file() {
            Some((file, path)) => Store::File { file, len: 0, path },
            None => Store::Memory(Vec::new()),
        };
        SearchSpill {
            store: Mutex::new(store),
            words: Mutex::new(SiteWords::default()),
        }
    }

    /// Counts `entries` into the site's words and sets them aside.
    /// `Err` is the entries given back when they could not be written (the
    /// caller keeps them in memory).
    pub fn put(&self, entries: Vec<SearchEntry>) -> Result<SpillRef, Vec<SearchEntry>> {
        self.words
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .add(&entries);
        let bytes = encode(&entries);
        let Ok(len) = u32::try_from(bytes.len()) else {
            return Err(entries);
        };
        let mut store = self.store.lock().unwrap_or_else(PoisonError::into_inner);
        match &mut *store {
            Store::File { file, len: end, .. } => {
                let offset = *end;
                // A failed write may have written part: seek back to the
                // end of what is known good before the next page.
                match file.write_all(&bytes) {
                    Ok(()) => {
                        *end += u64::from(len);
                        Ok(SpillRef { offset, len })
                    }
                    Err(_) => {
                        let _ = file.seek(SeekFrom::Start(offset));
                        Err(entries)
                    }
                }
            }
            Store::Memory(all) => {
                let offset = all.len() as u64;
                all.extend_from_slice(&bytes);
                Ok(SpillRef { offset, len })
            }
        }
    }

    /// The entries set aside at `at`. `Err` when they cannot be read back.
    pub fn get(&self, at: SpillRef) -> std::io::Result<Vec<SearchEntry>> {
        let mut bytes = vec![0; at.len as usize];
        {
            let mut store = self.store.lock().unwrap_or_else(PoisonError::into_inner);
            match &mut *store {
                Store::File { file, len, .. } => {
                    file.seek(SeekFrom::Start(at.offset))?;
                    file.read_exact(&mut bytes)?;
                    file.seek(SeekFrom::Start(*len))?;
                }
                Store::Memory(all) => {
                    let start = usize::try_from(at.offset).unwrap_or(usize::MAX);
                    let slice = start
                        .checked_add(bytes.len())
                        .and_then(|end| all.get(start..end))
                        .ok_or_else(|| corrupt("past the end"))?;
                    bytes.copy_from_slice(slice);
                }
            }
        }
        decode(&bytes).ok_or_else(|| corrupt("unreadable"))
    }

    /// The word counts of every page put so far.
    pub fn words(&self) -> std::sync::MutexGuard<'_, SiteWords> {
        self.words.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn corrupt(what: &str) -> std::io::Error {
    std::io::Error::other(format!("search text set aside is {what}"))
}

/// A new temporary file open for reading and writing, removed from its
/// folder at once on systems that allow an open file to be removed
/// (elsewhere the path is returned, for [`SearchSpill`]'s drop to remove).
fn temporary_file() -> Option<(File, Option<PathBuf>)> {
    use std::sync::atomic::{AtomicU32, Ordering};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir();
    for _ in 0..8 {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(format!(".kbgen-search-{}-{n}", std::process::id()));
        if let Ok(file) = File::options()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
        {
            if cfg!(unix) && std::fs::remove_file(&path).is_ok() {
                return Some((file, None));
            }
            return Some((file, Some(path)));
        }
    }
    None
}

impl Drop for SearchSpill {
    fn drop(&mut self) {
        let store = self.store.get_mut().unwrap_or_else(PoisonError::into_inner);
        if let Store::File {
            path: Some(path), ..
        } = store
        {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Entries as bytes: per entry its id, title and text (each a length and
/// UTF-8), then its words (number, count, start as the distance from the
/// previous word's, length), all numbers LEB128.
fn encode(entries: &[SearchEntry]) -> Vec<u8> {
    let size: usize = entries
        .iter()
        .map(|e| e.id.len() + e.title.len() + e.text.len() + 6 * e.words.len() + 16)
        .sum();
    let mut out = Vec::with_capacity(size + 4);
    put_number(&mut out, entries.len() as u64);
    for e in entries {
        for s in [&e.id, &e.title, &e.text] {
            put_number(&mut out, s.len() as u64);
            out.extend_from_slice(s.as_bytes());
        }
        put_number(&mut out, e.words.len() as u64);
        let mut previous = 0;
        for w in &e.words {
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
    let mut r = Reader { bytes, at: 0 };
    let count = r.number()?;
    let mut entries = Vec::with_capacity(count.min(1 << 16) as usize);
    for _ in 0..count {
        let id = r.text()?;
        let title = r.text()?;
        let text = r.text()?;
        let n = r.number()?;
        let mut words = Vec::with_capacity(n.min(1 << 20) as usize);
        let mut start = 0u64;
        for _ in 0..n {
            let word = u32::try_from(r.number()?).ok()?;
            let count = u32::try_from(r.number()?).ok()?;
            start = start.checked_add(r.number()?)?;
            let end = start.checked_add(r.number()?)?;
            let (s, e) = (u32::try_from(start).ok()?, u32::try_from(end).ok()?);
            text.get(s as usize..e as usize)?;
            words.push(WordStat::new(word, count, s, e));
        }
        entries.push(SearchEntry {
            id,
            title,
            text,
            words,
        });
    }
    (r.at == bytes.len()).then_some(entries)
}

fn put_number(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn number(&mut self) -> Option<u64> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *self.bytes.get(self.at)?;
            self.at += 1;
            n |= u64::from(b & 0x7f).checked_shl(shift)?;
            if b < 0x80 {
                return Some(n);
            }
        }
        None
    }

    fn text(&mut self) -> Option<String> {
        let len = usize::try_from(self.number()?).ok()?;
        let end = self.at.checked_add(len)?;
        let s = std::str::from_utf8(self.bytes.get(self.at..end)?).ok()?;
        self.at = end;
        Some(s.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries() -> Vec<SearchEntry> {
        vec![
            SearchEntry::new(String::new(), String::new(), "Top text, top. é".into()),
            SearchEntry::new("s1".into(), "Sé 1".into(), "alpha beta Alpha gamma".into()),
            SearchEntry::new("e".into(), String::new(), String::new()),
        ]
    }

    #[test]
    fn entries_come_back_as_they_were_put() {
        let spill = SearchSpill::new();
        let a = spill.put(entries()).unwrap();
        let b = spill.put(Vec::new()).unwrap();
        let c = spill.put(entries()[1..].to_vec()).unwrap();
        assert_eq!(spill.get(c).unwrap(), entries()[1..].to_vec());
        assert_eq!(spill.get(a).unwrap(), entries());
        assert_eq!(spill.get(b).unwrap(), Vec::new());
        // Words are counted as they are put: "alpha" is in two entries.
        let words = spill.words();
        assert_eq!(words.entries(), 5);
        let alpha = entries()[1].words[0].word as usize;
        assert_eq!(words.document_frequency(alpha), 2);
    }

    #[test]
    fn memory_store_reads_what_the_file_store_does() {
        let spill = SearchSpill {
            store: Mutex::new(Store::Memory(Vec::new())),
            words: Mutex::new(SiteWords::default()),
        };
        let a = spill.put(entries()).unwrap();
        assert_eq!(spill.get(a).unwrap(), entries());
        let past = SpillRef {
            offset: a.len as u64,
            len: 3,
        };
        assert!(spill.get(past).is_err());
    }

    /// Truncated or altered bytes are refused, never a panic.
    #[test]
    fn damaged_bytes_are_refused() {
        let bytes = encode(&entries());
        assert_eq!(decode(&bytes).unwrap(), entries());
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
