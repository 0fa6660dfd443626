//! Finding and reading the files directives name (`include`,
//! `csv-table :file:`, `raw :file:`): relative to the file holding the
//! directive (absolute paths under `root_prefix` when one is set), only
//! inside the include root, decoded with the `:encoding:` given, and
//! counted against the page's inclusion budget.

use std::path::{Component, Path, PathBuf};

use crate::ast::Node;
use crate::syntax::rst::block::Parser;
use crate::syntax::rst::directives::Ctx;

use super::encoding::TextEncoding;
use super::{os_error_problem, path_problem};

/// A file found and read for a directive.
pub struct FoundFile {
    /// Canonical path (what cycle checks compare).
    pub canonical: PathBuf,
    /// The path as docutils shows it in `source` attributes and messages:
    /// the including file's folder joined with the argument, normalised,
    /// relative to the working folder when inside it.
    pub shown: String,
    pub text: String,
}

/// Lexical `os.path.normpath`: `.` dropped, `a/..` removed.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                let last = out.components().next_back();
                if matches!(last, Some(Component::Normal(_))) {
                    out.pop();
                } else if !matches!(last, Some(Component::RootDir)) {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// docutils' `utils.relative_path(None, path)` for paths inside the
/// working folder; others stay as they are.
fn shown_path(path: &Path) -> String {
    let path = normalise(path);
    let relative = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf));
    relative
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// The folder the file holding the directive is in, as shown and as read.
fn including_folder(p: &Parser, root: &Path) -> (PathBuf, PathBuf) {
    if let Some(outer) = p.include_stack.last() {
        let shown = Path::new(&outer.shown)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let read = outer
            .canonical
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| root.to_path_buf());
        return (shown, read);
    }
    let page_dir = Path::new(&p.opts.source_name)
        .parent()
        .filter(|d| !d.as_os_str().is_empty() && p.opts.source_name != "<string>")
        .map(Path::to_path_buf);
    match page_dir {
        Some(dir) => (dir.clone(), dir),
        None => (
            PathBuf::new(),
            p.opts
                .bare_name_folder
                .clone()
                .unwrap_or_else(|| root.to_path_buf()),
        ),
    }
}

/// Finds `arg` (relative to the including file's folder, or under
/// `root_prefix` when absolute and one is set) and reads it from inside
/// the include root `root`, decoded with `encoding`.
pub fn read_from_content(
    p: &Parser,
    ctx: &Ctx,
    root: &Path,
    arg: &str,
    encoding: TextEncoding,
) -> Result<FoundFile, Node> {
    let (shown_dir, read_dir) = including_folder(p, root);
    let (shown, path) = match (&p.opts.root_prefix, arg.strip_prefix('/')) {
        (Some(prefix), Some(rest)) => (shown_path(&prefix.join(rest)), prefix.join(rest)),
        _ => (shown_path(&shown_dir.join(arg)), read_dir.join(arg)),
    };
    let (Ok(canon_root), Ok(canonical)) = (root.canonicalize(), path.canonicalize()) else {
        return Err(os_error_problem(
            p,
            ctx,
            &format!(
                "[Errno 2] No such file or directory: {}",
                crate::python_text::str_repr(&shown)
            ),
        ));
    };
    if !canonical.starts_with(&canon_root) {
        return Err(path_problem(
            p,
            ctx,
            &format!("the file is outside the content folder: '{arg}'."),
        ));
    }
    // Through the one file reader: a FIFO, a device or a huge file is
    // refused, not waited on or read whole.
    let bytes = crate::source::read::read_file(&canonical)
        .map_err(|why| os_error_problem(p, ctx, &format!("cannot read '{arg}': {why}")))?;
    let text = encoding.decode(&bytes).map_err(|why| {
        Node::from(ctx.error(
            p,
            &format!("Problem with \"{}\" directive:\n{why}", ctx.name),
        ))
    })?;
    let text = crate::source::SourceFile::new(&canonical, text).text;
    Ok(FoundFile {
        canonical,
        shown,
        text,
    })
}

/// The encoding a directive's `:encoding:` names (validated when the
/// options were read), else UTF-8.
pub fn encoding_of(ctx: &Ctx) -> TextEncoding {
    ctx.opt("encoding")
        .and_then(TextEncoding::from_name)
        .unwrap_or(TextEncoding::Utf8)
}

/// A data file a directive reads (`csv-table :file:`, `raw :file:`):
/// found as [`read_from_content`] finds it, counted against the page's
/// inclusion budget. `Err` is the message to show.
pub fn read_data_file(p: &mut Parser, ctx: &Ctx, arg: &str) -> Result<FoundFile, Node> {
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
    let found = read_from_content(p, ctx, &root, arg, encoding_of(ctx))?;
    let cost = found.text.len() as u64 + crate::syntax::rst::doc::INCLUDE_COST;
    if p.doc.included_bytes + cost > crate::syntax::rst::doc::MAX_INCLUDED_BYTES {
        return Err(path_problem(p, ctx, "inclusion limit exceeded."));
    }
    p.doc.included_bytes += cost;
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_normalised_lexically() {
        assert_eq!(normalise(Path::new("a/./b/../c")), PathBuf::from("a/c"));
        assert_eq!(normalise(Path::new("../x/../y")), PathBuf::from("../y"));
        assert_eq!(normalise(Path::new("/../y")), PathBuf::from("/y"));
    }
}
