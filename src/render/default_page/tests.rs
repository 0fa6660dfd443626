use super::super::{PageView, Renderer, SiteView};
use crate::site::doctree::{NavLink, PageNav};

fn link(title: &str, href: &str) -> NavLink {
    NavLink {
        title: title.into(),
        href: href.into(),
    }
}

/// Option `k` of a view's optional parts: off, empty, or a value that
/// needs escaping.
fn pick(k: u32, value: &str) -> Option<String> {
    match k % 3 {
        0 => None,
        1 => Some(String::new()),
        _ => Some(value.into()),
    }
}

/// A view for each combination: every `{% if %}` of the templates both
/// ways, with text that needs escaping wherever a value is shown.
fn view(n: u32) -> PageView {
    let digit = |place: u32| (n / 3u32.pow(place)) % 3;
    let nav = (digit(4) > 0).then(|| PageNav {
        sidebar: "<ul><li>side & bar</li></ul>\n".into(),
        parents: if digit(5) == 2 {
            vec![
                link("Root <1>", "../index.html"),
                link("Mid \"2\"", "mid.html?a=1&b=2"),
            ]
        } else {
            Vec::new()
        },
        numbered_title: None,
        prev: (digit(5) >= 1).then(|| link("Prev 'p'", "p.html")),
        next: (digit(6) >= 1).then(|| link("Next & n", "n.html#x")),
    });
    PageView {
        site: SiteView {
            title: "Site <T> & 'co'".into(),
            description: if digit(7) == 2 {
                "Site \"desc\"".into()
            } else {
                String::new()
            },
            language: "en-GB".into(),
            generator: "kbgen 0.1.0".into(),
            edit_url_pattern: String::new(),
        },
        root: if n.is_multiple_of(2) {
            String::new()
        } else {
            "../a&b/".into()
        },
        path: "x/page.html".into(),
        title: "Page <title> — \"q\"".into(),
        description: pick(digit(0), "A <page> & 'more'"),
        category: pick(digit(1), "Cat & <dog>"),
        category_id: pick(digit(1), "cat-dog"),
        body: "<p>body &amp; text</p>\n".into(),
        toc: pick(digit(2), "<ul>\n<li><a href=\"#s\">S</a></li>\n</ul>\n"),
        nav,
        edit_url: pick(digit(3), "https://e.example/edit?f=a&b=<c>"),
    }
}

#[test]
fn same_bytes_as_tera() {
    let renderer = Renderer::load(None).unwrap();
    assert!(renderer.writes_default_frame());
    for n in 0..3u32.pow(8) {
        let v = view(n);
        let ours = renderer.render_page(&v).unwrap();
        let tera = renderer.render_page_by_tera(&v).unwrap();
        assert_eq!(ours, tera, "view {n}: {v:#?}");
    }
}

#[test]
fn a_theme_that_overrides_the_frame_gets_tera() {
    let dir = std::env::temp_dir().join(format!("kbgen-frame-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    std::fs::write(
        dir.join("templates/search.html"),
        "<p>own search {{ root }}</p>",
    )
    .unwrap();
    let renderer = Renderer::load(Some(&dir)).unwrap();
    assert!(!renderer.writes_default_frame());
    let html = renderer.render_page(&view(1)).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(html.contains("<p>own search ../a&amp;b/</p>"), "{html}");
}
