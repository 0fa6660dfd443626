//! Figure, table and code-block numbers (Sphinx's `numfig`) and the
//! `:numref:` role that shows them.
//!
//! Each page records its enumerable elements and toctrees in document
//! order ([`page_items`], in the parallel per-page stage). [`FigNumbers::assign`]
//! then walks the project from the root as Sphinx does: a page's items in
//! order, a toctree's pages where the toctree stands, each page once. So
//! without a `:numbered:` toctree the numbers run project-wide (`Fig. 1`,
//! `Fig. 2`... across pages), in toctree reading order.

use std::collections::{BTreeMap, BTreeSet};

use crate::ast::{Attr, Element, Tag};
use crate::config::SphinxSettings;
use crate::diag::Diagnostic;

use super::facts::DocFacts;
use super::tree::DocTree;
use super::xref::{Place, Resolution, Targets};

/// What kind of thing `:numref:` can number: Sphinx's figure types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FigType {
    Figure,
    Table,
    CodeBlock,
    Section,
}

impl FigType {
    /// The key of `numfig_format`.
    fn key(self) -> &'static str {
        match self {
            FigType::Figure => "figure",
            FigType::Table => "table",
            FigType::CodeBlock => "code-block",
            FigType::Section => "section",
        }
    }

    fn default_format(self) -> &'static str {
        match self {
            FigType::Figure => "Fig. %s",
            FigType::Table => "Table %s",
            FigType::CodeBlock => "Listing %s",
            FigType::Section => "Section %s",
        }
    }
}

/// One item of a page, in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageItem {
    /// An enumerable element with its ids; `captioned` when it has the
    /// caption (or table title) Sphinx requires before numbering it.
    Enumerable {
        figtype: FigType,
        ids: Vec<String>,
        captioned: bool,
    },
    /// The page's toctree with this index (as in `DocFacts::toctrees`).
    TocTree(usize),
}

/// The enumerable elements and toctrees of a page, in document order.
pub fn page_items(doc: &Element) -> Vec<PageItem> {
    let mut items = Vec::new();
    let mut toctrees = 0;
    doc.walk(&mut |e| {
        if e.tag == Tag::Toctree {
            items.push(PageItem::TocTree(toctrees));
            toctrees += 1;
            return;
        }
        let (figtype, captioned) = match e.tag {
            Tag::Figure => (FigType::Figure, e.first(Tag::Caption).is_some()),
            Tag::Table => (FigType::Table, e.first(Tag::Title).is_some()),
            Tag::Container if e.classes.iter().any(|c| c == "literal-block-wrapper") => {
                (FigType::CodeBlock, e.first(Tag::Caption).is_some())
            }
            Tag::Section => (FigType::Section, false),
            _ => return,
        };
        if !e.ids.is_empty() {
            items.push(PageItem::Enumerable {
                figtype,
                ids: e.ids.iter().cloned().collect(),
                captioned,
            });
        }
    });
    items
}

/// An enumerable element: its type and number (`None`: not numbered).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Numbered {
    pub figtype: FigType,
    pub number: Option<String>,
}

/// The numbers of the project, and how `:numref:` writes them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FigNumbers {
    /// `numfig`: off, `:numref:` to anything but a section is ignored.
    pub enabled: bool,
    /// `numfig_format` over Sphinx's defaults.
    pub formats: BTreeMap<String, String>,
    /// Each page's enumerable elements by every id they carry.
    pub by_doc: BTreeMap<String, BTreeMap<String, Numbered>>,
}

impl FigNumbers {
    /// Numbers every captioned figure, table and code block reachable
    /// from the root, in toctree reading order.
    pub fn assign(
        settings: &SphinxSettings,
        tree: &DocTree,
        facts: &BTreeMap<String, std::sync::Arc<DocFacts>>,
    ) -> FigNumbers {
        let mut formats: BTreeMap<String, String> = [
            FigType::Figure,
            FigType::Table,
            FigType::CodeBlock,
            FigType::Section,
        ]
        .iter()
        .map(|t| (t.key().to_string(), t.default_format().to_string()))
        .collect();
        formats.extend(settings.numfig_format.clone());
        let mut out = FigNumbers {
            enabled: settings.numfig,
            formats,
            by_doc: BTreeMap::new(),
        };
        // Every enumerable element is known, numbered or not.
        for (doc, f) in facts {
            let map = out.by_doc.entry(doc.clone()).or_default();
            for item in &f.numberables {
                if let PageItem::Enumerable { figtype, ids, .. } = item {
                    for id in ids {
                        map.insert(
                            id.clone(),
                            Numbered {
                                figtype: *figtype,
                                number: None,
                            },
                        );
                    }
                }
            }
        }
        if !settings.numfig {
            return out;
        }
        let mut counters: BTreeMap<FigType, u32> = BTreeMap::new();
        let mut seen = BTreeSet::new();
        // An explicit stack instead of recursion: deep toctrees cannot
        // overflow it, and `seen` stops cycles.
        let mut stack: Vec<(String, usize)> = vec![(tree.root.clone(), 0)];
        seen.insert(tree.root.clone());
        while let Some((doc, pos)) = stack.pop() {
            let Some(f) = facts.get(&doc) else { continue };
            let Some(item) = f.numberables.get(pos) else {
                continue;
            };
            stack.push((doc.clone(), pos + 1));
            match item {
                PageItem::Enumerable {
                    figtype,
                    ids,
                    captioned: true,
                } if *figtype != FigType::Section => {
                    let n = counters.entry(*figtype).or_insert(0);
                    *n += 1;
                    let number = n.to_string();
                    let map = out.by_doc.entry(doc.clone()).or_default();
                    for id in ids {
                        map.insert(
                            id.clone(),
                            Numbered {
                                figtype: *figtype,
                                number: Some(number.clone()),
                            },
                        );
                    }
                }
                PageItem::Enumerable { .. } => {}
                PageItem::TocTree(i) => {
                    let children: Vec<String> = tree
                        .toctrees
                        .get(&doc)
                        .and_then(|ts| ts.get(*i))
                        .map(|t| t.docs().map(str::to_string).collect())
                        .unwrap_or_default();
                    // Pushed in reverse so the first entry is walked first.
                    for child in children.into_iter().rev() {
                        if seen.insert(child.clone()) {
                            stack.push((child, 0));
                        }
                    }
                }
            }
        }
        out
    }

