//! `universal.SmartQuotes` (docutils' `smart_quotes` setting): straight
//! quotes become the typographic quotes of the text's language, `--` and
//! `---` en and em dashes, `...` an ellipsis.
//!
//! Each block of text (a text element whose parent is not one, such as a
//! paragraph or title) is educated as a unit, so a quote's context
//! crosses inline markup. Text inside literals, math, raw, problematic
//! and special elements is left alone but still gives context. A block's
//! language is the nearest `language-XX` class up the tree, else the
//! document's; a language docutils has no quotes for gets one warning and
//! ASCII quotes. Sphinx's variant (`SphinxSmartQuotes`) treats text as
//! literal when any ancestor is literal or says `support_smartquotes =
//! False`, and does nothing for a document language without quotes.

mod educate;
mod locales;
mod steps;
mod triggers;

use std::collections::HashSet;

use crate::ast::{Attr, Element, Node, Tag};
use crate::config::Dialect;
use crate::syntax::rst::RstOptions;
use crate::syntax::rst::block::Parser;

use educate::{ASCII_QUOTES, Quotes};
use triggers::Triggers;

/// Runs the transform when `smart_quotes` is on; messages for languages
/// without quotes go to `msgs` (the transform messages).
pub fn smartquotes(p: &mut Parser, doc: &mut Element, msgs: &mut Vec<Element>) {
    let opts = p.opts;
    if !opts.smart_quotes {
        return;
    }
    let sphinx = opts.dialect == Dialect::Sphinx;
    let document_language = if opts.language_code.is_empty() {
        "en"
    } else {
        opts.language_code.as_str()
    };
    if sphinx && find_quotes(document_language, opts).is_none() {
        return;
    }
    let mut run = Run {
        opts,
        sphinx,
        unsupported: HashSet::new(),
        warnings: Vec::new(),
        quotes_of: Vec::new(),
        scratch: educate::Scratch::default(),
    };
    run.walk(doc, None, document_language, false);
    for (language, span) in run.warnings {
        let line = line_at(p, span.start as usize);
        let text = format!("No smart quotes defined for language \"{language}\".");
        msgs.push(
            p.doc
                .message(crate::diag::Severity::Warning, &text, line, span),
        );
    }
}

struct Run<'o> {
    opts: &'o RstOptions,
    sphinx: bool,
    /// Languages already reported (docutils warns once per language).
    unsupported: HashSet<String>,
    /// (language, block span) of each warning to make.
    warnings: Vec<(String, crate::ast::Span)>,
    /// [`find_quotes`] of each language met (most pages have one, so a
    /// list beats hashing the tag per block): the lookup normalises the
    /// tag, which would otherwise run per block.
    quotes_of: Vec<(String, Option<(String, Quotes<'o>)>)>,
    /// Educating's buffers, reused by the page's blocks.
    scratch: educate::Scratch,
}

impl Run<'_> {
    /// docutils' `findall(TextElement)` in document order: every text
    /// element whose parent is not one is a block to educate.
    /// `literal_above`: whether an ancestor of `e` is literal to Sphinx.
    fn walk(&mut self, e: &mut Element, parent: Option<Tag>, language: &str, literal_above: bool) {
        let own_language = e
            .classes
            .iter()
            .find_map(|c| c.strip_prefix("language-"))
            .map(str::to_string);
        let language = own_language.as_deref().unwrap_or(language);
        if is_text_element(e.tag)
            && !is_literal_block(e.tag)
            && !parent.is_some_and(is_text_element)
        {
            self.educate_block(e, parent, language, literal_above);
        }
        let literal_here = literal_above || self.sphinx_literal(e);
        let tag = e.tag;
        let in_text = is_text_element(tag);
        for child in e.elements_mut() {
            // A child of a text element is no block, nor is anything in
            // it when it holds no element: nothing to look at.
            if in_text && !child.children.iter().any(|c| matches!(c, Node::Element(_))) {
                continue;
            }
            self.walk(child, Some(tag), language, literal_here);
        }
    }

    fn sphinx_literal(&self, e: &Element) -> bool {
        is_sphinx_literal_parent(e.tag) || e.get(Attr::SupportSmartquotes) == Some("False")
    }

    fn educate_block(
        &mut self,
        block: &mut Element,
        parent: Option<Tag>,
        language: &str,
        literal_above: bool,
    ) {
        let alternative;
        let language = if self.opts.smart_quotes_alternative {
            alternative = if language.contains("-x-altquot") {
                language.replace("-x-altquot", "")
            } else {
                format!("{language}-x-altquot")
            };
            alternative.as_str()
        } else {
            language
        };
        let opts = self.opts;
        let at = match self.quotes_of.iter().position(|(l, _)| l == language) {
            Some(at) => at,
            None => {
                let found = find_quotes(language, opts);
                self.quotes_of.push((language.to_string(), found));
                self.quotes_of.len() - 1
            }
        };
        let found = self.quotes_of[at].1.as_ref();
        if found.is_none() && self.unsupported.insert(language.to_string()) {
            self.warnings.push((language.to_string(), block.span));
        }
        let (tag, quotes) = match found {
            Some((tag, quotes)) => (tag.as_str(), *quotes),
            None => ("", ASCII_QUOTES),
        };
        // Most blocks have nothing to educate: one look at their text
        // spares collecting it. Under a literal ancestor Sphinx leaves all
        // text as it is.
        if (self.sphinx && literal_above) || !may_change(block, parent, literal_above, self.sphinx)
        {
            return;
        }
        let mut educator = educate::Educator::new(tag, quotes, &mut self.scratch);
        educate_texts(block, parent, literal_above, self.sphinx, &mut educator);
    }
}

