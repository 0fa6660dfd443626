//! One page through the per-page stages: read, parse, passes, render.
//! Nothing here looks at other pages; what a page publishes to the rest of
//! the site is taken from its tree once, into [`BuiltPage`].

use std::sync::{Arc, PoisonError};

use crate::ast::Element;
use crate::diag::{Diagnostic, Location, SourceMap};
use crate::passes::links::PageLinks;
use crate::passes::metadata::{PageMeta, extract_metadata};
use crate::render::html::{HtmlContext, render_body, render_toc};
use crate::render::{PageView, Renderer, SiteView};
use crate::source::{PageKind, PageSource, SourceFile};
use crate::syntax::rst::{RstOptions, parse_document};

use super::search::{self, PageSearch};
use super::spill::SpillRef;
use super::{Site, display_path, root_prefix};

/// A page after parsing and passes: what the site-wide stages (link
/// check, index, search, sitemap) need from it, taken from its tree once.
#[derive(Debug, Clone)]
pub struct BuiltPage {
    pub page: PageSource,
    /// The page's source. A full build empties it once the page is
    /// written ([`BuiltPage::release_source`]).
    pub source: Arc<SourceFile>,
    /// Set when `source` was emptied: what the text was, to read it again
    /// for a diagnostic ([`BuiltPage::diagnostic_source`]).
    pub released: Option<SourceStamp>,
    /// Set when a full build set `links` (links and ids) aside until the
    /// link check (see [`crate::site::spill`]).
    pub spilled_links: Option<SpillRef>,
    pub meta: PageMeta,
    pub links: PageLinks,
    pub search: PageSearch,
    /// The tree. The preview keeps it to re-render the page when a fact it
    /// reads changes; the full build drops it as soon as the page is
    /// written, so a big site's trees (most of the memory a build needs)
    /// are never all held at once.
    pub doc: Option<Element>,
    /// What the page tells the rest of a Sphinx project (`None` outside one).
    pub doc_facts: Option<Arc<crate::site::doctree::facts::DocFacts>>,
    /// The body of a Sphinx page whose HTML shows nothing of other pages,
    /// rendered while loading so its tree need not wait for the project
    /// model (see `engine::sphinx::prerender`); `doc` is then `None`.
    pub body: Option<PageBody>,
}

/// A page's rendered body and table of contents: what [`render_page`]
/// takes from the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageBody {
    pub html: String,
    pub toc: Option<String>,
}

impl PageBody {
    pub fn of(doc: &Element, ctx: &HtmlContext) -> PageBody {
        PageBody {
            html: render_body(doc, ctx),
            toc: render_toc(doc, ctx),
        }
    }
}

/// The length and a hash of a page's text: enough to tell, reading the file
/// again, that it is still the text the page was built from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceStamp {
    len: usize,
    hash: u64,
}

impl SourceStamp {
    fn of(text: &str) -> SourceStamp {
        use std::hash::Hasher;
        let mut h = rustc_hash::FxHasher::default();
        h.write(text.as_bytes());
        SourceStamp {
            len: text.len(),
            hash: h.finish(),
        }
    }
}

impl BuiltPage {
    /// Drops the source text once the page is rendered, keeping its path
    /// and [`SourceStamp`]: a full build needs the text again only for the
    /// position of a diagnostic found later (a broken link), and a big
    /// site's text would otherwise stay in memory to the end.
    pub fn release_source(&mut self) {
        if self.released.is_some() {
            return;
        }
        self.released = Some(SourceStamp::of(&self.source.text));
        self.source = Arc::new(SourceFile::new(self.source.path.clone(), String::new()));
    }

    /// Drops what only the link check reads, once a one-shot build has
    /// checked the links: the ids and links, the source (`no_source`, one
    /// empty file shared by all pages, takes its place) and the path to
    /// read it from. The index, the sitemap and the search index read only
    /// the page's `rel`, metadata and search text.
    pub fn keep_listing_only(&mut self, no_source: &Arc<SourceFile>) {
        self.links = PageLinks::default();
        self.spilled_links = None;
        self.source = Arc::clone(no_source);
        self.released = None;
        self.page.path = std::path::PathBuf::new();
    }

