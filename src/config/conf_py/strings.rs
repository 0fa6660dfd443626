//! Python's text conversions and formatting: `str()`, `repr()`, format
//! specs (f-strings, `format()`), `%` formatting and `str.format`, and
//! slicing. Each returns `None` (or an unknown value) where Python's rules
//! go beyond what kbgen models, never a guess.

use ruff_text_size::TextRange;

use super::value::{Value, as_float, as_int, dict_get};

/// Python's `str(v)`; `None` for values kbgen cannot print.
pub(super) fn to_str(v: &Value) -> Option<String> {
    match v {
        Value::Str(s) => Some(s.clone()),
        Value::Unknown(_) => None,
        Value::Module(_) | Value::Builtin(_) | Value::Method(..) | Value::File(_) | Value::Tags => {
            None
        }
        Value::Function(_) | Value::ExceptionClass(_) => None,
        other => Some(repr(other)),
    }
}

/// Python's `repr(v)` for data values.
pub(super) fn repr(v: &Value) -> String {
    match v {
        Value::None => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => float_repr(*f),
        Value::Str(s) => crate::python_text::str_repr(s),
        Value::List(items) => format!("[{}]", join_reprs(items)),
        Value::Tuple(items) if items.len() == 1 => format!("({},)", repr(&items[0])),
        Value::Tuple(items) => format!("({})", join_reprs(items)),
        Value::Dict(d) => {
            let parts: Vec<String> = d
                .iter()
                .map(|(k, v)| format!("{}: {}", repr(k), repr(v)))
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
        Value::ExceptionClass(c) => format!("<class '{c}'>"),
        other => format!("<{}>", other.type_name()),
    }
}

fn join_reprs(items: &[Value]) -> String {
    items.iter().map(repr).collect::<Vec<_>>().join(", ")
}

/// Python's shortest round-trip float repr (`1.0`, `1e+16`, `1e-05`).
fn float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf" } else { "-inf" }.into();
    }
    let s = format!("{f:?}");
    match s.split_once('e') {
        Some((mantissa, exp)) => {
            let (sign, digits) = match exp.strip_prefix('-') {
                Some(d) => ('-', d),
                None => ('+', exp),
            };
            let mantissa = mantissa.strip_suffix(".0").unwrap_or(mantissa);
            format!("{mantissa}e{sign}{digits:0>2}")
        }
        None => s,
    }
}

/// The widest field or precision a format spec may ask for: far above any
/// setting, and `f"{x:>999999999}"` is an unknown value, not a gigabyte.
pub(super) const MAX_FORMAT_WIDTH: usize = 1 << 20;

/// A parsed format spec: `[[fill]align][sign][0][width][,][.precision][type]`.
#[derive(Default)]
struct Spec {
    fill: Option<char>,
    align: Option<char>,
    sign: Option<char>,
    width: usize,
    grouping: bool,
    precision: Option<usize>,
    kind: Option<char>,
}

fn parse_spec(spec: &str) -> Option<Spec> {
    let chars: Vec<char> = spec.chars().collect();
    let mut s = Spec::default();
    let mut i = 0;
    let is_align = |c: char| matches!(c, '<' | '>' | '^' | '=');
    if chars.len() >= 2 && is_align(chars[1]) {
        s.fill = Some(chars[0]);
        s.align = Some(chars[1]);
        i = 2;
    } else if chars.first().is_some_and(|c| is_align(*c)) {
        s.align = Some(chars[0]);
        i = 1;
    }
    if let Some(&c) = chars.get(i)
        && matches!(c, '+' | '-' | ' ')
    {
        s.sign = Some(c);
        i += 1;
    }
    if chars.get(i) == Some(&'0') {
        s.fill.get_or_insert('0');
        s.align.get_or_insert('=');
        i += 1;
    }
    let start = i;
    while chars.get(i).is_some_and(|c| c.is_ascii_digit()) {
        i += 1;
    }
    s.width = chars[start..i]
        .iter()
        .collect::<String>()
        .parse()
        .unwrap_or(0);
    if chars.get(i) == Some(&',') {
        s.grouping = true;
        i += 1;
    }
    if chars.get(i) == Some(&'.') {
        let start = i + 1;
        i = start;
        while chars.get(i).is_some_and(|c| c.is_ascii_digit()) {
            i += 1;
        }
        s.precision = Some(chars[start..i].iter().collect::<String>().parse().ok()?);
    }
    if let Some(&c) = chars.get(i) {
        s.kind = Some(c);
        i += 1;
    }
    let sane = s.width <= MAX_FORMAT_WIDTH && s.precision.unwrap_or(0) <= MAX_FORMAT_WIDTH;
    (i == chars.len() && sane).then_some(s)
}

