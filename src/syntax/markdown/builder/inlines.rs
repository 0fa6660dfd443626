//! Inline content: text, code spans, math, emphasis and the other
//! markup, links, images, inline HTML, footnote references and task
//! list markers.

use crate::ast::Attr;
use pulldown_cmark::LinkType;

use crate::ast::ids::fully_normalize_name;
use crate::ast::{Element, Node, Span, Tag};
use crate::config::RawHtml;

use super::super::autolinks::has_mark;
use super::super::links::{Target, link_target};
use super::blocks::{is_comment, raw_html};
use super::{Builder, Kind};

impl Builder<'_> {
    /// Text goes to the open verbatim block or image alt text, else into
    /// the inline content (merged with the text before it).
    pub(super) fn text(&mut self, text: &str, span: Span) {
        if let Some(frame) = self.stack.last_mut()
            && matches!(frame.kind, Kind::Verbatim(_) | Kind::Image)
        {
            frame.collected.push_str(text);
            frame.collected_span = Some(frame.collected_span.map_or(span, |s| s.cover(span)));
            return;
        }
        self.ensure_inline(span);
        let in_link = || self.stack.iter().any(|f| f.element.tag == Tag::Reference);
        let bare_links = has_mark(text) && !in_link();
        let Some(frame) = self.stack.last_mut() else {
            return;
        };
        frame.bare_links |= bare_links;
        // Text merges with the text before it: the pending pieces, or a
        // text node the element already ends with.
        let span = match self.pending_span {
            Some(pending) => pending.cover(span),
            None => match frame.element.children.last() {
                Some(Node::Text(_)) => {
                    let Some(Node::Text(prev)) = frame.element.children.pop() else {
                        return;
                    };
                    self.pending.push_str(&prev.text);
                    prev.span.cover(span)
                }
                _ => span,
            },
        };
        self.pending.push_str(text);
        self.pending_span = Some(span);
    }

    /// A hard line break: the break element, then the line feed as text
    /// so the text of the paragraph (search, alt text) keeps the words apart.
    pub(super) fn line_break(&mut self, span: Span) {
        self.ensure_inline(span);
        self.append(Element::new(Tag::LineBreak, span).into());
        self.text("\n", span);
    }

    /// An element holding only text: a code span or math.
    pub(super) fn leaf(&mut self, tag: Tag, text: &str, span: Span) {
        self.ensure_inline(span);
        let mut leaf = Element::new(tag, span);
        leaf.push_text(text, span);
        self.append(leaf.into());
    }

    /// Opens inline markup (emphasis, strong, …) closed by its end event.
    pub(super) fn inline(&mut self, tag: Tag, span: Span) {
        self.ensure_inline(span);
        self.push(Element::new(tag, span), Kind::Inline);
    }

    /// docutils has no strike element; a classed `inline` is what a
    /// custom role would produce.
    pub(super) fn start_strikethrough(&mut self, span: Span) {
        self.inline(Tag::Inline, span);
        if let Some(frame) = self.stack.last_mut() {
            frame.element.classes.push("strike".into());
        }
    }

    pub(super) fn inline_html(&mut self, html: &str, span: Span) {
        match self.raw_html {
            RawHtml::Allow => {
                self.ensure_inline(span);
                self.append(raw_html(html, span).into());
            }
            RawHtml::Escape if is_comment(html) => {}
            RawHtml::Escape => self.text(html, span),
        }
    }

    pub(super) fn start_link(&mut self, link_type: LinkType, dest: &str, title: &str, span: Span) {
        self.ensure_inline(span);
        let mut reference = Element::new(Tag::Reference, span);
        let dest = if link_type == LinkType::Email && !dest.starts_with("mailto:") {
            format!("mailto:{dest}")
        } else {
            dest.to_string()
        };
        match link_target(&dest) {
            Target::Local(id) => reference.set(Attr::Refid, id),
            Target::Uri(uri) => reference.set(Attr::Refuri, uri),
        }
        if !title.is_empty() {
            reference.set(Attr::Reftitle, title);
        }
        self.push(reference, Kind::Inline);
    }

    pub(super) fn start_image(&mut self, dest: &str, title: &str, span: Span) {
        self.ensure_inline(span);
        let mut image = Element::new(Tag::Image, span);
        image.set(Attr::Uri, dest);
        if !title.is_empty() {
            image.set(Attr::Title, title);
        }
        self.push(image, Kind::Image);
    }

    /// The image's inline content, collected as text, is its alt text.
    pub(super) fn end_image(&mut self) {
        if let Some(mut frame) = self.pop_frame() {
            frame.element.set(Attr::Alt, frame.collected.trim());
            self.append(frame.element.into());
        }
    }

    /// Numbered and linked once the page is read (`number_footnotes`).
    pub(super) fn footnote_reference(&mut self, label: &str, span: Span) {
        self.has_footnotes = true;
        self.ensure_inline(span);
        let mut reference = Element::new(Tag::FootnoteReference, span);
        reference.set(Attr::Auto, "1");
        reference.set(Attr::Refname, fully_normalize_name(label));
        self.append(reference.into());
    }

    /// `[ ]` / `[x]` classes the item `task task-todo|task-done` and its
    /// list `task-list`.
    pub(super) fn task_marker(&mut self, done: bool) {
        let class = if done { "task-done" } else { "task-todo" };
        let Some(i) = self
            .stack
            .iter()
            .rposition(|f| f.element.tag == Tag::ListItem)
        else {
            return;
        };
        self.stack[i]
            .element
            .classes
            .extend(["task".to_string(), class.to_string()]);
        if i > 0 {
            let list = &mut self.stack[i - 1].element.classes;
            if !list.iter().any(|c| c == "task-list") {
                list.push("task-list".into());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::to_pseudoxml;

    fn build(text: &str, raw_html: RawHtml) -> Element {
        super::super::fed(text, raw_html).finish().0
    }

    #[test]
    fn image_alt_text_flattens_its_markup() {
        let doc = build("![a *b* `c`](p.png \"T\")\n", RawHtml::Escape);
        let image = doc
            .first(Tag::Paragraph)
            .and_then(|p| p.first(Tag::Image))
            .expect("image");
        assert_eq!(image.get(Attr::Alt), Some("a b c"));
        assert_eq!(image.get(Attr::Title), Some("T"));
        assert!(image.children.is_empty());
    }

    #[test]
    fn bare_links_are_linked_except_in_link_text_and_code() {
        let doc = build(
            "see www.a.org, `www.b.org` [www.c.org](https://d.org) *www.e.org*\n",
            RawHtml::Escape,
        );
        let dump = to_pseudoxml(&doc);
        assert!(dump.contains("refuri=\"http://www.a.org\""), "{dump}");
        assert!(!dump.contains("http://www.b.org"), "{dump}");
        assert!(!dump.contains("http://www.c.org"), "{dump}");
        assert!(dump.contains("refuri=\"http://www.e.org\""), "{dump}");
        let raw = build("<div>www.f.org</div>\n", RawHtml::Escape);
        assert!(!to_pseudoxml(&raw).contains("refuri"));
    }

    #[test]
    fn email_autolinks_get_mailto() {
        let doc = build("<a@b.org> and <https://x.org>\n", RawHtml::Escape);
        let dump = to_pseudoxml(&doc);
        assert!(dump.contains("refuri=\"mailto:a@b.org\""), "{dump}");
        assert!(dump.contains("refuri=\"https://x.org\""), "{dump}");
    }

    #[test]
    fn inline_html_is_text_raw_or_dropped() {
        let escaped = build("a <b>x</b> <!-- c -->\n", RawHtml::Escape);
        assert_eq!(escaped.astext(), "a <b>x</b> ");
        let allowed = build("a <b>x</b>\n", RawHtml::Allow);
        let dump = to_pseudoxml(&allowed);
        assert!(
            dump.contains("<raw format=\"html\" xml:space=\"preserve\">\n            <b>"),
            "{dump}"
        );
    }

    #[test]
    fn task_markers_class_the_item_and_the_list() {
        let doc = build("- [x] a\n- [ ] b\n", RawHtml::Escape);
        let list = doc.first(Tag::BulletList).expect("list");
        assert_eq!(list.classes, ["task-list", "compact"]);
        let items: Vec<&crate::ast::Names> = list.elements().map(|i| &i.classes).collect();
        assert_eq!(
            items,
            [
                &vec!["task".to_string(), "task-done".into()],
                &vec!["task".to_string(), "task-todo".into()]
            ]
        );
    }
}
