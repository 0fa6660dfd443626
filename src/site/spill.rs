//! What a full build must keep of every page until all pages are loaded,
//! set aside on disk so a big site's pages are never all in memory.
//!
//! Some site-wide steps can only run once every page is loaded: the search
//! index ranks words by how many pages have them, the link check needs
//! every page's ids. Keeping what they read from each page (its text, its
//! links) in memory until then grows with the site. A [`Spill`] is an
//! append-only temporary file: each page's part is encoded and appended as
//! the page is loaded, and read back, one page at a time, by the step that
//! needs it.
//!
//! The file is unnamed where the system allows (removed as soon as it is
//! open), so a killed build leaves nothing behind. If no temporary file can
//! be made, the bytes stay in memory: the build still works, with the
//! memory they take.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

/// Where one part is in a [`Spill`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpillRef {
    offset: u64,
    len: u32,
}

/// An append-only store of encoded parts. See the module documentation.
///
/// A file spill is read and written at positions (`pread`/`pwrite`), never
/// through the file's cursor: loading threads append without waiting for
/// each other's writes, and reading a part back is one system call, not a
/// seek, a read and a seek back under a lock (the site-wide steps read
/// back every page's part, tens of thousands on a big site).
pub struct Spill {
    store: Store,
}

enum Store {
    /// `end` is where the next part goes; `path` is the file's name while
    /// it has one (see [`temporary_file`]).
    File {
        file: File,
        end: AtomicU64,
        path: Option<PathBuf>,
    },
    Memory(Mutex<Vec<u8>>),
}

impl Default for Spill {
    fn default() -> Self {
        Self::new()
    }
}

impl Spill {
    /// A spill in a new temporary file in the system's temporary folder
    /// (in memory when none can be made).
    pub fn new() -> Spill {
        Spill::new_in(&std::env::temp_dir())
    }

    /// A spill in a new temporary file in `dir` (in memory when none can
    /// be made there). A build puts it beside its output: on the disk the
    /// site is written to anyway, and not in a temporary folder that may
    /// be held in memory (tmpfs).
    pub fn new_in(dir: &Path) -> Spill {
        let store = match temporary_file(dir) {
            Some((file, path)) => Store::File {
                file,
                end: AtomicU64::new(0),
                path,
            },
            None => Store::Memory(Mutex::default()),
        };
        Spill { store }
    }

    /// A spill that keeps its bytes in memory.
    pub fn in_memory() -> Spill {
        Spill {
            store: Store::Memory(Mutex::default()),
        }
    }

    /// Appends `bytes`; `None` when they could not be written (the caller
    /// keeps what they encode in memory instead).
    pub fn put(&self, bytes: &[u8]) -> Option<SpillRef> {
        let len = u32::try_from(bytes.len()).ok()?;
        match &self.store {
            Store::File { file, end, .. } => {
                // The place is taken first: a part whose write fails leaves
                // a gap no `SpillRef` points into.
                let offset = end.fetch_add(u64::from(len), Ordering::Relaxed);
                write_all_at(file, bytes, offset).ok()?;
                Some(SpillRef { offset, len })
            }
            Store::Memory(all) => {
                let mut all = all.lock().unwrap_or_else(PoisonError::into_inner);
                let offset = all.len() as u64;
                all.extend_from_slice(bytes);
                Some(SpillRef { offset, len })
            }
        }
    }

    /// The bytes put at `at`.
    pub fn get(&self, at: SpillRef) -> std::io::Result<Vec<u8>> {
        let mut bytes = Vec::new();
        self.get_into(at, &mut bytes)?;
        Ok(bytes)
    }

    /// [`Spill::get`] into `bytes` (replacing what it held), so a reader
    /// of many parts reuses one buffer.
    pub fn get_into(&self, at: SpillRef, bytes: &mut Vec<u8>) -> std::io::Result<()> {
        // Filled by `memset`, not allocated zeroed: the allocator's
        // zeroing of fresh memory cost more than reading the part.
        bytes.clear();
        bytes.resize(at.len as usize, 0);
        match &self.store {
            Store::File { file, end, .. } => {
                let past_end =
                    at.offset.saturating_add(u64::from(at.len)) > end.load(Ordering::Relaxed);
                if past_end {
                    return Err(unreadable("past the end"));
                }
                read_exact_at(file, bytes, at.offset)?;
            }
            Store::Memory(all) => {
                let all = all.lock().unwrap_or_else(PoisonError::into_inner);
                let start = usize::try_from(at.offset).unwrap_or(usize::MAX);
                let slice = start
                    .checked_add(bytes.len())
                    .and_then(|end| all.get(start..end))
                    .ok_or_else(|| unreadable("past the end"))?;
                bytes.copy_from_slice(slice);
            }
        }
        Ok(())
    }
}

#[cfg(unix)]
fn write_all_at(file: &File, bytes: &[u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, bytes, offset)
}

