//! The directive block's arguments and options (`parse_directive_block`,
//! `parse_extension_options`) and the option value converters.

use super::super::block::{LineView, Parser};
use super::super::lists::field_match;
use super::{Opt, Spec, measures};
use crate::ast::ids::{make_id, whitespace_normalize_name};
use crate::python_text::str_repr as py_repr;

type Parsed = (Vec<String>, Vec<(String, String)>, Vec<LineView>);

/// `parse_directive_block`.
pub(super) fn parse_block(
    p: &Parser,
    indented: &[LineView],
    spec: &Spec,
) -> Result<Parsed, String> {
    let mut ind: Vec<LineView> = indented.to_vec();
    if ind.first().is_some_and(|l| p.is_blank(*l)) {
        ind.remove(0);
    }
    while ind.last().is_some_and(|l| p.is_blank(*l)) {
        ind.pop();
    }
    let has_args = spec.req > 0 || spec.opt > 0;
    let (mut arg_block, mut content, split) =
        if !ind.is_empty() && (has_args || !spec.options.is_empty()) {
            let i = ind.iter().position(|l| p.is_blank(*l)).unwrap_or(ind.len());
            (
                ind[..i].to_vec(),
                ind.get(i + 1..).map(|s| s.to_vec()).unwrap_or_default(),
                i,
            )
        } else {
            (Vec::new(), ind.clone(), 0)
        };
    let mut options = Vec::new();
    if !spec.options.is_empty()
        && let Some(k) = arg_block
            .iter()
            .position(|l| field_match(p.line_text(*l)).is_some())
    {
        let opt_block = arg_block.split_off(k);
        options = parse_options(p, &opt_block, spec)?;
    }
    if !arg_block.is_empty() && !has_args {
        let mut c = arg_block.clone();
        c.extend_from_slice(ind.get(split..).unwrap_or(&[]));
        content = c;
        arg_block.clear();
    }
    while content.first().is_some_and(|l| p.is_blank(*l)) {
        content.remove(0);
    }
    let args = if has_args {
        let text = p.join(&arg_block).0;
        let words: Vec<&str> = text.split_whitespace().collect();
        if words.len() < spec.req {
            return Err(format!(
                "{} argument(s) required, {} supplied",
                spec.req,
                words.len()
            ));
        } else if words.len() > spec.req + spec.opt {
            if spec.final_ws {
                split_n(&text, spec.req + spec.opt)
            } else {
                return Err(format!(
                    "maximum {} argument(s) allowed, {} supplied",
                    spec.req + spec.opt,
                    words.len()
                ));
            }
        } else {
            words.iter().map(|s| s.to_string()).collect()
        }
    } else {
        Vec::new()
    };
    if !content.is_empty() && !spec.content {
        return Err("no content permitted".into());
    }
    Ok((args, options, content))
}

/// Python's `str.split(None, n - 1)`.
fn split_n(text: &str, n: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text.trim_start();
    while out.len() + 1 < n {
        match rest.find(char::is_whitespace) {
            Some(k) => {
                out.push(rest[..k].to_string());
                rest = rest[k..].trim_start();
            }
            None => break,
        }
    }
    if !rest.is_empty() {
        out.push(rest.trim_end().to_string());
    }
    out
}

/// Parses the option field list with the spec's converters.
fn parse_options(
    p: &Parser,
    lines: &[LineView],
    spec: &Spec,
) -> Result<Vec<(String, String)>, String> {
    // group lines into fields: a field marker line and its indented continuation
    let mut out: Vec<(String, String)> = Vec::new();
    // docutils' `extract_options` looks at every field name first
    for l in lines {
        if let Some((name, _)) = field_match(p.line_text(*l))
            && name.split_whitespace().count() != 1
        {
            return Err(
                "invalid option data: extension option field name may not contain multiple words"
                    .to_string(),
            );
        }
    }
    let mut k = 0;
    while k < lines.len() {
        let l = p.line_shared(lines[k]);
        let Some((name, mend)) = field_match(&l) else {
            return Err("invalid option block".into());
        };
        let first = l[mend..].to_string();
        k += 1;
        let from = k;
        while k < lines.len() && p.line_text(lines[k]).starts_with(' ') {
            k += 1;
        }
        let rest: Vec<&str> = lines[from..k].iter().map(|v| p.line_text(*v)).collect();
        let raw = option_data(&first, &rest).ok_or_else(|| {
            format!(
                "invalid option data: extension option field body may contain\na single paragraph only (option \"{name}\")"
            )
        })?;
        let Some(&(_, kind)) = spec.options.iter().find(|(n, _)| *n == name) else {
            return Err(format!("unknown option: \"{name}\""));
        };
        if out.iter().any(|(n, _)| *n == name) {
            return Err(format!("invalid option data: duplicate option \"{name}\""));
        }
        let value = convert(kind, &raw).map_err(|e| {
            format!(
                "invalid option value: (option: \"{name}\"; value: {})\n{e}",
                if raw.is_empty() {
                    "None".to_string()
                } else {
                    py_repr(&raw)
                }
            )
        })?;
        out.push((name, value));
    }
    Ok(out)
}

