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
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use crate::diag::Diagnostic;
use crate::render::Renderer;
use crate::source::SourceFile;

use super::super::generated::Listing;
use super::super::output::{Staging, check_output_dir};
use super::super::plan::OutputPlan;
use super::super::search::{self, SearchSpill};
use super::super::spill::Spill;
use super::super::timings::StageClock;
use super::super::{BuildOptions, BuildOutcome, Site, site_view};
use super::{Engine, Found, Sink, assemble_report, read_asset};

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
        // Parsing the theme's templates is the biggest fixed cost of a
        // build (~1.5 ms): the source folder is walked meanwhile.
        let (renderer, found) = std::thread::scope(|scope| {
            let theme = scope.spawn(|| Renderer::load(Some(&site.theme_dir)));
            let found = Found::walk(&site);
            let renderer = theme
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (renderer, found)
        });
        let mut engine = Engine::new(opts.clone(), site, renderer?);
        engine.once = true;
        engine.take_found(found);
        let mut t = outcome.timings.record("load theme and discover", start);

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
        outcome.pages = engine.project.pages().len();
        t = outcome.timings.record("parse, render, write pages", t);
        clock.report(&mut outcome.timings);

        // The link check reads every page's ids back; after it they are
        // dropped with the pages' sources (nothing reads either again).
        //
        // The search index is written while the links are checked: both
        // only read the pages, and each is a serial step (together ~7 ms of
        // a 150-page build, ~0.4 s of a 10,000-page one). A build the link
        // check fails drops the staging folder, index and all.
        let (before, mut after, renders_at) = engine.report_parts();
        let errors_before = before
            .iter()
            .chain(&after)
            .filter(|d| d.severity.is_error())
            .count();
        let staging = staging.filter(|_| errors_before == 0);
        engine.restore_ids();
        let (link_diags, index) = rayon::join(
            || engine.check_links_once(),
            || match &staging {
                // Written as it is made: a big site's index is tens of MB.
                Some(staging) => staging.write_with(search::INDEX_PATH, |out| {
                    search::write_index_js(out, engine.project.pages(), spill.as_ref())
                }),
                None => Ok(()),
            },
        );
        index?;
        let no_source = Arc::new(SourceFile::new(PathBuf::new(), String::new()));
        for page in engine.project.pages_mut() {
            page.keep_listing_only(&no_source);
        }
        let staging = staging.filter(|_| link_diags.errors() == 0);
        t = outcome.timings.record("links and search index", t);

        // What the index, 404 page and sitemap show is taken now; they are
        // rendered once the pages are dropped (the index's template context
        // copies every page's entry: the largest transient after loading).
        let listing = Listing::of(
            &engine.site,
            &site_view(&engine.site),
            engine.project.pages(),
        );
        let (site, renderer, plan, link_spill) = engine.into_rest();
        drop(spill);
        let staging = match listing.render(&site, &renderer) {
            Ok(files) => staging.map(|s| (s, files)),
            Err(d) => {
                after.insert(renders_at, d);
                None
            }
        };
        t = outcome.timings.record("index", t);
        let mut asset_diags = Vec::new();
        let staging = match staging {
            Some((staging, files)) => {
                for (rel, bytes) in &files {
                    staging.write(rel, bytes)?;
                }
                // An asset that cannot be read (too large, swapped for a
                // FIFO) is the content's error, not an I/O failure: report
                // it at the file and keep the old site (the staging folder
                // is dropped).
                for asset in plan.assets() {
                    match read_asset(&site, asset) {
                        Ok(bytes) => staging.write(asset, &bytes)?,
                        Err(d) => asset_diags.push(d),
                    }
                }
                Some(staging)
            }
            None => None,
        };
        // The link diagnostics come back last, with nothing else alive.
        drop((renderer, plan));
        let links = link_diags.read_back(link_spill.as_ref());
        drop(link_spill);
        outcome.report = assemble_report(before, links, after, site.sphinx.as_deref());
        if let Some(staging) = staging {
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

    /// What a one-shot build needs once its pages are written and dropped
    /// (the rest is dropped here): the site, the theme, the plan (its
    /// assets) and the link spill.
    fn into_rest(self) -> (Site, Renderer, OutputPlan, Option<Spill>) {
        (self.site, self.renderer, self.plan, self.link_spill)
    }
}
