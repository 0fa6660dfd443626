//! Turns pulldown-cmark's event stream into the docutils-shaped doctree.
//!
//! A stack of open elements mirrors the event nesting. Two things differ
//! from the event stream and are handled here:
//! * Markdown headings are flat; docutils nests `section`s. A heading of
//!   level N closes every open section of level ≥ N and opens a new one.
//! * Tight list items and table cells hold inline content directly;
//!   docutils always wraps it in a `paragraph`, so one is opened implicitly.
//!
//! This file holds the stack and the event dispatch; what each event
//! builds lives beside it: [`blocks`] (paragraphs, headings, code, HTML,
//! front matter, lists, footnotes), [`inlines`] (text, markup, links,
//! images) and [`tables`].

mod blocks;
mod inlines;
mod tables;

use crate::ast::Attr;
use rustc_hash::FxHashSet;
use std::ops::Range;

use pulldown_cmark::{Event, Tag as MdTag, TagEnd};

use crate::ast::{Element, Node, Span, Tag, Text};
use crate::config::RawHtml;

use super::front_matter::{FrontField, Problem};

/// What an open element is, as far as the builder cares.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    /// Holds blocks; inline content gets an implicit paragraph.
    Block,
    /// A bullet or enumerated list; loose once an item holds a paragraph
    /// the Markdown spelled out (pulldown-cmark reports paragraphs of
    /// loose lists only), which is CommonMark's definition.
    List { loose: bool },
    /// A section opened by a heading of this level.
    Section(u8),
    /// A paragraph the Markdown did not spell out (tight list item, cell).
    ImplicitPara,
    /// Holds inline content.
    Inline,
    /// A heading being read; becomes a title (section or document) or a rubric.
    Heading {
        level: u8,
        id: Option<String>,
        classes: Vec<String>,
    },
    /// Code or raw HTML: text is collected, not parsed.
    Verbatim(Verbatim),
    /// An image: its inline content is the alt text.
    Image,
    /// `tgroup` of a table, with each column's alignment class.
    Tgroup(Vec<Option<&'static str>>),
    /// A table row; counts cells to find each one's alignment.
    Row(usize),
}

/// Which kind of verbatim text a frame collects.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Verbatim {
    Code,
    Html,
}

/// One open element on the builder's stack.
struct Frame {
    element: Element,
    kind: Kind,
    /// Collected text of verbatim frames and image alt text.
    collected: String,
    /// Span of the collected text.
    collected_span: Option<Span>,
    /// Whether text with a mark of a bare link (`www.`, `://`, `@`) went
    /// in, so the element's text is scanned for links when it closes.
    bare_links: bool,
}

impl Frame {
    fn new(element: Element, kind: Kind) -> Frame {
        Frame {
            element,
            kind,
            collected: String::new(),
            collected_span: None,
            bare_links: false,
        }
    }
}

/// Builds one page's doctree from its events.
pub struct Builder<'s> {
    text: &'s str,
    raw_html: RawHtml,
    stack: Vec<Frame>,
    /// Text of the innermost open element not yet added to it: pulldown-cmark
    /// hands a paragraph's text over in many pieces (split at every
    /// character that could start markup), and growing the text node
    /// piece by piece reallocated it each time. The text node is made once,
    /// at its final size, when anything else happens ([`Builder::flush_text`]).
    pending: String,
    /// Span of `pending`; `None` when there is no pending text.
    pending_span: Option<Span>,
    ids: FxHashSet<String>,
    names: FxHashSet<String>,
    /// Whether a block other than front matter has been seen (a later
    /// heading is then a section, not the document title).
    content_seen: bool,
    has_title: bool,
    first_heading: Option<String>,
    pub front: Vec<FrontField>,
    /// Whether a footnote or a reference to one was seen: only then are
    /// footnotes numbered (three walks of the tree).
    pub has_footnotes: bool,
    pub problems: Vec<Problem>,
    /// Start events ignored because the tree was already [`MAX_DEPTH`]
    /// deep; their matching end events are ignored too.
    skipped: usize,
    /// Where nesting first went past [`MAX_DEPTH`] (reported once).
    pub too_deep: Option<Span>,
}

