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

use std::borrow::Cow;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::ast::{Element, Node, Tag};

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
    out.push(SearchEntry {
        id: String::new(),
        title: String::new(),
        text: top.joined(),
    });
    out.extend(sections.into_iter().map(|(id, title, text)| SearchEntry {
        id,
        title,
        text: text.joined(),
    }));
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
        let all: Vec<&SearchEntry> = pages.iter().flat_map(|p| p.entries).collect();
        // Compaction needs document frequencies, but only happens at all
        // when the whole text exceeds SITE_BUDGET: the limit is about what
        // a phone downloads, so small sites lose nothing.
        let keep_all = all.iter().map(|e| e.text.len()).sum::<usize>() <= SITE_BUDGET;
        let df = if keep_all {
            FxHashMap::default()
        } else {
            document_frequencies(&all)
        };
        let total = all.len().max(1) as f64;
        let idf = |w: &str| (total / f64::from(df.get(w).map_or(1, |&(count, _)| count))).ln();
        // Each page's entries share the page budget; pages are independent.
        let compacted: Vec<Vec<String>> = pages
            .par_iter()
            .map(|page| {
                let page_len: usize = page
                    .entries
                    .iter()
                    .map(|e| e.text.len())
                    .sum::<usize>()
                    .max(1);
                page.entries
                    .iter()
                    .map(|e| {
                        let share = page_budget(page_len) * e.text.len() / page_len;
                        let cap = if keep_all {
                            usize::MAX
                        } else {
                            share.clamp(MIN_ENTRY, MAX_ENTRY)
                        };
                        if e.text.len() <= cap {
                            e.text.clone()
                        } else {
                            let lower = e.text.to_ascii_lowercase();
                            Words::scan(&e.text, &lower).compact(&e.text, cap, &idf)
                        }
                    })
                    .collect()
            })
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

/// The `search-index.js` of a built site's pages.
pub fn index_js(pages: &[super::BuiltPage]) -> String {
    let hrefs: Vec<String> = pages
        .iter()
        .map(|p| crate::passes::links::path_url(&p.page.output_path()))
        .collect();
    SearchIndex::build(pages.iter().zip(&hrefs).map(|(p, href)| SearchPage {
        href,
        title: &p.meta.title,
        entries: &p.search,
    }))
    .to_js()
}

/// Text of one entry, prose and code kept apart so code, which is long
/// and repetitive, goes last and is the first to be cut. Both are
/// whitespace-collapsed as they are gathered, so the raw text is never
/// held.
#[derive(Default)]
struct Text {
    prose: Collapsed,
    code: Collapsed,
}

impl Text {
    /// Prose, then code, separated by a space when both have words.
    fn joined(self) -> String {
        let mut all = self.prose.out;
        if !self.code.out.is_empty() {
            if !all.is_empty() {
                all.push(' ');
            }
            all.push_str(&self.code.out);
        }
        all
    }
}

/// Text collapsed while it is appended: what [`collapse`] gives for the
/// concatenation of everything pushed, with [`Collapsed::space`] standing
/// for a space. Stretches of words already separated by single spaces
/// (most prose) are copied whole.
#[derive(Default)]
struct Collapsed {
    out: String,
    /// White space came after the last word character.
    gap: bool,
}

impl Collapsed {
    fn space(&mut self) {
        self.gap = true;
    }

