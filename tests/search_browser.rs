//! End-to-end search in headless Chromium, from `file://`: press `/`,
//! type a word, see it in the results, press Enter, land on the section.
//! Driven over the DevTools protocol with a minimal WebSocket client
//! written here (no extra dependency). Skipped with a notice when
//! Chromium is not installed.

#[path = "browser/search_cdp.rs"]
mod cdp;

use std::path::{Path, PathBuf};
use std::time::Duration;

use cdp::Browser;
use kbgen::site::{BuildOptions, build};

const MARKDOWN_PAGE: &str = "---\ntitle: Markdown search page\ncategory: Virtualization\n---\n\nIntro.\n\n## Rusks and biscuits\n\nA Zwieback is twice-baked bread.\n\n## Other\n\nNothing here.\n";

/// Builds the default site's content plus one Markdown page into a temp folder.
fn build_site(tmp: &Path) -> PathBuf {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let content = tmp.join("content");
    copy_dir(&repo.join("content"), &content);
    std::fs::write(content.join("kbase/markdown-search.md"), MARKDOWN_PAGE).unwrap();
    std::fs::copy(repo.join("book.toml"), tmp.join("book.toml")).unwrap();
    let out = tmp.join("book");
    let outcome = build(&BuildOptions {
        config_path: tmp.join("book.toml"),
        dest: Some(out.clone()),
        write: true,
        force: false,
    })
    .expect("site builds");
    assert!(outcome.written, "site not written: {:?}", outcome.report);
    out
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn url(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// Types `word` into the search box (opened with `/`) and returns the
/// results as `[href, text]`, waiting for the index to load.
fn search(b: &mut Browser, word: &str) -> Vec<(String, String)> {
    b.wait_for(
        "document.readyState === 'complete' && !document.querySelector('.kb-search').hidden",
    );
    b.key("/", "Slash", 191, "/");
    assert_eq!(
        b.eval("document.activeElement && document.activeElement.className"),
        serde_json::json!("kb-search-input"),
        "`/` focuses the search box"
    );
    b.insert_text(word);
    b.wait_for("document.querySelectorAll('.kb-search-results li[role=option]').length > 0");
    let v = b.eval(
        "JSON.stringify([...document.querySelectorAll('.kb-search-results li[role=option] a')].map(a => [a.href, a.textContent]))",
    );
    serde_json::from_str(v.as_str().unwrap_or("[]")).unwrap()
}

/// Presses Enter and waits until the location is `href`; returns the text of the element the hash names.
fn enter_and_land(b: &mut Browser, href: &str) -> String {
    b.key("Enter", "Enter", 13, "\r");
    let expected = serde_json::to_string(href).unwrap();
    b.wait_for(&format!(
        "location.href === {expected} && document.readyState === 'complete'"
    ));
    let v = b.eval("(() => { const id = decodeURIComponent(location.hash.slice(1)); const e = id && document.getElementById(id); return e ? e.textContent : null; })()");
    v.as_str().unwrap_or_default().to_string()
}

#[test]
fn search_from_file_url_lands_on_the_section() {
    let Some(mut b) = Browser::launch() else {
        eprintln!("notice: chromium not found; browser search test skipped");
        return;
    };
    let tmp = std::env::temp_dir().join(format!("kbgen-search-browser-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let out = build_site(&tmp);
    let article = out.join("kbase/qemu-passthrough-security.html");
    b.navigate(&url(&article));

    // A word from a section of the passthrough article; other pages may
    // mention it too, so pick the article's first result with the arrow keys.
    let results = search(&mut b, "Seccomp");
    let pick = results
        .iter()
        .position(|(href, _)| href.contains("kbase/qemu-passthrough-security.html"))
        .unwrap_or_else(|| panic!("the article is not in the results: {results:?}"));
    let (href, text) = results[pick].clone();
    assert!(text.to_lowercase().contains("seccomp"), "{results:?}");
    for _ in 0..pick {
        b.key("ArrowDown", "ArrowDown", 40, "");
    }
    let landed = enter_and_land(&mut b, &href);
    assert!(href.contains('#'), "the result names a section: {href}");
    assert!(
        landed.to_lowercase().contains("seccomp"),
        "section text: {landed}"
    );

    // A Markdown section, reached from the RST page.
    let results = search(&mut b, "zwieb");
    let (href, text) = results.first().cloned().expect("a result for zwieb");
    assert!(
        href.ends_with("kbase/markdown-search.html#rusks-and-biscuits"),
        "{results:?}"
    );
    assert!(text.contains("Zwieback"), "{results:?}");
    let landed = enter_and_land(&mut b, &href);
    assert!(
        landed.contains("Rusks and biscuits") && landed.contains("Zwieback"),
        "{landed}"
    );

    // Nothing from the page is parsed as markup in the results.
    let marks = b.eval(
        "document.querySelectorAll('.kb-search-results script, .kb-search-results img').length",
    );
    assert_eq!(marks, serde_json::json!(0));
    drop(b);
    std::thread::sleep(Duration::from_millis(100));
    let _ = std::fs::remove_dir_all(&tmp);
}
