//! The preview's answers: files only from the output folder (see
//! [`super::paths`]); HTML pages get the live-reload script;
//! `/__kbgen/events` is a Server-Sent Events stream and `/__kbgen/status`
//! the current build state. The connection layer is [`super::server`].

use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

use super::paths::{content_type, resolve};
use super::server::{Answer, Body, Method, Request, Response};
use super::state::State;

/// The live-reload client, see `livereload.js`.
const LIVERELOAD_JS: &str = include_str!("livereload.js");
/// Used when the output has no `404.html` (e.g. the first build failed).
const FALLBACK_404: &str = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Not found</title></head>\n<body><h1>Not found</h1></body></html>\n";
/// Keeps idle live-reload connections alive and detects closed ones.
const PING_EVERY: Duration = Duration::from_secs(15);

/// The whole preview as one handler: the `Host` check, then [`handle`].
pub fn handler(state: Arc<State>, hosts: HostCheck) -> impl Fn(&Request) -> Answer + Send + Sync {
    move |request| match refuse_host(request, &hosts) {
        Some(refusal) => Answer::Respond(refusal),
        None => handle(request, &state),
    }
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

/// The 403 for a `Host` that is not allowed, which must not reach
/// [`handle`].
fn refuse_host(request: &Request, hosts: &HostCheck) -> Option<Response> {
    if hosts.allows(request.host.as_deref()) {
        return None;
    }
    let text = format!(
        "kbgen serve does not answer for the host {:?}; if you opened the preview under this name, add it to `[serve] allowed-hosts` in book.toml\n",
        request.host.as_deref().unwrap_or_default()
    );
    Some(Response::text(403, text))
}

/// Answers one request.
pub fn handle(request: &Request, state: &Arc<State>) -> Answer {
    if !matches!(request.method, Method::Get | Method::Head) {
        return Answer::Respond(
            Response::text(405, "method not allowed\n").with_header("Allow", "GET, HEAD"),
        );
    }
    let url = request.target.as_str();
    let (path, query) = match url.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (url, None),
    };
    let path = path.split('#').next().unwrap_or("");
    let local = strip_base(path, state.base_path.as_deref());
    match local.as_str() {
        "/__kbgen/events" => return events(state),
        "/__kbgen/status" => {
            return Answer::Respond(Response::bytes(
                200,
                "application/json",
                state.status_json().into_bytes(),
            ));
        }
        _ => {}
    }
    let response = match resolve(&state.root, &local) {
        Some(file) => {
            let is_index = file.file_name().is_some_and(|n| n == "index.html");
            if is_index && !local.ends_with('/') && !local.ends_with("/index.html") {
                let target = match query {
                    Some(q) => format!("{path}/?{q}"),
                    None => format!("{path}/"),
                };
                Response::bytes(301, "text/plain", Vec::new()).with_header("Location", target)
            } else {
                serve_file(state, &file, path, 200)
            }
        }
        None => match resolve(&state.root, "/404.html") {
            Some(file) => serve_file(state, &file, path, 404),
            None => {
                let html = inject(FALLBACK_404, path, state);
                Response::bytes(404, "text/html; charset=utf-8", html.into_bytes())
            }
        },
    };
    Answer::Respond(response)
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

fn serve_file(state: &State, file: &Path, url_path: &str, status: u16) -> Response {
    let ctype = content_type(file);
    let not_found = || Response::text(404, "not found\n");
    if ctype.starts_with("text/html") {
        return match std::fs::read(file) {
            Ok(bytes) => {
                let html = inject(&String::from_utf8_lossy(&bytes), url_path, state);
                Response::bytes(status, ctype, html.into_bytes())
            }
            Err(_) => not_found(),
        };
    }
    let opened = std::fs::File::open(file).and_then(|f| Ok((f.metadata()?.len(), f)));
    match opened {
        Ok((len, f)) => Response {
            status,
            headers: vec![
                ("Content-Type", ctype.to_string()),
                ("Cache-Control", "no-store".to_string()),
            ],
            body: Body::File(f, len),
        },
        Err(_) => not_found(),
    }
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

/// Streams build events to one browser tab; the connection's own thread
/// runs the stream. The first event (`hello`) carries the current state,
/// which is how newly opened pages show the current errors.
fn events(state: &Arc<State>) -> Answer {
    let Some(rx) = state.subscribe() else {
        return Answer::Respond(Response::text(503, "too many live-reload connections\n"));
    };
    let hello = format!(
        "retry: 1000\nevent: hello\ndata: {}\n\n",
        state.status_json()
    );
    Answer::Stream {
        headers: vec![
            ("Content-Type", "text/event-stream".to_string()),
            ("Cache-Control", "no-store".to_string()),
        ],
        stream: Box::new(move |stream| {
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
        }),
    }
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
