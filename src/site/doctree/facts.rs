//! What one page of a Sphinx project tells the rest of the project: its
//! title and sections (toctree entries show them), its toctrees as written,
//! its labels, citations and its own metadata (`:orphan:`, `:tocdepth:`).
//! Taken from the page's tree once, in the parallel per-page stage, so the
//! project-wide steps never walk trees.

use crate::ast::{Attr, Element, Node, Tag};
use crate::source::SourceFile;

/// A section of a page, for toctree entries.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionFact {
    /// The section's first id; empty for the page's top section (an entry
    /// for it links to the page itself).
    pub anchor: String,
    /// The title's inline content (markup kept, references reduced to text).
    pub title: Vec<Node>,
    pub children: Vec<SectionFact>,
    /// The toctrees directly in this section, as `(position, index)`: the
    /// number of sub-sections before it, and its index in
    /// [`DocFacts::toctrees`]. Sphinx lists their documents there.
    pub toctrees: Vec<(usize, usize)>,
}

/// One line of a toctree, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawEntry {
    /// The explicit title of `Title <target>`.
    pub title: Option<String>,
    pub target: String,
}

/// A `.. toctree::` as written (see `syntax::rst::sphinx::toctree`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TocTreeFact {
    /// Line of the directive (Sphinx reports toctree problems there).
    pub line: u32,
    pub caption: Option<String>,
    /// `-1`: no limit.
    pub maxdepth: i32,
    /// Depth of section numbers (0: not numbered).
    pub numbered: u32,
    pub glob: bool,
    pub hidden: bool,
    pub includehidden: bool,
    pub titlesonly: bool,
    pub reversed: bool,
    pub entries: Vec<RawEntry>,
}

/// A label: an explicit target name and what it points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelFact {
    pub name: String,
    /// The id the label's name was given on its element.
    pub anchor: String,
    /// The section title or caption `:ref:` shows; `None` when the label is
    /// on something without one (a paragraph, an uncaptioned figure).
    pub title: Option<String>,
    pub line: u32,
}

/// An object a role can name: a glossary term, an option, an
/// environment variable, a C or Python object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectFact {
    pub domain: String,
    /// Sphinx's object type (`term`, `cmdoption`, `envvar`, `function`...).
    pub objtype: String,
    /// The name roles look up (terms lower-cased, options `program option`).
    pub name: String,
    pub anchor: String,
}

/// The facts of one page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocFacts {
    /// The page's top section (title and sub-sections); `None` for a page without a title.
    pub top: Option<SectionFact>,
    /// Further top-level sections after the first: toctrees list them
    /// beside the page's own entry, as Sphinx does.
    pub top_siblings: Vec<SectionFact>,
    pub toctrees: Vec<TocTreeFact>,
    pub labels: Vec<LabelFact>,
    pub objects: Vec<ObjectFact>,
    /// `(name, id)` of each citation.
    pub citations: Vec<(String, String)>,
    /// `:orphan:`: not being in a toctree is fine.
    pub orphan: bool,
    /// `:tocdepth:`: how deep this page's sections show in toctrees.
    pub tocdepth: Option<usize>,
    /// The entries of the page's `index` nodes, for `genindex.html`.
    pub index_entries: Vec<super::genindex::IndexFact>,
    /// Enumerable elements and toctrees in document order, for numbers.
    pub numberables: Vec<super::numbers::PageItem>,
    /// Whether the tree holds nodes whose HTML shows other pages: a
    /// toctree, a pending cross-reference, a download. A page without
    /// any (and without numbers) can be rendered before the project is
    /// known.
    pub links_pages: bool,
    /// Whether the tree holds a `mailto:` link Sphinx cloaks (see
    /// [`super::cloaks_email`]): a page that renders alone is walked for
    /// them only then.
    pub mailto_links: bool,
}

impl DocFacts {
    /// The plain-text title, as Sphinx's `:doc:` and link titles show it.
    pub fn title_text(&self) -> Option<String> {
        self.top.as_ref().map(|s| nodes_text(&s.title))
    }
}

/// The plain text of inline nodes.
pub fn nodes_text(nodes: &[Node]) -> String {
    nodes.iter().map(Node::astext).collect()
}

