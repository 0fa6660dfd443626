//! `parts.SectNum` (section numbering).

use crate::ast::Attr;
use crate::ast::{Element, Node, Tag};

fn take_pending(e: &mut Element, kind: &str, out: &mut Vec<Element>) {
    let mut i = 0;
    while i < e.children.len() {
        let hit = matches!(&e.children[i], Node::Element(x) if x.tag == Tag::Pending && x.get(Attr::Kind) == Some(kind));
        if hit {
            if let Node::Element(x) = e.children.remove(i) {
                out.push(*x);
            }
            continue;
        }
        if let Node::Element(c) = &mut e.children[i] {
            take_pending(c, kind, out);
        }
        i += 1;
    }
}

fn number(
    e: &mut Element,
    prefix: &[usize],
    level: usize,
    depth: usize,
    start: usize,
    pre: &str,
    suf: &str,
) {
    let mut n = start;
    for c in e.children.iter_mut() {
        let Node::Element(sec) = c else { continue };
        if sec.tag != Tag::Section {
            continue;
        }
        let mut nums = prefix.to_vec();
        nums.push(n);
        n += 1;
        let label = nums
            .iter()
            .map(|x| x.to_string())
            .collect::<Vec<_>>()
            .join(".");
        if let Some(Node::Element(t)) = sec.children.first_mut()
            && t.tag == Tag::Title
        {
            t.set(Attr::Auto, "1");
            let mut g = Element::new(Tag::Generated, t.span);
            g.classes.push("sectnum".into());
            g.push_text(format!("{pre}{label}{suf}\u{a0}\u{a0}\u{a0}"), t.span);
            t.children.insert(0, g.into());
        }
        if level < depth {
            number(sec, &nums, level + 1, depth, 1, pre, suf);
        }
    }
}

pub fn sectnum(doc: &mut Element) {
    let mut found = Vec::new();
    take_pending(doc, "sectnum", &mut found);
    let Some(p) = found.first() else { return };
    let depth = p
        .get(Attr::Depth)
        .and_then(|d| d.parse().ok())
        .unwrap_or(usize::MAX);
    let start = p.get(Attr::Start).and_then(|d| d.parse().ok()).unwrap_or(1);
    let pre = p.get(Attr::Prefix).unwrap_or("").to_string();
    let suf = p.get(Attr::Suffix).unwrap_or("").to_string();
    number(doc, &[], 1, depth, start, &pre, &suf);
}
