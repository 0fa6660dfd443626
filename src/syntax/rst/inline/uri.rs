//! Standalone URIs and e-mail addresses in text, and the embedded URIs
//! of phrase references (`Inliner.implicit_inline`, `embedded_link`).

use crate::ast::Attr;
use crate::ast::{Element, Node, Tag};

use super::super::chars::*;
use super::{Inliner, unescape};

impl Inliner<'_, '_> {
    pub(super) fn implicit(&mut self, from: usize, to: usize, out: &mut Vec<Node>) {
        if from >= to {
            return;
        }
        let seg = &self.s[from..to];
        // A standalone URI needs its scheme's `:`, an e-mail address its `@`.
        if memchr::memchr2(b':', b'@', seg.as_bytes()).is_none() {
            if !seg.is_empty() {
                out.push(Node::text(self.text_of(seg), self.span(from, to)));
            }
            return;
        }
        let mut pos = 0;
        let mut text_start = 0;
        while pos < seg.len() {
            match find_uri(seg, pos, self.doc.recognition) {
                Some((a, b, scheme, email)) => {
                    if !email && !scheme.as_deref().is_some_and(is_known_scheme) {
                        // MarkupMismatch: docutils gives up on the whole text
                        break;
                    }
                    if a > text_start {
                        let t = self.text_of(&seg[text_start..a]);
                        out.push(Node::text(t, self.span(from + text_start, from + a)));
                    }
                    let whole = &seg[a..b];
                    let refuri = if email {
                        format!("mailto:{}", unescape(whole))
                    } else {
                        unescape(whole)
                    };
                    let span = self.span(from + a, from + b);
                    let mut r = Element::new(Tag::Reference, span);
                    r.set(Attr::Refuri, refuri);
                    r.push_text(self.text_of(whole), span);
                    out.push(r.into());
                    pos = b;
                    text_start = b;
                    // docutils recurses on the text after the match, where
                    // the search goes on as at the start of a text.
                }
                None => break,
            }
        }
        if text_start < seg.len() {
            let t = self.text_of(&seg[text_start..]);
            out.push(Node::text(t, self.span(from + text_start, to)));
        }
    }
}

/// The `embedded_link` pattern: returns (start of the whole match, position of `<`).
pub(super) fn embedded_link(s: &str) -> Option<(usize, usize)> {
    let b = s.as_bytes();
    if b.last() != Some(&b'>') || b.len() < 3 {
        return None;
    }
    let gt = b.len() - 1;
    let before_gt = s[..gt].chars().next_back()?;
    if is_space(before_gt) || before_gt == '\0' {
        return None;
    }
    // find the last unescaped '<'
    let mut lt = None;
    let mut i = gt;
    while i > 0 {
        i -= 1;
        let c = b[i];
        if c == b'<' || c == b'>' {
            let escaped = i > 0 && b[i - 1] == 0;
            if escaped {
                continue;
            }
            if c == b'>' {
                return None;
            }
            lt = Some(i);
            break;
        }
    }
    let lt = lt?;
    if lt + 1 >= gt {
        return None;
    }
    let first = s[lt + 1..].chars().next()?;
    if is_space(first) {
        return None;
    }
    if lt == 0 {
        return Some((0, 0));
    }
    let mut ms = lt;
    while ms > 0 && (b[ms - 1] == b' ' || b[ms - 1] == b'\n') {
        ms -= 1;
    }
    if ms == lt {
        return None;
    }
    Some((ms, lt))
}

/// `split_escaped_whitespace`: splits on escaped spaces/newlines.
pub(crate) fn split_escaped_whitespace(s: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\0' && matches!(chars.peek(), Some(' ') | Some('\n')) {
            chars.next();
            parts.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    parts.push(cur);
    parts
}

/// `Inliner.adjust_uri`: a bare e-mail address becomes `mailto:`.
pub(crate) fn adjust_uri(uri: &str) -> String {
    if email_full(uri) {
        format!("mailto:{uri}")
    } else {
        uri.to_string()
    }
}

