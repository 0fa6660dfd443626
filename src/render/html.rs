//! The HTML writer: doctree → HTML5, modelled on docutils' `html5` writer
//! (same element choices and classes, so docutils stylesheets and habits
//! carry over), with every piece of text and every attribute escaped.
//!
//! One [`Writer`] appends to one `String`; titles are rendered by their
//! parent (a section title is a heading, a topic title a paragraph, a table
//! title a caption), which is why the walk passes no per-node state but the
//! section depth.

use crate::ast::Attr;
use crate::ast::{Element, Node, Tag};

use super::escape::escape_into;
use super::highlight::{Highlighter, guess_language};
use crate::urls::is_dangerous_uri;

pub use super::escape::escape;

mod captions;
mod code_lines;
mod links;
mod lists;
mod media;
mod notes;
mod sphinx;
mod tables;

/// What the writer needs besides the tree.
pub struct HtmlContext<'a> {
    pub highlighter: &'a Highlighter,
}

/// Docinfo fields kbgen reads as page metadata: shown by the templates
/// (index, `<meta>`), so not repeated in the body.
const METADATA_FIELDS: &[&str] = &["category", "short-title", "description"];

/// Renders the body of a document: everything but the document title (the
/// template shows that) and system messages (reported as diagnostics).
pub fn render_body(doc: &Element, ctx: &HtmlContext) -> String {
    // A page's HTML is about one and a half times its source (the
    // document's span): sized for that at once, the body is not regrown
    // and copied a few times on the way.
    let source = doc.span.range().len();
    let mut w = Writer {
        out: String::with_capacity((source + source / 2).max(8192)),
        ctx,
        depth: 0,
        sphinx_page: doc
            .get(Attr::Sphinx(crate::ast::SphinxAttr::TranslationProgress))
            .is_some(),
        protect_literal: 0,
        params: Default::default(),
    };
    w.children(doc);
    w.out
}

/// The document's table of contents (the first `contents` topic) as a plain
/// nested `<ul>` without ids, for themes that show it a second time (for
/// example collapsed on small screens). `None` when the page has none.
pub fn render_toc(doc: &Element, ctx: &HtmlContext) -> Option<String> {
    let list = first_contents_topic(doc)?
        .elements()
        .find(|e| matches!(e.tag, Tag::BulletList | Tag::EnumeratedList))?;
    let mut w = Writer {
        out: String::with_capacity(1024),
        ctx,
        depth: 0,
        sphinx_page: false,
        protect_literal: 0,
        params: Default::default(),
    };
    w.toc_list(list);
    Some(w.out)
}

/// The first `contents` topic in document order; the search stops there
/// instead of walking the rest of the page.
fn first_contents_topic(e: &Element) -> Option<&Element> {
    if e.tag == Tag::Topic && e.classes.iter().any(|c| c == "contents") {
        return Some(e);
    }
    e.elements().find_map(first_contents_topic)
}

struct Writer<'a, 'c> {
    out: String,
    ctx: &'a HtmlContext<'c>,
    /// Number of enclosing sections: a section title is `<h{depth+1}>`.
    depth: usize,
    /// The page was read in the Sphinx dialect: docutils nodes that
    /// Sphinx writes differently (literals, math) are written as Sphinx does.
    sphinx_page: bool,
    /// Inside a literal or a signature: words go in `<span class="pre">`.
    protect_literal: u32,
    /// The signature parameter list being written.
    params: sphinx::ParamState,
}

impl Writer<'_, '_> {
    fn push(&mut self, s: &str) {
        self.out.push_str(s);
    }

    fn text(&mut self, s: &str) {
        escape_into(s, &mut self.out);
    }

    fn node(&mut self, node: &Node) {
        match node {
            Node::Text(t) if self.protect_literal > 0 => self.protected_text(&t.text),
            Node::Text(t) => escape_into(&t.text, &mut self.out),
            Node::Element(e) => self.element(e),
        }
    }

    fn children(&mut self, e: &Element) {
        self.children_from(e, 0);
    }

    /// Renders children, wrapping runs of footnotes or citations in one
    /// `footnote-list` block as docutils does.
    fn children_from(&mut self, e: &Element, skip: usize) {
        let mut in_notes: Option<Tag> = None;
        for child in e.children.iter().skip(skip) {
            if e.tag == Tag::Document && child.as_element().is_some_and(|c| c.tag == Tag::Title) {
                continue;
            }
            let tag = child.as_element().map(|c| c.tag);
            let note = tag.filter(|t| matches!(t, Tag::Footnote | Tag::Citation));
            if in_notes.is_some() && note != in_notes {
                self.push("</div>\n");
                in_notes = None;
            }
            if note.is_some() && in_notes.is_none() {
                self.push(if note == Some(Tag::Footnote) {
                    "<div class=\"footnote-list\">\n"
                } else {
                    "<div class=\"citation-list\">\n"
                });
                in_notes = note;
            }
            self.node(child);
        }
        if in_notes.is_some() {
            self.push("</div>\n");
        }
    }