/// `format(v, spec)`; `None` for values or specs kbgen does not model.
pub(super) fn format_value(v: &Value, spec: &str) -> Option<String> {
    if spec.is_empty() {
        return to_str(v);
    }
    let s = parse_spec(spec)?;
    let (body, numeric) = match (v, s.kind) {
        (Value::Str(text), None | Some('s')) => {
            let text = match s.precision {
                Some(p) => text.chars().take(p).collect(),
                None => text.clone(),
            };
            (text, false)
        }
        (Value::Int(_) | Value::Bool(_), None | Some('d' | 'x' | 'X' | 'o' | 'b')) => {
            let i = as_int(v)?;
            let digits = match s.kind {
                Some('x') => format!("{:x}", i.unsigned_abs()),
                Some('X') => format!("{:X}", i.unsigned_abs()),
                Some('o') => format!("{:o}", i.unsigned_abs()),
                Some('b') => format!("{:b}", i.unsigned_abs()),
                _ if s.grouping => group_thousands(&i.unsigned_abs().to_string()),
                _ => i.unsigned_abs().to_string(),
            };
            (signed(i < 0, s.sign, digits), true)
        }
        (Value::Int(_) | Value::Bool(_) | Value::Float(_), Some('f' | 'F' | 'e' | '%'))
        | (Value::Float(_), None) => {
            let f = as_float(v)?;
            let p = s.precision.unwrap_or(6);
            let digits = match s.kind {
                Some('e') => python_exp(f.abs(), p),
                Some('%') => format!("{:.p$}%", f.abs() * 100.0),
                None if s.precision.is_none() => float_repr(f.abs()),
                _ => format!("{:.p$}", f.abs()),
            };
            (signed(f.is_sign_negative(), s.sign, digits), true)
        }
        _ => return None,
    };
    Some(pad(body, &s, numeric))
}

fn python_exp(f: f64, p: usize) -> String {
    let s = format!("{f:.p$e}");
    let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
    let (sign, d) = match e.strip_prefix('-') {
        Some(d) => ('-', d),
        None => ('+', e),
    };
    format!("{m}e{sign}{d:0>2}")
}

