//! Checks one prepared example: well-formedness, namespace declarations,
//! and RELAX NG validation of every passthrough subtree. Offsets found in
//! the prepared text go through the caller's map to page offsets.

use relax_ng::ValidationErrorKind;
use roxmltree::{Document, Node, ParsingOptions};

use super::messages;
use super::schemas::SchemaSet;
use crate::diag::{Diagnostic, Severity};
use crate::source::SourceFile;

/// Upper bound on nodes per example: a block the size of the largest page
/// stays well below it, and hostile input stops here instead of eating memory.
pub const NODES_LIMIT: u32 = 1_000_000;

pub struct Ctx<'a> {
    pub source: &'a SourceFile,
    /// Prepared-text offset → page offset.
    pub map: &'a dyn Fn(usize) -> usize,
    pub schemas: &'a SchemaSet,
    /// Severity of a malformed example without passthrough content; `None` ignores it.
    pub malformed: Option<Severity>,
}

#[derive(Debug, Default)]
pub struct Outcome {
    pub diags: Vec<Diagnostic>,
    /// Badge label when at least one passthrough subtree was validated and all passed.
    pub label: Option<String>,
    pub well_formed: bool,
    /// Passthrough subtrees validated, and how many of them passed.
    pub subtrees: usize,
    pub valid_subtrees: usize,
    /// Each validated subtree's root element (local name) and verdict, in document order.
    pub results: Vec<(String, bool)>,
}

impl Ctx<'_> {
    pub fn at(&self, d: Diagnostic, start: usize, end: usize) -> Diagnostic {
        d.at(self.source, (self.map)(start), (self.map)(end))
    }
}

/// Most attributes an element of an example may have.
pub const MAX_ATTRIBUTES: usize = 1_000;

/// Offset of the first start tag with more than [`MAX_ATTRIBUTES`]
/// attributes (counted as `=` outside quotes), in one linear pass that
/// skips comments and CDATA sections.
fn crowded_start_tag(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = 0;
    while let Some(lt) = b[i..].iter().position(|&c| c == b'<').map(|p| i + p) {
        let rest = &text[lt..];
        let skip_to = |end: &str| rest.find(end).map_or(b.len(), |e| lt + e + end.len());
        if rest.starts_with("<!--") {
            i = skip_to("-->");
            continue;
        }
        if rest.starts_with("<![CDATA[") {
            i = skip_to("]]>");
            continue;
        }
        let (mut count, mut quote, mut j) = (0usize, None, lt + 1);
        while j < b.len() {
            match (quote, b[j]) {
                (None, b'>') => break,
                (None, q @ (b'"' | b'\'')) => quote = Some(q),
                (Some(q), c) if c == q => quote = None,
                (None, b'=') => {
                    count += 1;
                    if count > MAX_ATTRIBUTES {
                        return Some(lt);
                    }
                }
                _ => {}
            }
            j += 1;
        }
        i = j.max(lt + 1);
        if i >= b.len() {
            break;
        }
    }
    None
}

/// Most diagnostics one element gets (the last one says the rest were
/// left out).
pub const MAX_ERRORS_PER_ELEMENT: usize = 21;

