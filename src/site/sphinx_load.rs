//! Loading a Sphinx project: `kbgen build -c docs/conf.py`.
//!
//! conf.py is read, never executed (`config::conf_py`). A `book.toml`
//! beside it adds kbgen's settings and overrides conf.py's values
//! (`[sphinx]`). What kbgen chooses for an unchanged Sphinx tree, unless
//! `book.toml` says otherwise:
//! - the source folder is conf.py's folder, the output `_build/kbgen`;
//! - the site title is `html_title`, else Sphinx's "{project} {release}
//!   documentation";
//! - `raw` is allowed, as Sphinx allows it;
//! - broken plain links and anchors (a check Sphinx does not make) are
//!   warnings, so `--strict` or `[links] broken = "error"` fails on them;
//! - includes may read anything in the repository holding conf.py (the
//!   folder with `.git`), else conf.py's folder, and nothing outside it.

use std::path::Path;
use std::sync::Arc;

use crate::config::{Config, Dialect, Policy, conf_py};
use crate::diag::Diagnostic;
use crate::source::SourceFile;

use super::Site;

/// The site of the Sphinx project whose configuration is `conf_path`.
pub fn load_conf_py(conf_path: &Path) -> Result<Site, Diagnostic> {
    let dir = conf_path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let book = dir.join("book.toml");
    let (mut config, set) = match book.is_file() {
        true => {
            let source = SourceFile::read(&book, &book)?;
            let table: toml::Table = source.text.parse().unwrap_or_default();
            (Config::parse(&source)?, table)
        }
        false => (Config::default(), toml::Table::new()),
    };
    let has = |section: &str, key: &str| {
        set.get(section)
            .and_then(|t| t.as_table())
            .is_some_and(|t| t.contains_key(key))
    };
    if !set.contains_key("source") {
        config.source = ".".into();
    }
    if !set.contains_key("output") {
        config.output = "_build/kbgen".into();
    }
    if !has("links", "broken") {
        config.links.broken = Policy::Warning;
    }
    if !has("rst", "allow-raw") {
        config.rst.allow_raw = true;
    }
    config.rst.dialect = Dialect::Sphinx;
    let include_root = match &config.rst.include_root {
        Some(root) => dir.join(root),
        None => conf_py::default_include_root(conf_path),
    };
    let env = |name: &str| std::env::var(name).ok();
    let (mut settings, diags) =
        conf_py::read_conf_py_with(conf_path, &include_root, &config.sphinx, &env)?;
    settings.conf_path = Some(conf_path.to_path_buf());
    if settings.today.is_empty() {
        settings.today = crate::config::sphinx::format_date(&settings.today_fmt, build_date());
    }
    if !set.contains_key("title") {
        config.title = settings
            .html_title
            .clone()
            .unwrap_or_else(|| format!("{} {} documentation", settings.project, settings.release));
    }
    if !set.contains_key("language") && !settings.language.is_empty() {
        config.language = settings.language.clone();
    }
    let mut site = Site::new(config, &book);
    site.config_path = conf_path.to_path_buf();
    site.include_root = include_root;
    site.sphinx = Some(Arc::new(settings));
    site.load_diags.extend(diags);
    Ok(site)
}

/// Days since 1970-01-01 of the build: `SOURCE_DATE_EPOCH` when set (so
/// `|today|` is reproducible), else the clock.
fn build_date() -> i64 {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        });
    secs.div_euclid(86_400)
}
