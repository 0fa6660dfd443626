//! Sphinx's reStructuredText dialect: what `sphinx-build` adds inside a
//! page, read into kbgen's tree as Sphinx's doctree has it.
//!
//! Only pages parsed with [`crate::config::Dialect::Sphinx`] come here:
//! [`SphinxDoc`] (the per-page state Sphinx keeps in `env.current_document`
//! and `env.ref_context`) is `None` for docutils pages, so the docutils path
//! pays one `Option` check per directive and role, nothing per node.
//!
//! Layout: [`page`] (settings that differ from docutils': prolog and
//! epilog, `|version|`, docinfo as metadata, ids after parsing),
//! [`code`] (`code-block`, `highlight`, `literalinclude`), [`body`]
//! (version notes, `seealso`, `only`, `hlist`, …), [`index`] (`index`,
//! `glossary`), [`objects`] (object descriptions), [`roles`], [`ids`]
//! (Sphinx's `make_id`), [`only`] (tag expressions).

mod body;
mod citations;
mod code;
pub mod domains;
pub mod ids;
mod index;
mod literalinclude;
mod objects;
pub mod only;
pub mod page;
pub mod roles;
mod toctree;

use std::collections::HashMap;
use std::sync::Arc;

use crate::ast::{Attr, Element, Node, SphinxAttr, SphinxTag, Tag};
use crate::config::SphinxSettings;

use super::block::Parser;
use super::directives::{Ctx, Opt, Spec};

/// What Sphinx remembers while it reads one page.
#[derive(Debug, Clone)]
pub struct SphinxDoc {
    pub settings: Arc<SphinxSettings>,
    /// The page's docname (`refdoc` of its cross-references).
    pub docname: String,
    /// `.. highlight::` in effect (`env.current_document.highlight_language`).
    pub highlight_language: Option<String>,
    /// `.. program::` in effect (`ref_context['std:program']`).
    pub program: Option<String>,
    /// `.. py:module::` / `.. c:namespace::` contexts.
    pub py_module: Option<String>,
    pub py_class: Option<String>,
    /// The C and Python domains' per-page state.
    pub domains: domains::DomainState,
    /// `env.new_serialno(category)`: per-page counters (`index`, `term`, …).
    serials: HashMap<String, usize>,
}

impl SphinxDoc {
    pub fn new(settings: Arc<SphinxSettings>, docname: String) -> SphinxDoc {
        SphinxDoc {
            settings,
            docname,
            highlight_language: None,
            program: None,
            py_module: None,
            py_class: None,
            domains: domains::DomainState::default(),
            serials: HashMap::new(),
        }
    }

    /// `env.new_serialno(category)`: 0, 1, 2, … per category and page.
    pub fn serial(&mut self, category: &str) -> usize {
        let n = self.serials.entry(category.to_string()).or_insert(0);
        let v = *n;
        *n += 1;
        v
    }
}

/// Sphinx's boolean as its pseudo-XML prints it (`True` → `1`).
pub fn flag(b: bool) -> &'static str {
    if b { "1" } else { "0" }
}

/// A Sphinx element.
pub fn el(tag: SphinxTag, span: crate::ast::Span) -> Element {
    Element::new(Tag::Sphinx(tag), span)
}

/// Sets a Sphinx attribute.
pub fn set(e: &mut Element, a: SphinxAttr, v: impl Into<String>) {
    e.set(Attr::Sphinx(a), v);
}

const CODE_OPTS: &[(&str, Opt)] = &[
    ("force", Opt::Flag),
    ("linenos", Opt::Flag),
    ("dedent", Opt::Unchanged),
    ("lineno-start", Opt::Unchanged),
    ("emphasize-lines", Opt::UnchangedRequired),
    ("caption", Opt::UnchangedRequired),
    ("class", Opt::Class),
    ("name", Opt::Unchanged),
];

const LITERALINCLUDE_OPTS: &[(&str, Opt)] = &[
    ("dedent", Opt::Unchanged),
    ("linenos", Opt::Flag),
    ("lineno-start", Opt::Unchanged),
    ("lineno-match", Opt::Flag),
    ("tab-width", Opt::Unchanged),
    ("language", Opt::UnchangedRequired),
    ("force", Opt::Flag),
    ("encoding", Opt::Encoding),
    ("pyobject", Opt::UnchangedRequired),
    ("lines", Opt::UnchangedRequired),
    ("start-after", Opt::UnchangedRequired),
    ("end-before", Opt::UnchangedRequired),
    ("start-at", Opt::UnchangedRequired),
    ("end-at", Opt::UnchangedRequired),
    ("prepend", Opt::UnchangedRequired),
    ("append", Opt::UnchangedRequired),
    ("emphasize-lines", Opt::UnchangedRequired),
    ("caption", Opt::Unchanged),
    ("class", Opt::Class),
    ("name", Opt::Unchanged),
    ("diff", Opt::UnchangedRequired),
];

