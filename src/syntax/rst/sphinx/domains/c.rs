//! The C domain: `c:function`, `c:macro`, `c:struct`, `c:union`, `c:enum`,
//! `c:enumerator`, `c:type`, `c:member`, `c:var`. Signatures are parsed as
//! Sphinx's C `DefinitionParser` parses them ([`super::c_parse`]) and
//! described as its AST describes itself: the declared name in
//! `desc_name`, type names as `pending_xref` (`identifier`) around a
//! `desc_sig_name`, ids `c.NAME` with the enclosing struct's name.

use crate::ast::{Attr, Element, Node, Span, SphinxAttr, SphinxTag, Tag};

use super::super::super::block::Parser;
use super::super::super::directives::Ctx;
use super::super::index::{IndexEntry, index_node};
use super::super::{el, set};
use super::c_ast::{
    Array, Decl, DeclSpecs, Declaration, Declarator, Expr, Param, Simple, Trailing, TypeDecl,
};
use super::c_parse::parse;
use super::{desc_node, finish, flags, leaf, preserved, signature_node, unparsed_name, warning};

/// How a name is shown (Sphinx's description modes).
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// The declared name: `desc_name`, its scope in `desc_addname`.
    LastIsName,
    /// A type name: a `pending_xref` per part.
    MarkType,
    /// A plain `desc_sig_name`.
    NoneIsName,
    /// A parameter's name (plain, as `NoneIsName`).
    Param,
}

/// Writes nodes of one signature, knowing the scope for type references.
struct Describer<'a> {
    span: Span,
    parent_key: &'a str,
    docname: &'a str,
}

