//! Option lists (`Body.option_marker`, the `OptionList` state).

use crate::ast::Attr;
use crate::ast::{Element, Tag};

use super::super::block::{LineView, Parser};
use super::{ParsedItem, finish_list, following_items};

/// One option of an option list item's marker (`-a ARG`, `--long=ARG`, `/V`).
#[derive(Debug, PartialEq, Eq)]
pub(super) struct OptionSpec {
    /// The option itself, `-a` or `--long`.
    string: String,
    /// What separates it from its argument: `" "`, `"="` or nothing.
    delimiter: String,
    argument: Option<String>,
}

/// Parses an option marker line: its options and where the description starts.
pub(super) fn option_match(line: &str) -> Option<(Vec<OptionSpec>, usize)> {
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
        opts.push(OptionSpec {
            string: optstr,
            delimiter: delim,
            argument: arg,
        });
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
        let spaces = rest.len() - rest.trim_start_matches(' ').len();
        return Some((opts, k + spaces));
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

/// One option list item; `None` when nothing follows the marker, which
/// docutils then re-reads as text ("not an option list item").
fn option_item(
    p: &mut Parser,
    b: &[LineView],
    i: usize,
    options: Vec<OptionSpec>,
    marker_end: usize,
) -> Option<ParsedItem<Element>> {
    let ind = p.get_first_known_indented(b, i, marker_end, false, true);
    if ind.lines.is_empty() {
        return None;
    }
    let span = p.line_span(b[i]).cover(p.block_span(&ind.lines));
    let marker_span = p.line_span(b[i]);
    let mut item = Element::new(Tag::OptionListItem, span);
    let mut group = Element::new(Tag::OptionGroup, marker_span);
    for spec in options {
        let mut option = Element::new(Tag::Option, marker_span);
        let mut string = Element::new(Tag::OptionString, marker_span);
        string.push_text(spec.string, marker_span);
        option.push(string);
        if let Some(argument) = spec.argument {
            let mut arg = Element::new(Tag::OptionArgument, marker_span);
            arg.set(Attr::Delimiter, spec.delimiter);
            arg.push_text(argument, marker_span);
            option.push(arg);
        }
        group.push(option);
    }
    item.push(group);
    let description = Element::new(Tag::Description, p.block_span(&ind.lines));
    item.push(p.nested(description, &ind.lines));
    Some((item, ind.end, ind.blank_finish))
}

pub fn try_option_list(p: &mut Parser, b: &[LineView], i: usize, line: &str) -> Option<usize> {
    let (options, marker_end) = option_match(line)?;
    let list = Element::new(Tag::OptionList, p.line_span(b[i]));
    let first = option_item(p, b, i, options, marker_end)?;
    let run = following_items(p, b, first, |p, b, j, line| {
        let (options, marker_end) = option_match(line)?;
        option_item(p, b, j, options, marker_end)
    });
    Some(finish_list(p, list, b, i, run, "Option list"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(string: &str, delimiter: &str, argument: Option<&str>) -> OptionSpec {
        OptionSpec {
            string: string.into(),
            delimiter: delimiter.into(),
            argument: argument.map(Into::into),
        }
    }

    #[test]
    fn option_markers() {
        assert_eq!(
            option_match("-a  desc"),
            Some((vec![spec("-a", "", None)], 4))
        );
        assert_eq!(
            option_match("-f FILE, --file=FILE  desc"),
            Some((
                vec![
                    spec("-f", " ", Some("FILE")),
                    spec("--file", "=", Some("FILE"))
                ],
                22
            ))
        );
        assert_eq!(
            option_match("-ofile"),
            Some((vec![spec("-o", "", Some("file"))], 6))
        );
        assert_eq!(option_match("/V  x"), Some((vec![spec("/V", "", None)], 4)));
        assert_eq!(
            option_match("--opt=<a b>"),
            Some((vec![spec("--opt", "=", Some("<a b>"))], 11))
        );
        // One space before the description makes it the option's argument,
        // and a second word after that is not an option marker at all.
        assert_eq!(
            option_match("-a desc"),
            Some((vec![spec("-a", " ", Some("desc"))], 7))
        );
        assert_eq!(option_match("-a desc more"), None);
        assert_eq!(option_match("- a  x"), None);
        assert_eq!(option_match("--=x"), None);
    }
}
