//! The document tree of a Sphinx project: the toctrees of every page,
//! resolved against the documents that exist, and the order, parents,
//! previous and next page that follow from them, with Sphinx's warnings
//! (a page in no toctree, an entry naming a missing document, a glob that
//! matches nothing, a duplicate entry, a cycle).
//!
//! Built from every page's [`DocFacts`] in one pass per build; cheap
//! (no tree is walked), so the preview rebuilds it after every edit and
//! nothing it shows can go stale.

use std::collections::{BTreeMap, BTreeSet};

use globset::GlobBuilder;

use crate::diag::Diagnostic;
use crate::source::SourceFile;

use super::facts::{DocFacts, TocTreeFact};

/// What a toctree entry points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryTarget {
    Doc(String),
    Url(String),
    /// `self`: the page the toctree is on.
    SelfDoc,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub title: Option<String>,
    pub target: EntryTarget,
}

/// A toctree with its entries resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedTocTree {
    pub spec: TocTreeFact,
    pub entries: Vec<Entry>,
}

impl ResolvedTocTree {
    /// The documents it includes, in order.
    pub fn docs(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().filter_map(|e| match &e.target {
            EntryTarget::Doc(d) => Some(d.as_str()),
            _ => None,
        })
    }
}

/// One page as the tree builder sees it.
pub struct DocInput<'a> {
    pub docname: &'a str,
    pub facts: &'a DocFacts,
    pub source: &'a SourceFile,
}

/// Where a page sits in the tree.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Relations {
    pub parent: Option<String>,
    pub prev: Option<String>,
    pub next: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct DocTree {
    pub root: String,
    /// Resolved toctrees of each page, in document order.
    pub toctrees: BTreeMap<String, Vec<ResolvedTocTree>>,
    /// Pages reached from the root, in Sphinx's reading order.
    pub order: Vec<String>,
    pub relations: BTreeMap<String, Relations>,
    pub diags: Vec<Diagnostic>,
}

impl DocTree {
    pub fn build(root: &str, docs: &[DocInput]) -> DocTree {
        let names: BTreeSet<&str> = docs.iter().map(|d| d.docname).collect();
        let mut tree = DocTree {
            root: root.to_string(),
            ..DocTree::default()
        };
        for doc in docs {
            let resolved = doc
                .facts
                .toctrees
                .iter()
                .map(|t| resolve(doc, t, &names, &mut tree.diags))
                .collect();
            tree.toctrees.insert(doc.docname.to_string(), resolved);
        }
        tree.order_pages(docs);
        tree.check_inclusion(docs);
        tree
    }

    /// The documents `docname` includes through all its toctrees, hidden
    /// ones included, in order.
    pub fn includes<'a>(&'a self, docname: &str) -> impl Iterator<Item = &'a str> {
        self.toctrees
            .get(docname)
            .into_iter()
            .flatten()
            .flat_map(ResolvedTocTree::docs)
    }

    /// The parents of a page, root first (the page itself excluded).
    pub fn ancestors(&self, docname: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut at = docname;
        while let Some(p) = self.relations.get(at).and_then(|r| r.parent.as_deref()) {
            if out.iter().any(|o: &String| o == p) || p == docname {
                break;
            }
            out.push(p.to_string());
            at = p;
        }
        out.reverse();
        out
    }

    /// Pre-order walk from the root: a page, then what its toctrees list
    /// (recursively) before its next entry. A page counts at its first
    /// visit; a page already on the path is a cycle and is not followed.
    fn order_pages(&mut self, docs: &[DocInput]) {
        if !self.toctrees.contains_key(&self.root) {
            return;
        }
        let mut seen: BTreeSet<String> = BTreeSet::new();
        let mut order: Vec<(Option<String>, String)> = Vec::new();
        // (docname, parent, next include index)
        let mut stack: Vec<(String, usize)> = vec![(self.root.clone(), 0)];
        seen.insert(self.root.clone());
        order.push((None, self.root.clone()));
        while let Some((doc, i)) = stack.last().cloned() {
            let child = self.includes(&doc).nth(i).map(str::to_string);
            if let Some(top) = stack.last_mut() {
                top.1 += 1;
            }
            let Some(child) = child else {
                stack.pop();
                continue;
            };
            if stack.iter().any(|(d, _)| *d == child) {
                let mut path: Vec<&str> = stack.iter().map(|(d, _)| d.as_str()).collect();
                path.push(&child);
                let text = path.iter().rev().cloned().collect::<Vec<_>>().join(" <- ");
                let d = Diagnostic::warning(
                    "toc-circular",
                    format!("circular toctree references detected, ignoring: {text}"),
                );
                // At the toctree of `doc` that lists `child`.
                let line = self.toctrees.get(&doc).and_then(|ts| {
                    ts.iter()
                        .find(|t| t.docs().any(|d| d == child))
                        .map(|t| t.spec.line)
                });
                let d = match (docs.iter().find(|i| i.docname == doc), line) {
                    (Some(input), Some(line)) => at_line(d, input.source, line),
                    _ => d,
                };
                self.diags.push(d);
                continue;
            }
            if seen.insert(child.clone()) {
                order.push((Some(doc.clone()), child.clone()));
                stack.push((child, 0));
            }
        }
        for (i, (parent, doc)) in order.iter().enumerate() {
            let rel = Relations {
                parent: parent.clone(),
                prev: i.checked_sub(1).map(|p| order[p].1.clone()),
                next: order.get(i + 1).map(|n| n.1.clone()),
            };
            self.relations.insert(doc.clone(), rel);
        }
        self.order = order.into_iter().map(|(_, d)| d).collect();
    }

    /// "document isn't included in any toctree", unless `:orphan:`.
    fn check_inclusion(&mut self, docs: &[DocInput]) {
        let included: BTreeSet<&str> = self
            .toctrees
            .values()
            .flatten()
            .flat_map(|t| t.docs())
            .collect();
        let mut diags = Vec::new();
        for doc in docs {
            if doc.docname != self.root && !doc.facts.orphan && !included.contains(doc.docname) {
                diags.push(
                    Diagnostic::warning(
                        "toc-not-included",
                        "document isn't included in any toctree",
                    )
                    .in_file(&doc.source.path)
                    .with_help("list it in a toctree, or put `:orphan:` at the top of the page"),
                );
            }
        }
        self.diags.append(&mut diags);
    }
}

