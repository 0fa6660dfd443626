//! The `date` directive: the build's date in a `time.strftime` format.
//! Builds are reproducible, so "today" is `SOURCE_DATE_EPOCH` (UTC), else
//! the Unix epoch, never the clock.

use crate::ast::Node;

use super::Ctx;
use crate::syntax::rst::block::Parser;

pub fn date(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    if ctx.subst.is_none() {
        return super::misc::not_in_subst(p, ctx);
    }
    let secs: i64 = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0);
    let format = ctx
        .args
        .first()
        .cloned()
        .unwrap_or_else(|| "%Y-%m-%d".into());
    vec![Node::text(
        crate::python_text::strftime(&format, secs),
        ctx.span,
    )]
}
