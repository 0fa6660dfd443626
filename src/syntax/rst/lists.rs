//! Lists: bullet, enumerated, field, option and definition lists, and line
//! blocks (docutils' `Body.bullet`/`enumerator`/`field_marker`/… and the
//! `BulletList`/`EnumeratedList`/… specialised states).

use crate::ast::{Element, Span, Tag};

use super::block::{LRef, Parser, is_line_pattern};

/// `[-+*•‣⁃]( +|$)`: returns the marker length (bullet + spaces).
fn bullet_match(line: &str) -> Option<(char, usize)> {
    let c = line.chars().next()?;
    if !matches!(c, '-' | '+' | '*' | '\u{2022}' | '\u{2023}' | '\u{2043}') {
        return None;
    }
    let rest = &line[c.len_utf8()..];
    if rest.is_empty() {
        return Some((c, c.len_utf8()));
    }
    let sp = rest.len() - rest.trim_start_matches(' ').len();
    if sp == 0 {
        return None;
    }
    Some((c, c.len_utf8() + sp))
}

/// `Body.list_item`: parses one item whose marker ends at byte `mend`.
fn list_item(p: &mut Parser, b: &[LRef], i: usize, mend: usize) -> (Element, usize, bool) {
    let rest_nonempty = p.t(b[i]).len() > mend;
    let ind = if rest_nonempty {
        p.get_known_indented(b, i, mend)
    } else {
        p.get_first_known_indented(b, i, mend, false, true)
    };
    let span = p.line_span(b[i]).cover(p.block_span(&ind.lines));
    let item = Element::new(Tag::ListItem, span);
    let item = if ind.lines.is_empty() {
        item
    } else {
        p.nested(item, &ind.lines)
    };
    (item, ind.end, ind.blank_finish)
}

pub fn try_bullet(p: &mut Parser, b: &[LRef], i: usize, line: &str) -> Option<usize> {
    let (c, mend) = bullet_match(line)?;
    let mut list = Element::new(Tag::BulletList, p.line_span(b[i]));
    list.set("bullet", c.to_string());
    let (item, mut end, mut blank_finish) = list_item(p, b, i, mend);
    list.push(item);
    loop {
        let mut j = end;
        while j < b.len() && p.blank(b[j]) {
            j += 1;
        }
        let Some(&r) = b.get(j) else { break };
        let l = p.t(r).to_string();
        match bullet_match(&l) {
            Some((c2, m2)) if c2 == c => {
                let (item, e, bf) = list_item(p, b, j, m2);
                list.push(item);
                end = e;
                blank_finish = bf;
            }
            _ => break,
        }
    }
    list.span = list
        .span
        .cover(p.block_span(&b[i..end.min(b.len()).max(i + 1)]));
    p.push(list);
    if !blank_finish {
        p.unindent_warning("Bullet list", b, end);
    }
    Some(end)
}

// ---------------------------------------------------------------- enumerated

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Fmt {
    Parens,
    Rparen,
    Period,
}

/// Matches the enumerator regex; returns (format, enumerator text, match end).
fn enum_match(line: &str) -> Option<(Fmt, String, usize)> {
    let (fmt, body_start) = if line.starts_with('(') {
        (Fmt::Parens, 1)
    } else {
        (Fmt::Rparen, 0)
    };
    let rest = &line[body_start..];
    // candidate enumerator texts in regex alternation order
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let mut cands: Vec<usize> = Vec::new();
    if digits > 0 {
        cands.push(digits);
    }
    if rest.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
        cands.push(1);
    }
    let lr = rest.len()
        - rest
            .trim_start_matches(|c: char| "ivxlcdm".contains(c))
            .len();
    if lr > 0 {
        cands.push(lr);
    }
    let ur = rest.len()
        - rest
            .trim_start_matches(|c: char| "IVXLCDM".contains(c))
            .len();
    if ur > 0 {
        cands.push(ur);
    }
    if rest.starts_with('#') {
        cands.push(1);
    }
    let formats: &[Fmt] = if fmt == Fmt::Parens {
        &[Fmt::Parens]
    } else {
        &[Fmt::Rparen, Fmt::Period]
    };
    for &f in formats {
        for &n in &cands {
            let suffix = if f == Fmt::Period { '.' } else { ')' };
            if rest[n..].starts_with(suffix) {
                let after = body_start + n + 1;
                let tail = &line[after..];
                let sp = tail.len() - tail.trim_start_matches(' ').len();
                if tail.is_empty() || sp > 0 {
                    return Some((f, rest[..n].to_string(), after + sp));
                }
            }
        }
    }
    None
}

