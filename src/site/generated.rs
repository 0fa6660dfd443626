//! The files kbgen makes itself: the index page, `404.html`, the sitemap,
//! the search index and the theme's static assets.

use crate::diag::Diagnostic;
use crate::render::{IndexView, Renderer, SiteView};

use super::{BuiltPage, Site, index, search, sitemap};

/// Output path of the index page.
pub const INDEX: &str = "index.html";
/// Output path of the page served for unknown paths.
pub const NOT_FOUND: &str = "404.html";
/// Output path of the sitemap, written when `site-url` is absolute.
pub const SITEMAP: &str = "sitemap.xml";

/// Folder of the theme's static assets in the site.
pub fn theme_asset_path(name: &str) -> String {
    format!("static/{name}")
}

/// Whether the site gets a `sitemap.xml`.
pub fn has_sitemap(site: &Site) -> bool {
    site.config.site_url.contains("://")
}

/// Output paths of every generated file (the search index included) and
/// of the theme's assets, known before any page is read.
pub fn generated_paths(site: &Site, renderer: &Renderer) -> Vec<String> {
    // A Sphinx project's root page is its `index.html`; it gets Sphinx's
    // inventory instead of kbgen's category index.
    let mut paths = match site.sphinx {
        Some(_) => vec![
            super::engine::OBJECTS_INV.to_string(),
            super::doctree::genindex::GENINDEX_PATH.to_string(),
            NOT_FOUND.to_string(),
        ],
        None => vec![INDEX.to_string(), NOT_FOUND.to_string()],
    };
    if has_sitemap(site) {
        paths.push(SITEMAP.to_string());
    }
    paths.push(search::INDEX_PATH.to_string());
    paths.extend(
        renderer
            .assets
            .iter()
            .map(|(name, _)| theme_asset_path(name)),
    );
    paths
}

/// The generated files that depend on the list of pages and their metadata
/// (and not on their text): `index.html`, `404.html`, `sitemap.xml`, and the
/// theme's static assets. `pages` must be sorted by `rel`.
pub fn site_files(
    site: &Site,
    renderer: &Renderer,
    site_view: &SiteView,
    pages: &[BuiltPage],
) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
    Listing::of(site, site_view, pages).render(site, renderer)
}

/// What [`site_files`] reads of the pages, taken from them so a one-shot
/// build can drop its pages before rendering the files: the index's
/// template context is a copy of every page's entry, and a big site's
/// pages beside it would be its peak.
pub struct Listing {
    index: IndexView,
    sitemap: Option<String>,
}

impl Listing {
    /// `pages` must be sorted by `rel`.
    pub fn of(site: &Site, site_view: &SiteView, pages: &[BuiltPage]) -> Listing {
        let base = site.config.base_path();
        Listing {
            index: index::index_view(site, site_view, pages, base.as_deref()),
            sitemap: has_sitemap(site)
                .then(|| sitemap::render_sitemap(&site.config.site_url, pages)),
        }
    }

    /// The files of [`site_files`].
    pub fn render(
        self,
        site: &Site,
        renderer: &Renderer,
    ) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
        let (not_found, index) =
            renderer.render_404_and_index(&self.index, site.sphinx.is_none())?;
        let mut files = vec![(NOT_FOUND.to_string(), not_found.into_bytes())];
        if let Some(index) = index {
            files.push((INDEX.to_string(), index.into_bytes()));
        }
        for (name, bytes) in &renderer.assets {
            files.push((theme_asset_path(name), bytes.clone()));
        }
        if let Some(sitemap) = self.sitemap {
            files.push((SITEMAP.into(), sitemap.into_bytes()));
        }
        Ok(files)
    }
}

/// The search index of pages whose text is kept (the preview): it depends
/// on every page's text, so unlike [`site_files`] it changes with any edit.
pub fn search_file(pages: &[BuiltPage]) -> (String, Vec<u8>) {
    (
        search::INDEX_PATH.into(),
        search::index_js(pages).into_bytes(),
    )
}
