//! Block quotes and their attributions (`Body.indent`, `RSTState.block_quote`).

use crate::ast::{Element, Tag};

use super::super::lines::indent_of;
use super::{LineView, Parser};

impl Parser<'_> {
    // ------------------------------------------------------------------
    // block quotes

    pub(super) fn block_quote(&mut self, b: &[LineView], i: usize) -> usize {
        let ind = self.get_indented(b, i);
        let end = ind.end;
        let elements = self.block_quote_elements(ind.lines);
        self.push_all(elements);
        if !ind.blank_finish {
            self.unindent_warning("Block quote", b, end);
        }
        end
    }

    /// `RSTState.block_quote`: block quotes (split at attributions) and
    /// the attributions' inline messages, in order.
    pub fn block_quote_elements(&mut self, mut lines: Vec<LineView>) -> Vec<Element> {
        let mut out = Vec::new();
        while !lines.is_empty() {
            let span = self.block_span(&lines);
            let (quote, attribution, rest) = self.split_attribution(&lines);
            let mut bq = Element::new(Tag::BlockQuote, span);
            if let Some(first) = quote.first() {
                self.mark_origin(&mut bq, *first);
            }
            let mut bq = self.nested(bq, &quote);
            let mut after = Vec::new();
            if let Some((alines, _)) = attribution {
                let (text, segs) = self.join(&alines);
                let trimmed = text.trim_end().len();
                let lineno = alines.first().map(|r| self.lineno(*r)).unwrap_or(0);
                let (nodes, msgs) = self.inline(&text[..trimmed], segs, lineno);
                let mut a = Element::new(Tag::Attribution, self.block_span(&alines));
                if let Some(first) = alines.first() {
                    self.mark_origin(&mut a, *first);
                }
                a.children = nodes;
                bq.push(a);
                after = msgs;
            }
            out.push(bq);
            out.extend(after);
            lines = rest;
            let n = lines.iter().take_while(|l| self.is_blank(**l)).count();
            lines.drain(..n);
        }
        out
    }

    /// Returns (quote lines, attribution lines + offset, remaining lines).
    pub(super) fn split_attribution(&self, lines: &[LineView]) -> AttributionSplit {
        let mut blank: Option<usize> = None;
        let mut nonblank_seen = false;
        for i in 0..lines.len() {
            let line = self.line_text(lines[i]);
            if !line.is_empty() {
                if nonblank_seen
                    && blank == i.checked_sub(1)
                    && blank.is_some()
                    && let Some(mlen) = attribution_match(line)
                    && let Some((aend, indent)) = self.check_attribution(lines, i)
                {
                    let mut a: Vec<LineView> = lines[i..aend].to_vec();
                    if let Some(f) = a.first_mut() {
                        *f = self.strip(*f, mlen);
                    }
                    for r in a.iter_mut().skip(1) {
                        *r = self.strip(*r, indent);
                    }
                    return (lines[..i].to_vec(), Some((a, i)), lines[aend..].to_vec());
                }
                nonblank_seen = true;
            } else {
                blank = Some(i);
            }
        }
        (lines.to_vec(), None, Vec::new())
    }

    pub(super) fn check_attribution(
        &self,
        lines: &[LineView],
        start: usize,
    ) -> Option<(usize, usize)> {
        let mut indent: Option<usize> = None;
        let mut i = start + 1;
        while i < lines.len() {
            let line = self.line_text(lines[i]);
            if line.is_empty() {
                return Some((i, indent.unwrap_or(0)));
            }
            let li = indent_of(line);
            match indent {
                None => indent = Some(li),
                Some(x) if x != li => return None,
                _ => {}
            }
            i += 1;
        }
        Some((lines.len(), indent.unwrap_or(0)))
    }
}

/// (quote lines, attribution lines and their offset, remaining lines)
type AttributionSplit = (Vec<LineView>, Option<(Vec<LineView>, usize)>, Vec<LineView>);

/// `attribution_pattern`: `(---?(?!-)|\u2014) *(?=[^ \n])`; returns the match length.
fn attribution_match(line: &str) -> Option<usize> {
    let dash_len = if line.starts_with("---") && !line.starts_with("----") {
        3
    } else if line.starts_with("--") && !line.starts_with("---") {
        2
    } else if line.starts_with('\u{2014}') {
        '\u{2014}'.len_utf8()
    } else {
        return None;
    };
    let rest = &line[dash_len..];
    let sp = rest.len() - rest.trim_start_matches(' ').len();
    if rest[sp..].is_empty() {
        return None;
    }
    Some(dash_len + sp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributions_start_with_two_or_three_dashes_or_an_em_dash() {
        assert_eq!(attribution_match("-- Author"), Some(3));
        assert_eq!(attribution_match("---  Author"), Some(5));
        assert_eq!(attribution_match("\u{2014}Author"), Some(3));
        assert_eq!(attribution_match("---- Author"), None);
        assert_eq!(attribution_match("- Author"), None);
        assert_eq!(attribution_match("--"), None);
        assert_eq!(attribution_match("--   "), None);
    }
}