/// Hands the text nodes of a block to `educator` in document order, each
/// with whether it is literal: in docutils, when its parent or
/// grandparent is a literal element; in Sphinx, when any ancestor is
/// (`literal_above`: one above `e` is). A changed text is replaced in
/// place. Option strings are skipped.
fn educate_texts(
    e: &mut Element,
    parent: Option<Tag>,
    literal_above: bool,
    sphinx: bool,
    educator: &mut educate::Educator,
) {
    let tag = e.tag;
    let literal_here = is_literal_here(e, parent, literal_above, sphinx);
    for child in e.children.iter_mut() {
        match child {
            Node::Text(_) if tag == Tag::OptionString => {}
            Node::Text(t) if literal_here => educator.literal(&t.text),
            Node::Text(t) => {
                if let Some(new) = educator.plain(&t.text) {
                    t.text = new;
                }
            }
            Node::Element(x) => educate_texts(x, Some(tag), literal_here, sphinx, educator),
        }
    }
}

/// Whether educating could change any text of `e`: whether a text that
/// [`educate_texts`] would hand over as plain (not literal, not an option
/// string) has a trigger (see [`Triggers`]). A literal text is only
/// context, never changed, so the `--option`s and quotes of libvirt's
/// many ``literals`` no longer send their paragraphs through collecting
/// and tokenising; the literal test is `educate_texts`' own
/// ([`is_literal_here`]), so the two cannot disagree.
fn may_change(e: &Element, parent: Option<Tag>, literal_above: bool, sphinx: bool) -> bool {
    let tag = e.tag;
    let literal_here = is_literal_here(e, parent, literal_above, sphinx);
    // Under Sphinx nothing below a literal element is plain.
    if sphinx && literal_here {
        return false;
    }
    e.children.iter().any(|child| match child {
        Node::Text(t) => !literal_here && tag != Tag::OptionString && Triggers::in_text(&t.text),
        Node::Element(x) => may_change(x, Some(tag), literal_here, sphinx),
    })
}

/// The quotes for a language tag: the first of docutils' normalised
/// variants (`de-ch-1901` → `de-ch-1901`, `de-ch`, `de-1901`, `de`) that
/// the `smartquotes_locales` setting or docutils' table has.
fn find_quotes<'o>(language: &str, opts: &'o RstOptions) -> Option<(String, Quotes<'o>)> {
    for tag in normalize_language_tag(language) {
        if let Some((_, q)) = opts
            .smartquotes_locales
            .iter()
            .rev()
            .find(|(l, _)| l.to_lowercase() == tag)
        {
            return Some((
                tag,
                [q[0].as_str(), q[1].as_str(), q[2].as_str(), q[3].as_str()],
            ));
        }
        if let Some((_, q)) = locales::QUOTES.iter().find(|(l, _)| *l == tag) {
            return Some((tag, *q));
        }
    }
    None
}

/// docutils' `validate_smartquotes_locales`: `LANG:QUOTES` items
/// separated by commas, QUOTES four characters or four `:`-separated
/// strings (French's `« : »:‹ : ›`).
pub fn parse_smartquotes_locales(value: &str) -> Result<Vec<(String, [String; 4])>, String> {
    let mut out = Vec::new();
    for item in value.split(',').map(str::trim).filter(|i| !i.is_empty()) {
        let Some((language, quotes)) = item.split_once(':') else {
            return Err(format!(
                "Invalid value \"{item}\". Format is \"<language>:<quotes>\"."
            ));
        };
        let quotes = quotes.trim();
        let parts: Vec<String> = if quotes.split(':').count() == 4 {
            quotes.split(':').map(str::to_string).collect()
        } else {
            quotes.chars().map(String::from).collect()
        };
        let Ok(four) = <[String; 4]>::try_from(parts) else {
            return Err(format!(
                "Invalid value \"{item}\". Please specify 4 quotes (primary open/close; secondary open/close)."
            ));
        };
        out.push((language.to_string(), four));
    }
    Ok(out)
}

