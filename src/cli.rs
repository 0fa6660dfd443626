//! Command line: `kbgen build | check | dump | …`. Parses arguments with
//! clap, runs the library, prints diagnostics, and maps the outcome to the
//! exit status: 0 success, 1 content errors, 2 usage, config or I/O failures.

mod sphinx_dump;
mod sphinx_project;
mod tokens;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use std::io::Write as _;

use crate::diag::{MessageFormat, Report, print_diagnostics};
use crate::site::{self, BuildOptions};

pub const EXIT_OK: i32 = 0;
pub const EXIT_CONTENT: i32 = 1;
pub const EXIT_FAILURE: i32 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "kbgen",
    version,
    about = "Static site builder for knowledge bases written in reStructuredText and Markdown"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, clap::Args, Clone)]
pub struct CommonArgs {
    /// Site configuration file.
    #[arg(long, short = 'c', value_name = "FILE", default_value = "book.toml")]
    pub config: PathBuf,
    /// Fail on warnings too (as `rst2html5 --strict` does).
    #[arg(long)]
    pub strict: bool,
    /// How diagnostics are printed.
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    pub message_format: MessageFormat,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder.
    Build {
        #[command(flatten)]
        common: CommonArgs,
        /// Output folder (overrides `output` in book.toml).
        #[arg(long, short = 'd', value_name = "DIR")]
        dest: Option<PathBuf>,
        /// Replace a non-empty output folder that kbgen did not create.
        #[arg(long)]
        force: bool,
        /// Print the time spent in each stage.
        #[arg(long)]
        timings: bool,
    },
    /// Everything `build` does except writing the site.
    Check {
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Build, serve on localhost, rebuild on save and reload open pages.
    Serve {
        /// Site configuration file.
        #[arg(long, short = 'c', value_name = "FILE", default_value = "book.toml")]
        config: PathBuf,
        /// Port to listen on.
        #[arg(long, short = 'p', default_value_t = 3000)]
        port: u16,
        /// Address to listen on; the default keeps the preview private to this machine.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the preview in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Create a new knowledge base: book.toml, a sample article and a CI workflow.
    Init {
        /// Folder of the new site (created if missing).
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Print a page's parsed document tree (RST or Markdown).
    Dump {
        /// Output format: docutils' pseudo-XML, or the page body's HTML as
        /// the page template receives it (no template, no site passes).
        #[arg(long, value_parser = ["pseudoxml", "html"], default_value = "pseudoxml")]
        format: String,
        /// Which tree: `final` after docutils' standard transforms, `parse`
        /// right after parsing (what docutils' parser tests compare).
        #[arg(long, value_enum, default_value_t = DumpStage::Final)]
        stage: DumpStage,
        /// Run only these transforms, by docutils' class names
        /// (`DocTitle,TestMessages`): what docutils' transform tests compare.
        #[arg(
            long,
            value_delimiter = ',',
            value_name = "NAMES",
            conflicts_with = "stage"
        )]
        transforms: Option<Vec<String>>,
        /// Site configuration whose content folder `.. include::` may read
        /// from; by default the `book.toml` in this folder or the nearest
        /// parent, else this folder is the root.
        #[arg(long, short = 'c', value_name = "FILE")]
        config: Option<PathBuf>,
        /// The folder includes may read from, instead of the one `-c`
        /// gives (what `[rst] include-root` sets for a site).
        #[arg(long, value_name = "DIR", conflicts_with = "config")]
        include_root: Option<PathBuf>,
        #[command(flatten)]
        sphinx: Box<sphinx_dump::SphinxDumpArgs>,
        #[command(flatten)]
        settings: Box<DumpSettings>,
        /// The page to dump (not needed with `--project DIR --out DIR`).
        #[arg(required_unless_present = "out")]
        file: Option<PathBuf>,
    },
    /// Validate standalone XML files against the passthrough schemas (the
    /// build's rules without elisions); book.toml's `[xml] schemas` apply when it exists.
    Validate {
        #[command(flatten)]
        common: CommonArgs,
        /// The XML files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Print the tokens kbgen's Pygments-exact lexer gives each file, one
    /// JSON line per file (for `conformance/pygments-tokens`).
    #[command(hide = true)]
    Tokens {
        /// A Pygments name of a language kbgen lexes exactly (`python`, `tex`, `rst`).
        language: String,
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

/// Runs the command line and returns the exit status.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    EXIT_OK
                }
                _ => EXIT_FAILURE,
            };
        }
    };
    run(cli.command)
}

