//! Python signatures' argument lists and annotations: Sphinx's
//! `_parse_arglist` (the list as Python's parser reads it, with the `/`
//! and `*` separators), `_pseudo_parse_arglist` (optional parts in
//! brackets) and `_parse_annotation` (names as `pending_xref`s).

use crate::ast::{Attr, Element, Node, Span, SphinxAttr, SphinxTag, Tag};

use super::super::{el, set};
use super::{leaf, preserved};

/// Docutils prints a `None` attribute as `True`.
const NONE: &str = "True";

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Writes annotation nodes (`_parse_annotation`): names become
/// `pending_xref`s of type `class` (`obj` for `None`).
pub(super) struct Annotations<'a> {
    pub span: Span,
    pub docname: &'a str,
    pub module: Option<&'a str>,
    pub class: Option<&'a str>,
}

impl Annotations<'_> {
    fn xref(&self, name: &str) -> Node {
        let mut x = Element::new(Tag::PendingXref, self.span);
        x.set(Attr::Refdoc, self.docname);
        x.set(Attr::Refdomain, "py");
        x.set(Attr::Reftype, if name == "None" { "obj" } else { "class" });
        x.set(Attr::Reftarget, name);
        set(&mut x, SphinxAttr::Refspecific, "0");
        set(&mut x, SphinxAttr::PyModule, self.module.unwrap_or(NONE));
        set(&mut x, SphinxAttr::PyClass, self.class.unwrap_or(NONE));
        x.push_text(name, self.span);
        x.into()
    }

    /// The nodes of an annotation, or `None` when kbgen does not read it.
    pub fn parse(&self, text: &str) -> Option<Vec<Node>> {
        let mut out = Vec::new();
        let mut rest = text.trim();
        let mut depth = 0usize;
        while !rest.is_empty() {
            let c = rest.chars().next()?;
            let len = if c.is_alphabetic() || c == '_' {
                let n = rest
                    .find(|c: char| !(is_word(c) || c == '.'))
                    .unwrap_or(rest.len());
                let word = &rest[..n];
                match word {
                    "True" | "False" => out.push(leaf(SphinxTag::DescSigKeyword, word, self.span)),
                    _ => out.push(self.xref(word)),
                }
                n
            } else if c.is_ascii_digit() {
                let n = rest
                    .find(|c: char| !c.is_ascii_alphanumeric())
                    .unwrap_or(rest.len());
                out.push(leaf(SphinxTag::DescSigLiteralNumber, &rest[..n], self.span));
                n
            } else if rest.starts_with("...") {
                out.push(leaf(SphinxTag::DescSigPunctuation, "...", self.span));
                3
            } else {
                match c {
                    '[' => depth += 1,
                    ']' => depth = depth.checked_sub(1)?,
                    ',' | '|' => {}
                    _ => return None,
                }
                if c == '|' {
                    out.push(leaf(SphinxTag::DescSigSpace, " ", self.span));
                    out.push(leaf(SphinxTag::DescSigPunctuation, "|", self.span));
                    out.push(leaf(SphinxTag::DescSigSpace, " ", self.span));
                } else {
                    out.push(leaf(
                        SphinxTag::DescSigPunctuation,
                        &c.to_string(),
                        self.span,
                    ));
                    if c == ',' {
                        out.push(leaf(SphinxTag::DescSigSpace, " ", self.span));
                    }
                }
                1
            };
            rest = rest[len..].trim_start();
        }
        (depth == 0).then_some(out)
    }
}

/// Splits at commas outside brackets, parentheses and quotes.
fn split_top(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start, mut quote) = (0i32, 0, None);
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')' | ']' | '}') => depth -= 1,
            (None, ',') if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

/// A partition at the first `c` outside brackets.
fn split_once_top(s: &str, c: char) -> (&str, Option<&str>) {
    let mut depth = 0i32;
    for (i, ch) in s.char_indices() {
        match ch {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            ch if ch == c && depth == 0 => return (&s[..i], Some(&s[i + 1..])),
            _ => {}
        }
    }
    (s, None)
}

/// One parameter's nodes (name, annotation, default).
fn parameter(
    a: &Annotations,
    name_part: &[Node],
    annotation: Option<&str>,
    default: Option<&str>,
) -> Option<Element> {
    let span = a.span;
    let mut node = preserved(Tag::Sphinx(SphinxTag::DescParameter), span);
    node.children.extend(name_part.iter().cloned());
    if let Some(ann) = annotation {
        node.push(leaf(SphinxTag::DescSigPunctuation, ":", span));
        node.push(leaf(SphinxTag::DescSigSpace, " ", span));
        let mut n = el(SphinxTag::DescSigName, span);
        n.classes.push("n".into());
        n.children = a.parse(ann)?;
        node.push(n);
    }
    if let Some(d) = default {
        if annotation.is_some() {
            node.push(leaf(SphinxTag::DescSigSpace, " ", span));
        }
        node.push(leaf(SphinxTag::DescSigOperator, "=", span));
        if annotation.is_some() {
            node.push(leaf(SphinxTag::DescSigSpace, " ", span));
        }
        let mut v = Element::new(Tag::Inline, span);
        v.classes.push("default_value".into());
        set(&mut v, SphinxAttr::SupportSmartquotes, "0");
        v.push_text(d.trim(), span);
        node.push(v);
    }
    Some(node)
}

