//! XML examples validated at build time.
//!
//! An *example* is a literal block (`::`, or `code` / `code-block` /
//! `sourcecode` with language `xml`) whose first character that is not
//! blank and not on an elision line is `<` followed by a letter, `?` or
//! `!`. Blocks with an explicit non-XML language are not examples.
//! Elisions (see [`prepare`]) are removed, open elements closed, and
//! fragments wrapped before parsing. Every element in a passthrough
//! namespace is validated, with its subtree, against that namespace's
//! RELAX NG schema ([`schemas`]); examples that pass get the attribute
//! `kbgen-schema` (a label such as "QEMU passthrough") for the renderer's
//! badge.
//!
//! To opt one block out, put this RST comment right before it:
//!
//! ```rst
//! .. kbgen: no-validate
//! ```
//!
//! `kbgen validate FILE.xml…` applies the same rules to standalone files
//! ([`validate_file`]): no elision handling, and a file that is not
//! well-formed is an error. Exit 0 when all are valid, 1 otherwise.
//!
//! # Diagnostic codes
//!
//! | code | severity | meaning |
//! |---|---|---|
//! | `xml-schema` | error | a passthrough element breaks its schema (missing or unknown attribute, bad value, element not allowed) |
//! | `xml-namespace` | error | a namespace URI nearly matches a passthrough namespace (version, trailing slash, https, typo): "did you mean" |
//! | `xml-no-namespace` | error | `<commandline>` in no namespace; says which declaration is missing |
//! | `xml-undeclared-prefix` | error | an element or attribute uses a prefix that is not declared |
//! | `xml-malformed` | warning (`[xml] malformed`: warning, error, ignore; an error under `--strict`) | not well-formed after elision handling; always an error when the example has passthrough content |
//! | `xml-entities` | as `xml-malformed` | the example declares entities, which kbgen refuses to expand |
//! | `xml-schema-load` | error | a schema from `book.toml` `[xml] schemas` cannot be read or compiled |

pub mod check;
mod datatypes;
pub mod hints;
mod lone;
mod messages;
pub mod prepare;
pub mod schemas;
mod tree;

use crate::ast::Attr;
use std::path::Path;

pub use schemas::SchemaSet;

use crate::ast::{Element, Node, Tag};
use crate::config::Policy;
use crate::diag::{Diagnostic, Severity};
use crate::source::SourceFile;
use check::Ctx;

/// The comment text that opts the next block out of validation.
pub const OPT_OUT: &str = "kbgen: no-validate";

/// The attribute the renderer reads for the "validated" badge.
pub const SCHEMA_ATTR: Attr = Attr::KbgenSchema;

/// What the pass saw on a page, for reports over a corpus.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// XML examples found (opted-out blocks not included).
    pub examples: usize,
    pub opted_out: usize,
    /// Examples in which at least one elision was dropped.
    pub with_elisions: usize,
    /// Examples closed implicitly or wrapped as fragments.
    pub repaired: usize,
    pub malformed: usize,
    /// Examples with passthrough content, and those of them that validated.
    pub passthrough: usize,
    pub validated: usize,
}

impl std::ops::AddAssign for Stats {
    fn add_assign(&mut self, o: Stats) {
        self.examples += o.examples;
        self.opted_out += o.opted_out;
        self.with_elisions += o.with_elisions;
        self.repaired += o.repaired;
        self.malformed += o.malformed;
        self.passthrough += o.passthrough;
        self.validated += o.validated;
    }
}

/// Checks every XML example of a page. See the module documentation.
pub fn check_xml_examples(
    doc: &mut Element,
    source: &SourceFile,
    schemas: &SchemaSet,
    policy: Policy,
) -> Vec<Diagnostic> {
    check_all(doc, source, schemas, policy, false).0
}

/// [`check_xml_examples`], also returning what it saw.
pub fn check_xml_examples_with_stats(
    doc: &mut Element,
    source: &SourceFile,
    schemas: &SchemaSet,
    policy: Policy,
) -> (Vec<Diagnostic>, Stats) {
    check_all(doc, source, schemas, policy, true)
}

/// The pass; `full_stats` also counts the examples that mention
/// passthrough content without having any (a second scan of each example
/// that a build, which keeps no statistics, need not pay for).
fn check_all(
    doc: &mut Element,
    source: &SourceFile,
    schemas: &SchemaSet,
    policy: Policy,
    full_stats: bool,
) -> (Vec<Diagnostic>, Stats) {
    let malformed = match policy {
        Policy::Warning => Some(Severity::Warning),
        Policy::Error => Some(Severity::Error),
        Policy::Ignore => None,
    };
    let mut diags = Vec::new();
    let mut stats = Stats::default();
    // Explicit stack: the tree's depth is the page author's to choose.
    let mut stack: Vec<&mut Element> = vec![doc];
    while let Some(el) = stack.pop() {
        let mut opt_out = false;
        for child in el.children.iter_mut() {
            let Node::Element(e) = child else { continue };
            let skip = std::mem::take(&mut opt_out);
            if e.tag == Tag::Comment {
                opt_out = e.astext().trim().eq_ignore_ascii_case(OPT_OUT);
            } else if e.tag == Tag::LiteralBlock {
                if is_example(e) {
                    if skip {
                        stats.opted_out += 1;
                    } else {
                        let out = Out {
                            diags: &mut diags,
                            stats: &mut stats,
                            full_stats,
                        };
                        check_block(e, source, schemas, malformed, out);
                    }
                }
            } else if e.tag != Tag::SystemMessage {
                // System messages echo the source of failed directives;
                // that text is not an example.
                stack.push(e);
            }
        }
    }
    (diags, stats)
}

