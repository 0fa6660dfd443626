//! Limits against pathological input. Each test feeds the `kbgen` binary a
//! page built to exhaust one resource and demands: an outcome within a
//! time limit (a hang fails the test), no crash (a stack overflow or an
//! allocation failure kills the process by signal), bounded memory where
//! that is the risk (the run is under `ulimit -v`), and a diagnostic that
//! says which limit was hit when the input is over it.

#[path = "hostile/support.rs"]
mod support;

use kbgen::ast::Attr;
use std::path::Path;
use std::time::Duration;

use support::{Run, site};

/// Memory cap for runs that could blow up (virtual memory, KiB): generous
/// for a normal build, far below what an entity expansion would take.
const MEMORY_CAP_KIB: u64 = 4 * 1024 * 1024;

/// Runs `kbgen check` under `ulimit -v` and a time limit.
fn check_capped(dir: &Path, limit: Duration) -> Run {
    let bin = env!("CARGO_BIN_EXE_kbgen");
    let script = format!("ulimit -v {MEMORY_CAP_KIB} && exec '{bin}' check");
    let start = std::time::Instant::now();
    let mut child = std::process::Command::new("sh")
        .arg("-c")
        .arg(&script)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Drain the pipes on threads so a chatty run cannot block on a full pipe.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let t_out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut out, &mut s);
        s
    });
    let t_err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut err, &mut s);
        s
    });
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "kbgen check hung on {}: killed after {limit:?}",
                dir.display()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        code: status.code(),
        stdout: t_out.join().unwrap(),
        stderr: t_err.join().unwrap(),
        elapsed: start.elapsed(),
    }
}

/// A page that must be handled (limit hit or not) without crash or hang.
fn survives(name: &str, file: &str, text: &str) -> Run {
    let dir = site(name, "", &[(file, text.as_bytes())]);
    let run = check_capped(&dir, Duration::from_secs(90));
    run.assert_no_crash();
    run
}

/// Like [`survives`], and the run reports the limit (its message contains
/// `what`, compared case-insensitively) as an error.
fn hits_limit(name: &str, file: &str, text: &str, what: &str) -> Run {
    let run = survives(name, file, text);
    let head: String = run.stderr.chars().take(3000).collect();
    assert!(
        run.stderr.to_lowercase().contains(&what.to_lowercase()),
        "{name}: no diagnostic saying `{what}`:\n{head}"
    );
    assert_eq!(
        run.code,
        Some(1),
        "{name}: hitting a limit must fail the build:\n{head}"
    );
    run
}

/// Debug builds are many times slower than release: keep the inputs'
/// shape but shrink them, so `cargo test` stays quick and
/// `cargo test --release` (what CI runs) uses the full sizes.
fn scaled(n: usize) -> usize {
    if cfg!(debug_assertions) { n / 5 } else { n }
}

#[test]
fn ten_thousand_nested_block_quotes() {
    // 10 000 levels with one-space steps would be 50 MB, over the file-size
    // limit; 4 000 levels (8 MB) is the deepest staircase a page can hold.
    let mut s = String::new();
    for i in 0..scaled(4_000) {
        s.push_str(&" ".repeat(i));
        s.push_str("q\n\n");
    }
    hits_limit("bq-staircase", "p.rst", &s, "nesting too deep");
}

#[test]
fn ten_thousand_nested_lists_on_one_line() {
    hits_limit(
        "list-line",
        "p.rst",
        // 4,000 levels: deep, yet under the 10,000-character line limit.
        &format!("{}x\n", "- ".repeat(scaled(4_000))),
        "nesting too deep",
    );
    hits_limit(
        "enum-line",
        "p2.rst",
        &format!("{}x\n", "1. ".repeat(scaled(3_000))),
        "nesting too deep",
    );
}

#[test]
fn lists_in_block_quotes_in_lists() {
    let mut s = String::new();
    for i in 0..scaled(1_500) {
        s.push_str(&"  ".repeat(i));
        s.push_str(if i % 2 == 0 {
            "- item\n\n"
        } else {
            "quote\n\n"
        });
    }
    hits_limit("list-bq", "p.rst", &s, "nesting too deep");
}

