//! docutils element names. Generated once from docutils' `nodes.py` element list.

/// Kind of an [`super::Element`]; the name is docutils' element name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tag {
    Document,
    Section,
    Topic,
    Sidebar,
    Title,
    Subtitle,
    Rubric,
    Transition,
    Docinfo,
    Decoration,
    Header,
    Footer,
    Author,
    Authors,
    Organization,
    Address,
    Contact,
    Version,
    Revision,
    Status,
    Date,
    Copyright,
    Paragraph,
    Compound,
    Container,
    BulletList,
    EnumeratedList,
    ListItem,
    DefinitionList,
    DefinitionListItem,
    Term,
    Classifier,
    Definition,
    FieldList,
    Field,
    FieldName,
    FieldBody,
    OptionList,
    OptionListItem,
    OptionGroup,
    Option,
    OptionString,
    OptionArgument,
    Description,
    LiteralBlock,
    DoctestBlock,
    MathBlock,
    LineBlock,
    Line,
    BlockQuote,
    Attribution,
    Attention,
    Caution,
    Danger,
    Error,
    Important,
    Note,
    Tip,
    Hint,
    Warning,
    Admonition,
    Comment,
    SubstitutionDefinition,
    Target,
    Footnote,
    Citation,
    Label,
    Figure,
    Caption,
    Legend,
    Table,
    Tgroup,
    Colspec,
    Thead,
    Tbody,
    Row,
    Entry,
    SystemMessage,
    Pending,
    Raw,
    Image,
    Meta,
    Emphasis,
    Strong,
    Literal,
    Reference,
    FootnoteReference,
    CitationReference,
    SubstitutionReference,
    TitleReference,
    Abbreviation,
    Acronym,
    Superscript,
    Subscript,
    Math,
    Inline,
    Problematic,
    Generated,
    /// kbgen's own: a hard line break inside text (Markdown's `foo  \n`
    /// or `foo\\\n`), which docutils has no element for; written `<br>`.
    LineBreak,
    /// A node Sphinx adds (`sphinx.addnodes`); only the Sphinx dialect makes them.
    Sphinx(super::sphinx::SphinxTag),
}

