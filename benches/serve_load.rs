//! Load test of the preview server: 200 concurrent keep-alive clients on
//! loopback fetch pages for 10 s (`KBGEN_LOAD_SECS` to change); every
//! request must succeed. Prints requests per second.
//! Run with `cargo bench --bench serve_load`.

#[path = "../tests/serve_support/mod.rs"]
mod serve_support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use kbgen::serve::{ServeOptions, start};
use serve_support::{TempDir, make_site, write};

const CLIENTS: usize = 200;
const PAGES: usize = 50;

/// One keep-alive GET; `Err` for anything but a complete 200 response.
fn fetch(reader: &mut BufReader<TcpStream>, path: &str) -> Result<(), String> {
    write!(
        reader.get_mut(),
        "GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    let mut line = String::new();
    reader.read_line(&mut line).map_err(|e| e.to_string())?;
    if !line.starts_with("HTTP/1.1 200") {
        return Err(format!("status line {line:?}"));
    }
    let mut len = None;
    loop {
        line.clear();
        reader.read_line(&mut line).map_err(|e| e.to_string())?;
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((n, v)) = l.split_once(':')
            && n.eq_ignore_ascii_case("content-length")
        {
            len = v.trim().parse::<usize>().ok();
        }
    }
    let len = len.ok_or("no content-length")?;
    let mut body = vec![0; len];
    reader.read_exact(&mut body).map_err(|e| e.to_string())?;
    Ok(())
}

fn client(addr: SocketAddr, id: usize, stop: &AtomicBool, ok: &AtomicU64, failed: &AtomicU64) {
    let connect = || -> Option<BufReader<TcpStream>> {
        let s = TcpStream::connect(addr).ok()?;
        s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
        Some(BufReader::new(s))
    };
    let mut conn = connect();
    let mut n = id;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let path = match n % 4 {
            0 => "/".to_string(),
            1 => "/static/kbgen.css".to_string(),
            _ => format!("/kb/page{}.html", n % PAGES),
        };
        let result = match conn.as_mut() {
            Some(c) => fetch(c, &path),
            None => Err("connect failed".into()),
        };
        match result {
            Ok(()) => {
                ok.fetch_add(1, Ordering::Relaxed);
            }
            Err(e) => {
                if failed.fetch_add(1, Ordering::Relaxed) < 5 {
                    eprintln!("client {id}: {path}: {e}");
                }
                conn = connect();
            }
        }
    }
}

fn main() {
    let secs: u64 = std::env::var("KBGEN_LOAD_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let tmp = TempDir::new("bench-load");
    let root = tmp.path();
    make_site(root, &[]);
    for i in 0..PAGES {
        write(
            &root.join(format!("content/kb/page{i}.rst")),
            &format!("Page {i}\n\nBody of page {i}.\n"),
        );
    }
    let server = start(&ServeOptions {
        config: root.join("book.toml"),
        port: 0,
        bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
        open: false,
        verbose: false,
    })
    .expect("server starts");
    let addr = server.addr;
    let stop = Arc::new(AtomicBool::new(false));
    let ok = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let t = Instant::now();
    let threads: Vec<_> = (0..CLIENTS)
        .map(|id| {
            let (stop, ok, failed) = (Arc::clone(&stop), Arc::clone(&ok), Arc::clone(&failed));
            std::thread::spawn(move || client(addr, id, &stop, &ok, &failed))
        })
        .collect();
    std::thread::sleep(Duration::from_secs(secs));
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        let _ = t.join();
    }
    let elapsed = t.elapsed().as_secs_f64();
    let (ok, failed) = (ok.load(Ordering::Relaxed), failed.load(Ordering::Relaxed));
    println!(
        "{CLIENTS} clients, {elapsed:.1} s: {ok} requests ok, {failed} failed, {:.0} requests/s",
        ok as f64 / elapsed
    );
    server.stop();
    assert_eq!(failed, 0, "failed requests");
}
