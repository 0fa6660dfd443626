//! Link checking across the site: every relative link from a page (or the
//! index) must reach a page, a section id inside it, or a file of the site.
//! A missing target is an error at the reference, with a "did you mean"
//! hint when a close match exists. Links with `javascript:`, `vbscript:` or
//! `data:` schemes are refused with a warning (the writer never makes them
//! live). External URLs are never fetched.

use crate::ast::Attr;

use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use crate::ast::{Element, Span, Tag};
use crate::diag::{Diagnostic, SourceMap};
use crate::suggest::closest_in;
use crate::urls::{is_dangerous_uri, is_external};

/// What the link check needs from one page's tree: its anchors and its
/// links. Taken once, right after parsing, so a full build can drop each
/// tree as soon as the page is written instead of holding the whole site's
/// trees until the site-wide check (most of the build's memory).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageLinks {
    /// Every id on the page.
    pub ids: IdSet,
    /// Links in document order.
    pub links: Vec<Link>,
}

/// One link of a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub target: LinkTarget,
    /// The reference or image that makes the link.
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum LinkTarget {
    /// A URL (`refuri` of a reference, `uri` of an image).
    Url(String),
    /// An id on the same page (`refid`).
    Local(String),
}

impl PageLinks {
    pub fn of(doc: &Element) -> PageLinks {
        let mut out = PageLinks::default();
        let mut ids: Vec<&str> = Vec::new();
        doc.walk(&mut |e| {
            ids.extend(e.ids.iter().map(String::as_str));
            let target = match e.tag {
                Tag::Reference => match (e.get(Attr::Refuri), e.get(Attr::Refid)) {
                    (Some(u), _) => LinkTarget::Url(u.to_string()),
                    (None, Some(id)) => LinkTarget::Local(id.to_string()),
                    _ => return,
                },
                Tag::Image => match e.get(Attr::Uri) {
                    Some(u) => LinkTarget::Url(u.to_string()),
                    None => return,
                },
                _ => return,
            };
            out.links.push(Link {
                target,
                span: e.span,
            });
        });
        out.ids = IdSet::new(ids);
        out
    }
}

/// A page's ids, sorted and packed into one string: every page's ids are
/// kept until the link check, and a set of separate strings takes about
/// four times the memory (a big site's ids are its biggest such fact).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdSet {
    /// The ids, sorted, one after another.
    text: String,
    /// Where each id ends in `text`.
    ends: Vec<u32>,
}

impl IdSet {
    /// The set of `ids` (in any order, repeats allowed).
    pub fn new<'a>(ids: impl IntoIterator<Item = &'a str>) -> IdSet {
        let mut ids: Vec<&str> = ids.into_iter().collect();
        ids.sort_unstable();
        ids.dedup();
        let mut set = IdSet {
            text: String::with_capacity(ids.iter().map(|i| i.len()).sum()),
            ends: Vec::with_capacity(ids.len()),
        };
        for id in ids {
            set.text.push_str(id);
            // Past 4 GiB of ids the rest are dropped: offsets are 32 bits.
            let Ok(end) = u32::try_from(set.text.len()) else {
                set.text
                    .truncate(set.ends.last().copied().unwrap_or(0) as usize);
                break;
            };
            set.ends.push(end);
        }
        set
    }

    fn get(&self, i: usize) -> &str {
        let start = match i {
            0 => 0,
            _ => self.ends[i - 1] as usize,
        };
        &self.text[start..self.ends[i] as usize]
    }

    pub fn contains(&self, id: &str) -> bool {
        let (mut lo, mut hi) = (0, self.ends.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.get(mid).cmp(id) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return true,
            }
        }
        false
    }

    /// The ids in sorted order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.ends.len()).map(|i| self.get(i))
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

/// One page as the link checker sees it.
pub struct LinkPage<'a> {
    /// Output path relative to the site root (`kbase/x.html`).
    pub output: &'a str,
    pub links: &'a PageLinks,
    /// The page's source, for the position of a diagnostic.
    pub source: &'a dyn SourceMap,
    /// Whether the index page links this page.
    pub listed: bool,
}

/// Targets a link may reach: pages (with their ids) and other files.
/// Borrows the pages' id sets, so making it for every preview rebuild
/// copies nothing.
#[derive(Debug, Default)]
pub struct SiteTargets<'a> {
    pub pages: HashMap<&'a str, &'a IdSet>,
    pub files: BTreeSet<String>,
}

