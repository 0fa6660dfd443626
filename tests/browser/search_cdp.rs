//! A minimal Chrome DevTools Protocol client for browser tests: launches
//! headless Chromium, talks to its first page over a hand-written
//! WebSocket (text frames only, which is all CDP uses), and offers the few
//! commands the tests need. No dependency beyond serde_json.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const TIMEOUT: Duration = Duration::from_secs(30);

pub struct Browser {
    child: Child,
    profile: PathBuf,
    ws: TcpStream,
    next_id: u64,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn chromium() -> Option<PathBuf> {
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.exists())
}

impl Browser {
    /// Starts Chromium and connects to its page; `None` when it is not installed.
    pub fn launch() -> Option<Browser> {
        let exe = chromium()?;
        let profile = std::env::temp_dir().join(
            format!(
                "kbgen-chromium-{}-{:?}",
                std::process::id(),
                std::thread::current().id()
            )
            .replace(['(', ')'], ""),
        );
        let _ = std::fs::remove_dir_all(&profile);
        std::fs::create_dir_all(&profile).ok()?;
        let child = Command::new(exe)
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
                "about:blank",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let port_file = profile.join("DevToolsActivePort");
        let start = Instant::now();
        let port = loop {
            if let Ok(text) = std::fs::read_to_string(&port_file)
                && let Some(p) = text
                    .lines()
                    .next()
                    .and_then(|l| l.trim().parse::<u16>().ok())
            {
                break p;
            }
            assert!(start.elapsed() < TIMEOUT, "chromium did not start");
            std::thread::sleep(Duration::from_millis(50));
        };
        let ws_url = loop {
            let list = http_get(port, "/json/list");
            let pages: Value = serde_json::from_str(&list).unwrap_or(Value::Null);
            let url = pages.as_array().and_then(|a| {
                a.iter()
                    .find(|p| p["type"] == "page")
                    .and_then(|p| p["webSocketDebuggerUrl"].as_str().map(str::to_string))
            });
            if let Some(u) = url {
                break u;
            }
            assert!(start.elapsed() < TIMEOUT, "no page target");
            std::thread::sleep(Duration::from_millis(50));
        };
        let path = ws_url
            .splitn(4, '/')
            .nth(3)
            .map(|p| format!("/{p}"))
            .unwrap_or_default();
        let ws = ws_connect(port, &path);
        let mut b = Browser {
            child,
            profile,
            ws,
            next_id: 0,
        };
        b.call("Page.enable", json!({}));
        Some(b)
    }

    /// Sends a command and waits for its reply, skipping events.
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let msg = json!({ "id": id, "method": method, "params": params }).to_string();
        ws_send(&mut self.ws, msg.as_bytes());
        let start = Instant::now();
        loop {
            let text = ws_recv(&mut self.ws);
            let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            if v["id"] == id {
                return v;
            }
            assert!(start.elapsed() < TIMEOUT, "no reply to {method}");
        }
    }

    pub fn navigate(&mut self, url: &str) {
        self.call("Page.navigate", json!({ "url": url }));
    }

    /// Value of a JavaScript expression (JSON-able); `Null` on errors, such
    /// as evaluating while a navigation replaces the page.
    pub fn eval(&mut self, expr: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({ "expression": expr, "returnByValue": true }),
        );
        r["result"]["result"]["value"].clone()
    }

    /// Polls `expr` until it is `true`.
    pub fn wait_for(&mut self, expr: &str) {
        let start = Instant::now();
        while self.eval(expr) != Value::Bool(true) {
            let state = self.eval(
                "location.href + ' ' + document.readyState + ' | ' + (document.querySelector('.kb-search') || document.body).textContent.slice(0, 300) + ' | ' + (document.querySelector('.kb-search-input') || {}).value + ' | ' + typeof window.KBGEN_SEARCH_INDEX",
            );
            assert!(
                start.elapsed() < TIMEOUT,
                "timed out waiting for {expr} (at {state})"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// A key press as a person makes it (keyDown with text, keyUp).
    pub fn key(&mut self, key: &str, code: &str, key_code: u32, text: &str) {
        self.call(
            "Input.dispatchKeyEvent",
            json!({
                // Keys that type nothing (arrows) are raw key downs.
                "type": if text.is_empty() { "rawKeyDown" } else { "keyDown" },
                "key": key, "code": code, "windowsVirtualKeyCode": key_code, "text": text
            }),
        );
        self.call(
            "Input.dispatchKeyEvent",
            json!({ "type": "keyUp", "key": key, "code": code, "windowsVirtualKeyCode": key_code }),
        );
    }

    /// Types text into the focused element (fires `input`).
    pub fn insert_text(&mut self, text: &str) {
        self.call("Input.insertText", json!({ "text": text }));
    }
}

fn http_get(port: u16, path: &str) -> String {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
        return String::new();
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    );
    // DevTools keeps the connection open: read the headers, then exactly
    // Content-Length bytes.
    let mut reader = BufReader::new(s);
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return String::new();
        }
        if line == "\r\n" {
            break;
        }
        if let Some((k, v)) = line.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            length = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0u8; length];
    if reader.read_exact(&mut body).is_err() {
        return String::new();
    }
    String::from_utf8_lossy(&body).into_owned()
}

