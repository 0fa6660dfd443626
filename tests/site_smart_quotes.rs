//! `[rst] smart-quotes` in `book.toml` reaches the page: a build with it
//! on gives typographic quotes and dashes in text and leaves literals
//! alone; without it the text keeps its ASCII quotes.

use std::path::PathBuf;

use kbgen::site::{BuildOptions, build};

const PAGE: &str = "======\nQuotes\n======\n\nShe said \"it's fine\" -- then ``\"left\"``.\n";

fn built_page(name: &str, smart_quotes: Option<bool>) -> (PathBuf, String) {
    let dir =
        std::env::temp_dir().join(format!("kbgen-smart-quotes-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("content")).unwrap();
    let rst = match smart_quotes {
        Some(on) => format!("[rst]\nsmart-quotes = {on}\n"),
        None => String::new(),
    };
    std::fs::write(dir.join("book.toml"), format!("title = \"S\"\n{rst}")).unwrap();
    std::fs::write(dir.join("content/quotes.rst"), PAGE).unwrap();
    let out = dir.join("out");
    build(&BuildOptions {
        config_path: dir.join("book.toml"),
        dest: Some(out.clone()),
        write: true,
        force: true,
    })
    .expect("the site builds");
    let html = std::fs::read_to_string(out.join("quotes.html")).expect("page written");
    (dir, html)
}

#[test]
fn smart_quotes_key_switches_the_transform() {
    let (dir, html) = built_page("on", Some(true));
    assert!(html.contains("She said “it’s fine” – then"), "{html}");
    assert!(
        html.contains("&quot;left&quot;") || html.contains("\"left\""),
        "{html}"
    );
    assert!(!html.contains("“left”"), "{html}");
    let _ = std::fs::remove_dir_all(dir);

    for (name, setting) in [("off", Some(false)), ("default", None)] {
        let (dir, html) = built_page(name, setting);
        assert!(!html.contains('“') && !html.contains('–'), "{name}: {html}");
        let _ = std::fs::remove_dir_all(dir);
    }
}
