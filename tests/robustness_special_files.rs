//! Special files (issue 18, item 7): a FIFO as an include target hung the
//! build, a schema path of `/dev/zero` grew to 11 GB, a FIFO schema hung,
//! a 1 GB schema was read whole, `kbgen validate /dev/zero` grew without
//! bound. Every file kbgen opens now goes through one reader: regular files
//! only, at most 16 MiB, never blocking. Each run here has a time limit (a
//! hang fails the test) and the refusal must be a diagnostic that says why.
//! Also item 12's last part: errors in a configured schema carry a line.

#[path = "hostile/support.rs"]
mod support;

use std::path::Path;
use std::time::Duration;

use support::{Run, kbgen_timed, site, write};

const LIMIT: Duration = Duration::from_secs(20);
const QEMU_NS: &str = "http://libvirt.org/schemas/domain/qemu/1.0";

fn mkfifo(path: &Path) {
    let ok = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "mkfifo {}", path.display());
}

/// A file of `len` bytes that takes no disk space.
fn sparse(path: &Path, len: u64) {
    std::fs::File::create(path).unwrap().set_len(len).unwrap();
}

fn refused(run: &Run, why: &str) {
    run.assert_no_crash();
    assert_eq!(run.code, Some(1), "{}", run.all());
    assert!(run.all().contains(why), "no `{why}` in:\n{}", run.all());
}

const PAGE: &str = "=====\nTitle\n=====\n\n.. include:: target.txt\n";

#[test]
fn a_fifo_include_is_refused_not_waited_on() {
    let dir = site("fifo-include", "", &[("a.rst", PAGE.as_bytes())]);
    mkfifo(&dir.join("content/target.txt"));
    let run = kbgen_timed(&dir, &["check"], LIMIT);
    refused(&run, "it is a FIFO, not a regular file");
    assert!(run.all().contains("a.rst:5:1"), "{}", run.all());
}

#[test]
fn a_huge_include_is_refused_unread() {
    let dir = site("huge-include", "", &[("a.rst", PAGE.as_bytes())]);
    sparse(&dir.join("content/target.txt"), 1 << 30);
    let run = kbgen_timed(&dir, &["check"], LIMIT);
    refused(&run, "the limit is 16777216");
}

#[test]
fn schemas_that_are_devices_fifos_or_huge_are_refused_at_their_line() {
    let dir = site(
        "special-schemas",
        "",
        &[("a.rst", b"=====\nTitle\n=====\n\nText.\n")],
    );
    mkfifo(&dir.join("pipe.rng"));
    sparse(&dir.join("huge.rng"), 1 << 30);
    for (schema, why) in [
        ("/dev/zero", "it is a device"),
        ("pipe.rng", "it is a FIFO"),
        ("huge.rng", "the limit is 16777216"),
    ] {
        write(
            &dir,
            "book.toml",
            format!("title = \"T\"\n\n[xml.schemas]\n\"{QEMU_NS}\" = \"{schema}\"\n"),
        );
        let run = kbgen_timed(&dir, &["check"], LIMIT);
        refused(&run, why);
        assert!(
            run.all().contains("book.toml:4:1"),
            "{schema}: {}",
            run.all()
        );
    }
}

#[test]
fn validate_refuses_devices_and_fifos() {
    let dir = support::temp_dir("validate-special");
    mkfifo(&dir.join("pipe.xml"));
    for file in ["/dev/zero", "/dev/urandom", "pipe.xml", "."] {
        let run = kbgen_timed(&dir, &["validate", file], LIMIT);
        refused(&run, "not a regular file");
    }
}

#[test]
fn a_fifo_config_is_refused() {
    let dir = site("fifo-config", "", &[("a.rst", b"T\n=\n\nx\n")]);
    mkfifo(&dir.join("fifo.toml"));
    let run = kbgen_timed(&dir, &["check", "--config", "fifo.toml"], LIMIT);
    run.assert_no_crash();
    assert_eq!(run.code, Some(2), "{}", run.all());
    assert!(run.all().contains("not a regular file"), "{}", run.all());
}

#[test]
fn a_fifo_named_like_a_page_is_not_read() {
    let dir = site("fifo-page", "", &[("a.rst", b"T\n=\n\nx\n")]);
    mkfifo(&dir.join("content/b.rst"));
    let run = kbgen_timed(&dir, &["check"], LIMIT);
    // Discovery only takes regular files: the FIFO is not a page, and the
    // build neither waits on it nor fails.
    run.assert_no_crash();
    assert_eq!(run.code, Some(0), "{}", run.all());
    assert!(run.all().contains("checked 1 page(s)"), "{}", run.all());
}

#[test]
fn errors_inside_a_configured_schema_carry_its_line() {
    let dir = site(
        "schema-lines",
        "",
        &[("a.rst", b"=====\nTitle\n=====\n\nText.\n")],
    );
    write(
        &dir,
        "book.toml",
        format!(
            "title = \"T\"\n\n[xml.schemas]\n\"{QEMU_NS}\" = \"bad.rng\"\n\"urn:x\" = \"worse.rng\"\n"
        ),
    );
    write(
        &dir,
        "bad.rng",
        "<grammar xmlns=\"http://relaxng.org/ns/structure/1.0\">\n<start>\n  <element name=\"a\"><bogus/></element>\n</start>\n</grammar>\n",
    );
    write(
        &dir,
        "worse.rng",
        "<grammar xmlns=\"http://relaxng.org/ns/structure/1.0\">\n<start>\n<element name=\"a\">\n<empty/>\n</start>\n</grammar>\n",
    );
    let run = kbgen_timed(&dir, &["check", "--message-format", "json"], LIMIT);
    run.assert_no_crash();
    let lines: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .chain(run.stderr.lines())
        .filter_map(|l| serde_json::from_str(l).ok())
        .filter(|v: &serde_json::Value| v["code"] == "xml-schema-load")
        .collect();
    let at = |file: &str| {
        lines
            .iter()
            .find(|v| v["file"].as_str().is_some_and(|f| f.ends_with(file)))
            .map(|v| (v["line"].as_u64(), v["column"].as_u64()))
    };
    assert_eq!(at("bad.rng"), Some((Some(3), Some(22))), "{lines:?}");
    assert_eq!(at("worse.rng"), Some((Some(5), Some(1))), "{lines:?}");
}

/// Copied assets go through the same reader, with a limit of their own:
/// a page showing a 1 GiB image is refused with a diagnostic naming the
/// limit, not read into memory.
#[test]
fn a_huge_asset_is_refused_unread() {
    let page = "=====\nTitle\n=====\n\n.. image:: big.png\n";
    let dir = site("huge-asset", "", &[("a.rst", page.as_bytes())]);
    sparse(&dir.join("content/big.png"), 1 << 30);
    let run = kbgen_timed(&dir, &["build"], LIMIT);
    refused(&run, "the limit is 536870912");
    assert!(run.all().contains("big.png"), "{}", run.all());
}
