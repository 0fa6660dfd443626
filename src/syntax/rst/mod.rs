//! reStructuredText parser compatible with docutils 0.23.
//!
//! [`parse_document`] returns the doctree after docutils' standard
//! transforms, node for node what `docutils --writer=pseudoxml` prints.
//! Layout, following docutils' states: [`lines`] (line model), [`block`]
//! (the `Body`, `Text` and `Line` states: indented blocks, block quotes,
//! paragraphs, sections), [`lists`] (one module per list state),
//! [`explicit`] (explicit markup), [`directives`], [`tables`] (grid and
//! simple), [`inline`] (the `Inliner`: start-strings, end-strings,
//! constructs, standalone URIs), [`transforms`], with document-wide
//! registries in [`doc`].

mod block;
mod chars;
mod directives;
mod doc;
mod explicit;
pub mod expose_internals;
mod inline;
pub mod languages;
mod lines;
mod lists;
pub mod sphinx;
mod tables;
mod transforms;

use crate::ast::{Attr, AttrName};
use crate::diag::Severity;
pub use chars::Recognition;
pub use directives::SyntaxHighlight;
pub use transforms::{Transform, parse_smartquotes_locales};

use crate::ast::{Element, Node, Span, Tag};
use crate::source::SourceFile;

/// docutils' default `line_length_limit`: the longest line (in characters,
/// after tab expansion) a page may have; a longer line is an error and the
/// page is not parsed.
pub const LINE_LENGTH_LIMIT: usize = 10_000;

/// Settings that change how a page is parsed.
#[derive(Debug, Clone, Default)]
pub struct RstOptions {
    /// Value of the document's `source` attribute (docutils prints the path it was given).
    pub source_name: String,
    /// Whether `.. raw::` is allowed; when not, it is an error system message.
    pub allow_raw: bool,
    /// Folder that `.. include::` may read from (the content folder); `None` forbids includes.
    pub include_root: Option<std::path::PathBuf>,
    /// Whether `code` (directive, role, `include :code:`) is put into the
    /// tree as Pygments' tokens, as docutils 0.23 with Pygments 2.21 does,
    /// for the languages kbgen lexes exactly (`kbgen dump`, for parity).
    /// Off for builds, where the code stays one text and the renderer
    /// highlights it, so nothing is lexed twice.
    pub code_tokens: bool,
    /// The transforms to run after parsing: `None` for docutils' standard
    /// set (what a build and `kbgen dump` use), `Some(&[])` for the tree
    /// right after parsing (`kbgen dump --stage parse`, what docutils'
    /// parser tests compare), or a chosen few (its transform tests).
    pub transforms: Option<Vec<Transform>>,
    /// Plain docutils or Sphinx's dialect.
    pub dialect: crate::config::Dialect,
    /// The Sphinx project's settings (prolog, epilog, `|version|`, default
    /// role, `only` tags) when the dialect is Sphinx.
    pub sphinx: Option<std::sync::Arc<crate::config::SphinxSettings>>,
    /// Sphinx's source folder (`srcdir`): docnames are paths under it,
    /// and `literalinclude` reads `/path` from it and `path` from the
    /// page's folder in it. `None`: the include root.
    pub source_dir: Option<std::path::PathBuf>,
    /// The folder of a page whose `source_name` names no folder: where its
    /// `.. include:: part.rst` is read from. `kbgen dump page.rst` sets the
    /// current folder, which in a site's sub-folder is not the include
    /// root. `None`: the include root.
    pub bare_name_folder: Option<std::path::PathBuf>,
    /// The page's Sphinx docname (its path under the source folder,
    /// without suffix), the `refdoc` of its cross-references; empty: the
    /// file stem of `source_name`.
    pub docname: String,
    /// docutils' `smart_quotes`: the SmartQuotes transform makes quotes,
    /// dashes and ellipses typographic. Off by default, as in docutils.
    pub smart_quotes: bool,
    /// `smart_quotes = alt`: each language's alternative quotes.
    pub smart_quotes_alternative: bool,
    /// docutils' `smartquotes_locales`: quotes (primary open and close,
    /// secondary open and close) for language tags, added to docutils'
    /// table or replacing its entry.
    pub smartquotes_locales: Vec<(String, [String; 4])>,
    /// docutils' `legacy_ids = False` (`--matching-ids`): sections get no
    /// ids while parsing, so explicit targets get ids matching their names;
    /// the SectionIDs transform gives sections theirs afterwards.
    pub matching_ids: bool,
    /// docutils' `language_code`, the document's language (empty: `en`).
    /// Used for smart quotes; blocks with a `language-XX` class use XX.
    pub language_code: String,
    /// The language is the site's (book.toml's `language`): docutils'
    /// two warnings about a language it has no module for are given once
    /// for the site, at book.toml, not on every page.
    pub site_language: bool,
    /// docutils' `expose_internals` (`kbgen dump --expose-internals`):
    /// nodes show their line and file as attributes. Done at the end of
    /// the parse, from the parser's own line attributes where nodes of
    /// included files and CSV cells keep theirs.
    pub expose_internals: expose_internals::ExposeInternals,
    /// docutils' `auto_id_prefix` when it is not the default `%`
    /// (`id`: automatic ids are `id1`, `id2`, … from one counter).
    pub auto_id_prefix: Option<&'static str>,
    /// docutils' `character_level_inline_markup`: inline markup inside
    /// words (off by default, as in docutils).
    pub recognition: Recognition,
    /// docutils' `root_prefix`: the folder absolute paths in `include`,
    /// `csv-table :file:` and `raw :file:` start from (still only inside
    /// the include root). `None`: absolute paths are taken as they are.
    pub root_prefix: Option<std::path::PathBuf>,
    /// docutils' `line_length_limit` when not the default
    /// [`LINE_LENGTH_LIMIT`].
    pub line_length_limit: Option<usize>,
    /// docutils' `syntax_highlight`.
    pub syntax_highlight: SyntaxHighlight,
    /// docutils' `report_level` when not the default 2 (warnings): code
    /// in a language kbgen cannot analyze is shown plain, without the
    /// warning, above it.
    pub report_level: Option<u8>,
}

