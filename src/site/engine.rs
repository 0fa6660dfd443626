//! The one site engine: `kbgen build` applies it to "everything changed",
//! `kbgen serve` to the changes its watcher saw.
//!
//! Each run goes through the same steps: accept pages ([`page_at`],
//! [`discover_pages`]) → plan the outputs ([`OutputPlan`]) → load the
//! changed pages (parse, passes, and render when the page owns its output
//! path) → update the [`Project`] and collect the readers of the facts that
//! changed → re-run those readers (link checks, the index and other
//! generated files, the search index) → write.
//!
//! The two uses differ only in what they keep. A full build streams each
//! page into a staging folder as soon as it is rendered and drops its tree
//! and source text; what the site-wide steps read later (search text, links)
//! is set aside on disk ([`super::spill`]) and `search-index.js` is written
//! as it is made, so a big site never sits in memory whole. It keeps
//! nothing only a rebuild reads. The staging folder replaces the
//! output only when the build has no errors. The preview keeps trees and
//! output bytes, writes only files whose bytes changed (each atomically),
//! and after a failed build leaves the last good output in place.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use crate::diag::{Diagnostic, Report};
use crate::render::Renderer;
use crate::source::discover::page_at;
use crate::source::{PageSource, discover_pages};

use super::assets::discover_assets;
use super::generated::{generated_paths, search_file, site_files};
use super::output::{Outputs, Staging, check_output_dir};
use super::plan::{OutputPlan, Owner};
use super::project::{Fact, Project, Reader};
use super::search::SearchSpill;
use super::spill::Spill;
use super::timings::StageClock;
use super::{BuildOptions, Site, render_page, site_view};

mod link_diags;
mod links;
mod load;
mod once;
mod sphinx;

pub use sphinx::{OBJECTS_INV, SphinxSources, docname};

/// What changed since the last build.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeSet {
    /// Reload everything: configuration, theme, templates or schemas changed.
    pub full: bool,
    /// Pages added, changed or removed, relative to the content folder (`/` separators).
    pub pages: BTreeSet<String>,
}

impl ChangeSet {
    pub fn is_empty(&self) -> bool {
        !self.full && self.pages.is_empty()
    }
}

/// Result of one preview (re)build.
#[derive(Debug, Default)]
pub struct RebuildOutcome {
    /// All diagnostics of the site as it is now, sorted.
    pub report: Report,
    /// Output paths written or removed by this build.
    pub changed: Vec<String>,
    /// Pages rendered by this build (for tests and timings).
    pub rendered: usize,
    /// Whether the build succeeded and its output was written.
    pub ok: bool,
}

/// Where rendered pages go.
enum Sink<'a> {
    /// Straight into the staging folder of a full build (`None` for `check`);
    /// trees are dropped, and the search text set aside in the spill
    /// (`None` for `check`, which makes no search index).
    Stream(Option<&'a Staging>, &'a StageClock, Option<&'a SearchSpill>),
    /// Into the engine's [`Outputs`]; trees are kept for later renders.
    Keep,
}

/// Build state. See the module documentation.
pub struct Engine {
    opts: BuildOptions,
    site: Site,
    renderer: Renderer,
    project: Project,
    /// Accepted pages, sorted by `rel`.
    sources: Vec<PageSource>,
    /// Content files that are not pages, sorted.
    assets: Vec<String>,
    plan: OutputPlan,
    discover_diags: Vec<Diagnostic>,
    /// Paths discovery refused to read, by content-relative path.
    refused: BTreeMap<String, Diagnostic>,
    links: links::LinkState,
    /// Error that stops everything: config or theme could not be loaded.
    fatal: Option<Diagnostic>,
    /// Rendering errors by page `rel`; `""` for the generated files.
    render_errors: BTreeMap<String, Diagnostic>,
    /// The preview's output files (unused by a full build).
    outputs: Outputs,
    /// Whether page text changed since `search-index.js` was last made.
    search_stale: bool,
    /// Whether the last build had no errors (so its output may be written).
    last_ok: bool,
    /// The document tree and cross-references of a Sphinx project.
    sphinx: sphinx::SphinxState,
    /// A one-shot build (`kbgen build`, `check`): nothing is rebuilt
    /// later, so what only a rebuild reads (which step read which fact,
    /// each page's link check) is not kept.
    once: bool,
    /// Where a one-shot build sets pages' links aside until the link check.
    link_spill: Option<Spill>,
}

