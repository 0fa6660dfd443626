//! Toctrees and navigation as HTML: the lists a `.. toctree::` shows in
//! its page (Sphinx's markup, so Sphinx themes' CSS and readers' habits
//! carry over), and the global tree of the sidebar, with the current
//! page's branch open.

use std::collections::BTreeSet;

use crate::ast::{Attr, Element, Node, Span, Tag};
use crate::render::escape::escape_into;
use crate::render::html::{HtmlContext, render_body};

use super::SphinxProject;
use super::facts::SectionFact;
use super::tree::{EntryTarget, ResolvedTocTree};
use super::xref::{PageUris, Place, page_uri};

/// One line of a toctree list, written out as HTML ([`toctree_html`]) or
/// as the nodes Sphinx's resolved doctree has ([`toctree_nodes`]).
#[derive(Debug, Clone, PartialEq)]
pub struct TocItem {
    /// The title's inline nodes (plain text for explicit titles and URLs).
    pub title: Vec<Node>,
    pub target: TocTarget,
    /// The section number a `:numbered:` toctree gives the entry.
    pub secnumber: Option<Vec<u32>>,
    /// The page being rendered, or an ancestor of it (sidebar).
    pub current: bool,
    pub children: Vec<TocItem>,
}

/// Where a toctree line points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TocTarget {
    /// An external URL, as written.
    Url(String),
    /// A page, and an id in it (empty: the page itself).
    Doc { doc: String, anchor: String },
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
    /// The page the list is shown on.
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
                    title: text(entry.title.as_deref().unwrap_or(url)),
                    target: TocTarget::Url(url.clone()),
                    secnumber: None,
                    current: false,
                    children: Vec::new(),
                }),
                EntryTarget::SelfDoc => {
                    items.push(TocItem {
                        title: entry
                            .title
                            .as_deref()
                            .map(text)
                            .unwrap_or_else(|| self.doc_title(on)),
                        target: doc_target(on, ""),
                        secnumber: self.secnumber(on, ""),
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
            title: title.map(text).unwrap_or_else(|| top.title.clone()),
            target: doc_target(doc, ""),
            secnumber: self.secnumber(doc, ""),
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
        // `titlesonly` keeps every top-level title (Sphinx prunes only
        // what is under them); `section_items` drops the sub-sections.
        let open = !x.collapse || self.branch.contains(doc);
        let sec_limit = facts
            .tocdepth
            .map_or(usize::MAX, |t| depth + t.saturating_sub(1));
        facts
            .top_siblings
            .iter()
            .map(|sec| TocItem {
                title: sec.title.clone(),
                target: doc_target(doc, &sec.anchor),
                secnumber: self.secnumber(doc, &sec.anchor),
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
                title: child.title.clone(),
                target: doc_target(doc, &child.anchor),
                secnumber: self.secnumber(doc, &child.anchor),
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

    /// The number a `:numbered:` toctree gives entry `anchor` of `doc`
    /// (`""`: its title).
    fn secnumber(&self, doc: &str, anchor: &str) -> Option<Vec<u32>> {
        self.project
            .secnumbers
            .entry(doc, anchor)
            .map(<[u32]>::to_vec)
    }

    fn doc_title(&self, doc: &str) -> Vec<Node> {
        self.project
            .facts
            .get(doc)
            .and_then(|f| f.top.as_ref())
            .map(|t| t.title.clone())
            .unwrap_or_else(|| text("<no title>"))
    }
}

fn text(s: &str) -> Vec<Node> {
    vec![Node::text(s, Span::default())]
}

fn doc_target(doc: &str, anchor: &str) -> TocTarget {
    TocTarget::Doc {
        doc: doc.to_string(),
        anchor: anchor.to_string(),
    }
}

/// The items of toctree number `index` of page `doc`, as the page shows
/// them (`None`: no such toctree, or a hidden one, which shows nothing).
fn toctree_items<'a>(
    project: &'a SphinxProject,
    doc: &'a str,
    index: usize,
) -> Option<(&'a ResolvedTocTree, Vec<TocItem>)> {
    let tree = project.tree.toctrees.get(doc)?.get(index)?;
    if tree.spec.hidden {
        return None;
    }
    let lister = Lister {
        project,
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
    Some((tree, items))
}

/// The HTML of the toctree number `index` of page `doc`, as the page shows it.
pub fn toctree_html(project: &SphinxProject, ctx: &HtmlContext, doc: &str, index: usize) -> String {
    let mut out = String::from("<div class=\"toctree-wrapper compound\">\n");
    if let Some((tree, items)) = toctree_items(project, doc, index) {
        caption(&mut out, tree);
        list_html(&mut out, project, ctx, doc, &items, 1);
    }
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
        list_html(&mut out, project, ctx, doc, &items, 1);
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

fn list_html(
    out: &mut String,
    project: &SphinxProject,
    ctx: &HtmlContext,
    from: &str,
    items: &[TocItem],
    level: usize,
) {
    if items.is_empty() {
        return;
    }
    // Sphinx's `current` class goes up the branch of the current page:
    // the list holding its entry has it too.
    match items.iter().any(|i| i.current) {
        true => out.push_str("<ul class=\"current\">\n"),
        false => out.push_str("<ul>\n"),
    }
    for item in items {
        out.push_str(&format!("<li class=\"toctree-l{level}"));
        if item.current {
            out.push_str(" current");
        }
        out.push_str("\"><a class=\"");
        if item.current {
            out.push_str("current ");
        }
        out.push_str(match item.target {
            TocTarget::Url(_) => "reference external",
            TocTarget::Doc { .. } => "reference internal",
        });
        out.push_str("\" href=\"");
        escape_into(&item_uri(from, &item.target, PageUris::Html), out);
        out.push_str("\">");
        if let Some(n) = &item.secnumber {
            escape_into(&project.secnumbers.prefix(n), out);
        }
        let holder = Element::with_children(Tag::Inline, Span::default(), item.title.clone());
        out.push_str(&render_body(&holder, ctx));
        out.push_str("</a>");
        list_html(out, project, ctx, from, &item.children, level + 1);
        out.push_str("</li>\n");
    }
    out.push_str("</ul>\n");
}

/// The link of a toctree line from page `from`.
fn item_uri(from: &str, target: &TocTarget, uris: PageUris) -> String {
    match target {
        TocTarget::Url(url) => url.clone(),
        TocTarget::Doc { doc, anchor } => {
            let place = Place {
                docname: doc.clone(),
                anchor: anchor.clone(),
            };
            page_uri(from, &place, uris)
        }
    }
}

/// Toctree number `index` of page `doc` as Sphinx's resolved doctree has
/// it (what `sphinx-build -b pseudoxml` prints): a `compact_paragraph`
/// with the caption as a `title` and nested `bullet_list`s of
/// `list_item`s, each a `compact_paragraph` holding a `reference`. `None`
/// for a hidden toctree, which Sphinx removes.
pub fn toctree_nodes(project: &SphinxProject, doc: &str, index: usize) -> Option<Element> {
    let (tree, items) = toctree_items(project, doc, index)?;
    let span = Span::default();
    let mut para = Element::new(Tag::CompactParagraph, span);
    para.set_named("toctree", "1");
    if let Some(c) = &tree.spec.caption {
        let mut title = Element::new(Tag::Title, span);
        title.push_text(c.clone(), span);
        para.push(title);
    }
    if let Some((list, mark)) = list_nodes(doc, &items, 1) {
        mark.apply(&mut para);
        para.push(list);
    }
    Some(para)
}

/// What an entry for the page the toctree is on gives every node from it
/// up to the toctree (Sphinx's `_toctree_add_classes`): the class
/// `current` when it is the page itself (not one of its sections), and
/// `iscurrent` either way.
#[derive(Clone, Copy, Default)]
struct Mark {
    current: bool,
    iscurrent: bool,
}

impl Mark {
    fn of(from: &str, target: &TocTarget) -> Mark {
        match target {
            TocTarget::Doc { doc, anchor } if doc == from => Mark {
                current: anchor.is_empty(),
                iscurrent: true,
            },
            _ => Mark::default(),
        }
    }

    fn or(self, other: Mark) -> Mark {
        Mark {
            current: self.current || other.current,
            iscurrent: self.iscurrent || other.iscurrent,
        }
    }

    fn apply(self, e: &mut Element) {
        if self.current {
            e.classes.push("current".to_string());
        }
        if self.iscurrent {
            e.set_named("iscurrent", "1");
        }
    }
}

fn list_nodes(from: &str, items: &[TocItem], level: usize) -> Option<(Element, Mark)> {
    if items.is_empty() {
        return None;
    }
    let span = Span::default();
    let class = format!("toctree-l{level}");
    let mut list = Element::new(Tag::BulletList, span);
    let mut list_mark = Mark::default();
    for item in items {
        let mut r = Element::with_children(Tag::Reference, span, item.title.clone());
        let anchor = match &item.target {
            TocTarget::Url(_) => {
                r.set(Attr::Internal, "0");
                String::new()
            }
            TocTarget::Doc { anchor, .. } => {
                r.set(Attr::Internal, "1");
                match anchor.is_empty() {
                    true => String::new(),
                    false => format!("#{anchor}"),
                }
            }
        };
        r.set(Attr::Anchorname, anchor);
        if let Some(n) = &item.secnumber {
            let joined: Vec<String> = n.iter().map(u32::to_string).collect();
            r.set_named("secnumber", joined.join(" "));
        }
        r.set(
            Attr::Refuri,
            item_uri(from, &item.target, PageUris::Docnames),
        );
        let own = Mark::of(from, &item.target);
        own.apply(&mut r);
        let mut para = Element::new(Tag::CompactParagraph, span);
        para.classes.push(class.clone());
        own.apply(&mut para);
        para.push(r);
        let mut li = Element::new(Tag::ListItem, span);
        li.classes.push(class.clone());
        let sub = list_nodes(from, &item.children, level + 1);
        let mark = own.or(sub.as_ref().map(|(_, m)| *m).unwrap_or_default());
        mark.apply(&mut li);
        li.push(para);
        if let Some((sub, _)) = sub {
            li.push(sub);
        }
        list_mark = list_mark.or(mark);
        list.push(li);
    }
    list_mark.apply(&mut list);
    Some((list, list_mark))
}
