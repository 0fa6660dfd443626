//! Cross-references across pages: Sphinx's `pending_xref` nodes (made by
//! the `:ref:`, `:doc:`, `:term:`, `:option:`, `:envvar:`... roles) turned
//! into links, with the same targets, texts and classes as Sphinx's HTML.
//!
//! The index of targets ([`Targets`]) is built once per build from every
//! page's facts. Resolving a page's references reads only the index, so
//! the preview re-resolves (and re-renders) exactly the pages whose
//! resolved references changed.

use std::collections::BTreeMap;

use crate::ast::{Attr, Element, Node, Tag};
use crate::diag::Diagnostic;
use crate::source::SourceFile;

use super::facts::DocFacts;
use super::tree::{at_line, docname_join};

/// Where a target lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub docname: String,
    /// Id in the page; empty for the page itself.
    pub anchor: String,
}

/// A label and what `:ref:` shows for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelTarget {
    pub place: Place,
    pub title: Option<String>,
}

/// Every target of the project.
#[derive(Debug, Clone, Default)]
pub struct Targets {
    /// Page titles by docname (`None`: a page without a title).
    pub docs: BTreeMap<String, Option<String>>,
    pub labels: BTreeMap<String, LabelTarget>,
    pub citations: BTreeMap<String, Place>,
    /// Objects by `(domain, object type)` then name: glossary terms
    /// (`std`, `term`, lower-cased), options (`std`, `cmdoption`,
    /// `program option`), environment variables, C and Python objects.
    pub objects: BTreeMap<(String, String), BTreeMap<String, Place>>,
    /// Figure, table and code-block numbers for `:numref:`.
    pub numbers: super::numbers::FigNumbers,
    pub diags: Vec<Diagnostic>,
}

/// One page as the index builder sees it.
pub struct TargetInput<'a> {
    pub docname: &'a str,
    pub facts: &'a DocFacts,
    pub source: &'a SourceFile,
}

impl Targets {
    /// Collects the targets of every page, in docname order; a label
    /// defined twice keeps its first definition and warns at the second,
    /// as Sphinx does.
    pub fn build(pages: &[TargetInput]) -> Targets {
        let mut t = Targets::default();
        for page in pages {
            t.docs
                .insert(page.docname.to_string(), page.facts.title_text());
        }
        for page in pages {
            for label in &page.facts.labels {
                let place = Place {
                    docname: page.docname.to_string(),
                    anchor: label.anchor.clone(),
                };
                if let Some(first) = t.labels.get(&label.name) {
                    let d = Diagnostic::warning(
                        "ref-duplicate-label",
                        format!(
                            "duplicate label {}, other instance in {}",
                            label.name, first.place.docname
                        ),
                    );
                    t.diags.push(at_line(d, page.source, label.line));
                    continue;
                }
                t.labels.insert(
                    label.name.clone(),
                    LabelTarget {
                        place,
                        title: label.title.clone(),
                    },
                );
            }
            for (name, id) in &page.facts.citations {
                t.citations.entry(name.clone()).or_insert(Place {
                    docname: page.docname.to_string(),
                    anchor: id.clone(),
                });
            }
            for obj in &page.facts.objects {
                t.objects
                    .entry((obj.domain.clone(), obj.objtype.clone()))
                    .or_default()
                    .entry(obj.name.clone())
                    .or_insert(Place {
                        docname: page.docname.to_string(),
                        anchor: obj.anchor.clone(),
                    });
            }
        }
        t
    }

    pub(super) fn object(&self, domain: &str, objtype: &str, name: &str) -> Option<&Place> {
        self.objects
            .get(&(domain.to_string(), objtype.to_string()))?
            .get(name)
    }
}

/// What a reference resolved to, kept per page: the preview compares a
/// page's resolutions before and after an edit to know whether it must be
/// rendered again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// A link to `place` showing `text` (`None`: keep the role's text),
    /// with the `title` attribute Sphinx gives links to C and Python
    /// objects (its `reftitle`: the object's name).
    Link {
        place: Place,
        text: Option<String>,
        title: Option<String>,
    },
    /// What `:any:` found: `role` is the role that would have found it
    /// (`doc`, `std:ref`, `std:envvar`, `c:func`...); Sphinx adds it to the
    /// link's classes.
    AnyLink {
        place: Place,
        text: Option<String>,
        role: String,
        title: Option<String>,
    },
    /// Not found: the role's text stays, unlinked.
    Missing,
}

