//! The project level of a Sphinx project: the document tree built from
//! every page's toctrees ([`tree`]), the targets cross-references resolve
//! to ([`xref`]), and the navigation each page shows ([`nav`]).
//!
//! Each page contributes its [`facts::DocFacts`], taken from its tree in
//! the parallel per-page stage. [`SphinxProject::build`] combines them (no
//! tree is walked), and [`SphinxProject::inputs`] gives, for one page,
//! everything its HTML shows of other pages ([`RenderInputs`]: its
//! toctrees, sidebar, breadcrumbs, previous and next page, resolved
//! references). The engine renders a page again exactly when its inputs
//! differ from the ones it was last rendered with, so an edit to a title,
//! a label or a toctree updates every page that shows it, and only those.

mod any_ref;
pub mod domains;
pub mod downloads;
pub mod facts;
pub mod genindex;
pub mod inventory;
pub mod nav;
pub mod numbers;
pub mod secnumbers;
pub mod tree;
pub mod xref;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use crate::ast::{Attr, Element, Node, Tag};
use crate::config::SphinxSettings;
use crate::diag::Diagnostic;
use crate::render::html::HtmlContext;
use crate::source::SourceFile;

use facts::DocFacts;
use tree::{DocInput, DocTree};
use xref::{Resolution, TargetInput, Targets, relative_doc_href};

/// A link in the page furniture (breadcrumbs, previous, next).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NavLink {
    pub title: String,
    pub href: String,
}

/// What the theme shows around a page of a project with a document tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct PageNav {
    /// The global tree, current branch open: escaped HTML.
    pub sidebar: String,
    /// Parents, root first.
    pub parents: Vec<NavLink>,
    /// The page's own title with its section number (`1.2. Title`) when
    /// a `:numbered:` toctree gives it one, for `<title>` and breadcrumbs.
    pub numbered_title: Option<String>,
    pub prev: Option<NavLink>,
    pub next: Option<NavLink>,
}

/// Everything a page's HTML shows of other pages.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RenderInputs {
    pub nav: PageNav,
    /// The HTML of each toctree of the page, in order.
    pub toctrees: Vec<String>,
    pub resolutions: Vec<Resolution>,
    /// The file of each local `:download:`, in order (`None`: missing).
    pub downloads: Vec<Option<downloads::Download>>,
    /// The caption number (`Fig. 1`) of each numbered element, by first id.
    pub captions: BTreeMap<String, String>,
    /// The section number each heading shows (`1.2. `), by its section's
    /// first id.
    pub section_numbers: BTreeMap<String, String>,
    pub diags: Vec<Diagnostic>,
}

/// One page given to [`SphinxProject::build`].
pub struct ProjectPage<'a> {
    pub docname: String,
    pub facts: Arc<DocFacts>,
    pub source: &'a SourceFile,
}

/// The document tree and targets of a Sphinx project.
#[derive(Debug, Default)]
pub struct SphinxProject {
    pub settings: Arc<SphinxSettings>,
    pub facts: BTreeMap<String, Arc<DocFacts>>,
    pub tree: DocTree,
    pub targets: Targets,
    /// Section numbers of the pages under `:numbered:` toctrees.
    pub secnumbers: secnumbers::SectionNumbers,
    /// Parents of every page in the tree, root first.
    pub ancestors: BTreeMap<String, Vec<String>>,
}

impl SphinxProject {
    pub fn build(settings: Arc<SphinxSettings>, pages: &[ProjectPage]) -> SphinxProject {
        let inputs: Vec<DocInput> = pages
            .iter()
            .map(|p| DocInput {
                docname: &p.docname,
                facts: &p.facts,
                source: p.source,
            })
            .collect();
        let tree = DocTree::build(&settings.root_doc, &inputs);
        let target_inputs: Vec<TargetInput> = pages
            .iter()
            .map(|p| TargetInput {
                docname: &p.docname,
                facts: &p.facts,
                source: p.source,
            })
            .collect();
        let mut targets = Targets::build(&target_inputs);
        let ancestors = tree
            .order
            .iter()
            .map(|d| (d.clone(), tree.ancestors(d)))
            .collect();
        let facts: BTreeMap<String, Arc<DocFacts>> = pages
            .iter()
            .map(|p| (p.docname.clone(), p.facts.clone()))
            .collect();
        let sources: BTreeMap<&str, &SourceFile> = pages
            .iter()
            .map(|p| (p.docname.as_str(), p.source))
            .collect();
        let secnumbers = secnumbers::SectionNumbers::assign(
            &tree,
            &facts,
            &sources,
            &settings.html_secnumber_suffix,
        );
        targets.numbers = numbers::FigNumbers::assign(&settings, &tree, &facts, &secnumbers);
        SphinxProject {
            settings,
            facts,
            tree,
            targets,
            secnumbers,
            ancestors,
        }
    }

