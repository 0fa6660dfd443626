//! Code blocks (`<pre>` with highlighting and the validated-example badge),
//! figures and images.

use crate::ast::Attr;
use crate::ast::{Element, Tag};

use super::*;

impl Writer<'_, '_> {
    pub(super) fn literal_block(&mut self, e: &Element, default_language: Option<&str>) {
        let code = e.text_cow();
        // `.. code:: xml` gives classes `code xml`; other classes are the author's.
        let declared = if e.classes.first().is_some_and(|c| c == "code") {
            e.classes.get(1).map(String::as_str)
        } else {
            None
        };
        // A parsed literal (`parsed-literal`) keeps its inline markup and
        // links, unhighlighted, as docutils and Sphinx write it.
        let parsed = e.children.iter().any(|c| c.as_element().is_some());
        let language = declared
            .or(default_language)
            .or_else(|| guess_language(&code))
            .filter(|_| !parsed);
        let highlighted = language.and_then(|l| self.ctx.highlighter.highlight(&code, l));
        let badge = e.get(Attr::KbgenSchema);
        if let Some(schema) = badge {
            self.push("<div class=\"code-block validated\">\n<p class=\"code-badge\" title=\"This example was validated against its schema at build time\">✓ validated: ");
            self.text(schema);
            self.push("</p>\n");
        }
        self.push("<pre");
        if let Some(id) = e.ids.first() {
            self.push(" id=\"");
            self.text(id);
            self.out.push('"');
        }
        self.push(" class=\"");
        for c in &e.classes {
            self.text(c);
            self.out.push(' ');
        }
        if declared.is_none()
            && let Some(lang) = language
        {
            self.push("code ");
            self.text(lang);
            self.out.push(' ');
        }
        self.push(if e.tag == Tag::DoctestBlock {
            "doctest-block"
        } else {
            "literal-block"
        });
        self.push("\" tabindex=\"0\"><code>");
        match highlighted {
            _ if parsed => self.children(e),
            Some(html) => self.push(&html),
            None => self.text(&code),
        }
        self.push("</code></pre>\n");
        if badge.is_some() {
            self.push("</div>\n");
        }
    }

    pub(super) fn figure(&mut self, e: &Element) {
        let align = e
            .get(Attr::Align)
            .filter(|a| matches!(*a, "left" | "right" | "center"));
        let class = align.map(|a| format!("align-{a}")).unwrap_or_default();
        self.open("figure", e, &class);
        self.out.push('\n');
        self.extra_ids(e);
        let mut in_caption = false;
        for child in &e.children {
            let is_caption = child
                .as_element()
                .is_some_and(|c| matches!(c.tag, Tag::Caption | Tag::Legend));
            if is_caption && !in_caption {
                self.push("<figcaption>\n");
                in_caption = true;
            }
            match child.as_element() {
                Some(c) if self.sphinx_page && c.tag == Tag::Caption => {
                    self.push("<p>");
                    self.sphinx_caption(c, e, "Link to this image");
                    self.push("</p>\n");
                }
                _ => self.node(child),
            }
        }
        if in_caption {
            self.push("</figcaption>\n");
        }
        self.push("</figure>\n");
    }

    pub(super) fn image(&mut self, e: &Element) {
        let uri = e.get(Attr::Uri).unwrap_or("");
        let align = e.get(Attr::Align).filter(|a| {
            matches!(
                *a,
                "left" | "right" | "center" | "top" | "middle" | "bottom"
            )
        });
        let class = align.map(|a| format!("align-{a}")).unwrap_or_default();
        self.push("<img");
        if !uri.is_empty() && !is_dangerous_uri(uri)
            || uri
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("data:image/")
        {
            self.push(" src=\"");
            self.text(uri);
            self.out.push('"');
        }
        self.push(" alt=\"");
        self.text(e.get(Attr::Alt).unwrap_or(uri));
        self.out.push('"');
        for dim in [Attr::Width, Attr::Height] {
            if let Some(v) = e.get(dim).filter(|v| v.chars().all(|c| c.is_ascii_digit())) {
                self.out.push(' ');
                self.push(dim.name());
                self.push("=\"");
                self.push(v);
                self.out.push('"');
            }
        }
        self.title_attribute(e.get(Attr::Title));
        self.id_class(e, &class);
        self.push(" loading=\"lazy\">");
    }
}
