//! docutils' `ExposeInternals` transform for `kbgen dump
//! --expose-internals=line:source`: every node docutils gives a `line`
//! shows it as `internal:line`, and its `source` as `internal:source`.
//!
//! A normal build keeps no `line` per node (the parser keeps one only where
//! a later message needs it, and on nodes of included files and CSV cells,
//! whose spans point at the directive). The dump derives it here, once,
//! from each node's span: docutils' line of a block is the line its markup
//! starts on (a list item's bullet, a directive's `..` line, a cell's first
//! text line), which is the line of the span's first byte.

use crate::ast::{Attr, AttrName, Element, Node, Tag};
use crate::source::SourceFile;

/// The internal attributes docutils' `expose_internals` setting can name
/// that kbgen knows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExposeInternals {
    pub line: bool,
    pub source: bool,
}

impl ExposeInternals {
    /// docutils' `--expose-internals` value: names separated by `:` or `,`;
    /// names kbgen keeps no such attribute for are ignored, as docutils
    /// ignores attributes a node lacks.
    pub fn parse(list: &str) -> ExposeInternals {
        let mut chosen = ExposeInternals::default();
        for name in list.split([':', ',']).map(str::trim) {
            match name {
                "line" => chosen.line = true,
                "source" => chosen.source = true,
                _ => {}
            }
        }
        chosen
    }

    pub fn any(self) -> bool {
        self.line || self.source
    }
}

/// Adds `internal:line` / `internal:source` to every node of `doc` that
/// docutils gives a line, reading lines from `source` (the page's text).
pub fn expose(doc: &mut Element, source: &SourceFile, chosen: ExposeInternals) {
    if !chosen.any() {
        return;
    }
    let name = source.path.display().to_string();
    for child in doc.children.iter_mut() {
        if let Node::Element(e) = child {
            walk(e, Tag::Document, source, &name, chosen);
        }
    }
    // the parser's line attributes, kept for this, go as they do otherwise
    doc.walk_mut(&mut |e| e.attrs.retain(|(k, _)| !k.is_internal()));
}

fn walk(e: &mut Element, parent: Tag, source: &SourceFile, name: &str, chosen: ExposeInternals) {
    // docutils gives an option list's items a source but no line
    if e.tag == Tag::OptionListItem && chosen.source {
        e.attrs
            .push((AttrName::Named("internal:source".into()), name.to_string()));
    }
    if has_line(e.tag, parent) {
        // a node of an included file or a CSV cell carries its line and
        // file (its span points at the directive); others have the span's
        let origin = e
            .get(Attr::InternalSource)
            .map(str::to_string)
            .zip(e.get(Attr::InternalLine).map(str::to_string));
        let (line, file) = match origin {
            Some((file, line)) => (line, file),
            None => (line_of(e, parent, source).to_string(), name.to_string()),
        };
        if chosen.line {
            e.attrs
                .push((AttrName::Named("internal:line".into()), line));
        }
        if chosen.source {
            e.attrs
                .push((AttrName::Named("internal:source".into()), file));
        }
    }
    let tag = e.tag;
    if tag == Tag::SystemMessage {
        // a message's contents are made by the reporter, not the parser
        return;
    }
    for child in e.children.iter_mut() {
        if let Node::Element(c) = child {
            walk(c, tag, source, name, chosen);
        }
    }
}

/// docutils' `line` of a node: the line its markup starts on, but for a
/// section and its title the underline's line (a title is one line of
/// text, the underline the next), and for a comment the line after its
/// text when a blank line follows it (its last line when none does).
fn line_of(e: &Element, parent: Tag, source: &SourceFile) -> u32 {
    let first = source.line_of(e.span.start as usize);
    match e.tag {
        Tag::Section => e
            .elements()
            .find(|c| c.tag == Tag::Title)
            .map_or(first, |t| underline_line(t, source)),
        Tag::Title if matches!(parent, Tag::Section | Tag::Document) => underline_line(e, source),
        Tag::Comment if !e.children.is_empty() => {
            let last = last_line(e, source);
            let next_blank = (last as usize) < source.line_count()
                && source.line_text(last + 1).trim().is_empty();
            last + u32::from(next_blank)
        }
        _ => first,
    }
}

/// The line of a section title's underline: its span's last line.
fn underline_line(title: &Element, source: &SourceFile) -> u32 {
    last_line(title, source)
}

/// The line of `e`'s span's last byte.
fn last_line(e: &Element, source: &SourceFile) -> u32 {
    source.line_of(
        (e.span.end as usize)
            .saturating_sub(1)
            .max(e.span.start as usize),
    )
}

/// Whether docutils' parser sets `line` on a `tag` node under `parent`:
/// the body elements and their parts it makes from a line of markup, not
/// inline nodes, a table's inner structure (tgroup, colspec, rows,
/// entries), a topic's title or a subtitle, a line block nested in
/// another, or anything in a system message.
fn has_line(tag: Tag, parent: Tag) -> bool {
    match tag {
        Tag::Title => matches!(
            parent,
            Tag::Table | Tag::Admonition | Tag::Section | Tag::Document
        ),
        Tag::LineBlock => parent != Tag::LineBlock,
        Tag::Transition
        | Tag::Section
        | Tag::Comment
        | Tag::Target
        | Tag::DoctestBlock
        | Tag::LiteralBlock
        | Tag::FieldList
        | Tag::Field
        | Tag::OptionList
        | Tag::Paragraph
        | Tag::BlockQuote
        | Tag::Attribution
        | Tag::BulletList
        | Tag::EnumeratedList
        | Tag::ListItem
        | Tag::DefinitionList
        | Tag::DefinitionListItem
        | Tag::Term
        | Tag::Definition
        | Tag::Line
        | Tag::Image
        | Tag::Figure
        | Tag::Caption
        | Tag::Sidebar
        | Tag::Topic
        | Tag::Compound
        | Tag::Container
        | Tag::Rubric
        | Tag::Table
        | Tag::Admonition => true,
        t => is_admonition(t),
    }
}

fn is_admonition(tag: Tag) -> bool {
    matches!(
        tag,
        Tag::Attention
            | Tag::Caution
            | Tag::Danger
            | Tag::Error
            | Tag::Hint
            | Tag::Important
            | Tag::Note
            | Tag::Tip
            | Tag::Warning
    )
}