fn email_full(s: &str) -> bool {
    match match_email(s, 0) {
        Some(ends) => ends.contains(&s.len()),
        None => false,
    }
}

pub(super) fn uri_at_start(s: &str, recognition: Recognition) -> bool {
    find_uri_at(s, 0, recognition).is_some()
}

fn ch_at(s: &str, i: usize) -> Option<char> {
    s.get(i..).and_then(|t| t.chars().next())
}

/// Valid ends of a URI body segment starting at `i` (`uric* uri_end`), longest first.
fn uri_part_ends(s: &str, i: usize) -> Vec<usize> {
    let mut j = i;
    while let Some(c) = ch_at(s, j) {
        if is_uric(c) {
            j += c.len_utf8();
        } else {
            break;
        }
    }
    let mut ends = Vec::new();
    let mut k = j;
    while k > i {
        let c = s[..k].chars().next_back().unwrap_or(' ');
        let ok = is_urilast(c) || (is_uric(c) && ch_at(s, k) == Some('>'));
        if ok {
            ends.push(k);
        }
        k -= c.len_utf8();
    }
    ends
}

/// Candidate ends of an absolute URI after `scheme:` at `i`, in regex preference order.
fn absolute_ends(s: &str, i: usize) -> Vec<usize> {
    let mut out = Vec::new();
    for body_end in uri_part_ends(s, i) {
        let mut after_query = Vec::new();
        if ch_at(s, body_end) == Some('?') {
            after_query.extend(uri_part_ends(s, body_end + 1));
        }
        after_query.push(body_end);
        for qe in after_query {
            if ch_at(s, qe) == Some('#') {
                out.extend(uri_part_ends(s, qe + 1));
            }
            out.push(qe);
        }
        if out.len() > 4096 {
            break;
        }
    }
    out
}

fn match_email(s: &str, i: usize) -> Option<Vec<usize>> {
    // name: emailc+ (\. emailc+)*
    let mut j = i;
    let run = |j: &mut usize| {
        let st = *j;
        while let Some(c) = ch_at(s, *j) {
            if is_emailc(c) {
                *j += c.len_utf8();
            } else {
                break;
            }
        }
        *j > st
    };
    if !run(&mut j) {
        return None;
    }
    loop {
        if ch_at(s, j) == Some('.') {
            let mut k = j + 1;
            if run(&mut k) {
                j = k;
                continue;
            }
        }
        break;
    }
    // emailc includes '@'? no; the name may have consumed up to '@'
    if ch_at(s, j) != Some('@') || (j > 0 && s.as_bytes().get(j - 1) == Some(&0)) {
        return None;
    }
    let hs = j + 1;
    let mut k = hs;
    if !run(&mut k) {
        return None;
    }
    // host: emailc+ (\. emailc*)* then uri_end (backtracking over the last char)
    loop {
        if ch_at(s, k) == Some('.') {
            k += 1;
            run(&mut k);
            continue;
        }
        break;
    }
    let mut ends = Vec::new();
    let mut e = k;
    while e > hs {
        let c = s[..e].chars().next_back().unwrap_or(' ');
        if is_urilast(c) || (is_uric(c) && ch_at(s, e) == Some('>')) {
            ends.push(e);
        }
        e -= c.len_utf8();
    }
    Some(ends)
}

/// Tries the `uri` pattern at exactly `p` (prefix already checked).
/// Returns (end, scheme, is_email).
fn find_uri_at(
    s: &str,
    p: usize,
    recognition: Recognition,
) -> Option<(usize, Option<String>, bool)> {
    let suffix_ok = |i: usize| recognition.suffix_ok(ch_at(s, i));
    let first = ch_at(s, p)?;
    if first.is_ascii_alphabetic() {
        let mut j = p + 1;
        while let Some(c) = ch_at(s, j) {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-') {
                j += 1;
            } else {
                break;
            }
        }
        if ch_at(s, j) == Some(':') {
            let scheme = s[p..j].to_string();
            for e in absolute_ends(s, j + 1) {
                if suffix_ok(e) {
                    return Some((e, Some(scheme), false));
                }
            }
        }
    }
    if let Some(ends) = match_email(s, p) {
        for e in ends {
            if suffix_ok(e) {
                return Some((e, None, true));
            }
        }
    }
    None
}

