//! `role`, `default-role`, `title`, `raw`, `class`, and the
//! substitution-only `replace`, `unicode`, `date`.

use crate::ast::Attr;
use crate::ast::ids::make_id;
use crate::ast::{Element, Node, Tag};
use crate::diag::Severity;

use super::Ctx;
use crate::syntax::rst::block::Parser;
use crate::syntax::rst::explicit::is_simplename;

const ROLE_NAMES: &[&str] = &[
    "emphasis",
    "strong",
    "literal",
    "code",
    "subscript",
    "sub",
    "superscript",
    "sup",
    "title-reference",
    "title",
    "t",
    "abbreviation",
    "ab",
    "acronym",
    "ac",
    "math",
    "pep-reference",
    "pep",
    "rfc-reference",
    "rfc",
    "raw",
];

fn role_known(p: &Parser, name: &str) -> bool {
    ROLE_NAMES.contains(&name)
        || p.doc.roles.contains_key(name)
        || crate::syntax::rst::inline::unimplemented_role(name).is_some()
}

/// docutils' `class_option`: each word made an id, else its error.
fn class_option(value: &str) -> Result<Vec<String>, String> {
    value
        .split_whitespace()
        .map(|word| {
            let id = make_id(word);
            if id.is_empty() {
                Err(format!("cannot make \"{word}\" into a class name"))
            } else {
                Ok(id)
            }
        })
        .collect()
}

pub fn role(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    let first_on_line = ctx
        .content
        .first()
        .is_some_and(|r| p.lineno(*r) == ctx.lineno);
    if ctx.content.is_empty() || !first_on_line {
        return vec![
            ctx.error(
                p,
                &format!(
                    "\"{}\" directive requires arguments on the first line.",
                    ctx.name
                ),
            )
            .into(),
        ];
    }
    let args = p.line_text(ctx.content[0]).trim().to_string();
    let (new, base) = match args.find('(') {
        Some(k) if args.ends_with(')') => (
            args[..k].trim().to_string(),
            Some(args[k + 1..args.len() - 1].trim().to_string()),
        ),
        _ => (args.clone(), None),
    };
    if !is_simplename(&new) || base.as_ref().is_some_and(|b| !is_simplename(b)) {
        return vec![
            ctx.error(
                p,
                &format!(
                    "\"{}\" directive arguments not valid role names: \"{}\".",
                    ctx.name, args
                ),
            )
            .into(),
        ];
    }
    let mut base_name = String::new();
    if let Some(b) = base {
        let bl = b.to_lowercase();
        if !role_known(p, &bl) {
            return vec![
                p.doc
                    .unknown_name_info("role", &b, Some(ctx.lineno), ctx.span)
                    .into(),
                ctx.error(p, &format!("Unknown interpreted text role \"{b}\"."))
                    .into(),
            ];
        }
        base_name = match p.doc.roles.get(&bl) {
            Some((bb, _)) => bb.clone(),
            None => bl,
        };
    }
    // options of the role (only :class: is handled); the default class is the role name
    let mut cls = None;
    for r in ctx.content.iter().skip(1) {
        let l = p.line_text(*r).trim().to_string();
        if let Some(v) = l.strip_prefix(":class:") {
            match class_option(v) {
                Ok(names) => cls = Some(names),
                Err(e) => {
                    let value = crate::python_text::str_repr(v.trim());
                    let text = format!(
                        "Error in \"{}\" directive:\ninvalid option value: (option: \"class\"; value: {value})\n{e}.",
                        ctx.typed_name
                    );
                    return vec![ctx.error(p, &text).into()];
                }
            }
        }
    }
    let classes = match cls {
        Some(names) => names,
        None => match class_option(&new) {
            Ok(names) => names,
            Err(e) => {
                let text = format!(
                    "Invalid argument for \"{}\" directive:\n{e}.",
                    ctx.typed_name
                );
                return vec![ctx.error(p, &text).into()];
            }
        },
    };
    if base_name == "raw" {
        // the format travels with the base name: "raw\0<format>"
        let fmt = ctx
            .content
            .iter()
            .skip(1)
            .find_map(|r| {
                p.line_text(*r)
                    .trim()
                    .strip_prefix(":format:")
                    .map(|v| v.split_whitespace().collect::<Vec<_>>().join(" "))
            })
            .unwrap_or_default();
        base_name = format!("raw\0{fmt}");
    }
    if base_name == "code" {
        // an explicit `:language:` travels with the base name ("code\0<language>"):
        // docutils warns only when the option was given and cannot highlight
        let language = ctx.content.iter().skip(1).find_map(|r| {
            p.line_text(*r)
                .trim()
                .strip_prefix(":language:")
                .map(|v| v.trim().to_string())
        });
        if let Some(language) = language {
            base_name = format!("code\0{language}");
        }
    }
    p.doc.roles.insert(new.to_lowercase(), (base_name, classes));
    Vec::new()
}