/// Whether a literal block is an XML example.
pub fn is_example(block: &Element) -> bool {
    let lang: Vec<&str> = block
        .classes
        .iter()
        .map(String::as_str)
        .filter(|c| *c != "code")
        .collect();
    let explicit_code = block.classes.iter().any(|c| c == "code");
    if explicit_code && !lang.is_empty() && !lang.iter().any(|c| c.eq_ignore_ascii_case("xml")) {
        return false;
    }
    if block
        .get(Attr::Language)
        // Sphinx's `default` names no language: the content decides.
        .is_some_and(|l| !l.eq_ignore_ascii_case("xml") && l != "default")
    {
        return false;
    }
    starts_like_xml(&block_text(block))
}

/// The text of a literal block, borrowed when it is one text node with no
/// NUL markers (nearly always), else [`Element::astext`].
fn block_text(block: &Element) -> std::borrow::Cow<'_, str> {
    match block.children.as_slice() {
        [Node::Text(t)] if !t.text.contains('\0') => std::borrow::Cow::Borrowed(t.text.as_str()),
        _ => std::borrow::Cow::Owned(block.astext()),
    }
}

/// First character that is not blank and not on an elision line is `<`
/// followed by a letter, `?` or `!`.
pub fn starts_like_xml(text: &str) -> bool {
    let Some(first) = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !prepare::is_elision_line(l))
    else {
        return false;
    };
    let mut chars = first.chars();
    chars.next() == Some('<')
        && chars
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '?' || c == '!')
}

/// Where [`check_block`] puts what it finds.
struct Out<'a> {
    diags: &'a mut Vec<Diagnostic>,
    stats: &'a mut Stats,
    /// Whether [`Stats::passthrough`] must be exact (see [`check_all`]).
    full_stats: bool,
}

fn check_block(
    block: &mut Element,
    source: &SourceFile,
    schemas: &SchemaSet,
    malformed: Option<Severity>,
    out: Out,
) {
    let Out {
        diags,
        stats,
        full_stats,
    } = out;
    let text = block_text(block);
    // Only a diagnostic needs page offsets, and most examples have none.
    let lines = std::cell::OnceCell::new();
    let prepared = prepare::prepare(&text);
    let map = |off: usize| {
        lines
            .get_or_init(|| BlockLines::new(&text, block, source))
            .page_offset(prepared.body_offset(off))
    };
    let ctx = Ctx {
        source,
        map: &map,
        schemas,
        malformed,
    };
    let outcome = check::check(&prepared.text, &ctx);
    stats.examples += 1;
    stats.with_elisions += usize::from(prepared.elisions > 0);
    stats.repaired += usize::from(prepared.wrapped || prepared.implicit_closes > 0);
    stats.malformed += usize::from(!outcome.well_formed);
    stats.passthrough += usize::from(
        outcome.subtrees > 0 || (full_stats && check::looks_passthrough(&text, schemas)),
    );
    if let Some(label) = outcome.label {
        stats.validated += 1;
        block.set(SCHEMA_ATTR, label);
    }
    diags.extend(outcome.diags);
}

/// Where each line of a block's (dedented) text starts in the page: line
/// k is page line `line_of(span.start) + k`, shifted right by the
/// indentation the parser removed.
struct BlockLines {
    text_starts: Vec<usize>,
    page_starts: Vec<usize>,
    page_len: usize,
}

impl BlockLines {
    fn new(text: &str, block: &Element, source: &SourceFile) -> BlockLines {
        let first = source.line_of(block.span.start as usize);
        let mut text_starts = Vec::new();
        let mut page_starts = Vec::new();
        let mut off = 0;
        for (k, line) in text.split('\n').enumerate() {
            let page_line = first + k as u32;
            let src = source.line_text(page_line);
            let lead = |s: &str| s.len() - s.trim_start().len();
            let indent = if line.trim().is_empty() {
                0
            } else {
                lead(src).saturating_sub(lead(line))
            };
            text_starts.push(off);
            page_starts.push(source.line_start(page_line) + indent);
            off += line.len() + 1;
        }
        BlockLines {
            text_starts,
            page_starts,
            page_len: source.text.len(),
        }
    }

    fn page_offset(&self, off: usize) -> usize {
        let i = match self.text_starts.binary_search(&off) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let base = self.page_starts.get(i).copied().unwrap_or(self.page_len);
        let start = self.text_starts.get(i).copied().unwrap_or(0);
        (base + off - start).min(self.page_len)
    }
}

/// Validates a standalone XML file (`kbgen validate`): the same rules,
/// but no elisions, and a file that is not well-formed is an error.
pub fn validate_file(path: &Path, display: &Path, schemas: &SchemaSet) -> Vec<Diagnostic> {
    let source = match SourceFile::read(path, display) {
        Ok(s) => s,
        Err(d) => return vec![d],
    };
    validate_source(&source, schemas).0
}

/// [`validate_file`] on a loaded source; also returns the badge label.
pub fn validate_source(
    source: &SourceFile,
    schemas: &SchemaSet,
) -> (Vec<Diagnostic>, Option<String>) {
    let map = |off: usize| off;
    let ctx = Ctx {
        source,
        map: &map,
        schemas,
        malformed: Some(Severity::Error),
    };
    let outcome = check::check(&prepare::Prepared::plain(&source.text).text, &ctx);
    (outcome.diags, outcome.label)
}

#[cfg(test)]
mod tests;
