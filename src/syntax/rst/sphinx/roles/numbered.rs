//! Roles that add an index entry and its `index-N` target: `:pep:`,
//! `:rfc:`, `:cve:`, `:cwe:` (with their external link) and `:index:`.

use crate::ast::{Attr, Element, Node, Span, Tag};

use super::super::super::doc::Doc;
use super::super::index::{IndexEntry, index_node, parse_entry};
use super::{RefText, RoleResult};

/// A new `index-N` target registered on the page.
pub(super) fn index_target(doc: &mut Doc, span: Span) -> (String, Element) {
    let n = doc.sphinx.as_deref_mut().map_or(0, |s| s.serial("index"));
    let id = format!("index-{n}");
    let mut t = Element::new(Tag::Target, span);
    t.ids.push(id.clone());
    let _ = doc.note_explicit_target(&mut t, None);
    (id, t)
}

/// `:pep:`, `:rfc:`, `:cve:`, `:cwe:`: index entry, target, external link.
pub(super) fn numbered_reference(
    doc: &mut Doc,
    name: &str,
    t: &RefText,
    span: Span,
    tspan: Span,
) -> RoleResult {
    let (id, target) = index_target(doc, span);
    let (number, _, anchor) = partition(&t.target, '#');
    let n: Option<u64> = number.trim().parse().ok();
    let (entry, uri, title) = match name {
        "pep" => (
            format!("Python Enhancement Proposals; PEP {}", t.target),
            n.map(|n| {
                let base = format!("https://peps.python.org/pep-{n:04}/");
                if anchor.is_some() {
                    format!("{base}#{}", anchor.unwrap_or(""))
                } else {
                    base
                }
            }),
            format!("PEP {}", t.title),
        ),
        "rfc" => {
            let formatted = rfc_title(&t.target);
            (
                format!("RFC; {formatted}"),
                n.map(|n| {
                    let base = format!("https://datatracker.ietf.org/doc/html/rfc{n}.html");
                    match anchor {
                        Some(a) => format!("{base}#{a}"),
                        None => base,
                    }
                }),
                formatted,
            )
        }
        "cve" => (
            format!("Common Vulnerabilities and Exposures; CVE {}", t.target),
            Some(match anchor {
                Some(a) => format!("https://www.cve.org/CVERecord?id=CVE-{number}#{a}"),
                None => format!("https://www.cve.org/CVERecord?id=CVE-{number}"),
            }),
            format!("CVE {}", t.title),
        ),
        _ => (
            format!("Common Weakness Enumeration; CWE {}", t.target),
            n.map(|n| match anchor {
                Some(a) => format!("https://cwe.mitre.org/data/definitions/{n}.html#{a}"),
                None => format!("https://cwe.mitre.org/data/definitions/{n}.html"),
            }),
            format!("CWE {}", t.title),
        ),
    };
    let Some(uri) = uri else {
        return Err((
            crate::diag::Severity::Error,
            format!("invalid {} number {}", name.to_uppercase(), t.target),
        ));
    };
    let index = index_node(&[IndexEntry::single(entry, &id, false)], span);
    let mut r = Element::new(Tag::Reference, span);
    r.classes.push(name.into());
    r.set(Attr::Internal, "0");
    r.set(Attr::Refuri, uri);
    let mut strong = Element::new(Tag::Strong, tspan);
    strong.push_text(if t.explicit { t.title.clone() } else { title }, tspan);
    r.push(strong);
    Ok(vec![index.into(), target.into(), r.into()])
}

fn partition(s: &str, c: char) -> (&str, bool, Option<&str>) {
    match s.split_once(c) {
        Some((a, b)) => (a, true, Some(b)),
        None => (s, false, None),
    }
}

/// Sphinx's `_format_rfc_target`: `2822#section-3` is `RFC 2822 Section 3`.
fn rfc_title(target: &str) -> String {
    if let Some((number, anchor)) = target.split_once('#') {
        let (first, remaining) = anchor.split_once('-').unwrap_or((anchor, ""));
        if matches!(first, "appendix" | "page" | "section") {
            let cap = format!("{}{}", first[..1].to_uppercase(), &first[1..]);
            return if remaining.is_empty() {
                format!("RFC {number} {cap}")
            } else {
                format!("RFC {number} {cap} {remaining}")
            };
        }
    }
    format!("RFC {target}")
}

/// `:index:`: the index node and target inline, then the text.
pub(super) fn index_role(doc: &mut Doc, t: &RefText, span: Span, tspan: Span) -> RoleResult {
    let (id, target) = index_target(doc, span);
    let (title, entries) = if t.explicit {
        let entries =
            parse_entry(&t.target, &id).map_err(|e| (crate::diag::Severity::Warning, e))?;
        (t.title.clone(), entries)
    } else if let Some(rest) = t.target.strip_prefix('!') {
        (
            t.title.get(1..).unwrap_or("").to_string(),
            vec![IndexEntry::single(rest, &id, true)],
        )
    } else {
        (
            t.title.clone(),
            vec![IndexEntry::single(t.target.clone(), &id, false)],
        )
    };
    let index = index_node(&entries, span);
    Ok(vec![index.into(), target.into(), Node::text(title, tspan)])
}

#[cfg(test)]
mod tests {
    use super::rfc_title;

    #[test]
    fn rfc_titles() {
        assert_eq!(rfc_title("2822#section-3"), "RFC 2822 Section 3");
        assert_eq!(rfc_title("2822"), "RFC 2822");
    }
}
