//! Files of the content folder that are not pages (images, downloads) are
//! copied into the site unchanged, at the same relative path.

use std::path::Path;

use walkdir::WalkDir;

use crate::diag::Diagnostic;
use crate::source::discover::{is_editor_junk, page_kind};

/// Content-relative paths (with `/`) of every non-page file, sorted.
/// Symlinks are not followed: a link pointing out of the content folder
/// must not leak files into the published site.
pub fn discover_assets(root: &Path) -> (Vec<String>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut diags = Vec::new();
    let walker = WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diags.push(Diagnostic::warning("discover", format!("skipped: {e}")).in_file(root));
                continue;
            }
        };
        if !entry.file_type().is_file() || page_kind(entry.path()).is_some() {
            continue;
        }
        if is_editor_junk(&entry.file_name().to_string_lossy()) {
            continue;
        }
        if let Ok(rel) = entry.path().strip_prefix(root) {
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            files.push(rel);
        }
    }
    files.sort();
    (files, diags)
}