pub fn check(text: &str, ctx: &Ctx) -> Outcome {
    let mut out = Outcome::default();
    let passthrough = looks_passthrough(text, ctx.schemas);
    let malformed = if passthrough {
        Some(Severity::Error)
    } else {
        ctx.malformed
    };
    if let Some(pos) = text.find("<!ENTITY") {
        // roxmltree bounds entity nesting but not the total expansion of
        // wide entities; examples never need entities, so refuse them.
        if let Some(sev) = malformed {
            let d = Diagnostic::new(sev, "xml-entities", "entity declarations are not expanded in examples")
                .with_help("entities can expand without bound (\"billion laughs\"); write the text out, or opt the block out with `.. kbgen: no-validate`");
            out.diags.push(ctx.at(d, pos, pos + 8));
        }
        return out;
    }
    if let Some(pos) = crowded_start_tag(text) {
        // roxmltree checks each attribute against all earlier ones of its
        // element: 80,000 attributes took 17 s. No example needs this many.
        if let Some(sev) = malformed {
            let d = Diagnostic::new(
                sev,
                "xml-malformed",
                format!(
                    "an element has more than {MAX_ATTRIBUTES} attributes; the example is not parsed"
                ),
            );
            out.diags.push(ctx.at(d, pos, pos + 1));
        }
        return out;
    }
    let opts = ParsingOptions {
        allow_dtd: true,
        nodes_limit: NODES_LIMIT,
        ..ParsingOptions::default()
    };
    let doc = match Document::parse_with_options(text, opts) {
        Ok(doc) => doc,
        Err(e) => {
            if let Some(d) = messages::parse_error(&e, text, ctx.schemas, malformed) {
                let off = messages::pos_offset(text, e.pos());
                out.diags.push(ctx.at(d, off, off + 1));
            }
            return out;
        }
    };
    out.well_formed = true;
    check_namespaces(&doc, text, ctx, &mut out);
    let mut labels: Vec<&str> = Vec::new();
    for node in doc.descendants().filter(Node::is_element) {
        let tag = node.tag_name();
        let Some(ns) = tag.namespace() else {
            if tag.name() == "commandline" {
                out.diags.push(messages::no_namespace(node, text, ctx));
            }
            continue;
        };
        let Some(schema) = ctx.schemas.get(ns) else {
            continue;
        };
        if node
            .parent_element()
            .is_some_and(|p| p.tag_name().namespace() == Some(ns))
        {
            continue;
        }
        out.subtrees += 1;
        let errors = match schema
            .for_root(tag.name())
            .validate(&schema.registry, &super::tree::XNode(node))
        {
            Ok(errors) => errors,
            Err(e) => {
                let d = Diagnostic::error(
                    "xml-schema-load",
                    format!("the schema for `{ns}` cannot be used: {e}"),
                );
                out.diags
                    .push(ctx.at(d, node.range().start, node.range().start + 1));
                continue;
            }
        };
        out.results
            .push((tag.name().to_string(), errors.is_empty()));
        if errors.is_empty() {
            out.valid_subtrees += 1;
            if !labels.contains(&schema.label.as_str()) {
                labels.push(&schema.label);
            }
        }
        // A bad attribute value also leaves the element "incomplete"; say
        // it once, at the attribute, unless a required attribute is absent too.
        let attr_errors: std::collections::HashSet<_> = errors
            .iter()
            .filter(|e| attribute_of(e.kind()).is_some())
            .filter_map(|e| e.location().copied())
            .collect();
        // Errors per element are capped: 80,000 unknown attributes on one
        // element were 80,000 diagnostics.
        let mut per_element: std::collections::HashMap<_, usize> = Default::default();
        for err in errors {
            let target = err
                .location()
                .and_then(|id| doc.get_node(*id))
                .unwrap_or(node);
            if *err.kind() == ValidationErrorKind::MissingContent
                && attr_errors.contains(&target.id())
                && !messages::lacks_required_attribute(target, schema)
            {
                continue;
            }
            let count = per_element.entry(target.id()).or_insert(0);
            *count += 1;
            if *count > MAX_ERRORS_PER_ELEMENT {
                continue;
            }
            if *count == MAX_ERRORS_PER_ELEMENT {
                let d = Diagnostic::error(
                    "xml-schema",
                    format!(
                        "<{}> has more schema errors; only the first {} are shown",
                        written_name(target, text),
                        MAX_ERRORS_PER_ELEMENT - 1
                    ),
                );
                let start = target.range().start;
                out.diags.push(ctx.at(d, start, start + 1));
                continue;
            }
            out.diags.push(messages::schema_error(
                err.kind(),
                target,
                node,
                schema,
                text,
                ctx,
            ));
        }
    }
    if out.subtrees > 0 && out.valid_subtrees == out.subtrees {
        out.label = Some(labels.join(", "));
    }
    out
}

/// Reports namespace URIs that nearly match a passthrough namespace: their
/// elements would silently escape validation (and libvirt would reject them).
fn check_namespaces(doc: &Document, text: &str, ctx: &Ctx, out: &mut Outcome) {
    let mut seen: Vec<&str> = Vec::new();
    for node in doc.descendants().filter(Node::is_element) {
        for ns in node.namespaces() {
            let uri = ns.uri();
            if seen.contains(&uri) {
                continue;
            }
            seen.push(uri);
            if ctx.schemas.get(uri).is_some() {
                continue;
            }
            if let Some(known) = near_miss(uri, ctx.schemas) {
                let start = text.find(uri).unwrap_or(node.range().start);
                let d = Diagnostic::error(
                    "xml-namespace",
                    format!("`{uri}` is not a passthrough namespace, so its elements are not validated and libvirt ignores them"),
                )
                .with_help(format!("did you mean `{known}`?"));
                out.diags.push(ctx.at(d, start, start + uri.len()));
            }
        }
    }
}