    /// The page's source for the positions of diagnostics: the kept text,
    /// or the file read again on first use when it was released. A file
    /// that changed since (or cannot be read) gives positions of the file
    /// alone, never wrong lines.
    pub fn diagnostic_source(&self) -> DiagnosticSource<'_> {
        DiagnosticSource {
            page: self,
            reread: std::sync::Mutex::new(Reread::NotYet),
        }
    }
}

/// See [`BuiltPage::diagnostic_source`].
pub struct DiagnosticSource<'a> {
    page: &'a BuiltPage,
    reread: std::sync::Mutex<Reread>,
}

/// A released page's text, read again for a diagnostic.
enum Reread {
    NotYet,
    Text(SourceFile),
    /// Unreadable, or not the text the page was built from.
    Changed,
}

impl DiagnosticSource<'_> {
    /// Drops the text read again (the caller has made the page's
    /// diagnostics), so a big site's text is never all read back at once.
    pub fn forget(&self) {
        *self.reread.lock().unwrap_or_else(PoisonError::into_inner) = Reread::NotYet;
    }
}

impl SourceMap for DiagnosticSource<'_> {
    fn locate(&self, start: usize, end: usize) -> (Location, String) {
        let Some(stamp) = self.page.released else {
            return self.page.source.locate(start, end);
        };
        let mut reread = self.reread.lock().unwrap_or_else(PoisonError::into_inner);
        if matches!(*reread, Reread::NotYet) {
            *reread = match SourceFile::read(&self.page.page.path, &self.page.source.path) {
                Ok(s) if SourceStamp::of(&s.text) == stamp => Reread::Text(s),
                _ => Reread::Changed,
            };
        }
        match &*reread {
            Reread::Text(source) => source.locate(start, end),
            _ => (
                Location {
                    file: self.page.source.path.clone(),
                    line: 0,
                    column: 0,
                    end_line: 0,
                    end_column: 0,
                },
                String::new(),
            ),
        }
    }

    fn file(&self) -> &std::path::Path {
        &self.page.source.path
    }
}

/// Reads and parses one page; a page that cannot be read yields only a diagnostic.
pub fn load_page(
    site: &Site,
    page: &PageSource,
) -> Result<(BuiltPage, Vec<Diagnostic>), Diagnostic> {
    let (mut built, diags) = load_page_unindexed(site, page)?;
    index_page(&mut built);
    Ok((built, diags))
}

/// Takes the page's search entries from its tree (text and counted words,
/// see [`search::page_entries`]). Apart from [`load_page_unindexed`] so
/// `--timings` can tell parsing from this.
pub fn index_page(built: &mut BuiltPage) {
    if let Some(doc) = &built.doc {
        built.search =
            PageSearch::Kept(search::page_entries(doc, built.meta.description.as_deref()));
    }
}

/// [`load_page`] with the search entries left empty (see [`index_page`]).
pub fn load_page_unindexed(
    site: &Site,
    page: &PageSource,
) -> Result<(BuiltPage, Vec<Diagnostic>), Diagnostic> {
    let display = display_path(&page.path);
    let source = Arc::new(SourceFile::read(&page.path, &display)?);
    let (doc, diags) = parse_page(site, page, &source);
    let fallback = page.rel.rsplit('/').next().unwrap_or(&page.rel).to_string();
    let mut meta = extract_metadata(&doc, &fallback);
    let doc_facts = site
        .sphinx
        .as_ref()
        .map(|_| Arc::new(crate::site::doctree::facts::doc_facts(&doc, &source)));
    if let Some(title) = doc_facts.as_ref().and_then(|f| f.title_text()) {
        // In Sphinx's dialect the title stays a section.
        meta.title = title;
    }
    Ok((
        BuiltPage {
            page: page.clone(),
            source,
            released: None,
            spilled_links: None,
            links: PageLinks::of(&doc),
            search: PageSearch::default(),
            meta,
            doc_facts,
            doc: Some(doc),
            body: None,
        },
        diags,
    ))
}