    fn push(&mut self, s: &str) {
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
            i = skip_word(s, i);
            while b.get(i) == Some(&b' ') && i + 1 < b.len() && skip_space(s, i + 1) == i + 1 {
                i = skip_word(s, i + 1);
            }
            if self.gap && !self.out.is_empty() {
                self.out.push(' ');
            }
            self.gap = false;
            self.out.push_str(&s[first..i]);
        }
    }
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
fn gather(e: &Element, text: &mut Text, out: &mut Vec<(String, String, Text)>) {
    for child in &e.children {
        match child {
            Node::Text(t) => text.prose.push(&t.text),
            Node::Element(c) => match c.tag {
                Tag::Section => {
                    let title = c
                        .first(Tag::Title)
                        .map(|t| collapse(&t.astext()))
                        .unwrap_or_default();
                    let id = c.ids.first().cloned().unwrap_or_default();
                    let slot = out.len();
                    out.push((id, title, Text::default()));
                    let mut own = Text::default();
                    gather(c, &mut own, out);
                    out[slot].2 = own;
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
                    text.code.push(&c.astext());
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

fn collapse(s: &str) -> String {
    let mut c = Collapsed::default();
    c.push(s);
    c.out
}

/// Caps `text` at `cap` bytes: the first [`HEAD`] bytes, `…`, then the
/// other distinct words (compared folded), highest tf × `idf` first, shown
/// in their order of appearance.
pub fn compact_text(text: &str, cap: usize, idf: &dyn Fn(&str) -> f64) -> String {
    let lower = text.to_ascii_lowercase();
    Words::scan(text, &lower).compact(text, cap, idf)
}

/// In how many entries each folded word occurs (and the last entry that
/// counted it, see below).
///
/// Scanning is most of the index's work and independent per entry, so it
/// runs in parallel, one map per worker. Only the counts are kept: holding
/// every entry's word list until pass 2 cost ~100 bytes per distinct word
/// per section (150 MB on a 1,530-page site); pass 2 rescans the few
/// entries it compacts. Each map slot remembers the last entry that counted
/// it, so a word repeated within an entry costs one lookup and no
/// allocation, and no per-entry set is needed. Keys borrow from the
/// entries' text unless folding changed the word.
fn document_frequencies<'a>(entries: &[&'a SearchEntry]) -> FxHashMap<Cow<'a, str>, (u32, usize)> {
    entries
        .par_iter()
        .enumerate()
        .fold(
            || {
                (
                    FxHashMap::<Cow<'a, str>, (u32, usize)>::default(),
                    String::new(),
                )
            },
            |(mut seen, mut buf), (n, e)| {
                let text: &'a str = &e.text;
                for_each_word(text, |range, plain| {
                    let word = &text[range];
                    let key = folded(word, plain, &mut buf);
                    match seen.get_mut(key) {
                        Some((count, last)) => {
                            if *last != n {
                                *count += 1;
                                *last = n;
                            }
                        }
                        None => {
                            seen.insert(owned_key(word, plain, key), (1, n));
                        }
                    }
                });
                (seen, buf)
            },
        )
        .map(|(seen, _)| seen)
        .reduce(FxHashMap::default, |a, b| {
            let (mut big, small) = if a.len() < b.len() { (b, a) } else { (a, b) };
            for (k, (count, _)) in small {
                big.entry(k).or_insert((0, 0)).0 += count;
            }
            big
        })
}

/// The map key of a word whose folded form is `key`: the word itself,
/// borrowed, when folding left it unchanged, else a copy of `key`.
fn owned_key<'a>(word: &'a str, plain: bool, key: &str) -> Cow<'a, str> {
    match plain {
        true => Cow::Borrowed(word),
        false => Cow::Owned(key.to_string()),
    }
}

/// The distinct words of one entry's text, in order of first appearance.
struct Words<'a> {
    /// End of the verbatim head: the last whole word within [`HEAD`] bytes.
    head_end: usize,
    stats: Vec<WordStat>,
    /// Folded word → its index in `stats` (borrowed from the text unless
    /// folding changed the word).
    at: FxHashMap<Cow<'a, str>, usize>,
}

struct WordStat {
    /// Where the word first appears in the text.
    first: std::ops::Range<usize>,
    count: u32,
}

