//! `genindex.html`: Sphinx's general index, from every `index` node of the
//! project (the `index` directive and role, glossary terms, options,
//! environment variables and any object description that emits one), with
//! Sphinx's entry types (`single`, `pair`, `triple`, `see`, `seealso`),
//! sort order, letter groups and markup, so its links equal Sphinx's.

use std::collections::BTreeMap;

use unicode_normalization::UnicodeNormalization;

use crate::render::escape::escape;

use super::SphinxProject;
use super::xref::relative_doc_href;

/// The index page's name as a document (`genindex.html`), for relative links.
pub const GENINDEX_DOC: &str = "genindex";

/// Output path of the index.
pub const GENINDEX_PATH: &str = "genindex.html";

/// One entry of an `index` node: Sphinx's `(type, value, target, main)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexFact {
    pub kind: String,
    pub value: String,
    /// The id the entry links to.
    pub target: String,
    /// `!` in front: written bold.
    pub main: bool,
}

/// Reads the `entries` attribute as the dialect writes it (Python lists
/// with spaces escaped, see `syntax::rst::sphinx::index::entries_attr`).
pub fn parse_entries(attr: &str) -> Vec<IndexFact> {
    let mut text = String::with_capacity(attr.len());
    let mut chars = attr.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => text.extend(chars.next()),
            c => text.push(c),
        }
    }
    let mut out = Vec::new();
    let mut items: Vec<Option<String>> = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => items.push(Some(py_string(&mut chars, c))),
            'N' => {
                // `None`
                for _ in 0..3 {
                    chars.next();
                }
                items.push(None);
            }
            ']' => {
                let mut it = std::mem::take(&mut items).into_iter();
                let mut next = || it.next().flatten().unwrap_or_default();
                let (kind, value, target, main) = (next(), next(), next(), next());
                out.push(IndexFact {
                    kind,
                    value,
                    target,
                    main: main == "main",
                });
            }
            _ => {}
        }
    }
    out
}

/// A Python string literal's content after its opening quote.
fn py_string(chars: &mut std::iter::Peekable<std::str::Chars>, quote: char) -> String {
    let mut s = String::new();
    while let Some(c) = chars.next() {
        match c {
            c if c == quote => break,
            '\\' => match chars.next() {
                Some('n') => s.push('\n'),
                Some('t') => s.push('\t'),
                Some('r') => s.push('\r'),
                Some(k @ ('x' | 'u' | 'U')) => {
                    let n = match k {
                        'x' => 2,
                        'u' => 4,
                        _ => 8,
                    };
                    let hex: String = (0..n).filter_map(|_| chars.next()).collect();
                    s.extend(u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32));
                }
                Some(other) => s.push(other),
                None => {}
            },
            c => s.push(c),
        }
    }
    s
}

/// A link of the index: `(main, href)`.
type Link = (bool, String);

#[derive(Default)]
struct Word {
    links: Vec<Link>,
    /// Sub-entries and their links (`None`: a `see` text, no link), in the
    /// order first met: Sphinx's sort of them is stable.
    subs: Vec<(String, Vec<Option<Link>>)>,
    /// Position of each sub-entry in `subs`.
    sub_at: BTreeMap<String, usize>,
}

impl Word {
    fn sub(&mut self, sub: String) -> &mut Vec<Option<Link>> {
        let at = *self.sub_at.entry(sub.clone()).or_insert_with(|| {
            self.subs.push((sub, Vec::new()));
            self.subs.len() - 1
        });
        &mut self.subs[at].1
    }
}

fn split2(value: &str) -> (String, String) {
    match value.split_once(';') {
        Some((a, b)) => (a.trim().to_string(), b.trim().to_string()),
        None => (value.trim().to_string(), String::new()),
    }
}

/// Case folded and decomposed, a leading right-to-left mark dropped.
fn folded(word: &str) -> String {
    let key: String = word.to_lowercase().nfd().collect();
    key.strip_prefix('\u{200f}')
        .map(str::to_string)
        .unwrap_or(key)
}

fn starts_as_letter(key: &str) -> bool {
    key.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
}

/// Sphinx's sort key of an entry: symbols first, then the folded word,
/// then the word itself.
fn sort_key(word: &str) -> (u8, String, String) {
    let key = folded(word);
    (u8::from(starts_as_letter(&key)), key, word.to_string())
}

/// Sphinx's sort key of a sub-entry: the folded word, letters after
/// U+007F (a string prefix, as Sphinx makes it); ties keep their order.
fn sub_sort_key(word: &str) -> String {
    let key = folded(word);
    if starts_as_letter(&key) {
        format!("\u{7f}{key}")
    } else {
        key
    }
}

