//! Golden test: the rendered `<article>` of the QEMU passthrough article is
//! pinned in `tests/golden/qemu-passthrough-security.html`, so any change of
//! the writer or the parser that changes what readers see shows up as a
//! diff in review. Regenerate with `KBGEN_BLESS=1 cargo test --test site_golden`.

use std::path::Path;

use kbgen::site::{BuildOptions, build};

#[test]
fn article_matches_golden_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dest = std::env::temp_dir().join(format!("kbgen-site-golden-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dest);
    let opts = BuildOptions {
        config_path: root.join("book.toml"),
        dest: Some(dest.clone()),
        write: true,
        force: false,
    };
    let outcome = build(&opts).expect("the default site builds");
    assert!(outcome.written, "{:?}", outcome.report);
    let page = std::fs::read_to_string(dest.join("kbase/qemu-passthrough-security.html")).unwrap();
    let _ = std::fs::remove_dir_all(&dest);
    let start = page.find("<article").expect("page has an <article>");
    let end = page.find("</article>").expect("page closes its <article>") + "</article>".len();
    let actual = format!("{}\n", &page[start..end]);

    let golden = root.join("tests/golden/qemu-passthrough-security.html");
    if std::env::var_os("KBGEN_BLESS").is_some() {
        std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
        std::fs::write(&golden, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&golden).unwrap_or_default();
    if actual != expected {
        let line = actual
            .lines()
            .zip(expected.lines())
            .position(|(a, e)| a != e)
            .map_or_else(
                || actual.lines().count().min(expected.lines().count()) + 1,
                |i| i + 1,
            );
        panic!(
            "rendered article differs from {} at line {line}:\n  expected: {:?}\n  actual:   {:?}\n(re-bless with KBGEN_BLESS=1 if the change is intended)",
            golden.display(),
            expected.lines().nth(line - 1).unwrap_or("<end of file>"),
            actual.lines().nth(line - 1).unwrap_or("<end of file>"),
        );
    }
}
