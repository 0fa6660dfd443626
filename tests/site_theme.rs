//! A site's own theme folder overrides files of the built-in default theme
//! by name, and everything it does not override stays the default.

use std::path::{Path, PathBuf};

use kbgen::site::{BuildOptions, build};

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kbgen-site-theme-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn theme_files_override_the_default_by_name() {
    let dir = temp_dir("override");
    write(
        &dir,
        "book.toml",
        "title = \"Mine <&>\"\ntheme = \"house\"\n",
    );
    write(&dir, "content/a.rst", "Just a paragraph.\n");
    write(
        &dir,
        "themes/house/templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<div class=\"house\">{{ title }}|{{ body | safe }}</div>{% endblock content %}",
    );
    write(
        &dir,
        "themes/house/static/kbgen.css",
        "body { color: rebeccapurple; }\n",
    );
    write(
        &dir,
        "themes/house/static/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
    );
    let out = dir.join("out");
    let outcome = build(&BuildOptions {
        config_path: dir.join("book.toml"),
        dest: Some(out.clone()),
        write: true,
        force: false,
    })
    .expect("builds");
    assert!(outcome.written, "{:?}", outcome.report);

    let page = std::fs::read_to_string(out.join("a.html")).unwrap();
    assert!(
        page.contains("<div class=\"house\">"),
        "page.html not overridden: {page}"
    );
    // base.html is still the default one, and values are escaped.
    assert!(page.contains("<a class=\"skip-link\""), "{page}");
    assert!(page.contains("Mine &lt;&amp;&gt;"), "{page}");
    assert_eq!(
        std::fs::read_to_string(out.join("static/kbgen.css")).unwrap(),
        "body { color: rebeccapurple; }\n"
    );
    assert!(
        out.join("static/logo.svg").is_file(),
        "extra theme assets are copied"
    );
    assert!(out.join("static/highlight.css").is_file());
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        index.contains("<dl class=\"articles\">"),
        "index.html is the default one"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The index lists a category's pages by title ignoring case, then by
/// link; `404.html` and `index.html` are rendered from the same listing
/// (a theme may show the pages on its 404 page too).
#[test]
fn index_and_404_list_pages_by_title_ignoring_case_then_link() {
    let dir = temp_dir("order");
    for (rel, title) in [
        ("content/b.rst", "beta"),
        ("content/a2.rst", "Alpha"),
        ("content/a1.rst", "alpha"),
        ("content/c.rst", "Gamma"),
    ] {
        let bar = "=".repeat(title.len());
        write(&dir, rel, &format!("{bar}\n{title}\n{bar}\n\nText.\n"));
    }
    write(
        &dir,
        "themes/house/templates/404.html",
        "{% for c in categories %}{% for e in c.entries %}{{ e.href }} {% endfor %}{% endfor %}",
    );
    write(&dir, "book.toml", "title = \"Order\"\ntheme = \"house\"\n");
    let out = dir.join("out");
    let opts = BuildOptions {
        config_path: dir.join("book.toml"),
        dest: Some(out.clone()),
        write: true,
        force: false,
    };
    let outcome = build(&opts).unwrap();
    assert!(outcome.written, "{:?}", outcome.report);
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    let at = |href: &str| {
        index
            .find(&format!("href=\"{href}\""))
            .unwrap_or_else(|| panic!("{href} not listed: {index}"))
    };
    // "alpha" and "Alpha" tie ignoring case: a1.html before a2.html.
    assert!(at("a1.html") < at("a2.html"));
    assert!(at("a2.html") < at("b.html"));
    assert!(at("b.html") < at("c.html"));
    let not_found = std::fs::read_to_string(out.join("404.html")).unwrap();
    assert_eq!(not_found, "a1.html a2.html b.html c.html ");
    let _ = std::fs::remove_dir_all(&dir);
}
