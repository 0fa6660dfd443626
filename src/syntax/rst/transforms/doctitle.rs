//! `frontmatter.DocTitle` (title and subtitle promotion) and
//! `frontmatter.DocInfo` (bibliographic field list → `docinfo`).

use crate::ast::Attr;
use crate::ast::ids::{fully_normalize_name, make_id};
use crate::ast::{Element, Node, Tag};
use crate::syntax::rst::languages;

/// Index of the first child that is not PreBibliographic (docutils' class
/// of comments, targets, substitution definitions, pending nodes, system
/// messages, titles, docinfo, decoration, meta).
fn first_non_prebib(e: &Element) -> Option<usize> {
    e.children.iter().position(|c| match c {
        Node::Element(x) => {
            !(x.tag.is_prebibliographic()
                || matches!(
                    x.tag,
                    Tag::Title | Tag::Subtitle | Tag::Docinfo | Tag::Decoration | Tag::Meta
                ))
        }
        Node::Text(_) => true,
    })
}

fn candidate(e: &Element) -> Option<usize> {
    let i = first_non_prebib(e)?;
    if e.children.len() > i + 1 {
        return None;
    }
    match &e.children[i] {
        Node::Element(x) if x.tag == Tag::Section => Some(i),
        _ => None,
    }
}

pub fn doctitle(doc: &mut Element, title_directive: Option<String>) {
    if let Some(i) = candidate(doc) {
        let Node::Element(sec) = doc.children.remove(i) else {
            return;
        };
        let mut sec = *sec;
        doc.ids.append(&mut sec.ids);
        doc.names.append(&mut sec.names);
        doc.dupnames.append(&mut sec.dupnames);
        doc.classes.append(&mut sec.classes);
        let mut kids = sec.children.into_iter();
        let title = kids.next();
        let before: Vec<Node> = std::mem::take(&mut doc.children);
        if let Some(t) = title {
            doc.children.push(t);
        }
        doc.children.extend(before);
        doc.children.extend(kids);
        // subtitle
        if let Some(j) = candidate(doc) {
            let Node::Element(sub) = doc.children.remove(j) else {
                return;
            };
            let mut sub = *sub;
            let mut st = Element::new(Tag::Subtitle, sub.span);
            st.ids = std::mem::take(&mut sub.ids);
            st.names = std::mem::take(&mut sub.names);
            st.dupnames = std::mem::take(&mut sub.dupnames);
            st.classes = std::mem::take(&mut sub.classes);
            let mut kids = sub.children.into_iter();
            if let Some(Node::Element(t)) = kids.next() {
                st.children = t.children;
            }
            let rest: Vec<Node> = doc.children.drain(1..).collect();
            doc.children.push(st.into());
            doc.children.extend(rest);
            doc.children.extend(kids);
        }
    }
    if doc.get(Attr::Title).is_none() {
        if let Some(t) = title_directive {
            doc.set(Attr::Title, t);
        } else if let Some(Node::Element(t)) = doc.children.first()
            && t.tag == Tag::Title
        {
            let s = t.astext();
            doc.set(Attr::Title, s);
        }
    }
}

const BIBLIO: &[(&str, Tag)] = &[
    ("author", Tag::Author),
    ("organization", Tag::Organization),
    ("address", Tag::Address),
    ("contact", Tag::Contact),
    ("version", Tag::Version),
    ("revision", Tag::Revision),
    ("status", Tag::Status),
    ("date", Tag::Date),
    ("copyright", Tag::Copyright),
];