fn group_thousands(digits: &str) -> String {
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn signed(negative: bool, sign: Option<char>, digits: String) -> String {
    match (negative, sign) {
        (true, _) => format!("-{digits}"),
        (false, Some('+')) => format!("+{digits}"),
        (false, Some(' ')) => format!(" {digits}"),
        _ => digits,
    }
}

fn pad(body: String, s: &Spec, numeric: bool) -> String {
    let len = body.chars().count();
    if len >= s.width {
        return body;
    }
    let n = s.width - len;
    let fill = s.fill.unwrap_or(' ');
    let fills = |k: usize| std::iter::repeat_n(fill, k).collect::<String>();
    match s.align.unwrap_or(if numeric { '>' } else { '<' }) {
        '<' => format!("{body}{}", fills(n)),
        '^' => format!("{}{body}{}", fills(n / 2), fills(n - n / 2)),
        '=' if body.starts_with(['-', '+', ' ']) => {
            format!("{}{}{}", &body[..1], fills(n), &body[1..])
        }
        _ => format!("{}{body}", fills(n)),
    }
}

/// `fmt % args`: the `%` conversions Python's printf-style formatting has.
pub(super) fn percent_format(fmt: &str, args: &Value, range: TextRange) -> Value {
    let unknown = |what: &str| {
        Value::unknown(
            format!("`%` formatting {what} kbgen cannot evaluate"),
            range,
        )
    };
    if let Some(u) = args.find_unknown() {
        return Value::Unknown(u);
    }
    let positional: Vec<Value> = match args {
        Value::Tuple(items) => items.clone(),
        other => vec![other.clone()],
    };
    let mut next = 0;
    let mut out = String::new();
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut key = None;
        if chars.peek() == Some(&'(') {
            chars.next();
            let name: String = chars.by_ref().take_while(|&c| c != ')').collect();
            key = Some(name);
        }
        let mut flags = String::new();
        while let Some(&c) = chars.peek().filter(|c| "-+ #0".contains(**c)) {
            flags.push(c);
            chars.next();
        }
        let mut width = String::new();
        while let Some(&c) = chars.peek().filter(|c| c.is_ascii_digit()) {
            width.push(c);
            chars.next();
        }
        let mut precision = String::new();
        if chars.peek() == Some(&'.') {
            chars.next();
            precision.push('.');
            while let Some(&c) = chars.peek().filter(|c| c.is_ascii_digit()) {
                precision.push(c);
                chars.next();
            }
        }
        let Some(conv) = chars.next() else {
            return unknown("with an incomplete format");
        };
        if conv == '%' {
            out.push('%');
            continue;
        }
        let value = match (&key, args) {
            (Some(k), Value::Dict(d)) => match dict_get(d, &Value::Str(k.clone())) {
                Some(Some(v)) => v.clone(),
                _ => return unknown("with a missing key"),
            },
            (Some(_), _) => return unknown("with a key but no dict"),
            (None, _) => match positional.get(next) {
                Some(v) => {
                    next += 1;
                    v.clone()
                }
                None => return unknown("with too few arguments"),
            },
        };
        let left = flags.contains('-');
        let zero = flags.contains('0') && !left;
        let kind = match conv {
            's' => {
                let Some(text) = to_str(&value) else {
                    return unknown("of a value");
                };
                let align = if left { "<" } else { ">" };
                format_value(&Value::Str(text), &format!("{align}{width}{precision}"))
            }
            'r' => format_value(&Value::Str(repr(&value)), &format!(">{width}")),
            'd' | 'i' | 'u' => {
                let num = as_int(&value).or_else(|| as_float(&value).map(|f| f.trunc() as i64));
                num.and_then(|n| {
                    format_value(&Value::Int(n), &numeric_spec(left, zero, &width, "", 'd'))
                })
            }
            'f' | 'F' | 'e' | 'x' | 'X' | 'o' => {
                let p = if precision.is_empty() && "fFe".contains(conv) {
                    ".6".into()
                } else {
                    precision.clone()
                };
                format_value(&value, &numeric_spec(left, zero, &width, &p, conv))
            }
            _ => None,
        };
        match kind {
            Some(text) => out.push_str(&text),
            None => return unknown(&format!("with `%{conv}` of a {}", value.type_name())),
        }
    }
    if key_less_leftover(args, next) {
        return unknown("with arguments left over");
    }
    Value::Str(out)
}

fn numeric_spec(left: bool, zero: bool, width: &str, precision: &str, conv: char) -> String {
    let align = if left {
        "<"
    } else if zero {
        "0"
    } else {
        ""
    };
    format!("{align}{width}{precision}{conv}")
}

fn key_less_leftover(args: &Value, used: usize) -> bool {
    matches!(args, Value::Tuple(items) if items.len() > used)
}

