//! `literalinclude`: a file (only under the include root) shown as a code
//! block, with Sphinx's filters applied in its order — `pyobject`,
//! `start-*`, `end-*`, `lines`, `dedent`, `prepend`, `append` — or a
//! unified `diff` against another file. Every failure is a warning at the
//! directive's line and the block is left out, as Sphinx does.

use std::path::{Path, PathBuf};

use crate::ast::{Attr, Node, SphinxAttr};

use super::super::block::Parser;
use super::super::directives::{Ctx, add_name};
use super::super::doc::{INCLUDE_COST, MAX_INCLUDED_BYTES, literal_block};
use super::code::{
    caption_wrapper, dedent_lines, dedent_option, emphasized, highlight_args, parse_line_spec,
    py_str, warning,
};
use super::{flag, set};

/// Option pairs Sphinx refuses together.
const INVALID_PAIRS: &[(&str, &str)] = &[
    ("lineno-match", "lineno-start"),
    ("lineno-match", "append"),
    ("lineno-match", "prepend"),
    ("start-after", "start-at"),
    ("end-before", "end-at"),
    ("diff", "pyobject"),
    ("diff", "lineno-start"),
    ("diff", "lineno-match"),
    ("diff", "lines"),
    ("diff", "start-after"),
    ("diff", "end-before"),
    ("diff", "start-at"),
    ("diff", "end-at"),
];

/// Longest file (in lines) a `:diff:` compares, so its quadratic table stays small.
const MAX_DIFF_LINES: usize = 2_000;

pub fn literalinclude(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    match read(p, ctx) {
        Ok(nodes) => nodes,
        Err(text) => vec![warning(p, ctx, &text).into()],
    }
}

/// Where `arg` points: from the source folder when it starts with `/`,
/// else from the page's folder (Sphinx's `relfn2path`), refused outside
/// the include root (which may hold the source folder: a repository).
fn resolve(p: &Parser, arg: &str) -> Result<PathBuf, String> {
    let Some(root) = p.opts.include_root.clone() else {
        return Err("File insertion disabled".into());
    };
    let docname = p.doc.sphinx.as_deref().map_or("", |s| s.docname.as_str());
    let source_dir = p.opts.source_dir.clone().unwrap_or_else(|| root.clone());
    let path = match arg.strip_prefix('/') {
        Some(abs) => source_dir.join(abs),
        None => source_dir
            .join(docname)
            .parent()
            .map_or_else(|| source_dir.clone(), Path::to_path_buf)
            .join(arg),
    };
    let not_found = || {
        format!(
            "Include file {} not found or reading it failed",
            py_str(arg)
        )
    };
    let (Ok(canon_root), Ok(canon)) = (root.canonicalize(), path.canonicalize()) else {
        return Err(not_found());
    };
    if !canon.starts_with(&canon_root) {
        return Err(format!(
            "Include file {} is outside the content folder",
            py_str(arg)
        ));
    }
    Ok(canon)
}

/// Reads a file as Sphinx's `LiteralIncludeReader.read_file` does: decoded,
/// tabs expanded with `:tab-width:`, split keeping line ends.
fn read_lines(p: &mut Parser, ctx: &Ctx, arg: &str) -> Result<(Vec<String>, PathBuf), String> {
    let path = resolve(p, arg)?;
    let bytes = crate::source::read::read_file(&path).map_err(|e| {
        format!(
            "Include file {} not found or reading it failed: {e}",
            py_str(arg)
        )
    })?;
    let cost = bytes.len() as u64 + INCLUDE_COST;
    if p.doc.included_bytes + cost > MAX_INCLUDED_BYTES {
        return Err(format!(
            "Include file {}: inclusion limit exceeded ({MAX_INCLUDED_BYTES} bytes per page)",
            py_str(arg)
        ));
    }
    p.doc.included_bytes += cost;
    let encoding = ctx.opt("encoding").unwrap_or("utf-8-sig").to_lowercase();
    let wrong = || {
        format!(
            "Encoding {} used for reading included file {} seems to be wrong, try giving an :encoding: option",
            py_str(&encoding),
            py_str(arg)
        )
    };
    let mut text = match encoding.replace('_', "-").as_str() {
        "utf-8" | "utf8" | "utf-8-sig" | "utf8-sig" => {
            let t = String::from_utf8(bytes).map_err(|_| wrong())?;
            t.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(t)
        }
        "latin-1" | "latin1" | "iso-8859-1" | "iso8859-1" => {
            bytes.iter().map(|&b| b as char).collect()
        }
        "ascii" | "us-ascii" => {
            if !bytes.is_ascii() {
                return Err(wrong());
            }
            String::from_utf8(bytes).map_err(|_| wrong())?
        }
        _ => return Err(format!("unknown encoding: {encoding}")),
    };
    if text.contains('\0') {
        return Err(format!(
            "Include file {} is a binary file, not text",
            py_str(arg)
        ));
    }
    if let Some(w) = ctx.opt("tab-width") {
        let width: usize = w
            .trim()
            .parse()
            .map_err(|_| format!("invalid literal for int() with base 10: {}", py_str(w)))?;
        text = expand_tabs(&text, width);
    }
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    Ok((
        text.split_inclusive('\n').map(str::to_string).collect(),
        path,
    ))
}

