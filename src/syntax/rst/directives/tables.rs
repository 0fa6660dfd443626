//! `list-table`, `table`, `csv-table`.

use crate::ast::Attr;
use crate::ast::{Element, Node, Tag};

use super::admonitions::inline_arg;
use super::{Ctx, Opt, add_name};
use crate::syntax::rst::block::Parser;

pub const LIST_TABLE_OPTS: &[(&str, Opt)] = &[
    ("header-rows", Opt::NonNegInt),
    ("stub-columns", Opt::NonNegInt),
    ("width", Opt::LengthPercentageOrUnitless),
    ("widths", Opt::Unchanged),
    ("class", Opt::Class),
    ("name", Opt::Name),
    ("align", Opt::Align(&["left", "center", "right"])),
];

pub const TABLE_OPTS: &[(&str, Opt)] = &[
    ("width", Opt::LengthPercentageOrUnitless),
    ("widths", Opt::Unchanged),
    ("class", Opt::Class),
    ("name", Opt::Name),
    ("align", Opt::Align(&["left", "center", "right"])),
];

pub const CSV_OPTS: &[(&str, Opt)] = &[
    ("header-rows", Opt::NonNegInt),
    ("stub-columns", Opt::NonNegInt),
    ("header", Opt::Unchanged),
    ("width", Opt::LengthPercentageOrUnitless),
    ("widths", Opt::Unchanged),
    ("file", Opt::Unchanged),
    ("url", Opt::Uri),
    ("encoding", Opt::Encoding),
    ("class", Opt::Class),
    ("name", Opt::Name),
    ("align", Opt::Align(&["left", "center", "right"])),
    ("delim", Opt::CharOrWhitespaceOrUnicode),
    ("keepspace", Opt::Flag),
    ("quote", Opt::CharOrUnicode),
    ("escape", Opt::CharOrUnicode),
];

fn make_title(p: &mut Parser, ctx: &Ctx) -> (Option<Element>, Vec<Element>) {
    match ctx.args.first() {
        Some(a) => {
            let (nodes, m) = inline_arg(p, a, ctx);
            let mut t = Element::new(Tag::Title, ctx.span);
            t.children = nodes;
            (Some(t), m)
        }
        None => (None, Vec::new()),
    }
}

/// The `:widths:` option of the table directives.
#[derive(Debug, PartialEq, Eq)]
enum Widths {
    /// Not given: the parsed table's widths, or equal shares.
    Unset,
    /// `auto`: the browser decides (`colwidths-auto`).
    Auto,
    /// `grid`: the source's column widths, given on purpose (`colwidths-given`).
    Grid,
    /// Explicit relative widths (`colwidths-given`).
    List(Vec<String>),
}

impl Widths {
    /// The class docutils adds to the table for these widths.
    fn class(&self) -> Option<&'static str> {
        match self {
            Widths::Unset => None,
            Widths::Auto => Some("colwidths-auto"),
            Widths::Grid | Widths::List(_) => Some("colwidths-given"),
        }
    }
}

/// Parses `:widths:` (`auto`, `grid`, or positive integers).
fn widths(ctx: &Ctx) -> Result<Widths, String> {
    match ctx.opt("widths") {
        None => Ok(Widths::Unset),
        Some(w) if w.trim() == "auto" => Ok(Widths::Auto),
        Some(w) if w.trim() == "grid" => Ok(Widths::Grid),
        Some(w) => {
            let parts: Vec<&str> = if w.contains(',') {
                w.split(',').collect()
            } else {
                w.split_whitespace().collect()
            };
            let mut out = Vec::new();
            for s in parts {
                match s.trim().parse::<i64>() {
                    Ok(n) if n > 0 => out.push(n.to_string()),
                    // docutils' `positive_int`
                    Ok(_) => return Err("negative or zero value; must be positive".into()),
                    Err(_) => {
                        return Err(format!(
                            "invalid literal for int() with base 10: '{}'",
                            s.trim()
                        ));
                    }
                }
            }
            Ok(Widths::List(out))
        }
    }
}