impl Engine {
    fn new(opts: BuildOptions, site: Site, renderer: Renderer) -> Engine {
        let output_dir = site.output_dir.clone();
        Engine {
            opts,
            site,
            renderer,
            project: Project::default(),
            sources: Vec::new(),
            assets: Vec::new(),
            plan: OutputPlan::default(),
            discover_diags: Vec::new(),
            refused: BTreeMap::new(),
            links: links::LinkState::default(),
            fatal: None,
            render_errors: BTreeMap::new(),
            outputs: Outputs::new(output_dir),
            search_stale: true,
            last_ok: false,
            sphinx: sphinx::SphinxState::default(),
            once: false,
            link_spill: None,
        }
    }

    pub fn site(&self) -> &Site {
        &self.site
    }

    /// `kbgen serve`: loads the site and builds it completely, keeping what
    /// a rebuild needs. `Err` only when the site cannot be loaded at all
    /// (config, theme, unsafe output folder); content errors are in the
    /// outcome, and the site is written even then so the preview has
    /// something to show under its error overlay.
    pub fn start(opts: BuildOptions) -> Result<(Engine, RebuildOutcome), Diagnostic> {
        let site = Site::load(&opts)?;
        check_output_dir(&site, opts.force)?;
        let renderer = Renderer::load(Some(&site.theme_dir))?;
        let mut engine = Engine::new(opts, site, renderer);
        let rendered = engine.reload_all();
        engine.update_search();
        let mut outcome = engine.finish(rendered);
        engine.outputs.write_all(&engine.site)?;
        outcome.changed = engine.outputs.paths().map(str::to_string).collect();
        outcome.ok = outcome.report.errors() == 0;
        Ok((engine, outcome))
    }

    /// Rebuilds after `changes`, search index included. Never fails:
    /// problems are diagnostics in the outcome, and a failed build leaves
    /// the output folder untouched.
    pub fn rebuild(&mut self, changes: &ChangeSet) -> RebuildOutcome {
        let mut outcome = self.rebuild_pages(changes);
        if outcome.ok {
            match self.refresh_search() {
                Ok(changed) => outcome.changed.extend(changed),
                Err(d) => {
                    outcome.report.push(d);
                    outcome.ok = false;
                }
            }
        }
        outcome
    }

    /// [`rebuild`](Self::rebuild) without the search index, which depends
    /// on every page's text and costs far more than the edited page (about
    /// 300 ms on a 1,530-page site): the preview reloads the browser as
    /// soon as the pages are written and calls [`refresh_search`](Self::refresh_search)
    /// afterwards.
    pub fn rebuild_pages(&mut self, changes: &ChangeSet) -> RebuildOutcome {
        if changes.full || self.fatal.is_some() {
            let rendered = match self.reload_site() {
                Ok(()) => self.reload_all(),
                Err(d) => {
                    self.fatal = Some(d);
                    0
                }
            };
            return self.finish(rendered);
        }
        // Acceptance: the same rule discovery applies to a whole folder.
        let mut load = Vec::new();
        for rel in &changes.pages {
            let at = self.sources.binary_search_by(|s| s.rel.as_str().cmp(rel));
            let accepted = match page_at(&self.site.source_dir, rel) {
                Ok(page) => {
                    self.refused.remove(rel);
                    page.filter(|p| self.accepts_page(&p.rel))
                }
                Err(refusal) => {
                    self.refused.insert(rel.clone(), refusal);
                    None
                }
            };
            match (accepted, at) {
                (Some(src), Ok(i)) => {
                    self.sources[i] = src.clone();
                    load.push(src);
                }
                (Some(src), Err(i)) => {
                    self.sources.insert(i, src.clone());
                    load.push(src);
                }
                (None, Ok(i)) => {
                    self.sources.remove(i);
                }
                (None, Err(_)) => {}
            }
        }
        let old_plan = self.replan();
        let mut facts = Vec::new();
        for rel in &changes.pages {
            if !load.iter().any(|s| s.rel == *rel) {
                self.render_errors.remove(rel);
                facts.extend(self.project.replace(rel, None, Vec::new()));
            }
        }
        facts.extend(self.load_pages(&load, Sink::Keep));
        let mut rendered = load.len();
        rendered += self.sync_owners(&old_plan, &changes.pages);
        if self.site.sphinx.is_some() {
            let loaded: BTreeSet<String> = load.iter().map(|p| p.rel.clone()).collect();
            rendered = self.render_sphinx(&loaded, None, None);
        }
        self.rerun_readers(&facts, &load);
        self.finish(rendered)
    }

