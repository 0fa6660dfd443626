//! One diagnostic type for every stage of the pipeline.
//!
//! Every problem kbgen reports — a config key of the wrong type, an RST
//! system message, an invalid XML example, a broken link — becomes a
//! [`Diagnostic`]. The location is resolved eagerly (file, line, column and
//! the offending source line), so renderers never need the source map again
//! and diagnostics can cross threads freely.

use std::fmt::Write as _;
use std::io::{IsTerminal, Write as _};
use std::path::PathBuf;

use serde::Serialize;

/// Severity, using docutils' four levels so RST system messages map 1:1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info = 1,
    Warning = 2,
    Error = 3,
    Severe = 4,
}

impl Severity {
    /// docutils' upper-case name (`INFO`, `WARNING`, …) as used in system messages.
    pub fn docutils_name(self) -> &'static str {
        match self {
            Severity::Info => "INFO",
            Severity::Warning => "WARNING",
            Severity::Error => "ERROR",
            Severity::Severe => "SEVERE",
        }
    }

    /// The diagnostic code of a docutils system message of this level.
    pub fn rst_code(self) -> &'static str {
        match self {
            Severity::Info => "rst-info",
            Severity::Warning => "rst-warning",
            Severity::Error => "rst-error",
            Severity::Severe => "rst-severe",
        }
    }

    /// The lower-case word shown to people (`error`, `warning`, …).
    pub fn label(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
            Severity::Severe => "severe",
        }
    }

    pub fn from_level(level: u8) -> Severity {
        match level {
            0 | 1 => Severity::Info,
            2 => Severity::Warning,
            3 => Severity::Error,
            _ => Severity::Severe,
        }
    }

    /// True for the levels that fail a build even without `--strict`.
    pub fn is_error(self) -> bool {
        self >= Severity::Error
    }
}

/// A source that can turn byte offsets into a [`Location`] and the text of
/// the line it starts on. Implemented by `source::SourceFile`, and by a
/// full build's pages, whose text is read again only for a diagnostic.
/// `Sync`: a full build checks its pages' links on every thread.
pub trait SourceMap: Sync {
    fn locate(&self, start: usize, end: usize) -> (Location, String);
    /// The file, as diagnostics show it.
    fn file(&self) -> &std::path::Path;
}

/// Where a diagnostic points. Lines and columns are 1-based; columns count
/// characters (not bytes), as editors do.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Location {
    pub file: PathBuf,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable, documented code such as `rst-unknown-directive` or `xml-schema`.
    pub code: &'static str,
    pub message: String,
    pub location: Option<Location>,
    /// The source line the location points into, for display.
    pub source_line: Option<String>,
    /// A hint: what was expected, or "did you mean".
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(severity: Severity, code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            code,
            message: message.into(),
            location: None,
            source_line: None,
            help: None,
        }
    }

    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message)
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message)
    }

    /// Points the diagnostic at a byte range of a source, through its
    /// [`SourceMap`]: the source stage gives the location, so this module
    /// (used by every stage) depends on none of them.
    pub fn at(mut self, map: &(impl SourceMap + ?Sized), start: usize, end: usize) -> Self {
        let (location, line_text) = map.locate(start, end.max(start));
        self.location = Some(location);
        self.source_line = Some(line_text);
        self
    }

    /// Points at a file with no useful position (I/O errors, whole-file problems).
    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.location = Some(Location {
            file: file.into(),
            line: 0,
            column: 0,
            end_line: 0,
            end_column: 0,
        });
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Renders `file:line:col: severity: message`, the source line with a
    /// caret under the column, and the help line. This is the human format.
    pub fn render_human(&self) -> String {
        let mut out = String::new();
        match &self.location {
            Some(loc) if loc.line > 0 => {
                let _ = write!(out, "{}:{}:{}: ", loc.file.display(), loc.line, loc.column);
            }
            Some(loc) => {
                let _ = write!(out, "{}: ", loc.file.display());
            }
            None => {}
        }
        let _ = writeln!(
            out,
            "{}[{}]: {}",
            self.severity.label(),
            self.code,
            self.message
        );
        if let (Some(loc), Some(text)) = (&self.location, &self.source_line)
            && loc.line > 0
        {
            let gutter = loc.line.to_string();
            let pad = " ".repeat(gutter.len());
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{gutter} | {}", text.replace('\t', " "));
            let caret_pad = " ".repeat(loc.column.saturating_sub(1) as usize);
            let width = if loc.end_line == loc.line && loc.end_column > loc.column {
                (loc.end_column - loc.column) as usize
            } else {
                1
            };
            let _ = writeln!(out, "{pad} | {caret_pad}{}", "^".repeat(width.min(200)));
        }
        if let Some(help) = &self.help {
            let _ = writeln!(out, "  = help: {help}");
        }
        out
    }
}

