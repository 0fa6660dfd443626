//! The Python domain: `py:module`, `py:currentmodule` and the object
//! directives (`function`, `class`, `method` and its flags, `attribute`,
//! `data`, `exception`), as Sphinx's `PyObject.handle_signature` reads a
//! signature (`py_sig_re`, then the argument list as Python's parser reads
//! it, or bracket by bracket when it has optional parts) and
//! `add_target_and_index` names it.

use crate::ast::{Attr, Element, Node, Span, SphinxAttr, SphinxTag, Tag};

use super::super::super::block::Parser;
use super::super::super::directives::Ctx;
use super::super::ids::make_object_id;
use super::super::index::{IndexEntry, index_node};
use super::super::{el, set};
use super::python_args::{Annotations, parse_arglist, pseudo_parse_arglist};
use super::{desc_node, finish, flags, leaf, preserved, signature_node, unparsed_name, warning};

/// Docutils prints a `None` attribute as `True`.
const NONE: &str = "True";

/// `.. py:module:: NAME`: the module of what follows, its target and index entry.
pub fn module(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    let name = ctx.args.first().map(|a| a.trim()).unwrap_or("").to_string();
    if let Some(sx) = p.doc.sphinx.as_deref_mut() {
        sx.py_module = Some(name.clone());
        sx.py_class = None;
    }
    let mut out: Vec<Node> = Vec::new();
    if !(ctx.has("no-index") || ctx.has("noindex")) {
        let id = make_object_id(&mut p.doc, "module", Some(&name));
        let mut target = Element::new(Tag::Target, ctx.span);
        target.ids.push(id.clone());
        target.set_named("ismod", "1");
        target.set(Attr::KbgenObject, name.clone());
        let _ = p.doc.note_explicit_target(&mut target, None);
        if !ctx.has("no-index-entry") {
            let entry = IndexEntry {
                kind: "pair",
                value: format!("module; {name}"),
                target: id,
                main: false,
                key: None,
            };
            out.push(index_node(&[entry], ctx.span).into());
        }
        out.push(target.into());
    }
    let content = p.nested(Element::new(Tag::Container, ctx.span), &ctx.content);
    out.extend(content.children);
    out
}

/// `.. py:currentmodule:: NAME` (`None` resets).
pub fn current_module(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    let name = ctx.args.first().map(|a| a.trim()).unwrap_or("");
    if let Some(sx) = p.doc.sphinx.as_deref_mut() {
        sx.py_module = (name != "None").then(|| name.to_string());
    }
    Vec::new()
}

/// `py_sig_re`'s groups: prefix, name, type parameters, arguments, return annotation.
struct SigParts<'a> {
    prefix: &'a str,
    name: &'a str,
    args: Option<&'a str>,
    retann: Option<&'a str>,
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn split_signature(sig: &str) -> Option<SigParts<'_>> {
    let head = sig
        .find(|c: char| !(is_word(c) || c == '.'))
        .unwrap_or(sig.len());
    let dotted = &sig[..head];
    let (prefix, name) = match dotted.rfind('.') {
        Some(i) => (&dotted[..=i], &dotted[i + 1..]),
        None => ("", dotted),
    };
    if name.is_empty() || !name.chars().all(is_word) {
        return None;
    }
    let rest = sig[head..].trim_start();
    if rest.is_empty() {
        return Some(SigParts {
            prefix,
            name,
            args: None,
            retann: None,
        });
    }
    let inner = rest.strip_prefix('(')?;
    let (args, retann) = match inner.rfind(')') {
        Some(close) => {
            let after = inner[close + 1..].trim();
            let ret = if after.is_empty() {
                None
            } else {
                Some(after.strip_prefix("->")?.trim())
            };
            (&inner[..close], ret)
        }
        None => return None,
    };
    Some(SigParts {
        prefix,
        name,
        args: Some(args.trim()),
        retann,
    })
}

