//! The default theme's `page.html` (with `base.html` and `search.html`)
//! written directly, for sites whose theme leaves those three templates
//! alone: the page is the same bytes Tera would make, without serialising
//! the page (body included) into a JSON context and looking every
//! variable up through Tera's call stack (about 130,000 instructions a
//! page, as much as parsing it). A theme that overrides any of the three
//! gets Tera, so user templates always mean what they say.
//!
//! Keep this in step with the templates: `tests::same_bytes_as_tera`
//! renders a matrix of views both ways and fails on any difference.

use super::PageView;
use super::escape::escape_into;

/// The templates this module stands in for.
pub const FRAME_TEMPLATES: [&str; 3] = ["page.html", "base.html", "search.html"];

/// Appends `page.html` rendered for `v` to `out`.
pub fn write_page(v: &PageView, out: &mut String) {
    let site = &v.site;
    let root = v.root.as_str();
    out.push_str("<!DOCTYPE html>\n<html lang=\"");
    escape_into(&site.language, out);
    out.push_str("\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"color-scheme\" content=\"light dark\">\n<meta name=\"generator\" content=\"");
    escape_into(&site.generator, out);
    out.push_str("\">\n");
    // block meta
    if let Some(description) = non_empty(&v.description) {
        out.push_str("<meta name=\"description\" content=\"");
        escape_into(description, out);
        out.push_str("\">\n");
    } else if !site.description.is_empty() {
        out.push_str("<meta name=\"description\" content=\"");
        escape_into(&site.description, out);
        out.push_str("\">\n");
    }
    // block title
    out.push_str("\n<title>");
    escape_into(&v.title, out);
    out.push_str(" — ");
    escape_into(&site.title, out);
    out.push_str("</title>\n");
    for asset in [
        "<link rel=\"stylesheet\" href=\"",
        "static/kbgen.css\">\n<link rel=\"stylesheet\" href=\"",
        "static/highlight.css\">\n<script src=\"",
    ] {
        out.push_str(asset);
        escape_into(root, out);
    }
    out.push_str("static/copybutton.js\" defer></script>\n");
    // block head_links
    if v.nav.is_some() {
        out.push_str("<link rel=\"index\" title=\"Index\" href=\"");
        escape_into(root, out);
        out.push_str("genindex.html\">\n");
    }
    out.push_str("</head>\n<body>\n<a class=\"skip-link\" href=\"#content\">Skip to content</a>\n<header class=\"site-header\">\n<div class=\"site-header-inner\">\n<a class=\"site-title\" href=\"");
    escape_into(root, out);
    out.push_str("index.html\">");
    escape_into(&site.title, out);
    out.push_str("</a>\n");
    write_search(root, out);
    out.push_str(
        "\n</div>\n</header>\n<main id=\"content\" class=\"site-main\" tabindex=\"-1\">\n",
    );
    write_content(v, out);
    out.push_str("\n</main>\n<footer class=\"site-footer\">\n<div class=\"site-footer-inner\">\n<p><a href=\"");
    escape_into(root, out);
    out.push_str("index.html\">");
    escape_into(&site.title, out);
    out.push_str("</a> · Built with ");
    escape_into(&site.generator, out);
    out.push_str("</p>\n</div>\n</footer>\n</body>\n</html>\n");
}

/// `search.html` (its leading comment leaves one newline).
fn write_search(root: &str, out: &mut String) {
    out.push_str("\n<link rel=\"stylesheet\" href=\"");
    escape_into(root, out);
    out.push_str("static/search.css\">\n<div class=\"kb-search\" data-root=\"");
    escape_into(root, out);
    out.push_str("\" hidden>\n<input type=\"search\" class=\"kb-search-input\" placeholder=\"Search (press /)\" aria-label=\"Search the site\" autocomplete=\"off\" spellcheck=\"false\" role=\"combobox\" aria-autocomplete=\"list\" aria-expanded=\"false\" aria-controls=\"kb-search-results\">\n<ul id=\"kb-search-results\" class=\"kb-search-results\" role=\"listbox\" hidden></ul>\n</div>\n<script src=\"");
    escape_into(root, out);
    out.push_str("static/search.js\" defer></script>\n");
}

