//! Explicit markup blocks (`.. `): footnotes, citations, hyperlink targets,
//! substitution definitions, directives and comments, plus anonymous
//! targets (`__ url`). docutils' `Body.explicit_markup` and `Explicit` state.

use crate::ast::Attr;
use crate::ast::ids::fully_normalize_name;
use crate::ast::{Element, Tag};
use crate::diag::Severity;

use super::block::{LineView, Parser};
use super::inline::escape2null;

mod targets;

use targets::{hyperlink_target, make_target};

/// After one construct, following explicit-markup lines continue the
/// `Explicit` state; anything else ends it.
pub fn explicit_markup(p: &mut Parser, b: &[LineView], i: usize) -> usize {
    let (end, blank_finish) = explicit_construct(p, b, i);
    finish(p, b, end, blank_finish)
}

fn finish(p: &mut Parser, b: &[LineView], mut end: usize, mut blank_finish: bool) -> usize {
    loop {
        let mut j = end;
        while j < b.len() && p.is_blank(b[j]) {
            j += 1;
        }
        let Some(&r) = b.get(j) else { break };
        let l = p.line_shared(r);
        if l.starts_with("..") && (l.len() == 2 || l.as_bytes().get(2) == Some(&b' ')) {
            let (e, bf) = explicit_construct(p, b, j);
            end = e;
            blank_finish = bf;
        } else if l.starts_with("__") && (l.len() == 2 || l.as_bytes().get(2) == Some(&b' ')) {
            let (e, bf) = anonymous(p, b, j);
            end = e;
            blank_finish = bf;
        } else {
            break;
        }
    }
    if !blank_finish {
        p.unindent_warning("Explicit markup", b, end);
    }
    end
}

pub fn anonymous_target(p: &mut Parser, b: &[LineView], i: usize) -> usize {
    let (end, bf) = anonymous(p, b, i);
    finish(p, b, end, bf)
}

fn anonymous(p: &mut Parser, b: &[LineView], i: usize) -> (usize, bool) {
    let line = p.line_shared(b[i]);
    let mend = 2 + (line.len() - 2 - line[2..].trim_start_matches(' ').len());
    let ind = p.get_first_known_indented(b, i, mend, true, true);
    let (text, _) = p.join(&ind.lines);
    let span = p.line_span(b[i]).cover(p.block_span(&ind.lines));
    let mut t = Element::new(Tag::Target, span);
    t.set(Attr::Anonymous, "1");
    let block: Vec<String> = text.lines().map(escape2null).collect();
    let lineno = p.lineno(b[i]);
    p.doc.register_ids(&mut t, "");
    make_target(p, &mut t, &block, lineno, true);
    p.push(t);
    (ind.end, ind.blank_finish)
}

/// Which explicit construct the line starts.
fn explicit_construct(p: &mut Parser, b: &[LineView], i: usize) -> (usize, bool) {
    let line = p.line_shared(b[i]);
    let rest = &line[2..];
    let sp = rest.len() - rest.trim_start_matches(' ').len();
    let body = &rest[sp..];
    if sp > 0 {
        if let Some(r) = body.strip_prefix('[')
            && let Some(close) = r.find(']')
        {
            let label = &r[..close];
            let after = &r[close + 1..];
            let after_ok = after.is_empty() || after.starts_with(' ');
            if after_ok && !label.is_empty() {
                let is_fn = label.bytes().all(|c| c.is_ascii_digit())
                    || label == "#"
                    || label == "*"
                    || (label.starts_with('#') && is_simplename(&label[1..]));
                if is_fn || is_simplename(label) {
                    let mend = 2
                        + sp
                        + 1
                        + close
                        + 1
                        + (after.len() - after.trim_start_matches(' ').len());
                    return footnote_or_citation(p, b, i, label, mend, is_fn);
                }
            }
        }
        if body.starts_with('_') && body.len() > 1 && !body[1..].starts_with(' ') {
            return hyperlink_target(p, b, i, 2 + sp);
        }
        if let Some(r) = body.strip_prefix('|')
            && !r.is_empty()
            && !r.starts_with(' ')
        {
            return match super::directives::substitution_def(p, b, i, 2 + sp + 1) {
                Some(done) => done,
                None => malformed_substitution(p, b, i),
            };
        }
        if let Some((name, mend)) = directive_name(body) {
            return super::directives::directive(p, b, i, &name, 2 + sp + mend);
        }
    }
    comment(p, b, i)
}