    /// Project-wide diagnostics (tree and duplicate labels).
    pub fn diags(&self) -> impl Iterator<Item = &Diagnostic> {
        self.tree
            .diags
            .iter()
            .chain(&self.secnumbers.diags)
            .chain(&self.targets.diags)
    }

    /// A page's title as links to it show it: plain text, with its
    /// section number under a `:numbered:` toctree.
    fn title(&self, doc: &str) -> String {
        let title = self
            .facts
            .get(doc)
            .and_then(|f| f.title_text())
            .unwrap_or_else(|| "<no title>".into());
        self.secnumbers.title(doc, title)
    }

    fn link(&self, from: &str, to: &str) -> NavLink {
        NavLink {
            title: self.title(to),
            href: if from == to {
                "#".into()
            } else {
                relative_doc_href(from, to)
            },
        }
    }

    /// The furniture of page `doc`.
    pub fn page_nav(&self, ctx: &HtmlContext, doc: &str) -> PageNav {
        let rel = self.tree.relations.get(doc).cloned().unwrap_or_default();
        PageNav {
            sidebar: nav::sidebar_html(self, ctx, doc),
            parents: self
                .ancestors
                .get(doc)
                .into_iter()
                .flatten()
                .map(|p| self.link(doc, p))
                .collect(),
            numbered_title: self
                .secnumbers
                .entry(doc, "")
                .and_then(|_| self.facts.get(doc)?.title_text())
                .map(|t| self.secnumbers.title(doc, t)),
            prev: rel.prev.as_deref().map(|p| self.link(doc, p)),
            next: rel.next.as_deref().map(|n| self.link(doc, n)),
        }
    }

    /// The furniture of `genindex.html`: the sidebar, nothing else.
    pub fn genindex_nav(&self, ctx: &HtmlContext) -> PageNav {
        PageNav {
            sidebar: nav::sidebar_html(self, ctx, genindex::GENINDEX_DOC),
            ..PageNav::default()
        }
    }

    /// Everything page `doc` (whose tree is `tree`) shows of other pages.
    pub fn inputs(
        &self,
        ctx: &HtmlContext,
        doc: &str,
        tree: &Element,
        source: &SourceFile,
    ) -> RenderInputs {
        let count = self.facts.get(doc).map_or(0, |f| f.toctrees.len());
        let (resolutions, diags) = xref::resolutions(tree, doc, &self.targets, source);
        RenderInputs {
            nav: self.page_nav(ctx, doc),
            toctrees: (0..count)
                .map(|i| nav::toctree_html(self, ctx, doc, i))
                .collect(),
            resolutions,
            downloads: Vec::new(),
            captions: self.targets.numbers.caption_numbers(doc),
            section_numbers: section_numbers(tree, doc, &self.secnumbers),
            diags,
        }
    }
}

/// Whether a page's body can be rendered before the project is known:
/// its tree has nothing that shows other pages, and no element `numfig`
/// could number. Its sections may still get numbers from a `:numbered:`
/// toctree of another page; [`SphinxProject::inputs_without_tree`] tells.
pub fn renders_alone(settings: &SphinxSettings, facts: &DocFacts) -> bool {
    let numfig_numbers = settings.numfig
        && facts.numberables.iter().any(|item| {
            matches!(item, numbers::PageItem::Enumerable { figtype, captioned: true, .. }
                if *figtype != numbers::FigType::Section)
        });
    !facts.links_pages && !numfig_numbers
}

impl SphinxProject {
    /// The inputs of a page whose body was rendered alone (see
    /// [`renders_alone`]), or `None` when the project changes its tree
    /// after all (a section or caption number), so the body must be
    /// rendered again from the tree.
    pub fn inputs_without_tree(&self, ctx: &HtmlContext, doc: &str) -> Option<RenderInputs> {
        let captions = self.targets.numbers.caption_numbers(doc);
        if !captions.is_empty() || self.secnumbers.by_doc.contains_key(doc) {
            return None;
        }
        Some(RenderInputs {
            nav: self.page_nav(ctx, doc),
            ..RenderInputs::default()
        })
    }
}

