//! Directives: the generic block parsing (`parse_directive_block`: arguments,
//! options, content) and the dispatch to each directive's implementation.

mod admonitions;
mod body;
pub(crate) mod code;
mod date;
pub use code::SyntaxHighlight;
pub use include::Inclusion;
pub use include::input_lines as include_input_lines;
mod images;
mod include;
mod measures;
mod meta;
mod misc;
mod options;
mod parts;
mod substitution;
mod tables;
mod test_directive;

pub use substitution::{mark_duplicate_definitions, substitution_def};

pub(crate) use admonitions::inline_arg;

use crate::ast::ids::fully_normalize_name;
use crate::ast::{Element, Node, Span, Tag};
use crate::diag::Severity;

use super::block::{LineView, Parser};
use super::languages::{self, NameKind};

/// Option value converters (`docutils.parsers.rst.directives`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Opt {
    Flag,
    Unchanged,
    UnchangedRequired,
    Class,
    Name,
    NonNegInt,
    /// `directives.length_or_unitless`: a CSS length or a bare number.
    LengthOrUnitless,
    /// `directives.length_or_percentage_or_unitless`.
    LengthPercentageOrUnitless,
    /// The figure's `figwidth_value`: `image`, or a length, percentage or
    /// number of pixels.
    FigureWidth,
    /// `directives.percentage`: a non-negative integer, `%` allowed.
    Percentage,
    Uri,
    Align(&'static [&'static str]),
    Choice(&'static [&'static str]),
    /// `directives.encoding`: a name kbgen can decode.
    Encoding,
    /// Python's `int`.
    Int,
    /// `directives.value_or((None,), int)`: no value, or an integer.
    IntOrNone,
    /// `directives.parser_name`.
    Parser,
    /// `directives.single_char_or_unicode`.
    CharOrUnicode,
    /// `directives.single_char_or_whitespace_or_unicode`: also `tab`, `space`.
    CharOrWhitespaceOrUnicode,
}

pub struct Spec {
    pub req: usize,
    pub opt: usize,
    pub final_ws: bool,
    pub options: &'static [(&'static str, Opt)],
    pub content: bool,
}

/// Everything a directive implementation gets.
pub struct Ctx {
    /// The canonical (English, lower-case) name the directive runs as.
    pub name: String,
    /// The name as written (docutils' `self.name`), for messages.
    pub typed_name: String,
    pub args: Vec<String>,
    pub options: Vec<(String, String)>,
    pub content: Vec<LineView>,
    pub lineno: usize,
    pub block_text: String,
    pub span: Span,
    /// Name of the substitution being defined, when inside `.. |x| directive::`.
    pub subst: Option<String>,
}

impl Ctx {
    /// The first argument with Sphinx's line continuations (a backslash at
    /// the end of a line) joined, as object signatures and grammar rules
    /// are read.
    pub fn joined_argument(&self) -> String {
        self.args
            .first()
            .map(|a| a.replace("\\\n", ""))
            .unwrap_or_default()
    }

    pub fn opt(&self, k: &str) -> Option<&str> {
        self.options
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
    }
    pub fn has(&self, k: &str) -> bool {
        self.options.iter().any(|(n, _)| n == k)
    }
    pub fn classes(&self) -> Vec<String> {
        self.opt("class")
            .map(|c| c.split_whitespace().map(str::to_string).collect())
            .unwrap_or_default()
    }
    /// docutils' error for a directive that needs content and has none,
    /// naming the directive as the page wrote it.
    pub fn no_content(&self, p: &Parser) -> Vec<Node> {
        let text = format!(
            "Content block expected for the \"{}\" directive; none found.",
            self.typed_name
        );
        vec![self.error(p, &text).into()]
    }
    pub fn error(&self, p: &Parser, text: &str) -> Element {
        p.doc.message_with_block(
            Severity::Error,
            text,
            &self.block_text,
            Some(self.lineno),
            self.span,
        )
    }
    pub fn warning(&self, p: &Parser, text: &str) -> Element {
        p.doc.message_with_block(
            Severity::Warning,
            text,
            &self.block_text,
            Some(self.lineno),
            self.span,
        )
    }
}