/// Resolves every `pending_xref` of a page's tree, in document order,
/// without changing the tree; with the warnings for those not found.
pub fn resolutions(
    doc: &Element,
    docname: &str,
    targets: &Targets,
    source: &SourceFile,
) -> (Vec<Resolution>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let mut diags = Vec::new();
    doc.walk(&mut |e| {
        if e.tag != Tag::PendingXref {
            return;
        }
        let (resolution, diag) = resolve_one(e, docname, targets);
        if let Some(d) = diag {
            let line = e
                .get(Attr::InternalLine)
                .and_then(|l| l.parse().ok())
                .unwrap_or_else(|| source.line_of(e.span.start as usize));
            diags.push(at_line(d, source, line));
        }
        out.push(resolution);
    });
    (out, diags)
}

/// How links between pages are written in a resolved tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PageUris {
    /// `other.html#anchor`, as the HTML builder writes them.
    #[default]
    Html,
    /// `other#anchor`: the docnames themselves, as sphinx-build's
    /// pseudoxml and xml builders write them (`kbgen dump`).
    Docnames,
}

/// Each `pending_xref` of page `docname` replaced by what `resolved`
/// says, links between pages written as `uris` says.
pub fn apply_resolutions_as(
    doc: &mut Element,
    docname: &str,
    resolved: &[Resolution],
    uris: PageUris,
) {
    replace_xrefs(doc, &mut resolver(docname, resolved, uris));
}

/// What each `pending_xref` of page `docname` becomes, in document order.
pub fn resolver<'a>(
    docname: &'a str,
    resolved: &'a [Resolution],
    uris: PageUris,
) -> impl FnMut(&Element) -> Node + 'a {
    let mut next = resolved.iter();
    move |xref| {
        let r = next.next().unwrap_or(&Resolution::Missing);
        build_node(xref, docname, r, uris)
    }
}

fn replace_xrefs(e: &mut Element, f: &mut impl FnMut(&Element) -> Node) {
    for child in e.children.iter_mut() {
        if let Node::Element(c) = child {
            if c.tag == Tag::PendingXref {
                *child = f(c);
            } else {
                replace_xrefs(c, f);
            }
        }
    }
}

/// The inner node of a `pending_xref` (its `literal` or `inline`).
fn content_of(xref: &Element) -> Option<&Element> {
    xref.elements().next()
}

