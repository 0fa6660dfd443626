//! Builds the XML-example pass over libvirt's docs (`/work/corpus/docs`,
//! or `KBGEN_XML_CORPUS`) and prints the figures: examples found, with
//! elisions dropped, repaired (closed / wrapped), warned about, and
//! passthrough examples validated. Every passthrough example of
//! drvqemu.rst and the kbase article must validate.
//!
//! Literal blocks come from the real RST parser when it produces them, and
//! otherwise from a small stand-in that finds `::` and `.. code::` blocks
//! the way the AST contract describes them. Ignored by default (it needs
//! the corpus): `cargo test --test xml_corpus -- --ignored --nocapture`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use kbgen::ast::{Element, Span, Tag};
use kbgen::config::Policy;
use kbgen::diag::Severity;
use kbgen::passes::xml_examples::{SchemaSet, Stats, check_xml_examples_with_stats};
use kbgen::source::SourceFile;

fn indent(l: &str) -> usize {
    l.len() - l.trim_start().len()
}

/// Stand-in literal-block finder: `::` at the end of a line (a paragraph or
/// an expanded `::`) or a `code`/`code-block`/`sourcecode` directive, then
/// the following more-indented lines.
fn literal_blocks(source: &SourceFile) -> Vec<Element> {
    let n = source.line_count() as u32;
    let mut out = Vec::new();
    let mut l = 1;
    while l <= n {
        let line = source.line_text(l);
        let t = line.trim();
        let mut classes = Vec::new();
        let opens = if let Some(rest) = t.strip_prefix("..") {
            let rest = rest.trim();
            let code = ["code::", "code-block::", "sourcecode::"]
                .iter()
                .find(|d| rest.starts_with(**d));
            match code {
                Some(d) => {
                    classes.push("code".to_string());
                    let lang = rest[d.len()..].trim();
                    if !lang.is_empty() {
                        classes.push(lang.to_string());
                    }
                    true
                }
                None => false,
            }
        } else {
            t.ends_with("::")
        };
        l += 1;
        if !opens {
            continue;
        }
        let base = indent(line);
        // Directive options, then blank lines.
        while l <= n && !classes.is_empty() && source.line_text(l).trim().starts_with(':') {
            l += 1;
        }
        while l <= n && source.line_text(l).trim().is_empty() {
            l += 1;
        }
        let first = l;
        let mut last = 0;
        while l <= n {
            let s = source.line_text(l);
            if s.trim().is_empty() {
                l += 1;
                continue;
            }
            if indent(s) <= base {
                break;
            }
            last = l;
            l += 1;
        }
        if last < first {
            continue;
        }
        let lines: Vec<&str> = (first..=last).map(|k| source.line_text(k)).collect();
        let cut = lines
            .iter()
            .filter(|s| !s.trim().is_empty())
            .map(|s| indent(s))
            .min()
            .unwrap_or(0);
        let text: Vec<&str> = lines.iter().map(|s| s.get(cut..).unwrap_or("")).collect();
        let span = Span::new(
            source.line_start(first),
            source.line_start(last) + source.line_text(last).len(),
        );
        let mut e = Element::new(Tag::LiteralBlock, span);
        e.classes = classes.into();
        e.push_text(text.join("\n"), span);
        out.push(e);
        l = last + 1;
    }
    out
}

fn count_blocks(doc: &Element) -> usize {
    let mut n = 0;
    doc.walk(&mut |e| n += usize::from(e.tag == Tag::LiteralBlock));
    n
}

fn rst_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "rst"))
        .collect();
    files.sort();
    files
}

#[test]
#[ignore]
fn libvirt_docs_examples() {
    let dir = std::env::var_os("KBGEN_XML_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| "/work/corpus/docs".into());
    let schemas = SchemaSet::builtin();
    let mut total = Stats::default();
    let mut by_code: BTreeMap<(&str, Severity), usize> = BTreeMap::new();
    let mut errors = Vec::new();
    let mut used_parser = 0;
    for path in rst_files(&dir) {
        let rel = path.strip_prefix(&dir).unwrap_or(&path).to_path_buf();
        let source = SourceFile::read(&path, &rel).unwrap();
        let opts = kbgen::syntax::rst::RstOptions {
            code_tokens: false,
            source_name: rel.display().to_string(),
            allow_raw: false,
            include_root: Some(dir.clone()),
            ..Default::default()
        };
        let mut doc = kbgen::syntax::rst::parse_document(&source, &opts);
        if count_blocks(&doc) > 0 {
            used_parser += 1;
        } else {
            doc = Element::new(Tag::Document, Span::default());
            for b in literal_blocks(&source) {
                doc.push(b);
            }
        }
        let (diags, stats) =
            check_xml_examples_with_stats(&mut doc, &source, &schemas, Policy::Warning);
        let key = rel.display().to_string();
        if key == "drvqemu.rst" || key == "kbase/qemu-passthrough-security.rst" {
            assert!(
                stats.passthrough > 0,
                "{key}: no passthrough examples found"
            );
            assert_eq!(stats.validated, stats.passthrough, "{key}: {diags:#?}");
            println!(
                "{key}: {} passthrough example(s), all validated",
                stats.validated
            );
        }
        for d in &diags {
            *by_code.entry((d.code, d.severity)).or_default() += 1;
            if d.severity.is_error() {
                errors.push(d.render_human());
            } else {
                println!("{}", d.render_human().lines().next().unwrap_or(""));
            }
        }
        if std::env::var_os("KBGEN_XML_PER_FILE").is_some() && stats.examples > 0 {
            println!("{key}: {} example(s)", stats.examples);
        }
        total += stats;
    }
    println!("pages parsed by the RST parser with literal blocks: {used_parser}");
    println!("{total:#?}");
    for ((code, sev), n) in &by_code {
        println!("{:>4} {} {code}", n, sev.label());
    }
    for e in &errors {
        println!("{e}");
    }
    assert!(
        errors.is_empty(),
        "{} error(s) in libvirt's docs",
        errors.len()
    );
}
