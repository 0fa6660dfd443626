//! kbgen against xmllint: every case under `tests/xml/cases/` is checked
//! by kbgen, and its verdict on each passthrough subtree must equal the
//! one `tests/xml/bless.sh` recorded from `xmllint --relaxng` in
//! `tests/xml/golden/`. Each case also states, in a trailing
//! `<!-- kbgen-expect: … -->` comment, kbgen's exact diagnostics
//! (`code@line:column`, or `ok`).
//!
//! `.block` cases are literal-block text (elisions handled); `.xml` cases
//! are standalone files (`kbgen validate`).

use std::path::Path;

use kbgen::diag::Severity;
use kbgen::passes::xml_examples::SchemaSet;
use kbgen::passes::xml_examples::check::{Ctx, check};
use kbgen::passes::xml_examples::prepare::{Prepared, prepare};
use kbgen::source::SourceFile;

struct Verdict {
    well_formed: bool,
    subtrees: Vec<String>,
    diags: Vec<String>,
}

fn run_case(path: &Path, schemas: &SchemaSet) -> Verdict {
    let text = std::fs::read_to_string(path).unwrap();
    let source = SourceFile::new(path.file_name().unwrap().to_str().unwrap(), text.clone());
    let block = path.extension().is_some_and(|e| e == "block");
    let prepared = if block {
        prepare(&text)
    } else {
        Prepared::plain(&text)
    };
    let map = |o: usize| prepared.body_offset(o);
    let malformed = Some(if block {
        Severity::Warning
    } else {
        Severity::Error
    });
    let ctx = Ctx {
        source: &source,
        map: &map,
        schemas,
        malformed,
    };
    let out = check(&prepared.text, &ctx);
    Verdict {
        well_formed: out.well_formed,
        subtrees: out
            .results
            .iter()
            .map(|(n, ok)| format!("subtree {n} {}", if *ok { "valid" } else { "invalid" }))
            .collect(),
        diags: out
            .diags
            .iter()
            .map(|d| {
                let l = d.location.as_ref().unwrap();
                format!("{}@{}:{}", d.code, l.line, l.column)
            })
            .collect(),
    }
}

fn expectation(text: &str) -> Vec<String> {
    let start = text
        .find("kbgen-expect:")
        .expect("case has a kbgen-expect comment")
        + "kbgen-expect:".len();
    let end = text[start..].find("-->").unwrap() + start;
    text[start..end]
        .split_whitespace()
        .filter(|w| *w != "ok")
        .map(str::to_string)
        .collect()
}

#[test]
fn kbgen_agrees_with_xmllint_on_every_case() {
    let schemas = SchemaSet::builtin();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/xml");
    let mut cases: Vec<_> = std::fs::read_dir(root.join("cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    assert!(cases.len() >= 50, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_stem().unwrap().to_str().unwrap();
        let golden = std::fs::read_to_string(root.join("golden").join(format!("{name}.txt")))
            .unwrap_or_else(|_| panic!("no golden for {name}: run tests/xml/bless.sh"));
        let mut lines = golden.lines();
        let xmllint_wf = lines.next() == Some("wellformed yes");
        let xmllint_subtrees: Vec<&str> = lines.collect();
        let v = run_case(case, &schemas);
        let expected = expectation(&std::fs::read_to_string(case).unwrap());
        // kbgen refuses entity declarations on purpose; expat expands small ones.
        let refuses = expected.iter().any(|e| e.starts_with("xml-entities"));
        if v.well_formed != xmllint_wf && !refuses {
            failures.push(format!(
                "{name}: well-formed: kbgen {} / golden {xmllint_wf}",
                v.well_formed
            ));
        }
        if v.subtrees != xmllint_subtrees {
            failures.push(format!(
                "{name}: subtrees: kbgen {:?} / xmllint {:?}",
                v.subtrees, xmllint_subtrees
            ));
        }
        if v.diags != expected {
            failures.push(format!(
                "{name}: diagnostics: kbgen {:?} / expected {:?}",
                v.diags, expected
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} disagreement(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
