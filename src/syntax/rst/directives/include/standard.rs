//! docutils' standard definition files, built into the binary: the
//! files under `standard/` are written by `conformance/gen-docutils-data`
//! from docutils 0.23's `docutils/parsers/rst/include/` (substitution
//! tables of entity names and code points, role definitions). Each starts
//! with a header line of that script and a blank line, dropped here.

/// The files by name, as `.. include:: <NAME>` gives it.
const FILES: &[(&str, &str)] = &[
    ("html-roles.txt", include_str!("standard/html-roles.txt")),
    ("isoamsa.txt", include_str!("standard/isoamsa.txt")),
    ("isoamsb.txt", include_str!("standard/isoamsb.txt")),
    ("isoamsc.txt", include_str!("standard/isoamsc.txt")),
    ("isoamsn.txt", include_str!("standard/isoamsn.txt")),
    ("isoamso.txt", include_str!("standard/isoamso.txt")),
    ("isoamsr.txt", include_str!("standard/isoamsr.txt")),
    ("isobox.txt", include_str!("standard/isobox.txt")),
    ("isocyr1.txt", include_str!("standard/isocyr1.txt")),
    ("isocyr2.txt", include_str!("standard/isocyr2.txt")),
    ("isodia.txt", include_str!("standard/isodia.txt")),
    ("isogrk1.txt", include_str!("standard/isogrk1.txt")),
    ("isogrk2.txt", include_str!("standard/isogrk2.txt")),
    ("isogrk3.txt", include_str!("standard/isogrk3.txt")),
    (
        "isogrk4-wide.txt",
        include_str!("standard/isogrk4-wide.txt"),
    ),
    ("isogrk4.txt", include_str!("standard/isogrk4.txt")),
    ("isolat1.txt", include_str!("standard/isolat1.txt")),
    ("isolat2.txt", include_str!("standard/isolat2.txt")),
    (
        "isomfrk-wide.txt",
        include_str!("standard/isomfrk-wide.txt"),
    ),
    ("isomfrk.txt", include_str!("standard/isomfrk.txt")),
    (
        "isomopf-wide.txt",
        include_str!("standard/isomopf-wide.txt"),
    ),
    ("isomopf.txt", include_str!("standard/isomopf.txt")),
    (
        "isomscr-wide.txt",
        include_str!("standard/isomscr-wide.txt"),
    ),
    ("isomscr.txt", include_str!("standard/isomscr.txt")),
    ("isonum.txt", include_str!("standard/isonum.txt")),
    ("isopub.txt", include_str!("standard/isopub.txt")),
    ("isotech.txt", include_str!("standard/isotech.txt")),
    ("mmlalias.txt", include_str!("standard/mmlalias.txt")),
    (
        "mmlextra-wide.txt",
        include_str!("standard/mmlextra-wide.txt"),
    ),
    ("mmlextra.txt", include_str!("standard/mmlextra.txt")),
    ("s5defs.txt", include_str!("standard/s5defs.txt")),
    ("xhtml1-lat1.txt", include_str!("standard/xhtml1-lat1.txt")),
    (
        "xhtml1-special.txt",
        include_str!("standard/xhtml1-special.txt"),
    ),
    (
        "xhtml1-symbol.txt",
        include_str!("standard/xhtml1-symbol.txt"),
    ),
];

/// The text of standard definition file `name`, as docutils ships it.
pub fn file(name: &str) -> Option<&'static str> {
    let text = FILES.iter().find(|(n, _)| *n == name)?.1;
    Some(match text.strip_prefix(".. kbgen: generated") {
        Some(rest) => rest.split_once("\n\n").map_or("", |(_, body)| body),
        None => text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_docutils_text_without_the_header() {
        let isonum = file("isonum.txt").expect("isonum.txt is built in");
        assert!(isonum.starts_with(".. This data file has been placed in the public domain."));
        assert!(isonum.contains(".. |amp|    unicode:: U+00026 .. AMPERSAND"));
        assert!(file("s5defs.txt").is_some_and(|t| t.contains(".. role:: small")));
        assert_eq!(FILES.len(), 34);
        assert!(file("nonexistent").is_none());
        assert!(file("../isonum.txt").is_none());
    }
}
