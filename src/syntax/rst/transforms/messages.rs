//! `universal.Messages` and `universal.FilterMessages`.

use crate::ast::Attr;
use crate::ast::{Element, Node, Span, Tag};

use crate::syntax::rst::block::Parser;

/// System messages raised by transforms go into a final
/// "Docutils System Messages" section (levels below 2 are dropped).
pub fn append_transform_messages(_p: &mut Parser, doc: &mut Element, msgs: Vec<Element>) {
    let msgs: Vec<Element> = msgs
        .into_iter()
        .filter(|m| {
            m.get(Attr::Level)
                .and_then(|l| l.parse::<u8>().ok())
                .unwrap_or(2)
                >= 2
        })
        .collect();
    if msgs.is_empty() {
        return;
    }
    let mut sec = Element::new(Tag::Section, Span::default());
    sec.classes.push("system-messages".into());
    let mut t = Element::new(Tag::Title, Span::default());
    t.push_text("Docutils System Messages", Span::default());
    sec.push(t);
    for m in msgs {
        sec.push(m);
    }
    doc.push(sec);
}

/// Removes system messages below the report level (INFO and DEBUG).
pub fn filter(doc: &mut Element) {
    fn walk(e: &mut Element) {
        e.children.retain(|c| match c {
            Node::Element(x) if x.tag == Tag::SystemMessage => {
                x.get(Attr::Level)
                    .and_then(|l| l.parse::<u8>().ok())
                    .unwrap_or(2)
                    >= 2
            }
            _ => true,
        });
        for c in e.elements_mut() {
            walk(c);
        }
    }
    walk(doc);
}
