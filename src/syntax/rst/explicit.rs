//! Explicit markup blocks (`.. `): footnotes, citations, hyperlink targets,
//! substitution definitions, directives and comments, plus anonymous
//! targets (`__ url`). docutils' `Body.explicit_markup` and `Explicit` state.

use crate::ast::Attr;
use crate::ast::ids::{fully_normalize_name, whitespace_normalize_name};
use crate::ast::{Element, Tag};
use crate::diag::Severity;

use super::block::{LineView, Parser};
use super::inline::{escape2null, unescape};

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
        let l = p.line_text(r).to_string();
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
    let line = p.line_text(b[i]).to_string();
    let mend = 2 + (line.len() - 2 - line[2..].trim_start_matches(' ').len());
    let ind = p.get_first_known_indented(b, i, mend, true, true);
    let (text, _) = p.join(&ind.lines);
    let span = p.line_span(b[i]).cover(p.block_span(&ind.lines));
    let mut t = Element::new(Tag::Target, span);
    t.set(Attr::Anonymous, "1");
    let block: Vec<String> = text.lines().map(str::to_string).collect();
    let lineno = p.lineno(b[i]);
    p.doc.set_id(&mut t, "");
    make_target(p, &mut t, &block, lineno, true);
    p.push(t);
    (ind.end, ind.blank_finish)
}

/// Which explicit construct the line starts.
fn explicit_construct(p: &mut Parser, b: &[LineView], i: usize) -> (usize, bool) {
    let line = p.line_text(b[i]).to_string();
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
            && let Some((name, mend)) = subst_name(r)
        {
            return super::directives::substitution_def(p, b, i, &name, 2 + sp + 1 + mend);
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
fn subst_name(r: &str) -> Option<(String, usize)> {
    let esc = escape2null(r);
    let bytes = esc.as_bytes();
    let mut k = 0;
    while k < bytes.len() {
        if bytes[k] == b'|' && k > 0 && bytes[k - 1] != 0 {
            let name = &r[..k];
            if name.starts_with(' ') || name.ends_with(' ') {
                return None;
            }
            let after = &r[k + 1..];
            if after.is_empty() || after.starts_with(' ') {
                let sp = after.len() - after.trim_start_matches(' ').len();
                return Some((name.to_string(), k + 1 + sp));
            }
            return None;
        }
        k += 1;
    }
    None
}

fn comment(p: &mut Parser, b: &[LineView], i: usize) -> (usize, bool) {
    let line = p.line_text(b[i]).to_string();
    let mend = 2 + (line.len() - 2 - line[2..].trim_start_matches(' ').len());
    let next_blank = b.get(i + 1).is_none_or(|r| p.is_blank(*r));
    if next_blank && line[mend..].trim().is_empty() {
        p.push(Element::new(Tag::Comment, p.line_span(b[i])).with_attr(Attr::XmlSpace, "preserve"));
        return (i + 1, true);
    }
    let ind = p.get_first_known_indented(b, i, mend, false, true);
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
            p.doc.set_id(&mut f, "");
            Vec::new()
        };
        for m in msgs {
            f.push(m);
        }
        let f = if ind.lines.is_empty() {
            f
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
            c
        } else {
            p.nested(c, &ind.lines)
        };
        p.push(c);
    }
    (ind.end, ind.blank_finish)
}

