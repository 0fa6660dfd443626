//! Turns pulldown-cmark's event stream into the docutils-shaped doctree.
//!
//! A stack of open elements mirrors the event nesting. Two things differ
//! from the event stream and are handled here:
//! * Markdown headings are flat; docutils nests `section`s. A heading of
//!   level N closes every open section of level ≥ N and opens a new one.
//! * Tight list items and table cells hold inline content directly;
//!   docutils always wraps it in a `paragraph`, so one is opened implicitly.

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, LinkType, Tag as MdTag, TagEnd};

use crate::ast::ids::{fully_normalize_name, make_id};
use crate::ast::{Element, Node, Span, Tag};
use crate::config::RawHtml;

use super::front_matter::{self, FrontField, Problem, Style};
use super::links::{Target, link_target};

/// What an open element is, as far as the builder cares.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    /// Holds blocks; inline content gets an implicit paragraph.
    Block,
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
    /// Code, raw HTML or front matter: text is collected, not parsed.
    Verbatim(Verbatim),
    /// An image: its inline content is the alt text.
    Image,
    /// `tgroup` of a table, with each column's alignment class.
    Tgroup(Vec<Option<&'static str>>),
    /// A table row; counts cells to find each one's alignment.
    Row(usize),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Verbatim {
    Code,
    Html,
    FrontMatter(Style),
}

struct Frame {
    el: Element,
    kind: Kind,
    /// Collected text of verbatim frames and image alt text.
    buf: String,
    /// Span of the collected text.
    buf_span: Option<Span>,
}

/// Builds one page's doctree from its events.
pub struct Builder<'s> {
    text: &'s str,
    raw_html: RawHtml,
    stack: Vec<Frame>,
    ids: HashSet<String>,
    names: HashSet<String>,
    /// Whether a block other than front matter has been seen (a later
    /// heading is then a section, not the document title).
    content_seen: bool,
    has_title: bool,
    first_heading: Option<String>,
    pub front: Vec<FrontField>,
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
        doc.set("source", source_name);
        Builder {
            text,
            raw_html,
            stack: vec![frame(doc, Kind::Block)],
            ids: HashSet::new(),
            names: HashSet::new(),
            content_seen: false,
            has_title: false,
            first_heading: None,
            front: Vec::new(),
            problems: Vec::new(),
            skipped: 0,
            too_deep: None,
        }
    }

    /// Closes everything still open and returns the document.
    pub fn finish(mut self) -> (Element, Option<String>, HashSet<String>) {
        while self.stack.len() > 1 {
            self.pop();
        }
        let doc = self
            .stack
            .pop()
            .map(|f| f.el)
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
            Event::Code(t) => {
                self.ensure_inline(span);
                let mut lit = Element::new(Tag::Literal, span);
                lit.push_text(t.to_string(), span);
                self.append(lit.into());
            }
            Event::InlineMath(t) | Event::DisplayMath(t) => {
                self.ensure_inline(span);
                let mut m = Element::new(Tag::Math, span);
                m.push_text(t.to_string(), span);
                self.append(m.into());
            }
            Event::Html(t) => self.text(&t, span),
            Event::InlineHtml(t) => self.inline_html(&t, span),
            Event::FootnoteReference(label) => {
                self.ensure_inline(span);
                let mut r = Element::new(Tag::FootnoteReference, span);
                r.set("auto", "1");
                r.set("refname", fully_normalize_name(&label));
                self.append(r.into());
            }
            Event::SoftBreak | Event::HardBreak => self.text("\n", span),
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
                self.push(Element::new(Tag::Paragraph, span), Kind::Inline);
            }
            MdTag::Heading {
                level, id, classes, ..
            } => {
                self.close_implicit();
                let level = heading_level(level);
                if self.at_section_level() {
                    while matches!(self.top_kind(), Kind::Section(l) if *l >= level) {
                        self.pop();
                    }
                }
                let kind = Kind::Heading {
                    level,
                    id: id.map(|s| s.to_string()),
                    classes: classes.iter().map(|c| c.to_string()).collect(),
                };
                self.push(Element::new(Tag::Title, span), kind);
            }
            MdTag::BlockQuote(_) => {
                self.block_start();
                self.push(Element::new(Tag::BlockQuote, span), Kind::Block);
            }
            MdTag::CodeBlock(kind) => {
                self.block_start();
                let mut e = Element::new(Tag::LiteralBlock, span);
                if let CodeBlockKind::Fenced(info) = kind {
                    e.classes.push("code".into());
                    if let Some(lang) = info.split_whitespace().next() {
                        let lang = lang
                            .trim_start_matches('{')
                            .trim_start_matches('.')
                            .trim_end_matches('}');
                        if !lang.is_empty() {
                            e.classes.push(lang.to_ascii_lowercase());
                        }
                    }
                }
                e.set("xml:space", "preserve");
                self.push(e, Kind::Verbatim(Verbatim::Code));
            }
            MdTag::HtmlBlock => {
                self.block_start();
                self.push(Element::new(Tag::Raw, span), Kind::Verbatim(Verbatim::Html));
            }
            MdTag::MetadataBlock(kind) => {
                let style = match kind {
                    pulldown_cmark::MetadataBlockKind::PlusesStyle => Style::Toml,
                    pulldown_cmark::MetadataBlockKind::YamlStyle => Style::Yaml,
                };
                self.push(
                    Element::new(Tag::Docinfo, span),
                    Kind::Verbatim(Verbatim::FrontMatter(style)),
                );
            }
            MdTag::List(start) => {
                self.block_start();
                let marker = self.marker_at(span.start as usize);
                let e = match start {
                    Some(n) => {
                        let mut e = Element::new(Tag::EnumeratedList, span);
                        e.set("enumtype", "arabic");
                        e.set("prefix", "");
                        e.set("suffix", if marker == Some(')') { ")" } else { "." });
                        if n != 1 {
                            e.set("start", n.to_string());
                        }
                        e
                    }
                    None => {
                        let mut e = Element::new(Tag::BulletList, span);
                        e.set("bullet", marker.unwrap_or('-').to_string());
                        e
                    }
                };
                self.push(e, Kind::Block);
            }
            MdTag::Item => {
                self.close_implicit();
                self.push(Element::new(Tag::ListItem, span), Kind::Block);
            }
            MdTag::FootnoteDefinition(label) => {
                self.block_start();
                let mut e = Element::new(Tag::Footnote, span);
                e.set("auto", "1");
                let name = fully_normalize_name(&label);
                let id = self.unique_id(&make_id(&format!("footnote {label}")));
                e.ids.push(id);
                e.names.push(name);
                self.push(e, Kind::Block);
            }
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
            MdTag::Table(aligns) => {
                self.block_start();
                let mut table = Element::new(Tag::Table, span);
                table.classes.push("colwidths-auto".into());
                self.push(table, Kind::Block);
                let mut tgroup = Element::new(Tag::Tgroup, span);
                tgroup.set("cols", aligns.len().to_string());
                for _ in &aligns {
                    let mut c = Element::new(Tag::Colspec, span);
                    c.set("colwidth", "1");
                    tgroup.push(c);
                }
                let aligns = aligns
                    .iter()
                    .map(|a| match a {
                        pulldown_cmark::Alignment::None => None,
                        pulldown_cmark::Alignment::Left => Some("align-left"),
                        pulldown_cmark::Alignment::Center => Some("align-center"),
                        pulldown_cmark::Alignment::Right => Some("align-right"),
                    })
                    .collect();
                self.push(tgroup, Kind::Tgroup(aligns));
            }
            MdTag::TableHead => {
                self.push(Element::new(Tag::Thead, span), Kind::Block);
                self.push(Element::new(Tag::Row, span), Kind::Row(0));
            }
            MdTag::TableRow => {
                if matches!(self.top_kind(), Kind::Tgroup(_)) {
                    self.push(Element::new(Tag::Tbody, span), Kind::Block);
                }
                self.push(Element::new(Tag::Row, span), Kind::Row(0));
            }
            MdTag::TableCell => {
                let align = self.cell_alignment();
                let mut e = Element::new(Tag::Entry, span);
                if let Some(a) = align {
                    e.classes.push(a.into());
                }
                self.push(e, Kind::Block);
            }
            MdTag::Emphasis => self.inline(Tag::Emphasis, span),
            MdTag::Strong => self.inline(Tag::Strong, span),
            MdTag::Superscript => self.inline(Tag::Superscript, span),
            MdTag::Subscript => self.inline(Tag::Subscript, span),
            MdTag::Strikethrough => {
                // docutils has no strike element; a classed `inline` is
                // what a custom role would produce.
                self.inline(Tag::Inline, span);
                if let Some(f) = self.stack.last_mut() {
                    f.el.classes.push("strike".into());
                }
            }
            MdTag::Link {
                link_type,
                dest_url,
                title,
                ..
            } => {
                self.ensure_inline(span);
                let mut e = Element::new(Tag::Reference, span);
                let dest = if link_type == LinkType::Email && !dest_url.starts_with("mailto:") {
                    format!("mailto:{dest_url}")
                } else {
                    dest_url.to_string()
                };
                match link_target(&dest) {
                    Target::Local(id) => e.set("refid", id),
                    Target::Uri(uri) => e.set("refuri", uri),
                }
                if !title.is_empty() {
                    e.set("reftitle", title.to_string());
                }
                self.push(e, Kind::Inline);
            }
            MdTag::Image {
                dest_url, title, ..
            } => {
                self.ensure_inline(span);
                let mut e = Element::new(Tag::Image, span);
                e.set("uri", dest_url.to_string());
                if !title.is_empty() {
                    e.set("title", title.to_string());
                }
                self.push(e, Kind::Image);
            }
        }
    }

    fn end(&mut self, end: TagEnd, span: Span) {
        match end {
            TagEnd::Heading(_) => self.end_heading(),
            TagEnd::CodeBlock => self.end_code(span),
            TagEnd::HtmlBlock => self.end_html(),
            TagEnd::MetadataBlock(_) => self.end_front_matter(span),
            TagEnd::Image => {
                if let Some(mut f) = self.pop_frame() {
                    f.el.set("alt", f.buf.trim().to_string());
                    self.append(f.el.into());
                }
            }
            TagEnd::Table => self.pop_to(Tag::Table),
            TagEnd::TableHead => {
                self.pop_to(Tag::Thead);
            }
            TagEnd::DefinitionListTitle => {
                self.pop_to(Tag::Term);
            }
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
        if !self.stack.iter().skip(1).any(|f| f.el.tag == tag) {
            return;
        }
        while self.stack.len() > 1 {
            let done = self.stack.last().is_some_and(|f| f.el.tag == tag);
            self.pop();
            if done {
                break;
            }
        }
    }

    fn end_heading(&mut self) {
        if !matches!(self.top_kind(), Kind::Heading { .. }) {
            return;
        }
        let Some(f) = self.pop_frame() else { return };
        let Kind::Heading { level, id, classes } = f.kind else {
            return;
        };
        let mut title = f.el;
        let text = title.astext();
        if self.first_heading.is_none() {
            self.first_heading = Some(text.clone());
        }
        if !self.at_section_level() {
            // A heading inside a list or quote cannot open a section.
            title.tag = Tag::Rubric;
            title.classes.extend(classes);
            self.append(title.into());
            return;
        }
        if !self.has_title && !self.content_seen {
            self.has_title = true;
            self.content_seen = true;
            let id = self.unique_id(id.as_deref().unwrap_or(&make_id(&text)));
            let doc = &mut self.stack[0].el;
            doc.ids.push(id);
            doc.names.push(fully_normalize_name(&text));
            doc.classes.extend(classes);
            doc.set("title", text);
            self.names.extend(doc.names.iter().cloned());
            self.insert_title(title);
            return;
        }
        self.content_seen = true;
        let mut section = Element::new(Tag::Section, title.span);
        let base = id.unwrap_or_else(|| make_id(&text));
        section.ids.push(self.unique_id(&base));
        let name = fully_normalize_name(&text);
        if self.names.insert(name.clone()) {
            section.names.push(name);
        } else {
            section.dupnames.push(name);
        }
        section.classes = classes;
        section.push(title);
        self.push(section, Kind::Section(level));
    }

    /// Ids are unique per page (see [`unique_id`]).
    fn unique_id(&mut self, base: &str) -> String {
        unique_id(&mut self.ids, base)
    }

    /// Puts the document title first (before docinfo and any content).
    fn insert_title(&mut self, title: Element) {
        self.stack[0].el.children.insert(0, title.into());
    }

    fn end_code(&mut self, span: Span) {
        let Some(f) = self.pop_frame() else { return };
        let mut e = f.el;
        let mut code = f.buf;
        if code.ends_with('\n') {
            code.pop();
        }
        // The span covers the content's source lines (not the fences), so
        // a problem found in the code maps line by line into the page.
        let content = match f.buf_span {
            Some(s) => {
                let start = self.line_start(s.start as usize);
                let mut end = s.end as usize;
                if self.text.as_bytes().get(end.wrapping_sub(1)) == Some(&b'\n') && end > start {
                    end -= 1;
                }
                Span::new(start, end)
            }
            None => Span::new(span.start as usize, span.start as usize),
        };
        e.span = content;
        e.push_text(code, content);
        self.append(e.into());
    }

    fn end_html(&mut self) {
        let Some(f) = self.pop_frame() else { return };
        let span = f.el.span;
        let mut html = f.buf;
        while html.ends_with('\n') {
            html.pop();
        }
        let e = match self.raw_html {
            RawHtml::Allow => {
                let mut e = Element::new(Tag::Raw, span);
                e.set("format", "html");
                e.set("xml:space", "preserve");
                e.push_text(html, span);
                e
            }
            RawHtml::Escape if is_comment(&html) => {
                let mut e = Element::new(Tag::Comment, span);
                e.set("xml:space", "preserve");
                e.push_text(html, span);
                e
            }
            RawHtml::Escape => {
                // Shown as text: the reader sees the markup, no script runs.
                let mut e = Element::new(Tag::Paragraph, span);
                e.classes.push("raw-html".into());
                e.push_text(html, span);
                e
            }
        };
        self.append(e.into());
    }

    fn end_front_matter(&mut self, span: Span) {
        let Some(f) = self.pop_frame() else { return };
        let Kind::Verbatim(Verbatim::FrontMatter(style)) = f.kind else {
            return;
        };
        let offset = f
            .buf_span
            .map(|s| s.start as usize)
            .unwrap_or(span.start as usize);
        let (fields, problems) = front_matter::parse(&f.buf, offset, style);
        if fields.iter().any(|f| f.key == "title") {
            self.has_title = true;
        }
        self.front.extend(fields);
        self.problems.extend(problems);
    }

    fn inline_html(&mut self, html: &str, span: Span) {
        match self.raw_html {
            RawHtml::Allow => {
                self.ensure_inline(span);
                let mut e = Element::new(Tag::Raw, span);
                e.set("format", "html");
                e.set("xml:space", "preserve");
                e.push_text(html, span);
                self.append(e.into());
            }
            RawHtml::Escape if is_comment(html) => {}
            RawHtml::Escape => self.text(html, span),
        }
    }

    fn text(&mut self, text: &str, span: Span) {
        if let Some(f) = self.stack.last_mut()
            && matches!(f.kind, Kind::Verbatim(_) | Kind::Image)
        {
            f.buf.push_str(text);
            f.buf_span = Some(f.buf_span.map_or(span, |s| s.cover(span)));
            return;
        }
        self.ensure_inline(span);
        let Some(f) = self.stack.last_mut() else {
            return;
        };
        if let Some(Node::Text(prev)) = f.el.children.last_mut() {
            prev.text.push_str(text);
            prev.span = prev.span.cover(span);
            return;
        }
        f.el.push_text(text, span);
    }

    fn task_marker(&mut self, done: bool) {
        let class = if done { "task-done" } else { "task-todo" };
        let Some(i) = self.stack.iter().rposition(|f| f.el.tag == Tag::ListItem) else {
            return;
        };
        self.stack[i]
            .el
            .classes
            .extend(["task".to_string(), class.to_string()]);
        if i > 0 {
            let list = &mut self.stack[i - 1].el.classes;
            if !list.iter().any(|c| c == "task-list") {
                list.push("task-list".into());
            }
        }
    }

    fn cell_alignment(&mut self) -> Option<&'static str> {
        let n = self.stack.len();
        let col = match self.stack.last_mut().map(|f| &mut f.kind) {
            Some(Kind::Row(c)) => {
                *c += 1;
                *c - 1
            }
            _ => return None,
        };
        self.stack[..n]
            .iter()
            .rev()
            .find_map(|f| match &f.kind {
                Kind::Tgroup(a) => Some(a.get(col).copied().flatten()),
                _ => None,
            })
            .flatten()
    }

    fn inline(&mut self, tag: Tag, span: Span) {
        self.ensure_inline(span);
        self.push(Element::new(tag, span), Kind::Inline);
    }

    /// Before a block starts: close an implicit paragraph, note content.
    fn block_start(&mut self) {
        self.close_implicit();
        self.content_seen = true;
    }

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

    fn at_section_level(&self) -> bool {
        self.stack.len() == 1 || matches!(self.top_kind(), Kind::Section(_))
    }

    fn top_kind(&self) -> &Kind {
        self.stack.last().map(|f| &f.kind).unwrap_or(&Kind::Block)
    }

    fn push(&mut self, el: Element, kind: Kind) {
        self.stack.push(frame(el, kind));
    }

    fn pop_frame(&mut self) -> Option<Frame> {
        if self.stack.len() > 1 {
            self.stack.pop()
        } else {
            None
        }
    }

    /// Closes the innermost element and appends it to its parent; its span
    /// grows to cover its content.
    fn pop(&mut self) {
        let Some(mut f) = self.pop_frame() else {
            return;
        };
        // Every element covers its content: sections and implicit
        // paragraphs start small, and a table body is opened by its first
        // row (found by the `markdown` fuzz target: rows outside `tbody`).
        {
            let covered =
                f.el.children
                    .iter()
                    .map(Node::span)
                    .fold(f.el.span, Span::cover);
            f.el.span = covered;
        }
        if let Kind::Heading { .. } = f.kind {
            // An unterminated heading (cannot happen with pulldown) stays text.
            f.el.tag = Tag::Rubric;
        }
        self.append(f.el.into());
    }

    fn append(&mut self, node: Node) {
        if let Some(f) = self.stack.last_mut() {
            if matches!(f.kind, Kind::Image) {
                f.buf.push_str(&node.astext());
                return;
            }
            f.el.children.push(node);
        }
    }

    /// The list marker character at the start of a list (`-`, `*`, `+`,
    /// or `.` / `)` after the number).
    fn marker_at(&self, start: usize) -> Option<char> {
        let rest = self.text.get(start..)?;
        let rest = rest.trim_start_matches([' ', '\t', '>']);
        let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
        rest.chars().next()
    }

    fn line_start(&self, offset: usize) -> usize {
        self.text
            .get(..offset)
            .and_then(|t| t.rfind('\n'))
            .map_or(0, |i| i + 1)
    }
}

/// Makes `base` unique among `ids` with `-1`, `-2`, …; an empty base (a
/// title with no ASCII letters) becomes `section`.
pub fn unique_id(ids: &mut HashSet<String>, base: &str) -> String {
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

fn frame(el: Element, kind: Kind) -> Frame {
    Frame {
        el,
        kind,
        buf: String::new(),
        buf_span: None,
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// An HTML comment alone (`<!-- … -->`): a note for editors, never shown.
fn is_comment(html: &str) -> bool {
    let t = html.trim();
    t.len() >= 7
        && t.starts_with("<!--")
        && t.ends_with("-->")
        && t[4..].find("-->") == Some(t.len() - 7)
}
