//! `references.Footnotes`: numbers auto-numbered footnotes, labels symbol
//! footnotes, and links footnote and citation references to their notes
//! (reference `refid`, note `backrefs`).

use crate::ast::Attr;
use crate::ast::{Element, Node, Tag};
use crate::diag::Severity;

use crate::syntax::rst::block::Parser;

const SYMBOLS: &[&str] = &[
    "*", "\u{2020}", "\u{2021}", "\u{a7}", "\u{b6}", "#", "\u{2660}", "\u{2665}", "\u{2666}",
    "\u{2663}",
];

#[derive(Default)]
struct Found {
    footnotes: Vec<Vec<usize>>,
    citations: Vec<Vec<usize>>,
    refs: Vec<Vec<usize>>,
}

fn collect(e: &Element, path: &mut Vec<usize>, f: &mut Found) {
    for (i, c) in e.children.iter().enumerate() {
        let Node::Element(c) = c else { continue };
        path.push(i);
        match c.tag {
            Tag::Footnote => f.footnotes.push(path.clone()),
            Tag::Citation => f.citations.push(path.clone()),
            Tag::FootnoteReference | Tag::CitationReference => f.refs.push(path.clone()),
            _ => {}
        }
        collect(c, path, f);
        path.pop();
    }
}

/// Links `r` to the note at `note`: sets refid, drops refname, adds the backref.
fn link(
    doc: &mut Element,
    r: &[usize],
    note: &[usize],
    text: Option<&str>,
    resolved: &mut [bool],
    k: usize,
) {
    let Some(id) = doc.descendant(note).and_then(|n| n.ids.first().cloned()) else {
        return;
    };
    let mut rid = None;
    if let Some(rn) = doc.descendant_mut(r) {
        if let Some(t) = text {
            let span = rn.span;
            rn.push_text(t, span);
        }
        rn.remove(Attr::Refname);
        rn.set(Attr::Refid, id);
        rid = rn.ids.first().cloned();
    }
    if let (Some(n), Some(rid)) = (doc.descendant_mut(note), rid) {
        n.backrefs.push(rid);
    }
    resolved[k] = true;
}