pub fn run(command: Command) -> i32 {
    match command {
        Command::Build {
            common,
            dest,
            force,
            timings,
        } => run_build(&common, dest, force, timings, true),
        Command::Check { common } => run_build(&common, None, false, false, false),
        Command::Serve {
            config,
            port,
            bind,
            open,
        } => match crate::serve::run(&crate::serve::ServeOptions {
            config,
            port,
            bind,
            open,
            verbose: true,
        }) {
            Ok(()) => EXIT_OK,
            Err(d) => {
                print_diagnostics(&[d], MessageFormat::Human);
                EXIT_FAILURE
            }
        },
        Command::Dump {
            format,
            stage,
            transforms,
            config,
            include_root,
            sphinx,
            settings,
            file,
        } => run_dump(
            file.as_deref(),
            &format,
            stage,
            transforms,
            match include_root {
                Some(dir) => IncludeRoot::Given(dir),
                None => IncludeRoot::OfConfig(config),
            },
            &sphinx,
            &settings,
        ),
        Command::Init { dir } => match crate::scaffold::init(&dir) {
            Ok(files) => {
                for f in files {
                    eprintln!("created {}", f.display());
                }
                eprintln!("next: cd {} && kbgen serve", dir.display());
                EXIT_OK
            }
            Err(d) => {
                print_diagnostics(&[d], MessageFormat::Human);
                EXIT_FAILURE
            }
        },
        Command::Validate { common, files } => run_validate(&common, &files),
        Command::Tokens { language, files } => tokens::run(&language, &files),
    }
}

/// `kbgen validate`: 0 when every file is valid, 1 on any error (or
/// warning with `--strict`), 2 when book.toml exists but cannot be loaded.
fn run_validate(common: &CommonArgs, files: &[PathBuf]) -> i32 {
    use crate::passes::xml_examples::{SchemaSet, validate_file};
    let (schemas, mut report) = if common.config.exists() {
        let config = match crate::config::Config::load(&common.config) {
            Ok(config) => config,
            Err(d) => {
                print_diagnostics(&[d], common.message_format);
                return EXIT_FAILURE;
            }
        };
        let root = common.config.parent().filter(|p| !p.as_os_str().is_empty());
        let root = root.unwrap_or(std::path::Path::new("."));
        let (set, diags) = SchemaSet::from_config(&config.xml, root, &common.config);
        (set, Report { diagnostics: diags })
    } else {
        (SchemaSet::builtin(), Report::default())
    };
    for file in files {
        report.extend(validate_file(file, &site::display_path(file), &schemas));
    }
    report.sort();
    print_report(&report, common.message_format);
    if report.failed(common.strict) {
        EXIT_CONTENT
    } else {
        EXIT_OK
    }
}

fn run_build(
    common: &CommonArgs,
    dest: Option<PathBuf>,
    force: bool,
    timings: bool,
    write: bool,
) -> i32 {
    let opts = BuildOptions {
        config_path: common.config.clone(),
        dest,
        write,
        force,
    };
    site::time_page_stages(timings);
    match site::build(&opts) {
        Ok(outcome) => {
            print_report(&outcome.report, common.message_format);
            if timings {
                for (stage, d) in &outcome.timings.stages {
                    eprintln!("{stage:>16}: {:8.2} ms", d.as_secs_f64() * 1000.0);
                }
            }
            let failed = outcome.report.failed(common.strict);
            if common.message_format == MessageFormat::Human {
                eprintln!("{}", summary(&outcome, failed, write, &opts));
            }
            if failed { EXIT_CONTENT } else { EXIT_OK }
        }
        Err(d) => {
            print_diagnostics(std::slice::from_ref(&d), common.message_format);
            EXIT_FAILURE
        }
    }
}

fn summary(outcome: &site::BuildOutcome, failed: bool, write: bool, opts: &BuildOptions) -> String {
    let counts = format!(
        "{} page(s), {} error(s), {} warning(s)",
        outcome.pages,
        outcome.report.errors(),
        outcome.report.warnings()
    );
    if outcome.written {
        let dest = opts
            .dest
            .clone()
            .map(|d| d.display().to_string())
            .unwrap_or_else(|| "the output folder".into());
        format!("built {counts} into {dest}")
    } else if failed || outcome.report.errors() > 0 {
        if write {
            format!("build failed: {counts}; the previous output was left untouched")
        } else {
            format!("check failed: {counts}")
        }
    } else {
        format!("checked {counts}")
    }
}

/// The tree `kbgen dump` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DumpStage {
    /// Right after parsing, before any transform.
    Parse,
    /// After docutils' standard transforms (what a build renders).
    Final,
}

