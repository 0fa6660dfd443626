//! Highlighted code split in lines, for Sphinx's `linenos` and
//! `emphasize-lines`: each line starts with its number
//! (`<span class="linenos">`) and an emphasised line is wrapped in
//! `<span class="hll">`, as Pygments' HTML formatter writes them with
//! Sphinx's inline line numbers. Token spans are closed at each line end
//! so the line wrappers nest; a block without either option takes the
//! highlighter's one-pass writer unchanged.

use crate::render::escape::escape_into;
use crate::render::highlight::Highlighter;

/// What the lines of one block get.
pub(super) struct LineOptions {
    /// Numbers before each line.
    pub linenos: bool,
    /// The first line's number.
    pub start: usize,
    /// 1-based lines (of the block, whatever `start` is) to emphasise, sorted.
    pub emphasised: Vec<usize>,
    /// Plain text when the lexer meets an error token, as Sphinx shows a
    /// block of its `default` language that is not Python
    /// ([`Highlighter::highlight_into_unless_error`]).
    pub plain_on_error: bool,
}

/// `linenostart` from a `highlight_args` value (`{'linenostart': 10}`), else 1.
pub(super) fn linenostart(args: &str) -> usize {
    if args.is_empty() {
        return 1;
    }
    value_after(args, "'linenostart': ")
        .and_then(|v| v.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok())
        .unwrap_or(1)
}

/// `hl_lines` from a `highlight_args` value (`{'hl_lines': [1, 3]}`).
pub(super) fn hl_lines(args: &str) -> Vec<usize> {
    if args.is_empty() {
        return Vec::new();
    }
    let Some(list) = value_after(args, "'hl_lines': [") else {
        return Vec::new();
    };
    let list = list.split(']').next().unwrap_or("");
    let mut lines: Vec<usize> = list
        .split(',')
        .filter_map(|n| n.trim().parse().ok())
        .collect();
    lines.sort_unstable();
    lines.dedup();
    lines
}

fn value_after<'a>(args: &'a str, key: &str) -> Option<&'a str> {
    args.find(key).map(|at| &args[at + key.len()..])
}

/// Writes `code` highlighted as `language` (`None`: plain text) into
/// `out`, ending with a newline as Pygments' output does.
pub(super) fn highlight_lines(
    highlighter: &Highlighter,
    code: &str,
    language: Option<&str>,
    options: &LineOptions,
    out: &mut String,
) {
    let owned;
    let code = if code.ends_with('\n') {
        code
    } else {
        owned = format!("{code}\n");
        &owned
    };
    if !options.linenos && options.emphasised.is_empty() {
        let highlighted = language.is_some_and(|l| {
            if options.plain_on_error {
                highlighter.highlight_into_unless_error(code, l, out)
            } else {
                highlighter.highlight_into(code, l, out)
            }
        });
        if !highlighted {
            escape_into(code, out);
        }
        return;
    }
    let start = out.len();
    if !write_lines(highlighter, code, language, options, out) {
        out.truncate(start);
        write_lines(highlighter, code, None, options, out);
    }
}

/// The lines of `code` with their numbers and emphasis; `false` (having
/// written them) when [`LineOptions::plain_on_error`] asks for plain text
/// and the lexer met an error token.
fn write_lines(
    highlighter: &Highlighter,
    code: &str,
    language: Option<&str>,
    options: &LineOptions,
    out: &mut String,
) -> bool {
    let line_count = code.matches('\n').count();
    let width = (options.start + line_count.saturating_sub(1))
        .to_string()
        .len();
    let mut lines = Lines {
        out,
        options,
        width,
        line: 0,
        at_line_start: true,
        in_hll: false,
        open: None,
    };
    let mut error = false;
    let known = language.is_some_and(|l| {
        highlighter.tokens(code, l, |text, class| {
            error |= class == Some("err");
            lines.token(text, class);
        })
    });
    if !known {
        lines.token(code, None);
    }
    lines.close_token();
    !(error && options.plain_on_error)
}

/// The line writer's state: the line being written and its open spans.
struct Lines<'a> {
    out: &'a mut String,
    options: &'a LineOptions,
    width: usize,
    /// 1-based number of the line being written (0 before the first).
    line: usize,
    at_line_start: bool,
    in_hll: bool,
    open: Option<&'static str>,
}

