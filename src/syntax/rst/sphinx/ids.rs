//! Sphinx's ids for objects, terms and index targets
//! (`sphinx.util.nodes.make_id`): unlike docutils' they keep case, `.`
//! and `_`, and fall back to a per-page serial number.

use unicode_normalization::UnicodeNormalization;

use super::super::doc::Doc;

/// Sphinx's `_make_id`: ASCII (NFKD), runs of characters other than
/// letters, digits, `.` and `_` become `-`, leading `-`, digits, `.`, `_`
/// and trailing `-` dropped.
pub fn sphinx_slug(text: &str) -> String {
    let mut mapped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            'ß' => mapped.push_str("sz"),
            'æ' => mapped.push_str("ae"),
            'œ' => mapped.push_str("oe"),
            'ȸ' => mapped.push_str("db"),
            'ȹ' => mapped.push_str("qp"),
            c => mapped.push(crate::ast::ids::translate_char(c)),
        }
    }
    let ascii: String = mapped.nfkd().filter(char::is_ascii).collect();
    let collapsed = ascii.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut id = String::with_capacity(collapsed.len());
    let mut in_run = false;
    for c in collapsed.chars() {
        if c.is_ascii_alphanumeric() || c == '.' || c == '_' {
            id.push(c);
            in_run = false;
        } else if !in_run {
            id.push('-');
            in_run = true;
        }
    }
    let id =
        id.trim_start_matches(|c: char| c == '-' || c == '.' || c == '_' || c.is_ascii_digit());
    id.trim_end_matches('-').to_string()
}

/// Sphinx's `make_id(env, document, prefix, term)`: `prefix-term` slugged,
/// else `prefix-N` (or `idN`) from the page's serial numbers, never an id
/// already used on the page.
pub fn make_object_id(doc: &mut Doc, prefix: &str, term: Option<&str>) -> String {
    let mut id = match term {
        Some(t) if !prefix.is_empty() => {
            let s = sphinx_slug(&format!("{prefix}-{t}"));
            (s != prefix).then_some(s)
        }
        Some(t) => Some(sphinx_slug(t)).filter(|s| !s.is_empty()),
        None => None,
    };
    loop {
        if let Some(i) = &id
            && !doc.ids.contains(i)
        {
            return id.unwrap_or_default();
        }
        let n = doc.sphinx.as_deref_mut().map_or(0, |s| s.serial(prefix));
        id = Some(if prefix.is_empty() {
            format!("id{n}")
        } else {
            format!("{prefix}-{n}")
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_follow_sphinx() {
        assert_eq!(sphinx_slug("term-2nd term"), "term-2nd-term");
        assert_eq!(sphinx_slug("term-ĂȚ"), "term-AT");
        assert_eq!(
            sphinx_slug("envvar-weird.var-name"),
            "envvar-weird.var-name"
        );
        assert_eq!(sphinx_slug("cmdoption-gcc-O0"), "cmdoption-gcc-O0");
        assert_eq!(
            sphinx_slug("cmdoption---with-feature"),
            "cmdoption-with-feature"
        );
        assert_eq!(sphinx_slug("2nd"), "nd");
    }
}
