//! The engine's Sphinx step. In a Sphinx project a page's HTML shows other
//! pages (toctrees, the sidebar, previous and next, cross-references), so
//! pages are rendered after all of them are loaded: the project model
//! ([`SphinxProject`]) is built from every page's facts, each page's
//! [`RenderInputs`] are computed from it, and a page is rendered when it
//! was just loaded or its inputs differ from those it was last rendered
//! with. A full build is the case where every page is new.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

use globset::{Glob, GlobSet, GlobSetBuilder};
use rayon::prelude::*;

use crate::config::SphinxSettings;
use crate::diag::Diagnostic;
use crate::render::html::HtmlContext;
use crate::source::PageSource;

use super::super::doctree::downloads::{self, DownloadRoots};
use super::super::doctree::genindex;
use super::super::doctree::{
    ProjectPage, RenderInputs, SphinxProject, apply_inputs, apply_own, inventory, renders_alone,
};
use super::super::output::Staging;
use super::super::page::{BuiltPage, PageBody, render_page_body};
use super::super::timings::{PageStage, StageClock, ThreadCpu};
use super::super::{parse_page, render_page, site_view};
use super::Engine;

/// Output path of the inventory.
pub const OBJECTS_INV: &str = "objects.inv";

/// What the engine keeps of a Sphinx project between rebuilds.
#[derive(Debug, Default)]
pub struct SphinxState {
    pub project: SphinxProject,
    /// The inputs each page (by `rel`) was last rendered with.
    rendered: BTreeMap<String, RenderInputs>,
    /// Project-wide diagnostics and every page's unresolved references.
    pub diags: Vec<Diagnostic>,
    /// The `_downloads/` files the preview serves: one no page names any
    /// more (the role was removed, or names another file) is removed, as a
    /// full build would not write it.
    downloads: BTreeSet<String>,
}

/// The page's docname: its path without the suffix.
pub fn docname(rel: &str) -> &str {
    match rel.rfind('.') {
        Some(dot) if !rel[dot..].contains('/') => &rel[..dot],
        _ => rel,
    }
}

/// Which content files are pages of a Sphinx project: `source_suffix`,
/// minus `exclude_patterns` (and Sphinx's own `_build`).
pub struct SphinxSources {
    suffixes: Vec<String>,
    excluded: GlobSet,
}

impl SphinxSources {
    pub fn new(settings: &SphinxSettings) -> SphinxSources {
        let mut b = GlobSetBuilder::new();
        for pattern in settings
            .exclude_patterns
            .iter()
            .map(String::as_str)
            .chain(["_build", "_build/**"])
        {
            if let Ok(g) = globset::GlobBuilder::new(pattern)
                .literal_separator(true)
                .build()
            {
                b.add(g);
            }
            if let Ok(g) = Glob::new(&format!("{}/**", pattern.trim_end_matches('/'))) {
                b.add(g);
            }
        }
        SphinxSources {
            suffixes: settings.source_suffix.keys().cloned().collect(),
            excluded: b.build().unwrap_or_else(|_| GlobSet::empty()),
        }
    }

    pub fn accepts(&self, rel: &str) -> bool {
        self.suffixes.iter().any(|s| rel.ends_with(s.as_str())) && !self.excluded(rel)
    }

    /// Whether `rel` is under an excluded pattern (pages and files alike).
    pub fn excluded(&self, rel: &str) -> bool {
        self.excluded.is_match(rel)
    }
}

/// Files of a Sphinx source folder that are published as they are: images
/// and other media pages show (Sphinx copies them to `_images/`; kbgen
/// keeps their paths, which the pages' relative links already point at).
/// conf.py, extensions, makefiles and included fragments stay private.
pub fn is_published_asset(rel: &str) -> bool {
    let ext = rel.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    matches!(
        ext.as_str(),
        "png" | "jpg" | "jpeg" | "gif" | "svg" | "webp" | "ico" | "pdf" | "bmp"
    )
}

/// What became of one page in [`Engine::render_sphinx`].
enum Rendered {
    /// Not rendered: unpublished, unchanged, or without a tree.
    Not,
    /// Written to the staging folder (nowhere for `check`); a failed
    /// write is its diagnostic.
    Written(Option<Diagnostic>),
    /// `(output path, HTML)` for the engine's outputs (preview).
    Kept(String, String),
    /// The theme's template failed.
    Failed(Diagnostic),
}

/// Writes a rendered page when the build streams (so no page's HTML waits
/// for the others), counting CPU since `started` as render, then write.
fn finish(
    html: Result<(String, String), Diagnostic>,
    staging: Option<Option<&Staging>>,
    clock: Option<&StageClock>,
    started: ThreadCpu,
) -> Rendered {
    let rendered = clock.map(|c| c.add(PageStage::Render, started));
    let (path, html) = match html {
        Ok(page) => page,
        Err(d) => return Rendered::Failed(d),
    };
    let Some(staging) = staging else {
        return Rendered::Kept(path, html);
    };
    let write_error = staging.and_then(|s| s.write(&path, html.as_bytes()).err());
    if let (Some(clock), Some(since)) = (clock, rendered) {
        clock.add(PageStage::Write, since);
    }
    Rendered::Written(write_error)
}

