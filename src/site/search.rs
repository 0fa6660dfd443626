//! The full-text search index, written as `search-index.js`.
//!
//! A script that assigns a global (rather than JSON to fetch) so search
//! also works when the site is opened from `file://`, where browsers
//! refuse `fetch`. The theme's `search.js` loads it on first use, so pages
//! do not pay for it until someone searches.
//!
//! One entry per section (plus one per page for the text before the first
//! section): page, section id, section title, text. Searching happens in
//! the browser by scanning entries, so the index must stay small enough for
//! a phone. Text is therefore compacted per page, within a budget
//! ([`page_budget`]) shared by the page's entries in proportion to their length (each
//! entry gets between [`MIN_ENTRY`] and [`MAX_ENTRY`]). An entry that fits
//! is kept whole; a longer one keeps its first [`HEAD`] bytes (context for
//! snippets) and then as many of its *other distinct words* as fit, the
//! most characteristic first: tf-idf, i.e. words frequent in this section
//! and rare in the site (so "Seccomp" in a sandboxing section beats "the").
//! Repetition, which makes up most prose, is dropped. Sites whose text
//! totals at most [`SITE_BUDGET`] are not compacted at all. A generated
//! 1,000-page site gives an index of about 1.8 MB (`benches/search_index.rs`).

mod compact;
mod gather;
mod json;
mod spill;
mod words;

use std::io::{self, Write};

use rayon::prelude::*;
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::ast::Element;
#[cfg(test)]
use crate::ast::Tag;
use crate::site::spill::SpillRef;
use compact::compact;
use gather::{Text, gather};
pub use spill::SearchSpill;
pub use words::SiteWords;
use words::{WordStat, entry_words};

/// Text bytes a page's entries share: [`PAGE_BASE`] plus a quarter of the
/// page's text, at most [`PAGE_MAX`]. Longer pages keep more, but less
/// than in proportion, since their extra text is mostly repetition.
pub fn page_budget(page_text: usize) -> usize {
    (PAGE_BASE + page_text / 4).min(PAGE_MAX)
}
/// Text of a whole site kept uncompacted (bytes): small sites lose nothing.
pub const SITE_BUDGET: usize = 1_000_000;
/// See [`page_budget`].
pub const PAGE_BASE: usize = 300;
/// See [`page_budget`].
pub const PAGE_MAX: usize = 4000;
/// Least text an entry may keep, however long its page.
pub const MIN_ENTRY: usize = 240;
/// Most text one entry may keep.
pub const MAX_ENTRY: usize = 1200;
/// Leading text of a long entry kept verbatim, in bytes.
pub const HEAD: usize = 90;
/// Name of the global `search-index.js` assigns.
pub const GLOBAL: &str = "KBGEN_SEARCH_INDEX";
/// Output path of the index, relative to the site root.
pub const INDEX_PATH: &str = "search-index.js";

/// What the index needs to know about a page.
pub struct SearchPage<'a> {
    /// Output path relative to the site root (`kbase/x.html`).
    pub href: &'a str,
    pub title: &'a str,
    /// The page's text, from [`page_entries`].
    pub entries: &'a [SearchEntry],
}

/// The full text of one section of a page (or of the page's top, before
/// its first section), uncompacted. Taken from the tree right after
/// parsing ([`page_entries`]), so the tree need not be kept for the index.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchEntry {
    /// Section id, `""` for the page top.
    pub id: String,
    /// Section title, `""` for the page top.
    pub title: String,
    /// Whitespace-collapsed text, code last.
    pub text: String,
    /// The distinct words of `text`, counted when the page was loaded.
    words: Vec<WordStat>,
}

impl SearchEntry {
    fn new(id: String, title: String, text: String) -> SearchEntry {
        let words = entry_words(&text);
        SearchEntry {
            id,
            title,
            text,
            words,
        }
    }
}

