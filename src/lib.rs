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

pub mod ast;
pub mod cli;
pub mod config;
pub mod diag;
pub mod passes;
pub mod render;
pub mod serve;
pub mod site;
pub mod source;
pub mod syntax;