/// Most subtags whose combinations are tried; docutils tries all 2^n,
/// which a long made-up tag would turn into hours.
const MAX_SUBTAGS: usize = 8;

/// `utils.normalize_language_tag`: lower case, `_` for `-`, singletons
/// (`x`) joined to the subtag after them, then every combination of the
/// subtags, longest first, and the bare language last.
pub fn normalize_language_tag(tag: &str) -> Vec<String> {
    let lowered: Vec<char> = tag.to_lowercase().replace('-', "_").chars().collect();
    let mut joined = String::with_capacity(lowered.len());
    let mut i = 0;
    while i < lowered.len() {
        if lowered[i] == '_'
            && lowered
                .get(i + 1)
                .is_some_and(|c| c.is_ascii_alphanumeric())
            && lowered.get(i + 2) == Some(&'_')
        {
            joined.push('_');
            joined.push(lowered[i + 1]);
            joined.push('-');
            i += 3;
        } else {
            joined.push(lowered[i]);
            i += 1;
        }
    }
    let mut parts = joined.split('_');
    let base = parts.next().unwrap_or("").to_string();
    let subtags: Vec<&str> = parts.take(MAX_SUBTAGS).collect();
    let mut out = Vec::new();
    for n in (1..=subtags.len()).rev() {
        combinations(&subtags, n, 0, &mut Vec::new(), &mut |chosen| {
            let mut t = base.clone();
            for s in chosen {
                t.push('-');
                t.push_str(s);
            }
            out.push(t);
        });
    }
    out.push(base);
    out
}

