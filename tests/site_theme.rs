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
