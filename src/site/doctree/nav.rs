//! Toctrees and navigation as HTML: the lists a `.. toctree::` shows in
//! its page (Sphinx's markup, so Sphinx themes' CSS and readers' habits
//! carry over), and the global tree of the sidebar, with the current
//! page's branch open.

use std::collections::BTreeSet;

use crate::ast::{Element, Node, Span, Tag};
use crate::render::escape::escape_into;
use crate::render::html::{HtmlContext, render_body};

use super::SphinxProject;
use super::facts::SectionFact;
use super::tree::{EntryTarget, ResolvedTocTree};
use super::xref::relative_doc_href;

/// One line of a toctree list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TocItem {
    /// Already escaped HTML.
    pub title_html: String,
    pub href: String,
    pub external: bool,
    /// The page being rendered, or an ancestor of it (sidebar).
    pub current: bool,
    pub children: Vec<TocItem>,
}

/// How a toctree is expanded.
#[derive(Clone, Copy)]
struct Expand {
    maxdepth: usize,
    titlesonly: bool,
    includehidden: bool,
    /// Sidebar: only the current page's branch is opened.
    collapse: bool,
}

struct Lister<'a> {
    project: &'a SphinxProject,
    ctx: &'a HtmlContext<'a>,
    /// The page the list is rendered on (hrefs are relative to it).
    from: &'a str,
    /// The page and its ancestors (open in a collapsed sidebar).
    branch: BTreeSet<&'a str>,
}

impl Lister<'_> {
    fn tree_items(
        &self,
        tree: &ResolvedTocTree,
        on: &str,
        depth: usize,
        x: Expand,
        seen: &mut Vec<String>,
    ) -> Vec<TocItem> {
        let mut items = Vec::new();
        for entry in &tree.entries {
            match &entry.target {
                EntryTarget::Url(url) => items.push(TocItem {
                    title_html: escape(entry.title.as_deref().unwrap_or(url)),
                    href: url.clone(),
                    external: true,
                    current: false,
                    children: Vec::new(),
                }),
                EntryTarget::SelfDoc => {
                    let title = self.doc_title_html(on);
                    items.push(TocItem {
                        title_html: entry.title.as_deref().map(escape).unwrap_or(title),
                        href: if on == self.from {
                            "#".into()
                        } else {
                            relative_doc_href(self.from, on)
                        },
                        external: false,
                        current: on == self.from,
                        children: Vec::new(),
                    });
                }
                EntryTarget::Doc(doc) => {
                    if seen.iter().any(|s| s == doc) {
                        continue;
                    }
                    seen.push(doc.clone());
                    if let Some(item) = self.doc_item(doc, entry.title.as_deref(), depth, x, seen) {
                        items.push(item);
                        items.extend(self.sibling_items(doc, depth, x, seen));
                    }
                    seen.pop();
                }
            }
        }
        items
    }

    /// The entry of a page: its title, then its sections and the pages its
    /// own toctrees list, down to `maxdepth`.
    fn doc_item(
        &self,
        doc: &str,
        title: Option<&str>,
        depth: usize,
        x: Expand,
        seen: &mut Vec<String>,
    ) -> Option<TocItem> {
        let facts = self.project.facts.get(doc)?;
        let top = facts.top.as_ref()?;
        let mut item = TocItem {
            title_html: self.numbered(
                doc,
                "",
                title
                    .map(escape)
                    .unwrap_or_else(|| self.nodes_html(&top.title)),
            ),
            href: self.href(doc, ""),
            external: false,
            current: self.branch.contains(doc),
            children: Vec::new(),
        };
        let open = !x.collapse || self.branch.contains(doc);
        if open && depth < x.maxdepth {
            let sec_limit = facts
                .tocdepth
                .map_or(usize::MAX, |t| depth + t.saturating_sub(1));
            item.children = self.section_items(doc, top, depth + 1, sec_limit, x, seen);
        }
        Some(item)
    }

    /// A page's top-level sections after its first, listed beside its entry.
    fn sibling_items(
        &self,
        doc: &str,
        depth: usize,
        x: Expand,
        seen: &mut Vec<String>,
    ) -> Vec<TocItem> {
        let Some(facts) = self.project.facts.get(doc) else {
            return Vec::new();
        };
        if x.titlesonly {
            return Vec::new();
        }
        let open = !x.collapse || self.branch.contains(doc);
        let sec_limit = facts
            .tocdepth
            .map_or(usize::MAX, |t| depth + t.saturating_sub(1));
        facts
            .top_siblings
            .iter()
            .map(|sec| TocItem {
                title_html: self.numbered(doc, &sec.anchor, self.nodes_html(&sec.title)),
                href: self.href(doc, &sec.anchor),
                external: false,
                current: false,
                children: match open && depth < x.maxdepth {
                    true => self.section_items(doc, sec, depth + 1, sec_limit, x, seen),
                    false => Vec::new(),
                },
            })
            .collect()
    }

    fn section_items(
        &self,
        doc: &str,
        sec: &SectionFact,
        depth: usize,
        sec_limit: usize,
        x: Expand,
        seen: &mut Vec<String>,
    ) -> Vec<TocItem> {
        let mut items = Vec::new();
        let trees = self.project.tree.toctrees.get(doc);
        let push_trees = |items: &mut Vec<TocItem>, pos: usize, seen: &mut Vec<String>| {
            for &(_, i) in sec.toctrees.iter().filter(|(p, _)| *p == pos) {
                let Some(tree) = trees.and_then(|t| t.get(i)) else {
                    continue;
                };
                if tree.spec.hidden && !x.includehidden {
                    continue;
                }
                items.extend(self.tree_items(tree, doc, depth, x, seen));
            }
        };
        for (pos, child) in sec.children.iter().enumerate() {
            push_trees(&mut items, pos, seen);
            if x.titlesonly || depth > x.maxdepth || depth > sec_limit {
                continue;
            }
            let mut item = TocItem {
                title_html: self.numbered(doc, &child.anchor, self.nodes_html(&child.title)),
                href: self.href(doc, &child.anchor),
                external: false,
                current: false,
                children: Vec::new(),
            };
            if depth < x.maxdepth && (!x.collapse || self.branch.contains(doc)) {
                item.children = self.section_items(doc, child, depth + 1, sec_limit, x, seen);
            }
            items.push(item);
        }
        push_trees(&mut items, sec.children.len(), seen);
        items
    }

    /// An entry's title after its section number, when a `:numbered:`
    /// toctree gives it one (plain text inside the link, as Sphinx has it).
    fn numbered(&self, doc: &str, anchor: &str, title_html: String) -> String {
        match self.project.secnumbers.entry(doc, anchor) {
            Some(n) => format!("{}{title_html}", super::secnumbers::prefix(n)),
            None => title_html,
        }
    }

    fn href(&self, doc: &str, anchor: &str) -> String {
        let mut h = if doc == self.from {
            String::new()
        } else {
            relative_doc_href(self.from, doc)
        };
        if !anchor.is_empty() {
            h.push('#');
            h.push_str(anchor);
        } else if h.is_empty() {
            h.push('#');
        }
        h
    }

    fn doc_title_html(&self, doc: &str) -> String {
        self.project
            .facts
            .get(doc)
            .and_then(|f| f.top.as_ref())
            .map(|t| self.nodes_html(&t.title))
            .unwrap_or_else(|| escape("<no title>"))
    }

    fn nodes_html(&self, nodes: &[Node]) -> String {
        let holder = Element::with_children(Tag::Inline, Span::default(), nodes.to_vec());
        render_body(&holder, self.ctx)
    }
}

