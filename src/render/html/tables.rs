//! Tables: `<table>` with a caption, a `<colgroup>` from the colspecs, and
//! colspan/rowspan from docutils' `morecols`/`morerows`, inside a wrapper
//! that scrolls horizontally on narrow screens.

use crate::ast::Attr;
use crate::ast::{Element, Tag};

use super::*;

impl Writer<'_, '_> {
    pub(super) fn table(&mut self, e: &Element) {
        let align = e
            .get(Attr::Align)
            .filter(|a| matches!(*a, "left" | "right" | "center"));
        let class = match align {
            Some(a) => format!("docutils align-{a}"),
            None => "docutils".to_string(),
        };
        self.push("<div class=\"table-wrapper\" tabindex=\"0\">\n");
        self.open("table", e, &class);
        self.out.push('\n');
        if let Some(title) = e.first(Tag::Title) {
            self.push("<caption>");
            if self.sphinx_page {
                self.sphinx_caption(title, e, "Link to this table");
            } else {
                self.children(title);
            }
            self.push("</caption>\n");
        }
        for group in e.elements().filter(|g| g.tag == Tag::Tgroup) {
            self.tgroup(group);
        }
        self.push("</table>\n</div>\n");
    }

    pub(super) fn tgroup(&mut self, group: &Element) {
        let colspecs: Vec<&Element> = group.elements().filter(|c| c.tag == Tag::Colspec).collect();
        let widths: Vec<u64> = colspecs
            .iter()
            .map(|c| {
                c.get(Attr::Colwidth)
                    .and_then(|w| w.parse::<f64>().ok())
                    .map_or(1, |w| w.max(0.0) as u64)
            })
            .collect();
        let total: u64 = widths.iter().sum();
        let auto = colspecs
            .iter()
            .any(|c| c.classes.iter().any(|k| k == "colwidths-auto"));
        if !colspecs.is_empty() && total > 0 && !auto {
            self.push("<colgroup>\n");
            for w in &widths {
                self.push("<col style=\"width: ");
                self.push(&(w * 100 / total).to_string());
                self.push("%\">\n");
            }
            self.push("</colgroup>\n");
        }
        let stubs: Vec<bool> = colspecs
            .iter()
            .map(|c| c.get(Attr::Stub).is_some_and(|s| s != "0"))
            .collect();
        for part in group.elements() {
            let (tag, head) = match part.tag {
                Tag::Thead => ("thead", true),
                Tag::Tbody => ("tbody", false),
                _ => continue,
            };
            self.open(tag, part, "");
            self.out.push('\n');
            for row in part.elements().filter(|r| r.tag == Tag::Row) {
                self.open("tr", row, "");
                let mut col = 0usize;
                for entry in row.elements().filter(|c| c.tag == Tag::Entry) {
                    let cell = if head || stubs.get(col).copied().unwrap_or(false) {
                        "th"
                    } else {
                        "td"
                    };
                    self.out.push('<');
                    self.push(cell);
                    self.id_class(entry, if cell == "th" && !head { "stub" } else { "" });
                    let morecols = span_attr(entry, Attr::Morecols);
                    let morerows = span_attr(entry, Attr::Morerows);
                    if morecols > 0 {
                        self.push(" colspan=\"");
                        self.push(&(morecols + 1).to_string());
                        self.out.push('"');
                    }
                    if morerows > 0 {
                        self.push(" rowspan=\"");
                        self.push(&(morerows + 1).to_string());
                        self.out.push('"');
                    }
                    self.out.push('>');
                    self.compact_body(entry);
                    self.close(cell);
                    col += morecols as usize + 1;
                }
                self.push("</tr>\n");
            }
            self.close(tag);
            self.out.push('\n');
        }
    }
}

pub(super) fn span_attr(e: &Element, name: Attr) -> u32 {
    e.get(name)
        .and_then(|v| v.parse::<u32>().ok())
        .unwrap_or(0)
        .min(1000)
}
