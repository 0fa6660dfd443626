//! `.. meta::`: each field becomes a `meta` element (`name` or
//! attributes from the field name, `content` from its body), placed at
//! the start of the document, as docutils' `MetaBody` state reads them:
//! only fields; the first line that is none ends the directive with an
//! error.

use crate::ast::{Attr, Element, Node, Tag};
use crate::diag::Severity;

use super::Ctx;
use crate::syntax::rst::block::Parser;
use crate::syntax::rst::inline::{escape2null, unescape};
use crate::syntax::rst::lists::field_match;

/// `utils.extract_name_value` for one `name=value` token (no spaces).
fn name_value(token: &str) -> Result<(String, String), String> {
    let Some(equals) = token.find('=') else {
        return Err("missing \"=\"".into());
    };
    let name = token[..equals].trim();
    if name.is_empty() {
        return Err("missing attribute name before \"=\"".into());
    }
    let value = token[equals + 1..].trim_start();
    if value.is_empty() {
        return Err(format!("missing value after \"{name}=\""));
    }
    let value = match value.chars().next() {
        Some(q @ ('\'' | '"')) => match value[1..].find(q) {
            Some(end) if end + 2 == value.len() => value[1..=end].to_string(),
            Some(_) => {
                return Err(format!(
                    "attribute \"{name}\" end quote ({q}) not followed by whitespace"
                ));
            }
            None => return Err(format!("attribute \"{name}\" missing end quote ({q})")),
        },
        _ => value.to_string(),
    };
    Ok((name.to_lowercase(), value))
}

pub fn meta(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    if ctx.content.is_empty() {
        return ctx.no_content(p);
    }
    let lines = ctx.content.clone();
    let mut out: Vec<Node> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if p.is_blank(lines[i]) {
            i += 1;
            continue;
        }
        let text = p.line_text(lines[i]).to_string();
        let Some((raw_name, marker_end)) = field_match(&text) else {
            out.push(ctx.error(p, "Invalid meta directive.").into());
            break;
        };
        // the field's body: the rest of the line and the indented lines after it
        let mut body: Vec<String> = Vec::new();
        let first = text[marker_end..].trim();
        if !first.is_empty() {
            body.push(first.to_string());
        }
        let mut last = i;
        let mut j = i + 1;
        while j < lines.len() && (p.is_blank(lines[j]) || p.line_text(lines[j]).starts_with(' ')) {
            if !p.is_blank(lines[j]) {
                last = j;
            }
            j += 1;
        }
        let indented: Vec<&str> = (i + 1..=last).map(|k| p.line_text(lines[k])).collect();
        let common = indented
            .iter()
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.len() - l.trim_start().len())
            .min()
            .unwrap_or(0);
        body.extend(
            indented
                .iter()
                .map(|l| l.get(common..).unwrap_or("").to_string()),
        );
        while body.last().is_some_and(|l| l.trim().is_empty()) {
            body.pop();
        }
        let span = p.line_span(lines[i]).cover(p.line_span(lines[last]));
        let last_text = p.line_text(lines[last]).to_string();
        let last_line = p.lineno(lines[last]);
        i = j;
        let name = unescape(&escape2null(&raw_name));
        if body.is_empty() {
            let mut m = p.doc.message(
                Severity::Info,
                &format!("No content for meta tag \"{name}\"."),
                Some(last_line),
                span,
            );
            m.push(crate::syntax::rst::doc::literal_block(&last_text, span));
            out.push(m.into());
            continue;
        }
        let mut node = Element::new(Tag::Meta, span);
        node.set(Attr::Content, unescape(&escape2null(&body.join(" "))));
        let mut tokens = name.split_whitespace();
        if let Some(first) = tokens.next() {
            match name_value(first) {
                Ok((k, v)) => node.set_named(&k, v),
                Err(_) => node.set(Attr::Name, first),
            }
        }
        let mut problem = None;
        for token in tokens {
            match name_value(token) {
                Ok((k, v)) => node.set_named(&k, v),
                Err(why) => {
                    problem = Some(format!(
                        "Error parsing meta tag attribute \"{token}\": {why}."
                    ));
                    break;
                }
            }
        }
        match problem {
            Some(text) => {
                let mut m = p.doc.message(Severity::Error, &text, Some(last_line), span);
                m.push(crate::syntax::rst::doc::literal_block(&last_text, span));
                out.push(m.into());
            }
            None => out.push(node.into()),
        }
    }
    // docutils puts them at the start of the document, after its title
    // and earlier `meta` elements, wherever the directive stands.
    if let Some(document) = p.stack.first_mut() {
        let at = document
            .children
            .iter()
            .position(|c| {
                !matches!(c, Node::Element(x) if matches!(x.tag, Tag::Title | Tag::Subtitle | Tag::Meta))
            })
            .unwrap_or(0);
        document.children.splice(at..at, out);
        return Vec::new();
    }
    out
}
