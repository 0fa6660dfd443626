//! Page metadata for the index: the title comes from the document title;
//! category, short title and description from the docinfo field list at the
//! top of the page (`:category:`, `:short-title:`, `:description:`), which
//! docutils reads as docinfo so the page stays plain valid RST.

use crate::ast::Attr;
use crate::ast::{Element, Tag};

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct PageMeta {
    /// Document title; falls back to the file name when the page has none.
    pub title: String,
    /// Title used on the index page, when it differs from the document title.
    pub short_title: Option<String>,
    pub category: Option<String>,
    pub description: Option<String>,
    /// `:index: hidden` keeps the page off the index (it must then be linked from another page).
    pub hidden: bool,
}

/// Reads the metadata of a transformed document.
pub fn extract_metadata(doc: &Element, fallback_title: &str) -> PageMeta {
    let mut meta = PageMeta {
        title: doc
            .first(Tag::Title)
            .map(|t| t.astext())
            .or_else(|| doc.get(Attr::Title).map(str::to_string))
            .unwrap_or_else(|| fallback_title.to_string()),
        ..PageMeta::default()
    };
    if let Some(docinfo) = doc.first(Tag::Docinfo) {
        for field in docinfo.elements().filter(|e| e.tag == Tag::Field) {
            let name = field
                .first(Tag::FieldName)
                .map(|n| n.astext())
                .unwrap_or_default();
            let value = field
                .first(Tag::FieldBody)
                .map(|b| collapse_whitespace(&b.astext()))
                .unwrap_or_default();
            if value.is_empty() {
                continue;
            }
            match name.to_ascii_lowercase().replace(['_', ' '], "-").as_str() {
                "category" => meta.category = Some(value),
                "short-title" => meta.short_title = Some(value),
                "description" => meta.description = Some(value),
                "index" => meta.hidden = value.eq_ignore_ascii_case("hidden"),
                _ => {}
            }
        }
    }
    meta
}

fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
