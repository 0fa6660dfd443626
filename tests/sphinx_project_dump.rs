//! `kbgen dump --dialect sphinx --project DIR`: the pages of a Sphinx
//! project resolved against each other must print as `sphinx-build -b
//! pseudoxml` prints them. `tests/sphinx/project` (pages in two folders:
//! toctrees with caption, explicit titles, `self`, a URL, `:hidden:`,
//! `:titlesonly:` and a page with two top-level sections; `:ref:`,
//! `:doc:`, `:option:` and citations on the same page and across pages,
//! missing targets; `literalinclude` relative to a page in a sub-folder
//! and from the source folder's top) has each page's `NAME.pxml`
//! recorded from Sphinx 9.0.4, normalised as `sphinx_goldens` does.
//!
//! Regenerate them with Sphinx:
//!
//! ```text
//! KBGEN_BLESS=1 cargo test --release --test sphinx_project_dump
//! ```

use std::path::{Path, PathBuf};

fn project() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sphinx/project")
}

/// The document line and the project's absolute path are what differ
/// between machines.
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

/// Docnames of the project's pages.
fn pages() -> Vec<String> {
    let mut names: Vec<String> = walkdir::WalkDir::new(project())
        .into_iter()
        .map(|e| e.expect("walk project").into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "rst"))
        .map(|p| {
            let rel = p.strip_prefix(project()).expect("under project");
            rel.with_extension("").to_string_lossy().replace('\\', "/")
        })
        .collect();
    names.sort();
    names
}

fn bless(base: &Path) {
    let exe = std::env::var("KBGEN_SPHINX_BUILD").unwrap_or_else(|_| {
        format!(
            "{}/.cache/kbgen-bench/venv/bin/sphinx-build",
            std::env::var("HOME").unwrap_or_default()
        )
    });
    let out = std::env::temp_dir().join("kbgen-sphinx-golden-project");
    let _ = std::fs::remove_dir_all(&out);
    let status = std::process::Command::new(exe)
        .args(["-q", "-E", "-b", "pseudoxml", "."])
        .arg(&out)
        .current_dir(project())
        .status()
        .expect("run sphinx-build");
    assert!(status.success(), "sphinx-build failed");
    for doc in pages() {
        let text = std::fs::read_to_string(out.join(format!("{doc}.pseudoxml")))
            .expect("Sphinx wrote every page");
        std::fs::write(
            project().join(format!("{doc}.pxml")),
            normalise(&text, base),
        )
        .expect("write golden");
    }
}

#[test]
fn project_pages_resolve_as_sphinx_prints_them() {
    let base = project().canonicalize().expect("project dir");
    if std::env::var_os("KBGEN_BLESS").is_some() {
        bless(&base);
    }
    let out = std::env::temp_dir().join(format!("kbgen-project-dump-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_kbgen"))
        .args(["dump", "--dialect", "sphinx", "--project", "."])
        .args(["--include-root", ".", "--smart-quotes", "yes", "--out"])
        .arg(&out)
        .current_dir(project())
        .output()
        .expect("run kbgen dump");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    // The references Sphinx cannot resolve are warned about, at their line.
    for warning in [
        "index.rst:25:1: warning[ref-undefined-label]: undefined label: 'missing-label'",
        "index.rst:26:1: warning[ref-unknown-document]: unknown document: 'nope'",
        "guide/options.rst:12:1: warning[ref-option]: unknown option: '--other'",
    ] {
        assert!(stderr.contains(warning), "{warning}\n{stderr}");
    }
    let mut failures = Vec::new();
    let docs = pages();
    assert!(docs.len() >= 5, "{docs:?}");
    for doc in &docs {
        let want =
            std::fs::read_to_string(project().join(format!("{doc}.pxml"))).expect("golden .pxml");
        let got = normalise(
            &std::fs::read_to_string(out.join(format!("{doc}.kbgen"))).expect("kbgen's page"),
            &base,
        );
        if want != got {
            let line = want
                .lines()
                .zip(got.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(want.lines().count().min(got.lines().count()));
            failures.push(format!(
                "{doc}: first difference at line {}\n  sphinx: {:?}\n  kbgen:  {:?}",
                line + 1,
                want.lines().nth(line).unwrap_or("<end>"),
                got.lines().nth(line).unwrap_or("<end>")
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&out);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn one_page_of_a_project_prints_alone() {
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_kbgen"))
        .args(["dump", "--dialect", "sphinx", "--project", "."])
        .args(["--include-root", ".", "--smart-quotes", "yes"])
        .arg("guide/hidden.rst")
        .current_dir(project())
        .output()
        .expect("run kbgen dump");
    assert!(run.status.success());
    let got = normalise(
        &String::from_utf8_lossy(&run.stdout),
        &project().canonicalize().expect("dir"),
    );
    let want = std::fs::read_to_string(project().join("guide/hidden.pxml")).expect("golden");
    assert_eq!(got, want);
    // Not a page of the project: refused, not guessed.
    let outside = std::process::Command::new(env!("CARGO_BIN_EXE_kbgen"))
        .args(["dump", "--dialect", "sphinx", "--project", "guide"])
        .arg("index.rst")
        .current_dir(project())
        .output()
        .expect("run kbgen dump");
    assert!(!outside.status.success());
}
