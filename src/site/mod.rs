//! The site: load the configuration once ([`Site`]), then hand it to the one
//! [`engine`] that builds it. `kbgen build` and `check` are the engine applied
//! to "everything changed"; `kbgen serve` keeps the engine and applies it to
//! the changes the watcher sees. Both decide the same things in the same
//! places:
//!
//! - [`plan`]: which page, content file, generated file or theme asset
//!   writes each output path (two for one path is an error naming both);
//! - [`page`]: how a page is read, parsed, checked and rendered;
//! - [`project`]: the facts pages publish to each other (output paths, ids,
//!   metadata, text) and which readers (link checks, index, search) read
//!   which fact, so a change re-runs exactly what read it;
//! - [`output`]: the one writer, with one path guard.

pub mod assets;
pub mod doctree;
pub mod engine;
pub mod generated;
pub mod index;
pub mod output;
pub mod page;
pub mod plan;
pub mod project;
mod relink;
pub mod search;
pub mod sitemap;
pub mod sphinx_load;
pub mod spill;
mod timings;
pub use timings::time_page_stages;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::Config;
use crate::diag::{Diagnostic, Report};
use crate::passes::xml_examples::SchemaSet;
use crate::render::SiteView;

pub use engine::{ChangeSet, Engine, RebuildOutcome};
pub use page::{BuiltPage, index_page, load_page, load_page_unindexed, parse_page, render_page};
pub use timings::Timings;

/// What the command line asked for.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Path of `book.toml`.
    pub config_path: PathBuf,
    /// Output folder overriding the config's `output`.
    pub dest: Option<PathBuf>,
    /// Whether to write the site (`build`) or only check it (`check`).
    pub write: bool,
    /// Write into a non-empty folder kbgen did not create.
    pub force: bool,
}

/// A site ready to build: its configuration, resolved folders, and the
/// RELAX NG schemas its XML examples are checked against, compiled once
/// per site (not behind a process-wide cache) so `-c other.toml` gets the
/// schemas its own `[xml.schemas]` names.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: Config,
    /// Folder of `book.toml`; relative config paths start here.
    pub root: PathBuf,
    /// The configuration file, for diagnostics about it.
    pub config_path: PathBuf,
    pub source_dir: PathBuf,
    pub output_dir: PathBuf,
    pub theme_dir: PathBuf,
    pub schemas: Arc<SiteSchemas>,
    /// Problems found loading the site: the schemas `book.toml` names,
    /// the values of a `conf.py` kbgen could not read.
    pub load_diags: Vec<Diagnostic>,
    /// The Sphinx project's settings, when pages are read in Sphinx's dialect.
    pub sphinx: Option<Arc<crate::config::SphinxSettings>>,
    /// Folder `include` and `literalinclude` may read from.
    pub include_root: PathBuf,
}

impl Site {
    /// A site from a configuration whose file is `config_path` (relative
    /// config paths start at its folder): folders resolved, schemas compiled.
    pub fn new(config: Config, config_path: &Path) -> Site {
        let root = config_path
            .parent()
            .map(Path::to_path_buf)
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| PathBuf::from("."));
        let (schemas, load_diags) = SiteSchemas::from_config(&config.xml, &root, config_path);
        let sphinx = (config.rst.dialect == crate::config::Dialect::Sphinx)
            .then(|| Arc::new(crate::config::SphinxSettings::default()));
        let source_dir = root.join(&config.source);
        let include_root = match &config.rst.include_root {
            Some(dir) => root.join(dir),
            None => source_dir.clone(),
        };
        Site {
            include_root,
            sphinx,
            source_dir: root.join(&config.source),
            output_dir: root.join(&config.output),
            theme_dir: root.join("themes").join(&config.theme),
            config,
            root,
            config_path: config_path.to_path_buf(),
            schemas: Arc::new(schemas),
            load_diags,
        }
    }

    /// Loads `book.toml` (or a Sphinx project's `conf.py`, see
    /// [`sphinx_load`]) and resolves the folders it names.
    pub fn load(opts: &BuildOptions) -> Result<Site, Diagnostic> {
        let mut site = match opts.config_path.extension().and_then(|e| e.to_str()) {
            Some("py") => sphinx_load::load_conf_py(&opts.config_path)?,
            _ => Site::new(Config::load(&opts.config_path)?, &opts.config_path),
        };
        if let Some(d) = &opts.dest {
            site.output_dir = d.clone();
        }
        if !site.source_dir.is_dir() {
            return Err(Diagnostic::error(
                "config",
                format!("source folder {} does not exist", site.source_dir.display()),
            )
            .in_file(&opts.config_path));
        }
        if site.config.theme != "default" && !site.theme_dir.is_dir() {
            return Err(Diagnostic::error(
                "theme",
                format!(
                    "theme `{}` not found: no folder {}",
                    site.config.theme,
                    site.theme_dir.display()
                ),
            )
            .in_file(&opts.config_path)
            .with_help("create the folder, or remove `theme` to use the built-in default theme"));
        }
        Ok(site)
    }
}

