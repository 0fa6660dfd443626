//! Methods of `str` that conf.py files use to build settings: `strip` and
//! friends, `split`, `join`, `replace`, `format`, case changes and tests.

use ruff_text_size::TextRange;

use super::calls::Args;
use super::ops::MAX_VALUE_SIZE;
use super::strings::{MAX_FORMAT_WIDTH, format_value, repr, to_str};
use super::value::{Value, as_int, dict_get};

/// `s.name(*args)`; an unknown value for methods or arguments kbgen lacks.
pub(super) fn call(s: &str, name: &str, args: &Args, range: TextRange) -> Value {
    method(s, name, args, range).unwrap_or_else(|| {
        Value::unknown(
            format!("`str.{name}()` with these arguments is not evaluated by kbgen"),
            range,
        )
    })
}

fn str_arg(args: &Args, i: usize, name: &str) -> Option<Option<String>> {
    match args.get(i, name) {
        None | Some(Value::None) => Some(None),
        Some(Value::Str(s)) => Some(Some(s.clone())),
        Some(_) => None,
    }
}

fn text(s: impl Into<String>) -> Option<Value> {
    Some(Value::Str(s.into()))
}

fn strings(items: Vec<&str>) -> Option<Value> {
    Some(Value::List(
        items
            .into_iter()
            .map(|p| Value::Str(p.to_string()))
            .collect(),
    ))
}

fn method(s: &str, name: &str, args: &Args, range: TextRange) -> Option<Value> {
    match name {
        "strip" | "lstrip" | "rstrip" => {
            let chars = str_arg(args, 0, "chars")?;
            let is_strip = |c: char| match &chars {
                Some(set) => set.contains(c),
                None => c.is_whitespace(),
            };
            text(match name {
                "strip" => s.trim_matches(is_strip),
                "lstrip" => s.trim_start_matches(is_strip),
                _ => s.trim_end_matches(is_strip),
            })
        }
        "split" | "rsplit" => {
            let sep = str_arg(args, 0, "sep")?;
            let max = match args.get(1, "maxsplit") {
                Some(v) => as_int(v)?,
                None => -1,
            };
            let limit = if max < 0 {
                usize::MAX
            } else {
                max as usize + 1
            };
            let parts: Vec<&str> = match (&sep, name) {
                (Some(sep), _) if sep.is_empty() => return None,
                (Some(sep), "split") => s.splitn(limit, sep.as_str()).collect(),
                (Some(sep), _) => {
                    let mut p: Vec<&str> = s.rsplitn(limit, sep.as_str()).collect();
                    p.reverse();
                    p
                }
                (None, _) if max < 0 => s.split_whitespace().collect(),
                (None, _) => return None,
            };
            strings(parts)
        }
        "splitlines" => strings(crate::python_text::splitlines(s)),
        "join" => {
            let items = args.get(0, "iterable")?.items()?;
            let size = items.iter().map(Value::weight).sum::<usize>() + s.len() * items.len();
            if size > MAX_VALUE_SIZE {
                return None;
            }
            let mut out = String::new();
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(s);
                }
                match item {
                    Value::Str(p) => out.push_str(p),
                    _ => return None,
                }
            }
            text(out)
        }
        "replace" => {
            let (Some(Some(old)), Some(Some(new))) =
                (str_arg(args, 0, "old"), str_arg(args, 1, "new"))
            else {
                return None;
            };
            // The result's size is known before it is built.
            let count = if old.is_empty() {
                s.chars().count() + 1
            } else {
                s.matches(old.as_str()).count()
            };
            if s.len().saturating_add(count.saturating_mul(new.len())) > MAX_VALUE_SIZE {
                return None;
            }
            match args.get(2, "count") {
                Some(n) => text(s.replacen(old.as_str(), &new, as_int(n)?.max(0) as usize)),
                None => text(s.replace(old.as_str(), &new)),
            }
        }
        "startswith" | "endswith" => {
            let options = match args.get(0, "prefix")? {
                Value::Str(p) => vec![p.clone()],
                Value::Tuple(items) => items
                    .iter()
                    .map(|v| to_str(v).filter(|_| matches!(v, Value::Str(_))))
                    .collect::<Option<_>>()?,
                _ => return None,
            };
            let hit = options.iter().any(|p| {
                if name == "startswith" {
                    s.starts_with(p.as_str())
                } else {
                    s.ends_with(p.as_str())
                }
            });
            Some(Value::Bool(hit))
        }
        "removeprefix" => text(
            s.strip_prefix(str_arg(args, 0, "prefix")??.as_str())
                .unwrap_or(s),
        ),
        "removesuffix" => text(
            s.strip_suffix(str_arg(args, 0, "suffix")??.as_str())
                .unwrap_or(s),
        ),
        "lower" | "casefold" => text(s.to_lowercase()),
        "upper" => text(s.to_uppercase()),
        "capitalize" => {
            let mut c = s.chars();
            text(match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + &c.as_str().to_lowercase(),
                None => String::new(),
            })
        }
        "title" => {
            let mut out = String::new();
            let mut prev_letter = false;
            for ch in s.chars() {
                if prev_letter {
                    out.extend(ch.to_lowercase());
                } else {
                    out.extend(ch.to_uppercase());
                }
                prev_letter = ch.is_alphabetic();
            }
            text(out)
        }
        "find" | "rfind" | "index" | "count" => {
            let needle = str_arg(args, 0, "sub")??;
            let found = match name {
                "count" if needle.is_empty() => {
                    return Some(Value::Int(s.chars().count() as i64 + 1));
                }
                "count" => return Some(Value::Int(s.matches(needle.as_str()).count() as i64)),
                "rfind" => s.rfind(needle.as_str()),
                _ => s.find(needle.as_str()),
            };
            match (found, name) {
                (Some(i), _) => Some(Value::Int(s[..i].chars().count() as i64)),
                (None, "index") => None,
                (None, _) => Some(Value::Int(-1)),
            }
        }
        "partition" | "rpartition" => {
            let sep = str_arg(args, 0, "sep")??;
            let split = if name == "partition" {
                s.split_once(sep.as_str())
            } else {
                s.rsplit_once(sep.as_str())
            };
            let (a, m, b) = match (split, name) {
                (Some((a, b)), _) => (a, sep.as_str(), b),
                (None, "partition") => (s, "", ""),
                (None, _) => ("", "", s),
            };
            Some(Value::Tuple(vec![
                Value::Str(a.into()),
                Value::Str(m.into()),
                Value::Str(b.into()),
            ]))
        }
        "isdigit" | "isdecimal" | "isnumeric" => Some(Value::Bool(
            !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()),
        )),
        "isalpha" => Some(Value::Bool(
            !s.is_empty() && s.chars().all(char::is_alphabetic),
        )),
        "isspace" => Some(Value::Bool(
            !s.is_empty() && s.chars().all(char::is_whitespace),
        )),
        "zfill" => {
            let width = as_int(args.get(0, "width")?)?.clamp(0, MAX_FORMAT_WIDTH as i64) as usize;
            let len = s.chars().count();
            let (sign, digits) = match s.strip_prefix(['-', '+']) {
                Some(rest) => (&s[..1], rest),
                None => ("", s),
            };
            text(format!(
                "{sign}{}{digits}",
                "0".repeat(width.saturating_sub(len))
            ))
        }
        "format" => str_format(s, args, range),
        _ => None,
    }
}

