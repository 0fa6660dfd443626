//! The C and Python domains' object directives: signatures parsed as
//! Sphinx's domains parse them, into its `desc` nodes, ids and index
//! entries ([`c`], [`python`]). The project-level lookup of their roles is
//! `site::doctree::domains`.
//!
//! What both share lives here: the `desc` node with the flags every
//! `ObjectDescription` prints, the `desc_sig_*` leaves, and the per-page
//! record of described objects that makes Sphinx's duplicate warnings.

mod c;
mod c_ast;
mod c_parse;
mod python;
mod python_args;

use std::collections::HashMap;

use crate::ast::{Attr, Element, Node, Span, SphinxAttr, SphinxTag, Tag};
use crate::diag::Severity;

use super::super::block::Parser;
use super::super::directives::{Ctx, Opt, Spec};
use super::{el, flag, set};

/// Options of the C object directives (`CObject.option_spec`: no
/// `no-index`, which Sphinx refuses as an unknown option).
const C_OPTS: &[(&str, Opt)] = &[
    ("no-index-entry", Opt::Flag),
    ("no-contents-entry", Opt::Flag),
    ("no-typesetting", Opt::Flag),
    ("noindexentry", Opt::Flag),
    ("nocontentsentry", Opt::Flag),
    ("single-line-parameter-list", Opt::Flag),
];

/// Options of the Python object directives (Sphinx's `PyObject` and its
/// subclasses accept each other's flags; unknown ones are errors).
const PY_OPTS: &[(&str, Opt)] = &[
    ("no-index", Opt::Flag),
    ("no-index-entry", Opt::Flag),
    ("no-contents-entry", Opt::Flag),
    ("no-typesetting", Opt::Flag),
    ("noindex", Opt::Flag),
    ("noindexentry", Opt::Flag),
    ("nocontentsentry", Opt::Flag),
    ("single-line-parameter-list", Opt::Flag),
    ("single-line-type-parameter-list", Opt::Flag),
    ("module", Opt::Unchanged),
    ("canonical", Opt::Unchanged),
    ("annotation", Opt::Unchanged),
    ("async", Opt::Flag),
    ("abstractmethod", Opt::Flag),
    ("abstract", Opt::Flag),
    ("classmethod", Opt::Flag),
    ("staticmethod", Opt::Flag),
    ("final", Opt::Flag),
    ("type", Opt::Unchanged),
    ("value", Opt::Unchanged),
];

/// The C directive names (`c:NAME`).
const C_OBJECTS: &[&str] = &[
    "function",
    "macro",
    "struct",
    "union",
    "enum",
    "enumerator",
    "type",
    "member",
    "var",
];

/// The Python object directive names (`py:NAME`, or bare: Python is
/// Sphinx's default domain).
const PY_OBJECTS: &[&str] = &[
    "function",
    "class",
    "method",
    "classmethod",
    "staticmethod",
    "attribute",
    "data",
    "exception",
];

/// Which domain directive `name` is.
enum Which<'a> {
    C(&'a str),
    Py(&'a str),
    PyModule,
    PyCurrentModule,
}

fn which(name: &str) -> Option<Which<'_>> {
    let (domain, t) = name.split_once(':').unwrap_or(("py", name));
    match domain {
        "c" => C_OBJECTS.contains(&t).then_some(Which::C(t)),
        "py" => match t {
            "module" => Some(Which::PyModule),
            "currentmodule" => Some(Which::PyCurrentModule),
            _ => PY_OBJECTS.contains(&t).then_some(Which::Py(t)),
        },
        _ => None,
    }
}

/// The argument/option/content shape of a domain directive.
pub fn spec_of(name: &str) -> Option<Spec> {
    let spec = |options, content| Spec {
        req: 1,
        opt: 0,
        final_ws: true,
        options,
        content,
    };
    Some(match which(name)? {
        Which::C(_) => spec(C_OPTS, true),
        Which::Py(_) => spec(PY_OPTS, true),
        Which::PyModule => spec(
            &[
                ("platform", Opt::Unchanged),
                ("synopsis", Opt::Unchanged),
                ("no-index", Opt::Flag),
                ("noindex", Opt::Flag),
                ("no-contents-entry", Opt::Flag),
                ("nocontentsentry", Opt::Flag),
                ("deprecated", Opt::Flag),
            ],
            true,
        ),
        Which::PyCurrentModule => Spec {
            req: 1,
            opt: 0,
            final_ws: false,
            options: &[],
            content: false,
        },
    })
}

/// Runs a domain directive; `None` when `ctx.name` is not one.
pub fn dispatch(p: &mut Parser, ctx: &Ctx) -> Option<Vec<Node>> {
    Some(match which(&ctx.name)? {
        Which::C(t) => c::object(p, ctx, t),
        Which::Py(t) => python::object(p, ctx, t),
        Which::PyModule => python::module(p, ctx),
        Which::PyCurrentModule => python::current_module(p, ctx),
    })
}

/// The flags of an object description, as `ObjectDescription.run` sets them.
struct Flags {
    no_index: bool,
    no_entry: bool,
    no_typesetting: bool,
}

fn flags(ctx: &Ctx) -> Flags {
    Flags {
        no_index: ctx.has("no-index") || ctx.has("noindex"),
        no_entry: ctx.has("no-index-entry") || ctx.has("noindexentry"),
        no_typesetting: ctx.has("no-typesetting"),
    }
}