/// Python's `str.expandtabs(width)`.
fn expand_tabs(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len());
    let mut col = 0;
    for c in text.chars() {
        match c {
            '\t' if width > 0 => {
                let n = width - col % width;
                out.extend(std::iter::repeat_n(' ', n));
                col += n;
            }
            '\t' => {}
            '\n' | '\r' => {
                out.push(c);
                col = 0;
            }
            c => {
                out.push(c);
                col += 1;
            }
        }
    }
    out
}

fn read(p: &mut Parser, ctx: &Ctx) -> Result<Vec<Node>, String> {
    for (a, b) in INVALID_PAIRS {
        if ctx.has(a) && ctx.has(b) {
            return Err(format!("Cannot use both \"{a}\" and \"{b}\" options"));
        }
    }
    let arg = ctx.args.first().cloned().unwrap_or_default();
    let mut lineno_start: i64 = match ctx.opt("lineno-start") {
        Some(v) => v
            .trim()
            .parse()
            .map_err(|_| format!("invalid literal for int() with base 10: {}", py_str(v)))?,
        None => 1,
    };
    let (mut lines, path) = read_lines(p, ctx, &arg)?;
    let lines = if let Some(old) = ctx.opt("diff") {
        let (old_lines, old_path) = read_lines(p, ctx, old)?;
        let name = |p: &Path| p.display().to_string();
        unified_diff(&old_lines, &lines, &name(&old_path), &name(&path))?
    } else {
        if let Some(obj) = ctx.opt("pyobject") {
            let (start, end) = find_pyobject(&lines, obj).ok_or_else(|| {
                format!(
                    "Object named {} not found in include file {}",
                    py_str(obj),
                    py_str(&arg)
                )
            })?;
            lines = lines[start..end].to_vec();
            if ctx.has("lineno-match") {
                lineno_start = start as i64 + 1;
            }
        }
        lines = start_filter(ctx, lines, &mut lineno_start)?;
        lines = end_filter(ctx, lines)?;
        if let Some(spec) = ctx.opt("lines") {
            let list = parse_line_spec(spec, lines.len())?;
            if ctx.has("lineno-match") {
                let first = list.first().copied().unwrap_or(0);
                if list.iter().enumerate().all(|(i, &n)| first + i == n) {
                    lineno_start += first as i64;
                } else {
                    return Err(
                        "Cannot use \"lineno-match\" with a disjoint set of \"lines\"".into(),
                    );
                }
            }
            let picked: Vec<String> = list.iter().filter_map(|&n| lines.get(n).cloned()).collect();
            if picked.is_empty() {
                return Err(format!(
                    "Line spec {}: no lines pulled from include file {}",
                    py_str(spec),
                    py_str(&arg)
                ));
            }
            lines = picked;
        }
        if let Some(d) = ctx.opt("dedent") {
            lines = dedent_lines(&lines, dedent_option(d)?).0;
        }
        if let Some(pre) = ctx.opt("prepend") {
            lines.insert(0, format!("{pre}\n"));
        }
        if let Some(app) = ctx.opt("append") {
            lines.push(format!("{app}\n"));
        }
        lines
    };
    let text = lines.concat();
    let count = lines.len();
    let mut out: Vec<Node> = Vec::new();
    let mut lb = literal_block(&text, ctx.span);
    lb.set(Attr::Source, path.display().to_string());
    set(&mut lb, SphinxAttr::Force, flag(ctx.has("force")));
    if ctx.has("diff") {
        lb.set(Attr::Language, "udiff");
    } else if let Some(lang) = ctx.opt("language") {
        lb.set(Attr::Language, lang);
    }
    if ctx.has("linenos") || ctx.has("lineno-start") || ctx.has("lineno-match") {
        set(&mut lb, SphinxAttr::Linenos, "1");
    }
    lb.classes.extend(ctx.classes());
    let mut hl = None;
    if let Some(spec) = ctx.opt("emphasize-lines") {
        let (lines, warn) = emphasized(spec, count)?;
        if let Some(w) = warn {
            out.push(warning(p, ctx, &w).into());
        }
        hl = Some(lines);
    }
    set(
        &mut lb,
        SphinxAttr::HighlightArgs,
        highlight_args(hl.as_deref(), Some(lineno_start)),
    );
    if let Some(caption) = ctx.opt("caption") {
        let caption = if caption.is_empty() {
            arg
        } else {
            caption.to_string()
        };
        out.splice(0..0, caption_wrapper(p, ctx, &caption, lb));
        return Ok(out);
    }
    let names = add_name(p, ctx, &mut lb);
    out.insert(0, lb.into());
    out.extend(names.into_iter().map(Node::from));
    Ok(out)
}

