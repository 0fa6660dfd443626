//! Bad input to a Sphinx project (`kbgen check -c conf.py`), each a
//! diagnostic with a file and a line and nothing lost: a toctree cycle,
//! an entry naming a missing document, a glob matching nothing, duplicate
//! labels, `:ref:` to a label without a title, `include` and
//! `literalinclude` leaving the include root, `:download:` of a missing
//! file or of one outside the root, a conf.py with a syntax error (exit
//! 2, at its line) and a conf.py of 10 MB; a page under two numbered
//! toctrees; `suppress_warnings` in conf.py.

mod serve_support;

use std::path::Path;
use std::process::Command;

use serve_support::{TempDir, write};

/// One diagnostic as `--message-format json` prints it.
#[derive(Debug)]
struct Diag {
    code: String,
    file: String,
    line: u64,
    message: String,
}

/// Runs `kbgen check -c conf.py` on a project made of `files` (a `.git`
/// folder marks the repository, the include root); exit code and diagnostics.
fn check(name: &str, files: &[(&str, &str)]) -> (i32, Vec<Diag>, TempDir) {
    let tmp = TempDir::new(name);
    let repo = tmp.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    for (path, text) in files {
        write(&repo.join(path), text);
    }
    let (code, diags) = run_check(&repo.join("docs/conf.py"));
    (code, diags, tmp)
}

fn run_check(conf: &Path) -> (i32, Vec<Diag>) {
    let out = Command::new(env!("CARGO_BIN_EXE_kbgen"))
        .args(["check", "--message-format", "json", "-c"])
        .arg(conf)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let diags = stderr
        .lines()
        .chain(stdout.lines())
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .map(|v| Diag {
            code: v["code"].as_str().unwrap_or("").to_string(),
            file: v["file"].as_str().unwrap_or("").to_string(),
            line: v["line"].as_u64().unwrap_or(0),
            message: v["message"].as_str().unwrap_or("").to_string(),
        })
        .collect();
    (out.status.code().unwrap_or(-1), diags)
}

/// The diagnostic with `code`, which must point at `file`:`line`.
fn expect(diags: &[Diag], code: &str, file: &str, line: u64) -> String {
    let d = diags
        .iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("no {code} in {diags:#?}"));
    assert!(d.file.ends_with(file), "{code} in {}: {d:?}", d.file);
    assert_eq!(d.line, line, "{code}: {d:?}");
    d.message.clone()
}

const CONF: (&str, &str) = ("docs/conf.py", "project = 'Bad'\n");

#[test]
fn toctree_problems_are_warnings_at_the_toctree() {
    let (code, diags, _tmp) = check(
        "bad-toctree",
        &[
            CONF,
            (
                "docs/index.rst",
                "Home\n====\n\n.. toctree::\n\n   a\n   missing\n\n.. toctree::\n   :glob:\n\n   nothing/*\n",
            ),
            ("docs/a.rst", "A\n=\n\n.. toctree::\n\n   b\n"),
            ("docs/b.rst", "B\n=\n\n.. toctree::\n\n   a\n"),
        ],
    );
    assert_eq!(code, 0, "{diags:#?}");
    let m = expect(&diags, "toc-missing", "index.rst", 4);
    assert!(m.contains("missing"), "{m}");
    let m = expect(&diags, "toc-glob", "index.rst", 9);
    assert!(m.contains("nothing/*"), "{m}");
    let m = expect(&diags, "toc-circular", "b.rst", 4);
    assert!(m.contains('a'), "{m}");
}