/// Parses a loaded page and runs the per-page passes.
pub fn parse_page(
    site: &Site,
    page: &PageSource,
    source: &SourceFile,
) -> (Element, Vec<Diagnostic>) {
    let (mut doc, parse_diags) = match page.kind {
        PageKind::Rst => {
            let opts = RstOptions {
                code_tokens: false,
                source_name: source.path.display().to_string(),
                allow_raw: site.config.rst.allow_raw,
                include_root: Some(site.include_root.clone()),
                dialect: site.config.rst.dialect,
                sphinx: site.sphinx.clone(),
                // Paths under the source folder name Sphinx pages.
                docname: crate::site::engine::docname(&page.rel).to_string(),
                source_dir: Some(site.source_dir.clone()),
                // Sphinx turns SmartQuotes on by default (its `smartquotes`).
                smart_quotes: site.config.rst.smart_quotes || site.sphinx.is_some(),
                recognition: if site.config.rst.character_level_inline_markup {
                    crate::syntax::rst::Recognition::CharacterLevel
                } else {
                    crate::syntax::rst::Recognition::WordLevel
                },
                // docutils' `language_code`: the site's language picks
                // localized directive and role names, labels and quotes.
                language_code: if site.sphinx.is_none() {
                    site.config.language.clone()
                } else {
                    String::new()
                },
                // An unsupported language is reported once, by the engine.
                site_language: true,
                ..Default::default()
            };
            (parse_document(source, &opts), Vec::new())
        }
        PageKind::Markdown => {
            let opts = crate::syntax::markdown::MarkdownOptions {
                source_name: source.path.display().to_string(),
                raw_html: site.config.markdown.raw_html,
            };
            crate::syntax::markdown::parse_document(source, &opts)
        }
    };
    let mut diags = crate::passes::messages::collect_system_messages(&doc, source);
    diags.extend(parse_diags);
    diags.extend(crate::passes::xml_examples::check_xml_examples(
        &mut doc,
        source,
        &site.schemas,
        site.config.xml.malformed,
    ));
    (doc, diags)
}

/// Renders one page to `(output path, html)`. The only way a page becomes
/// HTML, in the full build and the preview alike.
pub fn render_page(
    renderer: &Renderer,
    site_view: &SiteView,
    p: &BuiltPage,
    doc: &Element,
    base: Option<&str>,
    nav: Option<&crate::site::doctree::PageNav>,
) -> Result<(String, String), Diagnostic> {
    let ctx = HtmlContext {
        highlighter: &renderer.highlighter,
    };
    render_page_body(renderer, site_view, p, PageBody::of(doc, &ctx), base, nav)
}

/// [`render_page`] from the page's body already rendered.
pub fn render_page_body(
    renderer: &Renderer,
    site_view: &SiteView,
    p: &BuiltPage,
    body: PageBody,
    base: Option<&str>,
    nav: Option<&crate::site::doctree::PageNav>,
) -> Result<(String, String), Diagnostic> {
    let out_path = p.page.output_path();
    let view = PageView {
        site: site_view.clone(),
        root: root_prefix(&out_path, base),
        path: out_path.clone(),
        // Under a `:numbered:` toctree the title carries its number.
        title: nav
            .and_then(|n| n.numbered_title.clone())
            .unwrap_or_else(|| p.meta.title.clone()),
        description: p.meta.description.clone(),
        category: p.meta.category.clone(),
        category_id: p.meta.category.as_deref().map(category_anchor),
        body: body.html,
        toc: body.toc,
        nav: nav.cloned(),
        edit_url: edit_url(&site_view.edit_url_pattern, &p.page.rel),
    };
    renderer.render_page(&view).map(|html| (out_path, html))
}

/// The "Edit this page" link: `pattern` with `{path}` replaced by the
/// page's path in the source folder, percent-encoded as a URL path.
pub fn edit_url(pattern: &str, rel: &str) -> Option<String> {
    if pattern.is_empty() {
        return None;
    }
    Some(pattern.replace("{path}", &crate::passes::links::percent_encode_path(rel)))
}

/// Anchor of a category on the index page, as [`super::index::index_view`] makes it.
fn category_anchor(name: &str) -> String {
    let id = crate::ast::ids::make_id(name);
    if id.is_empty() { "category".into() } else { id }
}