/// Sphinx's grouping of `name (qualifier)` entries: a second entry with
/// the same name and no sub-entries becomes a sub-entry `(qualifier)` of
/// the entry before it (`func() (in module foo)`, `func() (in module bar)`).
fn group_qualified(sorted: Vec<(String, Word)>) -> Vec<(String, Word)> {
    let mut out: Vec<(String, Word)> = Vec::with_capacity(sorted.len());
    let mut old_key = String::new();
    for (word, mut entry) in sorted {
        if entry.subs.is_empty() {
            if let Some((name, qualifier)) = split_qualifier(&word) {
                if old_key == name
                    && let Some((_, prev)) = out.last_mut()
                {
                    let links = std::mem::take(&mut entry.links);
                    prev.sub(qualifier.to_string())
                        .extend(links.into_iter().map(Some));
                    continue;
                }
                old_key = name.to_string();
            } else {
                old_key = word.clone();
            }
        }
        out.push((word, entry));
    }
    out
}

/// `name (qualifier)` → `("name", "(qualifier)")` (Sphinx's
/// `(.*) ([(][^()]*[)])`).
fn split_qualifier(word: &str) -> Option<(&str, &str)> {
    let body = word.strip_suffix(')')?;
    let open = body.rfind('(')?;
    if body[open + 1..].contains(')') || open == 0 {
        return None;
    }
    let name = word[..open].strip_suffix(' ')?;
    Some((name, &word[open..]))
}

/// The group of an entry: its decomposed first letter in upper case, `_`,
/// or "Symbols".
fn group_of(word: &str) -> String {
    match word.nfd().next() {
        Some(c) if c.is_alphabetic() => c.to_uppercase().collect(),
        Some('_') => "_".into(),
        _ => "Symbols".into(),
    }
}

/// The index's words from every page's entries.
fn collect(project: &SphinxProject) -> BTreeMap<String, Word> {
    let mut words: BTreeMap<String, Word> = BTreeMap::new();
    for (doc, facts) in &project.facts {
        let page = relative_doc_href(GENINDEX_DOC, doc);
        for e in &facts.index_entries {
            let link = (e.main, format!("{page}#{}", e.target));
            let mut add = |word: String, sub: String, link: Option<Link>| {
                if word.is_empty() {
                    return;
                }
                let w = words.entry(word).or_default();
                match (sub.is_empty(), link) {
                    (true, Some(l)) => w.links.push(l),
                    (true, None) => {}
                    (false, l) => w.sub(sub).push(l),
                }
            };
            match e.kind.as_str() {
                "single" => {
                    let (a, b) = split2(&e.value);
                    add(a, b, Some(link));
                }
                "pair" | "double" => {
                    let (a, b) = split2(&e.value);
                    add(a.clone(), b.clone(), Some(link.clone()));
                    add(b, a, Some(link));
                }
                "triple" => {
                    let parts: Vec<String> =
                        e.value.split(';').map(|p| p.trim().to_string()).collect();
                    if let [a, b, c] = parts.as_slice() {
                        add(a.clone(), format!("{b} {c}"), Some(link.clone()));
                        add(b.clone(), format!("{c}, {a}"), Some(link.clone()));
                        add(c.clone(), format!("{a} {b}"), Some(link));
                    }
                }
                "see" => {
                    let (a, b) = split2(&e.value);
                    add(a, format!("see {b}"), None);
                }
                "seealso" => {
                    let (a, b) = split2(&e.value);
                    add(a, format!("see also {b}"), None);
                }
                _ => {}
            }
        }
    }
    words
}

fn links_html(out: &mut String, text: &str, links: &[Link]) {
    for (i, (main, href)) in links.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let shown = if i == 0 {
            escape(text)
        } else {
            format!("[{i}]")
        };
        let shown = if *main {
            format!("<strong>{shown}</strong>")
        } else {
            shown
        };
        out.push_str(&format!("<a href=\"{}\">{shown}</a>", escape(href)));
    }
}