/// The error for a `:widths:` value that is not `auto`, `grid` or integers.
fn widths_error(p: &Parser, ctx: &Ctx, e: &str) -> Vec<Node> {
    vec![ctx.error(p, &format!("Error in \"{}\" directive:\ninvalid option value: (option: \"widths\"; value: '{}')\n{e}.", ctx.name, ctx.opt("widths").unwrap_or(""))).into()]
}

/// The error for a `:widths:` list whose length is not the number of columns.
fn widths_mismatch(p: &Parser, ctx: &Ctx, num_cols: usize) -> Vec<Node> {
    vec![
        ctx.error(
            p,
            &format!(
                "\"{}\" widths do not match the number of columns in table ({}).",
                ctx.name, num_cols
            ),
        )
        .into(),
    ]
}

pub fn list_table(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    if ctx.content.is_empty() {
        return vec![
            ctx.error(
                p,
                &format!("The \"{}\" directive is empty; content required.", ctx.name),
            )
            .into(),
        ];
    }
    let (title, msgs) = make_title(p, ctx);
    let tmp = Element::new(Tag::Container, ctx.span);
    let tmp = p.nested(tmp, &ctx.content);
    let bad = |p: &Parser, what: &str| -> Vec<Node> {
        vec![
            ctx.error(
                p,
                &format!(
                    "Error parsing content block for the \"{}\" directive: {what}",
                    ctx.name
                ),
            )
            .into(),
        ]
    };
    let lists: Vec<&Element> = tmp.elements().collect();
    if tmp.children.len() != 1 || lists.len() != 1 || lists[0].tag != Tag::BulletList {
        return bad(p, "exactly one bullet list expected.");
    }
    let mut rows: Vec<Vec<Vec<Node>>> = Vec::new();
    let mut num_cols = 0;
    for (i, item) in lists[0].elements().enumerate() {
        let sub: Vec<&Element> = item.elements().collect();
        if item.children.len() != 1 || sub.len() != 1 || sub[0].tag != Tag::BulletList {
            return bad(
                p,
                &format!(
                    "two-level bullet list expected, but row {} does not contain a second-level bullet list.",
                    i + 1
                ),
            );
        }
        let cells: Vec<Vec<Node>> = sub[0].elements().map(|c| c.children.clone()).collect();
        if i == 0 {
            num_cols = cells.len();
        } else if cells.len() != num_cols {
            return vec![ctx
                .error(p, &format!("Error parsing content block for the \"{}\" directive: uniform two-level bullet list expected, but row {} does not contain the same number of items as row 1 ({} vs {}).", ctx.name, i + 1, cells.len(), num_cols))
                .into()];
        }
        rows.push(cells);
    }
    let header_rows: usize = ctx
        .opt("header-rows")
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    finish_table(p, ctx, title, msgs, rows, num_cols, header_rows)
}

