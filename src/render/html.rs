//! The HTML writer: doctree → HTML5, in the spirit of docutils' `html5`
//! writer (same element choices and classes where it matters), with every
//! piece of text escaped.

use crate::ast::{Element, Node, Tag};

use super::highlight::{Highlighter, guess_language};

/// What the writer needs besides the tree.
pub struct HtmlContext<'a> {
    pub highlighter: &'a Highlighter,
}

/// Renders the body of a document: everything but the document title (the
/// template shows that) and system messages (reported as diagnostics).
pub fn render_body(doc: &Element, ctx: &HtmlContext) -> String {
    let mut out = String::with_capacity(8192);
    for child in &doc.children {
        if let Node::Element(e) = child
            && matches!(e.tag, Tag::Title | Tag::SystemMessage)
        {
            continue;
        }
        render_node(child, ctx, &mut out);
    }
    out
}

fn render_node(node: &Node, ctx: &HtmlContext, out: &mut String) {
    match node {
        Node::Text(t) => escape_into(&t.text, out),
        Node::Element(e) => render_element(e, ctx, out),
    }
}

fn render_children(e: &Element, ctx: &HtmlContext, out: &mut String) {
    for child in &e.children {
        render_node(child, ctx, out);
    }
}

fn wrap(tag: &str, e: &Element, ctx: &HtmlContext, out: &mut String) {
    out.push('<');
    out.push_str(tag);
    push_id_class(e, out);
    out.push('>');
    render_children(e, ctx, out);
    out.push_str("</");
    out.push_str(tag);
    out.push('>');
}

fn push_id_class(e: &Element, out: &mut String) {
    if let Some(id) = e.ids.first() {
        out.push_str(" id=\"");
        escape_into(id, out);
        out.push('"');
    }
    if !e.classes.is_empty() {
        out.push_str(" class=\"");
        escape_into(&e.classes.join(" "), out);
        out.push('"');
    }
}

fn render_element(e: &Element, ctx: &HtmlContext, out: &mut String) {
    match e.tag {
        Tag::Section => {
            out.push_str("<section");
            push_id_class(e, out);
            out.push_str(">\n");
            render_children(e, ctx, out);
            out.push_str("</section>\n");
        }
        Tag::Title => {
            let depth = section_depth_hint(e);
            let h = format!("h{}", depth.clamp(2, 6));
            out.push_str(&format!("<{h}>"));
            render_children(e, ctx, out);
            out.push_str(&format!("</{h}>\n"));
        }
        Tag::Paragraph => {
            wrap("p", e, ctx, out);
            out.push('\n');
        }
        Tag::BulletList => {
            wrap("ul", e, ctx, out);
            out.push('\n');
        }
        Tag::EnumeratedList => {
            wrap("ol", e, ctx, out);
            out.push('\n');
        }
        Tag::ListItem => wrap("li", e, ctx, out),
        Tag::DefinitionList => wrap("dl", e, ctx, out),
        Tag::DefinitionListItem => render_children(e, ctx, out),
        Tag::Term => wrap("dt", e, ctx, out),
        Tag::Definition => wrap("dd", e, ctx, out),
        Tag::BlockQuote => wrap("blockquote", e, ctx, out),
        Tag::Emphasis => wrap("em", e, ctx, out),
        Tag::Strong => wrap("strong", e, ctx, out),
        Tag::Literal => wrap("code", e, ctx, out),
        Tag::Reference => {
            out.push_str("<a");
            let href = e
                .get("refuri")
                .map(str::to_string)
                .or_else(|| e.get("refid").map(|id| format!("#{id}")));
            if let Some(href) = href {
                out.push_str(" href=\"");
                escape_into(&href, out);
                out.push('"');
            }
            push_id_class(e, out);
            out.push('>');
            render_children(e, ctx, out);
            out.push_str("</a>");
        }
        Tag::LiteralBlock => render_literal_block(e, ctx, out),
        Tag::Topic => {
            out.push_str("<nav");
            push_id_class(e, out);
            out.push_str(">\n");
            render_children(e, ctx, out);
            out.push_str("</nav>\n");
        }
        Tag::SystemMessage
        | Tag::Comment
        | Tag::Target
        | Tag::SubstitutionDefinition
        | Tag::Pending => {}
        _ => render_children(e, ctx, out),
    }
}

fn section_depth_hint(_title: &Element) -> usize {
    2
}

fn render_literal_block(e: &Element, ctx: &HtmlContext, out: &mut String) {
    let code = e.astext();
    let language = e
        .classes
        .iter()
        .find(|c| *c != "code")
        .map(String::as_str)
        .or_else(|| guess_language(&code));
    out.push_str("<pre class=\"literal-block");
    if let Some(lang) = language {
        out.push_str(" highlight lang-");
        escape_into(lang, out);
    }
    out.push_str("\"><code>");
    match language.and_then(|l| ctx.highlighter.highlight(&code, l)) {
        Some(html) => out.push_str(&html),
        None => escape_into(&code, out),
    }
    out.push_str("</code></pre>\n");
}

/// Escapes text for HTML content and attribute values.
pub fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

pub fn escape(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    escape_into(text, &mut s);
    s
}
