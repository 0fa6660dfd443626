//! Lists: bullet and enumerated lists ("simple" lists without `<p>`, as
//! docutils writes them), definition, field and option lists, the docinfo
//! block, and the plain table-of-contents list.

use crate::ast::Attr;
use crate::ast::{Element, Node, Tag};

use super::*;

impl Writer<'_, '_> {
    pub(super) fn docinfo(&mut self, e: &Element) {
        let shown: Vec<&Element> = e
            .elements()
            .filter(|f| {
                f.tag != Tag::Field
                    || !f.first(Tag::FieldName).is_some_and(|n| {
                        let name = n.astext().to_ascii_lowercase().replace(['_', ' '], "-");
                        METADATA_FIELDS.contains(&name.as_str())
                    })
            })
            .collect();
        if shown.is_empty() {
            return;
        }
        self.open("dl", e, "docinfo simple");
        self.out.push('\n');
        for item in shown {
            match item.tag {
                Tag::Field => self.field(item),
                tag => {
                    let name = tag.name();
                    self.push("<dt class=\"");
                    self.push(name);
                    self.push("\">");
                    let mut chars = name.chars();
                    if let Some(first) = chars.next() {
                        self.out.push(first.to_ascii_uppercase());
                        self.push(chars.as_str());
                    }
                    self.push("<span class=\"colon\">:</span></dt>\n");
                    self.open("dd", item, name);
                    self.children(item);
                    self.push("</dd>\n");
                }
            }
        }
        self.push("</dl>\n");
    }

    pub(super) fn field(&mut self, e: &Element) {
        self.open("dt", e, "");
        if let Some(name) = e.first(Tag::FieldName) {
            self.children(name);
        }
        self.push("<span class=\"colon\">:</span></dt>\n<dd>");
        if let Some(body) = e.first(Tag::FieldBody) {
            self.compact_body(body);
        }
        self.push("</dd>\n");
    }

    /// A body whose only child is a paragraph is written without `<p>`
    /// (docutils' "simple" field lists and list items).
    pub(super) fn compact_body(&mut self, body: &Element) {
        let mut blocks = body.elements().filter(|c| !is_invisible(c));
        match (blocks.next(), blocks.next()) {
            (Some(p), None) if p.tag == Tag::Paragraph && p.ids.is_empty() => self.children(p),
            _ => self.children(body),
        }
    }

    pub(super) fn list(&mut self, tag: &str, e: &Element, class: &str) {
        let simple = is_simple_list(e);
        let extra = match (class.is_empty(), simple) {
            (true, true) => "simple".to_string(),
            (true, false) => String::new(),
            (false, true) => format!("{class} simple"),
            (false, false) => class.to_string(),
        };
        self.open(tag, e, &extra);
        // `open` closed the tag; reopen it to add `start` when needed.
        if let Some(start) = e
            .get(Attr::Start)
            .filter(|s| *s != "1" && s.chars().all(|c| c.is_ascii_digit()))
        {
            self.out.pop();
            self.push(" start=\"");
            self.push(start);
            self.push("\">");
        }
        self.out.push('\n');
        for item in e.elements() {
            if item.tag != Tag::ListItem {
                self.element(item);
                continue;
            }
            self.open("li", item, "");
            self.extra_ids(item);
            let mut checkbox = task_checkbox(item);
            // Two paragraphs in a row keep their `<p>` (an RST item in a
            // list classed `compact`), so their words do not run together.
            let mut after_paragraph = false;
            for child in &item.children {
                let follows_paragraph = after_paragraph;
                if let Node::Element(c) = child
                    && !is_invisible(c)
                {
                    after_paragraph = c.tag == Tag::Paragraph;
                }
                match child {
                    Node::Element(p)
                        if simple
                            && !follows_paragraph
                            && p.tag == Tag::Paragraph
                            && p.ids.is_empty()
                            && p.classes.is_empty() =>
                    {
                        self.push(checkbox.take().unwrap_or(""));
                        self.children(p)
                    }
                    Node::Element(p) if checkbox.is_some() && p.tag == Tag::Paragraph => {
                        // A loose task item: the box starts its first paragraph.
                        self.open("p", p, "");
                        self.push(checkbox.take().unwrap_or(""));
                        self.children(p);
                        self.push("</p>\n");
                    }
                    _ => {
                        self.push(checkbox.take().unwrap_or(""));
                        self.node(child)
                    }
                }
            }
            self.push(checkbox.take().unwrap_or(""));
            self.push("</li>\n");
        }
        self.close(tag);
        self.out.push('\n');
    }