    /// Brings `search-index.js` up to date after [`rebuild_pages`](Self::rebuild_pages)
    /// and writes it when the last build was good. Returns the output paths
    /// written (none when nothing was stale).
    pub fn refresh_search(&mut self) -> Result<Vec<String>, Diagnostic> {
        if !self.search_stale || self.fatal.is_some() {
            return Ok(Vec::new());
        }
        self.update_search();
        if !self.last_ok || !self.outputs.written {
            return Ok(Vec::new());
        }
        self.outputs.write_changes()
    }

    fn reload_site(&mut self) -> Result<(), Diagnostic> {
        let site = Site::load(&self.opts)?;
        if site.output_dir != self.site.output_dir {
            return Err(Diagnostic::error(
                "config",
                format!(
                    "`output` changed to {} while serving",
                    site.output_dir.display()
                ),
            )
            .in_file(&self.opts.config_path)
            .with_help("restart `kbgen serve` to write the site to another folder"));
        }
        let renderer = Renderer::load(Some(&site.theme_dir))?;
        self.site = site;
        self.renderer = renderer;
        self.fatal = None;
        Ok(())
    }

    /// Finds every page and content file, and plans the outputs.
    fn discover(&mut self) {
        let found = Found::walk(&self.site);
        self.take_found(found);
    }

    /// Takes what [`Found::walk`] found as the engine's sources and plans
    /// their outputs.
    fn take_found(&mut self, found: Found) {
        let Found {
            pages: found,
            assets,
            asset_diags,
        } = found;
        let mut diags = found.diags;
        diags.extend(asset_diags);
        self.refused = found.refused.into_iter().collect();
        self.sources = found.pages;
        self.assets = assets;
        if let Some(settings) = &self.site.sphinx {
            let rules = sphinx::SphinxSources::new(settings);
            self.sources.retain(|p| rules.accepts(&p.rel));
            self.assets
                .retain(|a| sphinx::is_published_asset(a) && !rules.excluded(a));
        }
        self.discover_diags = diags;
        self.replan();
    }

    /// Plans the outputs from the current sources; returns the previous plan.
    fn replan(&mut self) -> OutputPlan {
        let generated = generated_paths(&self.site, &self.renderer);
        let plan = OutputPlan::new(&self.site, &generated, &self.sources, &self.assets);
        std::mem::replace(&mut self.plan, plan)
    }

    /// Rediscovers, re-parses and re-renders everything (preview); returns
    /// the pages rendered.
    fn reload_all(&mut self) -> usize {
        self.discover();
        self.project.clear();
        self.render_errors.clear();
        let all = self.sources.clone();
        self.load_pages(&all, Sink::Keep);
        self.sphinx = sphinx::SphinxState::default();
        let every: BTreeSet<String> = all.iter().map(|p| p.rel.clone()).collect();
        self.render_sphinx(&every, None, None);
        self.check_links(None);
        self.project
            .deps
            .record(Reader::SiteFiles, [Fact::Listing, Fact::PageSet]);
        self.project.deps.record(Reader::Search, [Fact::Text]);
        self.refresh_site_files();
        let mut keep: BTreeSet<String> = self.plan.iter().map(|(p, _)| p.to_string()).collect();
        keep.retain(|p| {
            self.outputs.contains(p) || matches!(self.plan.owner(p), Some(Owner::Asset(_)))
        });
        // `:download:` files are outside the plan: the pages name them.
        keep.extend(self.sphinx.download_outputs().cloned());
        for asset in self.plan.assets().map(str::to_string).collect::<Vec<_>>() {
            match self.read_asset(&asset) {
                Ok(bytes) => self.outputs.set(asset, bytes),
                Err(d) => self.discover_diags.push(d),
            }
        }
        self.outputs.retain(|p| keep.contains(p));
        self.search_stale = true;
        all.len()
    }

