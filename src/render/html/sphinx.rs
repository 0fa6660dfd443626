//! HTML for the nodes Sphinx adds to the doctree, written as Sphinx's
//! HTML5 writer writes them (`sphinx/writers/html5.py`): same elements,
//! classes and permalinks, so Sphinx themes' stylesheets apply. Every text
//! and attribute is escaped like the rest of the page.
//!
//! [`handles`] decides from the tree alone (a Sphinx node kind or a Sphinx
//! attribute) or, for docutils nodes Sphinx writes differently (`literal`,
//! `math`), from the page being read in the Sphinx dialect; so a plain
//! docutils page never reaches this module and renders byte for byte as
//! before.

use crate::ast::{Attr, Element, Node, SphinxAttr, SphinxTag, Tag};

use super::Writer;
use super::code_lines::{LineOptions, highlight_lines, hl_lines, linenostart};

/// Whether [`Writer::sphinx_element`] renders `e`.
pub(super) fn handles(e: &Element, sphinx_page: bool) -> bool {
    match e.tag {
        Tag::Sphinx(_)
        | Tag::Desc
        | Tag::DescSignature
        | Tag::DescName
        | Tag::PendingXref
        | Tag::Toctree => true,
        Tag::LiteralBlock => {
            sphinx(e, SphinxAttr::Linenos).is_some()
                && e.children.iter().all(|c| c.as_element().is_none())
        }
        Tag::Container => sphinx(e, SphinxAttr::LiteralBlock).is_some(),
        Tag::Literal | Tag::Math | Tag::MathBlock => sphinx_page,
        _ => false,
    }
}

fn sphinx(e: &Element, a: SphinxAttr) -> Option<&str> {
    e.get(Attr::Sphinx(a))
}

/// `1` / `True` as Sphinx's boolean attributes print.
fn flag(v: Option<&str>) -> bool {
    matches!(v, Some("1" | "True"))
}

/// Whether `classes` is a non-empty list of single-space separated
/// names that need no escaping: written into `class="..."` as it is.
/// One pass over the bytes (it runs for most inline literals), and a
/// `const fn` so [`PlainClasses`] can check its lists at compile time.
const fn is_plain_class_list(classes: &str) -> bool {
    let bytes = classes.as_bytes();
    // Starts as if after a space: a leading space is refused.
    let mut after_space = true;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b' ' {
            if after_space {
                return false;
            }
            after_space = true;
        } else if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' {
            after_space = false;
        } else {
            return false;
        }
        i += 1;
    }
    // Empty, or ending with a space: not plain.
    !after_space
}

