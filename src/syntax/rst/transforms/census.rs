//! One walk over the parsed tree noting which kinds of node it holds, so
//! that a transform with nothing to find is not run at all: each
//! transform is at least one walk over the whole tree, and most pages
//! have no footnotes, transitions, substitutions or `.. class::`.
//!
//! The census is taken once, before the first transform. A transform
//! copies or moves what is already there, so a kind of node absent then
//! stays absent, with two exceptions handled where they are asked:
//! `TargetNotes` makes footnotes, and system messages come from
//! [`crate::syntax::rst::doc::Doc::lowest_message_level`].

use crate::ast::{Attr, Element, Tag};

use super::Transform;

#[derive(Debug, Default)]
pub(super) struct Census {
    /// The transforms the tree's `pending` nodes call for (docutils'
    /// `note_pending`).
    pub pending: Vec<Transform>,
    /// How many `pending` nodes call for Contents (it stops looking once
    /// it has found them all).
    pub contents: usize,
    /// A `target` element (PropagateTargets' and TargetNotes' subject).
    targets: bool,
    /// An anonymous reference or target (AnonymousHyperlinks).
    anonymous: bool,
    /// A footnote, citation or a reference to one (Footnotes).
    notes: bool,
    /// A substitution reference or definition (Substitutions).
    substitutions: bool,
    /// A transition (Transitions).
    transitions: bool,
    /// A section classed `system-messages` (FilterMessages drops one left
    /// with only its title).
    messages_section: bool,
}

impl Census {
    /// Counts what `doc` holds, substitution definitions' content included.
    pub fn of(doc: &Element) -> Census {
        let mut census = Census::default();
        doc.walk(&mut |e| census.note(e));
        census
    }

    fn note(&mut self, e: &Element) {
        match e.tag {
            Tag::Pending => {
                let t = match e.get(Attr::Kind) {
                    Some("class") => Transform::ClassAttribute,
                    Some("contents") => {
                        self.contents += 1;
                        Transform::Contents
                    }
                    Some("sectnum") => Transform::SectNum,
                    Some("target-notes") => Transform::TargetNotes,
                    _ => return,
                };
                if !self.pending.contains(&t) {
                    self.pending.push(t);
                }
            }
            Tag::Target => {
                self.targets = true;
                self.anonymous |= e.get(Attr::Anonymous).is_some();
            }
            Tag::Reference => self.anonymous |= e.get(Attr::Anonymous).is_some(),
            Tag::Footnote | Tag::Citation | Tag::FootnoteReference | Tag::CitationReference => {
                self.notes = true
            }
            Tag::SubstitutionReference | Tag::SubstitutionDefinition => self.substitutions = true,
            Tag::Transition => self.transitions = true,
            Tag::Section => {
                self.messages_section |= e.classes.iter().any(|c| c == "system-messages");
            }
            _ => {}
        }
    }

    /// Whether `step` can change the tree. `lowest_message` is the lowest
    /// level of any system message made so far ([`None`]: none) and
    /// `report_level` the level FilterMessages keeps from.
    pub fn needs(&self, step: Transform, lowest_message: Option<u8>, report_level: u8) -> bool {
        let pending = |t: Transform| self.pending.contains(&t);
        match step {
            Transform::ClassAttribute => pending(Transform::ClassAttribute),
            Transform::Substitutions => self.substitutions,
            Transform::PropagateTargets => self.targets,
            Transform::AnonymousHyperlinks => self.anonymous,
            Transform::TargetNotes => pending(Transform::TargetNotes),
            // TargetNotes adds footnotes and references to them.
            Transform::Footnotes => self.notes || pending(Transform::TargetNotes),
            Transform::SectNum => pending(Transform::SectNum),
            Transform::Contents => pending(Transform::Contents),
            Transform::Transitions => self.transitions,
            // Messages below the report level to remove, or a messages
            // section left with its title alone: one from the source, or a
            // section `.. class::` gives the class to. DocInfo's field
            // warnings are not counted by the reporter: they are level 2,
            // kept unless the report level is above the default.
            Transform::FilterMessages => {
                lowest_message.is_some_and(|l| l < report_level)
                    || report_level > 2
                    || self.messages_section
                    || pending(Transform::ClassAttribute)
            }
            _ => true,
        }
    }
}
