//! Turns docutils system messages left in the tree into diagnostics, so RST
//! problems are reported like every other problem: `file:line:col`.

use crate::ast::Attr;
use crate::ast::{Element, Tag};
use crate::diag::{Diagnostic, Severity};
use crate::source::SourceFile;

/// Collects every `system_message` of the tree as a diagnostic. The
/// message's span (set by the parser) gives the position; its `line`
/// attribute is the fallback.
pub fn collect_system_messages(doc: &Element, source: &SourceFile) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    doc.walk(&mut |e| {
        if e.tag != Tag::SystemMessage {
            return;
        }
        let level = e
            .get(Attr::Level)
            .and_then(|l| l.parse::<u8>().ok())
            .unwrap_or(2);
        let text = e
            .elements()
            .find(|c| c.tag == Tag::Paragraph)
            .map(|p| p.astext())
            .unwrap_or_else(|| e.astext());
        let severity = Severity::from_level(level);
        let raw_disabled = text.starts_with("\"raw\" directive disabled");
        let d = Diagnostic::new(severity, severity.rst_code(), text);
        let d = if e.span.end > 0 || e.span.start > 0 {
            d.at(source, e.span.start as usize, e.span.end as usize)
        } else if let Some(line) = e.get(Attr::Line).and_then(|l| l.parse::<u32>().ok()) {
            let start = source.line_start(line);
            d.at(source, start, start)
        } else {
            d.in_file(&source.path)
        };
        // docutils' wording says what happened, not what to do about it;
        // for the one message a site setting controls, say which setting.
        let d = if raw_disabled {
            d.with_help(
                "raw HTML is off for pages; set `allow-raw = true` under `[rst]` in book.toml to allow it",
            )
        } else {
            d
        };
        out.push(d);
    });
    out
}