impl<'a> SiteTargets<'a> {
    pub fn new(pages: &[LinkPage<'a>], files: impl IntoIterator<Item = String>) -> SiteTargets<'a> {
        let mut t = SiteTargets {
            pages: HashMap::default(),
            files: files.into_iter().collect(),
        };
        for p in pages {
            t.pages.insert(p.output, &p.links.ids);
        }
        for special in ["index.html", "404.html", "sitemap.xml"] {
            t.files.insert(special.to_string());
        }
        t
    }
}

/// Resolves `href` written on the page at `from` (both relative to the
/// site root) into a site path, or `None` when it climbs above the root.
pub fn resolve_relative(from: &str, href: &str) -> Option<String> {
    let mut parts: Vec<&str> = if href.starts_with('/') {
        Vec::new()
    } else {
        let mut p: Vec<&str> = from.split('/').collect();
        p.pop();
        p
    };
    for seg in href.trim_start_matches('/').split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    if href.ends_with('/') || joined.is_empty() {
        return Some(if joined.is_empty() {
            "index.html".into()
        } else {
            format!("{joined}/index.html")
        });
    }
    Some(joined)
}

/// The link check of one page.
#[derive(Debug, Clone, Default)]
pub struct PageCheck {
    pub diags: Vec<Diagnostic>,
    /// Output paths of the pages it links to (the reachability graph).
    pub links_to: BTreeSet<String>,
    /// Every site path its links resolve to, existing or not: the page
    /// needs checking again when one of these changes.
    pub depends_on: BTreeSet<String>,
}

/// Every target's file name, by folder, each folder's names sorted: where
/// "did you mean" looks for a missing target's siblings. Made once per
/// check of the site and shared by the threads that check its pages.
#[derive(Debug, Clone, Default)]
pub struct Siblings<'t>(HashMap<&'t str, Vec<&'t str>>);

impl<'t> Siblings<'t> {
    pub fn of(targets: &'t SiteTargets<'_>) -> Siblings<'t> {
        let mut by_dir: HashMap<&str, Vec<&str>> = HashMap::default();
        for path in targets
            .pages
            .keys()
            .copied()
            .chain(targets.files.iter().map(String::as_str))
        {
            let (dir, name) = split_dir(path);
            by_dir.entry(dir).or_default().push(name);
        }
        // Map order must not leak into suggestions (ties go to the smaller name).
        for names in by_dir.values_mut() {
            names.sort_unstable();
        }
        Siblings(by_dir)
    }
}

/// Checks pages' links against the site's targets. Keeps the "did you
/// mean" search cheap: candidates are grouped by folder once
/// ([`Siblings`]), and each missing target's suggestion is computed once
/// per checker (many links often miss the same target, a page that was
/// renamed).
pub struct LinkChecker<'s, 't, 'a> {
    targets: &'t SiteTargets<'a>,
    by_dir: Cow<'s, Siblings<'t>>,
    suggestions: HashMap<String, Option<String>>,
}

