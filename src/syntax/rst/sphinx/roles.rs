//! Sphinx's roles. Text roles (`:file:`, `:kbd:`, `:menuselection:` …)
//! become their final nodes; cross-reference roles (`:ref:`, `:doc:`,
//! `:option:`, `:c:func:` …) become Sphinx's `pending_xref` node with its
//! pre-resolution attributes and content, which the project-level
//! resolver turns into a reference.

use crate::ast::{Attr, Element, Node, Span, SphinxAttr, SphinxTag, Tag};

use super::super::doc::Doc;
use super::super::inline::unescape;
use super::index::{IndexEntry, index_node, parse_entry};
use super::{el, flag, set};

/// What a role made: nodes, or an error message (level, text) for a
/// `problematic` node.
pub type RoleResult = Result<Vec<Node>, (crate::diag::Severity, String)>;

/// The text of a role as a reference role sees it.
struct RefText {
    explicit: bool,
    title: String,
    target: String,
}

/// Sphinx's `explicit_title_re` on the escaped text: `title <target>`,
/// the `<` not backslash-escaped.
fn split_title(escaped: &str) -> RefText {
    if let Some(body) = escaped.strip_suffix('>')
        && let Some(lt) = body.rfind('<')
        && lt > 0
        && !body[..lt].ends_with('\0')
        && !body[lt + 1..].contains('<')
    {
        let title = body[..lt].trim_end();
        if !title.is_empty() {
            return RefText {
                explicit: true,
                title: unescape(title),
                target: unescape(&body[lt + 1..]),
            };
        }
    }
    RefText {
        explicit: false,
        title: unescape(escaped),
        target: unescape(escaped),
    }
}

/// A `pending_xref` with Sphinx's attributes (its content is added by the caller).
pub fn pending_xref(
    doc: &Doc,
    domain: &str,
    reftype: &str,
    target: &str,
    explicit: bool,
) -> Element {
    let mut x = Element::new(Tag::PendingXref, Span::default());
    let docname = doc.sphinx.as_deref().map_or("", |s| s.docname.as_str());
    x.set(Attr::Refdoc, docname);
    x.set(Attr::Refdomain, domain);
    x.set(Attr::Reftype, reftype);
    x.set(Attr::Reftarget, target);
    x.set(Attr::Refexplicit, flag(explicit));
    x
}

/// Docutils prints a `None` attribute as `True`.
const NONE: &str = "True";

