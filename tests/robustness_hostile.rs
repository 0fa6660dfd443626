//! Hostile content: a docs build runs on contributions from anyone, so page
//! text must never become markup, links must never run script, raw HTML
//! obeys `book.toml`, and `include` / `image` cannot reach files outside
//! the content folder.

#[path = "hostile/support.rs"]
mod support;

#[path = "../fuzz/src/checks.rs"]
mod checks;

use support::{kbgen, output_text, site, write};

const XSS: &str = "<script>alert(1)</script>";

/// Every place text can appear in an RST page, each carrying a payload.
fn rst_everywhere() -> String {
    format!(
        r#"=========================================
Title {XSS}
=========================================

:category: Cat {XSS}
:short-title: Short {XSS}
:description: Desc {XSS} "quoted" 'single'

Section {XSS}
=========================================

Para {XSS} *em {XSS}* **strong {XSS}** ``lit {XSS}`` `interp {XSS}`
and `link {XSS} <https://example.org/?a="b"&c=<d>>`_ and `q"uote <https://x.org/"onmouseover="alert(1)>`_
and a ref to tgt_ and a footnote [#f]_ and |sub|.

.. _tgt: https://example.org/"><script>alert(1)</script>

.. [#f] Footnote {XSS}

.. |sub| replace:: Sub {XSS}

* list {XSS}

term {XSS}
   def {XSS}

:field {XSS}: body {XSS}

::

    literal {XSS}

.. code-block:: xml

    <a>{XSS}</a>

.. code-block:: "><script>alert(1)</script>

    x

.. note:: Note {XSS}

.. admonition:: Admonition {XSS}

   Body.

.. container:: "><script>

   In container.

.. image:: "onerror="alert(1).png
   :alt: Alt {XSS} "onerror="x

.. topic:: Topic {XSS}

   Body.

.. sidebar:: Side {XSS}

   Body.

.. rubric:: Rubric {XSS}

+----------------+
| cell {XSS} |
+----------------+

.. |date| date::

.. [cit] Citation {XSS}

.. unknown-directive:: {XSS}

`unclosed {XSS}

-- {XSS}
"#
    )
}

/// Payloads in the places a page without errors can carry them: title,
/// metadata (index, `<meta>`), headings, inline markup, literals, links.
fn rst_clean() -> String {
    let title = format!("Title {XSS}");
    let section = format!("Section {XSS}");
    let over = "=".repeat(title.chars().count());
    let under = "=".repeat(section.chars().count());
    format!(
        "{over}\n{title}\n{over}\n\n\
         :category: Cat {XSS}\n:short-title: Short {XSS}\n\
         :description: Desc {XSS} \"q\" 'q'\n\n\
         {section}\n{under}\n\n\
         Para {XSS} *em {XSS}* ``lit {XSS}`` \
         `link {XSS} <https://example.org/?a=\"b\"&c='d'>`_\n\n\
         ::\n\n    literal {XSS}\n"
    )
}

fn assert_inert(html: &str, what: &str) {
    if let Err(e) = checks::check_html(html, checks::HtmlPolicy::default()) {
        panic!("{what}: {e}");
    }
    assert!(
        !html.to_ascii_lowercase().contains("<script"),
        "{what}: live <script>"
    );
}

/// A whole written page: the theme may have its own scripts, but nothing
/// from the page may be live.
fn assert_inert_page(html: &str, what: &str) {
    if let Err(e) = checks::check_html(html, checks::HtmlPolicy::page()) {
        panic!("{what}: {e}");
    }
    assert!(
        !html.to_ascii_lowercase().contains("<script>alert"),
        "{what}: live payload"
    );
}

#[test]
fn text_is_escaped_in_every_position_of_the_body() {
    let source = kbgen::source::SourceFile::new("x.rst", rst_everywhere());
    let doc = kbgen::syntax::rst::parse_document(&source, &Default::default());
    let html = checks::render(&doc);
    assert_inert(&html, "body");
    assert!(
        html.contains("&lt;script&gt;"),
        "payload text vanished instead of being escaped:\n{html}"
    );
}

#[test]
fn text_is_escaped_in_whole_pages_index_and_metadata() {
    let dir = site(
        "xss-pages",
        "",
        &[
            ("clean.rst", rst_clean().as_bytes()),
            (
                "md.md",
                format!("# MD {XSS}\n\n{XSS}\n\n<img src=x onerror=alert(1)>\n\n[l {XSS}](https://x.org/\"onclick=\"y)\n\n`{XSS}`\n").as_bytes(),
            ),
        ],
    );
    let run = kbgen(&dir, &["build", "--force"]);
    run.assert_no_crash();
    assert_eq!(run.code, Some(0), "{}", run.all());
    for f in walkdir::WalkDir::new(dir.join("book"))
        .into_iter()
        .flatten()
    {
        if f.path().extension().is_some_and(|e| e == "html") {
            let html = std::fs::read_to_string(f.path()).unwrap();
            assert_inert_page(&html, &f.path().display().to_string());
        }
    }
    search_index_is_inert(&dir);
    let page = std::fs::read_to_string(dir.join("book/clean.html")).unwrap();
    assert!(
        page.contains("Title &lt;script&gt;"),
        "title not escaped: {page}"
    );
    // The diagnostics are text too: human output must not be HTML-escaped
    // but must not be able to forge terminal escapes either.
    assert!(
        !run.stderr.contains('\x1b'),
        "escape sequence in diagnostics"
    );
}

#[test]
fn dangerous_link_schemes_are_refused_with_a_warning() {
    let page = "Links\n=====\n\n\
        `a <javascript:alert(1)>`_\n\n\
        `b <JaVaScRiPt:alert(2)>`_\n\n\
        `c <data:text/html;base64,PHNjcmlwdD4=>`_\n\n\
        `d <vbscript:msgbox(1)>`_\n\n\
        `e <java\tscript:alert(3)>`_\n\n\
        `f <  javascript:alert(4)>`_\n\n\
        .. _t: javascript:alert(5)\n\n\
        g t_\n\n\
        `ok <https://example.org/>`_\n";
    let md = "# L\n\n[a](javascript:alert(1)) [b](data:text/html,x) [c](JAVASCRIPT:x) ![i](javascript:x)\n";
    let dir = site(
        "schemes",
        "",
        &[("links.rst", page.as_bytes()), ("links.md", md.as_bytes())],
    );
    let run = kbgen(&dir, &["build", "--message-format", "json"]);
    run.assert_no_crash();
    let diags: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let refused: Vec<_> = diags
        .iter()
        .filter(|d| {
            d["message"].as_str().is_some_and(|m| {
                m.contains("javascript")
                    || m.contains("data:")
                    || m.contains("vbscript")
                    || m.contains("scheme")
            })
        })
        .collect();
    assert!(
        refused.len() >= 6,
        "expected a warning per dangerous link, got {refused:#?}\nall: {}",
        run.all()
    );
    for d in &refused {
        assert!(
            d["severity"] == "warning" || d["severity"] == "error",
            "{d}"
        );
    }
    let out = output_text(&dir);
    for f in walkdir::WalkDir::new(dir.join("book"))
        .into_iter()
        .flatten()
    {
        if f.path().extension().is_some_and(|e| e == "html") {
            let html = std::fs::read_to_string(f.path()).unwrap();
            assert_inert_page(&html, &f.path().display().to_string());
        }
    }
    assert!(out.is_empty() || out.contains("https://example.org/"));
}

#[test]
fn raw_html_is_refused_by_default_with_a_clear_error() {
    let page = "Raw\n===\n\n.. raw:: html\n\n   <script>RAWPAYLOAD()</script>\n";
    let dir = site("raw-off", "", &[("raw.rst", page.as_bytes())]);
    let run = kbgen(&dir, &["build"]);
    run.assert_no_crash();
    assert_eq!(run.code, Some(1), "{}", run.all());
    assert!(
        run.stderr.contains("allow-raw"),
        "the error must say how to enable raw:\n{}",
        run.stderr
    );
    assert!(!output_text(&dir).contains("RAWPAYLOAD"));
}

#[test]
fn raw_html_follows_the_book_toml_policy_when_enabled() {
    let page = "Raw\n===\n\n.. raw:: html\n\n   <b class=\"raw\">RAWPAYLOAD</b>\n";
    let dir = site(
        "raw-on",
        "[rst]\nallow-raw = true\n",
        &[("raw.rst", page.as_bytes())],
    );
    let run = kbgen(&dir, &["build"]);
    run.assert_no_crash();
    assert_eq!(run.code, Some(0), "{}", run.all());
    let html = std::fs::read_to_string(dir.join("book/raw.html")).unwrap();
    assert!(html.contains("<b class=\"raw\">RAWPAYLOAD</b>"), "{html}");
}

#[test]
fn markdown_raw_html_is_escaped_by_default() {
    let md = "# M\n\n<div onclick=\"x()\">MDRAW</div>\n\ninline <script>MDSCRIPT()</script> html\n";
    let dir = site("md-raw", "", &[("m.md", md.as_bytes())]);
    let run = kbgen(&dir, &["build"]);
    run.assert_no_crash();
    let html = std::fs::read_to_string(dir.join("book/m.html")).unwrap();
    assert_inert_page(&html, "m.html");
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script>mdscript"), "raw script live");
    assert!(!lower.contains("<div onclick"), "raw div live");
    assert!(
        lower.contains("&lt;script&gt;mdscript"),
        "raw HTML not shown as text"
    );
    search_index_is_inert(&dir);
}

/// The search index carries page text (raw HTML included, as text): it must
/// be exactly one assignment of a JSON value, so no text can break out of
/// its string literals into script. (The search UI renders it with
/// `textContent`.)
fn search_index_is_inert(dir: &std::path::Path) {
    let Ok(js) = std::fs::read_to_string(dir.join("book/search-index.js")) else {
        return;
    };
    let json = js
        .strip_prefix("window.KBGEN_SEARCH_INDEX=")
        .and_then(|r| r.strip_suffix(";\n"))
        .unwrap_or_else(|| panic!("unexpected search index shape: {}", &js[..js.len().min(80)]));
    serde_json::from_str::<serde_json::Value>(json).expect("search index is one JSON value");
}

/// Pages trying to read files outside the content folder.
fn escape_attempts(dir: &std::path::Path) -> Vec<(&'static str, String)> {
    let secret = dir.join("secret.txt");
    vec![
        (
            "dotdot",
            "Inc\n===\n\n.. include:: ../secret.txt\n".to_string(),
        ),
        (
            "deep",
            "Inc\n===\n\n.. include:: ../../../../../../../../etc/passwd\n".to_string(),
        ),
        (
            "abs",
            format!("Inc\n===\n\n.. include:: {}\n", secret.display()),
        ),
        ("etc", "Inc\n===\n\n.. include:: /etc/passwd\n".to_string()),
        (
            "literal",
            "Inc\n===\n\n.. literalinclude:: ../secret.txt\n".to_string(),
        ),
        (
            "incliteral",
            "Inc\n===\n\n.. include:: ../secret.txt\n   :literal:\n".to_string(),
        ),
        (
            "viasymlink",
            "Inc\n===\n\n.. include:: link.txt\n".to_string(),
        ),
        (
            "csv",
            "Inc\n===\n\n.. csv-table:: t\n   :file: ../secret.txt\n".to_string(),
        ),
        (
            "rawfile",
            "Inc\n===\n\n.. raw:: html\n   :file: ../secret.txt\n".to_string(),
        ),
    ]
}

#[test]
fn include_cannot_reach_outside_the_content_folder() {
    let dir = site("inc-escape", "[rst]\nallow-raw = true\n", &[]);
    write(&dir, "secret.txt", "TOPSECRET-INCLUDE\n");
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.join("secret.txt"), dir.join("content/link.txt")).unwrap();
    for (name, page) in escape_attempts(&dir) {
        let _ = std::fs::remove_dir_all(dir.join("content/pages"));
        write(&dir, &format!("content/pages/{name}.rst"), &page);
        let run = kbgen(&dir, &["build", "--force"]);
        run.assert_no_crash();
        if matches!(name, "rawfile" | "csv") {
            // docutils' `file_insertion_enabled = False` behaviour: the
            // option is refused (a warning), the directive does not read.
            assert!(
                run.stderr.contains(&format!("{name}.rst")),
                "{name}: silent:\n{}",
                run.all()
            );
        } else {
            assert_eq!(run.code, Some(1), "{name}: not an error:\n{}", run.all());
        }
        assert!(
            !run.all().contains("TOPSECRET") && !output_text(&dir).contains("TOPSECRET"),
            "{name}: the secret was read"
        );
        assert!(
            !run.all().contains("root:x:0:0"),
            "{name}: /etc/passwd was read"
        );
    }
}

#[test]
fn images_cannot_reach_outside_the_content_folder() {
    let dir = site("img-escape", "", &[]);
    write(&dir, "secret.png", "TOPSECRET-IMAGE");
    for (name, uri) in [
        ("dotdot", "../secret.png".to_string()),
        ("abs", dir.join("secret.png").display().to_string()),
        ("etc", "/etc/passwd".to_string()),
    ] {
        let _ = std::fs::remove_dir_all(dir.join("content/pages"));
        write(
            &dir,
            &format!("content/pages/{name}.rst"),
            format!("Img\n===\n\n.. image:: {uri}\n\n.. figure:: {uri}\n\n   Caption.\n"),
        );
        let run = kbgen(&dir, &["build", "--force"]);
        run.assert_no_crash();
        assert_eq!(run.code, Some(1), "{name}: not an error:\n{}", run.all());
        let out = output_text(&dir);
        assert!(!out.contains("TOPSECRET"), "{name}: the image was copied");
    }
}

#[test]
fn include_cycles_and_depth_give_a_diagnostic_not_a_hang() {
    let dir = site(
        "inc-cycle",
        "",
        &[
            ("a.rst", b"A\n=\n\n.. include:: b.inc\n"),
            ("b.inc", b"B text.\n\n.. include:: a.inc\n"),
            ("a.inc", b"A text.\n\n.. include:: b.inc\n"),
            ("self.rst", b"S\n=\n\n.. include:: self.inc\n"),
            ("self.inc", b"again\n\n.. include:: self.inc\n"),
        ],
    );
    let mut chain = String::from("D\n=\n\n.. include:: c0.inc\n");
    for i in 0..200 {
        write(
            &dir,
            &format!("content/c{i}.inc"),
            format!("level {i}\n\n.. include:: c{}.inc\n", i + 1),
        );
    }
    write(&dir, "content/c200.inc", "bottom\n");
    chain.push('\n');
    write(&dir, "content/deep.rst", &chain);
    let run = support::kbgen_timed(&dir, &["check"], std::time::Duration::from_secs(60));
    run.assert_no_crash();
    assert_eq!(run.code, Some(1), "{}", run.all());
    let lower = run.stderr.to_lowercase();
    assert!(
        lower.contains("circular") || lower.contains("cycle") || lower.contains("recursi"),
        "cycle not reported:\n{}",
        run.stderr
    );
    assert!(
        lower.contains("depth") || lower.contains("too deep") || lower.contains("nested"),
        "depth limit not reported:\n{}",
        run.stderr
    );
}
