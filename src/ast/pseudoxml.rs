//! docutils' pseudo-XML (`document.pformat()`): one node per line, four
//! spaces per depth, attributes sorted by name, list values escaped with
//! `\` and joined by spaces, text split like Python's `str.splitlines()`.

use super::{Element, Node};

/// Dumps a tree exactly as `docutils --writer=pseudoxml` prints it.
pub fn to_pseudoxml(root: &Element) -> String {
    let mut out = String::with_capacity(4096);
    write_element(root, 0, &mut out);
    out
}

fn write_element(e: &Element, level: usize, out: &mut String) {
    if e.tag == super::Tag::Pending
        && let Some(lines) = super::pending_details::internals(e)
    {
        indent(level, out);
        out.push_str("<pending>\n");
        for child in e.elements() {
            write_element(child, level + 1, out);
        }
        for line in lines {
            indent(level + 1, out);
            out.push_str(&line);
            out.push('\n');
        }
        return;
    }
    indent(level, out);
    out.push('<');
    out.push_str(e.tag.name());
    let mut attrs: Vec<(&str, String)> = Vec::with_capacity(e.attrs.len() + 5);
    for (name, list) in [
        ("backrefs", &e.backrefs),
        ("classes", &e.classes),
        ("dupnames", &e.dupnames),
        ("ids", &e.ids),
        ("names", &e.names),
    ] {
        if !list.is_empty() {
            attrs.push((name, escape_list(list)));
        }
    }
    for (name, value) in &e.attrs {
        // An option signature's program and the page's explicit names are
        // for the project-wide step (Sphinx keeps them in its domain data
        // and `document.nametypes`, not on nodes).
        if *name == super::AttrName::Known(super::Attr::KbgenProgram)
            || *name == super::AttrName::Known(super::Attr::KbgenLabels)
            || *name == super::AttrName::Known(super::Attr::KbgenObject)
        {
            continue;
        }
        attrs.push((name.as_str(), value.clone()));
    }
    attrs.sort_by(|a, b| a.0.cmp(b.0));
    for (name, value) in attrs {
        out.push(' ');
        out.push_str(name);
        out.push_str("=\"");
        out.push_str(&value);
        out.push('"');
    }
    out.push_str(">\n");
    for child in &e.children {
        match child {
            // Page metadata Sphinx takes off the page is not part of its doctree.
            Node::Element(c) if c.tag == super::Tag::Sphinx(super::SphinxTag::Metadata) => {}
            Node::Element(c) => write_element(c, level + 1, out),
            Node::Text(t) => {
                for line in crate::python_text::splitlines(&t.text) {
                    indent(level + 1, out);
                    out.push_str(line);
                    out.push('\n');
                }
            }
        }
    }
}

fn indent(level: usize, out: &mut String) {
    for _ in 0..level {
        out.push_str("    ");
    }
}

/// docutils' `serial_escape`: `\` → `\\`, space → `\ `, items joined by spaces.
fn escape_list(items: &[String]) -> String {
    let mut s = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        for c in item.chars() {
            match c {
                '\\' => s.push_str("\\\\"),
                ' ' => s.push_str("\\ "),
                c => s.push(c),
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::Attr;
    use crate::ast::{Span, Tag};

    #[test]
    fn prints_like_docutils() {
        let mut doc = Element::new(Tag::Document, Span::default());
        doc.set(Attr::Source, "x.rst");
        let mut sec = Element::new(Tag::Section, Span::default());
        sec.ids.push("hello-world".into());
        sec.names.push("hello world!".into());
        let mut p = Element::new(Tag::Paragraph, Span::default());
        p.push_text("a\n\nb", Span::default());
        sec.push(p);
        doc.push(sec);
        assert_eq!(
            to_pseudoxml(&doc),
            "<document source=\"x.rst\">\n    <section ids=\"hello-world\" names=\"hello\\ world!\">\n        <paragraph>\n            a\n            \n            b\n"
        );
    }
}
