//! kbgen: a static site builder for knowledge bases written in
//! reStructuredText and Markdown.
//!
//! The pipeline, one module per stage, dependencies pointing one way:
//!
//! ```text
//! source (discover, load) → syntax (rst, markdown) → ast → passes → render → site → {serve, cli}
//! ```
//!
//! [`diag`] is shared by every stage: all problems are [`diag::Diagnostic`]s.

// Diagnostics carry their resolved location and source line by design (they
// cross threads and outlive the source map); they are created only on the
// error path, so their size does not matter for speed.
#![allow(clippy::result_large_err)]

pub mod ast;
pub mod cli;
pub mod config;
pub mod diag;
pub mod passes;
pub mod python_text;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod source;
pub mod suggest;
pub mod syntax;
pub mod urls;
