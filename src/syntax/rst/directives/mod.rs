//! Directives: the generic block parsing (`parse_directive_block`: arguments,
//! options, content) and the dispatch to each directive's implementation.

mod admonitions;
mod body;
mod images;
mod include;
mod misc;
mod parts;
mod tables;

pub(crate) use admonitions::inline_arg;

use crate::ast::ids::{fully_normalize_name, make_id, whitespace_normalize_name};
use crate::ast::{Element, Node, Span, Tag};
use crate::diag::Severity;

use super::block::{LineView, Parser};
use super::lists::field_match;

/// Option value converters (`docutils.parsers.rst.directives`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Opt {
    Flag,
    Unchanged,
    UnchangedRequired,
    Class,
    Name,
    NonNegInt,
    Length,
    Percentage,
    Uri,
    Align(&'static [&'static str]),
    Choice(&'static [&'static str]),
    Encoding,
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
    pub name: String,
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
pub fn add_name(p: &mut Parser, ctx: &Ctx, el: &mut Element) -> Vec<Element> {
    if let Some(n) = ctx.opt("name") {
        el.names.push(fully_normalize_name(n));
        return p.doc.note_explicit_target(el, Some(ctx.lineno));
    }
    Vec::new()
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
                ("number-lines", Opt::Unchanged),
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
                ("parser", Opt::Unchanged),
                ("tab-width", Opt::Unchanged),
                ("start-line", Opt::Unchanged),
                ("end-line", Opt::Unchanged),
                ("start-after", Opt::UnchangedRequired),
                ("end-before", Opt::UnchangedRequired),
                ("number-lines", Opt::Unchanged),
                ("class", Opt::Class),
                ("name", Opt::Name),
            ],
            false,
        ),
        "class" => s(1, 0, true, &[], true),
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
        "target-notes" => s(
            0,
            0,
            false,
            &[("class", Opt::Class), ("name", Opt::Name)],
            false,
        ),
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

fn run(
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
    let lname = name.to_lowercase();
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
        let info = p
            .doc
            .unknown_name_info("directive", name, Some(lineno), span);
        p.push(info);
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
    let parsed = parse_block(p, &ind.lines, &spec);
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
        args,
        options,
        content,
        lineno,
        block_text,
        span,
        subst,
    };
    let nodes = dispatch(p, &ctx);
    for n in nodes {
        p.push(n);
    }
    (end, blank_finish)
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
        "class" => misc::class(p, ctx),
        "replace" => misc::replace(p, ctx),
        "unicode" => misc::unicode(p, ctx),
        "date" => misc::date(p, ctx),
        "meta" => misc::meta(p, ctx),
        "header" | "footer" => misc::decoration(p, ctx),
        "target-notes" => Vec::new(),
        "image" => images::image(p, ctx),
        "figure" => images::figure(p, ctx),
        "list-table" => tables::list_table(p, ctx),
        "table" => tables::table(p, ctx),
        "csv-table" => tables::csv_table(p, ctx),
        _ => body::body(p, ctx),
    }
}

type Parsed = (Vec<String>, Vec<(String, String)>, Vec<LineView>);

/// `parse_directive_block`.
fn parse_block(p: &Parser, indented: &[LineView], spec: &Spec) -> Result<Parsed, String> {
    let mut ind: Vec<LineView> = indented.to_vec();
    if ind.first().is_some_and(|l| p.is_blank(*l)) {
        ind.remove(0);
    }
    while ind.last().is_some_and(|l| p.is_blank(*l)) {
        ind.pop();
    }
    let has_args = spec.req > 0 || spec.opt > 0;
    let (mut arg_block, mut content, split) =
        if !ind.is_empty() && (has_args || !spec.options.is_empty()) {
            let i = ind.iter().position(|l| p.is_blank(*l)).unwrap_or(ind.len());
            (
                ind[..i].to_vec(),
                ind.get(i + 1..).map(|s| s.to_vec()).unwrap_or_default(),
                i,
            )
        } else {
            (Vec::new(), ind.clone(), 0)
        };
    let mut options = Vec::new();
    if !spec.options.is_empty()
        && let Some(k) = arg_block
            .iter()
            .position(|l| field_match(p.line_text(*l)).is_some())
    {
        let opt_block = arg_block.split_off(k);
        options = parse_options(p, &opt_block, spec)?;
    }
    if !arg_block.is_empty() && !has_args {
        let mut c = arg_block.clone();
        c.extend_from_slice(ind.get(split..).unwrap_or(&[]));
        content = c;
        arg_block.clear();
    }
    while content.first().is_some_and(|l| p.is_blank(*l)) {
        content.remove(0);
    }
    let args = if has_args {
        let text = p.join(&arg_block).0;
        let words: Vec<&str> = text.split_whitespace().collect();
        if words.len() < spec.req {
            return Err(format!(
                "{} argument(s) required, {} supplied",
                spec.req,
                words.len()
            ));
        } else if words.len() > spec.req + spec.opt {
            if spec.final_ws {
                split_n(&text, spec.req + spec.opt)
            } else {
                return Err(format!(
                    "maximum {} argument(s) allowed, {} supplied",
                    spec.req + spec.opt,
                    words.len()
                ));
            }
        } else {
            words.iter().map(|s| s.to_string()).collect()
        }
    } else {
        Vec::new()
    };
    if !content.is_empty() && !spec.content {
        return Err("no content permitted".into());
    }
    Ok((args, options, content))
}

