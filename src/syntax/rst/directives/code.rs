//! Code shown as written: the `code` directive (and its aliases) and
//! `include` with `:literal:` or `:code:`, with `:number-lines:`
//! (docutils' `NumberLines`). kbgen has no Pygments: `kbgen dump` gives
//! docutils' warning for a language as docutils does without it, unless
//! `syntax_highlight` is `none` or warnings are not reported.

use crate::ast::{Attr, Element, Node, Tag};

use super::{Ctx, add_name};
use crate::syntax::rst::block::Parser;

/// docutils' `syntax_highlight` setting: the token class names Pygments
/// would give (`long`, `short`), or no highlighting at all (`none`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SyntaxHighlight {
    Long,
    #[default]
    Short,
    None,
}

/// Where `:number-lines:` starts, and the widest number it pads to.
struct LineNumbers {
    first: i64,
    last: i64,
}

impl LineNumbers {
    /// `NumberLines` over one plain token: a `ln` inline before each
    /// line, padded to the width of `last`.
    fn apply(&self, text: &str, block: &mut Element) {
        let width = self.last.to_string().len();
        let span = block.span;
        let number = |n: i64| {
            let mut ln = Element::new(Tag::Inline, span);
            ln.classes.push("ln".into());
            ln.push_text(format!("{n:>width$} "), span);
            Node::from(ln)
        };
        let mut lineno = self.first;
        block.children.push(number(lineno));
        let parts: Vec<&str> = text.split('\n').collect();
        for (k, line) in parts.iter().enumerate() {
            if k + 1 < parts.len() {
                block.children.push(Node::text(format!("{line}\n"), span));
                lineno += 1;
                block.children.push(number(lineno));
            } else if !line.is_empty() {
                block.children.push(Node::text(line.to_string(), span));
            }
        }
    }
}

/// Whether the code in `language` can be shown: without Pygments docutils
/// warns for any language but `text` (and none), unless highlighting is
/// off or the warning would not be reported.
fn lexer_problem(p: &Parser, language: &str) -> bool {
    p.doc.pygments_missing
        && !language.is_empty()
        && language != "text"
        && p.opts.syntax_highlight != SyntaxHighlight::None
        && p.opts.report_level() <= 2
}

const NO_PYGMENTS: &str = "Cannot analyze code. Pygments package not found.";

/// `CodeBlock.run` on `text` (the content joined): a `literal_block`
/// with classes `code LANGUAGE …`, line numbers when asked.
fn code_block(
    p: &mut Parser,
    ctx: &Ctx,
    language: &str,
    text: &str,
    content_lines: usize,
    span: crate::ast::Span,
) -> Vec<Node> {
    if lexer_problem(p, language) {
        return vec![ctx.warning(p, NO_PYGMENTS).into()];
    }
    // `int(value or 1)` on `value_or((None,), int)`: no value and 0 start at 1
    let numbers = ctx
        .opt("number-lines")
        .map(|start| match start.trim().parse::<i64>() {
            Ok(0) | Err(_) => 1,
            Ok(first) => first,
        });
    let mut lb = Element::new(Tag::LiteralBlock, span);
    lb.set(Attr::XmlSpace, "preserve");
    lb.classes.push("code".into());
    if !language.is_empty() {
        lb.classes.push(language.to_string());
    }
    lb.classes.extend(ctx.classes());
    let msgs = add_name(p, ctx, &mut lb);
    match numbers {
        Some(first) => LineNumbers {
            first,
            last: first + content_lines as i64,
        }
        .apply(text, &mut lb),
        None => lb.push_text(text, span),
    }
    let mut out: Vec<Node> = vec![lb.into()];
    out.extend(msgs.into_iter().map(Node::from));
    out
}

/// The `code` directive.
pub fn code(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    if ctx.content.is_empty() {
        return ctx.no_content(p);
    }
    let language = ctx.args.first().cloned().unwrap_or_default();
    let (text, _) = p.join(&ctx.content);
    let span = p.block_span(&ctx.content);
    code_block(p, ctx, &language, &text, ctx.content.len(), span)
}

/// `include :code: LANGUAGE`: the file as a code block (`CodeBlock` gets
/// it as one content line, so line numbers pad to the width of the first
/// number plus one, as docutils' do).
pub fn code_include(
    p: &mut Parser,
    ctx: &Ctx,
    language: &str,
    text: &str,
    source: &str,
) -> Vec<Node> {
    let mut out = code_block(p, ctx, language, text, 1, ctx.span);
    if let Some(Node::Element(lb)) = out.first_mut()
        && lb.tag == Tag::LiteralBlock
    {
        lb.set(Attr::Source, source);
    }
    out
}

/// `include :literal:`: the file as a literal block, numbered when asked.
pub fn literal_include(p: &mut Parser, ctx: &Ctx, text: &str, source: &str) -> Vec<Node> {
    let mut lb = Element::new(Tag::LiteralBlock, ctx.span);
    lb.set(Attr::Source, source);
    lb.set(Attr::XmlSpace, "preserve");
    lb.classes = ctx.classes().into();
    let msgs = add_name(p, ctx, &mut lb);
    if ctx.has("number-lines") {
        let first = ctx
            .opt("number-lines")
            .and_then(|v| v.trim().parse::<i64>().ok())
            .unwrap_or(1);
        let text = text.strip_suffix('\n').unwrap_or(text);
        let lines = super::include::Clip::line_count(text) as i64;
        LineNumbers {
            first,
            last: first + lines,
        }
        .apply(text, &mut lb);
    } else {
        lb.push_text(text, ctx.span);
    }
    let mut out: Vec<Node> = vec![lb.into()];
    out.extend(msgs.into_iter().map(Node::from));
    out
}