/// Reads the facts of a transformed Sphinx page.
pub fn doc_facts(doc: &Element, source: &SourceFile) -> DocFacts {
    let mut facts = DocFacts::default();
    read_page_fields(doc, &mut facts);
    // The page's explicit names (Sphinx's labels), recorded by the parser.
    // Sorted (the parser writes them so; sorting sorted names is one
    // pass) for a binary search per name: a page can have hundreds.
    let mut explicit: Vec<&str> = doc
        .get(Attr::KbgenLabels)
        .map(|l| l.split('\n').collect())
        .unwrap_or_default();
    explicit.sort_unstable();
    let mut walk = FactsWalk {
        facts: &mut facts,
        explicit: &explicit,
        source,
        items: super::numbers::PageItems::default(),
    };
    walk.visit(doc);
    facts.numberables = walk.items.items;
    let toctrees = facts
        .numberables
        .iter()
        .any(|item| matches!(item, super::numbers::PageItem::TocTree { .. }));
    // The title is a section (Sphinx's dialect); a tree whose title was
    // promoted to the document (docutils' doctitle transform) is read too.
    let mut page = section_fact(doc, &mut facts.toctrees, toctrees);
    facts.top = match doc.first(Tag::Title) {
        Some(_) => {
            page.anchor.clear();
            Some(page)
        }
        None if page.children.is_empty() => None,
        None => {
            // Toctrees before the first section belong to the page.
            let mut top = page.children.remove(0);
            top.anchor.clear();
            top.toctrees
                .extend(page.toctrees.iter().map(|&(_, i)| (0, i)));
            top.toctrees.sort();
            facts.top_siblings = std::mem::take(&mut page.children);
            Some(top)
        }
    };
    facts
}

/// The one walk over the whole page that gathers its citations, objects,
/// index entries, labels and numberable items.
struct FactsWalk<'a> {
    facts: &'a mut DocFacts,
    /// The page's explicit names (Sphinx's labels), sorted.
    explicit: &'a [&'a str],
    source: &'a SourceFile,
    items: super::numbers::PageItems<'a>,
}

impl<'a> FactsWalk<'a> {
    fn visit(&mut self, e: &'a Element) {
        let facts = &mut *self.facts;
        facts.links_pages |= matches!(
            e.tag,
            Tag::Toctree | Tag::PendingXref | Tag::Sphinx(crate::ast::SphinxTag::DownloadReference)
        );
        facts.mailto_links |= super::cloaks_email(e);
        match e.tag {
            Tag::Citation => {
                if let Some(id) = e.ids.first() {
                    for name in &e.names {
                        facts.citations.push((name.clone(), id.clone()));
                    }
                }
            }
            Tag::Term => facts.objects.extend(term_object(e)),
            Tag::Desc => facts.objects.extend(desc_objects(e)),
            Tag::Sphinx(crate::ast::SphinxTag::Index) => {
                if let Some(attr) = e.get(Attr::Sphinx(crate::ast::SphinxAttr::Entries)) {
                    facts
                        .index_entries
                        .extend(super::genindex::parse_entries(attr));
                }
            }
            _ => {
                // Most elements carry no attribute (so no module target)
                // and no name (so no label): no call for them.
                if !e.attrs.is_empty()
                    && let Some(object) = super::domains::module_object(e)
                {
                    facts.objects.push(object);
                }
                if !e.names.is_empty() {
                    push_labels(e, self.explicit, self.source, &mut facts.labels);
                }
            }
        }
        let entered = self.items.enter(e);
        for child in e.elements().filter(|c| !tells_nothing(c)) {
            self.visit(child);
        }
        self.items.leave(entered);
    }
}

/// Whether visiting `e` would find nothing: an element without element
/// children, names or attributes, of a kind the walk does not look at
/// (most inline markup). Spares a call per such element.
fn tells_nothing(e: &Element) -> bool {
    e.names.is_empty()
        && e.attrs.is_empty()
        && !matches!(
            e.tag,
            Tag::Citation
                | Tag::Term
                | Tag::Desc
                | Tag::Sphinx(_)
                | Tag::Toctree
                | Tag::PendingXref
                | Tag::Section
                | Tag::Figure
                | Tag::Table
                | Tag::Container
        )
        && !e.children.iter().any(|c| matches!(c, Node::Element(_)))
}

