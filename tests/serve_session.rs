//! The incremental build of `kbgen serve` must write exactly what a full
//! `kbgen build` of the same sources writes, after every kind of change.

mod serve_support;

use kbgen::site::{BuildOptions, build};
use kbgen::site::{ChangeSet, Engine};
use serve_support::{TempDir, make_site, snapshot, write};

fn opts(root: &std::path::Path, dest: Option<std::path::PathBuf>) -> BuildOptions {
    BuildOptions {
        config_path: root.join("book.toml"),
        dest,
        write: true,
        force: false,
    }
}

/// Builds the sources from scratch into another folder and compares.
fn assert_same_as_full_build(root: &std::path::Path, step: &str) {
    let fresh = root.join("fresh");
    let _ = std::fs::remove_dir_all(&fresh);
    let outcome = build(&opts(root, Some(fresh.clone()))).unwrap();
    assert!(
        outcome.written,
        "{step}: full build failed: {:?}",
        outcome.report
    );
    let a = snapshot(&root.join("site"));
    let b = snapshot(&fresh);
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "{step}: file lists differ"
    );
    for (k, v) in &a {
        assert!(v == &b[k], "{step}: {k} differs");
    }
}

fn pages(list: &[&str]) -> ChangeSet {
    ChangeSet {
        full: false,
        pages: list.iter().map(|s| s.to_string()).collect(),
    }
}

#[test]
fn incremental_output_matches_full_build() {
    let tmp = TempDir::new("session");
    let root = tmp.path();
    make_site(
        root,
        &[
            ("a.rst", "Alpha page\n"),
            ("kbase/b.rst", "Beta\n\nmore\n"),
            ("kbase/c.md", "Gamma\n"),
        ],
    );
    let (mut session, first) = Engine::start(opts(root, None)).unwrap();
    assert!(first.ok, "{:?}", first.report);
    assert_same_as_full_build(root, "start");

    // Edit one page: only that page is rendered again.
    write(&root.join("content/kbase/b.rst"), "Beta edited\n");
    let out = session.rebuild(&pages(&["kbase/b.rst"]));
    assert!(out.ok);
    assert_eq!(out.rendered, 1);
    assert!(
        out.changed.contains(&"kbase/b.html".to_string()),
        "{:?}",
        out.changed
    );
    assert_same_as_full_build(root, "edit");

    // Add a page in a new folder, remove another.
    write(&root.join("content/new/d.rst"), "Delta\n");
    std::fs::remove_file(root.join("content/kbase/c.md")).unwrap();
    let out = session.rebuild(&pages(&["new/d.rst", "kbase/c.md"]));
    assert!(out.ok);
    assert!(!root.join("site/kbase/c.html").exists());
    assert_same_as_full_build(root, "add + remove");

    // Remove the only page of a folder: the folder goes too.
    std::fs::remove_file(root.join("content/new/d.rst")).unwrap();
    assert!(session.rebuild(&pages(&["new/d.rst"])).ok);
    assert!(!root.join("site/new").exists());
    assert_same_as_full_build(root, "remove folder");

    // A configuration change reloads everything.
    std::fs::write(
        root.join("book.toml"),
        "title = \"Renamed\"\nsource = \"content\"\noutput = \"site\"\n",
    )
    .unwrap();
    let out = session.rebuild(&ChangeSet {
        full: true,
        ..ChangeSet::default()
    });
    assert!(out.ok);
    assert_eq!(out.rendered, 2);
    assert!(
        String::from_utf8_lossy(&std::fs::read(root.join("site/index.html")).unwrap())
            .contains("Renamed")
    );
    assert_same_as_full_build(root, "config");
}

#[test]
fn failed_build_keeps_last_good_output_and_recovers() {
    let tmp = TempDir::new("session-fail");
    let root = tmp.path();
    make_site(root, &[("a.rst", "Alpha\n"), ("b.rst", "Beta\n")]);
    let (mut session, _) = Engine::start(opts(root, None)).unwrap();
    let before = snapshot(&root.join("site"));

    std::fs::write(root.join("content/a.rst"), b"bad \xff byte\n").unwrap();
    let out = session.rebuild(&pages(&["a.rst"]));
    assert!(!out.ok);
    assert_eq!(out.report.errors(), 1);
    assert!(out.changed.is_empty());
    assert_eq!(
        snapshot(&root.join("site")),
        before,
        "a failed build must not write"
    );

    // An unrelated good edit while the error stands is still not written.
    write(&root.join("content/b.rst"), "Beta 2\n");
    assert!(!session.rebuild(&pages(&["b.rst"])).ok);
    assert_eq!(snapshot(&root.join("site")), before);

    // The fix writes everything pending.
    write(&root.join("content/a.rst"), "Alpha fixed\n");
    let out = session.rebuild(&pages(&["a.rst"]));
    assert!(out.ok, "{:?}", out.report);
    assert_same_as_full_build(root, "recovered");

    // A broken config is an error too, and the next change retries it.
    std::fs::write(root.join("book.toml"), "title = 5\n").unwrap();
    let out = session.rebuild(&ChangeSet {
        full: true,
        ..ChangeSet::default()
    });
    assert!(!out.ok);
    let d = &out.report.diagnostics[0];
    assert_eq!(d.location.as_ref().map(|l| l.line), Some(1), "{d:?}");
    make_site(root, &[]);
    assert!(session.rebuild(&pages(&["a.rst"])).ok);
    assert_same_as_full_build(root, "config fixed");
}

