//! The preview's HTTP side: a tiny_http server drained by a pool of worker
//! threads. Files come only from the output folder (see [`super::paths`]);
//! HTML pages get the live-reload script; `/__kbgen/events` is a
//! Server-Sent Events stream and `/__kbgen/status` the current build state.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

use super::paths::{content_type, resolve};
use super::state::State;

/// The live-reload client, see `livereload.js`.
const LIVERELOAD_JS: &str = include_str!("livereload.js");
/// Used when the output has no `404.html` (e.g. the first build failed).
const FALLBACK_404: &str = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Not found</title></head>\n<body><h1>Not found</h1></body></html>\n";
/// Keeps idle live-reload connections alive and detects closed ones.
const PING_EVERY: Duration = Duration::from_secs(15);

/// Starts `workers` threads answering requests until the server is unblocked.
pub fn spawn_workers(
    server: &Arc<Server>,
    state: &Arc<State>,
    hosts: &Arc<HostCheck>,
    workers: usize,
) -> Vec<std::thread::JoinHandle<()>> {
    (0..workers.max(1))
        .filter_map(|i| {
            let server = Arc::clone(server);
            let state = Arc::clone(state);
            let hosts = Arc::clone(hosts);
            std::thread::Builder::new()
                .name(format!("kbgen-http-{i}"))
                .spawn(move || {
                    while let Ok(request) = server.recv() {
                        if let Some(request) = admit(request, &hosts) {
                            handle(request, &state);
                        }
                    }
                })
                .ok()
        })
        .collect()
}

/// Which `Host` headers the preview answers: a web page that rebinds its
/// own DNS name to 127.0.0.1 could otherwise read the private preview
/// (DNS rebinding). Such a request carries the attacker's name, so only
/// IP addresses the server is bound to, `localhost` (and `*.localhost`,
/// which browsers resolve to loopback) and names the user lists in
/// `[serve] allowed-hosts` pass. A request without `Host` (HTTP/1.0
/// tools) cannot come from a browser and passes too.
#[derive(Debug, Clone)]
pub struct HostCheck {
    bound: std::net::IpAddr,
    names: Vec<String>,
}

impl HostCheck {
    pub fn new(bound: std::net::IpAddr, names: &[String]) -> Self {
        HostCheck {
            bound,
            names: names.iter().map(|n| normalise_host(n)).collect(),
        }
    }

    pub fn allows(&self, host: Option<&str>) -> bool {
        let Some(host) = host else {
            return true;
        };
        let name = normalise_host(strip_port(host.trim()));
        if name == "localhost" || name.ends_with(".localhost") || self.names.contains(&name) {
            return true;
        }
        let literal = name.trim_start_matches('[').trim_end_matches(']');
        match literal.parse::<std::net::IpAddr>() {
            // Bound to every address (`--bind 0.0.0.0`): any address of
            // the machine is "the bound address".
            Ok(ip) => ip == self.bound || self.bound.is_unspecified(),
            Err(_) => false,
        }
    }
}

fn normalise_host(h: &str) -> String {
    h.trim_end_matches('.').to_ascii_lowercase()
}

/// `name:port` → `name`; `[v6]:port` → `[v6]`; a bare IPv6 address stays.
fn strip_port(host: &str) -> &str {
    if host.starts_with('[') {
        return host.find(']').map_or(host, |end| &host[..=end]);
    }
    match host.rsplit_once(':') {
        Some((name, port)) if !name.contains(':') && port.bytes().all(|b| b.is_ascii_digit()) => {
            name
        }
        _ => host,
    }
}

/// Refuses what must not reach [`handle`]: a `Host` that is not allowed
/// (403).
fn admit(request: Request, hosts: &HostCheck) -> Option<Request> {
    let host = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Host"))
        .map(|h| h.value.as_str().to_string());
    if !hosts.allows(host.as_deref()) {
        let text = format!(
            "kbgen serve does not answer for the host {:?}; if you opened the preview under this name, add it to `[serve] allowed-hosts` in book.toml\n",
            host.unwrap_or_default()
        );
        let _ = request.respond(Response::from_string(text).with_status_code(403));
        return None;
    }
    Some(request)
}