/// Renders the body of a Sphinx page as soon as it is loaded when nothing
/// of the project can change it ([`renders_alone`]), and drops its tree:
/// the project model needs only the page's facts, so a project's trees
/// are not all held until every page is loaded. Full builds only (the
/// preview keeps trees to render pages again).
pub(super) fn prerender(page: &mut BuiltPage, settings: &SphinxSettings, ctx: &HtmlContext) {
    let Some(facts) = &page.doc_facts else {
        return;
    };
    if !renders_alone(settings, facts) {
        return;
    }
    let Some(mut tree) = page.doc.take() else {
        return;
    };
    // What the project would do to this tree: nothing but the page's own
    // changes.
    apply_own(&mut tree, facts);
    page.body = Some(PageBody::of(&tree, ctx));
}

impl SphinxState {
    /// The `_downloads/` files the pages name now (preview).
    pub fn download_outputs(&self) -> impl Iterator<Item = &String> {
        self.downloads.iter()
    }

    /// Makes the next Sphinx step render these pages whatever their inputs.
    pub fn forget(&mut self, rels: &BTreeSet<String>) {
        for rel in rels {
            self.rendered.remove(rel);
        }
    }
}

impl Engine {
    pub(super) fn sphinx_settings(&self) -> Option<Arc<SphinxSettings>> {
        self.site.sphinx.clone()
    }

    /// Rebuilds the project model and renders the pages that need it:
    /// every page in `force`, and every other page whose inputs changed.
    /// With `staging`, pages are written there as they are rendered and
    /// their trees dropped (full build, its per-page CPU counted on
    /// `clock`); otherwise their HTML goes to the engine's outputs.
    /// Returns the pages rendered.
    pub(super) fn render_sphinx(
        &mut self,
        force: &BTreeSet<String>,
        staging: Option<Option<&Staging>>,
        clock: Option<&StageClock>,
    ) -> usize {
        let Some(settings) = self.sphinx_settings() else {
            return 0;
        };
        let pages: Vec<ProjectPage> = self
            .project
            .pages()
            .iter()
            .filter_map(|p| {
                Some(ProjectPage {
                    docname: docname(&p.page.rel).to_string(),
                    facts: p.doc_facts.clone()?,
                    source: &p.source,
                })
            })
            .collect();
        let project = SphinxProject::build(settings, &pages);
        drop(pages);
        let view = site_view(&self.site);
        let base = self.site.config.base_path();
        let ctx = HtmlContext {
            highlighter: &self.renderer.highlighter,
        };
        let roots = DownloadRoots {
            source_dir: &self.site.source_dir,
            include_root: &self.site.include_root,
        };
        let plan = &self.plan;
        let renderer = &self.renderer;
        let site = &self.site;
        let rendered = &self.sphinx.rendered;
        let published = |p: &PageSource| plan.page_is_published(p);
        let streaming = staging.is_some();
        let pages = self.project.pages_mut();
        let render_one = |page: &mut BuiltPage| {
            let started = ThreadCpu::now();
            let rel = page.page.rel.clone();
            let doc_name = docname(&rel).to_string();
            // A body rendered while loading, when the project left its
            // tree as it was; otherwise the page is read again.
            if page.doc.is_none()
                && let Some(body) = page.body.take()
            {
                match project.inputs_without_tree(&ctx, &doc_name) {
                    Some(inputs) => {
                        let diags = inputs.diags.clone();
                        let html = render_page_body(
                            renderer,
                            &view,
                            page,
                            body,
                            base.as_deref(),
                            Some(&inputs.nav),
                        );
                        let out = finish(html, staging, clock, started);
                        return (rel, Some(inputs), out, diags);
                    }
                    None => page.doc = Some(parse_page(site, &page.page, &page.source).0),
                }
            }
            let Some(tree) = page.doc.as_ref() else {
                return (rel, None, Rendered::Not, Vec::new());
            };
            let mut inputs = project.inputs(&ctx, &doc_name, tree, &page.source);
            let (files, download_diags) =
                downloads::page_downloads(tree, &doc_name, &roots, &page.source);
            inputs.downloads = files;
            inputs.diags.extend(download_diags);
            let diags = inputs.diags.clone();
            let stale = force.contains(&rel) || rendered.get(&rel) != Some(&inputs);
            if !published(&page.page) || !stale {
                if streaming {
                    page.doc = None;
                }
                return (rel, Some(inputs), Rendered::Not, diags);
            }
            let kept = match streaming {
                true => page.doc.take(),
                false => page.doc.clone(),
            };
            let Some(mut tree) = kept else {
                return (rel, Some(inputs), Rendered::Not, diags);
            };
            apply_inputs(&mut tree, &doc_name, &inputs);
            let html = render_page(
                renderer,
                &view,
                page,
                &tree,
                base.as_deref(),
                Some(&inputs.nav),
            );
            drop(tree);
            let out = finish(html, staging, clock, started);
            (rel, Some(inputs), out, diags)
        };
        // The index of terms and `objects.inv` (zlib at its best level)
        // are made while the pages render: each is one thread's work.
        let (results, (genindex_html, inv)): (Vec<_>, _) = rayon::join(
            || pages.par_iter_mut().map(render_one).collect(),
            || {
                (
                    render_genindex(site, renderer, &project, &ctx),
                    inventory::objects_inv(&project),
                )
            },
        );
        let mut count = 0;
        let mut diags: Vec<Diagnostic> = project.diags().cloned().collect();
        for (rel, inputs, out, page_diags) in results {
            diags.extend(page_diags);
            if let Some(inputs) = inputs {
                self.sphinx.rendered.insert(rel.clone(), inputs);
            }
            match out {
                Rendered::Not => {}
                Rendered::Written(write_error) => {
                    count += 1;
                    self.render_errors.remove(&rel);
                    diags.extend(write_error);
                }
                Rendered::Kept(path, html) => {
                    count += 1;
                    self.render_errors.remove(&rel);
                    self.outputs.set(path, html.into_bytes());
                }
                Rendered::Failed(d) => {
                    self.render_errors.insert(rel, d);
                }
            }
        }
        let known: BTreeSet<&str> = self
            .project
            .pages()
            .iter()
            .map(|p| p.page.rel.as_str())
            .collect();
        self.sphinx
            .rendered
            .retain(|rel, _| known.contains(rel.as_str()));
        self.write_downloads(staging, &mut diags);
        match staging {
            Some(Some(s)) => {
                if let Err(d) = s.write(OBJECTS_INV, &inv) {
                    diags.push(d);
                }
            }
            Some(None) => {}
            None => self.outputs.set(OBJECTS_INV.to_string(), inv),
        }
        match genindex_html {
            Ok(html) => match staging {
                Some(Some(s)) => {
                    if let Err(d) = s.write(genindex::GENINDEX_PATH, html.as_bytes()) {
                        diags.push(d);
                    }
                }
                Some(None) => {}
                None => self
                    .outputs
                    .set(genindex::GENINDEX_PATH.to_string(), html.into_bytes()),
            },
            Err(d) => diags.push(d),
        }
        self.sphinx.diags = diags;
        self.sphinx.project = project;
        count
    }

