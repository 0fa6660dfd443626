//! The `include` directive: another file's lines parsed in place, or
//! shown as a literal or code block. Files come from the content folder
//! only; `<NAME>` names one of docutils' standard definition files
//! (`isonum.txt`, `s5defs.txt`, …), which kbgen has built in.

mod standard;

use std::path::{Path, PathBuf};

use crate::ast::{Attr, Node};
use crate::diag::Severity;

use super::Ctx;
use crate::syntax::rst::block::{LineView, Parser};
use crate::syntax::rst::lines::split_lines;

/// Largest include nesting before giving up (cycles are caught separately).
const MAX_INCLUDE_DEPTH: usize = 8;

pub fn include(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    let Some(root) = p.opts.include_root.clone() else {
        return vec![
            ctx.warning(p, &format!("\"{}\" directive disabled.", ctx.name))
                .into(),
        ];
    };
    let arg = ctx.args.first().cloned().unwrap_or_default();
    let standard_name = arg.strip_prefix('<').and_then(|a| a.strip_suffix('>'));
    let (canon, text) = match standard_name {
        Some(name) => match standard::file(name) {
            Some(text) => (PathBuf::from(&arg), text.to_string()),
            None => {
                return vec![path_problem(
                    p,
                    ctx,
                    &format!(
                        "InputError: [Errno 2] No such file or directory: '{arg}' (not one of docutils' standard definition files)."
                    ),
                )];
            }
        },
        None => match read_from_content(p, ctx, &root, &arg) {
            Ok(found) => found,
            Err(problem) => return vec![problem],
        },
    };
    if p.include_stack.contains(&canon) {
        return vec![path_problem(
            p,
            ctx,
            &format!("circular inclusion of '{arg}'."),
        )];
    }
    if p.include_stack.len() >= MAX_INCLUDE_DEPTH {
        return vec![path_problem(p, ctx, "inclusion nested too deeply.")];
    }
    let cost = text.len() as u64 + crate::syntax::rst::doc::INCLUDE_COST;
    if p.doc.included_bytes + cost > crate::syntax::rst::doc::MAX_INCLUDED_BYTES {
        if std::mem::replace(&mut p.doc.include_limit_reported, true) {
            return Vec::new();
        }
        return vec![
            p.doc
                .message_with_block(
                    Severity::Severe,
                    &format!(
                        "Problems with \"{}\" directive path:\ninclusion limit exceeded: this page has included {} bytes; all inclusions together may bring at most {} (each counts its size plus {}); this and later inclusions are skipped.",
                        ctx.name,
                        p.doc.included_bytes,
                        crate::syntax::rst::doc::MAX_INCLUDED_BYTES,
                        crate::syntax::rst::doc::INCLUDE_COST
                    ),
                    &ctx.block_text,
                    Some(ctx.lineno),
                    ctx.span,
                )
                .into(),
        ];
    }
    p.doc.included_bytes += cost;
    let text = match include_part(&text, ctx) {
        Ok(part) => part,
        Err(problem) => {
            return vec![
                p.doc
                    .message_with_block(
                        Severity::Severe,
                        &problem,
                        &ctx.block_text,
                        Some(ctx.lineno),
                        ctx.span,
                    )
                    .into(),
            ];
        }
    };
    if let Some(language) = ctx.opt("code") {
        // `:code: LANG`: the file is a code block, as `.. code:: LANG` would make it.
        let language = language.trim().to_string();
        if p.doc.pygments_missing
            && !language.is_empty()
            && language != "text"
            && language != "none"
        {
            return vec![
                ctx.warning(p, "Cannot analyze code. Pygments package not found.")
                    .into(),
            ];
        }
        let mut lb = crate::syntax::rst::doc::literal_block(&text, ctx.span);
        lb.set(Attr::Source, arg);
        lb.classes.push("code".into());
        if !language.is_empty() {
            lb.classes.push(language);
        }
        lb.classes.extend(ctx.classes());
        return vec![lb.into()];
    }
    if ctx.has("literal") {
        let mut lb = crate::syntax::rst::doc::literal_block(&text, ctx.span);
        lb.set(Attr::Source, arg);
        lb.classes = ctx.classes().into();
        return vec![lb.into()];
    }
    // splice the included lines: spans point at the directive
    let mut lines = split_lines(&text);
    // docutils' include applies the line-length limit too (a warning there).
    let limit = crate::syntax::rst::LINE_LENGTH_LIMIT;
    if let Some(i) = lines
        .iter()
        .position(|l| l.text.len() > limit && l.text.chars().count() > limit)
    {
        return vec![
            ctx.warning(
                p,
                &format!("\"{}\": line {} exceeds the line-length-limit.", arg, i + 1),
            )
            .into(),
        ];
    }
    let first = p.lines.len();
    for l in lines.iter_mut() {
        *l =
            crate::syntax::rst::lines::relocated(l, ctx.span.start as usize, ctx.span.end as usize);
    }
    p.lines.extend(lines);
    let refs: Vec<LineView> = (first..p.lines.len())
        .map(|li| LineView {
            line: li as u32,
            offset: 0,
        })
        .collect();
    p.include_stack.push(canon);
    let match_titles = p.stack.len() == p.section_level + 1;
    p.parse_block(&refs, match_titles);
    p.include_stack.pop();
    Vec::new()
}

