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
//! ([`SearchSpill::write_json`]). Memory holds the vocabulary and one
//! number per word, not the text.
//!
//! What is set aside is what the index can show, already as JSON: an
//! entry kept whole is its finished JSON, a long one its head and the
//! first occurrence of each later word (all a compacted text can take),
//! so reading back is copying bytes and ranking words.

use std::sync::{Mutex, PoisonError};

use super::SearchEntry;
use super::compact::{ELLIPSIS, after_head, head_end, pick, room_after_head};
use super::json::escape_into;
use super::words::SiteWords;
use crate::site::spill::{Decoder, Spill, SpillRef, put_number, unreadable};

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

    /// Counts `entries` into the site's words and sets them aside, as
    /// much of them as the index can show (see [`encode`]). `Err` gives
    /// them back when they could not be written (the caller keeps them in
    /// memory; they are counted all the same).
    pub fn put(&self, entries: Vec<SearchEntry>) -> Result<SpillRef, Vec<SearchEntry>> {
        let compacted = {
            let mut words = self.words();
            words.add(&entries);
            words.compacted()
        };
        self.spill.put(&encode(&entries, compacted)).ok_or(entries)
    }

    /// Appends the index's JSON of the entries set aside at `at`, those of
    /// page number `page`: `[page,"id","title","text"]` each, separated by
    /// commas, texts compacted by `idf` (`None`: kept whole; see
    /// [`SiteWords::idf`]), byte for byte what `serde_json` writes for
    /// [`super::compact_page`]'s texts.
    pub fn write_json(
        &self,
        at: SpillRef,
        page: u32,
        idf: Option<&[f64]>,
        out: &mut Vec<u8>,
    ) -> std::io::Result<()> {
        thread_local! {
            /// The part being written, one buffer per thread.
            static PART: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        PART.with(|part| {
            let mut part = part.try_borrow_mut().map_err(|_| unreadable("busy"))?;
            self.spill.get_into(at, &mut part)?;
            write_json(&part, page, idf, out).ok_or_else(|| unreadable("unreadable"))
        })
    }

    /// The word counts of every page put so far.
    pub fn words(&self) -> std::sync::MutexGuard<'_, SiteWords> {
        self.words.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// An entry within its cap: kept whole whatever the site.
const WHOLE: u8 = 0;
/// An entry longer than its cap, while the site may still be too small
/// to be compacted: its head, its words, then the rest of its text.
const LONG: u8 = 1;
/// An entry longer than its cap on a site already known to be compacted:
/// its head and its words, no more.
const COMPACTED: u8 = 2;

/// Entries as bytes, per entry: its kind ([`WHOLE`], [`LONG`],
/// [`COMPACTED`]) and its JSON up to its text's head (`"id","title","`
/// and the escaped head: the whole text for a [`WHOLE`] one). A long
/// entry then has the room its cap leaves after the head, and the
/// distinct words after its head (number, count and the bytes of its
/// first occurrence; words never need escaping), and, when [`LONG`], the
/// rest of its text (escaped only if it is ever written).
///
/// Whether the site is compacted is only known once every page is
/// counted, but the text counted so far only grows: once past
/// [`super::SITE_BUDGET`] (`compacted`), the rest of a long entry's text
/// can never be shown and is not kept. Counts are LEB128, pieces of
/// JSON a 4-byte length and their bytes, words [`word_fields`].
fn encode(entries: &[SearchEntry], compacted: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(size(entries, compacted));
    put_number(&mut out, entries.len() as u64);
    for (e, cap) in entries.iter().zip(super::entry_caps(entries)) {
        let long = e.text.len() > cap;
        let head_end = if long {
            head_end(&e.text)
        } else {
            e.text.len()
        };
        out.push(match (long, compacted) {
            (false, _) => WHOLE,
            (true, false) => LONG,
            (true, true) => COMPACTED,
        });
        put_json(&mut out, |out| {
            out.push(b'"');
            escape_into(out, &e.id);
            out.extend_from_slice(b"\",\"");
            escape_into(out, &e.title);
            out.extend_from_slice(b"\",\"");
            escape_into(out, &e.text[..head_end]);
        });
        if !long {
            continue;
        }
        put_number(&mut out, room_after_head(cap, head_end) as u64);
        let words = after_head(&e.words, head_end);
        put_number(&mut out, words.len() as u64);
        for w in words {
            let spelled = &e.text.as_bytes()[w.first()];
            let len = u32::try_from(spelled.len()).unwrap_or(u32::MAX);
            out.extend_from_slice(&word_fields(w.word, w.count, len));
            out.extend_from_slice(&spelled[..len as usize]);
        }
        if !compacted {
            // Escaped when it is written, if ever (only when the site turns
            // out too small to compact).
            put_number(&mut out, (e.text.len() - head_end) as u64);
            out.extend_from_slice(&e.text.as_bytes()[head_end..]);
        }
    }
    out
}

/// About the size [`encode`] makes, to allocate once.
fn size(entries: &[SearchEntry], compacted: bool) -> usize {
    let text = |e: &SearchEntry| match compacted {
        true => e.text.len().min(super::MAX_ENTRY + 8) + 20 * e.words.len(),
        false => e.text.len() + 20 * e.words.len(),
    };
    entries
        .iter()
        .map(|e| e.id.len() + e.title.len() + text(e) + 24)
        .sum::<usize>()
        + 8
}

/// A word's number, count and length, as [`encode`] sets them aside:
/// three 4-byte numbers, read back without a loop (LEB128 is smaller,
/// but its decoding was a tenth of writing the index).
fn word_fields(word: u32, count: u32, len: u32) -> [u8; 12] {
    let mut fields = [0; 12];
    fields[..4].copy_from_slice(&word.to_le_bytes());
    fields[4..8].copy_from_slice(&count.to_le_bytes());
    fields[8..].copy_from_slice(&len.to_le_bytes());
    fields
}

/// Appends what `write` appends, after its length (4 bytes).
fn put_json(out: &mut Vec<u8>, write: impl FnOnce(&mut Vec<u8>)) {
    let at = out.len();
    out.extend_from_slice(&[0; 4]);
    write(out);
    let len = u32::try_from(out.len() - at - 4).unwrap_or(u32::MAX);
    out[at..at + 4].copy_from_slice(&len.to_le_bytes());
}

/// A piece [`put_json`] wrote.
fn json<'a>(r: &mut Decoder<'a>) -> Option<&'a [u8]> {
    let len = u32::from_le_bytes(r.bytes(4)?.try_into().ok()?);
    r.bytes(len as usize)
}

