//! End to end: `kbgen serve` with headless Chromium driven over the
//! DevTools protocol. A page edited on disk shows its new text without a
//! manual reload; a build error shows the overlay with the file and line
//! (also on a newly opened page), and fixing it removes the overlay.
//!
//! The error used is a malformed XML example, with `[xml] malformed =
//! "error"` so that it fails the build. Skipped with a notice when
//! Chromium is not installed (set `KBGEN_CHROMIUM` to use another binary).

mod serve_support;

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use serve_support::{TempDir, get, make_site, write};
use tungstenite::{Message, WebSocket};

/// Kills the child process (one we started) when the test ends, even on failure.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("KBGEN_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| "/usr/bin/chromium".into());
    path.is_file().then_some(path)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_until<T>(what: &str, timeout: Duration, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A minimal DevTools protocol client: `Runtime.evaluate` only.
struct DevTools {
    ws: WebSocket<TcpStream>,
    next_id: u64,
}

impl DevTools {
    fn connect(profile: &Path) -> DevTools {
        let port_file = profile.join("DevToolsActivePort");
        let port: u16 = wait_until("DevToolsActivePort", Duration::from_secs(30), || {
            std::fs::read_to_string(&port_file)
                .ok()?
                .lines()
                .next()?
                .trim()
                .parse()
                .ok()
        });
        let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
        let ws_url = wait_until("a page target", Duration::from_secs(30), || {
            let list: Value = serde_json::from_slice(&get(addr, "/json/list").body).ok()?;
            let page = list.as_array()?.iter().find(|t| t["type"] == "page")?;
            Some(page["webSocketDebuggerUrl"].as_str()?.to_string())
        });
        let stream = TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        let (ws, _) = tungstenite::client(ws_url.as_str(), stream).unwrap();
        DevTools { ws, next_id: 1 }
    }

    /// Evaluates `expr` in the page; `None` when the page is between loads.
    fn eval(&mut self, expr: &str) -> Option<Value> {
        let id = self.next_id;
        self.next_id += 1;
        let msg = json!({"id": id, "method": "Runtime.evaluate", "params": {"expression": expr, "returnByValue": true}});
        self.ws.send(Message::Text(msg.to_string())).unwrap();
        loop {
            let Message::Text(text) = self.ws.read().unwrap() else {
                continue;
            };
            let v: Value = serde_json::from_str(&text).unwrap();
            if v["id"] == id {
                return v["result"]["result"].get("value").cloned();
            }
        }
    }

    fn wait_for(&mut self, what: &str, expr: &str) {
        // Only `true` counts: an empty string or `null` (a page still
        // loading) must not pass for a match.
        wait_until(what, Duration::from_secs(20), || {
            self.eval(&format!("({expr}) === true"))
                .filter(|v| *v == json!(true))
        });
    }
}

fn start_server(root: &Path, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_kbgen"))
        .args(["serve", "--port", &port.to_string(), "--config"])
        .arg(root.join("book.toml"))
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap()
}

const BODY_TEXT: &str = "(document.body ? document.body.innerText : '')";
const OVERLAY_SHOWN: &str = "!!document.getElementById('kbgen-overlay')";
const OVERLAY: &str =
    "(function(){var o=document.getElementById('kbgen-overlay');return o?o.textContent:false;})()";

#[test]
fn live_reload_and_error_overlay_in_chromium() {
    let Some(chromium) = chromium() else {
        eprintln!("notice: chromium not found (set KBGEN_CHROMIUM); skipping the browser test");
        return;
    };
    let tmp = TempDir::new("browser");
    let root = tmp.path();
    make_site(
        root,
        &[
            ("guide/page.rst", "Original text of the page\n"),
            ("other.rst", "Another page\n"),
        ],
    );
    let config = std::fs::read_to_string(root.join("book.toml")).unwrap();
    std::fs::write(
        root.join("book.toml"),
        format!("{config}\n[xml]\nmalformed = \"error\"\n"),
    )
    .unwrap();
    let port = free_port();
    let mut server = Some(Guard(start_server(root, port)));
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    wait_until("the server", Duration::from_secs(20), || {
        TcpStream::connect(addr)
            .ok()
            .map(|_| get(addr, "/__kbgen/status").status == 200)?
            .then_some(())
    });

    let profile = root.join("chromium-profile");
    let browser = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--remote-debugging-port=0",
            "--remote-allow-origins=*",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("http://127.0.0.1:{port}/guide/page.html"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let _browser = Guard(browser);
    let mut dt = DevTools::connect(&profile);

    dt.wait_for(
        "the page",
        &format!("{BODY_TEXT} && {BODY_TEXT}.includes('Original text')"),
    );
    // The live-reload connection is up once the server counts this tab.
    std::thread::sleep(Duration::from_millis(500));

    write(
        &root.join("content/guide/page.rst"),
        "Edited text of the page\n",
    );
    dt.wait_for(
        "the edited text",
        &format!("{BODY_TEXT} && {BODY_TEXT}.includes('Edited text')"),
    );

    let broken =
        "Edited text of the page\n\nExample::\n\n   <domain>\n     <name>x</nam>\n   </domain>\n";
    write(&root.join("content/guide/page.rst"), broken);
    dt.wait_for("the overlay", OVERLAY_SHOWN);
    let overlay = dt.eval(OVERLAY).unwrap_or_default();
    let overlay = overlay.as_str().unwrap_or_default().to_string();
    assert!(
        overlay.contains("guide/page.rst:6:13"),
        "overlay names file, line and column: {overlay}"
    );
    assert!(
        overlay.contains("<name>x</nam>") && overlay.contains("not well-formed"),
        "overlay shows the message and the source line: {overlay}"
    );
    let body = dt.eval("document.documentElement.outerHTML");
    let body = body.as_ref().and_then(Value::as_str).unwrap_or_default();
    assert!(
        body.contains("<p>Edited text"),
        "last good page stays: {body}"
    );

    // A page opened while the error stands shows it too.
    dt.eval("location.href = '../other.html'; true");
    dt.wait_for("the other page", &format!("location.pathname == '/other.html' && {BODY_TEXT} && {BODY_TEXT}.includes('Another page')"));
    dt.wait_for("the overlay on a new page", OVERLAY_SHOWN);
    let overlay = dt.eval(OVERLAY).unwrap_or_default();
    assert!(
        overlay
            .as_str()
            .unwrap_or_default()
            .contains("guide/page.rst:6:13")
    );

    write(
        &root.join("content/guide/page.rst"),
        "Fixed text of the page\n",
    );
    dt.wait_for("the overlay to go", &format!("!document.getElementById('kbgen-overlay') && {BODY_TEXT} && {BODY_TEXT}.includes('Another page')"));
    dt.eval("location.href = 'guide/page.html'; true");
    dt.wait_for(
        "the fixed page",
        &format!("{BODY_TEXT}.includes('Fixed text') && !document.getElementById('kbgen-overlay')"),
    );

    // The server restarts while the page is open: the page reconnects and,
    // seeing a new server, reloads to show what changed meanwhile.
    drop(server.take());
    write(
        &root.join("content/guide/page.rst"),
        "Text after the restart\n",
    );
    server = Some(Guard(start_server(root, port)));
    dt.wait_for(
        "the page after a restart",
        &format!("{BODY_TEXT}.includes('Text after the restart')"),
    );
    drop(server);
}
