//! Inline markup (`docutils.parsers.rst.states.Inliner`).
//!
//! The text is scanned left to right for start-strings that satisfy
//! docutils' recognition rules (see [`super::chars`]); for each one the
//! matching end-string is searched. Like docutils, scanning resumes on the
//! *remaining* text, where the start counts as "beginning of text".
//! End-string searches are cached per kind so that many unmatched
//! start-strings cannot make the scan quadratic.

use crate::ast::ids::{fully_normalize_name, whitespace_normalize_name};
use crate::ast::{Element, Node, Span, Tag};

use super::chars::*;
use super::doc::Doc;
use super::lines::Line;

/// Maps byte offsets of a joined text block back to source offsets.
pub struct SpanMap<'a> {
    pub lines: &'a [Line],
    /// (offset in joined text, line index, byte offset in the line's expanded text)
    pub segs: Vec<(usize, usize, usize)>,
}

impl SpanMap<'_> {
    pub fn src(&self, off: usize) -> usize {
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

/// `escape2null`: backslash-escapes become NUL + the escaped character (same byte length).
pub fn escape2null(s: &str) -> String {
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
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\0' {
            if matches!(chars.peek(), Some(' ') | Some('\n')) {
                chars.next();
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `unescape(text, restore_backslashes=True)`.
/// Hidden attribute: a node's raw source (for problematic nodes made by transforms).
pub const RAW: &str = "\u{0}raw";
/// Hidden attribute: the line of the text block holding an inline node.
pub const LINE: &str = "\u{0}line";

pub fn restore(s: &str) -> String {
    s.replace('\0', "\\")
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

pub struct Inliner<'d, 'm> {
    pub doc: &'d mut Doc,
    s: String,
    map: &'m SpanMap<'m>,
    lineno: Option<usize>,
    pub messages: Vec<Element>,
    cache: [EndCache; KINDS],
    run_cache: Option<RunCache>,
}

/// Parses inline markup in `text`; returns the nodes and the system messages
/// to put after the containing element.
pub fn parse_inline(
    doc: &mut Doc,
    text: &str,
    map: &SpanMap,
    lineno: Option<usize>,
) -> (Vec<Node>, Vec<Element>) {
    let mut inl = Inliner {
        doc,
        s: escape2null(text),
        map,
        lineno,
        messages: Vec::new(),
        cache: [None; KINDS],
        run_cache: None,
    };
    let nodes = inl.run();
    (nodes, inl.messages)
}

impl Inliner<'_, '_> {
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
        let mut out = Vec::new();
        let mut base = 0;
        let mut unprocessed = 0;
        while base < self.s.len() {
            let Some((p, start)) = self.search(base) else {
                break;
            };
            let (before_end, nodes, next) = self.dispatch(p, start);
            if !nodes.is_empty() {
                self.implicit(unprocessed, before_end, &mut out);
                out.extend(nodes);
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
        let rest = self.s.as_bytes().get(base..)?;
        if !rest
            .iter()
            .any(|b| matches!(b, b'*' | b'`' | b'_' | b'|' | b'[' | b':'))
        {
            return None;
        }
        let len = self.s.len();
        let mut p = base;
        let mut prev: Option<char> = None;
        while p < len {
            let c = self.ch(p)?;
            if prev.is_none_or(prefix_char)
                && let Some(st) = self.start_at(p, c)
            {
                return Some((p, st));
            }
            prev = Some(c);
            p += c.len_utf8();
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
        self.ch(i).is_none_or(suffix_char)
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

    fn footnote_at(&self, p: usize) -> Option<Start> {
        let rest = self.s.get(p + 1..)?;
        let close = rest.find(']')?;
        let label = &rest[..close];
        let end = p + 1 + close;
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

    // ----- end-string search -----

    fn end_at(&self, kind: EndKind, e: usize, no_lookbehind: bool) -> Option<EndMatch> {
        let b = self.s.as_bytes();
        let prev = if no_lookbehind { None } else { self.prev(e) };
        let lb_ws_nul = |p: Option<char>| p.is_none_or(|c| !is_space(c) && c != '\0');
        let mk = |end: usize| EndMatch {
            start: e,
            end,
            role: None,
            refend: 0,
        };
        match kind {
            EndKind::Strong => (b.get(e) == Some(&b'*')
                && b.get(e + 1) == Some(&b'*')
                && lb_ws_nul(prev)
                && self.suffix_ok(e + 2))
            .then(|| mk(e + 2)),
            EndKind::Emphasis => {
                (b.get(e) == Some(&b'*') && lb_ws_nul(prev) && self.suffix_ok(e + 1))
                    .then(|| mk(e + 1))
            }
            EndKind::Literal => (b.get(e) == Some(&b'`')
                && b.get(e + 1) == Some(&b'`')
                && prev.is_none_or(|c| !is_space(c))
                && self.suffix_ok(e + 2))
            .then(|| mk(e + 2)),
            EndKind::Target => {
                (b.get(e) == Some(&b'`') && lb_ws_nul(prev) && self.suffix_ok(e + 1))
                    .then(|| mk(e + 1))
            }
            EndKind::Subst => {
                if b.get(e) != Some(&b'|') || !lb_ws_nul(prev) {
                    return None;
                }
                let mut n = 0;
                while n < 2 && b.get(e + 1 + n) == Some(&b'_') {
                    n += 1;
                }
                loop {
                    if self.suffix_ok(e + 1 + n) {
                        return Some(mk(e + 1 + n));
                    }
                    if n == 0 {
                        return None;
                    }
                    n -= 1;
                }
            }
            EndKind::Interp => {
                if b.get(e) != Some(&b'`') {
                    return None;
                }
                if let Some(pc) = prev
                    && (is_space(pc) || pc == '\0')
                {
                    let pp = self.prev(e - pc.len_utf8());
                    if pp != Some('\0') {
                        return None;
                    }
                }
                let after = e + 1;
                let mut options: Vec<(Option<(usize, usize)>, usize)> = Vec::new();
                if b.get(after) == Some(&b':')
                    && let Some(ne) = self.simplename_end(after + 1)
                    && b.get(ne) == Some(&b':')
                {
                    let re = ne + 1;
                    let role = Some((after, re));
                    if b.get(re) == Some(&b'_') && b.get(re + 1) == Some(&b'_') {
                        options.push((role, 2));
                    }
                    if b.get(re) == Some(&b'_') {
                        options.push((role, 1));
                    }
                    options.push((role, 0));
                }
                if b.get(after) == Some(&b'_') && b.get(after + 1) == Some(&b'_') {
                    options.push((None, 2));
                }
                if b.get(after) == Some(&b'_') {
                    options.push((None, 1));
                }
                options.push((None, 0));
                for (role, refend) in options {
                    let end = role.map(|r| r.1).unwrap_or(after) + refend;
                    if self.suffix_ok(end) {
                        return Some(EndMatch {
                            start: e,
                            end,
                            role,
                            refend,
                        });
                    }
                }
                None
            }
        }
    }

    /// `end_pattern.search(string[from:])` with docutils' "at least one
    /// character" rule: `None` when there is no usable end-string.
    fn find_end(&mut self, kind: EndKind, from: usize) -> Option<EndMatch> {
        if self.end_at(kind, from, true).is_some() {
            return None;
        }
        let k = kind as usize;
        if let Some((f0, res)) = self.cache[k]
            && from >= f0
        {
            match res {
                None => return None,
                Some(m) if m.start > from => return Some(m),
                _ => {}
            }
        }
        let needle = if matches!(kind, EndKind::Strong | EndKind::Emphasis) {
            b'*'
        } else if kind == EndKind::Subst {
            b'|'
        } else {
            b'`'
        };
        let mut found = None;
        let bytes = self.s.as_bytes();
        let mut i = from + 1;
        while i < bytes.len() {
            if bytes[i] == needle
                && self.s.is_char_boundary(i)
                && let Some(m) = self.end_at(kind, i, false)
            {
                found = Some(m);
                break;
            }
            i += 1;
        }
        self.cache[k] = Some((from, found));
        found
    }

    // ----- constructs -----

    /// Returns (end of the text before the new nodes, nodes, where remaining text starts).
    fn dispatch(&mut self, p: usize, start: Start) -> (usize, Vec<Node>, usize) {
        match start {
            Start::Strong => self.inline_obj(p, 2, EndKind::Strong, Tag::Strong, "strong"),
            Start::Emphasis => self.inline_obj(p, 1, EndKind::Emphasis, Tag::Emphasis, "emphasis"),
            Start::Literal => self.inline_obj(p, 2, EndKind::Literal, Tag::Literal, "literal"),
            Start::Target => self.inline_obj(p, 2, EndKind::Target, Tag::Target, "target"),
            Start::Subst => self.inline_obj(
                p,
                1,
                EndKind::Subst,
                Tag::SubstitutionReference,
                "substitution_reference",
            ),
            Start::Refname(e, r) => {
                let name = self.s[p..e].to_string();
                let span = self.span(p, r);
                let mut rn = Element::new(Tag::Reference, span);
                rn.set("name", whitespace_normalize_name(&name));
                if r - e == 2 {
                    rn.set("anonymous", "1");
                } else {
                    rn.set("refname", fully_normalize_name(&name));
                }
                rn.push_text(name, span);
                rn.set(RAW, restore(&self.s[p..r]));
                self.mark_line(&mut rn);
                (p, vec![rn.into()], r)
            }
            Start::Footnote(ls, le, end) => {
                let label = self.s[ls..le].to_string();
                let span = self.span(p, end);
                let refname = fully_normalize_name(&label);
                let is_citation = !(label.bytes().all(|b| b.is_ascii_digit())
                    || label.starts_with('#')
                    || label == "*");
                let mut n;
                if is_citation {
                    n = Element::new(Tag::CitationReference, span);
                    n.set("refname", refname);
                    n.push_text(label, span);
                } else {
                    n = Element::new(Tag::FootnoteReference, span);
                    let mut rn = refname;
                    if let Some(r) = rn.strip_prefix('#') {
                        rn = r.to_string();
                        n.set("auto", "1");
                    } else if rn == "*" {
                        rn.clear();
                        n.set("auto", "*");
                    } else {
                        n.push_text(label, span);
                    }
                    if !rn.is_empty() {
                        n.set("refname", rn);
                    }
                }
                n.set(RAW, restore(&self.s[p..end]));
                self.mark_line(&mut n);
                self.doc.set_id(&mut n, "");
                (p, vec![n.into()], end)
            }
            Start::Backquote(role, q) => self.interpreted_or_phrase_ref(p, role, q),
        }
    }

    fn problematic(&mut self, text: &str, span: Span, mut msg: Element) -> Node {
        self.doc.inline_problems += 1;
        if self.doc.inline_problems > super::doc::MAX_INLINE_PROBLEMS {
            self.doc.inline_problems_capped.get_or_insert(span);
            return Node::text(text, span);
        }
        let msgid = self.doc.set_id(&mut msg, "");
        let mut prb = Element::new(Tag::Problematic, span);
        prb.set("refid", msgid);
        prb.push_text(text, span);
        let prbid = self.doc.set_id(&mut prb, "");
        msg.backrefs.push(prbid);
        self.messages.push(msg);
        prb.into()
    }

    fn mark_line(&self, e: &mut Element) {
        if let Some(l) = self.lineno {
            e.set(LINE, l.to_string());
        }
    }

    fn warn(&self, level: u8, text: &str, span: Span) -> Element {
        self.doc.message(level, text, self.lineno, span)
    }

    fn quoted_start(&self, p: usize, end: usize) -> bool {
        if p == 0 {
            return false;
        }
        let Some(post) = self.ch(end) else {
            return true;
        };
        match self.prev(p) {
            Some(pre) => match_chars(pre, post),
            None => false,
        }
    }

    fn inline_obj(
        &mut self,
        p: usize,
        len: usize,
        kind: EndKind,
        tag: Tag,
        what: &str,
    ) -> (usize, Vec<Node>, usize) {
        let mend = p + len;
        if self.quoted_start(p, mend) {
            return (mend, vec![], mend);
        }
        if let Some(m) = self.find_end(kind, mend) {
            let inner = self.s[mend..m.start].to_string();
            let span = self.span(p, m.end);
            let tspan = self.span(mend, m.start);
            let text = if kind == EndKind::Literal {
                restore(&inner)
            } else {
                unescape(&inner)
            };
            let mut node = Element::new(tag, span);
            node.push_text(text.clone(), tspan);
            match kind {
                EndKind::Target => {
                    node.names.push(fully_normalize_name(&text));
                    // docutils reports at the state machine's line (after the text block)
                    // and puts the message into the parent, before this text's element.
                    let line = self.lineno.map(|l| l + self.s.matches('\n').count() + 1);
                    let msgs = self.doc.note_explicit_target(&mut node, line);
                    self.doc.parent_messages.extend(msgs);
                }
                EndKind::Subst => {
                    let refname = fully_normalize_name(&text);
                    node.set("refname", whitespace_normalize_name(&text));
                    node.set(RAW, restore(&self.s[p..m.end]));
                    self.mark_line(&mut node);
                    let endstring = &self.s[m.start..m.end];
                    if endstring.ends_with('_') {
                        let mut r = Element::new(Tag::Reference, span);
                        if endstring.ends_with("__") {
                            r.set("anonymous", "1");
                        } else {
                            r.set("refname", refname);
                        }
                        r.set(RAW, restore(&self.s[p..m.end]));
                        self.mark_line(&mut r);
                        r.push(node);
                        return (p, vec![r.into()], m.end);
                    }
                }
                _ => {}
            }
            return (p, vec![node.into()], m.end);
        }
        let span = self.span(p, mend);
        let msg = self.warn(
            2,
            &format!("Inline {what} start-string without end-string."),
            span,
        );
        let text = restore(&self.s[p..mend]);
        let prb = self.problematic(&text, span, msg);
        (p, vec![prb], mend)
    }

    fn interpreted_or_phrase_ref(
        &mut self,
        p: usize,
        role: Option<(usize, usize)>,
        q: usize,
    ) -> (usize, Vec<Node>, usize) {
        let mend = q + 1;
        let rolestart = p;
        if role.is_none() && self.quoted_start(q, mend) {
            return (mend, vec![], mend);
        }
        let Some(m) = self.find_end(EndKind::Interp, mend) else {
            let span = self.span(q, mend);
            let msg = self.warn(
                2,
                "Inline interpreted text or phrase reference start-string without end-string.",
                span,
            );
            let text = restore(&self.s[q..mend]);
            let prb = self.problematic(&text, span, msg);
            return (q, vec![prb], mend);
        };
        let textend = m.end;
        let span = self.span(rolestart, textend);
        let mut role_name = role.map(|(a, b)| self.s[a + 1..b - 1].to_string());
        let mut position = if role.is_some() { "prefix" } else { "" };
        if let Some((a, b)) = m.role {
            if role_name.is_some() {
                let msg = self.warn(2, "Multiple roles in interpreted text (both prefix and suffix present; only one allowed).", span);
                let text = restore(&self.s[rolestart..textend]);
                let prb = self.problematic(&text, span, msg);
                return (rolestart, vec![prb], textend);
            }
            role_name = Some(self.s[a + 1..b - 1].to_string());
            position = "suffix";
        }
        let escaped = self.s[mend..m.start].to_string();
        if m.refend > 0 {
            if role_name.is_some() {
                let msg = self.warn(
                    2,
                    &format!(
                        "Mismatch: both interpreted text role {position} and reference suffix."
                    ),
                    span,
                );
                let text = restore(&self.s[rolestart..textend]);
                let prb = self.problematic(&text, span, msg);
                return (rolestart, vec![prb], textend);
            }
            let span = self.span(q, textend);
            let raw = restore(&self.s[q..textend]);
            let mut nodes = self.phrase_ref(&escaped, m.refend == 2, span, mend);
            if let Some(Node::Element(r)) = nodes.first_mut() {
                r.set(RAW, raw);
                let l = self.lineno.unwrap_or(0);
                r.set(LINE, l.to_string());
            }
            return (q, nodes, textend);
        }
        let rawsource = restore(&self.s[rolestart..textend]);
        let tspan = self.span(mend, m.start);
        let nodes = self.interpreted(
            &rawsource,
            &escaped,
            role_name.as_deref().unwrap_or(""),
            span,
            tspan,
        );
        (rolestart, nodes, textend)
    }

    fn interpreted(
        &mut self,
        rawsource: &str,
        escaped: &str,
        role: &str,
        span: Span,
        tspan: Span,
    ) -> Vec<Node> {
        let role_l = role.to_lowercase();
        let text = unescape(escaped);
        let mut classes = Vec::new();
        let mut base = if role_l.is_empty() {
            self.doc
                .default_role
                .clone()
                .unwrap_or_else(|| "title-reference".to_string())
        } else {
            role_l.clone()
        };
        if let Some((b, cls)) = self.doc.roles.get(&base).cloned() {
            classes = cls;
            base = b;
        }
        let tag = match base.as_str() {
            "" => Some(Tag::Inline),
            "emphasis" => Some(Tag::Emphasis),
            "strong" => Some(Tag::Strong),
            "literal" => Some(Tag::Literal),
            "code" => {
                classes.insert(0, "code".to_string());
                Some(Tag::Literal)
            }
            "subscript" | "sub" => Some(Tag::Subscript),
            "superscript" | "sup" => Some(Tag::Superscript),
            "title-reference" | "title" | "t" => Some(Tag::TitleReference),
            "abbreviation" | "ab" => Some(Tag::Abbreviation),
            "acronym" | "ac" => Some(Tag::Acronym),
            "math" => Some(Tag::Math),
            _ => None,
        };
        if let Some(tag) = tag {
            let mut n = Element::new(tag, span);
            n.classes = classes;
            n.push_text(text, tspan);
            return vec![n.into()];
        }
        if base == "pep-reference" || base == "pep" || base == "rfc-reference" || base == "rfc" {
            let is_pep = base.starts_with("pep");
            match text.trim().parse::<u32>() {
                Ok(n) if n > 0 || is_pep => {
                    let mut r = Element::new(Tag::Reference, span);
                    r.classes = classes;
                    if is_pep {
                        r.set("refuri", format!("https://peps.python.org/pep-{n:04}"));
                        r.push_text(format!("PEP {}", unescape(escaped)), tspan);
                    } else {
                        r.set("refuri", format!("https://tools.ietf.org/html/rfc{n}.html"));
                        r.push_text(format!("RFC {}", unescape(escaped)), tspan);
                    }
                    return vec![r.into()];
                }
                _ => {
                    let what = if is_pep { "PEP number" } else { "RFC number" };
                    let msg = self.warn(
                        3,
                        &format!("{what} must be a number from 0 to 9999; \"{text}\" is invalid."),
                        span,
                    );
                    return vec![self.problematic(rawsource, span, msg)];
                }
            }
        }
        if let Some(fmt) = base.strip_prefix("raw\0") {
            if !self.doc.allow_raw {
                let msg = self.warn(3, "raw (and derived) roles disabled", span);
                return vec![self.problematic(rawsource, span, msg)];
            }
            let mut n = Element::new(Tag::Raw, span);
            n.classes = classes;
            n.set("format", fmt.to_string());
            n.set("xml:space", "preserve");
            n.push_text(restore(escaped), tspan);
            return vec![n.into()];
        }
        if base == "raw" {
            let msg = self.warn(3, "No format (Writer name) is associated with this role: \"raw\".\nThe \"raw\" role cannot be used directly.\nInstead, use the \"role\" directive to create a new role with an associated format.", span);
            return vec![self.problematic(rawsource, span, msg)];
        }
        let msg = self.warn(
            3,
            &format!("Unknown interpreted text role \"{role}\"."),
            span,
        );
        vec![self.problematic(rawsource, span, msg)]
    }

    fn phrase_ref(
        &mut self,
        escaped: &str,
        anonymous: bool,
        span: Span,
        text_start: usize,
    ) -> Vec<Node> {
        let mut text = escaped.to_string();
        let mut target: Option<Element> = None;
        let mut alias = String::new();
        let mut alias_is_name = false;
        if let Some((ms, lt)) = embedded_link(escaped) {
            let aliastext = &escaped[lt + 1..escaped.len() - 1];
            let rawalias = restore(aliastext);
            let underscore_escaped = rawalias.ends_with("\\_");
            text = escaped[..ms].to_string();
            let tspan = self.span(text_start + ms, text_start + escaped.len());
            if aliastext.ends_with('_') && !(underscore_escaped || uri_at_start(aliastext)) {
                alias_is_name = true;
                alias = fully_normalize_name(&unescape(&aliastext[..aliastext.len() - 1]));
                let mut t = Element::new(Tag::Target, tspan);
                t.set("refname", alias.clone());
                target = Some(t);
            } else {
                let joined: Vec<String> = split_escaped_whitespace(aliastext)
                    .iter()
                    .map(|part| part.split(is_space).collect::<String>())
                    .collect();
                let mut a = adjust_uri(&unescape(&joined.join(" ")));
                if a.ends_with("\\_") {
                    a.truncate(a.len() - 2);
                    a.push('_');
                }
                alias = a;
                let mut t = Element::new(Tag::Target, tspan);
                t.set("refuri", alias.clone());
                target = Some(t);
            }
            if text.is_empty() {
                text = aliastext.to_string();
                if !alias_is_name {
                    text = alias.clone();
                }
            }
        }
        let unescaped = unescape(&text);
        let refname = fully_normalize_name(&unescaped);
        let mut reference = Element::new(Tag::Reference, span);
        reference.set("name", whitespace_normalize_name(&unescaped));
        reference.push_text(unescaped.clone(), span);
        let mut out = Vec::new();
        if anonymous {
            match (&target, alias_is_name) {
                (Some(_), true) => reference.set("refname", alias),
                (Some(_), false) => reference.set("refuri", alias),
                (None, _) => reference.set("anonymous", "1"),
            }
            out.push(reference.into());
        } else if let Some(mut t) = target {
            t.names.push(refname);
            if alias_is_name {
                reference.set("refname", alias);
                out.push(reference.into());
                t.set("indirect_reference_name", "");
                t.remove("indirect_reference_name");
                let msgs = self.doc.note_explicit_target(&mut t, self.lineno);
                self.messages.extend(msgs);
            } else {
                reference.set("refuri", alias);
                out.push(reference.into());
                // docutils does not insert these messages anywhere
                let _ = self.doc.note_explicit_target(&mut t, self.lineno);
            }
            out.push(t.into());
        } else {
            reference.set("refname", refname);
            out.push(reference.into());
        }
        out
    }

    // ----- standalone URIs and e-mail addresses -----

    fn implicit(&mut self, from: usize, to: usize, out: &mut Vec<Node>) {
        if from >= to {
            return;
        }
        let seg = self.s[from..to].to_string();
        // A standalone URI needs its scheme's `:`, an e-mail address its `@`.
        if !seg.bytes().any(|b| b == b':' || b == b'@') {
            if !seg.is_empty() {
                out.push(Node::text(unescape(&seg), self.span(from, to)));
            }
            return;
        }
        let mut pos = 0;
        let mut text_start = 0;
        while pos < seg.len() {
            match find_uri(&seg, pos) {
                Some((a, b, scheme, email)) => {
                    if !email && !scheme.as_deref().is_some_and(is_known_scheme) {
                        // MarkupMismatch: docutils gives up on the whole text
                        break;
                    }
                    if a > text_start {
                        let t = unescape(&seg[text_start..a]);
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
                    r.set("refuri", refuri);
                    r.push_text(unescape(whole), span);
                    out.push(r.into());
                    pos = b;
                    text_start = b;
                    // docutils recurses on the text after the match: it counts as text start.
                    let rest = find_uri_from_start(&seg, pos);
                    if let Some(np) = rest {
                        pos = np;
                    }
                }
                None => break,
            }
        }
        if text_start < seg.len() {
            let t = unescape(&seg[text_start..]);
            out.push(Node::text(t, self.span(from + text_start, to)));
        }
    }
}

/// Position from which to continue URI search after a match (the match end).
fn find_uri_from_start(_seg: &str, pos: usize) -> Option<usize> {
    Some(pos)
}

/// The `embedded_link` pattern: returns (start of the whole match, position of `<`).
fn embedded_link(s: &str) -> Option<(usize, usize)> {
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
fn split_escaped_whitespace(s: &str) -> Vec<String> {
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
fn adjust_uri(uri: &str) -> String {
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

fn uri_at_start(s: &str) -> bool {
    find_uri_at(s, 0).is_some()
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
fn find_uri_at(s: &str, p: usize) -> Option<(usize, Option<String>, bool)> {
    let suffix_ok = |i: usize| ch_at(s, i).is_none_or(suffix_char);
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
/// inside, and e-mail matching is only tried when an `@` follows.
fn find_uri(s: &str, from: usize) -> Option<(usize, usize, Option<String>, bool)> {
    let mut prev: Option<char> = None;
    let last_at = s.rfind('@');
    let mut dead_until = 0usize;
    for (off, c) in s[from..].char_indices() {
        let p = from + off;
        let ok = prev.is_none_or(prefix_char);
        prev = Some(c);
        if !ok || !(c.is_ascii_alphanumeric() || is_emailc(c)) || p < dead_until {
            continue;
        }
        if last_at.is_none_or(|a| a < p) {
            // only absolute URIs remain possible: need `scheme:`
            if !c.is_ascii_alphabetic() {
                continue;
            }
            let mut j = p + 1;
            while let Some(c) = ch_at(s, j) {
                if c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-') {
                    j += 1;
                } else {
                    break;
                }
            }
            if ch_at(s, j) != Some(':') {
                dead_until = j;
                continue;
            }
        }
        if let Some((e, scheme, email)) = find_uri_at(s, p) {
            return Some((p, e, scheme, email));
        }
    }
    None
}
