//! `image` and `figure`.

use crate::ast::Attr;
use crate::ast::ids::{fully_normalize_name, whitespace_normalize_name};
use crate::ast::{Element, Node, Tag};

use super::{Ctx, Opt, add_name};
use crate::syntax::rst::block::Parser;
use crate::syntax::rst::inline::{escape2null, unescape};

pub const IMAGE_OPTS: &[(&str, Opt)] = &[
    ("alt", Opt::Unchanged),
    ("height", Opt::LengthOrUnitless),
    ("width", Opt::LengthPercentageOrUnitless),
    ("scale", Opt::Percentage),
    (
        "align",
        Opt::Align(&["top", "middle", "bottom", "left", "center", "right"]),
    ),
    ("target", Opt::UnchangedRequired),
    ("loading", Opt::Choice(&["embed", "link", "lazy"])),
    ("class", Opt::Class),
    ("name", Opt::Name),
];

pub const FIGURE_OPTS: &[(&str, Opt)] = &[
    ("alt", Opt::Unchanged),
    ("height", Opt::LengthOrUnitless),
    ("width", Opt::LengthPercentageOrUnitless),
    ("scale", Opt::Percentage),
    ("align", Opt::Align(&["left", "center", "right"])),
    ("target", Opt::UnchangedRequired),
    ("loading", Opt::Choice(&["embed", "link", "lazy"])),
    ("class", Opt::Class),
    ("name", Opt::Name),
    ("figwidth", Opt::FigureWidth),
    ("figclass", Opt::Class),
    ("figname", Opt::Unchanged),
];

