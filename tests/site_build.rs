//! End-to-end build of the default site (the repository's `book.toml` and
//! `content/`) through the library API, checking what a reader gets: the
//! index, the article's table of contents, highlighted XML examples, inline
//! literals, navigation back to the index, and no scripts.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use kbgen::site::{BuildOptions, build};

const ARTICLE: &str = "kbase/qemu-passthrough-security.html";

/// Builds the default site once per test binary and returns its folder.
fn site() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dest = std::env::temp_dir().join(format!("kbgen-site-build-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dest);
        let opts = BuildOptions {
            config_path: Path::new(env!("CARGO_MANIFEST_DIR")).join("book.toml"),
            dest: Some(dest.clone()),
            write: true,
            force: false,
        };
        let outcome = build(&opts).expect("the default site builds");
        assert!(
            outcome.written,
            "the default site has errors: {:?}",
            outcome.report
        );
        // `kbgen build --strict` must pass too: no warnings either.
        assert!(
            outcome.report.diagnostics.is_empty(),
            "{:?}",
            outcome.report
        );
        dest
    })
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(site().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every `.html` file of the built site, relative to its root.
fn html_files() -> Vec<String> {
    let root = site();
    let mut files: Vec<String> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            e.path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    files.sort();
    files
}

/// The values of `attr="..."` in `html`, in order.
fn attr_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    html.match_indices(&needle)
        .filter_map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

/// The part of `html` from the first `start` to the following `end`.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("no {start:?} in page"));
    let len = html[from..]
        .find(end)
        .unwrap_or_else(|| panic!("no {end:?} after {start:?}"));
    &html[from..from + len + end.len()]
}

/// The text of an HTML fragment: tags dropped, the few entities the writer makes decoded.
fn strip_tags(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[test]
fn index_lists_the_article_with_its_short_title_and_description() {
    let index = read("index.html");
    assert!(
        index.contains(&format!(
            "<a href=\"{ARTICLE}\">Security with QEMU passthrough</a>"
        )),
        "index does not link the article by its short title:\n{index}"
    );
    assert!(index.contains(
        "Examination of the security protections used for QEMU and how they need configuring to allow use of QEMU passthrough with host files/devices."
    ));
    // Categories in book.toml's order, each a section with a definition list.
    let virt = index
        .find(">Virtualization</h2>")
        .expect("Virtualization category");
    let using = index
        .find(">Using kbgen</h2>")
        .expect("Using kbgen category");
    assert!(virt < using, "categories out of book.toml order");
    assert!(index.contains("<a href=\"guide/getting-started.html\">Getting started</a>"));
    assert!(index.contains("<a href=\"guide/book-toml.html\">book.toml reference</a>"));
}

#[test]
fn article_contents_link_to_its_five_sections() {
    let page = read(ARTICLE);
    let nav = between(&page, "<nav id=\"contents\" class=\"contents\"", "</nav>");
    let targets: Vec<&str> = attr_values(nav, "href")
        .into_iter()
        .filter_map(|h| h.strip_prefix('#'))
        .collect();
    assert_eq!(
        targets,
        [
            "xml-document-additions",
            "security-confinement-sandboxing",
            "granting-access-per-vm",
            "disabling-security-protection-per-vm",
            "disabling-security-protection-host-wide",
        ]
    );
    let ids = attr_values(&page, "id");
    for t in &targets {
        assert!(ids.contains(t), "contents link #{t} has no target");
        // The section heading links back to its contents entry.
        let section = between(&page, &format!("<section id=\"{t}\">"), "</h");
        assert!(
            section.contains("class=\"toc-backref\" href=\"#toc-entry-"),
            "{section}"
        );
        assert!(
            section.contains(&format!("class=\"headerlink\" href=\"#{t}\"")),
            "{section}"
        );
    }
    // Top-level sections are <h2>, their subsections <h3>.
    assert!(
        between(
            &page,
            "<section id=\"security-confinement-sandboxing\">",
            "</h2>"
        )
        .contains("<h2>")
    );
    assert!(between(&page, "<section id=\"granting-access-per-vm\">", "</h3>").contains("<h3>"));
    // The collapsed copy for phones links to the same sections, without duplicate ids.
    let compact = between(&page, "<details class=\"toc-compact\">", "</details>");
    assert_eq!(attr_values(compact, "href").len(), 5);
    assert!(attr_values(compact, "id").is_empty());
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), ids.len(), "duplicate ids in the article");
}

