//! Source files: loading (encoding checks, BOM, line endings), the source map
//! from byte offsets to line/column, and page discovery.

pub mod discover;
pub mod read;

pub use discover::{Discovery, PageKind, PageSource, discover_pages};

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Location, SourceMap};

/// Largest page kbgen reads; bigger files are refused with a diagnostic so a
/// stray multi-gigabyte file cannot exhaust memory.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// One loaded source file. `text` is normalised: the byte order mark is
/// removed and CRLF / lone CR are turned into LF, so parsers only see `\n`.
/// Offsets everywhere in kbgen are byte offsets into this normalised text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path as shown in diagnostics (relative to the working directory when possible).
    pub path: PathBuf,
    pub text: String,
    line_starts: Vec<u32>,
}

impl SourceFile {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        let text = normalise_text(text.into());
        // memchr's SIMD search: this runs over every byte of every page.
        let mut line_starts = Vec::with_capacity(text.len() / 32 + 1);
        line_starts.push(0u32);
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i as u32 + 1));
        SourceFile {
            path: path.into(),
            text,
            line_starts,
        }
    }

    /// Reads a file through [`read::read_file`] (regular files only, never
    /// blocking, at most [`MAX_FILE_BYTES`]), refusing invalid UTF-8 with a
    /// diagnostic that gives the byte offset of the first bad byte.
    pub fn read(path: &Path, display: &Path) -> Result<Self, Diagnostic> {
        let bytes = read::read_file(path).map_err(|e| read_diag(display, &e))?;
        match String::from_utf8(bytes) {
            Ok(text) => Ok(SourceFile::new(display, text)),
            Err(e) => {
                let offset = e.utf8_error().valid_up_to();
                Err(Diagnostic::error(
                    "invalid-utf8",
                    format!("file is not valid UTF-8: bad byte at offset {offset}"),
                )
                .in_file(display))
            }
        }
    }

    /// 1-based line and 1-based character column of a byte offset.
    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let idx = match self.line_starts.binary_search(&(offset as u32)) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[idx] as usize;
        let mut end = offset;
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let col = self.text[start..end].chars().count() as u32 + 1;
        (idx as u32 + 1, col)
    }

    /// 1-based line number of a byte offset.
    pub fn line_of(&self, offset: usize) -> u32 {
        self.line_col(offset).0
    }

    /// Byte offset where 1-based `line` starts (end of text past the last line).
    pub fn line_start(&self, line: u32) -> usize {
        let i = (line.max(1) - 1) as usize;
        self.line_starts
            .get(i)
            .map(|&s| s as usize)
            .unwrap_or(self.text.len())
    }

    /// Text of 1-based `line`, without its newline.
    pub fn line_text(&self, line: u32) -> &str {
        let start = self.line_start(line);
        if start >= self.text.len() {
            return "";
        }
        let rest = &self.text[start..];
        rest.split('\n').next().unwrap_or("")
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

impl SourceMap for SourceFile {
    fn locate(&self, start: usize, end: usize) -> (Location, String) {
        let (line, column) = self.line_col(start);
        let (end_line, end_column) = self.line_col(end);
        let location = Location {
            file: self.path.clone(),
            line,
            column,
            end_line,
            end_column,
        };
        (location, self.line_text(line).to_string())
    }

    fn file(&self) -> &Path {
        &self.path
    }
}

fn normalise_text(mut text: String) -> String {
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    // The memchr crate's SIMD search: `str::contains` costs about an
    // instruction per byte of every page.
    if memchr::memchr(b'\r', text.as_bytes()).is_some() {
        text = text.replace("\r\n", "\n").replace('\r', "\n");
    }
    text
}

/// Canonical form of a path that may not exist yet: the canonical form of
/// its nearest existing ancestor plus the rest, so paths compare equal
/// whether or not the folder has been created.
pub fn canonical_path(p: &Path) -> PathBuf {
    if let Ok(c) = p.canonicalize() {
        return c;
    }
    match (p.parent(), p.file_name()) {
        (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => {
            canonical_path(parent).join(name)
        }
        (_, Some(name)) => std::env::current_dir()
            .map(|d| d.join(name))
            .unwrap_or_else(|_| p.to_path_buf()),
        _ => p.to_path_buf(),
    }
}

/// The diagnostic for a file [`read::read_file`] refused: `file-too-large`
/// for size, `io` for the rest.
pub fn read_diag(path: &Path, e: &read::ReadError) -> Diagnostic {
    match e {
        read::ReadError::TooLarge { .. } => Diagnostic::error("file-too-large", e.to_string()),
        _ => Diagnostic::error("io", format!("cannot read: {e}")),
    }
    .in_file(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_and_lines() {
        let f = SourceFile::new("x.rst", "ab\nü€x\n");
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        // 'x' comes after two multi-byte characters.
        let x = f.text.find('x').unwrap();
        assert_eq!(f.line_col(x), (2, 3));
        assert_eq!(f.line_text(2), "ü€x");
    }

    #[test]
    fn bom_and_crlf_are_normalised() {
        let f = SourceFile::new("x.rst", "\u{feff}a\r\nb\rc");
        assert_eq!(f.text, "a\nb\nc");
        assert_eq!(f.line_count(), 3);
    }
}