impl<'s, 't, 'a> LinkChecker<'s, 't, 'a> {
    pub fn new(targets: &'t SiteTargets<'a>) -> LinkChecker<'s, 't, 'a> {
        LinkChecker {
            targets,
            by_dir: Cow::Owned(Siblings::of(targets)),
            suggestions: HashMap::default(),
        }
    }

    /// A checker of its own (its own suggestion cache) over siblings
    /// grouped once: one per thread checking a share of the pages.
    pub fn sharing(targets: &'t SiteTargets<'a>, siblings: &'s Siblings<'t>) -> Self {
        LinkChecker {
            targets,
            by_dir: Cow::Borrowed(siblings),
            suggestions: HashMap::default(),
        }
    }

    /// Checks every link of one page.
    pub fn check(&mut self, page: &LinkPage) -> PageCheck {
        let targets = self.targets;
        let mut out = PageCheck::default();
        let own_ids = targets.pages.get(page.output).copied();
        for link in &page.links.links {
            let e = link.span;
            let url = match &link.target {
                LinkTarget::Url(u) => u.as_str(),
                LinkTarget::Local(id) => {
                    if own_ids.is_some_and(|ids| !ids.contains(id)) {
                        let hint = own_ids
                            .and_then(|ids| closest_in(id, ids.iter()))
                            .map(|i| format!("#{i}"));
                        out.diags.push(broken(
                            page,
                            e,
                            &format!("#{id}"),
                            "no such anchor on this page",
                            hint,
                        ));
                    }
                    continue;
                }
            };
            if is_dangerous_uri(url) {
                out.diags.push(
                    Diagnostic::warning(
                        "link-unsafe-scheme",
                        format!(
                            "link to `{}` refused: scripts in links are not allowed",
                            truncate(url)
                        ),
                    )
                    .at(page.source, e.start as usize, e.end as usize),
                );
                continue;
            }
            if is_external(url) || url.is_empty() {
                continue;
            }
            let (path, fragment) = match url.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (url, None),
            };
            let path = path.split('?').next().unwrap_or(path);
            let target = if path.is_empty() {
                Some(page.output.to_string())
            } else {
                resolve_relative(page.output, &percent_decode(path))
            };
            let Some(target) = target else {
                out.diags.push(broken(
                    page,
                    e,
                    url,
                    "the link climbs above the site root",
                    None,
                ));
                continue;
            };
            out.depends_on.insert(target.clone());
            if let Some(ids) = targets.pages.get(target.as_str()) {
                out.links_to.insert(target.clone());
                if let Some(frag) = fragment.filter(|f| !f.is_empty())
                    && !ids.contains(frag)
                {
                    let hint = closest_in(frag, ids.iter()).map(|i| format!("{path}#{i}"));
                    out.diags.push(broken(
                        page,
                        e,
                        url,
                        &format!("`{target}` has no section or anchor `{frag}`"),
                        hint,
                    ));
                }
            } else if !targets.files.contains(&target) {
                // Many links often miss the same target (a page that was
                // renamed): compute each suggestion once.
                let hint = self
                    .suggestions
                    .entry(target.clone())
                    .or_insert_with(|| {
                        // A typo is in the file name: compare with the names
                        // in the same folder only, which keeps the search
                        // small however large the site is.
                        let (dir, name) = split_dir(&target);
                        let siblings = self.by_dir.0.get(dir)?;
                        let best = closest_in(name, siblings.iter().copied())?;
                        Some(if dir.is_empty() {
                            best
                        } else {
                            format!("{dir}/{best}")
                        })
                    })
                    .as_ref()
                    .map(|best| relative_href(page.output, best));
                out.diags.push(broken(
                    page,
                    e,
                    url,
                    &format!("no page or file `{target}` in the site"),
                    hint,
                ));
            }
        }
        out
    }
}

/// Checks all links of all pages. Returns the diagnostics and, per page,
/// the output paths it links to (for reachability and incremental rebuilds).
pub fn check_links(
    pages: &[LinkPage],
    targets: &SiteTargets,
) -> (Vec<Diagnostic>, BTreeMap<String, BTreeSet<String>>) {
    let mut checker = LinkChecker::new(targets);
    let mut diags = Vec::new();
    let mut graph = BTreeMap::new();
    for page in pages {
        let c = checker.check(page);
        diags.extend(c.diags);
        graph.insert(page.output.to_string(), c.links_to);
    }
    diags.extend(unreachable_pages(pages, &graph));
    (diags, graph)
}

/// Warnings for pages the index does not list and no reachable page links to.
pub fn unreachable_pages(
    pages: &[LinkPage],
    graph: &BTreeMap<String, BTreeSet<String>>,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    // Reachability: start from the pages the index lists.
    let mut reached: BTreeSet<&str> = pages
        .iter()
        .filter(|p| p.listed)
        .map(|p| p.output)
        .collect();
    let mut stack: Vec<&str> = reached.iter().copied().collect();
    while let Some(p) = stack.pop() {
        if let Some(out) = graph.get(p) {
            for t in out {
                if reached.insert(t.as_str()) {
                    stack.push(t.as_str());
                }
            }
        }
    }
    for page in pages {
        if !reached.contains(page.output) {
            diags.push(
                Diagnostic::warning(
                    "page-unreachable",
                    "no page links here and the index does not list it",
                )
                .in_file(page.source.file())
                .with_help(
                    "list it on the index (remove `:index: hidden`) or link it from another page",
                ),
            );
        }
    }
    diags
}

fn broken(page: &LinkPage, span: Span, url: &str, why: &str, hint: Option<String>) -> Diagnostic {
    let mut d = Diagnostic::error(
        "link-broken",
        format!("broken link `{}`: {why}", truncate(url)),
    )
    .at(page.source, span.start as usize, span.end as usize);
    if let Some(best) = hint {
        d = d.with_help(format!("did you mean `{best}`?"));
    }
    d
}

fn truncate(s: &str) -> String {
    if s.chars().count() > 120 {
        let t: String = s.chars().take(117).collect();
        format!("{t}...")
    } else {
        s.to_string()
    }
}

