//! Sphinx's text roles that build their own nodes: `:samp:`/`:file:`
//! (`{variable}` parts), `:kbd:`, `:guilabel:`/`:menuselection:`
//! accelerators and `:manpage:`.

use crate::ast::{Attr, Element, Node, Span, SphinxAttr, SphinxTag, Tag};

use super::super::super::doc::Doc;
use super::super::{el, set};
use super::RefText;

/// Sphinx's `EmphasizedLiteral.parse`: `{var}` parts become `emphasis`,
/// `\{`, `\}` and `\\` are literal braces and backslash.
pub(super) fn emphasized_literal(text: &str, span: Span) -> Vec<Node> {
    let mut out = Vec::new();
    let mut stack: Vec<String> = vec![String::new()];
    let mut rest = text;
    while !rest.is_empty() {
        let (part, len) = if rest.starts_with("\\\\") {
            ("\\\\", 2)
        } else if rest.starts_with("\\{") {
            ("\\{", 2)
        } else if rest.starts_with("\\}") {
            ("\\}", 2)
        } else if rest.starts_with('{') {
            ("{", 1)
        } else if rest.starts_with('}') {
            ("}", 1)
        } else {
            let k = rest
                .find(['\\', '{', '}'])
                .filter(|&k| k > 0)
                .unwrap_or_else(|| rest.chars().next().map_or(1, char::len_utf8));
            (&rest[..k], k)
        };
        rest = &rest[len..];
        let last = stack.len() - 1;
        match part {
            "\\\\" => stack[last].push('\\'),
            "\\{" => stack[last].push('{'),
            "\\}" => stack[last].push('}'),
            "{" => {
                if stack.len() >= 2 && stack[stack.len() - 2] == "{" {
                    stack[last].push('{');
                } else {
                    stack.push("{".into());
                    stack.push(String::new());
                }
            }
            "}" => {
                if stack.len() == 3 && stack[1] == "{" && !stack[2].is_empty() {
                    if !stack[0].is_empty() {
                        out.push(Node::text(stack[0].clone(), span));
                    }
                    let mut em = Element::new(Tag::Emphasis, span);
                    em.push_text(stack[2].clone(), span);
                    out.push(em.into());
                    stack = vec![String::new()];
                } else {
                    stack.push("}".into());
                    let joined = stack.concat();
                    stack = vec![joined];
                }
            }
            other => stack[last].push_str(other),
        }
    }
    let rest = stack.concat();
    if !rest.is_empty() {
        out.push(Node::text(rest, span));
    }
    out
}

/// Sphinx's `Keyboard`: keys split at `-`, `+`, `^` and spaces (not at
/// the ends), each a `literal.kbd`, multi-word keys kept together.
pub(super) fn keyboard(text: &str, classes: &[String], span: Span) -> Vec<Node> {
    let lit = |t: &str| {
        let mut n = Element::new(Tag::Literal, span);
        n.classes.push("kbd".into());
        n.classes.extend(classes.iter().cloned());
        n.push_text(t, span);
        Node::from(n)
    };
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut parts: Vec<String> = Vec::new();
    let mut last = 0;
    let mut i = 1;
    while i + 1 < chars.len() {
        let (pos, c) = chars[i];
        let sep_end = if matches!(c, '-' | '+' | '^') {
            Some(i + 1)
        } else if c == ' ' {
            let mut j = i;
            while j < chars.len() && chars[j].1 == ' ' {
                j += 1;
            }
            Some(j)
        } else {
            None
        };
        match sep_end {
            Some(j) if j < chars.len() => {
                parts.push(text[last..pos].to_string());
                let end = chars[j].0;
                parts.push(text[pos..end].to_string());
                last = end;
                i = j + 1;
            }
            _ => i += 1,
        }
    }
    parts.push(text[last..].to_string());
    let multi = |p: &[String]| {
        if p.len() <= 2 || !p[1].chars().all(char::is_whitespace) || p[1].is_empty() {
            return false;
        }
        matches!(
            (p[0].to_lowercase().as_str(), p[2].to_lowercase().as_str()),
            ("back", "space")
                | ("caps", "lock")
                | ("num", "lock")
                | ("page", "down")
                | ("page", "up")
                | ("scroll", "lock")
                | ("sys", "rq")
        )
    };
    if parts.len() == 1 || multi(&parts) {
        return vec![lit(text)];
    }
    let mut out = Vec::new();
    let mut k = 0;
    while k < parts.len() {
        let key = if multi(&parts[k..]) {
            k += 3;
            parts[k - 3..k].concat()
        } else {
            k += 1;
            parts[k - 1].clone()
        };
        out.push(lit(&key));
        match parts.get(k) {
            Some(sep) => {
                out.push(Node::text(sep.clone(), span));
                k += 1;
            }
            None => break,
        }
    }
    out
}