fn start_filter(
    ctx: &Ctx,
    lines: Vec<String>,
    lineno_start: &mut i64,
) -> Result<Vec<String>, String> {
    let (pattern, after) = match (ctx.opt("start-at"), ctx.opt("start-after")) {
        (Some(s), _) => (s, false),
        (None, Some(s)) => (s, true),
        _ => return Ok(lines),
    };
    if pattern.is_empty() {
        return Ok(lines);
    }
    match lines.iter().position(|l| l.contains(pattern)) {
        Some(i) => {
            let from = if after { i + 1 } else { i };
            if ctx.has("lineno-match") {
                *lineno_start += from as i64;
            }
            Ok(lines[from..].to_vec())
        }
        None if after => Err(format!("start-after pattern not found: {pattern}")),
        None => Err(format!("start-at pattern not found: {pattern}")),
    }
}

fn end_filter(ctx: &Ctx, lines: Vec<String>) -> Result<Vec<String>, String> {
    let (pattern, at) = match (ctx.opt("end-at"), ctx.opt("end-before")) {
        (Some(s), _) => (s, true),
        (None, Some(s)) => (s, false),
        _ => return Ok(lines),
    };
    if pattern.is_empty() {
        return Ok(lines);
    }
    for (i, l) in lines.iter().enumerate() {
        if l.contains(pattern) {
            if at {
                return Ok(lines[..=i].to_vec());
            } else if i > 0 {
                // `end-before` never cuts at the first line.
                return Ok(lines[..i].to_vec());
            }
        }
    }
    if at {
        Err(format!("end-at pattern not found: {pattern}"))
    } else {
        Err(format!("end-before pattern not found: {pattern}"))
    }
}

/// The lines (start inclusive, end exclusive) of a Python class or function
/// `name` (dotted for members), decorators included, as Sphinx's
/// `ModuleAnalyzer.find_tags` locates them.
fn find_pyobject(lines: &[String], name: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    let mut to = lines.len();
    let mut indent = 0;
    let mut found = None;
    for part in name.split('.') {
        let (s, e, ind) = find_def(&lines[from..to], part, indent)?;
        found = Some((from + s, from + e));
        from += s + 1;
        to = from - 1 + (e - s);
        indent = ind + 1;
    }
    found
}

/// A `def`/`class` named `name` at indentation `min_indent` or more:
/// (first line incl. decorators, end, its indentation).
fn find_def(lines: &[String], name: &str, min_indent: usize) -> Option<(usize, usize, usize)> {
    let indent_of = |l: &str| l.len() - l.trim_start().len();
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim_start();
        let ind = indent_of(l);
        if ind < min_indent {
            continue;
        }
        let rest = t
            .strip_prefix("async def ")
            .or_else(|| t.strip_prefix("def "))
            .or_else(|| t.strip_prefix("class "));
        let Some(rest) = rest else { continue };
        let ident: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if ident != name {
            continue;
        }
        let mut start = i;
        while start > 0 && lines[start - 1].trim_start().starts_with('@') {
            start -= 1;
        }
        let mut end = i + 1;
        let mut last = i + 1;
        while end < lines.len() {
            let l = &lines[end];
            if l.trim().is_empty() {
                end += 1;
                continue;
            }
            if indent_of(l) <= ind {
                break;
            }
            end += 1;
            last = end;
        }
        return Some((start, last, ind));
    }
    None
}

