//! The site: load the configuration, then discover → parse → passes →
//! render → write, each stage timed. Pages are parsed and rendered in
//! parallel (rayon); diagnostics of all pages are collected into one report.

pub mod assets;
pub mod index;
pub mod output;
pub mod search;
pub mod session;
pub mod sitemap;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::ast::{Element, Tag};
use crate::config::Config;
use crate::diag::{Diagnostic, Report};
use crate::passes::links::PageLinks;
use crate::passes::metadata::{PageMeta, extract_metadata};
use crate::render::html::{HtmlContext, render_body, render_toc};
use crate::render::{PageView, Renderer, SiteView};
use crate::source::{PageKind, PageSource, SourceFile, discover_pages};
use crate::syntax::rst::{RstOptions, parse_document};
use search::SearchEntry;

/// What the command line asked for.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Path of `book.toml`.
    pub config_path: PathBuf,
    /// Output folder overriding the config's `output`.
    pub dest: Option<PathBuf>,
    /// Whether to write the site (`build`) or only check it (`check`).
    pub write: bool,
    /// Write into a non-empty folder kbgen did not create.
    pub force: bool,
}

/// A site ready to build: its configuration and resolved folders.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: Config,
    /// Folder of `book.toml`; relative config paths start here.
    pub root: PathBuf,
    pub source_dir: PathBuf,
    pub output_dir: PathBuf,
    pub theme_dir: PathBuf,
}

impl Site {
    /// Loads `book.toml` and resolves the folders it names.
    pub fn load(opts: &BuildOptions) -> Result<Site, Diagnostic> {
        let config = Config::load(&opts.config_path)?;
        let root = opts
            .config_path
            .parent()
            .map(Path::to_path_buf)
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| PathBuf::from("."));
        let source_dir = root.join(&config.source);
        let output_dir = match &opts.dest {
            Some(d) => d.clone(),
            None => root.join(&config.output),
        };
        let theme_dir = root.join("themes").join(&config.theme);
        if !source_dir.is_dir() {
            return Err(Diagnostic::error(
                "config",
                format!("source folder {} does not exist", source_dir.display()),
            )
            .in_file(&opts.config_path));
        }
        Ok(Site {
            config,
            root,
            source_dir,
            output_dir,
            theme_dir,
        })
    }
}

/// A page after parsing and passes: what the site-wide stages (link
/// check, index, search, sitemap) need from it, taken from its tree once.
#[derive(Debug, Clone)]
pub struct BuiltPage {
    pub page: PageSource,
    pub source: Arc<SourceFile>,
    pub meta: PageMeta,
    pub links: PageLinks,
    pub search: Vec<SearchEntry>,
    /// The tree. The preview [`session`] keeps it to re-render the page
    /// when a page it links to changes; the full build takes it out and
    /// drops it as soon as the page is written, so a big site's trees
    /// (most of the memory a build needs) are never all held at once.
    pub doc: Option<Element>,
}

/// Time spent in each stage (`--timings`).
#[derive(Debug, Clone, Default)]
pub struct Timings {
    pub stages: Vec<(&'static str, Duration)>,
}

impl Timings {
    fn record(&mut self, stage: &'static str, since: Instant) -> Instant {
        let now = Instant::now();
        self.stages.push((stage, now - since));
        now
    }
}

/// Time the page workers spent in each per-page stage, summed over threads
/// (wall time of a parallel stage says little about where CPU goes).
#[derive(Default)]
struct StageClock {
    nanos: [std::sync::atomic::AtomicU64; 3],
}

impl StageClock {
    const PARSE: usize = 0;
    const RENDER: usize = 1;
    const WRITE: usize = 2;
    const NAMES: [&'static str; 3] = [
        "  parse + passes (all threads)",
        "  render (all threads)",
        "  write (all threads)",
    ];

    /// Adds the time since `since` to `stage`; returns now.
    fn add(&self, stage: usize, since: Instant) -> Instant {
        let now = Instant::now();
        let spent = u64::try_from((now - since).as_nanos()).unwrap_or(u64::MAX);
        self.nanos[stage].fetch_add(spent, std::sync::atomic::Ordering::Relaxed);
        now
    }

