//! Rendering: the HTML writer for the doctree ([`html`]), syntax
//! highlighting ([`highlight`]) and the theme's Tera templates ([`theme`]).
//!
//! Template contexts are typed structs ([`PageView`], [`IndexView`]) that
//! serialise into Tera, so templates and code agree on one documented shape.

mod default_page;
pub mod escape;
pub mod highlight;
pub mod html;
pub mod lexers;
pub mod theme;

pub use theme::Renderer;

use serde::Serialize;

/// Site-wide values every template gets as `site`.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    pub language: String,
    /// `kbgen <version>`, for `<meta name="generator">` and the footer.
    pub generator: String,
    /// `edit-url` of `book.toml`; pages get it with `{path}` filled in.
    #[serde(skip)]
    pub edit_url_pattern: String,
}

/// Context of `page.html`.
#[derive(Debug, Clone, Serialize)]
pub struct PageView {
    pub site: SiteView,
    /// Relative prefix from this page to the site root (`""`, `"../"`, …), or the base path.
    pub root: String,
    /// Output path of the page relative to the site root (`kbase/x.html`).
    pub path: String,
    pub title: String,
    pub description: Option<String>,
    pub category: Option<String>,
    /// Anchor of the page's category on the index page (for the breadcrumb).
    pub category_id: Option<String>,
    /// The rendered document body (title excluded), already escaped HTML.
    pub body: String,
    /// The table of contents again, as a plain `<ul>` without ids (see
    /// [`html::render_toc`]); the default theme shows it collapsed on phones.
    pub toc: Option<String>,
    /// Sidebar, breadcrumbs, previous and next page of a project with a
    /// document tree (Sphinx's toctree); `None` for a kbase site.
    pub nav: Option<crate::site::doctree::PageNav>,
    /// Where the page's source can be edited (`edit-url` of `book.toml`
    /// with the page's source path); `None` when the site sets none.
    pub edit_url: Option<String>,
}

/// One entry of the index page.
#[derive(Debug, Clone, Serialize)]
pub struct IndexEntry {
    pub title: String,
    /// Link relative to the site root.
    pub href: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndexCategory {
    pub name: String,
    /// Anchor id of the category heading.
    pub id: String,
    pub entries: Vec<IndexEntry>,
}

/// Context of `index.html`.
#[derive(Debug, Clone, Serialize)]
pub struct IndexView {
    pub site: SiteView,
    pub root: String,
    pub path: String,
    pub categories: Vec<IndexCategory>,
}
