//! A mixed site: RST and Markdown pages linking each other build without
//! errors (the site-wide link check passes, so rewritten `.md` / `.rst`
//! links reach real pages and sections), both kinds are on the index page
//! and in the search index.

use std::path::Path;

use kbgen::site::{BuildOptions, build};

const RST: &str = "=========\nRST page\n=========\n\n:category: Mixed\n\nSee `the Markdown page <md-page.html#markdown-section>`_.\n\nRST section\n===========\n\nSome text about hypervisors.\n";

const MD: &str = "---\ntitle: Markdown page\ncategory: Mixed\ndescription: Written in Markdown.\n---\n\nBack to [the RST page](rst-page.rst#rst-section) and [itself](md-page.md).\n\n## Markdown section\n\nText about Zwieback & crumbs.\n";

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn rst_and_markdown_pages_link_each_other() {
    let tmp = std::env::temp_dir().join(format!("kbgen-mixed-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    write(&tmp, "book.toml", "title = \"Mixed\"\n");
    write(&tmp, "content/kb/rst-page.rst", RST);
    write(&tmp, "content/kb/md-page.md", MD);
    let outcome = build(&BuildOptions {
        config_path: tmp.join("book.toml"),
        dest: Some(tmp.join("book")),
        write: true,
        force: false,
    })
    .expect("build runs");
    assert_eq!(outcome.report.errors(), 0, "{:#?}", outcome.report);
    assert!(outcome.written);
    assert_eq!(outcome.pages, 2);
    let book = tmp.join("book");
    let md_html = std::fs::read_to_string(book.join("kb/md-page.html")).unwrap();
    assert!(
        md_html.contains("href=\"rst-page.html#rst-section\""),
        "{md_html}"
    );
    assert!(md_html.contains("id=\"markdown-section\""), "{md_html}");
    assert!(md_html.contains("Zwieback &amp; crumbs"), "{md_html}");
    let index = std::fs::read_to_string(book.join("index.html")).unwrap();
    assert!(
        index.contains("RST page") && index.contains("Markdown page"),
        "{index}"
    );
    let search = std::fs::read_to_string(book.join("search-index.js")).unwrap();
    assert!(
        search.contains("[\"kb/md-page.html\",\"Markdown page\"]"),
        "{search}"
    );
    assert!(
        search.contains("[\"kb/rst-page.html\",\"RST page\"]"),
        "{search}"
    );
    assert!(
        search.contains("\"markdown-section\",\"Markdown section\""),
        "{search}"
    );
    let _ = std::fs::remove_dir_all(&tmp);
}

/// `kbgen dump --format html FILE` prints the page body the template
/// would receive (what `conformance/commonmark-spec` compares): no
/// `<html>`, no title, the page's own markup.
#[test]
fn dump_html_prints_one_page_body() {
    let tmp = std::env::temp_dir().join(format!("kbgen-dump-html-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    write(&tmp, "page.md", "# Title\n\nSome *text*.\n\n## Part\n");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kbgen"))
        .args(["dump", "--format", "html"])
        .arg(tmp.join("page.md"))
        .output()
        .expect("kbgen runs");
    assert!(out.status.success(), "{out:?}");
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(
        html.starts_with("<p>Some <em>text</em>.</p>\n<section id=\"part\">\n<h2>Part"),
        "{html}"
    );
    assert!(!html.contains("<html") && !html.contains("Title"), "{html}");
    let _ = std::fs::remove_dir_all(&tmp);
}
