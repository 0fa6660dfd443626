//! `universal.Messages` and `universal.FilterMessages`.

use crate::ast::Attr;
use crate::ast::{Element, Node, Span, Tag, Text};

use crate::diag::Severity;
use crate::syntax::rst::block::Parser;
use crate::syntax::rst::languages::importer::{Importer, import_messages};

/// A system message's level (2, a warning, when it has none).
fn level(m: &Element) -> u8 {
    m.get(Attr::Level)
        .and_then(|l| l.parse::<u8>().ok())
        .unwrap_or(2)
}

/// What docutils' language importers report for a page in another
/// language than English (see [`import_messages`]): the parser's import
/// (directive and role names) happens before any line is read, so its
/// messages have no line; the labels' import comes from the first to ask
/// for them: a `contents` directive while parsing (at the last line of its
/// block), else the first transform (at the line the reporter was left at
/// after parsing). None of them is in the tree: the Messages transform
/// shows them all, TestMessages only the transforms' own.
pub struct LanguageWarnings {
    /// Messages of the parse, in order.
    pub parser: Vec<Element>,
    /// The first transform's messages, if parsing did not give them.
    pub transforms: Vec<Element>,
}

pub fn language_messages(p: &Parser, doc: &Element) -> Option<LanguageWarnings> {
    let code = p.doc.language_code.as_str();
    let parser_import = import_messages(Importer::Parser, code);
    if parser_import.is_empty() {
        return None;
    }
    let message = |(level, text): (Severity, String), line| {
        p.doc.message(level, &text, line, Span::default())
    };
    let mut parser: Vec<Element> = parser_import
        .into_iter()
        .map(|m| message(m, None))
        .collect();
    let labels = import_messages(Importer::Labels, code);
    let mut transforms = Vec::new();
    match first_contents(doc) {
        Some(span) => {
            let line = directive_block_end(p, span);
            parser.extend(labels.into_iter().map(|m| message(m, line)));
        }
        None => {
            let line = super::references::end_line(p);
            transforms.extend(labels.into_iter().map(|m| message(m, line)));
        }
    }
    Some(LanguageWarnings { parser, transforms })
}

/// The span of the first `contents` directive's pending node.
fn first_contents(e: &Element) -> Option<Span> {
    e.elements().find_map(|c| {
        if c.tag == Tag::Pending && c.get(Attr::Kind) == Some("contents") {
            Some(c.span)
        } else {
            first_contents(c)
        }
    })
}

/// The line docutils' reporter is at while a directive starting at `span`
/// runs: the last line of the unindented block holding it (its indented
/// lines and the blank lines after them; a `contents` in a `sidebar`
/// reports the sidebar's).
fn directive_block_end(p: &Parser, span: Span) -> Option<usize> {
    let lines = &p.lines[..p.main_lines.min(p.lines.len())];
    let start = span.start as usize;
    let i = lines.partition_point(|l| l.end < start);
    lines.get(i)?;
    let end = lines[i + 1..]
        .iter()
        .position(|l| !l.text.is_empty() && !l.text.starts_with(' '))
        .map_or(lines.len(), |k| i + 1 + k);
    Some(lines[end - 1].lineno)
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
