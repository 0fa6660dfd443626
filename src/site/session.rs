//! A stateful, incremental build for `kbgen serve`.
//!
//! A full build parses and renders every page; on a 1,000-page site that is
//! far too slow to run on every save. [`BuildSession`] keeps the loaded
//! [`Site`], the [`Renderer`] (Tera and syntect are costly to load), every
//! parsed page and its diagnostics between builds, so [`BuildSession::rebuild`]
//! re-parses only the pages that changed and re-renders those, the pages that
//! link to them, the search index, and the index when a title or category
//! changed. A template, theme, schema or `book.toml`
//! change reloads everything.
//!
//! Only files whose bytes changed are written, each atomically (temporary
//! file + rename), so the preview server never reads a half-written page.
//! A failed build writes nothing: the last good output stays in place and
//! the pending changes are written by the next good build. The output is
//! byte-identical to a full `kbgen build` of the same sources.

// `Diagnostic` is the crate-wide error type; errors here are rare, cold
// paths, so its size does not matter.
#![allow(clippy::result_large_err)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use rayon::prelude::*;

use crate::diag::{Diagnostic, Report};
use crate::passes::links::{LinkChecker, PageCheck, SiteTargets, unreachable_pages};
use crate::passes::metadata::PageMeta;
use crate::render::{Renderer, SiteView};
use crate::source::discover::{is_editor_junk, page_kind};
use crate::source::{PageSource, discover_pages};

use super::assets::discover_assets;
use super::output::{MARKER, check_output_dir, write_site};
use super::{
    BuildOptions, BuiltPage, Site, load_page, render_page, search_file, site_files, site_view,
};

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

    /// Adds another change set's changes to this one (event coalescing).
    pub fn merge(&mut self, other: ChangeSet) {
        self.full |= other.full;
        self.pages.extend(other.pages);
    }
}

/// Result of one (re)build.
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

/// Build state kept between rebuilds. See the module documentation.
pub struct BuildSession {
    opts: BuildOptions,
    site: Site,
    renderer: Renderer,
    /// Parsed pages, sorted by `rel` as the full build has them.
    pages: Vec<BuiltPage>,
    /// Diagnostics of each page, including pages that could not be read.
    page_diags: BTreeMap<String, Vec<Diagnostic>>,
    /// Page and asset discovery, and asset reading.
    discover_diags: Vec<Diagnostic>,
    /// Content-relative paths of the non-page files copied into the site.
    assets: Vec<String>,
    link_diags: Vec<Diagnostic>,
    /// Link check of each page by output path, kept so an edit re-checks
    /// only the pages whose links it can affect.
    page_checks: BTreeMap<String, PageCheck>,
    /// Output path of a page → output paths it links to.
    links: BTreeMap<String, BTreeSet<String>>,
    /// Error that stops everything: config or theme could not be loaded.
    fatal: Option<Diagnostic>,
    /// Current bytes of every output file, by output path.
    files: BTreeMap<String, Vec<u8>>,
    /// Rendering errors by page `rel`; `""` for the site-wide files.
    render_errors: BTreeMap<String, Diagnostic>,
    /// Names of the site-wide files (index, 404, theme assets, sitemap).
    site_names: BTreeSet<String>,
    /// What the site-wide files were last rendered from: they depend only on
    /// each page's output path and metadata, so editing a page's body
    /// (the common case) skips them. `None` forces the next render.
    site_inputs: Option<Vec<(String, PageMeta)>>,
    /// Output paths that differ from what is on disk.
    dirty: BTreeSet<String>,
    /// Output paths on disk that no longer exist in the site.
    removed: BTreeSet<String>,
    /// Whether the output folder holds a site written by this session.
    written: bool,
    /// Whether page text changed since `search-index.js` was last made.
    search_stale: bool,
    /// Whether the last build had no errors (so its output may be written).
    last_ok: bool,
}

