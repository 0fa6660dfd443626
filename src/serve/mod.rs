//! `kbgen serve`: build the site, serve it on localhost, rebuild what
//! changed when a file is saved, and reload the open pages.
//!
//! Threads: the accept loop and one thread per connection ([`server`];
//! answers in [`http`]; a live-reload stream keeps its connection's thread),
//! and the watcher thread ([`watch`]) that owns the [`Engine`] and runs
//! every rebuild, so builds never overlap. Everything they share is in one [`State`].
//!
//! Limits: the output folder, `site-url` and the list of watched schemas are
//! read once at start-up; changing them in `book.toml` needs a restart.

pub mod classify;
pub mod http;
pub mod paths;
pub mod server;
pub mod state;
pub mod watch;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use crate::diag::{Diagnostic, MessageFormat, print_diagnostics};
use crate::site::BuildOptions;
use crate::site::{Engine, RebuildOutcome};
use crate::source::canonical_path;

pub use state::State;

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub config: PathBuf,
    pub port: u16,
    pub bind: IpAddr,
    /// Open the preview in a browser once it is up.
    pub open: bool,
    /// Print build reports (off in benches and tests that only time things).
    pub verbose: bool,
}

/// A running preview. Dropping it does not stop it; call [`Running::stop`].
pub struct Running {
    pub addr: SocketAddr,
    pub state: Arc<State>,
    server: server::Server,
    _watcher: watch::WatchHandle,
}

impl Running {
    /// Stops accepting connections; open ones end on their own.
    pub fn stop(self) {
        self.server.stop();
    }
}

/// Builds the site, binds the port and starts watching and serving.
pub fn start(opts: &ServeOptions) -> Result<Running, Diagnostic> {
    let build_opts = BuildOptions {
        config_path: opts.config.clone(),
        dest: None,
        write: true,
        force: false,
    };
    // Bind first: a port in use is reported before anything is built.
    let addr = SocketAddr::new(opts.bind, opts.port);
    let listener = TcpListener::bind(addr).map_err(|e| bind_error(addr, &e))?;
    let addr = listener.local_addr().unwrap_or(addr);
    let t = Instant::now();
    let (session, first) = Engine::start(build_opts)?;
    report(opts, &first, t);
    let site = session.site();
    let root = site.output_dir.canonicalize().map_err(|e| {
        Diagnostic::error("io", format!("cannot open the output folder: {e}"))
            .in_file(&site.output_dir)
    })?;
    let layout = classify::Layout {
        config: canonical_path(&opts.config),
        source_dir: canonical_path(&site.source_dir),
        output_dir: root.clone(),
        theme_dir: canonical_path(&site.theme_dir),
        schemas: site
            .config
            .xml
            .schemas
            .values()
            .map(|p| canonical_path(&site.root.join(p)))
            .collect(),
    };
    let hosts = http::HostCheck::new(addr.ip(), &site.config.serve.allowed_hosts);
    let state = Arc::new(State::new(root, site.config.base_path()));
    if !first.ok && first.report.errors() > 0 {
        state.publish_errors(&first.report.diagnostics);
    }
    let watcher = {
        let state = Arc::clone(&state);
        let opts = opts.clone();
        let mut session = session;
        watch::spawn(layout, move |changes| {
            let t = Instant::now();
            // Pages first: the browser reloads as soon as they are written.
            // The search index, which depends on every page, follows; pages
            // load it only when the reader searches.
            let mut outcome = session.rebuild_pages(&changes);
            if outcome.ok {
                state.publish_good();
            } else {
                state.publish_errors(&outcome.report.diagnostics);
            }
            report(&opts, &outcome, t);
            if outcome.ok
                && let Err(d) = session.refresh_search()
            {
                outcome.report.push(d);
                state.publish_errors(&outcome.report.diagnostics);
                report(&opts, &outcome, t);
            }
        })?
    };
    // Serve last: once the server answers, edits are already watched.
    let handler = Arc::new(http::handler(Arc::clone(&state), hosts));
    let server = server::Server::start(listener, handler)
        .map_err(|e| Diagnostic::error("serve", format!("cannot serve on {addr}: {e}")))?;
    Ok(Running {
        addr,
        state,
        server,
        _watcher: watcher,
    })
}

/// `kbgen serve`: runs until Ctrl-C. `Err` when the preview cannot start
/// (configuration, output folder, port); the CLI maps it to an exit status.
pub fn run(opts: &ServeOptions) -> Result<(), Diagnostic> {
    let running = start(opts)?;
    let url = format!("http://{}/", running.addr);
    eprintln!("serving {url} (Ctrl-C to stop)");
    if !running.addr.ip().is_loopback() {
        eprintln!(
            "note: the preview is reachable from other machines on {}",
            running.addr.ip()
        );
    }
    if opts.open {
        open_browser(&url);
    }
    let (tx, rx) = std::sync::mpsc::channel();
    if let Err(e) = ctrlc::set_handler(move || {
        let _ = tx.send(());
    }) {
        eprintln!("warning: cannot handle Ctrl-C ({e}); stop the server with a signal");
    }
    let _ = rx.recv();
    eprintln!("stopping");
    running.stop();
    Ok(())
}

fn report(opts: &ServeOptions, outcome: &RebuildOutcome, since: Instant) {
    if !opts.verbose {
        return;
    }
    print_diagnostics(&outcome.report.diagnostics, MessageFormat::Human);
    let ms = since.elapsed().as_secs_f64() * 1000.0;
    if outcome.ok {
        eprintln!(
            "built in {ms:.1} ms: {} page(s) rendered, {} file(s) written",
            outcome.rendered,
            outcome.changed.len()
        );
    } else {
        eprintln!(
            "build failed in {ms:.1} ms with {} error(s); still serving the last good build",
            outcome.report.errors()
        );
    }
}

fn bind_error(addr: SocketAddr, e: &std::io::Error) -> Diagnostic {
    let d = Diagnostic::error("serve", format!("cannot listen on {addr}: {e}"));
    if e.kind() == std::io::ErrorKind::AddrInUse {
        d.with_help(format!(
            "port {} is in use; choose another one with --port",
            addr.port()
        ))
    } else {
        d.with_help("choose another address with --bind or port with --port")
    }
}

/// Best effort: a missing opener only means the user opens the URL.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let _ = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}
