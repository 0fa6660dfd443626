//! Enumerated lists (`Body.enumerator`, the `EnumeratedList` state).

use crate::ast::Attr;
use crate::ast::{Element, Tag};
use crate::diag::Severity;

use super::super::block::{LineView, Parser};
use super::{finish_list_then, following_items, list_item};

/// How an enumerator is punctuated: `(1)`, `1)` or `1.`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum EnumFormat {
    Parens,
    Rparen,
    Period,
}

impl EnumFormat {
    /// docutils' `prefix` and `suffix` attributes for this format.
    fn affixes(self) -> (&'static str, &'static str) {
        match self {
            EnumFormat::Parens => ("(", ")"),
            EnumFormat::Rparen => ("", ")"),
            EnumFormat::Period => ("", "."),
        }
    }
}

/// docutils' enumeration sequences, and `#` (auto-numbered).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Sequence {
    Arabic,
    LowerAlpha,
    UpperAlpha,
    LowerRoman,
    UpperRoman,
    Auto,
}

impl Sequence {
    /// In the order docutils tries them (`sequencepats`).
    const TRIED: [Sequence; 5] = [
        Sequence::Arabic,
        Sequence::LowerAlpha,
        Sequence::UpperAlpha,
        Sequence::LowerRoman,
        Sequence::UpperRoman,
    ];

    /// The `enumtype` attribute (`#` lists are arabic).
    fn enumtype(self) -> &'static str {
        match self {
            Sequence::Arabic | Sequence::Auto => "arabic",
            Sequence::LowerAlpha => "loweralpha",
            Sequence::UpperAlpha => "upperalpha",
            Sequence::LowerRoman => "lowerroman",
            Sequence::UpperRoman => "upperroman",
        }
    }

    /// Whether `text` is written in this sequence (docutils' `sequenceregexps`).
    fn matches(self, text: &str) -> bool {
        match self {
            Sequence::Arabic => !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()),
            Sequence::LowerAlpha => text.len() == 1 && text.bytes().all(|b| b.is_ascii_lowercase()),
            Sequence::UpperAlpha => text.len() == 1 && text.bytes().all(|b| b.is_ascii_uppercase()),
            Sequence::LowerRoman => !text.is_empty() && text.chars().all(|c| "ivxlcdm".contains(c)),
            Sequence::UpperRoman => !text.is_empty() && text.chars().all(|c| "IVXLCDM".contains(c)),
            Sequence::Auto => text == "#",
        }
    }
}

/// Whether `line` may start with an enumerator. Every candidate of
/// [`enum_match`] is a run of ASCII letters, digits or `#` followed by
/// `.` or `)`, so that suffix can only stand right after the line's first
/// such run: a line with anything else there (most lines that start a
/// paragraph) is no enumerator, known in one scan.
pub fn may_be_enumerator(line: &str) -> bool {
    let body = line.strip_prefix('(').unwrap_or(line).as_bytes();
    let run = body
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || b == b'#'))
        .unwrap_or(body.len());
    matches!(body.get(run), Some(b'.' | b')'))
}

