//! Golden tests for the Sphinx dialect: every `tests/sphinx/DIR/NAME.rst`
//! is read as Sphinx reads it and compared with `NAME.pxml`, the output of
//! Sphinx 9.0.4's `sphinx-build -b pseudoxml DIR` with `DIR/conf.py`.
//! kbgen's tree is shown as Sphinx's pseudoxml builder shows an isolated
//! page: system messages removed (Sphinx logs them), cross-references left
//! unresolved (no other page defines their targets). Normalised: the
//! document line, and absolute paths in `source=` (literalinclude).
//!
//! Regenerate the expected files with Sphinx:
//!
//! ```text
//! KBGEN_BLESS=1 cargo test --release --test sphinx_goldens
//! ```
//!
//! which runs `$KBGEN_SPHINX_BUILD` (default the bench venv's sphinx-build).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use kbgen::ast::{Attr, Element, Node, Tag, to_pseudoxml};
use kbgen::config::{Dialect, SphinxSettings};
use kbgen::source::SourceFile;
use kbgen::syntax::rst::{RstOptions, parse_document};

fn dir(sub: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/sphinx")
        .join(sub)
}

/// The settings of each golden folder, as its `conf.py` says.
fn settings(sub: &str) -> SphinxSettings {
    let mut s = SphinxSettings {
        tags: ["pseudoxml", "format_pseudoxml", "builder_pseudoxml"]
            .into_iter()
            .map(String::from)
            .collect(),
        ..SphinxSettings::default()
    };
    if sub == "settings" {
        s.version = "2.0".into();
        s.release = "2.0.1rc1".into();
        s.today = "Jan 01, 2000".into();
        s.rst_prolog = "\n.. |proj| replace:: ProjectName\n".into();
        s.rst_epilog = "\n.. |ep| replace:: EpilogText\n\nEpilog paragraph.\n".into();
    }
    s
}

fn normalise(s: &str, base: &Path) -> String {
    let base = format!("{}/", base.display());
    let mut out = String::new();
    for (i, line) in s.replace("\r\n", "\n").lines().enumerate() {
        if i == 0 && line.starts_with("<document") {
            out.push_str("<document>\n");
            continue;
        }
        out.push_str(&line.replace(&base, ""));
        out.push('\n');
    }
    out
}

fn drop_messages(e: &mut Element) {
    e.children
        .retain(|c| !matches!(c, Node::Element(m) if m.tag == Tag::SystemMessage));
    for c in e.elements_mut() {
        drop_messages(c);
    }
}

/// kbgen's tree of a page, and its system messages (level, line, text).
pub fn read(sub: &str, name: &str) -> (Element, Vec<(String, String, String)>) {
    let base = dir(sub);
    let path = base.join(name);
    let text = String::from_utf8(std::fs::read(&path).expect("read golden input"))
        .expect("golden inputs are UTF-8");
    let source = SourceFile::new(name, text);
    let opts = RstOptions {
        source_name: name.to_string(),
        include_root: Some(base.clone()),
        dialect: Dialect::Sphinx,
        sphinx: Some(Arc::new(settings(sub))),
        docname: name.trim_end_matches(".rst").to_string(),
        // Sphinx's `smartquotes` is on by default.
        smart_quotes: true,
        ..Default::default()
    };
    let doc = parse_document(&source, &opts);
    let mut messages = Vec::new();
    doc.walk(&mut |e| {
        if e.tag == Tag::SystemMessage {
            messages.push((
                e.get(Attr::Type).unwrap_or("").to_string(),
                e.get(Attr::Line).unwrap_or("").to_string(),
                e.first(Tag::Paragraph)
                    .map(|p| p.astext())
                    .unwrap_or_default(),
            ));
        }
    });
    (doc, messages)
}

fn kbgen_view(sub: &str, name: &str) -> String {
    let (mut doc, _) = read(sub, name);
    drop_messages(&mut doc);
    kbgen::syntax::rst::sphinx::roles::unresolved(&mut doc);
    normalise(&to_pseudoxml(&doc), &dir(sub).canonicalize().expect("dir"))
}

