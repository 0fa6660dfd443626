//! `kbgen serve` as a process: a broken page at start-up does not stop it,
//! a port in use exits 2 with a hint, Ctrl-C (SIGINT) exits 0.

mod serve_support;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serve_support::{TempDir, get, make_site};

fn kbgen_serve(root: &std::path::Path, port: u16) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kbgen"));
    c.args(["serve", "--port", &port.to_string(), "--config"])
        .arg(root.join("book.toml"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c
}

#[test]
fn port_in_use_exits_2_with_a_hint() {
    let tmp = TempDir::new("cli-port");
    make_site(tmp.path(), &[("a.rst", "Alpha\n")]);
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let out = kbgen_serve(tmp.path(), port).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--port"), "{err}");
}

#[cfg(unix)]
#[test]
fn broken_page_at_start_is_served_with_its_errors_and_sigint_exits_0() {
    let tmp = TempDir::new("cli-broken");
    make_site(
        tmp.path(),
        &[
            ("a.rst", "Alpha\n\n.. no-such-directive::\n"),
            ("b.rst", "Beta\n"),
        ],
    );
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = kbgen_serve(tmp.path(), port).spawn().unwrap();
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(addr).is_err() {
        assert!(Instant::now() < deadline, "server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    let status = get(addr, "/__kbgen/status").text();
    assert!(
        status.contains("\"ok\":false") && status.contains("a.rst"),
        "{status}"
    );
    assert!(get(addr, "/b.html").text().contains("Beta"));

    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let code = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s.code();
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("no exit after SIGINT");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(code, Some(0));
}

/// kbgen turns transparent huge pages off for itself (`src/main.rs`): a
/// build's time must not depend on how fragmented another program left
/// memory. Read from the kernel's view of the running preview.
#[cfg(target_os = "linux")]
#[test]
fn the_process_runs_without_transparent_huge_pages() {
    let tmp = TempDir::new("cli-thp");
    make_site(tmp.path(), &[("a.rst", "Alpha\n")]);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = kbgen_serve(tmp.path(), port).spawn().unwrap();
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(addr).is_err() {
        assert!(Instant::now() < deadline, "server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    let status = std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    // Kernels before 5.0 do not show the flag: nothing to check there.
    if let Some(line) = status.lines().find(|l| l.starts_with("THP_enabled:")) {
        assert_eq!(line.split_whitespace().nth(1), Some("0"), "{status}");
    }
}
