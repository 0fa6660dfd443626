//! Attribute names of the doctree, typed.
//!
//! docutils' elements carry attributes by name (`refuri`, `level`, …).
//! kbgen reads and writes them through [`Attr`], so a typo is a compile
//! error rather than a silently missing attribute; the pseudo-XML dump is
//! the one place that turns them back into docutils' names. Names that
//! come from the input itself (directive options passed through, `meta`
//! fields) are kept as [`AttrName::Named`].

/// A docutils attribute kbgen knows, or one of kbgen's own internal
/// annotations (never dumped, never rendered).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Attr {
    Align,
    Alt,
    Anonymous,
    Auto,
    Backlinks,
    Bullet,
    Class,
    Cols,
    Colwidth,
    Content,
    Delimiter,
    Depth,
    Dir,
    Enumtype,
    Explanation,
    Format,
    Height,
    HttpEquiv,
    IndirectReferenceName,
    KbgenSchema,
    Kind,
    Lang,
    Language,
    Level,
    Line,
    Loading,
    Local,
    Morecols,
    Morerows,
    Name,
    Prefix,
    Refid,
    Refname,
    Reftitle,
    Refuri,
    Scale,
    Scheme,
    Source,
    Start,
    Stub,
    Suffix,
    /// Sphinx's `support_smartquotes` (`False` on text smart quotes must not touch).
    SupportSmartquotes,
    Target,
    Title,
    Type,
    Uri,
    Width,
    XmlSpace,
    Caption,
    Maxdepth,
    Numbered,
    Glob,
    Hidden,
    Includehidden,
    Titlesonly,
    Reversed,
    Internal,
    Refdomain,
    Reftype,
    Reftarget,
    Refexplicit,
    Refdoc,
    Refwarn,
    Anchorname,
    KbgenProgram,
    /// The name a C or Python object is filed under (domain data, not a
    /// node attribute in Sphinx).
    KbgenObject,
    KbgenLabels,
    /// The `Fig. 1` a numbered figure, table or code block shows before
    /// its caption (Sphinx's `numfig`), set when the project is resolved.
    KbgenCaptionNumber,
    /// The section number a Sphinx heading shows (`1.2. `), from its
    /// `:numbered:` toctree.
    KbgenSectionNumber,
    /// The source line of a node, for messages made by later transforms.
    InternalLine,
    /// The included file a node comes from (as messages name it), for
    /// messages made by later transforms; absent for the page's own lines.
    InternalSource,
    /// The raw source text of a pending construct.
    InternalRaw,
    /// A transition the transitions transform has already checked.
    InternalDone,
    /// The order number of a substitution reference being expanded.
    InternalSubstTicket,
    /// The index of the definition a substitution reference expands to.
    InternalSubstDef,
    /// An attribute only Sphinx's nodes carry.
    Sphinx(super::sphinx::SphinxAttr),
    /// Identifies an implicit target that has no id yet (docutils'
    /// `legacy_ids = False`), so bookkeeping can find it later.
    InternalKey,
}

