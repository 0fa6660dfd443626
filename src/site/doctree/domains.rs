//! The C and Python domains at the project level: the objects a page's
//! descriptions file (with Sphinx's object types, for `objects.inv`) and
//! the lookup of their roles across pages, with Sphinx's rules (Python:
//! the module and class in effect, `.name` searching suffixes; C: the
//! enclosing declaration's scope, then outwards).

use crate::ast::{Attr, Element, SphinxAttr};
use crate::diag::Diagnostic;

use super::facts::ObjectFact;
use super::xref::{Place, Resolution, Targets};

/// The Python module a `py:module` target (or the section that took its
/// ids, Sphinx's `MoveModuleTargets`) files.
pub fn module_object(e: &Element) -> Option<ObjectFact> {
    if e.tag == crate::ast::Tag::DescSignature {
        return None;
    }
    let name = e.get(Attr::KbgenObject)?;
    // The target keeps its id, or gave it to the next element (docutils'
    // `PropagateTargets`) and points there.
    let anchor = e
        .ids
        .iter()
        .map(String::as_str)
        .find(|id| id.starts_with("module-"))
        .or_else(|| e.get(Attr::Refid).filter(|id| id.starts_with("module-")))?;
    Some(ObjectFact {
        domain: "py".into(),
        objtype: "module".into(),
        name: name.to_string(),
        anchor: anchor.to_string(),
    })
}

/// The object type and names a C or Python signature files, or `None`
/// for other domains.
pub fn signature_names(
    domain: &str,
    objtype: &str,
    sig: &Element,
) -> Option<(String, Vec<String>)> {
    let name = sig.get(Attr::KbgenObject)?.to_string();
    match domain {
        "c" => {
            let objtype = if objtype == "var" { "member" } else { objtype };
            let mut names = vec![name.clone()];
            // An enumerator is also declared in its enum's scope.
            let parts: Vec<&str> = name.split('.').collect();
            if objtype == "enumerator" && parts.len() >= 2 {
                let mut alias: Vec<&str> = parts[..parts.len() - 2].to_vec();
                alias.push(parts[parts.len() - 1]);
                names.push(alias.join("."));
            }
            Some((objtype.to_string(), names))
        }
        "py" => Some((objtype.to_string(), vec![name])),
        _ => None,
    }
}

/// The object types a role may name (Sphinx's `ObjType` roles).
fn role_types(domain: &str, role: &str) -> &'static [&'static str] {
    match (domain, role) {
        ("py", "func") => &["function", "method", "classmethod", "staticmethod"],
        ("py", "meth") => &["method", "classmethod", "staticmethod"],
        ("py", "class") => &["class", "exception"],
        ("py", "exc") => &["exception"],
        ("py", "attr") => &["attribute", "property"],
        ("py", "data") => &["data"],
        ("py", "const") => &["data", "attribute"],
        ("py", "mod") => &["module"],
        ("py", "obj") => &[
            "function",
            "method",
            "class",
            "exception",
            "attribute",
            "data",
            "module",
        ],
        ("c", "func") => &["function"],
        ("c", "member" | "var" | "data") => &["member"],
        ("c", "macro") => &["macro"],
        ("c", "struct") => &["struct"],
        ("c", "union") => &["union"],
        ("c", "enum") => &["enum"],
        ("c", "enumerator") => &["enumerator"],
        ("c", "type") => &["function", "struct", "union", "enum", "type"],
        ("c", "identifier") => &[
            "function",
            "member",
            "macro",
            "struct",
            "union",
            "enum",
            "enumerator",
            "type",
        ],
        _ => &[],
    }
}

/// An object found: its full name and where it is.
type Hit<'a> = (&'a str, &'a Place);

fn find<'a>(t: &'a Targets, domain: &str, types: &[&str], name: &str) -> Option<Hit<'a>> {
    types.iter().find_map(|ty| {
        t.objects
            .get(&(domain.to_string(), (*ty).to_string()))?
            .get_key_value(name)
            .map(|(n, p)| (n.as_str(), p))
    })
}

/// Every object of `domain`, any type.
fn find_any<'a>(t: &'a Targets, domain: &str, name: &str) -> Option<Hit<'a>> {
    t.objects
        .iter()
        .filter(|((d, _), _)| d == domain)
        .find_map(|(_, names)| names.get_key_value(name))
        .map(|(n, p)| (n.as_str(), p))
}

