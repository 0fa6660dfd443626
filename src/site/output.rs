//! Writing the site safely: the whole site goes to a staging folder next to
//! the output folder and is swapped in only when complete, so a failed or
//! interrupted build never leaves a half-written site. kbgen marks folders
//! it created with [`MARKER`] and refuses to replace anything else.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::source::canonical_path;

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

/// Folders of the operating system that are never a site: replacing one
/// (or a folder containing one) would break the machine. Deeper folders
/// (`/var/www/html`, `/srv/docs`) are ordinary destinations.
const SYSTEM_FOLDERS: &[&str] = &[
    "/bin",
    "/boot",
    "/dev",
    "/etc",
    "/home",
    "/lib",
    "/lib32",
    "/lib64",
    "/libx32",
    "/media",
    "/mnt",
    "/opt",
    "/proc",
    "/root",
    "/run",
    "/sbin",
    "/snap",
    "/srv",
    "/sys",
    "/tmp",
    "/usr",
    "/var",
    "/usr/bin",
    "/usr/include",
    "/usr/lib",
    "/usr/lib64",
    "/usr/libexec",
    "/usr/local",
    "/usr/local/bin",
    "/usr/local/lib",
    "/usr/local/share",
    "/usr/sbin",
    "/usr/share",
    "/usr/src",
    "/var/cache",
    "/var/lib",
    "/var/log",
    "/var/mail",
    "/var/spool",
    "/var/tmp",
    "/var/www",
    "/Applications",
    "/Library",
    "/System",
    "/Users",
    "/Volumes",
    "/private",
];

/// The repository the source folder lives in: the nearest folder holding
/// `.git` (a folder, or a file for worktrees and submodules) at or above it.
fn repository_root(src: &Path) -> Option<PathBuf> {
    src.ancestors()
        .find(|dir| dir.join(".git").exists())
        .map(Path::to_path_buf)
}

/// Why replacing `out` (canonical) would destroy something that is not a
/// site, whatever `--force` says; `None` when it is a plain folder.
fn protected_reason(out: &Path, src: &Path, root: &Path, sphinx: bool) -> Option<&'static str> {
    // `contains` is `starts_with` on canonical paths: replacing `out`
    // deletes everything under it.
    let is_or_contains = |p: &Path| p.starts_with(out);
    if out.parent().is_none() {
        return Some("it is the filesystem root");
    }
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty())
        && is_or_contains(&canonical_path(Path::new(&home)))
    {
        return Some("it is or contains the home folder");
    }
    if let Some(repo) = repository_root(src)
        && is_or_contains(&repo)
    {
        return Some("it is or contains the repository the source folder is in");
    }
    if is_or_contains(src) {
        return Some("it is or contains the source folder");
    }
    // A Sphinx project builds into `_build/` of its source folder, which
    // Sphinx and kbgen never read as sources.
    let sphinx_build = sphinx && out.starts_with(src.join("_build")) && out != src.join("_build");
    if out.starts_with(src) && !sphinx_build {
        return Some("it is inside the source folder");
    }
    if is_or_contains(root) {
        return Some("it is or contains the site's own folder");
    }
    if SYSTEM_FOLDERS.iter().any(|sys| {
        is_or_contains(Path::new(sys)) || is_or_contains(&canonical_path(Path::new(sys)))
    }) {
        return Some("it is or contains a system folder");
    }
    None
}