/// Sphinx 9.0.4 on the same pages: `index.rst:9: WARNING: b is already
/// assigned section numbers (nested numbered toctree?) [toc.secnum]`, and
/// `b` keeps the number `1.1.` its first toctree gave it.
#[test]
fn a_page_under_two_numbered_toctrees_warns_at_the_second() {
    let (code, diags, tmp) = check(
        "bad-secnum",
        &[
            CONF,
            (
                "docs/index.rst",
                "Root\n====\n\n.. toctree::\n   :numbered:\n\n   a\n\n.. toctree::\n   :numbered:\n\n   b\n",
            ),
            ("docs/a.rst", "A\n=\n\n.. toctree::\n\n   b\n"),
            ("docs/b.rst", "B\n=\n"),
        ],
    );
    assert_eq!(code, 0, "{diags:#?}");
    let m = expect(&diags, "toc-secnum", "index.rst", 9);
    assert_eq!(
        m,
        "b is already assigned section numbers (nested numbered toctree?)"
    );
    let out = tmp.path().join("out");
    let status = Command::new(env!("CARGO_BIN_EXE_kbgen"))
        .args(["build", "--dest"])
        .arg(&out)
        .arg("-c")
        .arg(tmp.path().join("repo/docs/conf.py"))
        .output()
        .unwrap();
    assert!(status.status.success());
    let b = std::fs::read_to_string(out.join("b.html")).unwrap();
    assert!(b.contains("<title>1.1. B — "), "{b}");
}

/// `suppress_warnings = ["ref.option"]` (QEMU's conf.py has it) silences
/// unknown options and nothing else, as in Sphinx 9.0.4, which reports
/// only `index.rst:8: WARNING: term not in glossary: 'nosuch' [ref.term]`.
#[test]
fn suppress_warnings_silences_what_sphinx_silences() {
    let conf = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sphinx/suppress/conf.py");
    let (code, diags) = run_check(&conf);
    assert_eq!(code, 0, "{diags:#?}");
    let codes: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["ref-term"], "{diags:#?}");
    expect(&diags, "ref-term", "index.rst", 8);
}

#[test]
fn duplicate_labels_and_refs_without_a_title_are_located() {
    let (code, diags, _tmp) = check(
        "bad-labels",
        &[
            CONF,
            (
                "docs/index.rst",
                ".. _dup:\n\nHome\n====\n\n.. toctree::\n\n   other\n\n.. _para:\n\nA paragraph.\n\nSee :ref:`para`.\n",
            ),
            ("docs/other.rst", ".. _dup:\n\nOther\n=====\n\ntext\n"),
        ],
    );
    assert_eq!(code, 0, "{diags:#?}");
    // At the labelled section's title (Sphinx says line 4, its underline).
    let m = expect(&diags, "ref-duplicate-label", "other.rst", 3);
    assert!(m.contains("dup"), "{m}");
    let m = expect(&diags, "ref-no-title", "index.rst", 14);
    assert!(m.contains("para"), "{m}");
}

#[test]
fn includes_and_downloads_stay_inside_the_include_root() {
    let tmp = TempDir::new("bad-root-outside");
    let secret = tmp.path().join("secret.txt");
    write(&secret, "SECRET\n");
    let (code, diags, tmp2) = check(
        "bad-root",
        &[
            CONF,
            (
                "docs/index.rst",
                &format!(
                    "Home\n====\n\n.. include:: {0}\n\n.. literalinclude:: {0}\n\n:download:`../../../secret.txt`\n\n:download:`missing.txt`\n\n:download:`../inside.txt`\n",
                    secret.display()
                ),
            ),
            ("inside.txt", "inside the repository\n"),
        ],
    );
    assert_eq!(code, 1, "{diags:#?}");
    let outside: Vec<&Diag> = diags
        .iter()
        .filter(|d| d.file.ends_with("index.rst") && d.line == 4 || d.line == 6)
        .collect();
    assert!(outside.len() >= 2, "include and literalinclude: {diags:#?}");
    let m = expect(&diags, "download-outside-root", "index.rst", 8);
    assert!(m.contains("outside the include root"), "{m}");
    let m = expect(&diags, "download-not-readable", "index.rst", 10);
    assert!(m.contains("missing.txt"), "{m}");
    assert!(
        !diags.iter().any(|d| d.message.contains("inside.txt")),
        "{diags:#?}"
    );
    // Nothing of the file outside was published.
    let out = tmp2.path().join("out");
    let status = Command::new(env!("CARGO_BIN_EXE_kbgen"))
        .args(["build", "--dest"])
        .arg(&out)
        .arg("-c")
        .arg(tmp2.path().join("repo/docs/conf.py"))
        .output()
        .unwrap();
    assert!(!status.status.success());
    for entry in walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).unwrap();
            assert!(
                !String::from_utf8_lossy(&bytes).contains("SECRET"),
                "{}",
                entry.path().display()
            );
        }
    }
}

