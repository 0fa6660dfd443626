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

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
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

/// Keeps the watcher alive; dropping it stops watching.
pub struct WatchHandle {
    _watcher: Arc<Mutex<RecommendedWatcher>>,
}

/// Starts watching. Every debounced change set is passed to `on_change`
/// on a dedicated thread.
///
/// A watch is attached to a folder, not to its path: when the content
/// folder or the theme is replaced (a branch checkout, `mv` away and back),
/// the old watch dies with the old folder. The folders holding them are
/// watched too, so the replacement is seen; every full rebuild then watches
/// the current folders again.
pub fn spawn(
    layout: Layout,
    mut on_change: impl FnMut(ChangeSet) + Send + 'static,
) -> Result<WatchHandle, Diagnostic> {
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
    let watcher = Arc::new(Mutex::new(watcher));
    let rewatch = Arc::clone(&watcher);
    std::thread::Builder::new()
        .name("kbgen-watch".into())
        .spawn(move || {
            while let Some(changes) = next_changes(&rx, &layout) {
                if changes.full {
                    watch_again(&rewatch, &layout);
                }
                if !changes.is_empty() {
                    on_change(changes);
                }
            }
        })
        .map_err(|e| Diagnostic::error("watch", format!("cannot start the watcher thread: {e}")))?;
    Ok(WatchHandle { _watcher: watcher })
}

/// Watches the layout's folders again after a full change: a folder that
/// was replaced gets a new watch, one that is gone (for now) is skipped and
/// picked up by the next full change, when it comes back.
fn watch_again(watcher: &Mutex<RecommendedWatcher>, layout: &Layout) {
    let mut watcher = match watcher.lock() {
        Ok(w) => w,
        Err(poisoned) => poisoned.into_inner(),
    };
    for (path, mode) in watch_list(layout) {
        let _ = watcher.unwatch(&path);
        let _ = watcher.watch(&path, mode);
    }
}

fn watch_list(layout: &Layout) -> Vec<(PathBuf, RecursiveMode)> {
    let mut list = Vec::new();
    if layout.source_dir.is_dir() {
        list.push((layout.source_dir.clone(), RecursiveMode::Recursive));
    }
    if layout.theme_dir.is_dir() {
        list.push((layout.theme_dir.clone(), RecursiveMode::Recursive));
    }
    // The folders holding the watched folders, so replacing one is seen.
    let parents = [&layout.source_dir, &layout.theme_dir]
        .into_iter()
        .filter_map(|d| d.parent());
    let singles = std::iter::once(&layout.config).chain(&layout.schemas);
    let mut folders: Vec<PathBuf> = parents.map(Path::to_path_buf).collect();
    folders.extend(singles.filter_map(|f| f.parent()).map(Path::to_path_buf));
    for dir in folders.into_iter().filter(|d| d.is_dir()) {
        let covered = list
            .iter()
            .any(|(p, m)| dir == *p || (*m == RecursiveMode::Recursive && dir.starts_with(p)));
        if !covered {
            list.push((dir, RecursiveMode::NonRecursive));
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