/// Leftmost standalone URI / e-mail match at or after `from` (`from` counts as text start).
/// Guards keep this linear: a scheme run without `:` is not rescanned from
/// inside, and e-mail matching is only tried when an `@` follows. Past
/// the last `@`, only `scheme:` can start a match, so the search jumps
/// from one `:` to the run of scheme characters before it.
fn find_uri(
    s: &str,
    from: usize,
    recognition: Recognition,
) -> Option<(usize, usize, Option<String>, bool)> {
    let bytes = s.as_bytes();
    let mut prev: Option<char> = None;
    let last_at = s.rfind('@');
    let mut dead_until = 0usize;
    let mut p = from;
    while let Some(c) = ch_at(s, p) {
        if last_at.is_none_or(|a| a < p) && p >= dead_until {
            // No match starts before the scheme run that ends at the
            // next `:` (a scheme run stops at any other character).
            let colon = p + memchr::memchr(b':', bytes.get(p..)?)?;
            let mut run = colon;
            while run > p && is_scheme_byte(bytes[run - 1]) {
                run -= 1;
            }
            if run > p {
                prev = s[..run].chars().next_back();
                p = run;
                continue;
            }
        }
        let at = p;
        let ok = recognition.prefix_ok(prev);
        prev = Some(c);
        p += c.len_utf8();
        if !ok || !(c.is_ascii_alphanumeric() || is_emailc(c)) || at < dead_until {
            continue;
        }
        if last_at.is_none_or(|a| a < at) {
            // only absolute URIs remain possible: need `scheme:`
            if !c.is_ascii_alphabetic() {
                continue;
            }
            let mut j = at + 1;
            while bytes.get(j).is_some_and(|&b| is_scheme_byte(b)) {
                j += 1;
            }
            if ch_at(s, j) != Some(':') {
                dead_until = j;
                continue;
            }
        }
        if let Some((e, scheme, email)) = find_uri_at(s, at, recognition) {
            return Some((at, e, scheme, email));
        }
    }
    None
}

/// A character of a URI scheme after its first letter (all ASCII).
fn is_scheme_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'+' | b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standalone_uris_and_addresses() {
        let s = "see http://example.org/a_b. or mail me@host.org";
        let (start, end, scheme, email) = find_uri(s, 0, Recognition::WordLevel).expect("a URI");
        assert_eq!(
            (&s[start..end], scheme.as_deref(), email),
            ("http://example.org/a_b", Some("http"), false)
        );
        let (start, end, _, email) = find_uri(s, end, Recognition::WordLevel).expect("an address");
        assert_eq!((&s[start..end], email), ("me@host.org", true));
        assert!(find_uri("no links here", 0, Recognition::WordLevel).is_none());
    }

    #[test]
    fn embedded_links_need_a_space_before_the_angle_bracket() {
        assert_eq!(embedded_link("Python <http://python.org>"), Some((6, 7)));
        assert_eq!(embedded_link("<http://python.org>"), Some((0, 0)));
        assert_eq!(embedded_link("a<b>"), None);
        assert_eq!(embedded_link("a <b"), None);
    }

    #[test]
    fn embedded_uri_helpers() {
        assert_eq!(adjust_uri("me@host.org"), "mailto:me@host.org");
        assert_eq!(adjust_uri("http://x.org"), "http://x.org");
        assert_eq!(split_escaped_whitespace("a\0 b c"), ["a", "b c"]);
        assert!(uri_at_start("http://x.org_", Recognition::WordLevel));
        assert!(!uri_at_start("target_", Recognition::WordLevel));
    }
}