/// Builds the table element shared by `list-table` and `csv-table`.
fn finish_table(
    p: &mut Parser,
    ctx: &Ctx,
    title: Option<Element>,
    msgs: Vec<Element>,
    rows: Vec<Vec<Vec<Node>>>,
    num_cols: usize,
    header_rows: usize,
) -> Vec<Node> {
    let stub_cols: usize = ctx
        .opt("stub-columns")
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    if let Some(problem) = check_table_dimensions(&rows, header_rows, stub_cols, &ctx.name) {
        return vec![ctx.error(p, &problem).into()];
    }
    let w = match widths(ctx) {
        Ok(w) => w,
        Err(e) => return widths_error(p, ctx, &e),
    };
    let col_widths: Vec<Option<String>> = match &w {
        Widths::List(v) if v.len() != num_cols => return widths_mismatch(p, ctx, num_cols),
        Widths::List(v) => v.iter().cloned().map(Some).collect(),
        _ if num_cols == 0 => {
            return vec![ctx.error(p, "No table data detected in CSV file.").into()];
        }
        _ => vec![Some((100 / num_cols).to_string()); num_cols],
    };
    let mut table = Element::new(Tag::Table, ctx.span);
    table.classes.extend(w.class().map(String::from));
    let mut tgroup = Element::new(Tag::Tgroup, ctx.span);
    tgroup.set(Attr::Cols, num_cols.to_string());
    let mut stubs = stub_cols;
    for cw in col_widths {
        let mut cs = Element::new(Tag::Colspec, ctx.span);
        if let Some(c) = cw {
            cs.set(Attr::Colwidth, c);
        }
        if stubs > 0 {
            cs.set(Attr::Stub, "1");
            stubs -= 1;
        }
        tgroup.push(cs);
    }
    let mut row_nodes: Vec<Element> = rows
        .into_iter()
        .map(|cells| {
            let mut r = Element::new(Tag::Row, ctx.span);
            for c in cells {
                let mut e = Element::new(Tag::Entry, ctx.span);
                e.children = c;
                r.push(e);
            }
            r
        })
        .collect();
    let body_rows = row_nodes.split_off(header_rows.min(row_nodes.len()));
    if header_rows > 0 {
        let mut thead = Element::new(Tag::Thead, ctx.span);
        for r in row_nodes {
            thead.push(r);
        }
        tgroup.push(thead);
    }
    let mut tbody = Element::new(Tag::Tbody, ctx.span);
    for r in body_rows {
        tbody.push(r);
    }
    tgroup.push(tbody);
    if let Some(a) = ctx.opt("align") {
        table.set(Attr::Align, a.to_string());
    }
    table.classes.extend(ctx.classes());
    if let Some(wd) = ctx.opt("width") {
        table.set(Attr::Width, wd.to_string());
    }
    let m2 = add_name(p, ctx, &mut table);
    if let Some(t) = title {
        table.push(t);
    }
    table.push(tgroup);
    let mut out: Vec<Node> = vec![table.into()];
    out.extend(msgs.into_iter().chain(m2).map(Node::from));
    out
}

pub fn table(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    if ctx.content.is_empty() {
        return vec![
            ctx.warning(
                p,
                &format!(
                    "Content block expected for the \"{}\" directive; none found.",
                    ctx.typed_name
                ),
            )
            .into(),
        ];
    }
    let (title, msgs) = make_title(p, ctx);
    let tmp = Element::new(Tag::Container, ctx.span);
    let tmp = p.nested(tmp, &ctx.content);
    let mut kids = tmp.children;
    let is_table = kids.len() == 1 && matches!(&kids[0], Node::Element(e) if e.tag == Tag::Table);
    if !is_table {
        return vec![ctx.error(p, &format!("Error parsing content block for the \"{}\" directive: exactly one table expected.", ctx.name)).into()];
    }
    let Some(Node::Element(mut t)) = kids.pop() else {
        return Vec::new();
    };
    t.classes.extend(ctx.classes());
    let w = match widths(ctx) {
        Ok(w) => w,
        Err(e) => return widths_error(p, ctx, &e),
    };
    if let Widths::List(given) = &w {
        let colspecs: Vec<&mut Element> = t
            .elements_mut()
            .filter(|g| g.tag == Tag::Tgroup)
            .flat_map(|g| g.elements_mut().filter(|c| c.tag == Tag::Colspec))
            .collect();
        if colspecs.len() != given.len() {
            return widths_mismatch(p, ctx, colspecs.len());
        }
        for (colspec, width) in colspecs.into_iter().zip(given) {
            colspec.set(Attr::Colwidth, width.clone());
        }
    }
    t.classes.extend(w.class().map(String::from));
    if let Some(a) = ctx.opt("align") {
        t.set(Attr::Align, a.to_string());
    }
    if let Some(wd) = ctx.opt("width") {
        t.set(Attr::Width, wd.to_string());
    }
    let m2 = add_name(p, ctx, &mut t);
    if let Some(ti) = title {
        t.children.insert(0, ti.into());
    }
    let mut out: Vec<Node> = vec![Node::Element(t)];
    out.extend(msgs.into_iter().chain(m2).map(Node::from));
    out
}

