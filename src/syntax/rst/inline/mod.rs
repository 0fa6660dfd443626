//! Inline markup (`docutils.parsers.rst.states.Inliner`).
//!
//! The text is scanned left to right for start-strings that satisfy
//! docutils' recognition rules (see [`super::chars`]); for each one the
//! matching end-string is searched. Like docutils, scanning resumes on the
//! *remaining* text, where the start counts as "beginning of text".
//! End-string searches are cached per kind so that many unmatched
//! start-strings cannot make the scan quadratic.

mod constructs;
mod ends;
mod reference_roles;
pub use reference_roles::unimplemented_role;
mod uri;

pub(crate) use uri::{adjust_uri, split_escaped_whitespace};

use crate::ast::Attr;
use crate::ast::{Element, Node, Span};

use super::chars::*;
use super::doc::Doc;
use super::lines::Line;

/// Maps byte offsets of a joined text block back to source offsets.
pub struct SpanMap<'a> {
    pub lines: &'a [Line],
    /// (offset in joined text, line index, byte offset in the line's expanded text)
    pub segs: Vec<(usize, usize, usize)>,
    /// When the joined text is a stretch of the source as it is (lines
    /// flush left, nothing expanded or stripped: most paragraphs), the
    /// source offset of its first byte and the last offset inside it:
    /// offsets up to there map by one addition, not a search of `segs`.
    direct: Option<(usize, usize)>,
}

