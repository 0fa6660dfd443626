//! The `include` directive: another file's lines parsed in place, or
//! shown as a literal or code block. Files come from the content folder
//! only; `<NAME>` names one of docutils' standard definition files
//! (`isonum.txt`, `s5defs.txt`, …), which kbgen has built in.
//!
//! Messages about the included lines name the included file (`source=`)
//! and its line numbers, as docutils' do; a build's diagnostic still points
//! at the including directive in the page and names the file and line.

mod clip;
pub mod encoding;
mod files;
pub mod input_lines;
mod markdown;
mod standard;

use std::path::{Path, PathBuf};

use crate::ast::Node;
use crate::diag::Severity;

use super::Ctx;
use crate::syntax::rst::block::{LineView, Parser};
use crate::syntax::rst::lines::split_lines;
pub use clip::Clip;
pub use files::read_data_file;

/// Largest include nesting before giving up (cycles are caught separately).
const MAX_INCLUDE_DEPTH: usize = 8;

/// A file whose lines are being parsed (docutils' `include_log` entry).
#[derive(Debug, Clone)]
pub struct Inclusion {
    /// Canonical path, or `<NAME>` for a standard definition file.
    pub canonical: PathBuf,
    /// The path as messages show it (see [`files::FoundFile::shown`]).
    pub shown: String,
    /// The part of the file included: the same file clipped differently
    /// is no cycle.
    pub clip: Clip,
    /// Whether docutils logs it: an include with `:parser:` parses the
    /// file as a document of its own and is neither logged nor checked.
    pub logged: bool,
}

/// docutils' parser names for reStructuredText (`:parser:`); `null`
/// parses nothing, the Markdown names are [`markdown::MARKDOWN_PARSERS`].
/// Other parsers (Docutils XML, MyST) are not part of kbgen.
const RST_PARSERS: &[&str] = &["rst", "restructuredtext", "rest", "restx", "rtxt"];

pub fn include(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    let Some(root) = p.opts.include_root.clone() else {
        return vec![
            ctx.warning(p, &format!("\"{}\" directive disabled.", ctx.name))
                .into(),
        ];
    };
    let tab_width = match ctx.opt("tab-width").map(|v| v.trim().parse::<i64>()) {
        Some(Ok(w)) => w,
        Some(Err(_)) | None => 8,
    };
    let arg = ctx.args.first().cloned().unwrap_or_default();
    let standard_name = arg.strip_prefix('<').and_then(|a| a.strip_suffix('>'));
    let found = match standard_name {
        Some(name) => match standard::file(name) {
            Some(text) => files::FoundFile {
                canonical: PathBuf::from(&arg),
                shown: arg.clone(),
                text: text.to_string(),
            },
            None => {
                // docutils names the file in its install folder; kbgen's
                // built-in files have none and go by `<NAME>`
                return vec![path_problem(
                    p,
                    ctx,
                    &format!("InputError: [Errno 2] No such file or directory: '{arg}'."),
                )];
            }
        },
        None => match files::read_from_content(p, ctx, &root, &arg, files::encoding_of(ctx)) {
            Ok(found) => found,
            Err(problem) => return vec![problem],
        },
    };
    let cost = found.text.len() as u64 + crate::syntax::rst::doc::INCLUDE_COST;
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
    let clip = Clip::of(ctx);
    let text = match clip.apply(&found.text, &ctx.name) {
        Ok(part) => part,
        Err(problem) => return vec![ctx.error(p, &problem).into()],
    };
    if ctx.has("literal") {
        let text = clip::expand_tabs(&text, tab_width);
        return super::code::literal_include(p, ctx, &text, &found.shown);
    }
    if let Some(language) = ctx.opt("code") {
        let text = clip::expand_tabs(&text, tab_width);
        let text = text.strip_suffix('\n').unwrap_or(&text);
        return super::code::code_include(p, ctx, language.trim(), text, &found.shown);
    }
    // `:parser:` names reStructuredText, Markdown (checked with the
    // options) or `null`.
    if ctx.opt("parser") == Some("null") {
        return Vec::new();
    }
    let text = clip::expand_tabs(&text, tab_width);
    if ctx
        .opt("parser")
        .is_some_and(|name| markdown::MARKDOWN_PARSERS.contains(&name))
    {
        return markdown::included_markdown(
            &text,
            &found.shown,
            ctx.span,
            p.opts.allow_raw,
            &mut p.doc,
        );
    }
    // Insert the lines, as docutils' `insert_into_input_lines`.
    let mut lines = split_lines(&text);
    let limit = p.opts.line_length_limit();
    if let Some(i) = lines
        .iter()
        .position(|l| l.text.len() > limit && l.text.chars().count() > limit)
    {
        let line_no = i as i64 + 1 + clip.start_line.unwrap_or(0);
        return vec![
            ctx.warning(
                p,
                &format!(
                    "\"{}\": line {line_no} exceeds the line-length-limit.",
                    found.shown
                ),
            )
            .into(),
        ];
    }
    let inclusion = Inclusion {
        canonical: found.canonical,
        shown: found.shown,
        clip,
        logged: !ctx.has("parser"),
    };
    if inclusion.logged
        && let Some(chain) = circular_chain(p, &inclusion)
    {
        return vec![
            ctx.warning(
                p,
                &format!(
                    "circular inclusion in \"{}\" directive:\n{}",
                    ctx.name,
                    chain.join("\n> ")
                ),
            )
            .into(),
        ];
    }
    if p.include_stack.len() >= MAX_INCLUDE_DEPTH {
        return vec![path_problem(p, ctx, "inclusion nested too deeply.")];
    }
    // Spans point at the directive (the page's text); line numbers and
    // the messages' `source` are the included file's.
    let first = p.lines.len();
    for l in lines.iter_mut() {
        *l =
            crate::syntax::rst::lines::relocated(l, ctx.span.start as usize, ctx.span.end as usize);
    }
    if inclusion.logged {
        // docutils ends the lines with a blank one and a comment marking
        // the inclusion's end (the comment makes no node), which the
        // file's last construct may take in (a simple table's border
        // error quotes them)
        let n = lines.len();
        let marker = format!(".. end of inclusion from \"{}\"", inclusion.shown);
        for (k, text) in [String::new(), marker].into_iter().enumerate() {
            lines.push(crate::syntax::rst::lines::detached(
                text,
                ctx.span.start as usize,
                ctx.span.end as usize,
                n + k + 1,
            ));
        }
        let after = ctx.lineno + ctx.block_text.split('\n').count() - 1;
        let file = p.doc.current_source.clone();
        let main_lines = p.main_lines;
        p.input_lines.insert(
            file.as_deref(),
            after,
            &inclusion.shown,
            lines.len(),
            main_lines,
        );
    }
    p.lines.extend(lines);
    p.detached_lines
        .push(crate::syntax::rst::block::DetachedLines {
            lines: first as u32..p.lines.len() as u32,
            node_line_shift: 0,
        });
    let refs: Vec<LineView> = (first..p.lines.len())
        .map(|li| LineView {
            line: li as u32,
            offset: 0,
        })
        .collect();
    let outer_source = p.doc.current_source.replace(inclusion.shown.clone());
    p.include_stack.push(inclusion);
    let match_titles = p.stack.len() == p.section_level + 1;
    p.parse_block(&refs, match_titles);
    p.include_stack.pop();
    p.doc.current_source = outer_source;
    Vec::new()
}

