//! Field lists (`Body.field_marker`, the `FieldList` state).

use crate::ast::{Element, Node, Tag};

use super::super::block::{LineView, Parser};
use super::{ParsedItem, finish_list, following_items};

/// `:(?![: ])([^:\\]|\\.|:(?!([ `]|$)))*(?<! ):( +|$)`: returns (name, match end).
pub fn field_match(line: &str) -> Option<(String, usize)> {
    let b = line.as_bytes();
    if b.first() != Some(&b':') || matches!(b.get(1), Some(b':') | Some(b' ') | None) {
        return None;
    }
    // scan for the closing colon, trying each candidate (regex backtracking picks the first that works)
    let mut k = 1;
    while k < b.len() {
        match b[k] {
            b'\\' => {
                k += 2;
                continue;
            }
            b':' => {
                let next = b.get(k + 1);
                let closes = k > 1 && b[k - 1] != b' ' && (next.is_none() || next == Some(&b' '));
                if closes {
                    let tail = &line[k + 1..];
                    let spaces = tail.len() - tail.trim_start_matches(' ').len();
                    return Some((line[1..k].to_string(), k + 1 + spaces));
                }
                // an inner colon is allowed unless followed by space, backquote or end
                if matches!(next, Some(b' ') | Some(b'`') | None) {
                    return None;
                }
            }
            _ => {}
        }
        k += 1;
    }
    None
}

/// One field: its name (inline markup, from the marker) and its body.
fn field(
    p: &mut Parser,
    b: &[LineView],
    i: usize,
    name: &str,
    marker_end: usize,
) -> ParsedItem<Element> {
    let lineno = p.lineno(b[i]);
    let ind = p.get_first_known_indented(b, i, marker_end, false, true);
    let span = p.line_span(b[i]).cover(p.block_span(&ind.lines));
    let mut field = Element::new(Tag::Field, span);
    p.doc.mark_line(&mut field, lineno);
    let name_span = p.line_span(b[i]);
    // The name starts after the marker's first colon.
    let segs = vec![(0usize, b[i].line as usize, b[i].offset as usize + 1)];
    let (nodes, msgs) = p.inline(name, segs, lineno);
    // A duplicate inline target's message would go to the field list,
    // which holds no body elements: docutils drops it.
    p.doc.parent_messages.clear();
    let mut field_name = Element::new(Tag::FieldName, name_span);
    field_name.children = nodes;
    field.push(field_name);
    let body = Element::new(Tag::FieldBody, p.block_span(&ind.lines));
    let mut body = if ind.lines.is_empty() {
        body
    } else {
        p.nested(body, &ind.lines)
    };
    // The name's inline messages go into the body first (docutils: field_body += messages).
    if !msgs.is_empty() {
        let mut kids: Vec<Node> = msgs.into_iter().map(Into::into).collect();
        kids.append(&mut body.children);
        body.children = kids;
    }
    field.push(body);
    (field, ind.end, ind.blank_finish)
}

pub fn try_field_list(p: &mut Parser, b: &[LineView], i: usize, line: &str) -> Option<usize> {
    let (name, marker_end) = field_match(line)?;
    let list = Element::new(Tag::FieldList, p.line_span(b[i]));
    let first = field(p, b, i, &name, marker_end);
    let run = following_items(p, b, first, |p, b, j, line| {
        let (name, marker_end) = field_match(line)?;
        Some(field(p, b, j, &name, marker_end))
    });
    Some(finish_list(p, list, b, i, run, "Field list"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_markers() {
        assert_eq!(field_match(":name: body"), Some(("name".into(), 7)));
        assert_eq!(field_match(":name:"), Some(("name".into(), 6)));
        assert_eq!(field_match(":a:b: c"), Some(("a:b".into(), 6)));
        assert_eq!(field_match(r":a\: b: c"), Some((r"a\: b".into(), 8)));
        assert_eq!(field_match(":a :b"), None);
        assert_eq!(field_match("::x: y"), None);
        assert_eq!(field_match(": x: y"), None);
        assert_eq!(field_match(":x:y"), None);
        assert_eq!(field_match(":x:`y: z"), None);
    }
}