fn resolve_one(xref: &Element, docname: &str, t: &Targets) -> (Resolution, Option<Diagnostic>) {
    let domain = xref.get(Attr::Refdomain).unwrap_or("");
    let reftype = xref.get(Attr::Reftype).unwrap_or("");
    let target = xref.get(Attr::Reftarget).unwrap_or("");
    let explicit = matches!(xref.get(Attr::Refexplicit), Some("True" | "1"));
    let warn = |code: &'static str, text: String| Some(Diagnostic::warning(code, text));
    let link = |place: &Place, text: Option<String>| Resolution::Link {
        place: place.clone(),
        text,
        title: None,
    };
    match (domain, reftype) {
        ("", "any") => super::any_ref::resolve_any(xref, docname, t),
        ("std", "numref") => super::numbers::resolve_numref(xref, t),
        ("std", "ref") => {
            let key = crate::ast::ids::fully_normalize_name(target);
            match t.labels.get(&key) {
                Some(l) if explicit => (link(&l.place, None), None),
                Some(l) => match &l.title {
                    Some(title) => (link(&l.place, Some(title.clone())), None),
                    None => (
                        Resolution::Missing,
                        warn(
                            "ref-no-title",
                            format!(
                                "Failed to create a cross reference. A title or caption not found: '{target}'"
                            ),
                        ),
                    ),
                },
                None => match t.citations.get(&key) {
                    Some(place) => (link(place, None), None),
                    None => (
                        Resolution::Missing,
                        undefined(t, "label", target, t.labels.keys()),
                    ),
                },
            }
        }
        ("std", "doc") => {
            let name = docname_join(docname, target);
            match t.docs.get(&name) {
                Some(title) => {
                    let place = Place {
                        docname: name,
                        anchor: String::new(),
                    };
                    let text = if explicit { None } else { title.clone() };
                    let title = None;
                    (Resolution::Link { place, text, title }, None)
                }
                None => (
                    Resolution::Missing,
                    undefined(t, "document", &name, t.docs.keys()),
                ),
            }
        }
        ("std", "term") => match t.object("std", "term", &target.to_lowercase()) {
            Some(p) => (link(p, None), None),
            None => (
                Resolution::Missing,
                warn("ref-term", format!("term not in glossary: '{target}'")),
            ),
        },
        ("std", "option") => match find_option(t, option_program(xref), target) {
            Some(p) => (link(p, None), None),
            None => (
                Resolution::Missing,
                warn("ref-option", format!("unknown option: '{target}'")),
            ),
        },
        ("citation", _) => {
            let key = crate::ast::ids::fully_normalize_name(target);
            match t.citations.get(&key) {
                Some(place) => (link(place, None), None),
                None => (
                    Resolution::Missing,
                    warn("ref-citation", format!("citation not found: {target}")),
                ),
            }
        }
        ("std", "envvar") => match t.object("std", "envvar", target) {
            Some(p) => (link(p, None), None),
            None => (Resolution::Missing, None),
        },
        ("c" | "py", _) => super::domains::resolve(xref, t),
        (domain, objtype) => {
            let found = t
                .objects
                .iter()
                .filter(|((d, _), _)| d == domain)
                .filter(|((_, ty), _)| role_matches(objtype, ty))
                .find_map(|(_, names)| names.get(target));
            match found {
                Some(p) => (link(p, None), None),
                None => (Resolution::Missing, None),
            }
        }
    }
}

/// The program a `:option:` role is under (`.. program::` before it);
/// empty for none (the dump writes Python's `None` as `True`, as docutils does).
pub(super) fn option_program(xref: &Element) -> &str {
    match xref.get_named("std:program") {
        None | Some("True") => "",
        Some(p) => p,
    }
}

/// `program option` as Sphinx keys options (`option` alone without a program).
fn option_key(program: &str, option: &str) -> String {
    if program.is_empty() {
        option.to_string()
    } else {
        format!("{program} {option}")
    }
}

/// The option a `:option:` target names, tried as Sphinx's standard domain
/// tries it: the target under the current program; then its stem before
/// `=`, `[=` or a space (`--cache=none` finds `--cache`); then leading
/// words as the program (`prog sub -o` finds option `-o` of `prog-sub`).
pub(super) fn find_option<'a>(t: &'a Targets, program: &str, target: &str) -> Option<&'a Place> {
    let target = target.trim();
    let get = |prog: &str, opt: &str| t.object("std", "cmdoption", &option_key(prog, opt));
    if let Some(p) = get(program, target) {
        return Some(p);
    }
    for needle in ["=", "[=", " "] {
        if let Some((stem, _)) = target.split_once(needle)
            && let Some(p) = get(program, stem)
        {
            return Some(p);
        }
    }
    let mut commands: Vec<&str> = Vec::new();
    let mut rest = target;
    while let Some((sub, more)) = rest.split_once(char::is_whitespace) {
        commands.push(sub);
        rest = more.trim_start();
        if let Some(p) = get(&commands.join("-"), rest) {
            return Some(p);
        }
    }
    None
}

/// Whether a role (`func`) may name an object of a type (`function`).
pub(super) fn role_matches(role: &str, objtype: &str) -> bool {
    role == objtype
        || matches!(
            (role, objtype),
            ("func", "function")
                | ("func", "method")
                | ("meth", "method")
                | ("class", "class")
                | ("exc", "exception")
                | ("attr", "attribute")
                | ("data", "data")
                | ("mod", "module")
                | ("obj", _)
                | ("type", "struct")
                | ("type", "union")
                | ("type", "enum")
                | ("type", "type")
                | ("struct", "struct")
                | ("enum", "enum")
                | ("enumerator", "enumerator")
                | ("member", "member")
                | ("var", "var")
                | ("macro", "macro")
                | ("union", "union")
        )
}

