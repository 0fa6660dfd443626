//! Section numbers of `:numbered:` toctrees, as Sphinx assigns them
//! (`TocTreeCollector.assign_section_numbers`).
//!
//! Every numbered toctree starts its own count at 1. A listed page's title
//! takes the next number at the toctree's level and its sections count
//! below it; a toctree inside a listed page (hidden ones included) carries
//! the count on at the level where it stands, so a page listed in a
//! section numbered `2.1` is `2.1.1`. `:numbered: N` gives numbers down to
//! depth N only (the page title is depth 1); deeper headings get none. A
//! page reached from two numbered toctrees keeps its first numbers, with
//! Sphinx's warning.
//!
//! The numbers show in toctree entries and the sidebar, in the headings of
//! the numbered page (`<span class="section-number">1.2. </span>`), in its
//! `<title>`, breadcrumbs and previous/next links, in `:numref:` to a
//! section and, cut to `numfig_secnum_depth`, in figure numbers.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::diag::Diagnostic;
use crate::source::SourceFile;

use super::facts::{DocFacts, SectionFact};
use super::tree::{DocTree, at_line};

/// How many toctrees deep the walk numbers pages. Real manuals nest a
/// handful; a hostile chain of pages each listing the next would otherwise
/// get numbers thousands of parts long on every page's sidebar (and a
/// recursion as deep). Pages below are left unnumbered.
const MAX_NESTING: usize = 64;

/// The section numbers of the project.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SectionNumbers {
    /// For each page under a numbered toctree, the number of each of its
    /// toctree entries by anchor (`""`: the page title, as in
    /// [`SectionFact::anchor`]). An empty number: the heading is deeper
    /// than `:numbered: N` allows.
    pub by_doc: BTreeMap<String, BTreeMap<String, Vec<u32>>>,
    pub diags: Vec<Diagnostic>,
    /// conf.py's `html_secnumber_suffix`: what follows a number in HTML
    /// (headings, toctree entries, titles; `:numref:` has no suffix).
    pub suffix: String,
}

impl SectionNumbers {
    /// Numbers every page under a `:numbered:` toctree. Pages holding a
    /// numbered toctree are taken in name order (Sphinx takes them from a
    /// set, in no defined order).
    pub fn assign(
        tree: &DocTree,
        facts: &BTreeMap<String, Arc<DocFacts>>,
        sources: &BTreeMap<&str, &SourceFile>,
        suffix: &str,
    ) -> SectionNumbers {
        let mut walker = Walker {
            tree,
            facts,
            sources,
            assigned: BTreeSet::new(),
            numstack: Vec::new(),
            nesting: 0,
            out: SectionNumbers {
                suffix: suffix.to_string(),
                ..SectionNumbers::default()
            },
        };
        for (doc, f) in facts {
            if !f.toctrees.iter().any(|t| t.numbered > 0) {
                continue;
            }
            walker.assigned.insert(doc.clone());
            for (i, t) in f.toctrees.iter().enumerate() {
                if t.numbered > 0 {
                    // Every numbered toctree gets new numbering.
                    walker.numstack = vec![0];
                    walker.toctree(doc, i, i64::from(t.numbered));
                }
            }
        }
        walker.out
    }

    /// The number of the toctree entry `anchor` of `doc` (`""`: its title),
    /// if it has one.
    pub fn entry(&self, doc: &str, anchor: &str) -> Option<&[u32]> {
        let n = self.by_doc.get(doc)?.get(anchor)?;
        (!n.is_empty()).then_some(n.as_slice())
    }

    /// The number a heading shows: its section's own entry, or the page's
    /// title entry when the section has none (Sphinx's HTML writer looks
    /// the section's first id up, then `""`).
    pub fn heading(&self, doc: &str, first_id: &str) -> Option<&[u32]> {
        let nums = self.by_doc.get(doc)?;
        let n = nums.get(first_id).or_else(|| nums.get(""))?;
        (!n.is_empty()).then_some(n.as_slice())
    }

    /// The number `:numref:` shows for the section with this first id:
    /// `None` when the page is not numbered at all (Sphinx warns "Any
    /// number is not assigned"); an empty string when the heading is too
    /// deep for a number (Sphinx writes `Section `).
    pub fn numref(&self, doc: &str, first_id: &str) -> Option<String> {
        let nums = self.by_doc.get(doc)?;
        let n = nums.get(first_id).or_else(|| nums.get(""))?;
        Some(dotted(n))
    }

