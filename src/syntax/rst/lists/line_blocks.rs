//! Line blocks (`Body.line_block`, the `LineBlock` state).

use crate::ast::{Element, Span, Tag};
use crate::diag::Severity;

use super::super::block::{LineView, Parser};
use super::{ParsedItem, following_items};

/// `\|( +|$)`: the marker length (bar + spaces).
fn line_block_marker(l: &str) -> Option<usize> {
    let rest = l.strip_prefix('|')?;
    if rest.is_empty() {
        return Some(1);
    }
    let spaces = rest.len() - rest.trim_start_matches(' ').len();
    (spaces > 0).then_some(1 + spaces)
}

/// One `| text` line as parsed, before nesting.
struct BlockLine {
    line: Element,
    /// Indentation after the marker; `None` for an empty line, which
    /// inherits the previous line's.
    indent: Option<usize>,
    /// Inline messages, placed after the whole line block.
    messages: Vec<Element>,
}

/// Parses the line block line at `b[j]` whose marker is `marker_len` long.
fn line_block_line(
    p: &mut Parser,
    b: &[LineView],
    j: usize,
    marker_len: usize,
) -> ParsedItem<BlockLine> {
    let view = b[j];
    let ind = p.get_first_known_indented(b, j, marker_len, true, true);
    let lineno = p.lineno(view);
    let (text, segs) = p.join(&ind.lines);
    let (nodes, messages) = p.inline(&text, segs, lineno);
    let mut line = Element::new(Tag::Line, p.block_span(&ind.lines).cover(p.line_span(view)));
    line.children = nodes;
    let indent = (p.line_text(view).trim_end() != "|").then(|| marker_len - 2);
    let parsed = BlockLine {
        line,
        indent,
        messages,
    };
    (parsed, ind.end.max(j + 1), ind.blank_finish)
}

pub fn line_block(p: &mut Parser, b: &[LineView], i: usize) -> usize {
    let lineno = p.lineno(b[i]);
    let Some(marker_len) = line_block_marker(p.line_text(b[i])) else {
        return i + 1;
    };
    let first = line_block_line(p, b, i, marker_len);
    // A first line ending at a blank line is the whole block; otherwise the
    // LineBlock state reads further `|` lines, and a blank line ends it
    // (its `blank` transition is `invalid_input`).
    let run = if first.2 {
        super::ItemRun {
            end: first.1,
            blank_finish: first.2,
            items: vec![first.0],
        }
    } else {
        following_items(p, b, first, |p, b, j, line| {
            if j > 0 && p.is_blank(b[j - 1]) {
                return None;
            }
            let marker_len = line_block_marker(line)?;
            Some(line_block_line(p, b, j, marker_len))
        })
    };
    // docutils appends a duplicate inline target's message to the
    // inliner's parent only where body elements may go: never here.
    p.doc.parent_messages.clear();
    let end = run.end;
    let span = p.block_span(&b[i..end.min(b.len()).max(i + 1)]);
    // nest_line_block_lines: missing indents inherit the previous one
    let mut items: Vec<(Element, usize)> = Vec::new();
    let mut messages = Vec::new();
    let mut previous = 0;
    for parsed in run.items {
        let indent = parsed.indent.unwrap_or(previous);
        previous = indent;
        items.push((parsed.line, indent));
        messages.extend(parsed.messages);
    }
    let block = nest_segment(items, span, 0);
    p.push(block);
    p.push_all(messages);
    if !run.blank_finish {
        let warning_span = b.get(end).map_or(span, |v| p.line_span(*v));
        let m = p.msg(
            Severity::Warning,
            "Line block ends without a blank line.",
            lineno + 1,
            warning_span,
        );
        p.push(m);
    }
    end
}

/// `nest_line_block_segment`: lines indented more than the least indent
/// go into nested line blocks (depth-capped).
pub(in crate::syntax::rst) fn nest_segment(
    items: Vec<(Element, usize)>,
    span: Span,
    depth: usize,
) -> Element {
    let mut block = Element::new(Tag::LineBlock, span);
    let least = items.iter().map(|(_, i)| *i).min().unwrap_or(0);
    let mut pending: Vec<(Element, usize)> = Vec::new();
    for (l, ind) in items {
        if ind > least && depth < super::super::block::MAX_DEPTH {
            pending.push((l, ind));
        } else {
            if !pending.is_empty() {
                block.push(nest_segment(std::mem::take(&mut pending), span, depth + 1));
            }
            block.push(l);
        }
    }
    if !pending.is_empty() {
        block.push(nest_segment(pending, span, depth + 1));
    }
    block
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_block_markers() {
        assert_eq!(line_block_marker("| text"), Some(2));
        assert_eq!(line_block_marker("|    deeper"), Some(5));
        assert_eq!(line_block_marker("|"), Some(1));
        assert_eq!(line_block_marker("|x"), None);
        assert_eq!(line_block_marker("x |"), None);
    }

    #[test]
    fn deeper_lines_nest() {
        let line = |t: &str| {
            let mut l = Element::new(Tag::Line, Span::default());
            l.push_text(t, Span::default());
            l
        };
        let block = nest_segment(
            vec![
                (line("a"), 0),
                (line("b"), 2),
                (line("c"), 4),
                (line("d"), 0),
            ],
            Span::default(),
            0,
        );
        let kinds: Vec<String> = block
            .children
            .iter()
            .map(|n| match n {
                crate::ast::Node::Element(e) => format!("{:?}", e.tag),
                crate::ast::Node::Text(_) => "text".into(),
            })
            .collect();
        assert_eq!(kinds, ["Line", "LineBlock", "Line"]);
    }
}