/// A keyword of the signature prefix (`class`, `async`...) and its space.
fn prefix_words(span: Span, words: &[&str]) -> Option<Element> {
    if words.is_empty() {
        return None;
    }
    let mut anno = preserved(Tag::Sphinx(SphinxTag::DescAnnotation), span);
    for w in words {
        anno.push(leaf(SphinxTag::DescSigKeyword, w, span));
        anno.push(leaf(SphinxTag::DescSigSpace, " ", span));
    }
    Some(anno)
}

/// A Python object directive (`directive`: `function`, `class`, `method`...).
pub fn object(p: &mut Parser, ctx: &Ctx, directive: &str) -> Vec<Node> {
    let (objtype, mut method_flag) = match directive {
        "classmethod" => ("method", Some("classmethod")),
        "staticmethod" => ("method", Some("staticmethod")),
        t => (t, None),
    };
    if ctx.has("classmethod") {
        method_flag = Some("classmethod");
    } else if ctx.has("staticmethod") {
        method_flag = Some("staticmethod");
    }
    let mut desc = desc_node(ctx, "py", objtype);
    let f = flags(ctx);
    let mut entries = Vec::new();
    let mut messages = Vec::new();
    let sx = p.doc.sphinx.as_deref();
    let module = ctx
        .opt("module")
        .map(str::to_string)
        .or_else(|| sx.and_then(|s| s.py_module.clone()));
    let context_class = sx.and_then(|s| s.py_class.clone());
    let docname = sx.map(|s| s.docname.clone()).unwrap_or_default();
    let arg = ctx.joined_argument();
    let mut last: Option<(String, String)> = None;
    for sig in arg.split('\n').map(str::trim) {
        let mut signode = signature_node("py", ctx.span);
        let Some(parts) = split_signature(sig) else {
            // Sphinx shows the text as the name without a word (a
            // `ValueError` it swallows); kbgen says why there is no target.
            messages.push(warning(
                p,
                ctx,
                &format!("could not parse Python signature: {sig:?} (shown as written, no target)"),
            ));
            set(&mut signode, SphinxAttr::TocName, "");
            set(&mut signode, SphinxAttr::TocParts, "");
            signode.push(unparsed_name(sig, ctx.span));
            desc.push(signode);
            continue;
        };
        let (fullname, mut prefix, classname, add_module) = match &context_class {
            Some(cls) => {
                if !parts.prefix.is_empty()
                    && (parts.prefix == cls.as_str()
                        || parts.prefix.starts_with(&format!("{cls}.")))
                {
                    let full = format!("{}{}", parts.prefix, parts.name);
                    (
                        full,
                        parts.prefix[cls.len()..]
                            .trim_start_matches('.')
                            .to_string(),
                        cls.clone(),
                        false,
                    )
                } else {
                    (
                        format!("{cls}.{}{}", parts.prefix, parts.name),
                        parts.prefix.to_string(),
                        cls.clone(),
                        false,
                    )
                }
            }
            None => (
                format!("{}{}", parts.prefix, parts.name),
                parts.prefix.to_string(),
                parts.prefix.trim_end_matches('.').to_string(),
                true,
            ),
        };
        set(
            &mut signode,
            SphinxAttr::Module,
            module.clone().unwrap_or_else(|| NONE.into()),
        );
        signode.set_named("class", classname.clone());
        set(&mut signode, SphinxAttr::Fullname, fullname.clone());
        let mut words: Vec<&str> = Vec::new();
        match objtype {
            "class" | "exception" => {
                if ctx.has("final") {
                    words.push("final");
                }
                if ctx.has("abstract") {
                    words.push("abstract");
                }
                words.push(objtype);
            }
            "method" => {
                if ctx.has("final") {
                    words.push("final");
                }
                if ctx.has("abstractmethod") {
                    words.push("abstractmethod");
                }
                if ctx.has("async") {
                    words.push("async");
                }
                match method_flag {
                    Some("classmethod") => words.push("classmethod"),
                    Some(_) => words.push("static"),
                    None => {}
                }
            }
            "function" if ctx.has("async") => words.push("async"),
            _ => {}
        }
        if let Some(anno) = prefix_words(ctx.span, &words) {
            signode.push(anno);
        }
        let push_addname = |signode: &mut Element, text: &str| {
            let mut add = preserved(Tag::Sphinx(SphinxTag::DescAddname), ctx.span);
            add.classes
                .extend(["sig-prename", "descclassname"].map(String::from));
            add.push_text(text, ctx.span);
            signode.push(add);
        };
        if !prefix.is_empty() {
            push_addname(&mut signode, &prefix);
        } else if let Some(m) = module.as_deref().filter(|m| add_module && !m.is_empty()) {
            push_addname(&mut signode, &format!("{m}."));
        }
        let mut name = preserved(Tag::DescName, ctx.span);
        name.classes
            .extend(["sig-name", "descname"].map(String::from));
        name.push_text(parts.name, ctx.span);
        signode.push(name);
        let annotations = Annotations {
            span: ctx.span,
            docname: &docname,
            module: module.as_deref(),
            class: context_class.as_deref(),
        };
        let needs_arglist = matches!(objtype, "function" | "method");
        match parts.args {
            Some(args) if !args.is_empty() => {
                let list = parse_arglist(&annotations, args)
                    .or_else(|| pseudo_parse_arglist(&annotations, args));
                match list {
                    Some(l) => signode.push(l),
                    None => messages.push(warning(
                        p,
                        ctx,
                        &format!("could not parse arglist ({args:?})"),
                    )),
                }
            }
            _ if needs_arglist => signode.push(preserved(
                Tag::Sphinx(SphinxTag::DescParameterlist),
                ctx.span,
            )),
            _ => {}
        }
        if let Some(ret) = parts.retann {
            let mut r = preserved(Tag::Sphinx(SphinxTag::DescReturns), ctx.span);
            match annotations.parse(ret) {
                Some(nodes) => r.children = nodes,
                None => r.push_text(ret, ctx.span),
            }
            signode.push(r);
        }
        if matches!(objtype, "attribute" | "data") {
            if let Some(ty) = ctx.opt("type").filter(|t| !t.is_empty()) {
                let mut a = preserved(Tag::Sphinx(SphinxTag::DescAnnotation), ctx.span);
                a.push(leaf(SphinxTag::DescSigPunctuation, ":", ctx.span));
                a.push(leaf(SphinxTag::DescSigSpace, " ", ctx.span));
                match annotations.parse(ty) {
                    Some(nodes) => a.children.extend(nodes),
                    None => a.push_text(ty, ctx.span),
                }
                signode.push(a);
            }
            if let Some(v) = ctx.opt("value").filter(|t| !t.is_empty()) {
                let mut a = preserved(Tag::Sphinx(SphinxTag::DescAnnotation), ctx.span);
                a.push(leaf(SphinxTag::DescSigSpace, " ", ctx.span));
                a.push(leaf(SphinxTag::DescSigPunctuation, "=", ctx.span));
                a.push(leaf(SphinxTag::DescSigSpace, " ", ctx.span));
                a.push_text(v, ctx.span);
                signode.push(a);
            }
        }
        if let Some(anno) = ctx.opt("annotation").filter(|t| !t.is_empty()) {
            let mut a = preserved(Tag::Sphinx(SphinxTag::DescAnnotation), ctx.span);
            a.push(leaf(SphinxTag::DescSigSpace, " ", ctx.span));
            a.push_text(anno, ctx.span);
            signode.push(a);
        }
        // `_object_hierarchy_parts` and `_toc_entry_name`.
        let mut parts_list: Vec<String> = module.iter().cloned().collect();
        parts_list.extend(fullname.split('.').map(str::to_string));
        set(&mut signode, SphinxAttr::TocParts, parts_list.join(" "));
        let parens = if matches!(objtype, "function" | "method") {
            "()"
        } else {
            ""
        };
        set(
            &mut signode,
            SphinxAttr::TocName,
            format!("{fullname}{parens}"),
        );
        let qualified = match &module {
            Some(m) if !m.is_empty() => format!("{m}.{fullname}"),
            _ => fullname.clone(),
        };
        if !f.no_index {
            let id = make_object_id(&mut p.doc, "", Some(&qualified));
            signode.ids.push(id.clone());
            signode.set(Attr::KbgenObject, qualified.clone());
            let _ = p.doc.note_explicit_target(&mut signode, None);
            let first = p
                .doc
                .sphinx
                .as_deref_mut()
                .map(|s| s.domains.py_described(&qualified, &docname))
                .unwrap_or(Ok(()));
            if let Err(other) = first {
                messages.push(warning(p, ctx, &format!("duplicate object description of {qualified}, other instance in {other}, use :no-index: for one of them")));
            }
            if !f.no_entry {
                entries.extend(index_entry(
                    objtype,
                    method_flag,
                    module.as_deref(),
                    &fullname,
                    &id,
                ));
            }
        }
        desc.push(signode);
        last = Some((fullname, prefix.split_off(0)));
    }
    // `before_content`: classes nest, other objects scope by their prefix.
    let saved_class = context_class.clone();
    let saved_module = p.doc.sphinx.as_deref().and_then(|s| s.py_module.clone());
    if let (Some((fullname, prefix)), Some(sx)) = (&last, p.doc.sphinx.as_deref_mut()) {
        if matches!(objtype, "class" | "exception") {
            sx.py_class = Some(fullname.clone());
        } else if !prefix.is_empty() {
            sx.py_class = Some(prefix.trim_matches('.').to_string());
        }
        if let Some(m) = ctx.opt("module") {
            sx.py_module = Some(m.to_string());
        }
    }
    let content = p.nested(el(SphinxTag::DescContent, ctx.span), &ctx.content);
    if let Some(sx) = p.doc.sphinx.as_deref_mut() {
        sx.py_class = saved_class;
        sx.py_module = saved_module;
    }
    desc.push(content);
    finish(ctx, index_node(&entries, ctx.span), desc, messages)
}