    /// Makes the outputs follow the plan after pages came or went: a path
    /// whose owner changed gets its new owner's bytes (a page that lost a
    /// collision and now wins is rendered), a path no one owns is removed.
    /// Returns the pages rendered.
    fn sync_owners(&mut self, old: &OutputPlan, loaded: &BTreeSet<String>) -> usize {
        let mut paths: BTreeSet<String> = old.iter().map(|(p, _)| p.to_string()).collect();
        paths.extend(self.plan.iter().map(|(p, _)| p.to_string()));
        let mut render = BTreeSet::new();
        for path in paths {
            let new = self.plan.owner(&path).cloned();
            if old.owner(&path) == new.as_ref() {
                continue;
            }
            match new {
                None => self.outputs.remove(&path),
                Some(Owner::Page(rel)) if !loaded.contains(&rel) => {
                    render.insert(rel);
                }
                Some(Owner::Asset(rel)) => match self.read_asset(&rel) {
                    Ok(bytes) => self.outputs.set(path, bytes),
                    Err(d) => self.discover_diags.push(d),
                },
                // Generated files are rendered by their readers; loaded
                // pages were rendered as they were loaded.
                _ => {}
            }
        }
        self.render(&render)
    }

    /// Whether a page found on disk is one of the site's pages (in a
    /// Sphinx project: its `source_suffix` and `exclude_patterns`).
    fn accepts_page(&self, rel: &str) -> bool {
        match &self.site.sphinx {
            Some(settings) => sphinx::SphinxSources::new(settings).accepts(rel),
            None => true,
        }
    }

    /// Re-renders pages from their kept trees.
    fn render(&mut self, rels: &BTreeSet<String>) -> usize {
        if self.site.sphinx.is_some() {
            // The Sphinx step renders them with their navigation.
            self.sphinx.forget(rels);
            return 0;
        }
        let view = site_view(&self.site);
        let base = self.site.config.base_path();
        let renderer = &self.renderer;
        let results: Vec<_> = self
            .project
            .pages()
            .par_iter()
            .filter(|p| rels.contains(&p.page.rel))
            .filter_map(|p| {
                let doc = p.doc.as_ref()?;
                let html = render_page(renderer, &view, p, doc, base.as_deref(), None);
                Some((p.page.rel.clone(), html))
            })
            .collect();
        let count = results.len();
        for (rel, r) in results {
            match r {
                Ok((out, html)) => {
                    self.render_errors.remove(&rel);
                    self.outputs.set(out, html.into_bytes());
                }
                Err(d) => {
                    self.render_errors.insert(rel, d);
                }
            }
        }
        count
    }

    /// Re-runs every reader of the changed facts, and the link checks of
    /// the pages just loaded (their own links may have changed).
    fn rerun_readers(&mut self, facts: &[Fact], loaded: &[PageSource]) {
        let readers = self.project.deps.readers_of(facts);
        let mut recheck: BTreeSet<String> = loaded.iter().map(|p| p.output_path()).collect();
        let mut site_files = false;
        for reader in readers {
            match reader {
                Reader::LinkCheck(out) => {
                    recheck.insert(out);
                }
                Reader::SiteFiles => site_files = true,
                Reader::Search => self.search_stale = true,
                Reader::Render(_) => {}
            }
        }
        self.check_links(Some(&recheck));
        if site_files {
            self.refresh_site_files();
        }
    }

    /// Renders the generated files the page list and metadata decide.
    fn render_site_files(&mut self) -> Option<Vec<(String, Vec<u8>)>> {
        let view = site_view(&self.site);
        match site_files(&self.site, &self.renderer, &view, self.project.pages()) {
            Ok(files) => {
                self.render_errors.remove("");
                Some(files)
            }
            Err(d) => {
                self.render_errors.insert(String::new(), d);
                None
            }
        }
    }

    fn refresh_site_files(&mut self) {
        for (path, bytes) in self.render_site_files().unwrap_or_default() {
            self.outputs.set(path, bytes);
        }
    }

    /// Recomputes the search index into the outputs.
    fn update_search(&mut self) {
        let (path, bytes) = search_file(self.project.pages());
        self.outputs.set(path, bytes);
        self.search_stale = false;
    }

    fn read_asset(&self, rel: &str) -> Result<Vec<u8>, Diagnostic> {
        read_asset(&self.site, rel)
    }

