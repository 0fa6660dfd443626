//! One-page rebuild in a 1,530-page site: what `kbgen serve` does between
//! a save and the browser's reload, without the watcher's debounce.
//!
//! Times [`Engine::rebuild_pages`] (re-parse the page, re-check
//! links, re-render it and the pages linking to it, write what changed;
//! the reload event goes out right after) and, separately, the
//! [`Engine::refresh_search`] that follows it. Target: rebuild
//! median < 20 ms.
//!
//! The site is 1,530 generated pages in 10 folders, each with sections,
//! lists, a table, a literal and an XML block and links to three other
//! pages. `KBGEN_BENCH_SITE=/path/book.toml` benchmarks a copy of another
//! site instead (for example bench/run's `libvirt-10/rst`), editing its
//! first page.
//!
//! `cargo bench --bench rebuild_one_page`

#[path = "../tests/serve_support/mod.rs"]
mod serve_support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use kbgen::site::BuildOptions;
use kbgen::site::{ChangeSet, Engine};
use serve_support::{TempDir, make_site, write};

const PAGES: usize = 1530;
/// Edits timed; `KBGEN_BENCH_EDITS` overrides (more for profiling, with
/// `KBGEN_BENCH_NO_SEARCH=1` to leave out the search index).
fn edits() -> usize {
    std::env::var("KBGEN_BENCH_EDITS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30)
}

fn page_text(i: usize) -> String {
    let next = (i + 1) % PAGES;
    let far = (i * 7 + 11) % PAGES;
    format!(
        "Topic {i}\n========\n\nAn introduction to topic {i}, with *emphasis*, ``literal`` text and a\n\
         link to `the next topic <../f{nf}/p{next}.html>`_ and to `a distant one\n\
         <../f{ff}/p{far}.html#usage>`_.\n\nUsage\n-----\n\n\
         - Start the guest with ``virsh start guest{i}``.\n- Check its state.\n- Stop it again.\n\n\
         .. code:: xml\n\n  <domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>\n\
         \x20   <name>guest{i}</name>\n    <qemu:commandline>\n      <qemu:arg value='-newarg'/>\n\
         \x20   </qemu:commandline>\n  </domain>\n\n\
         Options\n-------\n\n=======  ===========\nName     Meaning\n=======  ===========\n\
         ``-a``   all of them\n``-b``   the bigger one\n=======  ===========\n\n\
         ::\n\n  $ virsh list --all\n   Id   Name   State\n\n\
         Notes\n-----\n\nA closing paragraph about topic {i}, long enough to look like prose that\n\
         people actually write in a knowledge base article, with a few more words.\n",
        nf = next % 10,
        ff = far % 10,
    )
}

/// A site to edit: a copy of `KBGEN_BENCH_SITE`'s, or the generated one.
/// Returns its `book.toml` and the page to edit (relative to `content/`).
fn site(tmp: &Path) -> (PathBuf, String) {
    if let Some(book) = std::env::var_os("KBGEN_BENCH_SITE") {
        let book = PathBuf::from(book);
        let from = book.parent().expect("book.toml in a folder");
        copy_tree(from, tmp);
        let content = tmp.join("content");
        let first = walkdir::WalkDir::new(&content)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .find(|e| {
                e.path()
                    .extension()
                    .is_some_and(|x| x == "rst" || x == "md")
            })
            .expect("a page");
        let rel = first.path().strip_prefix(&content).unwrap();
        return (
            tmp.join("book.toml"),
            rel.to_string_lossy().replace('\\', "/"),
        );
    }
    make_site(tmp, &[]);
    for i in 0..PAGES {
        write(
            &tmp.join(format!("content/f{}/p{i}.rst", i % 10)),
            &page_text(i),
        );
    }
    (tmp.join("book.toml"), "f1/p1.rst".to_string())
}

fn copy_tree(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = e.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else if e.file_type().is_file() {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

fn main() {
    let tmp = TempDir::new("bench-rebuild");
    let (book, rel) = site(tmp.path());
    let page = book.parent().unwrap().join("content").join(&rel);
    let original = std::fs::read_to_string(&page).unwrap();
    let opts = BuildOptions {
        config_path: book.clone(),
        dest: Some(tmp.path().join("out")),
        write: true,
        force: false,
    };
    let t = Instant::now();
    let (mut session, first) = Engine::start(opts).expect("site loads");
    println!(
        "initial build: {:.0} ms, {} error(s)",
        ms(t.elapsed()),
        first.report.errors()
    );
    let changes = ChangeSet {
        full: false,
        pages: [rel.clone()].into(),
    };
    let edits = edits();
    let mut pages = Vec::with_capacity(edits);
    let mut search = Vec::with_capacity(edits);
    let mut rendered = 0;
    for n in 0..edits {
        write(
            &page,
            &format!("{original}\nEdit number {n} of this page.\n"),
        );
        let t = Instant::now();
        let out = session.rebuild_pages(&changes);
        pages.push(t.elapsed());
        assert!(
            out.ok,
            "rebuild failed: {:?}",
            out.report.diagnostics.first()
        );
        rendered = out.rendered;
        if std::env::var_os("KBGEN_BENCH_NO_SEARCH").is_none() {
            let t = Instant::now();
            session.refresh_search().expect("search index written");
            search.push(t.elapsed());
        }
    }
    pages.sort();
    search.sort();
    println!("edited {rel} {edits} times; {rendered} page(s) re-rendered per edit");
    for (what, s) in [
        ("rebuild (until reload)", &pages),
        ("search index after it", &search),
    ] {
        if s.is_empty() {
            continue;
        }
        println!(
            "{what:24} median {:7.2} ms   p90 {:7.2} ms   max {:7.2} ms",
            ms(s[s.len() / 2]),
            ms(s[s.len() * 9 / 10]),
            ms(s[s.len() - 1])
        );
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
