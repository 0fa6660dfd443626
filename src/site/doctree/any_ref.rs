//! The `:any:` role: a target looked up as every other role would look it
//! up, in Sphinx's order — a document, then the standard domain (a label
//! with a title, an option, a glossary term, an environment variable),
//! then the other domains' objects by domain name. More than one match is
//! a warning and the first wins, as in Sphinx; the link's content gets the
//! classes of the role that found it (`std std-ref`, `std std-envvar`...).

use crate::ast::{Element, Node, Tag};
use crate::diag::Diagnostic;

use super::tree::docname_join;
use super::xref::{Place, Resolution, Targets, find_option, option_program};

/// One way the target resolved: the role that found it, where, and the
/// text to show (`None`: the role's own).
struct Found {
    role: String,
    place: Place,
    text: Option<String>,
    /// The link's `title` attribute (C and Python objects: their name).
    title: Option<String>,
}

pub(super) fn resolve_any(
    xref: &Element,
    docname: &str,
    t: &Targets,
) -> (Resolution, Option<Diagnostic>) {
    let target = xref.get(crate::ast::Attr::Reftarget).unwrap_or("");
    let explicit = matches!(xref.get(crate::ast::Attr::Refexplicit), Some("True" | "1"));
    let found = candidates(xref, docname, t, target, explicit);
    let Some(first) = found.first() else {
        let d = Diagnostic::warning(
            "ref-any",
            format!("'any' reference target not found: {target}"),
        );
        return (Resolution::Missing, Some(d));
    };
    let diag = (found.len() > 1).then(|| {
        let list: Vec<String> = found
            .iter()
            .map(|f| {
                let shown = f.text.clone().unwrap_or_else(|| target.to_string());
                format!(":{}:`{shown}`", f.role)
            })
            .collect();
        Diagnostic::warning(
            "ref-any-ambiguous",
            format!(
                "more than one target found for 'any' cross-reference '{target}': could be {}",
                list.join(" or ")
            ),
        )
    });
    let resolution = Resolution::AnyLink {
        place: first.place.clone(),
        text: first.text.clone(),
        role: first.role.clone(),
        title: first.title.clone(),
    };
    (resolution, diag)
}

fn candidates(
    xref: &Element,
    docname: &str,
    t: &Targets,
    target: &str,
    explicit: bool,
) -> Vec<Found> {
    let mut out = Vec::new();
    let doc = docname_join(docname, target);
    if let Some(title) = t.docs.get(&doc) {
        out.push(Found {
            role: "doc".into(),
            place: Place {
                docname: doc,
                anchor: String::new(),
            },
            text: if explicit { None } else { title.clone() },
            title: None,
        });
    }
    let key = crate::ast::ids::fully_normalize_name(target);
    if let Some(label) = t.labels.get(&key) {
        // Without an explicit title only labels with one are found.
        if explicit || label.title.is_some() {
            out.push(Found {
                role: "std:ref".into(),
                place: label.place.clone(),
                text: if explicit { None } else { label.title.clone() },
                title: None,
            });
        }
    }
    if let Some(place) = find_option(t, option_program(xref), target) {
        out.push(Found {
            role: "std:option".into(),
            place: place.clone(),
            text: None,
            title: None,
        });
    }
    for (objtype, name) in [("term", target.to_lowercase()), ("envvar", target.into())] {
        if let Some(place) = t.object("std", objtype, &name) {
            // Sphinx 9 keeps terms under their own case and looks `:any:`
            // up lower-cased: a term with capitals (its id `term-Widget`
            // keeps them) is not found.
            if objtype == "term" && place.anchor.chars().any(|c| c.is_ascii_uppercase()) {
                continue;
            }
            out.push(Found {
                role: format!("std:{objtype}"),
                place: place.clone(),
                text: None,
                title: None,
            });
        }
    }
    for ((domain, objtype), names) in &t.objects {
        if domain == "std" {
            continue;
        }
        if let Some(place) = names.get(target) {
            out.push(Found {
                role: format!("{domain}:{}", role_for_objtype(objtype)),
                place: place.clone(),
                text: None,
                title: Some(target.to_string()),
            });
        }
    }
    out
}

/// The role Sphinx's C and Python domains name an object type with.
fn role_for_objtype(objtype: &str) -> &str {
    match objtype {
        "function" => "func",
        "method" | "classmethod" | "staticmethod" => "meth",
        "exception" => "exc",
        "attribute" | "property" => "attr",
        "module" => "mod",
        "functionParam" => "member",
        other => other,
    }
}

/// The link content of a resolved `:any:`: for a document or a label a
/// new `inline` with the title (the `doc` / `std std-ref` classes of those
/// roles), else the role's own `literal`; both get the finding role's
/// domain and role as further classes, as Sphinx adds them.
pub(super) fn any_content(inner: Element, text: Option<&str>, role: &str) -> Element {
    let domain = role.split(':').next().unwrap_or(role);
    let mut node = match role {
        "doc" | "std:ref" => {
            let shown = text.map(str::to_string).unwrap_or_else(|| inner.astext());
            let mut n = Element::new(Tag::Inline, inner.span);
            n.classes = if role == "doc" {
                crate::ast::thin_vec!["doc".to_string()]
            } else {
                crate::ast::thin_vec!["std".to_string(), "std-ref".to_string()]
            };
            n.children = vec![Node::text(shown, inner.span)];
            n
        }
        _ => inner,
    };
    // Sphinx appends both; its HTML writer drops the repeated ones.
    for class in [domain.to_string(), role.replace(':', "-")] {
        if !node.classes.contains(&class) {
            node.classes.push(class);
        }
    }
    node
}