/// `seq[lo:hi:step]` on a str, list or tuple.
pub(super) fn slice(
    base: &Value,
    lo: Option<Value>,
    hi: Option<Value>,
    step: Option<Value>,
    range: TextRange,
) -> Value {
    let bound = |v: &Option<Value>| -> Result<Option<i64>, ()> {
        match v {
            None | Some(Value::None) => Ok(None),
            Some(v) => as_int(v).map(Some).ok_or(()),
        }
    };
    let (Ok(lo), Ok(hi), Ok(step)) = (bound(&lo), bound(&hi), bound(&step)) else {
        return Value::unknown("a slice kbgen cannot evaluate", range);
    };
    let step = step.unwrap_or(1);
    let Some(items) = base
        .items()
        .filter(|_| step != 0 && !matches!(base, Value::Dict(_)))
    else {
        return match base {
            Value::Unknown(u) => Value::Unknown(u.clone()),
            _ => Value::unknown("a slice kbgen cannot evaluate", range),
        };
    };
    let len = items.len() as i64;
    let clamp = |i: i64, lo_edge: i64, hi_edge: i64| {
        let i = if i < 0 { i + len } else { i };
        i.clamp(lo_edge, hi_edge)
    };
    let picked: Vec<Value> = if step > 0 {
        let start = lo.map_or(0, |i| clamp(i, 0, len));
        let stop = hi.map_or(len, |i| clamp(i, 0, len));
        (start..stop.max(start))
            .step_by(step as usize)
            .map(|i| items[i as usize].clone())
            .collect()
    } else {
        let start = lo.map_or(len - 1, |i| clamp(i, -1, len - 1));
        let stop = hi.map_or(-1, |i| clamp(i, -1, len - 1));
        let mut out = Vec::new();
        let mut i = start;
        while i > stop {
            out.push(items[i as usize].clone());
            i += step;
        }
        out
    };
    match base {
        Value::Str(_) => Value::Str(picked.iter().filter_map(to_str).collect()),
        Value::Tuple(_) => Value::Tuple(picked),
        _ => Value::List(picked),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(t: &str) -> Value {
        Value::Str(t.into())
    }

    #[test]
    fn reprs_follow_python() {
        assert_eq!(repr(&Value::Float(1.0)), "1.0");
        assert_eq!(repr(&Value::Float(1e16)), "1e+16");
        assert_eq!(repr(&Value::Float(1e-5)), "1e-05");
        assert_eq!(repr(&s("it's")), "\"it's\"");
        assert_eq!(repr(&Value::Tuple(vec![Value::Int(1)])), "(1,)");
        assert_eq!(repr(&Value::List(vec![s("a"), Value::None])), "['a', None]");
    }

    #[test]
    fn format_specs() {
        assert_eq!(format_value(&s("ab"), ">5").as_deref(), Some("   ab"));
        assert_eq!(
            format_value(&Value::Int(42), "05d").as_deref(),
            Some("00042")
        );
        assert_eq!(
            format_value(&Value::Int(1234567), ",").as_deref(),
            Some("1,234,567")
        );
        assert_eq!(
            format_value(&Value::Float(2.5), ".2f").as_deref(),
            Some("2.50")
        );
        assert_eq!(format_value(&Value::Int(255), "x").as_deref(), Some("ff"));
        assert_eq!(format_value(&s("x"), "q"), None);
    }

    #[test]
    fn percent_formats() {
        let r = TextRange::default();
        let args = Value::Tuple(vec![s("a"), Value::Int(7), Value::Float(0.5)]);
        let Value::Str(out) = percent_format("%s-%03d-%.1f %%", &args, r) else {
            panic!()
        };
        assert_eq!(out, "a-007-0.5 %");
        let d = Value::Dict(vec![(s("v"), s("9"))]);
        let Value::Str(out) = percent_format("v%(v)s", &d, r) else {
            panic!()
        };
        assert_eq!(out, "v9");
        assert!(matches!(
            percent_format("%s %s", &s("x"), r),
            Value::Unknown(_)
        ));
    }

    #[test]
    fn slices() {
        let r = TextRange::default();
        let t = Value::Tuple((0..5).map(Value::Int).collect());
        let Value::Tuple(v) = slice(&t, None, Some(Value::Int(3)), None, r) else {
            panic!()
        };
        assert_eq!(v.len(), 3);
        let Value::Str(rev) = slice(&s("abc"), None, None, Some(Value::Int(-1)), r) else {
            panic!()
        };
        assert_eq!(rev, "cba");
    }
}