#[test]
fn a_conf_py_syntax_error_exits_2_at_its_line() {
    let (code, diags, _tmp) = check(
        "bad-conf-syntax",
        &[
            (
                "docs/conf.py",
                "project = 'x'\nversion = (\n\nrelease = '1'\n",
            ),
            ("docs/index.rst", "Home\n====\n"),
        ],
    );
    assert_eq!(code, 2, "{diags:#?}");
    let d = diags
        .iter()
        .find(|d| d.file.ends_with("conf.py"))
        .unwrap_or_else(|| panic!("{diags:#?}"));
    assert_eq!(d.line, 2, "{d:?}");
}

#[test]
fn a_ten_megabyte_conf_py_is_read_in_bounded_time() {
    let mut text = String::from("project = 'Big'\n");
    let mut i = 0;
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(&format!("value_{i} = 'some text ' + str({i})\n"));
        i += 1;
    }
    let started = std::time::Instant::now();
    let (code, diags, _tmp) = check(
        "bad-conf-big",
        &[("docs/conf.py", &text), ("docs/index.rst", "Home\n====\n")],
    );
    let took = started.elapsed();
    eprintln!("10 MB conf.py, whole check: {took:?}");
    assert!(code == 0 || code == 1, "exit {code}: {diags:#?}");
    assert!(
        diags.iter().all(|d| !d.file.is_empty() && d.line > 0),
        "every diagnostic located: {diags:#?}"
    );
    assert!(took.as_secs() < 60, "{took:?}");
}

/// A `:download:` naming a FIFO is refused (only regular files are read,
/// through the one reader), not waited on: the check ends within 20 s
/// with a warning at the role.
#[cfg(unix)]
#[test]
fn a_download_that_is_a_fifo_does_not_hang_the_build() {
    let tmp = TempDir::new("bad-download-fifo");
    let repo = tmp.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    write(&repo.join(CONF.0), CONF.1);
    write(
        &repo.join("docs/index.rst"),
        "Home\n====\n\n:download:`pipe.txt`\n",
    );
    let made = Command::new("mkfifo")
        .arg(repo.join("docs/pipe.txt"))
        .status()
        .is_ok_and(|s| s.success());
    assert!(made, "mkfifo");
    let mut child = Command::new(env!("CARGO_BIN_EXE_kbgen"))
        .args(["check", "--message-format", "json", "-c"])
        .arg(repo.join("docs/conf.py"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("kbgen check hung on a FIFO download");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    let all =
        String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    assert!(
        all.contains("download-not-readable") && all.contains("pipe.txt"),
        "{all}"
    );
}

/// `literalinclude` paths are Sphinx's: relative to the page's folder, or
/// from the source folder with `/`; the include root (the repository)
/// may hold files above the source folder, as QEMU's docs include
/// `../../backends/*.xml`.
#[test]
fn literalinclude_reads_from_the_page_folder_and_the_source_folder() {
    let (code, diags, tmp) = check(
        "literalinclude-paths",
        &[
            CONF,
            (
                "docs/index.rst",
                "Home\n====\n\n.. toctree::\n\n   sub/page\n",
            ),
            (
                "docs/sub/page.rst",
                "Page\n====\n\n.. literalinclude:: ../../src/above.txt\n\n.. literalinclude:: /top.txt\n\n.. literalinclude:: near.txt\n",
            ),
            ("src/above.txt", "above_the_source_folder\n"),
            ("docs/top.txt", "at_the_source_top\n"),
            ("docs/sub/near.txt", "beside_the_page\n"),
        ],
    );
    assert_eq!(code, 0, "{diags:#?}");
    assert!(
        !diags.iter().any(|d| d.message.contains("Include file")),
        "{diags:#?}"
    );
    let out = tmp.path().join("out");
    let status = Command::new(env!("CARGO_BIN_EXE_kbgen"))
        .args(["build", "--dest"])
        .arg(&out)
        .arg("-c")
        .arg(tmp.path().join("repo/docs/conf.py"))
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
    let html = std::fs::read_to_string(out.join("sub/page.html")).unwrap();
    for text in [
        "above_the_source_folder",
        "at_the_source_top",
        "beside_the_page",
    ] {
        assert!(html.contains(text), "{text} missing from sub/page.html");
    }
}