/// `.. _name: target` (and `.. _name:` internal targets).
fn hyperlink_target(p: &mut Parser, b: &[LineView], i: usize, mstart: usize) -> (usize, bool) {
    let lineno = p.lineno(b[i]);
    let ind = p.get_first_known_indented(b, i, mstart, true, false);
    let mut lines: Vec<String> = ind
        .lines
        .iter()
        .map(|r| p.line_text(*r).to_string())
        .collect();
    // the first line starts with "_"
    let blocktext = lines.join("\n");
    let span = p.line_span(b[i]).cover(p.block_span(&ind.lines));
    // docutils: escape2null the block, find the target name end (unescaped colon)
    let joined = escape2null(&lines.join("\n"));
    let esc = joined.as_bytes();
    // name: starts after "_"; if it starts with "`" it ends at "`:"
    let (name_raw, rest_start) = if esc.get(1) == Some(&b'`') {
        let mut k = 2;
        let mut found = None;
        while k + 1 < esc.len() {
            if esc[k] == b'`' && esc[k - 1] != 0 && esc[k + 1] == b':' {
                found = Some(k);
                break;
            }
            k += 1;
        }
        match found {
            Some(k) => (joined[2..k].to_string(), k + 2),
            None => return malformed(p, b, i, &ind, &blocktext, lineno),
        }
    } else {
        let mut k = 1;
        let mut found = None;
        while k < esc.len() {
            if esc[k] == b':'
                && esc[k - 1] != 0
                && (k + 1 == esc.len() || esc[k + 1] == b' ' || esc[k + 1] == b'\n')
            {
                found = Some(k);
                break;
            }
            k += 1;
        }
        match found {
            Some(k) => (joined[1..k].to_string(), k + 1),
            None => return malformed(p, b, i, &ind, &blocktext, lineno),
        }
    };
    let _ = &mut lines;
    let reference: Vec<String> = joined[rest_start..]
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    let name = whitespace_normalize_name(&unescape(&name_raw));
    let mut t = Element::new(Tag::Target, span);
    let is_anon = name == "_";
    if is_anon {
        t.set(Attr::Anonymous, "1");
        p.doc.set_id(&mut t, "");
    } else {
        t.names.push(fully_normalize_name(&name));
    }
    make_target(p, &mut t, &reference, lineno, is_anon);
    p.push(t);
    (ind.end, ind.blank_finish)
}

fn malformed(
    p: &mut Parser,
    b: &[LineView],
    i: usize,
    ind: &super::block::Indented,
    blocktext: &str,
    lineno: usize,
) -> (usize, bool) {
    let full = format!(
        "..{}",
        if blocktext.is_empty() {
            String::new()
        } else {
            format!(" {blocktext}")
        }
    );
    let m = p.doc.message_with_block(
        Severity::Error,
        "Malformed hyperlink target.",
        &full,
        Some(lineno),
        p.line_span(b[i]),
    );
    p.push(m);
    (ind.end, ind.blank_finish)
}

/// `Body.make_target`: decides between internal, external and indirect targets.
fn make_target(p: &mut Parser, t: &mut Element, block: &[String], lineno: usize, anonymous: bool) {
    let joined: String = block.iter().map(|s| s.trim()).collect::<Vec<_>>().join(" ");
    let esc = escape2null(&joined);
    // indirect: `name`_ or name_
    let refname = if esc.ends_with('_') && !esc.ends_with("\0_") && !esc.contains(' ')
        || (esc.starts_with('`') && esc.ends_with("`_"))
    {
        let inner = esc.trim_end_matches('_');
        let inner = inner
            .strip_prefix('`')
            .and_then(|s| s.strip_suffix('`'))
            .unwrap_or(inner);
        Some(fully_normalize_name(&unescape(inner)))
    } else {
        None
    };
    if let Some(rn) = refname.filter(|_| !esc.is_empty()) {
        t.set(Attr::Refname, rn);
        if !anonymous {
            let msgs = p.doc.note_explicit_target(t, Some(lineno));
            for m in msgs {
                p.push(m);
            }
        }
        return;
    }
    // URI: parts joined without whitespace (escaped whitespace kept as space)
    let mut uri = String::new();
    for line in block {
        let e = escape2null(line.trim());
        let mut s = String::new();
        let mut chars = e.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\0' {
                if let Some(&n) = chars.peek()
                    && n == ' '
                {
                    s.push(' ');
                    chars.next();
                    continue;
                }
                s.push('\0');
            } else if !c.is_whitespace() {
                s.push(c);
            }
        }
        uri.push_str(&s);
    }
    let uri = unescape(&uri);
    if !uri.is_empty() {
        t.set(Attr::Refuri, uri);
    }
    if !anonymous {
        let msgs = p.doc.note_explicit_target(t, Some(lineno));
        for m in msgs {
            p.push(m);
        }
    }
}