/// The domain and type a cross-reference role name means, or `None` when
/// it is not one.
fn xref_kind(name: &str) -> Option<(&'static str, &'static str)> {
    const STD: &[&str] = &[
        "ref", "doc", "numref", "term", "option", "envvar", "keyword", "token", "confval", "label",
    ];
    const PY: &[&str] = &[
        "data", "exc", "func", "class", "const", "attr", "type", "meth", "mod", "obj",
    ];
    const C: &[&str] = &[
        "member",
        "data",
        "var",
        "func",
        "macro",
        "struct",
        "union",
        "enum",
        "enumerator",
        "type",
        "expr",
        "texpr",
    ];
    let find = |list: &[&'static str], t: &str| list.iter().copied().find(|x| *x == t);
    match name.split_once(':') {
        Some(("std", t)) => find(STD, t).map(|t| ("std", t)),
        Some(("py", t)) => find(PY, t).map(|t| ("py", t)),
        Some(("c", t)) => find(C, t).map(|t| ("c", t)),
        Some(("math", "numref")) => Some(("math", "numref")),
        Some(_) => None,
        None => match name {
            "any" => Some(("", "any")),
            "download" => Some(("", "download")),
            "eq" => Some(("math", "eq")),
            n => find(STD, n)
                .map(|t| ("std", t))
                .or_else(|| find(PY, n).map(|t| ("py", t))),
        },
    }
}

/// Runs a Sphinx role; `None` when `name` is not one of Sphinx's.
pub fn role(
    doc: &mut Doc,
    name: &str,
    classes: &[String],
    escaped: &str,
    span: Span,
    tspan: Span,
) -> Option<RoleResult> {
    let text = unescape(escaped);
    let with_classes = |tag: Tag, own: &str| {
        let mut n = Element::new(tag, span);
        n.classes.push(own.to_string());
        n.classes.extend(classes.iter().cloned());
        n
    };
    let simple = |tag: Tag| {
        let mut n = with_classes(tag, name);
        n.push_text(text.clone(), tspan);
        Ok(vec![n.into()])
    };
    Some(match name {
        "command" | "makevar" | "program" => simple(Tag::Sphinx(SphinxTag::LiteralStrong)),
        "mailheader" | "mimetype" | "newsgroup" => simple(Tag::Sphinx(SphinxTag::LiteralEmphasis)),
        "dfn" => simple(Tag::Emphasis),
        "regexp" => simple(Tag::Literal),
        "code" => {
            // Sphinx's `code_role`: docutils' node plus an empty `language`.
            let mut n = with_classes(Tag::Literal, "code");
            n.set(Attr::Language, "");
            n.push_text(text.clone(), tspan);
            Ok(vec![n.into()])
        }
        "file" | "samp" => {
            let mut n = with_classes(Tag::Literal, name);
            n.set_named("role", name);
            n.children = emphasized_literal(&text, tspan);
            Ok(vec![n.into()])
        }
        "kbd" => Ok(keyboard(&text, classes, tspan)),
        "abbr" => {
            let mut n = Element::new(Tag::Abbreviation, span);
            n.classes.extend(classes.iter().cloned());
            match text
                .strip_suffix(')')
                .and_then(|t| t.find('(').map(|i| (t, i)))
            {
                Some((t, i)) => {
                    n.set(Attr::Explanation, t[i + 1..].to_string());
                    n.push_text(t[..i].trim(), tspan);
                }
                None => n.push_text(text.clone(), tspan),
            }
            Ok(vec![n.into()])
        }
        "guilabel" | "menuselection" => {
            let shown = if name == "menuselection" {
                text.replace("-->", "\u{2023}")
            } else {
                text.clone()
            };
            let mut n = with_classes(Tag::Inline, name);
            set(
                &mut n,
                SphinxAttr::Rawtext,
                format!(":{name}:`{}`", super::super::inline::restore(escaped)),
            );
            n.children = accelerators(&shown, tspan);
            Ok(vec![n.into()])
        }
        "manpage" => Ok(vec![
            manpage(
                doc,
                &split_title(escaped),
                escaped.starts_with('!'),
                span,
                tspan,
            )
            .into(),
        ]),
        "pep" | "rfc" | "cve" | "cwe" => {
            numbered_reference(doc, name, &split_title(escaped), span, tspan)
        }
        "index" => index_role(doc, &split_title(escaped), span, tspan),
        n => match xref_kind(n) {
            Some((domain, reftype)) => Ok(xref(doc, domain, reftype, escaped, span, tspan)),
            None => return None,
        },
    })
}

/// Sphinx's `EmphasizedLiteral.parse`: `{var}` parts become `emphasis`,
/// `\{`, `\}` and `\\` are literal braces and backslash.
fn emphasized_literal(text: &str, span: Span) -> Vec<Node> {
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
fn keyboard(text: &str, classes: &[String], span: Span) -> Vec<Node> {
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
fn accelerators(text: &str, span: Span) -> Vec<Node> {
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

fn manpage(doc: &Doc, t: &RefText, disabled: bool, span: Span, tspan: Span) -> Element {
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

/// A new `index-N` target registered on the page.
fn index_target(doc: &mut Doc, span: Span) -> (String, Element) {
    let n = doc.sphinx.as_deref_mut().map_or(0, |s| s.serial("index"));
    let id = format!("index-{n}");
    let mut t = Element::new(Tag::Target, span);
    t.ids.push(id.clone());
    let _ = doc.note_explicit_target(&mut t, None);
    (id, t)
}

/// `:pep:`, `:rfc:`, `:cve:`, `:cwe:`: index entry, target, external link.
fn numbered_reference(
    doc: &mut Doc,
    name: &str,
    t: &RefText,
    span: Span,
    tspan: Span,
) -> RoleResult {
    let (id, target) = index_target(doc, span);
    let (number, _, anchor) = partition(&t.target, '#');
    let n: Option<u64> = number.trim().parse().ok();
    let (entry, uri, title) = match name {
        "pep" => (
            format!("Python Enhancement Proposals; PEP {}", t.target),
            n.map(|n| {
                let base = format!("https://peps.python.org/pep-{n:04}/");
                if anchor.is_some() {
                    format!("{base}#{}", anchor.unwrap_or(""))
                } else {
                    base
                }
            }),
            format!("PEP {}", t.title),
        ),
        "rfc" => {
            let formatted = rfc_title(&t.target);
            (
                format!("RFC; {formatted}"),
                n.map(|n| {
                    let base = format!("https://datatracker.ietf.org/doc/html/rfc{n}.html");
                    match anchor {
                        Some(a) => format!("{base}#{a}"),
                        None => base,
                    }
                }),
                formatted,
            )
        }
        "cve" => (
            format!("Common Vulnerabilities and Exposures; CVE {}", t.target),
            Some(match anchor {
                Some(a) => format!("https://www.cve.org/CVERecord?id=CVE-{number}#{a}"),
                None => format!("https://www.cve.org/CVERecord?id=CVE-{number}"),
            }),
            format!("CVE {}", t.title),
        ),
        _ => (
            format!("Common Weakness Enumeration; CWE {}", t.target),
            n.map(|n| match anchor {
                Some(a) => format!("https://cwe.mitre.org/data/definitions/{n}.html#{a}"),
                None => format!("https://cwe.mitre.org/data/definitions/{n}.html"),
            }),
            format!("CWE {}", t.title),
        ),
    };
    let Some(uri) = uri else {
        return Err((
            crate::diag::Severity::Error,
            format!("invalid {} number {}", name.to_uppercase(), t.target),
        ));
    };
    let index = index_node(&[IndexEntry::single(entry, &id, false)], span);
    let mut r = Element::new(Tag::Reference, span);
    r.classes.push(name.into());
    r.set(Attr::Internal, "0");
    r.set(Attr::Refuri, uri);
    let mut strong = Element::new(Tag::Strong, tspan);
    strong.push_text(if t.explicit { t.title.clone() } else { title }, tspan);
    r.push(strong);
    Ok(vec![index.into(), target.into(), r.into()])
}

fn partition(s: &str, c: char) -> (&str, bool, Option<&str>) {
    match s.split_once(c) {
        Some((a, b)) => (a, true, Some(b)),
        None => (s, false, None),
    }
}

/// Sphinx's `_format_rfc_target`: `2822#section-3` is `RFC 2822 Section 3`.
fn rfc_title(target: &str) -> String {
    if let Some((number, anchor)) = target.split_once('#') {
        let (first, remaining) = anchor.split_once('-').unwrap_or((anchor, ""));
        if matches!(first, "appendix" | "page" | "section") {
            let cap = format!("{}{}", first[..1].to_uppercase(), &first[1..]);
            return if remaining.is_empty() {
                format!("RFC {number} {cap}")
            } else {
                format!("RFC {number} {cap} {remaining}")
            };
        }
    }
    format!("RFC {target}")
}

/// `:index:`: the index node and target inline, then the text.
fn index_role(doc: &mut Doc, t: &RefText, span: Span, tspan: Span) -> RoleResult {
    let (id, target) = index_target(doc, span);
    let (title, entries) = if t.explicit {
        let entries =
            parse_entry(&t.target, &id).map_err(|e| (crate::diag::Severity::Warning, e))?;
        (t.title.clone(), entries)
    } else if let Some(rest) = t.target.strip_prefix('!') {
        (
            t.title.get(1..).unwrap_or("").to_string(),
            vec![IndexEntry::single(rest, &id, true)],
        )
    } else {
        (
            t.title.clone(),
            vec![IndexEntry::single(t.target.clone(), &id, false)],
        )
    };
    let index = index_node(&entries, span);
    Ok(vec![index.into(), target.into(), Node::text(title, tspan)])
}

/// A cross-reference role (Sphinx's `XRefRole` and its subclasses).
fn xref(
    doc: &mut Doc,
    domain: &'static str,
    reftype: &'static str,
    escaped: &str,
    span: Span,
    tspan: Span,
) -> Vec<Node> {
    let classes: Vec<String> = if domain.is_empty() || (domain == "math" && reftype == "eq") {
        vec!["xref".into(), reftype.into()]
    } else {
        vec!["xref".into(), domain.into(), format!("{domain}-{reftype}")]
    };
    let inline_content = domain == "std" && matches!(reftype, "ref" | "term" | "doc");
    let content_tag = if inline_content {
        Tag::Inline
    } else {
        Tag::Literal
    };
    let fix_parens = matches!((domain, reftype), ("py", "func" | "meth") | ("c", "func"));
    let warn = matches!(
        (domain, reftype),
        (
            "std",
            "ref" | "numref" | "term" | "doc" | "option" | "keyword" | "confval"
        ) | ("", "any")
            | ("math", "eq")
    );
    let content = |text: String| {
        let mut c = Element::new(content_tag, span);
        c.classes.extend(classes.iter().cloned());
        c.push_text(text, tspan);
        c
    };
    let with_parens = |mut title: String| {
        if !title.ends_with("()") {
            title.push_str("()");
        }
        title
    };
    if let Some(rest) = escaped.strip_prefix('!') {
        let mut text = unescape(rest);
        if fix_parens {
            text = with_parens(text);
        }
        return vec![content(text).into()];
    }
    let t = split_title(escaped);
    let (mut title, mut target) = (t.title.clone(), t.target.clone());
    if matches!(reftype, "ref" | "numref") && domain == "std" {
        target = target.to_lowercase();
    }
    if fix_parens {
        if !t.explicit {
            title = with_parens(title);
        }
        target = target
            .strip_suffix("()")
            .map(str::to_string)
            .unwrap_or(target);
    }
    let mut x = pending_xref(doc, domain, reftype, "", t.explicit);
    if reftype == "download" {
        x.tag = Tag::Sphinx(SphinxTag::DownloadReference);
    }
    x.span = span;
    let sx = doc.sphinx.as_deref();
    match (domain, reftype) {
        ("std", "option") => {
            let prog = sx.and_then(|s| s.program.clone());
            set(
                &mut x,
                SphinxAttr::StdProgram,
                prog.unwrap_or_else(|| NONE.into()),
            );
        }
        ("std", "token") => {
            target = target.trim_start_matches('~').to_string();
            if !t.explicit && title.starts_with('~') {
                title = match title.split_once(':') {
                    Some((_, b)) => b.to_string(),
                    None => title[1..].to_string(),
                };
            }
        }
        ("py", _) | ("c", _) => {
            if domain == "py" {
                let module = sx.and_then(|s| s.py_module.clone());
                let class = sx.and_then(|s| s.py_class.clone());
                set(
                    &mut x,
                    SphinxAttr::PyModule,
                    module.unwrap_or_else(|| NONE.into()),
                );
                x.set(
                    Attr::Sphinx(SphinxAttr::PyClass),
                    class.unwrap_or_else(|| NONE.into()),
                );
            }
            if !t.explicit {
                if domain == "py" {
                    title = title.trim_start_matches('.').to_string();
                }
                target = target.trim_start_matches('~').to_string();
                if let Some(rest) = title.strip_prefix('~') {
                    title = rest.rsplit('.').next().unwrap_or(rest).to_string();
                }
            }
            if domain == "py"
                && let Some(rest) = target.strip_prefix('.')
            {
                target = rest.to_string();
                set(&mut x, SphinxAttr::Refspecific, "1");
            }
        }
        ("", "any") => {
            if let Some(prog) = sx.and_then(|s| s.program.clone()) {
                set(&mut x, SphinxAttr::StdProgram, prog);
            }
        }
        _ => {}
    }
    if !matches!(
        (domain, reftype),
        ("std", "option" | "token") | ("py", _) | ("c", _)
    ) {
        target = target.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    x.set(Attr::Reftarget, target.clone());
    x.set(Attr::Refwarn, flag(warn));
    x.push(content(title));
    if (domain, reftype) == ("std", "envvar") {
        let (id, tgt) = index_target(doc, span);
        let entries = [
            IndexEntry::single(target.clone(), &id, false),
            IndexEntry::single(format!("environment variable; {target}"), &id, false),
        ];
        return vec![index_node(&entries, span).into(), tgt.into(), x.into()];
    }
    vec![x.into()]
}

/// Sphinx's unresolved form of a cross-reference: the content alone, as
/// Sphinx leaves it when no target is found (what a page shows until the
/// project-level resolver replaces the `pending_xref`).
pub fn unresolved(e: &mut Element) {
    let mut i = 0;
    while i < e.children.len() {
        if let Node::Element(c) = &mut e.children[i]
            && c.tag == Tag::PendingXref
        {
            let kids = std::mem::take(&mut c.children);
            e.children.splice(i..=i, kids);
            continue;
        }
        if let Node::Element(c) = &mut e.children[i] {
            unresolved(c);
        }
        i += 1;
    }
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

    #[test]
    fn titles_and_rfc() {
        let t = split_title("Foo bar <foo>");
        assert!(t.explicit);
        assert_eq!((t.title.as_str(), t.target.as_str()), ("Foo bar", "foo"));
        assert!(!split_title("a \0<b>").explicit);
        assert_eq!(rfc_title("2822#section-3"), "RFC 2822 Section 3");
        assert_eq!(rfc_title("2822"), "RFC 2822");
    }
}
