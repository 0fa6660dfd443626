//! Reference-related transforms: `misc.ClassAttribute`,
//! `references.Substitutions`, `PropagateTargets`, `AnonymousHyperlinks`
//! and the target resolution of `ExternalTargets`, `InternalTargets`,
//! `IndirectHyperlinks` and `DanglingReferences`.

use crate::ast::Attr;
use crate::ast::{Element, Node, Tag};
use crate::diag::Severity;

use crate::syntax::rst::block::Parser;

pub use crate::syntax::rst::inline::{LINE, RAW};

/// `misc.ClassAttribute`: classes of a content-less `.. class::` go to the
/// next element that is not invisible, looking past the end of enclosing
/// containers (the pending node's ancestors' following siblings).
pub fn class_attributes(p: &mut Parser, doc: &mut Element) {
    fn invisible(n: &Node) -> bool {
        matches!(n, Node::Element(x) if matches!(x.tag, Tag::Comment | Tag::SubstitutionDefinition | Tag::Target | Tag::Pending | Tag::SystemMessage))
    }
    /// Returns classes still looking for an element after this container.
    fn walk(e: &mut Element, depth: usize) -> Vec<(Vec<String>, Element)> {
        let mut carry: Vec<(Vec<String>, Element)> = Vec::new();
        let mut i = 0;
        while i < e.children.len() {
            let is_pending = matches!(&e.children[i], Node::Element(x) if x.tag == Tag::Pending && x.get(Attr::Kind) == Some("class"));
            if is_pending {
                if let Node::Element(pend) = e.children.remove(i) {
                    let classes = pend
                        .get(Attr::Class)
                        .unwrap_or("")
                        .split_whitespace()
                        .map(str::to_string)
                        .collect();
                    carry.push((classes, *pend));
                }
                continue;
            }
            if !carry.is_empty()
                && !invisible(&e.children[i])
                && let Node::Element(x) = &mut e.children[i]
            {
                for (c, _) in carry.drain(..) {
                    x.classes.extend(c);
                }
            }
            if depth < 200
                && let Node::Element(c) = &mut e.children[i]
            {
                let inner = walk(c, depth + 1);
                carry.extend(inner);
            }
            i += 1;
        }
        carry
    }
    let left = walk(doc, 0);
    for (_, pend) in left {
        let line = pend
            .get(super::references::LINE)
            .and_then(|l| l.parse().ok());
        let raw = pend.get(RAW).unwrap_or("").to_string();
        let m = p.doc.message_with_block(
            Severity::Error,
            "No suitable element following \"class\" directive",
            &raw,
            line,
            pend.span,
        );
        doc.push(m);
    }
}

/// `.. _x:` followed by an element: the element takes over the target's ids and names.
pub fn propagate_targets(p: &mut Parser, doc: &mut Element) {
    let mut moved: Vec<(Vec<String>, Option<String>, Option<String>)> = Vec::new();
    propagate(doc, &mut moved);
    // names that moved onto an external or indirect target now resolve like it
    for (names, uri, refname) in moved {
        for n in names {
            if let Some(Some(info)) = p.doc.names.get_mut(&n) {
                if uri.is_some() {
                    info.refuri = uri.clone();
                }
                if refname.is_some() {
                    info.refname = refname.clone();
                }
            }
        }
    }
}

/// Pre-order list of elements (system messages are not descended into),
/// each stored as its parent's entry, its index among the parent's
/// children and its tag: no `Vec` per element (an allocation per node was a
/// tenth of the whole RST parse), and a pass looking for a few kinds of
/// element skips the rest by tag.
#[derive(Default)]
struct Preorder {
    parents: Vec<u32>,
    indexes: Vec<u32>,
    tags: Vec<Tag>,
}

/// The parent entry of the root's children.
const ROOT: u32 = u32::MAX;

impl Preorder {
    fn of(doc: &Element) -> Preorder {
        let mut order = Preorder::default();
        order.collect(doc, ROOT, 0);
        order
    }

    fn collect(&mut self, e: &Element, parent: u32, depth: usize) {
        for (i, c) in e.children.iter().enumerate() {
            let Node::Element(c) = c else { continue };
            let me = self.tags.len() as u32;
            self.parents.push(parent);
            self.indexes.push(i as u32);
            self.tags.push(c.tag);
            if c.tag != Tag::SystemMessage && depth < 256 {
                self.collect(c, me, depth + 1);
            }
        }
    }

    fn len(&self) -> usize {
        self.tags.len()
    }

    /// The path (child indexes from the root) of the `k`th element in
    /// document order.
    fn path(&self, k: usize) -> Vec<usize> {
        let mut path = Vec::new();
        let mut at = k as u32;
        while at != ROOT {
            path.push(self.indexes[at as usize] as usize);
            at = self.parents[at as usize];
        }
        path.reverse();
        path
    }
}

