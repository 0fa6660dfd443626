//! `kbgen init [DIR]`: scaffolds a new knowledge base — `book.toml`, one
//! sample article with a validated QEMU passthrough XML example, a
//! `.gitignore` and a GitHub Actions workflow that builds with `--strict`.
//! Existing files are never overwritten.

use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;

/// The files `init` writes, relative to the new site's folder.
pub const FILES: &[(&str, &str)] = &[
    ("book.toml", include_str!("book.toml")),
    (
        "content/kbase/first-article.rst",
        include_str!("first-article.rst"),
    ),
    (".github/workflows/kbgen.yml", include_str!("workflow.yml")),
    (".gitignore", "/book\n"),
];

/// Writes the scaffold into `dir` (created if missing). Fails, writing
/// nothing, when any of the files already exists.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let existing: Vec<String> = FILES
        .iter()
        .map(|(rel, _)| dir.join(rel))
        .filter(|p| p.exists())
        .map(|p| p.display().to_string())
        .collect();
    if !existing.is_empty() {
        return Err(Diagnostic::error(
            "init-exists",
            format!("not overwriting existing files: {}", existing.join(", ")),
        )
        .with_help("run `kbgen init` in an empty folder, or move those files away"));
    }
    let mut written = Vec::new();
    for (rel, text) in FILES {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| write_error(parent, &e))?;
        }
        std::fs::write(&path, text).map_err(|e| write_error(&path, &e))?;
        written.push(path);
    }
    Ok(written)
}

fn write_error(path: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error("io", format!("cannot write {}: {e}", path.display())).in_file(path)
}
