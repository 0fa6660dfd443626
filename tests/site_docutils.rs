//! The writer on trees made by docutils itself: each content page (and the
//! kitchen-sink fixture) is converted with `docutils --writer=xml`, read back
//! into kbgen's doctree and rendered through the default theme. This checks
//! the writer against the real thing independently of kbgen's parser, and
//! leaves the pages in `target/docutils-preview/` for looking at.
//! Skipped with a notice when the docutils reference install is missing.

use kbgen::ast::Attr;
use std::path::{Path, PathBuf};
use std::process::Command;

use kbgen::ast::{Element, Node, Span, Tag};
use kbgen::passes::metadata::PageMeta;
use kbgen::render::html::{HtmlContext, render_body, render_toc};
use kbgen::render::{IndexCategory, IndexEntry, IndexView, PageView, Renderer, SiteView};

fn docutils() -> Option<PathBuf> {
    let home = std::env::var_os("HOME")?;
    let exe = Path::new(&home).join(".cache/kbgen-docutils/bin/docutils");
    exe.is_file().then_some(exe)
}

/// docutils' list attributes: space-separated, `\ ` escapes a space.
fn split_list(value: &str) -> Vec<String> {
    let mut items = vec![String::new()];
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => items.last_mut().unwrap().extend(chars.next()),
            ' ' => items.push(String::new()),
            c => items.last_mut().unwrap().push(c),
        }
    }
    items.retain(|s| !s.is_empty());
    items
}

fn convert(node: roxmltree::Node) -> Element {
    let tag = Tag::from_name(node.tag_name().name())
        .unwrap_or_else(|| panic!("unknown element {}", node.tag_name().name()));
    let mut e = Element::new(tag, Span::default());
    for a in node.attributes() {
        let v = a.value();
        match a.name() {
            "ids" => e.ids = split_list(v).into(),
            "names" => e.names = split_list(v).into(),
            "dupnames" => e.dupnames = split_list(v).into(),
            "classes" => e.classes = split_list(v).into(),
            "backrefs" => e.backrefs = split_list(v).into(),
            "space" => {}
            name => e.set_named(name, v),
        }
    }
    for child in node.children() {
        if child.is_element() {
            e.push(Node::from(convert(child)));
        } else if let Some(text) = child.text().filter(|_| child.is_text()) {
            e.push_text(text, Span::default());
        }
    }
    e
}

fn render_page(
    exe: &Path,
    rst: &Path,
    renderer: &Renderer,
    out_dir: &Path,
    rel: &str,
    index: &mut Vec<(PageMeta, String)>,
) -> String {
    let output = Command::new(exe)
        .args(["--writer=xml", "--strict"])
        .arg(rst)
        .output()
        .expect("docutils runs");
    assert!(
        output.status.success(),
        "{}: {}",
        rst.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    let xml = String::from_utf8(output.stdout).unwrap();
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let tree = roxmltree::Document::parse_with_options(&xml, opts).unwrap();
    let mut doc = convert(tree.root_element());
    if rel == "kitchen-sink.html" {
        // Stand in for the XML validation pass, to show its badge.
        doc.walk_mut(&mut |e| {
            if e.tag == Tag::LiteralBlock && e.astext().starts_with("<domain") {
                e.set(Attr::KbgenSchema, "QEMU passthrough");
            }
        });
    }
    let ctx = HtmlContext {
        highlighter: &renderer.highlighter,
    };
    let body = render_body(&doc, &ctx);
    let meta = kbgen::passes::metadata::extract_metadata(&doc, rel);
    let view = PageView {
        site: site_view(),
        root: "../".repeat(rel.matches('/').count()),
        path: rel.into(),
        title: meta.title.clone(),
        description: meta.description.clone(),
        category_id: meta.category.as_deref().map(kbgen::ast::ids::make_id),
        category: meta.category.clone(),
        body: body.clone(),
        toc: render_toc(&doc, &ctx),
        nav: None,
        edit_url: None,
    };
    let html = renderer.render_page(&view).unwrap();
    let path = out_dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, html).unwrap();
    index.push((meta, rel.to_string()));
    body
}

fn site_view() -> SiteView {
    SiteView {
        title: "kbgen knowledge base".into(),
        description: "Articles about virtualization with libvirt and QEMU, and the documentation of kbgen itself.".into(),
        language: "en".into(),
        generator: "kbgen".into(),
        edit_url_pattern: String::new(),
    }
}

