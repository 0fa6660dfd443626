//! Reload latency of `kbgen serve`: on a generated 1,000-page site, the time
//! from writing a page to the `reload` event arriving at a live-reload
//! client on loopback (watcher debounce + incremental build + event).
//! Run with `cargo bench --bench serve_reload`; target: median < 100 ms.

#[path = "../tests/serve_support/mod.rs"]
mod serve_support;

use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

use kbgen::serve::{ServeOptions, start};
use serve_support::{EventStream, TempDir, make_site, write};

const PAGES: usize = 1000;
const SAVES: usize = 40;

fn page_text(i: usize, rev: usize) -> String {
    format!(
        "Page {i} revision {rev}\n\nSome words about topic {i} to give the page a body.\n\nA second paragraph, with more words in it, as real pages have.\n"
    )
}

fn main() {
    let tmp = TempDir::new("bench-reload");
    let root = tmp.path();
    make_site(root, &[]);
    for i in 0..PAGES {
        write(
            &root.join(format!("content/kb{}/page{i}.rst", i % 20)),
            &page_text(i, 0),
        );
    }
    let t = Instant::now();
    let server = start(&ServeOptions {
        config: root.join("book.toml"),
        port: 0,
        bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
        open: false,
        verbose: false,
    })
    .expect("server starts");
    println!(
        "initial build of {PAGES} pages: {:.1} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
    let mut events = EventStream::open(server.addr);
    let mut samples = Vec::with_capacity(SAVES);
    for n in 0..SAVES {
        let i = (n * 37) % PAGES;
        let path = root.join(format!("content/kb{}/page{i}.rst", i % 20));
        let t = Instant::now();
        write(&path, &page_text(i, n + 1));
        events.wait_for("event: reload", Duration::from_secs(10));
        samples.push(t.elapsed());
        // Let the watcher go quiet so saves do not coalesce.
        std::thread::sleep(Duration::from_millis(100));
    }
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "save → reload event, {SAVES} saves on {PAGES} pages: median {:.1} ms, p90 {:.1} ms, min {:.1} ms, max {:.1} ms",
        ms(samples[SAVES / 2]),
        ms(samples[SAVES * 9 / 10]),
        ms(samples[0]),
        ms(samples[SAVES - 1]),
    );
    server.stop();
}
