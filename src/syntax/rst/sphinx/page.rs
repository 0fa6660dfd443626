//! Page-level settings where Sphinx differs from docutils: `rst_prolog`
//! and `rst_epilog` put around the page's lines, `|version|`, `|release|`
//! and `|today|`, auto ids for captioned figures, tables and code, the
//! highlight language of literal blocks, and the docinfo field list taken
//! off the page as metadata.

use crate::ast::{Attr, Element, Node, SphinxAttr, SphinxTag, Tag};
use crate::config::SphinxSettings;

use super::super::block::Parser;
use super::super::lines::{Line, split_lines};
use super::{SphinxDoc, flag, set};

/// Line numbers of `rst_prolog` lines start here, of `rst_epilog` lines at
/// [`EPILOG_BASE`]: far past any page's lines, so a message's line tells
/// which text it came from; [`finish`] turns them back into
/// `<rst_prologue>:N` / `<rst_epilogue>:N` as Sphinx reports them.
pub const PROLOG_BASE: usize = 1 << 40;
pub const EPILOG_BASE: usize = 1 << 41;

/// Where a reported line number points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineOrigin {
    Page(usize),
    Prolog(usize),
    Epilog(usize),
}

impl LineOrigin {
    pub fn of(line: usize) -> LineOrigin {
        if line >= EPILOG_BASE {
            LineOrigin::Epilog(line - EPILOG_BASE)
        } else if line >= PROLOG_BASE {
            LineOrigin::Prolog(line - PROLOG_BASE)
        } else {
            LineOrigin::Page(line)
        }
    }
}

/// Lines of `text` numbered from `base + 1`, all at byte `at` of the page.
fn foreign_lines(text: &str, base: usize, at: usize) -> Vec<Line> {
    let mut lines = split_lines(text);
    for l in &mut lines {
        l.lineno += base;
        l.start = at;
        l.end = at;
    }
    lines
}

fn blank_line(at: usize, lineno: usize) -> Line {
    let mut l = split_lines(" ");
    let mut line = l.pop().unwrap_or_else(unreachable_line);
    line.text.clear();
    line.start = at;
    line.end = at;
    line.lineno = lineno;
    line
}

fn unreachable_line() -> Line {
    // `split_lines(" ")` always yields one line; this keeps the code panic-free.
    split_lines("x")
        .pop()
        .map_or_else(unreachable_line, |mut l| {
            l.text.clear();
            l
        })
}

/// Whether a line is a docinfo field (Sphinx's `docinfo_re`, `:\w+:.*?`).
fn is_field_line(text: &str) -> bool {
    let Some(rest) = text.strip_prefix(':') else {
        return false;
    };
    let name_len = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    name_len > 0 && rest[name_len..].starts_with(':')
}

/// Sphinx's `prepend_prolog` and `append_epilog` on the page's lines.
pub fn add_prolog_epilog(lines: &mut Vec<Line>, settings: &SphinxSettings, text_len: usize) {
    if !settings.rst_prolog.is_empty() {
        let pos = lines.iter().take_while(|l| is_field_line(&l.text)).count();
        let at = lines.get(pos).map_or(text_len, |l| l.start);
        let mut insert = Vec::new();
        if pos > 0 {
            insert.push(blank_line(at, lines[pos - 1].lineno));
        }
        insert.extend(foreign_lines(&settings.rst_prolog, PROLOG_BASE, at));
        insert.push(blank_line(at, lines.get(pos).map_or(0, |l| l.lineno)));
        lines.splice(pos..pos, insert);
    }
    if !settings.rst_epilog.is_empty() {
        let last = lines.last().map_or(0, |l| l.lineno);
        lines.push(blank_line(text_len, last + 1));
        lines.extend(foreign_lines(&settings.rst_epilog, EPILOG_BASE, text_len));
    }
}

/// The Sphinx state of a page about to be parsed.
pub fn begin(p: &mut Parser, docname: String) {
    let Some(settings) = p.opts.sphinx.clone() else {
        return;
    };
    if let Some(role) = &settings.default_role {
        p.doc.default_role = Some(role.to_lowercase());
    }
    p.doc.auto_id_prefix = Some("id");
    p.doc.sphinx = Some(Box::new(SphinxDoc::new(settings, docname)));
}