fn param_list(span: Span) -> Element {
    let mut list = preserved(Tag::Sphinx(SphinxTag::DescParameterlist), span);
    set(&mut list, SphinxAttr::MultiLineParameterList, "0");
    set(&mut list, SphinxAttr::MultiLineTrailingComma, "1");
    list
}

fn separator(span: Span, text: &str, class: &str, explanation: &str) -> Element {
    let mut abbr = Element::new(Tag::Abbreviation, span);
    abbr.set(Attr::Explanation, explanation);
    abbr.push_text(text, span);
    let mut op = el(SphinxTag::DescSigOperator, span);
    op.classes.extend([class.to_string(), "o".to_string()]);
    op.push(abbr);
    let mut p = preserved(Tag::Sphinx(SphinxTag::DescParameter), span);
    p.push(op);
    p
}

/// `_parse_arglist`: the argument list as Python's parser reads it;
/// `None` when it is not Python (Sphinx then reads it bracket by bracket).
pub(super) fn parse_arglist(a: &Annotations, args: &str) -> Option<Element> {
    let span = a.span;
    let mut list = param_list(span);
    #[derive(PartialEq, Clone, Copy)]
    enum Kind {
        PosOnly,
        Normal,
        KwOnly,
    }
    let parts: Vec<&str> = split_top(args).into_iter().map(str::trim).collect();
    let slash = parts.contains(&"/");
    let mut kind = if slash { Kind::PosOnly } else { Kind::Normal };
    let mut last: Option<Kind> = None;
    for (i, part) in parts.iter().enumerate() {
        if part.is_empty() {
            // A trailing comma is Python; anything else is not.
            if i + 1 == parts.len() && i > 0 {
                continue;
            }
            return None;
        }
        if *part == "/" {
            kind = Kind::Normal;
            list.push(separator(
                span,
                "/",
                "positional-only-separator",
                "Positional-only parameter separator (PEP 570)",
            ));
            last = None;
            continue;
        }
        if *part == "*" {
            list.push(separator(
                span,
                "*",
                "keyword-only-separator",
                "Keyword-only parameters separator (PEP 3102)",
            ));
            kind = Kind::KwOnly;
            last = Some(Kind::KwOnly);
            continue;
        }
        let (stars, rest) = if let Some(r) = part.strip_prefix("**") {
            ("**", r)
        } else if let Some(r) = part.strip_prefix('*') {
            ("*", r)
        } else {
            ("", *part)
        };
        let (head, default) = split_once_top(rest, '=');
        let (name, annotation) = split_once_top(head, ':');
        let name = name.trim();
        if name.is_empty()
            || !name.chars().all(is_word)
            || name.starts_with(|c: char| c.is_ascii_digit())
        {
            return None;
        }
        if !stars.is_empty() && default.is_some() {
            return None;
        }
        if kind == Kind::KwOnly && last != Some(Kind::KwOnly) && stars.is_empty() {
            // after `*args`, parameters are keyword-only without a separator
        }
        let mut name_part = Vec::new();
        if !stars.is_empty() {
            name_part.push(leaf(SphinxTag::DescSigOperator, stars, span));
        }
        name_part.push(leaf(SphinxTag::DescSigName, name, span));
        let default = default.map(str::trim);
        if default.is_some_and(str::is_empty) {
            return None;
        }
        list.push(parameter(
            a,
            &name_part,
            annotation.map(str::trim),
            default,
        )?);
        if stars == "*" {
            kind = Kind::KwOnly;
            last = Some(Kind::KwOnly);
        }
    }
    if slash && kind == Kind::PosOnly {
        return None;
    }
    Some(list)
}

/// `_pseudo_parse_arglist`: optional parts in brackets become `desc_optional`.
pub(super) fn pseudo_parse_arglist(a: &Annotations, args: &str) -> Option<Element> {
    let span = a.span;
    let mut stack: Vec<Element> = vec![param_list(span)];
    let close = |stack: &mut Vec<Element>| {
        if stack.len() > 1 {
            let top = stack.pop()?;
            stack.last_mut()?.push(top);
        }
        Some(())
    };
    for argument in args.split(',') {
        let mut argument = argument.trim();
        let (mut ends_open, mut ends_close) = (0, 0);
        while let Some(r) = argument.strip_prefix('[') {
            stack.push(preserved(Tag::Sphinx(SphinxTag::DescOptional), span));
            argument = r.trim();
        }
        while let Some(r) = argument.strip_prefix(']') {
            close(&mut stack)?;
            argument = r.trim();
        }
        while argument.ends_with(']') && !argument.ends_with("[]") {
            ends_close += 1;
            argument = argument[..argument.len() - 1].trim();
        }
        while let Some(r) = argument.strip_suffix('[') {
            ends_open += 1;
            argument = r.trim();
        }
        if !argument.is_empty() {
            let (head, default) = match argument.split_once('=') {
                Some((h, d)) => (h, Some(d)),
                None => (argument, None),
            };
            let (name, annotation) = match head.split_once(':') {
                Some((n, ann)) => (n, Some(ann.trim())),
                None => (head, None),
            };
            let name_part = [leaf(SphinxTag::DescSigName, name.trim(), span)];
            let node = parameter(a, &name_part, annotation, default)?;
            stack.last_mut()?.push(node);
        }
        for _ in 0..ends_open {
            stack.push(preserved(Tag::Sphinx(SphinxTag::DescOptional), span));
        }
        for _ in 0..ends_close {
            close(&mut stack)?;
        }
    }
    while stack.len() > 1 {
        close(&mut stack)?;
    }
    stack.pop()
}