#[test]
fn both_xml_examples_are_highlighted() {
    let page = read(ARTICLE);
    let blocks: Vec<&str> = page
        .match_indices("<pre")
        .map(|(i, _)| between(&page[i..], "<pre", "</pre>"))
        .collect();
    assert_eq!(blocks.len(), 2, "expected two literal blocks");
    for block in blocks {
        assert!(
            block.starts_with("<pre class=\"code xml literal-block\""),
            "{block}"
        );
        assert!(
            block.contains("<span class=\"nt\">") && block.contains("<span class=\"na\">"),
            "no tag class: {block}"
        );
        let text = strip_tags(block);
        assert!(text.contains("<name>QEMUGuest1</name>"), "{text}");
        assert!(text.contains("<qemu:arg value='-newarg'/>"), "{text}");
        assert!(!block.contains("<domain"), "XML must be escaped: {block}");
    }
}

#[test]
fn inline_literals_are_code() {
    let page = read(ARTICLE);
    for literal in [
        "svirt_image_t:s0:MCS",
        "virt_content_t",
        "&lt;qemu:arg&gt;",
        "/etc/libvirt/qemu.conf",
        "cgroup_controllers = [...]",
    ] {
        assert!(
            page.contains(&format!("<code>{literal}</code>")),
            "{literal} is not <code>"
        );
    }
    // Nested bullet list, written without <p> as docutils writes simple lists.
    assert!(
        page.contains("<li>Read only access - use the <code>virt_content_t</code> label</li>"),
        "{page}"
    );
}

#[test]
fn every_page_links_back_to_the_index_and_has_no_script() {
    let files = html_files();
    assert!(files.len() >= 5, "{files:?}");
    for file in &files {
        let html = read(file);
        let root = "../".repeat(file.matches('/').count());
        assert!(
            html.contains(&format!("href=\"{root}index.html\"")),
            "{file} has no link to the index"
        );
        // The only scripts are the theme's files: the search box
        // (static/search.js) and the copy buttons (static/copybutton.js).
        let lower = html.to_ascii_lowercase();
        let search_script = format!("<script src=\"{root}static/search.js\" defer></script>");
        let copy_script = format!("<script src=\"{root}static/copybutton.js\" defer></script>");
        assert!(html.contains(&copy_script), "{file} has no copy buttons");
        assert!(
            !lower
                .replace(&search_script, "")
                .replace(&copy_script, "")
                .contains("<script"),
            "{file} contains a script"
        );
        assert!(
            html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"),
            "{file}"
        );
        assert!(
            html.contains("<a class=\"skip-link\" href=\"#content\">"),
            "{file}"
        );
        assert!(html.contains("<main id=\"content\""), "{file}");
        assert!(
            html.contains(&format!("href=\"{root}static/kbgen.css\"")),
            "{file}"
        );
    }
    let article = read(ARTICLE);
    assert!(article.contains("<nav class=\"breadcrumb\" aria-label=\"Breadcrumb\">"));
    assert!(article.contains("<a href=\"../index.html#virtualization\">Virtualization</a>"));
    assert!(article.contains("<h1 class=\"title\">QEMU command line passthrough</h1>"));
}

#[test]
fn kbgen_metadata_is_not_repeated_in_the_body() {
    let article = read(ARTICLE);
    let body = between(&article, "<article", "</article>");
    assert!(
        !body.contains("docinfo"),
        "category/description fields leaked into the body"
    );
    assert!(
        !body.contains(">category<") && !body.contains(":category:"),
        "{body}"
    );
    assert!(
        article.contains(
            "<meta name=\"description\" content=\"Examination of the security protections"
        )
    );
}

#[test]
fn highlighting_css_has_light_and_dark_styles() {
    let css = read("static/highlight.css");
    assert!(css.contains("pre code .nt {"));
    assert!(css.contains("prefers-color-scheme: dark"));
    let theme = read("static/kbgen.css");
    assert!(theme.contains("prefers-color-scheme: dark") && theme.contains("@media print"));
}
