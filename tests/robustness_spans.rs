//! Span regressions found by the fuzz oracles: every node's span must lie
//! inside its parent's (diagnostics and the preview map positions back
//! through the tree). Each case names the input that broke the rule.

#[path = "../fuzz/src/checks.rs"]
mod checks;

fn spans_nest(text: &str) {
    let source = kbgen::source::SourceFile::new("x.rst", text);
    let doc = kbgen::syntax::rst::parse_document(&source, &Default::default());
    if let Err(e) = checks::check_spans(&doc, &source.text) {
        panic!("{e}\n{}", kbgen::ast::to_pseudoxml(&doc));
    }
}

#[test]
fn section_span_covers_its_body() {
    // Was: section@0..6 with its paragraph at 8..17 outside it.
    spans_nest(include_str!(
        "hostile/crashes/rst/section-span-excludes-body.rst"
    ));
}

#[test]
fn substitution_definition_span_covers_its_directive_block() {
    // Was: substitution_definition spanning its first line only, with the
    // image (and `:target:` option line) outside it.
    spans_nest(include_str!(
        "hostile/crashes/rst/substitution-definition-span-first-line-only.rst"
    ));
}

#[test]
fn empty_field_body_does_not_stretch_the_field_span_to_offset_zero() {
    // Was: field@0..21 (covering the empty body's "no position" span 0..0)
    // inside field_list@7..21. Found by the `rst` fuzz target.
    spans_nest(include_str!(
        "hostile/crashes/rst/empty-field-body-span-from-zero.rst"
    ));
}

#[test]
fn option_list_span_covers_its_items() {
    // Was: option_list spanning its first line only, its items outside it.
    // Found by the `rst` fuzz target.
    spans_nest(include_str!(
        "hostile/crashes/rst/option-list-span-first-line-only.rst"
    ));
}

#[test]
fn markdown_table_body_spans_its_rows() {
    // Was: tbody spanning its first row only, later rows outside it.
    // Found by the `markdown` fuzz target.
    let text = include_str!("hostile/crashes/markdown/table-body-span.md");
    let source = kbgen::source::SourceFile::new("x.md", text);
    let opts = kbgen::syntax::markdown::MarkdownOptions {
        source_name: "x.md".into(),
        raw_html: kbgen::config::RawHtml::Escape,
    };
    let (doc, _) = kbgen::syntax::markdown::parse_document(&source, &opts);
    if let Err(e) = checks::check_spans(&doc, &source.text) {
        panic!("{e}\n{}", kbgen::ast::to_pseudoxml(&doc));
    }
}
