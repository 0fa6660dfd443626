//! Sphinx's body directives: version notes, `seealso`, `centered`,
//! `hlist`, `only`, `productionlist`, `tabularcolumns` and `math` with a
//! label.

use crate::ast::ids::make_id;
use crate::ast::{Attr, Element, Node, Span, SphinxAttr, SphinxTag, Tag};

use super::super::block::Parser;
use super::super::directives::{Ctx, add_name, inline_arg};
use super::code::warning;
use super::{el, flag, set};

/// `versionadded`, `versionchanged`, `deprecated`, `versionremoved` (and
/// their `version-*` spellings).
pub fn version_note(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    let name = match ctx.name.as_str() {
        "version-added" => "versionadded",
        "version-changed" => "versionchanged",
        "version-deprecated" => "deprecated",
        "version-removed" => "versionremoved",
        n => n,
    };
    let (label, class) = match name {
        "versionadded" => ("Added in version", "added"),
        "versionchanged" => ("Changed in version", "changed"),
        "deprecated" => ("Deprecated since version", "deprecated"),
        _ => ("Removed in version", "removed"),
    };
    let version = ctx.args.first().cloned().unwrap_or_default();
    let mut node = el(SphinxTag::Versionmodified, ctx.span);
    node.set(Attr::Type, name);
    set(&mut node, SphinxAttr::Version, version.clone());
    let mut messages = Vec::new();
    if let Some(text) = ctx.args.get(1) {
        let (nodes, msgs) = inline_arg(p, text, ctx);
        let mut para = Element::new(Tag::Paragraph, ctx.span);
        para.children = nodes;
        node.push(para);
        messages = msgs;
    }
    if !ctx.content.is_empty() {
        let body = p.nested(Element::new(Tag::Container, ctx.span), &ctx.content);
        node.children.extend(body.children);
    }
    let text = format!("{label} {version}");
    let mut inline = Element::new(Tag::Inline, ctx.span);
    inline.classes.push("versionmodified".into());
    inline.classes.push(class.into());
    let starts_with_para = node
        .children
        .first()
        .and_then(Node::as_element)
        .is_some_and(|e| e.tag == Tag::Paragraph);
    if starts_with_para {
        inline.push_text(format!("{text}: "), ctx.span);
        if let Some(Node::Element(first)) = node.children.first_mut() {
            set(first, SphinxAttr::Translatable, "0");
            first.children.insert(0, inline.into());
        }
    } else {
        let ends = if node.children.is_empty() { "." } else { ": " };
        inline.push_text(format!("{text}{ends}"), ctx.span);
        let mut para = Element::new(Tag::Paragraph, ctx.span);
        set(&mut para, SphinxAttr::Translatable, "0");
        para.push(inline);
        if node.children.is_empty() {
            node.push(para);
        } else {
            node.children.insert(0, para.into());
        }
    }
    let mut out: Vec<Node> = vec![node.into()];
    out.extend(messages.into_iter().map(Node::from));
    out
}

/// `.. seealso::` (its one-line form: the argument-less body is the content).
pub fn seealso(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    if ctx.content.is_empty() {
        return ctx.no_content(p);
    }
    let node = p.nested(el(SphinxTag::Seealso, ctx.span), &ctx.content);
    vec![node.into()]
}

pub fn centered(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    let text = ctx.args.first().cloned().unwrap_or_default();
    let (nodes, msgs) = inline_arg(p, &text, ctx);
    let mut node = el(SphinxTag::Centered, ctx.span);
    node.children = nodes;
    let mut out: Vec<Node> = vec![node.into()];
    out.extend(msgs.into_iter().map(Node::from));
    out
}