/// docutils' circular-inclusion check: the inclusion chain, newest first,
/// when the file with the same clipping is already in the include log.
/// The log starts, at its first logged include, with the file holding
/// that directive (the page, or a file an include with `:parser:` read),
/// and keeps that entry for the rest of the page.
fn circular_chain(p: &mut Parser, inclusion: &Inclusion) -> Option<Vec<String>> {
    if p.include_log_base.is_none() {
        let current = p
            .include_stack
            .last()
            .cloned()
            .unwrap_or_else(|| page_file(p));
        p.include_log_base = Some(Inclusion {
            clip: Clip::default(),
            ..current
        });
    }
    let logged: Vec<&Inclusion> = p
        .include_log_base
        .iter()
        .chain(p.include_stack.iter().filter(|i| i.logged))
        .collect();
    let seen = logged
        .iter()
        .any(|i| i.canonical == inclusion.canonical && i.clip == inclusion.clip);
    if !seen {
        return None;
    }
    let mut chain = vec![inclusion.shown.clone()];
    chain.extend(logged.iter().rev().map(|i| i.shown.clone()));
    Some(chain)
}

/// The page as an include-log entry: its name as docutils shows it, and
/// its canonical path (found as includes find the page's folder: the
/// name's folder, else the include root) when it exists, else an empty
/// path, which no included file has.
fn page_file(p: &Parser) -> Inclusion {
    let name = &p.opts.source_name;
    let has_folder = Path::new(name)
        .parent()
        .is_some_and(|d| !d.as_os_str().is_empty());
    let path = match &p.opts.include_root {
        Some(root) if !has_folder => root.join(name),
        _ => PathBuf::from(name),
    };
    Inclusion {
        canonical: path.canonicalize().unwrap_or_default(),
        shown: name.clone(),
        clip: Clip::default(),
        logged: true,
    }
}

/// docutils' `directives.parser_name` for the parsers kbgen has: the
/// reStructuredText names, the Markdown ones it reads with its own
/// CommonMark parser, and `null`; any other is docutils' "not found".
pub fn parser_option(name: &str) -> Result<String, String> {
    let key = name.trim().to_lowercase();
    if key == "null"
        || RST_PARSERS.contains(&key.as_str())
        || markdown::MARKDOWN_PARSERS.contains(&key.as_str())
    {
        Ok(key)
    } else if key.is_empty() {
        Err("argument required but none supplied".into())
    } else {
        Err(format!(
            "Parser \"{name}\" not found. No module named '{name}'"
        ))
    }
}

/// docutils' "Problems with "include" directive path" error.
fn path_problem(p: &Parser, ctx: &Ctx, problem: &str) -> Node {
    path_message(p, ctx, Severity::Error, problem)
}

/// The message for a file the system could not open or read (Python's
/// `OSError`, `error` without a final period): `include` and `raw` show
/// it as an error with the exception's class name, `csv-table` as a
/// severe message with the bare text.
fn os_error_problem(p: &Parser, ctx: &Ctx, error: &str) -> Node {
    if ctx.name == "csv-table" {
        path_message(p, ctx, Severity::Severe, &format!("{error}."))
    } else {
        path_problem(p, ctx, &format!("InputError: {error}."))
    }
}

fn path_message(p: &Parser, ctx: &Ctx, level: Severity, problem: &str) -> Node {
    p.doc
        .message_with_block(
            level,
            &format!(
                "Problems with \"{}\" directive path:\n{problem}",
                ctx.typed_name
            ),
            &ctx.block_text,
            Some(ctx.lineno),
            ctx.span,
        )
        .into()
}