/// The folder includes may read from, as a build would have it: the
/// content folder of `-c FILE`, else of the nearest `book.toml` from the
/// current folder up, else the current folder (never the page's folder).
fn dump_root(config: Option<PathBuf>) -> Result<PathBuf, crate::diag::Diagnostic> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let found = config.or_else(|| {
        cwd.ancestors()
            .map(|d| d.join("book.toml"))
            .find(|p| p.is_file())
    });
    match found {
        Some(path) => {
            let config = crate::config::Config::load(&path)?;
            let dir = path
                .parent()
                .map(std::path::Path::to_path_buf)
                .unwrap_or_default();
            let dir = if dir.as_os_str().is_empty() { cwd } else { dir };
            Ok(dir.join(&config.source))
        }
        None => Ok(cwd),
    }
}

/// docutils settings `kbgen dump` takes, under docutils' option names.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct DumpSettings {
    /// docutils' `--smart-quotes`: `yes`, `no` or `alt` (each language's
    /// alternative quotes).
    #[arg(long, value_name = "yes|no|alt", default_value = "no")]
    smart_quotes: String,
    /// docutils' `--language`: the document's language (for smart quotes).
    #[arg(long = "language", value_name = "TAG", default_value = "en")]
    language_code: String,
    /// docutils' `--smartquotes-locales`: `LANG:QUOTES` pairs separated
    /// by commas; QUOTES is four characters or four `:`-separated strings.
    #[arg(long, value_name = "LIST", default_value = "")]
    smartquotes_locales: String,
    /// docutils' `--matching-ids` (`legacy_ids = False`): sections get
    /// their ids after parsing, explicit targets first.
    #[arg(long)]
    matching_ids: bool,
    /// docutils' `--auto-id-prefix`: `%` (ids from the element's name,
    /// `footnote-1`) or `id` (`id1`, `id2`, … from one counter).
    #[arg(long, value_enum, default_value = "%")]
    auto_id_prefix: AutoIdPrefix,
    /// docutils' `--character-level-inline-markup`: inline markup may
    /// start and end inside words.
    #[arg(long)]
    character_level_inline_markup: bool,
    /// docutils' `--root-prefix`: the folder absolute paths in `include`
    /// (and `:file:` options) start from; it must lie in the include root.
    #[arg(long, value_name = "DIR")]
    root_prefix: Option<PathBuf>,
    /// docutils' `--line-length-limit`: the longest line a page may have.
    #[arg(long, value_name = "N")]
    line_length_limit: Option<usize>,
    /// docutils' `--syntax-highlight`: `long`, `short` or `none`.
    #[arg(long, value_enum, default_value = "long")]
    syntax_highlight: SyntaxHighlightArg,
    /// docutils' `--report`: the lowest message level reported (1 info,
    /// 2 warning, 3 error, 4 severe, 5 none).
    #[arg(long = "report", value_name = "LEVEL", value_parser = clap::value_parser!(u8).range(1..=5))]
    report_level: Option<u8>,
    /// docutils' `--expose-internals`: internal attributes to show as
    /// `internal:NAME` (`line`, `source`; separated by `:` or `,`).
    #[arg(long, value_name = "LIST", default_value = "")]
    expose_internals: String,
}

/// The values of docutils' `syntax_highlight`.
#[derive(clap::ValueEnum, Debug, Clone, Copy, Default, PartialEq, Eq)]
enum SyntaxHighlightArg {
    #[default]
    Long,
    Short,
    None,
}

/// The values of docutils' `auto_id_prefix` kbgen has.
#[derive(clap::ValueEnum, Debug, Clone, Copy, Default, PartialEq, Eq)]
enum AutoIdPrefix {
    /// docutils' default: ids from the element's name (`footnote-1`).
    #[default]
    #[value(name = "%")]
    ElementName,
    /// `id1`, `id2`, … from one counter (Sphinx's setting).
    Id,
}

/// Where `kbgen dump`'s includes may read from.
enum IncludeRoot {
    /// `--include-root DIR`.
    Given(PathBuf),
    /// The content folder of `-c FILE` or of the nearest `book.toml`.
    OfConfig(Option<PathBuf>),
}