/// `.. hlist::`: one bullet list spread over `:columns:` (default 2) columns.
pub fn hlist(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    let ncolumns: usize = ctx
        .opt("columns")
        .and_then(|c| c.parse().ok())
        .unwrap_or(2)
        .max(1);
    let body = p.nested(Element::new(Tag::Container, ctx.span), &ctx.content);
    let mut children = body.children;
    let is_list = children.len() == 1
        && children[0]
            .as_element()
            .is_some_and(|e| e.tag == Tag::BulletList);
    let Some(Node::Element(list)) = children.pop().filter(|_| is_list) else {
        return vec![warning(p, ctx, ".. hlist content is not a list").into()];
    };
    let mut items = list.children.into_iter();
    let total = items.len();
    let (per, more) = (total / ncolumns, total % ncolumns);
    let mut node = el(SphinxTag::Hlist, ctx.span);
    set(&mut node, SphinxAttr::Ncolumns, ncolumns.to_string());
    for column in 0..ncolumns {
        let n = if column < more { per + 1 } else { per };
        let mut bl = Element::new(Tag::BulletList, ctx.span);
        bl.children.extend(items.by_ref().take(n));
        let mut col = el(SphinxTag::Hlistcol, ctx.span);
        col.push(bl);
        node.push(col);
    }
    vec![node.into()]
}

/// `.. only:: EXPR`: kept (its content in place of the directive) when
/// the expression holds for the project's tags, else an empty comment, as
/// Sphinx's `OnlyNodeTransform` leaves it. An expression that does not
/// parse is a warning and the content is kept.
pub fn only(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    let expr = ctx.args.first().cloned().unwrap_or_default();
    let tags = p
        .doc
        .sphinx
        .as_deref()
        .map(|s| s.settings.tags.clone())
        .unwrap_or_default();
    let verdict = super::only::eval(&expr, &tags);
    let mut out: Vec<Node> = Vec::new();
    let keep = match verdict {
        Ok(v) => v,
        Err(why) => {
            out.push(
                warning(
                    p,
                    ctx,
                    &format!("exception while evaluating only directive expression: {why}"),
                )
                .into(),
            );
            true
        }
    };
    let body = p.nested(Element::new(Tag::Container, ctx.span), &ctx.content);
    if keep && !body.children.is_empty() {
        out.extend(body.children);
    } else {
        let mut c = Element::new(Tag::Comment, ctx.span);
        c.set(Attr::XmlSpace, "preserve");
        out.push(c.into());
    }
    out
}

/// `.. tabularcolumns:: SPEC` (for LaTeX; kept as Sphinx keeps it).
pub fn tabularcolumns(_p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    let mut node = el(SphinxTag::TabularColSpec, ctx.span);
    set(
        &mut node,
        SphinxAttr::Spec,
        ctx.args.first().cloned().unwrap_or_default(),
    );
    vec![node.into()]
}

/// `.. productionlist::`: grammar rules, each name a target
/// `grammar-token-NAME`, each `` `token` `` a cross-reference.
pub fn productionlist(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    let arg = ctx.joined_argument();
    let mut lines: Vec<&str> = arg.lines().collect();
    let group = if lines.first().is_some_and(|l| !l.contains(':')) {
        lines.remove(0).trim().to_string()
    } else {
        String::new()
    };
    let rules: Vec<(&str, String, String)> = lines
        .iter()
        .take_while(|l| l.contains(':'))
        .map(|l| {
            let (name, tokens) = l.split_once(':').unwrap_or((l, ""));
            (*l, name.trim().to_string(), tokens.trim().to_string())
        })
        .collect();
    let max_len = rules.iter().map(|r| r.1.chars().count()).max().unwrap_or(0);
    let mut list = el(SphinxTag::Productionlist, ctx.span);
    for (_, name, tokens) in rules {
        let mut prod = el(SphinxTag::Production, ctx.span);
        set(&mut prod, SphinxAttr::Tokenname, name.clone());
        prod.set(Attr::XmlSpace, "preserve");
        if !name.is_empty() {
            let prefix = if group.is_empty() {
                "grammar-token".to_string()
            } else {
                format!("grammar-token-{group}")
            };
            let mut strong = el(SphinxTag::LiteralStrong, ctx.span);
            let id = super::ids::sphinx_slug(&format!("{prefix}-{name}"));
            let id = if id.is_empty() || p.doc.ids.contains(&id) {
                super::ids::make_object_id(&mut p.doc, "grammar-token", None)
            } else {
                id
            };
            strong.ids.push(id);
            strong.push_text(name.clone(), ctx.span);
            let _ = p.doc.note_implicit_target(&mut strong, Some(ctx.lineno));
            prod.push(strong);
            let sep_width = max_len - name.chars().count() + 5;
            prod.push_text(format!("{:>sep_width$}", " ::= "), ctx.span);
        } else {
            prod.push_text(" ".repeat(max_len + 5), ctx.span);
        }
        prod.children
            .extend(token_xrefs(&tokens, &group, ctx.span, p));
        prod.push_text("\n", ctx.span);
        list.push(prod);
    }
    vec![list.into()]
}

