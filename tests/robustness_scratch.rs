#[test]
fn scratch() {
    let text = std::fs::read_to_string(std::env::var("SCRATCH").unwrap()).unwrap();
    let source = kbgen::source::SourceFile::new("x.rst", text);
    let doc = kbgen::syntax::rst::parse_document(&source, &Default::default());
    fn p(e: &kbgen::ast::Element, d: usize) {
        println!("{}{} {}..{}", "  ".repeat(d), e.tag.name(), e.span.start, e.span.end);
        for c in &e.children { match c { kbgen::ast::Node::Element(x) => p(x, d+1), kbgen::ast::Node::Text(t) => println!("{}#text {}..{} {:?}", "  ".repeat(d+1), t.span.start, t.span.end, t.text.chars().take(20).collect::<String>()) } }
    }
    p(&doc, 0);
}