#[test]
fn markdown_deep_nesting() {
    // Was a stack overflow (SIGABRT): 50 000 nested block quotes built a
    // tree 50 000 deep that every later stage walks recursively.
    hits_limit(
        "md-deep",
        "p.md",
        &format!("{}x\n", "> ".repeat(50_000)),
        "nesting too deep",
    );
    hits_limit(
        "md-deep-list",
        "p2.md",
        &format!("{}x\n", "- ".repeat(20_000)),
        "nesting too deep",
    );
    survives(
        "md-brackets",
        "p3.md",
        &format!("{}x{}\n", "[".repeat(50_000), "](y)".repeat(50_000)),
    );
    survives(
        "md-emphasis",
        "p4.md",
        &format!("{}x{}\n", "*".repeat(50_000), "*".repeat(50_000)),
    );
    // Just under the limit is fine.
    let run = survives("md-ok", "p5.md", &format!("{}x\n", "> ".repeat(30)));
    assert_eq!(run.code, Some(0), "{}", run.all());
}

#[test]
fn a_hundred_thousand_unclosed_backquotes_and_stars() {
    let run = survives(
        "backquotes",
        "p.rst",
        &format!("{}\n", "`a\n".repeat(scaled(100_000))),
    );
    assert!(run.elapsed < Duration::from_secs(60), "{:?}", run.elapsed);
    survives(
        "stars",
        "p2.rst",
        &format!("{}\n", "*a **b ".repeat(50_000)),
    );
    survives("bq-run", "p3.rst", &format!("{}\n", "`".repeat(100_000)));
}

#[test]
fn overlong_line_is_reported() {
    // docutils' line_length_limit: 10 000 characters after tab expansion.
    let ok = format!("Title\n=====\n\n{}\n", "é".repeat(10_000));
    let run = survives("line-at-limit", "p.rst", &ok);
    assert_eq!(run.code, Some(0), "{}", run.all());
    let run = hits_limit(
        "line-over-limit",
        "p.rst",
        &format!("Title\n=====\n\n{}\n", "x".repeat(10_001)),
        "Line 4 exceeds the line-length-limit",
    );
    assert!(run.stderr.contains("p.rst:4:"), "{}", run.stderr);
    hits_limit(
        "line-tabs",
        "p.rst",
        &format!("x{}y\n", "\t".repeat(1_300)),
        "exceeds the line-length-limit",
    );
    // One 2 MiB line (a minified blob pasted into a page).
    hits_limit(
        "line-huge",
        "p.rst",
        &format!("{}\n", "x*".repeat(1024 * 1024)),
        "exceeds the line-length-limit",
    );
}

#[test]
fn too_many_inline_markup_problems_is_reported() {
    // Each unclosed start-string costs a problematic node and a system
    // message; past 1 000 per page they stay plain text and one error says so.
    let n = scaled(200_000);
    let run = hits_limit(
        "inline-problems",
        "p.rst",
        &"`a\n*b\n|c\n".repeat(n / 3),
        "Too many inline markup problems",
    );
    assert!(run.elapsed < Duration::from_secs(60), "{:?}", run.elapsed);
    // Valid markup has no cap: 200 000 candidates that all close are fine.
    let run = survives("inline-ok", "p2.rst", &"`a` *b* |c|_ d_\n".repeat(n / 4));
    assert!(!run.stderr.contains("Too many inline"), "{}", run.stderr);
}

