//! HTML goldens for Sphinx's nodes: every `tests/sphinx/html/NAME.rst` is
//! read in the Sphinx dialect and rendered by kbgen's HTML writer, and its
//! body compared with `NAME.html`, the page's `<section>` as Sphinx 9.0.4's
//! `sphinx-build -b html` wrote it (with `tests/sphinx/html/conf.py`).
//!
//! Both sides are normalised for what differs on purpose or carries no
//! meaning (README, "Sphinx markup on the page"): whitespace between tags,
//! the order of attributes, the section heading (the theme writes it),
//! token spans inside highlighted code (kbgen's lexers are not Pygments;
//! line numbers and emphasised lines are kept), `<p>` inside compact list
//! items (docutils' writer, not a Sphinx node), quotes escaped or not, and
//! the `_downloads/HASH/` folder of downloadable files.
//!
//! Regenerate the expected files with Sphinx:
//!
//! ```text
//! KBGEN_BLESS=1 cargo test --release --test sphinx_html
//! ```

use std::path::{Path, PathBuf};
use std::sync::Arc;

use kbgen::config::{Dialect, SphinxSettings};
use kbgen::render::highlight::Highlighter;
use kbgen::render::html::{HtmlContext, render_body};
use kbgen::source::SourceFile;
use kbgen::syntax::rst::{RstOptions, parse_document};
use regex::Regex;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sphinx/html")
}

/// `conf.py`'s settings, and the tags of Sphinx's html builder.
fn settings() -> SphinxSettings {
    SphinxSettings {
        tags: ["html", "format_html", "builder_html"]
            .into_iter()
            .map(String::from)
            .collect(),
        manpages_url: "https://man.example.org/{page}.{section}".into(),
        ..SphinxSettings::default()
    }
}

fn kbgen_html(name: &str) -> String {
    let path = dir().join(name);
    let text = std::fs::read_to_string(&path).expect("read golden input");
    html_of(name, text)
}

/// `text` read in the Sphinx dialect as the page `name`, rendered.
fn html_of(name: &str, text: String) -> String {
    let source = SourceFile::new(name, text);
    let opts = RstOptions {
        source_name: name.to_string(),
        include_root: Some(dir()),
        dialect: Dialect::Sphinx,
        sphinx: Some(Arc::new(settings())),
        docname: name.trim_end_matches(".rst").to_string(),
        ..Default::default()
    };
    let doc = parse_document(&source, &opts);
    let highlighter = Highlighter::new();
    render_body(
        &doc,
        &HtmlContext {
            highlighter: &highlighter,
        },
    )
}

/// The page's top section, as the goldens keep it.
fn section(html: &str) -> &str {
    let start = html.find("<section").unwrap_or(0);
    let end = html
        .rfind("</section>")
        .map_or(html.len(), |e| e + "</section>".len());
    &html[start..end.max(start)]
}

struct Normaliser {
    heading: Regex,
    pre: Regex,
    span: Regex,
    list_paragraph: Regex,
    tag: Regex,
    attribute: Regex,
    between_tags: Regex,
    spaces: Regex,
    downloads: Regex,
}

