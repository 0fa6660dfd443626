//! `.. restructuredtext-test-directive::`: a directive docutils registers
//! itself (its language modules translate its name) so that a page can
//! show how a directive block was read. It reports what it received: an
//! INFO message naming the directive as written, its arguments and options
//! (quoted as Python's `repr` quotes a list and a dict) and its content,
//! which follows as a literal block.

use crate::ast::Node;
use crate::diag::Severity;
use crate::python_text::str_repr;
use crate::syntax::rst::block::Parser;
use crate::syntax::rst::doc::literal_block;

use super::Ctx;

/// Runs the directive: one INFO message, whatever it was given.
pub fn test_directive(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    let summary = format!(
        "Directive processed. Type=\"{}\", arguments={}, options={}, content:",
        ctx.typed_name,
        list_repr(&ctx.args),
        options_repr(ctx),
    );
    if ctx.content.is_empty() {
        let text = format!("{summary} None");
        return vec![
            p.doc
                .message(Severity::Info, &text, Some(ctx.lineno), ctx.span)
                .into(),
        ];
    }
    let content = p.join(&ctx.content).0;
    let mut message = p
        .doc
        .message(Severity::Info, &summary, Some(ctx.lineno), ctx.span);
    message.push(literal_block(&content, ctx.span));
    vec![message.into()]
}

/// Python's `repr` of a list of strings: `['a', 'b']`.
fn list_repr(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| str_repr(s)).collect();
    format!("[{}]", quoted.join(", "))
}

/// Python's `repr` of the options dict, in docutils' order: inside a
/// substitution definition the `alt` docutils presets (the substitution's
/// name as written) comes first, then the options as the page gave them
/// (the directive's one option always has a value).
fn options_repr(ctx: &Ctx) -> String {
    let preset = ctx.subst.as_ref().map(|name| ("alt", name.as_str()));
    let given = ctx.options.iter().map(|(k, v)| (k.as_str(), v.as_str()));
    let quoted: Vec<String> = preset
        .into_iter()
        .chain(given)
        .map(|(name, value)| format!("{}: {}", str_repr(name), str_repr(value)))
        .collect();
    format!("{{{}}}", quoted.join(", "))
}