/// `simplename` in full.
pub fn is_simplename(s: &str) -> bool {
    if s.is_empty() {
        return false;
    }
    let mut prev_sep = true;
    for c in s.chars() {
        if c.is_alphanumeric() {
            prev_sep = false;
        } else if matches!(c, '-' | '.' | '_' | '+' | ':') {
            if prev_sep {
                return false;
            }
            prev_sep = true;
        } else {
            return false;
        }
    }
    !prev_sep
}

/// `(simplename)[ ]?::([ ]+|$)`: (name, match end within `body`).
fn directive_name(body: &str) -> Option<(String, usize)> {
    let mut best = None;
    // the name is the longest simplename followed by optional space and "::"
    let mut k = 0;
    for (i, c) in body.char_indices() {
        if !(c.is_alphanumeric() || matches!(c, '-' | '.' | '_' | '+' | ':')) {
            break;
        }
        k = i + c.len_utf8();
    }
    let mut e = k;
    while e > 0 {
        let name = &body[..e];
        if is_simplename(name) {
            let rest = &body[e..];
            let r2 = rest.strip_prefix(' ').unwrap_or(rest);
            if let Some(after) = r2.strip_prefix("::")
                && (after.is_empty() || after.starts_with(' '))
            {
                let sp = after.len() - after.trim_start_matches(' ').len();
                best = Some((name.to_string(), body.len() - after.len() + sp));
                break;
            }
        }
        e -= 1;
        while e > 0 && !body.is_char_boundary(e) {
            e -= 1;
        }
    }
    best
}

/// `\|(?P<name>...)\|([ ]+|$)` after the opening bar: (name, end offset after spaces).
/// docutils' "malformed substitution definition." (no line of the block
/// closes the name): its state machine has already moved to the block's
/// last line, so the comment docutils makes instead is read from there,
/// and the message names that line.
fn malformed_substitution(p: &mut Parser, b: &[LineView], i: usize) -> (usize, bool) {
    let line = p.line_text(b[i]);
    let mend = 2 + (line.len() - 2 - line[2..].trim_start_matches(' ').len());
    let block = p.get_first_known_indented(b, i, mend, false, false);
    let last = block.end.saturating_sub(1).clamp(i, b.len() - 1);
    let done = comment_from(p, b, i, last);
    let m = p.msg(
        Severity::Warning,
        "malformed substitution definition.",
        p.lineno(b[last]),
        p.line_span(b[last]),
    );
    p.push(m);
    done
}

/// How the comment docutils adds after an included file's lines starts
/// (`directives::include`).
const INCLUSION_END: &str = "end of inclusion from \"";

fn comment(p: &mut Parser, b: &[LineView], i: usize) -> (usize, bool) {
    comment_from(p, b, i, i)
}