fn roman_to_int(s: &str) -> Option<usize> {
    let up = s.to_ascii_uppercase();
    let val = |c: char| match c {
        'I' => 1,
        'V' => 5,
        'X' => 10,
        'L' => 50,
        'C' => 100,
        'D' => 500,
        'M' => 1000,
        _ => 0,
    };
    let cs: Vec<i64> = up.chars().map(val).collect();
    let mut total: i64 = 0;
    for (k, &v) in cs.iter().enumerate() {
        if v == 0 {
            return None;
        }
        if cs.get(k + 1).is_some_and(|&n| n > v) {
            total -= v;
        } else {
            total += v;
        }
    }
    if total <= 0 || total >= 5000 {
        return None;
    }
    let total = total as usize;
    // docutils only accepts canonical numerals
    if int_to_roman(total) != up {
        return None;
    }
    Some(total)
}

fn int_to_roman(mut n: usize) -> String {
    const T: &[(usize, &str)] = &[
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for &(v, r) in T {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

fn seq_matches(seq: &str, text: &str) -> bool {
    match seq {
        "arabic" => !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()),
        "loweralpha" => text.len() == 1 && text.bytes().all(|b| b.is_ascii_lowercase()),
        "upperalpha" => text.len() == 1 && text.bytes().all(|b| b.is_ascii_uppercase()),
        "lowerroman" => !text.is_empty() && text.chars().all(|c| "ivxlcdm".contains(c)),
        "upperroman" => !text.is_empty() && text.chars().all(|c| "IVXLCDM".contains(c)),
        _ => false,
    }
}

/// `parse_enumerator`: (sequence, ordinal).
fn parse_enumerator(text: &str, expected: Option<&str>) -> (String, Option<usize>) {
    let mut seq = String::new();
    if text == "#" {
        seq = "#".into();
    } else if let Some(e) = expected {
        if seq_matches(e, text) {
            seq = e.to_string();
        }
    } else if text == "i" {
        seq = "lowerroman".into();
    } else if text == "I" {
        seq = "upperroman".into();
    }
    if seq.is_empty() {
        for s in [
            "arabic",
            "loweralpha",
            "upperalpha",
            "lowerroman",
            "upperroman",
        ] {
            if seq_matches(s, text) {
                seq = s.into();
                break;
            }
        }
    }
    let ord = match seq.as_str() {
        "#" => Some(1),
        "arabic" => text.parse::<usize>().ok(),
        "loweralpha" | "upperalpha" => text
            .bytes()
            .next()
            .map(|b| (b.to_ascii_lowercase() - b'a') as usize + 1),
        "lowerroman" | "upperroman" => roman_to_int(text),
        _ => None,
    };
    (seq, ord)
}

fn make_enumerator(ordinal: usize, seq: &str, fmt: Fmt) -> Option<(String, String)> {
    let e = match seq {
        "#" => "#".to_string(),
        "arabic" => ordinal.to_string(),
        "loweralpha" | "upperalpha" => {
            if ordinal > 26 || ordinal == 0 {
                return None;
            }
            let c = (b'a' + (ordinal - 1) as u8) as char;
            if seq == "upperalpha" {
                c.to_ascii_uppercase().to_string()
            } else {
                c.to_string()
            }
        }
        "lowerroman" => int_to_roman(ordinal).to_lowercase(),
        "upperroman" => int_to_roman(ordinal),
        _ => return None,
    };
    let (pre, suf) = fmt_affixes(fmt);
    Some((format!("{pre}{e}{suf} "), format!("{pre}#{suf} ")))
}

fn fmt_affixes(f: Fmt) -> (&'static str, &'static str) {
    match f {
        Fmt::Parens => ("(", ")"),
        Fmt::Rparen => ("", ")"),
        Fmt::Period => ("", "."),
    }
}

/// `is_enumerated_list_item`: next line blank, indented, or the next enumerator.
fn is_enum_item(
    p: &Parser,
    b: &[LRef],
    i: usize,
    ordinal: Option<usize>,
    seq: &str,
    fmt: Fmt,
) -> bool {
    let Some(ord) = ordinal else { return false };
    let Some(&n) = b.get(i + 1) else { return true };
    let nl = p.t(n);
    if nl.is_empty() || nl.starts_with(' ') {
        return true;
    }
    match make_enumerator(ord + 1, seq, fmt) {
        Some((a, b2)) => nl.starts_with(&a) || nl.starts_with(&b2),
        None => false,
    }
}

pub fn try_enumerator(p: &mut Parser, b: &[LRef], i: usize, line: &str) -> Option<usize> {
    let (fmt, text, mend) = enum_match(line)?;
    let (seq, ordinal) = parse_enumerator(&text, None);
    if !is_enum_item(p, b, i, ordinal, &seq, fmt) {
        return None;
    }
    let ordinal = ordinal.unwrap_or(1);
    let mut list = Element::new(Tag::EnumeratedList, p.line_span(b[i]));
    let enumtype = if seq == "#" {
        "arabic".to_string()
    } else {
        seq.clone()
    };
    list.set("enumtype", enumtype.clone());
    let (pre, suf) = fmt_affixes(fmt);
    list.set("prefix", pre);
    list.set("suffix", suf);
    if ordinal != 1 {
        list.set("start", ordinal.to_string());
        let m = p.msg(
            1,
            &format!("Enumerated list start value not ordinal-1: \"{text}\" (ordinal {ordinal})"),
            p.lineno(b[i]),
            p.line_span(b[i]),
        );
        p.push(m);
    }
    let (item, mut end, mut blank_finish) = list_item(p, b, i, mend);
    list.push(item);
    let mut auto = seq == "#";
    let mut last = ordinal;
    loop {
        let mut j = end;
        while j < b.len() && p.blank(b[j]) {
            j += 1;
        }
        let Some(&r) = b.get(j) else { break };
        let l = p.t(r).to_string();
        let Some((f2, t2, m2)) = enum_match(&l) else {
            break;
        };
        let (s2, o2) = parse_enumerator(&t2, Some(&enumtype));
        if f2 != fmt
            || (s2 != "#" && (s2 != enumtype || auto || o2 != Some(last + 1)))
            || !is_enum_item(p, b, j, o2, &s2, f2)
        {
            break;
        }
        if s2 == "#" {
            auto = true;
        }
        let (item, e, bf) = list_item(p, b, j, m2);
        list.push(item);
        end = e;
        blank_finish = bf;
        last = o2.unwrap_or(last + 1);
    }
    list.span = list
        .span
        .cover(p.block_span(&b[i..end.min(b.len()).max(i + 1)]));
    p.push(list);
    if !blank_finish {
        p.unindent_warning("Enumerated list", b, end);
    }
    Some(end)
}

// ---------------------------------------------------------------- field lists

/// `:(?![: ])([^:\\]|\\.|:(?!([ `]|$)))*(?<! ):( +|$)`: returns (name, match end).
pub fn field_match(line: &str) -> Option<(String, usize)> {
    let b = line.as_bytes();
    if b.first() != Some(&b':') || matches!(b.get(1), Some(b':') | Some(b' ') | None) {
        return None;
    }
    // scan for the closing colon, trying each candidate (regex backtracking picks the first that works)
    let mut k = 1;
    while k < b.len() {
        match b[k] {
            b'\\' => {
                k += 2;
                continue;
            }
            b':' => {
                let next = b.get(k + 1);
                let closes = k > 1 && b[k - 1] != b' ' && (next.is_none() || next == Some(&b' '));
                if closes {
                    let tail = &line[k + 1..];
                    let sp = tail.len() - tail.trim_start_matches(' ').len();
                    return Some((line[1..k].to_string(), k + 1 + sp));
                }
                // an inner colon is allowed unless followed by space, backquote or end
                if matches!(next, Some(b' ') | Some(b'`') | None) {
                    return None;
                }
            }
            _ => {}
        }
        k += 1;
    }
    None
}

fn field(p: &mut Parser, b: &[LRef], i: usize, name: &str, mend: usize) -> (Element, usize, bool) {
    let lineno = p.lineno(b[i]);
    let ind = p.get_first_known_indented(b, i, mend, false, true);
    let span = p.line_span(b[i]).cover(p.block_span(&ind.lines));
    let mut f = Element::new(Tag::Field, span);
    f.set(super::inline::LINE, lineno.to_string());
    let name_span = p.line_span(b[i]);
    let segs = vec![(0usize, b[i].li as usize, b[i].off as usize + 1)];
    let (nodes, msgs) = p.inline(name, segs, lineno);
    let mut fname = Element::new(Tag::FieldName, name_span);
    fname.children = nodes;
    f.push(fname);
    let fb = Element::new(Tag::FieldBody, p.block_span(&ind.lines));
    let mut fb = if ind.lines.is_empty() {
        fb
    } else {
        p.nested(fb, &ind.lines)
    };
    // inline messages of the name go into the body first (docutils: field_body += messages)
    if !msgs.is_empty() {
        let mut kids: Vec<crate::ast::Node> = msgs.into_iter().map(Into::into).collect();
        kids.append(&mut fb.children);
        fb.children = kids;
    }
    f.push(fb);
    (f, ind.end, ind.blank_finish)
}

pub fn try_field_list(p: &mut Parser, b: &[LRef], i: usize, line: &str) -> Option<usize> {
    let (name, mend) = field_match(line)?;
    let mut list = Element::new(Tag::FieldList, p.line_span(b[i]));
    let (f, mut end, mut blank_finish) = field(p, b, i, &name, mend);
    list.push(f);
    loop {
        let mut j = end;
        while j < b.len() && p.blank(b[j]) {
            j += 1;
        }
        let Some(&r) = b.get(j) else { break };
        let l = p.t(r).to_string();
        let Some((n2, m2)) = field_match(&l) else {
            break;
        };
        let (f, e, bf) = field(p, b, j, &n2, m2);
        list.push(f);
        end = e;
        blank_finish = bf;
    }
    list.span = list
        .span
        .cover(p.block_span(&b[i..end.min(b.len()).max(i + 1)]));
    p.push(list);
    if !blank_finish {
        p.unindent_warning("Field list", b, end);
    }
    Some(end)
}

// ---------------------------------------------------------------- option lists

/// Parses an option marker line; returns (options with (string, delimiter, argument), match end).
/// (option string, delimiter, argument)
type OptionParts = Vec<(String, String, Option<String>)>;

fn option_match(line: &str) -> Option<(OptionParts, usize)> {
    let b = line.as_bytes();
    let mut k = 0;
    let mut opts = Vec::new();
    loop {
        let start = k;
        let (name_end, long) = if line[k..].starts_with("--") {
            let s = k + 2;
            let e = optname_end(b, s)?;
            (e, true)
        } else if b.get(k) == Some(&b'/') {
            let e = optname_end(b, k + 1)?;
            (e, true)
        } else if matches!(b.get(k), Some(b'-') | Some(b'+')) {
            if !b.get(k + 1).is_some_and(|c| c.is_ascii_alphanumeric()) {
                return None;
            }
            (k + 2, false)
        } else {
            return None;
        };
        let optstr = line[start..name_end].to_string();
        k = name_end;
        let mut delim = String::new();
        let mut arg = None;
        // optional argument
        let try_arg = |at: usize| -> Option<usize> {
            match b.get(at) {
                Some(b'<') => {
                    let close = line[at + 1..].find('>')? + at + 1;
                    if close == at + 1 || line[at + 1..close].contains('<') {
                        return None;
                    }
                    Some(close + 1)
                }
                Some(c) if c.is_ascii_alphabetic() => {
                    let mut e = at + 1;
                    while b
                        .get(e)
                        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-')
                    {
                        e += 1;
                    }
                    Some(e)
                }
                _ => None,
            }
        };
        let dchars: &[u8] = if long { b" =" } else { b" " };
        if let Some(&d) = b.get(k) {
            if dchars.contains(&d) {
                if let Some(e) = try_arg(k + 1) {
                    // for short options "-a b" a space is allowed; "  " (two spaces) ends the marker
                    delim = (d as char).to_string();
                    arg = Some(line[k + 1..e].to_string());
                    k = e;
                }
            } else if !long && let Some(e) = try_arg(k) {
                arg = Some(line[k..e].to_string());
                k = e;
            }
        }
        opts.push((optstr, delim, arg));
        if line[k..].starts_with(", ")
            && matches!(b.get(k + 2), Some(b'-') | Some(b'+') | Some(b'/'))
        {
            k += 2;
            continue;
        }
        break;
    }
    let rest = &line[k..];
    if rest.is_empty() || rest == " " {
        return Some((opts, line.len()));
    }
    if rest.starts_with("  ") {
        let sp = rest.len() - rest.trim_start_matches(' ').len();
        return Some((opts, k + sp));
    }
    None
}

fn optname_end(b: &[u8], s: usize) -> Option<usize> {
    if !b.get(s).is_some_and(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let mut e = s + 1;
    while b
        .get(e)
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-')
    {
        e += 1;
    }
    Some(e)
}

fn option_item(
    p: &mut Parser,
    b: &[LRef],
    i: usize,
    opts: Vec<(String, String, Option<String>)>,
    mend: usize,
) -> Option<(Element, usize, bool)> {
    let ind = p.get_first_known_indented(b, i, mend, false, true);
    if ind.lines.is_empty() {
        // "not an option list item": docutils re-reads the line as text
        return None;
    }
    let span = p.line_span(b[i]).cover(p.block_span(&ind.lines));
    let mut item = Element::new(Tag::OptionListItem, span);
    let mut group = Element::new(Tag::OptionGroup, p.line_span(b[i]));
    for (s, d, a) in opts {
        let mut o = Element::new(Tag::Option, p.line_span(b[i]));
        let mut os = Element::new(Tag::OptionString, p.line_span(b[i]));
        os.push_text(s, p.line_span(b[i]));
        o.push(os);
        if let Some(a) = a {
            let mut oa = Element::new(Tag::OptionArgument, p.line_span(b[i]));
            oa.set("delimiter", d);
            oa.push_text(a, p.line_span(b[i]));
            o.push(oa);
        }
        group.push(o);
    }
    item.push(group);
    let desc = Element::new(Tag::Description, p.block_span(&ind.lines));
    let desc = if ind.lines.is_empty() {
        desc
    } else {
        p.nested(desc, &ind.lines)
    };
    item.push(desc);
    Some((item, ind.end, ind.blank_finish))
}

pub fn try_option_list(p: &mut Parser, b: &[LRef], i: usize, line: &str) -> Option<usize> {
    let (opts, mend) = option_match(line)?;
    let mut list = Element::new(Tag::OptionList, p.line_span(b[i]));
    let (it, mut end, mut blank_finish) = option_item(p, b, i, opts, mend)?;
    list.push(it);
    loop {
        let mut j = end;
        while j < b.len() && p.blank(b[j]) {
            j += 1;
        }
        let Some(&r) = b.get(j) else { break };
        let l = p.t(r).to_string();
        let Some((o2, m2)) = option_match(&l) else {
            break;
        };
        let Some((it, e, bf)) = option_item(p, b, j, o2, m2) else {
            break;
        };
        list.push(it);
        end = e;
        blank_finish = bf;
    }
    // Like the other lists: the list spans its items, not its first line.
    list.span = list
        .span
        .cover(p.block_span(&b[i..end.min(b.len()).max(i + 1)]));
    p.push(list);
    if !blank_finish {
        p.unindent_warning("Option list", b, end);
    }
    Some(end)
}

// ---------------------------------------------------------------- definition lists

fn definition_item(p: &mut Parser, b: &[LRef], i: usize) -> (Element, usize, bool) {
    let term_line = b[i];
    let dt_lineno = p.lineno(term_line);
    let ind = p.get_indented(b, i + 1);
    let span = p.line_span(term_line).cover(p.block_span(&ind.lines));
    let mut item = Element::new(Tag::DefinitionListItem, span);
    let term_text = p.t(term_line).to_string();
    let (nodes, msgs) = p.inline_lines(&[term_line], None, dt_lineno);
    // split classifiers on " : " in text nodes
    let mut term = Element::new(Tag::Term, p.line_span(term_line));
    let mut out: Vec<Element> = Vec::new();
    for n in nodes {
        match n {
            crate::ast::Node::Text(t)
                if t.text.contains(" : ") || classifier_split(&t.text).len() > 1 =>
            {
                let parts = classifier_split(&t.text);
                let mut first = true;
                for part in parts {
                    if first {
                        let tx = part.trim_end().to_string();
                        if !tx.is_empty() {
                            let cur = out.last_mut().unwrap_or(&mut term);
                            cur.push_text(tx, t.span);
                        }
                        first = false;
                    } else {
                        let mut c = Element::new(Tag::Classifier, t.span);
                        c.push_text(part, t.span);
                        out.push(c);
                    }
                }
            }
            other => {
                let cur = out.last_mut().unwrap_or(&mut term);
                cur.push(other);
            }
        }
    }
    item.push(term);
    for c in out {
        item.push(c);
    }
    let mut dd = Element::new(Tag::Definition, p.block_span(&ind.lines));
    for m in msgs {
        dd.push(m);
    }
    if term_text.ends_with("::") {
        let l = ind
            .lines
            .first()
            .map(|r| p.lineno(*r))
            .unwrap_or(dt_lineno + 1);
        let m = p.msg(1, "Blank line missing before literal block (after the \"::\")? Interpreted as a definition list item.", l, p.line_span(term_line));
        dd.push(m);
    }
    let dd = p.nested(dd, &ind.lines);
    item.push(dd);
    (item, ind.end, ind.blank_finish)
}

/// `' +: +'` split.
fn classifier_split(s: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let b = s.as_bytes();
    let mut last = 0;
    let mut k = 0;
    while k < b.len() {
        if b[k] == b' ' {
            let mut e = k;
            while e < b.len() && b[e] == b' ' {
                e += 1;
            }
            if e < b.len() && b[e] == b':' {
                let mut f = e + 1;
                let s2 = f;
                while f < b.len() && b[f] == b' ' {
                    f += 1;
                }
                if f > s2 {
                    parts.push(s[last..k].to_string());
                    last = f;
                    k = f;
                    continue;
                }
            }
            k = e;
            continue;
        }
        k += 1;
    }
    parts.push(s[last..].to_string());
    parts
}

pub fn definition_list(p: &mut Parser, b: &[LRef], i: usize) -> usize {
    let mut list = Element::new(Tag::DefinitionList, p.line_span(b[i]));
    let (it, mut end, mut blank_finish) = definition_item(p, b, i);
    list.push(it);
    loop {
        let mut j = end;
        while j < b.len() && p.blank(b[j]) {
            j += 1;
        }
        let Some(&r) = b.get(j) else { break };
        let l = p.t(r).to_string();
        if l.starts_with(' ') || is_body_start(&l) {
            break;
        }
        match b.get(j + 1) {
            Some(&n) if p.t(n).starts_with(' ') => {}
            _ => break,
        }
        let (it, e, bf) = definition_item(p, b, j);
        list.push(it);
        end = e;
        blank_finish = bf;
    }
    list.span = list
        .span
        .cover(p.block_span(&b[i..end.min(b.len()).max(i + 1)]));
    p.push(list);
    if !blank_finish {
        p.unindent_warning("Definition list", b, end);
    }
    end
}

/// Whether a line would be taken by a `Body` transition other than `text`
/// (the `DefinitionList` state treats those as the end of the list).
fn is_body_start(l: &str) -> bool {
    bullet_match(l).is_some()
        || enum_match(l).is_some()
        || field_match(l).is_some()
        || option_match(l).is_some()
        || l.starts_with(">>>") && (l.len() == 3 || l.as_bytes().get(3) == Some(&b' '))
        || l.starts_with('|') && (l.len() == 1 || l.as_bytes().get(1) == Some(&b' '))
        || super::tables::is_grid_top(l)
        || super::tables::is_simple_top(l)
        || l.starts_with("..") && (l.len() == 2 || l.as_bytes().get(2) == Some(&b' '))
        || l.starts_with("__") && (l.len() == 2 || l.as_bytes().get(2) == Some(&b' '))
        || is_line_pattern(l)
}

// ---------------------------------------------------------------- line blocks

fn line_block_marker(l: &str) -> Option<usize> {
    if !l.starts_with('|') {
        return None;
    }
    let rest = &l[1..];
    if rest.is_empty() {
        return Some(1);
    }
    let sp = rest.len() - rest.trim_start_matches(' ').len();
    (sp > 0).then_some(1 + sp)
}

/// One `| text` line: (line element, indent if not empty, messages, end, blank_finish).
fn line_block_line(
    p: &mut Parser,
    b: &[LRef],
    j: usize,
    m: usize,
) -> (Element, Option<usize>, Vec<Element>, usize, bool) {
    let r = b[j];
    let ind = p.get_first_known_indented(b, j, m, true, true);
    let lineno = p.lineno(r);
    let (text, segs) = p.join(&ind.lines);
    let (nodes, msgs) = p.inline(&text, segs, lineno);
    let mut line = Element::new(Tag::Line, p.block_span(&ind.lines).cover(p.line_span(r)));
    line.children = nodes;
    let raw = p.t(r);
    let indent = if raw.trim_end() != "|" {
        Some(m - 2)
    } else {
        None
    };
    (line, indent, msgs, ind.end.max(j + 1), ind.blank_finish)
}

pub fn line_block(p: &mut Parser, b: &[LRef], i: usize) -> usize {
    let lineno = p.lineno(b[i]);
    let Some(m) = line_block_marker(p.t(b[i])) else {
        return i + 1;
    };
    let (first, ind0, msgs, mut end, mut blank_finish) = line_block_line(p, b, i, m);
    let mut lines = vec![(first, ind0)];
    let mut all_msgs = msgs;
    if !blank_finish {
        // LineBlock state: further `|` lines (blank lines in between are skipped)
        loop {
            let mut j = end;
            while j < b.len() && p.blank(b[j]) {
                j += 1;
            }
            let Some(&r) = b.get(j) else { break };
            let l = p.t(r).to_string();
            let Some(m2) = line_block_marker(&l) else {
                break;
            };
            let (line, ind, msgs, e, bf) = line_block_line(p, b, j, m2);
            lines.push((line, ind));
            all_msgs.extend(msgs);
            end = e;
            blank_finish = bf;
        }
    }
    let span = p.block_span(&b[i..end.min(b.len()).max(i + 1)]);
    // nest_line_block_lines: missing indents inherit the previous one
    let mut items: Vec<(Element, usize)> = Vec::new();
    let mut prev = 0;
    for (k, (l, ind)) in lines.into_iter().enumerate() {
        let v = match ind {
            Some(v) => v,
            None if k == 0 => 0,
            None => prev,
        };
        prev = v;
        items.push((l, v));
    }
    let block = nest_segment(items, span, 0);
    p.push(block);
    p.push_all(all_msgs);
    if !blank_finish {
        let (line, sp) = match b.get(end) {
            Some(r) => (p.lineno(*r), p.line_span(*r)),
            None => (lineno + 1, span),
        };
        let _ = line;
        let m = p.msg(2, "Line block ends without a blank line.", lineno + 1, sp);
        p.push(m);
    }
    end
}

/// `nest_line_block_segment`: lines indented more than the least indent
/// go into nested line blocks (depth-capped).
fn nest_segment(items: Vec<(Element, usize)>, span: Span, depth: usize) -> Element {
    let mut block = Element::new(Tag::LineBlock, span);
    let least = items.iter().map(|(_, i)| *i).min().unwrap_or(0);
    let mut pending: Vec<(Element, usize)> = Vec::new();
    for (l, ind) in items {
        if ind > least && depth < super::block::MAX_DEPTH {
            pending.push((l, ind));
        } else {
            if !pending.is_empty() {
                block.push(nest_segment(std::mem::take(&mut pending), span, depth + 1));
            }
            block.push(l);
        }
    }
    if !pending.is_empty() {
        block.push(nest_segment(pending, span, depth + 1));
    }
    block
}
