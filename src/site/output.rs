//! Writing the site safely: the whole site goes to a staging folder next to
//! the output folder and is swapped in only when complete, so a failed or
//! interrupted build never leaves a half-written site. kbgen marks folders
//! it created with [`MARKER`] and refuses to replace anything else.

use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;

use super::Site;

/// File kbgen leaves in every output folder it writes.
pub const MARKER: &str = ".kbgen-output";

fn refuse(out: &Path, why: &str) -> Diagnostic {
    Diagnostic::error(
        "unsafe-output",
        format!("refusing to write the site to {}: {why}", out.display()),
    )
    .with_help("choose another folder with --dest or `output` in book.toml")
}

fn canonical_or_self(p: &Path) -> PathBuf {
    if let Ok(c) = p.canonicalize() {
        return c;
    }
    // The folder may not exist yet: canonicalise its parent and re-add the name.
    match (p.parent(), p.file_name()) {
        (Some(parent), Some(name)) => {
            let parent = if parent.as_os_str().is_empty() {
                Path::new(".")
            } else {
                parent
            };
            canonical_or_self(parent).join(name)
        }
        _ => p.to_path_buf(),
    }
}

/// Refuses output folders that would destroy something: the source folder,
/// a folder containing it or inside it, `/`, the home folder, the site
/// root, or a non-empty folder kbgen did not create (unless `force`).
pub fn check_output_dir(site: &Site, force: bool) -> Result<(), Diagnostic> {
    let out = canonical_or_self(&site.output_dir);
    let src = canonical_or_self(&site.source_dir);
    let root = canonical_or_self(&site.root);
    if out.parent().is_none() {
        return Err(refuse(&site.output_dir, "it is the filesystem root"));
    }
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from)
        && canonical_or_self(&home) == out
    {
        return Err(refuse(&site.output_dir, "it is the home folder"));
    }
    if out == src || src.starts_with(&out) {
        return Err(refuse(
            &site.output_dir,
            "it is or contains the source folder",
        ));
    }
    if out.starts_with(&src) {
        return Err(refuse(&site.output_dir, "it is inside the source folder"));
    }
    if out == root || root.starts_with(&out) {
        return Err(refuse(
            &site.output_dir,
            "it is or contains the site's own folder",
        ));
    }
    if out.is_file() {
        return Err(refuse(&site.output_dir, "it is a file"));
    }
    if out.is_dir() && !force && !out.join(MARKER).is_file() {
        let empty = std::fs::read_dir(&out)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty {
            return Err(refuse(
                &site.output_dir,
                "it is a non-empty folder kbgen did not create (use --force to replace it)",
            ));
        }
    }
    Ok(())
}

/// A new site being written next to the output folder. Files go in as they
/// are rendered (so a big site never sits in memory whole); `commit` swaps
/// the finished tree in, dropping it without `commit` removes it.
pub struct Staging {
    dir: PathBuf,
    out: PathBuf,
    old: PathBuf,
    committed: bool,
}

impl Staging {
    pub fn create(site: &Site) -> Result<Staging, Diagnostic> {
        let out = site.output_dir.clone();
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(|e| io_error(&parent, &e))?;
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "site".into());
        let dir = parent.join(format!(".{name}.kbgen-staging-{}", std::process::id()));
        let old = parent.join(format!(".{name}.kbgen-old-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| io_error(&dir, &e))?;
        std::fs::write(
            dir.join(MARKER),
            b"This folder was written by kbgen and is replaced on every build.\n",
        )
        .map_err(|e| io_error(&dir, &e))?;
        Ok(Staging {
            dir,
            out,
            old,
            committed: false,
        })
    }

    /// Writes one file (path relative to the site root). Safe to call from
    /// several threads at once.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        if rel.split('/').any(|c| c == ".." || c.is_empty()) {
            return Err(Diagnostic::error(
                "io",
                format!("refusing to write outside the output folder: {rel}"),
            ));
        }
        let path = self.dir.join(rel);
        if let Some(p) = path.parent()
            && !p.is_dir() {
                std::fs::create_dir_all(p).map_err(|e| io_error(p, &e))?;
            }
        std::fs::write(&path, bytes).map_err(|e| io_error(&path, &e))
    }

    /// Swaps the finished site in place of the output folder.
    pub fn commit(mut self) -> Result<(), Diagnostic> {
        self.committed = true;
        let result = swap_in(&self.dir, &self.out, &self.old);
        if result.is_err() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
        result
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Writes `files` (path relative to the site root → bytes) as the new site.
pub fn write_site(site: &Site, files: &[(String, Vec<u8>)]) -> Result<(), Diagnostic> {
    let staging = Staging::create(site)?;
    for (rel, bytes) in files {
        staging.write(rel, bytes)?;
    }
    staging.commit()
}

fn swap_in(staging: &Path, out: &Path, old: &Path) -> Result<(), Diagnostic> {
    if out.exists() {
        std::fs::rename(out, old).map_err(|e| io_error(out, &e))?;
    }
    if let Err(e) = std::fs::rename(staging, out) {
        // Put the previous site back so readers never see nothing.
        let _ = std::fs::rename(old, out);
        return Err(io_error(out, &e));
    }
    let _ = std::fs::remove_dir_all(old);
    Ok(())
}

fn io_error(path: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error("io", format!("cannot write {}: {e}", path.display())).in_file(path)
}