/// Python `csv` with docutils' dialect: `,` delimiter, `"` quotes with
/// doubling, spaces after a delimiter skipped, newlines allowed in quotes.
fn parse_csv(text: &str, delim: char) -> Result<Vec<Vec<String>>, String> {
    let mut rows = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut in_quotes = false;
    let mut at_field_start = true;
    let mut quoted = false;
    while let Some(c) = chars.next() {
        if in_quotes {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    in_quotes = false;
                }
            } else {
                field.push(c);
            }
            continue;
        }
        if c == delim {
            row.push(std::mem::take(&mut field));
            at_field_start = true;
            quoted = false;
            continue;
        }
        if c == '\n' {
            row.push(std::mem::take(&mut field));
            rows.push(std::mem::take(&mut row));
            at_field_start = true;
            quoted = false;
            continue;
        }
        if at_field_start && c == ' ' {
            continue;
        }
        if at_field_start && c == '"' {
            in_quotes = true;
            quoted = true;
            at_field_start = false;
            continue;
        }
        if quoted {
            return Err(format!("\"{delim}\" expected after \"\"\""));
        }
        at_field_start = false;
        field.push(c);
    }
    if in_quotes {
        return Err("unexpected end of data".into());
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    Ok(rows)
}

fn cell_nodes(p: &mut Parser, ctx: &Ctx, text: &str) -> Vec<Node> {
    let first = p.lines.len();
    // A cell's text is parsed CSV (quotes and delimiters gone), so its
    // bytes do not line up with the source: its nodes point at the whole
    // directive, as included text does.
    // docutils' messages number a cell's lines from the directive's line on
    for (k, l) in text.split('\n').enumerate() {
        p.lines.push(crate::syntax::rst::lines::detached(
            l.to_string(),
            ctx.span.start as usize,
            ctx.span.end as usize,
            ctx.lineno + k,
        ));
    }
    p.detached_lines
        .push(crate::syntax::rst::block::DetachedLines {
            lines: first as u32..p.lines.len() as u32,
            node_line_shift: 1 - ctx.lineno as i64,
        });
    let refs: Vec<crate::syntax::rst::block::LineView> = (first..p.lines.len())
        .map(|li| crate::syntax::rst::block::LineView {
            line: li as u32,
            offset: 0,
        })
        .collect();
    let e = p.nested(Element::new(Tag::Entry, ctx.span), &refs);
    e.children
}

pub fn csv_table(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    let data = match csv_source(p, ctx) {
        Ok(data) => data,
        Err(message) => return vec![message],
    };
    let (title, msgs) = make_title(p, ctx);
    let delim = ctx
        .opt("delim")
        .and_then(|d| d.chars().next())
        .unwrap_or(',');
    let mut all: Vec<Vec<String>> = Vec::new();
    let mut header_n = 0;
    if let Some(h) = ctx.opt("header") {
        match parse_csv(h, delim) {
            Ok(r) => {
                header_n = r.len();
                all.extend(r);
            }
            Err(e) => {
                return vec![
                    ctx.error(
                        p,
                        &format!("Error with CSV data in \"{}\" directive:\n{e}", ctx.name),
                    )
                    .into(),
                ];
            }
        }
    }
    let text = match data {
        CsvSource::File(text) => text,
        CsvSource::Content => p.join(&ctx.content).0,
    };
    match parse_csv(&text, delim) {
        Ok(r) => all.extend(r),
        Err(e) => {
            return vec![
                ctx.error(
                    p,
                    &format!("Error with CSV data in \"{}\" directive:\n{e}", ctx.name),
                )
                .into(),
            ];
        }
    }
    let num_cols = all.iter().map(|r| r.len()).max().unwrap_or(0);
    let mut rows = Vec::new();
    for r in all {
        let mut cells = Vec::new();
        for k in 0..num_cols {
            let t = r.get(k).cloned().unwrap_or_default();
            cells.push(cell_nodes(p, ctx, &t));
        }
        rows.push(cells);
    }
    let header_rows = header_n
        + ctx
            .opt("header-rows")
            .and_then(|s| s.parse::<usize>().ok())
            .unwrap_or(0);
    finish_table(p, ctx, title, msgs, rows, num_cols, header_rows)
}

/// Where a `csv-table`'s data comes from.
enum CsvSource {
    Content,
    /// `:file:`, read as `include` reads.
    File(String),
}