impl Tag {
    /// docutils' element name, as pseudo-XML prints it.
    pub fn name(self) -> &'static str {
        match self {
            Tag::Document => "document",
            Tag::Section => "section",
            Tag::Topic => "topic",
            Tag::Sidebar => "sidebar",
            Tag::Title => "title",
            Tag::Subtitle => "subtitle",
            Tag::Rubric => "rubric",
            Tag::Transition => "transition",
            Tag::Docinfo => "docinfo",
            Tag::Decoration => "decoration",
            Tag::Header => "header",
            Tag::Footer => "footer",
            Tag::Author => "author",
            Tag::Authors => "authors",
            Tag::Organization => "organization",
            Tag::Address => "address",
            Tag::Contact => "contact",
            Tag::Version => "version",
            Tag::Revision => "revision",
            Tag::Status => "status",
            Tag::Date => "date",
            Tag::Copyright => "copyright",
            Tag::Paragraph => "paragraph",
            Tag::Compound => "compound",
            Tag::Container => "container",
            Tag::BulletList => "bullet_list",
            Tag::EnumeratedList => "enumerated_list",
            Tag::ListItem => "list_item",
            Tag::DefinitionList => "definition_list",
            Tag::DefinitionListItem => "definition_list_item",
            Tag::Term => "term",
            Tag::Classifier => "classifier",
            Tag::Definition => "definition",
            Tag::FieldList => "field_list",
            Tag::Field => "field",
            Tag::FieldName => "field_name",
            Tag::FieldBody => "field_body",
            Tag::OptionList => "option_list",
            Tag::OptionListItem => "option_list_item",
            Tag::OptionGroup => "option_group",
            Tag::Option => "option",
            Tag::OptionString => "option_string",
            Tag::OptionArgument => "option_argument",
            Tag::Description => "description",
            Tag::LiteralBlock => "literal_block",
            Tag::DoctestBlock => "doctest_block",
            Tag::MathBlock => "math_block",
            Tag::LineBlock => "line_block",
            Tag::Line => "line",
            Tag::BlockQuote => "block_quote",
            Tag::Attribution => "attribution",
            Tag::Attention => "attention",
            Tag::Caution => "caution",
            Tag::Danger => "danger",
            Tag::Error => "error",
            Tag::Important => "important",
            Tag::Note => "note",
            Tag::Tip => "tip",
            Tag::Hint => "hint",
            Tag::Warning => "warning",
            Tag::Admonition => "admonition",
            Tag::Comment => "comment",
            Tag::SubstitutionDefinition => "substitution_definition",
            Tag::Target => "target",
            Tag::Footnote => "footnote",
            Tag::Citation => "citation",
            Tag::Label => "label",
            Tag::Figure => "figure",
            Tag::Caption => "caption",
            Tag::Legend => "legend",
            Tag::Table => "table",
            Tag::Tgroup => "tgroup",
            Tag::Colspec => "colspec",
            Tag::Thead => "thead",
            Tag::Tbody => "tbody",
            Tag::Row => "row",
            Tag::Entry => "entry",
            Tag::SystemMessage => "system_message",
            Tag::Pending => "pending",
            Tag::Raw => "raw",
            Tag::Image => "image",
            Tag::Meta => "meta",
            Tag::Emphasis => "emphasis",
            Tag::Strong => "strong",
            Tag::Literal => "literal",
            Tag::Reference => "reference",
            Tag::FootnoteReference => "footnote_reference",
            Tag::CitationReference => "citation_reference",
            Tag::SubstitutionReference => "substitution_reference",
            Tag::TitleReference => "title_reference",
            Tag::Abbreviation => "abbreviation",
            Tag::Acronym => "acronym",
            Tag::Superscript => "superscript",
            Tag::Subscript => "subscript",
            Tag::Math => "math",
            Tag::Inline => "inline",
            Tag::Problematic => "problematic",
            Tag::Generated => "generated",
            Tag::LineBreak => "line_break",
            Tag::Sphinx(t) => t.name(),
        }
    }

    /// The tag with docutils' element name `name`.
    pub fn from_name(name: &str) -> Option<Tag> {
        Some(match name {
            "document" => Tag::Document,
            "section" => Tag::Section,
            "topic" => Tag::Topic,
            "sidebar" => Tag::Sidebar,
            "title" => Tag::Title,
            "subtitle" => Tag::Subtitle,
            "rubric" => Tag::Rubric,
            "transition" => Tag::Transition,
            "docinfo" => Tag::Docinfo,
            "decoration" => Tag::Decoration,
            "header" => Tag::Header,
            "footer" => Tag::Footer,
            "author" => Tag::Author,
            "authors" => Tag::Authors,
            "organization" => Tag::Organization,
            "address" => Tag::Address,
            "contact" => Tag::Contact,
            "version" => Tag::Version,
            "revision" => Tag::Revision,
            "status" => Tag::Status,
            "date" => Tag::Date,
            "copyright" => Tag::Copyright,
            "paragraph" => Tag::Paragraph,
            "compound" => Tag::Compound,
            "container" => Tag::Container,
            "bullet_list" => Tag::BulletList,
            "enumerated_list" => Tag::EnumeratedList,
            "list_item" => Tag::ListItem,
            "definition_list" => Tag::DefinitionList,
            "definition_list_item" => Tag::DefinitionListItem,
            "term" => Tag::Term,
            "classifier" => Tag::Classifier,
            "definition" => Tag::Definition,
            "field_list" => Tag::FieldList,
            "field" => Tag::Field,
            "field_name" => Tag::FieldName,
            "field_body" => Tag::FieldBody,
            "option_list" => Tag::OptionList,
            "option_list_item" => Tag::OptionListItem,
            "option_group" => Tag::OptionGroup,
            "option" => Tag::Option,
            "option_string" => Tag::OptionString,
            "option_argument" => Tag::OptionArgument,
            "description" => Tag::Description,
            "literal_block" => Tag::LiteralBlock,
            "doctest_block" => Tag::DoctestBlock,
            "math_block" => Tag::MathBlock,
            "line_block" => Tag::LineBlock,
            "line" => Tag::Line,
            "block_quote" => Tag::BlockQuote,
            "attribution" => Tag::Attribution,
            "attention" => Tag::Attention,
            "caution" => Tag::Caution,
            "danger" => Tag::Danger,
            "error" => Tag::Error,
            "important" => Tag::Important,
            "note" => Tag::Note,
            "tip" => Tag::Tip,
            "hint" => Tag::Hint,
            "warning" => Tag::Warning,
            "admonition" => Tag::Admonition,
            "comment" => Tag::Comment,
            "substitution_definition" => Tag::SubstitutionDefinition,
            "target" => Tag::Target,
            "footnote" => Tag::Footnote,
            "citation" => Tag::Citation,
            "label" => Tag::Label,
            "figure" => Tag::Figure,
            "caption" => Tag::Caption,
            "legend" => Tag::Legend,
            "table" => Tag::Table,
            "tgroup" => Tag::Tgroup,
            "colspec" => Tag::Colspec,
            "thead" => Tag::Thead,
            "tbody" => Tag::Tbody,
            "row" => Tag::Row,
            "entry" => Tag::Entry,
            "system_message" => Tag::SystemMessage,
            "pending" => Tag::Pending,
            "raw" => Tag::Raw,
            "image" => Tag::Image,
            "meta" => Tag::Meta,
            "emphasis" => Tag::Emphasis,
            "strong" => Tag::Strong,
            "literal" => Tag::Literal,
            "reference" => Tag::Reference,
            "footnote_reference" => Tag::FootnoteReference,
            "citation_reference" => Tag::CitationReference,
            "substitution_reference" => Tag::SubstitutionReference,
            "title_reference" => Tag::TitleReference,
            "abbreviation" => Tag::Abbreviation,
            "acronym" => Tag::Acronym,
            "superscript" => Tag::Superscript,
            "subscript" => Tag::Subscript,
            "math" => Tag::Math,
            "inline" => Tag::Inline,
            "problematic" => Tag::Problematic,
            "generated" => Tag::Generated,
            "line_break" => Tag::LineBreak,
            _ => return super::sphinx::SphinxTag::from_name(name).map(Tag::Sphinx),
        })
    }

    /// Admonition elements (`note`, `warning`, …, and generic `admonition`).
    pub fn is_admonition(self) -> bool {
        matches!(
            self,
            Tag::Attention
                | Tag::Caution
                | Tag::Danger
                | Tag::Error
                | Tag::Important
                | Tag::Note
                | Tag::Tip
                | Tag::Hint
                | Tag::Warning
                | Tag::Admonition
        )
    }

    /// docutils' `PreBibliographic` nodes: they may precede the document title and docinfo.
    pub fn is_prebibliographic(self) -> bool {
        matches!(
            self,
            Tag::Comment
                | Tag::Target
                | Tag::SubstitutionDefinition
                | Tag::Pending
                | Tag::SystemMessage
                | Tag::Meta
                | Tag::Decoration
        )
    }

    /// Inline (text-level) elements.
    pub fn is_inline(self) -> bool {
        matches!(
            self,
            Tag::Emphasis
                | Tag::Strong
                | Tag::Literal
                | Tag::Reference
                | Tag::FootnoteReference
                | Tag::CitationReference
                | Tag::SubstitutionReference
                | Tag::TitleReference
                | Tag::Abbreviation
                | Tag::Acronym
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Math
                | Tag::Inline
                | Tag::Problematic
                | Tag::Generated
                | Tag::LineBreak
                | Tag::Image
                | Tag::Target
        ) || matches!(self, Tag::Sphinx(s) if s.is_inline())
    }
}