fn run_dump(
    file: Option<&std::path::Path>,
    format: &str,
    stage: DumpStage,
    transforms: Option<Vec<String>>,
    include_root: IncludeRoot,
    sphinx: &sphinx_dump::SphinxDumpArgs,
    dump: &DumpSettings,
) -> i32 {
    let settings = match sphinx.settings() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("kbgen dump: {e}");
            return EXIT_FAILURE;
        }
    };
    let smart = dump.smart_quotes.to_lowercase();
    let (smart_quotes, smart_quotes_alternative) = match smart.as_str() {
        "no" | "false" | "off" | "0" | "" => (false, false),
        s if s.starts_with("alt") => (true, true),
        _ => (true, false),
    };
    let smartquotes_locales =
        match crate::syntax::rst::parse_smartquotes_locales(&dump.smartquotes_locales) {
            Ok(l) => l,
            Err(e) => {
                eprintln!("kbgen dump: --smartquotes-locales: {e}");
                return EXIT_FAILURE;
            }
        };
    let root = match include_root {
        IncludeRoot::Given(dir) => Ok(dir),
        IncludeRoot::OfConfig(config) => dump_root(config),
    };
    let root = match root {
        Ok(found) => found,
        Err(d) => {
            print_diagnostics(&[d], MessageFormat::Human);
            return EXIT_FAILURE;
        }
    };
    let selected = match (transforms, stage) {
        (Some(names), _) => {
            let mut selected = Vec::new();
            for name in names.iter().filter(|n| !n.is_empty()) {
                match crate::syntax::rst::Transform::from_docutils_name(name) {
                    Some(t) => selected.push(t),
                    None => {
                        eprintln!("kbgen dump: no transform {name:?} in kbgen");
                        return EXIT_FAILURE;
                    }
                }
            }
            Some(selected)
        }
        (None, DumpStage::Parse) => Some(Vec::new()),
        (None, DumpStage::Final) => None,
    };
    let rst_opts = crate::syntax::rst::RstOptions {
        code_tokens: true,
        source_name: String::new(),
        allow_raw: true,
        include_root: Some(root),
        transforms: selected,
        dialect: sphinx.dialect(),
        sphinx: settings.clone(),
        docname: sphinx.docname.clone().unwrap_or_default(),
        source_dir: None,
        bare_name_folder: std::env::current_dir().ok(),
        smart_quotes,
        smart_quotes_alternative,
        smartquotes_locales,
        language_code: dump.language_code.clone(),
        // The dump prints the page as docutils would, warnings included.
        site_language: false,
        expose_internals: crate::syntax::rst::expose_internals::ExposeInternals::parse(
            &dump.expose_internals,
        ),
        matching_ids: dump.matching_ids,
        auto_id_prefix: (dump.auto_id_prefix == AutoIdPrefix::Id).then_some("id"),
        recognition: if dump.character_level_inline_markup {
            crate::syntax::rst::Recognition::CharacterLevel
        } else {
            crate::syntax::rst::Recognition::WordLevel
        },
        root_prefix: dump.root_prefix.clone(),
        line_length_limit: dump.line_length_limit,
        syntax_highlight: match dump.syntax_highlight {
            SyntaxHighlightArg::Long => crate::syntax::rst::SyntaxHighlight::Long,
            SyntaxHighlightArg::Short => crate::syntax::rst::SyntaxHighlight::Short,
            SyntaxHighlightArg::None => crate::syntax::rst::SyntaxHighlight::None,
        },
        report_level: dump.report_level,
    };
    let render = |doc: &crate::ast::Element| {
        if format == "html" {
            let highlighter = crate::render::highlight::Highlighter::new();
            let ctx = crate::render::html::HtmlContext {
                highlighter: &highlighter,
            };
            crate::render::html::render_body(doc, &ctx)
        } else {
            crate::ast::to_pseudoxml(doc)
        }
    };
    if let Some(dir) = &sphinx.project {
        let Some(settings) = settings else {
            eprintln!("kbgen dump: --project needs --dialect sphinx");
            return EXIT_FAILURE;
        };
        return sphinx_project::run(dir, file, sphinx, settings, &rst_opts, &render);
    }
    let Some(file) = file else {
        eprintln!("kbgen dump: which page? (--out needs --project)");
        return EXIT_FAILURE;
    };
    let source = match crate::source::SourceFile::read(file, file) {
        Ok(s) => s,
        Err(d) => {
            print_diagnostics(&[d], MessageFormat::Human);
            return EXIT_FAILURE;
        }
    };
    let doc = if crate::source::discover::page_kind(file) == Some(crate::source::PageKind::Markdown)
    {
        let opts = crate::syntax::markdown::MarkdownOptions {
            source_name: file.display().to_string(),
            raw_html: crate::config::RawHtml::Allow,
        };
        crate::syntax::markdown::parse_document(&source, &opts).0
    } else {
        let opts = crate::syntax::rst::RstOptions {
            source_name: file.display().to_string(),
            ..rst_opts
        };
        crate::syntax::rst::parse_document(&source, &opts)
    };
    let mut doc = doc;
    for w in sphinx.view(&mut doc) {
        eprintln!("{w}");
    }
    let text = render(&doc);
    let mut out = std::io::stdout().lock();
    if out.write_all(text.as_bytes()).is_err() {
        return EXIT_FAILURE;
    }
    EXIT_OK
}

pub fn print_report(report: &Report, format: MessageFormat) {
    print_diagnostics(&report.diagnostics, format);
}
