//! Block elements: headings (document title, sections, rubrics), code and
//! HTML blocks, front matter, lists and footnote definitions.

use crate::ast::Attr;
use pulldown_cmark::{CodeBlockKind, CowStr, HeadingLevel};

use crate::ast::ids::{fully_normalize_name, make_id};
use crate::ast::{Element, Span, Tag};
use crate::config::RawHtml;

use super::super::front_matter::{FrontField, Problem};
use super::{Builder, Kind, Verbatim};

impl Builder<'_> {
    pub(super) fn start_heading(
        &mut self,
        level: HeadingLevel,
        id: Option<&str>,
        classes: &[CowStr<'_>],
        span: Span,
    ) {
        self.close_implicit();
        let level = heading_level(level);
        if self.at_section_level() {
            while matches!(self.top_kind(), Kind::Section(l) if *l >= level) {
                self.pop();
            }
        }
        let kind = Kind::Heading {
            level,
            id: id.map(str::to_string),
            classes: classes.iter().map(|c| c.to_string()).collect(),
        };
        self.push(Element::new(Tag::Title, span), kind);
    }

    /// A finished heading becomes the document title (the first heading
    /// before any content), a section, or a rubric inside a container.
    pub(super) fn end_heading(&mut self) {
        if !matches!(self.top_kind(), Kind::Heading { .. }) {
            return;
        }
        let Some(frame) = self.pop_frame() else {
            return;
        };
        let Kind::Heading { level, id, classes } = frame.kind else {
            return;
        };
        let mut title = frame.element;
        let text = title.astext();
        if self.first_heading.is_none() {
            self.first_heading = Some(text.clone());
        }
        if !self.at_section_level() {
            // A heading inside a list or quote cannot open a section: a
            // rubric, with the level it has in the page's outline where
            // it stands (the level it would have as a section there,
            // counting the page title as 1), so it is still written as one.
            title.tag = Tag::Rubric;
            title.classes.extend(classes);
            let outer = self
                .stack
                .iter()
                .filter(|f| matches!(f.kind, Kind::Section(l) if l < level))
                .count();
            title.set(Attr::Level, (outer + 2).min(6).to_string());
            if let Some(id) = id {
                let id = self.unique_id(&id);
                title.ids.push(id);
            }
            self.append(title.into());
            return;
        }
        if !self.has_title && !self.content_seen {
            self.has_title = true;
            self.content_seen = true;
            let id = self.unique_id(id.as_deref().unwrap_or(&make_id(&text)));
            let doc = &mut self.stack[0].element;
            doc.ids.push(id);
            doc.names.push(fully_normalize_name(&text));
            doc.classes.extend(classes);
            doc.set(Attr::Title, text);
            self.names.extend(doc.names.iter().cloned());
            // The title goes first, before docinfo and any content.
            self.stack[0].element.children.insert(0, title.into());
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
        section.classes = classes.into();
        section.push(title);
        self.push(section, Kind::Section(level));
    }

    pub(super) fn start_code(&mut self, kind: &CodeBlockKind<'_>, span: Span) {
        self.block_start();
        let mut block = Element::new(Tag::LiteralBlock, span);
        if let CodeBlockKind::Fenced(info) = kind {
            block.classes.push("code".into());
            if let Some(lang) = fence_language(info) {
                block.classes.push(lang);
            }
        }
        block.set(Attr::XmlSpace, "preserve");
        self.push(block, Kind::Verbatim(Verbatim::Code));
    }

    pub(super) fn end_code(&mut self, span: Span) {
        let Some(frame) = self.pop_frame() else {
            return;
        };
        let mut block = frame.element;
        let mut code = frame.collected;
        if code.ends_with('\n') {
            code.pop();
        }
        // The span covers the content's source lines (not the fences), so
        // a problem found in the code maps line by line into the page.
        let content = match frame.collected_span {
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
        block.span = content;
        block.push_text(code, content);
        self.append(block.into());
    }

    pub(super) fn end_html(&mut self) {
        let Some(frame) = self.pop_frame() else {
            return;
        };
        let span = frame.element.span;
        let mut html = frame.collected;
        while html.ends_with('\n') {
            html.pop();
        }
        let block = match self.raw_html {
            RawHtml::Allow => {
                // The block's last line ends with a line feed, which
                // matters when the HTML left a `<pre>` open.
                html.push('\n');
                raw_html(html, span)
            }
            RawHtml::Escape if is_comment(&html) => {
                let mut comment = Element::new(Tag::Comment, span);
                comment.set(Attr::XmlSpace, "preserve");
                comment.push_text(html, span);
                comment
            }
            RawHtml::Escape => {
                // Shown as text: the reader sees the markup, no script runs.
                let mut para = Element::new(Tag::Paragraph, span);
                para.classes.push("raw-html".into());
                para.push_text(html, span);
                para
            }
        };
        self.append(block.into());
    }

    /// The page's front matter, read before its events: a title there
    /// keeps the first heading a section.
    pub fn front_matter(&mut self, fields: Vec<FrontField>, problems: Vec<Problem>) {
        if fields.iter().any(|f| f.key == "title") {
            self.has_title = true;
        }
        self.front.extend(fields);
        self.problems.extend(problems);
    }

    pub(super) fn start_list(&mut self, start: Option<u64>, span: Span) {
        self.block_start();
        let marker = self.list_marker_at(span.start as usize);
        let list = match start {
            Some(n) => {
                let mut list = Element::new(Tag::EnumeratedList, span);
                list.set(Attr::Enumtype, "arabic");
                list.set(Attr::Prefix, "");
                list.set(Attr::Suffix, if marker == Some(')') { ")" } else { "." });
                if n != 1 {
                    list.set(Attr::Start, n.to_string());
                }
                list
            }
            None => {
                let mut list = Element::new(Tag::BulletList, span);
                list.set(Attr::Bullet, marker.unwrap_or('-').to_string());
                list
            }
        };
        self.push(list, Kind::List { loose: false });
    }

    /// A paragraph spelled out directly in a list item makes its list loose.
    pub(super) fn note_loose_list(&mut self) {
        let n = self.stack.len();
        if n >= 2
            && self.stack[n - 1].element.tag == Tag::ListItem
            && let Kind::List { loose } = &mut self.stack[n - 2].kind
        {
            *loose = true;
        }
    }

    /// Closes a list, classed as docutils' explicit list classes say:
    /// `open` (loose: paragraphs written as `<p>`) or `compact` (tight),
    /// which the HTML writer honours as docutils' does.
    pub(super) fn end_list(&mut self) {
        self.close_implicit();
        if let Some(frame) = self.stack.last_mut()
            && let Kind::List { loose } = frame.kind
        {
            let class = if loose { "open" } else { "compact" };
            frame.element.classes.push(class.into());
            self.pop();
        }
    }

    /// A footnote definition; numbered later, in order of first reference.
    pub(super) fn start_footnote(&mut self, label: &str, span: Span) {
        self.has_footnotes = true;
        self.block_start();
        let mut footnote = Element::new(Tag::Footnote, span);
        footnote.set(Attr::Auto, "1");
        let id = self.unique_id(&make_id(&format!("footnote {label}")));
        footnote.ids.push(id);
        footnote.names.push(fully_normalize_name(label));
        self.push(footnote, Kind::Block);
    }

    /// The list marker character at the start of a list (`-`, `*`, `+`,
    /// or `.` / `)` after the number).
    fn list_marker_at(&self, start: usize) -> Option<char> {
        let rest = self.text.get(start..)?;
        let rest = rest.trim_start_matches([' ', '\t', '>']);
        let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
        rest.chars().next()
    }
}

/// `raw format="html"`: HTML the site's settings allow through.
pub(super) fn raw_html(html: impl Into<String>, span: Span) -> Element {
    let mut raw = Element::new(Tag::Raw, span);
    raw.set(Attr::Format, "html");
    raw.set(Attr::XmlSpace, "preserve");
    raw.push_text(html, span);
    raw
}

/// The language of a fence's info string (```` ```xml ````,
/// ```` ```{.xml} ````), lower-cased; `None` when it names none.
fn fence_language(info: &str) -> Option<String> {
    let lang = info
        .split_whitespace()
        .next()?
        .trim_start_matches('{')
        .trim_start_matches('.')
        .trim_end_matches('}');
    (!lang.is_empty()).then(|| lang.to_ascii_lowercase())
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
pub(super) fn is_comment(html: &str) -> bool {
    let t = html.trim();
    t.len() >= 7
        && t.starts_with("<!--")
        && t.ends_with("-->")
        && t[4..].find("-->") == Some(t.len() - 7)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fence_language_reads_plain_and_braced_info_strings() {
        assert_eq!(fence_language("xml").as_deref(), Some("xml"));
        assert_eq!(fence_language("{.XML} title").as_deref(), Some("xml"));
        assert_eq!(fence_language("Rust ignore").as_deref(), Some("rust"));
        assert_eq!(fence_language(""), None);
        assert_eq!(fence_language("{}"), None);
    }

    #[test]
    fn is_comment_accepts_one_whole_comment_only() {
        assert!(is_comment("<!-- note -->"));
        assert!(is_comment("  <!---->\n"));
        assert!(!is_comment("<!-- a --> b"));
        assert!(!is_comment("<!-- a --> <!-- b -->"));
        assert!(!is_comment("<!-->"));
        assert!(!is_comment("<b>"));
    }

    #[test]
    fn list_marker_is_read_after_indent_quotes_and_digits() {
        let text = "> 12) x\n";
        let builder = Builder::new(text, "t.md", RawHtml::Escape);
        assert_eq!(builder.list_marker_at(0), Some(')'));
        assert_eq!(builder.list_marker_at(text.len()), None);
    }
}