/// Deepest element nesting a Markdown page may build (the RST parser's
/// limit). Every later stage walks the tree recursively, so without a cap
/// `> > > …` fifty thousand deep overflows the stack; past the cap,
/// nested blocks and inline markup are flattened into the deepest element.
pub const MAX_DEPTH: usize = 64;

impl<'s> Builder<'s> {
    pub fn new(text: &'s str, source_name: &str, raw_html: RawHtml) -> Builder<'s> {
        let mut doc = Element::new(Tag::Document, Span::new(0, text.len()));
        doc.set(Attr::Source, source_name);
        Builder {
            text,
            raw_html,
            stack: vec![Frame::new(doc, Kind::Block)],
            pending: String::new(),
            pending_span: None,
            ids: FxHashSet::default(),
            names: FxHashSet::default(),
            content_seen: false,
            has_title: false,
            first_heading: None,
            front: Vec::new(),
            has_footnotes: false,
            problems: Vec::new(),
            skipped: 0,
            too_deep: None,
        }
    }

    /// A builder for Markdown read into another page (an RST `include`):
    /// the page has its title, so every heading opens a section.
    pub fn for_fragment(text: &'s str, source_name: &str, raw_html: RawHtml) -> Builder<'s> {
        let mut builder = Builder::new(text, source_name, raw_html);
        builder.content_seen = true;
        builder
    }

    /// Closes everything still open and returns the document, the text of
    /// its first heading and the ids it uses.
    pub fn finish(mut self) -> (Element, Option<String>, FxHashSet<String>) {
        self.flush_text();
        while self.stack.len() > 1 {
            self.pop();
        }
        let doc = self
            .stack
            .pop()
            .map(|f| f.element)
            .unwrap_or_else(|| Element::new(Tag::Document, Span::default()));
        (doc, self.first_heading, self.ids)
    }

    pub fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        let span = Span::new(range.start, range.end);
        match event {
            Event::Start(_) if self.skipped > 0 || self.stack.len() >= MAX_DEPTH => {
                self.skipped += 1;
                self.too_deep.get_or_insert(span);
            }
            Event::End(_) if self.skipped > 0 => self.skipped -= 1,
            Event::Start(tag) => self.start(tag, span),
            Event::End(end) => self.end(end, span),
            Event::Text(t) => self.text(&t, span),
            Event::Code(t) => self.leaf(Tag::Literal, &t, span),
            Event::InlineMath(t) | Event::DisplayMath(t) => self.leaf(Tag::Math, &t, span),
            Event::Html(t) => self.text(&t, span),
            Event::InlineHtml(t) => self.inline_html(&t, span),
            Event::FootnoteReference(label) => self.footnote_reference(&label, span),
            Event::SoftBreak => self.text("\n", span),
            Event::HardBreak => self.line_break(span),
            Event::Rule => {
                self.block_start();
                self.append(Element::new(Tag::Transition, span).into());
            }
            Event::TaskListMarker(done) => self.task_marker(done),
        }
    }

    fn start(&mut self, tag: MdTag<'_>, span: Span) {
        match tag {
            MdTag::Paragraph => {
                self.block_start();
                self.note_loose_list();
                self.push(Element::new(Tag::Paragraph, span), Kind::Inline);
            }
            MdTag::Heading {
                level, id, classes, ..
            } => self.start_heading(level, id.as_deref(), &classes, span),
            MdTag::BlockQuote(_) => {
                self.block_start();
                self.push(Element::new(Tag::BlockQuote, span), Kind::Block);
            }
            MdTag::CodeBlock(kind) => self.start_code(&kind, span),
            MdTag::HtmlBlock => {
                self.block_start();
                self.push(Element::new(Tag::Raw, span), Kind::Verbatim(Verbatim::Html));
            }
            // Not enabled: front matter is read before the events.
            MdTag::MetadataBlock(_) => self.push(
                Element::new(Tag::Comment, span),
                Kind::Verbatim(Verbatim::Html),
            ),
            MdTag::List(start) => self.start_list(start, span),
            MdTag::Item => {
                self.close_implicit();
                self.push(Element::new(Tag::ListItem, span), Kind::Block);
            }
            MdTag::FootnoteDefinition(label) => self.start_footnote(&label, span),
            MdTag::DefinitionList => {
                self.block_start();
                self.push(Element::new(Tag::DefinitionList, span), Kind::Block);
            }
            MdTag::DefinitionListTitle => {
                self.close_implicit();
                let item = Element::new(Tag::DefinitionListItem, span);
                self.push(item, Kind::Block);
                self.push(Element::new(Tag::Term, span), Kind::Inline);
            }
            MdTag::DefinitionListDefinition => {
                self.close_implicit();
                self.push(Element::new(Tag::Definition, span), Kind::Block);
            }
            MdTag::Table(aligns) => self.start_table(&aligns, span),
            MdTag::TableHead => self.start_table_head(span),
            MdTag::TableRow => self.start_table_row(span),
            MdTag::TableCell => self.start_table_cell(span),
            MdTag::Emphasis => self.inline(Tag::Emphasis, span),
            MdTag::Strong => self.inline(Tag::Strong, span),
            MdTag::Superscript => self.inline(Tag::Superscript, span),
            MdTag::Subscript => self.inline(Tag::Subscript, span),
            MdTag::Strikethrough => self.start_strikethrough(span),
            MdTag::Link {
                link_type,
                dest_url,
                title,
                ..
            } => self.start_link(link_type, &dest_url, &title, span),
            MdTag::Image {
                dest_url, title, ..
            } => self.start_image(&dest_url, &title, span),
        }
    }

    fn end(&mut self, end: TagEnd, span: Span) {
        match end {
            TagEnd::Heading(_) => self.end_heading(),
            TagEnd::CodeBlock => self.end_code(span),
            TagEnd::HtmlBlock => self.end_html(),
            TagEnd::Image => self.end_image(),
            TagEnd::List(_) => self.end_list(),
            TagEnd::Table => self.pop_to(Tag::Table),
            TagEnd::TableHead => self.pop_to(Tag::Thead),
            TagEnd::DefinitionListTitle => self.pop_to(Tag::Term),
            TagEnd::DefinitionListDefinition => {
                self.pop_to(Tag::Definition);
                self.pop_to(Tag::DefinitionListItem);
            }
            _ => {
                self.close_implicit();
                if self.stack.len() > 1 && !matches!(self.top_kind(), Kind::Section(_)) {
                    self.pop();
                }
            }
        }
    }

    /// Pops frames up to and including the innermost element with `tag`,
    /// if there is one.
    fn pop_to(&mut self, tag: Tag) {
        if !self.stack.iter().skip(1).any(|f| f.element.tag == tag) {
            return;
        }
        while self.stack.len() > 1 {
            let done = self.stack.last().is_some_and(|f| f.element.tag == tag);
            self.pop();
            if done {
                break;
            }
        }
    }

    /// Ids are unique per page (see [`unique_id`]).
    fn unique_id(&mut self, base: &str) -> String {
        unique_id(&mut self.ids, base)
    }

    /// Before a block starts: close an implicit paragraph, note content.
    fn block_start(&mut self) {
        self.close_implicit();
        self.content_seen = true;
    }

    /// Before inline content: a block container gets an implicit paragraph.
    fn ensure_inline(&mut self, span: Span) {
        if matches!(self.top_kind(), Kind::Block | Kind::Section(_)) {
            self.content_seen = true;
            self.push(Element::new(Tag::Paragraph, span), Kind::ImplicitPara);
        }
    }

    fn close_implicit(&mut self) {
        if matches!(self.top_kind(), Kind::ImplicitPara) {
            self.pop();
        }
    }

    /// Whether a heading here can open a section (not inside a list, quote, …).
    fn at_section_level(&self) -> bool {
        self.stack.len() == 1 || matches!(self.top_kind(), Kind::Section(_))
    }

    fn top_kind(&self) -> &Kind {
        self.stack.last().map(|f| &f.kind).unwrap_or(&Kind::Block)
    }

    fn push(&mut self, element: Element, kind: Kind) {
        self.flush_text();
        self.stack.push(Frame::new(element, kind));
    }

    /// Adds the pending text (see `pending`) to the innermost element as
    /// one text node. Called before anything else changes the stack or the
    /// innermost element's children.
    fn flush_text(&mut self) {
        let Some(span) = self.pending_span.take() else {
            return;
        };
        let text = self.pending.as_str().to_owned();
        self.pending.clear();
        if let Some(frame) = self.stack.last_mut() {
            frame.element.children.push(Node::Text(Text { text, span }));
        }
    }

    /// Removes the innermost frame (its bare links made links); the
    /// document's frame is never removed.
    fn pop_frame(&mut self) -> Option<Frame> {
        self.flush_text();
        if self.stack.len() <= 1 {
            return None;
        }
        let mut frame = self.stack.pop()?;
        if frame.bare_links {
            super::autolinks::link_children(&mut frame.element);
        }
        Some(frame)
    }

    /// Closes the innermost element and appends it to its parent; its span
    /// grows to cover its content.
    fn pop(&mut self) {
        let Some(mut frame) = self.pop_frame() else {
            return;
        };
        // Every element covers its content: sections and implicit
        // paragraphs start small, and a table body is opened by its first
        // row (found by the `markdown` fuzz target: rows outside `tbody`).
        let element = &mut frame.element;
        element.span = element
            .children
            .iter()
            .map(Node::span)
            .fold(element.span, Span::cover);
        if let Kind::Heading { .. } = frame.kind {
            // An unterminated heading (cannot happen with pulldown) stays text.
            frame.element.tag = Tag::Rubric;
        }
        self.append(frame.element.into());
    }

    /// Adds a finished node to the innermost open element (to an image's
    /// alt text as plain text).
    fn append(&mut self, node: Node) {
        self.flush_text();
        if let Some(frame) = self.stack.last_mut() {
            if matches!(frame.kind, Kind::Image) {
                // An image's alt text is the text of its content; an image
                // inside gives its own alt text.
                match &node {
                    Node::Element(e) if e.tag == Tag::Image => {
                        frame.collected.push_str(e.get(Attr::Alt).unwrap_or(""))
                    }
                    _ => frame.collected.push_str(&node.astext()),
                }
                return;
            }
            frame.element.children.push(node);
        }
    }

    /// Offset of the start of the line holding `offset`.
    fn line_start(&self, offset: usize) -> usize {
        self.text
            .get(..offset)
            .and_then(|t| t.rfind('\n'))
            .map_or(0, |i| i + 1)
    }
}

/// Makes `base` unique among `ids` with `-1`, `-2`, …; an empty base (a
/// title with no ASCII letters) becomes `section`.
pub fn unique_id(ids: &mut FxHashSet<String>, base: &str) -> String {
    let base = if base.is_empty() { "section" } else { base };
    let mut id = base.to_string();
    let mut n = 1;
    while ids.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    ids.insert(id.clone());
    id
}

/// A builder fed every event of `text`, for the unit tests of each file.
#[cfg(test)]
fn fed(text: &str, raw_html: RawHtml) -> Builder<'_> {
    let mut builder = Builder::new(text, "t.md", raw_html);
    for (event, range) in pulldown_cmark::Parser::new_ext(text, super::options()).into_offset_iter()
    {
        builder.event(event, range);
    }
    builder
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(text: &str) -> Element {
        fed(text, RawHtml::Escape).finish().0
    }

