//! Themes: Tera templates and static assets. The default theme is embedded
//! in the binary (so kbgen works from any folder); a site's theme folder
//! overrides any file of it by using the same name.

use std::path::Path;

use serde::Serialize;
use tera::Tera;

use crate::diag::Diagnostic;

use super::highlight::Highlighter;
use super::{IndexView, PageView};

/// The default theme's files, relative to `themes/default/`.
const DEFAULT_THEME: &[(&str, &str)] = &[
    (
        "templates/base.html",
        include_str!("../../themes/default/templates/base.html"),
    ),
    (
        "templates/page.html",
        include_str!("../../themes/default/templates/page.html"),
    ),
    (
        "templates/index.html",
        include_str!("../../themes/default/templates/index.html"),
    ),
    (
        "templates/404.html",
        include_str!("../../themes/default/templates/404.html"),
    ),
    (
        "static/kbgen.css",
        include_str!("../../themes/default/static/kbgen.css"),
    ),
    (
        "templates/search.html",
        include_str!("../../themes/default/templates/search.html"),
    ),
    (
        "static/search.js",
        include_str!("../../themes/default/static/search.js"),
    ),
    (
        "static/search.css",
        include_str!("../../themes/default/static/search.css"),
    ),
    (
        "static/copybutton.js",
        include_str!("../../themes/default/static/copybutton.js"),
    ),
];

/// Templates and assets of one build, loaded once and shared by all pages.
pub struct Renderer {
    tera: Tera,
    /// Whether `page.html`, `base.html` and `search.html` are the default
    /// theme's: pages are then written by [`super::default_page`].
    default_page_frame: bool,
    pub highlighter: Highlighter,
    /// Static assets to copy: path under `static/` → bytes.
    pub assets: Vec<(String, Vec<u8>)>,
}