    /// `<tag id=".." class="..">`, with the element's own classes plus `extra`.
    fn open(&mut self, tag: &str, e: &Element, extra: &str) {
        self.out.push('<');
        self.push(tag);
        self.id_class(e, extra);
        self.out.push('>');
    }

    fn id_class(&mut self, e: &Element, extra: &str) {
        if let Some(id) = e.ids.first() {
            self.push(" id=\"");
            self.text(id);
            self.out.push('"');
        }
        if !e.classes.is_empty() || !extra.is_empty() {
            self.push(" class=\"");
            self.text(extra);
            for (i, c) in e.classes.iter().enumerate() {
                if i > 0 || !extra.is_empty() {
                    self.out.push(' ');
                }
                self.text(c);
            }
            self.out.push('"');
        }
    }

    /// Ids beyond the first become empty anchors, as docutils writes them.
    fn extra_ids(&mut self, e: &Element) {
        for id in e.ids.iter().skip(1) {
            self.push("<span id=\"");
            self.text(id);
            self.push("\"></span>");
        }
    }

    fn close(&mut self, tag: &str) {
        self.push("</");
        self.push(tag);
        self.out.push('>');
    }

    fn wrap(&mut self, tag: &str, e: &Element, extra: &str) {
        self.open(tag, e, extra);
        self.extra_ids(e);
        self.children(e);
        self.close(tag);
    }

    fn block(&mut self, tag: &str, e: &Element, extra: &str) {
        self.wrap(tag, e, extra);
        self.out.push('\n');
    }

    /// A block holding blocks: its children start on their own line.
    fn container(&mut self, tag: &str, e: &Element, extra: &str) {
        self.open(tag, e, extra);
        self.out.push('\n');
        self.extra_ids(e);
        self.children(e);
        self.close(tag);
        self.out.push('\n');
    }