#[test]
fn assets_and_sitemap_match_full_build() {
    let tmp = TempDir::new("session-assets");
    let root = tmp.path();
    make_site(root, &[("a.rst", "Alpha\n"), ("kbase/b.rst", "Beta\n")]);
    std::fs::write(
        root.join("book.toml"),
        "title = \"T\"\nsource = \"content\"\noutput = \"site\"\nsite-url = \"https://example.org/docs/\"\n",
    )
    .unwrap();
    write(&root.join("content/img/logo.png"), "not really a png");
    let (mut session, first) = Engine::start(opts(root, None)).unwrap();
    assert!(first.ok, "{:?}", first.report);
    assert!(root.join("site/sitemap.xml").is_file());
    assert!(root.join("site/img/logo.png").is_file());
    assert_same_as_full_build(root, "start");

    write(&root.join("content/c.rst"), "Gamma\n");
    assert!(session.rebuild(&pages(&["c.rst"])).ok);
    assert_same_as_full_build(root, "page added: sitemap and index follow");

    write(&root.join("content/img/logo.png"), "another picture");
    write(&root.join("content/img/new.svg"), "<svg/>");
    std::fs::remove_file(root.join("content/kbase/b.rst")).unwrap();
    let full = ChangeSet {
        full: true,
        ..ChangeSet::default()
    };
    assert!(session.rebuild(&full).ok);
    assert_same_as_full_build(root, "assets changed");

    std::fs::remove_dir_all(root.join("content/img")).unwrap();
    assert!(session.rebuild(&full).ok);
    assert!(!root.join("site/img").exists());
    assert_same_as_full_build(root, "assets removed");
}

#[test]
fn pages_linking_to_a_changed_page_are_rendered_again() {
    let tmp = TempDir::new("session-links");
    let root = tmp.path();
    make_site(
        root,
        &[
            ("a.rst", "Alpha\n=====\n\nSee `beta <kbase/b.html>`_.\n"),
            ("kbase/b.rst", "Beta\n====\n\nBody.\n"),
            ("c.rst", "Gamma\n=====\n\nNo links.\n"),
        ],
    );
    let (mut session, first) = Engine::start(opts(root, None)).unwrap();
    assert!(first.ok, "{:?}", first.report);

    write(
        &root.join("content/kbase/b.rst"),
        "Beta\n====\n\nNew body.\n",
    );
    let out = session.rebuild(&pages(&["kbase/b.rst"]));
    assert!(out.ok);
    // A page's HTML reads no other page: only b is rendered again; a's
    // link check, which read b's facts, runs again (and stays clean).
    assert_eq!(out.rendered, 1, "only b");
    assert_same_as_full_build(root, "target edited");

    // Removing the target breaks the link: an error, and nothing is written.
    std::fs::remove_file(root.join("content/kbase/b.rst")).unwrap();
    let out = session.rebuild(&pages(&["kbase/b.rst"]));
    assert!(!out.ok);
    let broken = &out.report.diagnostics[0];
    assert!(
        broken
            .location
            .as_ref()
            .is_some_and(|l| l.file.ends_with("a.rst")),
        "{broken:?}"
    );
    assert!(
        root.join("site/kbase/b.html").exists(),
        "last good output stays"
    );

    write(&root.join("content/kbase/b.rst"), "Beta\n====\n\nBack.\n");
    assert!(session.rebuild(&pages(&["kbase/b.rst"])).ok);
    assert_same_as_full_build(root, "target back");
}

/// Diagnostics of the session and of a full `kbgen check`, as comparable text.
fn diagnostics_match_full_check(root: &std::path::Path, session: &kbgen::diag::Report, step: &str) {
    let mut check = opts(root, None);
    check.write = false;
    let full = build(&check).unwrap().report;
    let show = |r: &kbgen::diag::Report| {
        let mut v: Vec<String> = r.diagnostics.iter().map(|d| format!("{d:?}")).collect();
        v.sort();
        v
    };
    assert_eq!(show(session), show(&full), "{step}");
}

