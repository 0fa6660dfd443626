//! Markdown read into another page (an RST `include` with a Markdown
//! `:parser:`): the blocks the file builds, every heading a section, and
//! its link reference definitions, which the including parser may show
//! as targets (docutils' Markdown parsers do).

use std::ops::Range;

use pulldown_cmark::Parser;

use crate::ast::Node;
use crate::config::RawHtml;

use super::builder::Builder;

/// A link reference definition (`[label]: /uri "title"`).
pub struct ReferenceDefinition {
    /// The label as first written.
    pub label: String,
    pub destination: String,
    pub title: Option<String>,
    /// Where it stands in the Markdown text.
    pub range: Range<usize>,
}

/// What a Markdown file gives the page including it.
pub struct Fragment {
    /// The blocks, with spans into the Markdown text.
    pub blocks: Vec<Node>,
    /// Link reference definitions, in the order they stand in the text.
    pub definitions: Vec<ReferenceDefinition>,
}

/// Parses `text` (no front matter: an included file is Markdown only).
/// Raw HTML becomes what `raw_html` says, as on a Markdown page.
pub fn parse_fragment(text: &str, source_name: &str, raw_html: RawHtml) -> Fragment {
    let mut builder = Builder::for_fragment(text, source_name, raw_html);
    let mut events = Parser::new_ext(text, super::options()).into_offset_iter();
    for (event, range) in events.by_ref() {
        builder.event(event, range);
    }
    let mut definitions: Vec<ReferenceDefinition> = events
        .reference_definitions()
        .iter()
        .map(|(label, def)| ReferenceDefinition {
            label: label.to_string(),
            destination: def.dest.to_string(),
            title: def.title.as_ref().map(|t| t.to_string()),
            range: def.span.clone(),
        })
        .collect();
    definitions.sort_by_key(|d| d.range.start);
    let (doc, _, _) = builder.finish();
    Fragment {
        blocks: doc.children,
        definitions,
    }
}
