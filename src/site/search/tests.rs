use super::*;
use crate::ast::Span;

#[test]
fn folding_lowercases_and_strips_diacritics() {
    assert_eq!(fold("Éclair ÜBER straße"), "eclair uber straße");
    assert_eq!(fold("ﬁle Ω ΟΔΟΣ"), "file ω οδοσ");
    assert_eq!(
        tokens("QEMU/KVM, naïve-ish"),
        vec!["qemu", "kvm", "naive", "ish"]
    );
}

#[test]
fn long_text_is_capped_and_deduplicated() {
    let filler: String = (0..200).map(|i| format!("w{i} the ")).collect();
    let text = format!("{filler} Seccomp Seccomp uniqueword");
    // "the" is everywhere in the site, the w-words once; Seccomp twice here.
    let idf = |w: &str| if w == "the" { 0.0 } else { 1.0 };
    let c = compact_text(&text, 300, &idf);
    assert!(c.len() <= 300, "{}", c.len());
    assert!(c.contains("Seccomp"), "{c}");
    assert_eq!(c.matches("Seccomp").count(), 1, "{c}");
    assert!(c.starts_with("w0 the w1"), "{c}");
    assert!(!c.split_once('…').unwrap().1.contains(" the "), "{c}");
    assert_eq!(compact_text("short", 300, &idf), "short");
}

fn section(id: &str, title: &str, body: &str) -> Element {
    let mut s = Element::new(Tag::Section, Span::default());
    s.ids.push(id.into());
    let mut t = Element::new(Tag::Title, Span::default());
    t.push_text(title, Span::default());
    s.push(t);
    let mut p = Element::new(Tag::Paragraph, Span::default());
    p.push_text(body, Span::default());
    s.push(p);
    s
}

#[test]
fn sections_become_entries_with_their_own_text() {
    let mut doc = Element::new(Tag::Document, Span::default());
    let mut p = Element::new(Tag::Paragraph, Span::default());
    p.push_text("intro", Span::default());
    doc.push(p);
    let mut a = section("a", "A", "text of a");
    a.push(section("b", "B", "text of b"));
    doc.push(a);
    let entries = page_entries(&doc, Some("desc"));
    let index = SearchIndex::build([SearchPage {
        href: "x.html",
        title: "X",
        entries: &entries,
    }]);
    let e: Vec<_> = index
        .e
        .iter()
        .map(|e| (e.1.as_str(), e.2.as_str(), e.3.as_str()))
        .collect();
    assert_eq!(
        e,
        vec![
            ("", "", "desc intro"),
            ("a", "A", "text of a"),
            ("b", "B", "text of b")
        ]
    );
    let js = index.to_js();
    assert!(
        js.starts_with("window.KBGEN_SEARCH_INDEX={\"v\":1,\"p\":[[\"x.html\",\"X\"]]"),
        "{js}"
    );
}

#[test]
fn small_sites_keep_everything_big_ones_are_compacted() {
    let body: String = (0..700).map(|i| format!("word{i} ")).collect();
    let docs: Vec<Vec<SearchEntry>> = (0..2)
        .map(|_| {
            let mut d = Element::new(Tag::Document, Span::default());
            d.push(section("s", "S", &body));
            page_entries(&d, None)
        })
        .collect();
    let pages = |n: usize| {
        (0..n).map(|i| SearchPage {
            href: "p.html",
            title: "P",
            entries: &docs[i % 2],
        })
    };
    let small = SearchIndex::build(pages(2));
    assert_eq!(small.e[1].3, body.trim_end());
    let big = SearchIndex::build(pages(300));
    assert!(300 * body.len() > SITE_BUDGET);
    for e in &big.e {
        assert!(e.3.len() <= MAX_ENTRY, "{}", e.3.len());
    }
    assert!(big.e[1].3.starts_with("word0 word1"), "{}", big.e[1].3);
}

/// A page with these entries, as the engine keeps it.
fn built(rel: &str, title: &str, search: PageSearch) -> crate::site::BuiltPage {
    use crate::source::{PageKind, PageSource, SourceFile};
    let mut p = crate::site::BuiltPage {
        page: PageSource {
            path: rel.into(),
            rel: rel.into(),
            kind: PageKind::Rst,
        },
        source: std::sync::Arc::new(SourceFile::new(rel, "")),
        released: None,
        spilled_links: None,
        meta: Default::default(),
        links: Default::default(),
        search,
        doc: None,
        doc_facts: None,
        body: None,
    };
    p.meta.title = title.into();
    p
}

/// The index written a chunk at a time, from entries kept or set aside,
/// is byte for byte the index built whole, on a site small enough to keep
/// everything and on one big enough to be compacted.
#[test]
fn index_written_as_it_is_made_is_the_index_built_whole() {
    let mut seed = 5u64;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    for pages in [3, 260] {
        let entries: Vec<Vec<SearchEntry>> = (0..pages)
            .map(|p| {
                let mut d = Element::new(Tag::Document, Span::default());
                for s in 0..next() % 4 {
                    let body: Vec<String> = (0..next() % 1500)
                        .map(|_| format!("w{} \"Q\"", next() % (40 + 30 * s)))
                        .collect();
                    d.push(section(&format!("s{s}"), "Sé <T>", &body.join(" ")));
                }
                page_entries(&d, Some(&format!("page {p}")))
            })
            .collect();
        let rels: Vec<String> = (0..pages).map(|p| format!("d/p{p}.rst")).collect();
        let text: usize = entries.iter().flatten().map(|e| e.text.len()).sum();
        assert_eq!(text > SITE_BUDGET, pages > 3, "{text} bytes of text");
        let kept: Vec<_> = entries
            .iter()
            .zip(&rels)
            .map(|(e, rel)| built(rel, "T \"x\"", PageSearch::Kept(e.clone())))
            .collect();
        let hrefs: Vec<String> = kept
            .iter()
            .map(|p| crate::passes::links::path_url(&p.page.output_path()))
            .collect();
        let expected = SearchIndex::build(entries.iter().zip(&hrefs).map(|(e, href)| SearchPage {
            href,
            title: "T \"x\"",
            entries: e,
        }))
        .to_js();
        assert_eq!(index_js(&kept), expected, "{pages} pages, kept");
        let spill = SearchSpill::new();
        let set_aside: Vec<_> = entries
            .iter()
            .zip(&rels)
            .map(|(e, rel)| {
                let at = spill.put(e.clone()).unwrap();
                built(rel, "T \"x\"", PageSearch::Spilled(at))
            })
            .collect();
        let mut out = Vec::new();
        write_index_js(&mut out, &set_aside, Some(&spill)).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            expected,
            "{pages} pages, set aside"
        );
    }
}