/// Appends the JSON of the entries [`encode`] made `bytes` of (see
/// [`SearchSpill::write_json`]); `None` for bytes it did not make, or
/// when the site is not compacted (`idf` is `None`) but an entry was set
/// aside compacted, which the text counted so far rules out.
fn write_json(bytes: &[u8], page: u32, idf: Option<&[f64]>, out: &mut Vec<u8>) -> Option<()> {
    let mut r = Decoder::new(bytes);
    let open = format!("[{page},");
    // Each word's score, and where its bytes are.
    let mut words: Vec<(f64, usize, usize)> = Vec::new();
    let count = r.number()?;
    for k in 0..count {
        if k > 0 {
            out.push(b',');
        }
        out.extend_from_slice(open.as_bytes());
        let kind = r.byte()?;
        out.extend_from_slice(json(&mut r)?);
        if kind != WHOLE {
            let room = usize::try_from(r.number()?).ok()?;
            words.clear();
            for _ in 0..r.number()? {
                let fields = r.bytes(12)?;
                let field = |at: usize| {
                    let four = fields.get(at..at + 4).and_then(|f| f.try_into().ok());
                    u32::from_le_bytes(four.unwrap_or_default())
                };
                let (word, count, len) = (field(0), field(4), field(8) as usize);
                let start = r.position();
                r.bytes(len)?;
                let idf = idf.and_then(|idf| idf.get(word as usize));
                let score = f64::from(count) * idf.copied().unwrap_or(0.0);
                words.push((score, start, len));
            }
            let rest = match kind {
                LONG => {
                    let len = usize::try_from(r.number()?).ok()?;
                    Some(r.bytes(len)?)
                }
                COMPACTED => None,
                _ => return None,
            };
            match (idf, rest) {
                (None, Some(rest)) => {
                    // Written by `encode` from a `str` at a space.
                    escape_into(out, std::str::from_utf8(rest).ok()?);
                }
                (None, None) => return None,
                (Some(_), _) => {
                    out.extend_from_slice(ELLIPSIS.as_bytes());
                    let scored = words.iter().map(|&(score, _, len)| (score, len));
                    pick(scored, room, |i| {
                        let (_, start, len) = words[i];
                        out.push(b' ');
                        out.extend_from_slice(&bytes[start..start + len]);
                    });
                }
            }
        }
        out.extend_from_slice(b"\"]");
    }
    r.done().then_some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A short entry (kept whole), one long enough to exceed its cap, an
    /// empty one, and one with text to escape and a long head.
    fn entries() -> Vec<SearchEntry> {
        let long: String = (0..400).map(|i| format!("w{} Alpha ", i % 97)).collect();
        let quoted: String = (0..300)
            .map(|i| format!("q\"{i}\\ \u{1}tab\té{} ", i % 13))
            .collect();
        vec![
            SearchEntry::new(
                String::new(),
                String::new(),
                "Top text, top. é alpha".into(),
            ),
            SearchEntry::new("s1".into(), "Sé 1".into(), long),
            SearchEntry::new("e".into(), String::new(), String::new()),
            SearchEntry::new("q\"".into(), "<T\\>".into(), quoted),
        ]
    }

    /// What the index holds for page `page`'s `entries`: `serde_json` of
    /// each entry with its text compacted in memory.
    fn expected(entries: &[SearchEntry], page: u32, idf: Option<&[f64]>) -> String {
        let texts = super::super::compact_page(entries, idf);
        let json: Vec<String> = entries
            .iter()
            .zip(texts)
            .map(|(e, text)| serde_json::to_string(&(page, &e.id, &e.title, text)).unwrap())
            .collect();
        json.join(",")
    }

    fn idf() -> Vec<f64> {
        (0..2000).map(|w| f64::from(w % 7) / 3.0).collect()
    }

    /// Entries set aside before the site is known to be compacted, and
    /// after, are written as the entries kept in memory are: whole when
    /// the site is not compacted, compacted (short ones whole) when it is.
    #[test]
    fn entries_are_written_as_kept_entries_are() {
        let idf = idf();
        let entries = entries();
        let caps: Vec<usize> = super::super::entry_caps(&entries).collect();
        assert!(entries[1].text.len() > caps[1] && entries[3].text.len() > caps[3]);
        assert!(entries[0].text.len() <= caps[0]);
        for compacted in [false, true] {
            let bytes = encode(&entries, compacted);
            let mut out = Vec::new();
            write_json(&bytes, 7, Some(&idf), &mut out).unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                expected(&entries, 7, Some(&idf))
            );
            let mut out = Vec::new();
            // Not compacted after all: only possible if nothing was put
            // after the text passed the budget.
            let whole = write_json(&bytes, 3, None, &mut out);
            assert_eq!(whole.is_some(), !compacted);
            if !compacted {
                let written = String::from_utf8(out).unwrap();
                assert_eq!(written, expected(&entries, 3, None));
                assert!(written.contains(&entries[1].text));
            }
        }
        // Set aside compacted, a long entry keeps no more than its head
        // and one occurrence of each word.
        let long = vec![entries[1].clone()];
        assert!(encode(&long, true).len() < entries[1].text.len() / 2);
        assert!(encode(&long, false).len() > entries[1].text.len());
    }

    /// A spill decides from the text it has counted: pages put while the
    /// site's text is within the budget keep all their text, later ones
    /// only what a compacted index shows; both are written back right.
    #[test]
    fn pages_put_after_the_text_passes_the_budget_are_set_aside_compacted() {
        let spill = SearchSpill::new();
        let entries = entries();
        let page_text: usize = entries.iter().map(|e| e.text.len()).sum();
        let pages = super::super::SITE_BUDGET / page_text + 3;
        let at: Vec<SpillRef> = (0..pages)
            .map(|_| spill.put(entries.clone()).unwrap())
            .collect();
        assert!(spill.words().compacted());
        let first = spill.spill.get(at[0]).unwrap();
        let last = spill.spill.get(at[pages - 1]).unwrap();
        assert!(
            last.len() < first.len() / 2,
            "{} {}",
            last.len(),
            first.len()
        );
        let idf = spill.words().idf().unwrap();
        for (n, &at) in at.iter().enumerate() {
            let mut out = Vec::new();
            spill
                .write_json(at, n as u32, Some(&idf), &mut out)
                .unwrap();
            let expected = expected(&entries, n as u32, Some(&idf));
            assert_eq!(String::from_utf8(out).unwrap(), expected, "page {n}");
        }
        // Words are counted as they are put: "alpha" is in two entries
        // of each page.
        let words = spill.words();
        assert_eq!(words.entries(), 4 * pages);
        let alpha = entries[1].words[1].word as usize;
        assert_eq!(words.document_frequency(alpha), 2 * pages as u32);
    }

    /// Truncated or altered bytes are refused, never a panic.
    #[test]
    fn damaged_bytes_are_refused() {
        let idf = idf();
        for compacted in [false, true] {
            let bytes = encode(&entries(), compacted);
            for cut in 0..bytes.len() {
                let mut out = Vec::new();
                let written = write_json(&bytes[..cut], 0, Some(&idf), &mut out);
                assert!(written.is_none(), "cut at {cut}");
            }
            for at in 0..bytes.len() {
                let mut b = bytes.clone();
                b[at] ^= 0xff;
                let _ = write_json(&b, 0, Some(&idf), &mut Vec::new());
                let _ = write_json(&b, 0, None, &mut Vec::new());
            }
        }
    }
}
