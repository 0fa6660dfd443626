//! book.toml's `language` reaches RST pages as docutils' `language_code`.
//! A language docutils has no module for gets docutils' two warnings once
//! for the site, at book.toml, not twice on every page; a Markdown-only site
//! and a language docutils knows get none.

use std::path::PathBuf;

use kbgen::diag::Diagnostic;
use kbgen::site::{BuildOptions, build};

fn build_site(name: &str, language: &str, pages: &[(&str, &str)]) -> (PathBuf, Vec<Diagnostic>) {
    let dir = std::env::temp_dir().join(format!("kbgen-language-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("content")).unwrap();
    std::fs::write(
        dir.join("book.toml"),
        format!("title = \"L\"\nlanguage = \"{language}\"\n"),
    )
    .unwrap();
    for (rel, text) in pages {
        std::fs::write(dir.join("content").join(rel), text).unwrap();
    }
    let outcome = build(&BuildOptions {
        config_path: dir.join("book.toml"),
        dest: Some(dir.join("out")),
        write: true,
        force: true,
    })
    .expect("the site builds");
    (dir, outcome.report.diagnostics)
}

const RST: &str = "=====\nTitle\n=====\n\n.. contents::\n\nSection\n=======\n\nText.\n";

#[test]
fn unsupported_language_is_reported_once_at_book_toml() {
    let pages = [("a.rst", RST), ("b.rst", RST), ("c.rst", RST)];
    let (dir, diags) = build_site("xx", "xx", &pages);
    let about_language: Vec<&Diagnostic> = diags
        .iter()
        .filter(|d| d.message.contains("\"xx\""))
        .collect();
    assert_eq!(about_language.len(), 1, "{diags:?}");
    let d = about_language[0];
    assert_eq!(
        d.message,
        "rST localisation for language \"xx\" not found. Language \"xx\" not supported: Docutils-generated text will be in English."
    );
    let file = d.location.as_ref().map(|l| l.file.clone()).unwrap();
    assert!(file.ends_with("book.toml"), "{file:?}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn known_languages_and_markdown_sites_get_no_language_warning() {
    for (name, language, pages) in [
        ("de", "de", vec![("a.rst", RST)]),
        ("pt-br", "pt-BR", vec![("a.rst", RST)]),
        ("md", "xx", vec![("a.md", "# Title\n\nText.\n")]),
    ] {
        let (dir, diags) = build_site(name, language, &pages);
        assert!(
            !diags.iter().any(|d| d.message.contains("not supported")),
            "{name}: {diags:?}"
        );
        let _ = std::fs::remove_dir_all(dir);
    }
}