/// Matches the enumerator regex; returns (format, enumerator text, match end).
pub(super) fn enum_match(line: &str) -> Option<(EnumFormat, String, usize)> {
    if !may_be_enumerator(line) {
        return None;
    }
    let (fmt, body_start) = if line.starts_with('(') {
        (EnumFormat::Parens, 1)
    } else {
        (EnumFormat::Rparen, 0)
    };
    let rest = &line[body_start..];
    // candidate enumerator texts in regex alternation order
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    // At most five candidates (digits, a letter, lower and upper roman
    // numerals, `#`): a fixed array, since this runs on every line that
    // starts a body element.
    let mut found = [0usize; 5];
    let mut count = 0;
    let mut add = |n: usize| {
        if let Some(slot) = found.get_mut(count) {
            *slot = n;
            count += 1;
        }
    };
    if digits > 0 {
        add(digits);
    }
    if rest.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
        add(1);
    }
    let lower_roman = rest.len()
        - rest
            .trim_start_matches(|c: char| "ivxlcdm".contains(c))
            .len();
    if lower_roman > 0 {
        add(lower_roman);
    }
    let upper_roman = rest.len()
        - rest
            .trim_start_matches(|c: char| "IVXLCDM".contains(c))
            .len();
    if upper_roman > 0 {
        add(upper_roman);
    }
    if rest.starts_with('#') {
        add(1);
    }
    let candidates = &found[..count];
    let formats: &[EnumFormat] = if fmt == EnumFormat::Parens {
        &[EnumFormat::Parens]
    } else {
        &[EnumFormat::Rparen, EnumFormat::Period]
    };
    for &f in formats {
        for &n in candidates {
            let suffix = if f == EnumFormat::Period { '.' } else { ')' };
            if rest[n..].starts_with(suffix) {
                let after = body_start + n + 1;
                let tail = &line[after..];
                let spaces = tail.len() - tail.trim_start_matches(' ').len();
                if tail.is_empty() || spaces > 0 {
                    return Some((f, rest[..n].to_string(), after + spaces));
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

/// `parse_enumerator`: the sequence `text` is in (`expected` first, as
/// the list's own sequence wins an ambiguous `i`) and its ordinal.
fn parse_enumerator(text: &str, expected: Option<Sequence>) -> (Option<Sequence>, Option<usize>) {
    let sequence = if text == "#" {
        Some(Sequence::Auto)
    } else if let Some(e) = expected.filter(|e| e.matches(text)) {
        Some(e)
    } else if expected.is_none() && text == "i" {
        Some(Sequence::LowerRoman)
    } else if expected.is_none() && text == "I" {
        Some(Sequence::UpperRoman)
    } else {
        Sequence::TRIED.into_iter().find(|s| s.matches(text))
    };
    let ordinal = match sequence {
        Some(Sequence::Auto) => Some(1),
        Some(Sequence::Arabic) => text.parse::<usize>().ok(),
        Some(Sequence::LowerAlpha | Sequence::UpperAlpha) => text
            .bytes()
            .next()
            .map(|b| (b.to_ascii_lowercase() - b'a') as usize + 1),
        Some(Sequence::LowerRoman | Sequence::UpperRoman) => roman_to_int(text),
        None => None,
    };
    (sequence, ordinal)
}

/// The enumerator for `ordinal` in `sequence` and `format`, followed by a
/// space, and the auto-enumerator `#` in the same format.
fn make_enumerator(
    ordinal: usize,
    sequence: Sequence,
    format: EnumFormat,
) -> Option<(String, String)> {
    let e = match sequence {
        Sequence::Auto => "#".to_string(),
        Sequence::Arabic => ordinal.to_string(),
        Sequence::LowerAlpha | Sequence::UpperAlpha => {
            if ordinal > 26 || ordinal == 0 {
                return None;
            }
            let c = (b'a' + (ordinal - 1) as u8) as char;
            if sequence == Sequence::UpperAlpha {
                c.to_ascii_uppercase().to_string()
            } else {
                c.to_string()
            }
        }
        Sequence::LowerRoman => int_to_roman(ordinal).to_lowercase(),
        Sequence::UpperRoman => int_to_roman(ordinal),
    };
    let (pre, suf) = format.affixes();
    Some((format!("{pre}{e}{suf} "), format!("{pre}#{suf} ")))
}

/// `is_enumerated_list_item`: next line blank, indented, or the next enumerator.
fn is_enum_item(
    p: &Parser,
    b: &[LineView],
    i: usize,
    ordinal: Option<usize>,
    sequence: Option<Sequence>,
    format: EnumFormat,
) -> bool {
    let (Some(ordinal), Some(sequence)) = (ordinal, sequence) else {
        return false;
    };
    let Some(&next) = b.get(i + 1) else {
        return true;
    };
    let next_line = p.line_text(next);
    if next_line.is_empty() || next_line.starts_with(' ') {
        return true;
    }
    match make_enumerator(ordinal + 1, sequence, format) {
        Some((numbered, auto)) => next_line.starts_with(&numbered) || next_line.starts_with(&auto),
        None => false,
    }
}

pub fn try_enumerator(p: &mut Parser, b: &[LineView], i: usize, line: &str) -> Option<usize> {
    let (format, text, marker_end) = enum_match(line)?;
    let (sequence, ordinal) = parse_enumerator(&text, None);
    if !is_enum_item(p, b, i, ordinal, sequence, format) {
        return None;
    }
    let sequence = sequence?;
    let ordinal = ordinal.unwrap_or(1);
    let mut list = Element::new(Tag::EnumeratedList, p.line_span(b[i]));
    p.mark_origin(&mut list, b[i]);
    // `#` lists continue as arabic ones: later items must be arabic or `#`.
    let list_sequence = if sequence == Sequence::Auto {
        Sequence::Arabic
    } else {
        sequence
    };
    list.set(Attr::Enumtype, list_sequence.enumtype());
    let (pre, suf) = format.affixes();
    list.set(Attr::Prefix, pre);
    list.set(Attr::Suffix, suf);
    // docutils adds this INFO to the parent right after the list
    let start_info = (ordinal != 1).then(|| {
        list.set(Attr::Start, ordinal.to_string());
        p.msg(
            Severity::Info,
            &format!("Enumerated list start value not ordinal-1: \"{text}\" (ordinal {ordinal})"),
            p.lineno(b[i]),
            p.line_span(b[i]),
        )
    });
    let first = list_item(p, b, i, marker_end);
    let mut auto = sequence == Sequence::Auto;
    let mut last = ordinal;
    let run = following_items(p, b, first, |p, b, j, line| {
        let (next_format, next_text, marker_end) = enum_match(line)?;
        let (next_sequence, next_ordinal) = parse_enumerator(&next_text, Some(list_sequence));
        let is_auto = next_sequence == Some(Sequence::Auto);
        if next_format != format
            || (!is_auto
                && (next_sequence != Some(list_sequence) || auto || next_ordinal != Some(last + 1)))
            || !is_enum_item(p, b, j, next_ordinal, next_sequence, next_format)
        {
            return None;
        }
        auto |= is_auto;
        last = next_ordinal.unwrap_or(last + 1);
        Some(list_item(p, b, j, marker_end))
    });
    Some(finish_list_then(
        p,
        list,
        start_info,
        b,
        i,
        run,
        "Enumerated list",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enumerators_in_each_format() {
        assert_eq!(
            enum_match("1. a"),
            Some((EnumFormat::Period, "1".into(), 3))
        );
        assert_eq!(
            enum_match("(iv) a"),
            Some((EnumFormat::Parens, "iv".into(), 5))
        );
        assert_eq!(enum_match("B)"), Some((EnumFormat::Rparen, "B".into(), 2)));
        assert_eq!(
            enum_match("#.  x"),
            Some((EnumFormat::Period, "#".into(), 4))
        );
        assert_eq!(enum_match("1.x"), None);
        assert_eq!(enum_match("(1. x"), None);
        assert_eq!(enum_match("ab. x"), None);
    }

    #[test]
    fn sequences_and_ordinals() {
        assert_eq!(
            parse_enumerator("12", None),
            (Some(Sequence::Arabic), Some(12))
        );
        assert_eq!(
            parse_enumerator("c", None),
            (Some(Sequence::LowerAlpha), Some(3))
        );
        // `i` alone is roman unless the list is alphabetic.
        assert_eq!(
            parse_enumerator("i", None),
            (Some(Sequence::LowerRoman), Some(1))
        );
        assert_eq!(
            parse_enumerator("i", Some(Sequence::LowerAlpha)),
            (Some(Sequence::LowerAlpha), Some(9))
        );
        assert_eq!(
            parse_enumerator("XIV", None),
            (Some(Sequence::UpperRoman), Some(14))
        );
        // Non-canonical numerals have no ordinal.
        assert_eq!(
            parse_enumerator("IIII", None),
            (Some(Sequence::UpperRoman), None)
        );
        assert_eq!(parse_enumerator("#", None), (Some(Sequence::Auto), Some(1)));
    }

    #[test]
    fn roman_numerals_round_trip() {
        for n in [1, 4, 9, 14, 40, 90, 400, 1994, 3999, 4999] {
            assert_eq!(roman_to_int(&int_to_roman(n)), Some(n), "{n}");
        }
        assert_eq!(roman_to_int("IC"), None);
        assert_eq!(roman_to_int("MMMMM"), None);
    }

    #[test]
    fn next_enumerators() {
        assert_eq!(
            make_enumerator(3, Sequence::LowerAlpha, EnumFormat::Parens),
            Some(("(c) ".into(), "(#) ".into()))
        );
        assert_eq!(
            make_enumerator(27, Sequence::UpperAlpha, EnumFormat::Period),
            None
        );
        assert_eq!(
            make_enumerator(4, Sequence::LowerRoman, EnumFormat::Rparen),
            Some(("iv) ".into(), "#) ".into()))
        );
    }
}