/// A toctree's entries against the documents that exist (Sphinx's
/// `TocTree.parse_content`).
fn resolve(
    doc: &DocInput,
    spec: &TocTreeFact,
    names: &BTreeSet<&str>,
    diags: &mut Vec<Diagnostic>,
) -> ResolvedTocTree {
    let warn = |code: &'static str, text: String| {
        at_line(Diagnostic::warning(code, text), doc.source, spec.line)
    };
    let mut unlisted: BTreeSet<&str> = names.clone();
    unlisted.remove(doc.docname);
    let mut entries = Vec::new();
    for raw in &spec.entries {
        let target = raw.target.as_str();
        if spec.glob && raw.title.is_none() && target.contains(['*', '?', '[']) {
            let pattern = docname_join(doc.docname, target);
            let matched: Vec<&str> =
                match GlobBuilder::new(&pattern).literal_separator(true).build() {
                    Ok(glob) => {
                        let m = glob.compile_matcher();
                        unlisted.iter().copied().filter(|d| m.is_match(d)).collect()
                    }
                    Err(_) => Vec::new(),
                };
            if matched.is_empty() {
                diags.push(warn(
                    "toc-glob",
                    format!("toctree glob pattern '{target}' didn't match any documents"),
                ));
            }
            for d in matched {
                unlisted.remove(d);
                entries.push(Entry {
                    title: None,
                    target: EntryTarget::Doc(d.to_string()),
                });
            }
            continue;
        }
        if target == "self" {
            entries.push(Entry {
                title: raw.title.clone(),
                target: EntryTarget::SelfDoc,
            });
            continue;
        }
        if crate::urls::is_external(target) {
            entries.push(Entry {
                title: raw.title.clone(),
                target: EntryTarget::Url(target.to_string()),
            });
            continue;
        }
        let name = docname_join(doc.docname, target.strip_suffix(".rst").unwrap_or(target));
        if !names.contains(name.as_str()) || name == doc.docname {
            let mut d = warn(
                "toc-missing",
                format!("toctree contains reference to nonexisting document '{name}'"),
            );
            if let Some(near) = crate::suggest::closest_in(&name, names.iter().copied()) {
                d = d.with_help(format!("did you mean '{near}'?"));
            }
            diags.push(d);
            continue;
        }
        if !unlisted.remove(name.as_str()) {
            diags.push(warn(
                "toc-duplicate",
                format!("duplicated entry found in toctree: {name}"),
            ));
        }
        entries.push(Entry {
            title: raw.title.clone(),
            target: EntryTarget::Doc(name),
        });
    }
    if spec.reversed {
        entries.reverse();
    }
    ResolvedTocTree {
        spec: spec.clone(),
        entries,
    }
}

/// Sphinx's `docname_join`: a target relative to the folder of `base`, or
/// from the source root when it starts with `/`.
pub fn docname_join(base: &str, target: &str) -> String {
    let mut parts: Vec<&str> = match target.strip_prefix('/') {
        Some(_) => Vec::new(),
        None => base.split('/').collect(),
    };
    if target.strip_prefix('/').is_none() {
        parts.pop();
    }
    for part in target.trim_start_matches('/').split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// Points a diagnostic at a whole line of a page.
pub fn at_line(d: Diagnostic, source: &SourceFile, line: u32) -> Diagnostic {
    if line == 0 || line as usize > source.line_count() {
        return d.in_file(&source.path);
    }
    let start = source.line_start(line);
    let len = source.line_text(line).len();
    d.at(source, start, start + len)
}