impl Normaliser {
    fn new() -> Normaliser {
        let re = |s: &str| Regex::new(s).expect("regex");
        Normaliser {
            heading: re(r"(?s)<h([1-6])>.*?</h[1-6]>"),
            pre: re(r#"(?s)<div class="highlight"><pre>(.*?)</pre>"#),
            span: re(r#"<span class="([^"]*)">|<span>|</span>"#),
            list_paragraph: re(r"(?s)<li><p>(.*?)</p></li>"),
            tag: re(r#"<([a-z][a-z0-9]*)((?:\s+[a-z-]+="[^"]*")+)\s*(/?)>"#),
            attribute: re(r#"[a-z-]+="[^"]*""#),
            between_tags: re(r">\s+<"),
            spaces: re(r"\s+"),
            downloads: re(r"_downloads/[0-9a-f]{32}/"),
        }
    }

    fn run(&self, html: &str) -> String {
        let s = section(html);
        let s = self.heading.replacen(s, 1, "");
        let s = self.pre.replace_all(&s, |c: &regex::Captures| {
            format!(
                "<div class=\"highlight\"><pre>{}</pre>",
                self.structural_spans(&c[1])
            )
        });
        let s = self.list_paragraph.replace_all(&s, "<li>$1</li>");
        let s = self.tag.replace_all(&s, |c: &regex::Captures| {
            let mut attributes: Vec<String> = self
                .attribute
                .find_iter(&c[2])
                .map(|m| sorted_classes(m.as_str()))
                .collect();
            attributes.sort_unstable();
            format!("<{} {}{}>", &c[1], attributes.join(" "), &c[3])
        });
        let s = self.downloads.replace_all(&s, "");
        let s = s.replace("&quot;", "\"").replace("&#39;", "'");
        let s = self.between_tags.replace_all(&s, "><");
        self.spaces.replace_all(&s, " ").trim().to_string()
    }

    /// Highlighted code with only the spans of line numbers and emphasis.
    fn structural_spans(&self, code: &str) -> String {
        let mut out = String::new();
        let mut kept = Vec::new();
        let mut at = 0;
        for m in self.span.captures_iter(code) {
            let whole = m.get(0).expect("match");
            out.push_str(&code[at..whole.start()]);
            at = whole.end();
            if whole.as_str() == "</span>" {
                if kept.pop() == Some(true) {
                    out.push_str("</span>");
                }
            } else {
                let keep = m
                    .get(1)
                    .is_none_or(|c| matches!(c.as_str(), "hll" | "linenos"));
                if keep {
                    out.push_str(whole.as_str());
                }
                kept.push(keep);
            }
        }
        out.push_str(&code[at..]);
        out
    }
}

/// `class="b a"` as `class="a b"`: the order of classes means nothing.
fn sorted_classes(attribute: &str) -> String {
    match attribute.strip_prefix("class=\"") {
        Some(value) => {
            let mut classes: Vec<&str> = value.trim_end_matches('"').split(' ').collect();
            classes.sort_unstable();
            format!("class=\"{}\"", classes.join(" "))
        }
        None => attribute.to_string(),
    }
}

fn bless() {
    let exe = std::env::var("KBGEN_SPHINX_BUILD").unwrap_or_else(|_| {
        format!(
            "{}/.cache/kbgen-bench/venv/bin/sphinx-build",
            std::env::var("HOME").unwrap_or_default()
        )
    });
    let out = std::env::temp_dir().join("kbgen-sphinx-html-golden");
    let _ = std::fs::remove_dir_all(&out);
    let status = std::process::Command::new(exe)
        .args(["-q", "-E", "-b", "html", "."])
        .arg(&out)
        .current_dir(dir())
        .status()
        .expect("run sphinx-build");
    assert!(status.success(), "sphinx-build failed");
    for name in pages() {
        let stem = name.trim_end_matches(".rst");
        let html = std::fs::read_to_string(out.join(format!("{stem}.html"))).expect("output");
        let mut body = section(&html).to_string();
        body.push('\n');
        std::fs::write(dir().join(format!("{stem}.html")), body).expect("write golden");
    }
}

fn pages() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir())
        .expect("golden dir")
        .filter_map(|e| e.expect("entry").file_name().into_string().ok())
        .filter(|n| n.ends_with(".rst"))
        .collect();
    names.sort();
    names
}

#[test]
fn sphinx_nodes_render_as_sphinx_writes_them() {
    if std::env::var_os("KBGEN_BLESS").is_some() {
        bless();
    }
    let normalise = Normaliser::new();
    let mut failures = Vec::new();
    let names = pages();
    assert!(names.len() >= 7, "goldens missing: {names:?}");
    for name in &names {
        let want_path = dir().join(name.replace(".rst", ".html"));
        let want = normalise.run(&std::fs::read_to_string(want_path).expect("golden .html"));
        let got = normalise.run(&kbgen_html(name));
        if want != got {
            let at = want
                .bytes()
                .zip(got.bytes())
                .position(|(a, b)| a != b)
                .unwrap_or(want.len().min(got.len()));
            let from = at.saturating_sub(80);
            failures.push(format!(
                "{name}: first difference at byte {at}\n  sphinx: {}\n  kbgen:  {}",
                want.get(from..(at + 120).min(want.len())).unwrap_or(&want),
                got.get(from..(at + 120).min(got.len())).unwrap_or(&got),
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_normaliser_keeps_what_the_goldens_check() {
    let n = Normaliser::new();
    // Line structure survives; token classes do not.
    let code = "<section><div class=\"highlight\"><pre><span></span><span class=\"hll\">\
                <span class=\"linenos\">1</span><span class=\"k\">int</span>\n</span></pre></section>";
    assert_eq!(
        n.run(code),
        "<section><div class=\"highlight\"><pre><span></span><span class=\"hll\">\
         <span class=\"linenos\">1</span>int </span></pre></section>"
    );
    // Attribute order does not matter, their values do.
    assert_eq!(
        n.run("<section><p id=\"a\" class=\"b\">x</p></section>"),
        n.run("<section><p class=\"b\" id=\"a\">x</p></section>")
    );
    assert_ne!(
        n.run("<section><p class=\"b\">x</p></section>"),
        n.run("<section><p class=\"c\">x</p></section>")
    );
}

#[test]
fn text_in_sphinx_nodes_is_escaped() {
    let html = kbgen_html("objects.rst");
    assert!(
        html.contains("<span class=\"pre\">&lt;file&gt;</span>"),
        "{html}"
    );
    assert!(!html.contains("<one>"), "{html}");
    let code = kbgen_html("code.rst");
    assert!(code.contains("A <em>caption</em> &amp; more"), "{code}");
    assert!(!code.contains("<block>"), "{code}");
}

/// Sphinx's `default` highlight language: a literal block that lexes as
/// Python is highlighted; one where Pygments' Python lexer meets an error
/// token (`$`) is plain text, as Sphinx falls back to it; XML stays XML.
#[test]
fn default_blocks_that_are_not_python_are_plain() {
    let page = "Title\n=====\n\n::\n\n   def f(x):\n       return x\n\n\
                ::\n\n   $ virsh list --all\n\n::\n\n   <domain type='kvm'/>\n";
    let html = html_of("default.rst", page.to_string());
    let blocks: Vec<&str> = html
        .split("<div class=\"highlight\"><pre>")
        .skip(1)
        .collect();
    assert_eq!(blocks.len(), 3, "{html}");
    assert!(blocks[0].contains("<span class=\"k\">def"), "{}", blocks[0]);
    let shell = blocks[1].split("</pre>").next().unwrap_or_default();
    assert_eq!(shell, "<span></span>$ virsh list --all\n", "{html}");
    assert!(blocks[2].contains("<span class=\"nt\">"), "{}", blocks[2]);
}

/// A static file of the theme, as text.
fn asset(renderer: &kbgen::render::theme::Renderer, name: &str) -> String {
    renderer
        .assets
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
        .unwrap_or_else(|| panic!("{name} is not an asset"))
}

#[test]
fn the_default_theme_ships_the_copy_button_as_a_file() {
    let renderer = kbgen::render::theme::Renderer::load(None).expect("default theme");
    let script = asset(&renderer, "copybutton.js");
    // The button is made by the script (so a page without JavaScript has
    // none) and copies the code without its line numbers.
    assert!(script.contains("createElement(\"button\")"));
    assert!(script.contains(".linenos"));
    assert!(script.contains("div.highlight > pre"));
    let css = asset(&renderer, "kbgen.css");
    assert!(css.contains(".copy-button"));
    assert!(css.contains("div.highlight .hll"));
    let highlight = asset(&renderer, "highlight.css");
    // Token colours apply to Sphinx's `div.highlight pre` as to `pre code`.
    assert!(highlight.contains("div.highlight pre .k, pre code .k {"));
}
