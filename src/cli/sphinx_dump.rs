//! `kbgen dump --dialect sphinx`: a page read as Sphinx reads it, printed
//! the way `sphinx-build -b pseudoxml` prints it, so pages can be compared
//! with Sphinx one by one (`conformance/sphinx-doctree`).

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::ast::{Attr, Element, Node, Tag};
use crate::config::{Dialect, SphinxSettings};

/// The Sphinx options of `kbgen dump`.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct SphinxDumpArgs {
    /// Read the page as plain docutils (the default) or as Sphinx does.
    #[arg(long, value_enum, default_value_t = DialectArg::Docutils)]
    pub dialect: DialectArg,
    /// A Sphinx setting, as `sphinx-build -D`: version, release, today,
    /// today_fmt, rst_prolog, rst_epilog, default_role,
    /// highlight_language, manpages_url (`NAME=@FILE` reads the value
    /// from a file).
    #[arg(short = 'D', value_name = "NAME=VALUE")]
    pub define: Vec<String>,
    /// A tag for `.. only::` (the dump is Sphinx's pseudoxml builder: its
    /// tags `pseudoxml`, `format_pseudoxml`, `builder_pseudoxml` are set).
    #[arg(short = 't', long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// The page's docname (`refdoc`); by default the file's stem.
    #[arg(long)]
    pub docname: Option<String>,
    /// Cross-references as the parser leaves them (`pending`), or as
    /// Sphinx prints them when it finds no target (`unresolved`). With
    /// `--project` they are resolved as the site build resolves them.
    #[arg(long, value_enum, default_value_t = XrefView::Pending)]
    pub xrefs: XrefView,
    /// The Sphinx project's source folder: every page in it is read with
    /// these settings, and toctrees and cross-references are resolved
    /// across them as `sphinx-build -b pseudoxml` prints them.
    #[arg(long, value_name = "DIR")]
    pub project: Option<std::path::PathBuf>,
    /// With `--project`: dump every page of the project to
    /// `DIR/<docname>.kbgen` instead of one page to stdout.
    #[arg(long, value_name = "DIR", requires = "project")]
    pub out: Option<std::path::PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum DialectArg {
    #[default]
    Docutils,
    Sphinx,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum XrefView {
    #[default]
    Pending,
    Unresolved,
}

impl SphinxDumpArgs {
    pub fn dialect(&self) -> Dialect {
        match self.dialect {
            DialectArg::Docutils => Dialect::Docutils,
            DialectArg::Sphinx => Dialect::Sphinx,
        }
    }

    /// The settings the page is read with; `Err` names a bad `-D`.
    pub fn settings(&self) -> Result<Option<Arc<SphinxSettings>>, String> {
        if self.dialect == DialectArg::Docutils {
            return Ok(None);
        }
        let mut s = SphinxSettings {
            tags: ["pseudoxml", "format_pseudoxml", "builder_pseudoxml"]
                .into_iter()
                .map(String::from)
                .collect::<BTreeSet<_>>(),
            ..SphinxSettings::default()
        };
        s.tags.extend(self.tags.iter().cloned());
        for d in &self.define {
            let (name, value) = d
                .split_once('=')
                .ok_or_else(|| format!("-D {d}: expected NAME=VALUE"))?;
            let value = match value.strip_prefix('@') {
                Some(path) => crate::source::read::read_text(std::path::Path::new(path))
                    .map_err(|e| format!("-D {name}: cannot read {path}: {e}"))?,
                None => value.to_string(),
            };
            match name {
                "version" => s.version = value,
                "release" => s.release = value,
                "today" => s.today = value,
                "today_fmt" => s.today_fmt = value,
                "rst_prolog" => s.rst_prolog = value,
                "rst_epilog" => s.rst_epilog = value,
                "default_role" => s.default_role = Some(value).filter(|v| !v.is_empty()),
                "highlight_language" => s.highlight_language = value,
                "manpages_url" => s.manpages_url = value,
                other => return Err(format!("-D {other}: not a setting kbgen reads")),
            }
        }
        Ok(Some(Arc::new(s)))
    }

    /// What Sphinx's pseudoxml builder shows of a page's tree: system
    /// messages go to the warning stream (returned, as Sphinx prints
    /// them), unresolved references keep only their content.
    pub fn view(&self, doc: &mut Element) -> Vec<String> {
        self.view_with(doc, self.xrefs)
    }

    /// [`Self::view`] of a page whose references were resolved already
    /// (`--project`): what is left of them is printed as it is.
    pub fn resolved_view(&self, doc: &mut Element) -> Vec<String> {
        self.view_with(doc, XrefView::Pending)
    }

    fn view_with(&self, doc: &mut Element, xrefs: XrefView) -> Vec<String> {
        let mut warnings = Vec::new();
        if self.dialect == DialectArg::Docutils {
            return warnings;
        }
        take_messages(doc, &mut warnings);
        // Sphinx without the extension logs an error for its directive and
        // keeps nothing; kbgen's placeholder for the site goes too.
        drop_extension_placeholders(doc);
        // docutils' section for transform messages goes with them.
        doc.children.retain(|c| {
            !matches!(c, Node::Element(s) if s.tag == Tag::Section
                && s.classes.iter().any(|c| c == "system-messages"))
        });
        if xrefs == XrefView::Unresolved {
            crate::syntax::rst::sphinx::roles::unresolved(doc);
        }
        warnings
    }
}

fn drop_extension_placeholders(e: &mut Element) {
    e.children.retain(|c| {
        !matches!(c, Node::Element(x) if x.tag == Tag::Container
            && x.classes.iter().any(|c| c == "kbgen-missing-extension"))
    });
    for c in e.elements_mut() {
        drop_extension_placeholders(c);
    }
}

fn take_messages(e: &mut Element, out: &mut Vec<String>) {
    e.children.retain(|c| match c {
        Node::Element(m) if m.tag == Tag::SystemMessage => {
            let level: u8 = m.get(Attr::Level).and_then(|l| l.parse().ok()).unwrap_or(0);
            if level >= 2 {
                let text = m
                    .first(Tag::Paragraph)
                    .map(|p| p.astext())
                    .unwrap_or_default();
                out.push(format!(
                    "{}:{}: {}: {text}",
                    m.get(Attr::Source).unwrap_or(""),
                    m.get(Attr::Line).unwrap_or(""),
                    m.get(Attr::Type).unwrap_or("")
                ));
            }
            false
        }
        _ => true,
    });
    for c in e.elements_mut() {
        take_messages(c, out);
    }
}