#[test]
fn too_many_unknown_reference_names_is_reported() {
    // Unknown names are resolved (and reported) after parsing, by the
    // references transform: the same cap of 1 000 messages per page holds
    // there, the rest stay plain text.
    let n = scaled(100_000);
    let words: Vec<String> = (0..n).map(|i| format!("w{i}_")).collect();
    let text = format!(
        "T\n=\n\n{}\n",
        words
            .chunks(10)
            .map(|c| c.join(" "))
            .collect::<Vec<_>>()
            .join("\n")
    );
    let run = hits_limit(
        "unknown-refs",
        "p.rst",
        &text,
        "Too many unknown or duplicate reference names",
    );
    let reported = run.stderr.matches("Unknown target name").count();
    assert_eq!(
        reported,
        1000,
        "{}",
        &run.stderr[..run.stderr.len().min(2000)]
    );
    assert!(run.elapsed < Duration::from_secs(60), "{:?}", run.elapsed);
}

#[test]
fn huge_tables_stay_fast() {
    // 2 000 rows x 200 columns (2.4 MB): bounded by the file-size and
    // line-length limits; the table parser must stay linear in its size.
    let cols = 200;
    let sep = format!("{}+\n", "+--".repeat(cols));
    let row = format!("{}|\n", "|ab".repeat(cols));
    let mut s = sep.clone();
    for _ in 0..scaled(2_000) {
        s.push_str(&row);
        s.push_str(&sep);
    }
    let run = survives("grid-table", "p.rst", &s);
    assert!(run.elapsed < Duration::from_secs(60), "{:?}", run.elapsed);
    let border = format!("{}\n", "==  ".repeat(cols).trim_end());
    let row = format!("{}\n", "ab  ".repeat(cols).trim_end());
    let simple = format!("{border}{}{border}", row.repeat(scaled(5_000)));
    let run = survives("simple-table", "p2.rst", &simple);
    assert!(run.elapsed < Duration::from_secs(60), "{:?}", run.elapsed);
}

#[test]
fn billion_laughs_in_an_xml_example_is_a_diagnostic() {
    let mut xml =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n");
    for i in 1..10 {
        let prev = if i == 1 {
            "lol".to_string()
        } else {
            format!("lol{}", i - 1)
        };
        xml.push_str(&format!(
            " <!ENTITY lol{i} \"{}\">\n",
            format!("&{prev};").repeat(10)
        ));
    }
    xml.push_str(
        "]>\n<domain xmlns:qemu=\"http://libvirt.org/schemas/domain/qemu/1.0\">&lol9;</domain>\n",
    );
    let mut page = String::from("Laughs\n======\n\nExample::\n\n");
    for l in xml.lines() {
        page.push_str("   ");
        page.push_str(l);
        page.push('\n');
    }
    let run = survives("laughs", "p.rst", &page);
    assert!(run.elapsed < Duration::from_secs(30), "{:?}", run.elapsed);
    let lower = run.stderr.to_lowercase();
    assert!(
        lower.contains("entit") || lower.contains("dtd"),
        "no diagnostic about entities:\n{}",
        run.stderr
    );
}

#[test]
fn external_entities_are_never_resolved() {
    let page = "X\n=\n\nExample::\n\n   <?xml version=\"1.0\"?>\n   <!DOCTYPE d [ <!ENTITY x SYSTEM \"file:///etc/passwd\"> ]>\n   <domain>&x;</domain>\n";
    let run = survives("xxe", "p.rst", page);
    assert!(!run.all().contains("root:x:0:0"), "/etc/passwd was read");
}

#[test]
fn deep_and_wide_xml_examples() {
    let deep = format!(
        "X\n=\n\nExample::\n\n   <domain>\n{}{}   </domain>\n",
        "   <a>\n".repeat(scaled(100_000)),
        "   </a>\n".repeat(scaled(100_000))
    );
    let run = survives("xml-deep", "p.rst", &deep);
    assert!(run.elapsed < Duration::from_secs(60), "{:?}", run.elapsed);
    let attrs: String = (0..scaled(20_000))
        .map(|i| format!("\n      a{i}='x'"))
        .collect();
    let wide = format!("X\n=\n\nExample::\n\n   <domain{attrs}/>\n");
    let run = survives("xml-wide", "p2.rst", &wide);
    assert!(run.elapsed < Duration::from_secs(60), "{:?}", run.elapsed);
}

