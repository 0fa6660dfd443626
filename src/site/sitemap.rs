//! `sitemap.xml` for search engines, written when `site-url` is an absolute URL.

use super::BuiltPage;
use crate::render::html::escape;

pub fn render_sitemap(site_url: &str, pages: &[BuiltPage]) -> String {
    let base = if site_url.ends_with('/') {
        site_url.to_string()
    } else {
        format!("{site_url}/")
    };
    let mut paths: Vec<String> = pages
        .iter()
        .map(|p| crate::passes::links::path_url(&p.page.output_path()))
        .collect();
    paths.push("index.html".into());
    paths.sort();
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in paths {
        out.push_str("  <url><loc>");
        // The base is absolute, so the `./` guarding a scheme-like first
        // segment is not needed here.
        let path = p.strip_prefix("./").unwrap_or(&p);
        out.push_str(&escape(&format!("{base}{path}")));
        out.push_str("</loc></url>\n");
    }
    out.push_str("</urlset>\n");
    out
}
