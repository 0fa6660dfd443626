//! The pass on hand-built trees (the RST parser is being rewritten): each
//! literal block is built the way the parser's contract describes it.

use super::*;
use crate::ast::{Span, thin_vec};
use crate::diag::Diagnostic;

const SEED: &str = include_str!("../../../tests/xml/pages/qemu-passthrough-security.rst");

/// A literal block over 1-based page lines `first..=last`: text dedented by
/// the common indentation, span from the first line's start to the last's end.
pub fn block(source: &SourceFile, first: u32, last: u32) -> Element {
    let lines: Vec<&str> = (first..=last).map(|l| source.line_text(l)).collect();
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let text: Vec<&str> = lines
        .iter()
        .map(|l| l.get(indent..).unwrap_or(""))
        .collect();
    let span = Span::new(
        source.line_start(first),
        source.line_start(last) + source.line_text(last).len(),
    );
    let mut e = Element::new(Tag::LiteralBlock, span);
    e.push_text(text.join("\n"), span);
    e
}

fn doc_with(blocks: Vec<Element>) -> Element {
    let mut doc = Element::new(Tag::Document, Span::default());
    for b in blocks {
        doc.push(b);
    }
    doc
}

/// Lines of the first block whose first line contains `needle`, up to the next blank-line-then-unindented line.
fn find_block(source: &SourceFile, needle: &str) -> (u32, u32) {
    let first = (1..=source.line_count() as u32)
        .find(|&l| source.line_text(l).contains(needle))
        .unwrap();
    let mut last = first;
    for l in first + 1..=source.line_count() as u32 {
        let t = source.line_text(l);
        if !t.trim().is_empty() && !t.starts_with(' ') {
            break;
        }
        if !t.trim().is_empty() {
            last = l;
        }
    }
    (first, last)
}

fn run(page: &str, needle: &str) -> (Vec<Diagnostic>, Element) {
    let source = SourceFile::new("kbase/page.rst", page);
    let (a, b) = find_block(&source, needle);
    let mut doc = doc_with(vec![block(&source, a, b)]);
    let d = check_xml_examples(&mut doc, &source, &SchemaSet::builtin(), Policy::Warning);
    (d, doc)
}

fn label(doc: &Element) -> Option<String> {
    doc.first(Tag::LiteralBlock)
        .and_then(|b| b.get(SCHEMA_ATTR))
        .map(str::to_string)
}

fn loc(d: &Diagnostic) -> (u32, u32) {
    let l = d.location.as_ref().unwrap();
    (l.line, l.column)
}

#[test]
fn both_seed_examples_validate() {
    for needle in ["<domain type='kvm' xmlns:qemu", "<domain type='kvm'>"] {
        let (d, doc) = run(SEED, needle);
        assert!(d.is_empty(), "{needle}: {d:#?}");
        assert_eq!(label(&doc).as_deref(), Some("QEMU passthrough"));
    }
}

#[test]
fn dropping_value_points_at_the_arg() {
    let page = SEED.replacen("<qemu:arg value='parameter'/>", "<qemu:arg/>", 1);
    let (d, doc) = run(&page, "<domain type='kvm' xmlns:qemu");
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].code, "xml-schema");
    assert_eq!(d[0].message, "<qemu:arg> needs the attribute `value`");
    assert_eq!(loc(&d[0]), (33, 8));
    assert!(d[0].severity.is_error());
    assert_eq!(label(&doc), None);
}

#[test]
fn bad_env_name_points_at_the_attribute() {
    let page = SEED.replacen("name='ID'", "name='FOO-BAR'", 2);
    let (d, _) = run(&page, "<domain type='kvm'>");
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(
        d[0].message,
        "`FOO-BAR` is not a valid env name: letters, digits and `_` only"
    );
    assert_eq!(loc(&d[0]), (56, 18));
}

#[test]
fn misspelled_namespace_gets_did_you_mean() {
    let page = SEED.replacen(
        "libvirt.org/schemas/domain/qemu/1.0'>\n       <qemu:arg",
        "libvirt.org/schemas/domian/qemu/1.0'>\n       <qemu:arg",
        1,
    );
    let (d, doc) = run(&page, "<domain type='kvm'>");
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].code, "xml-namespace");
    assert_eq!(loc(&d[0]), (53, 36));
    assert_eq!(
        d[0].help.as_deref(),
        Some("did you mean `http://libvirt.org/schemas/domain/qemu/1.0`?")
    );
    assert_eq!(label(&doc), None);
}

#[test]
fn opt_out_comment_skips_the_next_block_only() {
    let page = "<a>\n<b>\n";
    let source = SourceFile::new("p.rst", page);
    let mut comment = Element::new(Tag::Comment, Span::default());
    comment.push_text("kbgen: no-validate", Span::default());
    let mut doc = doc_with(vec![comment, block(&source, 1, 1), block(&source, 2, 2)]);
    let (d, stats) =
        check_xml_examples_with_stats(&mut doc, &source, &SchemaSet::builtin(), Policy::Error);
    assert_eq!(stats.opted_out, 1);
    assert_eq!(stats.examples, 1);
    assert!(d.is_empty(), "{d:#?}");
}