impl<'a> SpanMap<'a> {
    pub fn new(lines: &'a [Line], segs: Vec<(usize, usize, usize)>) -> SpanMap<'a> {
        let direct = direct_stretch(lines, &segs);
        SpanMap {
            lines,
            segs,
            direct,
        }
    }

    pub fn src(&self, off: usize) -> usize {
        if let Some((base, last)) = self.direct
            && off <= last
        {
            return base + off;
        }
        let i = match self.segs.binary_search_by(|s| s.0.cmp(&off)) {
            Ok(i) => i,
            Err(0) => {
                return self
                    .segs
                    .first()
                    .and_then(|s| self.lines.get(s.1))
                    .map(|l| l.start)
                    .unwrap_or(0);
            }
            Err(i) => i - 1,
        };
        match self.segs.get(i) {
            Some(&(t, li, b)) => match self.lines.get(li) {
                Some(line) => line.src(b + (off - t)),
                None => 0,
            },
            None => 0,
        }
    }

    pub fn span(&self, a: usize, b: usize) -> Span {
        Span::new(self.src(a), self.src(b))
    }
}

/// [`SpanMap::direct`]: `Some((base, last))` when every segment of the
/// joined text starts at `base` plus its offset in the source and maps
/// byte for byte, so that each line's end (where the joined text has its
/// `\n`) is one byte before the next line's start.
fn direct_stretch(lines: &[Line], segs: &[(usize, usize, usize)]) -> Option<(usize, usize)> {
    let &(0, first_line, first_offset) = segs.first()? else {
        return None;
    };
    let base = lines.get(first_line)?.start + first_offset;
    let mut last = 0;
    for &(t, li, b) in segs {
        let line = lines.get(li)?;
        if !line.maps_directly() || line.start + b != base + t || line.start + b > line.end {
            return None;
        }
        last = t + (line.end - line.start - b);
    }
    Some((base, last))
}

/// `escape2null`: backslash-escapes become NUL + the escaped character (same byte length).
pub fn escape2null(s: &str) -> String {
    if memchr::memchr(b'\\', s.as_bytes()).is_none() {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            out.push('\0');
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `unescape`: drops escaped whitespace entirely and the NUL markers.
pub fn unescape(s: &str) -> String {
    crate::ast::unescape_nul(s)
}

/// The nodes an inline construct made. Most make one node, held here
/// without a vector of its own (a vector per emphasis, literal or
/// reference was one allocation in six of a page's parse).
pub(super) enum Made {
    Nothing,
    One(Node),
    Several(Vec<Node>),
}

impl Made {
    fn is_empty(&self) -> bool {
        match self {
            Made::Nothing => true,
            Made::One(_) => false,
            Made::Several(nodes) => nodes.is_empty(),
        }
    }

    fn append_to(self, out: &mut Vec<Node>) {
        match self {
            Made::Nothing => {}
            Made::One(node) => out.push(node),
            Made::Several(nodes) => out.extend(nodes),
        }
    }
}

impl From<Vec<Node>> for Made {
    fn from(nodes: Vec<Node>) -> Made {
        Made::Several(nodes)
    }
}

/// Hidden attribute: a node's raw source (for problematic nodes made by transforms).
pub const RAW: Attr = Attr::InternalRaw;
/// Hidden attribute: the line of the text block holding an inline node.
pub const LINE: Attr = Attr::InternalLine;

/// `unescape(text, restore_backslashes=True)`.
pub fn restore(s: &str) -> String {
    s.replace('\0', "\\")
}

/// Where the next of three bytes is, searched forward with `memchr3` and
/// remembered while the searches move forward, so finding the next of
/// several kinds of byte stays linear however the kinds interleave.
#[derive(Clone, Copy)]
struct NextByte {
    bytes: [u8; 3],
    /// (searched from, found at)
    last: Option<(usize, Option<usize>)>,
}

impl NextByte {
    fn new(bytes: [u8; 3]) -> NextByte {
        NextByte { bytes, last: None }
    }

    /// The first position at or after `from` holding one of the bytes.
    fn at_or_after(&mut self, text: &[u8], from: usize) -> Option<usize> {
        if let Some((origin, found)) = self.last
            && origin <= from
            && found.is_none_or(|f| f >= from)
        {
            return found;
        }
        let [a, b, c] = self.bytes;
        let found = memchr::memchr3(a, b, c, text.get(from..)?).map(|k| from + k);
        self.last = Some((from, found));
        found
    }
}

/// Bytes a reference name's run is made of (see `refname_at`).
fn is_name_run_byte(b: u8) -> bool {
    b >= 0x80 || b.is_ascii_alphanumeric() || b"-._+:".contains(&b)
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum EndKind {
    Strong,
    Emphasis,
    Literal,
    Target,
    Subst,
    Interp,
}

const KINDS: usize = 6;

#[derive(Debug)]
enum Start {
    Strong,
    Emphasis,
    Literal,
    Target,
    Subst,
    /// refname end, refend end
    Refname(usize, usize),
    /// label start/end, match end
    Footnote(usize, usize, usize),
    /// role (start, end) incl. colons if any; the backquote position
    Backquote(Option<(usize, usize)>, usize),
}

/// End match: (start of end-string, end of match, role suffix range, refend length)
#[derive(Clone, Copy, Debug)]
struct EndMatch {
    start: usize,
    end: usize,
    role: Option<(usize, usize)>,
    refend: usize,
}

/// Last end-string search per kind: (searched from, result).
type EndCache = Option<(usize, Option<EndMatch>)>;
/// Last reference-name run: (start, end, best (name end, match end)).
type RunCache = (usize, usize, Option<(usize, usize)>);
/// Last search for a footnote's `]`: (searched from, where it is). Starts
/// are tried left to right, so reusing it keeps a paragraph of `[#` with no
/// `]` linear (each start used to scan to the end of the paragraph).
type CloseCache = (usize, Option<usize>);

pub struct Inliner<'d, 'm> {
    pub doc: &'d mut Doc,
    /// The text with backslash escapes as NUL markers ([`escape2null`]);
    /// the text itself when it has no backslash.
    s: &'m str,
    /// Whether texts are copied as they are ([`Inliner::text_of`]): when
    /// smart quotes need the escape markers, or when `s` has no NUL (no
    /// marker, nor one of the source's own), so that no text needs
    /// searching for one.
    copy_texts: bool,
    /// Position of the last byte that can be part of a start-string
    /// (see [`Inliner::search`]); no start-string lies after it.
    last_start_byte: Option<usize>,
    /// The next bytes that can be part of a start-string, for the search
    /// to skip the prose before them.
    start_bytes: [NextByte; 2],
    map: &'m SpanMap<'m>,
    lineno: Option<usize>,
    pub messages: Vec<Element>,
    cache: [EndCache; KINDS],
    run_cache: Option<RunCache>,
    close_cache: Option<CloseCache>,
}

/// Parses inline markup in `text`; returns the nodes and the system messages
/// to put after the containing element.
pub fn parse_inline(
    doc: &mut Doc,
    text: &str,
    map: &SpanMap,
    lineno: Option<usize>,
) -> (Vec<Node>, Vec<Element>) {
    let escaped;
    // The memchr crate's search: `str::contains` scans a byte at a time.
    let s = if memchr::memchr(b'\\', text.as_bytes()).is_some() {
        escaped = escape2null(text);
        escaped.as_str()
    } else {
        text
    };
    let copy_texts = doc.keep_escapes || memchr::memchr(0, s.as_bytes()).is_none();
    let mut inl =
        Inliner {
            doc,
            s,
            copy_texts,
            last_start_byte: memchr::memrchr3(b'*', b'`', b'_', s.as_bytes())
                .max(memchr::memrchr3(b'|', b'[', b':', s.as_bytes())),
            start_bytes: [
                NextByte::new([b'*', b'`', b'_']),
                NextByte::new([b'|', b'[', b':']),
            ],
            map,
            lineno,
            messages: Vec::new(),
            cache: [None; KINDS],
            run_cache: None,
            close_cache: None,
        };
    let nodes = inl.run();
    (nodes, inl.messages)
}

impl Inliner<'_, '_> {
    /// The text of a text node from an escaped segment: unescaped, or
    /// kept escaped while smart quotes need the markers
    /// ([`Doc::keep_escapes`]).
    fn text_of(&self, escaped: &str) -> String {
        if self.copy_texts {
            escaped.to_string()
        } else {
            unescape(escaped)
        }
    }

    fn ch(&self, i: usize) -> Option<char> {
        self.s.get(i..).and_then(|t| t.chars().next())
    }

    fn prev(&self, i: usize) -> Option<char> {
        self.s.get(..i).and_then(|t| t.chars().next_back())
    }

    fn span(&self, a: usize, b: usize) -> Span {
        self.map.span(a, b)
    }

    fn run(&mut self) -> Vec<Node> {
        // Every text gives at least one node: allocated up front at the
        // capacity the first push would grow to, without the growth path.
        let mut out = Vec::with_capacity(4);
        let mut base = 0;
        let mut unprocessed = 0;
        while base < self.s.len() {
            let Some((p, start)) = self.search(base) else {
                break;
            };
            let (before_end, nodes, next) = self.dispatch(p, start);
            if !nodes.is_empty() {
                self.implicit(unprocessed, before_end, &mut out);
                nodes.append_to(&mut out);
                unprocessed = next;
            }
            base = next.max(base + 1).min(self.s.len());
        }
        let end = self.s.len();
        self.implicit(unprocessed, end, &mut out);
        out
    }

    /// Finds the leftmost start-string at or after `base` (`base` counts as text start).
    fn search(&mut self, base: usize) -> Option<(usize, Start)> {
        // Every start-string contains one of these bytes (a reference name
        // is followed by `_`, a role has `:`): without one, the rest is
        // plain text, which is most prose, and needs no scan.
        if self.last_start_byte.is_none_or(|last| last < base) {
            return None;
        }
        let len = self.s.len();
        let bytes = self.s.as_bytes();
        let mut p = base;
        let mut prev: Option<char> = None;
        // The first byte at or after `p` that a start-string can contain.
        let mut horizon = 0;
        while p < len {
            if horizon < p || p == base {
                // Nothing starts before that byte except a reference name
                // whose run of name characters reaches it: jump to the
                // start of that run, past the prose in between.
                let [first, second] = &mut self.start_bytes;
                let next = match (first.at_or_after(bytes, p), second.at_or_after(bytes, p)) {
                    (Some(a), Some(b)) => a.min(b),
                    (a, b) => a.or(b)?,
                };
                let mut run_start = next;
                while run_start > p && is_name_run_byte(bytes[run_start - 1]) {
                    run_start -= 1;
                }
                if run_start > p {
                    p = run_start;
                    prev = self.prev(p);
                }
                horizon = next;
            }
            let c = self.ch(p)?;
            if self.doc.recognition.prefix_ok(prev)
                && let Some(st) = self.start_at(p, c)
            {
                return Some((p, st));
            }
            p += c.len_utf8();
            prev = Some(c);
            if c.is_ascii_alphanumeric() && self.doc.recognition == Recognition::WordLevel {
                // The rest of an ASCII word follows a letter or digit, which
                // is no start-string prefix: nothing starts inside it.
                let word = self.s.as_bytes()[p..]
                    .iter()
                    .take_while(|b| b.is_ascii_alphanumeric())
                    .count();
                if word > 0 {
                    p += word;
                    prev = Some(char::from(self.s.as_bytes()[p - 1]));
                }
            }
        }
        None
    }

    fn non_ws_at(&self, i: usize) -> bool {
        self.ch(i).is_none_or(|c| !is_space(c))
    }

    fn start_at(&mut self, p: usize, c: char) -> Option<Start> {
        let b = self.s.as_bytes();
        let at = |i: usize| b.get(i).copied();
        match c {
            '*' => {
                if at(p + 1) == Some(b'*') {
                    if self.non_ws_at(p + 2) {
                        return Some(Start::Strong);
                    }
                } else if self.non_ws_at(p + 1) {
                    return Some(Start::Emphasis);
                }
                None
            }
            '`' => {
                if at(p + 1) == Some(b'`') {
                    if self.non_ws_at(p + 2) {
                        return Some(Start::Literal);
                    }
                    return None;
                }
                if self.non_ws_at(p + 1) {
                    return Some(Start::Backquote(None, p));
                }
                None
            }
            '_' => {
                if at(p + 1) == Some(b'`') && self.non_ws_at(p + 2) {
                    return Some(Start::Target);
                }
                None
            }
            '|' => {
                if at(p + 1) != Some(b'|') && self.non_ws_at(p + 1) {
                    return Some(Start::Subst);
                }
                None
            }
            '[' => self.footnote_at(p),
            ':' => {
                let e = self.simplename_end(p + 1)?;
                if at(e) == Some(b':')
                    && at(e + 1) == Some(b'`')
                    && at(e + 2) != Some(b'`')
                    && self.non_ws_at(e + 2)
                {
                    return Some(Start::Backquote(Some((p, e + 1)), e + 1));
                }
                None
            }
            c if is_word(c) => self.refname_at(p),
            _ => None,
        }
    }

    /// End of the longest simplename starting at `p`, if any.
    fn simplename_end(&self, p: usize) -> Option<usize> {
        let ends = self.simplename_seg_ends(p);
        ends.last().copied()
    }

    /// Ends of all prefixes of the simplename run at `p` that are simplenames.
    fn simplename_seg_ends(&self, p: usize) -> Vec<usize> {
        let mut ends = Vec::new();
        let mut i = p;
        loop {
            let seg_start = i;
            while let Some(c) = self.ch(i) {
                if is_word(c) {
                    i += c.len_utf8();
                } else {
                    break;
                }
            }
            if i == seg_start {
                break;
            }
            ends.push(i);
            match self.ch(i) {
                Some(c @ ('-' | '.' | '_' | '+' | ':')) if self.ch(i + 1).is_some_and(is_word) => {
                    i += c.len_utf8()
                }
                _ => break,
            }
        }
        ends
    }

    fn suffix_ok(&self, i: usize) -> bool {
        self.doc.recognition.suffix_ok(self.ch(i))
    }

    fn refname_at(&mut self, p: usize) -> Option<Start> {
        if let Some((rs, re, best)) = self.run_cache
            && p >= rs
            && p < re
        {
            return best
                .filter(|&(e, _)| e > p)
                .map(|(e, r)| Start::Refname(e, r));
        }
        // A reference name ends in `_`: when the run of name characters
        // (letters, digits, non-ASCII, `-._+:`) from `p` has none, no
        // reference starts anywhere in it (most words of prose).
        let run = self.s.as_bytes()[p..]
            .iter()
            .take_while(|&&b| is_name_run_byte(b));
        let mut run_len = 0;
        let mut underscore = false;
        for &b in run {
            run_len += 1;
            underscore |= b == b'_';
        }
        if !underscore {
            self.run_cache = Some((p, p + run_len, None));
            return None;
        }
        let ends = self.simplename_seg_ends(p);
        let run_end = ends.last().copied().unwrap_or(p);
        let mut best = None;
        for &e in ends.iter().rev() {
            if self.ch(e) != Some('_') {
                continue;
            }
            if self.ch(e + 1) == Some('_') && self.suffix_ok(e + 2) {
                best = Some((e, e + 2));
                break;
            }
            if self.suffix_ok(e + 1) {
                best = Some((e, e + 1));
                break;
            }
        }
        self.run_cache = Some((p, run_end, best));
        best.map(|(e, r)| Start::Refname(e, r))
    }

    fn footnote_at(&mut self, p: usize) -> Option<Start> {
        let end = self.next_close_bracket(p + 1)?;
        let label = self.s.get(p + 1..end)?;
        if self.ch(end + 1) != Some('_') || !self.suffix_ok(end + 2) {
            return None;
        }
        let valid = (!label.is_empty() && label.bytes().all(|b| b.is_ascii_digit()))
            || label == "*"
            || (label.starts_with('#')
                && (label.len() == 1 || self.simplename_end(p + 2) == Some(end)))
            || self.simplename_end(p + 1) == Some(end);
        if valid {
            Some(Start::Footnote(p + 1, end, end + 2))
        } else {
            None
        }
    }
    /// Position of the first `]` at or after `from`.
    fn next_close_bracket(&mut self, from: usize) -> Option<usize> {
        if let Some((searched, found)) = self.close_cache
            && searched <= from
            && found.is_none_or(|f| from <= f)
        {
            return found;
        }
        let found = self
            .s
            .as_bytes()
            .get(from..)?
            .iter()
            .position(|&b| b == b']')
            .map(|i| from + i);
        self.close_cache = Some((from, found));
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::to_pseudoxml;
    use crate::syntax::rst::lines::split_lines;

    #[test]
    fn escapes_become_nul_markers_of_the_same_length() {
        let escaped = escape2null(r"a\*b\\ c\ d");
        assert_eq!(escaped, "a\0*b\0\\ c\0 d");
        assert_eq!(escaped.len(), r"a\*b\\ c\ d".len());
        assert_eq!(unescape(&escaped), "a*b\\ cd");
        assert_eq!(restore(&escaped), r"a\*b\\ c\ d");
    }

    #[test]
    fn footnote_brackets_are_found_after_failed_starts() {
        // `[#a` and `[x y` fail (a space before their `]`), the search for
        // `]` is reused by the later starts, and `[1]_` still is a footnote.
        let xml = inline_xml("[#a [x y [1]_ and [#b]_ [*]_ [");
        assert_eq!(xml.matches("<footnote_reference").count(), 3, "{xml}");
        assert!(inline_xml("[# [# [# x").contains("[# [# [# x"));
    }

    /// The inline nodes of one line of text, as pseudo-XML.
    fn inline_xml(text: &str) -> String {
        let lines = split_lines(text);
        let map = SpanMap::new(&lines, vec![(0, 0, 0)]);
        let mut doc = Doc::new("t".into(), false);
        let (nodes, _) = parse_inline(&mut doc, text, &map, Some(1));
        let mut p = Element::new(crate::ast::Tag::Paragraph, Span::default());
        p.children = nodes;
        to_pseudoxml(&p)
    }

    #[test]
    fn the_search_skips_prose_but_not_reference_names_reaching_markup() {
        // The search jumps to the run of name characters that leads to the
        // next byte a start-string can contain: a name run of several
        // segments, one after long prose, and later kinds of markup.
        let xml = inline_xml("some prose x86-64.abc_def_ and more `a`_ then **b** end");
        assert!(xml.contains("refname=\"x86-64.abc_def\""), "{xml}");
        assert!(xml.contains("refname=\"a\""), "{xml}");
        assert!(xml.contains("<strong>"), "{xml}");
        // A role needs a start-string prefix before its colon (docutils
        // 0.23 reads `word:emphasis:` as text), the name after it is found.
        let xml = inline_xml("prose word:emphasis:`x` and (:emphasis:`y`) name_");
        assert!(xml.contains("prose word:emphasis:\n"), "{xml}");
        assert!(xml.contains("<title_reference>\n        x"), "{xml}");
        assert!(xml.contains("<emphasis>\n        y"), "{xml}");
        assert!(xml.contains("refname=\"name\""), "{xml}");
        // Markup bytes inside a word start nothing; the ones after do.
        let xml = inline_xml("a*b*c and *d*");
        assert_eq!(xml.matches("<emphasis>").count(), 1, "{xml}");
    }

    #[test]
    fn next_byte_searches_stay_correct_when_positions_go_back() {
        let text = b"ab*cd|ef*";
        let mut next = NextByte::new([b'*', b'`', b'_']);
        assert_eq!(next.at_or_after(text, 0), Some(2));
        assert_eq!(next.at_or_after(text, 3), Some(8));
        assert_eq!(next.at_or_after(text, 1), Some(2));
        assert_eq!(next.at_or_after(text, 9), None);
        assert_eq!(next.at_or_after(text, 8), Some(8));
    }

    #[test]
    fn start_and_end_strings_follow_the_recognition_rules() {
        assert!(inline_xml("an *emphasis* here").contains("<emphasis>\n        emphasis"));
        assert!(inline_xml("**strong**").contains("<strong>"));
        assert!(inline_xml("``lit*eral``").contains("<literal>\n        lit*eral"));
        // Not markup: whitespace after the start-string, or inside a word.
        assert!(!inline_xml("a * b* c").contains("<emphasis>"));
        assert!(!inline_xml("2*3*4").contains("<emphasis>"));
        assert!(inline_xml("`x <http://a.b>`_").contains("refuri=\"http://a.b\""));
    }
}
