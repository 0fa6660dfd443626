//! The block-level parser: docutils' `Body`/`Text`/`Line` states and their
//! specialised list states, written as one loop over a slice of lines.
//!
//! Indented blocks are handed to a nested parse (a new container pushed on
//! [`Parser::stack`]); sections are the bottom of that same stack, so
//! closing sections never needs recursion. Nesting is capped at
//! [`MAX_DEPTH`] to keep hostile input from exhausting the stack.
//!
//! This file holds the parser's state, its line accessors and the `Body`
//! dispatch; the states' transitions live beside it: [`indented`]
//! (`get_indented`), [`quotes`] (block quotes), [`paragraphs`] (the `Text`
//! state) and [`sections`] (titles, transitions, sections).

mod indented;
mod paragraphs;
mod quotes;
mod sections;

use crate::ast::Attr;
use crate::ast::{Element, Node, Span, Tag};
use crate::diag::Severity;

use super::RstOptions;
use super::chars::is_adornment;
use super::doc::Doc;
use super::inline::{SpanMap, parse_inline};
use super::lines::{Line, LineText};

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
    pub include_stack: Vec<super::directives::Inclusion>,
    /// The first entry of docutils' `include_log`: the file holding the
    /// first include that is logged, set then and never removed.
    pub include_log_base: Option<super::directives::Inclusion>,
    /// Number of lines of the main document (later lines come from tables and includes).
    pub main_lines: usize,
    /// Lines (indices into [`Parser::lines`]) whose spans do not show
    /// where they are: an included file's, a CSV cell's. Nodes made from
    /// them carry their line themselves ([`Parser::mark_origin`]).
    pub detached_lines: Vec<DetachedLines>,
    /// The outline of docutils' input lines with the included files'.
    pub input_lines: super::directives::include_input_lines::InputLines,
    /// Value of `.. title::`, which sets the document's `title` attribute.
    pub doc_title: Option<String>,
    /// Substitution definitions by name (`None`: duplicate).
    pub subst_defs: std::collections::HashMap<String, Option<Vec<Node>>>,
    /// Whether a substitution name was defined twice (the earlier
    /// definitions lose it once the page is parsed).
    pub duplicate_substitutions: bool,
    /// A paragraph's joined text and span map, kept between paragraphs
    /// so each does not allocate both anew ([`Parser::join_into`]).
    scratch: (String, Segs),
}

/// Where each line of a joined text starts: (offset in the joined text,
/// line index, byte offset in that line), as [`SpanMap`] reads them.
pub type Segs = Vec<(usize, usize, usize)>;

/// A run of [`Parser::detached_lines`].
pub struct DetachedLines {
    pub lines: std::ops::Range<u32>,
    /// A node's line minus its line's `lineno`: docutils numbers the
    /// nodes of a CSV cell from 1, its messages from the directive's line.
    pub node_line_shift: i64,
}

/// Result of `get_indented` and friends.
pub struct Indented {
    pub lines: Vec<LineView>,
    /// Indentation that was removed (docutils returns it too).
    pub indent: usize,
    /// Index (in the parent block) after the block.
    pub end: usize,
    pub blank_finish: bool,
    /// Index (in the parent block) of the first line kept (after leading blanks).
    pub first: usize,
}

