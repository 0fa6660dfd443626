//! What a transform needs of the page's own text where docutils reads a
//! node's `rawsource` or its text's escape markers: kbgen's nodes keep
//! byte spans, not raw text, so the text is read back from the parser's
//! lines, and only when a transform asks.

use crate::ast::{Element, Node, Span, Text};
use crate::syntax::rst::block::Parser;
use crate::syntax::rst::lines::{Line, split_lines};

/// The page's lines (not those of included files, whose spans point at
/// the `include` directive).
fn main_lines<'p>(p: &'p Parser<'_>) -> &'p [Line] {
    &p.lines[..p.main_lines.min(p.lines.len())]
}

/// Index of the first byte of `line`'s (expanded) text at or after the
/// source offset `pos`.
fn column(line: &Line, pos: usize) -> usize {
    let text = &line.text;
    (0..=text.len())
        .filter(|&i| text.is_char_boundary(i))
        .find(|&i| i == text.len() || line.src(i) >= pos)
        .unwrap_or(text.len())
}

/// The page's line holding the whole of `span`, and the column where the
/// span starts in it; `None` when the span runs over more than one line
/// or is not on the page's own lines.
pub fn single_line<'p>(p: &'p Parser, span: Span) -> Option<(&'p Line, usize)> {
    let lines = main_lines(p);
    let (start, end) = (span.start as usize, span.end as usize);
    let at = lines.partition_point(|l| l.end < start);
    let line = lines.get(at)?;
    (line.start <= start && end <= line.end).then(|| (line, column(line, start)))
}

/// The page's text under `span`, its lines joined by `\n` (each line as
/// docutils sees it: tabs expanded, trailing space stripped); `None` when
/// the span is not on the page's own lines.
pub fn text_of(p: &Parser, span: Span) -> Option<String> {
    let lines = main_lines(p);
    let (start, end) = (span.start as usize, span.end as usize);
    let first = lines.partition_point(|l| l.end < start);
    let mut parts = Vec::new();
    for line in lines.get(first..)?.iter().take_while(|l| l.start <= end) {
        let from = if line.start <= start {
            column(line, start)
        } else {
            0
        };
        let to = column(line, end);
        parts.push(line.text.get(from..to.max(from))?);
    }
    (!parts.is_empty()).then(|| parts.join("\n"))
}

/// A text node's text with docutils' escape markers: a NUL before each
/// character the source escaped with a backslash (docutils keeps them in
/// `Text` until `astext()`). Read back from the source when the parser
/// dropped them; the plain text when the source does not match it.
pub fn escaped_text(p: &Parser, t: &Text) -> String {
    if p.doc.keep_escapes {
        return t.text.clone();
    }
    text_of(p, t.span)
        .and_then(|raw| mark_escapes(&raw, &t.text))
        .unwrap_or_else(|| t.text.clone())
}

/// Walks `raw` (the source) and `text` (what the parser made of it)
/// together: an escaped character gets a NUL before it, an escaped space
/// or line break (which leaves no text) is skipped, as is the indentation
/// after a line break. `None` when they do not line up.
fn mark_escapes(raw: &str, text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len() + 4);
    let mut raw = raw.chars().peekable();
    let mut text = text.chars().peekable();
    while let Some(&c) = text.peek() {
        let r = raw.next()?;
        if r == '\\' {
            let escaped = raw.next()?;
            if escaped == ' ' || escaped == '\n' {
                continue;
            }
            if escaped != c {
                return None;
            }
            out.push('\0');
        } else if r != c {
            return None;
        }
        out.push(c);
        text.next();
        if c == '\n' {
            while raw.peek() == Some(&' ') && text.peek() != Some(&' ') {
                raw.next();
            }
        }
    }
    Some(out)
}

/// Parses `text` on its own, as docutils parses a string into a new
/// document (`parser.parse(text, new_document(...))`), with the page's
/// settings; the document's messages stay in it. Spans are mapped by
/// `at`, from offsets in `text` to the page's.
pub fn parse_fragment(p: &Parser, text: &str, at: &dyn Fn(usize) -> usize) -> Element {
    let lines = split_lines(text);
    let root = Element::new(crate::ast::Tag::Document, Span::new(0, text.len()));
    let mut fragment = Parser::new(lines, p.opts, root);
    let all = fragment.all_lines();
    fragment.parse_block(&all, true);
    while fragment.section_level > 0 {
        fragment.close_section();
    }
    let mut doc = fragment
        .stack
        .into_iter()
        .next()
        .unwrap_or_else(|| Element::new(crate::ast::Tag::Document, Span::default()));
    relocate(&mut doc, at);
    doc
}

fn relocate(e: &mut Element, at: &dyn Fn(usize) -> usize) {
    let map = |s: Span| Span::new(at(s.start as usize), at(s.end as usize));
    e.span = map(e.span);
    for c in e.children.iter_mut() {
        match c {
            Node::Element(x) => relocate(x, at),
            Node::Text(t) => t.span = map(t.span),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::mark_escapes;

    #[test]
    fn escapes_are_marked_and_escaped_spaces_dropped() {
        assert_eq!(
            mark_escapes("Pac\\;Man\\\\; Ms.", "Pac;Man\\; Ms.").as_deref(),
            Some("Pac\0;Man\0\\; Ms.")
        );
        assert_eq!(
            mark_escapes("Pac\\ Man", "PacMan").as_deref(),
            Some("PacMan")
        );
        assert_eq!(
            mark_escapes("a,\n   b\\,c", "a,\nb,c").as_deref(),
            Some("a,\nb\0,c")
        );
        assert_eq!(mark_escapes("abc", "abd"), None);
    }
}