/// The entries of one page: its top (the description, then the text
/// before the first section), then each section in document order.
pub fn page_entries(doc: &Element, description: Option<&str>) -> Vec<SearchEntry> {
    let mut top = Text::default();
    if let Some(d) = description {
        top.prose.push(d);
        top.prose.space();
    }
    let mut sections = Vec::new();
    gather(doc, &mut top, &mut sections);
    let mut out = Vec::with_capacity(sections.len() + 1);
    out.push(SearchEntry::new(String::new(), String::new(), top.joined()));
    out.extend(
        sections
            .into_iter()
            .map(|(id, title, text)| SearchEntry::new(id, title, text)),
    );
    out
}

/// The index as serialised: short keys, arrays instead of objects, since
/// every byte is downloaded by every reader who searches.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct SearchIndex {
    /// Format version, bumped when the shape changes.
    pub v: u32,
    /// Pages: `[href, title]`.
    pub p: Vec<(String, String)>,
    /// Entries: `[page index, section id ("" for the page top), section title, text]`.
    pub e: Vec<(u32, String, String, String)>,
}

impl SearchIndex {
    /// Builds the index of `pages`, in their order.
    pub fn build<'a>(pages: impl IntoIterator<Item = SearchPage<'a>>) -> SearchIndex {
        let pages: Vec<SearchPage<'a>> = pages.into_iter().collect();
        let mut words = SiteWords::default();
        for page in &pages {
            words.add(page.entries);
        }
        let idf = words.idf();
        // Each page's entries share the page budget; pages are independent.
        let compacted: Vec<Vec<String>> = pages
            .par_iter()
            .map(|page| compact_page(page.entries, idf.as_deref()))
            .collect();
        let mut index = SearchIndex {
            v: 1,
            ..SearchIndex::default()
        };
        for (n, (page, texts)) in pages.iter().zip(compacted).enumerate() {
            index
                .p
                .push((page.href.to_string(), page.title.to_string()));
            for (e, text) in page.entries.iter().zip(texts) {
                index
                    .e
                    .push((n as u32, e.id.clone(), e.title.clone(), text));
            }
        }
        index
    }

    /// The `search-index.js` file: one assignment to [`GLOBAL`].
    pub fn to_js(&self) -> String {
        let json = serde_json::to_string(self).unwrap_or_else(|_| "{}".into());
        format!("window.{GLOBAL}={json};\n")
    }
}

/// The compacted texts of one page's entries: they share the page's
/// budget in proportion to their length. `idf` is `None` when nothing is
/// compacted (see [`SiteWords::idf`]).
fn compact_page(entries: &[SearchEntry], idf: Option<&[f64]>) -> Vec<String> {
    let Some(idf) = idf else {
        return entries.iter().map(|e| e.text.clone()).collect();
    };
    let idf = |w: words::WordId| idf.get(w as usize).copied().unwrap_or(0.0);
    entries
        .iter()
        .zip(entry_caps(entries))
        .map(|(e, cap)| compact(&e.text, &e.words, cap, idf))
        .collect()
}

/// The most text each of a page's entries keeps when the site is
/// compacted: its share of the page's budget, in proportion to its length.
/// An entry within its cap is kept whole, so its words are never ranked.
fn entry_caps(entries: &[SearchEntry]) -> impl Iterator<Item = usize> + '_ {
    let page_len: usize = entries.iter().map(|e| e.text.len()).sum::<usize>().max(1);
    entries.iter().map(move |e| {
        let share = page_budget(page_len) * e.text.len() / page_len;
        share.clamp(MIN_ENTRY, MAX_ENTRY)
    })
}

/// A page's search text: kept in memory (the preview, and a page whose
/// text could not be set aside), or set aside in a full build's
/// [`SearchSpill`].
#[derive(Debug, Clone, PartialEq)]
pub enum PageSearch {
    Kept(Vec<SearchEntry>),
    Spilled(SpillRef),
}

impl Default for PageSearch {
    fn default() -> Self {
        PageSearch::Kept(Vec::new())
    }
}

/// Pages compacted and encoded at a time by [`write_index_js`]: enough to
/// keep both cores busy, few enough that only their text is in memory.
const CHUNK: usize = 64;

