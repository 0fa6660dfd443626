//! A stateful, incremental build for `kbgen serve`.
//!
//! A full build parses and renders every page; on a 1,000-page site that is
//! far too slow to run on every save. [`BuildSession`] keeps the loaded
//! [`Site`], the [`Renderer`] (Tera and syntect are costly to load), every
//! parsed page and its diagnostics between builds, so [`BuildSession::rebuild`]
//! re-parses only the pages that changed and re-renders those, the pages that
//! link to them and the index. A template, theme, schema or `book.toml`
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

use crate::ast::Tag;
use crate::diag::{Diagnostic, Report};
use crate::render::{Renderer, SiteView};
use crate::source::discover::{is_editor_junk, page_kind};
use crate::source::{PageSource, discover_pages};

use super::output::{MARKER, check_output_dir, write_site};
use super::{BuildOptions, BuiltPage, Site, load_page, render_page, site_files, site_view};

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
    pages: BTreeMap<String, BuiltPage>,
    /// Diagnostics of each page, including pages that could not be read.
    page_diags: BTreeMap<String, Vec<Diagnostic>>,
    discover_diags: Vec<Diagnostic>,
    /// Error that stops everything: config or theme could not be loaded.
    fatal: Option<Diagnostic>,
    /// Current bytes of every output file, by output path.
    files: BTreeMap<String, Vec<u8>>,
    render_errors: BTreeMap<String, Diagnostic>,
    /// Output path of a page → pages (`rel`) whose references point at it.
    linked_from: BTreeMap<String, BTreeSet<String>>,
    /// Output paths that differ from what is on disk.
    dirty: BTreeSet<String>,
    /// Output paths on disk that no longer exist in the site.
    removed: BTreeSet<String>,
    /// Whether the output folder holds a site written by this session.
    written: bool,
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
            pages: BTreeMap::new(),
            page_diags: BTreeMap::new(),
            discover_diags: Vec::new(),
            fatal: None,
            files: BTreeMap::new(),
            render_errors: BTreeMap::new(),
            linked_from: BTreeMap::new(),
            dirty: BTreeSet::new(),
            removed: BTreeSet::new(),
            written: false,
        };
        let rendered = session.reload_pages();
        let mut outcome = session.finish(rendered);
        if !session.written && session.fatal.is_none() {
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
        }
        Ok((session, outcome))
    }

    pub fn site(&self) -> &Site {
        &self.site
    }

    /// Rebuilds after `changes`. Never fails: problems are diagnostics in
    /// the outcome, and a failed build leaves the output folder untouched.
    pub fn rebuild(&mut self, changes: &ChangeSet) -> RebuildOutcome {
        if changes.full || self.fatal.is_some() {
            return match self.reload_site() {
                Ok(()) => {
                    let rendered = self.reload_pages();
                    self.finish(rendered)
                }
                Err(d) => {
                    self.fatal = Some(d);
                    self.finish(0)
                }
            };
        }
        let mut to_render: BTreeSet<String> = BTreeSet::new();
        for rel in &changes.pages {
            let out = output_path_of(rel);
            // Pages linking to a changed page are re-rendered, whatever changed in it.
            if let Some(from) = self.linked_from.get(&out) {
                to_render.extend(from.iter().cloned());
            }
            self.forget_links(rel);
            let path = self.site.source_dir.join(rel);
            let is_page = path.is_file() && page_kind(&path).is_some() && !has_junk_component(rel);
            self.pages.remove(rel);
            self.page_diags.remove(rel);
            if !is_page {
                self.drop_output(&out);
                continue;
            }
            let Some(kind) = page_kind(&path) else {
                continue;
            };
            let source = PageSource {
                path,
                rel: rel.clone(),
                kind,
            };
            match load_page(&self.site, &source) {
                Ok((page, diags)) => {
                    self.remember_links(&page);
                    self.page_diags.insert(rel.clone(), diags);
                    self.pages.insert(rel.clone(), page);
                    to_render.insert(rel.clone());
                }
                Err(d) => {
                    self.page_diags.insert(rel.clone(), vec![d]);
                    self.drop_output(&out);
                }
            }
        }
        to_render.retain(|rel| self.pages.contains_key(rel));
        let rendered = self.render(&to_render);
        self.finish(rendered)
    }

    fn reload_site(&mut self) -> Result<(), Diagnostic> {
        let site = Site::load(&self.opts)?;
        let renderer = Renderer::load(Some(&site.theme_dir))?;
        self.site = site;
        self.renderer = renderer;
        self.fatal = None;
        Ok(())
    }

    /// Rediscovers, re-parses and re-renders every page; returns how many were rendered.
    fn reload_pages(&mut self) -> usize {
        let (sources, discover_diags) = discover_pages(&self.site.source_dir);
        self.discover_diags = discover_diags;
        let site = &self.site;
        let results: Vec<_> = sources
            .par_iter()
            .map(|p| (p.rel.clone(), load_page(site, p)))
            .collect();
        self.pages.clear();
        self.page_diags.clear();
        self.linked_from.clear();
        for (rel, r) in results {
            match r {
                Ok((page, diags)) => {
                    self.remember_links(&page);
                    self.page_diags.insert(rel.clone(), diags);
                    self.pages.insert(rel, page);
                }
                Err(d) => {
                    self.page_diags.insert(rel, vec![d]);
                }
            }
        }
        let live: BTreeSet<String> = self.pages.values().map(|p| p.page.output_path()).collect();
        let stale: Vec<String> = self
            .files
            .keys()
            .filter(|k| k.ends_with(".html") && !live.contains(*k) && !is_site_file(k))
            .cloned()
            .collect();
        for out in stale {
            self.drop_output(&out);
        }
        let all: BTreeSet<String> = self.pages.keys().cloned().collect();
        self.render(&all)
    }

    /// Renders `rels` and the site-wide files into `self.files`, marking what changed.
    fn render(&mut self, rels: &BTreeSet<String>) -> usize {
        let view: SiteView = site_view(&self.site);
        let base = self.site.config.base_path();
        let targets: Vec<&BuiltPage> = rels.iter().filter_map(|r| self.pages.get(r)).collect();
        let renderer = &self.renderer;
        let results: Vec<_> = targets
            .par_iter()
            .map(|p| {
                (
                    p.page.rel.clone(),
                    render_page(renderer, &view, p, base.as_deref()),
                )
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
        self.render_errors
            .retain(|rel, _| self.pages.contains_key(rel));
        let pages: Vec<BuiltPage> = self.pages.values().cloned().collect();
        match site_files(&self.site, &self.renderer, &view, &pages) {
            Ok(files) => {
                let names: BTreeSet<String> = files.iter().map(|(n, _)| n.clone()).collect();
                let old_assets: Vec<String> = self
                    .files
                    .keys()
                    .filter(|k| k.starts_with("static/") && !names.contains(*k))
                    .cloned()
                    .collect();
                for old in old_assets {
                    self.drop_output(&old);
                }
                for (name, bytes) in files {
                    self.set_file(name, bytes);
                }
                self.render_errors.remove("");
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

    fn remember_links(&mut self, page: &BuiltPage) {
        let from = page.page.output_path();
        let base = self.site.config.base_path();
        page.doc.walk(&mut |e| {
            if e.tag != Tag::Reference {
                return;
            }
            if let Some(target) = e
                .get("refuri")
                .and_then(|u| link_target(&from, u, base.as_deref()))
            {
                self.linked_from
                    .entry(target)
                    .or_default()
                    .insert(page.page.rel.clone());
            }
        });
    }

    fn forget_links(&mut self, rel: &str) {
        for from in self.linked_from.values_mut() {
            from.remove(rel);
        }
        self.linked_from.retain(|_, v| !v.is_empty());
    }

    /// Collects the report and writes the changed files when the build is good.
    fn finish(&mut self, rendered: usize) -> RebuildOutcome {
        let mut report = Report::default();
        report.extend(self.fatal.iter().cloned());
        report.extend(self.discover_diags.iter().cloned());
        for diags in self.page_diags.values() {
            report.extend(diags.iter().cloned());
        }
        report.extend(self.render_errors.values().cloned());
        report.sort();
        let mut outcome = RebuildOutcome {
            report,
            rendered,
            ..RebuildOutcome::default()
        };
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

fn is_site_file(out: &str) -> bool {
    out == "index.html" || out == "404.html" || out.starts_with("static/")
}

/// Resolves a reference URI found in the page at `from` to an output path
/// relative to the site root, or `None` for external links and anchors.
pub fn link_target(from: &str, uri: &str, base: Option<&str>) -> Option<String> {
    let uri = uri.split(['#', '?']).next().unwrap_or("");
    if uri.is_empty() || uri.contains("://") || uri.starts_with("mailto:") || uri.starts_with("//")
    {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    let rest = if let Some(abs) = uri.strip_prefix('/') {
        match base {
            Some(b) => uri
                .strip_prefix(b)
                .or_else(|| abs.strip_prefix(b.trim_start_matches('/')))?,
            None => abs,
        }
    } else {
        parts.extend(from.split('/'));
        parts.pop();
        uri
    };
    for seg in rest.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
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
    fn link_targets_resolve_relative_to_the_page() {
        assert_eq!(
            link_target("kbase/a.html", "b.html#x", None).as_deref(),
            Some("kbase/b.html")
        );
        assert_eq!(
            link_target("kbase/a.html", "../c/d.html", None).as_deref(),
            Some("c/d.html")
        );
        assert_eq!(link_target("a.html", "../../x.html", None), None);
        assert_eq!(link_target("a.html", "https://x.org/a.html", None), None);
        assert_eq!(
            link_target("a/b.html", "/docs/k/x.html", Some("/docs/")).as_deref(),
            Some("k/x.html")
        );
        assert_eq!(
            link_target("a/b.html", "/k/x.html", None).as_deref(),
            Some("k/x.html")
        );
    }

    #[test]
    fn output_path_matches_page_source() {
        assert_eq!(output_path_of("kbase/a.b.rst"), "kbase/a.b.html");
        assert_eq!(output_path_of("x.md"), "x.html");
    }
}
