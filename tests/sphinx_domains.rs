//! The C and Python domains across pages: `tests/sphinx/domains` built by
//! kbgen must link each role of `uses.rst` where Sphinx 9.0.4 linked it
//! (`uses.hrefs`: the `api.html#...` hrefs of Sphinx's `uses.html` and
//! their `title` attributes, in order), file every object in `objects.inv` as Sphinx does, and warn at
//! the line of each role whose target is missing.

mod serve_support;

use std::path::{Path, PathBuf};

use kbgen::site::{BuildOptions, build};
use serve_support::TempDir;

fn project() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sphinx/domains")
}

#[test]
fn domain_roles_resolve_across_pages_as_sphinx() {
    let tmp = TempDir::new("sphinx-domains");
    let out = tmp.path().join("out");
    let outcome = build(&BuildOptions {
        config_path: project().join("book.toml"),
        dest: Some(out.clone()),
        write: true,
        force: false,
    })
    .expect("build");
    assert!(outcome.written, "{:?}", outcome.report);
    let html = std::fs::read_to_string(out.join("uses.html")).expect("uses.html");
    // Each link's href and `title` attribute (Sphinx's `reftitle`:
    // Python the object's full name, C the name as written).
    let link = regex::Regex::new(
        r#"<a class="reference internal" href="(api\.html#[^"]*)"(?: title="([^"]*)")?>"#,
    )
    .unwrap();
    let got: Vec<String> = link
        .captures_iter(&html)
        .map(|c| format!("{} {}", &c[1], c.get(2).map_or("-", |t| t.as_str())))
        .collect();
    let want = std::fs::read_to_string(project().join("uses.hrefs")).expect("hrefs");
    let want: Vec<&str> = want.lines().collect();
    assert_eq!(got, want);
    // The two roles to missing objects warn, at their lines; `:py:class:`int``
    // (a builtin) does not.
    let report = format!("{:?}", outcome.report);
    assert_eq!(outcome.report.warnings(), 2, "{report}");
    assert!(
        report.contains("c:func reference target not found: nope"),
        "{report}"
    );
    assert!(
        report.contains("py:func reference target not found: missing"),
        "{report}"
    );
}

#[test]
fn domain_objects_are_in_objects_inv() {
    let tmp = TempDir::new("sphinx-domains-inv");
    let out = tmp.path().join("out");
    build(&BuildOptions {
        config_path: project().join("book.toml"),
        dest: Some(out.clone()),
        write: true,
        force: false,
    })
    .expect("build");
    let data = std::fs::read(out.join("objects.inv")).expect("objects.inv");
    // Four header lines, then zlib.
    let mut start = 0;
    for _ in 0..4 {
        start += data[start..]
            .iter()
            .position(|&b| b == b'\n')
            .expect("header")
            + 1;
    }
    let mut text = String::new();
    use std::io::Read;
    flate2::read::ZlibDecoder::new(&data[start..])
        .read_to_string(&mut text)
        .expect("zlib");
    // Sphinx 9.0.4's lines for the same project (its `c:functionParam`
    // entries aside).
    for line in [
        "MAX c:macro 1 api.html#c.$ -",
        "RED c:enumerator 1 api.html#c.color.$ -",
        "add c:function 1 api.html#c.$ -",
        "color c:enum 1 api.html#c.$ -",
        "color.RED c:enumerator 1 api.html#c.$ -",
        "point c:struct 1 api.html#c.$ -",
        "point.x c:member 1 api.html#c.$ -",
        "point_t c:type 1 api.html#c.$ -",
        "pkg.mod py:module 0 api.html#module-$ -",
        "pkg.mod.LIMIT py:data 1 api.html#$ -",
        "pkg.mod.Thing py:class 1 api.html#$ -",
        "pkg.mod.Thing.run py:method 1 api.html#$ -",
        "pkg.mod.spam py:function 1 api.html#$ -",
    ] {
        assert!(text.lines().any(|l| l == line), "{line} not in\n{text}");
    }
}