    /// Copies every `:download:` file of the project to its
    /// `_downloads/<md5>/<name>` (each once, whichever pages name it).
    fn write_downloads(&mut self, staging: Option<Option<&Staging>>, diags: &mut Vec<Diagnostic>) {
        let files: BTreeMap<String, PathBuf> = self
            .sphinx
            .rendered
            .values()
            .flat_map(|i| i.downloads.iter().flatten())
            .map(|d| (d.output.clone(), d.source.clone()))
            .collect();
        if staging.is_none() {
            for gone in self
                .sphinx
                .downloads
                .difference(&files.keys().cloned().collect())
            {
                self.outputs.remove(gone);
            }
            self.sphinx.downloads = files.keys().cloned().collect();
        }
        for (output, source) in files {
            // The one reader: a download swapped for a FIFO or a device
            // must not hang or fill the build.
            let read =
                crate::source::read::read_file_up_to(&source, crate::source::read::MAX_ASSET_BYTES);
            let bytes = match read {
                Ok(b) => b,
                Err(e) => {
                    diags.push(
                        Diagnostic::warning(
                            "download-not-readable",
                            format!("download file not readable: {e}"),
                        )
                        .in_file(&source),
                    );
                    continue;
                }
            };
            match staging {
                Some(Some(s)) => {
                    if let Err(d) = s.write(&output, &bytes) {
                        diags.push(d);
                    }
                }
                Some(None) => {}
                None => self.outputs.set(output, bytes),
            }
        }
    }
}

/// `genindex.html` in the theme's page template, with the sidebar.
fn render_genindex(
    site: &crate::site::Site,
    renderer: &crate::render::Renderer,
    project: &SphinxProject,
    ctx: &HtmlContext,
) -> Result<String, Diagnostic> {
    let base = site.config.base_path();
    let view = crate::render::PageView {
        site: site_view(site),
        root: super::super::root_prefix(genindex::GENINDEX_PATH, base.as_deref()),
        path: genindex::GENINDEX_PATH.to_string(),
        title: "Index".into(),
        description: None,
        category: None,
        category_id: None,
        body: genindex::genindex_body(project),
        toc: None,
        nav: Some(project.genindex_nav(ctx)),
        edit_url: None,
    };
    renderer.render_page(&view)
}
