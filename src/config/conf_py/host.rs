//! What conf.py can see of the machine: the environment, its own folder,
//! and the files under the include root. Reads outside the root are refused
//! before anything is opened.

use std::path::{Component, Path, PathBuf};

use crate::source::SourceFile;

/// Reads environment variables. conf.py reads the real environment, as
/// Sphinx does (QEMU's build passes `CONFDIR` this way); tests pass a map.
pub type EnvLookup<'a> = &'a (dyn Fn(&str) -> Option<String> + Sync);

pub(super) struct Host<'a> {
    /// Absolute path of conf.py (`__file__`).
    pub conf_path: PathBuf,
    /// Its folder: Sphinx runs conf.py with this as the working directory.
    pub conf_dir: PathBuf,
    /// Canonical include root: no file outside it is read.
    pub include_root: PathBuf,
    pub env: EnvLookup<'a>,
}

/// Why `open()` gave no text.
pub(super) enum OpenError {
    /// Python raises `FileNotFoundError` (or another `OSError`).
    Missing(String),
    /// Outside the include root: kbgen refuses, nothing was read.
    Outside(PathBuf),
    /// Exists but kbgen cannot use it (not UTF-8, too large).
    Unreadable(String),
}

/// What `os.path.exists/isfile/isdir` can tell.
pub(super) enum PathKind {
    File,
    Dir,
    Missing,
    Outside,
}

impl Host<'_> {
    pub fn env_var(&self, name: &str) -> Option<String> {
        (self.env)(name)
    }

    /// A conf.py path made absolute against its folder and normalised.
    pub fn absolute(&self, path: &str) -> PathBuf {
        lexical_normal(&self.conf_dir.join(path))
    }

    /// The real path of `path` if it lies inside the include root (checked
    /// on the normalised path first, then after resolving symlinks).
    fn inside_root(&self, path: &str) -> Result<Option<PathBuf>, PathBuf> {
        let abs = self.absolute(path);
        if !abs.starts_with(&self.include_root) {
            return Err(abs);
        }
        match abs.canonicalize() {
            Ok(real) if real.starts_with(&self.include_root) => Ok(Some(real)),
            Ok(_) => Err(abs),
            Err(_) => Ok(None),
        }
    }

    /// Reads a text file for `open(path).read()`.
    pub fn read(&self, path: &str) -> Result<String, OpenError> {
        match self.inside_root(path) {
            Err(abs) => Err(OpenError::Outside(abs)),
            Ok(None) => Err(OpenError::Missing(format!(
                "No such file or directory: '{path}'"
            ))),
            Ok(Some(real)) if real.is_dir() => {
                Err(OpenError::Missing(format!("Is a directory: '{path}'")))
            }
            Ok(Some(real)) => SourceFile::read(&real, &real)
                .map(|f| f.text)
                .map_err(|d| OpenError::Unreadable(d.message)),
        }
    }

    pub fn path_kind(&self, path: &str) -> PathKind {
        match self.inside_root(path) {
            Err(_) => PathKind::Outside,
            Ok(None) => PathKind::Missing,
            Ok(Some(real)) if real.is_dir() => PathKind::Dir,
            Ok(Some(_)) => PathKind::File,
        }
    }
}

/// `.` and `..` resolved without touching the file system (`posixpath.normpath`).
pub(super) fn lexical_normal(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                if out.file_name().is_some() {
                    out.pop();
                } else if !out.has_root() {
                    out.push("..");
                }
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}
