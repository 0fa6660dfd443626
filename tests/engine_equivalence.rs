//! The preview engine equals a fresh full build after any sequence of
//! edits: random sequences of creates, deletes, renames, retitles, link
//! changes, broken and fixed XML examples, output-path collisions and
//! `book.toml` edits are applied to a small site through
//! [`Engine::rebuild`], and after every step the diagnostics equal those of
//! a fresh `kbgen check` and, when the build is good, the output folder is
//! byte-identical to a fresh `kbgen build` of the same files.

mod serve_support;

use std::collections::BTreeSet;
use std::path::Path;

use kbgen::site::{BuildOptions, ChangeSet, Engine, build};
use serve_support::{TempDir, make_site, snapshot, write};

/// A small deterministic generator (xorshift), so a failing sequence can
/// be replayed from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const NAMES: &[&str] = &["a.rst", "b.rst", "kb/c.rst", "kb/d.md", "a.md", "404.rst"];
const TITLES: &[&str] = &["Alpha", "Beta", "Gamma"];
const LINKS: &[&str] = &[
    "b.html",
    "kb/c.html#usage",
    "missing.html",
    "a.html#nowhere",
];

fn opts(root: &Path, dest: Option<std::path::PathBuf>, write: bool) -> BuildOptions {
    BuildOptions {
        config_path: root.join("book.toml"),
        dest,
        write,
        force: false,
    }
}

/// A page in the syntax its name asks for, with a title, a section, a link
/// and (maybe) an XML example that is good or breaks the schema.
fn page_text(rel: &str, title: &str, link: &str, xml: Option<bool>) -> String {
    let example = match xml {
        Some(true) => {
            "<domain xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>\n  <qemu:commandline>\n    <qemu:arg value='-x'/>\n  </qemu:commandline>\n</domain>"
        }
        Some(false) => {
            "<domain xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>\n  <qemu:commandline>\n    <qemu:arg nonsense='-x'/>\n  </qemu:commandline>\n</domain>"
        }
        None => "",
    };
    if rel.ends_with(".md") {
        let code = if example.is_empty() {
            String::new()
        } else {
            format!("```xml\n{example}\n```\n")
        };
        format!("# {title}\n\nSee [there]({link}).\n\n## Usage\n\ntext\n\n{code}")
    } else {
        let bar = "=".repeat(title.len());
        let code = if example.is_empty() {
            String::new()
        } else {
            let indented: Vec<String> = example.lines().map(|l| format!("   {l}")).collect();
            format!("::\n\n{}\n", indented.join("\n"))
        };
        format!("{title}\n{bar}\n\nSee `there <{link}>`_.\n\nUsage\n-----\n\ntext\n\n{code}")
    }
}

fn diagnostics(report: &kbgen::diag::Report) -> Vec<String> {
    let mut v: Vec<String> = report
        .diagnostics
        .iter()
        .map(|d| format!("{d:?}"))
        .collect();
    v.sort();
    v
}

/// Compares the preview's state with a fresh check and build.
fn assert_equivalent(root: &Path, outcome: &kbgen::site::RebuildOutcome, step: &str) {
    let check = build(&opts(root, None, false)).expect("check runs");
    assert_eq!(
        diagnostics(&outcome.report),
        diagnostics(&check.report),
        "{step}: diagnostics differ"
    );
    if !outcome.ok {
        return;
    }
    let fresh = root.join("fresh");
    let _ = std::fs::remove_dir_all(&fresh);
    let full = build(&opts(root, Some(fresh.clone()), true)).expect("build runs");
    assert!(
        full.written,
        "{step}: the full build failed where the preview did not"
    );
    let (a, b) = (snapshot(&root.join("site")), snapshot(&fresh));
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "{step}: file lists differ"
    );
    for (k, v) in &a {
        assert!(v == &b[k], "{step}: {k} differs");
    }
}

/// One random edit; returns the change set the watcher would report and a
/// description for failure messages.
fn random_edit(rng: &mut Rng, root: &Path, exists: &mut BTreeSet<String>) -> (ChangeSet, String) {
    let content = root.join("content");
    let mut changes = ChangeSet::default();
    let rel = rng.pick(NAMES).to_string();
    let text = |rng: &mut Rng| {
        let xml = match rng.below(3) {
            0 => None,
            1 => Some(true),
            _ => Some(false),
        };
        page_text(&rel, rng.pick(TITLES), rng.pick(LINKS), xml)
    };
    let what = match rng.below(6) {
        0 | 1 => {
            write(&content.join(&rel), &text(rng));
            exists.insert(rel.clone());
            format!("write {rel}")
        }
        2 if exists.contains(&rel) => {
            std::fs::remove_file(content.join(&rel)).unwrap();
            exists.remove(&rel);
            format!("delete {rel}")
        }
        3 if exists.contains(&rel) => {
            let to = rng.pick(NAMES).to_string();
            if to != rel {
                std::fs::create_dir_all(content.join(&to).parent().unwrap()).unwrap();
                std::fs::rename(content.join(&rel), content.join(&to)).unwrap();
                exists.remove(&rel);
                exists.insert(to.clone());
                changes.pages.insert(to.clone());
            }
            format!("rename {rel} -> {to}")
        }
        4 => {
            let title = rng.pick(TITLES);
            std::fs::write(
                root.join("book.toml"),
                format!("title = \"{title}\"\nsource = \"content\"\noutput = \"site\"\n"),
            )
            .unwrap();
            changes.full = true;
            format!("book.toml title {title}")
        }
        _ => {
            write(&content.join(&rel), &text(rng));
            exists.insert(rel.clone());
            format!("rewrite {rel}")
        }
    };
    changes.pages.insert(rel);
    (changes, what)
}

#[test]
fn random_edit_sequences_match_fresh_builds() {
    for seed in 1..=12u64 {
        let tmp = TempDir::new("engine-prop");
        let root = tmp.path();
        make_site(
            root,
            &[("a.rst", &page_text("a.rst", "Alpha", "b.html", None))],
        );
        write(
            &root.join("content/b.rst"),
            &page_text("b.rst", "Beta", "a.html", Some(true)),
        );
        let mut exists: BTreeSet<String> = ["a.rst", "b.rst"].map(String::from).into();
        let (mut engine, first) = Engine::start(opts(root, None, true)).expect("site starts");
        assert_equivalent(root, &first, &format!("seed {seed}: start"));
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let mut history = Vec::new();
        for step in 0..14 {
            let (changes, what) = random_edit(&mut rng, root, &mut exists);
            history.push(what);
            let outcome = engine.rebuild(&changes);
            assert_equivalent(
                root,
                &outcome,
                &format!("seed {seed} step {step}: {}", history.join("; ")),
            );
        }
    }
}
