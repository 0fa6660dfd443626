//! Diagnostics in plain words: what is wrong at the element or attribute,
//! and what was expected there (from the schema's [`super::hints`]).

use relax_ng::ValidationErrorKind;
use roxmltree::{Node, TextPos};

use super::check::{Ctx, attribute_of, written_name};
use super::hints::{AttrHint, ElementHint};
use super::prepare::WRAPPER;
use super::schemas::{NamespaceSchema, SchemaSet};
use crate::diag::{Diagnostic, Severity};

/// Byte offset of a roxmltree position (1-based row, 1-based character column).
pub fn pos_offset(text: &str, pos: TextPos) -> usize {
    let mut line_start = 0;
    for _ in 1..pos.row {
        match text[line_start..].find('\n') {
            Some(i) => line_start += i + 1,
            None => break,
        }
    }
    let line = &text[line_start..];
    let col = line
        .char_indices()
        .nth(pos.col.saturating_sub(1) as usize)
        .map(|(i, _)| i)
        .unwrap_or(line.find('\n').unwrap_or(line.len()));
    line_start + col
}

/// A parse failure: an undeclared prefix is always an error; anything
/// else is a malformed example at `malformed` severity (`None`: ignored).
pub fn parse_error(
    e: &roxmltree::Error,
    text: &str,
    schemas: &SchemaSet,
    malformed: Option<Severity>,
) -> Option<Diagnostic> {
    use roxmltree::Error as E;
    if let E::UnknownNamespace(prefix, _) = e {
        let help = match schemas.schemas.iter().find(|s| s.prefix == *prefix) {
            Some(s) => format!(
                "declare it on the root element or on this element: xmlns:{prefix}='{}'",
                s.namespace
            ),
            None => format!("declare it with xmlns:{prefix}='…' on this element or an ancestor"),
        };
        return Some(
            Diagnostic::error(
                "xml-undeclared-prefix",
                format!("the namespace prefix `{prefix}:` is not declared"),
            )
            .with_help(help),
        );
    }
    let sev = malformed?;
    let (message, help) = match e {
        E::UnexpectedCloseTag(expected, actual, _) if expected == WRAPPER => (
            format!("the end tag `</{actual}>` matches no open element"),
            "end tags that match nothing are mistakes, not elisions: remove it or add its start tag".to_string(),
        ),
        E::UnexpectedCloseTag(expected, actual, _) => (
            format!("the end tag `</{actual}>` does not match the open element `<{expected}>`"),
            format!("expected `</{expected}>` here"),
        ),
        E::NodesLimitReached => (
            format!("the example has more than {} nodes", super::check::NODES_LIMIT),
            "split the example".to_string(),
        ),
        E::EntityReferenceLoop(_) => (
            "entity references nest too deeply (a possible entity loop)".to_string(),
            "write the text out instead of using entities".to_string(),
        ),
        other if dangling_end_tag(text, other).is_some() => (
            format!(
                "the end tag `</{}>` matches no open element",
                dangling_end_tag(text, other).unwrap_or_default()
            ),
            "end tags that match nothing are mistakes, not elisions: remove it or add its start tag"
                .to_string(),
        ),
        other => {
            let full = other.to_string();
            // roxmltree ends messages with " at row:col"; the location is shown separately.
            let msg = match full.rfind(" at ") {
                Some(i) if full[i + 4..].chars().all(|c| c.is_ascii_digit() || c == ':') => full[..i].to_string(),
                _ => full,
            };
            (msg, "examples must be well-formed XML once elisions (`...` lines, `<tag ...>`) are removed".to_string())
        }
    };
    Some(
        Diagnostic::new(
            sev,
            "xml-malformed",
            format!("the XML example is not well-formed: {message}"),
        )
        .with_help(help),
    )
}

/// The name of the end tag at the error position, when roxmltree fails on
/// an end tag after the root element has closed (a head-elided example).
fn dangling_end_tag<'t>(text: &'t str, e: &roxmltree::Error) -> Option<&'t str> {
    if !matches!(e, roxmltree::Error::UnknownToken(_)) {
        return None;
    }
    let at = text.get(pos_offset(text, e.pos())..)?;
    let name = at.strip_prefix("</")?;
    let end = name.find(|c: char| c == '>' || c.is_whitespace())?;
    Some(&name[..end])
}

