//! `kbgen build` and `kbgen check`: the engine applied once to everything.
//!
//! Memory is what this path is arranged around (a big site must not sit in
//! memory whole): pages are streamed to the staging folder as they are
//! rendered, what the site-wide steps read later is set aside on disk (the
//! search text, the links and ids), and each step runs when the least is
//! alive beside it. After loading, the link check reads the ids back and
//! drops them after; the index, whose render copies every page's entry
//! into its template context, runs after it; the link diagnostics stay set
//! aside until the pages are dropped.

use std::collections::BTreeSet;
use std::time::Instant;

use crate::diag::Diagnostic;
use crate::render::Renderer;

use super::super::output::{Staging, check_output_dir};
use super::super::search::{self, SearchSpill};
use super::super::spill::Spill;
use super::super::timings::StageClock;
use super::super::{BuildOptions, BuildOutcome, Site};
use super::{Engine, Sink, assemble_report};

impl Engine {
    /// `kbgen build` / `kbgen check`: the engine over everything, once.
    /// `Err` is a failure that stops the build before content is looked at
    /// (theme, output folder).
    pub fn build_once(site: Site, opts: &BuildOptions) -> Result<BuildOutcome, Diagnostic> {
        let mut outcome = BuildOutcome::default();
        let start = Instant::now();
        if opts.write {
            check_output_dir(&site, opts.force)?;
        }
        let renderer = Renderer::load(Some(&site.theme_dir))?;
        let mut t = outcome.timings.record("load theme", start);
        let mut engine = Engine::new(opts.clone(), site, renderer);
        engine.once = true;
        engine.discover();
        t = outcome.timings.record("discover", t);

        let staging = match opts.write {
            true => Some(Staging::create(&engine.site)?),
            false => None,
        };
        let clock = StageClock::default();
        // Set aside beside the output (see `Spill::new_in`).
        let scratch = staging
            .as_ref()
            .map_or_else(std::env::temp_dir, |s| s.parent().to_path_buf());
        engine.link_spill = Some(Spill::new_in(&scratch));
        let spill = staging.as_ref().map(|_| SearchSpill::new_in(&scratch));
        // Taken, not copied: loading reads no source list.
        let all = std::mem::take(&mut engine.sources);
        engine.project.reserve(all.len());
        engine.load_pages(&all, Sink::Stream(staging.as_ref(), &clock, spill.as_ref()));
        if engine.site.sphinx.is_some() {
            let every: BTreeSet<String> = all.iter().map(|p| p.rel.clone()).collect();
            engine.render_sphinx(&every, Some(staging.as_ref()), Some(&clock));
        }
        // Nothing reads the source list or which page writes which path
        // again: the pages carry their own.
        drop(all);
        engine.plan.forget_pages();
        // What the loading threads freed is not reused by this thread.
        super::super::trim::return_free_memory();
        outcome.pages = engine.project.pages().len();
        t = outcome.timings.record("parse, render, write pages", t);
        clock.report(&mut outcome.timings);

        // The link check reads every page's ids back and drops them after;
        // the index's render (its template context copies every page's
        // entry: the largest transient after loading) runs after it, with
        // neither the ids nor the link diagnostics alive. Neither step reads
        // what the other makes. Each step's freed memory is given back
        // before the next: the ids were allocated by the loading threads,
        // whose arenas this thread's allocations do not reuse.
        let link_diags = engine.check_links_once();
        for page in engine.project.pages_mut() {
            page.links = Default::default();
        }
        super::super::trim::return_free_memory();
        t = outcome.timings.record("links", t);
        let files = engine.render_site_files().unwrap_or_default();
        super::super::trim::return_free_memory();
        t = outcome.timings.record("index", t);

        let (before, after) = engine.report_parts();
        let errors = before
            .iter()
            .chain(&after)
            .filter(|d| d.severity.is_error());
        let mut staged = None;
        let mut asset_diags = Vec::new();
        if let Some(staging) = staging.filter(|_| errors.count() + link_diags.errors() == 0) {
            // Written as it is made: a big site's index is tens of MB.
            staging.write_with(search::INDEX_PATH, |out| {
                search::write_index_js(out, engine.project.pages(), spill.as_ref())
            })?;
            t = outcome.timings.record("search", t);
            for (rel, bytes) in &files {
                staging.write(rel, bytes)?;
            }
            // An asset that cannot be read (too large, swapped for a FIFO)
            // is the content's error, not an I/O failure: report it at the
            // file and keep the old site (the staging folder is dropped).
            for asset in engine.plan.assets() {
                match engine.read_asset(asset) {
                    Ok(bytes) => staging.write(asset, &bytes)?,
                    Err(d) => asset_diags.push(d),
                }
            }
            staged = Some(staging);
        }
        // The site is dropped before its link diagnostics come back.
        let link_spill = engine.link_spill.take();
        let sphinx = engine.site.sphinx.clone();
        drop((engine, files, spill));
        let links = link_diags.read_back(link_spill.as_ref());
        drop(link_spill);
        outcome.report = assemble_report(before, links, after, sphinx.as_deref());
        if let Some(staging) = staged {
            outcome.report.extend(asset_diags);
            outcome.report.sort();
            if outcome.report.errors() == 0 {
                staging.commit()?;
                outcome.written = true;
                outcome.timings.record("write", t);
            }
        }
        Ok(outcome)
    }
}
