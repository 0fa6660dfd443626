//! Hyperlink targets (`Body.hyperlink_target`, `make_target`,
//! `parse_target`, `add_target`): `.. _name: URI`, `.. _name: other_`,
//! internal `.. _name:` and anonymous `.. __: URI` / `__ URI`.
//!
//! docutils matches the target's name with one regular expression
//! (`patterns.target`) over the block's first line, appending the next
//! line (without a separator) while it does not match; a block that never
//! matches is a comment followed by a "malformed hyperlink target"
//! warning. The pattern is matched here by hand: look-behinds and a
//! back-reference are beyond Rust's `regex`.

use crate::ast::Attr;
use crate::ast::ids::{fully_normalize_name, whitespace_normalize_name};
use crate::ast::{Element, Tag};
use crate::diag::Severity;
use crate::syntax::rst::block::{LineView, Parser};
use crate::syntax::rst::inline::{adjust_uri, escape2null, split_escaped_whitespace, unescape};

use super::is_simplename;

/// `.. _name: target`; `mstart` is the position of the `_` in line `i`.
pub fn hyperlink_target(p: &mut Parser, b: &[LineView], i: usize, mstart: usize) -> (usize, bool) {
    let lineno = p.lineno(b[i]);
    let ind = p.get_first_known_indented(b, i, mstart, true, false);
    let span = p.line_span(b[i]).cover(p.block_span(&ind.lines));
    // docutils' block starts after the explicit markup's `_`; it reads
    // the block without stripping the indentation (`strip_indent=False`),
    // so a name continued on the next line gets the indentation as its
    // separator.
    let indentation = " ".repeat(ind.indent);
    let mut block: Vec<String> = ind
        .lines
        .iter()
        .enumerate()
        .map(|(k, r)| {
            let line = p.line_text(*r);
            if k == 0 {
                escape2null(line.get(1..).unwrap_or(""))
            } else if line.is_empty() {
                String::new()
            } else {
                escape2null(&format!("{indentation}{line}"))
            }
        })
        .collect();
    if block.is_empty() {
        block.push(String::new());
    }
    let mut escaped = block[0].clone();
    let mut index = 0;
    let found = loop {
        if let Some(m) = match_target(&escaped) {
            break m;
        }
        index += 1;
        match block.get(index) {
            Some(next) => escaped.push_str(next),
            None => {
                let end = super::comment(p, b, i);
                let m = p.doc.message(
                    Severity::Warning,
                    "malformed hyperlink target.",
                    Some(lineno),
                    p.line_span(b[i]),
                );
                p.push(m);
                return end;
            }
        }
    };
    block.drain(..index);
    // The text after the match, from the line the match ended on.
    let rest = escaped[found.end..].chars().count() + 1;
    let line: Vec<char> = format!("{} ", block[0]).chars().collect();
    block[0] = line[line.len().saturating_sub(rest)..]
        .iter()
        .collect::<String>()
        .trim()
        .to_string();
    let mut t = Element::new(Tag::Target, span);
    match found.name {
        None => {
            t.set(Attr::Anonymous, "1");
            p.doc.register_ids(&mut t, "");
            make_target(p, &mut t, &block, lineno, true);
        }
        Some(name) => {
            t.names
                .push(fully_normalize_name(&whitespace_normalize_name(&unescape(
                    &escaped[name.0..name.1],
                ))));
            make_target(p, &mut t, &block, lineno, false);
        }
    }
    p.push(t);
    (ind.end, ind.blank_finish)
}

/// A match of `patterns.target`: where it ends and the name's byte range
/// (`None` for the anonymous `_`).
struct TargetMatch {
    end: usize,
    name: Option<(usize, usize)>,
}

/// `patterns.target` anchored at the start of `s` (NUL-escaped text).
fn match_target(s: &str) -> Option<TargetMatch> {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let at = |k: usize| chars.get(k).map(|c| c.1);
    let offset = |k: usize| chars.get(k).map_or(s.len(), |c| c.0);
    if at(0) == Some('_') {
        return tail(&chars, 1).map(|end| TargetMatch {
            end: offset(end),
            name: None,
        });
    }
    let quoted = at(0) == Some('`');
    let start = usize::from(quoted);
    if at(start).is_none_or(|c| c == ' ' || c == '`') {
        return None;
    }
    // `.+?`: the shortest name after which the rest matches.
    for name_end in start + 1..=chars.len() {
        if !no_whitespace_or_escape_before(&chars, name_end) {
            continue;
        }
        let after_name = if quoted {
            if at(name_end) != Some('`') {
                continue;
            }
            name_end + 1
        } else {
            name_end
        };
        if let Some(end) = tail(&chars, after_name) {
            return Some(TargetMatch {
                end: offset(end),
                name: Some((offset(start), offset(name_end))),
            });
        }
    }
    None
}

