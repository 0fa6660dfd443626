//! The `Text` state: paragraphs, definition list starts, `::` literal blocks.

use crate::ast::{Element, Span, Tag};
use crate::diag::Severity;

use super::super::chars::is_adornment;
use super::super::doc::literal_block;
use super::{LineView, Parser, is_line_pattern};

impl Parser<'_> {
    // ------------------------------------------------------------------
    // paragraphs, definition lists, section titles (Text state)

    pub(super) fn text(&mut self, b: &[LineView], i: usize, match_titles: bool) -> usize {
        let Some(&next) = b.get(i + 1) else {
            return self.paragraph_and_literal(b, i, i + 1, None);
        };
        let nl = self.line_text(next);
        if nl.is_empty() {
            return self.paragraph_and_literal(b, i, i + 1, None);
        }
        if nl.starts_with(' ') {
            return super::super::lists::definition_list(self, b, i);
        }
        if is_line_pattern(nl)
            && let Some(n) = self.underline_title(b, i, match_titles)
        {
            return n;
        }
        // paragraph: text block from i+1 (flush left)
        let mut end = i + 1;
        let mut err = None;
        while end < b.len() {
            let l = self.line_text(b[end]);
            if l.is_empty() {
                break;
            }
            if l.starts_with(' ') {
                err = Some(end);
                break;
            }
            end += 1;
        }
        self.paragraph_and_literal(b, i, end, err)
    }

    /// Emits the paragraph `b[i..end]` (plus an "Unexpected indentation"
    /// error when `err` is set) and a literal block if it ends with `::`.
    pub(super) fn paragraph_and_literal(
        &mut self,
        b: &[LineView],
        i: usize,
        end: usize,
        err: Option<usize>,
    ) -> usize {
        let lines = &b[i..end];
        let lineno = self.lineno(b[i]);
        let literalnext = self.paragraph(lines, lineno);
        if let Some(e) = err {
            let m = self.msg(
                Severity::Error,
                "Unexpected indentation.",
                self.lineno(b[e]),
                self.line_span(b[e]),
            );
            self.push(m);
        }
        if literalnext {
            return self.literal_block(b, end);
        }
        end
    }

    /// docutils' `paragraph()`: returns whether a literal block follows.
    pub fn paragraph(&mut self, lines: &[LineView], lineno: usize) -> bool {
        let (mut data, mut segs) = self.take_scratch();
        self.join_into(lines, &mut data, &mut segs);
        let data_t = data.trim_end_matches(super::super::lines::is_py_space);
        let (text_len, literalnext) = if ends_with_unescaped_colons(data_t) {
            if data_t.len() == 2 {
                self.put_scratch((data, segs));
                return true;
            }
            let before = &data_t[..data_t.len() - 2];
            if before.ends_with(' ') || before.ends_with('\n') {
                (
                    before
                        .trim_end_matches(super::super::lines::is_py_space)
                        .len(),
                    true,
                )
            } else {
                (data_t.len() - 1, true)
            }
        } else {
            (data_t.len(), false)
        };
        data.truncate(text_len);
        let ((nodes, msgs), segs) = self.inline_keeping(&data, segs, lineno);
        self.put_scratch((data, segs));
        let mut p = Element::new(Tag::Paragraph, self.block_span(lines));
        if let Some(first) = lines.first() {
            self.mark_origin(&mut p, *first);
        }
        p.children = nodes;
        self.push(p);
        self.push_all(msgs);
        literalnext
    }

    /// The literal block after a `::` paragraph, starting at `b[start]`.
    pub fn literal_block(&mut self, b: &[LineView], start: usize) -> usize {
        let ind = self.get_indented(b, start);
        let mut lines = ind.lines;
        while lines.last().is_some_and(|l| self.is_blank(*l)) {
            lines.pop();
        }
        if lines.is_empty() {
            return self.quoted_literal_block(b, start);
        }
        let (data, _) = self.join(&lines);
        let lb = literal_block(&data, self.block_span(&lines));
        self.push(lb);
        if !ind.blank_finish {
            self.unindent_warning("Literal block", b, ind.end);
        }
        ind.end
    }

    pub(super) fn quoted_literal_block(&mut self, b: &[LineView], start: usize) -> usize {
        let mut i = start;
        while i < b.len() && self.is_blank(b[i]) {
            i += 1;
        }
        let Some(&first) = b.get(i) else {
            let line = b.last().map(|r| self.lineno(*r) + 1).unwrap_or(1);
            let m = self.msg(
                Severity::Warning,
                "Literal block expected; none found.",
                line.max(1),
                Span::default(),
            );
            self.push(m);
            return i;
        };
        let fl = self.line_shared(first);
        let q = fl.chars().next().unwrap_or(' ');
        if !is_adornment(q) || fl.starts_with(' ') {
            let m = self.msg(
                Severity::Warning,
                "Literal block expected; none found.",
                self.lineno(first),
                self.line_span(first),
            );
            self.push(m);
            return i;
        }
        let mut end = i;
        while end < b.len() && !self.is_blank(b[end]) {
            let text = self.line_text(b[end]);
            if !text.starts_with(q) {
                // docutils' `QuotedLiteralBlock` tries its `indent`
                // transition before the quotes
                let problem = if text.starts_with(' ') {
                    "Unexpected indentation."
                } else {
                    "Inconsistent literal block quoting."
                };
                let (data, _) = self.join(&b[i..end]);
                let lb = literal_block(&data, self.block_span(&b[i..end]));
                self.push(lb);
                let m = self.msg(
                    Severity::Error,
                    problem,
                    self.lineno(b[end]),
                    self.line_span(b[end]),
                );
                self.push(m);
                return end;
            }
            end += 1;
        }
        let (data, _) = self.join(&b[i..end]);
        let lb = literal_block(&data, self.block_span(&b[i..end]));
        self.push(lb);
        end
    }
}

/// `(?<!\\)(\\\\)*::$`
fn ends_with_unescaped_colons(s: &str) -> bool {
    if !s.ends_with("::") {
        return false;
    }
    let before = &s[..s.len() - 2];
    let n = before.len() - before.trim_end_matches('\\').len();
    n.is_multiple_of(2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn double_colons_open_a_literal_block_unless_escaped() {
        assert!(ends_with_unescaped_colons("Example::"));
        assert!(ends_with_unescaped_colons("::"));
        assert!(ends_with_unescaped_colons(r"a\\::"));
        assert!(!ends_with_unescaped_colons(r"a\::"));
        assert!(!ends_with_unescaped_colons("a:"));
        assert!(!ends_with_unescaped_colons("a::b"));
    }
}
