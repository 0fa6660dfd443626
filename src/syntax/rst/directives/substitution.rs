//! Substitution definitions: `.. |name| directive:: ...` runs the directive
//! into the definition and keeps its inline results.

use std::collections::HashMap;

use crate::ast::ids::whitespace_normalize_name;
use crate::ast::{Attr, Element, Node, Tag};
use crate::diag::Severity;

use super::super::block::{LineView, Parser};
use super::super::chars::is_space;
use super::super::doc::dupname;
use super::super::inline::escape2null;
use super::run;

/// `.. |name| directive:: ...`, from `start`, the column after `.. |`.
/// The name may run over several lines of the indented block and the
/// directive may start on the line after it, as docutils reads them.
/// `None` when no line of the block ends the name: docutils' "malformed
/// substitution definition" (the caller makes the comment and message).
pub fn substitution_def(
    p: &mut Parser,
    b: &[LineView],
    i: usize,
    start: usize,
) -> Option<(usize, bool)> {
    let lineno = p.lineno(b[i]);
    let span = p.line_span(b[i]);
    let ind = p.get_first_known_indented(b, i, start, false, false);
    let marker = find_marker(p, &ind.lines)?;
    let subname = whitespace_normalize_name(&super::super::inline::unescape(&marker.name));
    // docutils' warnings about the definition quote the name as written
    // (its escapes' backslashes are NUL markers, which the output drops)
    let written = marker.name.replace('\0', "");
    let mut def = Element::new(Tag::SubstitutionDefinition, span);
    def.names.push(subname.clone());
    // The definition's content starts after the name, else on the next
    // line; trailing blank lines do not count.
    let (dline, dcol) = match marker.rest {
        Some(col) => (marker.line, col),
        None => (marker.line + 1, 0),
    };
    let last_content = ind.lines.iter().rposition(|l| !p.is_blank(*l));
    let content = ind
        .lines
        .get(dline)
        .filter(|_| last_content.is_some_and(|k| k >= dline))
        .map(|view| {
            let text = &p.line_text(*view)[dcol..];
            let lead = text.len() - text.trim_start_matches(is_space).len();
            (dcol + lead, text.trim_matches(is_space).to_string())
        });
    let directive = content
        .as_ref()
        .and_then(|(col, text)| directive_after(text).map(|(name, len)| (name, *col, len)));
    let Some((dname, dcol, dlen)) = directive else {
        if content.as_ref().is_some_and(|(_, text)| text.is_empty()) {
            // A blank line first: docutils' nested parse goes on to the
            // indented lines after it, a block quote for the parent.
            let first = (dline..ind.lines.len())
                .find(|k| !p.is_blank(ind.lines[*k]))
                .unwrap_or(dline);
            let quote = p.get_indented(&b[..ind.end.min(b.len())], i + first);
            let elements = p.block_quote_elements(quote.lines);
            p.push_all(elements);
        }
        let bt = p.join(&b[i..ind.end.min(b.len()).max(i + 1)]).0;
        let bt = bt.trim_end().to_string();
        let msg = if content.is_none() {
            format!("Substitution definition \"{written}\" missing contents.")
        } else {
            format!("Substitution definition \"{written}\" empty or invalid.")
        };
        let m = p
            .doc
            .message_with_block(Severity::Warning, &msg, &bt, Some(lineno), span);
        p.push(m);
        return Some((ind.end, ind.blank_finish));
    };
    // the directive's line and column in `b` (the block's views are
    // stripped of the marker and the indentation)
    let at = i + dline;
    let base = (ind.lines[dline].offset - b[at].offset) as usize;
    // run the directive into a temporary container
    p.stack
        .push(Element::new(Tag::SubstitutionDefinition, span));
    let (end, bf) = run(
        p,
        b,
        at,
        &dname,
        base + dcol + dlen,
        Some(subname.clone()),
        Some(base + dcol),
    );
    let tmp = p
        .stack
        .pop()
        .unwrap_or_else(|| Element::new(Tag::SubstitutionDefinition, span));
    // `unicode :trim:` marks the definition it runs in
    for trim in ["ltrim", "rtrim"] {
        if tmp.get_named(trim).is_some() {
            def.set_named(trim, "1");
        }
    }
    // non-inline results (messages, block elements) go to the parent first
    for n in tmp.children {
        match n {
            Node::Element(e) if e.tag.is_inline() || e.tag == Tag::Raw => {
                def.children.push(Node::Element(e))
            }
            Node::Text(t) => def.children.push(Node::Text(t)),
            Node::Element(e) => p.push(*e),
        }
    }
    if let Some(m) = disallowed_content(p, &def, b, i, end, lineno) {
        p.push(m);
        return Some((end, bf));
    }
    if def.children.is_empty() {
        let bt = p
            .join(&b[i..end.min(b.len()).max(i + 1)])
            .0
            .trim_end()
            .to_string();
        let m = p.doc.message_with_block(
            Severity::Warning,
            &format!("Substitution definition \"{written}\" empty or invalid."),
            &bt,
            Some(lineno),
            span,
        );
        p.push(m);
        return Some((end, bf));
    }
    // The definition spans its whole directive block, not only its first
    // line, so the nodes it holds (and their copies at each reference)
    // nest inside it.
    for c in &def.children {
        let s = c.span();
        if s.end > 0 {
            def.span = def.span.cover(s);
        }
    }
    // Line and source text, for "Circular substitution definition
    // detected", which quotes the definition (see transforms/substitutions).
    let raw = p.join(&b[i..end.min(b.len()).max(i + 1)]).0;
    p.doc.mark_line(&mut def, lineno);
    def.set(super::super::inline::RAW, raw.trim_end().to_string());
    if p.subst_defs.contains_key(&subname) {
        // docutils' `note_substitution_def`: the message goes to the parent
        // before the new definition; the earlier definition loses the name
        // to `dupnames` (at the end of parsing, `mark_duplicate_definitions`)
        // and references use the new.
        let m = p.msg(
            Severity::Error,
            &format!("Duplicate substitution definition name: \"{subname}\"."),
            lineno,
            span,
        );
        p.push(m);
        p.duplicate_substitutions = true;
    }
    p.subst_defs.insert(subname.clone(), None);
    p.push(def);
    Some((end, bf))
}

