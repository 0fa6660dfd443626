//! Loading pages: read, parse, passes, search text, and render when the
//! page owns its output path, in parallel a chunk of pages at a time.

use rayon::prelude::*;

use crate::source::PageSource;

use super::super::project::Fact;
use super::super::search::PageSearch;
use super::super::timings::{PageStage, ThreadCpu};
use super::super::{index_page, load_page_unindexed, render_page, site_view};
use super::{Engine, Sink, links, sphinx};

/// Pages [`Engine::load_pages`] loads in parallel at a time: enough for
/// the threads to share evenly, few enough that their results are small.
const LOAD_CHUNK: usize = 512;

impl Engine {
    /// Loads `pages` in parallel: read, parse, passes, and render when the
    /// page owns its output path. Returns the facts that changed.
    pub(super) fn load_pages(&mut self, pages: &[PageSource], sink: Sink) -> Vec<Fact> {
        let view = site_view(&self.site);
        let base = self.site.config.base_path();
        let (site, renderer, plan) = (&self.site, &self.renderer, &self.plan);
        let link_spill = self.link_spill.as_ref();
        let keep = matches!(sink, Sink::Keep);
        // A Sphinx page shows other pages: it is rendered once all are loaded.
        let deferred = site.sphinx.is_some();
        let mut facts = Vec::new();
        // A chunk at a time: the results of all pages at once would be a
        // second copy of the page list.
        for chunk in pages.chunks(LOAD_CHUNK) {
            let results: Vec<_> = chunk
                .par_iter()
                .map(|p| {
                    let started = ThreadCpu::now();
                    let (mut page, mut diags) = match load_page_unindexed(site, p) {
                        Ok(loaded) => loaded,
                        Err(d) => return (p.rel.clone(), None, vec![d], None),
                    };
                    let parsed = match &sink {
                        Sink::Stream(_, clock, _) => clock.add(PageStage::Parse, started),
                        Sink::Keep => started,
                    };
                    match &sink {
                        Sink::Stream(_, _, None) => {}
                        Sink::Stream(_, _, Some(spill)) => {
                            index_page(&mut page);
                            if let PageSearch::Kept(entries) = std::mem::take(&mut page.search) {
                                page.search = spill
                                    .put(entries)
                                    .map_or_else(PageSearch::Kept, PageSearch::Spilled);
                            }
                        }
                        Sink::Keep => index_page(&mut page),
                    }
                    let Sink::Stream(staging, clock, _) = &sink else {
                        let html = match (plan.page_is_published(p) && !deferred, &page.doc) {
                            (true, Some(doc)) => Some(render_page(
                                renderer,
                                &view,
                                &page,
                                doc,
                                base.as_deref(),
                                None,
                            )),
                            _ => None,
                        };
                        return (p.rel.clone(), Some(page), diags, html);
                    };
                    let parsed = clock.add(PageStage::Search, parsed);
                    if deferred {
                        // A page that shows nothing of other pages is
                        // rendered now and its tree dropped.
                        if let Some(settings) =
                            site.sphinx.as_deref().filter(|_| plan.page_is_published(p))
                        {
                            let ctx = crate::render::html::HtmlContext {
                                highlighter: &renderer.highlighter,
                            };
                            sphinx::prerender(&mut page, settings, &ctx);
                            clock.add(PageStage::Render, parsed);
                        }
                        return (p.rel.clone(), Some(page), diags, None);
                    }
                    let doc = page.doc.take();
                    if let Some(doc) = doc.filter(|_| plan.page_is_published(p)) {
                        match render_page(renderer, &view, &page, &doc, base.as_deref(), None) {
                            Ok((path, html)) => {
                                let rendered = clock.add(PageStage::Render, parsed);
                                drop(doc);
                                if let Some(Err(d)) =
                                    staging.map(|s| s.write(&path, html.as_bytes()))
                                {
                                    diags.push(d);
                                }
                                clock.add(PageStage::Write, rendered);
                            }
                            Err(d) => diags.push(d),
                        }
                    }
                    page.release_source();
                    if let Some(spill) = link_spill {
                        links::set_aside(&mut page, spill);
                    }
                    (p.rel.clone(), Some(page), diags, None)
                })
                .collect();
            for (rel, page, diags, html) in results {
                self.render_errors.remove(&rel);
                match html {
                    Some(Ok((path, html))) if keep => self.outputs.set(path, html.into_bytes()),
                    Some(Err(d)) => {
                        self.render_errors.insert(rel.clone(), d);
                    }
                    _ => {}
                }
                let changed = self.project.replace(&rel, page, diags);
                // A one-shot build re-runs no reader: its facts are not kept.
                if !self.once {
                    facts.extend(changed);
                }
            }
        }
        facts
    }
}