fn escape(s: &str) -> String {
    let mut out = String::new();
    escape_into(s, &mut out);
    out
}

/// The HTML of the toctree number `index` of page `doc`, as the page shows it.
pub fn toctree_html(project: &SphinxProject, ctx: &HtmlContext, doc: &str, index: usize) -> String {
    let mut out = String::from("<div class=\"toctree-wrapper compound\">\n");
    let Some(tree) = project.tree.toctrees.get(doc).and_then(|t| t.get(index)) else {
        out.push_str("</div>\n");
        return out;
    };
    if tree.spec.hidden {
        out.push_str("</div>\n");
        return out;
    }
    let lister = Lister {
        project,
        ctx,
        from: doc,
        branch: BTreeSet::new(),
    };
    let x = Expand {
        maxdepth: if tree.spec.maxdepth <= 0 {
            usize::MAX
        } else {
            tree.spec.maxdepth as usize
        },
        titlesonly: tree.spec.titlesonly,
        includehidden: tree.spec.includehidden,
        collapse: false,
    };
    let items = lister.tree_items(tree, doc, 1, x, &mut vec![doc.to_string()]);
    caption(&mut out, tree);
    list_html(&mut out, &items, 1);
    out.push_str("</div>\n");
    out
}

/// The sidebar: every toctree of the root page, hidden ones included, with
/// the branch of `doc` open and marked current.
pub fn sidebar_html(project: &SphinxProject, ctx: &HtmlContext, doc: &str) -> String {
    let root = project.tree.root.as_str();
    let mut branch: BTreeSet<&str> = project
        .ancestors
        .get(doc)
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
    branch.insert(doc);
    let lister = Lister {
        project,
        ctx,
        from: doc,
        branch,
    };
    let x = Expand {
        maxdepth: 4,
        titlesonly: false,
        includehidden: true,
        collapse: true,
    };
    let mut out = String::new();
    for tree in project.tree.toctrees.get(root).into_iter().flatten() {
        let items = lister.tree_items(tree, root, 1, x, &mut vec![root.to_string()]);
        caption(&mut out, tree);
        list_html(&mut out, &items, 1);
    }
    out
}

fn caption(out: &mut String, tree: &ResolvedTocTree) {
    if let Some(c) = &tree.spec.caption {
        out.push_str("<p class=\"caption\" role=\"heading\"><span class=\"caption-text\">");
        escape_into(c, out);
        out.push_str("</span></p>\n");
    }
}

fn list_html(out: &mut String, items: &[TocItem], level: usize) {
    if items.is_empty() {
        return;
    }
    out.push_str("<ul>\n");
    for item in items {
        out.push_str(&format!("<li class=\"toctree-l{level}"));
        if item.current {
            out.push_str(" current");
        }
        out.push_str("\"><a class=\"");
        if item.current {
            out.push_str("current ");
        }
        out.push_str(if item.external {
            "reference external"
        } else {
            "reference internal"
        });
        out.push_str("\" href=\"");
        escape_into(&item.href, out);
        out.push_str("\">");
        out.push_str(&item.title_html);
        out.push_str("</a>");
        list_html(out, &item.children, level + 1);
        out.push_str("</li>\n");
    }
    out.push_str("</ul>\n");
}
