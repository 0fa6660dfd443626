//! Hyperlink resolution as docutils' `IndirectHyperlinks`,
//! `ExternalTargets`, `InternalTargets` and `DanglingReferences` do it, one
//! after the other, with their bookkeeping: which references and targets
//! are `resolved`, which targets are `referenced` (unreferenced ones get
//! docutils' INFO "Hyperlink target … is not referenced."), and the
//! `refnames`/`refids` registries the indirect-target errors walk to turn
//! every reference to a broken target into a `problematic`.
//!
//! docutils keeps node objects; here a node is its index in a pre-order
//! list of paths into the tree. A node docutils replaces by a
//! `problematic` lives on detached (docutils keeps resolving it), so its
//! last state is kept aside in [`Links::detached`].

use rustc_hash::FxHashMap as HashMap;

use crate::ast::{Attr, Element, Node, Tag};
use crate::diag::Severity;
use crate::syntax::rst::block::Parser;
use crate::syntax::rst::doc::MAX_INLINE_PROBLEMS;

use super::references::{LINE, RAW};
use super::smartquotes::{is_text_element, line_at};

/// Longest chain of indirect targets followed; a longer one is an error
/// of its own rather than recursed into without bound (docutils recurses
/// and dies of Python's recursion limit on a chain of about a thousand).
const MAX_CHAIN: usize = 256;
/// Deepest element indexed (the parser caps nesting well below this).
const MAX_DEPTH: usize = 512;

/// The transform's state over one document.
struct Links<'d, 'p, 'a> {
    p: &'p mut Parser<'a>,
    doc: &'d mut Element,
    /// Pre-order paths of the elements that take part (see [`index`]):
    /// a node's index is its handle.
    paths: Vec<Vec<usize>>,
    /// Nodes replaced by a `problematic`, as docutils goes on seeing them.
    detached: HashMap<usize, Element>,
    resolved: Vec<bool>,
    referenced: Vec<bool>,
    /// docutils' `multiply_indirect` mark, which detects circular chains.
    multiply: Vec<bool>,
    /// `document.ids`.
    by_id: HashMap<String, usize>,
    /// Implicit targets still without an id, by their key (`legacy_ids = False`).
    by_key: HashMap<String, usize>,
    /// `document.refnames`: nodes with a `refname`, by that name.
    refnames: HashMap<String, Vec<usize>>,
    /// `document.refids`: targets and references with a `refid`, by it.
    refids: HashMap<String, Vec<usize>>,
    /// Targets `PropagateTargets` emptied, by the id they gave away: they
    /// count as referenced when the element now holding it is
    /// (docutils' `expect_referenced_by_id`/`_name`).
    propagated: HashMap<String, usize>,
}

/// Collects the pre-order paths of the elements the transforms can touch:
/// targets, references and anything holding an id, a name or a link.
/// The rest (most paragraphs, list items, inline markup) are walked
/// through but not indexed, which keeps the transform's cost near the
/// number of links rather than of elements.
fn index(e: &Element, path: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
    for (i, c) in e.children.iter().enumerate() {
        let Node::Element(c) = c else { continue };
        path.push(i);
        if takes_part(c) {
            out.push(path.clone());
        }
        if path.len() < MAX_DEPTH {
            index(c, path, out);
        }
        path.pop();
    }
}

fn takes_part(e: &Element) -> bool {
    e.tag == Tag::Target
        || is_reference(e.tag)
        || !e.ids.is_empty()
        || !e.names.is_empty()
        || e.get(Attr::InternalKey).is_some()
        || e.get(Attr::Refname).is_some()
        || e.get(Attr::Refid).is_some()
}

fn is_reference(tag: Tag) -> bool {
    matches!(
        tag,
        Tag::Reference | Tag::FootnoteReference | Tag::CitationReference
    )
}

