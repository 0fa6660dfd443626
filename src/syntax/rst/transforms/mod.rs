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

/// One of docutils' transforms as kbgen runs it. Some of docutils'
/// classes are one step here: `Hyperlinks` is `IndirectHyperlinks`,
/// `ExternalTargets`, `InternalTargets` and `DanglingReferences`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transform {
    ClassAttribute,
    Substitutions,
    PropagateTargets,
    DocTitle,
    DocInfo,
    AnonymousHyperlinks,
    Footnotes,
    Hyperlinks,
    Decorations,
    SectNum,
    Contents,
    Transitions,
    /// `references.SectionIDs`: nothing to do, kbgen gives sections their
    /// ids while parsing (docutils' legacy behaviour, same ids).
    SectionIds,
    /// `universal.Messages`: transform messages into a final section.
    Messages,
    /// `universal.FilterMessages`: messages below the report level removed.
    FilterMessages,
}

impl Transform {
    /// Every transform, in the order the standalone reader applies them.
    pub const STANDARD: [Transform; 15] = [
        Transform::ClassAttribute,
        Transform::Substitutions,
        Transform::PropagateTargets,
        Transform::DocTitle,
        Transform::DocInfo,
        Transform::AnonymousHyperlinks,
        Transform::Footnotes,
        Transform::Hyperlinks,
        Transform::Decorations,
        Transform::SectNum,
        Transform::Contents,
        Transform::Transitions,
        Transform::SectionIds,
        Transform::Messages,
        Transform::FilterMessages,
    ];

    /// The transform for a docutils class name (`DocTitle`,
    /// `ExternalTargets`, `TestMessages`, …); `None` for one kbgen lacks.
    pub fn from_docutils_name(name: &str) -> Option<Transform> {
        Some(match name {
            "ClassAttribute" => Transform::ClassAttribute,
            "Substitutions" => Transform::Substitutions,
            "PropagateTargets" => Transform::PropagateTargets,
            "DocTitle" | "SectionSubTitle" => Transform::DocTitle,
            "DocInfo" => Transform::DocInfo,
            "AnonymousHyperlinks" => Transform::AnonymousHyperlinks,
            "Footnotes" => Transform::Footnotes,
            "IndirectHyperlinks" | "ExternalTargets" | "InternalTargets" | "DanglingReferences" => {
                Transform::Hyperlinks
            }
            "Decorations" => Transform::Decorations,
            "SectNum" => Transform::SectNum,
            "Contents" => Transform::Contents,
            "Transitions" => Transform::Transitions,
            "SectionIDs" => Transform::SectionIds,
            "Messages" | "TestMessages" => Transform::Messages,
            "FilterMessages" => Transform::FilterMessages,
            _ => return None,
        })
    }
}

/// Runs the `selected` transforms (in the standard order) on the parsed
/// document; an empty selection leaves the tree as the parser made it.
pub fn apply(p: &mut Parser, doc: &mut Element, selected: &[Transform]) {
    // Duplicate names are the parser's own bookkeeping, not a transform.
    let fixups = std::mem::take(&mut p.doc.dup_fixups);
    super::doc::apply_dup_fixups(doc, &fixups);
    let mut transform_msgs: Vec<Element> = Vec::new();
    for step in Transform::STANDARD {
        if !selected.contains(&step) {
            continue;
        }
        match step {
            Transform::ClassAttribute => references::class_attributes(p, doc),
            Transform::Substitutions => substitutions::substitutions(p, doc, &mut transform_msgs),
            Transform::PropagateTargets => references::propagate_targets(p, doc),
            Transform::DocTitle => doctitle::doctitle(doc, p.doc_title.clone()),
            Transform::DocInfo => doctitle::docinfo(doc),
            Transform::AnonymousHyperlinks => references::anonymous(p, doc, &mut transform_msgs),
            Transform::Footnotes => footnotes::footnotes(p, doc, &mut transform_msgs),
            Transform::Hyperlinks => references::resolve(p, doc, &mut transform_msgs),
            Transform::Decorations => parts::decorations(doc),
            Transform::SectNum => parts::sectnum(doc),
            Transform::Contents => contents::contents(p, doc),
            Transform::Transitions => transitions::transitions(p, doc),
            Transform::SectionIds => {}
            Transform::Messages => {
                let msgs = std::mem::take(&mut transform_msgs);
                messages::append_transform_messages(p, doc, msgs)
            }
            Transform::FilterMessages => messages::filter(doc),
        }
    }
}