#[test]
fn incremental_link_check_matches_a_full_check() {
    let tmp = TempDir::new("session-links");
    let root = tmp.path();
    make_site(
        root,
        &[
            (
                "a.rst",
                "A\n=\n\nSee `b <b.html#usage>`_ and `c <c.html>`_.\n",
            ),
            ("b.rst", "B\n=\n\nUsage\n-----\n\ntext\n"),
            ("c.rst", "C\n=\n\nSee `gone <missing.html>`_.\n"),
            ("d.rst", "D\n=\n\nSee `c <c.html#nothing>`_.\n"),
        ],
    );
    let (mut session, first) = Engine::start(opts(root, None)).unwrap();
    assert!(!first.ok, "missing.html and c.html#nothing are broken");
    diagnostics_match_full_check(root, &first.report, "start");

    // Renaming b's section breaks a's anchor: a is checked again though only b changed.
    write(&root.join("content/b.rst"), "B\n=\n\nUse\n---\n\ntext\n");
    let out = session.rebuild(&pages(&["b.rst"]));
    assert!(
        out.report
            .diagnostics
            .iter()
            .any(|d| d.message.contains("b.html#usage"))
    );
    diagnostics_match_full_check(root, &out.report, "anchor renamed");

    // Giving c the anchor d wants fixes d; c's own broken link stays reported.
    write(
        &root.join("content/c.rst"),
        "C\n=\n\n.. _nothing:\n\nSee `gone <missing.html>`_.\n",
    );
    let out = session.rebuild(&pages(&["c.rst"]));
    assert!(
        !out.report
            .diagnostics
            .iter()
            .any(|d| d.message.contains("nothing"))
    );
    diagnostics_match_full_check(root, &out.report, "anchor added");

    // A new page makes c's link good: the page set changed, everything is checked.
    write(&root.join("content/missing.rst"), "M\n=\n\ntext\n");
    write(
        &root.join("content/b.rst"),
        "B\n=\n\nUsage\n-----\n\ntext\n",
    );
    let out = session.rebuild(&pages(&["missing.rst", "b.rst"]));
    diagnostics_match_full_check(root, &out.report, "page added");
    assert!(out.ok, "{:?}", out.report);
    assert_same_as_full_build(root, "page added");
}

#[test]
fn search_index_follows_the_pages_when_refreshed() {
    let tmp = TempDir::new("session-search");
    let root = tmp.path();
    make_site(
        root,
        &[
            ("a.rst", "A\n=\n\nfirst words\n"),
            ("b.rst", "B\n=\n\ntext\n"),
        ],
    );
    let (mut session, first) = Engine::start(opts(root, None)).unwrap();
    assert!(first.ok, "{:?}", first.report);
    let index = || std::fs::read_to_string(root.join("site/search-index.js")).unwrap();
    assert!(index().contains("first words"));

    // The pages are written first; the index still has the old text...
    write(&root.join("content/a.rst"), "A\n=\n\nzebracorn sighted\n");
    let out = session.rebuild_pages(&pages(&["a.rst"]));
    assert!(out.ok, "{:?}", out.report);
    assert!(
        std::fs::read_to_string(root.join("site/a.html"))
            .unwrap()
            .contains("zebracorn")
    );
    assert!(!index().contains("zebracorn"));
    // ...until it is refreshed, which writes what a full build writes.
    let written = session.refresh_search().unwrap();
    assert_eq!(written, vec!["search-index.js".to_string()]);
    assert!(index().contains("zebracorn sighted"));
    assert_same_as_full_build(root, "search refreshed");
    // Nothing stale: a second refresh writes nothing.
    assert!(session.refresh_search().unwrap().is_empty());
}

