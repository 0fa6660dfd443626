//! Reusing the previous site's unchanged files when a build replaces it.
//!
//! A build writes a whole new site beside the old one and swaps it in
//! (see [`super::output::Staging`]); the old site is then deleted. Most
//! files of a rebuild are the same bytes as before, so writing them again
//! and deleting the old copies is work for nothing, and on some file
//! systems a lot of it: on ext4 mounted with `discard`, deleting the
//! 1,530 files of a libvirt ×10 site took 5.8 s (each freed extent is
//! trimmed at once), while deleting the same files hard-linked elsewhere
//! took 0.25 s. So a file whose bytes are unchanged is hard-linked from the
//! old site into the new one: deleting the old site then only drops names,
//! and the file keeps its modification time (which `rsync` and HTTP
//! caches use to skip it).

use std::io::Read;
use std::path::Path;

/// Bytes compared per read: the old file is checked a block at a time, so
/// a file that differs early is not read whole.
const BLOCK: usize = 16 * 1024;

/// Hard-links `old` (a file of the site being replaced) to `new` (where
/// the new site wants `bytes`) when `old` is a regular file holding
/// exactly `bytes`, making `new`'s folder when it is missing. `false`
/// when it did not (then nothing was created at `new`): the caller writes
/// the file.
#[cfg(unix)]
pub fn link_if_unchanged(old: &Path, new: &Path, bytes: &[u8]) -> bool {
    use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
    // Never through a symbolic link: only a file the old site holds itself.
    let Ok(mut file) = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(old)
    else {
        return false;
    };
    let Ok(meta) = file.metadata() else {
        return false;
    };
    if !meta.is_file() || meta.len() != bytes.len() as u64 || !same_bytes(&mut file, bytes) {
        return false;
    }
    let linked = std::fs::hard_link(old, new).or_else(|e| match (e.kind(), new.parent()) {
        (std::io::ErrorKind::NotFound, Some(folder)) => {
            std::fs::create_dir_all(folder)?;
            std::fs::hard_link(old, new)
        }
        _ => Err(e),
    });
    if linked.is_err() {
        return false;
    }
    // The name must lead to the file that was compared: had `old` been
    // replaced meanwhile, the link would be to something else.
    match std::fs::symlink_metadata(new) {
        Ok(m) if m.is_file() && m.ino() == meta.ino() && m.dev() == meta.dev() => true,
        _ => {
            let _ = std::fs::remove_file(new);
            false
        }
    }
}

/// Without Unix's `O_NOFOLLOW` and inode numbers the check above cannot be
/// made safely: every file is written.
#[cfg(not(unix))]
pub fn link_if_unchanged(_old: &Path, _new: &Path, _bytes: &[u8]) -> bool {
    false
}

/// Whether the rest of `file` is exactly `bytes` (its length is known to
/// be theirs).
#[cfg(unix)]
fn same_bytes(file: &mut std::fs::File, bytes: &[u8]) -> bool {
    let mut block = [0u8; BLOCK];
    let mut at = 0;
    loop {
        match file.read(&mut block) {
            Ok(0) => return at == bytes.len(),
            Ok(n) => {
                if bytes.get(at..at + n) != Some(&block[..n]) {
                    return false;
                }
                at += n;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::MetadataExt;

    fn temp(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("kbgen-relink-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn same_bytes_are_linked_into_a_made_folder() {
        let dir = temp("same");
        let old = dir.join("old.html");
        let body = "x".repeat(BLOCK * 2 + 7);
        std::fs::write(&old, &body).unwrap();
        let new = dir.join("new/sub/page.html");
        assert!(link_if_unchanged(&old, &new, body.as_bytes()));
        let (a, b) = (
            std::fs::metadata(&old).unwrap(),
            std::fs::metadata(&new).unwrap(),
        );
        assert_eq!((a.ino(), a.dev()), (b.ino(), b.dev()));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn different_bytes_or_no_old_file_are_not_linked() {
        let dir = temp("differ");
        let old = dir.join("old.html");
        let body = "y".repeat(BLOCK + 3);
        std::fs::write(&old, &body).unwrap();
        let mut late = body.clone().into_bytes();
        *late.last_mut().unwrap() = b'z';
        let new = dir.join("new.html");
        // Same length, last byte differs (past the first block).
        assert!(!link_if_unchanged(&old, &new, &late));
        // Different length.
        assert!(!link_if_unchanged(&old, &new, b"short"));
        assert!(!link_if_unchanged(
            &dir.join("missing.html"),
            &new,
            b"short"
        ));
        assert!(!new.exists());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_symbolic_link_in_the_old_site_is_not_followed() {
        let dir = temp("symlink");
        let outside = dir.join("outside.html");
        std::fs::write(&outside, "same").unwrap();
        let old = dir.join("old.html");
        std::os::unix::fs::symlink(&outside, &old).unwrap();
        let new = dir.join("new.html");
        assert!(!link_if_unchanged(&old, &new, b"same"));
        assert!(std::fs::symlink_metadata(&new).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