/// `non_whitespace_escape_before`: the character before `k` is neither
/// whitespace nor a NUL escape marker.
fn no_whitespace_or_escape_before(chars: &[(usize, char)], k: usize) -> bool {
    k == 0
        || !chars
            .get(k - 1)
            .is_some_and(|c| c.1.is_whitespace() || c.1 == '\0')
}

/// The pattern after the name, from `k`: no unescaped colon before, no
/// whitespace or escape before, an optional space, `:`, then spaces or
/// the end. Returns where the match ends.
fn tail(chars: &[(usize, char)], k: usize) -> Option<usize> {
    let at = |k: usize| chars.get(k).map(|c| c.1);
    let unescaped_colon_before =
        k >= 1 && at(k - 1) == Some(':') && (k < 2 || at(k - 2) != Some('\0'));
    if unescaped_colon_before || !no_whitespace_or_escape_before(chars, k) {
        return None;
    }
    for colon in [k, k + 1] {
        if colon == k + 1 && at(k) != Some(' ') {
            continue;
        }
        if at(colon) != Some(':') {
            continue;
        }
        let mut end = colon + 1;
        if end == chars.len() {
            return Some(end);
        }
        while at(end) == Some(' ') {
            end += 1;
        }
        if end > colon + 1 {
            return Some(end);
        }
    }
    None
}

/// `make_target` and `add_target`: an indirect target when the block is
/// a reference (`name_`, `` `phrase`_ ``), else one with the URI the block
/// spells (escaped whitespace kept as a space). `block` is NUL-escaped.
pub fn make_target(
    p: &mut Parser,
    t: &mut Element,
    block: &[String],
    lineno: usize,
    anonymous: bool,
) {
    let last_is_underscore = block.last().is_some_and(|l| l.trim().ends_with('_'));
    let refname = if last_is_underscore {
        let reference: Vec<&str> = block.iter().map(|l| l.trim()).collect();
        is_reference(&reference.join(" "))
    } else {
        None
    };
    if let Some(refname) = refname {
        t.set(Attr::Refname, fully_normalize_name(&refname));
    } else {
        let parts = split_escaped_whitespace(&block.join(" "));
        let uri: Vec<String> = parts
            .iter()
            .map(|part| unescape(part).split_whitespace().collect::<String>())
            .collect();
        let uri = uri.join(" ");
        if !uri.is_empty() {
            t.set(Attr::Refuri, if anonymous { uri } else { adjust_uri(&uri) });
        }
    }
    if !anonymous {
        let msgs = p.doc.note_explicit_target(t, Some(lineno));
        for m in msgs {
            p.push(m);
        }
    }
}

/// `is_reference`: the name a whole block refers to (`name_` with a
/// simple name, or `` `phrase`_ ``), unescaped.
fn is_reference(reference: &str) -> Option<String> {
    let r = whitespace_normalize_name(reference);
    if let Some(simple) = r.strip_suffix('_')
        && is_simplename(simple)
    {
        return Some(unescape(simple));
    }
    let phrase = r.strip_prefix('`')?.strip_suffix("`_")?;
    let ok = !phrase.is_empty()
        && !phrase.starts_with(' ')
        && !phrase.ends_with(|c: char| c.is_whitespace() || c == '\0');
    ok.then(|| unescape(phrase))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(s: &str) -> Option<Option<String>> {
        match_target(s).map(|m| m.name.map(|(a, b)| s[a..b].to_string()))
    }

    #[test]
    fn target_names_match_as_docutils_pattern() {
        assert_eq!(name("name: uri"), Some(Some("name".into())));
        assert_eq!(name("`a: b`: uri"), Some(Some("a: b".into())));
        assert_eq!(name("name :"), Some(Some("name".into())));
        assert_eq!(name("_: uri"), Some(None));
        assert_eq!(name("_malformed: no good"), None);
        assert_eq!(name("unescaped colon at end:: no good"), None);
        assert_eq!(name("`target: No matching backquote."), None);
        assert_eq!(
            name("escaped\0:colon: x"),
            Some(Some("escaped\0:colon".into()))
        );
    }

    #[test]
    fn references_are_names_or_phrases() {
        assert_eq!(is_reference("other_"), Some("other".into()));
        assert_eq!(is_reference("`a phrase`_"), Some("a phrase".into()));
        assert_eq!(is_reference("http://x/y_z_"), None);
    }
}