    /// The page's title with its number, as `<title>`, breadcrumbs and
    /// previous/next links show it.
    pub fn title(&self, doc: &str, title: String) -> String {
        match self.entry(doc, "") {
            Some(n) => format!("{}{title}", self.prefix(n)),
            None => title,
        }
    }

    /// `1.2. `: a number as a heading or toctree entry starts (with
    /// Sphinx's default suffix).
    pub fn prefix(&self, number: &[u32]) -> String {
        format!("{}{}", dotted(number), self.suffix)
    }

    /// The section number a figure inside `sections` (first ids of its
    /// enclosing sections, outermost first) counts under, as Sphinx's
    /// `assign_figure_numbers` finds it: the innermost enclosing section
    /// with a number; `None` to keep the number the page was reached with.
    pub fn enclosing(&self, doc: &str, sections: &[String]) -> Option<&[u32]> {
        let nums = self.by_doc.get(doc)?;
        sections.iter().rev().find_map(|id| {
            let n = nums.get(id.as_str()).or_else(|| nums.get(""))?;
            (!n.is_empty()).then_some(n.as_slice())
        })
    }
}

/// `1.2`: a number as `:numref:` and figure numbers write it.
pub fn dotted(number: &[u32]) -> String {
    number
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

struct Walker<'a> {
    tree: &'a DocTree,
    facts: &'a BTreeMap<String, Arc<DocFacts>>,
    sources: &'a BTreeMap<&'a str, &'a SourceFile>,
    /// Pages already numbered (and pages holding a numbered toctree).
    assigned: BTreeSet<String>,
    /// The count at each level of the toctree being numbered.
    numstack: Vec<u32>,
    nesting: usize,
    out: SectionNumbers,
}

impl Walker<'_> {
    /// The pages of toctree `index` of `doc`, numbered at `depth` (Sphinx's
    /// `_walk_toctree`: only a depth of exactly 0 stops it).
    fn toctree(&mut self, doc: &str, index: usize, depth: i64) {
        if depth == 0 || self.nesting >= MAX_NESTING {
            return;
        }
        let Some(toctree) = self.tree.toctrees.get(doc).and_then(|t| t.get(index)) else {
            return;
        };
        for child in toctree.docs() {
            if self.assigned.contains(child) {
                let d = Diagnostic::warning(
                    "toc-secnum",
                    format!(
                        "{child} is already assigned section numbers (nested numbered toctree?)"
                    ),
                );
                let d = match self.sources.get(doc) {
                    Some(source) => at_line(d, source, toctree.spec.line),
                    None => d,
                };
                self.out.diags.push(d);
                continue;
            }
            let Some(facts) = self.facts.get(child) else {
                continue;
            };
            self.assigned.insert(child.to_string());
            let mut nums = BTreeMap::new();
            self.nesting += 1;
            for sec in facts.top.iter().chain(&facts.top_siblings) {
                self.section(child, sec, depth, &mut nums);
            }
            self.nesting -= 1;
            self.out.by_doc.insert(child.to_string(), nums);
        }
    }

    /// One toctree entry of `doc` (a section) and the list below it: its
    /// sub-sections and the toctrees among them, one level deeper.
    fn section(
        &mut self,
        doc: &str,
        sec: &SectionFact,
        depth: i64,
        nums: &mut BTreeMap<String, Vec<u32>>,
    ) {
        if let Some(last) = self.numstack.last_mut() {
            *last += 1;
        }
        let number = if depth > 0 {
            self.numstack.clone()
        } else {
            Vec::new()
        };
        nums.insert(sec.anchor.clone(), number);
        if sec.children.is_empty() && sec.toctrees.is_empty() {
            return;
        }
        self.numstack.push(0);
        let depth = depth - 1;
        for pos in 0..=sec.children.len() {
            for &(_, i) in sec.toctrees.iter().filter(|(p, _)| *p == pos) {
                self.toctree(doc, i, depth);
            }
            if let Some(child) = sec.children.get(pos) {
                self.section(doc, child, depth, nums);
            }
        }
        self.numstack.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_as_sphinx_writes_them() {
        let numbers = SectionNumbers {
            suffix: ". ".into(),
            ..SectionNumbers::default()
        };
        assert_eq!(numbers.prefix(&[1, 2]), "1.2. ");
        let numbers = SectionNumbers {
            suffix: " ".into(),
            ..SectionNumbers::default()
        };
        assert_eq!(numbers.prefix(&[1, 2]), "1.2 ");
        assert_eq!(dotted(&[3]), "3");
        assert_eq!(dotted(&[]), "");
    }
}
