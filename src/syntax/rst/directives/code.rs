//! Code shown as written: the `code` directive (and its aliases) and
//! `include` with `:literal:` or `:code:`, with `:number-lines:`
//! (docutils' `NumberLines`). Where the tree is printed (`kbgen dump`)
//! code in Python, TeX or reStructuredText is split into Pygments' tokens
//! as docutils with Pygments does; other languages stay one text (docutils
//! would use Pygments' lexer, or warn when it has none).

use crate::ast::{Attr, Element, Node, Tag};
use crate::render::lexers;

use super::{Ctx, add_name};
use crate::syntax::rst::block::Parser;

/// docutils' `syntax_highlight` setting: the token class names Pygments
/// would give (`long`, `short`), or no highlighting at all (`none`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SyntaxHighlight {
    /// docutils' default.
    #[default]
    Long,
    Short,
    None,
}

/// One piece of code in the tree: its token classes (none for plain
/// text) and its text.
pub type Piece = (Option<&'static str>, String);

/// docutils' `code_analyzer.Lexer` with Pygments: `code` in `language` as
/// the pieces docutils puts in the tree. Pygments' tokens (from kbgen's
/// exact lexers, the input cleaned up as Pygments does, adjacent tokens
/// of one type merged, the final newline dropped) named per `names`;
/// the code as one plain piece for no language, `text`, `none`, or a
/// language kbgen has no exact lexer for (kbgen highlights those when it
/// renders instead).
pub fn code_pieces(code: &str, language: &str, names: SyntaxHighlight) -> Vec<Piece> {
    let lexer = match language {
        "" | "text" => None,
        _ if names == SyntaxHighlight::None => None,
        _ => lexers::pygments_lexer_for(language),
    };
    let Some(lexer) = lexer else {
        return vec![(None, code.to_string())];
    };
    let text = lexers::pyg::prepare(code);
    let mut pieces: Vec<Piece> = Vec::new();
    lexer(&text, &mut |t: &str, class| {
        let class = class.and_then(|short| match names {
            SyntaxHighlight::Long => lexers::pyg::long_name(short),
            _ => Some(short),
        });
        pieces.push((class, t.to_string()));
    });
    if let Some(last) = pieces.last_mut()
        && last.1.ends_with('\n')
    {
        last.1.pop();
        if last.1.is_empty() {
            pieces.pop();
        }
    }
    pieces
}

/// The pieces as children of `parent`: classed ones as `inline`
/// elements, plain ones as text.
pub fn push_pieces(parent: &mut Element, pieces: Vec<Piece>) {
    let span = parent.span;
    for (classes, text) in pieces {
        match classes {
            Some(classes) => {
                let mut inline = Element::new(Tag::Inline, span);
                inline
                    .classes
                    .extend(classes.split(' ').map(|c| c.to_string()));
                inline.push_text(text, span);
                parent.children.push(inline.into());
            }
            None => parent.push_text(text, span),
        }
    }
}

/// Where `:number-lines:` starts, and the widest number it pads to.
struct LineNumbers {
    first: i64,
    last: i64,
}

impl LineNumbers {
    /// docutils' `NumberLines`: a `ln` piece before each line, pieces
    /// that span lines cut at each newline.
    fn apply(&self, pieces: Vec<Piece>) -> Vec<Piece> {
        let width = self.last.to_string().len();
        let number = |n: i64| (Some("ln"), format!("{n:>width$} "));
        let mut lineno = self.first;
        let mut out = vec![number(lineno)];
        for (class, text) in pieces {
            let mut lines = text.split('\n').peekable();
            while let Some(line) = lines.next() {
                if lines.peek().is_some() {
                    out.push((class, format!("{line}\n")));
                    lineno += 1;
                    out.push(number(lineno));
                } else {
                    out.push((class, line.to_string()));
                }
            }
        }
        out
    }
}

/// Pieces as `push_pieces` takes them, empty plain ones dropped (docutils
/// adds empty `Text`, which prints nothing), adjacent plain ones kept apart.
fn without_empty(pieces: Vec<Piece>) -> Vec<Piece> {
    pieces
        .into_iter()
        .filter(|(c, t)| c.is_some() || !t.is_empty())
        .collect()
}

/// `CodeBlock.run` on `text` (the content joined): a `literal_block`
/// with classes `code LANGUAGE …`, its tokens when the tree shows them,
/// line numbers when asked.
fn code_block(
    p: &mut Parser,
    ctx: &Ctx,
    language: &str,
    text: &str,
    content_lines: usize,
    span: crate::ast::Span,
) -> Vec<Node> {
    // `value_or((None,), int)`: no value starts at 1, 0 at 0
    let numbers = ctx
        .opt("number-lines")
        .map(|start| start.trim().parse::<i64>().unwrap_or(1));
    let mut lb = Element::new(Tag::LiteralBlock, span);
    lb.set(Attr::XmlSpace, "preserve");
    lb.classes.push("code".into());
    if !language.is_empty() {
        lb.classes.push(language.to_string());
    }
    lb.classes.extend(ctx.classes());
    let msgs = add_name(p, ctx, &mut lb);
    let pieces = if p.doc.code_tokens {
        code_pieces(text, language, p.opts.syntax_highlight)
    } else {
        vec![(None, text.to_string())]
    };
    let pieces = match numbers {
        Some(first) => LineNumbers {
            first,
            last: first + content_lines as i64,
        }
        .apply(pieces),
        None => pieces,
    };
    push_pieces(&mut lb, without_empty(pieces));
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
        let pieces = LineNumbers {
            first,
            last: first + lines,
        }
        .apply(vec![(None, text.to_string())]);
        push_pieces(&mut lb, without_empty(pieces));
    } else {
        lb.push_text(text, ctx.span);
    }
    let mut out: Vec<Node> = vec![lb.into()];
    out.extend(msgs.into_iter().map(Node::from));
    out
}
