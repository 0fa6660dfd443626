//! The engine's link-check step: every page's links against the site's
//! targets, re-checking only the pages whose checks read a changed fact.

use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap;

use crate::ast::Span;
use crate::config::Policy;
use crate::diag::{Diagnostic, Severity};
use crate::passes::links::{
    IdSet, Link, LinkChecker, LinkPage, LinkTarget, PageCheck, PageLinks, Siblings, SiteTargets,
    unreachable_pages,
};
use crate::site::spill::{Decoder, Spill, SpillRef, put_number, put_text, unreadable};

use super::super::BuiltPage;
use super::super::generated::generated_paths;
use super::super::page::DiagnosticSource;
use super::super::project::{Fact, Reader};
use super::Engine;
use super::link_diags::SetAsideDiags;

/// Pages whose links a one-shot build checks at a time, on every thread:
/// enough to keep both cores busy, few enough that only their diagnostics
/// wait in memory before they are set aside.
const LINK_CHUNK: usize = 256;

/// The link check of every page, kept between preview rebuilds.
#[derive(Debug, Default)]
pub struct LinkState {
    /// Each page's check, by output path.
    checks: BTreeMap<String, PageCheck>,
    /// The site's link diagnostics, `[links] broken` applied.
    pub diags: Vec<Diagnostic>,
}

impl Engine {
    /// The files a link may name besides pages: the plan's assets and
    /// what the build generates (index, search index, sitemap…).
    fn site_files(&self) -> impl Iterator<Item = String> + '_ {
        self.plan
            .assets()
            .map(str::to_string)
            .chain(generated_paths(&self.site, &self.renderer))
    }

    /// Checks the links of the pages in `recheck` (output paths; `None`:
    /// every page) and keeps the other pages' earlier checks. Each check
    /// records what it read: the targets its links resolve to, existing or
    /// not, and the page set (which "did you mean" searches).
    pub(super) fn check_links(&mut self, recheck: Option<&BTreeSet<String>>) {
        let pages = self.project.pages();
        let outputs: Vec<String> = pages.iter().map(|p| p.page.output_path()).collect();
        let sources: Vec<DiagnosticSource> = pages.iter().map(|p| p.diagnostic_source()).collect();
        let link_pages = link_pages(pages, &outputs, &sources);
        let targets = SiteTargets::new(&link_pages, self.site_files());
        let mut old = std::mem::take(&mut self.links.checks);
        let mut checker = LinkChecker::new(&targets);
        let mut checks = BTreeMap::new();
        let mut recorded = Vec::new();
        for (i, (page, out)) in link_pages.iter().zip(&outputs).enumerate() {
            let check = match (recheck, old.remove(out)) {
                (Some(recheck), Some(prev)) if !recheck.contains(out) => prev,
                _ => {
                    let mut check = match (pages[i].spilled_links, &self.link_spill) {
                        (Some(at), Some(spill)) => check_set_aside(&mut checker, page, spill, at),
                        _ => checker.check(page),
                    };
                    sources[i].forget();
                    if self.once {
                        // Nothing is re-checked: what the check read is not kept.
                        check.depends_on = BTreeSet::new();
                    } else {
                        let mut facts: Vec<Fact> =
                            check.depends_on.iter().cloned().map(Fact::Target).collect();
                        facts.extend([Fact::Target(out.clone()), Fact::PageSet]);
                        recorded.push((Reader::LinkCheck(out.clone()), facts));
                    }
                    check
                }
            };
            checks.insert(out.clone(), check);
        }
        let once = self.once;
        let graph: BTreeMap<String, BTreeSet<String>> = checks
            .iter_mut()
            .map(|(out, c)| match once {
                // The checks are dropped: their links move.
                true => (out.clone(), std::mem::take(&mut c.links_to)),
                false => (out.clone(), c.links_to.clone()),
            })
            .collect();
        let mut diags: Vec<Diagnostic> = match self.once {
            // The checks are dropped: their diagnostics move.
            true => checks
                .values_mut()
                .flat_map(|c| std::mem::take(&mut c.diags))
                .collect(),
            false => checks
                .values()
                .flat_map(|c| c.diags.iter().cloned())
                .collect(),
        };
        diags.extend(unreachable_pages(&link_pages, &graph));
        self.links.diags = apply_link_policy(self.site.config.links.broken, diags);
        // A one-shot build re-checks nothing later.
        if !self.once {
            self.links.checks = checks;
        }
        for gone in old.into_keys() {
            self.project.deps.forget(&Reader::LinkCheck(gone));
        }
        for (reader, facts) in recorded {
            self.project.deps.record(reader, facts);
        }
    }
}

