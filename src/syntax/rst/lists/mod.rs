//! Lists: bullet, enumerated, field, option and definition lists, and line
//! blocks (docutils' `Body.bullet`/`enumerator`/`field_marker`/… and the
//! `BulletList`/`EnumeratedList`/… specialised states).
//!
//! Every list is parsed the same way: the first item from the line the
//! `Body` transition matched, then [`following_items`] reads further items
//! (the specialised state: blank lines are skipped, any other line that is
//! not an item of the same list ends it), then [`finish_list`] gives the
//! list its span and warns when it ends without a blank line.

mod definitions;
mod enumerated;
mod fields;
pub(super) mod line_blocks;
mod options;

use crate::ast::Attr;
pub use definitions::definition_list;
pub use enumerated::{may_be_enumerator, try_enumerator};
pub use fields::{field_match, try_field_list};
pub use line_blocks::line_block;
pub use options::try_option_list;

use crate::ast::{Element, Tag};

use super::block::{LineView, Parser};

/// An item parsed by a list state: the item, the index after it in the
/// block, and whether it ended at a blank line.
type ParsedItem<T> = (T, usize, bool);

/// The items of one list, in order, with where the last one ended.
struct ItemRun<T> {
    items: Vec<T>,
    end: usize,
    blank_finish: bool,
}

/// The specialised list state after the first item: skips blank lines and
/// asks `next_item` whether the next line starts another item of this
/// list; the first line that does not ends the list.
fn following_items<T>(
    p: &mut Parser,
    b: &[LineView],
    first: ParsedItem<T>,
    mut next_item: impl FnMut(&mut Parser, &[LineView], usize, &str) -> Option<ParsedItem<T>>,
) -> ItemRun<T> {
    let (item, mut end, mut blank_finish) = first;
    let mut items = vec![item];
    loop {
        let mut j = end;
        while j < b.len() && p.is_blank(b[j]) {
            j += 1;
        }
        let Some(&view) = b.get(j) else { break };
        let line = p.line_shared(view);
        let Some((item, e, bf)) = next_item(p, b, j, &line) else {
            break;
        };
        items.push(item);
        end = e;
        blank_finish = bf;
    }
    ItemRun {
        items,
        end,
        blank_finish,
    }
}

/// Gives `list` (started at `b[first]`) the span of all its lines, pushes
/// it, and adds docutils' "`what` ends without a blank line" warning.
fn finish_list(
    p: &mut Parser,
    list: Element,
    b: &[LineView],
    first: usize,
    run: ItemRun<Element>,
    what: &str,
) -> usize {
    finish_list_then(p, list, None, b, first, run, what)
}

/// [`finish_list`], with a message docutils adds to the parent as soon as
/// it has added the list, before the list's items are parsed: it follows
/// the list, before any warning about the list's end.
fn finish_list_then(
    p: &mut Parser,
    mut list: Element,
    message: Option<Element>,
    b: &[LineView],
    first: usize,
    run: ItemRun<Element>,
    what: &str,
) -> usize {
    for item in run.items {
        list.push(item);
    }
    list.span = list
        .span
        .cover(p.block_span(&b[first..run.end.min(b.len()).max(first + 1)]));
    p.push(list);
    if let Some(message) = message {
        p.push(message);
    }
    if !run.blank_finish {
        p.unindent_warning(what, b, run.end);
    }
    run.end
}

/// `[-+*•‣⁃]( +|$)`: the bullet and the marker length (bullet + spaces).
fn bullet_match(line: &str) -> Option<(char, usize)> {
    let c = line.chars().next()?;
    if !matches!(c, '-' | '+' | '*' | '\u{2022}' | '\u{2023}' | '\u{2043}') {
        return None;
    }
    let rest = &line[c.len_utf8()..];
    if rest.is_empty() {
        return Some((c, c.len_utf8()));
    }
    let spaces = rest.len() - rest.trim_start_matches(' ').len();
    if spaces == 0 {
        return None;
    }
    Some((c, c.len_utf8() + spaces))
}

/// `Body.list_item`: parses one item whose marker ends at byte `marker_end`.
fn list_item(p: &mut Parser, b: &[LineView], i: usize, marker_end: usize) -> ParsedItem<Element> {
    let text_after_marker = p.line_text(b[i]).len() > marker_end;
    let ind = if text_after_marker {
        p.get_known_indented(b, i, marker_end)
    } else {
        p.get_first_known_indented(b, i, marker_end, false, true)
    };
    let span = p.line_span(b[i]).cover(p.block_span(&ind.lines));
    let mut item = Element::new(Tag::ListItem, span);
    p.mark_origin(&mut item, b[i]);
    let item = if ind.lines.is_empty() {
        item
    } else {
        p.nested(item, &ind.lines)
    };
    (item, ind.end, ind.blank_finish)
}

pub fn try_bullet(p: &mut Parser, b: &[LineView], i: usize, line: &str) -> Option<usize> {
    let (bullet, marker_end) = bullet_match(line)?;
    let mut list = Element::new(Tag::BulletList, p.line_span(b[i]));
    p.mark_origin(&mut list, b[i]);
    list.set(Attr::Bullet, bullet.to_string());
    let first = list_item(p, b, i, marker_end);
    let run = following_items(p, b, first, |p, b, j, line| match bullet_match(line) {
        Some((next, marker_end)) if next == bullet => Some(list_item(p, b, j, marker_end)),
        _ => None,
    });
    Some(finish_list(p, list, b, i, run, "Bullet list"))
}

/// Whether a line would be taken by a `Body` transition other than `text`
/// (the `DefinitionList` state treats those as the end of the list).
fn is_body_start(l: &str) -> bool {
    bullet_match(l).is_some()
        || enumerated::enum_match(l).is_some()
        || field_match(l).is_some()
        || options::option_match(l).is_some()
        || super::block::starts_doctest(l)
        || super::block::starts_line_block(l)
        || super::tables::is_grid_top(l)
        || super::tables::is_simple_top(l)
        || super::block::starts_explicit_markup(l)
        || super::block::starts_anonymous_target(l)
        || super::block::is_line_pattern(l)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bullets_need_a_space_or_the_line_end() {
        assert_eq!(bullet_match("- item"), Some(('-', 2)));
        assert_eq!(bullet_match("*   wide"), Some(('*', 4)));
        assert_eq!(bullet_match("+"), Some(('+', 1)));
        assert_eq!(bullet_match("\u{2022} dot"), Some(('\u{2022}', 4)));
        assert_eq!(bullet_match("-x"), None);
        assert_eq!(bullet_match("x - y"), None);
        assert_eq!(bullet_match(""), None);
    }

    #[test]
    fn body_starts_end_a_definition_list() {
        for line in [
            "- b", "1. e", ":f: x", "-o  opt", ">>> 1", "| line", "+--+", "== ==", ".. x", "__ x",
            "-----",
        ] {
            assert!(is_body_start(line), "{line:?}");
        }
        for line in ["term", "a - b", ">>>x", "..x", "|x"] {
            assert!(!is_body_start(line), "{line:?}");
        }
    }
}
