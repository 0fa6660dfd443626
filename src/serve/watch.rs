//! File watching: notify on the content folder, the theme folder, the
//! folder of `book.toml` and the schemas' folders, with events debounced
//! into one [`ChangeSet`].
//!
//! Editors save in bursts (write a temporary file, rename it over the page,
//! delete a backup), so events are collected until the watcher has been
//! quiet for [`QUIET`] and coalesced; a rename-over shows up as an event on
//! the page's own path, which is all the classifier needs. Folders are
//! watched rather than files because a rename-over replaces the file a
//! per-file watch would be attached to.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, CreateKind, EventKind, ModifyKind};
use notify::{RecommendedWatcher, RecursiveMode, Watcher};

use crate::diag::Diagnostic;
use crate::site::ChangeSet;

use super::classify::{Change, Layout, classify};

/// A burst of events ends after this long without a new one.
pub const QUIET: Duration = Duration::from_millis(40);
/// A continuous stream of events is still built at least this often.
pub const MAX_WAIT: Duration = Duration::from_millis(250);

/// Starts watching; the returned watcher must be kept alive. Every
/// debounced change set is passed to `on_change` on a dedicated thread.
pub fn spawn(
    layout: Layout,
    mut on_change: impl FnMut(ChangeSet) + Send + 'static,
) -> Result<RecommendedWatcher, Diagnostic> {
    let (tx, rx) = channel::<notify::Result<notify::Event>>();
    let mut watcher = notify::recommended_watcher(move |ev| {
        let _ = tx.send(ev);
    })
    .map_err(|e| Diagnostic::error("watch", format!("cannot watch files: {e}")))?;
    for (path, mode) in watch_list(&layout) {
        watcher.watch(&path, mode).map_err(|e| {
            Diagnostic::error("watch", format!("cannot watch {}: {e}", path.display()))
                .in_file(&path)
        })?;
    }
    std::thread::Builder::new()
        .name("kbgen-watch".into())
        .spawn(move || {
            while let Some(changes) = next_changes(&rx, &layout) {
                if !changes.is_empty() {
                    on_change(changes);
                }
            }
        })
        .map_err(|e| Diagnostic::error("watch", format!("cannot start the watcher thread: {e}")))?;
    Ok(watcher)
}

fn watch_list(layout: &Layout) -> Vec<(PathBuf, RecursiveMode)> {
    let mut list = vec![(layout.source_dir.clone(), RecursiveMode::Recursive)];
    if layout.theme_dir.is_dir() {
        list.push((layout.theme_dir.clone(), RecursiveMode::Recursive));
    }
    let singles = std::iter::once(&layout.config).chain(&layout.schemas);
    for file in singles {
        if let Some(dir) = file.parent().filter(|d| d.is_dir()) {
            let covered = list
                .iter()
                .any(|(p, m)| dir == p || (*m == RecursiveMode::Recursive && dir.starts_with(p)));
            if !covered {
                list.push((dir.to_path_buf(), RecursiveMode::NonRecursive));
            }
        }
    }
    list
}

/// Waits for the next burst of events and classifies it; `None` when the
/// watcher is gone.
fn next_changes(
    rx: &Receiver<notify::Result<notify::Event>>,
    layout: &Layout,
) -> Option<ChangeSet> {
    let mut changes = ChangeSet::default();
    add_event(&mut changes, rx.recv().ok()?, layout);
    let start = Instant::now();
    loop {
        let left = MAX_WAIT.saturating_sub(start.elapsed());
        if left.is_zero() {
            break;
        }
        match rx.recv_timeout(QUIET.min(left)) {
            Ok(ev) => add_event(&mut changes, ev, layout),
            Err(RecvTimeoutError::Timeout) => break,
            Err(RecvTimeoutError::Disconnected) => return None,
        }
    }
    Some(changes)
}

fn add_event(changes: &mut ChangeSet, ev: notify::Result<notify::Event>, layout: &Layout) {
    let ev = match ev {
        Ok(ev) => ev,
        // The watcher lost track (queue overflow, watched folder gone): rebuild everything.
        Err(_) => {
            changes.full = true;
            return;
        }
    };
    if ev.need_rescan() {
        changes.full = true;
        return;
    }
    if !is_content_change(&ev.kind) {
        return;
    }
    for path in &ev.paths {
        match classify(layout, path) {
            Change::Ignore => {}
            Change::Page(rel) => {
                changes.pages.insert(rel);
            }
            Change::Full => changes.full = true,
        }
    }
}

/// Opening or reading a file (the build itself does) and metadata-only
/// changes are not edits; reacting to them would rebuild in a loop.
///
/// On Linux, inotify also reports when a writer closes a file, so the
/// creation and data events that come before it are skipped: a save is
/// truncate + write + close, and building after the truncate (the process
/// may be descheduled in between) would publish an empty page.
fn is_content_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Modify(ModifyKind::Data(_)) | EventKind::Create(CreateKind::File) => {
            !cfg!(target_os = "linux")
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_not_edits() {
        assert!(!is_content_change(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(is_content_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(is_content_change(&EventKind::Modify(ModifyKind::Any)));
        let renamed = ModifyKind::Name(notify::event::RenameMode::To);
        assert!(is_content_change(&EventKind::Modify(renamed)));
        let data = EventKind::Modify(ModifyKind::Data(notify::event::DataChange::Any));
        assert_eq!(is_content_change(&data), !cfg!(target_os = "linux"));
        assert!(is_content_change(&EventKind::Remove(
            notify::event::RemoveKind::File
        )));
    }
}
