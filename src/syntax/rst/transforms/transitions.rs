//! `misc.Transitions`: transitions ending a section move up the tree;
//! transitions at the start or end of the document or a section, or right
//! after another transition, get a warning.

use crate::ast::{Element, Node, Tag};
use crate::diag::Severity;

use crate::syntax::rst::block::Parser;
use crate::syntax::rst::inline::LINE;

use crate::ast::Attr;

const DONE: Attr = Attr::InternalDone;

fn ignored(n: &Node) -> bool {
    matches!(n, Node::Element(e) if matches!(e.tag, Tag::Decoration | Tag::Meta | Tag::Pending | Tag::SubstitutionDefinition | Tag::Subtitle | Tag::Target | Tag::Title))
}

fn find(e: &Element, path: &mut Vec<usize>) -> Option<Vec<usize>> {
    for (i, c) in e.children.iter().enumerate() {
        let Node::Element(c) = c else { continue };
        path.push(i);
        if c.tag == Tag::Transition && c.get(DONE).is_none() {
            return Some(path.clone());
        }
        if let Some(p) = find(c, path) {
            return Some(p);
        }
        path.pop();
    }
    None
}

pub fn transitions(p: &mut Parser, doc: &mut Element) {
    let mut guard = 0;
    while let Some(path) = find(doc, &mut Vec::new()) {
        guard += 1;
        if guard > 100_000 {
            break;
        }
        let Some((&idx, ppath)) = path.split_last() else {
            break;
        };
        let ppath = ppath.to_vec();
        let Some(parent) = doc.descendant_mut(&ppath) else {
            break;
        };
        let line = match &parent.children[idx] {
            Node::Element(t) => t.get(LINE).and_then(|l| l.parse::<usize>().ok()),
            _ => None,
        };
        if let Node::Element(t) = &mut parent.children[idx] {
            t.set(DONE, "1");
        }
        let span = parent.children[idx].span();
        if !matches!(parent.tag, Tag::Document | Tag::Section) {
            let m = p.doc.message(
                Severity::Warning,
                "Transition only valid as child of <document> or <section>.",
                line,
                span,
            );
            parent.children.insert(idx + 1, m.into());
            continue;
        }
        let follows = idx > 0
            && matches!(&parent.children[idx - 1], Node::Element(e) if e.tag == Tag::Transition);
        let begins = parent.children[..idx].iter().all(ignored);
        let ends = parent.children[idx + 1..].iter().all(ignored);
        // where the node ends up
        let mut at: (Vec<usize>, usize) = (ppath.clone(), idx);
        if ends {
            let mut sib = ppath.clone();
            let mut moved = false;
            while let Some((&si, gp)) = sib.split_last() {
                let gp = gp.to_vec();
                let len = doc
                    .descendant_mut(&gp)
                    .map(|g| g.children.len())
                    .unwrap_or(0);
                if si + 1 < len {
                    let node = match doc.descendant_mut(&ppath) {
                        Some(par) => par.children.remove(idx),
                        None => break,
                    };
                    if let Some(g) = doc.descendant_mut(&gp) {
                        g.children.insert(si + 1, node);
                    }
                    at = (gp, si + 1);
                    moved = true;
                    break;
                }
                sib = gp;
            }
            if !moved {
                let m = p.doc.message(
                    Severity::Warning,
                    "Transition at the end of the document.",
                    line,
                    span,
                );
                if let Some(par) = doc.descendant_mut(&at.0) {
                    par.children.insert(at.1 + 1, m.into());
                }
            }
        }
        let text = if begins {
            let tag = doc
                .descendant_mut(&at.0)
                .map(|e| e.tag.name())
                .unwrap_or("document");
            Some(format!("Transition at the start of the {tag}."))
        } else if follows {
            Some("At least one body element should separate transitions.".to_string())
        } else {
            None
        };
        if let Some(t) = text {
            let m = p.doc.message(Severity::Warning, &t, line, span);
            if let Some(par) = doc.descendant_mut(&at.0) {
                par.children.insert(at.1 + 1, m.into());
            }
        }
    }
}