fn undefined<'a>(
    _t: &Targets,
    what: &str,
    target: &str,
    known: impl Iterator<Item = &'a String>,
) -> Option<Diagnostic> {
    let code = if what == "label" {
        "ref-undefined-label"
    } else {
        "ref-unknown-document"
    };
    let text = match what {
        "label" => format!("undefined label: '{target}'"),
        _ => format!("unknown document: '{target}'"),
    };
    let mut d = Diagnostic::warning(code, text);
    if let Some(near) = crate::suggest::closest_in(target, known.map(String::as_str)) {
        d = d.with_help(format!("did you mean '{near}'?"));
    }
    Some(d)
}

/// The node that replaces a `pending_xref`: Sphinx's `reference` (with
/// `refid` on the same page, `refuri` to another) around the role's
/// content, or the content alone when unresolved.
fn build_node(xref: &Element, docname: &str, resolution: &Resolution, uris: PageUris) -> Node {
    let mut node = build_element(xref, docname, resolution, uris);
    // docutils' `replace_self` gives the new node the old one's ids,
    // classes and names (a citation reference keeps its id).
    for (from, to) in [
        (&xref.ids, &mut node.ids),
        (&xref.classes, &mut node.classes),
        (&xref.names, &mut node.names),
    ] {
        for v in from.iter() {
            if !to.contains(v) {
                to.push(v.clone());
            }
        }
    }
    node.into()
}

fn build_element(
    xref: &Element,
    docname: &str,
    resolution: &Resolution,
    uris: PageUris,
) -> Element {
    let span = xref.span;
    let mut inner = content_of(xref)
        .cloned()
        .unwrap_or_else(|| Element::new(Tag::Inline, span));
    let reftype = xref.get(Attr::Reftype).unwrap_or("");
    let (place, text, title) = match resolution {
        Resolution::Link { place, text, title } => (place, text, title),
        Resolution::AnyLink {
            place,
            text,
            role,
            title,
        } => {
            let inner = super::any_ref::any_content(inner, text.as_deref(), role);
            return reference_to(place, docname, inner, title.as_deref(), span, uris);
        }
        Resolution::Missing => return inner,
    };
    if matches!(reftype, "ref" | "doc") {
        // Sphinx drops `xref` from the classes of a resolved `:ref:`/`:doc:`.
        inner.classes.retain(|c| c != "xref");
        if reftype == "doc" {
            inner.classes = crate::ast::thin_vec!["doc".to_string()];
        }
    }
    if reftype == "numref" {
        // Sphinx's `number_reference` holds a plain `inline`.
        inner = Element::new(Tag::Inline, span);
        inner.classes = crate::ast::thin_vec!["std".to_string(), "std-numref".to_string()];
    }
    if let Some(text) = text {
        inner.children = vec![Node::text(text.clone(), span)];
    }
    reference_to(place, docname, inner, title.as_deref(), span, uris)
}

/// Sphinx's resolved `reference` around `inner`: `refid` on the same
/// page, `refuri` to another.
fn reference_to(
    place: &Place,
    docname: &str,
    inner: Element,
    title: Option<&str>,
    span: crate::ast::Span,
    uris: PageUris,
) -> Element {
    let mut r = Element::new(Tag::Reference, span);
    r.set(Attr::Internal, "1");
    if let Some(title) = title {
        r.set(Attr::Reftitle, title);
    }
    if place.docname == docname && !place.anchor.is_empty() {
        r.set(Attr::Refid, place.anchor.clone());
    } else {
        r.set(Attr::Refuri, page_uri(docname, place, uris));
    }
    r.push(inner);
    r
}

/// The href from page `from` to a place: `../other.html#anchor`, `#`
/// for the page itself.
pub fn page_href(from: &str, place: &Place) -> String {
    page_uri(from, place, PageUris::Html)
}