/// The index page of the preview, grouped by category in first-seen order.
fn write_index(renderer: &Renderer, out_dir: &Path, pages: &[(PageMeta, String)]) {
    let mut categories: Vec<IndexCategory> = Vec::new();
    for (meta, href) in pages {
        let name = meta
            .category
            .clone()
            .unwrap_or_else(|| "Other articles".into());
        let entry = IndexEntry {
            title: meta
                .short_title
                .clone()
                .unwrap_or_else(|| meta.title.clone()),
            href: href.clone(),
            description: meta.description.clone(),
        };
        match categories.iter_mut().find(|c| c.name == name) {
            Some(c) => c.entries.push(entry),
            None => categories.push(IndexCategory {
                id: kbgen::ast::ids::make_id(&name),
                name,
                entries: vec![entry],
            }),
        }
    }
    let view = IndexView {
        site: site_view(),
        root: String::new(),
        path: "index.html".into(),
        categories,
    };
    let html = renderer.render_index(&view).unwrap();
    assert!(html.contains("<dl class=\"articles\">"));
    std::fs::write(out_dir.join("index.html"), html).unwrap();
}

#[test]
fn docutils_trees_render_through_the_default_theme() {
    let Some(exe) = docutils() else {
        eprintln!("notice: ~/.cache/kbgen-docutils/bin/docutils not found; skipping");
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = root.join("target/docutils-preview");
    let renderer = Renderer::load(None).unwrap();
    let mut index = Vec::new();
    for (name, bytes) in &renderer.assets {
        std::fs::create_dir_all(out.join("static")).unwrap();
        std::fs::write(out.join("static").join(name), bytes).unwrap();
    }
    let article = render_page(
        &exe,
        &root.join("content/kbase/qemu-passthrough-security.rst"),
        &renderer,
        &out,
        "kbase/qemu-passthrough-security.html",
        &mut index,
    );
    assert!(article.contains("<code>svirt_image_t:s0:MCS</code>"));
    assert_eq!(
        article
            .matches("<pre class=\"code xml literal-block\"")
            .count(),
        2
    );
    assert!(!article.contains("docinfo"));
    for page in ["getting-started", "book-toml"] {
        let body = render_page(
            &exe,
            &root.join(format!("content/guide/{page}.rst")),
            &renderer,
            &out,
            &format!("guide/{page}.html"),
            &mut index,
        );
        assert!(
            body.contains("<nav id=\"contents\" class=\"contents\""),
            "{page}"
        );
    }
    let sink = render_page(
        &exe,
        &root.join("tests/golden/kitchen-sink.rst"),
        &renderer,
        &out,
        "kitchen-sink.html",
        &mut index,
    );
    for expected in [
        "<aside class=\"admonition note\">",
        "<aside class=\"admonition warning\">",
        "<p class=\"admonition-title\">Custom title</p>",
        "<dl class=\"option-list\">",
        "<dl class=\"field-list simple\">",
        "<dl class=\"docinfo simple\">",
        "<span class=\"classifier\">classifier</span>",
        "<ol class=\"loweralpha simple\">",
        "<div class=\"line-block\">",
        "<p class=\"attribution\">—Attribution</p>",
        "<pre class=\"code pycon doctest-block\"",
        "colspan=\"2\"",
        "rowspan=\"2\"",
        "<th class=\"stub\">",
        "<caption>A simple table</caption>",
        "<colgroup>",
        "<div class=\"footnote-list\">",
        "class=\"footnote-reference brackets\" href=\"#note\"",
        "<a class=\"reference external\" href=\"https://libvirt.org/\">libvirt</a>",
        "<sub>2</sub>",
        "<cite>title reference</cite>",
        "<hr class=\"docutils\">",
        "<aside class=\"sidebar\">",
        "<p class=\"rubric\">A rubric</p>",
        "<h4>",
        "<p class=\"code-badge\" title=\"This example was validated against its schema at build time\">✓ validated: QEMU passthrough</p>",
        "Escaped &lt;b&gt;markup&lt;/b&gt; &amp; &quot;quotes&quot;.",
    ] {
        assert!(sink.contains(expected), "missing {expected:?} in:\n{sink}");
    }
    // The writer's output for docutils' own tree is pinned too: a change of
    // the writer shows up here even while kbgen's parser changes.
    let golden = root.join("tests/golden/kitchen-sink.html");
    if std::env::var_os("KBGEN_BLESS").is_some() {
        std::fs::write(&golden, &sink).unwrap();
    } else {
        let expected = std::fs::read_to_string(&golden).unwrap_or_default();
        assert!(
            sink == expected,
            "writer output differs from {} (re-bless with KBGEN_BLESS=1)",
            golden.display()
        );
    }
    write_index(&renderer, &out, &index);
}