const OBJECT_OPTS: &[(&str, Opt)] = &[
    ("no-index", Opt::Flag),
    ("no-index-entry", Opt::Flag),
    ("no-contents-entry", Opt::Flag),
    ("no-typesetting", Opt::Flag),
    ("noindex", Opt::Flag),
    ("noindexentry", Opt::Flag),
    ("nocontentsentry", Opt::Flag),
];

/// The argument/option/content shape of a Sphinx directive (`None`: not
/// one of Sphinx's, docutils' table applies).
pub fn spec_of(name: &str) -> Option<Spec> {
    let s = |req, opt, final_ws, options, content| {
        Some(Spec {
            req,
            opt,
            final_ws,
            options,
            content,
        })
    };
    match name {
        "toctree" => Some(toctree::SPEC),
        "code-block" | "sourcecode" => s(0, 1, false, CODE_OPTS, true),
        "code" => s(
            0,
            1,
            false,
            &[
                ("class", Opt::Class),
                ("force", Opt::Flag),
                ("name", Opt::Unchanged),
                ("number-lines", Opt::Unchanged),
            ],
            true,
        ),
        "highlight" => s(
            1,
            0,
            false,
            &[("force", Opt::Flag), ("linenothreshold", Opt::NonNegInt)],
            false,
        ),
        "literalinclude" => s(1, 0, true, LITERALINCLUDE_OPTS, false),
        "versionadded" | "versionchanged" | "deprecated" | "versionremoved" | "version-added"
        | "version-changed" | "version-deprecated" | "version-removed" => s(1, 1, true, &[], true),
        "seealso" => s(0, 0, false, &[], true),
        "centered" => s(1, 0, true, &[], false),
        "hlist" => s(0, 0, false, &[("columns", Opt::NonNegInt)], true),
        "only" => s(1, 0, true, &[], true),
        "index" => s(1, 0, true, &[("name", Opt::Unchanged)], false),
        "glossary" => s(0, 0, false, &[("sorted", Opt::Flag)], true),
        "productionlist" => s(1, 0, true, &[], false),
        "tabularcolumns" => s(1, 0, true, &[], false),
        "sectionauthor" | "moduleauthor" | "codeauthor" => s(1, 0, true, &[], false),
        "program" => s(1, 0, true, &[], false),
        "option" | "envvar" | "describe" | "object" => s(1, 0, true, OBJECT_OPTS, true),
        "math" => s(
            0,
            1,
            true,
            &[
                ("label", Opt::Unchanged),
                ("name", Opt::Unchanged),
                ("class", Opt::Class),
                ("nowrap", Opt::Flag),
                ("no-wrap", Opt::Flag),
            ],
            true,
        ),
        other => domains::spec_of(other),
    }
}

/// Runs a Sphinx directive; `None` when `ctx.name` is not one.
pub fn dispatch(p: &mut Parser, ctx: &Ctx) -> Option<Vec<Node>> {
    Some(match ctx.name.as_str() {
        "toctree" => toctree::toctree(p, ctx),
        "code-block" | "sourcecode" | "code" => code::code_block(p, ctx),
        "highlight" => code::highlight(p, ctx),
        "literalinclude" => code::literalinclude(p, ctx),
        "versionadded" | "versionchanged" | "deprecated" | "versionremoved" | "version-added"
        | "version-changed" | "version-deprecated" | "version-removed" => {
            body::version_note(p, ctx)
        }
        "seealso" => body::seealso(p, ctx),
        "centered" => body::centered(p, ctx),
        "hlist" => body::hlist(p, ctx),
        "only" => body::only(p, ctx),
        "productionlist" => body::productionlist(p, ctx),
        "tabularcolumns" => body::tabularcolumns(p, ctx),
        "sectionauthor" | "moduleauthor" | "codeauthor" => Vec::new(),
        "math" => body::math(p, ctx),
        "index" => index::index_directive(p, ctx),
        "glossary" => index::glossary(p, ctx),
        "program" => objects::program(p, ctx),
        "option" | "envvar" | "describe" | "object" => objects::std_object(p, ctx),
        _ => return domains::dispatch(p, ctx),
    })
}
