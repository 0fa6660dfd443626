//! The output plan: for every output path, the one source that writes it.
//!
//! Three kinds of source can want the same path: a file kbgen generates
//! (`index.html`, `404.html`, `search-index.js`, `sitemap.xml`, the theme's
//! `static/…`), a page (`a.rst` → `a.html`), and a content file copied as it
//! is (`a.html` beside `a.rst`, `static/search.js`). The plan is made from
//! discovery alone, before any page is read, so the full build and the
//! preview decide it the same way and a page that loses is never rendered.
//! Two sources for one path is an error naming both, never a silent
//! overwrite; kbgen's own files win, then pages, then copied files, so a
//! contributor's file can never replace a script every page loads.

use std::collections::BTreeMap;

use crate::diag::Diagnostic;
use crate::source::PageSource;

use super::{Site, display_path};

/// Who writes an output path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Owner {
    /// A file kbgen makes (index, 404, search index, sitemap, theme asset).
    Generated,
    /// A page, by its content-relative source path.
    Page(String),
    /// A content file copied unchanged, by its content-relative path.
    Asset(String),
}

/// Output path → owner, and the diagnostics for paths wanted twice.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OutputPlan {
    owners: BTreeMap<String, Owner>,
    pub diags: Vec<Diagnostic>,
}

impl OutputPlan {
    /// Plans the site's outputs. `generated` are the paths of kbgen's own
    /// files; `pages` and `assets` come from discovery, sorted.
    pub fn new(
        site: &Site,
        generated: &[String],
        pages: &[PageSource],
        assets: &[String],
    ) -> OutputPlan {
        let mut plan = OutputPlan::default();
        for path in generated {
            plan.owners.insert(path.clone(), Owner::Generated);
        }
        for page in pages {
            plan.claim(site, page.output_path(), Owner::Page(page.rel.clone()));
        }
        for asset in assets {
            if is_raw_html(asset) && !site.config.rst.allow_raw {
                plan.diags.push(
                    Diagnostic::warning(
                        "asset-raw-html",
                        "not published: an HTML file in the content folder is raw HTML, \
                         which this site does not allow",
                    )
                    .in_file(display_path(&site.source_dir.join(asset)))
                    .with_help(
                        "write the page in RST or Markdown, or set `[rst] allow-raw = true`",
                    ),
                );
                continue;
            }
            plan.claim(site, asset.clone(), Owner::Asset(asset.clone()));
        }
        plan
    }

    /// Gives `path` to `owner` unless another source has it already.
    fn claim(&mut self, site: &Site, path: String, owner: Owner) {
        let Some(winner) = self.owners.get(&path) else {
            self.owners.insert(path, owner);
            return;
        };
        let loser = match &owner {
            Owner::Page(rel) | Owner::Asset(rel) => rel,
            Owner::Generated => return,
        };
        let message = format!(
            "not published: `{loser}` and {} both make `{path}`",
            describe(winner)
        );
        self.diags.push(
            Diagnostic::error("output-collision", message)
                .in_file(display_path(&site.source_dir.join(loser)))
                .with_help("rename one of them; an output path has exactly one source"),
        );
    }

    pub fn owner(&self, path: &str) -> Option<&Owner> {
        self.owners.get(path)
    }

    /// Whether the page `rel` writes its output path.
    pub fn page_is_published(&self, page: &PageSource) -> bool {
        matches!(self.owners.get(&page.output_path()), Some(Owner::Page(r)) if *r == page.rel)
    }

    /// Content files that are copied, sorted by path.
    pub fn assets(&self) -> impl Iterator<Item = &str> {
        self.owners.values().filter_map(|o| match o {
            Owner::Asset(rel) => Some(rel.as_str()),
            _ => None,
        })
    }

    /// Forgets which page writes which path: a one-shot build asks only
    /// for the assets once its pages are loaded, and a big site's page
    /// entries are its biggest part.
    pub fn forget_pages(&mut self) {
        self.owners
            .retain(|_, owner| !matches!(owner, Owner::Page(_)));
    }

    /// Every planned output path with its owner, sorted by path.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Owner)> {
        self.owners.iter().map(|(p, o)| (p.as_str(), o))
    }
}

fn describe(owner: &Owner) -> String {
    match owner {
        Owner::Generated => "the file kbgen generates there".to_string(),
        Owner::Page(rel) => format!("the page `{rel}`"),
        Owner::Asset(rel) => format!("the file `{rel}`"),
    }
}

/// Content files that browsers run as HTML when opened from the site.
fn is_raw_html(rel: &str) -> bool {
    let lower = rel.to_ascii_lowercase();
    [".html", ".htm", ".xhtml", ".shtml"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::source::PageKind;

    fn page(rel: &str) -> PageSource {
        PageSource {
            path: rel.into(),
            rel: rel.into(),
            kind: if rel.ends_with(".md") {
                PageKind::Markdown
            } else {
                PageKind::Rst
            },
        }
    }

    fn site(allow_raw: bool) -> Site {
        let mut config = Config::default();
        config.rst.allow_raw = allow_raw;
        Site::new(config, std::path::Path::new("book.toml"))
    }

    #[test]
    fn generated_files_win_and_each_collision_is_named() {
        let generated = vec!["index.html".to_string(), "static/search.js".to_string()];
        let pages = [page("a.md"), page("a.rst"), page("index.rst")];
        let assets = ["a.html".to_string(), "static/search.js".to_string()];
        let plan = OutputPlan::new(&site(true), &generated, &pages, &assets);
        assert_eq!(plan.owner("index.html"), Some(&Owner::Generated));
        assert_eq!(plan.owner("a.html"), Some(&Owner::Page("a.md".into())));
        assert_eq!(plan.owner("static/search.js"), Some(&Owner::Generated));
        let messages: Vec<&str> = plan.diags.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages.len(), 4, "{messages:?}");
        assert!(
            messages[0].contains("`a.rst` and the page `a.md`"),
            "{messages:?}"
        );
        assert!(messages[1].contains("`index.rst` and the file kbgen generates"));
        assert!(messages[2].contains("`a.html` and the page `a.md`"));
        assert!(messages[3].contains("`static/search.js`"));
        assert!(plan.diags.iter().all(|d| d.code == "output-collision"));
        assert!(!plan.page_is_published(&pages[1]));
        assert!(plan.page_is_published(&pages[0]));
    }

    #[test]
    fn html_files_are_raw_html() {
        let assets = ["img/a.png".to_string(), "x.HTML".to_string()];
        let plan = OutputPlan::new(&site(false), &[], &[], &assets);
        assert_eq!(plan.assets().collect::<Vec<_>>(), ["img/a.png"]);
        assert_eq!(plan.diags[0].code, "asset-raw-html");
        let allowed = OutputPlan::new(&site(true), &[], &[], &assets);
        assert_eq!(allowed.assets().count(), 2);
    }
}