    #[test]
    fn unique_id_counts_up_and_names_empty_bases() {
        let mut ids = FxHashSet::default();
        assert_eq!(unique_id(&mut ids, "a"), "a");
        assert_eq!(unique_id(&mut ids, "a"), "a-1");
        assert_eq!(unique_id(&mut ids, "a"), "a-2");
        assert_eq!(unique_id(&mut ids, ""), "section");
        assert_eq!(unique_id(&mut ids, ""), "section-1");
    }

    #[test]
    fn nesting_past_the_limit_is_flattened_and_reported() {
        let text = "> ".repeat(MAX_DEPTH + 10) + "deep\n";
        let builder = fed(&text, RawHtml::Escape);
        assert!(builder.too_deep.is_some());
        let doc = builder.finish().0;
        let mut depth = 0;
        let mut element = &doc;
        while let Some(child) = element.elements().next() {
            element = child;
            depth += 1;
        }
        assert!(depth <= MAX_DEPTH, "{depth}");
        assert_eq!(doc.astext().trim(), "deep");
    }

    #[test]
    fn every_element_covers_its_children() {
        let doc = build("# T\n\n## S\n\n- a\n- b\n\n| x |\n|---|\n| y |\n");
        doc.walk(&mut |e| {
            for child in &e.children {
                let s = child.span();
                assert!(
                    e.span.start <= s.start && s.end <= e.span.end,
                    "{:?}",
                    e.tag
                );
            }
        });
    }
}