fn header(name: &str, value: &str) -> Option<Header> {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

fn with_headers<R: Read>(mut response: Response<R>, headers: &[(&str, &str)]) -> Response<R> {
    for (name, value) in headers {
        if let Some(h) = header(name, value) {
            response.add_header(h);
        }
    }
    response
}

/// Answers one request. Errors writing to the client only mean it went away.
pub fn handle(request: Request, state: &Arc<State>) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        let r = with_headers(
            Response::from_string("method not allowed\n"),
            &[("Allow", "GET, HEAD")],
        );
        let _ = request.respond(r.with_status_code(405));
        return;
    }
    let url = request.url().to_string();
    let (path, query) = match url.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (url.as_str(), None),
    };
    let path = path.split('#').next().unwrap_or("");
    let local = strip_base(path, state.base_path.as_deref());
    match local.as_str() {
        "/__kbgen/events" => return events(request, state),
        "/__kbgen/status" => {
            let r = Response::from_string(state.status_json());
            let r = with_headers(
                r,
                &[
                    ("Content-Type", "application/json"),
                    ("Cache-Control", "no-store"),
                ],
            );
            let _ = request.respond(r);
            return;
        }
        _ => {}
    }
    match resolve(&state.root, &local) {
        Some(file) => {
            let is_index = file.file_name().is_some_and(|n| n == "index.html");
            if is_index && !local.ends_with('/') && !local.ends_with("/index.html") {
                let target = match query {
                    Some(q) => format!("{path}/?{q}"),
                    None => format!("{path}/"),
                };
                let r = with_headers(Response::empty(301), &[("Location", &target)]);
                let _ = request.respond(r);
                return;
            }
            serve_file(request, state, &file, path, 200);
        }
        None => match resolve(&state.root, "/404.html") {
            Some(file) => serve_file(request, state, &file, path, 404),
            None => {
                let html = inject(FALLBACK_404, path, state);
                respond_bytes(request, html.into_bytes(), "text/html; charset=utf-8", 404);
            }
        },
    }
}

/// Requests under the site's base path are served as if from the root, so a
/// site with `site-url` works locally with its absolute links.
fn strip_base(path: &str, base: Option<&str>) -> String {
    if let Some(base) = base {
        if let Some(rest) = path.strip_prefix(base) {
            return format!("/{rest}");
        }
        if path == base.trim_end_matches('/') {
            return "/".into();
        }
    }
    path.to_string()
}

fn serve_file(request: Request, state: &State, file: &Path, url_path: &str, status: u16) {
    let ctype = content_type(file);
    if ctype.starts_with("text/html") {
        match std::fs::read(file) {
            Ok(bytes) => {
                let html = inject(&String::from_utf8_lossy(&bytes), url_path, state);
                respond_bytes(request, html.into_bytes(), ctype, status);
            }
            Err(_) => respond_bytes(request, b"not found\n".to_vec(), "text/plain", 404),
        }
        return;
    }
    match std::fs::File::open(file) {
        Ok(f) => {
            let r = Response::from_file(f).with_status_code(StatusCode(status));
            let r = with_headers(r, &[("Content-Type", ctype), ("Cache-Control", "no-store")]);
            let _ = request.respond(r);
        }
        Err(_) => respond_bytes(request, b"not found\n".to_vec(), "text/plain", 404),
    }
}

fn respond_bytes(request: Request, body: Vec<u8>, ctype: &str, status: u16) {
    let r = Response::from_data(body).with_status_code(StatusCode(status));
    let r = with_headers(r, &[("Content-Type", ctype), ("Cache-Control", "no-store")]);
    let _ = request.respond(r);
}

/// Adds the live-reload script before the last `</body>` (or at the end).
/// The event stream's URL is relative to the page, so the preview also
/// works behind a reverse proxy that mounts it under a sub-path.
pub fn inject(html: &str, url_path: &str, state: &State) -> String {
    let depth = url_path.matches('/').count().saturating_sub(1);
    let config = serde_json::json!({
        "prefix": "../".repeat(depth),
        "generation": state.generation(),
        "server": state.server_id,
    });
    let config = config.to_string().replace("</", "<\\/");
    let script = format!(
        "<script>{}</script>\n",
        LIVERELOAD_JS.replace("KBGEN_CONFIG", &config)
    );
    let at = html
        .to_ascii_lowercase()
        .rfind("</body>")
        .unwrap_or(html.len());
    let mut out = String::with_capacity(html.len() + script.len());
    out.push_str(&html[..at]);
    out.push_str(&script);
    out.push_str(&html[at..]);
    out
}

