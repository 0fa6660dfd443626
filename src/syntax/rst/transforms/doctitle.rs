//! `frontmatter.DocTitle` (title and subtitle promotion) and
//! `frontmatter.DocInfo` (bibliographic field list → `docinfo`).

use crate::ast::ids::{fully_normalize_name, make_id};
use crate::ast::{Element, Node, Tag};

/// Index of the first child that is not PreBibliographic (docutils' class
/// of comments, targets, substitution definitions, pending nodes, system
/// messages, titles, docinfo, decoration, meta).
fn first_non_prebib(e: &Element) -> Option<usize> {
    e.children.iter().position(|c| match c {
        Node::Element(x) => {
            !(x.tag.is_prebibliographic()
                || matches!(
                    x.tag,
                    Tag::Title | Tag::Subtitle | Tag::Docinfo | Tag::Decoration | Tag::Meta
                ))
        }
        Node::Text(_) => true,
    })
}

fn candidate(e: &Element) -> Option<usize> {
    let i = first_non_prebib(e)?;
    if e.children.len() > i + 1 {
        return None;
    }
    match &e.children[i] {
        Node::Element(x) if x.tag == Tag::Section => Some(i),
        _ => None,
    }
}

pub fn doctitle(doc: &mut Element, title_directive: Option<String>) {
    if let Some(i) = candidate(doc) {
        let Node::Element(sec) = doc.children.remove(i) else {
            return;
        };
        let mut sec = *sec;
        doc.ids.append(&mut sec.ids);
        doc.names.append(&mut sec.names);
        doc.dupnames.append(&mut sec.dupnames);
        doc.classes.append(&mut sec.classes);
        let mut kids = sec.children.into_iter();
        let title = kids.next();
        let before: Vec<Node> = std::mem::take(&mut doc.children);
        if let Some(t) = title {
            doc.children.push(t);
        }
        doc.children.extend(before);
        doc.children.extend(kids);
        // subtitle
        if let Some(j) = candidate(doc) {
            let Node::Element(sub) = doc.children.remove(j) else {
                return;
            };
            let mut sub = *sub;
            let mut st = Element::new(Tag::Subtitle, sub.span);
            st.ids = std::mem::take(&mut sub.ids);
            st.names = std::mem::take(&mut sub.names);
            st.dupnames = std::mem::take(&mut sub.dupnames);
            st.classes = std::mem::take(&mut sub.classes);
            let mut kids = sub.children.into_iter();
            if let Some(Node::Element(t)) = kids.next() {
                st.children = t.children;
            }
            let rest: Vec<Node> = doc.children.drain(1..).collect();
            doc.children.push(st.into());
            doc.children.extend(rest);
            doc.children.extend(kids);
        }
    }
    if doc.get("title").is_none() {
        if let Some(t) = title_directive {
            doc.set("title", t);
        } else if let Some(Node::Element(t)) = doc.children.first()
            && t.tag == Tag::Title
        {
            let s = t.astext();
            doc.set("title", s);
        }
    }
}

const BIBLIO: &[(&str, Tag)] = &[
    ("author", Tag::Author),
    ("authors", Tag::Authors),
    ("organization", Tag::Organization),
    ("address", Tag::Address),
    ("contact", Tag::Contact),
    ("version", Tag::Version),
    ("revision", Tag::Revision),
    ("status", Tag::Status),
    ("date", Tag::Date),
    ("copyright", Tag::Copyright),
];

pub fn docinfo(doc: &mut Element) {
    let Some(i) = first_non_prebib(doc) else {
        return;
    };
    let is_fl = matches!(&doc.children[i], Node::Element(x) if x.tag == Tag::FieldList);
    if !is_fl {
        return;
    }
    let Node::Element(fl) = doc.children.remove(i) else {
        return;
    };
    let fl = *fl;
    let mut info = Element::new(Tag::Docinfo, fl.span);
    let mut topics = Vec::new();
    for f in fl.children {
        let Node::Element(field) = f else { continue };
        let mut field = *field;
        let name = field
            .elements()
            .next()
            .map(|n| n.astext())
            .unwrap_or_default();
        let normed = fully_normalize_name(&name);
        let body = field.elements().nth(1).cloned();
        let single_para = body
            .as_ref()
            .is_some_and(|b| b.children.len() == 1 && b.first(Tag::Paragraph).is_some());
        if let Some(&(_, tag)) = BIBLIO.iter().find(|(n, _)| *n == normed)
            && (single_para || tag == Tag::Authors)
            && let Some(b) = body
        {
            if tag == Tag::Authors {
                let mut a = Element::new(Tag::Authors, field.span);
                if let Some(pa) = b.first(Tag::Paragraph) {
                    let text = pa.astext();
                    let sep = if text.contains(';') { ';' } else { ',' };
                    for part in text.split(sep) {
                        let part = part.trim();
                        if part.is_empty() {
                            continue;
                        }
                        let mut au = Element::new(Tag::Author, field.span);
                        au.push_text(part, field.span);
                        a.push(au);
                    }
                }
                info.push(a);
            } else if let Some(pa) = b.first(Tag::Paragraph) {
                let mut e = Element::new(tag, field.span);
                e.children = pa.children.clone();
                if tag == Tag::Address {
                    e.set("xml:space", "preserve");
                }
                info.push(e);
            }
            continue;
        }
        if (normed == "dedication" || normed == "abstract")
            && let Some(b) = body
        {
            let mut t = Element::new(Tag::Topic, field.span);
            t.classes.push(normed.clone());
            let mut title = Element::new(Tag::Title, field.span);
            title.push_text(
                if normed == "dedication" {
                    "Dedication"
                } else {
                    "Abstract"
                },
                field.span,
            );
            t.push(title);
            t.children.extend(b.children);
            topics.push(t);
            continue;
        }
        let class = make_id(&normed);
        if !class.is_empty() {
            field.classes.push(class);
        }
        info.push(field);
    }
    // docinfo goes after title/subtitle (and decoration/meta)
    let idx = doc
        .children
        .iter()
        .position(|c| !matches!(c, Node::Element(x) if matches!(x.tag, Tag::Title | Tag::Subtitle | Tag::Rubric | Tag::Decoration | Tag::Meta)))
        .unwrap_or(doc.children.len());
    let mut ins: Vec<Node> = vec![info.into()];
    ins.extend(topics.into_iter().map(Node::from));
    let tail = doc.children.split_off(idx.min(i));
    doc.children.extend(ins);
    doc.children.extend(tail);
}
