//! The project model: the facts pages publish to each other, and who reads
//! which fact.
//!
//! A page's own HTML depends only on the page. What crosses pages is a short
//! list of facts ([`Fact`]): that a page exists at an output path and which
//! ids it has (link checks read these), which pages the site has (link
//! suggestions), every page's title and metadata (the index, `404.html`,
//! the sitemap), every page's text (the search index). Each site-wide step
//! is a [`Reader`] that records the facts it read. When pages change, the
//! project compares their old and new facts and returns the readers of the
//! facts that changed: the preview re-runs exactly those, and a full build
//! is the case where every fact is new.
//!
//! A new project-wide feature (a document tree from `toctree`, labels and
//! cross-references, navigation on every page) adds a kind of fact and,
//! where a page's HTML shows it, makes the page's render a reader of it
//! (`Reader::Render`), so nothing stale can survive an edit.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::Diagnostic;

use super::BuiltPage;

/// Something one page publishes that other steps read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Fact {
    /// Whether a page exists at this output path, and its ids.
    Target(String),
    /// The set of pages of the site (link suggestions).
    PageSet,
    /// Every page's output path, title and metadata.
    Listing,
    /// Every page's text.
    Text,
}

/// A step that reads facts.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reader {
    /// The link check of the page at this output path.
    LinkCheck(String),
    /// The rendering of the page with this content-relative path. Today a
    /// page's HTML reads no other page, so renders record no facts.
    Render(String),
    /// `index.html`, `404.html` and `sitemap.xml`.
    SiteFiles,
    /// `search-index.js`.
    Search,
}

/// Which reader read which fact, both ways.
#[derive(Debug, Clone, Default)]
pub struct Dependencies {
    readers: BTreeMap<Fact, BTreeSet<Reader>>,
    reads: BTreeMap<Reader, BTreeSet<Fact>>,
}

impl Dependencies {
    /// Records that `reader` read exactly `facts` (replacing what it read before).
    pub fn record(&mut self, reader: Reader, facts: impl IntoIterator<Item = Fact>) {
        self.forget(&reader);
        let facts: BTreeSet<Fact> = facts.into_iter().collect();
        for fact in &facts {
            self.readers
                .entry(fact.clone())
                .or_default()
                .insert(reader.clone());
        }
        self.reads.insert(reader, facts);
    }

    /// Drops a reader that no longer exists (a deleted page's link check).
    pub fn forget(&mut self, reader: &Reader) {
        for fact in self.reads.remove(reader).unwrap_or_default() {
            if let Some(set) = self.readers.get_mut(&fact) {
                set.remove(reader);
                if set.is_empty() {
                    self.readers.remove(&fact);
                }
            }
        }
    }

    /// Every reader of any of `facts`.
    pub fn readers_of<'a>(&self, facts: impl IntoIterator<Item = &'a Fact>) -> BTreeSet<Reader> {
        facts
            .into_iter()
            .filter_map(|f| self.readers.get(f))
            .flatten()
            .cloned()
            .collect()
    }
}

/// The pages of the site with their diagnostics, and the dependencies of
/// the steps that read them.
#[derive(Debug, Default)]
pub struct Project {
    /// Parsed pages, sorted by `rel`.
    pages: Vec<BuiltPage>,
    /// Diagnostics of each page by `rel`, including pages that could not be read.
    diags: BTreeMap<String, Vec<Diagnostic>>,
    pub deps: Dependencies,
}

impl Project {
    pub fn pages(&self) -> &[BuiltPage] {
        &self.pages
    }

    /// The pages, for a step that renders them and drops their trees.
    pub fn pages_mut(&mut self) -> &mut [BuiltPage] {
        &mut self.pages
    }

    pub fn page(&self, rel: &str) -> Option<&BuiltPage> {
        self.find(rel).ok().map(|i| &self.pages[i])
    }

    pub fn page_diags(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diags.values().flatten()
    }

    /// Moves the pages' diagnostics out (a one-shot build reports them once).
    pub fn take_page_diags(&mut self) -> impl Iterator<Item = Diagnostic> {
        std::mem::take(&mut self.diags).into_values().flatten()
    }

    /// Makes room for `pages` more pages at once, so a big site's page
    /// list is not grown (and copied) in steps.
    pub fn reserve(&mut self, pages: usize) {
        self.pages.reserve_exact(pages);
    }

    fn find(&self, rel: &str) -> Result<usize, usize> {
        self.pages
            .binary_search_by(|p| p.page.rel.as_str().cmp(rel))
    }

