//! The full-text search index, written as `search-index.js`.
//!
//! A script that assigns a global (rather than JSON to fetch) so search
//! also works when the site is opened from `file://`, where browsers
//! refuse `fetch`. The theme's `search.js` loads it on first use, so pages
//! do not pay for it until someone searches.
//!
//! One entry per section (plus one per page for the text before the first
//! section): page, section id, section title, text. Searching happens in
//! the browser by scanning entries, so the index must stay small enough for
//! a phone. Each entry's text is capped at [`MAX_TEXT`] bytes: short
//! sections are kept whole; long ones keep their first [`HEAD`] bytes
//! (for snippets) followed by the section's remaining *distinct* words, so
//! most words of a long section still find it while the repetition that
//! makes up most prose is dropped. A generated 1,000-page site gives an
//! index of about 1.8 MB (see `benches/search_index.rs`).

use std::collections::HashSet;

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::ast::{Element, Node, Tag};

/// Largest text kept per entry, in bytes.
pub const MAX_TEXT: usize = 300;
/// Leading text of a long section kept verbatim, in bytes.
pub const HEAD: usize = 160;
/// Name of the global `search-index.js` assigns.
pub const GLOBAL: &str = "KBGEN_SEARCH_INDEX";
/// Output path of the index, relative to the site root.
pub const INDEX_PATH: &str = "search-index.js";

/// What the index needs to know about a page.
pub struct SearchPage<'a> {
    /// Output path relative to the site root (`kbase/x.html`).
    pub href: &'a str,
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub doc: &'a Element,
}

/// The index as serialised: short keys, arrays instead of objects, since
/// every byte is downloaded by every reader who searches.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct SearchIndex {
    /// Format version, bumped when the shape changes.
    pub v: u32,
    /// Pages: `[href, title]`.
    pub p: Vec<(String, String)>,
    /// Entries: `[page index, section id ("" for the page top), section title, text]`.
    pub e: Vec<(u32, String, String, String)>,
}

impl SearchIndex {
    /// Builds the index of `pages`, in their order.
    pub fn build<'a>(pages: impl IntoIterator<Item = SearchPage<'a>>) -> SearchIndex {
        let mut index = SearchIndex {
            v: 1,
            ..SearchIndex::default()
        };
        for page in pages {
            let n = index.p.len() as u32;
            index
                .p
                .push((page.href.to_string(), page.title.to_string()));
            let mut top = Text::default();
            if let Some(d) = page.description {
                top.prose.push_str(d);
                top.prose.push(' ');
            }
            let mut sections = Vec::new();
            gather(page.doc, &mut top, &mut sections);
            index
                .e
                .push((n, String::new(), String::new(), top.compact()));
            for (id, title, text) in sections {
                index.e.push((n, id, title, text.compact()));
            }
        }
        index
    }

    /// The `search-index.js` file: one assignment to [`GLOBAL`].
    pub fn to_js(&self) -> String {
        let json = serde_json::to_string(self).unwrap_or_else(|_| "{}".into());
        format!("window.{GLOBAL}={json};\n")
    }
}

/// The `search-index.js` of a built site's pages.
pub fn index_js(pages: &[super::BuiltPage]) -> String {
    let hrefs: Vec<String> = pages.iter().map(|p| p.page.output_path()).collect();
    SearchIndex::build(pages.iter().zip(&hrefs).map(|(p, href)| SearchPage {
        href,
        title: &p.meta.title,
        description: p.meta.description.as_deref(),
        doc: &p.doc,
    }))
    .to_js()
}

/// Text of one entry, prose and code kept apart so code, which is long
/// and repetitive, goes last and is the first to be cut.
#[derive(Default)]
struct Text {
    prose: String,
    code: String,
}

impl Text {
    fn compact(&self) -> String {
        let mut all = collapse(&self.prose);
        let code = collapse(&self.code);
        if !code.is_empty() {
            if !all.is_empty() {
                all.push(' ');
            }
            all.push_str(&code);
        }
        compact_text(&all)
    }
}

/// Walks a section (or the document): its own text goes to `text`, each
/// subsection becomes an entry of `out` (id, title, text).
fn gather(e: &Element, text: &mut Text, out: &mut Vec<(String, String, Text)>) {
    for child in &e.children {
        match child {
            Node::Text(t) => text.prose.push_str(&t.text),
            Node::Element(c) => match c.tag {
                Tag::Section => {
                    let title = c
                        .first(Tag::Title)
                        .map(|t| collapse(&t.astext()))
                        .unwrap_or_default();
                    let id = c.ids.first().cloned().unwrap_or_default();
                    let slot = out.len();
                    out.push((id, title, Text::default()));
                    let mut own = Text::default();
                    gather(c, &mut own, out);
                    out[slot].2 = own;
                }
                Tag::Title if e.tag == Tag::Section || e.tag == Tag::Document => {}
                Tag::Docinfo
                | Tag::SystemMessage
                | Tag::Comment
                | Tag::Raw
                | Tag::Target
                | Tag::SubstitutionDefinition
                | Tag::Pending
                | Tag::Problematic => {}
                Tag::Topic if c.classes.iter().any(|k| k == "contents") => {}
                Tag::LiteralBlock | Tag::DoctestBlock => {
                    text.code.push(' ');
                    text.code.push_str(&c.astext());
                }
                _ => {
                    text.prose.push(' ');
                    gather(c, text, out);
                    text.prose.push(' ');
                }
            },
        }
    }
}

fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Caps a text at [`MAX_TEXT`] bytes: the first [`HEAD`] bytes, then
/// `… ` and the words not seen yet (compared folded), in order.
pub fn compact_text(text: &str) -> String {
    if text.len() <= MAX_TEXT {
        return text.to_string();
    }
    let mut out = String::with_capacity(MAX_TEXT + 16);
    let mut seen: HashSet<String> = HashSet::new();
    let mut words = text.split(' ').peekable();
    while let Some(w) = words.peek() {
        if out.len() + w.len() + 1 > HEAD {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
        for t in tokens(w) {
            seen.insert(t);
        }
        words.next();
    }
    out.push_str(" …");
    for w in words {
        for (raw, folded) in raw_tokens(w) {
            if folded.chars().count() < 2 || !seen.insert(folded) {
                continue;
            }
            if out.len() + raw.len() + 1 > MAX_TEXT {
                return out;
            }
            out.push(' ');
            out.push_str(raw);
        }
    }
    out
}

/// Search folding, identical to `fold` in the theme's `search.js`: per
/// character lower-case, compatibility decomposition (NFKD), combining
/// marks dropped, final sigma made a plain sigma. `Éclair` → `eclair`,
/// `ﬁle` → `file`, `ΟΔΟΣ` → `οδοσ`.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        for l in c.to_lowercase() {
            for d in std::iter::once(l).nfkd() {
                if !is_combining_mark(d) {
                    out.push(if d == 'ς' { 'σ' } else { d });
                }
            }
        }
    }
    out
}

/// Folded words of a text: runs of letters and digits.
pub fn tokens(s: &str) -> Vec<String> {
    fold(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Words of `s` as written, each with its folded form.
fn raw_tokens(s: &str) -> Vec<(&str, String)> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| (w, fold(w)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::Span;

    #[test]
    fn folding_lowercases_and_strips_diacritics() {
        assert_eq!(fold("Éclair ÜBER straße"), "eclair uber straße");
        assert_eq!(fold("ﬁle Ω ΟΔΟΣ"), "file ω οδοσ");
        assert_eq!(
            tokens("QEMU/KVM, naïve-ish"),
            vec!["qemu", "kvm", "naive", "ish"]
        );
    }

    #[test]
    fn long_text_is_capped_and_deduplicated() {
        let text = format!(
            "{} uniqueword {}",
            "alpha beta gamma ".repeat(30),
            "Seccomp ".repeat(10)
        );
        let c = compact_text(&text);
        assert!(c.len() <= MAX_TEXT, "{}", c.len());
        assert!(c.contains("uniqueword") && c.contains("Seccomp"), "{c}");
        assert_eq!(c.matches("Seccomp").count(), 1, "{c}");
        assert_eq!(compact_text("short"), "short");
    }

    fn section(id: &str, title: &str, body: &str) -> Element {
        let mut s = Element::new(Tag::Section, Span::default());
        s.ids.push(id.into());
        let mut t = Element::new(Tag::Title, Span::default());
        t.push_text(title, Span::default());
        s.push(t);
        let mut p = Element::new(Tag::Paragraph, Span::default());
        p.push_text(body, Span::default());
        s.push(p);
        s
    }

    #[test]
    fn sections_become_entries_with_their_own_text() {
        let mut doc = Element::new(Tag::Document, Span::default());
        let mut p = Element::new(Tag::Paragraph, Span::default());
        p.push_text("intro", Span::default());
        doc.push(p);
        let mut a = section("a", "A", "text of a");
        a.push(section("b", "B", "text of b"));
        doc.push(a);
        let index = SearchIndex::build([SearchPage {
            href: "x.html",
            title: "X",
            description: Some("desc"),
            doc: &doc,
        }]);
        let e: Vec<_> = index
            .e
            .iter()
            .map(|e| (e.1.as_str(), e.2.as_str(), e.3.as_str()))
            .collect();
        assert_eq!(
            e,
            vec![
                ("", "", "desc intro"),
                ("a", "A", "text of a"),
                ("b", "B", "text of b")
            ]
        );
        let js = index.to_js();
        assert!(
            js.starts_with("window.KBGEN_SEARCH_INDEX={\"v\":1,\"p\":[[\"x.html\",\"X\"]]"),
            "{js}"
        );
    }
}