/// docutils' `comment` for the explicit markup start on line `i`, with
/// its state machine on line `at` (later than `i` only after a malformed
/// substitution definition): the text after the markup start's width
/// on line `at`, and the lines indented under it.
fn comment_from(p: &mut Parser, b: &[LineView], i: usize, at: usize) -> (usize, bool) {
    let line = p.line_shared(b[i]);
    let mend = 2 + (line.len() - 2 - line[2..].trim_start_matches(' ').len());
    let next_blank = b.get(at + 1).is_none_or(|r| p.is_blank(*r));
    if next_blank && line[mend..].trim().is_empty() {
        p.push(Element::new(Tag::Comment, p.line_span(b[i])).with_attr(Attr::XmlSpace, "preserve"));
        return (at + 1, true);
    }
    // the marker docutils puts after an included file's lines: no node
    if next_blank && line[mend..].starts_with(INCLUSION_END) {
        return (at + 1, true);
    }
    // the markup start's width in characters, as Python slices
    let current = p.line_text(b[at]);
    let first = current
        .char_indices()
        .nth(mend)
        .map_or(current.len(), |(k, _)| k);
    let ind = p.get_first_known_indented(b, at, first, false, true);
    let mut lines = ind.lines.clone();
    while lines.last().is_some_and(|l| p.is_blank(*l)) {
        lines.pop();
    }
    let (text, _) = p.join(&lines);
    let span = p.line_span(b[i]).cover(p.block_span(&lines));
    let mut c = Element::new(Tag::Comment, span);
    c.set(Attr::XmlSpace, "preserve");
    if !text.is_empty() {
        c.push_text(text, span);
    }
    p.push(c);
    (ind.end, ind.blank_finish)
}

trait WithAttr {
    fn with_attr(self, k: Attr, v: &str) -> Self;
}

impl WithAttr for Element {
    fn with_attr(mut self, k: Attr, v: &str) -> Self {
        self.set(k, v);
        self
    }
}

/// docutils' "Footnote content expected." (or "Citation"), inside the
/// empty footnote or citation. It gives no line, so the reporter takes
/// its state machine's: the last line of the block, trailing blank lines
/// included. (Inside a nested parse, such as docutils' explicit list: a
/// run of explicit constructs after the first, blank lines between or
/// not, its machine has stayed at the first one's last line; kbgen does
/// not follow it there.)
fn content_expected(p: &Parser, mut e: Element, b: &[LineView], end: usize, what: &str) -> Element {
    let last = b[end.clamp(1, b.len()) - 1];
    let m = p.msg(
        Severity::Warning,
        &format!("{what} content expected."),
        p.lineno(last),
        p.line_span(last),
    );
    e.push(m);
    e
}

fn footnote_or_citation(
    p: &mut Parser,
    b: &[LineView],
    i: usize,
    label: &str,
    mend: usize,
    is_fn: bool,
) -> (usize, bool) {
    let ind = p.get_first_known_indented(b, i, mend, false, true);
    let span = p.line_span(b[i]).cover(p.block_span(&ind.lines));
    let lineno = p.lineno(b[i]);
    if is_fn {
        let mut f = Element::new(Tag::Footnote, span);
        let mut name = fully_normalize_name(label);
        if name.starts_with('#') {
            name = name[1..].to_string();
            f.set(Attr::Auto, "1");
            if !name.is_empty() {
                f.names.push(name.clone());
            }
        } else if name == "*" {
            name.clear();
            f.set(Attr::Auto, "*");
        } else {
            let mut l = Element::new(Tag::Label, span);
            l.push_text(label, span);
            f.push(l);
            f.names.push(name.clone());
        }
        let msgs = if !f.names.is_empty() {
            p.doc.note_explicit_target(&mut f, Some(lineno))
        } else {
            p.doc.register_ids(&mut f, "");
            Vec::new()
        };
        for m in msgs {
            f.push(m);
        }
        let f = if ind.lines.is_empty() {
            content_expected(p, f, b, ind.end, "Footnote")
        } else {
            p.nested(f, &ind.lines)
        };
        p.push(f);
    } else {
        let mut c = Element::new(Tag::Citation, span);
        let name = fully_normalize_name(label);
        let mut l = Element::new(Tag::Label, span);
        l.push_text(label, span);
        c.push(l);
        c.names.push(name);
        let msgs = p.doc.note_explicit_target(&mut c, Some(lineno));
        for m in msgs {
            c.push(m);
        }
        let c = if ind.lines.is_empty() {
            content_expected(p, c, b, ind.end, "Citation")
        } else {
            p.nested(c, &ind.lines)
        };
        p.push(c);
    }
    (ind.end, ind.blank_finish)
}