    /// Forgets every page (a full reload follows).
    pub fn clear(&mut self) {
        self.pages.clear();
        self.diags.clear();
        self.deps = Dependencies::default();
    }

    /// Puts the page `rel` in the state `new` (`None`: gone or unreadable)
    /// with its diagnostics, and returns the facts that changed.
    pub fn replace(
        &mut self,
        rel: &str,
        new: Option<BuiltPage>,
        diags: Vec<Diagnostic>,
    ) -> Vec<Fact> {
        if diags.is_empty() {
            self.diags.remove(rel);
        } else {
            self.diags.insert(rel.to_string(), diags);
        }
        let slot = self.find(rel);
        let old = match (slot, new) {
            (Ok(i), Some(page)) => Some(std::mem::replace(&mut self.pages[i], page)),
            (Ok(i), None) => Some(self.pages.remove(i)),
            (Err(i), Some(page)) => {
                self.pages.insert(i, page);
                None
            }
            (Err(_), None) => None,
        };
        let new = self.find(rel).ok().map(|i| &self.pages[i]);
        changed_facts(old.as_ref(), new)
    }
}

/// The facts that differ between two states of one page.
pub fn changed_facts(old: Option<&BuiltPage>, new: Option<&BuiltPage>) -> Vec<Fact> {
    match (old, new) {
        (None, None) => Vec::new(),
        (Some(p), None) | (None, Some(p)) => vec![
            Fact::Target(p.page.output_path()),
            Fact::PageSet,
            Fact::Listing,
            Fact::Text,
        ],
        (Some(old), Some(new)) => {
            let mut facts = Vec::new();
            if old.links.ids != new.links.ids {
                facts.push(Fact::Target(new.page.output_path()));
            }
            if old.meta != new.meta {
                facts.push(Fact::Listing);
            }
            if old.search != new.search || old.meta.title != new.meta.title {
                facts.push(Fact::Text);
            }
            facts
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{PageKind, PageSource, SourceFile};
    use std::sync::Arc;

    fn page(rel: &str, title: &str, ids: &[&str]) -> BuiltPage {
        let mut p = BuiltPage {
            page: PageSource {
                path: rel.into(),
                rel: rel.into(),
                kind: PageKind::Rst,
            },
            source: Arc::new(SourceFile::new(rel, "")),
            released: None,
            spilled_links: None,
            meta: Default::default(),
            links: Default::default(),
            search: Default::default(),
            doc: None,
            doc_facts: None,
            body: None,
        };
        p.meta.title = title.into();
        p.links.ids = crate::passes::links::IdSet::new(ids.iter().copied());
        p
    }

    #[test]
    fn facts_follow_what_changed() {
        let mut project = Project::default();
        let added = project.replace("a.rst", Some(page("a.rst", "A", &["x"])), vec![]);
        assert!(added.contains(&Fact::PageSet) && added.contains(&Fact::Target("a.html".into())));
        let same = project.replace("a.rst", Some(page("a.rst", "A", &["x"])), vec![]);
        assert!(same.is_empty(), "{same:?}");
        let ids = project.replace("a.rst", Some(page("a.rst", "A", &["y"])), vec![]);
        assert_eq!(ids, [Fact::Target("a.html".into())]);
        let title = project.replace("a.rst", Some(page("a.rst", "B", &["y"])), vec![]);
        assert_eq!(title, [Fact::Listing, Fact::Text]);
        let gone = project.replace("a.rst", None, vec![]);
        assert!(gone.contains(&Fact::PageSet));
        assert!(project.pages().is_empty());
    }

    #[test]
    fn readers_of_changed_facts_are_found_and_forgotten() {
        let mut deps = Dependencies::default();
        let b = Reader::LinkCheck("b.html".into());
        deps.record(b.clone(), [Fact::Target("a.html".into()), Fact::PageSet]);
        deps.record(Reader::SiteFiles, [Fact::Listing]);
        let hit = deps.readers_of(&[Fact::Target("a.html".into())]);
        assert!(hit.len() == 1 && hit.contains(&b));
        assert!(deps.readers_of(&[Fact::Target("c.html".into())]).is_empty());
        deps.record(b.clone(), [Fact::Target("c.html".into())]);
        assert!(deps.readers_of(&[Fact::Target("a.html".into())]).is_empty());
        deps.forget(&b);
        assert!(deps.readers_of(&[Fact::Target("c.html".into())]).is_empty());
        assert_eq!(deps.readers_of(&[Fact::Listing]).len(), 1);
    }
}
