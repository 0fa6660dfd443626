//! The XML-example pass inside real builds: pages parsed by kbgen's RST
//! parser, diagnostics pointing into the page, the badge in the HTML, the
//! opt-out comment, the malformed policy and the exit status.

use std::path::{Path, PathBuf};
use std::process::Command;

use kbgen::diag::Diagnostic;
use kbgen::site::{BuildOptions, BuildOutcome, build};

const SEED: &str = include_str!("xml/pages/qemu-passthrough-security.rst");
const QEMU: &str = "http://libvirt.org/schemas/domain/qemu/1.0";

fn site(name: &str, config: &str, pages: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kbgen-xml-site-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("content")).unwrap();
    std::fs::write(dir.join("book.toml"), format!("title = \"X\"\n{config}")).unwrap();
    for (file, text) in pages {
        std::fs::write(dir.join("content").join(file), text).unwrap();
    }
    dir
}

fn run(dir: &Path) -> BuildOutcome {
    build(&BuildOptions {
        config_path: dir.join("book.toml"),
        dest: Some(dir.join("out")),
        write: true,
        force: true,
    })
    .unwrap()
}

fn xml_diags(o: &BuildOutcome) -> Vec<&Diagnostic> {
    o.report
        .diagnostics
        .iter()
        .filter(|d| d.code.starts_with("xml-"))
        .collect()
}

fn at(d: &Diagnostic) -> String {
    let l = d.location.as_ref().unwrap();
    format!(
        "{}:{}:{}",
        l.file.file_name().unwrap().to_string_lossy(),
        l.line,
        l.column
    )
}

#[test]
fn seed_article_validates_and_shows_two_badges() {
    let dir = site("seed", "", &[("qemu-passthrough-security.rst", SEED)]);
    let o = run(&dir);
    assert!(xml_diags(&o).is_empty(), "{:#?}", xml_diags(&o));
    let html = std::fs::read_to_string(dir.join("out/qemu-passthrough-security.html")).unwrap();
    assert_eq!(
        html.matches("validated: QEMU passthrough").count(),
        2,
        "{html}"
    );
}

#[test]
fn broken_seed_examples_fail_with_line_and_column() {
    let cases = [
        (
            SEED.replacen("<qemu:arg value='parameter'/>", "<qemu:arg/>", 1),
            "xml-schema",
            "qemu-passthrough-security.rst:33:8",
            "<qemu:arg> needs the attribute `value`",
        ),
        (
            SEED.replacen("name='ID'", "name='FOO-BAR'", 2).replacen(
                "name='FOO-BAR'",
                "name='ID'",
                1,
            ),
            "xml-schema",
            "qemu-passthrough-security.rst:56:18",
            "`FOO-BAR` is not a valid env name: letters, digits and `_` only",
        ),
        (
            SEED.replacen(
                &format!("<qemu:commandline xmlns:qemu='{QEMU}'>"),
                "<qemu:commandline xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0/'>",
                1,
            ),
            "xml-namespace",
            "qemu-passthrough-security.rst:53:36",
            "`http://libvirt.org/schemas/domain/qemu/1.0/` is not a passthrough namespace",
        ),
    ];
    for (i, (page, code, loc, msg)) in cases.iter().enumerate() {
        let dir = site(
            &format!("broken{i}"),
            "",
            &[("qemu-passthrough-security.rst", page)],
        );
        let o = run(&dir);
        let d = xml_diags(&o);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(d[0].code, *code);
        assert_eq!(at(d[0]), *loc);
        assert!(d[0].message.starts_with(msg), "{}", d[0].message);
        assert!(!o.written, "schema violations fail the build");
        let html = dir.join("out/qemu-passthrough-security.html");
        assert!(!html.exists());
    }
}

#[test]
fn opt_out_comment_skips_only_the_next_block() {
    // `.. code:: xml` blocks are covered by unit tests (`is_example`): the
    // RST parser, like docutils without Pygments, currently turns a code
    // directive with a language into a warning.
    let page = format!(
        "=====\nPage\n=====\n\n.. kbgen: no-validate\n\n::\n\n   <qemu:commandline xmlns:qemu='{QEMU}'><qemu:arg/></qemu:commandline>\n\n::\n\n   <qemu:commandline xmlns:qemu='{QEMU}'>\n     <qemu:arg/>\n   </qemu:commandline>\n"
    );
    let dir = site("optout", "", &[("p.rst", &page)]);
    let o = run(&dir);
    let d = xml_diags(&o);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(at(d[0]), "p.rst:14:6");
}

#[test]
fn malformed_examples_follow_the_policy_and_strict() {
    let page = "=====\nPage\n=====\n\n::\n\n   <domain>\n     <devices>\n   </domain>\n";
    let dir = site("malformed", "", &[("p.rst", page)]);
    let o = run(&dir);
    let d = xml_diags(&o);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].code, "xml-malformed");
    assert_eq!(at(d[0]), "p.rst:9:4");
    assert!(!o.report.failed(false));
    assert!(o.report.failed(true), "--strict fails on the warning");
    let dir = site(
        "malformed-error",
        "[xml]\nmalformed = \"error\"\n",
        &[("p.rst", page)],
    );
    assert!(run(&dir).report.failed(false));
    let dir = site(
        "malformed-ignore",
        "[xml]\nmalformed = \"ignore\"\n",
        &[("p.rst", page)],
    );
    assert!(xml_diags(&run(&dir)).is_empty());
}

#[test]
fn build_exits_1_on_schema_violations() {
    let page = SEED.replacen("<qemu:arg value='parameter'/>", "<qemu:arg/>", 1);
    let dir = site("exit", "", &[("a.rst", &page)]);
    let out = Command::new(env!("CARGO_BIN_EXE_kbgen"))
        .current_dir(&dir)
        .args(["build", "--force", "-d", "out"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("a.rst:33:8: error[xml-schema]: <qemu:arg> needs the attribute `value`"),
        "{err}"
    );
}
