//! reStructuredText parser (placeholder: paragraphs only; replaced by the
//! docutils-compatible parser).

use crate::ast::{Element, Span, Tag};
use crate::source::SourceFile;

/// Settings that change how a page is parsed.
#[derive(Debug, Clone, Default)]
pub struct RstOptions {
    /// Value of the document's `source` attribute (docutils prints the path it was given).
    pub source_name: String,
    /// Whether `.. raw::` is allowed; when not, it is an error system message.
    pub allow_raw: bool,
    /// Folder that `.. include::` may read from (the content folder); `None` forbids includes.
    pub include_root: Option<std::path::PathBuf>,
}

/// Parses a page and applies docutils' standard transforms, giving the
/// tree `docutils --writer=pseudoxml` would print.
pub fn parse_document(source: &SourceFile, opts: &RstOptions) -> Element {
    let mut doc = Element::new(Tag::Document, Span::new(0, source.text.len()));
    doc.set("source", opts.source_name.clone());
    let mut start = 0;
    for block in source.text.split("\n\n") {
        let trimmed = block.trim();
        if !trimmed.is_empty() {
            let mut p = Element::new(Tag::Paragraph, Span::new(start, start + block.len()));
            p.push_text(trimmed, Span::new(start, start + block.len()));
            doc.push(p);
        }
        start += block.len() + 2;
    }
    doc
}
