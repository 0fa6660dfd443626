//! The general index on the page: the `index` directive and role, whose
//! `index` nodes carry `entries` exactly as Sphinx prints them, and the
//! `glossary`, whose terms are targets and index entries.

use unicode_normalization::UnicodeNormalization;

use crate::ast::{Element, Node, Span, SphinxAttr, SphinxTag, Tag};

use super::super::block::{LineView, Parser};
use super::super::directives::Ctx;
use super::code::{py_str, warning};
use super::{el, set};

/// One index entry: Sphinx's `(type, value, target id, main, key)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexEntry {
    pub kind: &'static str,
    pub value: String,
    pub target: String,
    pub main: bool,
    pub key: Option<String>,
}

impl IndexEntry {
    pub fn single(value: impl Into<String>, target: &str, main: bool) -> IndexEntry {
        IndexEntry {
            kind: "single",
            value: value.into(),
            target: target.to_string(),
            main,
            key: None,
        }
    }
}

/// The `entries` attribute as Sphinx's pseudo-XML prints it: each entry a
/// Python list `['single', 'value', 'id', '', None]`, spaces escaped, the
/// entries separated by spaces.
pub fn entries_attr(entries: &[IndexEntry]) -> String {
    let mut out = String::new();
    for (i, e) in entries.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let key = e.key.as_deref().map_or("None".to_string(), py_str);
        let item = format!(
            "[{}, {}, {}, {}, {key}]",
            py_str(e.kind),
            py_str(&e.value),
            py_str(&e.target),
            py_str(if e.main { "main" } else { "" }),
        );
        for c in item.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                ' ' => out.push_str("\\ "),
                c => out.push(c),
            }
        }
    }
    out
}

/// An `index` node with these entries.
pub fn index_node(entries: &[IndexEntry], span: Span) -> Element {
    let mut n = el(SphinxTag::Index, span);
    set(&mut n, SphinxAttr::Entries, entries_attr(entries));
    n
}

const INDEX_TYPES: [&str; 6] = ["single", "pair", "double", "triple", "see", "seealso"];
const REMOVED_TYPES: [&str; 7] = [
    "module",
    "keyword",
    "operator",
    "object",
    "exception",
    "statement",
    "builtin",
];

/// Sphinx's `process_index_entry`.
pub fn parse_entry(entry: &str, target: &str) -> Result<Vec<IndexEntry>, String> {
    let entry = entry.trim();
    let original = entry;
    let (main, entry) = match entry.strip_prefix('!') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, entry),
    };
    for t in REMOVED_TYPES {
        if let Some(v) = entry.strip_prefix(t).and_then(|r| r.strip_prefix(':')) {
            let v = v.trim();
            let value = if t == "builtin" {
                format!("built-in function; {v}")
            } else {
                format!("{t}; {v}")
            };
            return Err(format!(
                "{} is no longer supported for index entries (from entry {}). Use 'pair: {value}' instead.",
                py_str(t),
                py_str(entry)
            ));
        }
    }
    for t in INDEX_TYPES {
        if let Some(v) = entry.strip_prefix(t).and_then(|r| r.strip_prefix(':')) {
            let kind = if t == "double" { "pair" } else { t };
            return Ok(vec![IndexEntry {
                kind,
                value: v.trim().to_string(),
                target: target.to_string(),
                main,
                key: None,
            }]);
        }
    }
    let mut out = Vec::new();
    for value in original.split(',') {
        let value = value.trim();
        let (main, value) = match value.strip_prefix('!') {
            Some(v) => (true, v.trim_start()),
            None => (false, value),
        };
        if !value.is_empty() {
            out.push(IndexEntry::single(value, target, main));
        }
    }
    Ok(out)
}

/// `.. index:: ENTRIES`: the `index` node, then its target `index-N`
/// (or the `:name:`).
pub fn index_directive(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    let mut target = Element::new(Tag::Target, ctx.span);
    match ctx.opt("name") {
        Some(name) => target.names.push(name.to_string()),
        None => {
            let n = p.doc.sphinx.as_deref_mut().map_or(0, |s| s.serial("index"));
            target.ids.push(format!("index-{n}"));
        }
    }
    let mut out: Vec<Node> = Vec::new();
    let msgs = p.doc.note_explicit_target(&mut target, Some(ctx.lineno));
    let id = target.ids.first().cloned().unwrap_or_default();
    let mut entries = Vec::new();
    for line in ctx
        .args
        .first()
        .map(String::as_str)
        .unwrap_or("")
        .split('\n')
    {
        match parse_entry(line, &id) {
            Ok(e) => entries.extend(e),
            Err(why) => return vec![warning(p, ctx, &why).into()],
        }
    }
    let mut index = index_node(&entries, ctx.span);
    set(&mut index, SphinxAttr::Inline, "0");
    out.push(index.into());
    out.push(target.into());
    out.extend(msgs.into_iter().map(Node::from));
    out
}

/// A glossary entry being collected: its term lines and definition lines.
struct GlossaryEntry {
    terms: Vec<(String, usize)>,
    definition: Vec<LineView>,
}

