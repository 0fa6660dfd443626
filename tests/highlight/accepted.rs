//! The differences from the previous highlighter (syntect) that
//! `tests/highlight_tokens.rs` accepts, each with its reason.

use super::Accepted;

pub const ACCEPTED: &[Accepted] = &[];
