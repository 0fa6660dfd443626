//! docutils' standard transforms for the standalone reader, in priority
//! order: class attributes, substitutions, target propagation, document
//! title and docinfo, hyperlink resolution, table of contents, and finally
//! the system-message section and the report-level filter.

mod contents;
mod doctitle;
mod footnotes;
mod messages;
mod parts;
mod references;
mod substitutions;
mod transitions;

use crate::ast::Element;

use super::block::Parser;

/// Runs all transforms on the parsed document.
pub fn apply(p: &mut Parser, doc: &mut Element) {
    let fixups = std::mem::take(&mut p.doc.dup_fixups);
    super::doc::apply_dup_fixups(doc, &fixups);
    let mut transform_msgs: Vec<Element> = Vec::new();
    references::class_attributes(p, doc);
    substitutions::substitutions(p, doc, &mut transform_msgs);
    references::propagate_targets(p, doc);
    doctitle::doctitle(doc, p.doc_title.clone());
    doctitle::docinfo(doc);
    references::anonymous(p, doc, &mut transform_msgs);
    footnotes::footnotes(p, doc, &mut transform_msgs);
    references::resolve(p, doc, &mut transform_msgs);
    parts::decorations(doc);
    parts::sectnum(doc);
    contents::contents(p, doc);
    transitions::transitions(p, doc);
    messages::append_transform_messages(p, doc, transform_msgs);
    messages::filter(doc);
}
