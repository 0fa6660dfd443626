//! `.. toctree::`: the page's part of the document tree.
//!
//! Sphinx resolves the entries while reading (globs against every document
//! it found, "nonexisting document" warnings). kbgen keeps them as written
//! and resolves them once per build in the project model
//! (`site::doctree`), because in the preview the set of documents changes
//! without this page being read again: a page created later must satisfy
//! an entry that was missing, and a glob must pick it up.

use crate::ast::{Attr, Element, Node, Tag};

use super::super::block::Parser;
use super::super::directives::{Ctx, Opt, Spec, add_name};

pub const SPEC: Spec = Spec {
    req: 0,
    opt: 0,
    final_ws: false,
    options: &[
        ("maxdepth", Opt::NonNegInt),
        ("name", Opt::Unchanged),
        ("class", Opt::Class),
        ("caption", Opt::UnchangedRequired),
        ("glob", Opt::Flag),
        ("hidden", Opt::Flag),
        ("includehidden", Opt::Flag),
        ("numbered", Opt::Unchanged),
        ("titlesonly", Opt::Flag),
        ("reversed", Opt::Flag),
    ],
    content: true,
};

/// `compound.toctree-wrapper` holding a `toctree` element whose children
/// are the raw entries (`toc_entry`, kbgen's own: `title` when the entry
/// is `Title <target>`, `refuri` the target as written).
pub fn toctree(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    let mut tree = Element::new(Tag::Toctree, ctx.span);
    tree.set(Attr::Line, ctx.lineno.to_string());
    if let Some(c) = ctx.opt("caption") {
        tree.set(Attr::Caption, c);
    }
    tree.set(
        Attr::Maxdepth,
        ctx.opt("maxdepth").unwrap_or("-1").to_string(),
    );
    let numbered = match ctx.opt("numbered") {
        None => "0".to_string(),
        Some(v) if v.trim().is_empty() => "999".to_string(),
        Some(v) => v
            .trim()
            .parse::<u32>()
            .map_or("999".into(), |n| n.to_string()),
    };
    tree.set(Attr::Numbered, numbered);
    for (flag, attr) in [
        ("glob", Attr::Glob),
        ("hidden", Attr::Hidden),
        ("includehidden", Attr::Includehidden),
        ("titlesonly", Attr::Titlesonly),
        ("reversed", Attr::Reversed),
    ] {
        tree.set(attr, if ctx.has(flag) { "1" } else { "0" });
    }
    for line in &ctx.content {
        let text = p.line_text(*line).trim();
        if text.is_empty() {
            continue;
        }
        let mut entry = Element::new(Tag::TocEntry, p.line_span(*line));

        match explicit_title(text) {
            Some((title, target)) => {
                entry.set(Attr::Title, title);
                entry.set(Attr::Refuri, target);
            }
            None => entry.set(Attr::Refuri, text),
        }
        tree.push(entry);
    }
    let mut wrapper = Element::new(Tag::Compound, ctx.span);
    wrapper.classes.push("toctree-wrapper".into());
    wrapper.classes.extend(ctx.classes());
    let mut out: Vec<Node> = add_name(p, ctx, &mut wrapper)
        .into_iter()
        .map(Node::from)
        .collect();
    wrapper.push(tree);
    out.insert(0, wrapper.into());
    out
}

/// `Title <target>` (Sphinx's `explicit_title_re`): the title and the
/// target; `None` for a bare target.
pub fn explicit_title(text: &str) -> Option<(&str, &str)> {
    let inner = text.strip_suffix('>')?;
    let open = inner.rfind('<')?;
    let (title, target) = (inner[..open].trim_end(), &inner[open + 1..]);
    if title.is_empty() || target.contains('<') || title.ends_with('\\') {
        return None;
    }
    Some((title, target))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_titles_split_at_the_last_angle_bracket() {
        assert_eq!(
            explicit_title("Explicit Title <api>"),
            Some(("Explicit Title", "api"))
        );
        assert_eq!(
            explicit_title("External Site <https://example.org>"),
            Some(("External Site", "https://example.org"))
        );
        assert_eq!(explicit_title("intro"), None);
        assert_eq!(explicit_title("<intro>"), None);
        assert_eq!(explicit_title("a \\<b>"), None);
    }
}
