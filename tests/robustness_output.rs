//! The output folder under attack: `--force` must never replace a folder
//! that holds something other than a site (issue 18, item 8), and builds
//! killed half-way must not leave their staging folders behind for ever
//! (item 10). Every dangerous destination here is a folder the test made,
//! so a regression deletes only test data.

#[path = "hostile/support.rs"]
mod support;

use std::path::Path;
use std::process::Command;

use support::{temp_dir, write};

/// Runs `kbgen` in `dir` with `HOME` set to `home`.
fn kbgen_with_home(dir: &Path, home: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kbgen"))
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .env("HOME", home)
        .output()
        .expect("kbgen runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn page() -> &'static str {
    "=====\nTitle\n=====\n\nText.\n"
}

#[test]
fn force_refuses_a_folder_containing_the_home_folder() {
    // The attack was `--dest "$HOME/.." --force`: a parent of home.
    let dir = temp_dir("force-home");
    let users = dir.join("users");
    let home = users.join("me");
    write(&home, "thesis.txt", "years of work");
    let site = dir.join("site");
    write(&site, "book.toml", "title = \"T\"\n");
    write(&site, "content/a.rst", page());
    for dest in [users.clone(), home.clone()] {
        let (code, err) = kbgen_with_home(
            &site,
            &home,
            &["build", "--force", "--dest", dest.to_str().unwrap()],
        );
        assert_eq!(code, Some(2), "--dest {}: {err}", dest.display());
        assert!(err.contains("home folder"), "{err}");
    }
    assert_eq!(
        std::fs::read_to_string(home.join("thesis.txt")).unwrap(),
        "years of work"
    );
}

#[test]
fn force_refuses_the_repository_that_holds_the_source() {
    // book.toml lives outside the repository, so only the repository check
    // stands between `--force` and the checkout.
    let dir = temp_dir("force-repo");
    let repo = dir.join("repo");
    write(&repo, ".git/HEAD", "ref: refs/heads/main\n");
    write(&repo, "src/main.c", "int main;");
    write(&repo, "docs/content/a.rst", page());
    let cfg = dir.join("cfg");
    write(
        &cfg,
        "book.toml",
        "title = \"T\"\nsource = \"../repo/docs/content\"\n",
    );
    for dest in [repo.clone(), dir.join("repo/docs")] {
        let (code, err) = kbgen_with_home(
            &cfg,
            &dir.join("nohome"),
            &["build", "--force", "--dest", dest.to_str().unwrap()],
        );
        assert_eq!(code, Some(2), "--dest {}: {err}", dest.display());
        assert!(err.contains("refusing"), "{err}");
        if dest == repo {
            assert!(err.contains("repository"), "{err}");
        }
    }
    assert!(repo.join(".git/HEAD").is_file() && repo.join("src/main.c").is_file());
    // A folder beside the checkout is still a fine destination.
    let (code, err) = kbgen_with_home(
        &cfg,
        &dir.join("nohome"),
        &[
            "build",
            "--force",
            "--dest",
            dir.join("public").to_str().unwrap(),
        ],
    );
    assert_eq!(code, Some(0), "{err}");
}

#[test]
fn a_killed_builds_leftovers_are_removed_by_the_next_build() {
    let dir = temp_dir("leftovers");
    write(&dir, "book.toml", "title = \"T\"\n");
    write(&dir, "content/a.rst", page());
    // What SIGKILL leaves: a staging folder and an old site, named with the
    // pid of a process that no longer exists (above Linux's pid_max).
    let dead = 4_194_305u32;
    for tag in ["staging", "old"] {
        let left = dir.join(format!(".book.kbgen-{tag}-{dead}"));
        write(&left, ".kbgen-output", "kbgen");
        write(&left, "big.html", vec![b'x'; 100_000]);
    }
    // Not leftovers: a live process's staging (this test's own pid), and a
    // folder with the right name that kbgen did not make.
    let live = dir.join(format!(".book.kbgen-staging-{}", std::process::id()));
    write(&live, ".kbgen-output", "kbgen");
    let foreign = dir.join(format!(".book.kbgen-old-{}", dead + 1));
    write(&foreign, "notes.txt", "mine");
    let (code, err) = kbgen_with_home(&dir, &dir.join("nohome"), &["build"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(dir.join("book/a.html").is_file());
    for tag in ["staging", "old"] {
        let left = dir.join(format!(".book.kbgen-{tag}-{dead}"));
        assert!(!left.exists(), "{} survived", left.display());
    }
    assert!(live.join(".kbgen-output").is_file());
    assert!(foreign.join("notes.txt").is_file());
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names.iter().filter(|n| n.contains(".kbgen-")).count(),
        2,
        "{names:?}"
    );
}

#[test]
fn a_build_failed_by_its_link_check_keeps_the_previous_site_whole() {
    // The search index is written while the links are checked, so a build
    // the link check fails has already written part of its staging folder:
    // that folder must go, and the previous site must stay as it was.
    let dir = temp_dir("link-error-keeps-site");
    write(
        &dir,
        "book.toml",
        "title = \"T\"\n[links]\nbroken = \"error\"\n",
    );
    write(&dir, "content/a.rst", page());
    let (code, err) = kbgen_with_home(&dir, &dir.join("nohome"), &["build"]);
    assert_eq!(code, Some(0), "{err}");
    let before = std::fs::read(dir.join("book/search-index.js")).unwrap();
    write(
        &dir,
        "content/a.rst",
        "=====\nTitle\n=====\n\nA new word: `gone <missing.html>`_.\n",
    );
    let (code, err) = kbgen_with_home(&dir, &dir.join("nohome"), &["build"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("link-broken"), "{err}");
    assert_eq!(
        std::fs::read(dir.join("book/search-index.js")).unwrap(),
        before
    );
    assert!(
        !std::fs::read_to_string(dir.join("book/a.html"))
            .unwrap()
            .contains("new word")
    );
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.contains(".kbgen-")), "{names:?}");
}

/// The inode of a file of the built site.
#[cfg(unix)]
fn inode(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .ino()
}

#[cfg(unix)]
#[test]
fn a_rebuild_links_unchanged_files_from_the_previous_site_and_writes_the_rest() {
    let dir = temp_dir("rebuild-links");
    write(&dir, "book.toml", "title = \"T\"\n");
    write(&dir, "content/a.rst", page());
    write(&dir, "content/b.rst", "=====\nOther\n=====\n\nSame text.\n");
    let run = || kbgen_with_home(&dir, &dir.join("nohome"), &["build"]);
    let (code, err) = run();
    assert_eq!(code, Some(0), "{err}");
    let site = dir.join("book");
    let (a, b) = (inode(&site.join("a.html")), inode(&site.join("b.html")));
    write(
        &dir,
        "content/a.rst",
        "=====\nTitle\n=====\n\nChanged text.\n",
    );
    let (code, err) = run();
    assert_eq!(code, Some(0), "{err}");
    // b.html is the same bytes: the previous file itself, linked.
    assert_eq!(inode(&site.join("b.html")), b);
    // a.html changed: a new file with the new text.
    assert_ne!(inode(&site.join("a.html")), a);
    let a_html = std::fs::read_to_string(site.join("a.html")).unwrap();
    assert!(a_html.contains("Changed text."), "{a_html}");
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.contains(".kbgen-")), "{names:?}");

    // A failed build (two sources for one output path) drops its staging
    // folder, links and all, and keeps the previous site as it was.
    let before = std::fs::read(site.join("b.html")).unwrap();
    write(&dir, "content/b.md", "# Other\n\nA Markdown twin.\n");
    let (code, err) = run();
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(std::fs::read(site.join("b.html")).unwrap(), before);
}