/// Python's `str.split(None, n - 1)`.
fn split_n(text: &str, n: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text.trim_start();
    while out.len() + 1 < n {
        match rest.find(char::is_whitespace) {
            Some(k) => {
                out.push(rest[..k].to_string());
                rest = rest[k..].trim_start();
            }
            None => break,
        }
    }
    if !rest.is_empty() {
        out.push(rest.trim_end().to_string());
    }
    out
}

/// Parses the option field list with the spec's converters.
fn parse_options(
    p: &Parser,
    lines: &[LineView],
    spec: &Spec,
) -> Result<Vec<(String, String)>, String> {
    // group lines into fields: a field marker line and its indented continuation
    let mut out: Vec<(String, String)> = Vec::new();
    let mut k = 0;
    while k < lines.len() {
        let l = p.line_text(lines[k]).to_string();
        let Some((name, mend)) = field_match(&l) else {
            return Err("invalid option block".into());
        };
        let mut body = vec![l[mend..].to_string()];
        k += 1;
        while k < lines.len() && p.line_text(lines[k]).starts_with(' ') {
            body.push(p.line_text(lines[k]).trim().to_string());
            k += 1;
        }
        let raw = body.join("\n").trim().to_string();
        let Some(&(_, kind)) = spec.options.iter().find(|(n, _)| *n == name) else {
            return Err(format!("unknown option: \"{name}\""));
        };
        if out.iter().any(|(n, _)| *n == name) {
            return Err(format!("duplicate option \"{name}\""));
        }
        let value = convert(kind, &raw).map_err(|e| {
            format!(
                "invalid option value: (option: \"{name}\"; value: {})\n{e}",
                if raw.is_empty() {
                    "None".to_string()
                } else {
                    py_repr(&raw)
                }
            )
        })?;
        out.push((name, value));
    }
    Ok(out)
}

fn py_repr(s: &str) -> String {
    if s.contains('\'') && !s.contains('"') {
        format!("\"{s}\"")
    } else {
        format!(
            "'{}'",
            s.replace('\\', "\\\\")
                .replace('\'', "\\'")
                .replace('\n', "\\n")
        )
    }
}

fn convert(kind: Opt, raw: &str) -> Result<String, String> {
    match kind {
        Opt::Flag => {
            if raw.trim().is_empty() {
                Ok(String::new())
            } else {
                Err(format!("no argument is allowed; \"{raw}\" supplied"))
            }
        }
        Opt::Unchanged | Opt::Encoding => Ok(raw.to_string()),
        Opt::UnchangedRequired => {
            if raw.is_empty() {
                Err("argument required but none supplied".into())
            } else {
                Ok(raw.to_string())
            }
        }
        Opt::Class => {
            if raw.is_empty() {
                return Err("argument required but none supplied".into());
            }
            let mut v = Vec::new();
            for w in raw.split_whitespace() {
                let id = make_id(w);
                if id.is_empty() {
                    return Err(format!("cannot make \"{w}\" into a class name"));
                }
                v.push(id);
            }
            Ok(v.join(" "))
        }
        Opt::Name => Ok(whitespace_normalize_name(raw)),
        Opt::NonNegInt => match raw.trim().parse::<i64>() {
            Ok(n) if n >= 0 => Ok(n.to_string()),
            Ok(_) => Err("negative value; must be positive or zero".into()),
            Err(_) => Err(format!(
                "invalid literal for int() with base 10: {}",
                py_repr(raw)
            )),
        },
        Opt::Length | Opt::Percentage => {
            if raw.is_empty() {
                Err("argument required but none supplied".into())
            } else {
                Ok(raw.split_whitespace().collect::<String>())
            }
        }
        Opt::Uri => {
            if raw.is_empty() {
                Err("argument required but none supplied".into())
            } else {
                Ok(raw
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .split(' ')
                    .collect::<String>())
            }
        }
        Opt::Align(values) | Opt::Choice(values) => {
            let v = raw.trim().to_lowercase();
            if values.contains(&v.as_str()) {
                Ok(v)
            } else {
                let list = values
                    .iter()
                    .map(|s| format!("\"{s}\""))
                    .collect::<Vec<_>>();
                let joined = if list.len() > 1 {
                    format!(
                        "{} or {}",
                        list[..list.len() - 1].join(", "),
                        list[list.len() - 1]
                    )
                } else {
                    list.join("")
                };
                Err(format!("\"{}\" unknown; choose from {joined}", raw.trim()))
            }
        }
    }
}

