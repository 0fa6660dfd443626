//! State shared by the builder and the HTTP workers: the current build
//! status and the live-reload subscribers. One `Arc<State>` per server, no
//! globals, so several servers (tests, benches) can run in one process.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::diag::Diagnostic;

/// Most live-reload connections served at once; each holds a thread.
pub const MAX_SUBSCRIBERS: usize = 64;

/// Outcome of the latest build, as browsers see it.
#[derive(Debug, Clone)]
struct Status {
    /// Counts good builds; a page compares it with the one it was served at.
    generation: u64,
    ok: bool,
    /// JSON array of the failed build's diagnostics.
    errors: String,
}

pub struct State {
    /// Canonical output folder: nothing outside it is ever served.
    pub root: PathBuf,
    /// Path part of `site-url`; requests under it are served as from the root.
    pub base_path: Option<String>,
    /// Changes on every start, so pages reload after a server restart.
    pub server_id: String,
    status: Mutex<Status>,
    subscribers: Mutex<Vec<Sender<Arc<str>>>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panicking holder cannot leave these values inconsistent, so recover.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl State {
    pub fn new(root: PathBuf, base_path: Option<String>) -> State {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        State {
            root,
            base_path: base_path.filter(|b| b != "/"),
            server_id: format!("{:x}-{:x}", std::process::id(), nanos),
            status: Mutex::new(Status {
                generation: 0,
                ok: true,
                errors: "[]".into(),
            }),
            subscribers: Mutex::new(Vec::new()),
        }
    }

    pub fn generation(&self) -> u64 {
        lock(&self.status).generation
    }

    /// Records a good build and tells every page to reload.
    pub fn publish_good(&self) {
        let generation = {
            let mut s = lock(&self.status);
            s.generation += 1;
            s.ok = true;
            s.errors = "[]".into();
            s.generation
        };
        self.broadcast(&format!(
            "event: reload\ndata: {{\"generation\":{generation}}}\n\n"
        ));
    }

    /// Records a failed build; pages show its errors over the last good output.
    pub fn publish_errors(&self, diags: &[Diagnostic]) {
        let errors = errors_json(diags);
        {
            let mut s = lock(&self.status);
            s.ok = false;
            s.errors = errors.clone();
        }
        self.broadcast(&format!("event: errors\ndata: {errors}\n\n"));
    }

    /// `/__kbgen/status` and the first event of every live-reload connection.
    pub fn status_json(&self) -> String {
        let s = lock(&self.status).clone();
        format!(
            "{{\"server\":{},\"generation\":{},\"ok\":{},\"errors\":{}}}",
            serde_json::Value::String(self.server_id.clone()),
            s.generation,
            s.ok,
            s.errors
        )
    }

    /// A new live-reload subscriber, or `None` when there are too many.
    pub fn subscribe(&self) -> Option<Receiver<Arc<str>>> {
        let mut subs = lock(&self.subscribers);
        if subs.len() >= MAX_SUBSCRIBERS {
            subs.retain(|s| s.send(Arc::from(": ping\n\n")).is_ok());
            if subs.len() >= MAX_SUBSCRIBERS {
                return None;
            }
        }
        let (tx, rx) = channel();
        subs.push(tx);
        Some(rx)
    }

    fn broadcast(&self, event: &str) {
        let event: Arc<str> = Arc::from(event);
        lock(&self.subscribers).retain(|s| s.send(event.clone()).is_ok());
    }
}

/// The errors of a build as a JSON array: `render_json`'s fields plus the
/// source line, which the overlay shows under the message.
pub fn errors_json(diags: &[Diagnostic]) -> String {
    let items: Vec<serde_json::Value> = diags
        .iter()
        .filter(|d| d.severity.is_error())
        .map(|d| {
            let mut v: serde_json::Value =
                serde_json::from_str(&d.render_json()).unwrap_or(serde_json::Value::Null);
            if let Some(obj) = v.as_object_mut() {
                obj.insert("source_line".into(), d.source_line.clone().into());
            }
            v
        })
        .collect();
    serde_json::Value::Array(items).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_reach_subscribers_and_status_follows() {
        let state = State::new("/x".into(), None);
        let rx = state.subscribe().unwrap();
        state.publish_errors(&[Diagnostic::error("rst-error", "bad </script>")]);
        let ev = rx.recv().unwrap();
        assert!(ev.starts_with("event: errors\ndata: [{"), "{ev}");
        // One `event:` line, one `data:` line (JSON never spans lines), one blank line.
        assert_eq!(ev.matches('\n').count(), 3, "{ev}");
        assert!(state.status_json().contains("\"ok\":false"));
        state.publish_good();
        assert_eq!(
            &*rx.recv().unwrap(),
            "event: reload\ndata: {\"generation\":1}\n\n"
        );
        assert!(state.status_json().contains("\"ok\":true,\"errors\":[]"));
    }
}