/// Names Python resolves without a target (`builtin_resolver`).
fn is_builtin(target: &str) -> bool {
    const BUILTINS: &[&str] = &[
        "None",
        "True",
        "False",
        "int",
        "str",
        "float",
        "bool",
        "bytes",
        "list",
        "dict",
        "tuple",
        "set",
        "frozenset",
        "object",
        "type",
        "complex",
        "bytearray",
        "range",
        "Ellipsis",
        "NotImplemented",
    ];
    BUILTINS.contains(&target) || target.starts_with("typing.")
}

/// `PythonDomain.find_obj`: the module/class context, `.name` searching.
fn find_python<'a>(xref: &Element, role: &str, target: &str, t: &'a Targets) -> Option<Hit<'a>> {
    let context = |a: SphinxAttr| {
        xref.get(Attr::Sphinx(a))
            .filter(|v| !v.is_empty() && *v != "True")
    };
    let module = context(SphinxAttr::PyModule);
    let class = context(SphinxAttr::PyClass);
    let types = role_types("py", role);
    let specific = xref.get(Attr::Sphinx(SphinxAttr::Refspecific)) == Some("1");
    let mut candidates: Vec<String> = Vec::new();
    if specific {
        if let (Some(m), Some(c)) = (module, class) {
            candidates.push(format!("{m}.{c}.{target}"));
        }
        if let Some(m) = module {
            candidates.push(format!("{m}.{target}"));
        }
        candidates.push(target.to_string());
        for c in &candidates {
            if let Some(p) = find(t, "py", types, c) {
                return Some(p);
            }
        }
        // Any object whose name ends with `.target`.
        let suffix = format!(".{target}");
        return types.iter().find_map(|ty| {
            t.objects
                .get(&("py".to_string(), (*ty).to_string()))?
                .iter()
                .find(|(n, _)| n.ends_with(&suffix))
                .map(|(n, p)| (n.as_str(), p))
        });
    }
    candidates.push(target.to_string());
    if role != "mod" {
        if let Some(c) = class {
            candidates.push(format!("{c}.{target}"));
        }
        if let Some(m) = module {
            candidates.push(format!("{m}.{target}"));
        }
        if let (Some(m), Some(c)) = (module, class) {
            candidates.push(format!("{m}.{c}.{target}"));
        }
    }
    candidates.iter().find_map(|c| find_any(t, "py", c))
}

/// C: the target in the role's scope, then each enclosing scope.
fn find_c<'a>(xref: &Element, role: &str, target: &str, t: &'a Targets) -> Option<Hit<'a>> {
    let types = role_types("c", role);
    let target = target.trim_start_matches('.');
    let mut scope: Vec<&str> = xref
        .get(Attr::Sphinx(SphinxAttr::CParentKey))
        .filter(|k| !k.is_empty())
        .map(|k| k.split('.').collect())
        .unwrap_or_default();
    loop {
        let mut name = scope.join(".");
        if !name.is_empty() {
            name.push('.');
        }
        name.push_str(target);
        if let Some(p) = find(t, "c", types, &name) {
            return Some(p);
        }
        scope.pop()?;
    }
}

/// Resolves a `pending_xref` of the C or Python domain.
pub fn resolve(xref: &Element, t: &Targets) -> (Resolution, Option<Diagnostic>) {
    let domain = xref.get(Attr::Refdomain).unwrap_or("");
    let role = xref.get(Attr::Reftype).unwrap_or("");
    let target = xref.get(Attr::Reftarget).unwrap_or("");
    // Sphinx's `reftitle`: Python the object's full name, C the name as
    // the role wrote it.
    let found = match domain {
        "py" => find_python(xref, role, target, t),
        _ => find_c(xref, role, target, t).map(|(_, place)| (target, place)),
    };
    match found {
        Some((name, place)) => (
            Resolution::Link {
                place: place.clone(),
                text: None,
                title: Some(name.to_string()),
            },
            None,
        ),
        // Type names in signatures and Python's builtins stay plain text,
        // as in Sphinx (which links those only through intersphinx).
        None if role == "identifier" || (domain == "py" && is_builtin(target)) => {
            (Resolution::Missing, None)
        }
        // Annotations in Python signatures are not roles: no warning.
        None if xref.get(Attr::Refexplicit).is_none() => (Resolution::Missing, None),
        None => (
            Resolution::Missing,
            Some(Diagnostic::warning(
                "ref-domain-missing",
                format!("{domain}:{role} reference target not found: {target}"),
            )),
        ),
    }
}