/// Whether text mentions passthrough content: a known namespace, one of
/// their prefixes, or a near-miss URI. Such examples are always checked
/// strictly, even when they do not parse.
pub fn looks_passthrough(text: &str, schemas: &SchemaSet) -> bool {
    // Runs on every XML example, twice. The domain namespace is looked for
    // once, not once per schema; see [`contains`] for the rest.
    !schemas.schemas.is_empty()
        && (text.contains("libvirt.org/schemas/domain/")
            || schemas.schemas.iter().any(|s| {
                contains(text, &s.namespace) || contains(text, &format!("<{}:", s.prefix))
            }))
}

/// `text.contains(needle)`, with a needle longer than 32 bytes (most
/// namespace URIs) first looked for by its first 32 bytes: the standard
/// library searches for needles up to that long with SIMD, and sets up a
/// slower general search for longer ones, which is rarely needed when the
/// start is already missing.
fn contains(text: &str, needle: &str) -> bool {
    let mut head = needle.len().min(32);
    while !needle.is_char_boundary(head) {
        head -= 1;
    }
    text.contains(&needle[..head]) && text.contains(needle)
}

/// A known namespace that `uri` is probably a typo or variant of: another
/// version, a trailing slash, https, different case, or a few edits away.
pub fn near_miss<'s>(uri: &str, schemas: &'s SchemaSet) -> Option<&'s str> {
    let norm = |u: &str| {
        let u = u.trim().to_ascii_lowercase();
        let u = u
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_start_matches("www.")
            .trim_end_matches('/')
            .to_string();
        // Drop a trailing version segment so `…/qemu/2.0` matches `…/qemu/1.0`.
        match u.rsplit_once('/') {
            Some((head, v)) if v.chars().all(|c| c.is_ascii_digit() || c == '.') => {
                head.to_string()
            }
            _ => u,
        }
    };
    let n = norm(uri);
    schemas
        .namespaces()
        .find(|known| norm(known) == n || crate::suggest::within_distance(uri, known, 3))
}

/// The qualified name as written in the start tag (`qemu:arg`).
pub fn written_name<'t>(node: Node, text: &'t str) -> &'t str {
    let start = node.range().start + 1;
    let rest = text.get(start..).unwrap_or("");
    let end = rest
        .find(|c: char| c.is_whitespace() || matches!(c, '>' | '/'))
        .unwrap_or(rest.len());
    &rest[..end]
}

/// Whether a validation problem is the kind that has a matching attribute.
pub fn attribute_of(kind: &ValidationErrorKind) -> Option<&relax_ng::ExpandedName> {
    match kind {
        ValidationErrorKind::UnexpectedAttribute(n)
        | ValidationErrorKind::InvalidAttributeValue(n, _) => Some(n),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crowded_start_tags_are_found_outside_comments_and_values() {
        let many = |n: usize| (0..n).map(|i| format!(" a{i}=\"v\"")).collect::<String>();
        assert_eq!(crowded_start_tag(&format!("<a{}/>", many(1_000))), None);
        let text = format!("<x/><!-- <a{} --><b{}/>", many(2_000), many(1_001));
        assert_eq!(crowded_start_tag(&text), text.find("<b"));
        let quoted = format!("<a v=\"{}\"/>", "=".repeat(5_000));
        assert_eq!(crowded_start_tag(&quoted), None);
    }

    #[test]
    fn long_needles_are_found_as_contains_finds_them() {
        let long = "http://example.org/schemas/é-thing/with/a/long/path/1.0";
        let near = "http://example.org/schemas/é-thing/with/a/long/path/2.0";
        for text in [
            format!("<a xmlns:x='{long}'/>"),
            format!("<a xmlns:x='{near}'/>"),
            long[..40].to_string(),
            String::new(),
        ] {
            for needle in [long, near, "<x:", "é"] {
                assert_eq!(
                    contains(&text, needle),
                    text.contains(needle),
                    "{text} {needle}"
                );
            }
        }
    }

    #[test]
    fn near_misses_are_recognised() {
        let s = SchemaSet::builtin();
        let qemu = "http://libvirt.org/schemas/domain/qemu/1.0";
        for typo in [
            "https://libvirt.org/schemas/domain/qemu/1.0",
            "http://libvirt.org/schemas/domain/qemu/1.0/",
            "http://libvirt.org/schemas/domain/qemu/2.0",
            "http://libvirt.org/schemas/domian/qemu/1.0",
            "http://libvirt.org/schemas/domain/qemu",
        ] {
            assert_eq!(near_miss(typo, &s), Some(qemu), "{typo}");
        }
        assert_eq!(near_miss("http://app1.org/app1/", &s), None);
        assert_eq!(
            near_miss("http://libvirt.org/schemas/network/dnsmasq/1.0", &s),
            None
        );
    }
}