/// Writes `search-index.js` for `pages` to `out`, byte for byte what
/// [`SearchIndex::build`] and [`SearchIndex::to_js`] make, without ever
/// holding the whole index: pages are compacted and encoded a chunk at a
/// time. With a `spill`, its word counts are the site's (every page's
/// entries went through it, whether set aside or given back); without,
/// every page's entries must be kept.
pub fn write_index_js(
    out: &mut impl Write,
    pages: &[super::BuiltPage],
    spill: Option<&SearchSpill>,
) -> io::Result<()> {
    let idf = match spill {
        Some(spill) => spill.words().idf(),
        None => {
            let mut words = SiteWords::default();
            for p in pages {
                if let PageSearch::Kept(entries) = &p.search {
                    words.add(entries);
                }
            }
            words.idf()
        }
    };
    write!(out, "window.{GLOBAL}={{\"v\":1,\"p\":[")?;
    for (n, p) in pages.iter().enumerate() {
        if n > 0 {
            out.write_all(b",")?;
        }
        let href = crate::passes::links::path_url(&p.page.output_path());
        serde_json::to_writer(&mut *out, &(href, &p.meta.title))?;
    }
    out.write_all(b"],\"e\":[")?;
    let mut first = true;
    for (c, chunk) in pages.chunks(CHUNK).enumerate() {
        let encoded: Vec<io::Result<Vec<u8>>> = chunk
            .par_iter()
            .enumerate()
            .map(|(i, p)| {
                let n = (c * CHUNK + i) as u32;
                let mut bytes = Vec::new();
                let entries = match (&p.search, spill) {
                    (PageSearch::Kept(entries), _) => entries,
                    (PageSearch::Spilled(at), Some(spill)) => {
                        spill.write_json(*at, n, idf.as_deref(), &mut bytes)?;
                        return Ok(bytes);
                    }
                    (PageSearch::Spilled(_), None) => {
                        return Err(io::Error::other("search text set aside without its spill"));
                    }
                };
                for (k, (e, text)) in entries
                    .iter()
                    .zip(compact_page(entries, idf.as_deref()))
                    .enumerate()
                {
                    if k > 0 {
                        bytes.push(b',');
                    }
                    serde_json::to_writer(&mut bytes, &(n, &e.id, &e.title, text))?;
                }
                Ok(bytes)
            })
            .collect();
        for bytes in encoded {
            let bytes = bytes?;
            if bytes.is_empty() {
                continue;
            }
            if !first {
                out.write_all(b",")?;
            }
            first = false;
            out.write_all(&bytes)?;
        }
    }
    out.write_all(b"]};\n")
}

/// The `search-index.js` of pages whose entries are all kept (the preview).
pub fn index_js(pages: &[super::BuiltPage]) -> String {
    let mut out = Vec::new();
    // Writing to memory cannot fail, nor can reading kept entries.
    let _ = write_index_js(&mut out, pages, None);
    String::from_utf8(out).unwrap_or_default()
}

/// Caps `text` at `cap` bytes: the first [`HEAD`] bytes, `…`, then the
/// other distinct words (compared folded), highest tf × `idf` first, shown
/// in their order of appearance.
pub fn compact_text(text: &str, cap: usize, idf: &dyn Fn(&str) -> f64) -> String {
    words::compact_scored(text, cap, idf)
}

/// Search folding, identical to `fold` in the theme's `search.js`: per
/// character lower-case, compatibility decomposition (NFKD), combining
/// marks dropped, final sigma made a plain sigma. `Éclair` → `eclair`,
/// `ﬁle` → `file`, `ΟΔΟΣ` → `οδοσ`.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        for l in c.to_lowercase() {
            for d in std::iter::once(l).nfkd() {
                if !is_combining_mark(d) {
                    out.push(if d == 'ς' { 'σ' } else { d });
                }
            }
        }
    }
    out
}

/// Folded words of a text: runs of letters and digits.
pub fn tokens(s: &str) -> Vec<String> {
    fold(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests;
