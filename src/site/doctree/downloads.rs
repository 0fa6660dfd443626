//! `:download:` files: published under `_downloads/<md5>/<name>` as
//! Sphinx publishes them, so links into a Sphinx site keep working. The
//! folder is the hex MD5 of the file's path relative to the source folder
//! (Sphinx's `DownloadFiles.add_file`); the name is the file's own.
//!
//! A target is read from the page's folder, or from the source folder when
//! it starts with `/` (Sphinx's `relfn2path`); a file outside the include
//! root is an error and is never read, a missing one a warning at the
//! role's line, as Sphinx warns.

use std::path::{Path, PathBuf};

use md5::{Digest, Md5};

use crate::ast::{Attr, Element, SphinxAttr, SphinxTag, Tag};
use crate::diag::Diagnostic;
use crate::source::SourceFile;

use super::tree::at_line;

/// One `:download:` of a page that names a file which exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Download {
    /// The file to copy, canonical, inside the include root.
    pub source: PathBuf,
    /// Its output path: `_downloads/<md5>/<name>`.
    pub output: String,
}

/// Where the build finds download targets.
pub struct DownloadRoots<'a> {
    /// The Sphinx source folder (conf.py's).
    pub source_dir: &'a Path,
    /// Nothing outside it is read.
    pub include_root: &'a Path,
}

fn is_download(e: &Element) -> bool {
    e.tag == Tag::Sphinx(SphinxTag::DownloadReference) && e.get(Attr::Refuri).is_none()
}

/// The file of each local `:download:` of a page, in document order
/// (`None`: missing or refused, with its diagnostic).
pub fn page_downloads(
    tree: &Element,
    docname: &str,
    roots: &DownloadRoots,
    source: &SourceFile,
) -> (Vec<Option<Download>>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let mut diags = Vec::new();
    tree.walk(&mut |e| {
        if !is_download(e) {
            return;
        }
        let target = e.get(Attr::Reftarget).unwrap_or("");
        if target.contains("://") {
            out.push(None);
            return;
        }
        match locate(target, docname, roots) {
            Ok(d) => out.push(Some(d)),
            Err(d) => {
                let line = source.line_of(e.span.start as usize);
                diags.push(at_line(d, source, line));
                out.push(None);
            }
        }
    });
    (out, diags)
}

/// The source-relative path of a target, normalised as `posixpath.normpath`
/// does (`..` kept at the front): what Sphinx hashes.
pub fn relative_path(target: &str, docname: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None => match docname.rsplit_once('/') {
            Some((dir, _)) => format!("{dir}/{target}"),
            None => target.to_string(),
        },
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            _ => parts.push(part),
        }
    }
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

/// `_downloads/<md5 of the relative path>/<file name>`.
pub fn output_path(rel: &str) -> String {
    let digest = Md5::digest(rel.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    let name = rel.rsplit('/').next().unwrap_or(rel);
    format!("_downloads/{hex}/{name}")
}

fn locate(target: &str, docname: &str, roots: &DownloadRoots) -> Result<Download, Diagnostic> {
    let rel = relative_path(target, docname);
    let path = roots.source_dir.join(&rel);
    let root = roots
        .include_root
        .canonicalize()
        .unwrap_or_else(|_| roots.include_root.to_path_buf());
    // Lexically first, so a path that leaves the root is refused before
    // anything outside it is touched (even its existence).
    let lexical = lexical_normal(&path);
    if !lexical.starts_with(&root) && !lexical.starts_with(lexical_normal(roots.include_root)) {
        return Err(Diagnostic::error(
            "download-outside-root",
            format!(
                "download file {target} is outside the include root {}",
                roots.include_root.display()
            ),
        ));
    }
    let not_readable = || {
        Diagnostic::warning(
            "download-not-readable",
            format!("download file not readable: {}", path.display()),
        )
    };
    let canon = path.canonicalize().map_err(|_| not_readable())?;
    if !canon.starts_with(&root) {
        return Err(Diagnostic::error(
            "download-outside-root",
            format!(
                "download file {target} is outside the include root {}",
                roots.include_root.display()
            ),
        ));
    }
    if !canon.is_file() {
        return Err(not_readable());
    }
    Ok(Download {
        source: canon,
        output: output_path(&rel),
    })
}

/// `path` made absolute, `.` and `..` resolved without the file system.
fn lexical_normal(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// [`apply_downloads`] one element at a time, for a walk that does more.
pub struct DownloadLinks<'a> {
    up: String,
    next: std::slice::Iter<'a, Option<Download>>,
}

impl<'a> DownloadLinks<'a> {
    pub fn new(docname: &str, downloads: &'a [Option<Download>]) -> Self {
        DownloadLinks {
            up: "../".repeat(docname.matches('/').count()),
            next: downloads.iter(),
        }
    }

    /// Sets the link of `e` if it is a local download (elements must come
    /// in document order).
    pub fn visit(&mut self, e: &mut Element) {
        if !is_download(e) {
            return;
        }
        match self.next.next() {
            Some(Some(d)) => {
                let href = format!(
                    "{}{}",
                    self.up,
                    crate::passes::links::percent_encode_path(&d.output)
                );
                e.set(Attr::Sphinx(SphinxAttr::Filename), href);
            }
            // Missing or refused: no link, as Sphinx writes it.
            Some(None) if !e.get(Attr::Reftarget).unwrap_or("").contains("://") => {
                e.set(Attr::Sphinx(SphinxAttr::Filename), "");
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_hashed_as_sphinx_hashes_them() {
        // md5("data.txt"), as Sphinx 9.0.4 named the folder.
        assert_eq!(
            output_path("data.txt"),
            "_downloads/70f5b20d30a0cea2b1b573401b61bcfc/data.txt"
        );
        assert_eq!(relative_path("../data.txt", "sub/page"), "data.txt");
        assert_eq!(relative_path("/x/y.txt", "sub/page"), "x/y.txt");
        assert_eq!(relative_path("./a/../b.txt", "p"), "b.txt");
        assert_eq!(relative_path("../../up.xml", "sub/page"), "../up.xml");
    }
}