    fn element(&mut self, e: &Element) {
        match e.tag {
            _ if sphinx::handles(e, self.sphinx_page) => self.sphinx_element(e),
            // docutils' "Docutils System Messages" section: its messages
            // are diagnostics, so it would be an empty heading.
            Tag::Section if e.classes.iter().any(|c| c == "system-messages") => {}
            Tag::Section => self.section(e),
            Tag::Title => self.wrap("span", e, "title"),
            Tag::Subtitle => self.block("p", e, "subtitle"),
            Tag::Topic => self.topic(e),
            Tag::Sidebar => self.titled_block("aside", e, "sidebar", "sidebar-title"),
            Tag::Rubric => match e.get(Attr::Level).and_then(heading_tag) {
                // A Markdown heading inside a list or quote: still a heading.
                Some(tag) => self.block(tag, e, ""),
                None => self.block("p", e, "rubric"),
            },
            Tag::Transition => self.push("<hr class=\"docutils\">\n"),
            Tag::Docinfo => self.docinfo(e),
            Tag::Paragraph => self.block("p", e, ""),
            Tag::Compound => self.container("div", e, "compound"),
            Tag::Container => self.container("div", e, "docutils container"),
            Tag::BulletList => self.list("ul", e, ""),
            Tag::EnumeratedList => {
                let enumtype = e.get(Attr::Enumtype).unwrap_or("arabic");
                let class = match enumtype {
                    "loweralpha" | "upperalpha" | "lowerroman" | "upperroman" => enumtype,
                    _ => "arabic",
                };
                self.list("ol", e, class);
            }
            Tag::ListItem => {
                self.wrap("li", e, "");
                self.out.push('\n');
            }
            Tag::DefinitionList => self.container("dl", e, ""),
            Tag::DefinitionListItem => self.definition_list_item(e),
            Tag::Term => self.wrap("dt", e, ""),
            Tag::Classifier => {
                self.push(" <span class=\"classifier-delimiter\">:</span> ");
                self.wrap("span", e, "classifier");
            }
            Tag::Definition => self.block("dd", e, ""),
            Tag::FieldList => self.container("dl", e, "field-list simple"),
            Tag::Field => self.field(e),
            Tag::FieldName | Tag::FieldBody => self.children(e),
            Tag::OptionList => self.container("dl", e, "option-list"),
            Tag::OptionListItem => self.option_list_item(e),
            Tag::OptionGroup | Tag::Description => self.children(e),
            Tag::Option => self.wrap("span", e, "option"),
            Tag::OptionString => self.children(e),
            Tag::OptionArgument => {
                self.text(e.get(Attr::Delimiter).unwrap_or(" "));
                self.wrap("var", e, "");
            }
            Tag::LiteralBlock => self.literal_block(e, None),
            Tag::DoctestBlock => self.literal_block(e, Some("pycon")),
            Tag::MathBlock => self.block("pre", e, "math"),
            Tag::LineBlock => self.container("div", e, "line-block"),
            Tag::Line => {
                self.open("div", e, "line");
                if e.children.is_empty() {
                    self.push("<br>");
                }
                self.children(e);
                self.push("</div>\n");
            }
            Tag::BlockQuote => self.container("blockquote", e, ""),
            Tag::Attribution => {
                self.open("p", e, "attribution");
                self.push("—");
                self.children(e);
                self.push("</p>\n");
            }
            t if t.is_admonition() => self.admonition(e),
            Tag::Footnote | Tag::Citation => self.note(e),
            Tag::Label => self.wrap("span", e, "label"),
            Tag::FootnoteReference => {
                self.note_reference(e, "footnote-reference brackets", "doc-noteref")
            }
            Tag::CitationReference => self.note_reference(e, "citation-reference", "doc-biblioref"),
            Tag::Figure => self.figure(e),
            Tag::Caption => self.block("p", e, "caption"),
            Tag::Legend => self.container("div", e, "legend"),
            Tag::Table => self.table(e),
            Tag::Tgroup | Tag::Colspec | Tag::Thead | Tag::Tbody | Tag::Row | Tag::Entry => {
                // Only reachable from a malformed tree: the table renders these itself.
                self.children(e)
            }
            Tag::Image => self.image(e),
            Tag::Raw => {
                if e.get(Attr::Format)
                    .is_some_and(|f| f.split_whitespace().any(|f| f.eq_ignore_ascii_case("html")))
                {
                    self.push(&e.astext());
                }
            }
            Tag::Emphasis => self.wrap("em", e, ""),
            Tag::Strong => self.wrap("strong", e, ""),
            Tag::Literal => self.wrap("code", e, ""),
            Tag::Reference => self.reference(e),
            Tag::TitleReference => self.wrap("cite", e, ""),
            Tag::Abbreviation | Tag::Acronym => self.abbreviation(e),
            Tag::Superscript => self.wrap("sup", e, ""),
            Tag::Subscript => self.wrap("sub", e, ""),
            Tag::Math => self.wrap("span", e, "math"),
            Tag::Inline if e.classes.iter().any(|c| c == "strike") => self.wrap("del", e, ""),
            Tag::Inline => self.wrap("span", e, ""),
            Tag::LineBreak => self.push("<br>"),
            Tag::Problematic => self.wrap("span", e, "problematic"),
            Tag::Target => self.target(e),
            Tag::Generated | Tag::SubstitutionReference => {
                if e.classes.is_empty() && e.ids.is_empty() {
                    self.children(e)
                } else {
                    self.wrap("span", e, "")
                }
            }
            Tag::Author
            | Tag::Authors
            | Tag::Organization
            | Tag::Address
            | Tag::Contact
            | Tag::Version
            | Tag::Revision
            | Tag::Status
            | Tag::Date
            | Tag::Copyright => self.children(e),
            Tag::Document => self.children(e),
            // Not content: reported as diagnostics, consumed by transforms,
            // or document-level furniture the template owns.
            Tag::SystemMessage
            | Tag::Comment
            | Tag::SubstitutionDefinition
            | Tag::Pending
            | Tag::Meta
            | Tag::Decoration
            | Tag::Header
            | Tag::Footer => {}
            _ => self.children(e),
        }
    }

    fn section(&mut self, e: &Element) {
        self.depth += 1;
        self.open("section", e, "");
        self.out.push('\n');
        self.extra_ids(e);
        let mut skip = 0;
        if let Some(Node::Element(title)) = e.children.first()
            && title.tag == Tag::Title
        {
            skip = 1;
            self.heading(
                title,
                e.ids.first().map(String::as_str),
                e.get(Attr::KbgenSectionNumber),
            );
        }
        self.children_from(e, skip);
        self.push("</section>\n");
        self.depth -= 1;
    }

    /// `<hN>` for a section title: the section number of a `:numbered:`
    /// toctree first (Sphinx's `section-number` span), the text linking
    /// back to the table of contents entry (`refid`) as docutils does,
    /// and a permalink.
    fn heading(&mut self, title: &Element, section_id: Option<&str>, number: Option<&str>) {
        let level = (self.depth + 1).min(6);
        let tag = HEADINGS[level];
        self.open(tag, title, "");
        if let Some(number) = number {
            self.push("<span class=\"section-number\">");
            self.text(number);
            self.push("</span>");
        }
        match title.get(Attr::Refid) {
            Some(refid) => {
                self.push("<a class=\"toc-backref\" href=\"#");
                self.text(refid);
                self.push("\" role=\"doc-backlink\">");
                self.children(title);
                self.push("</a>");
            }
            None => self.children(title),
        }
        if let Some(id) = section_id {
            self.push("<a class=\"headerlink\" href=\"#");
            self.text(id);
            self.push("\" title=\"Permalink to this section\" aria-label=\"Permalink to this section\">¶</a>");
        }
        self.close(tag);
        self.out.push('\n');
    }