impl Engine {
    /// [`check_links`](Self::check_links) of a one-shot build, which keeps
    /// nothing for later: each page's diagnostics are set aside as they are
    /// made (see [`SetAsideDiags`]) and the reachability graph holds page
    /// numbers, not output paths. Gives the same diagnostics as the
    /// preview's check once the report is sorted (each page's in the same
    /// order; pages are checked in page order instead of output order).
    /// The pages' ids must have been read back first ([`restore_ids`]);
    /// the check itself only reads, so it can run beside the search index.
    ///
    /// [`restore_ids`]: Self::restore_ids
    pub(super) fn check_links_once(&self) -> SetAsideDiags {
        let pages = self.project.pages();
        let spill = self.link_spill.as_ref();
        let outputs: Vec<String> = pages.iter().map(|p| p.page.output_path()).collect();
        // The targets and the unreachable-page warnings need only each
        // page's file; its text is read again for a page being checked.
        let link_pages: Vec<LinkPage> = pages
            .iter()
            .zip(&outputs)
            .map(|(p, out)| LinkPage {
                output: out,
                links: &p.links,
                source: &*p.source,
                listed: !p.meta.hidden,
            })
            .collect();
        let targets = SiteTargets::new(&link_pages, self.site_files());
        let siblings = Siblings::of(&targets);
        // Pages sharing an output path (a collision, reported by the plan)
        // count as the last of them, as a map keyed by output path keeps it.
        let number: FxHashMap<&str, u32> = (0u32..)
            .zip(&outputs)
            .map(|(i, out)| (out.as_str(), i))
            .collect();
        let mut graph = PageGraph::default();
        let mut diags = SetAsideDiags::default();
        let policy = self.site.config.links.broken;
        // Pages are checked on every thread, a chunk at a time (a page's
        // check reads its links back and, for a diagnostic, its text), and
        // added to the graph and the diagnostics in page order.
        for (c, chunk) in link_pages.chunks(LINK_CHUNK).enumerate() {
            let checked: Vec<Option<(Vec<u32>, Vec<Diagnostic>)>> = chunk
                .par_iter()
                .enumerate()
                .map_init(
                    || LinkChecker::sharing(&targets, &siblings),
                    |checker, (k, page)| {
                        let i = c * LINK_CHUNK + k;
                        if number[page.output] as usize != i {
                            return None;
                        }
                        let source = pages[i].diagnostic_source();
                        let page = LinkPage {
                            source: &source,
                            ..*page
                        };
                        let check = match (pages[i].spilled_links, spill) {
                            (Some(at), Some(spill)) => check_set_aside(checker, &page, spill, at),
                            _ => checker.check(&page),
                        };
                        let links_to = check
                            .links_to
                            .iter()
                            .filter_map(|t| number.get(t.as_str()).copied())
                            .collect();
                        Some((links_to, apply_link_policy(policy, check.diags)))
                    },
                )
                .collect();
            for page in checked {
                graph.start_page();
                if let Some((links_to, page_diags)) = page {
                    graph.add_links(links_to);
                    diags.put(page_diags, spill);
                }
            }
        }
        graph.start_page();
        let listed = link_pages
            .iter()
            .filter(|p| p.listed)
            .map(|p| number[p.output]);
        let reached = graph.reached_from(listed);
        // `unreachable_pages` with nothing listed and no links warns about
        // every page it is given: here, the pages nothing reaches.
        let unreached: Vec<LinkPage> = link_pages
            .iter()
            .filter(|p| !reached[number[p.output] as usize])
            .map(|p| LinkPage {
                listed: false,
                ..*p
            })
            .collect();
        let warnings = unreachable_pages(&unreached, &BTreeMap::new());
        diags.put(apply_link_policy(policy, warnings), spill);
        diags
    }
}

impl Engine {
    /// Reads back the ids of the pages whose links a one-shot build set
    /// aside ([`set_aside`]): every page's check may read any page's ids.
    /// A page whose part cannot be read keeps none; its own check then
    /// reports the failure.
    pub(super) fn restore_ids(&mut self) {
        let Some(spill) = self.link_spill.as_ref() else {
            return;
        };
        // In parallel: each page's part is one positional read and a decode.
        self.project.pages_mut().par_iter_mut().for_each(|page| {
            let Some(at) = page.spilled_links else {
                return;
            };
            if let Ok(bytes) = spill.get(at)
                && let Some(ids) = read_ids(&mut Decoder::new(&bytes))
            {
                page.links.ids = ids;
            }
        });
    }
}

/// Which page links to which, by page number; each page's links one after
/// another.
#[derive(Debug, Default)]
struct PageGraph {
    /// Where each page's links start in `links`; one more at the end.
    starts: Vec<u32>,
    links: Vec<u32>,
}

impl PageGraph {
    /// Starts the next page's links (and, called once more, ends the last).
    fn start_page(&mut self) {
        self.starts.push(self.links.len() as u32);
    }

    fn add_links(&mut self, to: impl IntoIterator<Item = u32>) {
        self.links.extend(to);
    }

    fn links_of(&self, page: usize) -> &[u32] {
        &self.links[self.starts[page] as usize..self.starts[page + 1] as usize]
    }

