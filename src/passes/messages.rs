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
        // A message about an included file's lines is placed at the
        // including directive (the page's text) and names the file and line.
        let page = source.path.display().to_string();
        let text = match (e.get(Attr::Source), e.get(Attr::Line)) {
            (Some(file), Some(line)) if file != page => {
                format!("{text} (in the included file {file}, line {line})")
            }
            (Some(file), None) if file != page => format!("{text} (in the included file {file})"),
            _ => text,
        };
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::rst::{RstOptions, parse_document};

    #[test]
    fn messages_about_included_lines_name_the_included_file() {
        let dir = std::env::temp_dir().join(format!("kbgen-msg-include-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("part.rst"), "Fine.\n\n.. no-such-directive::\n").unwrap();
        let page = dir.join("page.rst");
        let source = SourceFile::new(&page, "Intro.\n\n.. include:: part.rst\n");
        let opts = RstOptions {
            source_name: page.display().to_string(),
            include_root: Some(dir.clone()),
            ..Default::default()
        };
        let doc = parse_document(&source, &opts);
        let diags = collect_system_messages(&doc, &source);
        let _ = std::fs::remove_dir_all(&dir);
        let unknown = diags
            .iter()
            .find(|d| d.message.contains("no-such-directive"))
            .expect("the unknown directive is reported");
        let included = dir.join("part.rst").display().to_string();
        assert!(
            unknown
                .message
                .ends_with(&format!("(in the included file {included}, line 3)")),
            "{}",
            unknown.message
        );
        // placed at the including directive, in the page
        let at = unknown.location.as_ref().expect("located");
        assert_eq!((at.file.as_path(), at.line), (page.as_path(), 3));
    }
}