/// The body of `genindex.html`: Sphinx's jump box, then per letter group
/// a table of two columns of entries.
pub fn genindex_body(project: &SphinxProject) -> String {
    let words = collect(project);
    let mut sorted: Vec<(String, Word)> = words.into_iter().collect();
    sorted.sort_by_cached_key(|(w, _)| sort_key(w));
    let sorted = group_qualified(sorted);
    let mut groups: Vec<(String, Vec<(String, Word)>)> = Vec::new();
    for (word, entry) in sorted {
        let g = group_of(&word);
        match groups.last_mut() {
            Some((last, items)) if *last == g => items.push((word, entry)),
            _ => groups.push((g, vec![(word, entry)])),
        }
    }
    let mut out = String::from("<h1 id=\"index\">Index</h1>\n\n<div class=\"genindex-jumpbox\">\n");
    for (i, (g, _)) in groups.iter().enumerate() {
        out.push_str(if i == 0 { " " } else { " | " });
        let g = escape(g);
        out.push_str(&format!("<a href=\"#{g}\"><strong>{g}</strong></a>\n"));
    }
    out.push_str("</div>\n");
    for (g, items) in &groups {
        let g = escape(g);
        out.push_str(&format!(
            "<h2 id=\"{g}\">{g}</h2>\n<table style=\"width: 100%\" class=\"indextable genindextable\"><tr>\n"
        ));
        for column in slice_columns(items) {
            out.push_str("  <td style=\"width: 33%; vertical-align: top;\"><ul>\n");
            for (word, entry) in column {
                word_html(&mut out, word, entry);
            }
            out.push_str("  </ul></td>\n");
        }
        out.push_str("</tr></table>\n\n");
    }
    out
}

fn word_html(out: &mut String, word: &str, entry: &Word) {
    out.push_str("      <li>");
    if entry.links.is_empty() {
        out.push_str(&format!("\n    {}\n", escape(word)));
    } else {
        links_html(out, word, &sorted_links(entry.links.iter()));
        out.push('\n');
    }
    if !entry.subs.is_empty() {
        let mut subs: Vec<&(String, Vec<Option<Link>>)> = entry.subs.iter().collect();
        subs.sort_by_cached_key(|(s, _)| sub_sort_key(s));
        out.push_str("\n      <ul>\n");
        for (sub, links) in subs {
            out.push_str("        <li>");
            let linked = sorted_links(links.iter().flatten());
            if linked.is_empty() {
                out.push_str(&format!("\n    {}\n", escape(sub)));
            } else {
                links_html(out, sub, &linked);
                out.push('\n');
            }
            out.push_str("</li>\n");
        }
        out.push_str("      </ul>");
    }
    out.push_str("</li>\n");
}

/// An entry's links as Sphinx orders them: main ones first, then by href.
fn sorted_links<'a>(links: impl Iterator<Item = &'a Link>) -> Vec<Link> {
    let mut v: Vec<Link> = links.cloned().collect();
    v.sort_by(|a, b| (!a.0, &a.1).cmp(&(!b.0, &b.1)));
    v
}

/// Sphinx's two columns: the first takes entries (each counting one plus
/// its sub-entries) until it holds half; empty columns are left out.
fn slice_columns(items: &[(String, Word)]) -> Vec<&[(String, Word)]> {
    let size = |w: &Word| 1 + w.subs.len();
    let total: usize = items.iter().map(|(_, w)| size(w)).sum();
    let per = total / 2;
    let mut count = 0;
    let mut split = 0;
    for (_, w) in items {
        count += size(w);
        split += 1;
        if count >= per {
            break;
        }
    }
    [&items[..split], &items[split..]]
        .into_iter()
        .filter(|c| !c.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_read_back_as_the_dialect_writes_them() {
        // As `entries_attr` writes `apple; red`, `it's; b` and `a\b`.
        let attr = r#"['single',\ 'apple;\ red',\ 'index-0',\ '',\ None] ['pair',\ "it's;\ b",\ 'x',\ 'main',\ None] ['single',\ 'a\\\\b',\ 'y',\ '',\ None]"#;
        let e = parse_entries(attr);
        assert_eq!(e.len(), 3);
        assert_eq!(e[0].value, "apple; red");
        assert_eq!(e[1].value, "it's; b");
        assert_eq!(e[2].value, "a\\b");
        assert!(e[1].main && !e[0].main);
        assert_eq!(e[1].target, "x");
    }

    #[test]
    fn symbols_sort_first_and_letters_group_by_base_letter() {
        let mut words = vec!["Émile", "9lives", "_u", "apple", "environment"];
        words.sort_by_cached_key(|w| sort_key(w));
        assert_eq!(
            split_qualifier("f() (in module m)"),
            Some(("f()", "(in module m)"))
        );
        assert_eq!(split_qualifier("(x)"), None);
        assert_eq!(words, ["9lives", "_u", "apple", "environment", "Émile"]);
        assert_eq!(group_of("Émile"), "E");
        assert_eq!(group_of("--x"), "Symbols");
    }
}