/// The link from page `from` to a place as `uris` writes it. The page
/// itself is `#` in HTML (the HTML writer's `refuri or '#'`) and empty in
/// the tree Sphinx's pseudoxml builder prints.
pub fn page_uri(from: &str, place: &Place, uris: PageUris) -> String {
    let mut href = if place.docname == from {
        String::new()
    } else {
        relative_doc_uri(from, &place.docname, uris)
    };
    if !place.anchor.is_empty() {
        href.push('#');
        href.push_str(&place.anchor);
    } else if href.is_empty() && uris == PageUris::Html {
        href.push('#');
    }
    href
}

/// `b.html` from `guide/a` to `guide/b`, `../api.html` from `guide/a` to
/// `api`: the shortest relative path, as Sphinx writes it.
pub fn relative_doc_href(from: &str, to: &str) -> String {
    relative_doc_uri(from, to, PageUris::Html)
}

/// [`relative_doc_href`], with or without `.html` as `uris` says.
pub fn relative_doc_uri(from: &str, to: &str, uris: PageUris) -> String {
    let from_dirs: Vec<&str> = from.split('/').collect();
    let from_dirs = &from_dirs[..from_dirs.len() - 1];
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dirs
        .iter()
        .zip(&to_parts[..to_parts.len() - 1])
        .take_while(|(a, b)| a == b)
        .count();
    let mut rel = "../".repeat(from_dirs.len() - common);
    rel.push_str(&to_parts[common..].join("/"));
    match uris {
        PageUris::Html => {
            rel.push_str(".html");
            crate::passes::links::path_url(&rel)
        }
        // Sphinx's pseudoxml keeps docnames as they are.
        PageUris::Docnames => rel,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hrefs_are_relative_as_sphinx_writes_them() {
        assert_eq!(relative_doc_href("guide/a", "guide/b"), "b.html");
        assert_eq!(relative_doc_href("guide/a", "api"), "../api.html");
        assert_eq!(relative_doc_href("index", "guide/a"), "guide/a.html");
        assert_eq!(relative_doc_href("a/b/c", "a/d/e"), "../d/e.html");
        let here = Place {
            docname: "x".into(),
            anchor: String::new(),
        };
        assert_eq!(page_href("x", &here), "#");
    }

    #[test]
    fn pseudoxml_uris_are_relative_docnames() {
        let uri = |from: &str, to: &str, anchor: &str| {
            let place = Place {
                docname: to.into(),
                anchor: anchor.into(),
            };
            page_uri(from, &place, PageUris::Docnames)
        };
        assert_eq!(uri("about/index", "about/deprecated", "x"), "deprecated#x");
        assert_eq!(uri("index", "about/index", ""), "about/index");
        assert_eq!(
            uri("system/devices/net", "system/invocation", "a"),
            "../invocation#a"
        );
        // The page itself: empty in the tree (the HTML writer shows `#`).
        assert_eq!(uri("x", "x", ""), "");
        assert_eq!(uri("x", "x", "a"), "#a");
        // Docnames are not percent-encoded in Sphinx's tree.
        assert_eq!(uri("a", "b c", ""), "b c");
        assert_eq!(relative_doc_href("a", "b c"), "b%20c.html");
    }

    #[test]
    fn option_keys_take_the_program_from_the_role_or_the_context() {
        assert_eq!(option_key("gcc", "-x"), "gcc -x");
        assert_eq!(option_key("", "-x"), "-x");
        let mut t = Targets::default();
        let place = |a: &str| Place {
            docname: "d".into(),
            anchor: a.into(),
        };
        let opts = t
            .objects
            .entry(("std".into(), "cmdoption".into()))
            .or_default();
        opts.insert("qemu-nbd --cache".into(), place("cache"));
        opts.insert("prog -o".into(), place("o"));
        opts.insert("my-prog -y".into(), place("y"));
        let found =
            |prog: &str, target: &str| find_option(&t, prog, target).map(|p| p.anchor.clone());
        assert_eq!(found("qemu-nbd", "--cache=none"), Some("cache".into()));
        assert_eq!(found("qemu-nbd", "--cache[=x]"), Some("cache".into()));
        assert_eq!(found("", "prog -o"), Some("o".into()));
        assert_eq!(found("", "my prog -y"), Some("y".into()));
        assert_eq!(found("", "-o"), None);
    }
}
