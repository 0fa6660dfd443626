//! "Did you mean": the closest of some candidates to what was written, by
//! edit distance. One implementation for every stage that suggests (link
//! targets, anchors, namespace URIs, directive names), bounded so hostile
//! input stays cheap.

/// Longest prefix, in characters, that is compared.
const MAX_CHARS: usize = 256;

/// The candidate closest to `wanted` by edit distance, if close enough to be a likely typo.
pub fn closest(wanted: &str, candidates: &[String]) -> Option<String> {
    closest_in(wanted, candidates.iter().map(String::as_str))
}

/// [`closest`] over any iterator of candidates. Candidates whose length
/// alone puts them out of reach are skipped, and the distance computation
/// stops as soon as it exceeds the limit, so a site with thousands of
/// pages stays cheap to search. Ties go to the smaller candidate.
pub fn closest_in<'a>(wanted: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    let w: Vec<char> = wanted.chars().take(MAX_CHARS).collect();
    let limit = (w.len() / 3).max(2);
    let mut best: Option<(usize, &str)> = None;
    let mut buf = Vec::new();
    for c in candidates {
        let clen = c.chars().count().min(MAX_CHARS);
        if clen.abs_diff(w.len()) > limit {
            continue;
        }
        buf.clear();
        buf.extend(c.chars().take(MAX_CHARS));
        let bound = best.map_or(limit, |(d, _)| d.min(limit));
        if let Some(d) = bounded_distance(&w, &buf, bound)
            && d > 0
            && best.is_none_or(|(bd, bc)| d < bd || (d == bd && c < bc))
        {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c.to_string())
}

/// Whether `a` and `b` are at most `limit` edits apart (first
/// [`MAX_CHARS`] characters of each).
pub fn within_distance(a: &str, b: &str, limit: usize) -> bool {
    let a: Vec<char> = a.chars().take(MAX_CHARS).collect();
    let b: Vec<char> = b.chars().take(MAX_CHARS).collect();
    a.len().abs_diff(b.len()) <= limit && bounded_distance(&a, &b, limit).is_some()
}

/// Levenshtein distance, or `None` as soon as it is certain to exceed `bound`.
fn bounded_distance(a: &[char], b: &[char], bound: usize) -> Option<usize> {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        let mut row_min = cur[0];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
            row_min = row_min.min(cur[j + 1]);
        }
        if row_min > bound {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    Some(prev[b.len()]).filter(|d| *d <= bound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_candidates_are_found_and_far_ones_are_not() {
        let c = vec![
            "kbase/qemu-passthrough-security.html".to_string(),
            "index.html".into(),
        ];
        assert_eq!(
            closest("kbase/qemu-passthru-security.html", &c).as_deref(),
            Some("kbase/qemu-passthrough-security.html")
        );
        assert_eq!(closest("completely-different", &c), None);
        assert_eq!(
            closest("index.html", &c),
            None,
            "an exact match is no suggestion"
        );
    }

    #[test]
    fn distance_limits_hold() {
        assert!(within_distance(
            "http://libvirt.org/schemas/domain/qemu/1.0",
            "http://libvirt.org/schemas/domain/qemu/1.1",
            3
        ));
        assert!(!within_distance("abc", "xyz123", 3));
        assert!(within_distance("kitten", "sitting", 3));
        assert!(!within_distance("kitten", "sitting", 2));
        let long = "a".repeat(100_000);
        assert!(!within_distance(&long, "b", 3));
    }
}