/// docutils' option field body: the text after the marker, then the
/// indented lines without their common indentation (relative indentation
/// stays), read as paragraphs (`ExtensionOptions.parse_field_body`); the
/// value is the one paragraph's text, empty for none, `None` for more.
fn option_data(first: &str, rest: &[&str]) -> Option<String> {
    let indent = rest
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .min()
        .unwrap_or(0);
    let lines = std::iter::once(first).chain(rest.iter().map(|l| l.get(indent..).unwrap_or("")));
    let mut paragraphs: Vec<Vec<&str>> = Vec::new();
    let mut open = false;
    for line in lines {
        if line.trim().is_empty() {
            open = false;
        } else if open {
            paragraphs.last_mut()?.push(line);
        } else {
            paragraphs.push(vec![line]);
            open = true;
        }
    }
    match paragraphs.len() {
        0 => Some(String::new()),
        1 => Some(paragraphs[0].join("\n")),
        _ => None,
    }
}

fn convert(kind: Opt, raw: &str) -> Result<String, String> {
    match kind {
        Opt::Flag => {
            if raw.trim().is_empty() {
                Ok(String::new())
            } else {
                Err(format!("no argument is allowed; \"{raw}\" supplied"))
            }
        }
        Opt::Unchanged => Ok(raw.to_string()),
        Opt::Encoding => {
            if super::include::encoding::TextEncoding::from_name(raw).is_some() {
                Ok(raw.to_string())
            } else {
                Err(format!("unknown encoding: \"{raw}\""))
            }
        }
        Opt::Int => python_int(raw).map(|n| n.to_string()),
        Opt::IntOrNone => {
            if raw.is_empty() {
                Ok(String::new())
            } else {
                python_int(raw).map(|n| n.to_string())
            }
        }
        Opt::Parser => super::include::parser_option(raw),
        Opt::CharOrWhitespaceOrUnicode if raw == "tab" => Ok("\t".into()),
        Opt::CharOrWhitespaceOrUnicode if raw == "space" => Ok(" ".into()),
        Opt::CharOrUnicode | Opt::CharOrWhitespaceOrUnicode => {
            let char = super::misc::unicode_code(raw)
                .map_err(|e| e.trim_start_matches("ValueError: ").to_string())?;
            if char.chars().count() > 1 {
                Err(format!(
                    "{} invalid; must be a single character or a Unicode code",
                    py_repr(&char)
                ))
            } else {
                Ok(char)
            }
        }
        Opt::UnchangedRequired => {
            if raw.is_empty() {
                Err("argument required but none supplied".into())
            } else {
                Ok(raw.to_string())
            }
        }
        Opt::Class => {
            if raw.is_empty() {
                return Err("argument required but none supplied".into());
            }
            let mut v = Vec::new();
            for w in raw.split_whitespace() {
                let id = make_id(w);
                if id.is_empty() {
                    return Err(format!("cannot make \"{w}\" into a class name"));
                }
                v.push(id);
            }
            Ok(v.join(" "))
        }
        Opt::Name => Ok(whitespace_normalize_name(raw)),
        Opt::NonNegInt => match raw.trim().parse::<i64>() {
            Ok(n) if n >= 0 => Ok(n.to_string()),
            Ok(_) => Err("negative value; must be positive or zero".into()),
            Err(_) => Err(format!(
                "invalid literal for int() with base 10: {}",
                py_repr(raw)
            )),
        },
        Opt::LengthOrUnitless => measures::get_measure(raw, measures::CSS_LENGTH_UNITS, true, ""),
        Opt::LengthPercentageOrUnitless => measures::length_percentage_or_unitless(raw, ""),
        Opt::FigureWidth => {
            if raw.eq_ignore_ascii_case("image") {
                Ok("image".into())
            } else {
                measures::length_percentage_or_unitless(raw, "px")
            }
        }
        Opt::Percentage => measures::percentage(raw),
        Opt::Uri => {
            if raw.is_empty() {
                Err("argument required but none supplied".into())
            } else {
                Ok(raw
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .split(' ')
                    .collect::<String>())
            }
        }
        Opt::Align(values) | Opt::Choice(values) => {
            let v = raw.trim().to_lowercase();
            if values.contains(&v.as_str()) {
                Ok(v)
            } else {
                // docutils' `format_values`: `"a", "b", or "c"`
                let quoted: Vec<String> = values.iter().map(|s| format!("\"{s}\"")).collect();
                let joined = match quoted.split_last() {
                    Some((last, rest)) => format!("{}, or {last}", rest.join(", ")),
                    None => String::new(),
                };
                if raw.is_empty() {
                    return Err(format!("must supply an argument; choose from {joined}"));
                }
                Err(format!("\"{}\" unknown; choose from {joined}", raw.trim()))
            }
        }
    }
}

/// Python's `int(text)`: an optional sign and digits (`_` between
/// digits), surrounding whitespace allowed; else its `ValueError` text.
fn python_int(raw: &str) -> Result<i64, String> {
    let t = raw.trim();
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    let well_formed = !digits.is_empty()
        && !digits.starts_with('_')
        && !digits.ends_with('_')
        && !digits.contains("__")
        && digits.chars().all(|c| c.is_ascii_digit() || c == '_');
    let parsed = well_formed
        .then(|| t.replace('_', "").parse::<i64>().ok())
        .flatten();
    parsed.ok_or_else(|| format!("invalid literal for int() with base 10: {}", py_repr(raw)))
}