/// `directives.uri`: whitespace removed except escaped spaces.
pub fn uri(arg: &str) -> String {
    let parts = crate::syntax::rst::inline::split_escaped_whitespace(&escape2null(arg));
    parts
        .iter()
        .map(|p| unescape(p).split_whitespace().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `Image.run`'s check of `align`: vertical values in a substitution
/// definition (the image is inline there), horizontal ones elsewhere.
/// A figure checks its own `align` with the options.
fn align_problem(ctx: &Ctx) -> Option<String> {
    const HORIZONTAL: &[&str] = &["left", "center", "right"];
    const VERTICAL: &[&str] = &["top", "middle", "bottom"];
    let align = ctx.opt("align").filter(|_| ctx.name != "figure")?;
    let (allowed, within) = if ctx.subst.is_some() {
        (VERTICAL, " within a substitution definition")
    } else {
        (HORIZONTAL, "")
    };
    (!allowed.contains(&align)).then(|| {
        format!(
            "Error in \"{}\" directive: \"{align}\" is not a valid value for the \"align\" option{within}.  Valid values for \"align\" are: \"{}\".",
            ctx.name,
            allowed.join("\", \"")
        )
    })
}

pub fn image_node(p: &mut Parser, ctx: &Ctx) -> (Vec<Node>, Option<Element>) {
    if let Some(problem) = align_problem(ctx) {
        return (vec![ctx.error(p, &problem).into()], None);
    }
    let mut msgs: Vec<Node> = Vec::new();
    let mut img = Element::new(Tag::Image, ctx.span);
    let u = uri(ctx.args.first().map(String::as_str).unwrap_or(""));
    for (k, v) in &ctx.options {
        match k.as_str() {
            // A figure keeps `align` for itself (docutils pops it first).
            "align" if ctx.name == "figure" => {}
            "alt" | "height" | "width" | "scale" | "align" | "loading" => {
                img.set_named(k, v.clone())
            }
            _ => {}
        }
    }
    if !ctx.has("alt")
        && let Some(s) = &ctx.subst
    {
        img.set(Attr::Alt, s.clone());
    }
    img.set(Attr::Uri, u);
    img.classes = ctx.classes().into();
    let mut reference = None;
    if let Some(t) = ctx.opt("target") {
        let esc = escape2null(t);
        let mut r = Element::new(Tag::Reference, ctx.span);
        if esc.ends_with('_') && !esc.ends_with("\0_") && !esc.contains(' ')
            || (esc.starts_with('`') && esc.ends_with("`_"))
        {
            let inner = esc.trim_end_matches('_');
            let inner = inner
                .strip_prefix('`')
                .and_then(|s| s.strip_suffix('`'))
                .unwrap_or(inner);
            let data = unescape(inner);
            r.set(Attr::Name, whitespace_normalize_name(&data));
            r.set(Attr::Refname, fully_normalize_name(&data));
        } else {
            r.set(Attr::Refuri, uri(t));
        }
        reference = Some(r);
    }
    for m in add_name(p, ctx, &mut img) {
        msgs.push(m.into());
    }
    if let Some(mut r) = reference {
        r.push(img);
        let mut out = msgs;
        out.insert(0, r.into());
        let first = out.remove(0);
        let mut v = vec![first];
        v.extend(out);
        return (v, None);
    }
    (msgs, Some(img))
}

pub fn image(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    let (mut nodes, img) = image_node(p, ctx);
    if let Some(img) = img {
        nodes.insert(0, img.into());
    }
    nodes
}

pub fn figure(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    let (nodes, img) = image_node(p, ctx);
    let mut fig = Element::new(Tag::Figure, ctx.span);
    // `image` would take the image file's width (docutils needs PIL for
    // that and sets none without it, as here).
    if let Some(w) = ctx.opt("figwidth").filter(|w| *w != "image") {
        fig.set(Attr::Width, w.to_string());
    }
    if let Some(c) = ctx.opt("figclass") {
        fig.classes = c.split_whitespace().map(str::to_string).collect();
    }
    if let Some(mut img) = img {
        // Sphinx's figure directive gives `:name:` to the figure, so
        // `:ref:` and `:numref:` reach the figure and its caption.
        if p.doc.sphinx.is_some() {
            fig.names = std::mem::take(&mut img.names);
            fig.ids = std::mem::take(&mut img.ids);
        }
        fig.push(img);
    }
    let mut extra = Vec::new();
    for n in nodes {
        match n {
            Node::Element(e) if e.tag == Tag::Reference => fig.push(*e),
            other => extra.push(other),
        }
    }
    // `:figname:` names the figure itself (an empty value names nothing);
    // a duplicate name's message is left for the Messages transform, as
    // docutils does not keep it in a figure (whose content model holds no
    // body elements), the same as `add_name`'s
    if let Some(name) = ctx.opt("figname").filter(|n| !n.is_empty()) {
        fig.names.push(fully_normalize_name(name));
        let msgs = p.doc.note_explicit_target(&mut fig, Some(ctx.lineno));
        p.doc.dangling_messages.extend(msgs);
    }
    if let Some(a) = ctx.opt("align") {
        fig.set(Attr::Align, a.to_string());
    }
    if !ctx.content.is_empty() {
        let tmp = Element::new(Tag::Container, ctx.span);
        let tmp = p.nested(tmp, &ctx.content);
        let mut kids = tmp.children.into_iter();
        // targets and pending nodes (`.. class::`) before the caption stay
        // in the figure: transforms remove them later
        for first in kids.by_ref() {
            match first {
                Node::Element(e) if matches!(e.tag, Tag::Target | Tag::Pending) => {
                    fig.push(*e);
                }
                Node::Element(e) if e.tag == Tag::Paragraph => {
                    let mut cap = Element::new(Tag::Caption, e.span);
                    cap.children = e.children;
                    fig.push(cap);
                    break;
                }
                Node::Element(e) if e.tag == Tag::Comment && e.children.is_empty() => break,
                _ => {
                    // docutils drops the figure's content from the
                    // offending element on
                    let m = ctx.error(p, "Figure caption must be a paragraph or empty comment.");
                    return vec![fig.into(), m.into()];
                }
            }
        }
        let rest: Vec<Node> = kids.collect();
        if !rest.is_empty() {
            let mut legend = Element::new(Tag::Legend, ctx.span);
            legend.children = rest;
            fig.push(legend);
        }
    }
    let mut out: Vec<Node> = vec![fig.into()];
    out.extend(extra);
    out
}