/// Collected diagnostics of one run, with the counts that decide the exit status.
#[derive(Debug, Default, Clone)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    pub fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.diagnostics.extend(ds);
    }

    pub fn errors(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity.is_error())
            .count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }

    /// Whether the run failed: errors always, warnings too under `--strict`.
    pub fn failed(&self, strict: bool) -> bool {
        self.errors() > 0 || (strict && self.warnings() > 0)
    }

    /// Sorts diagnostics by file, line, column so output is deterministic
    /// whatever order parallel stages produced them in.
    pub fn sort(&mut self) {
        self.diagnostics.sort_by(|a, b| {
            let ka = a
                .location
                .as_ref()
                .map(|l| (l.file.clone(), l.line, l.column));
            let kb = b
                .location
                .as_ref()
                .map(|l| (l.file.clone(), l.line, l.column));
            ka.cmp(&kb).then_with(|| a.message.cmp(&b.message))
        });
        self.diagnostics.dedup();
    }
}

/// How diagnostics are printed (`--message-format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum MessageFormat {
    /// rustc-style text with the source line shown.
    #[default]
    Human,
    /// One JSON object per line.
    Json,
    /// GitHub Actions workflow commands (`::error file=…,line=…::…`).
    Github,
}

impl Diagnostic {
    /// One JSON object (no trailing newline): file, line, column, end_line,
    /// end_column, severity, code, message, help.
    pub fn render_json(&self) -> String {
        let loc = self.location.as_ref();
        serde_json::json!({
            "file": loc.map(|l| l.file.display().to_string()),
            "line": loc.map(|l| l.line),
            "column": loc.map(|l| l.column),
            "end_line": loc.map(|l| l.end_line),
            "end_column": loc.map(|l| l.end_column),
            "severity": self.severity.label(),
            "code": self.code,
            "message": self.message,
            "help": self.help,
        })
        .to_string()
    }

    /// A GitHub Actions workflow command. Property values and the message
    /// are escaped as the runner expects (`%`, CR, LF; plus `:` and `,` in properties).
    pub fn render_github(&self) -> String {
        let command = match self.severity {
            Severity::Info => "notice",
            Severity::Warning => "warning",
            Severity::Error | Severity::Severe => "error",
        };
        let mut props = Vec::new();
        if let Some(loc) = &self.location {
            props.push(format!(
                "file={}",
                escape_property(&loc.file.display().to_string())
            ));
            if loc.line > 0 {
                props.push(format!("line={}", loc.line));
                props.push(format!("col={}", loc.column));
                if loc.end_line >= loc.line {
                    props.push(format!("endLine={}", loc.end_line));
                }
            }
        }
        props.push(format!("title={}", escape_property(self.code)));
        let mut message = self.message.clone();
        if let Some(help) = &self.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        format!("::{command} {}::{}", props.join(","), escape_data(&message))
    }

    pub fn render(&self, format: MessageFormat) -> String {
        match format {
            MessageFormat::Human => self.render_human(),
            MessageFormat::Json => self.render_json() + "\n",
            MessageFormat::Github => self.render_github() + "\n",
        }
    }
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Prints diagnostics. Human text goes to stderr (coloured on a terminal
/// unless `NO_COLOR` is set); json and github go to stdout so CI can capture
/// them separately from progress messages.
pub fn print_diagnostics(diags: &[Diagnostic], format: MessageFormat) {
    match format {
        MessageFormat::Human => {
            let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            let mut err = std::io::stderr().lock();
            for d in diags {
                let text = d.render_human();
                let text = if colour { colourise(&text, d) } else { text };
                let _ = err.write_all(text.as_bytes());
            }
        }
        _ => {
            let mut out = std::io::stdout().lock();
            for d in diags {
                let _ = out.write_all(d.render(format).as_bytes());
            }
        }
    }
}

fn colourise(text: &str, d: &Diagnostic) -> String {
    let colour = match d.severity {
        Severity::Info => "\x1b[36m",
        Severity::Warning => "\x1b[33m",
        _ => "\x1b[31m",
    };
    let label = format!("{}[{}]", d.severity.label(), d.code);
    text.replacen(&label, &format!("{colour}\x1b[1m{label}\x1b[0m"), 1)
}