/// After parsing, before docutils' transforms: what Sphinx's own reading
/// transforms do.
pub fn finish_parse(p: &mut Parser, doc: &mut Element) {
    let Some(sx) = p.doc.sphinx.as_deref() else {
        return;
    };
    let settings = sx.settings.clone();
    let docname = sx.docname.clone();
    // One walk replaces and moves nodes and sets attributes and ids;
    // citations, which need every reference of the page, are labelled
    // after it.
    let substitutions = DefaultSubstitutions::new(p, &settings);
    let mut walk = PageWalk {
        doc: &mut p.doc,
        docname: &docname,
        substitutions: &substitutions,
        citation_refs: Vec::new(),
        citations: false,
        highlight: HighlightSetting {
            language: settings.highlight_language.clone(),
            force: false,
            threshold: usize::MAX,
        },
    };
    walk.children(doc, true);
    if walk.citations {
        label_citations(doc, &walk.citation_refs);
    }
    doc.set(
        Attr::Sphinx(SphinxAttr::TranslationProgress),
        "{'total': 0, 'translated': 0}",
    );
}

/// After docutils' transforms: the docinfo becomes page metadata (a
/// [`SphinxTag::Metadata`] node neither dumped nor rendered). Messages
/// from the prolog or epilog are renamed by [`message_origin`], which the
/// page's last walk calls on every element.
pub fn finish(doc: &mut Element) {
    if let Some(i) = doc
        .children
        .iter()
        .position(|c| c.as_element().is_some_and(|e| e.tag == Tag::Docinfo))
        && let Node::Element(e) = &mut doc.children[i]
    {
        e.tag = Tag::Sphinx(SphinxTag::Metadata);
    }
}

/// A message from the prolog or epilog names that text as its source and
/// gives its line there; any other element is left alone. The test is
/// inlined: the page's last walk calls this on every element, and most
/// are no message.
#[inline]
pub fn message_origin(e: &mut Element) {
    if e.tag == Tag::SystemMessage {
        rename_message_origin(e);
    }
}

fn rename_message_origin(e: &mut Element) {
    let Some(line) = e.get(Attr::Line).and_then(|l| l.parse::<usize>().ok()) else {
        return;
    };
    match LineOrigin::of(line) {
        LineOrigin::Page(_) => {}
        LineOrigin::Prolog(n) => {
            e.set(Attr::Line, n.to_string());
            e.set(Attr::Source, "<rst_prologue>");
        }
        LineOrigin::Epilog(n) => {
            e.set(Attr::Line, n.to_string());
            e.set(Attr::Source, "<rst_epilogue>");
        }
    }
}

/// Sphinx's `DefaultSubstitutions`: `|version|`, `|release|` and `|today|`
/// without a definition on the page become the project's values. The
/// date behind `|today|` is formatted only when a page uses it (most
/// never do, and formatting it cost every page a `strftime`).
struct DefaultSubstitutions<'s> {
    settings: &'s SphinxSettings,
    /// Which of `version`, `release`, `today` the page leaves undefined.
    undefined: [bool; 3],
    today: std::cell::OnceCell<String>,
}