/// docutils' checks of `csv-table`'s data options, in its order: file
/// access allowed at all, content or an external source, not both `:file:`
/// and `:url:`, then the file read. `:url:` is never fetched: a value
/// Python cannot open without a network (no scheme) gets docutils' error,
/// any other is refused as file access is when it is off.
fn csv_source(p: &mut Parser, ctx: &Ctx) -> Result<CsvSource, Node> {
    let external = ctx.has("file") || ctx.has("url");
    if external && p.opts.include_root.is_none() {
        return Err(access_deactivated(p, ctx));
    }
    if !ctx.content.is_empty() {
        if external {
            return Err(ctx
                .error(
                    p,
                    &format!(
                        "\"{}\" directive may not both specify an external file and have content.",
                        ctx.typed_name
                    ),
                )
                .into());
        }
        return Ok(CsvSource::Content);
    }
    if let Some(arg) = ctx.opt("file") {
        if ctx.has("url") {
            return Err(ctx
                .error(
                    p,
                    &format!(
                        "The \"file\" and \"url\" options may not be simultaneously specified for the \"{}\" directive.",
                        ctx.typed_name
                    ),
                )
                .into());
        }
        return super::include::read_data_file(p, ctx, arg.trim())
            .map(|found| CsvSource::File(found.text));
    }
    if let Some(url) = ctx.opt("url") {
        if has_url_scheme(url) {
            return Err(access_deactivated(p, ctx));
        }
        return Err(p
            .doc
            .message_with_block(
                crate::diag::Severity::Severe,
                &format!(
                    "Problems with \"{}\" directive URL \"{url}\":\nunknown url type: {}.",
                    ctx.typed_name,
                    crate::python_text::str_repr(url)
                ),
                &ctx.block_text,
                Some(ctx.lineno),
                ctx.span,
            )
            .into());
    }
    Err(ctx
        .warning(
            p,
            &format!(
                "The \"{}\" directive requires content; none supplied.",
                ctx.typed_name
            ),
        )
        .into())
}

fn access_deactivated(p: &Parser, ctx: &Ctx) -> Node {
    ctx.warning(
        p,
        &format!(
            "File and URL access deactivated; ignoring \"{}\" directive.",
            ctx.typed_name
        ),
    )
    .into()
}

/// Python's `urllib` test for a scheme: a colon after one or more
/// characters that are neither `/` nor `:`.
fn has_url_scheme(url: &str) -> bool {
    url.find([':', '/'])
        .is_some_and(|k| k > 0 && url[k..].starts_with(':'))
}

/// docutils' `check_table_dimensions`: enough rows for the header and
/// enough cells in each row for the stub columns, with a body left over.
fn check_table_dimensions(
    rows: &[Vec<Vec<Node>>],
    header_rows: usize,
    stub_columns: usize,
    directive: &str,
) -> Option<String> {
    if rows.len() < header_rows {
        return Some(format!(
            "{header_rows} header row(s) specified but only {} row(s) of data supplied (\"{directive}\" directive).",
            rows.len()
        ));
    }
    if header_rows > 0 && rows.len() == header_rows {
        return Some(format!(
            "Insufficient data supplied ({} row(s)); no data remaining for table body, required by \"{directive}\" directive.",
            rows.len()
        ));
    }
    for row in rows {
        if row.len() < stub_columns {
            return Some(format!(
                "{stub_columns} stub column(s) specified but only {} columns(s) of data supplied (\"{directive}\" directive).",
                row.len()
            ));
        }
        if stub_columns > 0 && row.len() == stub_columns {
            return Some(format!(
                "Insufficient data supplied ({} columns(s)); no data remaining for table body, required by \"{directive}\" directive.",
                row.len()
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::has_url_scheme;

    #[test]
    fn a_url_scheme_is_a_colon_before_any_slash() {
        assert!(has_url_scheme("http://example.org/x.csv"));
        assert!(has_url_scheme("data:text/csv,a"));
        assert!(!has_url_scheme("bogus.csv"));
        assert!(!has_url_scheme("dir/a:b.csv"));
        assert!(!has_url_scheme(":x"));
    }
}
