//! Script in a file name (issue 18, item 4): a page named
//! `javascript:alert(1).rst` used to be linked as `href="javascript:…"` on
//! the index and in search results, so a click ran it. Every URL kbgen
//! makes from a path must be a relative path that is not a scheme and
//! leads to the file.

#[path = "hostile/support.rs"]
mod support;

use support::{kbgen, site};

/// The values of every `href="…"` in `html` (Tera escapes `&` as `&amp;`).
fn hrefs(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|h| h.replace("&amp;", "&").replace("&#x2F;", "/"))
        .collect()
}

/// True when a browser would read `url` as having a scheme.
fn has_scheme(url: &str) -> bool {
    let Some((scheme, _)) = url.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
}

fn percent_decode(s: &str) -> String {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn page_names_that_look_like_schemes_are_linked_as_relative_paths() {
    let page = |t: &str| {
        format!(
            "{}\n{}\n{}\n\nText about {t}.\n",
            "=".repeat(t.len()),
            t,
            "=".repeat(t.len())
        )
    };
    let names = [
        "javascript:alert(1).rst",
        "JavaScript:alert(2).rst",
        "data:text.rst",
        "a#b?c%d e.rst",
    ];
    let pages: Vec<(&str, Vec<u8>)> = names
        .iter()
        .map(|n| (*n, page(&format!("Page {}", n.len())).into_bytes()))
        .collect();
    let refs: Vec<(&str, &[u8])> = pages.iter().map(|(n, b)| (*n, b.as_slice())).collect();
    let dir = site("urls", "site-url = \"https://docs.example/kb/\"\n", &refs);
    let run = kbgen(&dir, &["build"]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    let out = dir.join("book");

    // The index: every link is relative (under the base path), none a
    // scheme, and each page's link leads to its file.
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    let links = hrefs(&index);
    for h in &links {
        assert!(!has_scheme(h), "index links to {h}");
    }
    for n in names {
        let file = n.replace(".rst", ".html");
        assert!(out.join(&file).is_file(), "{file} not written");
        let found = links
            .iter()
            .filter_map(|h| h.strip_prefix("/kb/"))
            .any(|h| percent_decode(h.trim_start_matches("./")) == file);
        assert!(found, "no index link to {file}: {links:?}");
    }

    // The search index: hrefs as the theme joins them to its root ("" at
    // the top level).
    let js = std::fs::read_to_string(out.join("search-index.js")).unwrap();
    let json: serde_json::Value = serde_json::from_str(
        js.trim()
            .trim_start_matches("window.KBGEN_SEARCH_INDEX=")
            .trim_end_matches(';'),
    )
    .unwrap();
    let search_hrefs: Vec<&str> = json["p"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p[0].as_str().unwrap())
        .collect();
    assert_eq!(search_hrefs.len(), names.len(), "{search_hrefs:?}");
    for h in &search_hrefs {
        assert!(!has_scheme(h), "search result links to {h}");
        assert!(
            out.join(percent_decode(h.trim_start_matches("./")))
                .is_file(),
            "{h}"
        );
    }

    // The sitemap: absolute URLs on the site, the path percent-encoded.
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    for loc in sitemap
        .split("<loc>")
        .skip(1)
        .map(|r| r.split("</loc>").next().unwrap())
    {
        assert!(loc.starts_with("https://docs.example/kb/"), "{loc}");
        assert!(
            !loc.contains(' ') && !loc["https://".len()..].contains('#'),
            "{loc}"
        );
    }
    assert!(
        sitemap.contains("https://docs.example/kb/javascript:alert(1).html"),
        "{sitemap}"
    );
}

#[test]
fn without_a_site_url_the_top_level_links_are_guarded_by_dot_slash() {
    let dir = site(
        "urls-rel",
        "",
        &[("javascript:alert(1).rst", b"=====\nTitle\n=====\n\nText.\n")],
    );
    let run = kbgen(&dir, &["build"]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    let index = std::fs::read_to_string(dir.join("book/index.html")).unwrap();
    assert!(
        hrefs(&index)
            .iter()
            .any(|h| h == "./javascript:alert(1).html"),
        "{:?}",
        hrefs(&index)
    );
    assert!(hrefs(&index).iter().all(|h| !has_scheme(h)));
}
