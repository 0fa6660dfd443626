//! Golden tests for the RST parser: every `tests/rst/NAME.rst` is parsed
//! and dumped as pseudo-XML, and compared with `tests/rst/NAME.pxml`, the
//! output of docutils 0.23 (`docutils --writer=pseudoxml NAME.rst`, run
//! inside `tests/rst` so `source=` is stable). Only the document's `source`
//! attribute is normalised.
//!
//! Regenerate the expected files with docutils:
//!
//! ```text
//! KBGEN_BLESS=1 cargo test --test rst_goldens
//! ```
//!
//! which runs `$KBGEN_DOCUTILS` (default `~/.cache/kbgen-docutils/bin/docutils`).

use std::path::{Path, PathBuf};

use kbgen::ast::to_pseudoxml;
use kbgen::source::SourceFile;
use kbgen::syntax::rst::{RstOptions, parse_document};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rst")
}

fn normalise(s: &str) -> String {
    let mut out = String::new();
    for (i, line) in s.replace("\r\n", "\n").lines().enumerate() {
        if i == 0 && line.starts_with("<document") {
            if let Some(a) = line.find(" source=\"") {
                let rest = &line[a + 9..];
                let end = rest.find('"').map(|e| a + 9 + e + 1).unwrap_or(line.len());
                out.push_str(&line[..a]);
                out.push_str(" source=\"SOURCE\"");
                out.push_str(&line[end..]);
                out.push('\n');
                continue;
            }
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn kbgen_dump(path: &Path) -> String {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("x.rst")
        .to_string();
    let bytes = std::fs::read(path).expect("read golden input");
    let text = String::from_utf8(bytes).expect("golden inputs are UTF-8");
    let source = SourceFile::new(&name, text);
    let opts = RstOptions {
        source_name: name,
        allow_raw: true,
        include_root: Some(dir()),
    };
    to_pseudoxml(&parse_document(&source, &opts))
}

fn bless(path: &Path) -> String {
    let docutils = std::env::var("KBGEN_DOCUTILS")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(std::env::var("HOME").unwrap_or_default())
                .join(".cache/kbgen-docutils/bin/docutils")
        });
    let name = path.file_name().expect("file name");
    let out = std::process::Command::new(docutils)
        .arg("--writer=pseudoxml")
        .arg(name)
        .current_dir(dir())
        .output()
        .expect("run docutils");
    String::from_utf8(out.stdout).expect("docutils output is UTF-8")
}

/// A small line diff: the first differing region with context.
fn diff(want: &str, got: &str) -> String {
    let w: Vec<&str> = want.lines().collect();
    let g: Vec<&str> = got.lines().collect();
    let first = w
        .iter()
        .zip(g.iter())
        .position(|(a, b)| a != b)
        .unwrap_or(w.len().min(g.len()));
    let mut s = String::new();
    let from = first.saturating_sub(3);
    for i in from..(first + 8) {
        if let Some(l) = w.get(i) {
            s.push_str(&format!("docutils {:4}: {l}\n", i + 1));
        }
        if let Some(l) = g.get(i) {
            s.push_str(&format!("kbgen    {:4}: {l}\n", i + 1));
        }
    }
    s
}

#[test]
fn rst_goldens_match_docutils() {
    let blessing = std::env::var("KBGEN_BLESS").is_ok_and(|v| v == "1");
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(dir())
        .expect("tests/rst exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|e| e == "rst")
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("_"))
        })
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 10, "expected golden inputs in tests/rst");
    let mut failures = Vec::new();
    for input in &inputs {
        let expected_path = input.with_extension("pxml");
        if blessing {
            std::fs::write(&expected_path, bless(input)).expect("write golden");
        }
        let want = normalise(&std::fs::read_to_string(&expected_path).unwrap_or_default());
        let got = normalise(&kbgen_dump(input));
        if want != got {
            failures.push(format!("== {}\n{}", input.display(), diff(&want, &got)));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} goldens differ:\n{}",
        failures.len(),
        inputs.len(),
        failures.join("\n")
    );
}
