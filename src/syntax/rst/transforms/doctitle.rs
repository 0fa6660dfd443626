//! `frontmatter.DocTitle` (the document's title and subtitle promoted
//! from its lone top-level section and that section's lone subsection)
//! and `frontmatter.SectionSubTitle` (a section's lone subsection's title
//! promoted to the section's subtitle).

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
        promote_subtitle(doc);
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

/// `TitlePromoter.promote_subtitle`: when `node`'s only child besides
/// its title and pre-bibliographic elements (comments, targets, …) is a
/// section, that section's title becomes `node`'s `subtitle` (with the
/// section's ids, names and classes) and its content moves up after the
/// elements that came before it.
fn promote_subtitle(node: &mut Element) -> bool {
    let Some(j) = candidate(node) else {
        return false;
    };
    let Node::Element(sub) = node.children.remove(j) else {
        return false;
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
    let rest: Vec<Node> = node.children.drain(1..).collect();
    node.children.push(st.into());
    node.children.extend(rest);
    node.children.extend(kids);
    true
}

/// `SectionSubTitle` (docutils' `sectsubtitle_xform`, off in a standard
/// run): every section, in document order, gets the subtitle
/// [`promote_subtitle`] finds for it, and the content that moved up is
/// visited after.
pub fn section_subtitles(e: &mut Element) {
    for c in e.elements_mut() {
        if c.tag == Tag::Section {
            promote_subtitle(c);
        }
        section_subtitles(c);
    }
}
