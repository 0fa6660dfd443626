//! The index page: every article grouped by category, categories in the
//! order `book.toml` gives (then alphabetical, the default category last),
//! entries sorted by their index title.

use std::collections::BTreeMap;

use crate::ast::ids::make_id;
use crate::render::{IndexCategory, IndexEntry, IndexView, SiteView};

use super::{BuiltPage, Site, root_prefix};

pub fn index_view(
    site: &Site,
    site_view: &SiteView,
    pages: &[BuiltPage],
    base: Option<&str>,
) -> IndexView {
    let default = site.config.default_category.clone();
    let mut groups: BTreeMap<String, Vec<IndexEntry>> = BTreeMap::new();
    for p in pages.iter().filter(|p| !p.meta.hidden) {
        let category = p.meta.category.clone().unwrap_or_else(|| default.clone());
        groups.entry(category).or_default().push(IndexEntry {
            title: p
                .meta
                .short_title
                .clone()
                .unwrap_or_else(|| p.meta.title.clone()),
            href: crate::passes::links::path_url(&p.page.output_path()),
            description: p.meta.description.clone(),
        });
    }
    let mut order: Vec<String> = site
        .config
        .categories
        .iter()
        .filter(|c| groups.contains_key(*c))
        .cloned()
        .collect();
    for name in groups.keys() {
        if !order.contains(name) && *name != default {
            order.push(name.clone());
        }
    }
    if groups.contains_key(&default) && !order.contains(&default) {
        order.push(default);
    }
    let mut used_ids = Vec::new();
    let categories = order
        .into_iter()
        .filter_map(|name| {
            let mut entries = groups.remove(&name)?;
            // By title ignoring case, then link. Each key is made once (a
            // comparison lower-casing both titles allocated twice per
            // comparison: 9,945 entries took ~280,000 allocations).
            entries.sort_by_cached_key(|e| (e.title.to_lowercase(), e.href.clone()));
            let mut id = make_id(&name);
            if id.is_empty() {
                id = "category".into();
            }
            let base_id = id.clone();
            let mut n = 1;
            while used_ids.contains(&id) {
                id = format!("{base_id}-{n}");
                n += 1;
            }
            used_ids.push(id.clone());
            Some(IndexCategory { name, id, entries })
        })
        .collect();
    IndexView {
        site: site_view.clone(),
        root: root_prefix("index.html", base),
        path: "index.html".into(),
        categories,
    }
}
