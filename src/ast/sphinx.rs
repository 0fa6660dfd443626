//! The element and attribute names Sphinx adds to docutils' doctree
//! (`sphinx.addnodes` and the attributes its directives and roles set).
//!
//! They live in their own enums, reached through one variant of [`Tag`]
//! and of [`Attr`] each, so the docutils registries stay as they are and a
//! plain docutils page never meets a Sphinx name.
//!
//! [`Tag`]: super::Tag
//! [`Attr`]: super::Attr

/// Declares an enum whose variants map one-to-one to Sphinx's names.
macro_rules! sphinx_names {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident => $text:literal,)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vm])* $variant,)*
        }

        impl $name {
            /// The name Sphinx's pseudo-XML prints.
            pub fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }

            /// The variant Sphinx calls `name`.
            pub fn from_name(name: &str) -> Option<$name> {
                match name {
                    $($text => Some($name::$variant),)*
                    _ => None,
                }
            }

            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];
        }
    };
}

sphinx_names! {
    /// Element kinds from `sphinx.addnodes` (and the few node classes of
    /// Sphinx's domains and builders that appear in a page's doctree).
    SphinxTag {
        DescSignatureLine => "desc_signature_line",
        DescContent => "desc_content",
        DescInline => "desc_inline",
        DescAddname => "desc_addname",
        DescType => "desc_type",
        DescReturns => "desc_returns",
        DescParameterlist => "desc_parameterlist",
        DescTypeParameterList => "desc_type_parameter_list",
        DescParameter => "desc_parameter",
        DescOptional => "desc_optional",
        DescAnnotation => "desc_annotation",
        DescSigSpace => "desc_sig_space",
        DescSigName => "desc_sig_name",
        DescSigOperator => "desc_sig_operator",
        DescSigPunctuation => "desc_sig_punctuation",
        DescSigKeyword => "desc_sig_keyword",
        DescSigKeywordType => "desc_sig_keyword_type",
        DescSigLiteralNumber => "desc_sig_literal_number",
        DescSigLiteralString => "desc_sig_literal_string",
        DescSigLiteralChar => "desc_sig_literal_char",
        Index => "index",
        DownloadReference => "download_reference",
        NumberReference => "number_reference",
        Versionmodified => "versionmodified",
        Seealso => "seealso",
        Centered => "centered",
        Hlist => "hlist",
        Hlistcol => "hlistcol",
        Only => "only",
        Glossary => "glossary",
        Productionlist => "productionlist",
        Production => "production",
        TabularColSpec => "tabular_col_spec",
        LiteralStrong => "literal_strong",
        LiteralEmphasis => "literal_emphasis",
        Manpage => "manpage",
        Highlightlang => "highlightlang",
        /// The page's docinfo fields, which Sphinx takes off the page as
        /// metadata: kept for the site, never dumped or rendered.
        Metadata => "kbgen_metadata",
    }
}

sphinx_names! {
    /// Attribute names Sphinx's nodes carry.
    SphinxAttr {
        TocName => "_toc_name",
        TocParts => "_toc_parts",
        AddPermalink => "add_permalink",
        Candidates => "candidates",
        Allnames => "allnames",
        CParentKey => "c:parent_key",
        Desctype => "desctype",
        Docname => "docname",
        Domain => "domain",
        Entries => "entries",
        Expr => "expr",
        Filename => "filename",
        Force => "force",
        Fullname => "fullname",
        HighlightArgs => "highlight_args",
        Inline => "inline",
        IsMultiline => "is_multiline",
        Label => "label",
        Linenos => "linenos",
        Linenothreshold => "linenothreshold",
        LiteralBlock => "literal_block",
        Module => "module",
        MultiLineParameterList => "multi_line_parameter_list",
        MultiLineTrailingComma => "multi_line_trailing_comma",
        Ncolumns => "ncolumns",
        NoContentsEntry => "no-contents-entry",
        NoIndex => "no-index",
        NoIndexEntry => "no-index-entry",
        NoTypesetting => "no-typesetting",
        NoWrap => "no-wrap",
        Nocontentsentry => "nocontentsentry",
        Noemph => "noemph",
        Noindex => "noindex",
        Noindexentry => "noindexentry",
        Nowrap => "nowrap",
        Number => "number",
        Objtype => "objtype",
        Page => "page",
        Path => "path",
        PyClass => "py:class",
        PyModule => "py:module",
        Rawtext => "rawtext",
        Refspecific => "refspecific",
        Section => "section",
        Sorted => "sorted",
        Spec => "spec",
        StdProgram => "std:program",
        SupportSmartquotes => "support_smartquotes",
        Tokenname => "tokenname",
        Translatable => "translatable",
        TranslationProgress => "translation_progress",
        Version => "version",
    }
}

impl SphinxTag {
    /// Sphinx's inline (`nodes.Inline`) node classes: they may sit in a
    /// paragraph and in a substitution definition.
    pub fn is_inline(self) -> bool {
        matches!(
            self,
            SphinxTag::Index
                | SphinxTag::DownloadReference
                | SphinxTag::NumberReference
                | SphinxTag::LiteralStrong
                | SphinxTag::LiteralEmphasis
                | SphinxTag::Manpage
                | SphinxTag::DescInline
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        for t in SphinxTag::ALL {
            assert_eq!(SphinxTag::from_name(t.name()), Some(*t));
        }
        for a in SphinxAttr::ALL {
            assert_eq!(SphinxAttr::from_name(a.name()), Some(*a));
        }
        assert_eq!(SphinxTag::from_name("paragraph"), None);
    }
}
