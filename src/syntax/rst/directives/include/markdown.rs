//! `include` with a Markdown `:parser:`: docutils hands the file to a
//! third-party Markdown parser (`commonmark` and `markdown` pick one that
//! is installed; `pycmark` names one). kbgen reads it with its own
//! CommonMark parser and gives the tree pycmark's shape: every heading a
//! `section` with its nesting as `depth` (a heading that skips levels
//! counts one deeper than its parent) and no name, and each link
//! reference definition a `target` where it stands. The file is a
//! document of its own in docutils, sharing the page's ids: under
//! `legacy_ids` its sections get ids from its own counter (`section-1`,
//! `section-2`, … skipping ids the page has), else later, from the page's
//! (the SectionIDs transform). A heading that skips levels gets pycmark's
//! warning, among the transforms' messages. Not done: its messages about
//! a target name the page already has (such a target gets no id here).
//! The rest is kbgen's Markdown tree (`crate::syntax::markdown`), which
//! may differ from pycmark's for constructs the test suite does not show
//! (lists' `compact`/`open` classes, code blocks, raw HTML).

use rustc_hash::FxHashSet as HashSet;

use crate::ast::ids::{fully_normalize_name, make_id};
use crate::ast::{Attr, Element, Node, Span, Tag};
use crate::config::RawHtml;
use crate::diag::Severity;
use crate::syntax::markdown::fragment::{ReferenceDefinition, parse_fragment};
use crate::syntax::rst::doc::Doc;

/// `:parser:` names kbgen reads with its CommonMark parser. docutils'
/// other Markdown parsers (`myst`, `recommonmark`) build other trees and
/// stay "not found".
pub const MARKDOWN_PARSERS: &[&str] = &["commonmark", "markdown", "pycmark"];

/// The nodes an included Markdown `text` gives, every span pointing at
/// the including directive (`span`), as included RST's do.
pub fn included_markdown(
    text: &str,
    shown: &str,
    span: Span,
    allow_raw: bool,
    doc: &mut Doc,
) -> Vec<Node> {
    let raw_html = if allow_raw {
        RawHtml::Allow
    } else {
        RawHtml::Escape
    };
    let fragment = parse_fragment(text, shown, raw_html);
    let mut blocks = fragment.blocks;
    let mut shaping = Shaping {
        text,
        counter: 0,
        ids: (!doc.matching_ids).then_some(&mut doc.ids),
        skipped_levels: Vec::new(),
    };
    for node in blocks.iter_mut() {
        if let Node::Element(e) = node {
            shaping.sections(e, 0);
        }
    }
    for (title, level, depth, offset) in std::mem::take(&mut shaping.skipped_levels) {
        let line = text[..offset].matches('\n').count() + 1;
        let message = doc.message_in(
            Severity::Warning,
            &format!(
                "Invalid deep section \"{title}\" (<h{level}>) appeared. Recognized a <h{depth}>."
            ),
            Some(line),
            Some(shown),
            span,
        );
        doc.dangling_messages.push(message);
    }
    for definition in &fragment.definitions {
        let target = target(definition, &mut doc.ids);
        insert_target(&mut blocks, target, definition.range.start);
    }
    let mut container = Element::with_children(Tag::Section, span, blocks);
    container.walk_mut(&mut |e| {
        e.span = span;
        for child in e.children.iter_mut() {
            if let Node::Text(t) = child {
                t.span = span;
            }
        }
    });
    container.children
}

/// Gives the sections pycmark's shape.
struct Shaping<'a> {
    text: &'a str,
    /// Section ids made so far (the file's own counter).
    counter: usize,
    /// The page's ids, when sections get theirs now (`legacy_ids`).
    ids: Option<&'a mut HashSet<String>>,
    /// Headings that skipped levels: title, level, the depth they got,
    /// and where the heading starts in the text.
    skipped_levels: Vec<(String, usize, usize, usize)>,
}

impl Shaping<'_> {
    /// pycmark's sections under a section of depth `parent_depth`: depth
    /// from the heading's level, at most one deeper than the parent; no
    /// names; an id when they get one now.
    fn sections(&mut self, e: &mut Element, parent_depth: usize) {
        let mut depth = parent_depth;
        if e.tag == Tag::Section {
            let level = e
                .first(Tag::Title)
                .map_or(1, |t| heading_level(self.text, t.span));
            depth = level.min(parent_depth + 1);
            if level > depth {
                let title = e.first(Tag::Title).map(|t| t.astext()).unwrap_or_default();
                let at = e.first(Tag::Title).map_or(0, |t| t.span.start as usize);
                self.skipped_levels.push((title, level, depth, at));
            }
            e.ids.clear();
            e.names.clear();
            if let Some(ids) = self.ids.as_deref_mut() {
                let id = loop {
                    self.counter += 1;
                    let id = format!("section-{}", self.counter);
                    if !ids.contains(&id) {
                        break id;
                    }
                };
                ids.insert(id.clone());
                e.ids.push(id);
            }
            e.set(Attr::Depth, depth.to_string());
        }
        for child in e.elements_mut() {
            self.sections(child, depth);
        }
    }
}

/// The level of the heading at `span` of the Markdown text: the number of
/// `#` of an ATX heading, 1 or 2 for a setext heading's `=` or `-` line.
fn heading_level(text: &str, span: Span) -> usize {
    let heading = text
        .get(span.start as usize..span.end as usize)
        .unwrap_or("");
    let first = heading.trim_start_matches(' ');
    if first.starts_with('#') {
        return first.chars().take_while(|&c| c == '#').count();
    }
    let underline = heading
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    if underline.starts_with('-') { 2 } else { 1 }
}

/// A link reference definition as pycmark's target: named by its label,
/// with the id docutils' explicit target gets, unless the page has it.
fn target(definition: &ReferenceDefinition, page_ids: &mut HashSet<String>) -> Element {
    let mut t = Element::new(Tag::Target, Span::default());
    let id = make_id(&definition.label);
    if page_ids.insert(id.clone()) {
        t.ids.push(id);
    }
    t.names.push(fully_normalize_name(&definition.label));
    t.set(Attr::Refuri, definition.destination.clone());
    if let Some(title) = &definition.title {
        t.set(Attr::Title, title.clone());
    }
    t
}

/// Puts `target` where its definition stood (`at`, an offset into the
/// Markdown text): after the last block starting before it, inside that
/// block when it is a section (a section holds everything up to the
/// next heading).
fn insert_target(blocks: &mut Vec<Node>, target: Element, at: usize) {
    let starts_before = |n: &Node| match n {
        Node::Element(e) => e.span.start as usize <= at,
        Node::Text(t) => t.span.start as usize <= at,
    };
    let i = blocks.iter().rposition(starts_before);
    if let Some(i) = i
        && let Node::Element(e) = &mut blocks[i]
        && e.tag == Tag::Section
    {
        insert_target(&mut e.children, target, at);
        return;
    }
    blocks.insert(i.map_or(0, |i| i + 1), target.into());
}