impl BuildSession {
    /// Loads the site and builds it completely. `Err` only when the site
    /// cannot be loaded at all (config, theme, unsafe output folder); content
    /// errors are in the outcome, and the site is written even then so the
    /// preview has something to show under its error overlay.
    pub fn start(opts: BuildOptions) -> Result<(BuildSession, RebuildOutcome), Diagnostic> {
        let site = Site::load(&opts)?;
        check_output_dir(&site, opts.force)?;
        let renderer = Renderer::load(Some(&site.theme_dir))?;
        let mut session = BuildSession {
            opts,
            site,
            renderer,
            pages: Vec::new(),
            page_diags: BTreeMap::new(),
            discover_diags: Vec::new(),
            assets: Vec::new(),
            link_diags: Vec::new(),
            page_checks: BTreeMap::new(),
            links: BTreeMap::new(),
            fatal: None,
            files: BTreeMap::new(),
            render_errors: BTreeMap::new(),
            site_names: BTreeSet::new(),
            site_inputs: None,
            dirty: BTreeSet::new(),
            removed: BTreeSet::new(),
            written: false,
            search_stale: true,
            last_ok: false,
        };
        let rendered = session.reload_all();
        session.update_search();
        let mut outcome = session.finish(rendered);
        let files: Vec<(String, Vec<u8>)> = session
            .files
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        write_site(&session.site, &files)?;
        session.written = true;
        session.dirty.clear();
        session.removed.clear();
        outcome.changed = session.files.keys().cloned().collect();
        outcome.ok = outcome.report.errors() == 0;
        Ok((session, outcome))
    }