/// `itertools.combinations(items, n)` in its order, each passed to `f`.
fn combinations<'a>(
    items: &[&'a str],
    n: usize,
    from: usize,
    chosen: &mut Vec<&'a str>,
    f: &mut impl FnMut(&[&'a str]),
) {
    if chosen.len() == n {
        f(chosen);
        return;
    }
    for i in from..items.len() {
        if items.len() - i < n - chosen.len() {
            break;
        }
        chosen.push(items[i]);
        combinations(items, n, i + 1, chosen, f);
        chosen.pop();
    }
}

/// The line of a source offset in the page, for messages.
pub(super) fn line_at(p: &Parser, offset: usize) -> Option<usize> {
    let main = &p.lines[..p.main_lines.min(p.lines.len())];
    let i = main.partition_point(|l| l.start <= offset);
    main.get(i.checked_sub(1)?).map(|l| l.lineno)
}

/// docutils' `TextElement` subclasses (inlined: asked of every element
/// the walk meets).
#[inline(always)]
pub(super) fn is_text_element(tag: Tag) -> bool {
    use Tag::*;
    matches!(
        tag,
        Abbreviation
            | Acronym
            | Address
            | Attribution
            | Author
            | Caption
            | CitationReference
            | Classifier
            | Comment
            | Contact
            | Copyright
            | Date
            | DoctestBlock
            | Emphasis
            | FieldName
            | FootnoteReference
            | Generated
            | Inline
            | Label
            | Line
            | Literal
            | LiteralBlock
            | Math
            | MathBlock
            | OptionArgument
            | OptionString
            | Organization
            | Paragraph
            | Problematic
            | Raw
            | Reference
            | Revision
            | Rubric
            | Status
            | Strong
            | Subscript
            | SubstitutionDefinition
            | SubstitutionReference
            | Subtitle
            | Superscript
            | Target
            | Term
            | Title
            | TitleReference
            | Version
    )
}

/// docutils' `FixedTextElement` subclasses.
fn is_fixed_text(tag: Tag) -> bool {
    use Tag::*;
    matches!(
        tag,
        Address | Comment | DoctestBlock | LiteralBlock | MathBlock | Raw
    )
}

/// `nodes_to_skip`: `FixedTextElement` and `Special` blocks.
fn is_literal_block(tag: Tag) -> bool {
    use Tag::*;
    is_fixed_text(tag)
        || matches!(
            tag,
            Pending | SubstitutionDefinition | SystemMessage | Target
        )
}

/// Whether the texts directly in `e` are literal (context only, never
/// changed). docutils looks at the element and its parent; Sphinx at every
/// ancestor, and honours `support_smartquotes = False`. One rule for
/// [`educate_texts`] and [`may_change`], so the two cannot disagree.
#[inline(always)]
fn is_literal_here(e: &Element, parent: Option<Tag>, literal_above: bool, sphinx: bool) -> bool {
    if sphinx {
        literal_above
            || is_sphinx_literal_parent(e.tag)
            || e.get(Attr::SupportSmartquotes) == Some("False")
    } else {
        is_literal_parent(e.tag) || parent.is_some_and(is_literal_parent)
    }
}

/// `literal_nodes`: a text whose parent or grandparent is one of these
/// is not educated.
fn is_literal_parent(tag: Tag) -> bool {
    is_literal_block(tag)
        || matches!(
            tag,
            Tag::Image | Tag::Literal | Tag::Math | Tag::Problematic
        )
}

/// Sphinx's `NON_SMARTQUOTABLE_PARENT_NODES` (without its own
/// `not_smartquotable` nodes, which say so by `support_smartquotes`).
fn is_sphinx_literal_parent(tag: Tag) -> bool {
    is_fixed_text(tag)
        || matches!(
            tag,
            Tag::Image | Tag::Literal | Tag::Math | Tag::Problematic
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A paragraph `see ``--help`` or ``"x"``` (`literal` is the
    /// literal's text) with `plain` as its own text.
    fn paragraph_with_literal(plain: &str, literal: &str) -> Element {
        let span = crate::ast::Span::default();
        let mut p = Element::new(Tag::Paragraph, span);
        p.push_text(plain, span);
        let mut lit = Element::new(Tag::Literal, span);
        lit.push_text(literal, span);
        p.push(lit);
        p
    }

    #[test]
    fn triggers_only_in_literals_change_nothing() {
        for sphinx in [false, true] {
            let quiet = paragraph_with_literal("see ", "--help \"x\" ...");
            assert!(!may_change(&quiet, Some(Tag::Section), false, sphinx));
            let loud = paragraph_with_literal("see -- ", "x");
            assert!(may_change(&loud, Some(Tag::Section), false, sphinx));
            // Under a literal ancestor Sphinx leaves everything alone.
            assert_eq!(may_change(&loud, Some(Tag::Section), true, sphinx), !sphinx);
        }
        // docutils: a text two levels below a literal is plain again.
        let span = crate::ast::Span::default();
        let mut inner = Element::new(Tag::Emphasis, span);
        inner.push_text("a -- b", span);
        let mut strong = Element::new(Tag::Strong, span);
        strong.push(inner);
        let mut lit = Element::new(Tag::Literal, span);
        lit.push(strong);
        let mut p = Element::new(Tag::Paragraph, span);
        p.push(lit);
        assert!(may_change(&p, Some(Tag::Section), false, false));
        assert!(!may_change(&p, Some(Tag::Section), false, true));
    }

    #[test]
    fn language_tags_normalise_as_docutils() {
        assert_eq!(
            normalize_language_tag("de_AT-1901"),
            ["de-at-1901", "de-at", "de-1901", "de"]
        );
        assert_eq!(
            normalize_language_tag("de-CH-x_altquot"),
            ["de-ch-x-altquot", "de-ch", "de-x-altquot", "de"]
        );
        assert_eq!(normalize_language_tag("en"), ["en"]);
    }

    #[test]
    fn long_language_tags_stay_bounded() {
        let tag = "a-".repeat(5000);
        assert!(normalize_language_tag(&tag).len() <= 1 << MAX_SUBTAGS);
    }

    #[test]
    fn locales_setting_overrides_the_table() {
        let mut opts = RstOptions::default();
        assert_eq!(find_quotes("de-AT", &opts).map(|q| q.1[0]), Some("„"));
        opts.smartquotes_locales.push((
            "de".into(),
            ["«".into(), "»".into(), "(".into(), ")".into()],
        ));
        assert_eq!(
            find_quotes("de-AT", &opts).map(|q| q.1),
            Some(["«", "»", "(", ")"])
        );
        assert!(find_quotes("xx", &opts).is_none());
    }

    #[test]
    fn locales_setting_parses_as_docutils() {
        let got = parse_smartquotes_locales("de:«»‹›, fr:« : »:‹ : ›").unwrap();
        assert_eq!(got[0].1, ["«", "»", "‹", "›"].map(String::from));
        assert_eq!(got[1].1, ["« ", " »", "‹ ", " ›"].map(String::from));
        assert!(parse_smartquotes_locales("de").is_err());
        assert!(parse_smartquotes_locales("de:«»").is_err());
    }
}
