//! Hostile requests against `kbgen serve` (issue 18): one request with
//! `Content-Length: 99999999999` aborted the process (item 3), and any
//! `Host` was answered, so a page using DNS rebinding could read a private
//! preview. The server must refuse both and go on serving.

mod serve_support;

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpStream};
use std::time::Duration;

use kbgen::serve::{Running, ServeOptions, start};
use serve_support::{TempDir, make_site, parse_reply};

fn serve(root: &std::path::Path) -> Running {
    start(&ServeOptions {
        config: root.join("book.toml"),
        port: 0,
        bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
        open: false,
        verbose: false,
    })
    .unwrap()
}

/// Sends `head` as written and returns the status line's code, reading
/// only the response head (the connection may stay open).
fn status_of(addr: SocketAddr, head: &str) -> u16 {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(head.as_bytes()).unwrap();
    let mut raw = Vec::new();
    let mut byte = [0u8; 1];
    while !raw.ends_with(b"\r\n\r\n") {
        match s.read(&mut byte) {
            Ok(1) => raw.push(byte[0]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            _ => break,
        }
    }
    parse_reply(&raw).status
}

#[test]
fn only_the_bound_address_localhost_and_configured_hosts_are_answered() {
    let tmp = TempDir::new("serve-host");
    make_site(tmp.path(), &[("a.rst", "Alpha text\n")]);
    let config = tmp.path().join("book.toml");
    let mut toml = std::fs::read_to_string(&config).unwrap();
    toml.push_str("\n[serve]\nallowed-hosts = [\"docs.test\"]\n");
    std::fs::write(&config, toml).unwrap();
    let server = serve(tmp.path());
    let addr = server.addr;
    let port = addr.port();
    let request =
        |host: &str| format!("GET /a.html HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("docs.test:{port}"),
        "DOCS.TEST".to_string(),
    ] {
        assert_eq!(status_of(addr, &request(&host)), 200, "{host}");
    }
    // What a rebinding page sends: its own name, now resolving to 127.0.0.1.
    for host in [
        format!("attacker.example:{port}"),
        format!("127.0.0.1.attacker.example:{port}"),
        format!("docs.test.attacker.example:{port}"),
    ] {
        assert_eq!(status_of(addr, &request(&host)), 403, "{host}");
    }
    // The live-reload stream and the status are private too.
    for path in ["/__kbgen/status", "/__kbgen/events"] {
        let head = format!("GET {path} HTTP/1.1\r\nHost: attacker.example\r\n\r\n");
        assert_eq!(status_of(addr, &head), 403, "{path}");
    }
}

/// Item 3: a request announcing a body of 99,999,999,999 bytes, sent with
/// no body at all, with part of one, chunked, or with a head bigger than
/// the server takes. Each gets an answer (the body is never read into
/// memory) and the server goes on answering the next request.
#[test]
fn announced_bodies_and_oversized_heads_do_not_stop_the_server() {
    let tmp = TempDir::new("serve-body");
    make_site(tmp.path(), &[("a.rst", "Alpha text\n")]);
    let server = serve(tmp.path());
    let addr = server.addr;
    let huge = "Content-Length: 99999999999\r\n";
    let cases = [
        (
            format!("POST /a.html HTTP/1.1\r\nHost: localhost\r\n{huge}\r\n"),
            405,
        ),
        (
            format!("GET /a.html HTTP/1.1\r\nHost: localhost\r\n{huge}\r\nsome of it"),
            200,
        ),
        (
            format!("PUT /x HTTP/1.1\r\nHost: localhost\r\n{huge}\r\n"),
            405,
        ),
        (
            "POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\nffffffff\r\n"
                .to_string(),
            405,
        ),
        (
            "GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: lots\r\n\r\n".to_string(),
            400,
        ),
        (
            format!(
                "GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: {}\r\n\r\n",
                "y".repeat(20_000)
            ),
            431,
        ),
        ("NOT HTTP AT ALL\r\n\r\n".to_string(), 400),
    ];
    for (head, want) in &cases {
        assert_eq!(
            status_of(addr, head),
            *want,
            "{}",
            &head[..head.len().min(60)]
        );
    }
    // Several such connections left open at once, never sending the body.
    let open: Vec<TcpStream> = (0..20)
        .map(|_| {
            let mut s = TcpStream::connect(addr).unwrap();
            s.write_all(format!("POST / HTTP/1.1\r\nHost: localhost\r\n{huge}\r\n").as_bytes())
                .unwrap();
            s
        })
        .collect();
    let ok = "GET /a.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    assert_eq!(status_of(addr, ok), 200);
    drop(open);
    assert_eq!(status_of(addr, ok), 200);
    server.stop();
}

/// Keep-alive still works for ordinary requests: two requests on one
/// connection, the second after the first's body was read whole.
#[test]
fn keep_alive_connections_answer_request_after_request() {
    let tmp = TempDir::new("serve-keepalive");
    make_site(tmp.path(), &[("a.rst", "Alpha text\n")]);
    let server = serve(tmp.path());
    let mut s = TcpStream::connect(server.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    // Pipelined: both heads in one write.
    s.write_all(
        b"GET /a.html HTTP/1.1\r\nHost: localhost\r\n\r\nHEAD /a.html HTTP/1.1\r\nHost: localhost\r\n\r\n",
    )
    .unwrap();
    let mut raw = Vec::new();
    let mut chunk = [0u8; 8192];
    // Two answers, the second a HEAD: read until its head has arrived.
    loop {
        let text = String::from_utf8_lossy(&raw);
        let second = text.match_indices("HTTP/1.1 200").nth(1);
        if second.is_some_and(|(at, _)| text[at..].contains("\r\n\r\n")) {
            break;
        }
        let n = match s.read(&mut chunk) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => panic!("reading the answers: {e}"),
        };
        assert!(n > 0, "connection closed after {} bytes", raw.len());
        raw.extend_from_slice(&chunk[..n]);
    }
    let text = String::from_utf8_lossy(&raw);
    let first = parse_reply(&raw);
    assert_eq!(first.status, 200);
    assert!(
        first
            .header("Connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("keep-alive"))
    );
    assert!(text.contains("Alpha text"));
    server.stop();
}
