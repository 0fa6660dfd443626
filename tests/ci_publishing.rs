//! Docs-CI behaviour of the `kbgen` binary: exit codes, machine-readable
//! diagnostics, reproducible output, safe output folders, `init`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn kbgen(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kbgen"))
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("kbgen runs")
}

/// A fresh folder under the system temp dir, unique per test.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kbgen-ci-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A two-page site; `b.rst` links to a section of `a.rst`.
fn small_site(name: &str, link: &str) -> PathBuf {
    let dir = temp_dir(name);
    write(&dir, "book.toml", "title = \"T\"\n");
    write(
        &dir,
        "content/a.rst",
        "======\nPage A\n======\n\nIntro.\n\nFirst part\n==========\n\nText.\n\nSecond part\n===========\n\nMore.\n",
    );
    write(
        &dir,
        "content/b.rst",
        &format!("======\nPage B\n======\n\nSee `the first part <{link}>`__ for details.\n"),
    );
    dir
}

fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .to_string();
            out.push((rel, std::fs::read(e.path()).unwrap()));
        }
    }
    out
}

#[test]
fn broken_anchor_is_reported_at_its_line_in_json() {
    let dir = small_site("anchor", "a.html#frist-part");
    let out = kbgen(&dir, &["check", "--message-format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let diags: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let broken = diags
        .iter()
        .find(|d| d["code"] == "link-broken")
        .unwrap_or_else(|| panic!("no link-broken in {stdout}"));
    assert_eq!(broken["file"], "content/b.rst");
    assert_eq!(broken["line"], 5);
    assert_eq!(broken["column"], 5);
    assert_eq!(broken["severity"], "error");
    assert!(
        broken["help"]
            .as_str()
            .unwrap()
            .contains("a.html#first-part"),
        "{broken}"
    );
}

#[test]
fn github_format_is_a_workflow_command() {
    let dir = small_site("github", "missing.html");
    let out = kbgen(&dir, &["check", "--message-format", "github"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let line = stdout
        .lines()
        .find(|l| l.contains("link-broken"))
        .expect("annotation");
    // ::error file={name},line={line},col={col},endLine=…,title=…::{message}
    let re_ok = line.starts_with("::error file=content/b.rst,line=5,col=5,")
        && line.contains("::broken link");
    assert!(re_ok, "{line}");
    assert!(!line[2..].contains('\n'));
}

#[test]
fn clean_site_checks_and_builds_with_exit_zero() {
    let dir = small_site("clean", "a.html#first-part");
    let out = kbgen(&dir, &["check", "--strict"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!dir.join("book").exists(), "check must not write the site");
    let out = kbgen(&dir, &["build", "--strict"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.join("book/a.html").is_file());
    assert!(dir.join("book/404.html").is_file());
}

#[test]
fn two_builds_are_byte_identical() {
    let dir = small_site("repro", "a.html#first-part");
    assert_eq!(
        kbgen(&dir, &["build", "--dest", "out1"]).status.code(),
        Some(0)
    );
    assert_eq!(
        kbgen(&dir, &["build", "--dest", "out2"]).status.code(),
        Some(0)
    );
    let (a, b) = (tree(&dir.join("out1")), tree(&dir.join("out2")));
    assert!(a.len() > 4);
    assert_eq!(a, b);
}

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let dir = small_site("atomic", "a.html#first-part");
    assert_eq!(kbgen(&dir, &["build"]).status.code(), Some(0));
    let before = tree(&dir.join("book"));
    write(
        &dir,
        "content/b.rst",
        "======\nPage B\n======\n\nSee `x <nowhere.html>`__.\n",
    );
    let out = kbgen(&dir, &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(tree(&dir.join("book")), before);
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.contains("kbgen-staging") || n.contains("kbgen-old"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn dangerous_destinations_are_refused_with_nothing_touched() {
    let dir = small_site("unsafe", "a.html#first-part");
    let before = tree(&dir);
    for dest in ["content", "/", ".", ".."] {
        let out = kbgen(&dir, &["build", "--dest", dest]);
        assert_eq!(out.status.code(), Some(2), "--dest {dest}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("refusing"), "{err}");
    }
    assert_eq!(tree(&dir), before);
    // A non-empty folder kbgen did not create needs --force.
    write(&dir, "precious/notes.txt", "keep me");
    let out = kbgen(&dir, &["build", "--dest", "precious"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(dir.join("precious/notes.txt")).unwrap(),
        "keep me"
    );
    assert_eq!(
        kbgen(&dir, &["build", "--dest", "precious", "--force"])
            .status
            .code(),
        Some(0)
    );
    assert!(dir.join("precious/a.html").is_file());
}

#[test]
fn usage_and_config_errors_exit_two() {
    let dir = small_site("usage", "a.html");
    assert_eq!(
        kbgen(&dir, &["build", "--no-such-flag"]).status.code(),
        Some(2)
    );
    write(&dir, "book.toml", "title = \"T\"\ntheme = 3\n");
    let out = kbgen(&dir, &["build"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("book.toml:2:"), "{err}");
    assert!(kbgen(&dir, &["--version"]).status.success());
}

#[test]
fn sub_path_deploy_writes_sitemap_and_absolute_links() {
    let dir = small_site("subpath", "a.html#first-part");
    write(
        &dir,
        "book.toml",
        "title = \"T\"\nsite-url = \"https://example.org/docs/kbase/\"\n",
    );
    assert_eq!(kbgen(&dir, &["build"]).status.code(), Some(0));
    let sitemap = std::fs::read_to_string(dir.join("book/sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("<loc>https://example.org/docs/kbase/a.html</loc>"),
        "{sitemap}"
    );
    let page = std::fs::read_to_string(dir.join("book/b.html")).unwrap();
    assert!(page.contains("href=\"/docs/kbase/index.html\""), "{page}");
}

#[test]
fn init_scaffolds_a_site_that_builds_strictly() {
    let dir = temp_dir("init");
    let out = kbgen(&dir, &["init", "site"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for f in [
        "book.toml",
        "content/kbase/first-article.rst",
        ".github/workflows/kbgen.yml",
    ] {
        assert!(dir.join("site").join(f).is_file(), "{f}");
    }
    let out = kbgen(&dir.join("site"), &["build", "--strict"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A second init refuses to overwrite.
    assert_eq!(kbgen(&dir, &["init", "site"]).status.code(), Some(2));
}

#[test]
fn broken_link_policy_can_downgrade_to_a_warning() {
    let dir = small_site("linkpolicy", "generated/api.html");
    write(
        &dir,
        "book.toml",
        "title = \"T\"\n[links]\nbroken = \"warning\"\n",
    );
    let out = kbgen(&dir, &["build"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("warning[link-broken]"));
    assert_eq!(kbgen(&dir, &["check", "--strict"]).status.code(), Some(1));
    write(
        &dir,
        "book.toml",
        "title = \"T\"\n[links]\nbroken = \"ignore\"\n",
    );
    let out = kbgen(&dir, &["check", "--strict"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn code_directive_with_a_language_is_highlighted_and_validated() {
    // docutils without Pygments would drop the block with a warning; kbgen
    // keeps it (as docutils' `syntax_highlight = none` does), highlights it
    // and validates it when it is XML.
    let dir = small_site("codexml", "a.html");
    let page = "====\nCode\n====\n\n.. code:: xml\n\n   <domain xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>\n     <qemu:commandline><qemu:arg value='-x'/></qemu:commandline>\n   </domain>\n\n.. code:: sh\n\n   virsh start demo\n";
    write(&dir, "content/c.rst", page);
    write(&dir, "book.toml", "title = \"T\"\n");
    let out = kbgen(&dir, &["build", "--strict"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(dir.join("book/c.html")).unwrap();
    assert!(html.contains("validated: QEMU passthrough"), "{html}");
    assert!(html.contains("<span class=\"nt\">"), "highlighted: {html}");
    write(&dir, "content/c.rst", &page.replace(" value='-x'", ""));
    let out = kbgen(&dir, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("content/c.rst:8:"));
}

#[test]
fn hidden_page_nothing_links_to_is_an_unreachable_warning() {
    let dir = small_site("unreachable", "a.html#first-part");
    write(
        &dir,
        "content/secret.rst",
        "======\nSecret\n======\n\n:index: hidden\n\nNot on the index.\n",
    );
    let out = kbgen(&dir, &["check", "--message-format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "a warning alone passes without --strict"
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("\"page-unreachable\"") && stdout.contains("content/secret.rst"),
        "{stdout}"
    );
    let index = {
        assert_eq!(kbgen(&dir, &["build"]).status.code(), Some(0));
        std::fs::read_to_string(dir.join("book/index.html")).unwrap()
    };
    assert!(
        !index.contains("secret.html"),
        "hidden pages stay off the index"
    );
    assert_eq!(kbgen(&dir, &["check", "--strict"]).status.code(), Some(1));
    // Linked from a listed page, it is reachable again.
    write(
        &dir,
        "content/b.rst",
        "======\nPage B\n======\n\nSee `the secret <secret.html>`__.\n",
    );
    let out = kbgen(&dir, &["check", "--strict"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `--timings` turns the page workers' CPU clocks on (they are off
/// otherwise, a system call each): the parse stage then reads more than
/// nothing, and a build without the flag prints no stages at all.
#[test]
fn timings_report_the_page_stages_cpu() {
    let dir = small_site("timings", "a.html#first-part");
    // Enough text for a parse to take well over the 0.01 ms printed.
    let long: String = (0..3000)
        .map(|i| format!("Paragraph {i} with *emphasis* and ``code``.\n\n"))
        .collect();
    write(&dir, "content/c.rst", &format!("Long\n====\n\n{long}"));
    let out = kbgen(&dir, &["build", "--timings"]);
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    let parse_ms: f64 = err
        .lines()
        .find(|l| l.contains("parse + passes (CPU, all threads)"))
        .and_then(|l| l.rsplit(':').next())
        .and_then(|v| v.trim().trim_end_matches("ms").trim().parse().ok())
        .unwrap_or_else(|| panic!("no parse stage in {err}"));
    assert!(parse_ms > 0.0, "{err}");
    let quiet = kbgen(&dir, &["build"]);
    assert!(!String::from_utf8_lossy(&quiet.stderr).contains("all threads"));
}
