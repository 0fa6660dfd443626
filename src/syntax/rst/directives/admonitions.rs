//! Admonitions: `note`, `warning`, … and the generic `admonition`.

use crate::ast::ids::make_id;
use crate::ast::{Element, Node, Tag};

use super::{Ctx, add_name};
use crate::syntax::rst::block::Parser;

pub fn admonition(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    if ctx.content.is_empty() {
        return ctx.no_content(p);
    }
    let tag = Tag::from_name(&ctx.name).unwrap_or(Tag::Admonition);
    let mut el = Element::new(tag, ctx.span);
    el.classes = ctx.classes().into();
    let mut msgs = add_name(p, ctx, &mut el);
    if tag == Tag::Admonition {
        let title_text = ctx.args.first().cloned().unwrap_or_default();
        let (nodes, m) = inline_arg(p, &title_text, ctx);
        let mut t = Element::new(Tag::Title, ctx.span);
        t.children = nodes;
        el.push(t);
        for x in m {
            el.push(x);
        }
        if !ctx.has("class") {
            el.classes
                .push(format!("admonition-{}", make_id(&title_text)));
        }
    }
    for m in msgs.drain(..) {
        el.push(m);
    }
    let el = p.nested(el, &ctx.content);
    vec![el.into()]
}

/// Inline-parses a directive argument (spans point at the directive).
pub fn inline_arg(p: &mut Parser, text: &str, ctx: &Ctx) -> (Vec<Node>, Vec<Element>) {
    let map = crate::syntax::rst::inline::SpanMap::new(&p.lines, Vec::new());
    let (mut nodes, msgs) =
        crate::syntax::rst::inline::parse_inline(&mut p.doc, text, &map, Some(ctx.lineno));
    fix_spans(&mut nodes, ctx.span);
    (nodes, msgs)
}

fn fix_spans(nodes: &mut [Node], span: crate::ast::Span) {
    for n in nodes {
        match n {
            Node::Text(t) => t.span = span,
            Node::Element(e) => {
                e.span = span;
                fix_spans(&mut e.children, span);
            }
        }
    }
}
