//! Golden tests for Markdown pages: every `tests/markdown/*.md` is run
//! through the page pipeline ([`kbgen::site::parse_page`]: parser and
//! per-page passes) and compared with three files next to it:
//! `.pseudoxml` (the doctree), `.html` (the rendered body) and `.diags`
//! (diagnostics as `line:col: severity[code]: message`). Set
//! `KBGEN_BLESS=1` to rewrite them after checking the change is right.
//! Pages whose name starts with `raw-allow` are parsed with
//! `markdown.raw-html = "allow"`.

use std::path::{Path, PathBuf};

use kbgen::config::{Config, RawHtml};
use kbgen::render::highlight::Highlighter;
use kbgen::render::html::{HtmlContext, render_body};
use kbgen::site::{Site, parse_page};
use kbgen::source::{PageKind, PageSource, SourceFile};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/markdown")
}

fn site(raw: RawHtml) -> Site {
    let mut config = Config::default();
    config.markdown.raw_html = raw;
    let mut site = Site::new(config, &dir().join("book.toml"));
    site.source_dir = dir();
    site.output_dir = std::env::temp_dir().join("kbgen-md-golden-unused");
    site.theme_dir = dir().join("no-theme");
    site
}

fn check(path: &Path, actual: &str, failures: &mut Vec<String>) {
    if std::env::var_os("KBGEN_BLESS").is_some() {
        std::fs::write(path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_default();
    if expected != actual {
        failures.push(format!(
            "{} differs:\n--- expected\n{expected}\n--- actual\n{actual}",
            path.display()
        ));
    }
}

#[test]
fn markdown_goldens() {
    let highlighter = Highlighter::new();
    let mut failures = Vec::new();
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(dir())
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 5, "golden inputs missing");
    for input in inputs {
        let name = input.file_name().unwrap().to_string_lossy().to_string();
        let raw = if name.starts_with("raw-allow") {
            RawHtml::Allow
        } else {
            RawHtml::Escape
        };
        let site = site(raw);
        let rel = format!("tests/markdown/{name}");
        let source = SourceFile::new(&rel, std::fs::read_to_string(&input).unwrap());
        let page = PageSource {
            path: input.clone(),
            rel: name.clone(),
            kind: PageKind::Markdown,
        };
        let (doc, diags) = parse_page(&site, &page, &source);
        check(
            &input.with_extension("pseudoxml"),
            &kbgen::ast::to_pseudoxml(&doc),
            &mut failures,
        );
        let html = render_body(
            &doc,
            &HtmlContext {
                highlighter: &highlighter,
            },
        );
        check(&input.with_extension("html"), &html, &mut failures);
        let mut lines = String::new();
        for d in &diags {
            let (line, col) = d.location.as_ref().map_or((0, 0), |l| (l.line, l.column));
            lines.push_str(&format!(
                "{line}:{col}: {}[{}]: {}\n",
                d.severity.label(),
                d.code,
                d.message
            ));
        }
        check(&input.with_extension("diags"), &lines, &mut failures);
    }
    assert!(
        failures.is_empty(),
        "{}\n(KBGEN_BLESS=1 regenerates)",
        failures.join("\n\n")
    );
}

/// The XML check sees Markdown examples like RST ones: the invalid
/// ```` ```xml ```` fence is reported at the `.md` line of the bad tag.
#[test]
fn invalid_xml_fence_is_reported_at_its_markdown_line() {
    let input = dir().join("passthrough-invalid.md");
    let text = std::fs::read_to_string(&input).unwrap();
    let source = SourceFile::new("passthrough-invalid.md", text.clone());
    let page = PageSource {
        path: input,
        rel: "passthrough-invalid.md".into(),
        kind: PageKind::Markdown,
    };
    let (_, diags) = parse_page(&site(RawHtml::Escape), &page, &source);
    let errors: Vec<_> = diags.iter().filter(|d| d.severity.is_error()).collect();
    assert_eq!(errors.len(), 1, "{diags:#?}");
    let loc = errors[0].location.as_ref().unwrap();
    let line = text.lines().nth(loc.line as usize - 1).unwrap();
    assert_eq!(line.trim(), "</qemu:commandline>", "{:?}", errors[0]);
    assert_eq!(errors[0].source_line.as_deref(), Some(line));
}
