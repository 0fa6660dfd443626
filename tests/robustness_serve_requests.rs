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