/// `:orphan:` and `:tocdepth:` from the page's leading fields (a docinfo,
/// or a field list before the first section).
fn read_page_fields(doc: &Element, facts: &mut DocFacts) {
    let lists = doc
        .elements()
        .take_while(|e| e.tag != Tag::Section)
        .filter(|e| {
            matches!(
                e.tag,
                Tag::Docinfo | Tag::FieldList | Tag::Sphinx(crate::ast::SphinxTag::Metadata)
            )
        });
    for list in lists {
        for field in list.elements().filter(|e| e.tag == Tag::Field) {
            let name = field
                .first(Tag::FieldName)
                .map(|n| n.astext())
                .unwrap_or_default();
            let value = field
                .first(Tag::FieldBody)
                .map(|b| b.astext())
                .unwrap_or_default();
            match name.trim() {
                "orphan" => facts.orphan = true,
                "tocdepth" => facts.tocdepth = value.trim().parse().ok(),
                _ => {}
            }
        }
    }
    if doc.get_named("orphan").is_some() {
        facts.orphan = true;
    }
}

/// A section (or the document) with its sub-sections and the toctrees
/// in it, which are appended to `toctrees` in document order (looked for
/// only when the page has any: `any_toctree`).
fn section_fact(
    section: &Element,
    toctrees: &mut Vec<TocTreeFact>,
    any_toctree: bool,
) -> SectionFact {
    let mut fact = SectionFact {
        anchor: section.ids.first().cloned().unwrap_or_default(),
        title: section.first(Tag::Title).map(toc_title).unwrap_or_default(),
        // Sized once: a fact is large, and growing copies the ones made.
        children: Vec::with_capacity(section.elements().filter(|c| c.tag == Tag::Section).count()),
        toctrees: Vec::new(),
    };
    for child in section.elements() {
        if child.tag == Tag::Section {
            fact.children
                .push(section_fact(child, toctrees, any_toctree));
            continue;
        }
        if !any_toctree {
            continue;
        }
        child.walk(&mut |e| {
            if e.tag == Tag::Toctree {
                fact.toctrees.push((fact.children.len(), toctrees.len()));
                toctrees.push(toctree_fact(e));
            }
        });
    }
    fact
}

/// A title's content for a toctree entry: markup kept, references,
/// targets and footnote references reduced or dropped (Sphinx's
/// `SphinxContentsFilter`).
fn toc_title(title: &Element) -> Vec<Node> {
    // Most titles keep every child: room for them spares the growing.
    let mut out = Vec::with_capacity(title.children.len());
    for child in &title.children {
        match child {
            Node::Text(_) => out.push(child.clone()),
            Node::Element(e) => match e.tag {
                Tag::Reference => out.extend(toc_title(e)),
                Tag::Target | Tag::FootnoteReference | Tag::CitationReference | Tag::Image => {}
                Tag::SystemMessage | Tag::Problematic => {}
                _ => {
                    let mut copy = (**e).clone();
                    copy.ids.clear();
                    copy.names.clear();
                    copy.children = toc_title(e);
                    out.push(copy.into());
                }
            },
        }
    }
    out
}

fn toctree_fact(e: &Element) -> TocTreeFact {
    let flag = |a: Attr| e.get(a) == Some("1");
    TocTreeFact {
        line: e.get(Attr::Line).and_then(|l| l.parse().ok()).unwrap_or(0),
        caption: e.get(Attr::Caption).map(str::to_string),
        maxdepth: e
            .get(Attr::Maxdepth)
            .and_then(|v| v.parse().ok())
            .unwrap_or(-1),
        numbered: e
            .get(Attr::Numbered)
            .and_then(|v| v.parse().ok())
            .unwrap_or(0),
        glob: flag(Attr::Glob),
        hidden: flag(Attr::Hidden),
        includehidden: flag(Attr::Includehidden),
        titlesonly: flag(Attr::Titlesonly),
        reversed: flag(Attr::Reversed),
        entries: e
            .elements()
            .filter(|c| c.tag == Tag::TocEntry)
            .map(|c| RawEntry {
                title: c.get(Attr::Title).map(str::to_string),
                target: c.get(Attr::Refuri).unwrap_or_default().to_string(),
            })
            .collect(),
    }
}