/// The four transforms, in docutils' order; their messages go to `msgs`.
pub fn hyperlinks(p: &mut Parser, doc: &mut Element, msgs: &mut Vec<Element>) {
    let mut paths = Vec::new();
    index(doc, &mut Vec::new(), &mut paths);
    let n = paths.len();
    let mut links = Links {
        p,
        doc,
        paths,
        detached: HashMap::default(),
        resolved: vec![false; n],
        referenced: vec![false; n],
        multiply: vec![false; n],
        by_id: HashMap::default(),
        by_key: HashMap::default(),
        refnames: HashMap::default(),
        refids: HashMap::default(),
        propagated: HashMap::default(),
    };
    links.register();
    let indirect: Vec<usize> = (0..n)
        .filter(|&i| {
            links
                .node(i)
                .is_some_and(|e| e.tag == Tag::Target && e.get(Attr::Refname).is_some())
        })
        .collect();
    for t in indirect {
        if !links.resolved[t] {
            links.resolve_indirect_target(t, 0, msgs);
        }
        links.resolve_indirect_references(t, 0);
    }
    links.external_targets();
    links.internal_targets();
    links.dangling_references(msgs);
    links.unreferenced_targets(msgs);
}

impl Links<'_, '_, '_> {
    fn node(&self, i: usize) -> Option<&Element> {
        match self.detached.get(&i) {
            Some(e) => Some(e),
            None => self.doc.descendant(self.paths.get(i)?),
        }
    }

    fn node_mut(&mut self, i: usize) -> Option<&mut Element> {
        match self.detached.get_mut(&i) {
            Some(e) => Some(e),
            None => self.doc.descendant_mut(self.paths.get(i)?),
        }
    }

    /// The registries as the parser and the earlier transforms left them.
    fn register(&mut self) {
        for i in 0..self.paths.len() {
            let Some(e) = self.node(i) else { continue };
            let ids: Vec<String> = e.ids.to_vec();
            let key = e.get(Attr::InternalKey).map(str::to_string);
            let refname = e.get(Attr::Refname).map(str::to_string);
            let refid = e.get(Attr::Refid).map(str::to_string);
            let tag = e.tag;
            let named = !e.names.is_empty();
            let propagated = tag == Tag::Target
                && e.ids.is_empty()
                && e.names.is_empty()
                && e.get(Attr::Refuri).is_none()
                && refname.is_none();
            // `dupname()` marks a node referenced; an embedded URI's target
            // is referenced by the reference it came with.
            let referenced = tag == Tag::Target
                && (!e.dupnames.is_empty() || (e.get(Attr::Refuri).is_some() && self.in_text(i)));
            self.referenced[i] = referenced;
            for id in ids {
                self.by_id.entry(id).or_insert(i);
            }
            if let Some(k) = key {
                self.by_key.entry(k).or_insert(i);
            }
            if let Some(r) = refname
                && (is_reference(tag) || (tag == Tag::Target && named))
            {
                self.refnames.entry(r).or_default().push(i);
            }
            if let Some(r) = refid
                && (is_reference(tag) || tag == Tag::Target)
            {
                if propagated {
                    self.propagated.entry(r.clone()).or_insert(i);
                }
                self.refids.entry(r).or_default().push(i);
            }
        }
    }

    /// Whether the node sits in a text element (an inline target).
    fn in_text(&self, i: usize) -> bool {
        let Some(path) = self.paths.get(i) else {
            return false;
        };
        self.doc
            .descendant(&path[..path.len().saturating_sub(1)])
            .is_some_and(|parent| is_text_element(parent.tag))
    }

    /// The line docutils reports for a node: its own for block-level
    /// targets, the enclosing text element's for inline ones.
    fn line(&self, i: usize) -> Option<usize> {
        let e = self.node(i)?;
        if let Some(l) = e.get(LINE).and_then(|l| l.parse().ok()) {
            return Some(l);
        }
        let path = self.paths.get(i)?;
        let mut span = e.span;
        if self.in_text(i)
            && let Some(parent) = self.doc.descendant(&path[..path.len() - 1])
        {
            span = parent.span;
        }
        line_at(self.p, span.start as usize)
    }

    /// `document.names[name]`: the node registered under the name.
    fn name_node(&self, name: &str) -> Option<usize> {
        let Some(Some(info)) = self.p.doc.names.get(name) else {
            return None;
        };
        if let Some(&t) = self.propagated.get(&info.id) {
            return Some(t);
        }
        if let Some(&k) = self.by_key.get(&info.id) {
            return Some(k);
        }
        self.by_id.get(&info.id).copied()
    }

    /// `document.nameids.get(name)`: `None` for a name never given an id,
    /// `Some(None)` for a duplicate.
    fn nameid(&self, name: &str) -> Option<Option<String>> {
        match self.p.doc.names.get(name)? {
            None => Some(None),
            Some(info) if info.id.is_empty() || info.id.starts_with('\0') => None,
            Some(info) => Some(Some(info.id.clone())),
        }
    }

    /// `document.set_id(node)` on a registered node.
    fn set_id(&mut self, i: usize) -> String {
        let Some(path) = self.paths.get(i).cloned() else {
            return String::new();
        };
        let Some(e) = self.doc.descendant_mut(&path) else {
            return String::new();
        };
        let key = e.get(Attr::InternalKey).map(str::to_string);
        let id = self.p.doc.set_id(e, "");
        self.by_id.entry(id.clone()).or_insert(i);
        if let Some(k) = key {
            self.p.doc.resolve_key(&k, &id);
        }
        id
    }

    fn note_refid(&mut self, i: usize) {
        if let Some(r) = self.node(i).and_then(|e| e.get(Attr::Refid)) {
            let r = r.to_string();
            self.refids.entry(r).or_default().push(i);
        }
    }

    /// `Element.note_referenced_by`, with the targets propagated into the node.
    fn note_referenced_by(&mut self, i: usize, name: Option<&str>, id: Option<&str>) {
        self.referenced[i] = true;
        if let Some(id) = id
            && let Some(&t) = self.propagated.get(id)
        {
            self.referenced[t] = true;
        }
        if let Some(name) = name
            && let Some(Some(info)) = self.p.doc.names.get(name)
            && let Some(&t) = self.propagated.get(&info.id)
        {
            self.referenced[t] = true;
        }
    }

    /// `IndirectHyperlinks.resolve_indirect_target`.
    fn resolve_indirect_target(&mut self, t: usize, depth: usize, msgs: &mut Vec<Element>) {
        let Some(e) = self.node(t) else { return };
        let refname = e.get(Attr::Refname).map(str::to_string);
        let own_refid = e.get(Attr::Refid).map(str::to_string);
        let (reftarget, refid) = match own_refid {
            Some(r) => (self.by_id.get(&r).copied(), Some(r)),
            None => {
                let name = refname.clone().unwrap_or_default();
                let reftarget = self.name_node(&name);
                let mut refid = self.nameid(&name).flatten();
                if let Some(r) = reftarget
                    && refid.is_none()
                {
                    refid = Some(self.set_id(r));
                }
                (reftarget, refid)
            }
        };
        let Some(rt) = reftarget else {
            self.nonexistent_indirect_target(t, msgs);
            return;
        };
        self.note_referenced_by(rt, None, refid.as_deref());
        let chained = self
            .node(rt)
            .is_some_and(|x| x.tag == Tag::Target && x.get(Attr::Refname).is_some())
            && !self.resolved[rt];
        if chained {
            if self.multiply[t] {
                self.indirect_target_error(t, "forming a circular reference", msgs);
                return;
            }
            if depth >= MAX_CHAIN {
                let too_long = format!("a chain of more than {MAX_CHAIN} indirect targets");
                self.indirect_target_error(t, &too_long, msgs);
                return;
            }
            self.multiply[t] = true;
            self.resolve_indirect_target(rt, depth + 1, msgs);
            self.multiply[t] = false;
        }
        let Some(x) = self.node(rt) else { return };
        let rt_uri = x.get(Attr::Refuri).map(str::to_string);
        let rt_refid = x.get(Attr::Refid).map(str::to_string);
        let rt_has_ids = !x.ids.is_empty();
        if let Some(uri) = rt_uri {
            if let Some(e) = self.node_mut(t) {
                e.set(Attr::Refuri, uri);
                e.remove(Attr::Refid);
            }
        } else if let Some(r) = rt_refid.or(if rt_has_ids { refid } else { None }) {
            if let Some(e) = self.node_mut(t) {
                e.set(Attr::Refid, r);
            }
            self.note_refid(t);
        } else {
            self.nonexistent_indirect_target(t, msgs);
            return;
        }
        if refname.is_some()
            && let Some(e) = self.node_mut(t)
        {
            e.remove(Attr::Refname);
        }
        self.resolved[t] = true;
    }

    fn nonexistent_indirect_target(&mut self, t: usize, msgs: &mut Vec<Element>) {
        let refname = self
            .node(t)
            .and_then(|e| e.get(Attr::Refname))
            .unwrap_or("");
        let explanation = if matches!(self.p.doc.names.get(refname), Some(None)) {
            "which is a duplicate, and cannot be used as a unique reference"
        } else {
            "which does not exist"
        };
        self.indirect_target_error(t, explanation, msgs);
    }

    /// `indirect_target_error`: one error, and every reference to the
    /// target (by its names or ids) replaced by a `problematic`.
    fn indirect_target_error(&mut self, t: usize, explanation: &str, msgs: &mut Vec<Element>) {
        let Some(e) = self.node(t) else { return };
        let mut naming = String::new();
        if let Some(first) = e.names.first() {
            naming = format!("\"{first}\" ");
        }
        let mut reflist: Vec<usize> = Vec::new();
        for name in &e.names {
            reflist.extend(self.refnames.get(name).into_iter().flatten());
        }
        for id in &e.ids {
            reflist.extend(self.refids.get(id).into_iter().flatten());
        }
        if let Some(first) = e.ids.first() {
            naming.push_str(&format!("(id=\"{first}\")"));
        }
        let text = format!(
            "Indirect hyperlink target {naming} refers to target \"{}\", {explanation}.",
            e.get(Attr::Refname).unwrap_or("")
        );
        let span = e.span;
        let line = self.line(t);
        let mut msg = self.p.doc.message(Severity::Error, &text, line, span);
        let msgid = self.p.doc.set_id(&mut msg, "");
        let mut seen = rustc_hash::FxHashSet::default();
        for r in reflist {
            // a node replaced already has no parent to be replaced in
            if !seen.insert(r) || self.detached.contains_key(&r) {
                continue;
            }
            let Some(old) = self.node(r).cloned() else {
                continue;
            };
            let mut prb = Element::new(Tag::Problematic, old.span);
            prb.set(Attr::Refid, msgid.clone());
            prb.push_text(self.rawsource(&old), old.span);
            let prbid = self.p.doc.set_id(&mut prb, "");
            msg.backrefs.push(prbid);
            // `replace_self` hands the basic attributes to the new node
            for id in &old.ids {
                if !prb.ids.contains(id) {
                    prb.ids.push(id.clone());
                }
            }
            prb.names.extend(old.names.iter().cloned());
            prb.classes.extend(old.classes.iter().cloned());
            prb.dupnames.extend(old.dupnames.iter().cloned());
            if let Some(slot) = self.node_mut(r) {
                *slot = prb;
            }
            self.detached.insert(r, old);
        }
        self.resolved[t] = true;
        msgs.push(msg);
    }

    /// A node's `rawsource`: a reference's markup, a target's whole block.
    fn rawsource(&self, e: &Element) -> String {
        if let Some(raw) = e.get(RAW) {
            return raw.to_string();
        }
        if e.tag == Tag::Target {
            let main = &self.p.lines[..self.p.main_lines.min(self.p.lines.len())];
            let (start, end) = (e.span.start as usize, e.span.end as usize);
            let lines: Vec<&str> = main
                .iter()
                .filter(|l| l.end >= start && l.start < end.max(start + 1))
                .map(|l| l.text.as_str())
                .collect();
            if !lines.is_empty() {
                return lines.join("\n").trim_end().to_string();
            }
        }
        e.astext()
    }

    /// `IndirectHyperlinks.resolve_indirect_references`.
    fn resolve_indirect_references(&mut self, t: usize, depth: usize) {
        let Some(e) = self.node(t) else { return };
        let (attr, value) = if let Some(r) = e.get(Attr::Refid) {
            (Attr::Refid, r.to_string())
        } else if let Some(u) = e.get(Attr::Refuri) {
            (Attr::Refuri, u.to_string())
        } else {
            return;
        };
        let names: Vec<String> = e.names.to_vec();
        let ids: Vec<String> = e.ids.to_vec();
        for name in names {
            let reflist = self.refnames.get(&name).cloned().unwrap_or_default();
            if !reflist.is_empty() {
                self.note_referenced_by(t, Some(&name), None);
            }
            self.redirect(reflist, Attr::Refname, attr, &value, depth);
        }
        for id in ids {
            let reflist = self.refids.get(&id).cloned().unwrap_or_default();
            if !reflist.is_empty() {
                self.note_referenced_by(t, None, Some(&id));
            }
            self.redirect(reflist, Attr::Refid, attr, &value, depth);
        }
    }

    /// The unresolved nodes of `reflist` take `attr` = `value` in place of
    /// `old_attr`; targets among them pass it on.
    fn redirect(
        &mut self,
        reflist: Vec<usize>,
        old_attr: Attr,
        attr: Attr,
        value: &str,
        depth: usize,
    ) {
        for r in reflist {
            if self.resolved[r] {
                continue;
            }
            let Some(x) = self.node_mut(r) else { continue };
            x.remove(old_attr);
            x.set(attr, value.to_string());
            let is_target = x.tag == Tag::Target;
            if attr == Attr::Refid {
                self.note_refid(r);
            }
            self.resolved[r] = true;
            if is_target && depth < MAX_CHAIN {
                self.resolve_indirect_references(r, depth + 1);
            }
        }
    }

    /// Targets still in the tree, in document order.
    fn targets(&self) -> Vec<usize> {
        (0..self.paths.len())
            .filter(|&i| {
                !self.detached.contains_key(&i)
                    && self.node(i).is_some_and(|e| e.tag == Tag::Target)
            })
            .collect()
    }

    /// `ExternalTargets`: references to a target with a URI get the URI.
    fn external_targets(&mut self) {
        for t in self.targets() {
            let Some(e) = self.node(t) else { continue };
            let Some(uri) = e.get(Attr::Refuri).map(str::to_string) else {
                continue;
            };
            let names: Vec<String> = e.names.iter().cloned().collect();
            for name in names {
                self.resolve_by_name(t, &name, Some((Attr::Refuri, uri.clone())));
            }
        }
    }

    /// `InternalTargets`: references to a target without a URI or refid
    /// link to the name's id (and count as resolved even without one).
    fn internal_targets(&mut self) {
        for t in self.targets() {
            let Some(e) = self.node(t) else { continue };
            if e.get(Attr::Refuri).is_some() || e.get(Attr::Refid).is_some() {
                continue;
            }
            let names: Vec<String> = e.names.iter().cloned().collect();
            for name in names {
                let refid = self.nameid(&name).flatten();
                self.resolve_by_name(t, &name, refid.map(|id| (Attr::Refid, id)));
            }
        }
    }

    fn resolve_by_name(&mut self, t: usize, name: &str, link: Option<(Attr, String)>) {
        let reflist = self.refnames.get(name).cloned().unwrap_or_default();
        if !reflist.is_empty() {
            self.note_referenced_by(t, Some(name), None);
        }
        for r in reflist {
            if self.resolved[r] {
                continue;
            }
            if let Some((attr, value)) = &link
                && let Some(x) = self.node_mut(r)
            {
                x.remove(Attr::Refname);
                x.set(*attr, value.clone());
            }
            self.resolved[r] = true;
        }
    }

    /// `DanglingReferences`' visitor: references left link to the name's
    /// id, or become a `problematic` with an error.
    fn dangling_references(&mut self, msgs: &mut Vec<Element>) {
        for i in 0..self.paths.len() {
            if self.resolved[i] || self.detached.contains_key(&i) {
                continue;
            }
            let Some(c) = self.node(i) else { continue };
            if !is_reference(c.tag) {
                continue;
            }
            let Some(refname) = c.get(Attr::Refname).map(str::to_string) else {
                continue;
            };
            match self.nameid(&refname) {
                Some(Some(id)) => {
                    if let Some(x) = self.node_mut(i) {
                        x.remove(Attr::Refname);
                        x.set(Attr::Refid, id.clone());
                    }
                    if let Some(&holder) = self.by_id.get(&id) {
                        self.note_referenced_by(holder, None, Some(&id));
                    }
                    self.resolved[i] = true;
                }
                found => self.unresolved(i, &refname, matches!(found, Some(None)), msgs),
            }
        }
    }

    /// A reference whose name is unknown or a duplicate.
    fn unresolved(&mut self, i: usize, refname: &str, dup: bool, msgs: &mut Vec<Element>) {
        let Some(c) = self.node(i).cloned() else {
            return;
        };
        let replacement = if self.p.doc.reference_problems >= MAX_INLINE_PROBLEMS {
            // Past the cap: the reference's text, plain, and one message
            // for all of them (below).
            self.p.doc.reference_problems_capped.get_or_insert(c.span);
            Node::text(c.astext(), c.span)
        } else if !dup && c.tag == Tag::CitationReference && self.p.doc.sphinx.is_some() {
            // Sphinx resolves citations across pages: the project-wide
            // step links it (or warns).
            let mut x = Element::new(Tag::PendingXref, c.span);
            x.set(Attr::Refdomain, "std");
            x.set(Attr::Reftype, "ref");
            x.set(Attr::Reftarget, refname);
            x.set(Attr::Refexplicit, "True");
            let mut inner = Element::new(Tag::Inline, c.span);
            inner.push_text(format!("[{}]", c.astext()), c.span);
            x.push(inner);
            x.into()
        } else {
            self.p.doc.reference_problems += 1;
            let text = if dup {
                format!(
                    "Duplicate target name, cannot be used as a unique reference: \"{refname}\"."
                )
            } else {
                format!("Unknown target name: \"{refname}\".")
            };
            let mut m = self.p.doc.message_about(Severity::Error, &text, &c, c.span);
            if !dup && let Some(hint) = super::references::embedding_hint(refname) {
                let mut para = Element::new(Tag::Paragraph, c.span);
                para.push_text(hint, c.span);
                m.push(para);
            }
            let prb = problematic_for(self.p, &c, &mut m);
            msgs.push(m);
            prb.into()
        };
        let Some((&last, parent)) = self.paths[i].split_last() else {
            return;
        };
        if let Some(slot) = self
            .doc
            .descendant_mut(parent)
            .and_then(|p| p.children.get_mut(last))
        {
            *slot = replacement;
        }
        self.detached.insert(i, c);
    }

    /// The INFO for each target nothing referenced.
    fn unreferenced_targets(&mut self, msgs: &mut Vec<Element>) {
        if let Some(span) = self.p.doc.reference_problems_capped {
            let text = format!(
                "Too many unknown or duplicate reference names: more than {MAX_INLINE_PROBLEMS} on this page; the rest are shown as plain text."
            );
            msgs.push(self.p.doc.message(Severity::Error, &text, None, span));
        }
        for t in self.targets() {
            if self.referenced[t] {
                continue;
            }
            let Some(e) = self.node(t) else { continue };
            if e.get(Attr::Anonymous).is_some() {
                // the mismatch error says it already
                continue;
            }
            let naming = e
                .names
                .first()
                .or(e.ids.first())
                .map(String::as_str)
                .or(e.get(Attr::Refid))
                .unwrap_or("")
                .to_string();
            let span = e.span;
            let line = self.line(t);
            let text = format!("Hyperlink target \"{naming}\" is not referenced.");
            msgs.push(self.p.doc.message(Severity::Info, &text, line, span));
        }
    }
}

/// DanglingReferences' `problematic`: it takes the reference's first id,
/// else a new one.
fn problematic_for(p: &mut Parser, node: &Element, msg: &mut Element) -> Element {
    let msgid = p.doc.set_id(msg, "");
    let raw = node
        .get(RAW)
        .map(str::to_string)
        .unwrap_or_else(|| node.astext());
    let mut prb = Element::new(Tag::Problematic, node.span);
    prb.set(Attr::Refid, msgid);
    prb.push_text(raw, node.span);
    let prbid = if let Some(id) = node.ids.first() {
        prb.ids.push(id.clone());
        id.clone()
    } else {
        p.doc.set_id(&mut prb, "")
    };
    msg.backrefs.push(prbid);
    prb
}