/// `utils.clean_rcs_keywords` on a paragraph holding a single text node.
fn clean_rcs(p: &mut Element) {
    if p.children.len() != 1 {
        return;
    }
    let Some(Node::Text(t)) = p.children.first_mut() else {
        return;
    };
    let s = t.text.clone();
    // $Date: YYYY-MM-DD hh:mm:ss ... $ -> YYYY-MM-DD
    if let Some(a) = s
        .find("$Date: ")
        .or_else(|| s.to_lowercase().find("$date: "))
    {
        let rest = &s[a + 7..];
        let b = rest.as_bytes();
        let digits =
            |r: std::ops::Range<usize>| b.get(r).is_some_and(|x| x.iter().all(u8::is_ascii_digit));
        if b.len() > 11
            && digits(0..4)
            && matches!(b[4], b'-' | b'/')
            && digits(5..7)
            && matches!(b[7], b'-' | b'/')
            && digits(8..10)
            && matches!(b[10], b' ' | b'T')
            && b.get(11).is_some_and(|c| c.is_ascii_digit() || *c == b':')
            && let Some(end) = rest.find(" $").filter(|e| !rest[..*e].contains('$'))
        {
            t.text = format!(
                "{}{}-{}-{}{}",
                &s[..a],
                &rest[0..4],
                &rest[5..7],
                &rest[8..10],
                &rest[end + 2..]
            );
            return;
        }
    }
    if let Some(a) = s.to_lowercase().find("$rcsfile: ") {
        let rest = &s[a + 10..];
        if let Some(end) = rest.rfind(",v $") {
            t.text = format!("{}{}{}", &s[..a], &rest[..end], &rest[end + 4..]);
            return;
        }
    }
    // $Keyword: value $
    if let Some(a) = s.find('$') {
        let rest = &s[a + 1..];
        let kw = rest.len()
            - rest
                .trim_start_matches(|c: char| c.is_ascii_alphabetic())
                .len();
        if kw > 0 && rest[kw..].starts_with(": ") {
            let body = &rest[kw + 2..];
            if let Some(end) = body.rfind(" $")
                && end > 0
            {
                t.text = format!("{}{}{}", &s[..a], &body[..end], &body[end + 2..]);
            }
        }
    }
}

fn warn_field(field: &mut Element, text: &str, source: &str) {
    let line = field
        .get(crate::syntax::rst::inline::LINE)
        .map(str::to_string);
    let span = field.span;
    let mut m = Element::new(Tag::SystemMessage, span);
    m.set(Attr::Level, "2");
    if let Some(l) = line {
        m.set(Attr::Line, l);
    }
    m.set(Attr::Source, source.to_string());
    m.set(Attr::Type, "WARNING");
    let mut p = Element::new(Tag::Paragraph, span);
    p.push_text(text, span);
    m.push(p);
    if let Some(Node::Element(b)) = field.children.get_mut(1) {
        b.push(m);
    }
}

/// Author names of an `:Authors:` field, or `None` when it has the wrong shape.
fn authors(body: &Element, separators: &[&str]) -> Option<Vec<Vec<Node>>> {
    let kids: Vec<&Element> = body.elements().collect();
    if kids.len() == 1 && kids[0].tag == Tag::Paragraph {
        let text = kids[0].astext();
        if text.is_empty() {
            return None;
        }
        let mut names: Vec<&str> = vec![text.as_str()];
        for sep in separators {
            let parts: Vec<&str> = text.split(sep).collect();
            if parts.len() > 1 {
                names = parts;
                break;
            }
        }
        return Some(
            names
                .into_iter()
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(|n| vec![Node::text(n, body.span)])
                .collect(),
        );
    }
    if kids.len() == 1 && kids[0].tag == Tag::BulletList {
        let mut out = Vec::new();
        for item in kids[0].elements() {
            let ps: Vec<&Element> = item.elements().collect();
            if ps.len() != 1 || ps[0].tag != Tag::Paragraph {
                return None;
            }
            out.push(ps[0].children.clone());
        }
        return Some(out);
    }
    let mut out = Vec::new();
    for k in kids {
        if k.tag != Tag::Paragraph {
            return None;
        }
        out.push(k.children.clone());
    }
    Some(out)
}

