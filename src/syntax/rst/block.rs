//! The block-level parser: docutils' `Body`/`Text`/`Line` states and their
//! specialised list states, written as one loop over a slice of lines.
//!
//! Indented blocks are handed to a nested parse (a new container pushed on
//! [`Parser::stack`]); sections are the bottom of that same stack, so
//! closing sections never needs recursion. Nesting is capped at
//! [`MAX_DEPTH`] to keep hostile input from exhausting the stack.

use crate::ast::ids::fully_normalize_name;
use crate::ast::{Element, Node, Span, Tag};

use super::RstOptions;
use super::chars::is_adornment;
use super::doc::{Doc, literal_block};
use super::inline::{SpanMap, parse_inline};
use super::lines::{Line, column_width, indent_of};

/// Deepest nesting of indented constructs before parsing gives up with an error.
pub const MAX_DEPTH: usize = 64;

/// A view of one line from its `offset`-th byte on: how an indented block
/// sees its lines once the indentation is stripped, without copying text.
#[derive(Debug, Clone, Copy)]
pub struct LineView {
    /// Index into [`Parser::lines`].
    pub line: u32,
    /// Byte offset in that line's text where the view starts.
    pub offset: u32,
}

pub struct Parser<'a> {
    pub lines: Vec<Line>,
    pub doc: Doc,
    pub opts: &'a RstOptions,
    /// Open containers; `stack[0]` is the document, then open sections.
    pub stack: Vec<Element>,
    /// Number of open sections (the section level).
    pub section_level: usize,
    pub depth: usize,
    /// Include nesting (for cycle/depth detection).
    pub include_stack: Vec<std::path::PathBuf>,
    /// Number of lines of the main document (later lines come from tables and includes).
    pub main_lines: usize,
    /// Value of `.. title::`, which sets the document's `title` attribute.
    pub doc_title: Option<String>,
    /// Substitution definitions by name (`None`: duplicate).
    pub subst_defs: std::collections::HashMap<String, Option<Vec<Node>>>,
}

/// Result of `get_indented` and friends.
pub struct Indented {
    pub lines: Vec<LineView>,
    /// Indentation that was removed (docutils returns it too).
    #[allow(dead_code)]
    pub indent: usize,
    /// Index (in the parent block) after the block.
    pub end: usize,
    pub blank_finish: bool,
    /// Index (in the parent block) of the first line kept (after leading blanks).
    pub first: usize,
}

impl<'a> Parser<'a> {
    pub fn line_text(&self, r: LineView) -> &str {
        match self.lines.get(r.line as usize) {
            Some(l) => l.text.get(r.offset as usize..).unwrap_or(""),
            None => "",
        }
    }

    pub fn lineno(&self, r: LineView) -> usize {
        self.lines
            .get(r.line as usize)
            .map(|l| l.lineno)
            .unwrap_or(r.line as usize + 1)
    }

    /// Source span of a line view.
    pub fn line_span(&self, r: LineView) -> Span {
        match self.lines.get(r.line as usize) {
            Some(l) => Span::new(l.src(r.offset as usize), l.end),
            None => Span::default(),
        }
    }

    pub fn block_span(&self, b: &[LineView]) -> Span {
        match (b.first(), b.last()) {
            (Some(f), Some(l)) => self.line_span(*f).cover(self.line_span(*l)),
            _ => Span::default(),
        }
    }

    pub fn push(&mut self, n: impl Into<Node>) {
        if !self.doc.parent_messages.is_empty() {
            let msgs = std::mem::take(&mut self.doc.parent_messages);
            if let Some(top) = self.stack.last_mut() {
                for m in msgs {
                    top.push(m);
                }
            }
        }
        if let Some(top) = self.stack.last_mut() {
            top.push(n);
        }
    }

    pub fn push_all(&mut self, ns: Vec<Element>) {
        for n in ns {
            self.push(n);
        }
    }

    pub fn is_blank(&self, r: LineView) -> bool {
        self.line_text(r).is_empty()
    }

    /// Joined text of lines plus the span map for inline parsing.
    pub fn join(&self, b: &[LineView]) -> (String, Vec<(usize, usize, usize)>) {
        let mut s = String::new();
        let mut segs = Vec::with_capacity(b.len());
        for (i, r) in b.iter().enumerate() {
            if i > 0 {
                s.push('\n');
            }
            segs.push((s.len(), r.line as usize, r.offset as usize));
            s.push_str(self.line_text(*r));
        }
        (s, segs)
    }

