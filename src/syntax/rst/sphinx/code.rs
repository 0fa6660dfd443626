//! Code: `code-block` / `sourcecode` (and Sphinx's `code`), `highlight`,
//! and the parts `literalinclude` shares with them (line specs, dedent,
//! the caption wrapper, `highlight_args`).

use crate::ast::{Attr, Element, Node, SphinxAttr, SphinxTag, Tag};

use super::super::block::Parser;
use super::super::directives::{Ctx, add_name};
use super::super::doc::literal_block;
use super::{el, flag, set};

/// Sphinx's `parse_line_num_spec`: `1,3-5,8-` as 0-based line indexes.
pub fn parse_line_spec(spec: &str, total: usize) -> Result<Vec<usize>, String> {
    let bad = || format!("invalid line number spec: {}", py_str(spec));
    let mut items = Vec::new();
    for part in spec.split(',') {
        let bounds: Vec<&str> = part.trim().split('-').collect();
        let num = |s: &str| s.trim().parse::<i64>().map_err(|_| bad());
        match bounds.as_slice() {
            [one] => {
                let n = num(one)?;
                items.push((n - 1).max(0) as usize);
            }
            ["", ""] => return Err(bad()),
            [a, b] => {
                let start = if a.is_empty() { 1 } else { num(a)? };
                let end = if b.is_empty() {
                    start.max(total as i64)
                } else {
                    num(b)?
                };
                if start > end {
                    return Err(bad());
                }
                // Bounded: a spec cannot ask for more lines than exist plus one.
                let end = end.min(start.max(1) + total as i64);
                items.extend(((start - 1).max(0) as usize)..(end.max(0) as usize));
            }
            _ => return Err(bad()),
        }
    }
    Ok(items)
}

/// Python's `repr` of a string, as Sphinx's messages quote values.
pub use crate::python_text::str_repr as py_str;

/// `emphasize-lines` of a block of `total` lines: the 1-based lines, and
/// Sphinx's warning when some are out of range.
pub fn emphasized(spec: &str, total: usize) -> Result<(Vec<usize>, Option<String>), String> {
    let lines = parse_line_spec(spec, total)?;
    let warning = lines.iter().any(|&i| i >= total).then(|| {
        format!(
            "line number spec is out of range(1-{total}): {}",
            py_str(spec)
        )
    });
    Ok((
        lines
            .into_iter()
            .filter(|&i| i < total)
            .map(|i| i + 1)
            .collect(),
        warning,
    ))
}

/// Python's `repr` of `highlight_args`.
pub fn highlight_args(hl_lines: Option<&[usize]>, linenostart: Option<i64>) -> String {
    let mut parts = Vec::new();
    if let Some(lines) = hl_lines {
        let list: Vec<String> = lines.iter().map(usize::to_string).collect();
        parts.push(format!("'hl_lines': [{}]", list.join(", ")));
    }
    if let Some(n) = linenostart {
        parts.push(format!("'linenostart': {n}"));
    }
    format!("{{{}}}", parts.join(", "))
}

/// Sphinx's `dedent_lines` (lines keep their `\n`): `None` removes the
/// common indentation (`textwrap.dedent`), `Some(n)` the first `n`
/// characters of every line. The flag says non-blank text was cut.
pub fn dedent_lines(lines: &[String], dedent: Option<usize>) -> (Vec<String>, bool) {
    match dedent {
        None => {
            let indent = lines
                .iter()
                .filter(|l| !l.trim().is_empty())
                .map(|l| l.len() - l.trim_start_matches([' ', '\t']).len())
                .min()
                .unwrap_or(0);
            let out = lines
                .iter()
                .map(|l| {
                    if l.trim().is_empty() {
                        if l.ends_with('\n') {
                            "\n".into()
                        } else {
                            String::new()
                        }
                    } else {
                        l.get(indent..).unwrap_or("").to_string()
                    }
                })
                .collect();
            (out, false)
        }
        Some(n) => {
            let mut cut_text = false;
            let out = lines
                .iter()
                .map(|l| {
                    let k = l.char_indices().nth(n).map_or(l.len(), |(i, _)| i);
                    if !l[..k].trim().is_empty() {
                        cut_text = true;
                    }
                    let rest = &l[k..];
                    if l.ends_with('\n') && rest.is_empty() {
                        "\n".to_string()
                    } else {
                        rest.to_string()
                    }
                })
                .collect();
            (out, cut_text)
        }
    }
}

/// `:dedent:` as Sphinx's `optional_int`: empty is `None`.
pub fn dedent_option(v: &str) -> Result<Option<usize>, String> {
    if v.trim().is_empty() {
        return Ok(None);
    }
    v.trim()
        .parse::<usize>()
        .map(Some)
        .map_err(|_| format!("invalid literal for int() with base 10: {}", py_str(v)))
}

