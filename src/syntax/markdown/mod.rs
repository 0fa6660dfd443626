//! Markdown pages: CommonMark plus tables, footnotes, strikethrough, task
//! lists and heading attributes (pulldown-cmark), mapped into the same
//! docutils-shaped doctree as RST so every later stage (passes, XML
//! checks, search, HTML) treats both kinds of page alike.
//!
//! Mapping choices where docutils has no exact element:
//! * strikethrough → `inline classes="strike"` (what a custom role gives);
//! * task list items → `list_item classes="task task-done|task-todo"`,
//!   their list gets `task-list`;
//! * a heading inside a list or block quote → `rubric` (docutils' informal
//!   heading) with the `level` it has in the outline there, written `<hN>`;
//! * tight and loose lists → docutils' explicit list classes `compact` and `open`;
//! * raw HTML → `raw format="html"` only with `raw-html = "allow"`;
//!   otherwise blocks become `paragraph classes="raw-html"` and inline
//!   HTML becomes text — shown escaped, never run. HTML comments are
//!   dropped (`comment` for blocks), as editors' notes;
//! * hard line breaks → kbgen's `line_break` element (docutils has no
//!   `<br>`), followed by the line feed as text;
//! * bare URLs and e-mail addresses → `reference`s (GitHub's autolinks).
//!
//! The title comes from front matter, else from the first heading when it
//! opens the page; category, short title and description from front
//! matter go into a `docinfo`, exactly where RST's field list puts them,
//! so [`crate::passes::metadata::extract_metadata`] reads both alike.

mod autolinks;
mod builder;
pub mod fragment;
pub mod front_matter;
pub mod links;

use crate::ast::Attr;
use rustc_hash::FxHashSet;
use std::collections::HashMap;

use pulldown_cmark::{Options, Parser};

use crate::ast::ids::{fully_normalize_name, make_id};
use crate::ast::{Element, Node, Span, Tag};
use crate::config::RawHtml;
use crate::diag::Diagnostic;
use crate::source::SourceFile;

use builder::{Builder, unique_id};
use front_matter::FrontField;

/// Settings that change how a Markdown page is parsed.
#[derive(Debug, Clone)]
pub struct MarkdownOptions {
    /// Value of the document's `source` attribute.
    pub source_name: String,
    /// What raw HTML becomes (`book.toml`'s `markdown.raw-html`).
    pub raw_html: RawHtml,
}

/// The pulldown-cmark extensions kbgen enables. Front matter is found by
/// [`front_matter::split`], not by pulldown-cmark, which would take a
/// `---` block after any blank line as one.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Parses a Markdown page into a doctree plus the problems found (bad
/// front matter, undefined footnotes), each pointing into the `.md` file.
pub fn parse_document(source: &SourceFile, opts: &MarkdownOptions) -> (Element, Vec<Diagnostic>) {
    let text = source.text.as_str();
    let mut builder = Builder::new(text, &opts.source_name, opts.raw_html);
    let body = match front_matter::split(text) {
        Some(block) => {
            let (fields, problems) = front_matter::parse(
                &text[block.content.clone()],
                block.content.start,
                block.style,
            );
            builder.front_matter(fields, problems);
            block.end
        }
        None => 0,
    };
    for (event, range) in Parser::new_ext(&text[body..], options()).into_offset_iter() {
        builder.event(event, range.start + body..range.end + body);
    }
    let front = std::mem::take(&mut builder.front);
    let problems = std::mem::take(&mut builder.problems);
    let too_deep = builder.too_deep;
    let has_footnotes = builder.has_footnotes;
    let (mut doc, first_heading, mut ids) = builder.finish();
    let mut diags: Vec<Diagnostic> = problems
        .into_iter()
        .map(|(msg, span)| {
            Diagnostic::warning("md-front-matter", msg).at(
                source,
                span.start as usize,
                span.end as usize,
            )
        })
        .collect();
    if let Some(span) = too_deep {
        diags.push(
            Diagnostic::error(
                "md-nesting-too-deep",
                format!(
                    "nesting too deep: more than {} levels; deeper structure is flattened",
                    builder::MAX_DEPTH
                ),
            )
            .at(source, span.start as usize, span.end as usize),
        );
    }
    apply_front_matter(&mut doc, &front, &mut ids);
    if doc.get(Attr::Title).is_none() {
        // No title at the top: the first heading still names the page.
        if let Some(t) = first_heading {
            doc.set(Attr::Title, t);
        }
    }
    let missing = if has_footnotes {
        number_footnotes(&mut doc, &mut ids)
    } else {
        Vec::new()
    };
    for (label, span) in missing {
        diags.push(
            Diagnostic::warning("md-footnote", format!("footnote [^{label}] is not defined")).at(
                source,
                span.start as usize,
                span.end as usize,
            ),
        );
    }
    (doc, diags)
}

