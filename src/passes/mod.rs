//! Passes over a parsed page, run in a fixed order after parsing:
//!
//! 1. docutils' standard transforms (inside [`crate::syntax::rst::parse_document`] for RST);
//! 2. [`metadata`]: title, category, short title and description for the index;
//! 3. [`messages`]: system messages in the tree become diagnostics;
//! 4. [`xml_examples`]: XML examples are checked and passthrough elements validated.
//!
//! Site-wide passes (links between pages) run in [`crate::site`].

pub mod links;
pub mod messages;
pub mod metadata;
pub mod xml_examples;
