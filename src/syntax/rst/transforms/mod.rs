//! docutils' standard transforms for the standalone reader, in priority
//! order: class attributes, substitutions, target propagation, document
//! title and docinfo, hyperlink resolution, table of contents, and finally
//! the system-message section and the report-level filter.

mod census;
mod contents;
mod docinfo;
mod doctitle;
mod footnotes;
mod hyperlinks;
mod messages;
mod parts;
mod references;
pub(in crate::syntax::rst) mod smartquotes;
mod source_text;
mod substitutions;
mod target_notes;
mod transitions;

pub use smartquotes::parse_smartquotes_locales;

use crate::ast::{Attr, Element, Tag};

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
    /// `frontmatter.SectionSubTitle`: a section's lone subsection becomes
    /// its subtitle. docutils' `sectsubtitle_xform`, off by default, so
    /// not [`Transform::STANDARD`]; `kbgen dump --transforms` runs it.
    SectionSubTitle,
    AnonymousHyperlinks,
    /// `references.TargetNotes`, which `.. target-notes::` calls for.
    TargetNotes,
    Footnotes,
    Hyperlinks,
    Decorations,
    SectNum,
    Contents,
    Transitions,
    /// `references.SectionIDs`: sections get their ids here under
    /// `matching_ids`; with docutils' default (`legacy_ids`) they have them
    /// from parsing and there is nothing to do.
    SectionIds,
    /// `universal.SmartQuotes`: typographic quotes, dashes and ellipses,
    /// when `smart_quotes` is on.
    SmartQuotes,
    /// `universal.Messages`: transform messages into a final section.
    Messages,
    /// `universal.FilterMessages`: messages below the report level removed.
    FilterMessages,
    /// `universal.TestMessages` (docutils' tests only, never standard):
    /// transform messages appended to the document as they are, after
    /// FilterMessages unless that is listed after it.
    TestMessages,
}

impl Transform {
    /// The transforms of a standard run (docutils' standalone reader with
    /// its default settings), in the order they apply.
    pub const STANDARD: [Transform; 17] = {
        // ORDER without SectionSubTitle (docutils' `sectsubtitle_xform`
        // is off by default): one list to keep in docutils' order.
        let mut out = [Transform::ClassAttribute; 17];
        let (mut from, mut to) = (0, 0);
        while from < Self::ORDER.len() {
            if !matches!(Self::ORDER[from], Transform::SectionSubTitle) {
                out[to] = Self::ORDER[from];
                to += 1;
            }
            from += 1;
        }
        out
    };

    /// Every transform, in the order docutils' priorities give them.
    const ORDER: [Transform; 18] = [
        Transform::ClassAttribute,
        Transform::Substitutions,
        Transform::SectionIds,
        Transform::PropagateTargets,
        Transform::DocTitle,
        Transform::DocInfo,
        Transform::SectionSubTitle,
        Transform::AnonymousHyperlinks,
        Transform::TargetNotes,
        Transform::Footnotes,
        Transform::Hyperlinks,
        Transform::Decorations,
        Transform::SectNum,
        Transform::Contents,
        Transform::Transitions,
        Transform::SmartQuotes,
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
            "DocTitle" => Transform::DocTitle,
            "SectionSubTitle" => Transform::SectionSubTitle,
            "DocInfo" => Transform::DocInfo,
            "AnonymousHyperlinks" => Transform::AnonymousHyperlinks,
            "TargetNotes" => Transform::TargetNotes,
            "Footnotes" => Transform::Footnotes,
            "IndirectHyperlinks" | "ExternalTargets" | "InternalTargets" | "DanglingReferences" => {
                Transform::Hyperlinks
            }
            "Decorations" => Transform::Decorations,
            "SectNum" => Transform::SectNum,
            "Contents" => Transform::Contents,
            "Transitions" => Transform::Transitions,
            "SectionIDs" => Transform::SectionIds,
            "SmartQuotes" => Transform::SmartQuotes,
            "Messages" => Transform::Messages,
            "TestMessages" => Transform::TestMessages,
            "FilterMessages" => Transform::FilterMessages,
            _ => return None,
        })
    }
}

