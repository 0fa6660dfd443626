//! Which Sphinx extensions a kbgen build can do without. kbgen loads no
//! extension code; an extension that only changes things kbgen does anyway
//! (or only acts through another extension) is ignored silently, every
//! other one is a warning naming it: its directives and roles will be
//! unknown on the pages that use them.

/// Extensions listed in conf.py that kbgen ignores knowingly, with why.
pub(super) const IGNORED_KNOWN: &[(&str, &str)] = &[
    // Both only choose how HTML shows docutils' `math` role and directive,
    // which kbgen renders itself.
    ("sphinx.ext.mathjax", "math is rendered by kbgen"),
    ("sphinx.ext.imgmath", "math is rendered by kbgen"),
    // Adds `.nojekyll` for GitHub Pages; no markup.
    ("sphinx.ext.githubpages", "publishing only, no markup"),
    // Reports build timings; no markup.
    ("sphinx.ext.duration", "build timing only, no markup"),
    // Converts images for non-HTML builders; kbgen writes HTML.
    ("sphinx.ext.imgconverter", "only for non-HTML builders"),
];

/// `Some(reason)` when kbgen may ignore the extension `name`.
pub(super) fn ignored_known(name: &str) -> Option<&'static str> {
    IGNORED_KNOWN
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, why)| *why)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_markup_free_extensions_are_ignored() {
        assert!(ignored_known("sphinx.ext.mathjax").is_some());
        assert!(ignored_known("sphinx.ext.intersphinx").is_none());
        assert!(ignored_known("sphinx.ext.autodoc").is_none());
        assert!(ignored_known("kerneldoc").is_none());
    }
}