/// docutils' `note_substitution_def` renames an earlier definition of a
/// name defined again to `dupnames` while it parses. Done once when the
/// page is parsed (only if a name was defined twice): every definition of
/// a name but the last, in document order.
pub fn mark_duplicate_definitions(doc: &mut Element) {
    let mut left: HashMap<String, usize> = HashMap::new();
    doc.walk(&mut |e| {
        if e.tag == Tag::SubstitutionDefinition {
            for name in &e.names {
                *left.entry(name.clone()).or_default() += 1;
            }
        }
    });
    doc.walk_mut(&mut |e| {
        if e.tag != Tag::SubstitutionDefinition {
            return;
        }
        for name in e.names.clone() {
            if let Some(n) = left.get_mut(&name) {
                *n -= 1;
                if *n > 0 {
                    dupname(e, &name);
                }
            }
        }
    });
}

/// Where a substitution definition's name ends: the escaped name, the
/// block line holding its closing `|`, and the column (in that line's
/// view) of the text after it, if any.
struct Marker {
    name: String,
    line: usize,
    rest: Option<usize>,
}

/// docutils joins the block's lines (stripped, escaped, one space
/// between) until its pattern matches. A match can only end in the line
/// just added (a `|` at the end of an earlier one would have matched
/// there), so each line is searched once.
fn find_marker(p: &Parser, lines: &[LineView]) -> Option<Marker> {
    let mut escaped = String::new();
    for (k, view) in lines.iter().enumerate() {
        let text = p.line_text(*view);
        let segment = if k == 0 {
            text.trim_end_matches(is_space)
        } else {
            escaped.push(' ');
            text.trim_matches(is_space)
        };
        let from = escaped.len();
        escaped.push_str(&escape2null(segment));
        if let Some((name_end, match_end)) = marker_end(&escaped, from) {
            let tail = escaped.len() - match_end;
            let text_end = text.trim_end_matches(is_space).len();
            return Some(Marker {
                name: escaped[..name_end].to_string(),
                line: k,
                rest: (tail > 0).then(|| text_end - tail),
            });
        }
    }
    None
}

