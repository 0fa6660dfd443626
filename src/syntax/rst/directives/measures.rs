//! Option values that are measures (`:width: 50%`, `:height: 3em`,
//! `:scale: 50`), checked as docutils checks them: the number and unit
//! `nodes.parse_measure` reads, CSS3's length units, and Python's texts
//! for what is wrong.

/// `CSS3_LENGTH_UNITS`, in docutils' order (its messages list them so).
pub const CSS_LENGTH_UNITS: &[&str] = &[
    "em", "ex", "ch", "rem", "vw", "vh", "vmin", "vmax", "cm", "mm", "Q", "in", "pt", "pc", "px",
];

/// A measure's number as Python keeps it: an `int` when it has no `.`.
enum Number {
    Int(i128),
    Float(f64),
}

impl Number {
    fn is_negative(&self) -> bool {
        match self {
            Number::Int(i) => *i < 0,
            Number::Float(f) => *f < 0.0,
        }
    }

    /// `str()` of the Python number.
    fn python_text(&self) -> String {
        match self {
            Number::Int(i) => i.to_string(),
            Number::Float(f) => python_float_repr(*f),
        }
    }
}

/// Python's `repr(float)`: shortest round-trip digits, `.0` on whole
/// numbers, scientific notation below 1e-4 and from 1e16.
fn python_float_repr(f: f64) -> String {
    let magnitude = f.abs();
    if magnitude != 0.0 && !(1e-4..1e16).contains(&magnitude) {
        let text = format!("{f:e}");
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        let (sign, digits) = match exponent.strip_prefix('-') {
            Some(d) => ('-', d),
            None => ('+', exponent),
        };
        return format!("{mantissa}e{sign}{digits:0>2}");
    }
    let text = format!("{f}");
    if text.contains('.') {
        text
    } else {
        format!("{text}.0")
    }
}

/// `nodes.parse_measure`: `-?[0-9.]+`, spaces, then a unit (ASCII
/// letters or µ) or `%` or nothing.
fn parse_measure(measure: &str) -> Result<(Number, &str), String> {
    let invalid = || format!("\"{measure}\" is no valid measure.");
    let digits_start = usize::from(measure.starts_with('-'));
    let digits_len = measure[digits_start..]
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b'.')
        .count();
    if digits_len == 0 {
        return Err(invalid());
    }
    let number = &measure[..digits_start + digits_len];
    let unit = measure[digits_start + digits_len..].trim_start_matches(' ');
    let unit_ok = unit == "%" || unit.chars().all(|c| c.is_ascii_alphabetic() || c == 'µ');
    if !unit_ok {
        return Err(invalid());
    }
    let value = if number.contains('.') {
        Number::Float(number.parse::<f64>().map_err(|_| invalid())?)
    } else {
        Number::Int(number.parse::<i128>().map_err(|_| invalid())?)
    };
    Ok((value, unit))
}

/// `directives.get_measure`: `VALUEUNIT` when the value is not negative
/// and the unit one of `units` (or, with `unitless`, no unit).
pub fn get_measure(
    raw: &str,
    units: &[&str],
    unitless: bool,
    extra: &str,
) -> Result<String, String> {
    if raw.is_empty() {
        // docutils gets `None` for an empty option and `re.fullmatch` fails on it
        return Err("expected string or bytes-like object, got 'NoneType'".into());
    }
    let (value, unit) = parse_measure(raw)?;
    let known = units.contains(&unit)
        || (unitless && unit.is_empty())
        || (!extra.is_empty() && unit == extra);
    if value.is_negative() || !known {
        let mut listed: Vec<&str> = units.to_vec();
        if !extra.is_empty() {
            listed.push(extra);
        }
        return Err(format!(
            "not a positive number or measure of one of the following units:\n{}",
            listed.join(", ")
        ));
    }
    Ok(format!("{}{unit}", value.python_text()))
}

/// `directives.length_or_percentage_or_unitless(raw, default)`: a CSS
/// length or percentage, or a bare number followed by `default`.
pub fn length_percentage_or_unitless(raw: &str, default: &str) -> Result<String, String> {
    match get_measure(raw, CSS_LENGTH_UNITS, false, "%") {
        Ok(v) => Ok(v),
        Err(first) => match get_measure(raw, &[], true, "") {
            Ok(v) => Ok(v + default),
            Err(_) => Err(first),
        },
    }
}

/// `directives.percentage`: trailing spaces and `%` dropped, then a
/// non-negative integer.
pub fn percentage(raw: &str) -> Result<String, String> {
    if raw.is_empty() {
        return Err(
            "int() argument must be a string, a bytes-like object or a real number, not 'NoneType'"
                .into(),
        );
    }
    let number = raw.trim_end_matches([' ', '%']);
    match number.trim().parse::<i64>() {
        Ok(n) if n >= 0 => Ok(n.to_string()),
        Ok(_) => Err("negative value; must be positive or zero".into()),
        Err(_) => Err(format!(
            "invalid literal for int() with base 10: {}",
            crate::python_text::str_repr(number)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_are_checked_and_normalised_as_docutils_does() {
        assert_eq!(length_percentage_or_unitless("50 %", "").unwrap(), "50%");
        assert_eq!(
            length_percentage_or_unitless("1.50em", "").unwrap(),
            "1.5em"
        );
        assert_eq!(length_percentage_or_unitless("200", "px").unwrap(), "200px");
        assert!(
            length_percentage_or_unitless("20mc", "")
                .unwrap_err()
                .ends_with("px, %")
        );
        assert!(
            get_measure("40%", CSS_LENGTH_UNITS, true, "")
                .unwrap_err()
                .ends_with("pc, px")
        );
        assert_eq!(get_measure("0.00001", &[], true, "").unwrap(), "1e-05");
        assert_eq!(
            get_measure("x1", &[], true, "").unwrap_err(),
            "\"x1\" is no valid measure."
        );
        assert_eq!(percentage("50 %").unwrap(), "50");
        assert_eq!(
            percentage("-50").unwrap_err(),
            "negative value; must be positive or zero"
        );
        assert_eq!(
            percentage("fifty").unwrap_err(),
            "invalid literal for int() with base 10: 'fifty'"
        );
    }
}
