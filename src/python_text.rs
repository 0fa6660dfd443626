//! Python's text functions that docutils' and Sphinx's output depends on,
//! written once: `repr` (messages, conf.py values and the dumps of pending
//! nodes quote with it), `str.splitlines` (pseudo-XML, include clipping,
//! conf.py), `time.strftime` (the `date` directive, Sphinx's `today`) and
//! `int` of a string (the `pep` and `rfc` roles' numbers).

/// Python's `repr` of a `str`: single quotes unless the text holds a single
/// quote and no double quote; backslashes, the quote and control
/// characters escaped as Python escapes them.
pub fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// Python's `str.splitlines()`: splits on every Unicode line boundary and
/// drops a final empty piece.
pub fn splitlines(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let is_break = matches!(
            c,
            '\n' | '\r'
                | '\u{0b}'
                | '\u{0c}'
                | '\u{1c}'
                | '\u{1d}'
                | '\u{1e}'
                | '\u{85}'
                | '\u{2028}'
                | '\u{2029}'
        );
        if is_break {
            lines.push(&text[start..i]);
            let mut next = i + c.len_utf8();
            if c == '\r'
                && let Some(&(j, '\n')) = chars.peek()
            {
                chars.next();
                next = j + 1;
            }
            start = next;
        }
    }
    if start < text.len() {
        lines.push(&text[start..]);
    }
    lines
}

/// An integer as Python's `int(text)` reads it: the sign and the decimal
/// digits, without leading zeros ("0" for zero). Python's integers have
/// no bound, so the digits are kept as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PyInt {
    pub negative: bool,
    pub digits: String,
}

impl PyInt {
    /// The value when it fits in a `u32` and is not negative.
    pub fn as_u32(&self) -> Option<u32> {
        if self.negative && self.digits != "0" {
            return None;
        }
        self.digits.parse().ok()
    }
}

/// Python's limit on the digits `int(text)` converts
/// (`sys.get_int_max_str_digits()`, 4300 by default); more is a `ValueError`.
const INT_MAX_STR_DIGITS: usize = 4300;

/// Python's `int(text)` of a `str`: surrounding whitespace, one `+` or
/// `-`, decimal digits of any script (Unicode `Nd`) with single
/// underscores between digits. `None` where Python raises `ValueError`.
pub fn int_value(text: &str) -> Option<PyInt> {
    let text = text.trim_matches(|c: char| c.is_whitespace() || matches!(c, '\u{1c}'..='\u{1f}'));
    let (negative, body) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let mut digits = String::new();
    let mut count = 0;
    let mut after_digit = false;
    for c in body.chars() {
        if c == '_' {
            if !after_digit {
                return None;
            }
            after_digit = false;
            continue;
        }
        let value = decimal_value(c)?;
        count += 1;
        if !(digits.is_empty() && value == 0) {
            digits.push(char::from(b'0' + value));
        }
        after_digit = true;
    }
    if !after_digit || count > INT_MAX_STR_DIGITS {
        return None;
    }
    if digits.is_empty() {
        digits.push('0');
    }
    Some(PyInt { negative, digits })
}

/// A decimal digit's value (`unicodedata.decimal`): Unicode puts each
/// script's digits zero to nine in a row, so the value is the distance
/// from the first of the run, modulo ten (some runs hold several sets).
fn decimal_value(c: char) -> Option<u8> {
    if let Some(d) = c.to_digit(10) {
        return Some(d as u8);
    }
    // A constant pattern, not user input: it compiles or every test of
    // this module fails, so the `expect` cannot fire on a page.
    static ND: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"^\p{Nd}$").expect("valid pattern"));
    let is_digit = |c: char| ND.is_match(c.encode_utf8(&mut [0; 4]));
    if c.is_ascii() || !is_digit(c) {
        return None;
    }
    let mut first = c as u32;
    while char::from_u32(first - 1).is_some_and(is_digit) {
        first -= 1;
    }
    Some(((c as u32 - first) % 10) as u8)
}

