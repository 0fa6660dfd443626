//! `universal.Messages` and `universal.FilterMessages`.

use crate::ast::Attr;
use crate::ast::{Element, Node, Span, Tag, Text};

use crate::syntax::rst::block::Parser;

/// A system message's level (2, a warning, when it has none).
fn level(m: &Element) -> u8 {
    m.get(Attr::Level)
        .and_then(|l| l.parse::<u8>().ok())
        .unwrap_or(2)
}

/// System messages raised by transforms go into a final
/// "Docutils System Messages" section, whatever their level:
/// `FilterMessages` removes those below the report level afterwards.
pub fn append_transform_messages(_p: &mut Parser, doc: &mut Element, msgs: Vec<Element>) {
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

/// `FilterMessages`: removes system messages below `report_level`, turns
/// the `problematic` nodes that pointed at a removed message back into
/// their text, and drops a "Docutils System Messages" section left with
/// only its title.
pub fn filter(doc: &mut Element, report_level: u8) {
    fn remove_messages(e: &mut Element, report_level: u8, removed: &mut Vec<String>) {
        e.children.retain(|c| match c {
            Node::Element(x) if x.tag == Tag::SystemMessage && level(x) < report_level => {
                removed.extend(x.ids.iter().cloned());
                false
            }
            _ => true,
        });
        for c in e.elements_mut() {
            remove_messages(c, report_level, removed);
        }
        e.children.retain(|c| {
            !matches!(c, Node::Element(x) if x.tag == Tag::Section
                && x.children.len() == 1
                && x.classes.iter().any(|c| c == "system-messages"))
        });
    }
    fn restore_problematic(e: &mut Element, removed: &[String]) {
        for c in e.children.iter_mut() {
            let Node::Element(x) = c else { continue };
            let orphan = x.tag == Tag::Problematic
                && x.get(Attr::Refid)
                    .is_some_and(|id| removed.iter().any(|r| r == id));
            if orphan {
                *c = Node::Text(Text {
                    text: x.astext(),
                    span: x.span,
                });
            } else {
                restore_problematic(x, removed);
            }
        }
    }
    let mut removed = Vec::new();
    remove_messages(doc, report_level, &mut removed);
    if !removed.is_empty() {
        restore_problematic(doc, &removed);
    }
}