/// `PropagateTargets`: an internal target hands its ids and names to the
/// next node in document order (docutils' `next_node(ascend=True)`).
fn propagate(doc: &mut Element, moved: &mut Vec<(Vec<String>, Option<String>, Option<String>)>) {
    fn is_internal(x: &Element) -> bool {
        x.tag == Tag::Target
            && x.get(Attr::Refuri).is_none()
            && x.get(Attr::Refid).is_none()
            && x.get(Attr::Refname).is_none()
            && x.children.is_empty()
            && !x.ids.is_empty()
    }
    let order = Preorder::of(doc);
    let mut spent_in_figures: Vec<Vec<usize>> = Vec::new();
    for k in 0..order.len() {
        if order.tags[k] != Tag::Target {
            continue;
        }
        let path = order.path(k);
        let path = path.as_slice();
        let (in_text, internal) = {
            let Some(t) = at(doc, path) else { continue };
            let parent_tag = at(doc, &path[..path.len() - 1])
                .map(|p| p.tag)
                .unwrap_or(Tag::Document);
            (
                parent_tag.is_inline()
                    || matches!(
                        parent_tag,
                        Tag::Paragraph
                            | Tag::Title
                            | Tag::Term
                            | Tag::Line
                            | Tag::LiteralBlock
                            | Tag::Caption
                            | Tag::Rubric
                            | Tag::Subtitle
                            | Tag::Attribution
                    ),
                is_internal(t),
            )
        };
        if in_text || !internal {
            continue;
        }
        // next node after the target that is not a system message (nor inside one)
        let mut next = None;
        let mut q = k + 1;
        while q < order.len() {
            if order.tags[q] == Tag::SystemMessage {
                q += 1;
                continue;
            }
            next = Some(order.path(q));
            break;
        }
        let Some(np) = next else { continue };
        let np = np.as_slice();
        let ok = at(doc, np).is_some_and(|x| {
            x.tag == Tag::Target
                || !matches!(
                    x.tag,
                    Tag::Comment
                        | Tag::SubstitutionDefinition
                        | Tag::Pending
                        | Tag::Footnote
                        | Tag::Citation
                )
        });
        if !ok {
            continue;
        }
        let (ids, names) = match at_mut(doc, path) {
            Some(t) => {
                let ids = std::mem::take(&mut t.ids);
                let names = std::mem::take(&mut t.names);
                if let Some(first) = ids.first() {
                    t.set(Attr::Refid, first.clone());
                }
                (ids, names)
            }
            None => continue,
        };
        if let Some(x) = at_mut(doc, np) {
            if x.tag == Tag::Target {
                moved.push((
                    names.clone().to_vec(),
                    x.get(Attr::Refuri).map(str::to_string),
                    x.get(Attr::Refname).map(str::to_string),
                ));
            }
            x.ids.extend(ids);
            x.names.extend(names);
        }
        // docutils removes a target whose ids went to a figure's caption
        let in_figure = at(doc, &path[..path.len() - 1]).is_some_and(|f| f.tag == Tag::Figure);
        if in_figure && at(doc, np).is_some_and(|x| x.tag == Tag::Caption) {
            spent_in_figures.push(path.to_vec());
        }
    }
    // removed last (in reverse document order), so the paths above stay valid
    for path in spent_in_figures.iter().rev() {
        if let Some((&last, parent)) = path.split_last()
            && let Some(f) = at_mut(doc, parent)
            && last < f.children.len()
        {
            f.children.remove(last);
        }
    }
}

fn at<'a>(root: &'a Element, path: &[usize]) -> Option<&'a Element> {
    let mut e = root;
    for &i in path {
        e = e.children.get(i)?.as_element()?;
    }
    Some(e)
}

fn collect_anon(
    e: &Element,
    path: &mut Vec<usize>,
    refs: &mut Vec<Vec<usize>>,
    targets: &mut Vec<Vec<usize>>,
) {
    for (i, c) in e.children.iter().enumerate() {
        let Node::Element(c) = c else { continue };
        path.push(i);
        if c.get(Attr::Anonymous).is_some() {
            if c.tag == Tag::Reference {
                refs.push(path.clone());
            } else if c.tag == Tag::Target {
                targets.push(path.clone());
            }
        }
        collect_anon(c, path, refs, targets);
        path.pop();
    }
}

fn at_mut<'a>(root: &'a mut Element, path: &[usize]) -> Option<&'a mut Element> {
    let mut e = root;
    for &i in path {
        e = e.children.get_mut(i)?.as_element_mut()?;
    }
    Some(e)
}

/// The line docutils' reporter is left at after parsing: one past the
/// end, except when the document ends in explicit markup (observed
/// behaviour of docutils 0.23 for messages without a node).
pub(super) fn end_line(p: &Parser) -> Option<usize> {
    let n = p.main_lines;
    let mut k = n;
    while k > 0 && p.lines[k - 1].text.is_empty() {
        k -= 1;
    }
    while k > 0 && (p.lines[k - 1].text.starts_with(' ') || p.lines[k - 1].text.is_empty()) {
        k -= 1;
    }
    if k > 0 {
        let t = &p.lines[k - 1].text;
        if t.starts_with("..") || t.starts_with("__ ") || t == "__" {
            return None;
        }
    }
    Some(n + 1)
}

