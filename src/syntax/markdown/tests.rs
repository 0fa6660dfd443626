//! Unit tests of the Markdown → doctree mapping; whole-page goldens live
//! in `tests/markdown/`.

use super::*;
use crate::ast::to_pseudoxml;

fn parse(text: &str) -> (Element, Vec<Diagnostic>, SourceFile) {
    let source = SourceFile::new("t.md", text);
    let opts = MarkdownOptions {
        source_name: "t.md".into(),
        raw_html: RawHtml::Escape,
    };
    let (doc, diags) = parse_document(&source, &opts);
    (doc, diags, source)
}

#[test]
fn headings_nest_into_sections() {
    let (doc, _, _) = parse("# Title\n\nIntro\n\n## A\n\n### A1\n\ntext\n\n## B {#custom}\n");
    let dump = to_pseudoxml(&doc);
    assert!(dump.starts_with("<document ids=\"title\" names=\"title\" source=\"t.md\" title=\"Title\">\n    <title>\n        Title\n    <paragraph>\n        Intro\n    <section ids=\"a\" names=\"a\">\n"), "{dump}");
    assert!(
        dump.contains("        <section ids=\"a1\" names=\"a1\">\n"),
        "{dump}"
    );
    assert!(
        dump.contains("\n    <section ids=\"custom\" names=\"b\">\n"),
        "{dump}"
    );
}

#[test]
fn fenced_code_span_is_content_lines() {
    let text = "# T\n\n```xml\n<a>\n</b>\n```\n";
    let (doc, _, source) = parse(text);
    let mut found = None;
    doc.walk(&mut |e| {
        if e.tag == Tag::LiteralBlock {
            found = Some(e.clone());
        }
    });
    let block = found.expect("literal_block");
    assert_eq!(block.classes, vec!["code", "xml"]);
    assert_eq!(block.astext(), "<a>\n</b>");
    assert_eq!(&source.text[block.span.range()], "<a>\n</b>");
    assert_eq!(source.line_of(block.span.start as usize), 4);
}

#[test]
fn raw_html_is_escaped_by_default() {
    let (doc, _, _) = parse("<script>alert(1)</script>\n\nx <b>y</b>\n");
    let dump = to_pseudoxml(&doc);
    assert!(!dump.contains("<raw"), "{dump}");
    assert!(
        dump.contains("<paragraph classes=\"raw-html\">\n        <script>alert(1)</script>"),
        "{dump}"
    );
}

#[test]
fn front_matter_fills_docinfo() {
    let (doc, diags, _) = parse("---\ntitle: Hello\ncategory: Virtualization\n---\n\n# Heading\n");
    assert!(diags.is_empty());
    let meta = crate::passes::metadata::extract_metadata(&doc, "t");
    assert_eq!(meta.title, "Hello");
    assert_eq!(meta.category.as_deref(), Some("Virtualization"));
    assert!(
        doc.first(Tag::Section).is_some(),
        "the heading stays a section"
    );
}

#[test]
fn footnotes_are_numbered_and_linked() {
    let (doc, diags, _) = parse("a[^n] b[^m] c[^x]\n\n[^m]: M\n[^n]: N\n");
    let dump = to_pseudoxml(&doc);
    assert!(dump.contains("<footnote_reference auto=\"1\" ids=\"footnote-reference-1\" refid=\"footnote-n\">\n            1"), "{dump}");
    assert!(dump.contains("<footnote auto=\"1\" backrefs=\"footnote-reference-2\" ids=\"footnote-m\" names=\"m\">\n        <label>\n            2"), "{dump}");
    assert_eq!(diags.len(), usize::from(dump.contains("problematic")));
}

#[test]
fn odd_inputs_do_not_panic() {
    for text in [
        "",
        "#",
        "<!-->",
        "---\n",
        "+++\ntitle = \n+++\n",
        "> # h\n",
        "| a |\n|---|\n| b | c |\n",
        "[^x]:\n",
        "- [ ] \n",
        "\u{0}\u{feff}",
        "# \n## \n",
        "````\n",
        "<div>\n\n</div>",
    ] {
        let _ = parse(text);
    }
}

/// Every node of the tree has a span inside the page, on character
/// boundaries, for generated inputs mixing every construct.
#[test]
fn spans_stay_inside_the_page_for_generated_inputs() {
    let pieces = [
        "# T\n",
        "## S {#x}\n",
        "para *em* **st** `c` ~~s~~\n",
        "\n",
        "- a\n",
        "  - b\n",
        "1. n\n",
        "> q\n",
        "```xml\n<a>\n```\n",
        "    <i/>\n",
        "| a | b |\n|---|:-:|\n| c | d |\n",
        "[^f]\n",
        "[^f]: note\n",
        "<div>\n",
        "</div>\n",
        "<!-- c -->\n",
        "[l](x.md#y)\n",
        "![i](p.png)\n",
        "---\n",
        "Ünïcödé 日本\n",
        "- [x] t\n",
        "+++\n",
        "title: \"x\n",
        "\t\t\n",
        "***\n",
        "<b>i</b>\n",
        "Setext\n===\n",
    ];
    let mut seed: u64 = 12345;
    for _ in 0..400 {
        let mut text = String::new();
        for _ in 0..12 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
        }
        let (doc, _, source) = parse(&text);
        doc.walk(&mut |e| {
            for span in std::iter::once(e.span).chain(e.children.iter().map(Node::span)) {
                let (s, t) = (span.start as usize, span.end as usize);
                assert!(s <= t && t <= source.text.len(), "{span:?} in {text:?}");
                assert!(
                    source.text.is_char_boundary(s) && source.text.is_char_boundary(t),
                    "{text:?}"
                );
            }
        });
    }
}