impl Lines<'_> {
    fn token(&mut self, text: &str, class: Option<&'static str>) {
        let mut rest = text;
        while !rest.is_empty() {
            if self.at_line_start {
                self.start_line();
            }
            let (piece, newline) = match rest.find('\n') {
                Some(i) => (&rest[..i], true),
                None => (rest, false),
            };
            if !piece.is_empty() {
                if class != self.open && !piece.bytes().all(|b| b.is_ascii_whitespace()) {
                    self.close_token();
                    if let Some(c) = class {
                        self.out.push_str("<span class=\"");
                        self.out.push_str(c);
                        self.out.push_str("\">");
                    }
                    self.open = class;
                }
                escape_into(piece, self.out);
            }
            if !newline {
                break;
            }
            self.close_token();
            self.out.push('\n');
            if self.in_hll {
                self.out.push_str("</span>");
                self.in_hll = false;
            }
            self.at_line_start = true;
            rest = &rest[piece.len() + 1..];
        }
    }

    fn start_line(&mut self) {
        self.at_line_start = false;
        self.line += 1;
        if self.options.emphasised.binary_search(&self.line).is_ok() {
            self.out.push_str("<span class=\"hll\">");
            self.in_hll = true;
        }
        if self.options.linenos {
            let number = (self.options.start + self.line - 1).to_string();
            self.out.push_str("<span class=\"linenos\">");
            for _ in number.len()..self.width {
                self.out.push(' ');
            }
            self.out.push_str(&number);
            self.out.push_str("</span>");
        }
    }

    fn close_token(&mut self) {
        if self.open.take().is_some() {
            self.out.push_str("</span>");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(
        code: &str,
        language: Option<&str>,
        linenos: bool,
        start: usize,
        hl: &[usize],
    ) -> String {
        let mut out = String::new();
        let options = LineOptions {
            linenos,
            start,
            emphasised: hl.to_vec(),
            plain_on_error: false,
        };
        highlight_lines(&Highlighter::new(), code, language, &options, &mut out);
        out
    }

    #[test]
    fn numbers_are_padded_to_the_widest_and_emphasis_wraps_the_line() {
        let html = lines("a\nb\nc", None, true, 9, &[2]);
        assert_eq!(
            html,
            "<span class=\"linenos\"> 9</span>a\n\
             <span class=\"hll\"><span class=\"linenos\">10</span>b\n</span>\
             <span class=\"linenos\">11</span>c\n"
        );
    }

    #[test]
    fn token_spans_close_at_line_ends() {
        let html = lines("/* a\nb */ x;\n", Some("c"), false, 1, &[1]);
        assert!(
            html.starts_with("<span class=\"hll\"><span class=\"c\">/* a</span>\n</span>"),
            "{html}"
        );
        assert!(
            html.contains("\n</span><span class=\"c\">b */</span>"),
            "{html}"
        );
        assert!(html.ends_with('\n'));
    }

    /// Sphinx's `default` language: Python when the block lexes without
    /// an error token, else plain text; with and without line numbers.
    #[test]
    fn plain_on_error_falls_back_to_plain_text_whole() {
        let write = |code: &str, linenos: bool| {
            let mut out = String::from("before|");
            let options = LineOptions {
                linenos,
                start: 1,
                emphasised: Vec::new(),
                plain_on_error: true,
            };
            highlight_lines(
                &Highlighter::new(),
                code,
                Some("python"),
                &options,
                &mut out,
            );
            out
        };
        let python = write("def f(x):\n    return 'a'\n", false);
        assert!(
            python.starts_with("before|<span class=\"k\">def"),
            "{python}"
        );
        // `$` is an error token in Pygments' Python lexer.
        let shell = write("echo $HOME > 'x'\n", false);
        assert_eq!(shell, "before|echo $HOME &gt; &#39;x&#39;\n");
        let numbered = write("a = 1\necho $HOME\n", true);
        assert_eq!(
            numbered,
            "before|<span class=\"linenos\">1</span>a = 1\n\
             <span class=\"linenos\">2</span>echo $HOME\n"
        );
    }

    #[test]
    fn text_is_escaped_and_args_are_read() {
        assert_eq!(lines("<&>", None, false, 1, &[]), "&lt;&amp;&gt;\n");
        assert_eq!(hl_lines("{'hl_lines': [3, 1, 3]}"), vec![1, 3]);
        assert_eq!(hl_lines("{}"), Vec::<usize>::new());
        assert_eq!(linenostart("{'linenostart': 10, 'hl_lines': [1]}"), 10);
        assert_eq!(linenostart("{'linenostart': x}"), 1);
    }
}
