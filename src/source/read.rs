//! The one way kbgen reads a file it did not write: pages, included files,
//! `book.toml`, schemas, theme files, files named on the command line.
//! Only regular files are read (a FIFO would block the build for ever,
//! `/dev/zero` would grow without end), never more than
//! [`MAX_FILE_BYTES`], and the file is opened without blocking, so even a
//! file swapped for a FIFO between the check and the open cannot hang it.

use std::fmt;
use std::io::Read;
use std::path::Path;

use super::MAX_FILE_BYTES;

/// Largest file copied into the site unchanged (images, downloads). Copies
/// are read whole (the preview keeps them in memory to serve them), so a
/// stray disk image in the content folder is refused, not loaded.
pub const MAX_ASSET_BYTES: u64 = 512 * 1024 * 1024;

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// The operating system refused (missing, permissions, …).
    Io(std::io::Error),
    /// A folder, FIFO, socket or device: never content.
    NotRegular(&'static str),
    /// Larger than the limit ([`MAX_FILE_BYTES`] for text, see
    /// [`MAX_ASSET_BYTES`]); the size kbgen saw.
    TooLarge { size: u64, limit: u64 },
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "{e}"),
            ReadError::NotRegular(kind) => write!(f, "it is {kind}, not a regular file"),
            ReadError::TooLarge { size, limit } => write!(
                f,
                "file is {}{size} bytes; the limit is {limit}",
                if size > limit { "" } else { "over " }
            ),
        }
    }
}

/// What a non-regular file is, for messages.
fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
    }
    "a special file"
}

fn check(meta: &std::fs::Metadata, limit: u64) -> Result<(), ReadError> {
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind_of(meta)));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge {
            size: meta.len(),
            limit,
        });
    }
    Ok(())
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

/// Reads a regular file of at most [`MAX_FILE_BYTES`] (symlinks followed).
pub fn read_file(path: &Path) -> Result<Vec<u8>, ReadError> {
    read_file_up_to(path, MAX_FILE_BYTES)
}

/// Reads a regular file of at most `limit` bytes (symlinks followed).
/// The type and size are checked before the open, again on the opened
/// file, and the read stops one byte past the limit whatever the size
/// said, so a file that grows while read is refused, not read whole.
pub fn read_file_up_to(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    check(&std::fs::metadata(path).map_err(ReadError::Io)?, limit)?;
    let file = open_nonblocking(path).map_err(ReadError::Io)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    check(&meta, limit)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// [`read_file`] for text: invalid UTF-8 is an I/O error naming the offset.
pub fn read_text(path: &Path) -> Result<String, ReadError> {
    String::from_utf8(read_file(path)?).map_err(|e| {
        ReadError::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "not valid UTF-8: bad byte at offset {}",
                e.utf8_error().valid_up_to()
            ),
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_and_folders_are_refused_without_reading() {
        assert!(matches!(
            read_file(Path::new("/dev/zero")),
            Err(ReadError::NotRegular("a device"))
        ));
        assert!(matches!(
            read_file(Path::new("/")),
            Err(ReadError::NotRegular("a folder"))
        ));
        assert!(matches!(
            read_file(Path::new("/nonexistent/kbgen")),
            Err(ReadError::Io(_))
        ));
    }

    #[test]
    fn files_over_the_limit_are_refused() {
        let p = std::env::temp_dir().join(format!("kbgen-read-limit-{}", std::process::id()));
        std::fs::write(&p, "12345").unwrap();
        assert_eq!(read_file_up_to(&p, 5).unwrap(), b"12345");
        let err = read_file_up_to(&p, 4).unwrap_err();
        assert!(matches!(err, ReadError::TooLarge { size: 5, limit: 4 }));
        assert_eq!(err.to_string(), "file is 5 bytes; the limit is 4");
        let _ = std::fs::remove_file(p);
    }

    #[test]
    fn regular_files_are_read_whole() {
        let p = std::env::temp_dir().join(format!("kbgen-read-{}", std::process::id()));
        std::fs::write(&p, "héllo").unwrap();
        assert_eq!(read_text(&p).unwrap(), "héllo");
        std::fs::write(&p, b"a\xffb").unwrap();
        let err = read_text(&p).unwrap_err().to_string();
        assert!(err.contains("offset 1"), "{err}");
        let _ = std::fs::remove_file(p);
    }
}