/// `page.html`'s block `content`.
fn write_content(v: &PageView, out: &mut String) {
    out.push('\n');
    let root = v.root.as_str();
    let edit_url = non_empty(&v.edit_url);
    if let Some(nav) = &v.nav {
        out.push_str("<div class=\"doc-layout\">\n<nav class=\"doc-sidebar\" aria-label=\"Documentation\">\n<details class=\"doc-sidebar-toggle\">\n<summary>Contents</summary>\n");
        out.push_str(&nav.sidebar);
        out.push_str("<p class=\"genindex-link\"><a href=\"");
        escape_into(root, out);
        out.push_str("genindex.html\">Index</a></p>\n</details>\n</nav>\n<div class=\"doc-main\">\n<nav class=\"breadcrumb\" aria-label=\"Breadcrumb\">\n<ol>\n");
        for p in &nav.parents {
            out.push_str("<li><a href=\"");
            escape_into(&p.href, out);
            out.push_str("\">");
            escape_into(&p.title, out);
            out.push_str("</a></li>\n");
        }
        out.push_str("<li><span aria-current=\"page\">");
        escape_into(&v.title, out);
        out.push_str("</span></li>\n</ol>\n</nav>\n<article class=\"document\">\n");
        out.push_str(&v.body);
        out.push_str("</article>\n");
        if nav.prev.is_some() || nav.next.is_some() {
            out.push_str("<nav class=\"relbar\" aria-label=\"Previous and next page\">\n");
            if let Some(prev) = &nav.prev {
                out.push_str("<a class=\"relbar-prev\" rel=\"prev\" href=\"");
                escape_into(&prev.href, out);
                out.push_str("\">← ");
                escape_into(&prev.title, out);
                out.push_str("</a>\n");
            }
            if let Some(next) = &nav.next {
                out.push_str("<a class=\"relbar-next\" rel=\"next\" href=\"");
                escape_into(&next.href, out);
                out.push_str("\">");
                escape_into(&next.title, out);
                out.push_str(" →</a>\n");
            }
            out.push_str("</nav>\n");
        }
        write_edit_link(edit_url, out);
        out.push_str("</div>\n</div>\n");
    } else {
        out.push_str(
            "\n<nav class=\"breadcrumb\" aria-label=\"Breadcrumb\">\n<ol>\n<li><a href=\"",
        );
        escape_into(root, out);
        out.push_str("index.html\">Index</a></li>\n");
        if let Some(category) = non_empty(&v.category) {
            out.push_str("<li><a href=\"");
            escape_into(root, out);
            out.push_str("index.html#");
            escape_into(v.category_id.as_deref().unwrap_or_default(), out);
            out.push_str("\">");
            escape_into(category, out);
            out.push_str("</a></li>\n");
        }
        out.push_str("<li><span aria-current=\"page\">");
        escape_into(&v.title, out);
        out.push_str("</span></li>\n</ol>\n</nav>\n<article class=\"document\">\n<header class=\"document-header\">\n<h1 class=\"title\">");
        escape_into(&v.title, out);
        out.push_str("</h1>\n");
        if let Some(description) = non_empty(&v.description) {
            out.push_str("<p class=\"description\">");
            escape_into(description, out);
            out.push_str("</p>\n");
        }
        out.push_str("</header>\n");
        let toc = non_empty(&v.toc);
        if let Some(toc) = toc {
            out.push_str("<details class=\"toc-compact\">\n<summary>Contents</summary>\n");
            out.push_str(toc);
            out.push_str("</details>\n");
        }
        out.push_str(&v.body);
        out.push_str("</article>\n");
        write_edit_link(edit_url, out);
        out.push_str("<p class=\"back-to-index\"><a href=\"");
        escape_into(root, out);
        out.push_str("index.html\">← Back to the index</a></p>\n");
        if let Some(toc) = toc {
            out.push_str("<nav class=\"toc-sidebar\" aria-label=\"On this page\">\n<p class=\"toc-sidebar-title\">On this page</p>\n");
            out.push_str(toc);
            out.push_str("</nav>\n");
        }
        out.push('\n');
    }
    out.push('\n');
}

fn write_edit_link(edit_url: Option<&str>, out: &mut String) {
    if let Some(url) = edit_url {
        out.push_str("<p class=\"edit-page\"><a href=\"");
        escape_into(url, out);
        out.push_str("\">Edit this page</a></p>\n");
    }
}

/// The value when a template's `{% if %}` would take it: Tera's `None`
/// and `""` are both false.
fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests;