pub fn default_role(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    match ctx.args.first() {
        None => {
            p.doc.default_role = None;
            Vec::new()
        }
        Some(r) => {
            let rl = r.to_lowercase();
            if !role_known(p, &rl) {
                return vec![
                    p.doc
                        .unknown_name_info("role", r, Some(ctx.lineno), ctx.span)
                        .into(),
                    ctx.error(p, &format!("Unknown interpreted text role \"{r}\"."))
                        .into(),
                ];
            }
            p.doc.default_role = Some(rl);
            Vec::new()
        }
    }
}

pub fn title(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    p.doc_title = ctx.args.first().cloned();
    // docutils sets the document's `title` while parsing
    if let (Some(title), Some(document)) = (&p.doc_title, p.stack.first_mut()) {
        document.set(Attr::Title, title.clone());
    }
    Vec::new()
}

pub fn raw(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    if !p.opts.allow_raw {
        return vec![
            p.doc
                .message_with_block(
                    Severity::Error,
                    &format!("\"{}\" directive disabled.", ctx.name),
                    &ctx.block_text,
                    Some(ctx.lineno),
                    ctx.span,
                )
                .into(),
        ];
    }
    let external = ctx.has("file") || ctx.has("url");
    if external && !ctx.content.is_empty() {
        return vec![
            ctx.error(
                p,
                &format!(
                    "\"{}\" directive may not both specify an external file and have content.",
                    ctx.name
                ),
            )
            .into(),
        ];
    }
    if ctx.has("file") && ctx.has("url") {
        return vec![
            ctx.error(
                p,
                &format!(
                    "The \"file\" and \"url\" options may not be simultaneously specified for the \"{}\" directive.",
                    ctx.name
                ),
            )
            .into(),
        ];
    }
    // `:url:` is never fetched: a build reads nothing from the network.
    if ctx.has("url") {
        return vec![
            ctx.warning(p, &format!("\"{}\" directive disabled.", ctx.name))
                .into(),
        ];
    }
    // `:file:` is read as `include` reads (inside the include root).
    let file = match ctx.opt("file") {
        Some(arg) => match super::include::read_data_file(p, ctx, arg.trim()) {
            Ok(found) => Some(found),
            Err(problem) => return vec![problem],
        },
        None => None,
    };
    if ctx.content.is_empty() && file.is_none() {
        return ctx.no_content(p);
    }
    let (text, text_span) = match &file {
        Some(found) => (found.text.clone(), ctx.span),
        None => (p.join(&ctx.content).0, p.block_span(&ctx.content)),
    };
    let mut r = Element::new(Tag::Raw, ctx.span);
    r.set(
        Attr::Format,
        ctx.args
            .first()
            .map(|a| {
                a.to_lowercase()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default(),
    );
    if let Some(found) = &file {
        r.set(Attr::Source, found.shown.clone());
    }
    r.set(Attr::XmlSpace, "preserve");
    r.classes = ctx.classes().into();
    r.push_text(text, text_span);
    vec![r.into()]
}

pub fn class(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    let arg = ctx.args.first().cloned().unwrap_or_default();
    let mut classes = Vec::new();
    for w in arg.split_whitespace() {
        let id = make_id(w);
        if id.is_empty() {
            return vec![
                ctx.error(
                    p,
                    &format!(
                        "Invalid class attribute value for \"{}\" directive: \"{}\".",
                        ctx.name, arg
                    ),
                )
                .into(),
            ];
        }
        classes.push(id);
    }
    if ctx.content.is_empty() {
        let mut pending = Element::new(Tag::Pending, ctx.span);
        pending.set(Attr::Kind, "class");
        pending.set(Attr::Class, classes.join(" "));
        pending.set_named("directive", ctx.name.clone());
        pending.set(crate::syntax::rst::inline::RAW, ctx.block_text.clone());
        p.doc.mark_line(&mut pending, ctx.lineno);
        return vec![pending.into()];
    }
    let tmp = Element::new(Tag::Container, ctx.span);
    let tmp = p.nested(tmp, &ctx.content);
    let mut out = Vec::new();
    for n in tmp.children {
        match n {
            Node::Element(mut e) => {
                // every element the content made, comments and system
                // messages included (docutils' `node['classes'].extend`)
                e.classes.extend(classes.iter().cloned());
                out.push(Node::Element(e));
            }
            t => out.push(t),
        }
    }
    out
}

pub(super) fn not_in_subst(p: &Parser, ctx: &Ctx) -> Vec<Node> {
    vec![ctx.error(p, &format!("Invalid context: the \"{}\" directive can only be used within a substitution definition.", ctx.name)).into()]
}

pub fn replace(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    if ctx.subst.is_none() {
        return not_in_subst(p, ctx);
    }
    if ctx.content.is_empty() {
        return ctx.no_content(p);
    }
    let tmp = Element::new(Tag::Container, ctx.span);
    let tmp = p.nested(tmp, &ctx.content);
    let mut para = None;
    // messages from the content come first, without their backrefs
    // (docutils clears them: the problematic nodes they pointed at are
    // copied to each reference)
    let mut out = Vec::new();
    for n in tmp.children {
        match n {
            Node::Element(e) if e.tag == Tag::Paragraph && para.is_none() => para = Some(*e),
            Node::Element(mut e) if e.tag == Tag::SystemMessage => {
                e.backrefs = Default::default();
                out.push(Node::Element(e));
            }
            _ => {
                let text = format!(
                    "Error in \"{}\" directive: may contain a single paragraph only.",
                    ctx.typed_name
                );
                let m = p
                    .doc
                    .message(Severity::Error, &text, Some(ctx.lineno), ctx.span);
                return vec![m.into()];
            }
        }
    }
    if let Some(pa) = para {
        out.extend(pa.children);
    }
    out
}

pub fn unicode(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    if ctx.subst.is_none() {
        return not_in_subst(p, ctx);
    }
    let arg = ctx.args.first().cloned().unwrap_or_default();
    let mut texts = Vec::new();
    for code in unicode_codes(&arg) {
        match unicode_code(code) {
            Ok(text) => texts.push(Node::text(text, ctx.span)),
            Err(why) => {
                return vec![
                    ctx.error(p, &format!("Invalid character code: {code}\n{why}"))
                        .into(),
                ];
            }
        }
    }
    // docutils marks the substitution definition itself
    if let Some(def) = p.stack.last_mut()
        && def.tag == Tag::SubstitutionDefinition
    {
        if ctx.has("trim") || ctx.has("ltrim") {
            def.set_named("ltrim", "1");
        }
        if ctx.has("trim") || ctx.has("rtrim") {
            def.set_named("rtrim", "1");
        }
    }
    // one text node per code, as docutils makes them
    texts
}

/// The codes of a `unicode` argument: words before a comment (`..` at
/// the start or after a space or line break, `comment_pattern`).
fn unicode_codes(arg: &str) -> std::str::SplitWhitespace<'_> {
    let bytes = arg.as_bytes();
    let comment = (0..bytes.len()).find(|&i| {
        bytes[i..].starts_with(b".. ") && (i == 0 || matches!(bytes[i - 1], b' ' | b'\n'))
    });
    arg[..comment.unwrap_or(arg.len())].split_whitespace()
}

/// `directives.unicode_code`: a decimal or hexadecimal (`0x`, `x`, `\x`,
/// `U`, `U+`, `\u`, `&#x…;`) character code, else the text itself; `Err`
/// is Python's error for a code `chr()` refuses.
pub(super) fn unicode_code(code: &str) -> Result<String, String> {
    let lower = code.to_ascii_lowercase();
    let hex = ["0x", "x", "\\x", "u+", "u", "\\u"]
        .iter()
        .find_map(|prefix| lower.strip_prefix(prefix))
        .or_else(|| lower.strip_prefix("&#x").and_then(|h| h.strip_suffix(';')))
        .filter(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_hexdigit()));
    let value = if !code.is_empty() && code.bytes().all(|b| b.is_ascii_digit()) {
        code.trim_start_matches('0').parse::<u128>().or_else(|_| {
            if code.bytes().all(|b| b == b'0') {
                Ok(0)
            } else {
                Err(())
            }
        })
    } else if let Some(h) = hex {
        u128::from_str_radix(h.trim_start_matches('0'), 16).or_else(|_| {
            if h.bytes().all(|b| b == b'0') {
                Ok(0)
            } else {
                Err(())
            }
        })
    } else {
        return Ok(code.to_string());
    };
    match value {
        Ok(n) if n > i32::MAX as u128 => {
            Err("ValueError: code too large (Python int too large to convert to C int)".into())
        }
        Err(()) => {
            Err("ValueError: code too large (Python int too large to convert to C int)".into())
        }
        Ok(n) if n > 0x10FFFF => Err("ValueError: chr() arg not in range(0x110000)".into()),
        // a lone surrogate, which Python keeps and no UTF-8 text can hold
        Ok(n) => Ok(char::from_u32(n as u32).unwrap_or('\u{fffd}').to_string()),
    }
}