impl Site {
    /// docutils' warnings for a `language_code` it has no module for, given
    /// once for the site at book.toml's `language` (docutils gives them on
    /// every page: a 150-page site would get 300). `None` for a language
    /// docutils knows, and in Sphinx projects (pages are read in English).
    pub fn unsupported_rst_language(&self) -> Option<Diagnostic> {
        let code = &self.config.language;
        if self.sphinx.is_some()
            || code.is_empty()
            || crate::syntax::rst::languages::module_for(code).is_some()
        {
            return None;
        }
        let d = Diagnostic::warning(
            crate::diag::Severity::Warning.rst_code(),
            format!(
                "rST localisation for language \"{code}\" not found. Language \"{code}\" not supported: Docutils-generated text will be in English."
            ),
        )
        .in_file(&self.config_path)
        .with_help(
            "RST pages read English directive and role names, field names and labels; `language` in book.toml names one of docutils' languages (de, fr, pt_br, zh_cn, …) to read theirs",
        );
        Some(d)
    }
}

/// Result of a build: diagnostics, timings and what was produced.
#[derive(Debug, Default)]
pub struct BuildOutcome {
    pub report: Report,
    pub timings: Timings,
    pub pages: usize,
    /// Whether the site was written (false for `check` and for failed builds).
    pub written: bool,
}

/// Builds the site: the whole pipeline. `Err` is a failure that stops the
/// build before content is looked at (config, theme, output folder).
pub fn build(opts: &BuildOptions) -> Result<BuildOutcome, Diagnostic> {
    let site = Site::load(opts)?;
    build_site(&site, opts)
}

/// [`build`] of an already loaded site.
pub fn build_site(site: &Site, opts: &BuildOptions) -> Result<BuildOutcome, Diagnostic> {
    Engine::build_once(site.clone(), opts)
}

/// Site-wide values every template gets.
pub fn site_view(site: &Site) -> SiteView {
    SiteView {
        title: site.config.title.clone(),
        description: site.config.description.clone(),
        language: site.config.language.clone(),
        generator: concat!("kbgen ", env!("CARGO_PKG_VERSION")).to_string(),
        edit_url_pattern: site.config.edit_url.clone(),
    }
}

/// Prefix that leads from a page to the site root: the base path when the
/// site has a `site-url`, otherwise a relative `../` chain, so the site
/// also works from `file://`.
pub fn root_prefix(out_path: &str, base: Option<&str>) -> String {
    if let Some(base) = base {
        return base.to_string();
    }
    "../".repeat(out_path.matches('/').count())
}

/// Shows paths relative to the working directory when they are under it.
pub fn display_path(path: &Path) -> PathBuf {
    // Asked once: kbgen never changes its working directory, and this runs
    // for every page (a `getcwd` system call each).
    static CWD: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    let stripped = path.strip_prefix("./").unwrap_or(path);
    if let Some(cwd) = CWD.get_or_init(|| std::env::current_dir().ok())
        && let Ok(rel) = stripped.strip_prefix(cwd)
    {
        return rel.to_path_buf();
    }
    stripped.to_path_buf()
}

/// A site's RELAX NG schemas. When they are only the shipped ones (no
/// `[xml.schemas]`), they are compiled on first use: compiling them is
/// ~1 ms, which then runs on one core while the other parses pages,
/// instead of before any page starts (and not at all on a site without
/// XML examples). Schemas `book.toml` names are compiled at once, so
/// their problems are reported with the site's.
#[derive(Debug)]
pub struct SiteSchemas(std::sync::OnceLock<SchemaSet>);

impl SiteSchemas {
    fn from_config(
        xml: &crate::config::XmlConfig,
        root: &Path,
        config_path: &Path,
    ) -> (SiteSchemas, Vec<Diagnostic>) {
        if xml.schemas.is_empty() {
            return (SiteSchemas(std::sync::OnceLock::new()), Vec::new());
        }
        let (set, diags) = SchemaSet::from_config(xml, root, config_path);
        (SiteSchemas(std::sync::OnceLock::from(set)), diags)
    }
}

impl std::ops::Deref for SiteSchemas {
    type Target = SchemaSet;

    fn deref(&self) -> &SchemaSet {
        self.0.get_or_init(SchemaSet::builtin)
    }
}