impl Attr {
    /// The name docutils uses.
    pub fn name(self) -> &'static str {
        match self {
            Attr::Align => "align",
            Attr::Alt => "alt",
            Attr::Anonymous => "anonymous",
            Attr::Auto => "auto",
            Attr::Backlinks => "backlinks",
            Attr::Bullet => "bullet",
            Attr::Class => "class",
            Attr::Cols => "cols",
            Attr::Colwidth => "colwidth",
            Attr::Content => "content",
            Attr::Delimiter => "delimiter",
            Attr::Depth => "depth",
            Attr::Dir => "dir",
            Attr::Enumtype => "enumtype",
            Attr::Explanation => "explanation",
            Attr::Format => "format",
            Attr::Height => "height",
            Attr::HttpEquiv => "http-equiv",
            Attr::IndirectReferenceName => "indirect_reference_name",
            Attr::KbgenSchema => "kbgen-schema",
            Attr::Kind => "kind",
            Attr::Lang => "lang",
            Attr::Language => "language",
            Attr::Level => "level",
            Attr::Line => "line",
            Attr::Loading => "loading",
            Attr::Local => "local",
            Attr::Morecols => "morecols",
            Attr::Morerows => "morerows",
            Attr::Name => "name",
            Attr::Prefix => "prefix",
            Attr::Refid => "refid",
            Attr::Refname => "refname",
            Attr::Reftitle => "reftitle",
            Attr::Refuri => "refuri",
            Attr::Scale => "scale",
            Attr::Scheme => "scheme",
            Attr::Source => "source",
            Attr::Start => "start",
            Attr::Stub => "stub",
            Attr::Suffix => "suffix",
            Attr::SupportSmartquotes => "support_smartquotes",
            Attr::Target => "target",
            Attr::Title => "title",
            Attr::Type => "type",
            Attr::Uri => "uri",
            Attr::Width => "width",
            Attr::XmlSpace => "xml:space",
            Attr::Caption => "caption",
            Attr::Maxdepth => "maxdepth",
            Attr::Numbered => "numbered",
            Attr::Glob => "glob",
            Attr::Hidden => "hidden",
            Attr::Includehidden => "includehidden",
            Attr::Titlesonly => "titlesonly",
            Attr::Reversed => "reversed",
            Attr::Internal => "internal",
            Attr::Refdomain => "refdomain",
            Attr::Reftype => "reftype",
            Attr::Reftarget => "reftarget",
            Attr::Refexplicit => "refexplicit",
            Attr::Refdoc => "refdoc",
            Attr::Refwarn => "refwarn",
            Attr::Anchorname => "anchorname",
            Attr::KbgenProgram => "kbgen-program",
            Attr::KbgenObject => "kbgen-object",
            Attr::KbgenLabels => "kbgen-labels",
            Attr::KbgenCaptionNumber => "kbgen-caption-number",
            Attr::KbgenSectionNumber => "kbgen-section-number",
            Attr::InternalLine => "\u{0}line",
            Attr::InternalRaw => "\u{0}raw",
            Attr::InternalSource => "\u{0}source",
            Attr::InternalDone => "\u{0}done",
            Attr::InternalSubstTicket => "\u{0}subst-ticket",
            Attr::InternalSubstDef => "\u{0}subst-def",
            Attr::Sphinx(a) => a.name(),
            Attr::InternalKey => "\u{0}key",
        }
    }

    /// The attribute of a docutils name, if kbgen knows it.
    pub fn from_name(name: &str) -> Option<Attr> {
        Some(match name {
            "align" => Attr::Align,
            "alt" => Attr::Alt,
            "anonymous" => Attr::Anonymous,
            "auto" => Attr::Auto,
            "backlinks" => Attr::Backlinks,
            "bullet" => Attr::Bullet,
            "class" => Attr::Class,
            "cols" => Attr::Cols,
            "colwidth" => Attr::Colwidth,
            "content" => Attr::Content,
            "delimiter" => Attr::Delimiter,
            "depth" => Attr::Depth,
            "dir" => Attr::Dir,
            "enumtype" => Attr::Enumtype,
            "explanation" => Attr::Explanation,
            "format" => Attr::Format,
            "height" => Attr::Height,
            "http-equiv" => Attr::HttpEquiv,
            "indirect_reference_name" => Attr::IndirectReferenceName,
            "kbgen-schema" => Attr::KbgenSchema,
            "kind" => Attr::Kind,
            "lang" => Attr::Lang,
            "language" => Attr::Language,
            "level" => Attr::Level,
            "line" => Attr::Line,
            "loading" => Attr::Loading,
            "local" => Attr::Local,
            "morecols" => Attr::Morecols,
            "morerows" => Attr::Morerows,
            "name" => Attr::Name,
            "prefix" => Attr::Prefix,
            "refid" => Attr::Refid,
            "refname" => Attr::Refname,
            "reftitle" => Attr::Reftitle,
            "refuri" => Attr::Refuri,
            "scale" => Attr::Scale,
            "scheme" => Attr::Scheme,
            "source" => Attr::Source,
            "start" => Attr::Start,
            "stub" => Attr::Stub,
            "suffix" => Attr::Suffix,
            "support_smartquotes" => Attr::SupportSmartquotes,
            "target" => Attr::Target,
            "title" => Attr::Title,
            "type" => Attr::Type,
            "uri" => Attr::Uri,
            "width" => Attr::Width,
            "xml:space" => Attr::XmlSpace,
            "caption" => Attr::Caption,
            "maxdepth" => Attr::Maxdepth,
            "numbered" => Attr::Numbered,
            "glob" => Attr::Glob,
            "hidden" => Attr::Hidden,
            "includehidden" => Attr::Includehidden,
            "titlesonly" => Attr::Titlesonly,
            "reversed" => Attr::Reversed,
            "internal" => Attr::Internal,
            "refdomain" => Attr::Refdomain,
            "reftype" => Attr::Reftype,
            "reftarget" => Attr::Reftarget,
            "refexplicit" => Attr::Refexplicit,
            "refdoc" => Attr::Refdoc,
            "refwarn" => Attr::Refwarn,
            "anchorname" => Attr::Anchorname,
            "kbgen-program" => Attr::KbgenProgram,
            "kbgen-object" => Attr::KbgenObject,
            "kbgen-labels" => Attr::KbgenLabels,
            "kbgen-caption-number" => Attr::KbgenCaptionNumber,
            "kbgen-section-number" => Attr::KbgenSectionNumber,
            "\u{0}line" => Attr::InternalLine,
            "\u{0}raw" => Attr::InternalRaw,
            "\u{0}source" => Attr::InternalSource,
            "\u{0}done" => Attr::InternalDone,
            "\u{0}subst-ticket" => Attr::InternalSubstTicket,
            "\u{0}subst-def" => Attr::InternalSubstDef,
            _ => return super::sphinx::SphinxAttr::from_name(name).map(Attr::Sphinx),
        })
    }
}

