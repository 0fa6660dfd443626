//! `numfig` and `:numref:` in a Sphinx project (`tests/sphinx/numfig`,
//! built from its `conf.py`): the numbers of figures, tables and captioned
//! code blocks run project-wide in toctree reading order, `numfig_format`
//! overrides a default, explicit titles fill `{number}` and `{name}`.
//! `numfig.refs` records Sphinx 9.0.4's HTML (`sphinx-build -b html`) with
//! the same extraction as [`numref_lines`]: every `:numref:` link (href and
//! text) and every caption number (the caption's permalink, number, text),
//! in page order.

mod serve_support;

use std::path::{Path, PathBuf};

use kbgen::site::{BuildOptions, build};
use regex::Regex;
use serve_support::TempDir;

fn project(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/sphinx")
        .join(name)
}

fn opts(root: &Path, dest: PathBuf) -> BuildOptions {
    BuildOptions {
        config_path: root.join("conf.py"),
        dest: Some(dest),
        write: true,
        force: false,
    }
}

/// `page numref HREF TEXT` per resolved `:numref:`, `page caption HREF
/// NUMBER | TEXT` per numbered caption, in document order.
fn numref_lines(page: &str, html: &str) -> Vec<String> {
    let pat = Regex::new(
        r#"(?s)<span class="caption-number">(.*?) </span><span class="caption-text">(.*?)</span><a class="headerlink" href="([^"]*)"|<a class="reference internal" href="([^"]*)"><span class="std std-numref">(.*?)</span></a>"#,
    )
    .unwrap();
    let tag = Regex::new(r"<[^>]+>").unwrap();
    pat.captures_iter(html)
        .map(|m| match m.get(1) {
            Some(number) => format!(
                "{page} caption {} {} | {}",
                &m[3],
                number.as_str(),
                tag.replace_all(&m[2], "")
            ),
            None => format!("{page} numref {} {}", &m[4], tag.replace_all(&m[5], "")),
        })
        .collect()
}

#[test]
fn numbers_and_numrefs_match_sphinx() {
    let tmp = TempDir::new("sphinx-numfig");
    let out = tmp.path().join("out");
    let root = project("numfig");
    let outcome = build(&opts(&root, out.clone())).unwrap();
    assert!(outcome.written, "{:?}", outcome.report);
    assert!(
        outcome.report.diagnostics.is_empty(),
        "{:?}",
        outcome.report.diagnostics
    );
    let expected = std::fs::read_to_string(root.with_extension("refs")).unwrap();
    let mut got = Vec::new();
    for page in ["index.html", "figures.html", "tables.html"] {
        let html = std::fs::read_to_string(out.join(page)).unwrap();
        got.extend(numref_lines(page, &html));
    }
    assert_eq!(got.join("\n"), expected.trim_end());
}

/// Without `numfig`, Sphinx warns at the role and keeps its text, and
/// captions carry no number.
#[test]
fn numref_without_numfig_warns_as_sphinx() {
    let tmp = TempDir::new("sphinx-numfig-off");
    let out = tmp.path().join("out");
    let outcome = build(&opts(&project("numfig-off"), out.clone())).unwrap();
    assert!(outcome.written, "{:?}", outcome.report);
    let warnings: Vec<String> = outcome
        .report
        .diagnostics
        .iter()
        .filter(|d| d.code != "link-broken")
        .map(|d| {
            let line = d.location.as_ref().map_or(0, |l| l.line);
            format!("{}:{line} {}", d.code, d.message)
        })
        .collect();
    // Sphinx: `index.rst:10: WARNING: numfig is disabled. :numref: is ignored.`
    assert_eq!(
        warnings,
        ["numref-disabled:10 numfig is disabled. :numref: is ignored."]
    );
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains(r#"No number: <code class="xref std std-numref docutils literal notranslate"><span class="pre">fig-off</span></code>."#));
    assert!(!html.contains("caption-number"));
    assert!(html.contains(r#"<span class="caption-text">A caption.</span>"#));
}