/// Sphinx's `GUILabel`: `&X` marks an accelerator; `&&` is `&` after one.
pub(super) fn accelerators(text: &str, span: Span) -> Vec<Node> {
    let mut pieces: Vec<&str> = Vec::new();
    let mut last = 0;
    let b = text.as_bytes();
    for i in 0..b.len() {
        if b[i] == b'&'
            && (i == 0 || b[i - 1] != b'&')
            && text[i + 1..]
                .chars()
                .next()
                .is_some_and(|c| c != '&' && !c.is_whitespace())
        {
            pieces.push(&text[last..i]);
            last = i + 1;
        }
    }
    pieces.push(&text[last..]);
    let mut out = vec![Node::text(pieces[0], span)];
    for piece in &pieces[1..] {
        let piece = piece.replace("&&", "&");
        let mut chars = piece.chars();
        let letter = chars.next().map(String::from).unwrap_or_default();
        let mut acc = Element::new(Tag::Inline, span);
        acc.classes.push("accelerator".into());
        acc.push_text(letter, span);
        out.push(acc.into());
        out.push(Node::text(chars.as_str(), span));
    }
    out.retain(|n| !matches!(n, Node::Text(t) if t.text.is_empty()));
    out
}

pub(super) fn manpage(doc: &Doc, t: &RefText, disabled: bool, span: Span, tspan: Span) -> Element {
    let page = t.target.split_whitespace().collect::<Vec<_>>().join(" ");
    // `^(?P<path>(?P<page>.+)[(.](?P<section>[1-9]\w*)?\)?)$`
    let (name, section) = match page.rfind(['(', '.']) {
        Some(i) if i > 0 => {
            let after = page[i + 1..].trim_end_matches(')');
            let ok = after.is_empty()
                || (after.starts_with(|c: char| ('1'..='9').contains(&c))
                    && after.chars().all(|c| c.is_alphanumeric() || c == '_'));
            if ok && page[i + 1..].matches(')').count() <= 1 {
                (page[..i].to_string(), after.to_string())
            } else {
                (page.clone(), String::new())
            }
        }
        _ => (page.clone(), String::new()),
    };
    let text = if disabled {
        t.title.get(1..).unwrap_or("").to_string()
    } else {
        t.title.clone()
    };
    let mut n = el(SphinxTag::Manpage, span);
    n.classes.push("manpage".into());
    set(&mut n, SphinxAttr::Path, page.clone());
    set(&mut n, SphinxAttr::Page, name.clone());
    set(&mut n, SphinxAttr::Section, section.clone());
    n.set(Attr::XmlSpace, "preserve");
    let url = doc
        .sphinx
        .as_deref()
        .map_or("", |s| s.settings.manpages_url.as_str());
    if !disabled && !url.is_empty() {
        let uri = url
            .replace("{path}", &page)
            .replace("{page}", &name)
            .replace("{section}", &section);
        let mut r = Element::new(Tag::Reference, span);
        r.classes.push("manpage".into());
        r.set(Attr::Refuri, uri);
        r.push_text(text, tspan);
        n.push(r);
    } else {
        n.push_text(text, tspan);
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(nodes: &[Node]) -> Vec<String> {
        nodes
            .iter()
            .map(|n| match n {
                Node::Text(t) => t.text.clone(),
                Node::Element(e) => format!("<{}>{}", e.tag.name(), e.astext()),
            })
            .collect()
    }

    #[test]
    fn samp_braces() {
        let s = Span::default();
        assert_eq!(
            texts(&emphasized_literal("/etc/{x}.conf", s)),
            ["/etc/", "<emphasis>x", ".conf"]
        );
        assert_eq!(texts(&emphasized_literal("a \\{b\\} {}", s)), ["a {b} {}"]);
    }

    #[test]
    fn kbd_splits_keys() {
        let s = Span::default();
        assert_eq!(
            texts(&keyboard("Ctrl+Alt+Del", &[], s)),
            ["<literal>Ctrl", "+", "<literal>Alt", "+", "<literal>Del"]
        );
        assert_eq!(texts(&keyboard("C-x C-f", &[], s)).len(), 7);
        assert_eq!(texts(&keyboard("Page Up", &[], s)), ["<literal>Page Up"]);
        assert_eq!(texts(&keyboard("-", &[], s)), ["<literal>-"]);
    }
}