/// The name of a stored attribute.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AttrName {
    Known(Attr),
    /// A name taken from the input (a directive option, a `meta` field).
    Named(Box<str>),
}

impl AttrName {
    /// The known attribute of `name`, else the name as given.
    pub fn of(name: &str) -> AttrName {
        match Attr::from_name(name) {
            Some(a) => AttrName::Known(a),
            None => AttrName::Named(name.into()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            AttrName::Known(a) => a.name(),
            AttrName::Named(n) => n,
        }
    }

    /// kbgen's own annotations, dropped before the tree is shown.
    pub fn is_internal(&self) -> bool {
        matches!(
            self,
            AttrName::Known(
                Attr::InternalLine
                    | Attr::InternalRaw
                    | Attr::InternalSource
                    | Attr::InternalDone
                    | Attr::InternalSubstTicket
                    | Attr::InternalSubstDef
                    | Attr::InternalKey
            )
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for name in [
            "align",
            "alt",
            "anonymous",
            "auto",
            "backlinks",
            "bullet",
            "class",
            "cols",
            "colwidth",
            "content",
            "delimiter",
            "depth",
            "dir",
            "enumtype",
            "explanation",
            "format",
            "height",
            "http-equiv",
            "indirect_reference_name",
            "kbgen-schema",
            "kind",
            "lang",
            "language",
            "level",
            "line",
            "loading",
            "local",
            "morecols",
            "morerows",
            "name",
            "prefix",
            "refid",
            "refname",
            "reftitle",
            "refuri",
            "scale",
            "scheme",
            "source",
            "start",
            "stub",
            "suffix",
            "target",
            "title",
            "type",
            "uri",
            "width",
            "xml:space",
        ] {
            let a = Attr::from_name(name).expect(name);
            assert_eq!(a.name(), name);
        }
        assert_eq!(AttrName::of("http-equiv").as_str(), "http-equiv");
        assert_eq!(AttrName::of("data-x"), AttrName::Named("data-x".into()));
        assert!(AttrName::of("\u{0}line").is_internal());
        assert!(!AttrName::of("line").is_internal());
    }
}
