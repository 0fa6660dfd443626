//! Substitution definitions: `.. |name| directive:: ...` runs the directive
//! into the definition and keeps its inline results.

use crate::ast::ids::whitespace_normalize_name;
use crate::ast::{Attr, Element, Node, Tag};
use crate::diag::Severity;

use super::super::block::{LineView, Parser};
use super::run;

/// `.. |name| directive:: ...`
pub fn substitution_def(
    p: &mut Parser,
    b: &[LineView],
    i: usize,
    name: &str,
    mend: usize,
) -> (usize, bool) {
    let lineno = p.lineno(b[i]);
    let line = p.line_text(b[i]).to_string();
    let after = line.get(mend..).unwrap_or("").to_string();
    let span = p.line_span(b[i]);
    let subname = whitespace_normalize_name(&super::super::inline::unescape(
        &super::super::inline::escape2null(name),
    ));
    let mut def = Element::new(Tag::SubstitutionDefinition, span);
    def.names.push(subname.clone());
    // the directive on the rest of the line
    let Some((dname, dlen)) = directive_after(&after) else {
        let ind = p.get_first_known_indented(b, i, mend, false, false);
        let bt = p.join(&b[i..ind.end.min(b.len()).max(i + 1)]).0;
        let bt = bt.trim_end().to_string();
        let msg = if after.trim().is_empty() && ind.lines.iter().all(|l| p.is_blank(*l)) {
            format!("Substitution definition \"{subname}\" missing contents.")
        } else {
            format!("Substitution definition \"{subname}\" empty or invalid.")
        };
        let m = p
            .doc
            .message_with_block(Severity::Warning, &msg, &bt, Some(lineno), span);
        p.push(m);
        return (ind.end, ind.blank_finish);
    };
    // run the directive into a temporary container
    p.stack
        .push(Element::new(Tag::SubstitutionDefinition, span));
    let (end, bf) = run(
        p,
        b,
        i,
        &dname,
        mend + dlen,
        Some(subname.clone()),
        Some(mend),
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
        return (end, bf);
    }
    if def.children.is_empty() {
        let bt = p
            .join(&b[i..end.min(b.len()).max(i + 1)])
            .0
            .trim_end()
            .to_string();
        let m = p.doc.message_with_block(
            Severity::Warning,
            &format!("Substitution definition \"{subname}\" empty or invalid."),
            &bt,
            Some(lineno),
            span,
        );
        p.push(m);
        return (end, bf);
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
        // to `dupnames` (done by the transform) and references use the new.
        let m = p.msg(
            Severity::Error,
            &format!("Duplicate substitution definition name: \"{subname}\"."),
            lineno,
            span,
        );
        p.push(m);
    }
    p.subst_defs.insert(subname.clone(), None);
    p.push(def);
    (end, bf)
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
            let rest = &s[e..];
            let r2 = rest.strip_prefix(' ').unwrap_or(rest);
            if let Some(after) = r2.strip_prefix("::")
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