/// `Directive.add_name`: `:name:` becomes a name and explicit target.
/// A message about the name (a duplicate) goes where docutils appends it:
/// into an element whose content model holds body elements; under a
/// `rubric`, `literal_block` or `image` it is left for the Messages
/// transform.
pub fn add_name(p: &mut Parser, ctx: &Ctx, el: &mut Element) -> Vec<Element> {
    if let Some(n) = ctx.opt("name") {
        el.names.push(fully_normalize_name(n));
        let msgs = p.doc.note_explicit_target(el, Some(name_line(p, ctx, el)));
        if holds_body_elements(el.tag) {
            return msgs;
        }
        p.doc.dangling_messages.extend(msgs);
    }
    Vec::new()
}

/// The line docutils reports a duplicate `:name:` at: the node's own
/// line when the directive sets it before `add_name` (most do, to the
/// directive's line); else the state machine's, the block's last line.
fn name_line(p: &Parser, ctx: &Ctx, el: &Element) -> usize {
    let last = ctx.lineno + ctx.block_text.trim_end().matches('\n').count();
    match ctx.name.as_str() {
        _ if el.tag.is_admonition() => last,
        "csv-table" | "target-notes" | "code" | "code-block" | "sourcecode" => last,
        "parsed-literal" => ctx.content.first().map_or(last, |l| p.lineno(*l)),
        _ => ctx.lineno,
    }
}

/// Whether docutils' content model of the element includes `Body`.
fn holds_body_elements(tag: Tag) -> bool {
    tag.is_admonition()
        || matches!(
            tag,
            Tag::Topic
                | Tag::Sidebar
                | Tag::Compound
                | Tag::Container
                | Tag::BlockQuote
                | Tag::Footnote
                | Tag::Citation
                | Tag::Legend
        )
}

pub const CLASS_NAME: &[(&str, Opt)] = &[("class", Opt::Class), ("name", Opt::Name)];

fn spec_of(name: &str) -> Option<Spec> {
    let s = |req, opt, final_ws, options, content| {
        Some(Spec {
            req,
            opt,
            final_ws,
            options,
            content,
        })
    };
    match name {
        "attention" | "caution" | "danger" | "error" | "hint" | "important" | "note" | "tip"
        | "warning" => s(0, 0, false, CLASS_NAME, true),
        "admonition" => s(1, 0, true, CLASS_NAME, true),
        "contents" => s(
            0,
            1,
            true,
            &[
                ("depth", Opt::NonNegInt),
                ("local", Opt::Flag),
                ("backlinks", Opt::Choice(&["top", "entry", "none"])),
                ("class", Opt::Class),
            ],
            false,
        ),
        "role" => s(0, 0, false, &[], true),
        "default-role" => s(0, 1, false, &[], false),
        "title" => s(1, 0, true, &[], false),
        "image" => s(1, 0, true, images::IMAGE_OPTS, false),
        "figure" => s(1, 0, true, images::FIGURE_OPTS, true),
        "code" | "code-block" | "sourcecode" => s(
            0,
            1,
            false,
            &[
                ("class", Opt::Class),
                ("name", Opt::Name),
                ("number-lines", Opt::IntOrNone),
            ],
            true,
        ),
        "raw" => s(
            1,
            0,
            true,
            &[
                ("file", Opt::Unchanged),
                ("url", Opt::Uri),
                ("encoding", Opt::Encoding),
                ("class", Opt::Class),
            ],
            true,
        ),
        "include" => s(
            1,
            0,
            true,
            &[
                ("literal", Opt::Flag),
                ("code", Opt::Unchanged),
                ("encoding", Opt::Encoding),
                ("parser", Opt::Parser),
                ("tab-width", Opt::Int),
                ("start-line", Opt::Int),
                ("end-line", Opt::Int),
                ("start-after", Opt::Unchanged),
                ("end-before", Opt::Unchanged),
                ("number-lines", Opt::IntOrNone),
                ("class", Opt::Class),
                ("name", Opt::Name),
            ],
            false,
        ),
        "class" | "rst-class" => s(1, 0, true, &[], true),
        "rubric" => s(1, 0, true, CLASS_NAME, false),
        "topic" => s(1, 0, true, CLASS_NAME, true),
        "sidebar" => s(
            0,
            1,
            true,
            &[
                ("subtitle", Opt::UnchangedRequired),
                ("class", Opt::Class),
                ("name", Opt::Name),
            ],
            true,
        ),
        "container" => s(0, 1, true, &[("name", Opt::Name)], true),
        "parsed-literal" => s(0, 0, false, CLASS_NAME, true),
        "compound" => s(0, 0, false, CLASS_NAME, true),
        "epigraph" | "highlights" | "pull-quote" => s(0, 0, false, &[], true),
        "line-block" => s(0, 0, false, CLASS_NAME, true),
        "list-table" => s(0, 1, true, tables::LIST_TABLE_OPTS, true),
        "table" => s(0, 1, true, tables::TABLE_OPTS, true),
        "csv-table" => s(0, 1, true, tables::CSV_OPTS, true),
        "math" => s(0, 0, false, CLASS_NAME, true),
        "replace" => s(0, 0, false, &[], true),
        "unicode" => s(
            1,
            0,
            true,
            &[
                ("trim", Opt::Flag),
                ("ltrim", Opt::Flag),
                ("rtrim", Opt::Flag),
            ],
            false,
        ),
        "date" => s(0, 1, true, &[], false),
        "meta" => s(0, 0, false, &[], true),
        "header" | "footer" => s(0, 0, false, &[], true),
        "sectnum" | "section-numbering" => s(
            0,
            0,
            false,
            &[
                ("depth", Opt::NonNegInt),
                ("start", Opt::NonNegInt),
                ("prefix", Opt::Unchanged),
                ("suffix", Opt::Unchanged),
            ],
            false,
        ),
        "target-notes" => s(0, 0, false, &[("class", Opt::Class)], false),
        "restructuredtext-test-directive" => {
            s(0, 1, true, &[("option", Opt::UnchangedRequired)], true)
        }
        _ => None,
    }
}