fn bless(sub: &str) {
    let exe = std::env::var("KBGEN_SPHINX_BUILD").unwrap_or_else(|_| {
        format!(
            "{}/.cache/kbgen-bench/venv/bin/sphinx-build",
            std::env::var("HOME").unwrap_or_default()
        )
    });
    let out = std::env::temp_dir().join(format!("kbgen-sphinx-golden-{sub}"));
    let _ = std::fs::remove_dir_all(&out);
    let status = std::process::Command::new(exe)
        .args(["-q", "-E", "-b", "pseudoxml", "."])
        .arg(&out)
        .current_dir(dir(sub))
        .status()
        .expect("run sphinx-build");
    assert!(status.success(), "sphinx-build failed");
    for entry in std::fs::read_dir(&out).expect("sphinx output") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "pseudoxml") {
            let text = std::fs::read_to_string(&path).expect("read output");
            let base = dir(sub).canonicalize().expect("dir");
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("x");
            std::fs::write(
                dir(sub).join(format!("{stem}.pxml")),
                normalise(&text, &base),
            )
            .expect("write golden");
        }
    }
}

fn check(sub: &str) {
    if std::env::var_os("KBGEN_BLESS").is_some() {
        bless(sub);
    }
    let mut failures = Vec::new();
    let mut count = 0;
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir(sub))
        .expect("golden dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "rst"))
        .collect();
    names.sort();
    for path in names {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        let want = std::fs::read_to_string(path.with_extension("pxml")).expect("golden .pxml");
        let got = kbgen_view(sub, &name);
        count += 1;
        if want != got {
            let line = want
                .lines()
                .zip(got.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(want.lines().count().min(got.lines().count()));
            failures.push(format!(
                "{sub}/{name}: first difference at line {}\n  sphinx: {:?}\n  kbgen:  {:?}",
                line + 1,
                want.lines().nth(line).unwrap_or("<end>"),
                got.lines().nth(line).unwrap_or("<end>")
            ));
        }
    }
    assert!(count > 0, "no goldens in {sub}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn pages_match_sphinx() {
    check("pages");
}

#[test]
fn settings_match_sphinx() {
    check("settings");
}

#[test]
fn bad_input_is_a_warning_at_the_page_line() {
    let (doc, messages) = read("bad", "bad.rst");
    let has = |line: &str, text: &str| {
        messages.iter().any(|(kind, l, t)| {
            // Messages in the tree went through SmartQuotes (as in
            // docutils); Sphinx's log has them as written.
            let t = t.replace(['\u{2018}', '\u{2019}'], "'");
            kind == "WARNING" && l == line && t.contains(text)
        })
    };
    assert!(
        has("4", "line number spec is out of range(1-1): '5'"),
        "{messages:?}"
    );
    assert!(has("9", "invalid line number spec: '9-3'"), "{messages:?}");
    assert!(
        has("12", "start-after pattern not found: NOT THERE"),
        "{messages:?}"
    );
    assert!(has("15", "'blob.bin' seems to be wrong"), "{messages:?}");
    assert!(has("17", "Encoding 'utf-8-sig'"), "{messages:?}");
    assert!(has("19", "not found or reading it failed"), "{messages:?}");
    assert!(has("21", "outside the content folder"), "{messages:?}");
    assert!(
        has("23", "exception while evaluating only directive expression"),
        "{messages:?}"
    );
    assert!(
        has("27", "line number spec is out of range(1-3): '7'"),
        "{messages:?}"
    );
    assert!(
        has("34", "glossary terms must not be separated by empty lines"),
        "{messages:?}"
    );
    // The content of the bad `only` is kept, the in-range block too.
    let text = to_pseudoxml(&doc);
    assert!(text.contains("kept"), "{text}");
    assert!(text.contains("only one line"), "{text}");
}

#[test]
fn bad_domain_input_is_a_warning_at_the_page_line() {
    let (doc, messages) = read("bad", "bad.rst");
    let has = |line: &str, text: &str| {
        messages
            .iter()
            .any(|(kind, l, t)| kind == "WARNING" && l == line && t.contains(text))
    };
    assert!(has("37", "Invalid C declaration"), "{messages:?}");
    assert!(
        has("41", "Duplicate C declaration, also defined at bad:39."),
        "{messages:?}"
    );
    assert!(
        has(
            "45",
            "duplicate object description of dup, other instance in bad"
        ),
        "{messages:?}"
    );
    assert!(
        has("47", "could not parse Python signature"),
        "{messages:?}"
    );
    assert!(has("49", "Invalid C declaration"), "{messages:?}");
    // Nothing lost: the signatures as written, the content of the bad one.
    let text = to_pseudoxml(&doc);
    assert!(text.contains("int (broken"), "{text}");
    assert!(text.contains("spam(a, b"), "{text}");
    assert!(text.contains("Still here."), "{text}");
}
