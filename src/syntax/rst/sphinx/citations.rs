//! Sphinx's citation transforms: citations are project-wide in Sphinx. A
//! `[label]_` becomes a cross-reference (`pending_xref`, domain
//! `citation`) before docutils would resolve it in the page, so it finds
//! its citation on any page; the project-wide step links it
//! (`site::doctree::xref`). A citation's label is kept from smart quotes.

use crate::ast::{Attr, Element, Node, SphinxAttr, Tag};

use super::set;

/// A `citation_reference` as Sphinx's `CitationReferenceTransform` leaves
/// it: a `pending_xref` to the label, holding `[label]`, with the
/// reference's ids and classes.
pub fn citation_xref(e: &mut Element) -> Element {
    let target = e.astext();
    let mut x = Element::new(Tag::PendingXref, e.span);
    x.set(Attr::Refdomain, "citation");
    x.set(Attr::Reftype, "ref");
    x.set(Attr::Reftarget, target.clone());
    x.set(Attr::Refwarn, "True");
    x.set(Attr::SupportSmartquotes, "False");
    if let Some(line) = e.get(Attr::InternalLine) {
        x.set(Attr::InternalLine, line.to_string());
    }
    x.ids = std::mem::take(&mut e.ids);
    x.classes = std::mem::take(&mut e.classes);
    let mut inner = Element::new(Tag::Inline, e.span);
    inner.push_text(format!("[{target}]"), e.span);
    x.push(inner);
    x
}

/// Sphinx's `CitationDefinitionTransform` on a citation: its label is
/// marked `support_smartquotes = False`. And docutils' `Footnotes`
/// transform, which still sees the page's citation references (its
/// registry outlives their replacement): the citation's `backrefs` are the
/// ids of the references to it on this page (`refs`: `(refname, first
/// id)` in document order).
pub fn citation_label(e: &mut Element, refs: &[(String, String)]) {
    for name in &e.names {
        for (_, id) in refs.iter().filter(|(r, _)| r == name) {
            if !e.backrefs.contains(id) {
                e.backrefs.push(id.clone());
            }
        }
    }
    if let Some(Node::Element(label)) = e.children.first_mut()
        && label.tag == Tag::Label
    {
        set(label, SphinxAttr::SupportSmartquotes, "0");
    }
}
