//! Parsers: reStructuredText (hand-written, docutils-compatible) and
//! Markdown (pulldown-cmark), both producing the same [`crate::ast`] tree.

pub mod markdown;
pub mod rst;
