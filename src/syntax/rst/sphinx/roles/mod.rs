//! Sphinx's roles. Text roles (`:file:`, `:kbd:`, `:menuselection:` …)
//! become their final nodes; cross-reference roles (`:ref:`, `:doc:`,
//! `:option:`, `:c:func:` …) become Sphinx's `pending_xref` node with its
//! pre-resolution attributes and content, which the project-level
//! resolver turns into a reference.

mod numbered;
mod text;
mod xref;

use crate::ast::{Attr, Element, Node, Span, SphinxAttr, SphinxTag, Tag};

use super::super::doc::Doc;
use super::super::inline::unescape;
use super::{flag, set};

/// What a role made: nodes, or an error message (level, text) for a
/// `problematic` node.
pub type RoleResult = Result<Vec<Node>, (crate::diag::Severity, String)>;

/// The text of a role as a reference role sees it.
struct RefText {
    explicit: bool,
    title: String,
    target: String,
}

/// Sphinx's `explicit_title_re` on the escaped text: `title <target>`,
/// the `<` not backslash-escaped.
fn split_title(escaped: &str) -> RefText {
    if let Some(body) = escaped.strip_suffix('>')
        && let Some(lt) = body.rfind('<')
        && lt > 0
        && !body[..lt].ends_with('\0')
        && !body[lt + 1..].contains('<')
    {
        let title = body[..lt].trim_end();
        if !title.is_empty() {
            return RefText {
                explicit: true,
                title: unescape(title),
                target: unescape(&body[lt + 1..]),
            };
        }
    }
    RefText {
        explicit: false,
        title: unescape(escaped),
        target: unescape(escaped),
    }
}

/// A `pending_xref` with Sphinx's attributes (its content is added by the caller).
pub fn pending_xref(
    doc: &Doc,
    domain: &str,
    reftype: &str,
    target: &str,
    explicit: bool,
) -> Element {
    let mut x = Element::new(Tag::PendingXref, Span::default());
    let docname = doc.sphinx.as_deref().map_or("", |s| s.docname.as_str());
    x.set(Attr::Refdoc, docname);
    x.set(Attr::Refdomain, domain);
    x.set(Attr::Reftype, reftype);
    x.set(Attr::Reftarget, target);
    x.set(Attr::Refexplicit, flag(explicit));
    x
}

/// Runs a Sphinx role; `None` when `name` is not one of Sphinx's.
pub fn role(
    doc: &mut Doc,
    name: &str,
    classes: &[String],
    escaped: &str,
    span: Span,
    tspan: Span,
) -> Option<RoleResult> {
    let text = unescape(escaped);
    let with_classes = |tag: Tag, own: &str| {
        let mut n = Element::new(tag, span);
        n.classes.push(own.to_string());
        n.classes.extend(classes.iter().cloned());
        n
    };
    let simple = |tag: Tag| {
        let mut n = with_classes(tag, name);
        n.push_text(text.clone(), tspan);
        Ok(vec![n.into()])
    };
    Some(match name {
        "command" | "makevar" | "program" => simple(Tag::Sphinx(SphinxTag::LiteralStrong)),
        "mailheader" | "mimetype" | "newsgroup" => simple(Tag::Sphinx(SphinxTag::LiteralEmphasis)),
        "dfn" => simple(Tag::Emphasis),
        "regexp" => simple(Tag::Literal),
        "code" => {
            // Sphinx's `code_role`: docutils' node plus an empty `language`.
            let mut n = with_classes(Tag::Literal, "code");
            n.set(Attr::Language, "");
            n.push_text(text.clone(), tspan);
            Ok(vec![n.into()])
        }
        "file" | "samp" => {
            let mut n = with_classes(Tag::Literal, name);
            n.set_named("role", name);
            n.children = text::emphasized_literal(&text, tspan);
            Ok(vec![n.into()])
        }
        "kbd" => Ok(text::keyboard(&text, classes, tspan)),
        "abbr" => {
            let mut n = Element::new(Tag::Abbreviation, span);
            n.classes.extend(classes.iter().cloned());
            match text
                .strip_suffix(')')
                .and_then(|t| t.find('(').map(|i| (t, i)))
            {
                Some((t, i)) => {
                    n.set(Attr::Explanation, t[i + 1..].to_string());
                    n.push_text(t[..i].trim(), tspan);
                }
                None => n.push_text(text.clone(), tspan),
            }
            Ok(vec![n.into()])
        }
        "guilabel" | "menuselection" => {
            let shown = if name == "menuselection" {
                text.replace("-->", "\u{2023}")
            } else {
                text.clone()
            };
            let mut n = with_classes(Tag::Inline, name);
            set(
                &mut n,
                SphinxAttr::Rawtext,
                format!(":{name}:`{}`", super::super::inline::restore(escaped)),
            );
            n.children = text::accelerators(&shown, tspan);
            Ok(vec![n.into()])
        }
        "manpage" => Ok(vec![
            text::manpage(
                doc,
                &split_title(escaped),
                escaped.starts_with('!'),
                span,
                tspan,
            )
            .into(),
        ]),
        "pep" | "rfc" | "cve" | "cwe" => {
            numbered::numbered_reference(doc, name, &split_title(escaped), span, tspan)
        }
        "index" => numbered::index_role(doc, &split_title(escaped), span, tspan),
        n => match xref::xref_kind(n) {
            Some((domain, reftype)) => Ok(xref::xref(doc, domain, reftype, escaped, span, tspan)),
            None => return None,
        },
    })
}

/// Sphinx's unresolved form of a cross-reference: the content alone, as
/// Sphinx leaves it when no target is found (what a page shows until the
/// project-level resolver replaces the `pending_xref`).
pub fn unresolved(e: &mut Element) {
    let mut i = 0;
    while i < e.children.len() {
        if let Node::Element(c) = &mut e.children[i]
            && c.tag == Tag::PendingXref
        {
            let kids = std::mem::take(&mut c.children);
            e.children.splice(i..=i, kids);
            continue;
        }
        if let Node::Element(c) = &mut e.children[i] {
            unresolved(c);
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_split_like_sphinx() {
        let t = split_title("Foo bar <foo>");
        assert!(t.explicit);
        assert_eq!((t.title.as_str(), t.target.as_str()), ("Foo bar", "foo"));
        assert!(!split_title("a \0<b>").explicit);
    }
}