/// Sphinx's `token_xrefs`: `` `name` `` in a rule is a `token` reference.
fn token_xrefs(text: &str, group: &str, span: Span, p: &Parser) -> Vec<Node> {
    let mut out = Vec::new();
    let mut rest = text;
    let mut before = String::new();
    while let Some(open) = rest.find('`') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('`') else { break };
        let token = &after[..close];
        if !is_token(token) {
            before.push_str(&rest[..open + 1]);
            rest = after;
            continue;
        }
        before.push_str(&rest[..open]);
        if !before.is_empty() {
            out.push(Node::text(std::mem::take(&mut before), span));
        }
        let (title, target) = if let Some(t) = token.strip_prefix('~') {
            let title = t.rsplit_once(':').map_or(t, |(_, b)| b);
            (title.to_string(), t.to_string())
        } else if let Some(t) = token.strip_prefix(':') {
            (t.to_string(), t.to_string())
        } else if token.contains(':') || group.is_empty() {
            (token.to_string(), token.to_string())
        } else {
            (token.to_string(), format!("{group}:{token}"))
        };
        let mut x = super::roles::pending_xref(&p.doc, "std", "token", &target, false);
        x.set(Attr::Refwarn, flag(false));
        let mut lit = Element::new(Tag::Literal, span);
        lit.classes.push("xref".into());
        lit.push_text(title, span);
        x.push(lit);
        out.push(x.into());
        rest = &after[close + 1..];
    }
    before.push_str(rest);
    if !before.is_empty() {
        out.push(Node::text(before, span));
    }
    out
}

/// Sphinx's `token_re` body: `(~?[\w-]*:)?\w+`.
fn is_token(t: &str) -> bool {
    let word = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_');
    let t = t.strip_prefix('~').unwrap_or(t);
    match t.rsplit_once(':') {
        Some((group, name)) => {
            group
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
                && word(name)
        }
        None => word(t),
    }
}

/// Sphinx's `math` directive: a `math_block` with `docname`, `label`,
/// `number` and `nowrap`; a label adds the target `equation-LABEL`.
pub fn math(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    let (mut latex, _) = p.join(&ctx.content);
    if let Some(a) = ctx.args.first().filter(|a| !a.is_empty()) {
        latex = format!("{a}\n\n{latex}");
    }
    let mut node = Element::new(Tag::MathBlock, ctx.span);
    node.set(Attr::XmlSpace, "preserve");
    node.classes.extend(ctx.classes());
    node.push_text(latex, ctx.span);
    let docname = p
        .doc
        .sphinx
        .as_deref()
        .map(|s| s.docname.clone())
        .unwrap_or_default();
    set(&mut node, SphinxAttr::Docname, docname);
    let nowrap = ctx.has("no-wrap") || ctx.has("nowrap");
    set(&mut node, SphinxAttr::NoWrap, flag(nowrap));
    set(&mut node, SphinxAttr::Nowrap, flag(nowrap));
    let label = ctx.opt("label").or(ctx.opt("name")).map(str::to_string);
    let mut out: Vec<Node> = Vec::new();
    let names = add_name(p, ctx, &mut node);
    match label.filter(|l| !l.is_empty()) {
        Some(label) => {
            let number = p
                .doc
                .sphinx
                .as_deref_mut()
                .map_or(1, |s| s.serial("eqno") + 1);
            set(&mut node, SphinxAttr::Label, label.clone());
            set(&mut node, SphinxAttr::Number, number.to_string());
            let mut target = Element::new(Tag::Target, ctx.span);
            target.ids.push(make_id(&format!("equation-{label}")));
            let _ = p.doc.note_explicit_target(&mut target, Some(ctx.lineno));
            out.push(target.into());
        }
        None => {
            set(&mut node, SphinxAttr::Label, "True");
            set(&mut node, SphinxAttr::Number, "True");
        }
    }
    out.push(node.into());
    out.extend(names.into_iter().map(Node::from));
    out
}
