//! Grid tables (`GridTableParser`, `Body.grid_table_top`).

use super::super::block::{LineView, Parser};
use super::{
    Cell, TableData, TableError, blank_required, block_2d, build_table, head_separator,
    is_grid_top, malformed, padded_chars, padded_len,
};
use crate::diag::Severity;

/// The table as characters, and what the border scan has found so far.
struct Grid {
    b: Vec<Vec<char>>,
    bottom: usize,
    right: usize,
    done: Vec<isize>,
    rowseps: std::collections::BTreeSet<usize>,
    colseps: std::collections::BTreeSet<usize>,
    cells: Vec<(usize, usize, usize, usize)>,
}

impl Grid {
    fn at(&self, r: usize, c: usize) -> char {
        self.b.get(r).and_then(|l| l.get(c)).copied().unwrap_or(' ')
    }
    fn scan_right(&mut self, top: usize, left: usize) -> Option<(usize, usize)> {
        for i in left + 1..=self.right {
            let c = self.at(top, i);
            if c == '+' {
                if let Some(bottom) = self.scan_down(top, left, i) {
                    self.colseps.insert(i);
                    return Some((bottom, i));
                }
            } else if c != '-' {
                return None;
            }
        }
        None
    }
    fn scan_down(&mut self, top: usize, left: usize, right: usize) -> Option<usize> {
        for i in top + 1..=self.bottom {
            let c = self.at(i, right);
            if c == '+' {
                if self.scan_left(top, left, i, right) {
                    self.rowseps.insert(i);
                    return Some(i);
                }
            } else if c != '|' {
                return None;
            }
        }
        None
    }
    fn scan_left(&mut self, top: usize, left: usize, bottom: usize, right: usize) -> bool {
        let mut cols = Vec::new();
        for i in (left + 1..right).rev() {
            let c = self.at(bottom, i);
            if c == '+' {
                cols.push(i);
            } else if c != '-' {
                return false;
            }
        }
        if self.at(bottom, left) != '+' {
            return false;
        }
        let mut rows = Vec::new();
        for i in (top + 1..bottom).rev() {
            let c = self.at(i, left);
            if c == '+' {
                rows.push(i);
            } else if c != '|' {
                return false;
            }
        }
        self.colseps.extend(cols);
        self.rowseps.extend(rows);
        true
    }
}

/// `GridTableParser.parse`: finds the cells by following their borders.
fn parse_grid(lines: &[String]) -> Result<TableData, TableError> {
    let mut b: Vec<Vec<char>> = lines.iter().map(|l| padded_chars(l)).collect();
    // head/body separator
    let head_sep = head_separator(lines, |t| {
        t.len() >= 4
            && t.starts_with("+=")
            && t.ends_with("=+")
            && t.bytes().all(|c| c == b'=' || c == b'+')
    })?;
    if let Some(h) = head_sep {
        b[h] = lines[h].replace('=', "-").chars().collect();
    }
    let width = b.first().map(|l| l.len()).unwrap_or(0);
    let mut g = Grid {
        bottom: b.len().saturating_sub(1),
        right: width.saturating_sub(1),
        done: vec![-1; width],
        b,
        rowseps: [0].into_iter().collect(),
        colseps: [0].into_iter().collect(),
        cells: Vec::new(),
    };
    let mut corners: Vec<(usize, usize)> = vec![(0, 0)];
    let mut guard = 0usize;
    while !corners.is_empty() {
        guard += 1;
        if guard > 1_000_000 {
            break;
        }
        let (top, left) = corners.remove(0);
        if top == g.bottom
            || left == g.right
            || (top as isize) <= g.done.get(left).copied().unwrap_or(isize::MAX)
        {
            continue;
        }
        if g.at(top, left) != '+' {
            continue;
        }
        let Some((bottom, right)) = g.scan_right(top, left) else {
            continue;
        };
        for col in left..right {
            if let Some(d) = g.done.get_mut(col) {
                *d = bottom as isize - 1;
            }
        }
        g.cells.push((top, left, bottom, right));
        corners.push((top, right));
        corners.push((bottom, left));
        corners.sort();
        corners.dedup();
    }
    let last = g.bottom as isize - 1;
    if (0..g.right).any(|c| g.done[c] != last) {
        return Err(("Malformed table; parse incomplete.".into(), 0));
    }
    let rowseps: Vec<usize> = g.rowseps.iter().copied().collect();
    let colseps: Vec<usize> = g.colseps.iter().copied().collect();
    let ri = |r: usize| rowseps.iter().position(|&x| x == r).unwrap_or(0);
    let ci = |c: usize| colseps.iter().position(|&x| x == c).unwrap_or(0);
    let colwidths: Vec<usize> = colseps.windows(2).map(|w| w[1] - w[0] - 1).collect();
    let mut rows: Vec<Vec<Option<Cell>>> =
        vec![vec![None; colseps.len().saturating_sub(1)]; rowseps.len().saturating_sub(1)];
    for &(top, left, bottom, right) in &g.cells {
        let (r, c) = (ri(top), ci(left));
        let morerows = ri(bottom).saturating_sub(r + 1);
        let morecols = ci(right).saturating_sub(c + 1);
        let block = block_2d(&g.b, top + 1, left + 1, bottom, right);
        if let Some(slot) = rows.get_mut(r).and_then(|row| row.get_mut(c)) {
            *slot = Some(Cell {
                morerows,
                morecols,
                first_line: top + 1,
                lines: block,
            });
        }
    }
    let (head, body) = match head_sep {
        Some(h) => {
            let n = ri(h);
            let body = rows.split_off(n.min(rows.len()));
            (rows, body)
        }
        None => (Vec::new(), rows),
    };
    Ok(TableData {
        colwidths,
        head,
        body,
    })
}