impl<'a> Words<'a> {
    /// One pass over the text, folding each word into a reused buffer so
    /// repeated words cost a lookup, not an allocation. `lower` is `text`
    /// with ASCII lower-cased (same length): keys of ASCII words borrow
    /// from it, so only words with other letters are copied.
    fn scan(text: &str, lower: &'a str) -> Words<'a> {
        let mut head_end = 0;
        for (i, _) in text.match_indices(' ') {
            if i > HEAD {
                break;
            }
            head_end = i;
        }
        if text.len() <= HEAD {
            head_end = text.len();
        }
        // About one distinct word per 16 bytes of a long entry: sized so
        // the map seldom grows.
        let mut stats: Vec<WordStat> = Vec::with_capacity(text.len() / 16);
        let mut at: FxHashMap<Cow<'a, str>, usize> =
            FxHashMap::with_capacity_and_hasher(text.len() / 16, Default::default());
        let mut buf = String::new();
        for_each_word(text, |range, plain| {
            let word = &text[range.clone()];
            let ascii = &lower[range.clone()];
            let key = match plain || word.is_ascii() {
                true => ascii,
                false => folded(word, false, &mut buf),
            };
            match at.get(key) {
                Some(&i) => stats[i].count += 1,
                None => {
                    let key = match plain || word.is_ascii() {
                        true => Cow::Borrowed(ascii),
                        false => Cow::Owned(key.to_string()),
                    };
                    at.insert(key, stats.len());
                    stats.push(WordStat {
                        first: range,
                        count: 1,
                    });
                }
            }
        });
        Words {
            head_end,
            stats,
            at,
        }
    }

    fn compact(&self, text: &str, cap: usize, idf: &dyn Fn(&str) -> f64) -> String {
        if text.len() <= cap {
            return text.to_string();
        }
        let mut out = String::with_capacity(cap + 8);
        out.push_str(&text[..self.head_end]);
        out.push_str(" …");
        // Map order does not matter: ties are broken by first appearance.
        let mut ranked: Vec<(f64, usize)> = self
            .at
            .iter()
            .map(|(folded, &i)| (folded, i, &self.stats[i]))
            .filter(|(folded, _, w)| w.first.end > self.head_end && folded.chars().count() >= 2)
            .map(|(folded, i, w)| (f64::from(w.count) * idf(folded), i))
            .collect();
        // Indices are distinct, so the order is total and an unstable sort
        // gives the same result.
        ranked.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut room = cap.saturating_sub(out.len());
        let mut keep: Vec<usize> = Vec::new();
        for (_, i) in ranked {
            let len = self.stats[i].first.len() + 1;
            if len <= room {
                room -= len;
                keep.push(i);
            }
        }
        keep.sort_unstable();
        for i in keep {
            out.push(' ');
            out.push_str(&text[self.stats[i].first.clone()]);
        }
        out
    }
}

/// Calls `f` with the byte range of each run of letters and digits, and
/// whether the run is "plain": only lower-case ASCII letters and digits,
/// so folding leaves it unchanged (most words). ASCII, most of any text,
/// is classified per byte.
fn for_each_word(text: &str, mut f: impl FnMut(std::ops::Range<usize>, bool)) {
    let b = text.as_bytes();
    let mut start = None;
    let mut plain = true;
    let mut i = 0;
    while i < b.len() {
        let (alnum, len) = if b[i].is_ascii() {
            let alnum = b[i].is_ascii_alphanumeric();
            if b[i].is_ascii_uppercase() {
                plain = false;
            }
            (alnum, 1)
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            let alnum = c.is_alphanumeric();
            if alnum {
                plain = false;
            }
            (alnum, c.len_utf8())
        };
        if alnum {
            start.get_or_insert(i);
        } else {
            if let Some(s) = start.take() {
                f(s..i, plain);
            }
            plain = true;
        }
        i += len;
    }
    if let Some(s) = start {
        f(s..text.len(), plain);
    }
}

/// The folded form of `word`: the word itself when it is `plain` (see
/// [`for_each_word`]), else folded into `buf`.
fn folded<'a>(word: &'a str, plain: bool, buf: &'a mut String) -> &'a str {
    if plain {
        return word;
    }
    buf.clear();
    if word.is_ascii() {
        buf.push_str(word);
        buf.make_ascii_lowercase();
    } else {
        buf.push_str(&fold(word));
    }
    buf
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
