//! Section titles and transitions: the `Text` state's underline
//! transition, the `Line` state (overlines, transitions) and
//! `RSTState.section`.

use crate::ast::ids::fully_normalize_name;
use crate::ast::{Attr, Element, Node, Span, Tag};
use crate::diag::Severity;

use super::super::doc::literal_block;
use super::super::lines::column_width;
use super::{LineView, Parser, is_line_pattern};

impl Parser<'_> {
    /// docutils' INFO for a too-short overline that is then read as text;
    /// every branch of the overline check ends this way when it is short.
    pub(super) fn short_overline_info(&mut self, lineno: usize, span: Span) {
        let m = self.msg(
            Severity::Info,
            "Possible incomplete section title.\nTreating the overline as ordinary text because it's so short.",
            lineno,
            span,
        );
        self.push(m);
    }

    /// Text state, underline transition: a title with underline at `b[i+1]`.
    pub(super) fn underline_title(
        &mut self,
        b: &[LineView],
        i: usize,
        match_titles: bool,
    ) -> Option<usize> {
        let title = self.line_shared(b[i]);
        let underline = self.line_shared(b[i + 1]);
        let lineno = self.lineno(b[i + 1]);
        // The title as written, quoted only by messages: joined when one is made.
        let source: [&str; 2] = [&title, &underline];
        let span = self.line_span(b[i]).cover(self.line_span(b[i + 1]));
        let mut messages = Vec::new();
        if column_width(&title) > underline.chars().count() {
            if underline.chars().count() < 4 {
                if match_titles {
                    let m = self.msg(Severity::Info, "Possible title underline, too short for the title.\nTreating it as ordinary text because it's so short.", lineno, span);
                    self.push(m);
                }
                return None;
            }
            let m = self.doc.message_with_block(
                Severity::Warning,
                "Title underline too short.",
                &source.join("\n"),
                Some(lineno),
                span,
            );
            messages.push(m);
        }
        if !match_titles {
            self.push_all(messages);
            let source = source.join("\n");
            return self.title_error("Unexpected section title.", &source, lineno, span, i + 2);
        }
        let style = underline.chars().next().unwrap_or('=').to_string();
        self.section(&[b[i]], &title, &source, style, lineno - 1, messages, span);
        Some(i + 2)
    }

    /// `Body.line`: a line of repeated punctuation (overline or transition).
    pub(super) fn line_state(
        &mut self,
        b: &[LineView],
        i: usize,
        match_titles: bool,
    ) -> Option<usize> {
        let marker = self.line_shared(b[i]);
        let lineno = self.lineno(b[i]);
        let span = self.line_span(b[i]);
        if !match_titles {
            if marker.trim() == "::" {
                return None;
            }
            if marker.trim().chars().count() < 4 {
                let m = self.msg(Severity::Info, "Unexpected possible title overline or transition.\nTreating it as ordinary text because it's so short.", lineno, span);
                self.push(m);
                return None;
            }
            return self.title_error(
                "Unexpected section title or transition.",
                &marker,
                lineno,
                span,
                i + 1,
            );
        }
        let short = marker.trim_end().chars().count() < 4;
        let next_text = b.get(i + 1).map(|&v| self.line_shared(v));
        let Some(title) = next_text.filter(|t| !t.is_empty()) else {
            // Followed by a blank line or the end: a transition.
            if short {
                return None;
            }
            let mut transition = Element::new(Tag::Transition, span);
            self.doc.mark_line(&mut transition, lineno);
            self.push(transition);
            return Some(i + 1);
        };
        let next = b[i + 1];
        // From here on every problem makes a short overline plain text.
        let overline_problem = |p: &mut Self, text: &str, source: &str, sp: Span, next: usize| {
            if short {
                p.short_overline_info(lineno, span);
                return None;
            }
            p.title_error(text, source, lineno, sp, next)
        };
        if is_line_pattern(&title) && !title.starts_with(' ') {
            // Line.underline: two marker lines in a row.
            let source = format!("{marker}\n{title}");
            let sp = span.cover(self.line_span(next));
            let text = "Invalid section title or transition marker.";
            return overline_problem(self, text, &source, sp, i + 2);
        }
        let Some(&underline_view) = b.get(i + 2) else {
            let source = format!("{marker}\n{title}");
            return overline_problem(self, "Incomplete section title.", &source, span, i + 2);
        };
        let underline = self.line_shared(underline_view);
        let source: [&str; 3] = [&marker, &title, &underline];
        let sp = span.cover(self.line_span(underline_view));
        let overline = marker.trim_end();
        if !is_line_pattern(&underline) {
            let text = "Missing matching underline for section title overline.";
            return overline_problem(self, text, &source.join("\n"), sp, i + 3);
        }
        if overline != underline.trim_end() {
            let text = "Title overline & underline mismatch.";
            return overline_problem(self, text, &source.join("\n"), sp, i + 3);
        }
        let title = title.trim_end();
        let mut messages = Vec::new();
        if column_width(title) > overline.chars().count() {
            if short {
                self.short_overline_info(lineno, span);
                return None;
            }
            let m = self.doc.message_with_block(
                Severity::Warning,
                "Title overline too short.",
                &source.join("\n"),
                Some(lineno),
                sp,
            );
            messages.push(m);
        }
        let c = overline.chars().next().unwrap_or('=');
        let style = format!("{c}/{c}");
        let lead = title.len() - title.trim_start().len();
        let title_view = self.strip(next, lead);
        let title = title.trim_start().to_string();
        self.section(
            &[title_view],
            &title,
            &source,
            style,
            lineno + 1,
            messages,
            sp,
        );
        Some(i + 3)
    }

    /// An error quoting the malformed title `source`; parsing goes on at `next`.
    fn title_error(
        &mut self,
        text: &str,
        source: &str,
        lineno: usize,
        span: Span,
        next: usize,
    ) -> Option<usize> {
        let m = self
            .doc
            .message_with_block(Severity::Error, text, source, Some(lineno), span);
        self.push(m);
        Some(next)
    }

    /// `RSTState.section`: checks the level and opens a new section.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn section(
        &mut self,
        title_lines: &[LineView],
        title: &str,
        source: &[&str],
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
                Severity::Error,
                &format!("Inconsistent title style: skip from level {oldlevel} to {newlevel}."),
                Some(lineno),
                span,
            );
            m.push(literal_block(&source.join("\n"), span));
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
        let (mut nodes, tmsgs) = self.inline(&text, segs, lineno);
        // docutils' title takes the state machine's line when it joins the
        // section, the underline's; the inline nodes in it have none and
        // report the title's (an unknown target, an undefined substitution)
        relabel_lines(&mut nodes, lineno + 1);
        let mut tn = Element::new(Tag::Title, span);
        tn.children = nodes;
        sec.names.push(fully_normalize_name(&tn.text_cow()));
        sec.push(tn);
        for m in messages {
            sec.push(m);
        }
        for m in tmsgs {
            sec.push(m);
        }
        // docutils reports a duplicate title's name at the state machine's
        // line: the underline's.
        let msgs = self.doc.note_implicit_target(&mut sec, Some(lineno + 1));
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

/// Moves the line of every node in `nodes` that has one to `line`.
fn relabel_lines(nodes: &mut [Node], line: usize) {
    for node in nodes {
        if let Node::Element(e) = node {
            if e.get(Attr::InternalLine).is_some() {
                e.set(Attr::InternalLine, line.to_string());
            }
            relabel_lines(&mut e.children, line);
        }
    }
}
