//! Lone elements: prose explaining one element of a passthrough schema
//! shows it alone (`<qemu:property …/>`, `<qemu:frontend>…`), though the
//! schema only starts at the outermost elements (`<qemu:override>`). Such
//! an example is validated against that element's own definition: a
//! schema derived from the shipped one whose start is a choice of every
//! element pattern in it. `tests/xml/bless.sh` derives the same schema
//! (independently, with Python) for xmllint, so the verdicts stay
//! differential.

const RNG: &str = "http://relaxng.org/ns/structure/1.0";

/// What the derivation gives: the derived grammar's text and the names
/// of the elements the original grammar starts with (their examples are
/// validated against the original).
pub struct LoneElements {
    pub schema_text: String,
    pub start_names: Vec<String>,
}

/// Derives the lone-element schema from a RELAX NG grammar in XML syntax:
/// its start tag (namespace declarations, `ns`, `datatypeLibrary`) and
/// every child but `start` are kept; each `element` pattern, wherever it
/// stands, becomes a definition the new start chooses among. `None` when
/// the text is no such grammar.
pub fn derive(text: &str) -> Option<LoneElements> {
    let doc = roxmltree::Document::parse(text).ok()?;
    let grammar = doc.root_element();
    if grammar.tag_name().namespace() != Some(RNG) || grammar.tag_name().name() != "grammar" {
        return None;
    }
    let is = |n: &roxmltree::Node, name: &str| {
        n.is_element() && n.tag_name().namespace() == Some(RNG) && n.tag_name().name() == name
    };
    let start_tag_end = text[grammar.range().start..].find('>')? + grammar.range().start + 1;
    let mut out = String::from(&text[grammar.range().start..start_tag_end]);
    let elements: Vec<roxmltree::Node> =
        grammar.descendants().filter(|n| is(n, "element")).collect();
    if elements.is_empty() {
        return None;
    }
    out.push_str("\n<start><choice>");
    for k in 0..elements.len() {
        out.push_str(&format!("<ref name=\"kbgen-lone-element-{k}\"/>"));
    }
    out.push_str("</choice></start>\n");
    for (k, e) in elements.iter().enumerate() {
        out.push_str(&format!("<define name=\"kbgen-lone-element-{k}\">"));
        out.push_str(&text[e.range()]);
        out.push_str("</define>\n");
    }
    let mut start_names = Vec::new();
    for child in grammar.children().filter(|n| n.is_element()) {
        if is(&child, "start") {
            start_names = first_element_names(&grammar, child, &is);
            continue;
        }
        out.push_str(&text[child.range()]);
        out.push('\n');
    }
    out.push_str("</grammar>\n");
    Some(LoneElements {
        schema_text: out,
        start_names,
    })
}

/// Names of the elements a pattern can start with, following `ref`s to
/// their definitions (one level of choices and refs is what grammars
/// written for passthrough namespaces use).
fn first_element_names(
    grammar: &roxmltree::Node,
    start: roxmltree::Node,
    is: &dyn Fn(&roxmltree::Node, &str) -> bool,
) -> Vec<String> {
    let mut names = Vec::new();
    let mut pending: Vec<roxmltree::Node> = start.children().filter(|n| n.is_element()).collect();
    let mut steps = 0;
    while let Some(n) = pending.pop() {
        steps += 1;
        if steps > 10_000 {
            break;
        }
        if is(&n, "element") {
            if let Some(name) = n.attribute("name") {
                names.push(name.to_string());
            }
        } else if is(&n, "ref") {
            let target = n.attribute("name");
            for d in grammar.children().filter(|d| is(d, "define")) {
                if d.attribute("name") == target {
                    pending.extend(d.children().filter(|c| c.is_element()));
                }
            }
        } else if is(&n, "choice") || is(&n, "group") || is(&n, "interleave") {
            pending.extend(n.children().filter(|c| c.is_element()));
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_element_becomes_a_start() {
        let rng = r#"<grammar xmlns="http://relaxng.org/ns/structure/1.0" ns="urn:x">
  <start><ref name="top"/></start>
  <define name="top"><element name="top"><zeroOrMore><element name="item"><attribute name="n"/></element></zeroOrMore></element></define>
</grammar>"#;
        let lone = derive(rng).expect("a grammar");
        assert_eq!(lone.start_names, vec!["top".to_string()]);
        assert!(lone.schema_text.contains("kbgen-lone-element-1"));
        assert!(!lone.schema_text.contains("<start><ref"));
        assert!(roxmltree::Document::parse(&lone.schema_text).is_ok());
    }

    #[test]
    fn not_a_grammar_gives_nothing() {
        assert!(
            derive("<element xmlns='http://relaxng.org/ns/structure/1.0' name='x'/>").is_none()
        );
        assert!(derive("not xml").is_none());
    }
}