#[test]
fn many_sections_footnotes_and_targets() {
    let mut s = String::from("Refs ");
    s.push_str(&"[#]_ ".repeat(20_000));
    s.push_str("\n\n");
    for i in 0..20_000 {
        s.push_str(&format!(".. [#] Note {i}.\n"));
    }
    let run = survives("footnotes", "p.rst", &s);
    assert!(run.elapsed < Duration::from_secs(60), "{:?}", run.elapsed);
    let mut t = String::new();
    for i in 0..20_000 {
        t.push_str(&format!(
            "Section {i}\n{}\n\nt{i}_\n\n.. _t{i}: https://e.org/{i}\n\n",
            "=".repeat(20)
        ));
    }
    let run = survives("sections", "p2.rst", &t);
    assert!(run.elapsed < Duration::from_secs(60), "{:?}", run.elapsed);
}

#[test]
fn long_chains_of_indirect_targets_are_not_called_circular() {
    // A chain of 1,000 indirect targets (no cycle) stops at kbgen's depth
    // cap with an error that says so, in linear time; a real cycle keeps
    // docutils' "circular reference".
    let n = 1_000;
    let mut text = String::from("T\n=\n\nx a0_ and c1_\n\n");
    for i in 0..n {
        text.push_str(&format!(".. _a{i}: a{}_\n", i + 1));
    }
    text.push_str(&format!(".. _a{n}: https://example.org/\n"));
    text.push_str(".. _c1: c2_\n.. _c2: c1_\n");
    let run = hits_limit(
        "indirect-chain",
        "p.rst",
        &text,
        "a chain of more than 256 indirect targets",
    );
    assert!(
        run.stderr.contains("forming a circular reference"),
        "{}",
        run.stderr
    );
    assert!(run.elapsed < Duration::from_secs(30), "{:?}", run.elapsed);
}

#[test]
fn included_files_obey_the_line_length_limit() {
    // docutils' include checks each included line too (a warning naming
    // the included file as docutils shows it: here `content/long.txt`).
    let long = format!("LONGLINE{}\n", "x".repeat(10_001));
    let dir = site(
        "include-long",
        "",
        &[
            ("p.rst", b"P\n=\n\n.. include:: long.txt\n"),
            ("long.txt", long.as_bytes()),
        ],
    );
    let run = check_capped(&dir, Duration::from_secs(60));
    run.assert_no_crash();
    assert!(
        run.stderr
            .contains("long.txt\": line 1 exceeds the line-length-limit."),
        "{}",
        run.stderr
    );
}

#[test]
fn many_footnotes_and_references_resolve_in_linear_time() {
    // Was quadratic: every footnote scanned every reference (4 000 of each
    // took 11 s in a debug build; now well under a second).
    let n = scaled(20_000);
    let refs: Vec<&str> = vec!["[#]_"; n];
    let mut s = String::from("Refs\n\n");
    for chunk in refs.chunks(10) {
        s.push_str(&chunk.join(" "));
        s.push('\n');
    }
    s.push('\n');
    for i in 0..n {
        s.push_str(&format!(".. [#] Note {i}.\n"));
    }
    let start = std::time::Instant::now();
    let source = kbgen::source::SourceFile::new("p.rst", s);
    let doc = kbgen::syntax::rst::parse_document(&source, &Default::default());
    let elapsed = start.elapsed();
    assert!(elapsed < Duration::from_secs(20), "{elapsed:?}");
    // Still docutils' numbering: the k-th reference points at the k-th note.
    let mut refids = Vec::new();
    let mut note_ids = Vec::new();
    doc.walk(&mut |e| match e.tag {
        kbgen::ast::Tag::FootnoteReference => {
            refids.push(e.get(Attr::Refid).unwrap_or("").to_string())
        }
        kbgen::ast::Tag::Footnote => note_ids.push(e.ids.first().cloned().unwrap_or_default()),
        _ => {}
    });
    assert_eq!(refids.len(), n);
    assert_eq!(refids, note_ids);
}
