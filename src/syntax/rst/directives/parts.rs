//! `contents`: the topic and a pending node the contents transform fills in.

use crate::ast::Attr;
use crate::ast::ids::fully_normalize_name;
use crate::ast::{Element, Node, Tag};

use super::Ctx;
use super::admonitions::inline_arg;
use crate::syntax::rst::block::Parser;
use crate::syntax::rst::languages;

pub fn contents(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    let in_body =
        p.stack.len() > p.section_level + 1 && p.stack.last().is_none_or(|e| e.tag != Tag::Sidebar);
    if in_body {
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
    let mut msgs = Vec::new();
    let mut title = None;
    if let Some(a) = ctx.args.first() {
        let (nodes, m) = inline_arg(p, a, ctx);
        let mut t = Element::new(Tag::Title, ctx.span);
        t.children = nodes;
        title = Some(t);
        msgs = m;
    } else if !ctx.has("local") {
        let mut t = Element::new(Tag::Title, ctx.span);
        // docutils' label in the page's language
        let label = languages::label(&p.doc.language_code, "contents").unwrap_or("Contents");
        t.push_text(label, ctx.span);
        title = Some(t);
    }
    let mut topic = Element::new(Tag::Topic, ctx.span);
    topic.classes.push("contents".into());
    topic.classes.extend(ctx.classes());
    if ctx.has("local") {
        topic.classes.push("local".into());
    }
    let name = match &title {
        Some(t) => t.astext(),
        None => "Contents".to_string(),
    };
    if let Some(t) = title {
        topic.push(t);
    }
    let name = fully_normalize_name(&name);
    if !p.doc.names.contains_key(&name) {
        topic.names.push(name);
    }
    let extra = p.doc.note_implicit_target(&mut topic, Some(ctx.lineno));
    let mut pending = Element::new(Tag::Pending, ctx.span);
    pending.set(Attr::Kind, "contents");
    for (k, v) in &ctx.options {
        pending.set_named(k, v.clone());
    }
    topic.push(pending);
    let mut out: Vec<Node> = vec![topic.into()];
    out.extend(msgs.into_iter().chain(extra).map(Node::from));
    out
}