/// docutils' `(?![ ])(?P<name>.+?)(?<![\s\x00])\|([ ]+|$)` from byte
/// `from` of the escaped text: (end of the name, end of the match).
fn marker_end(escaped: &str, from: usize) -> Option<(usize, usize)> {
    for (k, _) in escaped[from..].match_indices('|') {
        let k = from + k;
        let before = escaped[..k].chars().next_back();
        if before.is_none_or(|c| is_space(c) || c == '\0') {
            continue;
        }
        let after = &escaped[k + 1..];
        if after.is_empty() || after.starts_with(' ') {
            let spaces = after.len() - after.trim_start_matches(' ').len();
            return Some((k, k + 1 + spaces));
        }
    }
    None
}

/// docutils refuses a definition holding a `problematic` (a markup error
/// inside it), an anonymous reference, a reference to an auto-numbered
/// footnote, or anything with names or ids (a target): the error replaces
/// the definition.
fn disallowed_content(
    p: &Parser,
    def: &Element,
    b: &[LineView],
    i: usize,
    end: usize,
    lineno: usize,
) -> Option<Element> {
    let mut first: Option<(Tag, &'static str)> = None;
    def.walk(&mut |e| {
        if first.is_some() || std::ptr::eq(e, def) {
            return;
        }
        let illegal = if e.tag == Tag::Problematic {
            ""
        } else if e.tag == Tag::Reference && e.get(Attr::Anonymous).is_some() {
            "Anonymous references"
        } else if e.tag == Tag::FootnoteReference && e.get(Attr::Auto).is_some() {
            "References to auto-numbered and auto-symbol footnotes"
        } else if !e.names.is_empty() || !e.ids.is_empty() {
            "Targets (names and identifiers)"
        } else {
            return;
        };
        first = Some((e.tag, illegal));
    });
    let (tag, illegal) = first?;
    let blocktext = p.join(&b[i..end.min(b.len()).max(i + 1)]).0;
    let blocktext = blocktext.trim_end();
    let span = def.span;
    if tag == Tag::Problematic {
        let mut m = p.doc.message_with_block(
            Severity::Error,
            "Problematic content in substitution definition",
            blocktext,
            Some(lineno),
            span,
        );
        let mut para = Element::new(Tag::Paragraph, span);
        para.children = def.children.clone();
        let mut quote = Element::new(Tag::BlockQuote, span);
        quote.push(para);
        m.push(quote);
        return Some(m);
    }
    Some(p.doc.message_with_block(
        Severity::Error,
        &format!("{illegal} are not supported in a substitution definition."),
        blocktext,
        Some(lineno),
        span,
    ))
}

fn directive_after(s: &str) -> Option<(String, usize)> {
    let mut k = 0;
    for (i, c) in s.char_indices() {
        if !(c.is_alphanumeric() || matches!(c, '-' | '.' | '_' | '+' | ':')) {
            break;
        }
        k = i + c.len_utf8();
    }
    let mut e = k;
    while e > 0 {
        let name = &s[..e];
        if super::super::explicit::is_simplename(name) {
            // `(simplename)::( +|$)`: unlike a directive on its own
            // line, no space before the `::`
            if let Some(after) = s[e..].strip_prefix("::")
                && (after.is_empty() || after.starts_with(' '))
            {
                let sp = after.len() - after.trim_start_matches(' ').len();
                return Some((name.to_string(), s.len() - after.len() + sp));
            }
        }
        e -= 1;
        while e > 0 && !s.is_char_boundary(e) {
            e -= 1;
        }
    }
    None
}