    /// Which pages are reached from `from` following links.
    fn reached_from(&self, from: impl IntoIterator<Item = u32>) -> Vec<bool> {
        let mut reached = vec![false; self.starts.len().saturating_sub(1)];
        let mut stack: Vec<u32> = Vec::new();
        for page in from {
            if !std::mem::replace(&mut reached[page as usize], true) {
                stack.push(page);
            }
        }
        while let Some(page) = stack.pop() {
            for &to in self.links_of(page as usize) {
                if !std::mem::replace(&mut reached[to as usize], true) {
                    stack.push(to);
                }
            }
        }
        reached
    }
}

/// The pages as the link checker sees them; `outputs` are their output paths.
fn link_pages<'a>(
    pages: &'a [BuiltPage],
    outputs: &'a [String],
    sources: &'a [DiagnosticSource<'a>],
) -> Vec<LinkPage<'a>> {
    pages
        .iter()
        .zip(outputs)
        .zip(sources)
        .map(|((p, out), source)| LinkPage {
            output: out,
            links: &p.links,
            source,
            listed: !p.meta.hidden,
        })
        .collect()
}

/// Sets a page's links and ids aside in `spill` until the link check (see
/// [`Engine::restore_ids`]). Kept when they cannot be written.
pub(super) fn set_aside(page: &mut BuiltPage, spill: &Spill) {
    let PageLinks { ids, links } = &page.links;
    if links.is_empty() && ids.is_empty() {
        return;
    }
    let text: usize = ids.iter().map(str::len).sum();
    let mut out = Vec::with_capacity(text + ids.len() * 2 + links.len() * 24);
    put_number(&mut out, ids.len() as u64);
    for id in ids.iter() {
        put_text(&mut out, id);
    }
    put_number(&mut out, links.len() as u64);
    for link in links {
        let (kind, text) = match &link.target {
            LinkTarget::Url(u) => (0, u),
            LinkTarget::Local(id) => (1, id),
        };
        put_number(&mut out, kind);
        put_text(&mut out, text);
        put_number(&mut out, u64::from(link.span.start));
        put_number(&mut out, u64::from(link.span.end));
    }
    if let Some(at) = spill.put(&out) {
        page.spilled_links = Some(at);
        page.links = PageLinks::default();
    }
}

/// The ids [`set_aside`] wrote, leaving `r` at the links.
fn read_ids(r: &mut Decoder) -> Option<IdSet> {
    let count = r.number()?;
    let mut ids = Vec::with_capacity(count.min(1 << 16) as usize);
    for _ in 0..count {
        ids.push(r.str()?);
    }
    Some(IdSet::new(ids))
}

/// The links [`set_aside`] wrote (after the ids); `None` for bytes it did
/// not write.
fn read_links(bytes: &[u8]) -> Option<Vec<Link>> {
    let mut r = Decoder::new(bytes);
    read_ids(&mut r)?;
    let count = r.number()?;
    let mut links = Vec::with_capacity(count.min(1 << 16) as usize);
    for _ in 0..count {
        let kind = r.number()?;
        let text = r.text()?;
        let target = match kind {
            0 => LinkTarget::Url(text),
            1 => LinkTarget::Local(text),
            _ => return None,
        };
        let span = Span {
            start: r.u32()?,
            end: r.u32()?,
        };
        links.push(Link { target, span });
    }
    r.done().then_some(links)
}

/// The check of a page whose links were set aside: they are read back for
/// it and dropped after.
fn check_set_aside(
    checker: &mut LinkChecker,
    page: &LinkPage,
    spill: &Spill,
    at: SpillRef,
) -> PageCheck {
    let links = spill
        .get(at)
        .and_then(|b| read_links(&b).ok_or_else(|| unreadable("unreadable")));
    match links {
        Ok(links) => {
            let links = PageLinks {
                ids: Default::default(),
                links,
            };
            checker.check(&LinkPage {
                links: &links,
                ..*page
            })
        }
        Err(e) => PageCheck {
            diags: vec![
                Diagnostic::error("io", format!("cannot check the page's links: {e}"))
                    .in_file(page.source.file()),
            ],
            ..PageCheck::default()
        },
    }
}

/// `[links] broken` decides what a broken link is: error, warning, or nothing.
fn apply_link_policy(policy: Policy, diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diags
        .into_iter()
        .filter_map(|mut d| {
            if d.code == "link-broken" {
                match policy {
                    Policy::Error => {}
                    Policy::Warning => d.severity = Severity::Warning,
                    Policy::Ignore => return None,
                }
            }
            Some(d)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::PageGraph;

    #[test]
    fn reached_pages_follow_links_from_the_given_ones() {
        let mut graph = PageGraph::default();
        // 0 → 1 → 2, 3 → 0, 4 → 4 (a page linking only itself).
        for links in [&[1][..], &[2], &[], &[0], &[4]] {
            graph.start_page();
            graph.add_links(links.iter().copied());
        }
        graph.start_page();
        assert_eq!(graph.reached_from([0]), [true, true, true, false, false]);
        assert_eq!(graph.reached_from([3, 3]), [true, true, true, true, false]);
        assert_eq!(graph.reached_from([4]), [false, false, false, false, true]);
        assert_eq!(graph.reached_from([]), [false; 5]);
    }
}