/// `.. glossary::` (Sphinx's `Glossary.run`, line by line).
pub fn glossary(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    let mut entries: Vec<GlossaryEntry> = Vec::new();
    let mut messages: Vec<Node> = Vec::new();
    let (mut in_definition, mut in_comment, mut was_empty) = (true, false, true);
    let mut indent_len = 0;
    for &view in &ctx.content {
        let line = p.line_text(view).to_string();
        let lineno = p.lineno(view);
        let warn = |p: &Parser, text: &str| -> Node {
            p.doc
                .message(
                    crate::diag::Severity::Warning,
                    text,
                    Some(lineno),
                    p.line_span(view),
                )
                .into()
        };
        if line.is_empty() {
            if in_definition && let Some(last) = entries.last_mut() {
                last.definition.push(view);
            }
            was_empty = true;
            continue;
        }
        if !line.starts_with(char::is_whitespace) {
            if line.starts_with(".. ") {
                in_comment = true;
                continue;
            }
            in_comment = false;
            if in_definition {
                if !was_empty {
                    messages.push(warn(p, "glossary term must be preceded by empty line"));
                }
                entries.push(GlossaryEntry {
                    terms: vec![(line, lineno)],
                    definition: Vec::new(),
                });
                in_definition = false;
            } else {
                if was_empty {
                    messages.push(warn(
                        p,
                        "glossary terms must not be separated by empty lines",
                    ));
                }
                match entries.last_mut() {
                    Some(last) => last.terms.push((line, lineno)),
                    None => messages.push(warn(
                        p,
                        "glossary seems to be misformatted, check indentation",
                    )),
                }
            }
        } else if !in_comment {
            if !in_definition {
                in_definition = true;
                indent_len = line.len() - line.trim_start().len();
            }
            match entries.last_mut() {
                Some(last) => last.definition.push(LineView {
                    line: view.line,
                    offset: view.offset + indent_len.min(line.len()) as u32,
                }),
                None => messages.push(warn(
                    p,
                    "glossary seems to be misformatted, check indentation",
                )),
            }
        }
        was_empty = false;
    }
    let mut items: Vec<(String, Element)> = Vec::new();
    for entry in entries {
        let mut item = Element::new(Tag::DefinitionListItem, ctx.span);
        let mut term_msgs = Vec::new();
        let first = entry.terms.first().map(|t| t.0.clone()).unwrap_or_default();
        for (line, lineno) in entry.terms {
            let (text, classifier) = split_classifier(&line);
            let (nodes, msgs) = p.inline(&text, Vec::new(), lineno);
            term_msgs.extend(msgs);
            let term = glossary_term(p, nodes, classifier, ctx.span, lineno);
            item.push(term);
        }
        for m in term_msgs {
            item.push(m);
        }
        let mut def = Element::new(Tag::Definition, ctx.span);
        let mut lines = entry.definition;
        while lines.first().is_some_and(|l| p.is_blank(*l)) {
            lines.remove(0);
        }
        if !lines.is_empty() {
            def = p.nested(def, &lines);
        }
        item.push(def);
        items.push((first, item));
    }
    if ctx.has("sorted") {
        items.sort_by_cached_key(|(t, _)| t.to_lowercase().nfd().collect::<String>());
    }
    let mut dl = Element::new(Tag::DefinitionList, ctx.span);
    dl.classes.push("glossary".into());
    dl.children
        .extend(items.into_iter().map(|(_, e)| Node::from(e)));
    let mut node = el(SphinxTag::Glossary, ctx.span);
    set(
        &mut node,
        SphinxAttr::Sorted,
        super::flag(ctx.has("sorted")),
    );
    node.push(dl);
    messages.push(node.into());
    messages
}

/// Sphinx's `split_term_classifiers`: `term : classifier`.
fn split_classifier(line: &str) -> (String, Option<String>) {
    let mut parts = Vec::new();
    let mut rest = line;
    while let Some(i) = rest.find(" :") {
        let after = &rest[i + 2..];
        if after.starts_with(' ') {
            let before = rest[..i].trim_end_matches(' ');
            parts.push(before.to_string());
            rest = after.trim_start_matches(' ');
        } else {
            break;
        }
    }
    parts.push(rest.to_string());
    let classifier = parts.get(1).cloned();
    (parts.swap_remove(0), classifier)
}

/// Sphinx's `make_glossary_term`: the term with id `term-TEXT`, registered
/// as an explicit target, holding its `main` index entry.
fn glossary_term(
    p: &mut Parser,
    nodes: Vec<Node>,
    key: Option<String>,
    span: Span,
    lineno: usize,
) -> Element {
    let mut term = Element::new(Tag::Term, span);
    term.children = nodes;
    let text = term.astext();
    let id = super::ids::make_object_id(&mut p.doc, "term", Some(&text));
    term.ids.push(id.clone());
    let _ = p.doc.note_explicit_target(&mut term, Some(lineno));
    let mut entry = IndexEntry::single(text, &id, true);
    entry.key = key;
    term.push(index_node(&[entry], span));
    term
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_print_like_sphinx() {
        let e = parse_entry("single: foo; bar", "index-1").unwrap();
        assert_eq!(
            entries_attr(&e),
            "['single',\\ 'foo;\\ bar',\\ 'index-1',\\ '',\\ None]"
        );
        let e = parse_entry("!main entry", "index-0").unwrap();
        assert!(e[0].main);
        let e = parse_entry("plain, Zebra", "index-2").unwrap();
        assert_eq!(e.len(), 2);
        assert_eq!(parse_entry("double: a; b", "x").unwrap()[0].kind, "pair");
        assert!(parse_entry("module: os", "x").is_err());
    }

    #[test]
    fn classifiers_split_on_spaced_colons() {
        assert_eq!(
            split_classifier("term : cls"),
            ("term".into(), Some("cls".into()))
        );
        assert_eq!(split_classifier("a:b"), ("a:b".into(), None));
    }
}
