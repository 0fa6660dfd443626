//! The preview server over real sockets: path safety, content types, 404,
//! folders, script injection, and live-reload events after edits.

mod serve_support;

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use kbgen::serve::{Running, ServeOptions, start};
use serve_support::{EventStream, TempDir, get, make_site, write};

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

fn site(tag: &str) -> TempDir {
    let tmp = TempDir::new(tag);
    make_site(
        tmp.path(),
        &[("a.rst", "Alpha text\n"), ("kbase/b.rst", "Beta text\n")],
    );
    std::fs::write(tmp.path().join("secret.txt"), "top secret").unwrap();
    tmp
}

#[test]
fn never_serves_outside_the_output_folder() {
    let tmp = site("http-safety");
    let server = serve(tmp.path());
    let addr = server.addr;
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        tmp.path().join("secret.txt"),
        tmp.path().join("site/link.txt"),
    )
    .unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(tmp.path(), tmp.path().join("site/up")).unwrap();
    for target in [
        "/../secret.txt",
        "/kbase/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/kbase%2f..%2f..%2fsecret.txt",
        "/..%5csecret.txt",
        "//secret.txt",
        "/%2Fsecret.txt",
        &format!("/{}", tmp.path().join("secret.txt").display()),
        "/a.html%00.txt",
        "/link.txt",
        "/up/secret.txt",
        "/.kbgen-output",
    ] {
        let r = get(addr, target);
        assert_eq!(r.status, 404, "{target}");
        assert!(!r.text().contains("top secret"), "{target} leaked");
    }
    server.stop();
}

#[test]
fn content_types_folders_and_404() {
    let tmp = site("http-types");
    let server = serve(tmp.path());
    let addr = server.addr;
    write(&tmp.path().join("site/img/x.svg"), "<svg/>");
    write(&tmp.path().join("site/img/f.woff2"), "wOF2");
    write(&tmp.path().join("site/data.json"), "{}");
    write(
        &tmp.path().join("site/docs/index.html"),
        "<html><body>Docs</body></html>",
    );
    let cases = [
        ("/a.html", "text/html; charset=utf-8"),
        ("/static/kbgen.css", "text/css; charset=utf-8"),
        ("/img/x.svg", "image/svg+xml"),
        ("/img/f.woff2", "font/woff2"),
        ("/data.json", "application/json"),
    ];
    for (target, ctype) in cases {
        let r = get(addr, target);
        assert_eq!(r.status, 200, "{target}");
        assert_eq!(r.header("content-type"), Some(ctype), "{target}");
    }

    let index = get(addr, "/");
    assert_eq!(index.status, 200);
    assert!(index.body.len() > 100);
    assert!(index.text().contains("__kbgen/events"), "script injected");
    let on_disk = std::fs::read_to_string(tmp.path().join("site/index.html")).unwrap();
    assert!(!on_disk.contains("__kbgen"), "the file on disk stays clean");

    let docs = get(addr, "/docs/?x=1");
    assert_eq!(docs.status, 200);
    assert!(docs.text().contains("Docs") && docs.text().contains("\"prefix\":\"../\""));
    let redirect = get(addr, "/docs?x=1");
    assert_eq!(redirect.status, 301);
    assert_eq!(redirect.header("location"), Some("/docs/?x=1"));

    let missing = get(addr, "/nope/missing.html");
    assert_eq!(missing.status, 404);
    let not_found_page = std::fs::read_to_string(tmp.path().join("site/404.html")).unwrap();
    let head = &not_found_page[..not_found_page
        .find("</body>")
        .unwrap_or(not_found_page.len())];
    assert!(missing.text().starts_with(head), "404.html is served");
    assert!(missing.text().contains("\"prefix\":\"../\""));

    let css = get(addr, "/static/kbgen.css");
    assert!(!css.text().contains("__kbgen"), "only HTML gets the script");
    server.stop();
}

#[test]
fn edits_send_reload_and_errors_events() {
    let tmp = site("http-events");
    let server = serve(tmp.path());
    let addr = server.addr;
    let mut events = EventStream::open(addr);
    let wait = Duration::from_secs(10);

    write(&tmp.path().join("content/kbase/b.rst"), "Beta changed\n");
    events.wait_for("event: reload", wait);
    assert!(get(addr, "/kbase/b.html").text().contains("Beta changed"));

    // Atomic save: write a temporary file and rename it over the page.
    write(
        &tmp.path().join("content/kbase/.b.rst.tmp"),
        "Beta renamed over\n",
    );
    std::fs::rename(
        tmp.path().join("content/kbase/.b.rst.tmp"),
        tmp.path().join("content/kbase/b.rst"),
    )
    .unwrap();
    events.wait_for("event: reload", wait);
    assert!(
        get(addr, "/kbase/b.html")
            .text()
            .contains("Beta renamed over")
    );

    std::fs::write(
        tmp.path().join("book.toml"),
        "title = \"T\"\nsource = \"content\"\noutput = \"site\"\nnope = 1\n",
    )
    .unwrap();
    let ev = events.wait_for("event: errors", wait);
    assert!(
        ev.contains("book.toml") && ev.contains("\"line\":4"),
        "{ev}"
    );
    let status = get(addr, "/__kbgen/status");
    assert!(status.text().contains("\"ok\":false"), "{}", status.text());
    assert!(
        get(addr, "/kbase/b.html")
            .text()
            .contains("Beta renamed over"),
        "last good output is served"
    );

    make_site(tmp.path(), &[]);
    events.wait_for("event: reload", wait);
    assert!(get(addr, "/__kbgen/status").text().contains("\"ok\":true"));
    server.stop();
}

#[test]
fn port_in_use_is_a_clear_error() {
    let tmp = site("http-port");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let err = start(&ServeOptions {
        config: tmp.path().join("book.toml"),
        port,
        bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
        open: false,
        verbose: false,
    })
    .err()
    .expect("must fail");
    assert!(
        err.help.as_deref().unwrap_or("").contains("--port"),
        "{err:?}"
    );
    assert!(
        !tmp.path().join("site").exists(),
        "nothing is built when the port is taken"
    );
}

#[test]
fn watching_survives_the_content_folder_being_replaced() {
    let tmp = site("http-replaced");
    let server = serve(tmp.path());
    let addr = server.addr;
    let mut events = EventStream::open(addr);
    let wait = Duration::from_secs(10);
    let content = tmp.path().join("content");

    // A checkout that replaces the folder: a new folder with new inodes.
    let copy = tmp.path().join("content-new");
    std::fs::create_dir_all(copy.join("kbase")).unwrap();
    write(&copy.join("a.rst"), "Alpha text\n");
    write(&copy.join("kbase/b.rst"), "Beta from the checkout\n");
    std::fs::rename(&content, tmp.path().join("content-old")).unwrap();
    std::fs::rename(&copy, &content).unwrap();
    events.wait_for("event: reload", wait);
    assert!(
        get(addr, "/kbase/b.html")
            .text()
            .contains("Beta from the checkout")
    );
    std::fs::remove_dir_all(tmp.path().join("content-old")).unwrap();

    // Edits inside the new folder are still seen.
    write(&content.join("kbase/b.rst"), "Beta edited later\n");
    events.wait_for("event: reload", wait);
    assert!(
        get(addr, "/kbase/b.html")
            .text()
            .contains("Beta edited later")
    );
    server.stop();
}