/// `language_code` picks the bibliographic field names (docutils'
/// language module: `Autor` is `author` in German), the author separators
/// and the abstract's and dedication's titles.
pub fn docinfo(doc: &mut Element, language_code: &str) {
    let Some(i) = first_non_prebib(doc) else {
        return;
    };
    let is_fl = matches!(&doc.children[i], Node::Element(x) if x.tag == Tag::FieldList);
    if !is_fl {
        return;
    }
    let source = doc.get(Attr::Source).unwrap_or("").to_string();
    let Node::Element(fl) = doc.children.remove(i) else {
        return;
    };
    let fl = *fl;
    let mut info = Element::new(Tag::Docinfo, fl.span);
    let mut dedication: Option<Element> = None;
    let mut abstract_: Option<Element> = None;
    for f in fl.children {
        let Node::Element(field) = f else { continue };
        let mut field = *field;
        let name = field
            .elements()
            .next()
            .map(|n| n.astext())
            .unwrap_or_default();
        let normed = fully_normalize_name(&name);
        let canonical = if languages::is_english(language_code) {
            normed.clone()
        } else {
            languages::bibliographic_field(language_code, &normed)
                .unwrap_or("")
                .to_string()
        };
        let known = BIBLIO.iter().any(|(n, _)| *n == canonical)
            || matches!(canonical.as_str(), "authors" | "dedication" | "abstract");
        let body_len = field
            .elements()
            .nth(1)
            .map(|b| b.children.len())
            .unwrap_or(0);
        let mut ok = false;
        if known && field.children.len() == 2 {
            if body_len < 1 {
                warn_field(
                    &mut field,
                    &format!("Cannot extract empty bibliographic field \"{name}\"."),
                    &source,
                );
            } else if let Some(&(_, tag)) = BIBLIO.iter().find(|(n, _)| *n == canonical) {
                let body = field
                    .elements()
                    .nth(1)
                    .cloned()
                    .unwrap_or_else(|| Element::new(Tag::FieldBody, field.span));
                let kids: Vec<&Element> = body.elements().collect();
                if kids.len() == 1 && body.children.len() == 1 && kids[0].tag == Tag::Paragraph {
                    let mut para = kids[0].clone();
                    clean_rcs(&mut para);
                    let mut e = Element::new(tag, field.span);
                    e.children = para.children;
                    if tag == Tag::Address {
                        e.set(Attr::XmlSpace, "preserve");
                    }
                    info.push(e);
                    ok = true;
                } else {
                    let content: Vec<String> = body
                        .elements()
                        .filter(|e| e.tag != Tag::SystemMessage)
                        .map(|e| format!("<{}>", e.tag.name()))
                        .collect();
                    let content = if content.len() > 1 {
                        format!("[{}]", content.join(", "))
                    } else {
                        format!("a {}", content.join(""))
                    };
                    warn_field(
                        &mut field,
                        &format!(
                            "Bibliographic field \"{name}\"\nmust contain a single <paragraph>, not {content}."
                        ),
                        &source,
                    );
                }
            } else if canonical == "authors" {
                let body = field
                    .elements()
                    .nth(1)
                    .cloned()
                    .unwrap_or_else(|| Element::new(Tag::FieldBody, field.span));
                let separators = languages::author_separators(language_code);
                match authors(&body, separators).filter(|a| a.iter().any(|x| !x.is_empty())) {
                    Some(list) => {
                        let mut a = Element::new(Tag::Authors, field.span);
                        for names in list.into_iter().filter(|x| !x.is_empty()) {
                            let mut au = Element::new(Tag::Author, field.span);
                            au.children = names;
                            a.push(au);
                        }
                        info.push(a);
                        ok = true;
                    }
                    None => warn_field(
                        &mut field,
                        &format!(
                            "Cannot extract \"{name}\" from bibliographic field:\nBibliographic field \"{name}\" must contain either\n a single paragraph (with author names separated by a character from the set \";,\"),\n multiple paragraphs (one per author),\n or a bullet list with one author name per item.\nNote: Leading initials can cause (mis)recognizing names as enumerated list."
                        ),
                        &source,
                    ),
                }
            } else {
                let slot = if canonical == "dedication" {
                    &mut dedication
                } else {
                    &mut abstract_
                };
                if slot.is_some() {
                    warn_field(
                        &mut field,
                        &format!("There can only be one \"{name}\" field."),
                        &source,
                    );
                } else {
                    let body = field
                        .elements()
                        .nth(1)
                        .cloned()
                        .unwrap_or_else(|| Element::new(Tag::FieldBody, field.span));
                    let mut t = Element::new(Tag::Topic, field.span);
                    t.classes.push(canonical.clone());
                    let mut title = Element::new(Tag::Title, field.span);
                    title.push_text(
                        languages::label(language_code, &canonical).unwrap_or(""),
                        field.span,
                    );
                    t.push(title);
                    t.children.extend(body.children);
                    *slot = Some(t);
                    ok = true;
                }
            }
        }
        if ok {
            continue;
        }
        if let Some(Node::Element(b)) = field.children.get_mut(1)
            && b.children.len() == 1
            && let Some(Node::Element(p)) = b.children.first_mut()
            && p.tag == Tag::Paragraph
        {
            clean_rcs(p);
        }
        let class = make_id(&normed);
        if !class.is_empty() {
            field.classes.push(class);
        }
        info.push(field);
    }
    let mut ins: Vec<Node> = Vec::new();
    if !info.children.is_empty() {
        ins.push(info.into());
    }
    ins.extend(dedication.map(Node::from));
    ins.extend(abstract_.map(Node::from));
    // docinfo goes after title/subtitle (and decoration/meta)
    let idx = doc
        .children
        .iter()
        .position(|c| !matches!(c, Node::Element(x) if matches!(x.tag, Tag::Title | Tag::Subtitle | Tag::Rubric | Tag::Decoration | Tag::Meta)))
        .unwrap_or(doc.children.len());
    let tail = doc.children.split_off(idx.min(i));
    doc.children.extend(ins);
    doc.children.extend(tail);
}