    fn report(&self, timings: &mut Timings) {
        for (name, n) in Self::NAMES.iter().zip(&self.nanos) {
            let spent = n.load(std::sync::atomic::Ordering::Relaxed);
            timings.stages.push((name, Duration::from_nanos(spent)));
        }
    }
}

/// Result of a build: diagnostics, timings and what was produced.
#[derive(Debug, Default)]
pub struct BuildOutcome {
    pub report: Report,
    pub timings: Timings,
    pub pages: usize,
    /// Whether the site was written (false for `check` and for failed builds).
    pub written: bool,
}

/// Reads and parses one page; a page that cannot be read yields only a diagnostic.
pub fn load_page(
    site: &Site,
    page: &PageSource,
) -> Result<(BuiltPage, Vec<Diagnostic>), Diagnostic> {
    let display = display_path(&page.path);
    let source = Arc::new(SourceFile::read(&page.path, &display)?);
    let (doc, diags) = parse_page(site, page, &source);
    let fallback = page.rel.rsplit('/').next().unwrap_or(&page.rel).to_string();
    let meta = extract_metadata(&doc, &fallback);
    Ok((
        BuiltPage {
            page: page.clone(),
            source,
            links: PageLinks::of(&doc),
            search: search::page_entries(&doc, meta.description.as_deref()),
            meta,
            doc: Some(doc),
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
                pygments_missing: false,
                source_name: source.path.display().to_string(),
                allow_raw: site.config.rst.allow_raw,
                include_root: Some(site.source_dir.clone()),
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
    diags.extend(crate::passes::xml_examples::run_for_site(
        &mut doc, source, site,
    ));
    (doc, diags)
}

/// Builds the site: the whole pipeline. `Err` is a failure that stops the
/// build before content is looked at (config, theme, output folder).
pub fn build(opts: &BuildOptions) -> Result<BuildOutcome, Diagnostic> {
    let site = Site::load(opts)?;
    build_site(&site, opts)
}

pub fn build_site(site: &Site, opts: &BuildOptions) -> Result<BuildOutcome, Diagnostic> {
    let mut outcome = BuildOutcome::default();
    let start = Instant::now();
    if opts.write {
        output::check_output_dir(site, opts.force)?;
    }
    let renderer = Renderer::load(Some(&site.theme_dir))?;
    let mut t = outcome.timings.record("load theme", start);

    let (sources, discover_diags) = discover_pages(&site.source_dir);
    outcome.report.extend(discover_diags);
    let (asset_files, asset_diags) = assets::discover_assets(&site.source_dir);
    outcome.report.extend(asset_diags);
    t = outcome.timings.record("discover", t);

    // Each page is parsed, rendered and written in one go, and its tree
    // dropped: rendering needs nothing from other pages, and the site-wide
    // stages after it (links, index, search) work from the small summaries
    // in `BuiltPage`. The site is written into a staging folder that only
    // replaces the output when the whole build is good.
    let staging = if opts.write {
        Some(output::Staging::create(site)?)
    } else {
        None
    };
    let site_view = site_view(site);
    let base = site.config.base_path();
    let clock = StageClock::default();
    let results: Vec<_> = sources
        .par_iter()
        .map(|p| {
            let started = Instant::now();
            let (mut page, mut diags) = load_page(site, p)?;
            let parsed = clock.add(StageClock::PARSE, started);
            let Some(doc) = page.doc.take() else {
                return Ok((page, diags));
            };
            match render_page(&renderer, &site_view, &page, &doc, base.as_deref()) {
                Ok((path, html)) => {
                    let rendered = clock.add(StageClock::RENDER, parsed);
                    drop(doc);
                    if let Some(Err(d)) = staging.as_ref().map(|s| s.write(&path, html.as_bytes()))
                    {
                        diags.push(d);
                    }
                    clock.add(StageClock::WRITE, rendered);
                }
                Err(d) => diags.push(d),
            }
            Ok((page, diags))
        })
        .collect();
    let mut pages = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok((page, diags)) => {
                outcome.report.extend(diags);
                pages.push(page);
            }
            Err(d) => outcome.report.push(d),
        }
    }
    outcome.pages = pages.len();
    t = outcome.timings.record("parse, render, write pages", t);
    clock.report(&mut outcome.timings);

    outcome
        .report
        .extend(check_site_links(site, &pages, &asset_files));
    t = outcome.timings.record("links", t);

    let mut files: Vec<(String, Vec<u8>)> = site_files(site, &renderer, &site_view, &pages)?;
    files.push(search_file(&pages));
    t = outcome.timings.record("index, search", t);

    outcome.report.sort();
    if let Some(staging) = staging.filter(|_| outcome.report.errors() == 0) {
        for (rel, bytes) in &files {
            staging.write(rel, bytes)?;
        }
        for asset in &asset_files {
            let from = site.source_dir.join(asset);
            let bytes = std::fs::read(&from).map_err(|e| crate::source::io_diag(&from, &e))?;
            staging.write(asset, &bytes)?;
        }
        staging.commit()?;
        outcome.written = true;
        outcome.timings.record("write", t);
    }
    Ok(outcome)
}

/// Site-wide values every template gets.
pub fn site_view(site: &Site) -> SiteView {
    SiteView {
        title: site.config.title.clone(),
        description: site.config.description.clone(),
        language: site.config.language.clone(),
        generator: concat!("kbgen ", env!("CARGO_PKG_VERSION")).to_string(),
    }
}

/// Renders one page to `(output path, html)`. Shared by the full build and
/// the incremental [`session`] so both produce byte-identical pages.
pub fn render_page(
    renderer: &Renderer,
    site_view: &SiteView,
    p: &BuiltPage,
    doc: &Element,
    base: Option<&str>,
) -> Result<(String, String), Diagnostic> {
    let out_path = p.page.output_path();
    let ctx = HtmlContext {
        highlighter: &renderer.highlighter,
    };
    let body = render_body(doc, &ctx);
    let view = PageView {
        site: site_view.clone(),
        root: root_prefix(&out_path, base),
        path: out_path.clone(),
        title: p.meta.title.clone(),
        description: p.meta.description.clone(),
        category: p.meta.category.clone(),
        category_id: p.meta.category.as_deref().map(category_anchor),
        body,
        toc: render_toc(doc, &ctx),
    };
    renderer.render_page(&view).map(|html| (out_path, html))
}

/// The generated files that depend on every page or on none: `index.html`,
/// `404.html`, the theme's static assets and `sitemap.xml`. `pages` must be
/// sorted by `rel`. Shared by the full build and the [`session`].
pub fn site_files(
    site: &Site,
    renderer: &Renderer,
    site_view: &SiteView,
    pages: &[BuiltPage],
) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
    let base = site.config.base_path();
    let index_view = index::index_view(site, site_view, pages, base.as_deref());
    let mut files = vec![
        (
            "index.html".to_string(),
            renderer.render_index(&index_view)?.into_bytes(),
        ),
        (
            "404.html".to_string(),
            renderer.render_404(&index_view)?.into_bytes(),
        ),
    ];
    for (name, bytes) in &renderer.assets {
        files.push((format!("static/{name}"), bytes.clone()));
    }
    if let Some(url) = Some(site.config.site_url.as_str()).filter(|u| u.contains("://")) {
        files.push((
            "sitemap.xml".into(),
            sitemap::render_sitemap(url, pages).into_bytes(),
        ));
    }
    Ok(files)
}

/// The search index: it depends on every page's text, so unlike
/// [`site_files`] it changes with any edit.
pub fn search_file(pages: &[BuiltPage]) -> (String, Vec<u8>) {
    (
        search::INDEX_PATH.into(),
        search::index_js(pages).into_bytes(),
    )
}

/// Prefix that leads from a page to the site root: the base path when the
/// site has a `site-url`, otherwise a relative `../` chain, so the site
/// also works from `file://`.
pub fn root_prefix(out_path: &str, base: Option<&str>) -> String {
    if let Some(base) = base {
        return base.to_string();
    }
    "../".repeat(out_path.matches('/').count())
}

/// Anchor of a category on the index page, as [`index::index_view`] makes it.
fn category_anchor(name: &str) -> String {
    let id = crate::ast::ids::make_id(name);
    if id.is_empty() { "category".into() } else { id }
}

/// Shows paths relative to the working directory when they are under it.
pub fn display_path(path: &Path) -> PathBuf {
    let stripped = path.strip_prefix("./").unwrap_or(path);
    if let Ok(cwd) = std::env::current_dir()
        && let Ok(rel) = stripped.strip_prefix(&cwd)
    {
        return rel.to_path_buf();
    }
    stripped.to_path_buf()
}

/// Title of a document for messages and fallbacks.
pub fn document_title(doc: &Element) -> Option<String> {
    doc.first(Tag::Title).map(|t| t.astext())
}

/// Runs the site-wide link check over built pages.
pub fn check_site_links(
    site: &Site,
    pages: &[BuiltPage],
    asset_files: &[String],
) -> Vec<Diagnostic> {
    apply_link_policy(site, site_links(pages, asset_files).0)
}

/// `[links] broken` decides what a broken link is: error, warning, or nothing.
pub fn apply_link_policy(site: &Site, diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    use crate::config::Policy;
    let policy = site.config.links.broken;
    diags
        .into_iter()
        .filter_map(|mut d| {
            if d.code == "link-broken" {
                match policy {
                    Policy::Error => {}
                    Policy::Warning => d.severity = crate::diag::Severity::Warning,
                    Policy::Ignore => return None,
                }
            }
            Some(d)
        })
        .collect()
}

/// The site-wide link check: its diagnostics and, per page output path, the
/// output paths it links to (the [`session`] re-renders linking pages).
pub fn site_links(
    pages: &[BuiltPage],
    asset_files: &[String],
) -> (Vec<Diagnostic>, BTreeMap<String, BTreeSet<String>>) {
    use crate::passes::links::{SiteTargets, check_links};
    let outputs: Vec<String> = pages.iter().map(|p| p.page.output_path()).collect();
    let link_pages = link_pages(pages, &outputs);
    let targets = SiteTargets::new(&link_pages, asset_files.iter().cloned());
    check_links(&link_pages, &targets)
}

/// The pages as the link checker sees them; `outputs` are their output paths.
pub fn link_pages<'a>(
    pages: &'a [BuiltPage],
    outputs: &'a [String],
) -> Vec<crate::passes::links::LinkPage<'a>> {
    pages
        .iter()
        .zip(outputs)
        .map(|(p, out)| crate::passes::links::LinkPage {
            output: out,
            links: &p.links,
            source: &p.source,
            listed: !p.meta.hidden,
        })
        .collect()
}