    /// The term and its classifiers (siblings in the doctree) share one `<dt>`.
    pub(super) fn definition_list_item(&mut self, e: &Element) {
        let mut in_dt = false;
        for child in &e.children {
            match child.as_element() {
                Some(term) if term.tag == Tag::Term => {
                    if in_dt {
                        self.push("</dt>\n");
                    }
                    self.open("dt", term, "");
                    self.extra_ids(term);
                    self.children(term);
                    in_dt = true;
                }
                Some(c) if c.tag == Tag::Classifier && in_dt => self.element(c),
                _ => {
                    if in_dt {
                        self.push("</dt>\n");
                        in_dt = false;
                    }
                    self.node(child);
                }
            }
        }
        if in_dt {
            self.push("</dt>\n");
        }
    }

    pub(super) fn option_list_item(&mut self, e: &Element) {
        self.push("<dt><kbd>");
        if let Some(group) = e.first(Tag::OptionGroup) {
            for (i, option) in group.elements().enumerate() {
                if i > 0 {
                    self.push(", ");
                }
                self.element(option);
            }
        }
        self.push("</kbd></dt>\n<dd>");
        if let Some(d) = e.first(Tag::Description) {
            self.compact_body(d);
        }
        self.push("</dd>\n");
    }

    pub(super) fn toc_list(&mut self, list: &Element) {
        self.push("<ul>\n");
        for item in list.elements().filter(|i| i.tag == Tag::ListItem) {
            self.push("<li>");
            for child in item.elements() {
                match child.tag {
                    Tag::Paragraph => {
                        for r in child.elements().filter(|r| r.tag == Tag::Reference) {
                            if let Some(id) = r.get(Attr::Refid) {
                                self.push("<a href=\"#");
                                self.text(id);
                                self.push("\">");
                                self.children(r);
                                self.push("</a>");
                            }
                        }
                    }
                    Tag::BulletList | Tag::EnumeratedList => self.toc_list(child),
                    _ => {}
                }
            }
            self.push("</li>\n");
        }
        self.push("</ul>\n");
    }
}

/// The disabled checkbox a Markdown task item (`- [x] …`) starts with.
fn task_checkbox(item: &Element) -> Option<&'static str> {
    item.classes.iter().find_map(|c| match c.as_str() {
        "task-done" => Some("<input type=\"checkbox\" disabled checked> "),
        "task-todo" => Some("<input type=\"checkbox\" disabled> "),
        _ => None,
    })
}

/// Whether a list is "simple" (written without `<p>` in its items), as
/// docutils' `is_compactable` decides: the classes `compact` and `open`
/// say so explicitly (Markdown's tight and loose lists carry them);
/// otherwise docutils' `SimpleListChecker`: every item holds at most one
/// paragraph, optionally followed by a nested simple list.
pub(super) fn is_simple_list(list: &Element) -> bool {
    if list.classes.iter().any(|c| c == "compact") {
        return true;
    }
    if list.classes.iter().any(|c| c == "open") {
        return false;
    }
    list.elements()
        .filter(|i| i.tag == Tag::ListItem)
        .all(|item| {
            let mut blocks: Vec<&Element> = item.elements().filter(|c| !is_invisible(c)).collect();
            if blocks.len() > 1
                && blocks[0].tag == Tag::Paragraph
                && matches!(
                    blocks[blocks.len() - 1].tag,
                    Tag::BulletList | Tag::EnumeratedList
                )
                && let Some(nested) = blocks.pop()
                && !is_simple_list(nested)
            {
                return false;
            }
            blocks.len() <= 1 && blocks.first().is_none_or(|b| b.tag == Tag::Paragraph)
        })
}