    /// Every diagnostic of the site as it is now, sorted.
    fn report(&mut self) -> Report {
        let (before, after, _) = self.report_parts();
        // A fatal error stands alone.
        let links = match self.fatal {
            None => self.links.diags.clone(),
            Some(_) => Vec::new(),
        };
        assemble_report(before, links, after, self.site.sphinx.as_deref())
    }

    /// The diagnostics that go before the link check's in the report and
    /// those that go after: the report's order before sorting is fixed
    /// (stable sorting keeps it among equal positions). A one-shot build
    /// moves the pages' diagnostics out (it reports once). Also gives where
    /// in the second part the rendering errors start (the generated files'
    /// error, if any, is the first of them).
    fn report_parts(&mut self) -> (Vec<Diagnostic>, Vec<Diagnostic>, usize) {
        let mut before: Vec<Diagnostic> = self.fatal.iter().cloned().collect();
        let mut after = Vec::new();
        let mut renders_at = 0;
        if self.fatal.is_none() {
            before.extend(self.site.load_diags.iter().cloned());
            before.extend(self.discover_diags.iter().cloned());
            before.extend(self.refused.values().cloned());
            before.extend(self.plan.diags.iter().cloned());
            if self.once {
                before.extend(self.project.take_page_diags());
            } else {
                before.extend(self.project.page_diags().cloned());
            }
            after.extend(self.sphinx.diags.iter().cloned());
            renders_at = after.len();
            after.extend(self.render_errors.values().cloned());
            if self
                .project
                .pages()
                .iter()
                .any(|p| p.page.kind == crate::source::PageKind::Rst)
            {
                after.extend(self.site.unsupported_rst_language());
            }
        }
        (before, after, renders_at)
    }

    /// Collects the report and writes the changed files when the build is good.
    fn finish(&mut self, rendered: usize) -> RebuildOutcome {
        let mut outcome = RebuildOutcome {
            report: self.report(),
            rendered,
            ..RebuildOutcome::default()
        };
        self.last_ok = outcome.report.errors() == 0;
        if !self.last_ok || !self.outputs.written {
            return outcome;
        }
        match self.outputs.write_changes() {
            Ok(changed) => {
                outcome.changed = changed;
                outcome.ok = true;
            }
            Err(d) => outcome.report.push(d),
        }
        outcome
    }
}

/// Reads the content file `rel`. Assets go through the one reader too: a
/// file swapped for a FIFO after discovery must not hang the build, nor a
/// huge one fill memory.
fn read_asset(site: &Site, rel: &str) -> Result<Vec<u8>, Diagnostic> {
    use crate::source::read::{MAX_ASSET_BYTES, read_file_up_to};
    let from = site.source_dir.join(rel);
    read_file_up_to(&from, MAX_ASSET_BYTES).map_err(|e| crate::source::read_diag(&from, &e))
}

/// The report of [`Engine::report_parts`] with the link check's
/// diagnostics between them: conf.py's `suppress_warnings` applied (as
/// Sphinx applies it), sorted.
fn assemble_report(
    before: Vec<Diagnostic>,
    links: Vec<Diagnostic>,
    after: Vec<Diagnostic>,
    sphinx: Option<&crate::config::SphinxSettings>,
) -> Report {
    let mut report = Report {
        diagnostics: before,
    };
    report.extend(links);
    report.extend(after);
    if let Some(settings) = sphinx
        && !settings.suppress_warnings.is_empty()
    {
        report.diagnostics.retain(|d| {
            d.severity != crate::diag::Severity::Warning || !settings.suppresses(d.code)
        });
    }
    report.sort();
    report
}

/// What the source folder holds: its pages and its assets. Walked apart
/// from the engine, so a one-shot build walks it while the theme loads.
pub(super) struct Found {
    pages: crate::source::Discovery,
    assets: Vec<String>,
    asset_diags: Vec<Diagnostic>,
}

impl Found {
    pub(super) fn walk(site: &Site) -> Found {
        // Two walks of the same folder (each a `stat` per entry, since
        // links are followed): side by side they take the time of one.
        let (pages, (assets, asset_diags)) = rayon::join(
            || discover_pages(&site.source_dir),
            || discover_assets(&site.source_dir),
        );
        Found {
            pages,
            assets,
            asset_diags,
        }
    }
}