/// A class list the writer adds that is known plain (see
/// [`is_plain_class_list`]) when kbgen is compiled: a constant made with
/// [`PlainClasses::new`] fails the build otherwise, so writing it needs
/// no check per element.
#[derive(Clone, Copy)]
pub(super) struct PlainClasses(&'static str);

impl PlainClasses {
    pub(super) const fn new(classes: &'static str) -> PlainClasses {
        assert!(is_plain_class_list(classes));
        PlainClasses(classes)
    }
}

const LITERAL: PlainClasses = PlainClasses::new("docutils literal notranslate");
const MATH: PlainClasses = PlainClasses::new("math notranslate nohighlight");
const CONTAINER: PlainClasses = PlainClasses::new("docutils container");
const SEEALSO: PlainClasses = PlainClasses::new("admonition seealso");
const CENTERED: PlainClasses = PlainClasses::new("centered");
pub(super) const CAPTION_TEXT: PlainClasses = PlainClasses::new("caption-text");

impl Writer<'_, '_> {
    /// `<tag class="{classes} {extra}" id="{first id}">`, as Sphinx's
    /// `starttag` writes it (the node's classes, then the writer's).
    pub(super) fn sphinx_open(&mut self, tag: &str, e: &Element, extra: &str) {
        if e.classes.is_empty() && is_plain_class_list(extra) {
            self.open_with_plain_classes(tag, e, extra);
            return;
        }
        self.out.push('<');
        self.push(tag);
        if !e.classes.is_empty() || !extra.is_empty() {
            self.push(" class=\"");
            let mut first = true;
            for c in e
                .classes
                .iter()
                .map(String::as_str)
                .chain(extra.split(' ').filter(|c| !c.is_empty()))
            {
                if !first {
                    self.out.push(' ');
                }
                first = false;
                self.text(c);
            }
            self.out.push('"');
        }
        self.open_end(e);
    }

    /// [`Writer::sphinx_open`] with classes checked when kbgen was built.
    pub(super) fn sphinx_open_plain(&mut self, tag: &str, e: &Element, extra: PlainClasses) {
        if e.classes.is_empty() {
            self.open_with_plain_classes(tag, e, extra.0);
        } else {
            self.sphinx_open(tag, e, extra.0);
        }
    }

    /// The common case (an inline literal's `docutils literal
    /// notranslate`): an element without classes of its own and the
    /// writer's plain `classes` as they are.
    fn open_with_plain_classes(&mut self, tag: &str, e: &Element, classes: &str) {
        self.out.push('<');
        self.push(tag);
        self.push(" class=\"");
        self.push(classes);
        self.out.push('"');
        self.open_end(e);
    }

    /// The element's first id and the end of its start tag.
    fn open_end(&mut self, e: &Element) {
        if let Some(id) = e.ids.first() {
            self.push(" id=\"");
            self.text(id);
            self.out.push('"');
        }
        self.out.push('>');
    }

    /// The `¶` link Sphinx puts after titles, terms and signatures.
    pub(super) fn permalink(&mut self, e: &Element, title: &str) {
        if let Some(id) = e.ids.first() {
            self.push("<a class=\"headerlink\" href=\"#");
            self.text(id);
            self.push("\" title=\"");
            self.push(title);
            self.push("\">¶</a>");
        }
    }

    pub(super) fn sphinx_element(&mut self, e: &Element) {
        match e.tag {
            Tag::Sphinx(t) => self.sphinx_node(t, e),
            Tag::Desc => {
                self.sphinx_open("dl", e, "");
                self.out.push('\n');
                self.children(e);
                self.push("</dl>\n\n");
            }
            Tag::DescSignature => {
                self.sphinx_open("dt", e, "");
                self.out.push('\n');
                self.extra_ids(e);
                self.protect_literal += 1;
                for child in &e.children {
                    match child.as_element() {
                        Some(line) if line.tag == Tag::Sphinx(SphinxTag::DescSignatureLine) => {
                            // A line of a multi-line signature; the one
                            // marked `add_permalink` carries the
                            // signature's permalink.
                            self.children(line);
                            if flag(sphinx(line, SphinxAttr::AddPermalink)) {
                                self.permalink(e, "Link to this definition");
                            }
                            self.push("<br />");
                        }
                        _ => self.node(child),
                    }
                }
                self.protect_literal -= 1;
                if !flag(sphinx(e, SphinxAttr::IsMultiline)) {
                    self.permalink(e, "Link to this definition");
                }
                self.push("</dt>\n");
            }
            Tag::DescName => self.sphinx_span(e, ""),
            // Resolved before rendering in a project; alone, its content.
            Tag::PendingXref => self.children(e),
            // The engine writes the toctree's HTML; the node writes nothing.
            Tag::Toctree => {}
            Tag::LiteralBlock => self.sphinx_code(e),
            Tag::Container => self.code_wrapper(e),
            Tag::Literal => self.sphinx_literal(e),
            Tag::Math => {
                self.sphinx_open_plain("span", e, MATH);
                self.push("\\(");
                self.children(e);
                self.push("\\)</span>");
            }
            Tag::MathBlock => self.sphinx_math_block(e),
            _ => self.children(e),
        }
    }

    fn sphinx_node(&mut self, t: SphinxTag, e: &Element) {
        use SphinxTag as S;
        match t {
            S::DescContent => {
                self.sphinx_open("dd", e, "");
                self.children(e);
                self.push("</dd>");
            }
            // Outside a signature (a malformed tree): its content and the break.
            S::DescSignatureLine => {
                self.children(e);
                self.push("<br />");
            }
            S::DescInline | S::DescAddname => self.sphinx_span(e, ""),
            S::DescType => self.children(e),
            S::DescReturns => {
                self.push(" <span class=\"sig-return\"><span class=\"sig-return-icon\">&#x2192;</span> <span class=\"sig-return-typehint\">");
                self.children(e);
                self.push("</span></span>");
            }
            S::DescParameterlist => self.parameter_list(e, "(", ")"),
            S::DescTypeParameterList => self.parameter_list(e, "[", "]"),
            S::DescParameter | S::DescOptional => self.parameter_list(e, "", ""),
            S::DescAnnotation => self.sphinx_span(e, "property"),
            S::DescSigSpace
            | S::DescSigName
            | S::DescSigOperator
            | S::DescSigPunctuation
            | S::DescSigKeyword
            | S::DescSigKeywordType
            | S::DescSigLiteralNumber
            | S::DescSigLiteralString
            | S::DescSigLiteralChar => self.sphinx_span(e, ""),
            S::Index | S::TabularColSpec | S::Highlightlang | S::Metadata => {}
            S::DownloadReference => self.download_reference(e),
            S::NumberReference => self.reference(e),
            S::Versionmodified => {
                self.sphinx_open("div", e, e.get(Attr::Type).unwrap_or(""));
                self.out.push('\n');
                self.children(e);
                self.push("</div>\n");
            }
            S::Seealso => {
                self.sphinx_open_plain("div", e, SEEALSO);
                self.push("\n<p class=\"admonition-title\">See also</p>\n");
                self.children(e);
                self.push("</div>\n");
            }
            S::Centered => {
                self.sphinx_open_plain("p", e, CENTERED);
                self.push("\n<strong>");
                self.children(e);
                self.push("</strong></p>");
            }
            S::Hlist => {
                self.push("<table class=\"hlist\"><tr>");
                self.children(e);
                self.push("</tr></table>\n");
            }
            S::Hlistcol => {
                self.push("<td>");
                self.children(e);
                self.push("</td>");
            }
            S::Only | S::Production => self.children(e),
            S::Glossary => self.glossary(e),
            S::Productionlist => {
                self.sphinx_open("pre", e, "");
                self.out.push('\n');
                self.children(e);
                self.push("</pre>\n");
            }
            S::LiteralStrong => self.sphinx_wrap("strong", e),
            S::LiteralEmphasis | S::Manpage => self.sphinx_wrap("em", e),
        }
    }

    fn sphinx_span(&mut self, e: &Element, extra: &str) {
        self.sphinx_open("span", e, extra);
        self.children(e);
        self.push("</span>");
    }

    fn sphinx_wrap(&mut self, tag: &str, e: &Element) {
        self.sphinx_open(tag, e, "");
        self.children(e);
        self.close(tag);
    }

    /// `(a, b[, c])`: separators as Sphinx places them, after a parameter
    /// while required ones follow, before it once none do (so an optional
    /// group reads `foo([a, ]b, c[, d])`). Single-line lists only: a
    /// multi-line list is written on one line too.
    fn parameter_list(&mut self, e: &Element, open: &str, close: &str) {
        let is_param = |n: &Node| {
            n.as_element()
                .is_some_and(|c| matches!(c.tag, Tag::Sphinx(SphinxTag::DescParameter)))
        };
        if e.tag == Tag::Sphinx(SphinxTag::DescParameter) {
            self.parameter(e);
            return;
        }
        let optional = e.tag == Tag::Sphinx(SphinxTag::DescOptional);
        if !optional {
            self.push("<span class=\"sig-paren\">");
            self.push(open);
            self.push("</span>");
            self.params = ParamState {
                first: true,
                required_left: e.children.iter().filter(|c| is_param(c)).count(),
                level: 0,
            };
        } else {
            self.push("<span class=\"optional\">[</span>");
            self.params.level += 1;
        }
        for child in &e.children {
            match child.as_element() {
                Some(p) if p.tag == Tag::Sphinx(SphinxTag::DescParameter) => self.parameter(p),
                _ => self.node(child),
            }
        }
        if optional {
            self.params.level -= 1;
            self.push("<span class=\"optional\">]</span>");
        } else {
            self.push("<span class=\"sig-paren\">");
            self.push(close);
            self.push("</span>");
        }
    }

    fn parameter(&mut self, p: &Element) {
        const SEPARATOR: &str = ", ";
        if self.params.first {
            self.params.first = false;
        } else if self.params.required_left == 0 {
            self.push(SEPARATOR);
        }
        if self.params.level == 0 {
            self.params.required_left = self.params.required_left.saturating_sub(1);
        }
        let emphasis = sphinx(p, SphinxAttr::Noemph).is_none();
        if emphasis {
            self.push("<em class=\"sig-param\">");
        }
        self.children(p);
        if emphasis {
            self.push("</em>");
        }
        if self.params.required_left > 0 {
            self.push(SEPARATOR);
        }
    }

    /// `<dl class="simple glossary">`: each term a `<dt>` with its id and
    /// permalink, each definition a `<dd>`.
    fn glossary(&mut self, e: &Element) {
        for list in e.elements() {
            if list.tag != Tag::DefinitionList {
                self.element(list);
                continue;
            }
            let simple = list.elements().all(|item| {
                item.elements()
                    .filter(|d| d.tag == Tag::Definition)
                    .all(|d| d.children.len() <= 1)
            });
            self.sphinx_open("dl", list, if simple { "simple" } else { "" });
            self.out.push('\n');
            for item in list.elements() {
                for part in item.elements() {
                    if part.tag == Tag::Term {
                        self.sphinx_open("dt", part, "");
                        self.extra_ids(part);
                        self.children(part);
                        self.permalink(part, "Link to this term");
                        self.push("</dt>");
                    } else if part.tag == Tag::Definition {
                        self.sphinx_open("dd", part, "");
                        self.children(part);
                        self.push("</dd>\n");
                    } else {
                        self.element(part);
                    }
                }
            }
            self.push("</dl>\n");
        }
    }

    /// `literal`: `<kbd>` for keys, highlighted code for `:code:` with a
    /// language, else `<code>` whose words are kept from wrapping.
    fn sphinx_literal(&mut self, e: &Element) {
        if e.classes.iter().any(|c| c == "kbd") {
            self.sphinx_open_plain("kbd", e, LITERAL);
            self.children(e);
            self.push("</kbd>");
            return;
        }
        let language = e
            .get(Attr::Language)
            .filter(|_| e.classes.iter().any(|c| c == "code"));
        if let Some(lang) = language {
            let code = e.astext();
            let extra = format!("docutils literal highlight highlight-{lang}");
            self.sphinx_open("code", e, &extra);
            match self.ctx.highlighter.highlight(&code, lang) {
                Some(html) => self.push(html.trim()),
                None => self.text(&code),
            }
            self.push("</code>");
            return;
        }
        self.sphinx_open_plain("code", e, LITERAL);
        self.protect_literal += 1;
        self.children(e);
        self.protect_literal -= 1;
        self.push("</code>");
    }

    /// Text inside literals and signatures: each word in a
    /// `<span class="pre">` so it never wraps, runs of spaces kept.
    pub(super) fn protected_text(&mut self, text: &str) {
        let mut rest = text;
        while !rest.is_empty() {
            let end = match rest.as_bytes()[0] {
                b' ' => rest.bytes().take_while(|&b| b == b' ').count(),
                b'\n' => 1,
                _ => memchr::memchr2(b' ', b'\n', rest.as_bytes()).unwrap_or(rest.len()),
            };
            let (token, tail) = rest.split_at(end);
            match token.as_bytes()[0] {
                b'\n' => self.out.push('\n'),
                b' ' => {
                    for _ in 1..token.len() {
                        self.push("&#160;");
                    }
                    self.out.push(' ');
                }
                _ => {
                    self.push("<span class=\"pre\">");
                    self.text(token);
                    self.push("</span>");
                }
            }
            rest = tail;
        }
    }

    /// A highlighted block: `<div class="highlight-LANG notranslate">`
    /// around `<div class="highlight"><pre>`, as Pygments writes it, with
    /// line numbers and emphasised lines when asked.
    fn sphinx_code(&mut self, e: &Element) {
        let code = code_with_newline(e);
        let language = e.get(Attr::Language).unwrap_or("default");
        let args = sphinx(e, SphinxAttr::HighlightArgs).unwrap_or("");
        let lexer = match language {
            "default" => super::guess_language(&code).or(Some("python")),
            "text" | "none" | "" => None,
            other => Some(other),
        };
        let options = LineOptions {
            linenos: flag(sphinx(e, SphinxAttr::Linenos)),
            start: linenostart(args),
            emphasised: hl_lines(args),
            // Sphinx's `default`: Python when it lexes without an error
            // token, else plain text (kbgen tells XML apart first, and
            // keeps it highlighted).
            plain_on_error: language == "default" && lexer == Some("python"),
        };
        if e.classes.is_empty() && is_plain_class_list(language) {
            // What `sphinx_open` writes for these classes, without
            // formatting them into a string first.
            self.push("<div class=\"highlight-");
            self.push(language);
            self.push(" notranslate\"");
            self.open_end(e);
        } else {
            let extra = format!("highlight-{language} notranslate");
            self.sphinx_open("div", e, &extra);
        }
        self.push("<div class=\"highlight\"><pre><span></span>");
        highlight_lines(self.ctx.highlighter, &code, lexer, &options, &mut self.out);
        self.push("</pre></div>\n</div>\n");
    }

    /// `code-block` with a caption: the wrapper, the caption with its
    /// permalink, the block.
    fn code_wrapper(&mut self, e: &Element) {
        self.sphinx_open_plain("div", e, CONTAINER);
        self.out.push('\n');
        self.extra_ids(e);
        for child in &e.children {
            match child.as_element() {
                Some(c) if c.tag == Tag::Caption => {
                    self.push("<div class=\"code-block-caption\">");
                    self.sphinx_caption(c, e, "Link to this code");
                    self.push("</div>\n");
                }
                _ => self.node(child),
            }
        }
        self.push("</div>\n");
    }

    /// Display math as MathJax reads it (`\[…\]`), numbered when labelled.
    fn sphinx_math_block(&mut self, e: &Element) {
        self.sphinx_open_plain("div", e, MATH);
        self.out.push('\n');
        let number = sphinx(e, SphinxAttr::Number).filter(|n| n.parse::<u32>().is_ok());
        if let Some(n) = number.filter(|_| !e.ids.is_empty()) {
            self.push("<span class=\"eqno\">(");
            self.text(n);
            self.out.push(')');
            self.permalink(e, "Link to this equation");
            self.push("</span>");
        }
        let math = e.astext();
        if flag(sphinx(e, SphinxAttr::Nowrap)) {
            self.text(&math);
        } else {
            self.push("\\[");
            self.text(&math);
            self.push("\\]");
        }
        self.push("</div>\n");
    }

    /// `:download:`: a link with `download` to the file as published
    /// (`filename` when the build gave one, else the target as written; an
    /// empty `filename`, a file the build did not find, is no link).
    fn download_reference(&mut self, e: &Element) {
        let (class, href) = if let Some(uri) = e.get(Attr::Refuri) {
            ("reference download external", uri)
        } else if let Some(file) = sphinx(e, SphinxAttr::Filename)
            .or_else(|| e.get(Attr::Reftarget))
            .filter(|f| !f.is_empty())
        {
            ("reference download internal", file)
        } else {
            self.children(e);
            return;
        };
        if crate::urls::is_dangerous_uri(href) {
            self.children(e);
            return;
        }
        self.sphinx_open("a", e, class);
        // Attributes after `class` and `id`, in Sphinx's order.
        self.out.pop();
        self.push(" download=\"\" href=\"");
        self.text(href);
        self.push("\">");
        self.children(e);
        self.push("</a>");
    }
}

/// Where a signature's parameter list is: the separator rule needs how
/// many required parameters are still to come.
#[derive(Default)]
pub(super) struct ParamState {
    first: bool,
    required_left: usize,
    level: usize,
}

/// A code block's text ending with the newline Pygments' output ends
/// with, added to the one copy of the text (made with room for it) so
/// that `highlight_lines` needs no second copy.
fn code_with_newline(e: &Element) -> String {
    let mut code = match e.children.as_slice() {
        // Most blocks are one text without escape markers: `astext` of it.
        [Node::Text(t)] if memchr::memchr(0, t.text.as_bytes()).is_none() => {
            let mut code = String::with_capacity(t.text.len() + 1);
            code.push_str(&t.text);
            code
        }
        _ => e.astext(),
    };
    if !code.ends_with('\n') {
        code.push('\n');
    }
    code
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one-pass check agrees with its definition: non-empty names of
    /// ASCII letters, digits, `-` and `_`, one space between them.
    #[test]
    fn plain_class_lists_are_told_as_defined() {
        let defined = |s: &str| {
            !s.is_empty()
                && !s.starts_with(' ')
                && !s.ends_with(' ')
                && !s.contains("  ")
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b' ' | b'-' | b'_'))
        };
        for s in [
            "",
            " ",
            "a",
            "docutils literal notranslate",
            " a",
            "a ",
            "a  b",
            "a-b_c d",
            "a\"b",
            "highlight-c++ notranslate",
            "é",
            "a\tb",
        ] {
            assert_eq!(is_plain_class_list(s), defined(s), "{s:?}");
        }
        assert_eq!(LITERAL.0, "docutils literal notranslate");
    }
}
