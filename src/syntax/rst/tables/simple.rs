//! Simple tables (`SimpleTableParser`, `Body.simple_table_top`).

use super::super::block::{LineView, Parser};
use super::{
    Cell, TableData, TableError, blank_required, block_2d, build_table, head_separator,
    is_simple_top, malformed, padded_chars,
};

/// `SimpleTableParser.parse`: columns from the top border, rows from
/// the lines with text in the first column.
fn parse_simple(lines: &[String]) -> Result<TableData, TableError> {
    let mut b: Vec<String> = lines.to_vec();
    let n = b.len();
    if n < 2 {
        return Err(("".into(), 0));
    }
    b[0] = b[0].replace('=', "-");
    b[n - 1] = b[n - 1].replace('=', "-");
    let head_sep = head_separator(&b, is_border)?;
    if let Some(h) = head_sep {
        b[h] = b[h].replace('=', "-");
    }
    let cb: Vec<Vec<char>> = b.iter().map(|l| padded_chars(l)).collect();
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
     -> Result<(), TableError> {
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
                return Err(span_alignment_problem(start));
            }
            while columns.get(k).map(|c| c.1) != Some(e) {
                k += 1;
                morecols += 1;
                if k >= columns.len() {
                    return Err(span_alignment_problem(start));
                }
            }
            k += 1;
            let block = block_2d(&cb, start, s, end, e);
            cells.push(Cell {
                morerows: 0,
                morecols,
                first_line: start,
                lines: block,
            });
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

/// docutils names the line after the row's first (its `init_row` adds
/// one more than the other checks), whatever line is misaligned.
fn span_alignment_problem(row_start: usize) -> TableError {
    (
        format!(
            "Column span alignment problem in table line {}.",
            row_start + 2
        ),
        row_start + 1,
    )
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
                    "Bottom border or header rule does not match top border.",
                    k - i,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_string).collect()
    }

    #[test]
    fn simple_columns_rows_and_spans() {
        let table = lines(
            "=====  =====\n\
             head   two\n\
             =====  =====\n\
             a      b\n\
             spans both\n\
             ------------\n\
             c      d\n\
             \x20      more\n\
             =====  =====",
        );
        let data = parse_simple(&table).expect("a valid simple table");
        assert_eq!(data.colwidths, [5, 5]);
        assert_eq!(data.head.len(), 1);
        assert_eq!(data.body.len(), 3);
        let d = data.body[2][1].as_ref().expect("cell d");
        assert_eq!(d.lines, ["d", "more"]);
        let span = data.body[1][0].as_ref().expect("spanning row");
        assert_eq!(
            (span.morecols, span.lines.clone()),
            (1, vec!["spans both".to_string()])
        );
    }

    #[test]
    fn text_in_a_column_margin_is_an_error() {
        let table = lines("===  ===\nab   cd\na xx d\n===  ===");
        let err = parse_simple(&table).expect_err("margin text");
        assert_eq!(
            err,
            ("Text in column margin in table line 3.".to_string(), 2)
        );
    }

    #[test]
    fn borders_are_equals_signs_and_spaces() {
        assert!(is_border("===  ==="));
        assert!(is_border("="));
        assert!(!is_border(" ==="));
        assert!(!is_border("==-=="));
    }
}