impl<'s> DefaultSubstitutions<'s> {
    const NAMES: [&'static str; 3] = ["version", "release", "today"];

    fn new(p: &Parser, settings: &'s SphinxSettings) -> Self {
        DefaultSubstitutions {
            settings,
            undefined: Self::NAMES.map(|n| !p.subst_defs.contains_key(n)),
            today: std::cell::OnceCell::new(),
        }
    }

    /// The text replacing a reference to `name`, if it is one of these.
    fn value(&self, name: &str) -> Option<String> {
        let at = Self::NAMES.iter().position(|n| *n == name)?;
        if !self.undefined[at] {
            return None;
        }
        let settings = self.settings;
        Some(match at {
            0 => settings.version.clone(),
            1 => settings.release.clone(),
            _ => self
                .today
                .get_or_init(|| {
                    if settings.today.is_empty() {
                        today(&settings.today_fmt)
                    } else {
                        settings.today.clone()
                    }
                })
                .clone(),
        })
    }
}

/// The transforms of [`finish_parse`]'s walk that replace a node, on
/// child `i` of `e`: `DefaultSubstitutions` (`substitutions`: the
/// `|version|`-like references to replace by text) and Sphinx's
/// `CitationReferenceTransform` (each `citation_reference` becomes a
/// `pending_xref`; `refs` gets its `(refname, first id)`, in document
/// order). Returns whether the child became text.
fn replace_child(
    e: &mut Element,
    i: usize,
    substitutions: &DefaultSubstitutions,
    refs: &mut Vec<(String, String)>,
) -> bool {
    let child = &mut e.children[i];
    let Node::Element(c) = child else {
        return true;
    };
    match c.tag {
        Tag::SubstitutionReference => {
            let name = c.get(Attr::Refname).unwrap_or("");
            if let Some(v) = substitutions.value(name) {
                *child = Node::text(v, c.span);
                return true;
            }
        }
        Tag::CitationReference => {
            if let (Some(name), Some(id)) = (c.get(Attr::Refname), c.ids.first()) {
                refs.push((name.to_string(), id.clone()));
            }
            *child = super::citations::citation_xref(c).into();
        }
        _ => {}
    }
    false
}

/// Sphinx's `CitationDefinitionTransform` on every citation of the page
/// (`refs`: all its citation references).
fn label_citations(e: &mut Element, refs: &[(String, String)]) {
    for c in e.elements_mut() {
        if c.tag == Tag::Citation {
            super::citations::citation_label(c, refs);
        }
        label_citations(c, refs);
    }
}

/// Sphinx's `SortIds` (right after docutils' `PropagateTargets`): a
/// section whose first id starts with `id` (an auto id, or any id so
/// spelt) moves it last, so the slug a target gave it comes first and
/// links, the table of contents and permalinks use that.
/// Paragraphs, titles, literal blocks and inline markup hold no sections,
/// so the walk does not enter them.
pub fn sort_section_ids(e: &mut Element) {
    for c in e.elements_mut() {
        if c.tag == Tag::Section && c.ids.len() > 1 && c.ids[0].starts_with("id") {
            c.ids.rotate_left(1);
        }
        if !(c.tag.is_inline() || matches!(c.tag, Tag::Paragraph | Tag::Title | Tag::LiteralBlock))
        {
            sort_section_ids(c);
        }
    }
}

/// Sphinx's reading transforms that visit every element, fused into one
/// walk in document order (each used to walk the whole tree on its own):
/// `DefaultSubstitutions`, the module targets moved onto their sections,
/// `CitationReferenceTransform`, `ReorderConsecutiveTargetAndIndexNodes`,
/// `AutoNumbering`, `HighlightLanguageTransform`, the `ImageCollector`'s
/// candidates and the docname Sphinx notes on footnotes and citations.
struct PageWalk<'a> {
    doc: &'a mut crate::syntax::rst::doc::Doc,
    docname: &'a str,
    substitutions: &'a DefaultSubstitutions<'a>,
    /// The page's citation references so far, for the citations' backrefs.
    citation_refs: Vec<(String, String)>,
    /// Whether the page has a citation (to label after the walk).
    citations: bool,
    highlight: HighlightSetting,
}