/// Refuses output folders that would destroy something: `/`, the home
/// folder, the source folder, the site root, the repository holding the
/// source, a system folder, anything containing one of these, a folder
/// inside the source, and (unless `force`) a non-empty folder kbgen did not
/// create. Only the last one yields to `--force`.
pub fn check_output_dir(site: &Site, force: bool) -> Result<(), Diagnostic> {
    let out = canonical_path(&site.output_dir);
    let src = canonical_path(&site.source_dir);
    let root = canonical_path(&site.root);
    if let Some(why) = protected_reason(&out, &src, &root, site.sphinx.is_some()) {
        return Err(refuse(&site.output_dir, why));
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
    /// The site being replaced, when kbgen wrote it (it holds [`MARKER`]):
    /// its unchanged files are linked, not written again (see
    /// [`super::relink`]).
    previous: Option<PathBuf>,
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
        let dir = parent.join(format!(".{name}.{STAGING_TAG}{}", std::process::id()));
        let old = parent.join(format!(".{name}.{OLD_TAG}{}", std::process::id()));
        remove_leftovers(&parent, &name);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| io_error(&dir, &e))?;
        std::fs::write(
            dir.join(MARKER),
            b"This folder was written by kbgen and is replaced on every build.\n",
        )
        .map_err(|e| io_error(&dir, &e))?;
        // A folder `--force` replaces holds files of unknown origin: none
        // of them is reused.
        let previous = out.join(MARKER).is_file().then(|| out.clone());
        Ok(Staging {
            dir,
            out,
            old,
            previous,
            committed: false,
        })
    }

    /// The folder the staging folder is in (beside the output folder).
    pub fn parent(&self) -> &Path {
        self.dir.parent().unwrap_or(Path::new("."))
    }

    /// Writes one file (path relative to the site root). Safe to call from
    /// several threads at once.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let path = guarded_path(&self.dir, rel)?;
        if let Some(previous) = &self.previous
            && super::relink::link_if_unchanged(&previous.join(rel), &path, bytes)
        {
            return Ok(());
        }
        in_made_folder(&path, |path| {
            std::io::Write::write_all(&mut create_fresh(path)?, bytes)
        })
    }

    /// Writes one file through `write`, buffered, for a file too big to
    /// make in memory first (the search index of a big site).
    pub fn write_with(
        &self,
        rel: &str,
        write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> std::io::Result<()>,
    ) -> Result<(), Diagnostic> {
        let path = guarded_path(&self.dir, rel)?;
        let file = in_made_folder(&path, create_fresh)?;
        let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
        write(&mut out)
            .and_then(|()| std::io::Write::flush(&mut out))
            .map_err(|e| io_error(&path, &e))
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

/// Creates `path` as a new file (a new inode), replacing a file already
/// there instead of writing into it: a staging file may be a hard link to
/// the previous site's file (see [`super::relink`]), which a second write
/// to the same path (two pages with one output path) must not change.
fn create_fresh(path: &Path) -> std::io::Result<std::fs::File> {
    let create = || {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
    };
    match create() {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            std::fs::remove_file(path)?;
            create()
        }
        made => made,
    }
}

/// Runs `make` (which creates the file `path`), first making the file's
/// folder when `make` finds it missing. Folders are made on demand rather
/// than checked before each file: most files go in a folder an earlier
/// file made, and a check per file was one `stat` per page.
fn in_made_folder<T>(
    path: &Path,
    mut make: impl FnMut(&Path) -> std::io::Result<T>,
) -> Result<T, Diagnostic> {
    match make(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(folder) = path.parent() {
                std::fs::create_dir_all(folder).map_err(|e| io_error(folder, &e))?;
            }
            make(path).map_err(|e| io_error(path, &e))
        }
        made => made.map_err(|e| io_error(path, &e)),
    }
}

/// Middle of a staging folder's name: `.{output}.kbgen-staging-{pid}`.
const STAGING_TAG: &str = "kbgen-staging-";
/// Middle of the name the previous site has while the new one moves in.
const OLD_TAG: &str = "kbgen-old-";