    fn topic(&mut self, e: &Element) {
        if e.classes.iter().any(|c| c == "contents") {
            self.push("<nav");
            self.id_class(e, "");
            self.push(" role=\"doc-toc\"");
            if let Some(title) = e.first(Tag::Title) {
                if let Some(id) = e.ids.first() {
                    self.push(" aria-labelledby=\"");
                    self.text(id);
                    self.push("-title\">\n<p class=\"topic-title\" id=\"");
                    self.text(id);
                    self.push("-title\">");
                } else {
                    self.push(">\n<p class=\"topic-title\">");
                }
                self.children(title);
                self.push("</p>\n");
            } else {
                self.push(" aria-label=\"Contents\">\n");
            }
            for child in e
                .children
                .iter()
                .filter(|c| c.as_element().is_none_or(|c| c.tag != Tag::Title))
            {
                self.node(child);
            }
            self.push("</nav>\n");
        } else {
            self.titled_block("aside", e, "topic", "topic-title");
        }
    }

    /// A block whose `title` child becomes `<p class="{title_class}">`.
    fn titled_block(&mut self, tag: &str, e: &Element, class: &str, title_class: &str) {
        self.open(tag, e, class);
        self.out.push('\n');
        self.extra_ids(e);
        for child in &e.children {
            match child {
                Node::Element(c) if c.tag == Tag::Title => {
                    self.push("<p class=\"");
                    self.push(title_class);
                    self.push("\">");
                    self.children(c);
                    self.push("</p>\n");
                }
                Node::Element(c) if c.tag == Tag::Subtitle => {
                    self.push("<p class=\"");
                    self.push(title_class.trim_end_matches("-title"));
                    self.push("-subtitle\">");
                    self.children(c);
                    self.push("</p>\n");
                }
                _ => self.node(child),
            }
        }
        self.close(tag);
        self.out.push('\n');
    }

    fn admonition(&mut self, e: &Element) {
        let kind = e.tag.name();
        self.open(
            "aside",
            e,
            if e.tag == Tag::Admonition {
                "admonition"
            } else {
                ADMONITION_CLASSES[admonition_index(e.tag)]
            },
        );
        self.out.push('\n');
        self.extra_ids(e);
        if e.tag != Tag::Admonition {
            self.push("<p class=\"admonition-title\">");
            let mut chars = kind.chars();
            if let Some(first) = chars.next() {
                self.out.push(first.to_ascii_uppercase());
                self.push(chars.as_str());
            }
            self.push("</p>\n");
        }
        for child in &e.children {
            match child {
                Node::Element(c) if c.tag == Tag::Title => {
                    self.push("<p class=\"admonition-title\">");
                    self.children(c);
                    self.push("</p>\n");
                }
                _ => self.node(child),
            }
        }
        self.push("</aside>\n");
    }
}

const HEADINGS: [&str; 7] = ["h1", "h1", "h2", "h3", "h4", "h5", "h6"];

/// `h1`…`h6` for a `level` attribute of 1 to 6.
fn heading_tag(level: &str) -> Option<&'static str> {
    match level.parse::<usize>() {
        Ok(n @ 1..=6) => Some(HEADINGS[n]),
        _ => None,
    }
}

const ADMONITION_CLASSES: [&str; 9] = [
    "admonition attention",
    "admonition caution",
    "admonition danger",
    "admonition error",
    "admonition important",
    "admonition note",
    "admonition tip",
    "admonition hint",
    "admonition warning",
];

fn admonition_index(tag: Tag) -> usize {
    match tag {
        Tag::Attention => 0,
        Tag::Caution => 1,
        Tag::Danger => 2,
        Tag::Error => 3,
        Tag::Important => 4,
        Tag::Note => 5,
        Tag::Tip => 6,
        Tag::Hint => 7,
        _ => 8,
    }
}

/// Elements that write nothing visible (docutils' `Invisible` nodes).
fn is_invisible(e: &Element) -> bool {
    matches!(
        e.tag,
        Tag::Comment | Tag::SubstitutionDefinition | Tag::Pending | Tag::SystemMessage | Tag::Meta
    ) || e.tag == Tag::Target && e.children.is_empty()
}

#[cfg(test)]
#[path = "html_tests.rs"]
mod tests;
