//! End-string search: where an inline construct started at a
//! start-string ends, by docutils' recognition rules, cached per kind.

use super::super::chars::*;
use super::{EndKind, EndMatch, Inliner};

impl Inliner<'_, '_> {
    pub(super) fn end_at(&self, kind: EndKind, e: usize, no_lookbehind: bool) -> Option<EndMatch> {
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
    pub(super) fn find_end(&mut self, kind: EndKind, from: usize) -> Option<EndMatch> {
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
}