/// Streams build events to one browser tab on its own thread, so the
/// worker pool stays free. The first event (`hello`) carries the current
/// state, which is how newly opened pages show the current errors.
fn events(request: Request, state: &Arc<State>) {
    let Some(rx) = state.subscribe() else {
        respond_bytes(
            request,
            b"too many live-reload connections\n".to_vec(),
            "text/plain",
            503,
        );
        return;
    };
    let hello = format!(
        "retry: 1000\nevent: hello\ndata: {}\n\n",
        state.status_json()
    );
    let response = with_headers(
        Response::empty(200),
        &[
            ("Content-Type", "text/event-stream"),
            ("Cache-Control", "no-store"),
        ],
    );
    // `upgrade` hands over the raw connection after the headers: a normal
    // response body would be chunk-buffered by tiny_http and events delayed.
    let mut stream = request.upgrade("kbgen-events", response);
    let spawned = std::thread::Builder::new()
        .name("kbgen-sse".into())
        .spawn(move || {
            if stream
                .write_all(hello.as_bytes())
                .and_then(|()| stream.flush())
                .is_err()
            {
                return;
            }
            loop {
                let chunk: Arc<str> = match rx.recv_timeout(PING_EVERY) {
                    Ok(event) => event,
                    Err(RecvTimeoutError::Timeout) => Arc::from(": ping\n\n"),
                    Err(RecvTimeoutError::Disconnected) => return,
                };
                if stream
                    .write_all(chunk.as_bytes())
                    .and_then(|()| stream.flush())
                    .is_err()
                {
                    return;
                }
            }
        });
    drop(spawned);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_last_body_end_with_a_relative_prefix() {
        let state = State::new("/x".into(), None);
        let out = inject(
            "<html><body><p>x</p></BODY></html>",
            "/kbase/a.html",
            &state,
        );
        let script = out.find("<script>").unwrap();
        assert!(script < out.find("</BODY>").unwrap());
        assert!(out.contains("\"prefix\":\"../\""));
        let root = inject("<p>no body", "/", &state);
        assert!(root.starts_with("<p>no body<script>") && root.contains("\"prefix\":\"\""));
    }

    #[test]
    fn hosts_are_the_bound_address_localhost_and_configured_names() {
        let local = HostCheck::new("127.0.0.1".parse().unwrap(), &["Docs.Example.".into()]);
        for ok in [
            None,
            Some("127.0.0.1:3000"),
            Some("localhost:3000"),
            Some("LOCALHOST"),
            Some("kb.localhost:80"),
            Some("docs.example:3000"),
            Some("docs.example."),
        ] {
            assert!(local.allows(ok), "{ok:?}");
        }
        for bad in [
            Some("evil.example:3000"),
            Some("127.0.0.1.evil.example"),
            Some("localhost.evil.example"),
            Some("10.0.0.5:3000"),
            Some("[::1]:3000"),
            Some(""),
        ] {
            assert!(!local.allows(bad), "{bad:?}");
        }
        let any = HostCheck::new("0.0.0.0".parse().unwrap(), &[]);
        assert!(any.allows(Some("192.168.1.20:3000")) && any.allows(Some("[fe80::1]:3000")));
        assert!(!any.allows(Some("attacker.example")));
        let v6 = HostCheck::new("::1".parse().unwrap(), &[]);
        assert!(v6.allows(Some("[::1]:3000")) && !v6.allows(Some("127.0.0.1")));
    }

    #[test]
    fn base_path_is_stripped() {
        assert_eq!(strip_base("/docs/a.html", Some("/docs/")), "/a.html");
        assert_eq!(strip_base("/docs", Some("/docs/")), "/");
        assert_eq!(strip_base("/a.html", Some("/docs/")), "/a.html");
        assert_eq!(strip_base("/a.html", None), "/a.html");
    }
}