/// Splits a site path into its folder and file name (`a/b.html` → `a`, `b.html`).
fn split_dir(path: &str) -> (&str, &str) {
    match path.rfind('/') {
        Some(i) => (&path[..i], &path[i + 1..]),
        None => ("", path),
    }
}

/// Link from the page at `from` to the site path `to`, relative.
pub fn relative_href(from: &str, to: &str) -> String {
    let up = "../".repeat(from.matches('/').count());
    if up.is_empty() {
        path_url(to)
    } else {
        format!("{up}{}", percent_encode_path(to))
    }
}

/// The relative URL of a site path (`kbase/x.html`), for the index, search
/// results and links: characters that would end or change the path (`#`,
/// `?`, `%`, spaces, quotes, non-ASCII, …) are percent-encoded, and a path
/// whose first segment holds a `:` gets `./` in front, so a page named
/// `javascript:alert(1).rst` is linked as `./javascript:alert(1).html`,
/// never read as a scheme.
pub fn path_url(path: &str) -> String {
    let encoded = percent_encode_path(path);
    let first = encoded.split('/').next().unwrap_or("");
    if first.contains(':') {
        format!("./{encoded}")
    } else {
        encoded
    }
}

/// Percent-encodes what may not stand as itself in a URL path (RFC 3986
/// `pchar` and `/` stay).
pub(crate) fn percent_encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        let keep = b.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=:@".contains(&b);
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_made_from_paths_are_never_a_scheme_and_keep_the_path() {
        assert_eq!(path_url("kbase/a.html"), "kbase/a.html");
        assert_eq!(
            path_url("javascript:alert(1).html"),
            "./javascript:alert(1).html"
        );
        assert_eq!(path_url("JaVaScRiPt:x/y.html"), "./JaVaScRiPt:x/y.html");
        assert_eq!(path_url("d/javascript:x.html"), "d/javascript:x.html");
        assert_eq!(path_url("a b#c?d%e.html"), "a%20b%23c%3Fd%25e.html");
        assert_eq!(path_url("é.html"), "%C3%A9.html");
        assert_eq!(
            relative_href("a/b.html", "javascript:x.html"),
            "../javascript:x.html"
        );
        assert_eq!(
            relative_href("b.html", "javascript:x.html"),
            "./javascript:x.html"
        );
    }

    #[test]
    fn id_sets_hold_what_a_set_of_strings_holds() {
        let ids = ["b", "a-1", "", "é", "a", "b", "a-10", "zz", "a"];
        let set = IdSet::new(ids);
        let by_definition: BTreeSet<&str> = ids.into_iter().collect();
        assert!(set.iter().eq(by_definition.iter().copied()));
        assert_eq!(set.len(), by_definition.len());
        for probe in [
            "", "a", "a-", "a-1", "a-10", "a-2", "b", "c", "é", "zz", "zzz",
        ] {
            assert_eq!(
                set.contains(probe),
                by_definition.contains(probe),
                "{probe:?}"
            );
        }
        assert!(IdSet::new([]).is_empty() && !IdSet::new([]).contains(""));
    }

    #[test]
    fn page_links_keep_ids_and_links_in_document_order() {
        let src = crate::source::SourceFile::new(
            "p.rst",
            "Title\n=====\n\n.. _here:\n\nSee `a <b.html#x>`_, here_ and\n\n.. image:: pic.png\n",
        );
        let doc = crate::syntax::rst::parse_document(&src, &Default::default());
        let links = PageLinks::of(&doc);
        assert!(
            links.ids.contains("here") && links.ids.contains("title"),
            "{links:?}"
        );
        let targets: Vec<_> = links.links.iter().map(|l| l.target.clone()).collect();
        assert_eq!(
            targets,
            vec![
                LinkTarget::Url("b.html#x".into()),
                LinkTarget::Local("here".into()),
                LinkTarget::Url("pic.png".into()),
            ]
        );
        let first = &links.links[0].span;
        assert_eq!(
            &src.text[first.start as usize..first.end as usize],
            "`a <b.html#x>`_"
        );
    }

    #[test]
    fn resolves_relative_links() {
        assert_eq!(
            resolve_relative("kbase/a.html", "b.html").as_deref(),
            Some("kbase/b.html")
        );
        assert_eq!(
            resolve_relative("kbase/a.html", "../index.html").as_deref(),
            Some("index.html")
        );
        assert_eq!(resolve_relative("a.html", "../x.html"), None);
        assert_eq!(
            resolve_relative("a.html", "guide/").as_deref(),
            Some("guide/index.html")
        );
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%20b.html"), "a b.html");
        assert_eq!(percent_decode("a%2"), "a%2");
    }
}
