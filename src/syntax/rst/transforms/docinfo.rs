//! `frontmatter.DocInfo`: the document's first field list, when only
//! titles, comments, targets and the like come before it, becomes its
//! `docinfo` (bibliographic fields as their elements, the rest as
//! fields), with `dedication` and `abstract` topics after it.

use crate::ast::Attr;
use crate::ast::ids::{fully_normalize_name, make_id};
use crate::ast::{Element, Node, Tag};
use crate::syntax::rst::block::Parser;
use crate::syntax::rst::languages;

use super::doctitle::first_non_prebib;
use super::source_text;

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

fn is_paragraph(n: &Node) -> bool {
    matches!(n, Node::Element(x) if x.tag == Tag::Paragraph)
}

/// `text` split at each `separator` that no backslash escaped (a NUL
/// marker before it, see [`source_text::escaped_text`]).
fn split_unescaped<'t>(text: &'t str, separator: &str) -> Vec<&'t str> {
    let mut parts = Vec::new();
    let mut from = 0;
    for (at, _) in text.match_indices(separator) {
        if at < from || text[..at].ends_with('\0') {
            continue;
        }
        parts.push(&text[from..at]);
        from = at + separator.len();
    }
    parts.push(&text[from..]);
    parts
}

/// The escaped text of every text node under `e`, in document order
/// (docutils' `''.join(str(node) for node in findall(Text))`).
fn escaped_texts(p: &Parser, e: &Element, out: &mut String) {
    for c in &e.children {
        match c {
            Node::Text(t) => out.push_str(&source_text::escaped_text(p, t)),
            Node::Element(x) => escaped_texts(p, x, out),
        }
    }
}

/// Author names of an `:Authors:` field (docutils' `extract_authors`):
/// one paragraph split at the language's first separator that occurs
/// unescaped, a bullet list with a paragraph per item, or paragraphs
/// (comments between them skipped); `None` when the field has another
/// shape.
fn authors(p: &Parser, body: &Element) -> Option<Vec<Vec<Node>>> {
    if let [only] = body.children.as_slice() {
        let Node::Element(only) = only else {
            return None;
        };
        if only.tag == Tag::Paragraph {
            let mut text = String::new();
            escaped_texts(p, body, &mut text);
            if text.is_empty() {
                return None;
            }
            let mut names = vec![text.as_str()];
            for separator in languages::author_separators(&p.doc.language_code) {
                names = split_unescaped(&text, separator);
                if names.len() > 1 {
                    break;
                }
            }
            let keep_escapes = p.doc.keep_escapes;
            return Some(
                names
                    .into_iter()
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .map(|n| {
                        let name = if keep_escapes {
                            n.to_string()
                        } else {
                            crate::ast::unescape_nul(n)
                        };
                        vec![Node::text(name, only.span)]
                    })
                    .collect(),
            );
        }
        if only.tag == Tag::BulletList {
            let mut out = Vec::new();
            for item in only.elements() {
                if !matches!(item.children.as_slice(), [c] if is_paragraph(c)) {
                    return None;
                }
                out.extend(item.elements().map(|para| para.children.clone()));
            }
            return (!out.is_empty()).then_some(out);
        }
        return None;
    }
    let mut out = Vec::new();
    for k in &body.children {
        match k {
            Node::Element(x) if x.tag == Tag::Paragraph => out.push(x.children.clone()),
            Node::Element(x) if x.tag == Tag::Comment => {}
            _ => return None,
        }
    }
    Some(out)
}

/// The text under `e` but for that of system messages.
fn text_outside_messages(e: &Element, out: &mut String) {
    for c in &e.children {
        match c {
            Node::Text(t) => out.push_str(&crate::ast::unescape_nul(&t.text)),
            Node::Element(x) if x.tag != Tag::SystemMessage => text_outside_messages(x, out),
            Node::Element(_) => {}
        }
    }
}

/// docutils' rescue of a one-line field body that starts with an initial
/// (`:Author: E. Xample`), which the parser reads as an enumerated list:
/// the line is parsed again on its own with its first character escaped,
/// and taken when that gives a single paragraph.
fn restore_initial(p: &Parser, body: &mut Element) -> bool {
    // docutils looks at the body's first child; kbgen's parser puts the
    // list's INFO ("start value not ordinal-1") before the list.
    let first = body
        .elements()
        .find(|e| !(e.tag == Tag::SystemMessage && e.get(Attr::Level) == Some("1")));
    let Some(list) = first.filter(|e| e.tag == Tag::EnumeratedList) else {
        return false;
    };
    let mut list_text = String::new();
    text_outside_messages(list, &mut list_text);
    let span = body
        .children
        .iter()
        .fold(crate::ast::Span::default(), |s, c| s.cover(c.span()));
    let Some(raw) = source_text::text_of(p, span) else {
        return false;
    };
    let raw = raw.trim_end();
    if raw.trim_start().contains('\n') {
        return false;
    }
    let start = crate::ast::Span::new(span.start as usize, span.start as usize);
    let Some((line, column)) = source_text::single_line(p, start) else {
        return false;
    };
    let text = format!("\\{raw}");
    let at = |k: usize| line.src(column + k.saturating_sub(1));
    let fragment = source_text::parse_fragment(p, &text, &at);
    // The text read back must be the list's (not, say, the `include`
    // directive an included field list's spans point at).
    let rescued = matches!(fragment.children.as_slice(),
        [Node::Element(para)] if para.tag == Tag::Paragraph && para.astext().ends_with(list_text.trim()));
    if !rescued {
        return false;
    }
    body.children = fragment.children;
    true
}

/// `language_code` picks the bibliographic field names (docutils'
/// language module: `Autor` is `author` in German), the author separators
/// and the abstract's and dedication's titles.
pub fn docinfo(p: &Parser, doc: &mut Element) {
    let language_code = p.doc.language_code.as_str();
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
                let single = |b: &Element| matches!(b.children.as_slice(), [c] if is_paragraph(c));
                let compound_ok = match field.children.get_mut(1) {
                    Some(Node::Element(body)) => single(body) || restore_initial(p, body),
                    _ => false,
                };
                let body = field
                    .elements()
                    .nth(1)
                    .cloned()
                    .unwrap_or_else(|| Element::new(Tag::FieldBody, field.span));
                if compound_ok && let Some(Node::Element(para)) = body.children.first() {
                    let mut para = (**para).clone();
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
                match authors(p, &body).filter(|a| a.iter().any(|x| !x.is_empty())) {
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
                    None => {
                        let separators = languages::author_separators(language_code).concat();
                        warn_field(
                            &mut field,
                            &format!(
                                "Cannot extract \"{name}\" from bibliographic field:\nBibliographic field \"{name}\" must contain either\n a single paragraph (with author names separated by a character from the set \"{separators}\"),\n multiple paragraphs (one per author),\n or a bullet list with one author name per item.\nNote: Leading initials can cause (mis)recognizing names as enumerated list."
                            ),
                            &source,
                        )
                    }
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
