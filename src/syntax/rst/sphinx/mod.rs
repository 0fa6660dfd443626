//! Sphinx's directives and roles: read only in the Sphinx dialect
//! (`RstOptions::dialect`), so a plain docutils site sees exactly docutils.

mod toctree;

use crate::ast::Node;

use super::block::Parser;
use super::directives::{Ctx, Spec};

/// The argument and option spec of a Sphinx directive; `None` for names
/// that are not Sphinx's (docutils' own table is asked next).
pub fn spec(name: &str) -> Option<Spec> {
    match name {
        "toctree" => Some(toctree::SPEC),
        _ => None,
    }
}

/// Runs a Sphinx directive; `None` when `ctx.name` is not one.
pub fn dispatch(p: &mut Parser, ctx: &Ctx) -> Option<Vec<Node>> {
    match ctx.name.as_str() {
        "toctree" => Some(toctree::toctree(p, ctx)),
        _ => None,
    }
}