/// The part of an included file the options select: lines
/// `start-line..end-line` (Python slice bounds), then the text after
/// `start-after` and before `end-before`. Errors are docutils' SEVERE texts.
fn include_part(text: &str, ctx: &Ctx) -> Result<String, String> {
    let bound = |key: &str| ctx.opt(key).and_then(|v| v.trim().parse::<i64>().ok());
    let mut part = text.to_string();
    let (start, end) = (bound("start-line"), bound("end-line"));
    if start.is_some() || end.is_some() {
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        let n = lines.len() as i64;
        let clamp = |i: i64| if i < 0 { (n + i).max(0) } else { i.min(n) } as usize;
        let from = clamp(start.unwrap_or(0));
        let to = clamp(end.unwrap_or(n)).max(from);
        part = lines[from..to].concat();
    }
    if let Some(after) = ctx.opt("start-after") {
        match part.find(after) {
            Some(i) => part = part[i + after.len()..].to_string(),
            None => {
                return Err(format!(
                    "Problem with \"start-after\" option of \"{}\" directive:\nText not found.",
                    ctx.name
                ));
            }
        }
    }
    if let Some(before) = ctx.opt("end-before") {
        match part.find(before) {
            Some(i) => part.truncate(i),
            None => {
                return Err(format!(
                    "Problem with \"end-before\" option of \"{}\" directive:\nText not found.",
                    ctx.name
                ));
            }
        }
    }
    Ok(part)
}

/// docutils' "Problems with "include" directive path" error.
fn path_problem(p: &Parser, ctx: &Ctx, problem: &str) -> Node {
    p.doc
        .message_with_block(
            Severity::Error,
            &format!("Problems with \"{}\" directive path:\n{problem}", ctx.name),
            &ctx.block_text,
            Some(ctx.lineno),
            ctx.span,
        )
        .into()
}

/// A data file a directive reads (`csv-table :file:`): relative to the
/// file holding the directive, only inside the include root, counted
/// against the page's inclusion budget. `Err` is the message to show.
pub(super) fn read_data_file(p: &mut Parser, ctx: &Ctx, arg: &str) -> Result<String, Node> {
    let Some(root) = p.opts.include_root.clone() else {
        return Err(ctx
            .warning(
                p,
                &format!(
                    "File and URL access deactivated; ignoring \"{}\" directive.",
                    ctx.name
                ),
            )
            .into());
    };
    let (_, text) = read_from_content(p, ctx, &root, arg)?;
    let cost = text.len() as u64 + crate::syntax::rst::doc::INCLUDE_COST;
    if p.doc.included_bytes + cost > crate::syntax::rst::doc::MAX_INCLUDED_BYTES {
        return Err(path_problem(p, ctx, "inclusion limit exceeded."));
    }
    p.doc.included_bytes += cost;
    Ok(text)
}

/// Reads `arg` (relative to the including file's folder) from inside the
/// content folder `root`: its canonical path and its text.
fn read_from_content(
    p: &Parser,
    ctx: &Ctx,
    root: &Path,
    arg: &str,
) -> Result<(PathBuf, String), Node> {
    // Relative to the file holding the directive, as docutils resolves it.
    let page_dir = Path::new(&p.opts.source_name)
        .parent()
        .filter(|d| !d.as_os_str().is_empty() && p.opts.source_name != "<string>")
        .map(Path::to_path_buf);
    let base = p
        .include_stack
        .last()
        .and_then(|f| f.parent().map(|d| d.to_path_buf()))
        .filter(|d| !d.as_os_str().is_empty())
        .or(page_dir)
        .unwrap_or_else(|| root.to_path_buf());
    let path = base.join(arg);
    let (Ok(canon_root), Ok(canon)) = (root.canonicalize(), path.canonicalize()) else {
        return Err(path_problem(
            p,
            ctx,
            &format!("InputError: [Errno 2] No such file or directory: '{arg}'."),
        ));
    };
    if !canon.starts_with(&canon_root) {
        return Err(path_problem(
            p,
            ctx,
            &format!("the file is outside the content folder: '{arg}'."),
        ));
    }
    // Through the one file reader: a FIFO, a device or a huge file is
    // refused, not waited on or read whole.
    match crate::source::read::read_text(&canon) {
        Ok(text) => {
            let text = crate::source::SourceFile::new(&canon, text).text;
            Ok((canon, text))
        }
        Err(why) => Err(path_problem(
            p,
            ctx,
            &format!("InputError: cannot read '{arg}': {why}."),
        )),
    }
}