    /// Inline-parses `text` whose byte `k` maps via `segs`.
    pub fn inline(
        &mut self,
        text: &str,
        segs: Vec<(usize, usize, usize)>,
        lineno: usize,
    ) -> (Vec<Node>, Vec<Element>) {
        let map = SpanMap {
            lines: &self.lines,
            segs,
        };
        parse_inline(&mut self.doc, text, &map, Some(lineno))
    }

    /// Inline-parses a block of lines (joined with newlines), trimmed to `len` bytes.
    pub fn inline_lines(
        &mut self,
        b: &[LineView],
        len: Option<usize>,
        lineno: usize,
    ) -> (Vec<Node>, Vec<Element>) {
        let (mut s, segs) = self.join(b);
        if let Some(l) = len {
            s.truncate(l.min(s.len()));
        }
        self.inline(&s, segs, lineno)
    }

    pub fn msg(&self, level: u8, text: &str, line: usize, span: Span) -> Element {
        self.doc.message(level, text, Some(line), span)
    }

    /// docutils' INFO for a too-short overline that is then read as text;
    /// every branch of the overline check ends this way when it is short.
    fn short_overline_info(&mut self, lineno: usize, span: Span) {
        let m = self.msg(
            1,
            "Possible incomplete section title.\nTreating the overline as ordinary text because it's so short.",
            lineno,
            span,
        );
        self.push(m);
    }

    // ------------------------------------------------------------------
    // indented blocks (statemachine.StringList.get_indented)