/// `references.SectionIDs` under `matching_ids`: every section without an
/// id gets one, in document order, and its registered names follow.
fn section_ids(p: &mut Parser, doc: &mut Element) {
    if !p.doc.matching_ids {
        return;
    }
    let mut resolved = Vec::new();
    doc.walk_mut(&mut |e| {
        if e.tag == Tag::Section && e.ids.is_empty() {
            let id = p.doc.set_id(e, "");
            if let Some(key) = e.get(Attr::InternalKey) {
                resolved.push((key.to_string(), id));
            }
        }
    });
    for (key, id) in resolved {
        p.doc.resolve_key(&key, &id);
    }
}

/// Runs the `selected` transforms (in the standard order) on the parsed
/// document, with those its pending nodes call for; an empty selection
/// leaves the tree as the parser made it.
pub fn apply(p: &mut Parser, doc: &mut Element, selected: &[Transform]) {
    // Duplicate names are the parser's own bookkeeping, not a transform.
    let fixups = std::mem::take(&mut p.doc.dup_fixups);
    let key_ids = std::mem::take(&mut p.doc.key_ids);
    super::doc::apply_dup_fixups(doc, &fixups, &key_ids);
    // The transforms a document's `pending` nodes call for: docutils'
    // directives register them with the transformer (`note_pending`), so
    // they run whenever transforms run at all, chosen or not.
    let census = if selected.is_empty() {
        census::Census::default()
    } else {
        census::Census::of(doc)
    };
    let implied = &census.pending;
    let mut transform_msgs: Vec<Element> = std::mem::take(&mut p.doc.dangling_messages);
    // docutils' loose parse messages that only the Messages transform
    // reports (TestMessages shows the transforms' own).
    let mut parse_msgs = Vec::new();
    if !selected.is_empty()
        && !p.opts.site_language
        && let Some(warnings) = messages::language_messages(p, doc)
    {
        parse_msgs = warnings.parser;
        transform_msgs.extend(warnings.transforms);
    }
    for step in Transform::ORDER {
        if !selected.contains(&step) && !implied.contains(&step) {
            continue;
        }
        // A transform with nothing to find in this tree is not run (its
        // walk is the cost); Sphinx's step after PropagateTargets still is.
        let needed = census.needs(step, p.doc.lowest_message_level(), p.opts.report_level());
        if !needed && step != Transform::PropagateTargets {
            continue;
        }
        match step {
            Transform::ClassAttribute => references::class_attributes(p, doc),
            Transform::Substitutions => substitutions::substitutions(p, doc, &mut transform_msgs),
            Transform::PropagateTargets => {
                if needed {
                    references::propagate_targets(p, doc);
                }
                if p.doc.sphinx.is_some() {
                    super::sphinx::page::sort_section_ids(doc);
                }
            }
            Transform::DocTitle => doctitle::doctitle(doc, p.doc_title.clone()),
            Transform::DocInfo => docinfo::docinfo(p, doc),
            Transform::SectionSubTitle => doctitle::section_subtitles(doc),
            Transform::AnonymousHyperlinks => references::anonymous(p, doc, &mut transform_msgs),
            Transform::TargetNotes => target_notes::target_notes(p, doc),
            Transform::Footnotes => footnotes::footnotes(p, doc, &mut transform_msgs),
            Transform::Hyperlinks => hyperlinks::hyperlinks(p, doc, &mut transform_msgs),
            // `header`/`footer` fill the decoration while parsing, as in
            // docutils; the transform adds only the generator, date and
            // source-link footer, settings kbgen does not have
            Transform::Decorations => {}
            Transform::SectNum => parts::sectnum(doc),
            Transform::Contents => contents::contents(p, doc, census.contents),
            Transform::Transitions => transitions::transitions(p, doc),
            Transform::SectionIds => section_ids(p, doc),
            Transform::SmartQuotes => smartquotes::smartquotes(p, doc, &mut transform_msgs),
            Transform::Messages => {
                let mut msgs = std::mem::take(&mut parse_msgs);
                msgs.append(&mut transform_msgs);
                messages::append_transform_messages(p, doc, msgs)
            }
            Transform::FilterMessages => messages::filter(doc, p.opts.report_level()),
            Transform::TestMessages => {}
        }
    }
    let position = |t: Transform| selected.iter().position(|s| *s == t);
    if let Some(test_at) = position(Transform::TestMessages) {
        for m in transform_msgs {
            doc.push(m);
        }
        // A filter listed after TestMessages runs after it (docutils'
        // tests that add FilterMessages at priority 890).
        if selected
            .iter()
            .skip(test_at)
            .any(|s| *s == Transform::FilterMessages)
        {
            messages::filter(doc, p.opts.report_level());
        }
    }
}