/// Sphinx's `container_wrapper`: a `literal-block-wrapper` container
/// holding the caption (inline markup parsed) and the block.
pub fn caption_wrapper(p: &mut Parser, ctx: &Ctx, caption: &str, block: Element) -> Vec<Node> {
    let (nodes, msgs) = super::super::directives::inline_arg(p, caption, ctx);
    let mut cap = Element::new(Tag::Caption, ctx.span);
    cap.children = nodes;
    let mut c = Element::new(Tag::Container, ctx.span);
    c.classes.push("literal-block-wrapper".into());
    set(&mut c, SphinxAttr::LiteralBlock, "1");
    c.push(cap);
    c.push(block);
    let mut out: Vec<Node> = Vec::new();
    let names = add_name(p, ctx, &mut c);
    out.push(c.into());
    out.extend(msgs.into_iter().map(Node::from));
    out.extend(names.into_iter().map(Node::from));
    out
}

/// A Sphinx warning at the directive's line (Sphinx logs these; kbgen
/// keeps them as messages so they become diagnostics).
pub fn warning(p: &Parser, ctx: &Ctx, text: &str) -> Element {
    p.doc.message(
        crate::diag::Severity::Warning,
        text,
        Some(ctx.lineno),
        ctx.span,
    )
}

/// The highlight language a block without one gets now.
fn current_language(p: &Parser) -> String {
    p.doc
        .sphinx
        .as_deref()
        .map(|s| {
            s.highlight_language
                .clone()
                .unwrap_or_else(|| s.settings.highlight_language.clone())
        })
        .unwrap_or_else(|| "default".into())
}

/// `code-block`, `sourcecode` and Sphinx's `code`.
pub fn code_block(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    if ctx.content.is_empty() {
        return ctx.no_content(p);
    }
    let mut out: Vec<Node> = Vec::new();
    let (mut code, _) = p.join(&ctx.content);
    let total = ctx.content.len();
    let mut hl_lines = None;
    if let Some(spec) = ctx.opt("emphasize-lines") {
        match emphasized(spec, total) {
            Ok((lines, warn)) => {
                if let Some(w) = warn {
                    out.push(warning(p, ctx, &w).into());
                }
                hl_lines = Some(lines);
            }
            Err(e) => return vec![warning(p, ctx, &e).into()],
        }
    }
    if let Some(d) = ctx.opt("dedent") {
        match dedent_option(d) {
            Ok(n) => {
                let lines: Vec<String> = code.split_inclusive('\n').map(str::to_string).collect();
                let (lines, cut) = dedent_lines(&lines, n);
                if cut {
                    out.push(warning(p, ctx, "non-whitespace stripped by dedent").into());
                }
                code = lines.concat();
            }
            Err(e) => return vec![ctx.error(p, &format!("Error in \"{}\" directive:\ninvalid option value: (option: \"dedent\"; value: {})\n{e}.", ctx.name, py_str(d))).into()],
        }
    }
    let mut lb = literal_block(&code, p.block_span(&ctx.content));
    let start = match ctx.opt("lineno-start").or(ctx.opt("number-lines")) {
        Some(v) if !v.trim().is_empty() => match v.trim().parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                return vec![ctx.error(p, &format!("Error in \"{}\" directive:\ninvalid option value: (option: \"lineno-start\"; value: {})\ninvalid literal for int() with base 10: {}.", ctx.name, py_str(v), py_str(v))).into()];
            }
        },
        _ => None,
    };
    if ctx.has("linenos") || ctx.has("lineno-start") || ctx.has("number-lines") {
        set(&mut lb, SphinxAttr::Linenos, "1");
    }
    lb.classes.extend(ctx.classes());
    set(&mut lb, SphinxAttr::Force, flag(ctx.has("force")));
    let language = ctx
        .args
        .first()
        .cloned()
        .unwrap_or_else(|| current_language(p));
    lb.set(Attr::Language, language);
    set(
        &mut lb,
        SphinxAttr::HighlightArgs,
        highlight_args(hl_lines.as_deref(), start),
    );
    if let Some(caption) = ctx.opt("caption").filter(|c| !c.is_empty()) {
        let caption = caption.to_string();
        out.splice(0..0, caption_wrapper(p, ctx, &caption, lb));
        return out;
    }
    let names = add_name(p, ctx, &mut lb);
    out.insert(0, lb.into());
    out.extend(names.into_iter().map(Node::from));
    out
}

/// `.. highlight:: LANG`: later blocks without a language use it.
pub fn highlight(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    let language = ctx
        .args
        .first()
        .map(|a| a.trim().to_string())
        .unwrap_or_default();
    if let Some(sx) = p.doc.sphinx.as_deref_mut() {
        sx.highlight_language = Some(language.clone());
    }
    let mut marker = el(SphinxTag::Highlightlang, ctx.span);
    marker.set(Attr::Language, language);
    set(&mut marker, SphinxAttr::Force, flag(ctx.has("force")));
    if let Some(t) = ctx.opt("linenothreshold") {
        set(&mut marker, SphinxAttr::Linenothreshold, t);
    }
    vec![marker.into()]
}

pub use super::literalinclude::literalinclude;