/// Title from front matter first; the other keys as docinfo fields right
/// after it.
fn apply_front_matter(doc: &mut Element, front: &[FrontField], ids: &mut FxHashSet<String>) {
    if let Some(t) = front
        .iter()
        .find(|f| f.key == "title" && !f.value.trim().is_empty())
    {
        let mut title = Element::new(Tag::Title, t.span);
        title.push_text(t.value.trim(), t.span);
        doc.ids.insert(0, unique_id(ids, &make_id(&t.value)));
        doc.names.insert(0, fully_normalize_name(&t.value));
        doc.set(Attr::Title, t.value.trim());
        doc.children.insert(0, title.into());
    }
    let fields: Vec<&FrontField> = front
        .iter()
        .filter(|f| f.key != "title" && !f.value.trim().is_empty())
        .collect();
    if fields.is_empty() {
        return;
    }
    let span = fields
        .iter()
        .map(|f| f.span)
        .fold(fields[0].span, Span::cover);
    let mut docinfo = Element::new(Tag::Docinfo, span);
    for f in fields {
        let mut field = Element::new(Tag::Field, f.span);
        field.classes.push(f.key.to_string());
        let mut name = Element::new(Tag::FieldName, f.span);
        name.push_text(f.key, f.span);
        let mut para = Element::new(Tag::Paragraph, f.span);
        para.push_text(f.value.trim(), f.span);
        let body = Element::with_children(Tag::FieldBody, f.span, vec![para.into()]);
        field.push(name);
        field.push(body);
        docinfo.push(field);
    }
    let at = usize::from(
        doc.first(Tag::Title).is_some()
            && matches!(doc.children.first(), Some(Node::Element(e)) if e.tag == Tag::Title),
    );
    doc.children.insert(at, docinfo.into());
}

/// docutils' auto-numbered footnotes: numbers in order of first
/// reference, each reference linked to its footnote and back. Returns the
/// references whose footnote is missing (they become `problematic`).
fn number_footnotes(doc: &mut Element, ids: &mut FxHashSet<String>) -> Vec<(String, Span)> {
    let mut footnote_ids: HashMap<String, String> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    doc.walk(&mut |e| match e.tag {
        Tag::Footnote => {
            if let (Some(name), Some(id)) = (e.names.first(), e.ids.first()) {
                footnote_ids
                    .entry(name.clone())
                    .or_insert_with(|| id.clone());
            }
        }
        Tag::FootnoteReference => {
            if let Some(name) = e.get(Attr::Refname)
                && !order.iter().any(|n| n == name)
            {
                order.push(name.to_string());
            }
        }
        _ => {}
    });
    let mut numbers: HashMap<String, usize> = HashMap::new();
    for name in order.iter().filter(|n| footnote_ids.contains_key(*n)) {
        let n = numbers.len() + 1;
        numbers.insert(name.clone(), n);
    }
    let mut backrefs: HashMap<String, Vec<String>> = HashMap::new();
    let mut missing = Vec::new();
    doc.walk_mut(&mut |e| {
        if e.tag != Tag::FootnoteReference {
            return;
        }
        let name = e.remove(Attr::Refname).unwrap_or_default();
        match (numbers.get(&name), footnote_ids.get(&name)) {
            (Some(n), Some(target)) => {
                let id = unique_id(ids, &format!("footnote-reference-{n}"));
                e.ids.push(id.clone());
                e.set(Attr::Refid, target.clone());
                e.push_text(n.to_string(), e.span);
                backrefs.entry(name).or_default().push(id);
            }
            _ => {
                e.tag = Tag::Problematic;
                e.remove(Attr::Auto);
                e.push_text(format!("[^{name}]"), e.span);
                missing.push((name, e.span));
            }
        }
    });
    let mut next = numbers.len();
    doc.walk_mut(&mut |e| {
        if e.tag != Tag::Footnote {
            return;
        }
        let name = e.names.first().cloned().unwrap_or_default();
        let n = match numbers.get(&name) {
            Some(n) => *n,
            None => {
                next += 1;
                next
            }
        };
        e.backrefs = backrefs.remove(&name).unwrap_or_default().into();
        let mut label = Element::new(Tag::Label, e.span);
        label.push_text(n.to_string(), e.span);
        e.children.insert(0, label.into());
    });
    missing
}

#[cfg(test)]
mod tests;
