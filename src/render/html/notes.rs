//! Footnotes and citations (`<aside role="doc-footnote">` with backlinks)
//! and the references to them, as docutils' html5 writer writes them.

use crate::ast::Attr;
use crate::ast::{Element, Tag};

use super::*;

impl Writer<'_, '_> {
    pub(super) fn note(&mut self, e: &Element) {
        let is_footnote = e.tag == Tag::Footnote;
        self.push("<aside");
        self.id_class(
            e,
            if is_footnote {
                "footnote brackets"
            } else {
                "citation"
            },
        );
        self.push(if is_footnote {
            " role=\"doc-footnote\">\n"
        } else {
            " role=\"doc-biblioentry\">\n"
        });
        self.extra_ids(e);
        let label = e.first(Tag::Label);
        self.push("<span class=\"label\"><span class=\"fn-bracket\">[</span>");
        match (e.backrefs.as_slice(), label) {
            ([single], Some(label)) => {
                self.push("<a role=\"doc-backlink\" href=\"#");
                self.text(single);
                self.push("\">");
                self.children(label);
                self.push("</a>");
            }
            (_, Some(label)) => self.children(label),
            (_, None) => {}
        }
        self.push("<span class=\"fn-bracket\">]</span></span>\n");
        if e.backrefs.len() > 1 {
            self.push("<span class=\"backrefs\">(");
            for (i, r) in e.backrefs.iter().enumerate() {
                if i > 0 {
                    self.push(",");
                }
                self.push("<a role=\"doc-backlink\" href=\"#");
                self.text(r);
                self.push("\">");
                self.push(&(i + 1).to_string());
                self.push("</a>");
            }
            self.push(")</span>\n");
        }
        for child in &e.children {
            if child.as_element().is_some_and(|c| c.tag == Tag::Label) {
                continue;
            }
            self.node(child);
        }
        self.push("</aside>\n");
    }

    pub(super) fn note_reference(&mut self, e: &Element, class: &str, role: &str) {
        self.push("<a");
        self.id_class(e, class);
        if let Some(refid) = e.get(Attr::Refid) {
            self.push(" href=\"#");
            self.text(refid);
            self.out.push('"');
        }
        self.push(" role=\"");
        self.push(role);
        self.push("\"><span class=\"fn-bracket\">[</span>");
        self.children(e);
        self.push("<span class=\"fn-bracket\">]</span></a>");
    }
}