impl RstOptions {
    /// The longest line a page (or an included file) may have.
    pub fn line_length_limit(&self) -> usize {
        self.line_length_limit.unwrap_or(LINE_LENGTH_LIMIT)
    }

    /// The lowest message level reported (docutils' default: 2, warnings).
    pub fn report_level(&self) -> u8 {
        self.report_level.unwrap_or(2)
    }

    /// The docname, or the source file's stem when none was given.
    pub fn docname(&self) -> String {
        if !self.docname.is_empty() {
            return self.docname.clone();
        }
        std::path::Path::new(&self.source_name)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

/// Parses a page and applies docutils' standard transforms, giving the
/// tree `docutils --writer=pseudoxml` would print.
pub fn parse_document(source: &SourceFile, opts: &RstOptions) -> Element {
    let mut lines = lines::split_lines(&source.text);
    let sphinx = opts
        .sphinx
        .as_deref()
        .filter(|_| opts.dialect == crate::config::Dialect::Sphinx);
    if let Some(settings) = sphinx {
        sphinx::page::add_prolog_epilog(&mut lines, settings, source.text.len());
    }
    let mut root = Element::new(Tag::Document, Span::new(0, source.text.len()));
    root.set(Attr::Source, opts.source_name.clone());
    let mut p = block::Parser::new(lines, opts, root);
    if sphinx.is_some() {
        sphinx::page::begin(&mut p, opts.docname());
    }
    // docutils' `line_length_limit` (default 10 000 characters, counted
    // after tab expansion): a longer line makes the whole page one error,
    // exactly as `docutils.parsers.rst.Parser.parse` does. Besides
    // compatibility this bounds the work any single line can cause.
    let limit = opts.line_length_limit();
    let too_long = p
        .lines
        .iter()
        .position(|l| l.text.len() > limit && l.text.chars().count() > limit);
    if let Some(i) = too_long {
        let span = Span::new(p.lines[i].start, p.lines[i].end);
        let m = p.doc.message(
            Severity::Error,
            &format!("Line {} exceeds the line-length-limit.", i + 1),
            None,
            span,
        );
        p.push(m);
    } else {
        let all = p.all_lines();
        p.parse_block(&all, true);
    }
    while p.section_level > 0 {
        p.close_section();
    }
    if let Some(span) = p.doc.inline_problems_capped {
        let text = format!(
            "Too many inline markup problems: more than {} on this page; the rest are shown as plain text.",
            doc::MAX_INLINE_PROBLEMS
        );
        let m = p.doc.message(Severity::Error, &text, None, span);
        if let Some(root) = p.stack.first_mut() {
            root.push(m);
        }
    }
    let mut doc = p
        .stack
        .pop()
        .unwrap_or_else(|| Element::new(Tag::Document, Span::default()));
    p.stack.clear();
    if p.duplicate_substitutions {
        directives::mark_duplicate_definitions(&mut doc);
    }
    // Sphinx turns `doctitle_xform` off: the title stays a section.
    let without_doctitle: Vec<Transform>;
    let selected = match opts.transforms.as_deref() {
        Some(t) => t,
        None if sphinx.is_some() => {
            without_doctitle = Transform::STANDARD
                .iter()
                .copied()
                .filter(|t| *t != Transform::DocTitle)
                .collect();
            &without_doctitle
        }
        None => &Transform::STANDARD,
    };
    sphinx::page::finish_parse(&mut p, &mut doc);
    transforms::apply(&mut p, &mut doc, selected);
    if sphinx.is_some() {
        sphinx::page::finish(&mut doc);
        // Sphinx's labels are the explicit names (`document.nametypes`);
        // the project-wide step reads them from here.
        let mut labels: Vec<&str> = p
            .doc
            .nametypes
            .iter()
            .filter(|(_, explicit)| **explicit)
            .map(|(name, _)| name.as_str())
            .collect();
        labels.sort_unstable();
        if !labels.is_empty() {
            doc.set(Attr::KbgenLabels, labels.join("\n"));
        }
    }
    let last = LastWalk {
        keep_origins: opts.expose_internals.any(),
        len: source.text.len() as u32,
        drop_escape_markers: p.doc.keep_escapes,
        sphinx: sphinx.is_some(),
    };
    last.strip_hidden(&mut doc);
    expose_internals::expose(&mut doc, source, opts.expose_internals);
    doc
}

/// The page's last walk over its tree, doing in one pass what each page
/// needs at the end (each whole-tree walk costs a few million
/// instructions on a large site).
struct LastWalk {
    /// Whether nodes keep their line and file attributes for
    /// [`expose_internals::expose`], which drops them.
    keep_origins: bool,
    /// Length of the source text: spans are clamped to it.
    len: u32,
    /// Text nodes lose the NUL escape markers kept for smart quotes
    /// ([`doc::Doc::keep_escapes`]), as docutils' `astext()` drops them.
    drop_escape_markers: bool,
    /// Sphinx's messages from the prolog or epilog name those texts
    /// ([`sphinx::page::message_origin`]).
    sphinx: bool,
}

impl LastWalk {
    /// Removes internal bookkeeping attributes, clamps spans to the text
    /// and gives generated nodes theirs ([`anchor_generated`]).
    fn strip_hidden(&self, e: &mut Element) {
        if self.sphinx {
            sphinx::page::message_origin(e);
        }
        // Most elements have no attributes at all: no call to `retain`.
        if !e.attrs.is_empty() {
            if self.keep_origins {
                e.attrs.retain(|(k, _)| {
                    !k.is_internal()
                        || matches!(
                            k,
                            AttrName::Known(Attr::InternalLine | Attr::InternalSource)
                        )
                });
            } else {
                e.attrs.retain(|(k, _)| !k.is_internal());
            }
        }
        let l = self.len;
        let clamp = |s: &mut Span| {
            s.start = s.start.min(l);
            s.end = s.end.min(l).max(s.start);
        };
        clamp(&mut e.span);
        for c in e.children.iter_mut() {
            match c {
                Node::Element(x) => self.strip_hidden(x),
                Node::Text(t) => {
                    if self.drop_escape_markers && memchr::memchr(0, t.text.as_bytes()).is_some() {
                        t.text = crate::ast::unescape_nul(&t.text);
                    }
                    clamp(&mut t.span);
                }
            }
            // An element's span covers its content (generated nodes such
            // as TOC entries point at the titles they were made from).
            e.span = e.span.cover(c.span());
        }
        // The children's spans are final now: those still without a
        // position are anchored as [`anchor_generated`] would anchor
        // them, in this same walk (a walk of its own cost as much).
        let anchor = Span::new(e.span.start as usize, e.span.start as usize);
        for c in e.children.iter_mut() {
            match c {
                Node::Element(x) if x.span == Span::default() => {
                    x.span = anchor;
                    anchor_generated(x);
                }
                Node::Text(t) if t.span == Span::default() => t.span = anchor,
                _ => {}
            }
        }
    }
}

/// Gives nodes that still have no position (`0..0`: generated titles,
/// empty bodies) an empty span at the start of their parent, so spans nest
/// without stretching real ones back to the start of the file.
fn anchor_generated(e: &mut Element) {
    let anchor = Span::new(e.span.start as usize, e.span.start as usize);
    for c in e.children.iter_mut() {
        match c {
            Node::Element(x) => {
                if x.span == Span::default() {
                    x.span = anchor;
                }
                anchor_generated(x);
            }
            Node::Text(t) => {
                if t.span == Span::default() {
                    t.span = anchor;
                }
            }
        }
    }
}
