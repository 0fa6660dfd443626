//! Page discovery: walk the content folder, keep `.rst` and `.md` pages,
//! skip hidden files and editor leftovers, and return them in a stable order.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diag::Diagnostic;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PageKind {
    Rst,
    Markdown,
}

/// A page found on disk, before it is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageSource {
    /// Absolute (or working-directory-relative) path to read from.
    pub path: PathBuf,
    /// Path relative to the content folder, with `/` separators; decides the output path.
    pub rel: String,
    pub kind: PageKind,
}

impl PageSource {
    /// Output path of the page, relative to the site root: `kbase/x.rst` → `kbase/x.html`.
    pub fn output_path(&self) -> String {
        match self.rel.rfind('.') {
            Some(dot) => format!("{}.html", &self.rel[..dot]),
            None => format!("{}.html", self.rel),
        }
    }
}

/// True for files editors leave behind while saving (`.swp`, `~`, `#x#`,
/// `.goutputstream-*`) and for hidden files: never pages.
pub fn is_editor_junk(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.starts_with(".goutputstream-")
}

pub fn page_kind(path: &Path) -> Option<PageKind> {
    match path.extension()?.to_str()? {
        "rst" => Some(PageKind::Rst),
        "md" | "markdown" => Some(PageKind::Markdown),
        _ => None,
    }
}

/// Whether a path component can be part of a page's path: folders and
/// files whose names start with `.` are hidden, and files editors leave
/// behind are never pages. One rule for discovery and for the preview.
fn accepts_component(name: &str, is_file: bool) -> bool {
    if is_file {
        !is_editor_junk(name)
    } else {
        !name.starts_with('.')
    }
}

/// The page at `rel` (content-relative, `/` separators) if it is one: the
/// rule [`discover_pages`] applies to a whole folder, applied to one path
/// (the preview's watcher reports single paths). A page is a regular file
/// (after links are followed) with a page suffix, no hidden or junk
/// component, whose real path is inside the content folder.
/// `Err` is the refusal discovery reports too: a page whose real path is
/// outside the content folder (a symlink out) is not read.
pub fn page_at(root: &Path, rel: &str) -> Result<Option<PageSource>, Diagnostic> {
    let parts: Vec<&str> = rel.split('/').collect();
    let Some((last, folders)) = parts.split_last() else {
        return Ok(None);
    };
    if folders
        .iter()
        .any(|c| c.is_empty() || *c == ".." || !accepts_component(c, false))
        || last.is_empty()
        || !accepts_component(last, true)
    {
        return Ok(None);
    }
    let path = root.join(rel);
    let Some(kind) = page_kind(&path) else {
        return Ok(None);
    };
    if !std::fs::metadata(&path).is_ok_and(|m| m.is_file()) {
        return Ok(None);
    }
    let (Ok(real), Ok(real_root)) = (path.canonicalize(), root.canonicalize()) else {
        return Ok(None);
    };
    if !real.starts_with(&real_root) {
        return Err(symlink_outside(path));
    }
    Ok(Some(PageSource {
        path,
        rel: rel.to_string(),
        kind,
    }))
}

fn symlink_outside(path: PathBuf) -> Diagnostic {
    Diagnostic::error(
        "symlink-outside",
        "not read: this symlink points outside the content folder",
    )
    .in_file(path)
}

/// What discovery found: the pages, the paths it refused to read (by
/// content-relative path, so the preview can drop a refusal when the path
/// changes), and problems walking the folder.
#[derive(Debug, Default)]
pub struct Discovery {
    pub pages: Vec<PageSource>,
    pub refused: Vec<(String, Diagnostic)>,
    pub diags: Vec<Diagnostic>,
}

/// Finds every page under `root`, sorted by relative path. Symlink loops and
/// unreadable folders become diagnostics; discovery goes on.
pub fn discover_pages(root: &Path) -> Discovery {
    let mut pages = Vec::new();
    let mut diags = Vec::new();
    let mut refused = Vec::new();
    // Symlinks are followed (a page or folder may be linked in from
    // elsewhere in the content folder) but never out of it: a contributed
    // `leak.rst -> /etc/passwd` must not be read, let alone published.
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut outside = Vec::new();
    let walker = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() > 0
                && !e.file_type().is_file()
                && !accepts_component(&e.file_name().to_string_lossy(), false)
            {
                return false;
            }
            if e.depth() > 0 && e.path_is_symlink() {
                match e.path().canonicalize() {
                    Ok(t) if t.starts_with(&canonical_root) => {}
                    Ok(_) => {
                        outside.push((e.path().to_path_buf(), None));
                        return false;
                    }
                    Err(err) => {
                        outside.push((e.path().to_path_buf(), Some(err)));
                        return false;
                    }
                }
            }
            true
        });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| root.to_path_buf());
                diags.push(
                    Diagnostic::warning(
                        "discover",
                        format!("skipped while looking for pages: {e}"),
                    )
                    .in_file(path),
                );
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        if !accepts_component(&entry.file_name().to_string_lossy(), true) {
            continue;
        }
        let Some(kind) = page_kind(entry.path()) else {
            continue;
        };
        let Ok(rel) = entry.path().strip_prefix(root) else {
            continue;
        };
        let rel = rel_string(rel);
        pages.push(PageSource {
            path: entry.path().to_path_buf(),
            rel,
            kind,
        });
    }
    for (path, err) in outside {
        match err {
            // A dangling link is skipped quietly (editors and `git` leave
            // them for an instant); a loop or an unreadable link is reported.
            Some(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Some(e) => diags.push(
                Diagnostic::warning("discover", format!("skipped while looking for pages: {e}"))
                    .in_file(path),
            ),
            None if path.is_dir() || page_kind(&path).is_some() => {
                let rel = path.strip_prefix(root).map(rel_string).unwrap_or_default();
                refused.push((rel, symlink_outside(path)));
            }
            None => {}
        }
    }
    pages.sort_by(|a, b| a.rel.cmp(&b.rel));
    Discovery {
        pages,
        refused,
        diags,
    }
}

/// A relative path with `/` separators.
fn rel_string(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_junk_is_recognised() {
        for junk in [
            ".x.rst.swp",
            "x.rst~",
            "#x.rst#",
            ".goutputstream-ABC",
            ".hidden.rst",
        ] {
            assert!(is_editor_junk(junk), "{junk}");
        }
        assert!(!is_editor_junk("page.rst"));
    }

    #[test]
    fn output_path_replaces_extension() {
        let p = PageSource {
            path: "c/kbase/a.b.rst".into(),
            rel: "kbase/a.b.rst".into(),
            kind: PageKind::Rst,
        };
        assert_eq!(p.output_path(), "kbase/a.b.html");
    }
}
