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
use super::super::doctree::{ProjectPage, RenderInputs, SphinxProject, apply_inputs, inventory};
use super::super::output::Staging;
use super::super::{render_page, site_view};
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
    /// With `staging`, pages are written there and their trees dropped
    /// (full build); otherwise their HTML goes to the engine's outputs.
    /// Returns the pages rendered.
    pub(super) fn render_sphinx(
        &mut self,
        force: &BTreeSet<String>,
        staging: Option<Option<&Staging>>,
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
        let rendered = &self.sphinx.rendered;
        let published = |p: &PageSource| plan.page_is_published(p);
        let streaming = staging.is_some();
        let results: Vec<_> = self
            .project
            .pages_mut()
            .par_iter_mut()
            .map(|page| {
                let rel = page.page.rel.clone();
                let doc_name = docname(&rel).to_string();
                let Some(tree) = page.doc.as_ref() else {
                    return (rel, None, None, Vec::new());
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
                    return (rel, Some(inputs), None, diags);
                }
                let kept = match streaming {
                    true => page.doc.take(),
                    false => page.doc.clone(),
                };
                let Some(mut tree) = kept else {
                    return (rel, Some(inputs), None, diags);
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
                (rel, Some(inputs), Some(html), diags)
            })
            .collect();
        let mut count = 0;
        let mut diags: Vec<Diagnostic> = project.diags().cloned().collect();
        for (rel, inputs, html, page_diags) in results {
            diags.extend(page_diags);
            if let Some(inputs) = inputs {
                self.sphinx.rendered.insert(rel.clone(), inputs);
            }
            match html {
                Some(Ok((path, html))) => {
                    count += 1;
                    self.render_errors.remove(&rel);
                    match staging {
                        Some(Some(s)) => {
                            if let Err(d) = s.write(&path, html.as_bytes()) {
                                diags.push(d);
                            }
                        }
                        Some(None) => {}
                        None => self.outputs.set(path, html.into_bytes()),
                    }
                }
                Some(Err(d)) => {
                    self.render_errors.insert(rel, d);
                }
                None => {}
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
        let genindex_html = self.render_genindex(&project, &ctx);
        self.write_downloads(staging, &mut diags);
        let inv = inventory::objects_inv(&project);
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

    /// `genindex.html` in the theme's page template, with the sidebar.
    fn render_genindex(
        &self,
        project: &SphinxProject,
        ctx: &HtmlContext,
    ) -> Result<String, Diagnostic> {
        let base = self.site.config.base_path();
        let view = crate::render::PageView {
            site: site_view(&self.site),
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
        self.renderer.render_page(&view)
    }
}
