//! Link targets of Markdown pages. Authors link to the file they see in
//! their editor (`other.md`, `../kbase/x.rst`); the site has `other.html`,
//! so relative links to pages are rewritten to the page's output path —
//! the same rule [`crate::source::PageSource::output_path`] applies.

/// What a Markdown link destination becomes in the doctree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `#anchor`: a `refid` on the same page.
    Local(String),
    /// Anything else: a `refuri`, rewritten when it names a page.
    Uri(String),
}

/// Classifies and rewrites a link destination.
pub fn link_target(dest: &str) -> Target {
    if let Some(anchor) = dest.strip_prefix('#')
        && !anchor.is_empty()
    {
        return Target::Local(anchor.to_string());
    }
    Target::Uri(rewrite_page_link(dest))
}

/// `other.md#x` → `other.html#x`; absolute URLs (with a scheme or `//`)
/// and non-page files are left alone.
pub fn rewrite_page_link(dest: &str) -> String {
    if dest.starts_with("//") || has_scheme(dest) {
        return dest.to_string();
    }
    let cut = dest.find(['#', '?']).unwrap_or(dest.len());
    let (path, rest) = dest.split_at(cut);
    for ext in [".md", ".markdown", ".rst"] {
        if let Some(stem) = path.strip_suffix(ext)
            && !stem.is_empty()
            && !stem.ends_with('/')
        {
            return format!("{stem}.html{rest}");
        }
    }
    dest.to_string()
}

/// RFC 3986 scheme: a letter, then letters, digits, `+ - .`, then `:`,
/// before any `/`, `?` or `#`.
fn has_scheme(dest: &str) -> bool {
    let Some(colon) = dest.find(':') else {
        return false;
    };
    let scheme = &dest[..colon];
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_links_are_rewritten() {
        assert_eq!(rewrite_page_link("other.md"), "other.html");
        assert_eq!(
            rewrite_page_link("../kbase/x.rst#sec"),
            "../kbase/x.html#sec"
        );
        assert_eq!(rewrite_page_link("a.markdown?x=1"), "a.html?x=1");
        assert_eq!(
            rewrite_page_link("https://x.org/a.md"),
            "https://x.org/a.md"
        );
        assert_eq!(rewrite_page_link("//cdn/a.md"), "//cdn/a.md");
        assert_eq!(rewrite_page_link("img.png"), "img.png");
        assert_eq!(rewrite_page_link(".md"), ".md");
        assert_eq!(rewrite_page_link("mailto:a@b.md"), "mailto:a@b.md");
    }

    #[test]
    fn anchors_are_local() {
        assert_eq!(link_target("#top"), Target::Local("top".into()));
        assert_eq!(link_target("#"), Target::Uri("#".into()));
    }
}