    pub fn site(&self) -> &Site {
        &self.site
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
            return match self.reload_site() {
                Ok(()) => {
                    let rendered = self.reload_all();
                    self.finish(rendered)
                }
                Err(d) => {
                    self.fatal = Some(d);
                    self.finish(0)
                }
            };
        }
        let mut changed_outputs = BTreeSet::new();
        for rel in &changes.pages {
            changed_outputs.insert(output_path_of(rel));
            self.reload_page(rel);
        }
        let old_links = std::mem::take(&mut self.links);
        self.check_links(Some(&changed_outputs));
        // Re-render changed pages and every page linking to one, before or now.
        let links_to_changed = |links: &BTreeMap<String, BTreeSet<String>>, out: &str| {
            links
                .get(out)
                .is_some_and(|to| !to.is_disjoint(&changed_outputs))
        };
        let to_render: BTreeSet<String> = self
            .pages
            .iter()
            .filter(|p| {
                let out = p.page.output_path();
                changes.pages.contains(&p.page.rel)
                    || links_to_changed(&old_links, &out)
                    || links_to_changed(&self.links, &out)
            })
            .map(|p| p.page.rel.clone())
            .collect();
        let rendered = self.render(&to_render);
        self.finish(rendered)
    }

    fn reload_site(&mut self) -> Result<(), Diagnostic> {
        let site = Site::load(&self.opts)?;
        let renderer = Renderer::load(Some(&site.theme_dir))?;
        self.site = site;
        self.renderer = renderer;
        self.fatal = None;
        self.site_inputs = None;
        Ok(())
    }

    /// Re-reads one page (or notices it is gone).
    fn reload_page(&mut self, rel: &str) {
        let path = self.site.source_dir.join(rel);
        if let Ok(i) = self.find(rel) {
            self.pages.remove(i);
        }
        self.page_diags.remove(rel);
        self.render_errors.remove(rel);
        let kind = page_kind(&path).filter(|_| path.is_file() && !has_junk_component(rel));
        let Some(kind) = kind else {
            self.drop_output(&output_path_of(rel));
            return;
        };
        let source = PageSource {
            path,
            rel: rel.to_string(),
            kind,
        };
        match load_page(&self.site, &source) {
            Ok((page, diags)) => {
                self.page_diags.insert(rel.to_string(), diags);
                if let Err(i) = self.find(rel) {
                    self.pages.insert(i, page);
                }
            }
            Err(d) => {
                self.page_diags.insert(rel.to_string(), vec![d]);
                self.drop_output(&output_path_of(rel));
            }
        }
    }

    fn find(&self, rel: &str) -> Result<usize, usize> {
        self.pages
            .binary_search_by(|p| p.page.rel.as_str().cmp(rel))
    }

    /// Rediscovers, re-parses and re-renders everything; returns the pages rendered.
    fn reload_all(&mut self) -> usize {
        let (sources, mut diags) = discover_pages(&self.site.source_dir);
        let (assets, asset_diags) = discover_assets(&self.site.source_dir);
        diags.extend(asset_diags);
        let site = &self.site;
        let results: Vec<_> = sources
            .par_iter()
            .map(|p| (p.rel.clone(), load_page(site, p)))
            .collect();
        self.pages.clear();
        self.page_diags.clear();
        self.render_errors.clear();
        for (rel, r) in results {
            match r {
                Ok((page, d)) => {
                    self.page_diags.insert(rel, d);
                    self.pages.push(page);
                }
                Err(d) => {
                    self.page_diags.insert(rel, vec![d]);
                }
            }
        }
        self.assets = assets;
        self.check_links(None);
        let old: BTreeSet<String> = self.files.keys().cloned().collect();
        let all: BTreeSet<String> = self.pages.iter().map(|p| p.page.rel.clone()).collect();
        let rendered = self.render(&all);
        let mut keep: BTreeSet<String> = self.pages.iter().map(|p| p.page.output_path()).collect();
        keep.extend(self.site_names.iter().cloned());
        keep.insert(super::search::INDEX_PATH.to_string());
        for asset in self.assets.clone() {
            let path = self.site.source_dir.join(&asset);
            match std::fs::read(&path) {
                Ok(bytes) if !keep.contains(&asset) => {
                    self.set_file(asset.clone(), bytes);
                    keep.insert(asset);
                }
                Ok(_) => {}
                Err(e) => diags.push(crate::source::io_diag(&path, &e)),
            }
        }
        for stale in old.difference(&keep) {
            self.drop_output(stale);
        }
        self.discover_diags = diags;
        rendered
    }

    /// The site-wide link check. With `changed` (output paths of edited
    /// pages, the set of pages being the same) only those pages and the
    /// pages whose links resolve to one of them are checked again: nothing
    /// else can have changed, since a page's check depends only on its own
    /// links and the targets they reach. The result is the full check's.
    fn check_links(&mut self, changed: Option<&BTreeSet<String>>) {
        let outputs: Vec<String> = self.pages.iter().map(|p| p.page.output_path()).collect();
        let link_pages = super::link_pages(&self.pages, &outputs);
        let targets = SiteTargets::new(&link_pages, self.assets.iter().cloned());
        let mut old = std::mem::take(&mut self.page_checks);
        let same_pages = old.len() == outputs.len() && outputs.iter().all(|o| old.contains_key(o));
        let mut checker = LinkChecker::new(&targets);
        let mut checks = BTreeMap::new();
        for (page, out) in link_pages.iter().zip(&outputs) {
            let check = match (changed, old.remove(out)) {
                (Some(changed), Some(prev))
                    if same_pages
                        && !changed.contains(out)
                        && prev.depends_on.is_disjoint(changed) =>
                {
                    prev
                }
                _ => checker.check(page),
            };
            checks.insert(out.clone(), check);
        }
        let graph: BTreeMap<String, BTreeSet<String>> = checks
            .iter()
            .map(|(out, c)| (out.clone(), c.links_to.clone()))
            .collect();
        let mut diags: Vec<Diagnostic> = checks
            .values()
            .flat_map(|c| c.diags.iter().cloned())
            .collect();
        diags.extend(unreachable_pages(&link_pages, &graph));
        self.link_diags = super::apply_link_policy(&self.site, diags);
        self.links = graph;
        self.page_checks = checks;
    }

    /// Brings `search-index.js` up to date after [`rebuild_pages`](Self::rebuild_pages)
    /// and writes it when the last build was good. Returns the output paths
    /// written (none when nothing was stale).
    pub fn refresh_search(&mut self) -> Result<Vec<String>, Diagnostic> {
        if !self.search_stale || self.fatal.is_some() {
            return Ok(Vec::new());
        }
        self.update_search();
        if !self.last_ok || !self.written {
            return Ok(Vec::new());
        }
        self.write_changes()
    }

    /// Recomputes the search index into `self.files`. Page outputs win over
    /// it, as in a full build.
    fn update_search(&mut self) {
        let (search_path, search) = search_file(&self.pages);
        if !self
            .pages
            .iter()
            .any(|p| p.page.output_path() == search_path)
        {
            self.set_file(search_path, search);
        }
        self.search_stale = false;
    }

    /// Renders `rels` and the site-wide files into `self.files`, marking what changed.
    fn render(&mut self, rels: &BTreeSet<String>) -> usize {
        let view: SiteView = site_view(&self.site);
        let base = self.site.config.base_path();
        let renderer = &self.renderer;
        let results: Vec<_> = self
            .pages
            .par_iter()
            .filter(|p| rels.contains(&p.page.rel))
            .filter_map(|p| {
                let doc = p.doc.as_ref()?;
                Some((
                    p.page.rel.clone(),
                    render_page(renderer, &view, p, doc, base.as_deref()),
                ))
            })
            .collect();
        let count = results.len();
        for (rel, r) in results {
            match r {
                Ok((out, html)) => {
                    self.render_errors.remove(&rel);
                    self.set_file(out, html.into_bytes());
                }
                Err(d) => {
                    self.render_errors.insert(rel, d);
                }
            }
        }
        // The search index follows every edit, in `refresh_search`.
        self.search_stale = true;
        let inputs: Vec<(String, PageMeta)> = self
            .pages
            .iter()
            .map(|p| (p.page.output_path(), p.meta.clone()))
            .collect();
        if self.site_inputs.as_ref() == Some(&inputs) {
            return count;
        }
        self.site_inputs = None;
        match site_files(&self.site, &self.renderer, &view, &self.pages) {
            Ok(files) => {
                self.render_errors.remove("");
                // A page's output wins over a generated file of the same name, as in a full build.
                let pages: BTreeSet<String> =
                    self.pages.iter().map(|p| p.page.output_path()).collect();
                let names: BTreeSet<String> = files.iter().map(|(n, _)| n.clone()).collect();
                for gone in self
                    .site_names
                    .difference(&names)
                    .cloned()
                    .collect::<Vec<_>>()
                {
                    if !pages.contains(&gone) {
                        self.drop_output(&gone);
                    }
                }
                for (name, bytes) in files {
                    if !pages.contains(&name) {
                        self.set_file(name, bytes);
                    }
                }
                self.site_names = names;
                self.site_inputs = Some(inputs);
            }
            Err(d) => {
                self.render_errors.insert(String::new(), d);
            }
        }
        count
    }

    fn set_file(&mut self, out: String, bytes: Vec<u8>) {
        if self.files.get(&out) == Some(&bytes) {
            return;
        }
        self.removed.remove(&out);
        self.dirty.insert(out.clone());
        self.files.insert(out, bytes);
    }

    fn drop_output(&mut self, out: &str) {
        if self.files.remove(out).is_some() {
            self.dirty.remove(out);
            self.removed.insert(out.to_string());
        }
    }

    /// Collects the report and writes the changed files when the build is good.
    fn finish(&mut self, rendered: usize) -> RebuildOutcome {
        let mut report = Report::default();
        report.extend(self.fatal.iter().cloned());
        if self.fatal.is_none() {
            report.extend(self.discover_diags.iter().cloned());
            for diags in self.page_diags.values() {
                report.extend(diags.iter().cloned());
            }
            report.extend(self.link_diags.iter().cloned());
            report.extend(self.render_errors.values().cloned());
        }
        report.sort();
        let mut outcome = RebuildOutcome {
            report,
            rendered,
            ..RebuildOutcome::default()
        };
        self.last_ok = outcome.report.errors() == 0;
        if outcome.report.errors() > 0 || !self.written {
            return outcome;
        }
        match self.write_changes() {
            Ok(changed) => {
                outcome.changed = changed;
                outcome.ok = true;
            }
            Err(d) => {
                outcome.report.push(d);
            }
        }
        outcome
    }

    fn write_changes(&mut self) -> Result<Vec<String>, Diagnostic> {
        let root = self.site.output_dir.clone();
        let mut changed = Vec::new();
        for out in std::mem::take(&mut self.dirty) {
            if let Some(bytes) = self.files.get(&out) {
                write_atomically(&root, &out, bytes)?;
                changed.push(out);
            }
        }
        for out in std::mem::take(&mut self.removed) {
            remove_output(&root, &out);
            changed.push(out);
        }
        Ok(changed)
    }
}