/// The `desc` node of a directive of `domain` named `objtype`.
fn desc_node(ctx: &Ctx, domain: &str, objtype: &str) -> Element {
    let f = flags(ctx);
    let no_contents = ctx.has("no-contents-entry") || ctx.has("nocontentsentry");
    let mut desc = Element::new(Tag::Desc, ctx.span);
    set(&mut desc, SphinxAttr::Domain, domain);
    set(&mut desc, SphinxAttr::Objtype, objtype);
    set(&mut desc, SphinxAttr::Desctype, objtype);
    set(&mut desc, SphinxAttr::NoIndex, flag(f.no_index));
    set(&mut desc, SphinxAttr::Noindex, flag(f.no_index));
    set(&mut desc, SphinxAttr::NoIndexEntry, flag(f.no_entry));
    set(&mut desc, SphinxAttr::Noindexentry, flag(f.no_entry));
    set(&mut desc, SphinxAttr::NoContentsEntry, flag(no_contents));
    set(&mut desc, SphinxAttr::Nocontentsentry, flag(no_contents));
    set(&mut desc, SphinxAttr::NoTypesetting, flag(f.no_typesetting));
    desc.classes.push(domain.into());
    desc.classes.push(objtype.into());
    desc
}

/// A `desc_signature` of `domain`, before its content.
fn signature_node(domain: &str, span: Span) -> Element {
    let mut s = Element::new(Tag::DescSignature, span);
    s.classes
        .extend(["sig", "sig-object", domain].map(String::from));
    s
}

/// The signature Sphinx shows when one does not parse: the text as the name.
fn unparsed_name(sig: &str, span: Span) -> Element {
    let mut n = Element::new(Tag::DescName, span);
    n.classes.extend(["sig-name", "descname"].map(String::from));
    n.set(Attr::XmlSpace, "preserve");
    n.push_text(sig, span);
    n
}

/// One of Sphinx's `desc_sig_*` leaves (with its Pygments class).
fn leaf(tag: SphinxTag, text: &str, span: Span) -> Node {
    let class = match tag {
        SphinxTag::DescSigSpace => "w",
        SphinxTag::DescSigName => "n",
        SphinxTag::DescSigOperator => "o",
        SphinxTag::DescSigPunctuation => "p",
        SphinxTag::DescSigKeyword => "k",
        SphinxTag::DescSigKeywordType => "kt",
        SphinxTag::DescSigLiteralNumber => "m",
        SphinxTag::DescSigLiteralString => "s",
        SphinxTag::DescSigLiteralChar => "sc",
        _ => "",
    };
    let mut e = el(tag, span);
    if !class.is_empty() {
        e.classes.push(class.into());
    }
    e.push_text(text, span);
    e.into()
}

/// A `desc_*` container printed with `xml:space="preserve"`.
fn preserved(tag: Tag, span: Span) -> Element {
    let mut e = Element::new(tag, span);
    e.set(Attr::XmlSpace, "preserve");
    e
}

/// The index node, the `desc` (or the targets alone with
/// `:no-typesetting:`) and the messages of one directive.
fn finish(ctx: &Ctx, index: Element, desc: Element, messages: Vec<Element>) -> Vec<Node> {
    let mut out: Vec<Node> = vec![index.into()];
    if ctx.has("no-typesetting") {
        let mut ids = Vec::new();
        desc.walk(&mut |e| ids.extend(e.ids.iter().cloned()));
        if !ids.is_empty() {
            let mut t = Element::new(Tag::Target, ctx.span);
            t.ids.extend(ids);
            out.push(t.into());
        }
    } else {
        out.push(desc.into());
    }
    out.extend(messages.into_iter().map(Node::from));
    out
}

/// A warning at the directive's line.
fn warning(p: &Parser, ctx: &Ctx, text: &str) -> Element {
    p.doc
        .message(Severity::Warning, text, Some(ctx.lineno), ctx.span)
}

/// What the domains remember while a page is read: the C scope of nested
/// directives and the objects described so far (Sphinx's duplicate warnings).
#[derive(Debug, Clone, Default)]
pub struct DomainState {
    /// The enclosing C declaration's full name (`c_parent_symbol`).
    pub c_parent: Vec<String>,
    /// C names declared on the page, with their line.
    c_declared: HashMap<String, usize>,
    /// Python objects described on the page.
    py_described: HashMap<String, String>,
}

impl DomainState {
    /// Records a C declaration; `Err(line)` of the first when it is a duplicate.
    pub fn c_declared(&mut self, name: &str, line: usize) -> Result<(), usize> {
        match self.c_declared.get(name) {
            Some(&first) => Err(first),
            None => {
                self.c_declared.insert(name.to_string(), line);
                Ok(())
            }
        }
    }

    /// Records a Python object; `Err(docname)` of the first description
    /// when it is described again.
    pub fn py_described(&mut self, name: &str, docname: &str) -> Result<(), String> {
        match self.py_described.get(name) {
            Some(first) => Err(first.clone()),
            None => {
                self.py_described
                    .insert(name.to_string(), docname.to_string());
                Ok(())
            }
        }
    }
}

/// Sphinx's `MoveModuleTargets`: a module's target that is the first thing
/// in a section (after its title and index node) gives its ids to the
/// section and goes (the name it files the module under goes with it).
pub fn move_module_target(e: &mut Element) {
    let moves = e.tag == Tag::Section
        && matches!(
            e.children.get(2),
            Some(Node::Element(t)) if t.tag == Tag::Target
                && t.get_named("ismod").is_some()
                && !t.ids.is_empty()
        );
    if moves && let Node::Element(t) = e.children.remove(2) {
        let object = t.get(Attr::KbgenObject).map(str::to_string);
        e.ids.splice(0..0, t.ids);
        if let Some(o) = object {
            e.set(Attr::KbgenObject, o);
        }
    }
}