#[cfg(unix)]
fn read_exact_at(file: &File, bytes: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, bytes, offset)
}

#[cfg(windows)]
fn write_all_at(file: &File, mut bytes: &[u8], mut offset: u64) -> std::io::Result<()> {
    while !bytes.is_empty() {
        match std::os::windows::fs::FileExt::seek_write(file, bytes, offset)? {
            0 => return Err(std::io::ErrorKind::WriteZero.into()),
            n => {
                bytes = &bytes[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut bytes: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    while !bytes.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, bytes, offset)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                bytes = &mut bytes[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

impl Drop for Spill {
    fn drop(&mut self) {
        if let Store::File {
            path: Some(path), ..
        } = &self.store
        {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// The error for bytes read back that are not what was put.
pub fn unreadable(what: &str) -> std::io::Error {
    std::io::Error::other(format!("page data set aside during the build is {what}"))
}

/// A new temporary file open for reading and writing, removed from its
/// folder at once on systems that allow an open file to be removed
/// (elsewhere its path is returned, for [`Spill`]'s drop to remove).
fn temporary_file(dir: &Path) -> Option<(File, Option<PathBuf>)> {
    use std::sync::atomic::{AtomicU32, Ordering};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    for _ in 0..8 {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(format!(".kbgen-spill-{}-{n}", std::process::id()));
        if let Ok(file) = File::options()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
        {
            if cfg!(unix) && std::fs::remove_file(&path).is_ok() {
                return Some((file, None));
            }
            return Some((file, Some(path)));
        }
    }
    None
}

/// Appends `n` as LEB128 (seven bits a byte, low first).
pub fn put_number(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Appends a string as its length and its UTF-8.
pub fn put_text(out: &mut Vec<u8>, s: &str) {
    put_number(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// Reads what [`put_number`] and [`put_text`] wrote; `None` for bytes they
/// did not make.
pub struct Decoder<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Decoder<'a> {
    pub fn new(bytes: &'a [u8]) -> Decoder<'a> {
        Decoder { bytes, at: 0 }
    }

    #[inline]
    pub fn number(&mut self) -> Option<u64> {
        // One byte, the usual case, without the loop.
        let &first = self.bytes.get(self.at)?;
        if first < 0x80 {
            self.at += 1;
            return Some(u64::from(first));
        }
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *self.bytes.get(self.at)?;
            self.at += 1;
            n |= u64::from(b & 0x7f).checked_shl(shift)?;
            if b < 0x80 {
                return Some(n);
            }
        }
        None
    }

    /// The next byte.
    pub fn byte(&mut self) -> Option<u8> {
        let &b = self.bytes.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    /// The next `len` bytes.
    pub fn bytes(&mut self, len: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(len)?;
        let bytes = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(bytes)
    }

    /// How many bytes were read.
    pub fn position(&self) -> usize {
        self.at
    }

    #[inline]
    pub fn u32(&mut self) -> Option<u32> {
        u32::try_from(self.number()?).ok()
    }

    pub fn text(&mut self) -> Option<String> {
        self.str().map(str::to_string)
    }

    /// [`text`](Self::text) borrowed from the bytes.
    pub fn str(&mut self) -> Option<&'a str> {
        let len = usize::try_from(self.number()?).ok()?;
        let end = self.at.checked_add(len)?;
        let s = std::str::from_utf8(self.bytes.get(self.at..end)?).ok()?;
        self.at = end;
        Some(s)
    }

    /// Whether every byte was read.
    pub fn done(&self) -> bool {
        self.at == self.bytes.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_come_back_as_they_were_put() {
        for spill in [Spill::new(), Spill::in_memory()] {
            let a = spill.put(b"first part").unwrap();
            let b = spill.put(b"").unwrap();
            let c = spill.put(&[0, 1, 2, 255]).unwrap();
            assert_eq!(spill.get(c).unwrap(), [0, 1, 2, 255]);
            assert_eq!(spill.get(a).unwrap(), b"first part");
            assert_eq!(spill.get(b).unwrap(), b"");
            let past = SpillRef {
                offset: 100,
                len: 3,
            };
            assert!(spill.get(past).is_err());
        }
    }

    #[test]
    fn numbers_and_texts_read_back_and_damage_is_refused() {
        let mut out = Vec::new();
        for n in [0, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX] {
            put_number(&mut out, n);
        }
        put_text(&mut out, "é x");
        let mut r = Decoder::new(&out);
        for n in [0, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX] {
            assert_eq!(r.number(), Some(n));
        }
        assert_eq!(r.text().as_deref(), Some("é x"));
        assert!(r.done());
        assert_eq!(Decoder::new(&[0x80; 11]).number(), None);
        assert_eq!(Decoder::new(&[4, b'a']).text(), None);
        assert_eq!(Decoder::new(&[2, 0xc3, 0x28]).text(), None);
    }
}