/// The index entries of an object (`get_index_text` of each directive).
fn index_entry(
    objtype: &str,
    method_flag: Option<&str>,
    module: Option<&str>,
    name: &str,
    id: &str,
) -> Vec<IndexEntry> {
    let module = module.filter(|m| !m.is_empty());
    let single = |text: String| vec![IndexEntry::single(text, id, false)];
    match objtype {
        "function" => match module {
            Some(m) => single(format!("{name}() (in module {m})")),
            None => vec![IndexEntry {
                kind: "pair",
                value: format!("built-in function; {name}()"),
                target: id.to_string(),
                main: false,
                key: None,
            }],
        },
        "class" => match module {
            Some(m) => single(format!("{name} (class in {m})")),
            None => single(format!("{name} (built-in class)")),
        },
        "exception" => single(name.to_string()),
        "data" => match module {
            Some(m) => single(format!("{name} (in module {m})")),
            None => single(format!("{name} (built-in variable)")),
        },
        "method" | "attribute" => match name.rsplit_once('.') {
            Some((cls, member)) => {
                let cls = match module {
                    Some(m) => format!("{m}.{cls}"),
                    None => cls.to_string(),
                };
                single(match (objtype, method_flag) {
                    ("attribute", _) => format!("{member} ({cls} attribute)"),
                    (_, Some("classmethod")) => format!("{member}() ({cls} class method)"),
                    (_, Some(_)) => format!("{member}() ({cls} static method)"),
                    _ => format!("{member}() ({cls} method)"),
                })
            }
            None => match (objtype, module) {
                ("attribute", Some(m)) => single(format!("{name} (in module {m})")),
                ("attribute", None) => single(name.to_string()),
                (_, Some(m)) => single(format!("{name}() (in module {m})")),
                (_, None) => single(format!("{name}()")),
            },
        },
        _ => Vec::new(),
    }
}