const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `time.strftime` in the C locale for the UTC time `secs`: the common
/// directives; any other `%X` stays as written.
pub fn strftime(format: &str, secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let in_day = secs.rem_euclid(86_400);
    let (hour, minute, second) = (in_day / 3600, in_day / 60 % 60, in_day % 60);
    let (year, month, day) = civil(days);
    // 1970-01-01 was a Thursday
    let weekday = (days + 3).rem_euclid(7) as usize;
    let day_of_year = days - days_from_civil(year, 1, 1) + 1;
    let month_name = MONTHS[(month as usize).saturating_sub(1).min(11)];
    let mut out = String::new();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('Y') => out.push_str(&format!("{year:04}")),
            Some('y') => out.push_str(&format!("{:02}", year.rem_euclid(100))),
            Some('m') => out.push_str(&format!("{month:02}")),
            Some('d') => out.push_str(&format!("{day:02}")),
            Some('e') => out.push_str(&format!("{day:>2}")),
            Some('j') => out.push_str(&format!("{day_of_year:03}")),
            Some('H') => out.push_str(&format!("{hour:02}")),
            Some('I') => out.push_str(&format!("{:02}", (hour + 11) % 12 + 1)),
            Some('M') => out.push_str(&format!("{minute:02}")),
            Some('S') => out.push_str(&format!("{second:02}")),
            Some('p') => out.push_str(if hour < 12 { "AM" } else { "PM" }),
            Some('a') => out.push_str(&WEEKDAYS[weekday][..3]),
            Some('A') => out.push_str(WEEKDAYS[weekday]),
            Some('b') | Some('h') => out.push_str(&month_name[..3]),
            Some('B') => out.push_str(month_name),
            Some('w') => out.push_str(&((weekday + 1) % 7).to_string()),
            Some('u') => out.push_str(&(weekday + 1).to_string()),
            Some('%') => out.push('%'),
            Some(other) => {
                out.push('%');
                out.push(other);
            }
            None => out.push('%'),
        }
    }
    out
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date of a day count since 1970-01-01.
fn civil(z: i64) -> (i64, u32, u32) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::{int_value, splitlines, str_repr, strftime};

    fn int(text: &str) -> Option<(bool, String)> {
        int_value(text).map(|i| (i.negative, i.digits))
    }

    #[test]
    fn ints_are_read_as_python_reads_them() {
        assert_eq!(int("0012"), Some((false, "12".into())));
        assert_eq!(int(" +0_8\n"), Some((false, "8".into())));
        assert_eq!(int("-0"), Some((true, "0".into())));
        assert_eq!(int("\u{661}\u{662}"), Some((false, "12".into())));
        assert_eq!(int("\u{1d7d9}\u{1d7ee}"), Some((false, "12".into())));
        for bad in ["", "1__2", "_1", "1_", "+", "1.0", "1 2", "0x10", "#1"] {
            assert_eq!(int(bad), None, "{bad:?}");
        }
        assert!(int(&"9".repeat(4300)).is_some());
        assert_eq!(int(&"9".repeat(4301)), None);
        assert_eq!(int_value("-3").and_then(|i| i.as_u32()), None);
        assert_eq!(int_value("4294967296").and_then(|i| i.as_u32()), None);
    }

    #[test]
    fn strings_are_quoted_and_escaped_as_python_does() {
        assert_eq!(str_repr("abc"), "'abc'");
        assert_eq!(str_repr("it's"), "\"it's\"");
        assert_eq!(str_repr("'\""), "'\\'\"'");
        assert_eq!(str_repr("a\\b\n\t\r"), "'a\\\\b\\n\\t\\r'");
        assert_eq!(str_repr("\u{1}\u{7f}é"), "'\\x01\\x7fé'");
    }

    #[test]
    fn splitlines_matches_python() {
        assert_eq!(splitlines("a\nb\n"), vec!["a", "b"]);
        assert_eq!(splitlines("\na"), vec!["", "a"]);
        assert_eq!(splitlines("a\r\nb\rc"), vec!["a", "b", "c"]);
        assert!(splitlines("").is_empty());
    }

    #[test]
    fn formats_as_python_in_the_c_locale() {
        // 2026-12-07 13:05:09 UTC, a Monday
        let t = 1_796_648_709;
        assert_eq!(strftime("%Y-%m-%d", t), "2026-12-07");
        assert_eq!(strftime("%a, %d %b %Y", t), "Mon, 07 Dec 2026");
        assert_eq!(
            strftime("%A %B %j %H:%M:%S %I%p %%", t),
            "Monday December 341 13:05:09 01PM %"
        );
        assert_eq!(strftime("%Q", 0), "%Q");
        assert_eq!(strftime("%a %Y-%m-%d", 0), "Thu 1970-01-01");
    }
}