/// Removes staging and old folders that earlier runs left beside the output
/// folder when they were killed (SIGKILL, power loss): without this every
/// killed build would leave a whole site behind. A folder is removed only
/// when its name is exactly one kbgen makes for this output, it is a real
/// folder holding kbgen's [`MARKER`] (or nothing), and the process that
/// made it is gone, so a build running in parallel keeps its staging.
fn remove_leftovers(parent: &Path, output_name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let prefix = format!(".{output_name}.");
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(&prefix))
            .and_then(|rest| {
                rest.strip_prefix(STAGING_TAG)
                    .or_else(|| rest.strip_prefix(OLD_TAG))
            })
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        let path = entry.path();
        let is_real_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if !is_real_dir || pid == std::process::id() || process_is_running(pid, &path) {
            continue;
        }
        let made_by_kbgen = path.join(MARKER).is_file()
            || std::fs::read_dir(&path).is_ok_and(|mut d| d.next().is_none());
        if made_by_kbgen {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

/// Whether the process that made `folder` may still be writing it: by
/// `/proc` where there is one, else by the folder having changed in the
/// last hour.
fn process_is_running(pid: u32, folder: &Path) -> bool {
    let proc = Path::new("/proc");
    if proc.join("self").exists() {
        return proc.join(pid.to_string()).exists();
    }
    std::fs::metadata(folder)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age < std::time::Duration::from_secs(3600))
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
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

/// The one path guard: every output path is a relative path of plain
/// components, so nothing kbgen writes or removes can land outside `root`.
pub fn guarded_path(root: &Path, rel: &str) -> Result<PathBuf, Diagnostic> {
    let plain = !rel.is_empty()
        && !rel.starts_with('/')
        && rel
            .split('/')
            .all(|c| !c.is_empty() && c != "." && c != ".." && !c.contains('\\'));
    if !plain {
        return Err(Diagnostic::error(
            "io",
            format!("refusing to write outside the output folder: {rel}"),
        ));
    }
    Ok(root.join(rel))
}

/// The preview's output folder: the bytes of every file as it is (or will
/// be) on disk, and which of them differ from the disk. Only those are
/// written, each atomically, so the preview server never reads a
/// half-written page.
#[derive(Debug)]
pub struct Outputs {
    root: PathBuf,
    files: BTreeMap<String, Vec<u8>>,
    dirty: BTreeSet<String>,
    removed: BTreeSet<String>,
    /// Whether the output folder holds a site written by these outputs.
    pub written: bool,
}

impl Outputs {
    pub fn new(root: PathBuf) -> Outputs {
        Outputs {
            root,
            files: BTreeMap::new(),
            dirty: BTreeSet::new(),
            removed: BTreeSet::new(),
            written: false,
        }
    }

    /// Sets a file's bytes; it is written next time only if they changed.
    pub fn set(&mut self, path: String, bytes: Vec<u8>) {
        if self.files.get(&path) == Some(&bytes) {
            return;
        }
        self.removed.remove(&path);
        self.dirty.insert(path.clone());
        self.files.insert(path, bytes);
    }

    pub fn remove(&mut self, path: &str) {
        if self.files.remove(path).is_some() {
            self.dirty.remove(path);
            self.removed.insert(path.to_string());
        }
    }

    /// Keeps only the files `keep` says yes to.
    pub fn retain(&mut self, mut keep: impl FnMut(&str) -> bool) {
        let gone: Vec<String> = self.files.keys().filter(|p| !keep(p)).cloned().collect();
        for path in gone {
            self.remove(&path);
        }
    }

    pub fn contains(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// Writes every file as a new site, through a staging folder.
    pub fn write_all(&mut self, site: &Site) -> Result<(), Diagnostic> {
        let staging = Staging::create(site)?;
        for (rel, bytes) in &self.files {
            staging.write(rel, bytes)?;
        }
        staging.commit()?;
        self.written = true;
        self.dirty.clear();
        self.removed.clear();
        Ok(())
    }

    /// Writes the files that changed and removes those that went; returns
    /// their paths.
    pub fn write_changes(&mut self) -> Result<Vec<String>, Diagnostic> {
        let mut changed = Vec::new();
        for out in std::mem::take(&mut self.dirty) {
            if let Some(bytes) = self.files.get(&out) {
                write_atomically(&self.root, &out, bytes)?;
                changed.push(out);
            }
        }
        for out in std::mem::take(&mut self.removed) {
            remove_output(&self.root, &out);
            changed.push(out);
        }
        Ok(changed)
    }
}

/// Writes one output file through a temporary file and a rename.
fn write_atomically(root: &Path, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
    let path = guarded_path(root, rel)?;
    let dir = path.parent().unwrap_or(root);
    std::fs::create_dir_all(dir).map_err(|e| io_error(dir, &e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.kbgen-tmp-{}", std::process::id()));
    std::fs::write(&tmp, bytes).map_err(|e| io_error(&tmp, &e))?;
    std::fs::rename(&tmp, &path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io_error(&path, &e)
    })
}

/// Removes an output file and the folders it leaves empty (a full build
/// would not create them), never the output root or its marker.
fn remove_output(root: &Path, rel: &str) {
    let Ok(path) = guarded_path(root, rel) else {
        return;
    };
    if rel == MARKER {
        return;
    }
    let _ = std::fs::remove_file(&path);
    let mut dir = path.parent();
    while let Some(d) = dir {
        if d == root || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_write_replaces_a_linked_file_instead_of_writing_through_it() {
        let dir = std::env::temp_dir().join(format!("kbgen-fresh-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let previous = dir.join("previous.html");
        std::fs::write(&previous, "old site").unwrap();
        let staged = dir.join("staged.html");
        std::fs::hard_link(&previous, &staged).unwrap();
        std::io::Write::write_all(&mut create_fresh(&staged).unwrap(), b"new").unwrap();
        assert_eq!(std::fs::read(&staged).unwrap(), b"new");
        assert_eq!(std::fs::read(&previous).unwrap(), b"old site");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_guard_refuses_every_way_out() {
        let root = Path::new("/out");
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a//b",
            "./a",
            "a\\..\\b",
        ] {
            assert!(guarded_path(root, bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            guarded_path(root, "a/b.html").unwrap(),
            root.join("a/b.html")
        );
    }

    fn site_writing_to(out: &str) -> Site {
        let mut site = Site::new(
            Default::default(),
            Path::new("/nonexistent-kbgen-site/book.toml"),
        );
        site.output_dir = PathBuf::from(out);
        site
    }

    #[test]
    fn system_folders_and_their_parents_are_refused_even_with_force() {
        for out in [
            "/",
            "/usr",
            "/etc",
            "/bin",
            "/var",
            "/usr/share",
            "/usr/local",
            "/tmp",
        ] {
            let err = check_output_dir(&site_writing_to(out), true)
                .expect_err(out)
                .message;
            assert!(err.contains("refusing"), "{out}: {err}");
        }
    }

    #[test]
    fn ordinary_folders_below_system_folders_are_allowed() {
        for out in [
            "/var/www/html-kbgen-test",
            "/srv/kbgen-test-docs",
            "/tmp/kbgen-test-out",
        ] {
            assert!(
                check_output_dir(&site_writing_to(out), true).is_ok(),
                "{out}"
            );
        }
    }

    /// Files land in folders made as they are first needed, however deep,
    /// and only a committed staging folder becomes the site.
    #[test]
    fn files_go_in_folders_made_on_demand() {
        let base = std::env::temp_dir().join(format!("kbgen-output-test-{}", std::process::id()));
        let out = base.join("site");
        let site = site_writing_to(out.to_str().unwrap());
        let staging = Staging::create(&site).unwrap();
        staging.write("a/b/c.html", b"c").unwrap();
        staging.write("a/b/d.html", b"d").unwrap();
        staging.write("top.html", b"top").unwrap();
        staging
            .write_with("x/y/z.js", |w| std::io::Write::write_all(w, b"z"))
            .unwrap();
        assert!(!out.exists());
        staging.commit().unwrap();
        for (rel, bytes) in [
            ("a/b/c.html", "c"),
            ("a/b/d.html", "d"),
            ("top.html", "top"),
            ("x/y/z.js", "z"),
        ] {
            assert_eq!(
                std::fs::read_to_string(out.join(rel)).unwrap(),
                bytes,
                "{rel}"
            );
        }
        assert!(out.join(MARKER).is_file());
        std::fs::remove_dir_all(&base).unwrap();
    }
}
