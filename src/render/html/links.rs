//! References, abbreviations and targets: the inline elements that link or
//! anchor, with dangerous URIs written as plain text.

use crate::ast::Attr;
use crate::ast::Element;

use super::*;

impl Writer<'_, '_> {
    pub(super) fn reference(&mut self, e: &Element) {
        // `internal`: a Sphinx cross-reference resolved to another page.
        let internal = e.get(Attr::Internal) == Some("1");
        let (href, class, fragment) = if let Some(uri) = e.get(Attr::Refuri) {
            if is_dangerous_uri(uri) {
                // Not a live link; the link checker reports it.
                self.children(e);
                return;
            }
            match internal {
                true => (uri, "reference internal", false),
                false => (uri, "reference external", false),
            }
        } else if let Some(id) = e.get(Attr::Refid) {
            (id, "reference internal", true)
        } else {
            // Unresolved (`refname` only): the parser reported it; keep the text.
            self.children(e);
            return;
        };
        self.push("<a");
        self.id_class(e, class);
        self.push(" href=\"");
        if fragment {
            self.out.push('#');
        }
        self.text(href);
        self.out.push('"');
        self.title_attribute(e.get(Attr::Reftitle));
        self.out.push('>');
        self.children(e);
        self.push("</a>");
    }

    /// ` title="…"` of a Markdown link or image that has one.
    pub(super) fn title_attribute(&mut self, title: Option<&str>) {
        if let Some(title) = title {
            self.push(" title=\"");
            self.text(title);
            self.out.push('"');
        }
    }

    pub(super) fn abbreviation(&mut self, e: &Element) {
        self.push("<abbr");
        self.id_class(e, "");
        if let Some(title) = e.get(Attr::Explanation) {
            self.push(" title=\"");
            self.text(title);
            self.out.push('"');
        }
        self.out.push('>');
        self.children(e);
        self.push("</abbr>");
    }

    /// Internal targets keep their ids as anchors; external ones are
    /// resolved into references and write nothing.
    pub(super) fn target(&mut self, e: &Element) {
        let external = e.get(Attr::Refuri).is_some()
            || e.get(Attr::Refid).is_some()
            || e.get(Attr::Refname).is_some();
        if e.ids.is_empty() || external && e.children.is_empty() {
            self.children(e);
            return;
        }
        self.open("span", e, "target");
        self.extra_ids(e);
        self.children(e);
        self.push("</span>");
    }
}