/// `<commandline>` in no namespace: libvirt ignores it silently, so say
/// which declaration is missing (guessing the driver from `<domain type>`).
pub fn no_namespace(node: Node, text: &str, ctx: &Ctx) -> Diagnostic {
    let driver = node
        .ancestors()
        .find(|a| a.tag_name().name() == "domain")
        .and_then(|d| d.attribute("type"))
        .unwrap_or("kvm");
    let prefix = match driver {
        "bhyve" => "bhyve",
        "xen" => "xen",
        _ => "qemu",
    };
    let ns = ctx
        .schemas
        .schemas
        .iter()
        .find(|s| s.prefix == prefix)
        .map(|s| s.namespace.as_str())
        .unwrap_or("http://libvirt.org/schemas/domain/qemu/1.0");
    let start = node.range().start;
    let d = Diagnostic::error(
        "xml-no-namespace",
        format!("<commandline> is in no namespace: the declaration of the {prefix} passthrough namespace `{ns}` is missing"),
    )
    .with_help(format!(
        "declare xmlns:{prefix}='{ns}' on <domain> and write <{prefix}:commandline>, or write <commandline xmlns='{ns}'>"
    ));
    ctx.at(d, start, start + 1 + written_name(node, text).len())
}

/// One RELAX NG problem, in words, pointing at the element or attribute.
pub fn schema_error(
    kind: &ValidationErrorKind,
    node: Node,
    root: Node,
    schema: &NamespaceSchema,
    text: &str,
    ctx: &Ctx,
) -> Diagnostic {
    let qname = written_name(node, text);
    let el = format!("<{qname}>");
    let prefix = qname
        .rsplit_once(':')
        .map(|(p, _)| format!("{p}:"))
        .unwrap_or_default();
    let local = node.tag_name().name();
    let hint = schema.hints.element(local);
    let start = node.range().start;
    let mut span = (start, start + 1 + qname.len());
    if let Some(name) = attribute_of(kind)
        && let Some(a) = node
            .attributes()
            .find(|a| a.name() == name.local && a.namespace() == name.namespace.as_deref())
    {
        span = (a.range().start, a.range().end);
    }
    let (message, help) = match kind {
        ValidationErrorKind::MissingContent => missing(node, &el, hint, &prefix),
        ValidationErrorKind::UnexpectedAttribute(name) => (
            format!("{el} does not take the attribute `{}`", name.local),
            match hint.map(|h| &h.attrs) {
                Some(a) if !a.is_empty() => format!(
                    "allowed attributes: {}",
                    list(a.iter().map(|a| format!("`{}`", a.name)))
                ),
                _ => format!("{el} takes no attributes"),
            },
        ),
        ValidationErrorKind::InvalidAttributeValue(name, value) => {
            let ah = hint.and_then(|h| h.attrs.iter().find(|a| a.name == name.local));
            invalid_value(local, &name.local, value, ah, &el)
        }
        ValidationErrorKind::UnexpectedElement(_) if node == root => (
            format!("{el} is not an element of the {} schema", schema.label),
            format!(
                "expected {}",
                list(schema.hints.top.iter().map(|c| format!("<{prefix}{c}>")))
            ),
        ),
        ValidationErrorKind::UnexpectedElement(_) => {
            let parent = node.parent_element().unwrap_or(root);
            let pq = written_name(parent, text);
            let pprefix = pq
                .rsplit_once(':')
                .map(|(p, _)| format!("{p}:"))
                .unwrap_or_default();
            let allowed = schema
                .hints
                .element(parent.tag_name().name())
                .map(|h| &h.children);
            let mut help = match allowed {
                Some(c) if !c.is_empty() => format!(
                    "expected {} here",
                    list(c.iter().map(|c| format!("<{pprefix}{c}>")))
                ),
                _ => format!("<{pq}> has no child elements"),
            };
            if allowed.is_some_and(|c| c.iter().any(|c| c == local))
                && node.tag_name().namespace() != parent.tag_name().namespace()
            {
                help.push_str(&format!("; <{qname}> is in another namespace: child elements need the passthrough namespace too"));
            }
            if allowed.is_some_and(|c| c.iter().any(|c| c == local))
                && node.tag_name().namespace() == parent.tag_name().namespace()
            {
                let d = Diagnostic::error(
                    "xml-schema",
                    format!("{el} is not allowed at this point inside <{pq}>"),
                )
                .with_help(format!(
                    "<{pq}> allows {el}, but not again or not in this position"
                ));
                return ctx.at(d, span.0, span.1);
            }
            (format!("{el} is not allowed inside <{pq}>"), help)
        }
        ValidationErrorKind::UnexpectedText => (
            format!("text is not allowed inside {el}"),
            match hint.map(|h| &h.children) {
                Some(c) if !c.is_empty() => format!(
                    "{el} holds only elements: {}",
                    list(c.iter().map(|c| format!("<{prefix}{c}>")))
                ),
                _ => format!("{el} must be empty"),
            },
        ),
    };
    ctx.at(
        Diagnostic::error("xml-schema", message).with_help(help),
        span.0,
        span.1,
    )
}