/// The tree a page is rendered from: its toctrees replaced by their lists
/// and its references resolved, as `inputs` says.
pub fn apply_inputs(tree: &mut Element, doc: &str, inputs: &RenderInputs) {
    // Two walks instead of six: the nodes replaced first (toctrees, then
    // cross-references, which never nest in one another's replacements),
    // then the attributes set on the resulting tree.
    let mut toctrees = inputs.toctrees.iter();
    let mut xrefs = xref::resolver(doc, &inputs.resolutions, xref::PageUris::Html);
    replace_toctrees_and_xrefs(tree, &mut toctrees, &mut xrefs);
    let mut downloads = downloads::DownloadLinks::new(doc, &inputs.downloads);
    tree.walk_mut(&mut |e| {
        downloads.visit(e);
        numbers::caption_number(e, &inputs.captions);
        section_number(e, &inputs.section_numbers);
        cloak_email(e);
    });
}

/// What [`apply_inputs`] does to a page that renders alone (see
/// [`renders_alone`]): with no toctree, cross-reference, download or
/// number in it, only the page's own change, e-mail addresses cloaked.
/// The walk is skipped when its facts saw no `mailto:` link to cloak
/// (most pages: it cost a whole-tree walk each).
pub fn apply_own(tree: &mut Element, facts: &DocFacts) {
    if facts.mailto_links {
        tree.walk_mut(&mut cloak_email);
    }
}

/// Each compound holding a toctree becomes the toctree's HTML (from
/// `html`, in document order), each `pending_xref` what `xref` makes of
/// it; neither replacement is looked into.
fn replace_toctrees_and_xrefs<'a>(
    e: &mut Element,
    html: &mut impl Iterator<Item = &'a String>,
    xref: &mut impl FnMut(&Element) -> Node,
) {
    for child in e.children.iter_mut() {
        let Node::Element(c) = child else { continue };
        if c.tag == Tag::PendingXref {
            *child = xref(c);
        } else if c.tag == Tag::Compound && c.elements().any(|t| t.tag == Tag::Toctree) {
            *child = toctree_html(c.span, html);
        } else {
            replace_toctrees_and_xrefs(c, html, xref);
        }
    }
}

/// The number each section heading of page `doc` shows, by the
/// section's first id.
fn section_numbers(
    tree: &Element,
    doc: &str,
    numbers: &secnumbers::SectionNumbers,
) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if !numbers.by_doc.contains_key(doc) {
        return out;
    }
    tree.walk(&mut |e| {
        if e.tag != Tag::Section {
            return;
        }
        if let Some(id) = e.ids.first()
            && let Some(n) = numbers.heading(doc, id)
        {
            out.insert(id.clone(), numbers.prefix(n));
        }
    });
    out
}

/// Marks each numbered section of a page tree with the number its
/// heading shows.
fn section_number(e: &mut Element, numbers: &BTreeMap<String, String>) {
    if e.tag != Tag::Section || numbers.is_empty() {
        return;
    }
    if let Some(n) = e.ids.first().and_then(|id| numbers.get(id)) {
        e.set(Attr::KbgenSectionNumber, n.clone());
    }
}

/// The tree Sphinx's pseudoxml builder prints for page `doc`: each
/// toctree replaced by its entries as nodes (a hidden one by nothing),
/// each cross-reference resolved as the site build resolves it, links
/// between pages written as docnames. Returns the warnings for references
/// not found.
pub fn resolve_as_doctree(
    project: &SphinxProject,
    doc: &str,
    tree: &mut Element,
    source: &SourceFile,
) -> Vec<Diagnostic> {
    let mut index = 0;
    replace_toctree_nodes(tree, &mut |_| {
        let nodes = nav::toctree_nodes(project, doc, index);
        index += 1;
        nodes
    });
    let (resolutions, diags) = xref::resolutions(tree, doc, &project.targets, source);
    xref::apply_resolutions_as(tree, doc, &resolutions, xref::PageUris::Docnames);
    diags
}

fn replace_toctree_nodes(e: &mut Element, f: &mut impl FnMut(&Element) -> Option<Element>) {
    let mut i = 0;
    while i < e.children.len() {
        if let Node::Element(c) = &mut e.children[i] {
            if c.tag == Tag::Toctree {
                match f(c) {
                    Some(new) => e.children[i] = new.into(),
                    None => {
                        e.children.remove(i);
                        continue;
                    }
                }
            } else {
                replace_toctree_nodes(c, f);
            }
        }
        i += 1;
    }
}

/// Sphinx's `cloak_email_addresses`: the `@` of a `mailto:` link is
/// written `%40`, which mail clients read as `@` and address harvesters
/// scanning for `@` do not.
fn cloak_email(e: &mut Element) {
    if !cloaks_email(e) {
        return;
    }
    if let Some(uri) = e.get(Attr::Refuri) {
        let cloaked = uri.replace('@', "%40");
        e.set(Attr::Refuri, cloaked);
    }
}