/// `.. header::` / `.. footer::`: the content goes straight into the
/// document's `decoration` (made where docutils' `get_decoration` puts it:
/// before the document's first child that is not a title, subtitle,
/// rubric or `meta`), merged into its one header or footer; the directive
/// leaves nothing where it stands.
pub fn decoration(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    if ctx.content.is_empty() {
        return ctx.no_content(p);
    }
    let is_header = ctx.name == "header";
    let tag = if is_header { Tag::Header } else { Tag::Footer };
    // the decoration exists before the content is parsed, as in docutils
    if let Some(root) = p.stack.first_mut() {
        document_decoration(root);
    }
    let part = p.nested(Element::new(tag, ctx.span), &ctx.content);
    let Some(deco) = p.stack.first_mut().and_then(document_decoration) else {
        return Vec::new();
    };
    let slot = if is_header {
        deco.children.first_mut()
    } else {
        deco.children.last_mut()
    };
    match slot {
        Some(Node::Element(existing)) if existing.tag == tag => {
            existing.span = existing.span.cover(part.span);
            existing.children.extend(part.children);
        }
        _ if is_header => deco.children.insert(0, part.into()),
        _ => deco.children.push(part.into()),
    }
    Vec::new()
}

/// `document.get_decoration`: the document's `decoration`, inserted
/// before its first child that is not a title, subtitle, rubric or `meta`
/// when there is none yet.
fn document_decoration(root: &mut Element) -> Option<&mut Element> {
    let is_decoration = |c: &Node| matches!(c, Node::Element(e) if e.tag == Tag::Decoration);
    if !root.children.iter().any(is_decoration) {
        let at = root
            .children
            .iter()
            .position(|c| {
                !matches!(c, Node::Element(e)
                    if matches!(e.tag, Tag::Title | Tag::Subtitle | Tag::Rubric | Tag::Meta))
            })
            .unwrap_or(root.children.len());
        let deco = Element::new(Tag::Decoration, root.span);
        root.children.insert(at, deco.into());
    }
    root.children.iter_mut().find_map(|c| match c {
        Node::Element(e) if e.tag == Tag::Decoration => Some(&mut **e),
        _ => None,
    })
}

/// `.. sectnum::`: a pending node for the section-numbering transform.
pub fn sectnum(_p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    let mut pending = Element::new(Tag::Pending, ctx.span);
    pending.set(Attr::Kind, "sectnum");
    for (k, v) in &ctx.options {
        pending.set_named(k, v.clone());
    }
    vec![pending.into()]
}

/// `.. target-notes::`: a pending node for the `TargetNotes` transform.
pub fn target_notes(ctx: &Ctx) -> Vec<Node> {
    let mut pending = Element::new(Tag::Pending, ctx.span);
    pending.set(Attr::Kind, "target-notes");
    if let Some(class) = ctx.opt("class") {
        pending.set_named("class", class.to_string());
    }
    vec![pending.into()]
}