/// Python's `difflib.unified_diff(old, new, old_name, new_name)` with three
/// lines of context, on a longest-common-subsequence alignment.
fn unified_diff(
    old: &[String],
    new: &[String],
    old_name: &str,
    new_name: &str,
) -> Result<Vec<String>, String> {
    if old.len() > MAX_DIFF_LINES || new.len() > MAX_DIFF_LINES {
        return Err(format!(
            "diff: files longer than {MAX_DIFF_LINES} lines are not compared"
        ));
    }
    let ops = diff_ops(old, new);
    if ops.iter().all(|o| matches!(o, Op::Same(..))) {
        return Ok(Vec::new());
    }
    let mut out = vec![format!("--- {old_name}\n"), format!("+++ {new_name}\n")];
    let changed: Vec<usize> = ops
        .iter()
        .enumerate()
        .filter(|(_, o)| !matches!(o, Op::Same(..)))
        .map(|(i, _)| i)
        .collect();
    let mut k = 0;
    while k < changed.len() {
        let first = changed[k];
        let mut last = first;
        while k + 1 < changed.len() && changed[k + 1] <= last + 7 {
            k += 1;
            last = changed[k];
        }
        k += 1;
        let lo = first.saturating_sub(3);
        let hi = (last + 4).min(ops.len());
        let (mut a0, mut b0) = (None, None);
        let (mut na, mut nb) = (0, 0);
        let mut body = Vec::new();
        for op in &ops[lo..hi] {
            match *op {
                Op::Same(a, b) => {
                    a0.get_or_insert(a);
                    b0.get_or_insert(b);
                    na += 1;
                    nb += 1;
                    body.push(format!(" {}", old[a]));
                }
                Op::Del(a, b) => {
                    a0.get_or_insert(a);
                    b0.get_or_insert(b);
                    na += 1;
                    body.push(format!("-{}", old[a]));
                }
                Op::Ins(a, b) => {
                    a0.get_or_insert(a);
                    b0.get_or_insert(b);
                    nb += 1;
                    body.push(format!("+{}", new[b]));
                }
            }
        }
        let range = |start: Option<usize>, n: usize| {
            let s = start.unwrap_or(0);
            match n {
                0 => format!("{s},0"),
                1 => format!("{}", s + 1),
                n => format!("{},{n}", s + 1),
            }
        };
        out.push(format!("@@ -{} +{} @@\n", range(a0, na), range(b0, nb)));
        out.extend(body);
    }
    Ok(out)
}

enum Op {
    /// Line `a` of the old file equals line `b` of the new one.
    Same(usize, usize),
    /// Old line `a` removed (the new file is at `b`).
    Del(usize, usize),
    /// New line `b` added (the old file is at `a`).
    Ins(usize, usize),
}

fn diff_ops(old: &[String], new: &[String]) -> Vec<Op> {
    let (n, m) = (old.len(), new.len());
    let mut lcs = vec![0u32; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[at(i, j)] = if old[i] == new[j] {
                lcs[at(i + 1, j + 1)] + 1
            } else {
                lcs[at(i + 1, j)].max(lcs[at(i, j + 1)])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut ops = Vec::new();
    while i < n || j < m {
        if i < n && j < m && old[i] == new[j] {
            ops.push(Op::Same(i, j));
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[at(i, j + 1)] > lcs[at(i + 1, j)]) {
            ops.push(Op::Ins(i, j));
            j += 1;
        } else {
            ops.push(Op::Del(i, j));
            i += 1;
        }
    }
    ops
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<String> {
        s.split_inclusive('\n').map(str::to_string).collect()
    }

    #[test]
    fn diff_matches_difflib_on_a_small_change() {
        let d = unified_diff(&lines("a\nb\nc\n"), &lines("a\nB\nc\n"), "old", "new").unwrap();
        assert_eq!(
            d.concat(),
            "--- old\n+++ new\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"
        );
        assert!(
            unified_diff(&lines("x\n"), &lines("x\n"), "o", "n")
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn pyobject_finds_methods_and_decorators() {
        let src = lines(
            "import os\n\n@dec\ndef f(x):\n    return x\n\nclass K:\n    def run(self):\n        pass\n\n    def other(self):\n        pass\n",
        );
        assert_eq!(find_pyobject(&src, "f"), Some((2, 5)));
        assert_eq!(find_pyobject(&src, "K.run"), Some((7, 9)));
        assert_eq!(find_pyobject(&src, "K"), Some((6, 12)));
        assert_eq!(find_pyobject(&src, "nope"), None);
    }
}
