//! `references.TargetNotes` (`.. target-notes::`): a footnote for each
//! external target that is referenced (and for each anonymous reference
//! with a URI), with a footnote reference after every reference to it.
//! It runs after the anonymous references are resolved and before
//! `Footnotes` numbers the notes it made.

use rustc_hash::FxHashMap;

use crate::ast::{Attr, Element, Node, Tag};

use crate::syntax::rst::block::Parser;

/// Longest chain of indirect targets followed to find a URI.
const MAX_INDIRECTION: usize = 32;

fn paths(
    e: &Element,
    path: &mut Vec<usize>,
    out: &mut Vec<Vec<usize>>,
    keep: &impl Fn(&Element) -> bool,
) {
    for (i, c) in e.children.iter().enumerate() {
        let Node::Element(c) = c else { continue };
        path.push(i);
        if keep(c) {
            out.push(path.clone());
        }
        paths(c, path, out, keep);
        path.pop();
    }
}

/// The URI a target stands for when `IndirectHyperlinks` has run: its own
/// `refuri`, or the end of its chain of indirect targets.
fn uri_of(target: &Element, by_name: &FxHashMap<String, &Element>) -> Option<String> {
    let mut t = target;
    for _ in 0..MAX_INDIRECTION {
        if let Some(uri) = t.get(Attr::Refuri) {
            return Some(uri.to_string());
        }
        let next = t.get(Attr::Refname)?;
        t = by_name.get(next)?;
    }
    None
}

/// The footnotes made so far, by URI, in order.
struct Notes {
    by_uri: FxHashMap<String, String>,
    made: Vec<Element>,
}

/// One footnote reference to insert after the reference at `after`.
struct Insertion {
    after: Vec<usize>,
    nodes: Vec<Node>,
}

fn note_for(p: &mut Parser, notes: &mut Notes, uri: &str, span: crate::ast::Span) -> String {
    if let Some(name) = notes.by_uri.get(uri) {
        return name.clone();
    }
    let mut footnote = Element::new(Tag::Footnote, span);
    let id = p.doc.set_id(&mut footnote, "");
    // uppercase and a colon: no name the parser makes looks like it
    let name = format!("TARGET_NOTE: {id}");
    footnote.set(Attr::Auto, "1");
    footnote.names.push(name.clone());
    let mut para = Element::new(Tag::Paragraph, span);
    let mut reference = Element::new(Tag::Reference, span);
    reference.set(Attr::Refuri, uri);
    reference.push_text(uri, span);
    para.push(reference);
    footnote.push(para);
    let _ = p.doc.note_explicit_target(&mut footnote, None);
    p.doc.target_note_footnotes.push(id);
    notes.by_uri.insert(uri.to_string(), name.clone());
    notes.made.push(footnote);
    name
}

fn reference_after(
    p: &mut Parser,
    note_name: &str,
    classes: &[String],
    span: crate::ast::Span,
) -> Vec<Node> {
    let mut r = Element::new(Tag::FootnoteReference, span);
    r.set(Attr::Auto, "1");
    r.set(Attr::Refname, note_name);
    r.classes.extend(classes.iter().cloned());
    p.doc.register_ids(&mut r, "");
    let space: Node = if classes.is_empty() {
        Node::text(" ", span)
    } else {
        let mut inline = Element::new(Tag::Inline, span);
        inline.classes.extend(classes.iter().cloned());
        inline.push_text(" ", span);
        inline.into()
    };
    vec![space, r.into()]
}

/// Replaces every `target-notes` pending node with its footnotes.
pub fn target_notes(p: &mut Parser, doc: &mut Element) {
    let mut pendings = Vec::new();
    paths(doc, &mut Vec::new(), &mut pendings, &|e| {
        e.tag == Tag::Pending && e.get(Attr::Kind) == Some("target-notes")
    });
    // later pending nodes first, so earlier paths stay valid
    for pending in pendings.into_iter().rev() {
        one(p, doc, &pending);
    }
}

fn one(p: &mut Parser, doc: &mut Element, pending_at: &[usize]) {
    let Some(pending) = doc.descendant(pending_at) else {
        return;
    };
    let classes: Vec<String> = pending
        .get_named("class")
        .map(|c| c.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default();
    let span = pending.span;
    let mut targets = Vec::new();
    paths(doc, &mut Vec::new(), &mut targets, &|e| {
        e.tag == Tag::Target
    });
    let mut refs = Vec::new();
    paths(doc, &mut Vec::new(), &mut refs, &|e| {
        matches!(
            e.tag,
            Tag::Reference | Tag::FootnoteReference | Tag::CitationReference
        )
    });
    let mut notes = Notes {
        by_uri: FxHashMap::default(),
        made: Vec::new(),
    };
    let mut insertions: Vec<Insertion> = Vec::new();
    {
        let frozen: &Element = doc;
        let mut by_name: FxHashMap<String, &Element> = FxHashMap::default();
        for t in &targets {
            if let Some(e) = frozen.descendant(t) {
                for n in &e.names {
                    by_name.entry(n.clone()).or_insert(e);
                }
            }
        }
        // `document.refnames`: references by the name they point to
        let mut refs_by_name: FxHashMap<&str, Vec<&Vec<usize>>> = FxHashMap::default();
        for r in &refs {
            if let Some(name) = frozen.descendant(r).and_then(|e| e.get(Attr::Refname)) {
                refs_by_name.entry(name).or_default().push(r);
            }
        }
        let mut plan: Vec<(String, Vec<Vec<usize>>)> = Vec::new();
        for t in &targets {
            let Some(target) = frozen.descendant(t) else {
                continue;
            };
            let Some(uri) = uri_of(target, &by_name) else {
                continue;
            };
            let found: Vec<Vec<usize>> = target
                .names
                .iter()
                .flat_map(|n| refs_by_name.get(n.as_str()).into_iter().flatten())
                .map(|r| (*r).clone())
                .collect();
            if !found.is_empty() {
                plan.push((uri, found));
            }
        }
        for r in &refs {
            let Some(e) = frozen.descendant(r) else {
                continue;
            };
            if e.tag == Tag::Reference
                && e.get(Attr::Anonymous).is_some()
                && let Some(uri) = e.get(Attr::Refuri)
            {
                plan.push((uri.to_string(), vec![r.clone()]));
            }
        }
        for (uri, found) in plan {
            let name = note_for(p, &mut notes, &uri, span);
            for r in found {
                let nodes = reference_after(p, &name, &classes, span);
                insertions.push(Insertion { after: r, nodes });
            }
        }
    }
    // Insert from the last position backwards: an insertion only moves
    // the siblings after it. The pending node is replaced last of all when
    // it comes first in the document.
    let pending_at = pending_at.to_vec();
    let mut edits: Vec<(Vec<usize>, Option<Vec<Node>>)> = insertions
        .into_iter()
        .map(|i| (i.after, Some(i.nodes)))
        .collect();
    edits.push((pending_at, None));
    edits.sort_by(|a, b| b.0.cmp(&a.0));
    let mut made = Some(notes.made);
    for (path, nodes) in edits {
        let Some((&last, parent)) = path.split_last() else {
            continue;
        };
        let Some(parent) = doc.descendant_mut(parent) else {
            continue;
        };
        match nodes {
            Some(nodes) => {
                let at = (last + 1).min(parent.children.len());
                parent.children.splice(at..at, nodes);
            }
            None => {
                if last < parent.children.len() {
                    let footnotes = made.take().unwrap_or_default();
                    parent
                        .children
                        .splice(last..=last, footnotes.into_iter().map(Node::from));
                }
            }
        }
    }
}
