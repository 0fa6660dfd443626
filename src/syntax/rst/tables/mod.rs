//! Grid and simple tables (docutils' `tableparser` plus `Body.table_top`).
//!
//! Tables work on character columns. Each cell becomes a block of
//! synthetic lines (pointing back at the table's source lines) that is
//! parsed like any nested block. [`grid`] and [`simple`] turn the lines
//! into [`TableData`]; [`build_table`] makes the doctree from it.

mod grid;
mod simple;

use crate::ast::Attr;
use crate::diag::Severity;
pub use grid::try_grid_table;
pub use simple::try_simple_table;

use crate::ast::{Element, Span, Tag};

use super::block::{LineView, Parser};
use super::doc::literal_block;
use super::lines::synthetic;

/// `\+-[-+]+-\+ *$`
pub fn is_grid_top(l: &str) -> bool {
    let t = l.trim_end_matches(' ');
    t.len() >= 4
        && t.starts_with("+-")
        && t.ends_with("-+")
        && t.bytes().all(|c| c == b'-' || c == b'+')
}

/// `=+( +=+)+ *$`
pub fn is_simple_top(l: &str) -> bool {
    let t = l.trim_end_matches(' ');
    t.starts_with('=') && t.contains(' ') && t.bytes().all(|c| c == b'=' || c == b' ')
}

/// One cell as the table parsers find it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Cell {
    /// Rows and columns it spans beyond its own.
    morerows: usize,
    morecols: usize,
    /// Index, within the table's lines, of the cell's first line.
    first_line: usize,
    /// The cell's text, one string per line, its indentation removed.
    lines: Vec<String>,
}

/// A message for a malformed table and the table line it is about.
pub(super) type TableError = (String, usize);

/// A parsed table: column widths, and head and body rows (`None` where a
/// spanning cell covers the slot).
#[derive(Debug)]
pub(super) struct TableData {
    colwidths: Vec<usize>,
    head: Vec<Vec<Option<Cell>>>,
    body: Vec<Vec<Option<Cell>>>,
}

/// Characters of a table line with a pad after each wide character
/// (docutils' `pad_double_width`), so columns line up on screen columns.
pub(super) fn padded_chars(s: &str) -> Vec<char> {
    let mut v = Vec::with_capacity(s.len());
    for c in s.chars() {
        v.push(c);
        if super::lines::is_wide(c as u32) {
            v.push(PAD);
        }
    }
    v
}

const PAD: char = '\u{0}';

pub(super) fn padded_len(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if super::lines::is_wide(c as u32) {
                2
            } else {
                1
            }
        })
        .sum()
}

/// `get_2D_block`: lines `top..bottom`, columns `left..right`, common indent stripped.
pub(super) fn block_2d(
    lines: &[Vec<char>],
    top: usize,
    left: usize,
    bottom: usize,
    right: usize,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut indent = right;
    for l in lines.get(top..bottom).unwrap_or(&[]) {
        let a = left.min(l.len());
        let b = right.min(l.len()).max(a);
        // One string per line, trimmed and cut in place.
        let mut s = String::with_capacity(b - a);
        s.extend(l[a..b].iter().filter(|&&c| c != PAD));
        s.truncate(s.trim_end().len());
        if !s.is_empty() {
            indent = indent.min(s.len() - s.trim_start().len());
        }
        out.push(s);
    }
    if indent > 0 && indent < right {
        // The first `indent` characters go (`indent` counts bytes of
        // leading whitespace, as it always has).
        for s in &mut out {
            let cut = s.char_indices().nth(indent).map_or(s.len(), |(i, _)| i);
            s.drain(..cut);
        }
    }
    out
}

/// The head/body separator line of a table, if it has one: the only line
/// `is_separator` accepts, neither the first nor the last.
fn head_separator(
    lines: &[String],
    is_separator: impl Fn(&str) -> bool,
) -> Result<Option<usize>, TableError> {
    let mut head_sep = None;
    for (i, l) in lines.iter().enumerate() {
        if !is_separator(l.trim_end_matches(' ')) {
            continue;
        }
        if let Some(h) = head_sep {
            return Err((
                format!(
                    "Multiple head/body row separators (table lines {} and {}); only one allowed.",
                    h + 1,
                    i + 1
                ),
                i,
            ));
        }
        head_sep = Some(i);
    }
    if head_sep == Some(0) || head_sep == Some(lines.len().saturating_sub(1)) {
        return Err((
            "The head/body row separator may not be the first or last line of the table.".into(),
            head_sep.unwrap_or(0),
        ));
    }
    Ok(head_sep)
}

