//! Which rebuild a file event needs. Pure (no file system access), so the
//! decision table is unit-tested without a watcher: editors produce a storm
//! of events for their temporary files and the output folder changes on
//! every build, and neither must trigger a rebuild.

use std::path::{Path, PathBuf};

use crate::source::discover::{is_editor_junk, page_kind};

/// The folders and files a preview watches, as absolute (canonical) paths,
/// so event paths can be compared with them directly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub config: PathBuf,
    pub source_dir: PathBuf,
    pub output_dir: PathBuf,
    pub theme_dir: PathBuf,
    /// Schema files named in `book.toml`.
    pub schemas: Vec<PathBuf>,
}

/// What a file event asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Nothing: editor junk, hidden files, the output folder, unrelated files.
    Ignore,
    /// A page was added, changed or removed (path relative to the content folder).
    Page(String),
    /// Everything must be reloaded: configuration, theme, schemas, or a
    /// non-page file of the content folder (an `include`d file, a renamed folder).
    Full,
}

/// Classifies one event path. Event kinds are not needed: whether a page
/// was added, changed or removed is read from disk when rebuilding, which
/// also handles atomic saves (write to a temporary name, rename over).
pub fn classify(layout: &Layout, path: &Path) -> Change {
    if path.starts_with(&layout.output_dir) {
        return Change::Ignore;
    }
    let name = match path.file_name() {
        Some(n) => n.to_string_lossy(),
        None => return Change::Ignore,
    };
    if path == layout.config || layout.schemas.iter().any(|s| s == path) {
        return Change::Full;
    }
    // The content folder or the theme itself appeared, went or was
    // replaced (a checkout, a move away and back).
    if path == layout.source_dir || path == layout.theme_dir {
        return Change::Full;
    }
    // Vim probes a folder's permissions by creating and deleting `4913`.
    if is_editor_junk(&name) || name.bytes().all(|b| b.is_ascii_digit()) {
        return Change::Ignore;
    }
    if let Ok(rel) = path.strip_prefix(&layout.theme_dir) {
        return if rel.iter().any(|c| c.to_string_lossy().starts_with('.')) {
            Change::Ignore
        } else {
            Change::Full
        };
    }
    let Ok(rel) = path.strip_prefix(&layout.source_dir) else {
        return Change::Ignore;
    };
    let parts: Vec<String> = rel
        .iter()
        .map(|c| c.to_string_lossy().to_string())
        .collect();
    if parts.is_empty() || parts.iter().any(|p| p.starts_with('.')) {
        return Change::Ignore;
    }
    if page_kind(path).is_some() {
        Change::Page(parts.join("/"))
    } else {
        Change::Full
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout() -> Layout {
        Layout {
            config: "/s/book.toml".into(),
            source_dir: "/s/content".into(),
            output_dir: "/s/site".into(),
            theme_dir: "/s/themes/default".into(),
            schemas: vec!["/s/schemas/a.rng".into()],
        }
    }

    #[test]
    fn decision_table() {
        let page = |s: &str| Change::Page(s.to_string());
        let table: &[(&str, Change)] = &[
            ("/s/content/a.rst", page("a.rst")),
            ("/s/content/kbase/b.md", page("kbase/b.md")),
            ("/s/content/kbase/.b.rst.swp", Change::Ignore),
            ("/s/content/kbase/b.rst~", Change::Ignore),
            ("/s/content/#b.rst#", Change::Ignore),
            ("/s/content/.goutputstream-XYZ12", Change::Ignore),
            ("/s/content/.hidden/a.rst", Change::Ignore),
            ("/s/content/4913", Change::Ignore),
            ("/s/content/snippet.txt", Change::Full),
            ("/s/content/kbase", Change::Full),
            ("/s/content", Change::Full),
            ("/s/themes/default", Change::Full),
            ("/s/site/index.html", Change::Ignore),
            ("/s/site/kbase/a.html", Change::Ignore),
            ("/s/book.toml", Change::Full),
            ("/s/.book.toml.swp", Change::Ignore),
            ("/s/other.txt", Change::Ignore),
            ("/s/themes/default/templates/page.html", Change::Full),
            ("/s/themes/default/static/x.css", Change::Full),
            ("/s/themes/default/templates/.page.html.swp", Change::Ignore),
            ("/s/schemas/a.rng", Change::Full),
            ("/s/schemas/b.rng", Change::Ignore),
            ("/", Change::Ignore),
        ];
        let l = layout();
        for (path, want) in table {
            assert_eq!(&classify(&l, Path::new(path)), want, "{path}");
        }
    }

    #[test]
    fn output_inside_content_is_ignored() {
        let mut l = layout();
        l.output_dir = "/s/content/_site".into();
        assert_eq!(
            classify(&l, Path::new("/s/content/_site/a.html")),
            Change::Ignore
        );
        assert_eq!(
            classify(&l, Path::new("/s/content/_site/a.rst")),
            Change::Ignore
        );
    }
}