/// Output path of a content-relative page path, as [`PageSource::output_path`] gives.
fn output_path_of(rel: &str) -> String {
    match rel.rfind('.') {
        Some(dot) if !rel[dot..].contains('/') => format!("{}.html", &rel[..dot]),
        _ => format!("{rel}.html"),
    }
}

fn has_junk_component(rel: &str) -> bool {
    rel.split('/').any(is_editor_junk)
}

/// Writes one output file through a temporary file and a rename.
fn write_atomically(root: &Path, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
    if rel.split('/').any(|c| c == ".." || c.is_empty()) {
        return Err(Diagnostic::error(
            "io",
            format!("refusing to write outside the output folder: {rel}"),
        ));
    }
    let path = root.join(rel);
    let io = |p: &Path, e: std::io::Error| {
        Diagnostic::error("io", format!("cannot write {}: {e}", p.display())).in_file(p)
    };
    let dir = path.parent().unwrap_or(root);
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.kbgen-tmp-{}", std::process::id()));
    std::fs::write(&tmp, bytes).map_err(|e| io(&tmp, e))?;
    std::fs::rename(&tmp, &path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io(&path, e)
    })
}

/// Removes an output file and the folders it leaves empty (a full build
/// would not create them), never the output root or its marker.
fn remove_output(root: &Path, rel: &str) {
    if rel.split('/').any(|c| c == ".." || c.is_empty()) || rel == MARKER {
        return;
    }
    let path = root.join(rel);
    let _ = std::fs::remove_file(&path);
    let mut dir = path.parent();
    while let Some(d) = dir {
        if d == root || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_path_matches_page_source() {
        assert_eq!(output_path_of("kbase/a.b.rst"), "kbase/a.b.html");
        assert_eq!(output_path_of("x.md"), "x.html");
    }
}
