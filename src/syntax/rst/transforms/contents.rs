//! `parts.Contents`: replaces each contents topic's pending node with the
//! nested bullet list of section references and sets title backlinks.

use crate::ast::Attr;
use crate::ast::{Element, Node, Span, Tag};

use crate::syntax::rst::block::Parser;

/// Finds pending contents nodes: (path to topic, path to start node for
/// `:local:`), stopping once it has `wanted` of them (the rest of the
/// page need not be walked).
fn find(
    e: &Element,
    path: &mut Vec<usize>,
    scope: &[usize],
    out: &mut Vec<(Vec<usize>, Vec<usize>)>,
    wanted: usize,
) {
    for (i, c) in e.children.iter().enumerate() {
        if out.len() >= wanted {
            return;
        }
        let Node::Element(c) = c else { continue };
        path.push(i);
        if c.tag == Tag::Topic
            && c.elements()
                .any(|x| x.tag == Tag::Pending && x.get(Attr::Kind) == Some("contents"))
        {
            out.push((path.clone(), scope.to_vec()));
        }
        if c.tag == Tag::Section {
            let sc = path.clone();
            find(c, path, &sc, out, wanted);
        } else {
            find(c, path, scope, out, wanted);
        }
        path.pop();
    }
}

/// docutils' `ContentsFilter` copy of a title's children.
fn copy_and_filter(nodes: &[Node], out: &mut Vec<Node>) {
    for n in nodes {
        match n {
            Node::Text(t) => out.push(Node::Text(t.clone())),
            Node::Element(e) => match e.tag {
                Tag::Reference | Tag::Target => copy_and_filter(&e.children, out),
                Tag::FootnoteReference | Tag::CitationReference => {}
                Tag::Image => {
                    if let Some(alt) = e.get(Attr::Alt) {
                        out.push(Node::text(alt, e.span));
                    }
                }
                _ => {
                    let mut c = Element::new(e.tag, e.span);
                    c.ids = e.ids.clone();
                    c.names = e.names.clone();
                    c.dupnames = e.dupnames.clone();
                    c.classes = e.classes.clone();
                    c.backrefs = e.backrefs.clone();
                    c.attrs = e.attrs.clone();
                    copy_and_filter(&e.children, &mut c.children);
                    out.push(c.into());
                }
            },
        }
    }
}

fn has_reference(e: &Element) -> bool {
    e.elements()
        .any(|c| c.tag == Tag::Reference || has_reference(c))
}

fn build(
    p: &mut Parser,
    root: &Element,
    node_path: &[usize],
    level: usize,
    depth: usize,
    backlinks: &str,
    titles: &mut Vec<(Vec<usize>, String)>,
) -> Option<Element> {
    let node = root.descendant(node_path)?;
    let mut entries = Vec::new();
    let sections: Vec<usize> = node
        .children
        .iter()
        .enumerate()
        .filter(|(_, c)| matches!(c, Node::Element(e) if e.tag == Tag::Section))
        .map(|(i, _)| i)
        .collect();
    for i in sections {
        let mut sp = node_path.to_vec();
        sp.push(i);
        let Some(sec) = root.descendant(&sp) else {
            continue;
        };
        let Some(title) = sec.elements().next().filter(|t| t.tag == Tag::Title) else {
            continue;
        };
        let mut text = Vec::with_capacity(title.children.len());
        copy_and_filter(&title.children, &mut text);
        let mut r = Element::new(Tag::Reference, title.span);
        r.set(Attr::Refid, sec.ids.first().cloned().unwrap_or_default());
        r.children = text;
        let ref_id = p.doc.set_id(&mut r, "toc-entry");
        if (backlinks == "entry" || backlinks == "top") && !has_reference(title) {
            let mut tp = sp.clone();
            tp.push(
                sec.children
                    .iter()
                    .position(|c| matches!(c, Node::Element(e) if e.tag == Tag::Title))
                    .unwrap_or(0),
            );
            titles.push((
                tp,
                if backlinks == "entry" {
                    ref_id
                } else {
                    String::new()
                },
            ));
        }
        let span = title.span;
        // Children vectors made at their size: a table of contents is a
        // few elements per entry, and growing each from empty cost more
        // than making them.
        let mut para = Element::new(Tag::Paragraph, span);
        para.children = vec![r.into()];
        let mut item = Element::new(Tag::ListItem, span);
        item.children = Vec::with_capacity(2);
        item.push(para);
        if level < depth
            && let Some(sub) = build(p, root, &sp, level + 1, depth, backlinks, titles)
        {
            item.push(sub);
        }
        entries.push(item);
    }
    if entries.is_empty() {
        return None;
    }
    let mut list = Element::new(Tag::BulletList, Span::default());
    let auto = root.descendant(node_path).is_some_and(|n| {
        n.elements().any(|s| {
            s.tag == Tag::Section
                && s.elements()
                    .next()
                    .is_some_and(|t| t.get(Attr::Auto).is_some())
        })
    });
    if auto {
        list.classes.push("auto-toc".into());
    }
    list.children = entries.into_iter().map(Node::from).collect();
    Some(list)
}

/// Builds the tables of contents of the `pending` contents nodes; there
/// are `pending` of them in the tree ([`super::census::Census`]).
pub fn contents(p: &mut Parser, doc: &mut Element, pending: usize) {
    let mut found = Vec::new();
    find(doc, &mut Vec::new(), &[], &mut found, pending);
    for (topic_path, scope) in found {
        let Some(topic) = doc.descendant(&topic_path) else {
            continue;
        };
        let Some(pending) = topic
            .elements()
            .find(|x| x.tag == Tag::Pending && x.get(Attr::Kind) == Some("contents"))
        else {
            continue;
        };
        let local = pending.get(Attr::Local).is_some();
        let depth: usize = pending
            .get(Attr::Depth)
            .and_then(|d| d.parse().ok())
            .unwrap_or(usize::MAX);
        let backlinks = pending.get(Attr::Backlinks).unwrap_or("entry").to_string();
        let mut toc_id = topic.ids.first().cloned().unwrap_or_default();
        if toc_id.is_empty()
            && let Some(topic) = doc.descendant_mut(&topic_path)
        {
            // `matching_ids`: the topic gets its id only now.
            toc_id = p.doc.set_id(topic, "");
            if let Some(key) = topic.get(Attr::InternalKey).map(str::to_string) {
                p.doc.resolve_key(&key, &toc_id);
            }
        }
        let start: Vec<usize> = if local { scope } else { Vec::new() };
        let mut titles = Vec::new();
        let list = build(p, doc, &start, 1, depth, &backlinks, &mut titles);
        for (tp, id) in titles {
            if let Some(t) = doc.descendant_mut(&tp) {
                t.set(Attr::Refid, if id.is_empty() { toc_id.clone() } else { id });
            }
        }
        match list {
            Some(mut l) => {
                if let Some(topic) = doc.descendant_mut(&topic_path) {
                    l.span = topic.span;
                    if let Some(k) = topic
                        .children
                        .iter()
                        .position(|c| matches!(c, Node::Element(x) if x.tag == Tag::Pending))
                    {
                        topic.children[k] = l.into();
                    }
                }
            }
            None => {
                let (last, parent) = match topic_path.split_last() {
                    Some((l, par)) => (*l, par.to_vec()),
                    None => continue,
                };
                if let Some(par) = doc.descendant_mut(&parent)
                    && last < par.children.len()
                {
                    par.children.remove(last);
                }
            }
        }
    }
}