impl<'a> Parser<'a> {
    /// A parser over the lines of a page whose tree starts at `root`.
    pub fn new(lines: Vec<Line>, opts: &'a RstOptions, root: Element) -> Parser<'a> {
        let mut doc = Doc::new(opts.source_name.clone(), opts.allow_raw);
        doc.code_tokens = opts.code_tokens;
        doc.syntax_highlight = opts.syntax_highlight;
        doc.keep_escapes = opts.smart_quotes;
        doc.matching_ids = opts.matching_ids;
        doc.recognition = opts.recognition;
        doc.language_code = opts.language_code.clone();
        doc.auto_id_prefix = opts.auto_id_prefix;
        Parser {
            main_lines: lines.len(),
            detached_lines: Vec::new(),
            input_lines: Default::default(),
            lines,
            doc,
            opts,
            stack: vec![root],
            section_level: 0,
            depth: 0,
            include_stack: Vec::new(),
            include_log_base: None,
            doc_title: None,
            subst_defs: std::collections::HashMap::new(),
            duplicate_substitutions: false,
            scratch: Default::default(),
        }
    }

    /// Views of all lines of the page, from their first byte.
    pub fn all_lines(&self) -> Vec<LineView> {
        (0..self.lines.len() as u32)
            .map(|line| LineView { line, offset: 0 })
            .collect()
    }

    /// The text a line view sees.
    pub fn line_text(&self, r: LineView) -> &str {
        match self.lines.get(r.line as usize) {
            Some(l) => l.text.get(r.offset as usize..).unwrap_or(""),
            None => "",
        }
    }

    /// [`Parser::line_text`] as a handle that shares the line's buffer:
    /// a copy to hold while the parser is borrowed mutably, without
    /// copying the text.
    pub fn line_shared(&self, r: LineView) -> LineText {
        match self.lines.get(r.line as usize) {
            Some(l) => l.text.suffix(r.offset as usize),
            None => LineText::from(""),
        }
    }

    pub fn lineno(&self, r: LineView) -> usize {
        self.lines
            .get(r.line as usize)
            .map(|l| l.lineno)
            .unwrap_or(r.line as usize + 1)
    }

    /// Marks `e`, made from the line `view`, with that line and its file
    /// when the line is a [`Parser::detached_lines`] one: its span points
    /// at the including directive, so `kbgen dump --expose-internals` and
    /// messages about it read them here. Nodes of the page's own lines
    /// keep only their span (one comparison).
    pub fn mark_origin(&self, e: &mut Element, view: LineView) {
        if (view.line as usize) < self.main_lines {
            return;
        }
        let Some(run) = self
            .detached_lines
            .iter()
            .find(|r| r.lines.contains(&view.line))
        else {
            return;
        };
        let line = self.lineno(view) as i64 + run.node_line_shift;
        e.set(Attr::InternalLine, line.to_string());
        let source = self
            .doc
            .current_source
            .as_deref()
            .unwrap_or(&self.opts.source_name);
        e.set(Attr::InternalSource, source.to_string());
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
        let len: usize = b.iter().map(|r| self.line_text(*r).len() + 1).sum();
        let mut s = String::with_capacity(len);
        let mut segs = Vec::with_capacity(b.len());
        self.join_into(b, &mut s, &mut segs);
        (s, segs)
    }

    /// [`Parser::join`] into buffers the caller has (cleared first).
    pub fn join_into(&self, b: &[LineView], s: &mut String, segs: &mut Vec<(usize, usize, usize)>) {
        s.clear();
        segs.clear();
        for (i, r) in b.iter().enumerate() {
            if i > 0 {
                s.push('\n');
            }
            segs.push((s.len(), r.line as usize, r.offset as usize));
            s.push_str(self.line_text(*r));
        }
    }

    /// The paragraph buffers (see `scratch`), taken while in use.
    pub fn take_scratch(&mut self) -> (String, Segs) {
        std::mem::take(&mut self.scratch)
    }

    /// Gives the paragraph buffers back for the next paragraph.
    pub fn put_scratch(&mut self, scratch: (String, Segs)) {
        self.scratch = scratch;
    }

    /// Inline-parses `text` whose byte `k` maps via `segs`.
    pub fn inline(
        &mut self,
        text: &str,
        segs: Vec<(usize, usize, usize)>,
        lineno: usize,
    ) -> (Vec<Node>, Vec<Element>) {
        self.inline_keeping(text, segs, lineno).0
    }

    /// [`Parser::inline`], giving `segs` back for reuse.
    pub fn inline_keeping(
        &mut self,
        text: &str,
        segs: Vec<(usize, usize, usize)>,
        lineno: usize,
    ) -> ((Vec<Node>, Vec<Element>), Segs) {
        let map = SpanMap::new(&self.lines, segs);
        let parsed = parse_inline(&mut self.doc, text, &map, Some(lineno));
        (parsed, map.segs)
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

    pub fn msg(&self, level: Severity, text: &str, line: usize, span: Span) -> Element {
        self.doc.message(level, text, Some(line), span)
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
                Severity::Error,
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
    pub(super) fn body(&mut self, b: &[LineView], i: usize, match_titles: bool) -> usize {
        // Every other construct starts with punctuation or a bullet: a
        // line starting with an ASCII letter or digit (most of them) can
        // only start an enumerated list or text, and seldom may be the
        // former (the line's shared handle is made only then).
        let text = self.line_text(b[i]);
        if text
            .as_bytes()
            .first()
            .is_some_and(u8::is_ascii_alphanumeric)
        {
            if super::lists::may_be_enumerator(text) {
                let line = self.line_shared(b[i]);
                if let Some(n) = super::lists::try_enumerator(self, b, i, &line) {
                    return n;
                }
            }
            return self.text(b, i, match_titles);
        }
        let line = self.line_shared(b[i]);
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

    pub(super) fn doctest(&mut self, b: &[LineView], i: usize) -> usize {
        let mut end = i;
        while end < b.len() && !self.is_blank(b[end]) {
            end += 1;
        }
        let (s, _) = self.join(&b[i..end]);
        let mut n = Element::new(Tag::DoctestBlock, self.block_span(&b[i..end]));
        n.set(Attr::XmlSpace, "preserve");
        n.push_text(s, self.block_span(&b[i..end]));
        self.push(n);
        end
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
            Severity::Warning,
            &format!("{what} ends without a blank line; unexpected unindent."),
            line,
            span,
        );
        self.push(m);
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_need_a_space_or_the_line_end() {
        assert!(starts_doctest(">>> 1 + 1"));
        assert!(starts_doctest(">>>"));
        assert!(!starts_doctest(">>>1"));
        assert!(starts_line_block("| a") && starts_line_block("|"));
        assert!(!starts_line_block("|a|"));
        assert!(starts_explicit_markup(".. note::") && starts_explicit_markup(".."));
        assert!(!starts_explicit_markup("...") && !starts_explicit_markup("..x"));
        assert!(starts_anonymous_target("__ http://x") && !starts_anonymous_target("__x"));
    }

    #[test]
    fn line_patterns_repeat_one_punctuation_character() {
        assert!(is_line_pattern("===="));
        assert!(is_line_pattern("--  "));
        assert!(is_line_pattern("~"));
        assert!(!is_line_pattern("=-=-"));
        assert!(!is_line_pattern("aaaa"));
        assert!(!is_line_pattern(" ===="));
        assert!(!is_line_pattern(""));
    }
}
