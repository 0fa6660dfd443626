//! Compaction of a long entry's text: its verbatim head, `…`, then as
//! many of its other distinct words as fit, the most characteristic first
//! (tf × idf), shown in their order of appearance.
//!
//! The choice of words ([`pick`]) is shared by the two places that
//! compact: [`compact`] on an entry kept in memory, and the index writer
//! reading an entry set aside ([`super::spill`]), which only has the
//! entry's head and the first occurrence of each word after it.

use std::cell::RefCell;

use super::HEAD;
use super::words::{WordId, WordStat};

/// Fewest bytes a ranked word takes in a compacted text: two characters
/// (shorter words are never counted) and the space before them.
const SHORTEST_KEPT: usize = 3;
/// What follows the head of a compacted text.
pub(super) const ELLIPSIS: &str = " …";

/// End of the verbatim head of a long text: the last space within
/// [`HEAD`] bytes (the whole text when it is that short).
pub(super) fn head_end(text: &str) -> usize {
    if text.len() <= HEAD {
        return text.len();
    }
    // The text is longer than HEAD bytes: the last space at most HEAD
    // bytes in, 0 when there is none.
    let head = &text.as_bytes()[..=HEAD];
    head.iter().rposition(|&b| b == b' ').unwrap_or(0)
}

/// The words of `stats` (in order of first appearance) that come after
/// a head ending at `head_end`: a word cannot straddle the space the head
/// ends at, so they are the ones that end after it, a suffix.
pub(super) fn after_head(stats: &[WordStat], head_end: usize) -> &[WordStat] {
    let first = stats.partition_point(|w| w.first().end <= head_end);
    &stats[first..]
}

/// Room left for words in a text capped at `cap` whose head ends at
/// `head_end`.
pub(super) fn room_after_head(cap: usize, head_end: usize) -> usize {
    cap.saturating_sub(head_end + ELLIPSIS.len())
}

/// Caps `text` (whose distinct words are `stats`) at `cap` bytes: the
/// verbatim head, `…`, then the other distinct words, highest tf × `idf`
/// first, shown in their order of appearance.
pub fn compact(text: &str, stats: &[WordStat], cap: usize, idf: impl Fn(WordId) -> f64) -> String {
    if text.len() <= cap {
        return text.to_string();
    }
    let head_end = head_end(text);
    let mut out = String::with_capacity(cap + 8);
    out.push_str(&text[..head_end]);
    out.push_str(ELLIPSIS);
    let words = after_head(stats, head_end);
    let scored = words
        .iter()
        .map(|w| (f64::from(w.count) * idf(w.word), w.first().len()));
    pick(scored, room_after_head(cap, head_end), |i| {
        out.push(' ');
        out.push_str(&text[words[i].first()]);
    });
    out
}

/// Chooses words for a compacted text with `room` bytes left after its
/// head. `words` gives each word's score and length in bytes, in order
/// of appearance; words are taken best first (ties: first to appear)
/// while they fit, a space before each, and `keep` is called with the
/// index of each word taken, in order of appearance.
pub(super) fn pick(
    words: impl Iterator<Item = (f64, usize)>,
    mut room: usize,
    mut keep: impl FnMut(usize),
) {
    let (mut ranked, mut kept) = RANKING.try_with(RefCell::take).unwrap_or_default();
    ranked.clear();
    kept.clear();
    // One integer per word, ordered as the words are ranked: score
    // descending (in `f64::total_cmp`'s order), then index; the length
    // rides in the low bits. Sorting integers is much cheaper than
    // sorting by a comparison of floats and indexes.
    ranked.extend(
        words
            .enumerate()
            .map(|(i, (score, len))| rank_key(score, i, len)),
    );
    let len = |key: u128| (key as u32 as usize).saturating_add(1);
    let index = |key: u128| (key >> 32) as u32 as usize;
    // When every word fits, all are kept, in their order: no ranking.
    let all = ranked
        .iter()
        .fold(0usize, |all, &key| all.saturating_add(len(key)));
    if all <= room {
        kept.extend(ranked.iter().map(|&key| index(key) as u32));
        ranked.clear();
    }
    // Words are taken best first while they fit. An entry of thousands of
    // distinct words keeps a few hundred, so only the best chunk is
    // sorted at a time (selected first); before the next, the words too
    // long for the room left are dropped, since room only shrinks.
    let mut rest = ranked.as_mut_slice();
    while !rest.is_empty() && room >= SHORTEST_KEPT {
        let take = (room / 8 + 8).min(rest.len());
        if take < rest.len() {
            rest.select_nth_unstable(take - 1);
        }
        let (best, others) = rest.split_at_mut(take);
        best.sort_unstable();
        for &key in best.iter() {
            if len(key) <= room {
                room -= len(key);
                kept.push(index(key) as u32);
            }
        }
        let mut fitting = 0;
        for j in 0..others.len() {
            if len(others[j]) <= room {
                others.swap(fitting, j);
                fitting += 1;
            }
        }
        rest = &mut others[..fitting];
    }
    kept.sort_unstable();
    for &i in &kept {
        keep(i as usize);
    }
    // Kept for the next entry unless one huge entry made them big.
    if ranked.capacity() <= RANKING_LARGEST {
        let _ = RANKING.try_with(|r| r.replace((ranked, kept)));
    }
}

/// The sort key of word `index` of `score` and `len` bytes: score
/// descending as [`f64::total_cmp`] orders it, then index ascending
/// (distinct, so the order is total and an unstable sort is exact).
/// Indexes and lengths past 32 bits are clamped (no entry has 4 billion
/// words; a word that long never fits).
fn rank_key(score: f64, index: usize, len: usize) -> u128 {
    // `total_cmp`'s order as unsigned integers: negative numbers have
    // their other bits flipped, and the sign bit is flipped for all.
    let bits = score.to_bits();
    let ordered = if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    };
    let index = u32::try_from(index).unwrap_or(u32::MAX);
    let len = u32::try_from(len).unwrap_or(u32::MAX - 1);
    (u128::from(!ordered) << 64) | (u128::from(index) << 32) | u128::from(len)
}

thread_local! {
    /// [`pick`]'s ranking buffers, kept between the entries a thread
    /// compacts: two allocations per compacted entry otherwise.
    static RANKING: RefCell<Ranking> = const { RefCell::new((Vec::new(), Vec::new())) };
}
/// Words' sort keys, and the indexes of those kept.
type Ranking = (Vec<u128>, Vec<u32>);
/// Most words whose ranking buffer a thread keeps (16 bytes each).
const RANKING_LARGEST: usize = 1 << 16;

#[cfg(test)]
mod tests {
    use super::*;

    /// Keys sort as `(score, index)` pairs do by the definition: score
    /// descending in `total_cmp`'s order, then index.
    #[test]
    fn keys_order_as_scores_then_indexes() {
        let scores = [
            f64::NEG_INFINITY,
            -2.5,
            -0.0,
            0.0,
            1e-300,
            0.5,
            0.5,
            3.0,
            f64::INFINITY,
            f64::NAN,
            -f64::NAN,
        ];
        for (i, &a) in scores.iter().enumerate() {
            for (j, &b) in scores.iter().enumerate() {
                let by_definition = b.total_cmp(&a).then(i.cmp(&j));
                let by_key = rank_key(a, i, 7).cmp(&rank_key(b, j, 7));
                assert_eq!(by_key, by_definition, "{a} {i} / {b} {j}");
            }
        }
    }
}
