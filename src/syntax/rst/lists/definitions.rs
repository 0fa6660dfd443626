//! Definition lists (the `Text` state's indented-line transition and the
//! `DefinitionList` state).

use crate::ast::{Element, Node, Tag};
use crate::diag::Severity;

use super::super::block::{LineView, Parser};
use super::{ParsedItem, finish_list, following_items, is_body_start};

/// One term (with its classifiers) and its indented definition.
fn definition_item(p: &mut Parser, b: &[LineView], i: usize) -> ParsedItem<Element> {
    let term_line = b[i];
    let dt_lineno = p.lineno(term_line);
    let ind = p.get_indented(b, i + 1);
    let span = p.line_span(term_line).cover(p.block_span(&ind.lines));
    let mut item = Element::new(Tag::DefinitionListItem, span);
    p.mark_origin(&mut item, term_line);
    let term_line_text = p.line_shared(term_line);
    // Text keeps its escape markers until the split: docutils splits the
    // escaped text, so an escaped colon (`\\:`) divides nothing.
    let keep_escapes = p.doc.keep_escapes;
    p.doc.keep_escapes = true;
    let (nodes, msgs) = p.inline_lines(&[term_line], None, dt_lineno);
    p.doc.keep_escapes = keep_escapes;
    // split classifiers on " : " in text nodes
    let mut term = Element::new(Tag::Term, p.line_span(term_line));
    p.mark_origin(&mut term, term_line);
    let mut classifiers: Vec<Element> = Vec::new();
    for n in nodes {
        match n {
            Node::Text(t) if t.text.contains(" : ") || classifier_split(&t.text).len() > 1 => {
                let parts = classifier_split(&t.text);
                let mut first = true;
                for part in parts {
                    if first {
                        let term_text = part.trim_end().to_string();
                        if !term_text.is_empty() {
                            let cur = classifiers.last_mut().unwrap_or(&mut term);
                            cur.push_text(term_text, t.span);
                        }
                        first = false;
                    } else {
                        let mut classifier = Element::new(Tag::Classifier, t.span);
                        classifier.push_text(part, t.span);
                        classifiers.push(classifier);
                    }
                }
            }
            other => {
                let cur = classifiers.last_mut().unwrap_or(&mut term);
                cur.push(other);
            }
        }
    }
    if !keep_escapes {
        drop_escape_markers(&mut term);
        classifiers.iter_mut().for_each(drop_escape_markers);
    }
    item.push(term);
    for c in classifiers {
        item.push(c);
    }
    let mut definition = Element::new(Tag::Definition, p.block_span(&ind.lines));
    if let Some(first) = ind.lines.first() {
        p.mark_origin(&mut definition, *first);
    }
    for m in msgs {
        definition.push(m);
    }
    if term_line_text.ends_with("::") {
        let l = ind
            .lines
            .first()
            .map(|r| p.lineno(*r))
            .unwrap_or(dt_lineno + 1);
        let m = p.msg(Severity::Info, "Blank line missing before literal block (after the \"::\")? Interpreted as a definition list item.", l, p.line_span(term_line));
        definition.push(m);
    }
    let definition = p.nested(definition, &ind.lines);
    item.push(definition);
    (item, ind.end, ind.blank_finish)
}

/// The escape markers kept for the classifier split, dropped from the
/// text (where smart quotes do not need them later).
fn drop_escape_markers(e: &mut Element) {
    for c in e.children.iter_mut() {
        match c {
            Node::Element(x) => drop_escape_markers(x),
            Node::Text(t) if t.text.contains('\0') => t.text = crate::ast::unescape_nul(&t.text),
            Node::Text(_) => {}
        }
    }
}

/// `' +: +'` split.
fn classifier_split(s: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let b = s.as_bytes();
    let mut last = 0;
    let mut k = 0;
    while k < b.len() {
        if b[k] == b' ' {
            let mut e = k;
            while e < b.len() && b[e] == b' ' {
                e += 1;
            }
            if e < b.len() && b[e] == b':' {
                let mut f = e + 1;
                let s2 = f;
                while f < b.len() && b[f] == b' ' {
                    f += 1;
                }
                if f > s2 {
                    parts.push(s[last..k].to_string());
                    last = f;
                    k = f;
                    continue;
                }
            }
            k = e;
            continue;
        }
        k += 1;
    }
    parts.push(s[last..].to_string());
    parts
}

pub fn definition_list(p: &mut Parser, b: &[LineView], i: usize) -> usize {
    let mut list = Element::new(Tag::DefinitionList, p.line_span(b[i]));
    p.mark_origin(&mut list, b[i]);
    let first = definition_item(p, b, i);
    let run = following_items(p, b, first, |p, b, j, line| {
        if line.starts_with(' ') || is_body_start(line) {
            return None;
        }
        match b.get(j + 1) {
            Some(&next) if p.line_text(next).starts_with(' ') => Some(definition_item(p, b, j)),
            _ => None,
        }
    });
    finish_list(p, list, b, i, run, "Definition list")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifiers_split_at_spaced_colons() {
        assert_eq!(classifier_split("term : cls"), ["term", "cls"]);
        assert_eq!(classifier_split("a  :  b : c"), ["a", "b", "c"]);
        assert_eq!(classifier_split("a:b"), ["a:b"]);
        assert_eq!(classifier_split("a :b"), ["a :b"]);
        assert_eq!(classifier_split("a : "), ["a", ""]);
    }
}