    /// What each numbered element of page `doc` shows before its caption
    /// (`Fig. 1`), by the element's first id, as Sphinx's HTML writer
    /// formats it (`numfig_format % number`).
    pub fn caption_numbers(&self, doc: &str) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for (id, n) in self.by_doc.get(doc).into_iter().flatten() {
            let Some(number) = &n.number else { continue };
            let format = self.formats.get(n.figtype.key()).map_or("", String::as_str);
            if let Some(text) = percent_format(format, number) {
                out.insert(id.clone(), text);
            }
        }
        out
    }

    fn lookup(&self, place: &Place) -> Option<&Numbered> {
        self.by_doc.get(&place.docname)?.get(&place.anchor)
    }
}

/// Resolves `:numref:` as Sphinx's standard domain does, with its
/// warnings.
pub(super) fn resolve_numref(xref: &Element, t: &Targets) -> (Resolution, Option<Diagnostic>) {
    let target = xref.get(Attr::Reftarget).unwrap_or("");
    let explicit = matches!(xref.get(Attr::Refexplicit), Some("True" | "1"));
    let key = crate::ast::ids::fully_normalize_name(target);
    let warn = |code: &'static str, text: String| {
        (Resolution::Missing, Some(Diagnostic::warning(code, text)))
    };
    let undefined = || {
        warn(
            "ref-undefined-label",
            format!("undefined label: '{target}'"),
        )
    };
    let Some(label) = t.labels.get(&key) else {
        return undefined();
    };
    let Some(numbered) = t.numbers.lookup(&label.place) else {
        return undefined();
    };
    if numbered.figtype != FigType::Section && !t.numbers.enabled {
        return warn(
            "numref-disabled",
            "numfig is disabled. :numref: is ignored.".into(),
        );
    }
    let Some(number) = &numbered.number else {
        return warn(
            "numref-no-number",
            format!(
                "Failed to create a cross reference. Any number is not assigned: {}",
                label.place.anchor
            ),
        );
    };
    let title = if explicit {
        xref.elements()
            .next()
            .map(|c| c.astext())
            .unwrap_or_default()
    } else {
        t.numbers
            .formats
            .get(numbered.figtype.key())
            .cloned()
            .unwrap_or_default()
    };
    if label.title.is_none() && title.contains("{name}") {
        return warn(
            "numref-no-caption",
            format!("the link has no caption: {title}"),
        );
    }
    let text = if title.contains("{name}") || title.contains("number") {
        title
            .replace("{number}", number)
            .replace("{name}", label.title.as_deref().unwrap_or(""))
    } else if let Some(text) = percent_format(&title, number) {
        text
    } else {
        return warn(
            "numref-bad-format",
            format!("invalid numfig_format: {title}"),
        );
    };
    (
        Resolution::Link {
            place: label.place.clone(),
            text: Some(text),
        },
        None,
    )
}

/// Python's `format % number` for a format with one `%s`; `None` for any
/// other (Python raises, Sphinx warns).
fn percent_format(format: &str, number: &str) -> Option<String> {
    if format.matches("%s").count() != 1 {
        return None;
    }
    Some(format.replace("%s", number).replace("%%", "%"))
}

/// Marks each numbered figure, table and code block of a page tree with
/// the number its caption shows.
pub fn apply_caption_numbers(tree: &mut Element, captions: &BTreeMap<String, String>) {
    if captions.is_empty() {
        return;
    }
    tree.walk_mut(&mut |e| {
        if !matches!(e.tag, Tag::Figure | Tag::Table | Tag::Container) {
            return;
        }
        if let Some(text) = e.ids.first().and_then(|id| captions.get(id)) {
            e.set(Attr::KbgenCaptionNumber, text.clone());
        }
    });
}