#[test]
fn output_path_collisions_are_errors_in_preview_and_build_alike() {
    let tmp = TempDir::new("session-collide");
    let root = tmp.path();
    make_site(root, &[("a.rst", "Alpha\n=====\n\ntext\n")]);
    let (mut session, first) = Engine::start(opts(root, None)).unwrap();
    assert!(first.ok, "{:?}", first.report);

    // A page where kbgen writes its 404 page: an error naming both, and
    // the generated page stays what is served.
    write(&root.join("content/404.rst"), "Mine\n====\n\nmy text\n");
    let out = session.rebuild(&pages(&["404.rst"]));
    assert!(!out.ok);
    let d = out
        .report
        .diagnostics
        .iter()
        .find(|d| d.code == "output-collision")
        .expect("collision reported");
    assert!(
        d.message.contains("`404.rst`") && d.message.contains("`404.html`"),
        "{d:?}"
    );
    diagnostics_match_full_check(root, &out.report, "404.rst added");
    let served = std::fs::read_to_string(root.join("site/404.html")).unwrap();
    assert!(!served.contains("my text"));

    // Two pages for one output path, then a content file for a theme asset.
    std::fs::remove_file(root.join("content/404.rst")).unwrap();
    write(&root.join("content/a.md"), "# Alpha again\n");
    let out = session.rebuild(&pages(&["404.rst", "a.md"]));
    assert!(!out.ok);
    assert!(
        out.report
            .diagnostics
            .iter()
            .any(|d| d.message.contains("`a.rst` and the page `a.md`")),
        "{:?}",
        out.report
    );
    diagnostics_match_full_check(root, &out.report, "a.md beside a.rst");
    std::fs::remove_file(root.join("content/a.md")).unwrap();
    write(&root.join("content/static/search.js"), "alert(1)\n");
    let out = session.rebuild(&ChangeSet {
        full: true,
        ..ChangeSet::default()
    });
    assert!(!out.ok);
    diagnostics_match_full_check(root, &out.report, "static/search.js in content");
    assert!(
        !std::fs::read_to_string(root.join("site/static/search.js"))
            .unwrap()
            .contains("alert(1)")
    );

    std::fs::remove_file(root.join("content/static/search.js")).unwrap();
    let out = session.rebuild(&ChangeSet {
        full: true,
        ..ChangeSet::default()
    });
    assert!(out.ok, "{:?}", out.report);
    assert_same_as_full_build(root, "collisions removed");
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_content_folder_created_while_serving_is_not_read() {
    let tmp = TempDir::new("session-symlink");
    let root = tmp.path();
    make_site(root, &[("a.rst", "Alpha\n=====\n\ntext\n")]);
    write(&root.join("secret.rst"), "Secret\n======\n\nSECRET-TEXT\n");
    let (mut session, first) = Engine::start(opts(root, None)).unwrap();
    assert!(first.ok);
    std::os::unix::fs::symlink(root.join("secret.rst"), root.join("content/leak.rst")).unwrap();
    let out = session.rebuild(&pages(&["leak.rst"]));
    diagnostics_match_full_check(root, &out.report, "symlink added");
    assert!(!root.join("site/leak.html").exists());
    let site = snapshot(&root.join("site"));
    assert!(
        site.values()
            .all(|bytes| !String::from_utf8_lossy(bytes).contains("SECRET-TEXT"))
    );
    if out.ok {
        assert_same_as_full_build(root, "symlink added");
    }
}

#[test]
fn renames_deletions_and_retitles_reach_every_page_that_shows_them() {
    let tmp = TempDir::new("session-rename");
    let root = tmp.path();
    make_site(
        root,
        &[
            ("a.rst", "Alpha\n=====\n\nSee `b <kb/b.html>`_.\n"),
            ("kb/b.rst", "Beta\n====\n\ntext\n"),
        ],
    );
    let (mut session, first) = Engine::start(opts(root, None)).unwrap();
    assert!(first.ok, "{:?}", first.report);

    // Retitle: the index shows the new title.
    write(
        &root.join("content/kb/b.rst"),
        "Better beta\n===========\n\ntext\n",
    );
    let out = session.rebuild(&pages(&["kb/b.rst"]));
    assert!(out.ok);
    assert!(
        out.changed.contains(&"index.html".to_string()),
        "{:?}",
        out.changed
    );
    let index = std::fs::read_to_string(root.join("site/index.html")).unwrap();
    assert!(index.contains("Better beta"));
    assert_same_as_full_build(root, "retitled");

    // Rename: the old output goes, a's link breaks and points at a.rst.
    std::fs::rename(root.join("content/kb/b.rst"), root.join("content/kb/c.rst")).unwrap();
    let out = session.rebuild(&pages(&["kb/b.rst", "kb/c.rst"]));
    assert!(!out.ok);
    diagnostics_match_full_check(root, &out.report, "renamed");
    let broken = out
        .report
        .diagnostics
        .iter()
        .find(|d| d.code == "link-broken")
        .expect("a's link is broken");
    assert!(broken.location.as_ref().unwrap().file.ends_with("a.rst"));
    assert_eq!(broken.help.as_deref(), Some("did you mean `kb/c.html`?"));

    // Fixing the link builds; the renamed page is there, the old one gone.
    write(
        &root.join("content/a.rst"),
        "Alpha\n=====\n\nSee `c <kb/c.html>`_.\n",
    );
    let out = session.rebuild(&pages(&["a.rst"]));
    assert!(out.ok, "{:?}", out.report);
    assert!(!root.join("site/kb/b.html").exists());
    assert!(root.join("site/kb/c.html").exists());
    assert_same_as_full_build(root, "link fixed");
}