/// `fmt.format(*args, **kwargs)`: `{}`, `{0}`, `{name}`, `!r`/`!s`, `:spec`, `{{`/`}}`.
fn str_format(fmt: &str, args: &Args, _range: TextRange) -> Option<Value> {
    let mut out = String::new();
    let mut auto = 0;
    let mut rest = fmt;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let brace = &rest[i..];
        if brace.starts_with("{{") || brace.starts_with("}}") {
            out.push_str(&brace[..1]);
            rest = &brace[2..];
            continue;
        }
        if brace.starts_with('}') {
            return None;
        }
        let end = brace.find('}')?;
        let field = &brace[1..end];
        rest = &brace[end + 1..];
        let (field, spec) = field.split_once(':').unwrap_or((field, ""));
        let (field, conversion) = match field.split_once('!') {
            Some((f, c)) => (f, Some(c)),
            None => (field, None),
        };
        let value = if field.is_empty() {
            auto += 1;
            args.positional.get(auto - 1)?
        } else if let Ok(n) = field.parse::<usize>() {
            args.positional.get(n)?
        } else if field.chars().all(|c| c.is_alphanumeric() || c == '_') {
            &args.keywords.iter().find(|(k, _)| k == field)?.1
        } else if let Some((name, key)) = field.split_once('[') {
            let key = key.strip_suffix(']')?;
            match &args.keywords.iter().find(|(k, _)| k == name)?.1 {
                Value::Dict(d) => dict_get(d, &Value::Str(key.to_string()))??,
                _ => return None,
            }
        } else {
            return None;
        };
        let converted;
        let value = match conversion {
            Some("r") | Some("a") => {
                converted = Value::Str(repr(value));
                &converted
            }
            Some("s") => {
                converted = Value::Str(to_str(value)?);
                &converted
            }
            None => value,
            Some(_) => return None,
        };
        out.push_str(&format_value(value, spec)?);
    }
    out.push_str(rest);
    text(out)
}