pub fn try_grid_table(p: &mut Parser, b: &[LineView], i: usize, line: &str) -> Option<usize> {
    if !is_grid_top(line) {
        return None;
    }
    // isolate_grid_table
    let mut end = i;
    let mut err = None;
    while end < b.len() && !p.is_blank(b[end]) {
        if end > i && p.line_text(b[end]).starts_with(' ') {
            err = Some(end);
            break;
        }
        end += 1;
    }
    let mut blank_finish = err.is_none();
    // docutils lists this message after an error found while isolating
    // the table, but after the table (or its parse error) otherwise
    let mut indent_error = err.map(|e| {
        p.msg(
            Severity::Error,
            "Unexpected indentation.",
            p.lineno(b[e]),
            p.line_span(b[e]),
        )
    });
    let mut block: Vec<String> = b[i..end]
        .iter()
        .map(|r| p.line_text(*r).trim().to_string())
        .collect();
    let width = padded_len(&block[0]);
    // docutils' left-edge loop leaves its variable at the last line it
    // looked at; a "Bottom border" error may report at that offset
    let mut left_loop_end = block.len() - 1;
    if let Some(k) = block
        .iter()
        .position(|l| !l.starts_with('+') && !l.starts_with('|'))
    {
        left_loop_end = k;
        blank_finish = false;
        block.truncate(k);
        end = i + k;
    }
    if !block.last().is_some_and(|l| is_grid_top(l)) {
        let mut found = None;
        let n = block.len();
        let mut k = n.saturating_sub(2);
        while k > 1 {
            if is_grid_top(&block[k]) {
                found = Some(k);
                break;
            }
            k -= 1;
        }
        match found {
            Some(k) => {
                blank_finish = false;
                block.truncate(k + 1);
                end = i + k + 1;
            }
            None => {
                // docutils reports at the last value of its loop variable:
                // the bottom search's when it ran, else the left edge's
                let off = if n >= 4 { 2 } else { left_loop_end };
                if let Some(m) = indent_error.take() {
                    p.push(m);
                }
                malformed(p, &b[i..end], "Bottom border missing or corrupt.", off);
                if !blank_finish {
                    blank_required(p, b, end);
                }
                return Some(end);
            }
        }
    }
    if let Some(k) = block
        .iter()
        .position(|l| padded_len(l) != width || !(l.ends_with('+') || l.ends_with('|')))
    {
        if let Some(m) = indent_error.take() {
            p.push(m);
        }
        malformed(p, &b[i..end], "Right border not aligned or missing.", k);
        if !blank_finish {
            blank_required(p, b, end);
        }
        return Some(end);
    }
    let span = p.block_span(&b[i..end]);
    match parse_grid(&block) {
        Ok(data) => {
            let t = build_table(p, data, &b[i..end], span);
            p.push(t);
        }
        Err((d, off)) => malformed(p, &b[i..end], &d, off),
    }
    if let Some(m) = indent_error {
        p.push(m);
    }
    if !blank_finish {
        blank_required(p, b, end);
    }
    Some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_string).collect()
    }

    #[test]
    fn grid_cells_with_spans_and_a_head() {
        let table = lines(
            "+---+---+\n\
             | a | b |\n\
             +===+===+\n\
             | c     |\n\
             +---+---+\n\
             | d | e |\n\
             |   +---+\n\
             |   | f |\n\
             +---+---+",
        );
        let data = parse_grid(&table).expect("a valid grid table");
        assert_eq!(data.colwidths, [3, 3]);
        assert_eq!(data.head.len(), 1);
        assert_eq!(data.body.len(), 3);
        let spanning = data.body[0][0].as_ref().expect("cell c");
        assert_eq!(
            (spanning.morecols, spanning.lines.clone()),
            (1, vec!["c".to_string()])
        );
        assert!(data.body[0][1].is_none(), "covered by c");
        let tall = data.body[1][0].as_ref().expect("cell d");
        assert_eq!((tall.morerows, tall.first_line), (1, 5));
        assert_eq!(
            data.body[2][1].as_ref().map(|c| c.lines.clone()),
            Some(vec!["f".into()])
        );
    }

    #[test]
    fn grid_errors_name_the_problem() {
        let two_heads = lines("+---+\n| a |\n+===+\n| b |\n+===+\n| c |\n+---+");
        let err = parse_grid(&two_heads).expect_err("two separators");
        assert_eq!(err.1, 4);
        assert!(
            err.0
                .starts_with("Multiple head/body row separators (table lines 3 and 5)")
        );
        let last = lines("+---+\n| a |\n+===+");
        assert_eq!(parse_grid(&last).map_err(|e| e.1).err(), Some(2));
        let broken = lines("+---+---+\n| a | b  \n+---+---+");
        assert_eq!(
            parse_grid(&broken).map_err(|e| e.0).err().as_deref(),
            Some("Malformed table; parse incomplete.")
        );
    }
}
