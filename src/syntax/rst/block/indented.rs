//! Indented blocks: `statemachine.StringList.get_indented` and the
//! state machine's variants of it, on line views.

use super::{Indented, LineView, Parser};

impl Parser<'_> {
    // ------------------------------------------------------------------
    // indented blocks (statemachine.StringList.get_indented)

    pub(super) fn strip(&self, r: LineView, n: usize) -> LineView {
        let len = self.line_text(r).len();
        LineView {
            line: r.line,
            offset: r.offset + n.min(len) as u32,
        }
    }

    /// `get_indented(start, until_blank, strip_indent, block_indent, first_indent)`.
    pub fn indented(
        &self,
        b: &[LineView],
        start: usize,
        until_blank: bool,
        block_indent: Option<usize>,
        first_indent: Option<usize>,
    ) -> Indented {
        let mut indent = block_indent;
        let first_indent = if block_indent.is_some() && first_indent.is_none() {
            block_indent
        } else {
            first_indent
        };
        let mut end = start;
        if first_indent.is_some() {
            end += 1;
        }
        let mut blank_finish = true;
        while end < b.len() {
            let line = self.line_text(b[end]);
            if !line.is_empty()
                && (!line.starts_with(' ')
                    || block_indent.is_some_and(|bi| {
                        !line
                            .get(..bi.min(line.len()))
                            .unwrap_or("")
                            .trim()
                            .is_empty()
                    }))
            {
                blank_finish = end > start && self.is_blank(b[end - 1]);
                break;
            }
            let stripped_len = trimmed_start_len(line);
            if stripped_len == 0 {
                if until_blank {
                    blank_finish = true;
                    break;
                }
            } else if block_indent.is_none() {
                let li = line.len() - stripped_len;
                indent = Some(indent.map_or(li, |i: usize| i.min(li)));
            }
            end += 1;
        }
        let mut lines: Vec<LineView> = b[start.min(b.len())..end.min(b.len())].to_vec();
        if let (Some(fi), Some(first)) = (first_indent, lines.first_mut()) {
            *first = self.strip(*first, fi);
        }
        let ind = indent.unwrap_or(0);
        if ind > 0 {
            let skip = if first_indent.is_some() { 1 } else { 0 };
            for r in lines.iter_mut().skip(skip) {
                *r = self.strip(*r, ind);
            }
        }
        Indented {
            lines,
            indent: ind,
            end,
            blank_finish,
            first: start,
        }
    }

    /// State-machine `get_indented`: also drops leading blank lines.
    pub fn get_indented(&self, b: &[LineView], start: usize) -> Indented {
        let mut r = self.indented(b, start, false, None, None);
        self.trim_top(&mut r);
        r
    }

    pub fn get_known_indented(&self, b: &[LineView], start: usize, indent: usize) -> Indented {
        let mut r = self.indented(b, start, false, Some(indent), None);
        self.trim_top(&mut r);
        r
    }

    pub fn get_first_known_indented(
        &self,
        b: &[LineView],
        start: usize,
        first: usize,
        until_blank: bool,
        strip_top: bool,
    ) -> Indented {
        let mut r = self.indented(b, start, until_blank, None, Some(first));
        if strip_top {
            self.trim_top(&mut r);
        }
        r
    }

    pub(super) fn trim_top(&self, r: &mut Indented) {
        let n = r.lines.iter().take_while(|l| self.is_blank(**l)).count();
        r.lines.drain(..n);
        r.first += n;
    }
}

/// `line.trim_start().len()`, for the usual line (indentation of spaces,
/// tabs being expanded, then a printable ASCII character) without
/// decoding characters; any other line is trimmed as before.
fn trimmed_start_len(line: &str) -> usize {
    let spaces = line.bytes().take_while(|&b| b == b' ').count();
    match line.as_bytes().get(spaces) {
        None => 0,
        Some(b) if b.is_ascii_graphic() => line.len() - spaces,
        Some(_) => line.trim_start().len(),
    }
}

#[cfg(test)]
mod tests {
    use crate::ast::{Element, Span, Tag};

    use super::super::super::RstOptions;
    use super::super::super::lines::split_lines;
    use super::*;

    fn texts(p: &Parser, ind: &Indented) -> Vec<String> {
        ind.lines
            .iter()
            .map(|v| p.line_text(*v).to_string())
            .collect()
    }

    #[test]
    fn the_quick_trim_agrees_with_trim_start() {
        for line in [
            "",
            "   ",
            "  a",
            "a",
            "  \u{a0}x",
            " \u{3000}x",
            "  \u{b}x",
            "  \u{1f}x",
            "  é",
            "\t x",
        ] {
            assert_eq!(trimmed_start_len(line), line.trim_start().len(), "{line:?}");
        }
    }

    #[test]
    fn get_indented_strips_the_least_indent_and_stops_at_unindent() {
        let opts = RstOptions::default();
        let root = Element::new(Tag::Document, Span::default());
        let p = Parser::new(split_lines("\n    a\n      b\n\n    c\nd\n"), &opts, root);
        let all = p.all_lines();
        let ind = p.get_indented(&all, 0);
        assert_eq!(texts(&p, &ind), ["a", "  b", "", "c"]);
        assert_eq!((ind.first, ind.end, ind.indent), (1, 5, 4));
        assert!(!ind.blank_finish, "ends at an unindented line");
    }

    #[test]
    fn known_indents_strip_the_first_line_by_its_marker() {
        let opts = RstOptions::default();
        let root = Element::new(Tag::Document, Span::default());
        let p = Parser::new(split_lines("- item\n  more\n   deeper\n\n"), &opts, root);
        let all = p.all_lines();
        let ind = p.get_known_indented(&all, 0, 2);
        assert_eq!(texts(&p, &ind), ["item", "more", " deeper", ""]);
        assert!(ind.blank_finish);
        let until_blank = p.get_first_known_indented(&all, 0, 2, true, false);
        assert_eq!(texts(&p, &until_blank), ["item", "more", " deeper"]);
    }
}
