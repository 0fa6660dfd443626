//! `frontmatter.DocTitle` (title and subtitle promotion).

use crate::ast::Attr;
use crate::ast::{Element, Node, Tag};

/// Index of the first child that is not PreBibliographic (docutils' class
/// of comments, targets, substitution definitions, pending nodes, system
/// messages, titles, docinfo, decoration, meta).
pub(super) fn first_non_prebib(e: &Element) -> Option<usize> {
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
    if doc.get(Attr::Title).is_none() {
        if let Some(t) = title_directive {
            doc.set(Attr::Title, t);
        } else if let Some(Node::Element(t)) = doc.children.first()
            && t.tag == Tag::Title
        {
            let s = t.astext();
            doc.set(Attr::Title, s);
        }
    }
}
