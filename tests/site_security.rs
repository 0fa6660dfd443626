//! Hostile page content never becomes live markup: script-like text is
//! escaped, `javascript:`/`vbscript:`/`data:` links are rendered as text,
//! and `.. raw:: html` is dropped unless `book.toml` allows it.

use std::path::{Path, PathBuf};

use kbgen::site::{BuildOptions, build};

const PAGE: &str = r#"==========
Hostile
==========

Text with <script>alert(1)</script> and "quotes" & ampersands.

A `bad link <javascript:alert(1)>`_, a `sneaky one <JaVaScRiPt:alert(2)>`_,
a `vb link <vbscript:msgbox(1)>`_ and a `data link <data:text/html,hi>`_.

``<img src=x onerror=alert(3)>``

.. raw:: html

   <script>alert(4)</script>

::

   <script>alert(5)</script>
"#;

fn site(name: &str, allow_raw: bool) -> (PathBuf, PathBuf) {
    let dir =
        std::env::temp_dir().join(format!("kbgen-site-security-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("content")).unwrap();
    std::fs::write(
        dir.join("book.toml"),
        format!("title = \"S\"\n[rst]\nallow-raw = {allow_raw}\n"),
    )
    .unwrap();
    std::fs::write(dir.join("content/hostile.rst"), PAGE).unwrap();
    let out = dir.join("out");
    let _ = build(&BuildOptions {
        config_path: dir.join("book.toml"),
        dest: Some(out.clone()),
        write: true,
        force: true,
    });
    (dir, out)
}

fn check_page(out: &Path) {
    // The build may refuse the page (raw is an error when not allowed);
    // whatever it writes must be inert.
    let Ok(html) = std::fs::read_to_string(out.join("hostile.html")) else {
        return;
    };
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "{html}");
    assert!(!lower.contains("<img src=x"), "{html}");
    for scheme in ["javascript:", "vbscript:", "data:"] {
        assert!(
            !lower.contains(&format!("href=\"{scheme}")),
            "live {scheme} link: {html}"
        );
    }
}

#[test]
fn hostile_content_is_inert() {
    let (dir, out) = site("default", false);
    check_page(&out);
    let _ = std::fs::remove_dir_all(dir);
}