/// Parses `.. name::` at `b[i]` (marker ends at `mend`) and runs it.
pub fn directive(
    p: &mut Parser,
    b: &[LineView],
    i: usize,
    name: &str,
    mend: usize,
) -> (usize, bool) {
    run(p, b, i, name, mend, None, None)
}

pub(super) fn run(
    p: &mut Parser,
    b: &[LineView],
    i: usize,
    name: &str,
    mend: usize,
    subst: Option<String>,
    subst_skip: Option<usize>,
) -> (usize, bool) {
    let lineno = p.lineno(b[i]);
    let ind = p.get_first_known_indented(b, i, mend, false, false);
    let end = ind.end;
    let blank_finish = ind.blank_finish;
    // docutils quotes every line the directive consumed, trailing blank lines included
    let mut block_text = p.join(&b[i..end.min(b.len()).max(i + 1)]).0;
    if let Some(skip) = subst_skip {
        // inside `.. |x| directive::` docutils quotes from the directive name on
        block_text = block_text.get(skip..).unwrap_or("").to_string();
    }
    let span = p.line_span(b[i]).cover(p.block_span(&ind.lines));
    let mut lname = name.to_lowercase();
    // A page in another language: the localized name's canonical one,
    // with docutils' INFO when it took English or the name itself.
    let mut info_given = false;
    if !languages::is_english(&p.doc.language_code) {
        let found = languages::resolve(
            &p.doc.found_names,
            NameKind::Directive,
            &p.doc.language_code,
            name,
        );
        if let Some(text) = found.info {
            let m = name_lookup_info(p, &text, lineno, span);
            p.push(m);
            info_given = true;
        }
        lname = found.canonical;
    }
    let sphinx_spec = if p.doc.sphinx.is_some() {
        super::sphinx::spec_of(&lname)
    } else {
        None
    };
    let Some(spec) = sphinx_spec.or_else(|| spec_of(&lname)) else {
        if p.doc.sphinx.is_some() && subst.is_none() {
            // A Sphinx project's own extension (`kernel-doc`, `qapi-doc`):
            // a warning, and a visible placeholder so the page still publishes.
            let m = p.doc.message_with_block(
                Severity::Warning,
                &format!("Unknown directive type \"{name}\": it comes from a Sphinx extension kbgen does not implement."),
                &block_text,
                Some(lineno),
                span,
            );
            p.push(m);
            let mut placeholder = Element::new(Tag::Container, span);
            placeholder.classes.push("kbgen-missing-extension".into());
            let mut para = Element::new(Tag::Paragraph, span);
            para.push_text(
                format!(
                    "[{name}: this content is made by a Sphinx extension kbgen does not implement]"
                ),
                span,
            );
            placeholder.push(para);
            p.push(placeholder);
            return (end, blank_finish);
        }
        if !info_given {
            let text = super::doc::unknown_name_text("directive", name);
            let info = name_lookup_info(p, &text, lineno, span);
            p.push(info);
        }
        let m = p.doc.message_with_block(
            Severity::Error,
            &format!("Unknown directive type \"{name}\"."),
            &block_text,
            Some(lineno),
            span,
        );
        if subst.is_some() {
            return finish_subst_error(p, m, end, blank_finish);
        }
        p.push(m);
        return (end, blank_finish);
    };
    p.doc
        .found_names
        .remember(NameKind::Directive, name, &lname);
    let parsed = options::parse_block(p, &ind.lines, &spec);
    let (args, options, content) = match parsed {
        Ok(x) => x,
        Err(e) => {
            let m = p.doc.message_with_block(
                Severity::Error,
                &format!("Error in \"{name}\" directive:\n{e}."),
                &block_text,
                Some(lineno),
                span,
            );
            if subst.is_some() {
                return finish_subst_error(p, m, end, blank_finish);
            }
            p.push(m);
            return (end, blank_finish);
        }
    };
    let ctx = Ctx {
        name: lname.clone(),
        typed_name: name.to_string(),
        args,
        options,
        content,
        lineno,
        block_text,
        span,
        subst,
    };
    let nodes = dispatch(p, &ctx);
    for mut n in nodes {
        if let Node::Element(e) = &mut n
            && e.tag != Tag::SystemMessage
        {
            p.mark_origin(e, b[i]);
            if let Some(title) = e.elements_mut().find(|c| c.tag == Tag::Title) {
                p.mark_origin(title, b[i]);
            }
        }
        p.push(n);
    }
    (end, blank_finish)
}