impl Describer<'_> {
    fn leaf(&self, out: &mut Vec<Node>, tag: SphinxTag, text: &str) {
        out.push(leaf(tag, text, self.span));
    }

    fn space(&self, out: &mut Vec<Node>) {
        self.leaf(out, SphinxTag::DescSigSpace, " ");
    }

    fn punct(&self, out: &mut Vec<Node>, text: &str) {
        self.leaf(out, SphinxTag::DescSigPunctuation, text);
    }

    fn keyword(&self, out: &mut Vec<Node>, text: &str) {
        self.leaf(out, SphinxTag::DescSigKeyword, text);
    }

    /// A type name: `pending_xref` (`c`, `identifier`) around its name.
    fn xref(&self, out: &mut Vec<Node>, target: &str, name: &str) {
        let mut x = Element::new(Tag::PendingXref, self.span);
        x.set(Attr::Refdomain, "c");
        x.set(Attr::Reftype, "identifier");
        x.set(Attr::Reftarget, target);
        x.set(Attr::Refdoc, self.docname);
        x.set_named("modname", "True");
        x.set_named("classname", "True");
        set(&mut x, SphinxAttr::CParentKey, self.parent_key);
        x.children
            .push(leaf(SphinxTag::DescSigName, name, self.span));
        out.push(x.into());
    }

    fn nested_name(&self, out: &mut Vec<Node>, names: &[String], mode: Mode) {
        match mode {
            Mode::NoneIsName | Mode::Param => {
                for n in names {
                    self.leaf(out, SphinxTag::DescSigName, n);
                }
            }
            Mode::MarkType | Mode::LastIsName => {
                let scope = if mode == Mode::LastIsName {
                    &names[..names.len().saturating_sub(1)]
                } else {
                    names
                };
                let mut dest = Vec::new();
                let mut prefix = String::new();
                for (i, n) in scope.iter().enumerate() {
                    if i > 0 {
                        self.punct(&mut dest, ".");
                        prefix.push('.');
                    }
                    prefix.push_str(n);
                    self.xref(&mut dest, &prefix, n);
                }
                if mode == Mode::MarkType {
                    out.extend(dest);
                    return;
                }
                if names.len() > 1 {
                    self.punct(&mut dest, ".");
                    let mut add = preserved(Tag::Sphinx(SphinxTag::DescAddname), self.span);
                    add.classes
                        .extend(["sig-prename", "descclassname"].map(String::from));
                    add.children = dest;
                    out.push(add.into());
                }
                let mut name = preserved(Tag::DescName, self.span);
                name.classes
                    .extend(["sig-name", "descname"].map(String::from));
                if let Some(last) = names.last() {
                    self.leaf(&mut name.children, SphinxTag::DescSigName, last);
                }
                out.push(name.into());
            }
        }
    }

    fn simple(&self, s: &Simple, out: &mut Vec<Node>) {
        let words = [
            s.storage,
            s.thread_local,
            s.inline.then_some("inline"),
            s.restrict.then_some("restrict"),
            s.volatile.then_some("volatile"),
            s.const_.then_some("const"),
        ];
        for w in words.into_iter().flatten() {
            if !out.is_empty() {
                self.space(out);
            }
            self.keyword(out, w);
        }
    }

    fn decl_specs(&self, d: &DeclSpecs, out: &mut Vec<Node>) {
        let mut left = Vec::new();
        self.simple(&d.left, &mut left);
        let had_left = !left.is_empty();
        out.extend(left);
        let Some(trailing) = &d.trailing else {
            return;
        };
        if had_left {
            self.space(out);
        }
        match trailing {
            Trailing::Fundamental(names) => {
                for (i, n) in names.iter().enumerate() {
                    if i > 0 {
                        self.space(out);
                    }
                    self.leaf(out, SphinxTag::DescSigKeywordType, n);
                }
            }
            Trailing::Name { prefix, names } => {
                if let Some(p) = prefix {
                    self.keyword(out, p);
                    self.space(out);
                }
                self.nested_name(out, names, Mode::MarkType);
            }
        }
        let mut right = Vec::new();
        self.simple(&d.right, &mut right);
        if !right.is_empty() {
            self.space(out);
        }
        out.extend(right);
    }

    fn expr(&self, e: &Expr, out: &mut Vec<Node>) {
        match e {
            Expr::Number(n) => self.leaf(out, SphinxTag::DescSigLiteralNumber, n),
            Expr::Str(s) => self.leaf(out, SphinxTag::DescSigLiteralString, s),
            Expr::Char(s) => self.leaf(out, SphinxTag::DescSigLiteralChar, s),
            Expr::Name(names) => self.nested_name(out, names, Mode::MarkType),
            Expr::Paren(inner) => {
                self.punct(out, "(");
                self.expr(inner, out);
                self.punct(out, ")");
            }
            Expr::Unary(op, inner) => {
                self.leaf(out, SphinxTag::DescSigOperator, op);
                self.expr(inner, out);
            }
            Expr::Binary(exprs, ops) => {
                for (i, e) in exprs.iter().enumerate() {
                    if i > 0 {
                        self.space(out);
                        self.leaf(out, SphinxTag::DescSigOperator, ops[i - 1]);
                        self.space(out);
                    }
                    self.expr(e, out);
                }
            }
        }
    }

    fn array(&self, a: &Array, out: &mut Vec<Node>) {
        self.punct(out, "[");
        let mut add_space = false;
        for (on, w) in [
            (a.static_, "static"),
            (a.restrict, "restrict"),
            (a.volatile, "volatile"),
            (a.const_, "const"),
        ] {
            if on {
                if add_space {
                    self.space(out);
                }
                self.keyword(out, w);
                add_space = true;
            }
        }
        if a.vla {
            self.punct(out, "*");
        } else if let Some(size) = &a.size {
            if add_space {
                self.space(out);
            }
            self.expr(size, out);
        }
        self.punct(out, "]");
    }

    fn params(&self, params: &[Param], mode: Mode, out: &mut Vec<Node>) {
        if mode == Mode::LastIsName {
            let mut list = preserved(Tag::Sphinx(SphinxTag::DescParameterlist), self.span);
            set(&mut list, SphinxAttr::MultiLineParameterList, "0");
            for p in params {
                let mut param = preserved(Tag::Sphinx(SphinxTag::DescParameter), self.span);
                set(&mut param, SphinxAttr::Noemph, "1");
                self.param(p, Mode::Param, &mut param.children);
                list.push(param);
            }
            out.push(list.into());
            return;
        }
        self.punct(out, "(");
        for (i, p) in params.iter().enumerate() {
            if i > 0 {
                self.punct(out, ",");
                self.space(out);
            }
            self.param(p, Mode::MarkType, out);
        }
        self.punct(out, ")");
    }

    fn param(&self, p: &Param, mode: Mode, out: &mut Vec<Node>) {
        match p {
            Param::Ellipsis => self.punct(out, "..."),
            Param::Arg(t) => self.type_decl(t, mode, out),
        }
    }

    fn declarator(&self, d: &Declarator, mode: Mode, out: &mut Vec<Node>) {
        match d {
            Declarator::NameParam {
                name,
                arrays,
                params,
            } => {
                if let Some(n) = name {
                    self.nested_name(out, n, mode);
                }
                for a in arrays {
                    self.array(a, out);
                }
                if let Some(ps) = params {
                    self.params(ps, mode, out);
                }
            }
            Declarator::BitField { name, size } => {
                if let Some(n) = name {
                    self.nested_name(out, n, mode);
                }
                self.space(out);
                self.punct(out, ":");
                self.space(out);
                self.expr(size, out);
            }
            Declarator::Ptr {
                next,
                restrict,
                volatile,
                const_,
            } => {
                self.punct(out, "*");
                if *restrict {
                    self.keyword(out, "restrict");
                }
                if *volatile {
                    if *restrict {
                        self.space(out);
                    }
                    self.keyword(out, "volatile");
                }
                if *const_ {
                    if *restrict || *volatile {
                        self.space(out);
                    }
                    self.keyword(out, "const");
                }
                if (*const_ || *volatile || *restrict) && next.requires_space() {
                    self.space(out);
                }
                self.declarator(next, mode, out);
            }
            Declarator::Paren { inner, next } => {
                self.punct(out, "(");
                self.declarator(inner, mode, out);
                self.punct(out, ")");
                self.declarator(next, Mode::NoneIsName, out);
            }
        }
    }

    fn type_decl(&self, t: &TypeDecl, mode: Mode, out: &mut Vec<Node>) {
        self.decl_specs(&t.specs, out);
        if t.decl.requires_space() && !t.specs.is_empty() {
            self.space(out);
        }
        let mode = if mode == Mode::MarkType {
            Mode::NoneIsName
        } else {
            mode
        };
        self.declarator(&t.decl, mode, out);
        if let Some(init) = &t.init {
            self.space(out);
            self.punct(out, "=");
            self.space(out);
            self.expr(init, out);
        }
    }

    /// The children of the `desc_signature_line` of a declaration.
    fn declaration(&self, d: &Declaration, objtype: &str, out: &mut Vec<Node>) {
        let prefix = match (objtype, &d.decl) {
            ("struct" | "union" | "enum" | "enumerator", _) => Some(objtype),
            ("type", Decl::Type(t)) if t.specs.trailing.is_some() => Some("typedef"),
            ("type", _) => Some("type"),
            _ => None,
        };
        if let Some(p) = prefix {
            self.keyword(out, p);
            self.space(out);
        }
        match &d.decl {
            Decl::Type(t) => self.type_decl(t, Mode::LastIsName, out),
            Decl::Macro { name, params } => {
                self.nested_name(out, name, Mode::LastIsName);
                if let Some(ps) = params {
                    let mut list = preserved(Tag::Sphinx(SphinxTag::DescParameterlist), self.span);
                    for p in ps {
                        let mut param = preserved(Tag::Sphinx(SphinxTag::DescParameter), self.span);
                        set(&mut param, SphinxAttr::Noemph, "1");
                        match p {
                            None => self.punct(&mut param.children, "..."),
                            Some(n) => self.leaf(&mut param.children, SphinxTag::DescSigName, n),
                        }
                        list.push(param);
                    }
                    out.push(list.into());
                }
            }
            Decl::Name(n) => self.nested_name(out, n, Mode::LastIsName),
            Decl::Enumerator { name, init } => {
                self.nested_name(out, name, Mode::LastIsName);
                if let Some(init) = init {
                    self.space(out);
                    self.punct(out, "=");
                    self.space(out);
                    self.expr(init, out);
                }
            }
        }
        if d.semicolon {
            self.punct(out, ";");
        }
    }
}