#[test]
fn explicit_other_language_is_not_an_example() {
    let source = SourceFile::new("p.rst", "<qemu:arg/>\n");
    let mut b = block(&source, 1, 1);
    b.classes = thin_vec!["code".into(), "console".into()];
    assert!(!is_example(&b));
    b.classes = thin_vec!["code".into(), "xml".into()];
    assert!(is_example(&b));
    assert!(!starts_like_xml("virsh edit x\n<domain>"));
    assert!(starts_like_xml("...\n<domain>"));
}

#[test]
fn malformed_follows_policy_unless_passthrough() {
    let source = SourceFile::new("p.rst", "<a>\n</b>\n");
    let check = |policy| {
        let mut doc = doc_with(vec![block(&source, 1, 2)]);
        check_xml_examples(&mut doc, &source, &SchemaSet::builtin(), policy)
    };
    let w = check(Policy::Warning);
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].severity, crate::diag::Severity::Warning);
    assert_eq!(w[0].code, "xml-malformed");
    assert_eq!(loc(&w[0]), (2, 1));
    assert_eq!(
        check(Policy::Error)[0].severity,
        crate::diag::Severity::Error
    );
    assert!(check(Policy::Ignore).is_empty());

    let source = SourceFile::new(
        "p.rst",
        "<qemu:commandline xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>\n</b>\n",
    );
    let mut doc = doc_with(vec![block(&source, 1, 2)]);
    let d = check_xml_examples(&mut doc, &source, &SchemaSet::builtin(), Policy::Ignore);
    assert_eq!(d[0].severity, crate::diag::Severity::Error, "{d:#?}");
}

#[test]
fn indentation_and_elisions_map_back_to_the_page() {
    // A block nested in a list item: indented 6, with an elision line first.
    let page = "* item\n\n  ::\n\n      ...\n      <domain xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>\n        <qemu:deprecation behavior='sometimes'/>\n";
    let source = SourceFile::new("p.rst", page);
    let mut doc = doc_with(vec![block(&source, 5, 7)]);
    let (d, stats) =
        check_xml_examples_with_stats(&mut doc, &source, &SchemaSet::builtin(), Policy::Warning);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(
        d[0].message,
        "`sometimes` is not a valid deprecation behavior"
    );
    assert_eq!(
        d[0].help.as_deref(),
        Some("expected one of `none`, `omit`, `reject` or `crash`")
    );
    assert_eq!(loc(&d[0]), (7, 27));
    assert_eq!(stats.with_elisions, 1);
    assert_eq!(stats.repaired, 1);
}

#[test]
fn commandline_without_namespace_names_the_declaration() {
    let (d, _) = run(
        "::\n\n  <domain type='kvm'>\n    <commandline>\n      <arg value='-x'/>\n    </commandline>\n  </domain>\n",
        "<domain",
    );
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].code, "xml-no-namespace");
    assert!(
        d[0].message
            .contains("http://libvirt.org/schemas/domain/qemu/1.0"),
        "{}",
        d[0].message
    );
    assert_eq!(loc(&d[0]), (4, 5));
}

#[test]
fn undeclared_prefix_is_an_error_with_the_declaration() {
    let (d, _) = run(
        "::\n\n  <domain>\n    <qemu:commandline/>\n  </domain>\n",
        "<domain",
    );
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].code, "xml-undeclared-prefix");
    assert!(d[0].severity.is_error());
    assert_eq!(loc(&d[0]).0, 4);
    assert!(
        d[0].help
            .as_deref()
            .unwrap()
            .contains("xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'")
    );
}

#[test]
fn billion_laughs_is_refused_quickly() {
    let mut xml = String::from("<?xml version='1.0'?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
    for i in 1..10 {
        let prev = if i == 1 {
            "lol".to_string()
        } else {
            format!("lol{}", i - 1)
        };
        xml.push_str(&format!(
            "<!ENTITY lol{i} \"{}\">\n",
            format!("&{prev};").repeat(10)
        ));
    }
    xml.push_str("]>\n<lolz>&lol9;</lolz>\n");
    let source = SourceFile::new("bomb.xml", xml);
    let t = std::time::Instant::now();
    let (d, _) = validate_source(&source, &SchemaSet::builtin());
    assert!(t.elapsed().as_secs() < 2);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].code, "xml-entities");
    assert_eq!(loc(&d[0]).0, 3);
}

#[test]
fn very_deep_nesting_does_not_overflow() {
    let depth = 200_000;
    let mut xml =
        String::from("<qemu:commandline xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>");
    xml.push_str(&"<a>".repeat(depth));
    xml.push_str(&"</a>".repeat(depth));
    xml.push_str("</qemu:commandline>");
    let source = SourceFile::new("deep.xml", xml);
    let (d, _) = validate_source(&source, &SchemaSet::builtin());
    assert!(!d.is_empty());
    assert_eq!(d[0].code, "xml-schema");
    // The same, unclosed, as a page block: closed implicitly in linear time.
    let page = format!("<domain>{}", "<x>".repeat(depth));
    let source = SourceFile::new("p.rst", page);
    let mut doc = doc_with(vec![block(&source, 1, 1)]);
    let (d, stats) =
        check_xml_examples_with_stats(&mut doc, &source, &SchemaSet::builtin(), Policy::Error);
    assert!(d.is_empty(), "{d:#?}");
    assert_eq!(stats.repaired, 1);
}