/// Whether [`cloak_email`] changes `e`: a reference to a `mailto:` URI
/// with an `@`.
fn cloaks_email(e: &Element) -> bool {
    e.tag == Tag::Reference
        && e.get(Attr::Refuri)
            .is_some_and(|uri| uri.starts_with("mailto:") && uri.contains('@'))
}

fn toctree_html<'a>(span: crate::ast::Span, html: &mut impl Iterator<Item = &'a String>) -> Node {
    let mut raw = Element::new(Tag::Raw, span);
    raw.set(Attr::Format, "html");
    if let Some(h) = html.next() {
        raw.push_text(h.clone(), span);
    }
    raw.into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::Span;

    /// A page: a section holding `content`.
    fn page(content: Element) -> DocFacts {
        let mut title = Element::new(Tag::Title, Span::default());
        title.push_text("Page", Span::default());
        let mut section = Element::new(Tag::Section, Span::default());
        section.ids.push("page".into());
        section.push(title);
        section.push(content);
        let mut doc = Element::new(Tag::Document, Span::default());
        doc.push(section);
        facts::doc_facts(&doc, &SourceFile::new("page.rst", ""))
    }

    fn paragraph_with(inline: Element) -> Element {
        let mut p = Element::new(Tag::Paragraph, Span::default());
        p.push_text("see ", Span::default());
        p.push(inline);
        p
    }

    #[test]
    fn a_page_renders_alone_unless_it_shows_other_pages_or_numfig_numbers_it() {
        let settings = SphinxSettings::default();
        let mut emphasis = Element::new(Tag::Emphasis, Span::default());
        emphasis.push_text("this", Span::default());
        assert!(renders_alone(&settings, &page(paragraph_with(emphasis))));
        for tag in [
            Tag::PendingXref,
            Tag::Sphinx(crate::ast::SphinxTag::DownloadReference),
        ] {
            let mut xref = Element::new(tag, Span::default());
            xref.push(Element::new(Tag::Literal, Span::default()));
            let facts = page(paragraph_with(xref));
            assert!(facts.links_pages);
            assert!(!renders_alone(&settings, &facts));
        }
        let mut toctree = Element::new(Tag::Compound, Span::default());
        toctree.push(Element::new(Tag::Toctree, Span::default()));
        assert!(!renders_alone(&settings, &page(toctree)));
        // A captioned figure: numbered only when `numfig` is on.
        let mut figure = Element::new(Tag::Figure, Span::default());
        figure.ids.push("fig".into());
        figure.push(Element::new(Tag::Caption, Span::default()));
        let facts = page(figure);
        assert!(renders_alone(&settings, &facts));
        let numfig = SphinxSettings {
            numfig: true,
            ..SphinxSettings::default()
        };
        assert!(!renders_alone(&numfig, &facts));
    }

    /// A page whose `mailto:` link sits below inline markup, and one
    /// whose only reference is an ordinary link.
    fn page_linking(uri: &str) -> Element {
        let mut link = Element::new(Tag::Reference, Span::default());
        link.set(Attr::Refuri, uri);
        link.push_text("write", Span::default());
        let mut strong = Element::new(Tag::Strong, Span::default());
        strong.push(link);
        let mut section = Element::new(Tag::Section, Span::default());
        section.push(paragraph_with(strong));
        let mut doc = Element::new(Tag::Document, Span::default());
        doc.push(section);
        doc
    }

    fn first_refuri(tree: &Element) -> String {
        let mut found = String::new();
        tree.walk(&mut |e| {
            if e.tag == Tag::Reference && found.is_empty() {
                found = e.get(Attr::Refuri).unwrap_or("").to_string();
            }
        });
        found
    }

    #[test]
    fn a_page_rendered_alone_has_its_mailto_links_cloaked_and_others_left() {
        let source = SourceFile::new("page.rst", "");
        for (uri, cloaked) in [
            ("mailto:someone@example.org", "mailto:someone%40example.org"),
            ("mailto:list", "mailto:list"),
            ("https://example.org/@user", "https://example.org/@user"),
        ] {
            let mut tree = page_linking(uri);
            let facts = facts::doc_facts(&tree, &source);
            assert_eq!(facts.mailto_links, uri != cloaked, "{uri}");
            apply_own(&mut tree, &facts);
            assert_eq!(first_refuri(&tree), cloaked);
            // The project's full walk cloaks the same links.
            let mut tree = page_linking(uri);
            apply_inputs(&mut tree, "page", &RenderInputs::default());
            assert_eq!(first_refuri(&tree), cloaked);
        }
    }
}