/// Whether a required attribute (per the schema's hints) is absent.
pub fn lacks_required_attribute(node: Node, schema: &NamespaceSchema) -> bool {
    schema
        .hints
        .element(node.tag_name().name())
        .is_some_and(|h| {
            h.attrs
                .iter()
                .any(|a| a.required && !node.attributes().any(|x| x.name() == a.name))
        })
}

fn missing(node: Node, el: &str, hint: Option<&ElementHint>, prefix: &str) -> (String, String) {
    let Some(hint) = hint else {
        return (
            format!("{el} is incomplete"),
            "see the schema for its required content".into(),
        );
    };
    let absent: Vec<&AttrHint> = hint
        .attrs
        .iter()
        .filter(|a| a.required && !node.attributes().any(|x| x.name() == a.name))
        .collect();
    if absent.is_empty() {
        let kids = list(hint.children.iter().map(|c| format!("<{prefix}{c}>")));
        return (
            format!("{el} is missing required content"),
            format!("expected {kids}"),
        );
    }
    let names = list(absent.iter().map(|a| format!("`{}`", a.name)));
    let s = if absent.len() > 1 { "s" } else { "" };
    let expected: Vec<String> = absent.iter().map(|a| describe(a)).collect();
    (
        format!("{el} needs the attribute{s} {names}"),
        format!("expected {}", expected.join("; ")),
    )
}

fn describe(a: &AttrHint) -> String {
    if !a.values.is_empty() {
        format!(
            "`{}` with one of {}",
            a.name,
            list(a.values.iter().map(|v| format!("`{v}`")))
        )
    } else if let Some(rule) = &a.rule {
        format!("`{}`: {rule}", a.name)
    } else {
        format!("`{}='…'`", a.name)
    }
}

fn invalid_value(
    local: &str,
    attr: &str,
    value: &str,
    hint: Option<&AttrHint>,
    el: &str,
) -> (String, String) {
    let value = if value.is_empty() {
        "''".to_string()
    } else {
        format!("`{value}`")
    };
    match hint {
        Some(h) if h.rule.is_some() => (
            format!(
                "{value} is not a valid {local} {attr}: {}",
                h.rule.as_deref().unwrap_or("")
            ),
            format!("change the `{attr}` of {el}"),
        ),
        Some(h) if !h.values.is_empty() => (
            format!("{value} is not a valid {local} {attr}"),
            format!(
                "expected one of {}",
                list(h.values.iter().map(|v| format!("`{v}`")))
            ),
        ),
        _ => (
            format!("{value} is not a valid value for the attribute `{attr}` of {el}"),
            "see the schema for the allowed values".into(),
        ),
    }
}

/// "a", "a or b", "a, b or c".
fn list(items: impl Iterator<Item = String>) -> String {
    let v: Vec<String> = items.collect();
    match v.split_last() {
        None => "nothing".into(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}
