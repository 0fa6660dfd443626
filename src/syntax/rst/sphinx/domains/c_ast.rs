//! The declarations Sphinx's C parser builds (its `AST*` classes, as far
//! as the C directives need them), described by [`super::c`].

/// `static`, `inline`, `const`... of one side of the type.
#[derive(Debug, Default)]
pub struct Simple {
    pub storage: Option<&'static str>,
    pub thread_local: Option<&'static str>,
    pub inline: bool,
    pub restrict: bool,
    pub volatile: bool,
    pub const_: bool,
}

impl Simple {
    fn is_empty(&self) -> bool {
        self.storage.is_none()
            && self.thread_local.is_none()
            && !self.inline
            && !self.restrict
            && !self.volatile
            && !self.const_
    }
}

#[derive(Debug)]
pub enum Trailing {
    /// `unsigned long`, `void`...
    Fundamental(Vec<String>),
    /// `struct point`, `size_t`, `a.b`.
    Name {
        prefix: Option<&'static str>,
        names: Vec<String>,
    },
}

#[derive(Debug)]
pub struct DeclSpecs {
    pub left: Simple,
    pub right: Simple,
    pub trailing: Option<Trailing>,
}

impl DeclSpecs {
    /// Whether Sphinx's `str(declSpecs)` is empty.
    pub fn is_empty(&self) -> bool {
        self.left.is_empty() && self.trailing.is_none()
    }
}

#[derive(Debug)]
pub enum Expr {
    Number(String),
    Str(String),
    Char(String),
    Name(Vec<String>),
    Paren(Box<Expr>),
    Unary(&'static str, Box<Expr>),
    /// Operands and the operators between them (shown flat, as Sphinx does).
    Binary(Vec<Expr>, Vec<&'static str>),
}

#[derive(Debug, Default)]
pub struct Array {
    pub static_: bool,
    pub const_: bool,
    pub volatile: bool,
    pub restrict: bool,
    pub vla: bool,
    pub size: Option<Expr>,
}

#[derive(Debug)]
pub enum Declarator {
    NameParam {
        name: Option<Vec<String>>,
        arrays: Vec<Array>,
        params: Option<Vec<Param>>,
    },
    BitField {
        name: Option<Vec<String>>,
        size: Expr,
    },
    Ptr {
        next: Box<Declarator>,
        restrict: bool,
        volatile: bool,
        const_: bool,
    },
    Paren {
        inner: Box<Declarator>,
        next: Box<Declarator>,
    },
}

impl Declarator {
    /// Sphinx's `require_space_after_declSpecs`.
    pub fn requires_space(&self) -> bool {
        match self {
            Declarator::NameParam { name, .. } | Declarator::BitField { name, .. } => {
                name.is_some()
            }
            Declarator::Ptr {
                next,
                restrict,
                volatile,
                const_,
            } => *restrict || *volatile || *const_ || next.requires_space(),
            Declarator::Paren { .. } => true,
        }
    }

    fn name(&self) -> Option<&Vec<String>> {
        match self {
            Declarator::NameParam { name, .. } | Declarator::BitField { name, .. } => name.as_ref(),
            Declarator::Ptr { next, .. } => next.name(),
            Declarator::Paren { inner, .. } => inner.name(),
        }
    }
}

#[derive(Debug)]
pub enum Param {
    Ellipsis,
    Arg(Box<TypeDecl>),
}

/// A type with its declarator (and initialiser, for members and parameters).
#[derive(Debug)]
pub struct TypeDecl {
    pub specs: DeclSpecs,
    pub decl: Declarator,
    pub init: Option<Expr>,
}

#[derive(Debug)]
pub enum Decl {
    Type(TypeDecl),
    /// Parameters: `None` for `...`, or a name (`args...` kept whole).
    Macro {
        name: Vec<String>,
        params: Option<Vec<Option<String>>>,
    },
    Name(Vec<String>),
    Enumerator {
        name: Vec<String>,
        init: Option<Expr>,
    },
}

#[derive(Debug)]
pub struct Declaration {
    pub decl: Decl,
    pub semicolon: bool,
}

impl Declaration {
    /// The declared (nested) name.
    pub fn name(&self) -> &[String] {
        match &self.decl {
            Decl::Type(t) => t.decl.name().map_or(&[][..], |n| n.as_slice()),
            Decl::Macro { name, .. } | Decl::Name(name) | Decl::Enumerator { name, .. } => name,
        }
    }
}

/// Why a declaration does not parse, and where (a byte offset).
#[derive(Debug)]
pub struct ParseError {
    pub text: String,
    pub at: usize,
}

/// C's keywords, which are never names (Sphinx's `_keywords`).
pub const KEYWORDS: &[&str] = &[
    "auto",
    "break",
    "case",
    "char",
    "const",
    "continue",
    "default",
    "do",
    "double",
    "else",
    "enum",
    "extern",
    "float",
    "for",
    "goto",
    "if",
    "inline",
    "int",
    "long",
    "register",
    "restrict",
    "return",
    "short",
    "signed",
    "sizeof",
    "static",
    "struct",
    "switch",
    "typedef",
    "union",
    "unsigned",
    "void",
    "volatile",
    "while",
    "_Alignas",
    "_Alignof",
    "_Atomic",
    "_Bool",
    "_Complex",
    "_Decimal32",
    "_Decimal64",
    "_Decimal128",
    "_Generic",
    "_Imaginary",
    "_Noreturn",
    "_Static_assert",
    "_Thread_local",
];

/// The fundamental type words (Sphinx's `_simple_type_specifiers_re`).
pub const FUNDAMENTAL: &[&str] = &[
    "void",
    "_Bool",
    "signed",
    "unsigned",
    "short",
    "long",
    "char",
    "int",
    "__uint128",
    "__int128",
    "__int8",
    "__int16",
    "__int32",
    "__int64",
    "__int128",
    "float",
    "double",
    "_Decimal32",
    "_Decimal64",
    "_Decimal128",
    "_Complex",
    "_Imaginary",
    "__float80",
    "_Float64x",
    "__float128",
    "_Float128",
    "__ibm128",
    "__fp16",
    "_Sat",
    "_Fract",
    "fract",
    "_Accum",
    "accum",
];
