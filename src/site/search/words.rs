//! Each entry's distinct words, counted once, when its page is loaded (in
//! the parallel per-page pass), so the site-wide index only adds up
//! numbers: document frequencies are one array increment per distinct
//! word per entry, and ranking an entry's words looks nothing up by text.
//!
//! Words are numbered by one process-wide vocabulary ([`WordId`]). Each
//! thread keeps its own map from folded word to number in front of it, so
//! the shared, locked map is consulted once per word per thread, not per
//! occurrence.

use std::cell::RefCell;
use std::ops::Range;
use std::sync::{LazyLock, Mutex, PoisonError};

use rustc_hash::FxHashMap;

use super::compact::compact;
use super::fold;
use table::{ASCII_FOLD, Key, WordTable, fold_ascii};

mod table;

/// A folded word's number in the process-wide vocabulary.
pub type WordId = u32;

/// One distinct word of an entry (words compared folded), in the order of
/// their first appearance. 16 bytes: an entry holds about one per 16
/// bytes of its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordStat {
    pub word: WordId,
    /// Occurrences in the entry.
    pub count: u32,
    /// Byte range of the first occurrence in the entry's text.
    start: u32,
    end: u32,
}

impl WordStat {
    /// Byte range of the word's first occurrence in its entry's text.
    pub(super) fn first(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// What compaction needs to know about the whole site: how many entries
/// have each word (by number), how many entries and how much text there
/// are. Added up page by page, so the entries need not all be kept.
#[derive(Debug, Default, Clone)]
pub struct SiteWords {
    df: Vec<u32>,
    entries: usize,
    text: usize,
}

impl SiteWords {
    /// Counts the entries of one page (the distinct words of each were
    /// counted when the page was loaded: one increment per word).
    pub fn add(&mut self, entries: &[super::SearchEntry]) {
        for e in entries {
            self.entries += 1;
            self.text += e.text.len();
            for w in &e.words {
                let at = w.word as usize;
                if at >= self.df.len() {
                    self.df.resize(at + 1, 0);
                }
                self.df[at] += 1;
            }
        }
    }

    /// Whether the text counted so far is more than
    /// [`super::SITE_BUDGET`]: then the site's index is compacted, however
    /// many pages are still to come.
    pub fn compacted(&self) -> bool {
        self.text > super::SITE_BUDGET
    }

    pub fn entries(&self) -> usize {
        self.entries
    }

    /// Entries that have the word numbered `word`.
    pub fn document_frequency(&self, word: usize) -> u32 {
        self.df.get(word).copied().unwrap_or(0)
    }

    /// Each word's inverse document frequency, `ln(entries / entries with
    /// the word)`, by word number; `None` when the site's whole text is
    /// within [`super::SITE_BUDGET`] and nothing is compacted (the limit
    /// is about what a phone downloads, so small sites lose nothing).
    pub fn idf(&self) -> Option<Vec<f64>> {
        if !self.compacted() {
            return None;
        }
        let total = self.entries.max(1) as f64;
        Some(
            self.df
                .iter()
                .map(|&count| (total / f64::from(count.max(1))).ln())
                .collect(),
        )
    }
}

/// Every folded word this process has met, numbered in order of first
/// sight. It only grows: a preview running for hours adds just the new
/// words its edits bring, and numbers stay valid for the entries kept.
static VOCABULARY: LazyLock<Mutex<FxHashMap<Box<str>, WordId>>> = LazyLock::new(|| {
    // Room for a site of libvirt's size (about 10,000 words: 14,336 fit
    // in the 16,384 buckets this asks for) without growing.
    Mutex::new(FxHashMap::with_capacity_and_hasher(
        SITE_SLOTS / 4,
        Default::default(),
    ))
});

/// Number standing for a word of fewer than two characters: never ranked
/// (see [`compact`]), so not counted at all.
const SHORT: WordId = WordId::MAX;

/// Where a [`Scanner`] gets the number of a word it has not seen.
trait Numbering {
    fn number(&mut self, word: &str) -> WordId;
}

/// The process-wide [`VOCABULARY`].
struct SiteNumbering;

impl Numbering for SiteNumbering {
    fn number(&mut self, word: &str) -> WordId {
        // A panic elsewhere while holding the lock leaves the map whole
        // (insertion is the only write), so a poisoned lock is still usable.
        let mut vocabulary = VOCABULARY.lock().unwrap_or_else(PoisonError::into_inner);
        // Another thread may have numbered it: then no key is made.
        if let Some(&id) = vocabulary.get(word) {
            return id;
        }
        let next = WordId::try_from(vocabulary.len()).unwrap_or(SHORT);
        vocabulary.insert(word.into(), next);
        next
    }
}

/// Numbers private to one scan, for [`super::compact_text`], whose caller
/// scores words by their text.
#[derive(Default)]
struct LocalNumbering(Vec<Box<str>>);

impl Numbering for LocalNumbering {
    fn number(&mut self, word: &str) -> WordId {
        self.0.push(word.into());
        WordId::try_from(self.0.len() - 1).unwrap_or(SHORT)
    }
}

/// Counts the distinct words of texts, one text at a time.
struct Scanner<N> {
    /// Folded word → number ([`SHORT`] for short words) and where the
    /// current scan counts it, in front of `numbering`.
    table: WordTable,
    stats: Vec<WordStat>,
    numbering: N,
}

impl<N: Numbering> Scanner<N> {
    fn new(numbering: N) -> Self {
        Scanner {
            table: WordTable::default(),
            stats: Vec::new(),
            numbering,
        }
    }

    /// The distinct words of `text` in order of first appearance. Words
    /// past 4 GiB of one entry are not counted (offsets are 32 bits).
    fn scan(&mut self, text: &str) -> Vec<WordStat> {
        self.stats.clear();
        let scan = self.table.next_scan();
        let limit = text.len().min(u32::MAX as usize);
        let text = &text[..floor_char_boundary(text, limit)];
        let b = text.as_bytes();
        let mut i = 0;
        while let Some((start, end, ascii)) = next_word(text, i) {
            i = end;
            let len = end - start;
            let slot = if ascii {
                // One character is a short word; don't look it up.
                if len < 2 {
                    continue;
                }
                let found = if len <= 8 {
                    self.table.find_short(fold_ascii(b, start, len), len)
                } else {
                    self.table.find_long(b, start, len)
                };
                match found {
                    Some(slot) => Some(slot),
                    None => self.new_word(text, start, end, true),
                }
            } else {
                self.new_word(text, start, end, ascii)
            };
            let Some(slot) = slot else { continue };
            let s = self.table.at(slot);
            if s.id == SHORT {
                continue;
            }
            if s.seen == scan {
                self.stats[s.stat as usize].count += 1;
            } else {
                s.seen = scan;
                s.stat = self.stats.len() as u32;
                self.stats.push(WordStat {
                    word: s.id,
                    count: 1,
                    start: start as u32,
                    end: end as u32,
                });
            }
        }
        // A copy of exactly the right size: entries keep theirs until the
        // index is made.
        self.stats.to_vec()
    }

    /// The slot of the word `start..end` of `text` (ASCII or not), made
    /// when the table does not have it: the path of words longer than a
    /// chunk, not ASCII, or new to the thread. `None` for a short word
    /// (one character once folded) that is not ASCII.
    #[inline(never)]
    fn new_word(&mut self, text: &str, start: usize, end: usize, ascii: bool) -> Option<usize> {
        let folded;
        let key = if ascii {
            Key {
                text: text.as_bytes(),
                start,
                end,
                fold: ASCII_FOLD,
            }
        } else {
            folded = fold(&text[start..end]);
            // One character once folded is a short word: no second one, no slot.
            folded.chars().nth(1)?;
            Key {
                text: folded.as_bytes(),
                start: 0,
                end: folded.len(),
                fold: 0,
            }
        };
        let numbering = &mut self.numbering;
        self.table.slot(key, |word| numbering.number(word))
    }
}

/// The largest char boundary of `text` at or below `i`.
fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

thread_local! {
    static SITE_SCANNER: RefCell<Scanner<SiteNumbering>> = RefCell::new(Scanner {
        table: WordTable::with_slots(SITE_SLOTS),
        stats: Vec::new(),
        numbering: SiteNumbering,
    });
}

/// First slots of a thread's table of the site's words: libvirt's docs
/// have about 10,000 distinct words, and a table is at most half full, so
/// it would grow to this size (768 KB) anyway; starting there saves
/// placing every word again at each doubling.
const SITE_SLOTS: usize = 1 << 15;

/// The distinct words of one entry's text, numbered by the process-wide
/// vocabulary.
pub fn entry_words(text: &str) -> Vec<WordStat> {
    SITE_SCANNER.with(|s| match s.try_borrow_mut() {
        Ok(mut scanner) => scanner.scan(text),
        // Only reachable by re-entering from inside a scan, which nothing does.
        Err(_) => Scanner::new(SiteNumbering).scan(text),
    })
}

/// [`compact`] for a text on its own, its words scored by `idf` of their
/// folded text.
pub fn compact_scored(text: &str, cap: usize, idf: &dyn Fn(&str) -> f64) -> String {
    let mut scanner = Scanner::new(LocalNumbering::default());
    let stats = scanner.scan(text);
    let words = &scanner.numbering.0;
    compact(text, &stats, cap, |id| {
        words.get(id as usize).map_or(0.0, |w| idf(w))
    })
}

/// The next run of letters and digits of `text` at or after `i`: its
/// start, its end, and whether it is ASCII (most words), which folding
/// only lower-cases. ASCII, most of any text, is classified per byte by
/// [`BYTE_CLASS`]; anything else is decoded, out of line.
#[inline(always)]
fn next_word(text: &str, mut i: usize) -> Option<(usize, usize, bool)> {
    let b = text.as_bytes();
    loop {
        match BYTE_CLASS[usize::from(*b.get(i)?)] {
            SEPARATOR => i += 1,
            ALNUM => {
                let start = i;
                i += 1;
                while i < b.len() && BYTE_CLASS[usize::from(b[i])] == ALNUM {
                    i += 1;
                }
                if i == b.len() || b[i] < 0x80 {
                    return Some((start, i, true));
                }
                return Some(rest_of_word(text, start, i, true));
            }
            _ => match word_at_non_ascii(text, i) {
                Ok(word) => return Some(word),
                Err(next) => i = next,
            },
        }
    }
}

/// The word starting with the non-ASCII character at `i`, or, when that
/// character is no letter or digit, where to look next.
#[inline(never)]
fn word_at_non_ascii(text: &str, i: usize) -> Result<(usize, usize, bool), usize> {
    let c = text[i..].chars().next().unwrap_or(' ');
    if !is_word_char(c) {
        return Err(i + c.len_utf8());
    }
    Ok(rest_of_word(text, i, i + c.len_utf8(), false))
}

/// Whether the non-ASCII `c` is part of a word (a letter or digit).
/// Punctuation of Unicode's General Punctuation block, U+2000–U+206F,
/// holds no letter or digit (a test checks): it is answered without the
/// Unicode tables, which matters because smart quotes put a curly quote,
/// dash or ellipsis from it into most paragraphs of a Sphinx project.
#[inline]
fn is_word_char(c: char) -> bool {
    !('\u{2000}'..='\u{206F}').contains(&c) && c.is_alphanumeric()
}

/// The word that started at `start` and goes on at `i`; `ascii` says
/// whether it was ASCII so far.
#[inline(never)]
fn rest_of_word(text: &str, start: usize, mut i: usize, mut ascii: bool) -> (usize, usize, bool) {
    let b = text.as_bytes();
    while i < b.len() {
        match BYTE_CLASS[usize::from(b[i])] {
            ALNUM => i += 1,
            SEPARATOR => break,
            _ => {
                let c = text[i..].chars().next().unwrap_or(' ');
                if !is_word_char(c) {
                    break;
                }
                ascii = false;
                i += c.len_utf8();
            }
        }
    }
    (start, i, ascii)
}

/// [`BYTE_CLASS`]: an ASCII byte that is not a letter or digit.
const SEPARATOR: u8 = 0;
/// [`BYTE_CLASS`]: an ASCII letter or digit.
const ALNUM: u8 = 1;
/// [`BYTE_CLASS`]: a byte of a non-ASCII character (decoded to classify).
const NON_ASCII: u8 = 2;

/// What each byte is to [`next_word`].
static BYTE_CLASS: [u8; 256] = {
    let mut class = [NON_ASCII; 256];
    let mut b = 0;
    while b < 128 {
        class[b] = match b as u8 {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => ALNUM,
            _ => SEPARATOR,
        };
        b += 1;
    }
    class
};

#[cfg(test)]
mod tests {
    use super::super::compact::head_end;
    use super::*;

    /// The shortcut of [`is_word_char`] agrees with Unicode's tables on
    /// the whole General Punctuation block and around it.
    #[test]
    fn general_punctuation_holds_no_word_character() {
        for c in ('\u{1F00}'..='\u{2100}').chain(['\u{a0}', 'é', 'ß', '٣']) {
            assert_eq!(is_word_char(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    /// Runs of letters and digits (Unicode's, as `char` says), each with
    /// whether it is ASCII.
    fn words_by_definition(text: &str) -> Vec<(Range<usize>, bool)> {
        let mut out = Vec::new();
        let mut start: Option<usize> = None;
        for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
            match (c.is_alphanumeric(), start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    let word = &text[s..i];
                    out.push((s..i, word.is_ascii()));
                    start = None;
                }
                _ => {}
            }
        }
        out
    }

    #[test]
    fn words_are_the_runs_of_letters_and_digits() {
        for text in [
            "",
            "plain words, Mixed CASE and x86_64!",
            "  Éclair-été ½ ß 日本語テキスト ١٢٣ a\u{a0}b\u{2014}c",
            "trailing upper ABC",
            "é",
            "ab\u{301}c",
        ] {
            let mut got = Vec::new();
            let mut at = 0;
            while let Some((start, end, ascii)) = next_word(text, at) {
                got.push((start..end, ascii));
                at = end;
            }
            assert_eq!(got, words_by_definition(text), "{text:?}");
        }
    }

    /// [`compact`] by its definition: every distinct word after the head
    /// ranked at once, taken best first while it fits.
    fn compact_by_definition(
        text: &str,
        stats: &[WordStat],
        cap: usize,
        idf: impl Fn(WordId) -> f64,
    ) -> String {
        if text.len() <= cap {
            return text.to_string();
        }
        let head_end = head_end(text);
        let mut out = format!("{} …", &text[..head_end]);
        let mut ranked: Vec<(f64, usize)> = stats
            .iter()
            .enumerate()
            .filter(|(_, w)| w.end as usize > head_end)
            .map(|(i, w)| (f64::from(w.count) * idf(w.word), i))
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut room = cap.saturating_sub(out.len());
        let mut keep = Vec::new();
        for (_, i) in ranked {
            let len = stats[i].first().len() + 1;
            if len <= room {
                room -= len;
                keep.push(i);
            }
        }
        keep.sort();
        for i in keep {
            out.push(' ');
            out.push_str(&text[stats[i].first()]);
        }
        out
    }

    #[test]
    fn compaction_sorting_the_best_words_in_chunks_keeps_what_a_full_sort_keeps() {
        let mut seed = 11u64;
        let mut next = move || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        for round in 0..60 {
            let words = 5 + next() % 3_000;
            let vocabulary = 2 + next() % 2_000;
            let text: Vec<String> = (0..words)
                .map(|_| {
                    let w = next() % vocabulary;
                    // Lengths from 2 to ~12 bytes, some repeated often.
                    format!("{}{w}", "x".repeat(1 + w % 7))
                })
                .collect();
            let text = text.join(" ");
            let mut scanner = Scanner::new(LocalNumbering::default());
            let stats = scanner.scan(&text);
            // Scores with many ties (broken by first appearance), some negative.
            let idf = |id: WordId| f64::from(id % 5) - 1.5;
            for cap in [0, 3, 40, 100, 240, 700, 1_200, 5_000] {
                assert_eq!(
                    compact(&text, &stats, cap, idf),
                    compact_by_definition(&text, &stats, cap, idf),
                    "round {round}, cap {cap}"
                );
            }
        }
    }

    #[test]
    fn words_are_counted_once_folded_short_ones_skipped() {
        let text = "Foo foo, Bar a Éclair éclair FOO";
        let stats = entry_words(text);
        let got: Vec<(&str, u32)> = stats.iter().map(|w| (&text[w.first()], w.count)).collect();
        assert_eq!(got, [("Foo", 3), ("Bar", 1), ("Éclair", 2)]);
        // The same folded word gets the same number in every entry.
        let again = entry_words("éclair foo");
        assert_eq!(again[0].word, stats[2].word);
        assert_eq!(again[1].word, stats[0].word);
    }

    /// The index of a site big enough to be compacted, against the
    /// definition: document frequencies counted from each entry's
    /// distinct tokens, then [`super::super::compact_text`] per entry.
    #[test]
    fn site_index_matches_compaction_by_definition() {
        use super::super::{
            MAX_ENTRY, MIN_ENTRY, SITE_BUDGET, SearchEntry, SearchIndex, SearchPage, compact_text,
            page_budget, tokens,
        };
        use std::collections::{HashMap, HashSet};
        // Deterministic words with uneven frequencies across pages.
        let mut seed = 7u64;
        let mut next = move || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        let pages: Vec<Vec<SearchEntry>> = (0..400)
            .map(|p| {
                (0..3)
                    .map(|e| {
                        let len = 20 + next() % 400;
                        let text: Vec<String> = (0..len)
                            .map(|_| {
                                let w = next() % (50 + 10 * e);
                                if w % 7 == 0 {
                                    format!("Word{w}")
                                } else {
                                    format!("w{w}")
                                }
                            })
                            .collect();
                        SearchEntry::new(format!("s{p}-{e}"), "T".into(), text.join(" "))
                    })
                    .collect()
            })
            .collect();
        let all: Vec<&SearchEntry> = pages.iter().flatten().collect();
        assert!(all.iter().map(|e| e.text.len()).sum::<usize>() > SITE_BUDGET);
        let mut df: HashMap<String, u32> = HashMap::new();
        for e in &all {
            for w in tokens(&e.text).into_iter().collect::<HashSet<_>>() {
                *df.entry(w).or_default() += 1;
            }
        }
        let total = all.len() as f64;
        let idf = |w: &str| (total / f64::from(df.get(w).copied().unwrap_or(1))).ln();
        let index = SearchIndex::build(pages.iter().map(|entries| SearchPage {
            href: "p.html",
            title: "P",
            entries,
        }));
        let mut at = 0;
        for entries in &pages {
            let page_len: usize = entries.iter().map(|e| e.text.len()).sum();
            for e in entries {
                let cap =
                    (page_budget(page_len) * e.text.len() / page_len).clamp(MIN_ENTRY, MAX_ENTRY);
                assert_eq!(
                    index.e[at].3,
                    compact_text(&e.text, cap, &idf),
                    "entry {at}"
                );
                at += 1;
            }
        }
    }
}