impl Renderer {
    /// Loads the default theme, then the files of `theme_dir` over it.
    pub fn load(theme_dir: Option<&Path>) -> Result<Renderer, Diagnostic> {
        let mut templates: Vec<(String, String)> = Vec::new();
        let mut assets: Vec<(String, Vec<u8>)> = Vec::new();
        for (path, text) in DEFAULT_THEME {
            if let Some(name) = path.strip_prefix("templates/") {
                templates.push((name.to_string(), text.to_string()));
            } else if let Some(name) = path.strip_prefix("static/") {
                assets.push((name.to_string(), text.as_bytes().to_vec()));
            }
        }
        if let Some(dir) = theme_dir.filter(|d| d.is_dir()) {
            overlay(dir, "templates", &mut |name, bytes| {
                let text = String::from_utf8(bytes).map_err(|_| {
                    Diagnostic::error("theme", format!("template {name} is not UTF-8"))
                        .in_file(dir.join("templates").join(&name))
                })?;
                replace(&mut templates, name, text);
                Ok(())
            })?;
            overlay(dir, "static", &mut |name, bytes| {
                replace(&mut assets, name, bytes);
                Ok(())
            })?;
        }
        let default_page_frame = super::default_page::FRAME_TEMPLATES.iter().all(|name| {
            let ours = DEFAULT_THEME
                .iter()
                .find(|(path, _)| path.strip_prefix("templates/") == Some(name));
            let used = templates.iter().find(|(n, _)| n == name);
            matches!((ours, used), (Some((_, a)), Some((_, b))) if a == b)
        });
        assets.push((
            "highlight.css".into(),
            super::highlight::THEME_CSS.as_bytes().to_vec(),
        ));
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html"]);
        // Tera's default escaper also rewrites `/` as `&#x2F;`, which makes
        // every URL unreadable; ours escapes what HTML needs and nothing more.
        tera.set_escape_fn(super::html::escape);
        tera.add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| {
                Diagnostic::error("theme", format!("template error: {}", error_chain(&e)))
            })?;
        Ok(Renderer {
            tera,
            default_page_frame,
            highlighter: Highlighter::new(),
            assets,
        })
    }

    pub fn render_page(&self, view: &PageView) -> Result<String, Diagnostic> {
        // The page is its body, its table of contents and the theme's
        // frame: sized for that at once, the output is not regrown (and
        // copied) a dozen times as Tera's own 2 KB buffer would be.
        let toc = view.toc.as_ref().map_or(0, String::len);
        let capacity = view.body.len() + 2 * toc + PAGE_FRAME_BYTES;
        if self.default_page_frame {
            let mut out = String::with_capacity(capacity);
            super::default_page::write_page(view, &mut out);
            return Ok(out);
        }
        self.render("page.html", view, capacity)
    }

    /// `page.html` through Tera even when the theme's frame is the
    /// default one: what [`super::default_page`] is checked against.
    #[cfg(test)]
    pub(crate) fn writes_default_frame(&self) -> bool {
        self.default_page_frame
    }

    #[cfg(test)]
    pub(crate) fn render_page_by_tera(&self, view: &PageView) -> Result<String, Diagnostic> {
        self.render("page.html", view, PAGE_FRAME_BYTES)
    }

    pub fn render_index(&self, view: &IndexView) -> Result<String, Diagnostic> {
        self.render("index.html", view, PAGE_FRAME_BYTES)
    }

    /// `404.html` and, when `with_index`, `index.html` of one listing.
    /// Their template context is a copy of every listed page's entry
    /// (9,945 on the biggest benchmark site): it is made once, and the two
    /// pages render side by side.
    pub fn render_404_and_index(
        &self,
        view: &IndexView,
        with_index: bool,
    ) -> Result<(String, Option<String>), Diagnostic> {
        let ctx = context(view)?;
        let (not_found, index) = rayon::join(
            || self.render_with("404.html", &ctx, PAGE_FRAME_BYTES),
            || {
                with_index
                    .then(|| self.render_with("index.html", &ctx, PAGE_FRAME_BYTES))
                    .transpose()
            },
        );
        Ok((not_found?, index?))
    }

    fn render(
        &self,
        template: &str,
        view: &impl Serialize,
        capacity: usize,
    ) -> Result<String, Diagnostic> {
        self.render_with(template, &context(view)?, capacity)
    }

    fn render_with(
        &self,
        template: &str,
        ctx: &tera::Context,
        capacity: usize,
    ) -> Result<String, Diagnostic> {
        let mut out = Vec::with_capacity(capacity);
        self.tera.render_to(template, ctx, &mut out).map_err(|e| {
            Diagnostic::error(
                "theme",
                format!("rendering {template}: {}", error_chain(&e)),
            )
        })?;
        // Tera writes only `str`s, so this check never fails; it is kept
        // (not `from_utf8_unchecked`) because a theme is user input.
        String::from_utf8(out)
            .map_err(|e| Diagnostic::error("theme", format!("rendering {template}: {e}")))
    }
}

/// A template's context: the view, serialised.
fn context(view: &impl Serialize) -> Result<tera::Context, Diagnostic> {
    tera::Context::from_serialize(view)
        .map_err(|e| Diagnostic::error("theme", format!("template context: {e}")))
}

/// What the default theme's frame around a page body takes, with room for
/// a sidebar: the first guess of a page's size.
const PAGE_FRAME_BYTES: usize = 8 * 1024;

fn replace<T>(list: &mut Vec<(String, T)>, name: String, value: T) {
    match list.iter_mut().find(|(n, _)| *n == name) {
        Some(slot) => slot.1 = value,
        None => list.push((name, value)),
    }
}

fn overlay(
    theme: &Path,
    sub: &str,
    add: &mut dyn FnMut(String, Vec<u8>) -> Result<(), Diagnostic>,
) -> Result<(), Diagnostic> {
    let root = theme.join(sub);
    if !root.is_dir() {
        return Ok(());
    }
    for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            Diagnostic::error("theme", format!("reading theme: {e}")).in_file(&root)
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(&root) else {
            continue;
        };
        let name = rel.to_string_lossy().replace('\\', "/");
        if crate::source::discover::is_editor_junk(&entry.file_name().to_string_lossy()) {
            continue;
        }
        let bytes = crate::source::read::read_file(entry.path())
            .map_err(|e| crate::source::read_diag(entry.path(), &e))?;
        add(name, bytes)?;
    }
    Ok(())
}

/// Tera hides the useful part of an error in its `source()` chain.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(inner) = cur {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        cur = inner.source();
    }
    s
}