fn ws_connect(port: u16, path: &str) -> TcpStream {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect to devtools");
    s.set_read_timeout(Some(TIMEOUT)).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(s.try_clone().unwrap());
    let mut status = String::new();
    reader.read_line(&mut status).unwrap();
    assert!(
        status.contains(" 101 "),
        "websocket upgrade refused: {status}"
    );
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        if line == "\r\n" || line.is_empty() {
            break;
        }
    }
    s
}

/// One masked text frame (clients must mask).
fn ws_send(s: &mut TcpStream, payload: &[u8]) {
    let mask = [0x12u8, 0x34, 0x56, 0x78];
    let mut frame = vec![0x81u8];
    match payload.len() {
        n if n < 126 => frame.push(0x80 | n as u8),
        n if n <= 0xffff => {
            frame.push(0x80 | 126);
            frame.extend_from_slice(&(n as u16).to_be_bytes());
        }
        n => {
            frame.push(0x80 | 127);
            frame.extend_from_slice(&(n as u64).to_be_bytes());
        }
    }
    frame.extend_from_slice(&mask);
    frame.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
    s.write_all(&frame).unwrap();
}

/// Reads one message (joining continuation frames); answers pings.
fn ws_recv(s: &mut TcpStream) -> String {
    let mut message = Vec::new();
    loop {
        let mut head = [0u8; 2];
        s.read_exact(&mut head).expect("devtools frame");
        let fin = head[0] & 0x80 != 0;
        let opcode = head[0] & 0x0f;
        let mut len = u64::from(head[1] & 0x7f);
        if len == 126 {
            let mut b = [0u8; 2];
            s.read_exact(&mut b).unwrap();
            len = u64::from(u16::from_be_bytes(b));
        } else if len == 127 {
            let mut b = [0u8; 8];
            s.read_exact(&mut b).unwrap();
            len = u64::from_be_bytes(b);
        }
        let mut payload = vec![0u8; len as usize];
        s.read_exact(&mut payload).unwrap();
        match opcode {
            0x9 => {
                // Ping: answer with a masked pong.
                let mask = [0u8; 4];
                let mut pong = vec![0x8a, 0x80 | payload.len().min(125) as u8];
                pong.extend_from_slice(&mask);
                pong.extend_from_slice(&payload[..payload.len().min(125)]);
                s.write_all(&pong).unwrap();
                continue;
            }
            0x8 => panic!("devtools closed the connection"),
            _ => message.extend_from_slice(&payload),
        }
        if fin {
            return String::from_utf8_lossy(&message).into_owned();
        }
    }
}
