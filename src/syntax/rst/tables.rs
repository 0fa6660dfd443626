//! Grid and simple tables (docutils' `tableparser` plus `Body.table_top`).
//!
//! Tables work on character columns. Each cell becomes a block of
//! synthetic lines (pointing back at the table's source lines) that is
//! parsed like any nested block.

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

/// A row of cells: (morerows, morecols, first line index within the table block, cell lines).
type Cell = (usize, usize, usize, Vec<String>);

struct TableData {
    colwidths: Vec<usize>,
    head: Vec<Vec<Option<Cell>>>,
    body: Vec<Vec<Option<Cell>>>,
}

/// Characters of a table line with a pad after each wide character
/// (docutils' `pad_double_width`), so columns line up on screen columns.
fn chars(s: &str) -> Vec<char> {
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

fn padded_len(s: &str) -> usize {
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
fn block_2d(
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
        let s: String = l[a..b]
            .iter()
            .filter(|&&c| c != PAD)
            .collect::<String>()
            .trim_end()
            .to_string();
        if !s.is_empty() {
            indent = indent.min(s.len() - s.trim_start().len());
        }
        out.push(s);
    }
    if indent > 0 && indent < right {
        out = out
            .into_iter()
            .map(|s| s.chars().skip(indent).collect())
            .collect();
    }
    out
}

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

fn parse_grid(lines: &[String]) -> Result<TableData, (String, usize)> {
    let mut b: Vec<Vec<char>> = lines.iter().map(|l| chars(l)).collect();
    // head/body separator
    let mut head_sep = None;
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim_end_matches(' ');
        if t.len() >= 4
            && t.starts_with("+=")
            && t.ends_with("=+")
            && t.bytes().all(|c| c == b'=' || c == b'+')
        {
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
            b[i] = l.replace('=', "-").chars().collect();
        }
    }
    if head_sep == Some(0) || head_sep == Some(lines.len().saturating_sub(1)) {
        return Err((
            "The head/body row separator may not be the first or last line of the table.".into(),
            head_sep.unwrap_or(0),
        ));
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
            *slot = Some((morerows, morecols, top + 1, block));
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

fn parse_simple(lines: &[String]) -> Result<TableData, (String, usize)> {
    let mut b: Vec<String> = lines.to_vec();
    let n = b.len();
    if n < 2 {
        return Err(("".into(), 0));
    }
    b[0] = b[0].replace('=', "-");
    b[n - 1] = b[n - 1].replace('=', "-");
    let mut head_sep = None;
    for (i, l) in b.iter_mut().enumerate() {
        let t = l.trim_end_matches(' ');
        if !t.is_empty() && t.starts_with('=') && t.bytes().all(|c| c == b'=' || c == b' ') {
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
            *l = l.replace('=', "-");
        }
    }
    if head_sep == Some(0) || head_sep == Some(n - 1) {
        return Err((
            "The head/body row separator may not be the first or last line of the table.".into(),
            head_sep.unwrap_or(0),
        ));
    }
    let cb: Vec<Vec<char>> = b.iter().map(|l| chars(l)).collect();
    let parse_columns = |line: &[char]| -> Vec<(usize, usize)> {
        let mut cols = Vec::new();
        let mut end = 0;
        while let Some(begin) = line
            .iter()
            .skip(end)
            .position(|&c| c == '-')
            .map(|k| k + end)
        {
            let e = line
                .iter()
                .skip(begin)
                .position(|&c| c == ' ')
                .map(|k| k + begin)
                .unwrap_or(line.len());
            cols.push((begin, e));
            end = e;
        }
        cols
    };
    let mut columns = parse_columns(&cb[0]);
    if columns.is_empty() {
        return Err(("".into(), 0));
    }
    let border_end = columns.last().map(|c| c.1).unwrap_or(0);
    let (fs, fe) = columns[0];
    let is_span = |l: &[char]| l.first() == Some(&'-') && l.iter().all(|&c| c == '-' || c == ' ');
    let mut table: Vec<(usize, Vec<Cell>)> = Vec::new();
    let mut parse_row = |columns: &mut Vec<(usize, usize)>,
                         start: usize,
                         end: usize,
                         spanline: Option<usize>|
     -> Result<(), (String, usize)> {
        if start >= end && spanline.is_none() {
            return Ok(());
        }
        let mut cols = match spanline {
            Some(s) => {
                let mut c = parse_columns(&cb[s]);
                if c.last().map(|x| x.1) != Some(border_end) {
                    return Err((
                        format!("Column span incomplete in table line {}.", s + 1),
                        s,
                    ));
                }
                if let (Some(l), Some(m)) = (c.last_mut(), columns.last()) {
                    l.1 = m.1;
                }
                c
            }
            None => columns.clone(),
        };
        // check_columns
        let rows = &cb[start..end];
        let lastcol = cols.len() - 1;
        for i in 0..cols.len() {
            let (s, e) = cols[i];
            let nextstart = cols.get(i + 1).map(|c| c.0).unwrap_or(usize::MAX);
            for (off, l) in rows.iter().enumerate() {
                let tail: String = l.iter().skip(e).collect();
                if i == lastcol && !tail.trim().is_empty() {
                    let text: String = l.iter().skip(s).collect::<String>().trim_end().to_string();
                    let new_end = s + text.chars().count();
                    let (ms, me) = *columns.last().unwrap_or(&(0, 0));
                    cols[i] = (s, me.max(new_end));
                    if new_end > me
                        && let Some(last) = columns.last_mut()
                    {
                        *last = (ms, new_end);
                    }
                } else if i != lastcol {
                    let mid: String = l.iter().skip(e).take(nextstart.saturating_sub(e)).collect();
                    if !mid.trim().is_empty() {
                        return Err((
                            format!("Text in column margin in table line {}.", start + off + 1),
                            start + off,
                        ));
                    }
                }
            }
        }
        // init_row
        let mut cells = Vec::new();
        let mut k = 0;
        for &(s, e) in &cols {
            let mut morecols = 0;
            if columns.get(k).map(|c| c.0) != Some(s) {
                return Err((
                    format!("Column span alignment problem in table line {}.", start + 1),
                    start,
                ));
            }
            while columns.get(k).map(|c| c.1) != Some(e) {
                k += 1;
                morecols += 1;
                if k >= columns.len() {
                    return Err((
                        format!("Column span alignment problem in table line {}.", start + 1),
                        start,
                    ));
                }
            }
            k += 1;
            let block = block_2d(&cb, start, s, end, e);
            cells.push((0, morecols, start, block));
        }
        table.push((start, cells));
        Ok(())
    };
    let mut offset = 1;
    let mut start = 1;
    let mut text_found = false;
    while offset < n {
        let line = &cb[offset];
        if is_span(line) {
            parse_row(&mut columns, start, offset, Some(offset))?;
            start = offset + 1;
            text_found = false;
        } else if line
            .iter()
            .skip(fs)
            .take(fe - fs)
            .collect::<String>()
            .trim()
            != ""
        {
            if text_found && offset != start {
                parse_row(&mut columns, start, offset, None)?;
            }
            start = offset;
            text_found = true;
        } else if !text_found {
            start = offset + 1;
        }
        offset += 1;
    }
    let colwidths: Vec<usize> = columns.iter().map(|(s, e)| e - s).collect();
    let mut first_body = 0;
    if let Some(h) = head_sep {
        for (i, (st, _)) in table.iter().enumerate() {
            if *st > h {
                first_body = i;
                break;
            }
        }
    }
    let rows: Vec<Vec<Option<Cell>>> = table
        .into_iter()
        .map(|(_, cells)| cells.into_iter().map(Some).collect())
        .collect();
    let mut head = rows;
    let body = head.split_off(first_body.min(head.len()));
    Ok(TableData {
        colwidths,
        head,
        body,
    })
}

/// Builds the table element, nested-parsing each cell.
fn build_table(p: &mut Parser, data: TableData, table_lines: &[LineView], span: Span) -> Element {
    let mut table = Element::new(Tag::Table, span);
    let mut tgroup = Element::new(Tag::Tgroup, span);
    tgroup.set("cols", data.colwidths.len().to_string());
    for w in &data.colwidths {
        let mut cs = Element::new(Tag::Colspec, span);
        cs.set("colwidth", w.to_string());
        tgroup.push(cs);
    }
    let build_rows = |p: &mut Parser, rows: Vec<Vec<Option<Cell>>>, parent: &mut Element| {
        for row in rows {
            let mut r = Element::new(Tag::Row, span);
            for cell in row.into_iter().flatten() {
                let (morerows, morecols, offset, lines) = cell;
                let mut entry = Element::new(Tag::Entry, span);
                if morerows > 0 {
                    entry.set("morerows", morerows.to_string());
                }
                if morecols > 0 {
                    entry.set("morecols", morecols.to_string());
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
                    let refs: Vec<LineView> = (first..p.lines.len())
                        .map(|li| LineView {
                            line: li as u32,
                            offset: 0,
                        })
                        .collect();
                    entry.span = p.block_span(&refs);
                    entry = p.nested(entry, &refs);
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

fn malformed(p: &mut Parser, block: &[LineView], detail: &str, offset: usize) {
    let data = p.join(block).0;
    let mut msg = "Malformed table.".to_string();
    if !detail.is_empty() {
        msg.push('\n');
        msg.push_str(detail);
    }
    let line = block.first().map(|r| p.lineno(*r)).unwrap_or(0) + offset;
    let span = p.block_span(block);
    let mut m = p.doc.message(3, &msg, Some(line), span);
    m.push(literal_block(&data, span));
    p.push(m);
}

fn blank_required(p: &mut Parser, b: &[LineView], end: usize) {
    let line = b
        .get(end)
        .map(|r| p.lineno(*r))
        .unwrap_or_else(|| b.last().map(|r| p.lineno(*r) + 1).unwrap_or(0));
    let span = b.get(end).map(|r| p.line_span(*r)).unwrap_or_default();
    let m = p.msg(2, "Blank line required after table.", line, span);
    p.push(m);
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
    if let Some(e) = err {
        let m = p.msg(
            3,
            "Unexpected indentation.",
            p.lineno(b[e]),
            p.line_span(b[e]),
        );
        p.push(m);
    }
    let mut block: Vec<String> = b[i..end]
        .iter()
        .map(|r| p.line_text(*r).trim().to_string())
        .collect();
    let width = padded_len(&block[0]);
    if let Some(k) = block
        .iter()
        .position(|l| !l.starts_with('+') && !l.starts_with('|'))
    {
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
                // docutils reports at the last value of its loop variable
                let off = if n >= 4 { 2 } else { n.saturating_sub(1) };
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
    if !blank_finish {
        blank_required(p, b, end);
    }
    Some(end)
}

fn is_border(l: &str) -> bool {
    let t = l.trim_end_matches(' ');
    t.starts_with('=') && t.bytes().all(|c| c == b'=' || c == b' ')
}

pub fn try_simple_table(p: &mut Parser, b: &[LineView], i: usize, line: &str) -> Option<usize> {
    if !is_simple_top(line) {
        return None;
    }
    let toplen = line.trim().chars().count();
    let limit = b.len() - 1;
    let mut found = 0;
    let mut found_at = None;
    let mut end = None;
    let mut k = i + 1;
    while k <= limit {
        let l = p.line_text(b[k]).to_string();
        if is_border(&l) {
            if l.trim().chars().count() != toplen {
                malformed(
                    p,
                    &b[i..=k],
                    "Bottom/header table border does not match top border.",
                    0,
                );
                let bf = k == limit || p.is_blank(b[k + 1]);
                if !bf {
                    blank_required(p, b, k + 1);
                }
                return Some(k + 1);
            }
            found += 1;
            found_at = Some(k);
            if found == 2 || k == limit || p.is_blank(b[k + 1]) {
                end = Some(k);
                break;
            }
        }
        k += 1;
    }
    let Some(end) = end else {
        let (blk_end, extra) = match found_at {
            Some(f) => (f + 1, " or no blank line after table bottom"),
            None => (b.len(), ""),
        };
        malformed(
            p,
            &b[i..blk_end],
            &format!("No bottom table border found{extra}."),
            0,
        );
        if !extra.is_empty() {
            blank_required(p, b, blk_end);
        }
        return Some(blk_end);
    };
    let blank_finish = end == limit || p.is_blank(b[end + 1]);
    let block: Vec<String> = b[i..=end]
        .iter()
        .map(|r| p.line_text(*r).to_string())
        .collect();
    let span = p.block_span(&b[i..=end]);
    match parse_simple(&block) {
        Ok(data) => {
            let t = build_table(p, data, &b[i..=end], span);
            p.push(t);
        }
        Err((d, off)) => malformed(p, &b[i..=end], &d, off),
    }
    if !blank_finish {
        blank_required(p, b, end + 1);
    }
    Some(end + 1)
}
