//! Body directives: parsed-literal, topic, sidebar, rubric,
//! epigraph/highlights/pull-quote, compound, container, line-block, math.

use crate::ast::Attr;
use crate::ast::ids::make_id;
use crate::ast::{Element, Node, Tag};

use super::admonitions::inline_arg;
use super::{Ctx, add_name};
use crate::syntax::rst::block::Parser;

pub fn body(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    match ctx.name.as_str() {
        "code" | "code-block" | "sourcecode" => super::code::code(p, ctx),
        "parsed-literal" => parsed_literal(p, ctx),
        "topic" | "sidebar" => topic(p, ctx),
        "rubric" => rubric(p, ctx),
        "epigraph" | "highlights" | "pull-quote" => quote(p, ctx),
        "compound" | "container" => compound(p, ctx),
        "line-block" => line_block(p, ctx),
        "math" => math(p, ctx),
        _ => Vec::new(),
    }
}

fn parsed_literal(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    if ctx.content.is_empty() {
        return ctx.no_content(p);
    }
    let lineno = ctx.lineno + 1;
    let (text, segs) = p.join(&ctx.content);
    let (nodes, msgs) = p.inline(&text, segs, lineno);
    let mut lb = Element::new(Tag::LiteralBlock, ctx.span);
    lb.set(Attr::XmlSpace, "preserve");
    lb.classes = ctx.classes().into();
    lb.children = nodes;
    let m2 = add_name(p, ctx, &mut lb);
    let mut out: Vec<Node> = vec![lb.into()];
    out.extend(msgs.into_iter().map(Node::from));
    out.extend(m2.into_iter().map(Node::from));
    out
}

fn topic(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    let is_sidebar = ctx.name == "sidebar";
    // `BasePseudoSection.run`: only in the document, a section or a
    // sidebar (a sidebar not in another sidebar).
    let parent = p.stack.last().map(|e| e.tag);
    if is_sidebar && parent == Some(Tag::Sidebar) {
        return vec![
            ctx.error(
                p,
                &format!(
                    "The \"{}\" directive may not be used within a sidebar element.",
                    ctx.name
                ),
            )
            .into(),
        ];
    }
    if !matches!(parent, Some(Tag::Document | Tag::Section | Tag::Sidebar)) {
        return vec![
            ctx.error(
                p,
                &format!(
                    "The \"{}\" directive may not be used within topics or body elements.",
                    ctx.name
                ),
            )
            .into(),
        ];
    }
    if ctx.content.is_empty() {
        return ctx.no_content(p);
    }
    let mut el = Element::new(if is_sidebar { Tag::Sidebar } else { Tag::Topic }, ctx.span);
    let title_text = ctx.args.first().cloned().unwrap_or_default();
    let mut msgs = Vec::new();
    if !title_text.is_empty() {
        let (nodes, m) = inline_arg(p, &title_text, ctx);
        let mut t = Element::new(Tag::Title, ctx.span);
        t.children = nodes;
        el.push(t);
        msgs = m;
    }
    if let Some(sub) = ctx.opt("subtitle") {
        let (nodes, m) = inline_arg(p, sub, ctx);
        let mut t = Element::new(Tag::Subtitle, ctx.span);
        t.children = nodes;
        el.push(t);
        msgs.extend(m);
    }
    el.classes = ctx.classes().into();
    let m3 = add_name(p, ctx, &mut el);
    for m in msgs.into_iter().chain(m3) {
        el.push(m);
    }
    let el = p.nested(el, &ctx.content);
    vec![el.into()]
}

fn rubric(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    let text = ctx.args.first().cloned().unwrap_or_default();
    let (nodes, msgs) = inline_arg(p, &text, ctx);
    let mut el = Element::new(Tag::Rubric, ctx.span);
    el.children = nodes;
    el.classes = ctx.classes().into();
    let m2 = add_name(p, ctx, &mut el);
    let mut out: Vec<Node> = vec![el.into()];
    out.extend(msgs.into_iter().chain(m2).map(Node::from));
    out
}

fn quote(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    if ctx.content.is_empty() {
        return ctx.no_content(p);
    }
    let mut out = Vec::new();
    for mut e in p.block_quote_elements(ctx.content.clone()) {
        if e.tag == Tag::BlockQuote {
            e.classes.push(ctx.name.clone());
        }
        out.push(e.into());
    }
    out
}

fn compound(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    if ctx.content.is_empty() {
        return ctx.no_content(p);
    }
    let tag = if ctx.name == "compound" {
        Tag::Compound
    } else {
        Tag::Container
    };
    let mut el = Element::new(tag, ctx.span);
    if tag == Tag::Container {
        if let Some(a) = ctx.args.first() {
            for w in a.split_whitespace() {
                let id = make_id(w);
                if id.is_empty() {
                    return vec![
                        ctx.error(
                            p,
                            &format!(
                                "Invalid class attribute value for \"{}\" directive: \"{}\".",
                                ctx.name, a
                            ),
                        )
                        .into(),
                    ];
                }
                el.classes.push(id);
            }
        }
    } else {
        el.classes = ctx.classes().into();
    }
    let msgs = add_name(p, ctx, &mut el);
    for m in msgs {
        el.push(m);
    }
    let el = p.nested(el, &ctx.content);
    vec![el.into()]
}

/// The legacy `line-block` directive: one `line` per content line, lines
/// indented more than others nested as the `|` syntax nests them.
fn line_block(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    if ctx.content.is_empty() {
        return ctx.no_content(p);
    }
    let mut lb = Element::new(Tag::LineBlock, ctx.span);
    lb.classes = ctx.classes().into();
    let name_msgs = add_name(p, ctx, &mut lb);
    let mut msgs = Vec::new();
    let mut items = Vec::new();
    let mut previous = 0;
    for r in ctx.content.clone() {
        let lineno = p.lineno(r);
        let (text, segs) = p.join(&[r]);
        let stripped = text.trim_start();
        // a blank line keeps the indent of the line before it
        let indent = if stripped.is_empty() {
            previous
        } else {
            text[..text.len() - stripped.len()].chars().count()
        };
        previous = indent;
        let (nodes, m) = p.inline(stripped, segs, lineno);
        let mut l = Element::new(Tag::Line, p.line_span(r));
        l.children = nodes;
        items.push((l, indent));
        msgs.extend(m);
    }
    let nested = crate::syntax::rst::lists::line_blocks::nest_segment(items, ctx.span, 0);
    lb.children = nested.children;
    let mut out: Vec<Node> = vec![lb.into()];
    out.extend(name_msgs.into_iter().map(Node::from));
    out.extend(msgs.into_iter().map(Node::from));
    out
}

fn math(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    if ctx.content.is_empty() {
        return ctx.no_content(p);
    }
    let (text, _) = p.join(&ctx.content);
    let mut out = Vec::new();
    for block in text.split("\n\n") {
        if block.trim().is_empty() {
            continue;
        }
        let mut m = Element::new(Tag::MathBlock, ctx.span);
        m.set(Attr::XmlSpace, "preserve");
        m.classes = ctx.classes().into();
        m.push_text(block, ctx.span);
        // docutils names every block of the directive (`add_name` per block).
        let msgs = add_name(p, ctx, &mut m);
        out.push(m.into());
        out.extend(msgs.into_iter().map(Node::from));
    }
    out
}