/// The object type Sphinx's C domain files a directive under.
fn object_type(directive: &str) -> &str {
    if directive == "var" {
        "member"
    } else {
        directive
    }
}

/// A C object directive.
pub fn object(p: &mut Parser, ctx: &Ctx, directive: &str) -> Vec<Node> {
    let objtype = object_type(directive);
    let mut desc = desc_node(ctx, "c", directive);
    let f = flags(ctx);
    let mut entries = Vec::new();
    let mut messages = Vec::new();
    let arg = ctx.joined_argument();
    let parent: Vec<String> = p
        .doc
        .sphinx
        .as_deref()
        .map(|s| s.domains.c_parent.clone())
        .unwrap_or_default();
    let docname = p
        .doc
        .sphinx
        .as_deref()
        .map(|s| s.docname.clone())
        .unwrap_or_default();
    let mut last_full: Option<Vec<String>> = None;
    for sig in arg.split('\n').map(str::trim) {
        let mut signode = signature_node("c", ctx.span);
        set(&mut signode, SphinxAttr::MultiLineParameterList, "0");
        let parsed = match parse(sig, objtype) {
            Ok(d) => d,
            Err(e) => {
                messages.push(warning(
                    p,
                    ctx,
                    &format!(
                        "Invalid C declaration: {} [error at {}]\n  {sig}",
                        e.text, e.at
                    ),
                ));
                let paren = if directive == "function" { "()" } else { "" };
                set(
                    &mut signode,
                    SphinxAttr::TocName,
                    format!("PhonyNameDueToError{paren}"),
                );
                set(&mut signode, SphinxAttr::TocParts, "PhonyNameDueToError");
                signode.push(unparsed_name(sig, ctx.span));
                desc.push(signode);
                last_full = Some(vec!["PhonyNameDueToError".into()]);
                continue;
            }
        };
        let mut full = parent.clone();
        full.extend(parsed.name().iter().cloned());
        let name = full.join(".");
        let id = format!("c.{name}");
        let key = parent.join(".");
        let first = p
            .doc
            .sphinx
            .as_deref_mut()
            .map(|s| s.domains.c_declared(&name, ctx.lineno))
            .unwrap_or(Ok(()));
        if let Err(line) = first {
            messages.push(warning(
                p,
                ctx,
                &format!(
                    "Duplicate C declaration, also defined at {docname}:{line}.\nDeclaration is '.. c:{directive}:: {sig}'."
                ),
            ));
        }
        set(&mut signode, SphinxAttr::IsMultiline, "1");
        let last = full.last().cloned().unwrap_or_default();
        let parens = directive == "function" || (directive == "macro" && sig.contains('('));
        set(
            &mut signode,
            SphinxAttr::TocName,
            if parens { format!("{last}()") } else { last },
        );
        set(&mut signode, SphinxAttr::TocParts, full.join(" "));
        let mut line = preserved(Tag::Sphinx(SphinxTag::DescSignatureLine), ctx.span);
        set(
            &mut line,
            SphinxAttr::AddPermalink,
            if first.is_ok() { "1" } else { "0" },
        );
        let describer = Describer {
            span: ctx.span,
            parent_key: &key,
            docname: &docname,
        };
        describer.declaration(&parsed, directive, &mut line.children);
        signode.push(line);
        if !f.no_index {
            if !p.doc.ids.contains(&id) {
                signode.ids.push(id.clone());
                signode.set(Attr::KbgenObject, name.clone());
                let _ = p.doc.note_explicit_target(&mut signode, None);
            }
            if !f.no_entry {
                entries.push(IndexEntry::single(
                    format!("{name} (C {directive})"),
                    &id,
                    false,
                ));
            }
        }
        desc.push(signode);
        last_full = Some(full);
    }
    // Nested directives (`c:member` in `c:struct`) are scoped by the last
    // declaration, as Sphinx's `before_content` sets the parent symbol.
    if let (Some(full), Some(sx)) = (last_full, p.doc.sphinx.as_deref_mut()) {
        sx.domains.c_parent = full;
    }
    let content = p.nested(el(SphinxTag::DescContent, ctx.span), &ctx.content);
    if let Some(sx) = p.doc.sphinx.as_deref_mut() {
        sx.domains.c_parent = parent;
    }
    desc.push(content);
    finish(ctx, index_node(&entries, ctx.span), desc, messages)
}
