//! Cross-reference roles (Sphinx's `XRefRole` and its subclasses): the
//! `pending_xref` each role makes before resolution.

use crate::ast::{Attr, Element, Node, Span, SphinxAttr, SphinxTag, Tag};

use super::super::super::doc::Doc;
use super::super::super::inline::unescape;
use super::super::index::{IndexEntry, index_node};
use super::super::{flag, set};
use super::numbered::index_target;
use super::{pending_xref, split_title};

/// Docutils prints a `None` attribute as `True`.
const NONE: &str = "True";

/// The domain and type a cross-reference role name means, or `None` when
/// it is not one.
pub(super) fn xref_kind(name: &str) -> Option<(&'static str, &'static str)> {
    const STD: &[&str] = &[
        "ref", "doc", "numref", "term", "option", "envvar", "keyword", "token", "confval", "label",
    ];
    const PY: &[&str] = &[
        "data", "exc", "func", "class", "const", "attr", "type", "meth", "mod", "obj",
    ];
    const C: &[&str] = &[
        "member",
        "data",
        "var",
        "func",
        "macro",
        "struct",
        "union",
        "enum",
        "enumerator",
        "type",
        "expr",
        "texpr",
    ];
    let find = |list: &[&'static str], t: &str| list.iter().copied().find(|x| *x == t);
    match name.split_once(':') {
        Some(("std", t)) => find(STD, t).map(|t| ("std", t)),
        Some(("py", t)) => find(PY, t).map(|t| ("py", t)),
        Some(("c", t)) => find(C, t).map(|t| ("c", t)),
        Some(("math", "numref")) => Some(("math", "numref")),
        Some(_) => None,
        None => match name {
            "any" => Some(("", "any")),
            "download" => Some(("", "download")),
            "eq" => Some(("math", "eq")),
            n => find(STD, n)
                .map(|t| ("std", t))
                .or_else(|| find(PY, n).map(|t| ("py", t))),
        },
    }
}

/// A cross-reference role (Sphinx's `XRefRole` and its subclasses).
pub(super) fn xref(
    doc: &mut Doc,
    domain: &'static str,
    reftype: &'static str,
    escaped: &str,
    span: Span,
    tspan: Span,
) -> Vec<Node> {
    let classes: Vec<String> = if domain.is_empty() || (domain == "math" && reftype == "eq") {
        vec!["xref".into(), reftype.into()]
    } else {
        vec!["xref".into(), domain.into(), format!("{domain}-{reftype}")]
    };
    let inline_content = domain == "std" && matches!(reftype, "ref" | "term" | "doc");
    let content_tag = if inline_content {
        Tag::Inline
    } else {
        Tag::Literal
    };
    let fix_parens = matches!((domain, reftype), ("py", "func" | "meth") | ("c", "func"));
    let warn = matches!(
        (domain, reftype),
        (
            "std",
            "ref" | "numref" | "term" | "doc" | "option" | "keyword" | "confval"
        ) | ("", "any")
            | ("math", "eq")
    );
    let content = |text: String| {
        let mut c = Element::new(content_tag, span);
        c.classes.extend(classes.iter().cloned());
        c.push_text(text, tspan);
        c
    };
    let with_parens = |mut title: String| {
        if !title.ends_with("()") {
            title.push_str("()");
        }
        title
    };
    if let Some(rest) = escaped.strip_prefix('!') {
        let mut text = unescape(rest);
        if fix_parens {
            text = with_parens(text);
        }
        return vec![content(text).into()];
    }
    let t = split_title(escaped);
    let (mut title, mut target) = (t.title.clone(), t.target.clone());
    if matches!(reftype, "ref" | "numref") && domain == "std" {
        target = target.to_lowercase();
    }
    if fix_parens {
        if !t.explicit {
            title = with_parens(title);
        }
        target = target
            .strip_suffix("()")
            .map(str::to_string)
            .unwrap_or(target);
    }
    let mut x = pending_xref(doc, domain, reftype, "", t.explicit);
    if reftype == "download" {
        x.tag = Tag::Sphinx(SphinxTag::DownloadReference);
    }
    x.span = span;
    let sx = doc.sphinx.as_deref();
    match (domain, reftype) {
        ("std", "option") => {
            let prog = sx.and_then(|s| s.program.clone());
            set(
                &mut x,
                SphinxAttr::StdProgram,
                prog.unwrap_or_else(|| NONE.into()),
            );
        }
        ("std", "token") => {
            target = target.trim_start_matches('~').to_string();
            if !t.explicit && title.starts_with('~') {
                title = match title.split_once(':') {
                    Some((_, b)) => b.to_string(),
                    None => title[1..].to_string(),
                };
            }
        }
        ("py", _) | ("c", _) => {
            if domain == "py" {
                let module = sx.and_then(|s| s.py_module.clone());
                let class = sx.and_then(|s| s.py_class.clone());
                set(
                    &mut x,
                    SphinxAttr::PyModule,
                    module.unwrap_or_else(|| NONE.into()),
                );
                x.set(
                    Attr::Sphinx(SphinxAttr::PyClass),
                    class.unwrap_or_else(|| NONE.into()),
                );
            }
            if domain == "c"
                && let Some(parent) = sx.map(|s| s.domains.c_parent.join("."))
                && !parent.is_empty()
            {
                set(&mut x, SphinxAttr::CParentKey, parent);
            }
            if !t.explicit {
                if domain == "py" {
                    title = title.trim_start_matches('.').to_string();
                }
                target = target.trim_start_matches('~').to_string();
                if let Some(rest) = title.strip_prefix('~') {
                    title = rest.rsplit('.').next().unwrap_or(rest).to_string();
                }
            }
            if domain == "py"
                && let Some(rest) = target.strip_prefix('.')
            {
                target = rest.to_string();
                set(&mut x, SphinxAttr::Refspecific, "1");
            }
        }
        ("", "any") => {
            if let Some(prog) = sx.and_then(|s| s.program.clone()) {
                set(&mut x, SphinxAttr::StdProgram, prog);
            }
        }
        _ => {}
    }
    if !matches!(
        (domain, reftype),
        ("std", "option" | "token") | ("py", _) | ("c", _)
    ) {
        target = target.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    x.set(Attr::Reftarget, target.clone());
    x.set(Attr::Refwarn, flag(warn));
    x.push(content(title));
    if (domain, reftype) == ("std", "envvar") {
        let (id, tgt) = index_target(doc, span);
        let entries = [
            IndexEntry::single(target.clone(), &id, false),
            IndexEntry::single(format!("environment variable; {target}"), &id, false),
        ];
        return vec![index_node(&entries, span).into(), tgt.into(), x.into()];
    }
    vec![x.into()]
}
