//! Figure, table and code-block numbers (Sphinx's `numfig`) and the
//! `:numref:` role that shows them.
//!
//! Each page records its enumerable elements and toctrees in document
//! order ([`PageItems`], in the parallel per-page stage). [`FigNumbers::assign`]
//! then walks the project from the root as Sphinx does: a page's items in
//! order, a toctree's pages where the toctree stands, each page once. So
//! without a `:numbered:` toctree the numbers run project-wide (`Fig. 1`,
//! `Fig. 2`... across pages), in toctree reading order.

use std::collections::{BTreeMap, BTreeSet};

use crate::ast::{Attr, Element, Tag};
use crate::config::SphinxSettings;
use crate::diag::Diagnostic;

use super::facts::DocFacts;
use super::secnumbers::{SectionNumbers, dotted};
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

/// One item of a page, in document order, with the first ids of the
/// sections it stands in (outermost first): under a `:numbered:` toctree
/// they give the section number its figures count under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageItem {
    /// An enumerable element with its ids; `captioned` when it has the
    /// caption (or table title) Sphinx requires before numbering it.
    Enumerable {
        figtype: FigType,
        ids: Vec<String>,
        captioned: bool,
        /// First ids of the sections around it; empty for a section,
        /// whose own number is looked up by its id instead.
        within: Vec<String>,
    },
    /// The page's toctree with this index (as in `DocFacts::toctrees`).
    TocTree { index: usize, within: Vec<String> },
}

/// The enumerable elements and toctrees of a page, in document order,
/// gathered during a walk that does more (the page's facts): call
/// [`PageItems::enter`] on each element in document order and
/// [`PageItems::leave`] with what it returned after the element's
/// children.
#[derive(Debug, Default)]
pub struct PageItems<'t> {
    pub items: Vec<PageItem>,
    /// First ids of the sections around the current element, borrowed
    /// from the tree: copied only into the rare items that keep them.
    within: Vec<&'t str>,
    /// Toctrees seen so far.
    toctrees: usize,
    /// Depth inside a toctree (whose content is not looked at), 0 outside.
    skip: usize,
}

/// What [`PageItems::enter`] did, for [`PageItems::leave`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entered {
    Other,
    Section,
    Skipped,
}

impl<'t> PageItems<'t> {
    /// Inlined into the facts walk, which calls it on most elements.
    #[inline]
    pub fn enter(&mut self, e: &'t Element) -> Entered {
        if self.skip > 0 {
            self.skip += 1;
            return Entered::Skipped;
        }
        if e.tag == Tag::Toctree {
            self.items.push(PageItem::TocTree {
                index: self.toctrees,
                within: self.within_owned(),
            });
            self.toctrees += 1;
            self.skip = 1;
            return Entered::Skipped;
        }
        let kind = match e.tag {
            Tag::Figure => Some((FigType::Figure, e.first(Tag::Caption).is_some())),
            Tag::Table => Some((FigType::Table, e.first(Tag::Title).is_some())),
            Tag::Container if e.classes.iter().any(|c| c == "literal-block-wrapper") => {
                Some((FigType::CodeBlock, e.first(Tag::Caption).is_some()))
            }
            Tag::Section => Some((FigType::Section, false)),
            _ => None,
        };
        if let Some((figtype, captioned)) = kind
            && !e.ids.is_empty()
        {
            self.items.push(PageItem::Enumerable {
                figtype,
                ids: e.ids.iter().cloned().collect(),
                captioned,
                // Only a figure's, table's or code block's sections are
                // looked up (a section's number is its own): most items
                // are sections, and copying the id chain cost each one.
                within: if figtype == FigType::Section {
                    Vec::new()
                } else {
                    self.within_owned()
                },
            });
        }
        if e.tag == Tag::Section {
            self.within.push(e.ids.first().map_or("", String::as_str));
            return Entered::Section;
        }
        Entered::Other
    }

    fn within_owned(&self) -> Vec<String> {
        self.within.iter().map(|id| id.to_string()).collect()
    }

    #[inline]
    pub fn leave(&mut self, entered: Entered) {
        match entered {
            Entered::Other => {}
            Entered::Section => {
                self.within.pop();
            }
            Entered::Skipped => self.skip -= 1,
        }
    }
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
        sections: &SectionNumbers,
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
        // Every enumerable element is known, numbered or not; a section
        // has the number of its `:numbered:` toctree whether or not
        // `numfig` is on.
        for (doc, f) in facts {
            let map = out.by_doc.entry(doc.clone()).or_default();
            for item in &f.numberables {
                if let PageItem::Enumerable { figtype, ids, .. } = item {
                    let number = match figtype {
                        FigType::Section => ids.first().and_then(|id| sections.numref(doc, id)),
                        _ => None,
                    };
                    for id in ids {
                        map.insert(
                            id.clone(),
                            Numbered {
                                figtype: *figtype,
                                number: number.clone(),
                            },
                        );
                    }
                }
            }
        }
        if !settings.numfig {
            return out;
        }
        let depth = settings.numfig_secnum_depth as usize;
        // Per figure type, the count under each (cut) section number.
        let mut counters: BTreeMap<(FigType, Vec<u32>), u32> = BTreeMap::new();
        let mut seen = BTreeSet::new();
        // An explicit stack instead of recursion: deep toctrees cannot
        // overflow it, and `seen` stops cycles. Each page carries the
        // section number it was reached under (Sphinx's `_walk_doc`).
        let mut stack: Vec<(String, usize, Vec<u32>)> = vec![(tree.root.clone(), 0, Vec::new())];
        while let Some((doc, pos, reached)) = stack.pop() {
            if pos == 0 && !seen.insert(doc.clone()) {
                continue;
            }
            let Some(f) = facts.get(&doc) else { continue };
            let Some(item) = f.numberables.get(pos) else {
                continue;
            };
            stack.push((doc.clone(), pos + 1, reached.clone()));
            match item {
                PageItem::Enumerable {
                    figtype,
                    ids,
                    captioned: true,
                    within,
                } if *figtype != FigType::Section => {
                    let secnum = sections.enclosing(&doc, within).unwrap_or(&reached);
                    let mut key = secnum.to_vec();
                    key.truncate(depth);
                    let n = counters.entry((*figtype, key.clone())).or_insert(0);
                    *n += 1;
                    key.push(*n);
                    let number = dotted(&key);
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
                PageItem::TocTree { index, within } => {
                    let secnum = sections
                        .enclosing(&doc, within)
                        .map_or_else(|| reached.clone(), <[u32]>::to_vec);
                    let children: Vec<String> = tree
                        .toctrees
                        .get(&doc)
                        .and_then(|ts| ts.get(*index))
                        .map(|t| t.docs().map(str::to_string).collect())
                        .unwrap_or_default();
                    // Pushed in reverse so the first entry is walked first;
                    // a page counts where it is first reached.
                    for child in children.into_iter().rev() {
                        if !seen.contains(&child) {
                            stack.push((child, 0, secnum.clone()));
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
            title: None,
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

/// Marks a numbered figure, table or code block of a page tree with the
/// number its caption shows.
pub fn caption_number(e: &mut Element, captions: &BTreeMap<String, String>) {
    if !matches!(e.tag, Tag::Figure | Tag::Table | Tag::Container) || captions.is_empty() {
        return;
    }
    if let Some(text) = e.ids.first().and_then(|id| captions.get(id)) {
        e.set(Attr::KbgenCaptionNumber, text.clone());
    }
}