impl PageWalk<'_> {
    /// Visits the children of `e`; `highlight` is false inside literal
    /// blocks and system messages, where Sphinx's highlight transform does
    /// not look.
    fn children(&mut self, e: &mut Element, highlight: bool) {
        if e.tag == Tag::Section {
            super::domains::move_module_target(e);
        }
        // Sphinx reorders before this walk; the walk neither moves nor
        // numbers index nodes or targets, so reordering after it is the
        // same, and is done only where an index node was met (most
        // elements have none, and looking cost a pass over children).
        let mut index_nodes = false;
        let mut i = 0;
        while i < e.children.len() {
            if replace_child(e, i, self.substitutions, &mut self.citation_refs) {
                i += 1;
                continue;
            }
            let Node::Element(c) = &mut e.children[i] else {
                i += 1;
                continue;
            };
            if highlight && c.tag == Tag::Sphinx(SphinxTag::Highlightlang) {
                self.highlight.language = c.get(Attr::Language).unwrap_or("default").to_string();
                self.highlight.force = c.get(Attr::Sphinx(SphinxAttr::Force)) == Some("1");
                self.highlight.threshold = c
                    .get(Attr::Sphinx(SphinxAttr::Linenothreshold))
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(usize::MAX);
                e.children.remove(i);
                continue;
            }
            if is_numbered(c) && c.ids.is_empty() {
                self.doc.set_id(c, "");
            }
            match c.tag {
                Tag::Sphinx(SphinxTag::Index) => index_nodes = true,
                Tag::Image => image_candidates(c),
                Tag::Citation => {
                    self.citations = true;
                    set(c, SphinxAttr::Docname, self.docname);
                }
                Tag::Footnote | Tag::FootnoteReference => {
                    set(c, SphinxAttr::Docname, self.docname);
                }
                _ => {}
            }
            let mut inner_highlight = highlight && c.tag != Tag::SystemMessage;
            if highlight && c.tag == Tag::LiteralBlock {
                self.highlight_block(c);
                inner_highlight = false;
            }
            // Below an element without element children there is
            // nothing to move, replace or mark: no call.
            if c.children.iter().any(|n| matches!(n, Node::Element(_))) {
                self.children(c, inner_highlight);
            }
            i += 1;
        }
        if index_nodes {
            reorder_index_targets(e);
        }
    }

    /// A literal block without a language takes the one of the last
    /// `.. highlight::` (else `highlight_language`) and its `force`; one
    /// without `linenos` gets line numbers when it has at least
    /// `linenothreshold` lines.
    fn highlight_block(&self, c: &mut Element) {
        let current = &self.highlight;
        if c.get(Attr::Language).is_none() {
            c.set(Attr::Language, current.language.clone());
            set(c, SphinxAttr::Force, flag(current.force));
        }
        if c.get(Attr::Sphinx(SphinxAttr::Linenos)).is_none() {
            // Without a threshold no block is long enough: skip counting.
            let on = current.threshold != usize::MAX && {
                let lines = c.astext().matches('\n').count();
                lines >= current.threshold.saturating_sub(1)
            };
            set(c, SphinxAttr::Linenos, flag(on));
        }
    }
}

/// Sphinx's `ReorderConsecutiveTargetAndIndexNodes` on the children of
/// `e`: in a run of `index` nodes and plain targets, the index nodes come
/// first.
fn reorder_index_targets(e: &mut Element) {
    let is_part = |n: &Node| {
        n.as_element().is_some_and(|x| {
            x.tag == Tag::Sphinx(SphinxTag::Index)
                || (x.tag == Tag::Target
                    && x.get(Attr::Refuri).is_none()
                    && x.get(Attr::Refname).is_none()
                    && !x.ids.is_empty())
        })
    };
    let mut i = 0;
    while i < e.children.len() {
        if !is_part(&e.children[i]) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < e.children.len() && is_part(&e.children[j]) {
            j += 1;
        }
        e.children[i..j].sort_by_key(|n| n.as_element().is_some_and(|x| x.tag == Tag::Target));
        i = j;
    }
}

/// Sphinx's `AutoNumbering`: a captioned figure, a titled table and a
/// captioned code block get an id, so `:numref:` can reach them.
fn is_numbered(c: &Element) -> bool {
    match c.tag {
        Tag::Figure => c.first(Tag::Caption).is_some(),
        Tag::Table => c.first(Tag::Title).is_some(),
        Tag::Container => {
            c.get(Attr::Sphinx(SphinxAttr::LiteralBlock)).is_some()
                && c.first(Tag::Caption).is_some()
        }
        _ => false,
    }
}

/// Sphinx's `ImageCollector`: the files an image may be.
fn image_candidates(e: &mut Element) {
    let Some(uri) = e.get(Attr::Uri) else {
        return;
    };
    let key = if uri.contains("://") { '?' } else { '*' };
    let uri = uri.replace('\\', "\\\\").replace('\'', "\\'");
    set(e, SphinxAttr::Candidates, format!("{{'{key}': '{uri}'}}"));
}

struct HighlightSetting {
    language: String,
    force: bool,
    threshold: usize,
}

/// `|today|` without `today` set: the build date in `today_fmt` (the date
/// of `SOURCE_DATE_EPOCH`, else the Unix epoch, as `.. date::` does, so
/// builds are reproducible).
fn today(fmt: &str) -> String {
    let secs: i64 = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    crate::config::sphinx::format_date(fmt, secs.div_euclid(86400))
}