    fn strip(&self, r: LineView, n: usize) -> LineView {
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
            let stripped_len = line.trim_start().len();
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

    fn trim_top(&self, r: &mut Indented) {
        let n = r.lines.iter().take_while(|l| self.is_blank(**l)).count();
        r.lines.drain(..n);
        r.first += n;
    }

    // ------------------------------------------------------------------
    // nested parsing

    /// Parses `b` into `el` (not matching section titles) and returns it.
    pub fn nested(&mut self, el: Element, b: &[LineView]) -> Element {
        self.stack.push(el);
        if self.depth >= MAX_DEPTH {
            let span = self.block_span(b);
            let line = b.first().map(|r| self.lineno(*r)).unwrap_or(0);
            let m = self.msg(
                3,
                &format!("Nesting too deep: more than {MAX_DEPTH} levels; content ignored."),
                line,
                span,
            );
            self.push(m);
        } else {
            self.depth += 1;
            self.parse_block(b, false);
            self.depth -= 1;
        }
        self.stack
            .pop()
            .unwrap_or_else(|| Element::new(Tag::Container, Span::default()))
    }

    /// Parses body elements (and, when `match_titles`, sections) of `b`.
    pub fn parse_block(&mut self, b: &[LineView], match_titles: bool) {
        let mut i = 0;
        while i < b.len() {
            if self.is_blank(b[i]) {
                i += 1;
                continue;
            }
            let next = if self.line_text(b[i]).starts_with(' ') {
                self.block_quote(b, i)
            } else {
                self.body(b, i, match_titles)
            };
            i = next.max(i + 1);
        }
    }

    /// Tries each `Body` transition in docutils' order on the line `b[i]`.
    fn body(&mut self, b: &[LineView], i: usize, match_titles: bool) -> usize {
        let line = self.line_text(b[i]).to_string();
        if let Some(n) = super::lists::try_bullet(self, b, i, &line) {
            return n;
        }
        if let Some(n) = super::lists::try_enumerator(self, b, i, &line) {
            return n;
        }
        if let Some(n) = super::lists::try_field_list(self, b, i, &line) {
            return n;
        }
        if let Some(n) = super::lists::try_option_list(self, b, i, &line) {
            return n;
        }
        if starts_doctest(&line) {
            return self.doctest(b, i);
        }
        if starts_line_block(&line) {
            return super::lists::line_block(self, b, i);
        }
        if let Some(n) = super::tables::try_grid_table(self, b, i, &line) {
            return n;
        }
        if let Some(n) = super::tables::try_simple_table(self, b, i, &line) {
            return n;
        }
        if starts_explicit_markup(&line) {
            return super::explicit::explicit_markup(self, b, i);
        }
        if starts_anonymous_target(&line) {
            return super::explicit::anonymous_target(self, b, i);
        }
        if is_line_pattern(&line)
            && let Some(n) = self.line_state(b, i, match_titles)
        {
            return n;
        }
        self.text(b, i, match_titles)
    }

    fn doctest(&mut self, b: &[LineView], i: usize) -> usize {
        let mut end = i;
        while end < b.len() && !self.is_blank(b[end]) {
            end += 1;
        }
        let (s, _) = self.join(&b[i..end]);
        let mut n = Element::new(Tag::DoctestBlock, self.block_span(&b[i..end]));
        n.set("xml:space", "preserve");
        n.push_text(s, self.block_span(&b[i..end]));
        self.push(n);
        end
    }

    // ------------------------------------------------------------------
    // block quotes

    fn block_quote(&mut self, b: &[LineView], i: usize) -> usize {
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
            let bq = Element::new(Tag::BlockQuote, span);
            let mut bq = self.nested(bq, &quote);
            let mut after = Vec::new();
            if let Some((alines, _)) = attribution {
                let (text, segs) = self.join(&alines);
                let trimmed = text.trim_end().len();
                let lineno = alines.first().map(|r| self.lineno(*r)).unwrap_or(0);
                let (nodes, msgs) = self.inline(&text[..trimmed], segs, lineno);
                let mut a = Element::new(Tag::Attribution, self.block_span(&alines));
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
    fn split_attribution(&self, lines: &[LineView]) -> AttributionSplit {
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

    fn check_attribution(&self, lines: &[LineView], start: usize) -> Option<(usize, usize)> {
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

    pub fn unindent_warning(&mut self, what: &str, b: &[LineView], end: usize) {
        let (line, span) = match b.get(end) {
            Some(r) => (self.lineno(*r), self.line_span(*r)),
            None => (
                b.last().map(|r| self.lineno(*r) + 1).unwrap_or(0),
                Span::default(),
            ),
        };
        let m = self.msg(
            2,
            &format!("{what} ends without a blank line; unexpected unindent."),
            line,
            span,
        );
        self.push(m);
    }

    // ------------------------------------------------------------------
    // paragraphs, definition lists, section titles (Text state)

    fn text(&mut self, b: &[LineView], i: usize, match_titles: bool) -> usize {
        let Some(&next) = b.get(i + 1) else {
            return self.paragraph_and_literal(b, i, i + 1, None);
        };
        let nl = self.line_text(next).to_string();
        if nl.is_empty() {
            return self.paragraph_and_literal(b, i, i + 1, None);
        }
        if nl.starts_with(' ') {
            return super::lists::definition_list(self, b, i);
        }
        if is_line_pattern(&nl)
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
    fn paragraph_and_literal(
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
                3,
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
        let (data, segs) = self.join(lines);
        let data_t = data.trim_end_matches(super::lines::is_py_space);
        let (text_len, literalnext) = if ends_with_unescaped_colons(data_t) {
            if data_t.len() == 2 {
                return true;
            }
            let before = &data_t[..data_t.len() - 2];
            if before.ends_with(' ') || before.ends_with('\n') {
                (
                    before.trim_end_matches(super::lines::is_py_space).len(),
                    true,
                )
            } else {
                (data_t.len() - 1, true)
            }
        } else {
            (data_t.len(), false)
        };
        let text = data[..text_len].to_string();
        let (nodes, msgs) = self.inline(&text, segs, lineno);
        let mut p = Element::new(Tag::Paragraph, self.block_span(lines));
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

    fn quoted_literal_block(&mut self, b: &[LineView], start: usize) -> usize {
        let mut i = start;
        while i < b.len() && self.is_blank(b[i]) {
            i += 1;
        }
        let Some(&first) = b.get(i) else {
            let line = b.last().map(|r| self.lineno(*r) + 1).unwrap_or(1);
            let m = self.msg(
                2,
                "Literal block expected; none found.",
                line.max(1),
                Span::default(),
            );
            self.push(m);
            return i;
        };
        let fl = self.line_text(first).to_string();
        let q = fl.chars().next().unwrap_or(' ');
        if !is_adornment(q) || fl.starts_with(' ') {
            let m = self.msg(
                2,
                "Literal block expected; none found.",
                self.lineno(first),
                self.line_span(first),
            );
            self.push(m);
            return i;
        }
        let mut end = i;
        while end < b.len() && !self.is_blank(b[end]) {
            if !self.line_text(b[end]).starts_with(q) {
                let (data, _) = self.join(&b[i..end]);
                let lb = literal_block(&data, self.block_span(&b[i..end]));
                self.push(lb);
                let m = self.msg(
                    3,
                    "Inconsistent literal block quoting.",
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

    /// Text state, underline transition: a title with underline at `b[i+1]`.
    fn underline_title(&mut self, b: &[LineView], i: usize, match_titles: bool) -> Option<usize> {
        let title = self.line_text(b[i]).to_string();
        let underline = self.line_text(b[i + 1]).to_string();
        let lineno = self.lineno(b[i + 1]);
        let source = format!("{title}\n{underline}");
        let span = self.line_span(b[i]).cover(self.line_span(b[i + 1]));
        let mut messages = Vec::new();
        if column_width(&title) > underline.chars().count() {
            if underline.chars().count() < 4 {
                if match_titles {
                    let m = self.msg(1, "Possible title underline, too short for the title.\nTreating it as ordinary text because it's so short.", lineno, span);
                    self.push(m);
                }
                return None;
            }
            let m = self.doc.message_with_block(
                2,
                "Title underline too short.",
                &source,
                Some(lineno),
                span,
            );
            messages.push(m);
        }
        if !match_titles {
            self.push_all(messages);
            let m = self.doc.message_with_block(
                3,
                "Unexpected section title.",
                &source,
                Some(lineno),
                span,
            );
            self.push(m);
            return Some(i + 2);
        }
        let style = underline.chars().next().unwrap_or('=').to_string();
        self.section(
            b,
            i,
            &[b[i]],
            &title,
            &source,
            style,
            lineno - 1,
            messages,
            span,
        );
        Some(i + 2)
    }

    /// `Body.line`: a line of repeated punctuation (overline or transition).
    fn line_state(&mut self, b: &[LineView], i: usize, match_titles: bool) -> Option<usize> {
        let marker = self.line_text(b[i]).to_string();
        let lineno = self.lineno(b[i]);
        let span = self.line_span(b[i]);
        if !match_titles {
            if marker.trim() == "::" {
                return None;
            }
            if marker.trim().chars().count() < 4 {
                let m = self.msg(1, "Unexpected possible title overline or transition.\nTreating it as ordinary text because it's so short.", lineno, span);
                self.push(m);
                return None;
            }
            let m = self.doc.message_with_block(
                3,
                "Unexpected section title or transition.",
                &marker,
                Some(lineno),
                span,
            );
            self.push(m);
            return Some(i + 1);
        }
        let short = marker.trim_end().chars().count() < 4;
        let Some(&next) = b.get(i + 1) else {
            // eof
            if short {
                return None;
            }
            let mut tr = Element::new(Tag::Transition, span);
            tr.set(super::inline::LINE, lineno.to_string());
            self.push(tr);
            return Some(i + 1);
        };
        let nl = self.line_text(next).to_string();
        if nl.is_empty() {
            if short {
                return None;
            }
            let mut tr = Element::new(Tag::Transition, span);
            tr.set(super::inline::LINE, lineno.to_string());
            self.push(tr);
            return Some(i + 1);
        }
        if is_line_pattern(&nl) && !nl.starts_with(' ') {
            // Line.underline: invalid
            let blocktext = format!("{marker}\n{nl}");
            if short {
                self.short_overline_info(lineno, span);
                return None;
            }
            let sp = span.cover(self.line_span(next));
            let m = self.doc.message_with_block(
                3,
                "Invalid section title or transition marker.",
                &blocktext,
                Some(lineno),
                sp,
            );
            self.push(m);
            return Some(i + 2);
        }
        // overline title
        let title = nl.clone();
        let Some(&ul) = b.get(i + 2) else {
            let blocktext = format!("{marker}\n{title}");
            if short {
                self.short_overline_info(lineno, span);
                return None;
            }
            let m = self.doc.message_with_block(
                3,
                "Incomplete section title.",
                &blocktext,
                Some(lineno),
                span,
            );
            self.push(m);
            return Some(i + 2);
        };
        let underline = self.line_text(ul).to_string();
        let source = format!("{marker}\n{title}\n{underline}");
        let sp = span.cover(self.line_span(ul));
        let overline = marker.trim_end();
        if !is_line_pattern(&underline) {
            if short {
                self.short_overline_info(lineno, span);
                return None;
            }
            let m = self.doc.message_with_block(
                3,
                "Missing matching underline for section title overline.",
                &source,
                Some(lineno),
                sp,
            );
            self.push(m);
            return Some(i + 3);
        }
        if overline != underline.trim_end() {
            if short {
                self.short_overline_info(lineno, span);
                return None;
            }
            let m = self.doc.message_with_block(
                3,
                "Title overline & underline mismatch.",
                &source,
                Some(lineno),
                sp,
            );
            self.push(m);
            return Some(i + 3);
        }
        let title_t = title.trim_end();
        let mut messages = Vec::new();
        if column_width(title_t) > overline.chars().count() {
            if short {
                self.short_overline_info(lineno, span);
                return None;
            }
            let m = self.doc.message_with_block(
                2,
                "Title overline too short.",
                &source,
                Some(lineno),
                sp,
            );
            messages.push(m);
        }
        let c = overline.chars().next().unwrap_or('=');
        let style = format!("{c}/{c}");
        let lead = title_t.len() - title_t.trim_start().len();
        let tref = self.strip(next, lead);
        let t = title_t.trim_start().to_string();
        self.section(b, i, &[tref], &t, &source, style, lineno + 1, messages, sp);
        Some(i + 3)
    }

    /// `RSTState.section`: checks the level and opens a new section.
    #[allow(clippy::too_many_arguments)]
    fn section(
        &mut self,
        _b: &[LineView],
        _i: usize,
        title_lines: &[LineView],
        title: &str,
        source: &str,
        style: String,
        lineno: usize,
        messages: Vec<Element>,
        span: Span,
    ) {
        let oldlevel = self.section_level;
        let newlevel = match self.doc.title_styles.iter().position(|s| *s == style) {
            Some(p) => p + 1,
            None => self.doc.title_styles.len() + 1,
        };
        if newlevel > oldlevel + 1 {
            let styles = self.doc.title_styles.join(" ");
            let mut m = self.doc.message(
                3,
                &format!("Inconsistent title style: skip from level {oldlevel} to {newlevel}."),
                Some(lineno),
                span,
            );
            m.push(literal_block(source, span));
            let mut p = Element::new(Tag::Paragraph, span);
            p.push_text(format!("Established title styles: {styles}"), span);
            m.push(p);
            self.push(m);
            return;
        }
        if newlevel <= oldlevel {
            while self.section_level >= newlevel {
                self.close_section();
            }
        }
        if newlevel > self.doc.title_styles.len() {
            self.doc.title_styles.push(style);
        }
        // new_subsection
        let mut sec = Element::new(Tag::Section, span);
        let (mut text, segs) = self.join(title_lines);
        text.truncate(title.len().min(text.len()));
        let (nodes, tmsgs) = self.inline(&text, segs, lineno);
        let mut tn = Element::new(Tag::Title, span);
        tn.children = nodes;
        sec.names.push(fully_normalize_name(&tn.astext()));
        sec.push(tn);
        for m in messages {
            sec.push(m);
        }
        for m in tmsgs {
            sec.push(m);
        }
        let msgs = self.doc.note_implicit_target(&mut sec, Some(lineno));
        for m in msgs {
            sec.push(m);
        }
        self.stack.push(sec);
        self.section_level += 1;
    }

    pub fn close_section(&mut self) {
        if self.section_level == 0 || self.stack.len() < 2 {
            self.section_level = 0;
            return;
        }
        if let Some(mut sec) = self.stack.pop() {
            self.section_level -= 1;
            // A section's span starts at its title; it must also cover its
            // body so that child spans nest (diagnostics and the preview map
            // positions back through the tree).
            let start = sec.span.start;
            if let Some(end) = sec
                .children
                .iter()
                .map(Node::span)
                .filter(|s| s.start >= start)
                .map(|s| s.end)
                .max()
            {
                sec.span.end = sec.span.end.max(end);
            }
            self.push(sec);
        }
    }
}

/// (quote lines, attribution lines and their offset, remaining lines)
type AttributionSplit = (Vec<LineView>, Option<(Vec<LineView>, usize)>, Vec<LineView>);

/// Whether `line` is `marker` alone or followed by a space (`marker( +|$)`).
fn starts_with_marker(line: &str, marker: &str) -> bool {
    line.strip_prefix(marker)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
}

/// `>>>( +|$)`: a doctest block.
pub fn starts_doctest(line: &str) -> bool {
    starts_with_marker(line, ">>>")
}

/// `\|( +|$)`: a line block.
pub fn starts_line_block(line: &str) -> bool {
    starts_with_marker(line, "|")
}

/// `\.\.( +|$)`: explicit markup (comment, directive, target, …).
pub fn starts_explicit_markup(line: &str) -> bool {
    starts_with_marker(line, "..")
}

/// `__( +|$)`: an anonymous target.
pub fn starts_anonymous_target(line: &str) -> bool {
    starts_with_marker(line, "__")
}

/// `(nonalphanum7bit)\1* *$`
pub fn is_line_pattern(s: &str) -> bool {
    let t = s.trim_end_matches(' ');
    let mut chars = t.chars();
    match chars.next() {
        Some(c) if is_adornment(c) => chars.all(|d| d == c),
        _ => false,
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