pub fn footnotes(p: &mut Parser, doc: &mut Element, msgs: &mut Vec<Element>) {
    let mut f = Found::default();
    collect(doc, &mut Vec::new(), &mut f);
    if !p.doc.target_note_footnotes.is_empty() {
        // `document.autofootnotes` order: the parser's, then TargetNotes'
        let made_late = |fp: &Vec<usize>| {
            doc.descendant(fp)
                .and_then(|n| n.ids.first())
                .is_some_and(|id| p.doc.target_note_footnotes.contains(id))
        };
        let (late, early): (Vec<_>, Vec<_>) = f.footnotes.drain(..).partition(made_late);
        f.footnotes = early.into_iter().chain(late).collect();
    }
    if f.footnotes.is_empty() && f.citations.is_empty() && f.refs.is_empty() {
        return;
    }
    let mut resolved = vec![false; f.refs.len()];
    let mut labels_to_insert: Vec<(Vec<usize>, String)> = Vec::new();
    let ref_info = |doc: &Element, r: &[usize]| -> (Tag, Option<String>, Option<String>) {
        match doc.descendant(r) {
            Some(e) => (
                e.tag,
                e.get(Attr::Refname).map(str::to_string),
                e.get(Attr::Auto).map(str::to_string),
            ),
            None => (Tag::Inline, None, None),
        }
    };
    // Footnote references by refname, built once: scanning every reference
    // for every labelled auto-numbered footnote was quadratic (10,000
    // `[#label]_` took 28 s). Only `link` changes a refname, and it marks
    // the reference resolved, so the index stays true where it is read.
    let mut refs_by_name: rustc_hash::FxHashMap<String, Vec<usize>> = Default::default();
    for (k, r) in f.refs.iter().enumerate() {
        if let (Tag::FootnoteReference, Some(name), _) = ref_info(doc, r) {
            refs_by_name.entry(name).or_default().push(k);
        }
    }
    // docutils links references in the order they were noted: TargetNotes
    // made its own per target, so their creation order (their ids' running
    // numbers), not the document's, orders the backrefs
    for (name, ks) in refs_by_name.iter_mut() {
        if name.starts_with("TARGET_NOTE: ") {
            ks.sort_by_key(|&k| {
                doc.descendant(&f.refs[k])
                    .and_then(|e| e.ids.first())
                    .and_then(|id| id.rsplit(|c: char| !c.is_ascii_digit()).next())
                    .and_then(|n| n.parse::<u64>().ok())
                    .unwrap_or(0)
            });
        }
    }
    // number_footnotes
    let mut startnum = 1usize;
    let mut auto_labels = Vec::new();
    for fp in f.footnotes.clone() {
        let Some(fnode) = doc.descendant(&fp) else {
            continue;
        };
        if fnode.get(Attr::Auto) != Some("1") {
            continue;
        }
        let label = loop {
            let l = startnum.to_string();
            startnum += 1;
            if !p.doc.names.contains_key(&l) {
                break l;
            }
        };
        labels_to_insert.push((fp.clone(), label.clone()));
        let names = fnode.names.clone();
        let no_names = fnode.names.is_empty() && fnode.dupnames.is_empty();
        for name in &names {
            for &k in refs_by_name.get(name).map_or(&[][..], Vec::as_slice) {
                if !resolved[k] {
                    link(doc, &f.refs[k], &fp, Some(&label), &mut resolved, k);
                }
            }
        }
        if no_names {
            if let Some(fnode) = doc.descendant_mut(&fp) {
                fnode.names.push(label.clone());
                let m = p.doc.note_explicit_target(fnode, None);
                for x in m {
                    fnode.push(x);
                }
            }
            auto_labels.push((label, fp.clone()));
        }
    }
    // number_footnote_references
    let mut i = 0;
    for (k, r) in f.refs.clone().iter().enumerate() {
        let (tag, rn, auto) = ref_info(doc, r);
        if tag != Tag::FootnoteReference
            || auto.as_deref() != Some("1")
            || resolved[k]
            || rn.is_some()
        {
            continue;
        }
        let Some((label, fp)) = auto_labels.get(i).cloned() else {
            let n = auto_labels.len();
            // every later unresolved auto-numbered reference goes too
            let rest: Vec<Vec<usize>> = f.refs[k..]
                .iter()
                .enumerate()
                .filter(|(j, r)| {
                    let (tag, rn, auto) = ref_info(doc, r);
                    tag == Tag::FootnoteReference
                        && auto.as_deref() == Some("1")
                        && !resolved[k + j]
                        && rn.is_none()
                })
                .map(|(_, r)| r.clone())
                .collect();
            too_many(
                p,
                doc,
                &rest,
                &format!(
                    "Too many autonumbered footnote references: only {n} corresponding footnote{} available.",
                    if n > 1 { "s" } else { "" }
                ),
                msgs,
            );
            break;
        };
        link(doc, r, &fp, Some(&label), &mut resolved, k);
        i += 1;
    }
    // symbolize_footnotes
    let mut sym_notes = Vec::new();
    for fp in f.footnotes.clone() {
        if doc
            .descendant(&fp)
            .is_some_and(|n| n.get(Attr::Auto) == Some("*"))
        {
            let idx = sym_notes.len();
            let label = SYMBOLS[idx % SYMBOLS.len()].repeat(idx / SYMBOLS.len() + 1);
            labels_to_insert.push((fp.clone(), label.clone()));
            sym_notes.push((fp, label));
        }
    }
    let mut si = 0;
    for (k, r) in f.refs.clone().iter().enumerate() {
        let (tag, _, auto) = ref_info(doc, r);
        if tag != Tag::FootnoteReference || auto.as_deref() != Some("*") {
            continue;
        }
        let Some((fp, label)) = sym_notes.get(si).cloned() else {
            let n = sym_notes.len();
            let rest: Vec<Vec<usize>> = f.refs[k..]
                .iter()
                .enumerate()
                .filter(|(j, r)| {
                    let (tag, _, auto) = ref_info(doc, r);
                    tag == Tag::FootnoteReference
                        && auto.as_deref() == Some("*")
                        && !resolved[k + j]
                        && doc
                            .descendant(r)
                            .is_some_and(|e| e.get(Attr::Refid).is_none())
                })
                .map(|(_, r)| r.clone())
                .collect();
            too_many(
                p,
                doc,
                &rest,
                &format!(
                    "Too many symbol footnote references: only {n} corresponding footnotes available."
                ),
                msgs,
            );
            break;
        };
        link(doc, r, &fp, Some(&label), &mut resolved, k);
        si += 1;
    }
    // resolve_footnotes_and_citations. References are indexed by (kind,
    // refname) once: scanning every reference for every note was
    // quadratic (4 000 auto-numbered footnotes and references took 11 s).
    // Only `link` changes a refname, and it marks the reference resolved,
    // so the index stays exact for unresolved references.
    let mut by_name: rustc_hash::FxHashMap<(Tag, String), Vec<usize>> = Default::default();
    for (k, r) in f.refs.iter().enumerate() {
        let (tag, rn, _) = ref_info(doc, r);
        if let Some(rn) = rn {
            by_name.entry((tag, rn)).or_default().push(k);
        }
    }
    for (notes, want) in [
        (&f.footnotes, Tag::FootnoteReference),
        (&f.citations, Tag::CitationReference),
    ] {
        for np in notes.iter() {
            // docutils' `document.footnotes` holds the manually numbered
            // ones only: a `[3]_` naming an auto-numbered footnote is left
            // to DanglingReferences, which links it without a backref.
            if want == Tag::FootnoteReference
                && doc
                    .descendant(np)
                    .is_some_and(|n| n.get(Attr::Auto).is_some())
            {
                continue;
            }
            let names = doc
                .descendant(np)
                .map(|n| n.names.clone())
                .unwrap_or_default();
            for name in names {
                let Some(ks) = by_name.get(&(want, name)) else {
                    continue;
                };
                for &k in ks {
                    if !resolved[k] {
                        link(doc, &f.refs[k], np, None, &mut resolved, k);
                    }
                }
            }
        }
    }
    // labels last, in reverse document order, so paths stay valid
    labels_to_insert.sort();
    for (fp, label) in labels_to_insert.into_iter().rev() {
        if let Some(n) = doc.descendant_mut(&fp) {
            let mut l = Element::new(Tag::Label, n.span);
            l.push_text(label, n.span);
            n.children.insert(0, l.into());
        }
    }
}