/// Builds the table element, nested-parsing each cell.
pub(super) fn build_table(
    p: &mut Parser,
    data: TableData,
    table_lines: &[LineView],
    span: Span,
) -> Element {
    let mut table = Element::new(Tag::Table, span);
    let mut tgroup = Element::new(Tag::Tgroup, span);
    tgroup.set(Attr::Cols, data.colwidths.len().to_string());
    for w in &data.colwidths {
        let mut cs = Element::new(Tag::Colspec, span);
        cs.set(Attr::Colwidth, w.to_string());
        tgroup.push(cs);
    }
    let build_rows = |p: &mut Parser, rows: Vec<Vec<Option<Cell>>>, parent: &mut Element| {
        for row in rows {
            let mut r = Element::new(Tag::Row, span);
            for cell in row.into_iter().flatten() {
                let Cell {
                    morerows,
                    morecols,
                    first_line: offset,
                    lines,
                } = cell;
                let mut entry = Element::new(Tag::Entry, span);
                if morerows > 0 {
                    entry.set(Attr::Morerows, morerows.to_string());
                }
                if morecols > 0 {
                    entry.set(Attr::Morecols, morecols.to_string());
                }
                if lines.iter().any(|l| !l.is_empty()) {
                    let first = p.lines.len();
                    for (k, l) in lines.into_iter().enumerate() {
                        let src = table_lines
                            .get(offset + k)
                            .map(|r| p.line_span(*r))
                            .unwrap_or(span);
                        let lineno = table_lines
                            .get(offset + k)
                            .map(|r| p.lineno(*r))
                            .unwrap_or(0);
                        p.lines
                            .push(synthetic(l, src.start as usize, src.end as usize, lineno));
                    }
                    let views: Vec<LineView> = (first as u32..p.lines.len() as u32)
                        .map(|line| LineView { line, offset: 0 })
                        .collect();
                    entry.span = p.block_span(&views);
                    entry = p.nested(entry, &views);
                }
                r.push(entry);
            }
            parent.push(r);
        }
    };
    if !data.head.is_empty() {
        let mut thead = Element::new(Tag::Thead, span);
        build_rows(p, data.head, &mut thead);
        tgroup.push(thead);
    }
    let mut tbody = Element::new(Tag::Tbody, span);
    build_rows(p, data.body, &mut tbody);
    tgroup.push(tbody);
    table.push(tgroup);
    table
}

pub(super) fn malformed(p: &mut Parser, block: &[LineView], detail: &str, offset: usize) {
    let data = p.join(block).0;
    let mut msg = "Malformed table.".to_string();
    if !detail.is_empty() {
        msg.push('\n');
        msg.push_str(detail);
    }
    let line = block.first().map(|r| p.lineno(*r)).unwrap_or(0) + offset;
    let span = p.block_span(block);
    let mut m = p.doc.message(Severity::Error, &msg, Some(line), span);
    m.push(literal_block(&data, span));
    p.push(m);
}

pub(super) fn blank_required(p: &mut Parser, b: &[LineView], end: usize) {
    let line = b
        .get(end)
        .map(|r| p.lineno(*r))
        .unwrap_or_else(|| b.last().map(|r| p.lineno(*r) + 1).unwrap_or(0));
    let span = b.get(end).map(|r| p.line_span(*r)).unwrap_or_default();
    let m = p.msg(
        Severity::Warning,
        "Blank line required after table.",
        line,
        span,
    );
    p.push(m);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_tops() {
        assert!(is_grid_top("+--+---+"));
        assert!(is_grid_top("+--+  "));
        assert!(!is_grid_top("+=+"));
        assert!(!is_grid_top("+--"));
        assert!(is_simple_top("==  ==="));
        assert!(!is_simple_top("====="));
        assert!(!is_simple_top("== -- =="));
    }

    #[test]
    fn wide_characters_take_two_columns() {
        assert_eq!(padded_len("a\u{4e00}b"), 4);
        assert_eq!(padded_chars("\u{4e00}x"), ['\u{4e00}', PAD, 'x']);
    }

    #[test]
    fn blocks_lose_their_common_indent() {
        let rows: Vec<Vec<char>> = ["|   a  |", "|    b |", "|      |"]
            .iter()
            .map(|l| padded_chars(l))
            .collect();
        assert_eq!(block_2d(&rows, 0, 1, 3, 7), ["a", " b", ""]);
    }
}