/// The INFO docutils gives while looking a directive's name up: at the
/// directive's line in its file, which docutils reads as a line of all
/// the input with the included files' lines in it
/// ([`include_input_lines`]): after an inclusion, another line.
fn name_lookup_info(p: &Parser, text: &str, lineno: usize, span: Span) -> Element {
    // an include with `:parser:` reads its file as a document of its own
    if p.include_stack.iter().any(|i| !i.logged) {
        return p.doc.message(Severity::Info, text, Some(lineno), span);
    }
    let (source, line) = match p.input_lines.lookup(lineno) {
        Some((source, line)) => (source.unwrap_or(&p.doc.source_name), Some(line)),
        None => (p.doc.source_name.as_str(), None),
    };
    p.doc
        .message_in(Severity::Info, text, line, Some(source), span)
}

fn finish_subst_error(p: &mut Parser, m: Element, end: usize, bf: bool) -> (usize, bool) {
    p.push(m);
    (end, bf)
}

fn dispatch(p: &mut Parser, ctx: &Ctx) -> Vec<Node> {
    if p.doc.sphinx.is_some()
        && let Some(nodes) = super::sphinx::dispatch(p, ctx)
    {
        return nodes;
    }
    match ctx.name.as_str() {
        "attention" | "caution" | "danger" | "error" | "hint" | "important" | "note" | "tip"
        | "warning" | "admonition" => admonitions::admonition(p, ctx),
        "contents" => parts::contents(p, ctx),
        "sectnum" | "section-numbering" => misc::sectnum(p, ctx),
        "role" => misc::role(p, ctx),
        "default-role" => misc::default_role(p, ctx),
        "title" => misc::title(p, ctx),
        "raw" => misc::raw(p, ctx),
        "include" => include::include(p, ctx),
        "class" | "rst-class" => misc::class(p, ctx),
        "replace" => misc::replace(p, ctx),
        "unicode" => misc::unicode(p, ctx),
        "date" => date::date(p, ctx),
        "meta" => meta::meta(p, ctx),
        "header" | "footer" => misc::decoration(p, ctx),
        "target-notes" => misc::target_notes(ctx),
        "image" => images::image(p, ctx),
        "figure" => images::figure(p, ctx),
        "list-table" => tables::list_table(p, ctx),
        "table" => tables::table(p, ctx),
        "csv-table" => tables::csv_table(p, ctx),
        "restructuredtext-test-directive" => test_directive::test_directive(p, ctx),
        _ => body::body(p, ctx),
    }
}