/// A glossary term (Sphinx gives it an id `term-...`).
fn term_object(e: &Element) -> Option<ObjectFact> {
    let anchor = e.ids.iter().find(|id| id.starts_with("term-"))?;
    Some(ObjectFact {
        domain: "std".into(),
        objtype: "term".into(),
        name: e.astext().trim().to_lowercase(),
        anchor: anchor.clone(),
    })
}

/// The objects an object description (`desc`) defines: one per name of
/// each signature (`-o, --long` gives two options, both at the
/// signature's first id).
fn desc_objects(e: &Element) -> Vec<ObjectFact> {
    let domain = e.get_named("domain").unwrap_or("").to_string();
    let objtype = e.get_named("objtype").unwrap_or("").to_string();
    let mut out = Vec::new();
    for sig in e.elements().filter(|c| c.tag == Tag::DescSignature) {
        let Some(anchor) = sig.ids.first() else {
            continue;
        };
        let (objtype, names): (String, Vec<String>) = match (domain.as_str(), objtype.as_str()) {
            ("std", "option") => {
                let program = sig.get(Attr::KbgenProgram).unwrap_or("");
                let names = sig
                    .get_named("allnames")
                    .unwrap_or("")
                    .split_whitespace()
                    .map(|n| {
                        if program.is_empty() {
                            n.to_string()
                        } else {
                            format!("{program} {n}")
                        }
                    })
                    .collect();
                ("cmdoption".into(), names)
            }
            (d, t) if let Some(found) = super::domains::signature_names(d, t, sig) => found,
            _ => {
                let name = sig
                    .get_named("fullname")
                    .map(str::to_string)
                    .unwrap_or_else(|| {
                        sig.first(Tag::DescName)
                            .map(|n| n.astext())
                            .unwrap_or_default()
                    });
                (objtype.clone(), vec![name])
            }
        };
        for name in names.into_iter().filter(|n| !n.is_empty()) {
            out.push(ObjectFact {
                domain: domain.clone(),
                objtype: objtype.clone(),
                name,
                anchor: anchor.clone(),
            });
        }
    }
    out
}

/// The explicit names on an element, as labels: names the parser recorded
/// as explicit (a section's own title gives it an implicit one, which is
/// not a label). Footnotes, citations, substitution definitions and
/// external targets are not labels either.
fn push_labels(e: &Element, explicit: &[&str], source: &SourceFile, out: &mut Vec<LabelFact>) {
    if e.names.is_empty()
        || matches!(
            e.tag,
            Tag::Footnote
                | Tag::Citation
                | Tag::SubstitutionDefinition
                | Tag::Document
                | Tag::Topic
        )
        || (e.tag == Tag::Target
            && (e.get(Attr::Refuri).is_some() || e.get(Attr::Refname).is_some()))
    {
        return;
    }
    // Most names (sections' implicit ones) are no labels: look for one
    // before taking the title text and the line.
    if !e
        .names
        .iter()
        .any(|n| explicit.binary_search(&n.as_str()).is_ok())
    {
        return;
    }
    let title = label_title(e);
    let line = source.line_of(e.span.start as usize);
    out.extend(
        e.names
            .iter()
            .filter(|n| explicit.binary_search(&n.as_str()).is_ok())
            .map(|name| {
                let want = crate::ast::ids::make_id(name);
                let anchor = e
                    .ids
                    .iter()
                    .find(|id| **id == want)
                    .or(e.ids.last())
                    .cloned()
                    .unwrap_or_default();
                LabelFact {
                    name: name.clone(),
                    anchor,
                    title: title.clone(),
                    line,
                }
            }),
    )
}

/// What `:ref:` shows for a label on `e`: a section's title, a figure's
/// or code block's caption, a table's title.
fn label_title(e: &Element) -> Option<String> {
    let text = match e.tag {
        Tag::Section => e.first(Tag::Title)?.astext(),
        Tag::Figure => e.first(Tag::Caption)?.astext(),
        Tag::Table => e.first(Tag::Title)?.astext(),
        Tag::Container if e.classes.iter().any(|c| c == "literal-block-wrapper") => {
            e.first(Tag::Caption)?.astext()
        }
        _ => return None,
    };
    Some(text.trim().to_string())
}