pub fn anonymous(p: &mut Parser, doc: &mut Element, msgs: &mut Vec<Element>) {
    let mut refs = Vec::new();
    let mut targets = Vec::new();
    collect_anon(doc, &mut Vec::new(), &mut refs, &mut targets);
    if refs.len() != targets.len() {
        let mut m = p.doc.message(
            Severity::Error,
            &format!("Anonymous hyperlink mismatch: {} references but {} targets.\nSee \"backrefs\" attribute for IDs.", refs.len(), targets.len()),
            end_line(p),
            Default::default(),
        );
        let msgid = p.doc.set_id(&mut m, "");
        // point the message at the first reference, for diagnostics
        if let Some(first) = refs.first().and_then(|path| {
            let mut e: &Element = doc;
            for &i in path {
                e = e.children.get(i)?.as_element()?;
            }
            Some(e.span)
        }) {
            m.span = first;
            for c in m.elements_mut() {
                c.span = first;
            }
        }
        for path in &refs {
            let Some(r) = at_mut(doc, path) else { continue };
            let raw = r.get(RAW).map(str::to_string).unwrap_or_else(|| r.astext());
            let mut prb = Element::new(Tag::Problematic, r.span);
            prb.set(Attr::Refid, msgid.clone());
            prb.push_text(raw, r.span);
            let prbid = p.doc.set_id(&mut prb, "");
            m.backrefs.push(prbid);
            *r = prb;
        }
        msgs.push(m);
        return;
    }
    // `document.ids`: where each id is, for targets whose ids moved on;
    // built only when a reference needs it (most pages have none).
    let mut by_id: Option<rustc_hash::FxHashMap<String, Vec<usize>>> = None;
    for (rp, tp) in refs.iter().zip(targets.iter()) {
        // A reference with an embedded URI is resolved already.
        if at(doc, rp)
            .is_some_and(|r| r.get(Attr::Refuri).is_some() || r.get(Attr::Refid).is_some())
        {
            continue;
        }
        // Follow propagated targets (no ids left, a `refid` to where they went).
        let mut target = tp.clone();
        let mut resolved = None;
        for _ in 0..64 {
            let Some(t) = at(doc, &target) else { break };
            if let Some(u) = t.get(Attr::Refuri) {
                resolved = Some((Attr::Refuri, u.to_string()));
                break;
            }
            if let Some(id) = t.ids.first() {
                resolved = Some((Attr::Refid, id.clone()));
                break;
            }
            let Some(id) = t.get(Attr::Refid) else { break };
            let by_id = by_id.get_or_insert_with(|| ids_by_path(doc));
            match by_id.get(id) {
                Some(next) => target = next.clone(),
                None => break,
            }
        }
        let (Some((key, value)), Some(r)) = (resolved, at_mut(doc, rp)) else {
            continue;
        };
        r.set(key, value);
    }
}

/// The path of the first element carrying each id, in document order.
fn ids_by_path(doc: &Element) -> rustc_hash::FxHashMap<String, Vec<usize>> {
    fn collect(
        e: &Element,
        path: &mut Vec<usize>,
        by_id: &mut rustc_hash::FxHashMap<String, Vec<usize>>,
        depth: usize,
    ) {
        for (i, c) in e.children.iter().enumerate() {
            let Node::Element(c) = c else { continue };
            path.push(i);
            for id in &c.ids {
                by_id.entry(id.clone()).or_insert_with(|| path.clone());
            }
            if c.tag != Tag::SystemMessage && depth < 256 {
                collect(c, path, by_id, depth + 1);
            }
            path.pop();
        }
    }
    let mut by_id = Default::default();
    collect(doc, &mut Vec::new(), &mut by_id, 0);
    by_id
}

/// docutils' hint under "Unknown target name" when the name looks like a
/// failed attempt at an embedded URI or alias (`link<address>`).
pub(super) fn embedding_hint(refname: &str) -> Option<String> {
    if !refname.contains('<') && !refname.contains('>') {
        return None;
    }
    let mut hint = String::from("Did you want to embed a URI or alias?");
    if !refname.contains('<') {
        hint.push_str("\nOpening bracket missing.");
    } else if !refname.contains(" <") {
        hint.push_str("\nThe embedded reference must be preceded by whitespace.");
    }
    if !refname.contains('>') {
        hint.push_str("\nClosing bracket missing.");
    } else if !refname.ends_with('>') {
        hint.push_str("\nThe embedded reference must be the last text before the end string.");
    }
    if refname.contains("< ") || refname.contains(" >") {
        hint.push_str("\nWhitespace around the embedded reference is not allowed.");
    }
    Some(hint)
}