/// Too many auto-numbered or symbol references: one error, and each of
/// `refs` replaced by a `problematic` with an id of its own that also
/// keeps the reference's (`replace_self`).
fn too_many(
    p: &mut Parser,
    doc: &mut Element,
    refs: &[Vec<usize>],
    text: &str,
    msgs: &mut Vec<Element>,
) {
    let Some(first) = refs.first().and_then(|r| doc.descendant(r)) else {
        return;
    };
    let mut m = p
        .doc
        .message_about(Severity::Error, text, first, first.span);
    let msgid = p.doc.set_id(&mut m, "");
    for r in refs {
        let Some(node) = doc.descendant(r).cloned() else {
            continue;
        };
        let raw = node
            .get(super::references::RAW)
            .map(str::to_string)
            .unwrap_or_default();
        let mut prb = Element::new(Tag::Problematic, node.span);
        prb.set(Attr::Refid, msgid.clone());
        prb.push_text(raw, node.span);
        let prbid = p.doc.set_id(&mut prb, "");
        m.backrefs.push(prbid);
        for id in &node.ids {
            if !prb.ids.contains(id) {
                prb.ids.push(id.clone());
            }
        }
        prb.names.extend(node.names.iter().cloned());
        prb.classes.extend(node.classes.iter().cloned());
        prb.dupnames.extend(node.dupnames.iter().cloned());
        if let Some(slot) = doc.descendant_mut(r) {
            *slot = prb;
        }
    }
    msgs.push(m);
}
