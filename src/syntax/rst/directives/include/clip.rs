//! The part of an included file `include`'s options select
//! (`:start-line:`, `:end-line:`, `:start-after:`, `:end-before:`) and
//! Python's tab expansion (`:tab-width:`).

use crate::syntax::rst::directives::Ctx;

/// The clip options of one `include`, as docutils keeps them in its
/// `include_log`: including a file again with other clip options is no
/// cycle.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Clip {
    pub start_line: Option<i64>,
    pub end_line: Option<i64>,
    pub start_after: Option<String>,
    pub end_before: Option<String>,
}

/// Python's slice bound: negative counts from the end; clamped.
fn slice_bound(i: i64, len: usize) -> usize {
    let len = len as i64;
    (if i < 0 { (len + i).max(0) } else { i.min(len) }) as usize
}

impl Clip {
    /// The clip options of a directive (integers were checked with the options).
    pub fn of(ctx: &Ctx) -> Clip {
        let int = |key: &str| ctx.opt(key).and_then(|v| v.trim().parse::<i64>().ok());
        Clip {
            start_line: int("start-line"),
            end_line: int("end-line"),
            start_after: ctx.opt("start-after").map(str::to_string),
            end_before: ctx.opt("end-before").map(str::to_string),
        }
    }

    /// Python's `len(text.splitlines())`.
    pub fn line_count(text: &str) -> usize {
        crate::python_text::splitlines(text).len()
    }

    /// docutils' `Include.read_file` clipping: lines `start-line..end-line`
    /// (joined without a final line break), then the text after
    /// `start-after` and before `end-before` (an empty value: an empty
    /// line). `Err` is docutils' error text.
    pub fn apply(&self, text: &str, directive: &str) -> Result<String, String> {
        let mut part = text.to_string();
        if self.start_line.is_some_and(|s| s != 0) || self.end_line.is_some() {
            let lines = crate::python_text::splitlines(text);
            let from = slice_bound(self.start_line.unwrap_or(0), lines.len());
            let to = slice_bound(self.end_line.unwrap_or(lines.len() as i64), lines.len());
            part = lines.get(from..to.max(from)).unwrap_or_default().join("\n");
        }
        if let Some(after) = &self.start_after {
            let after = if after.is_empty() { "\n\n" } else { after };
            match part.find(after) {
                Some(i) => part = part[i + after.len()..].to_string(),
                None => {
                    return Err(format!(
                        "Problem with \"start-after\" option of \"{directive}\" directive:\nText not found."
                    ));
                }
            }
        }
        match self.end_before.as_deref() {
            Some("") => {
                if let Some(i) = part.find("\n\n").filter(|&i| i > 0) {
                    part.truncate(i + 1);
                }
            }
            Some(before) => match part.find(before) {
                Some(i) => part.truncate(i),
                None => {
                    return Err(format!(
                        "Problem with \"end-before\" option of \"{directive}\" directive:\nText not found."
                    ));
                }
            },
            None => {}
        }
        Ok(part)
    }
}

/// Python's `str.expandtabs(width)`: columns restart after each line
/// break; a width below one removes tabs. A negative `:tab-width:` keeps
/// them (docutils' "no expansion").
pub fn expand_tabs(text: &str, width: i64) -> String {
    if width < 0 || !text.contains('\t') {
        return text.to_string();
    }
    let width = width as usize;
    let mut out = String::with_capacity(text.len());
    let mut column = 0usize;
    for c in text.chars() {
        match c {
            '\t' => {
                if width > 0 {
                    let n = width - column % width;
                    out.extend(std::iter::repeat_n(' ', n));
                    column += n;
                }
            }
            '\n' | '\r' => {
                out.push(c);
                column = 0;
            }
            c => {
                out.push(c);
                column += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_texts_are_clipped_as_docutils_clips() {
        let clip = Clip {
            start_line: Some(1),
            end_line: Some(-1),
            ..Clip::default()
        };
        assert_eq!(clip.apply("a\nb\nc\nd\n", "include").unwrap(), "b\nc");
        let clip = Clip {
            start_after: Some(String::new()),
            end_before: Some("x".into()),
            ..Clip::default()
        };
        assert_eq!(
            clip.apply("head\n\nbody x tail", "include").unwrap(),
            "body "
        );
        let missing = Clip {
            end_before: Some("nowhere".into()),
            ..Clip::default()
        };
        assert!(
            missing
                .apply("text", "include")
                .unwrap_err()
                .contains("end-before")
        );
    }

    #[test]
    fn tabs_expand_per_line() {
        assert_eq!(expand_tabs("a\tb\n\tc", 4), "a   b\n    c");
        assert_eq!(expand_tabs("\tc", -1), "\tc");
        assert_eq!(expand_tabs("\tc", 0), "c");
    }
}