/// `.. |name| directive:: ...`
pub fn substitution_def(
    p: &mut Parser,
    b: &[LineView],
    i: usize,
    name: &str,
    mend: usize,
) -> (usize, bool) {
    let lineno = p.lineno(b[i]);
    let line = p.line_text(b[i]).to_string();
    let after = line.get(mend..).unwrap_or("").to_string();
    let span = p.line_span(b[i]);
    let subname =
        whitespace_normalize_name(&super::inline::unescape(&super::inline::escape2null(name)));
    let mut def = Element::new(Tag::SubstitutionDefinition, span);
    def.names.push(subname.clone());
    // the directive on the rest of the line
    let Some((dname, dlen)) = directive_after(&after) else {
        let ind = p.get_first_known_indented(b, i, mend, false, false);
        let bt = p.join(&b[i..ind.end.min(b.len()).max(i + 1)]).0;
        let bt = bt.trim_end().to_string();
        let msg = if after.trim().is_empty() && ind.lines.iter().all(|l| p.is_blank(*l)) {
            format!("Substitution definition \"{subname}\" missing contents.")
        } else {
            format!("Substitution definition \"{subname}\" empty or invalid.")
        };
        let m = p
            .doc
            .message_with_block(Severity::Warning, &msg, &bt, Some(lineno), span);
        p.push(m);
        return (ind.end, ind.blank_finish);
    };
    // run the directive into a temporary container
    p.stack
        .push(Element::new(Tag::SubstitutionDefinition, span));
    let (end, bf) = run(
        p,
        b,
        i,
        &dname,
        mend + dlen,
        Some(subname.clone()),
        Some(mend),
    );
    let tmp = p
        .stack
        .pop()
        .unwrap_or_else(|| Element::new(Tag::SubstitutionDefinition, span));
    // non-inline results (messages, block elements) go to the parent first
    for n in tmp.children {
        match n {
            Node::Element(e) if e.tag.is_inline() => def.children.push(Node::Element(e)),
            Node::Text(t) => def.children.push(Node::Text(t)),
            Node::Element(e) => p.push(*e),
        }
    }
    if def.children.is_empty() {
        let bt = p
            .join(&b[i..end.min(b.len()).max(i + 1)])
            .0
            .trim_end()
            .to_string();
        let m = p.doc.message_with_block(
            Severity::Warning,
            &format!("Substitution definition \"{subname}\" empty or invalid."),
            &bt,
            Some(lineno),
            span,
        );
        p.push(m);
        return (end, bf);
    }
    // The definition spans its whole directive block, not only its first
    // line, so the nodes it holds (and their copies at each reference)
    // nest inside it.
    for c in &def.children {
        let s = c.span();
        if s.end > 0 {
            def.span = def.span.cover(s);
        }
    }
    // Line and source text, for "Circular substitution definition
    // detected", which quotes the definition (see transforms/substitutions).
    let raw = p.join(&b[i..end.min(b.len()).max(i + 1)]).0;
    def.set(super::inline::LINE, lineno.to_string());
    def.set(super::inline::RAW, raw.trim_end().to_string());
    if p.subst_defs.contains_key(&subname) {
        // docutils' `note_substitution_def`: the message goes to the parent
        // before the new definition; the earlier definition loses the name
        // to `dupnames` (done by the transform) and references use the new.
        let m = p.msg(
            Severity::Error,
            &format!("Duplicate substitution definition name: \"{subname}\"."),
            lineno,
            span,
        );
        p.push(m);
    }
    p.subst_defs.insert(subname.clone(), None);
    p.push(def);
    (end, bf)
}

fn directive_after(s: &str) -> Option<(String, usize)> {
    let mut k = 0;
    for (i, c) in s.char_indices() {
        if !(c.is_alphanumeric() || matches!(c, '-' | '.' | '_' | '+' | ':')) {
            break;
        }
        k = i + c.len_utf8();
    }
    let mut e = k;
    while e > 0 {
        let name = &s[..e];
        if super::explicit::is_simplename(name) {
            let rest = &s[e..];
            let r2 = rest.strip_prefix(' ').unwrap_or(rest);
            if let Some(after) = r2.strip_prefix("::")
                && (after.is_empty() || after.starts_with(' '))
            {
                let sp = after.len() - after.trim_start_matches(' ').len();
                return Some((name.to_string(), s.len() - after.len() + sp));
            }
        }
        e -= 1;
        while e > 0 && !s.is_char_boundary(e) {
            e -= 1;
        }
    }
    None
}
