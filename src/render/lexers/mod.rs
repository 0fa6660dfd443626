//! kbgen's own highlighters for the languages documentation uses most:
//! one pass over the bytes each, no regular expressions, no set-up cost,
//! classes named as Pygments names them (see [`super::highlight`]).
//!
//! syntect's grammars, which the rest of the languages still use, run many
//! regular expressions at every position and compile them on first use:
//! about 5,500 lines per second and 30–45 ms before the first block of a
//! language. These run at millions of lines per second (`cargo bench
//! --bench highlight`), so a manual made of shell sessions and C costs no
//! more to render than its prose. `tests/highlight_tokens.rs` pins their
//! tokens against syntect's and lists every difference with its reason.

mod build;
mod c_like;
mod c_like_words;
mod data;
pub mod pyg;
mod python;
mod python_words;
mod rst;
mod scan;
mod shell;
mod tex;
pub mod xml;

pub use scan::Sink;

use c_like::{Backtick, Dialect};

/// A lexer: calls the sink with consecutive pieces of the code that
/// together are exactly the code.
pub type Lexer = fn(&str, &mut Sink);

/// `language` in lower case, copied only when it has an upper-case letter
/// (names are matched in any case, as Pygments matches them).
fn lowercase(language: &str) -> std::borrow::Cow<'_, str> {
    if language.bytes().any(|c| c.is_ascii_uppercase()) {
        language.to_ascii_lowercase().into()
    } else {
        language.into()
    }
}

/// The lexer for `language` (a Pygments name or alias, any case), if kbgen
/// has its own.
pub fn lexer_for(language: &str) -> Option<Lexer> {
    let language = lowercase(language);
    Some(match language.as_ref() {
        "console" | "shell-session" | "shellsession" | "sh-session" | "terminal" => shell::session,
        "bash" | "sh" | "shell" | "zsh" | "ksh" | "ash" | "shell-script" => shell::script,
        "c" | "h" => |code, out| c_like::tokens(code, out, &C),
        "cpp" | "c++" | "cxx" | "cc" | "hpp" | "hxx" => |code, out| c_like::tokens(code, out, &CPP),
        "rust" | "rs" => |code, out| c_like::tokens(code, out, &RUST),
        "go" | "golang" => |code, out| c_like::tokens(code, out, &GO),
        "javascript" | "js" | "mjs" | "cjs" | "node" => |code, out| c_like::tokens(code, out, &JS),
        "python" | "py" | "python3" | "py3" | "sage" => python::tokens,
        "json" | "jsonc" | "json5" | "geojson" => data::json,
        "yaml" | "yml" => data::yaml,
        "ini" | "cfg" | "dosini" | "conf" | "systemd" | "desktop" | "properties" => data::ini,
        "toml" => data::toml,
        "diff" | "patch" | "udiff" => build::diff,
        "make" | "makefile" | "mf" | "bsdmake" | "gnumake" | "mk" => build::makefile,
        "xml" | "rng" | "xsd" | "xslt" | "xsl" | "svg" | "wsdl" | "rss" | "plist" => {
            |code, out| xml::tokens(code, out)
        }
        _ => return None,
    })
}

/// A lexer that passes its merged tokens on as byte ranges and can stop
/// at the first error token (`false` then): see [`python::ranges`].
pub type RangeLexer = fn(&str, &mut dyn pyg::Tokens, bool) -> bool;

/// The [`RangeLexer`] for `language`, when [`lexer_for`] gives one with
/// the same tokens (Python: the most common language of literal blocks in
/// Sphinx projects, whose `default` is Python).
pub fn range_lexer_for(language: &str) -> Option<RangeLexer> {
    match lowercase(language).as_ref() {
        "python" | "py" | "python3" | "py3" | "sage" => Some(python::ranges),
        _ => None,
    }
}

/// The lexer for `language` when kbgen's gives exactly Pygments' tokens
/// (so docutils' doctree of a `code` block can be imitated), by the
/// Pygments names and aliases docutils looks lexers up by (any case).
pub fn pygments_lexer_for(language: &str) -> Option<Lexer> {
    let language = lowercase(language);
    Some(match language.as_ref() {
        "python" | "py" | "sage" | "python3" | "py3" | "bazel" | "starlark" | "pyi" => {
            python::tokens
        }
        "tex" | "latex" => tex::tokens,
        "restructuredtext" | "rst" | "rest" => rst::tokens,
        _ => return None,
    })
}

const C: Dialect = Dialect {
    words: c_like_words::C,
    function_definers: &[],
    type_definers: &[("struct", "nc"), ("union", "nc"), ("enum", "nc")],
    preprocessor: true,
    backtick: Backtick::None,
    regex_literals: false,
    rust: false,
    c_definitions: true,
};

const CPP: Dialect = Dialect {
    words: c_like_words::CPP,
    type_definers: &[
        ("class", "nc"),
        ("struct", "nc"),
        ("union", "nc"),
        ("enum", "nc"),
        ("namespace", "nn"),
    ],
    ..C
};

const RUST: Dialect = Dialect {
    words: c_like_words::RUST,
    function_definers: &["fn"],
    type_definers: &[
        ("struct", "nc"),
        ("enum", "nc"),
        ("trait", "nc"),
        ("type", "nc"),
        ("mod", "nn"),
        ("union", "nc"),
    ],
    preprocessor: false,
    backtick: Backtick::None,
    regex_literals: false,
    rust: true,
    c_definitions: false,
};

const GO: Dialect = Dialect {
    words: c_like_words::GO,
    function_definers: &["func"],
    type_definers: &[("type", "nc"), ("package", "nn")],
    backtick: Backtick::Raw,
    rust: false,
    ..RUST
};

const JS: Dialect = Dialect {
    words: c_like_words::JS,
    function_definers: &["function"],
    type_definers: &[("class", "nc"), ("extends", "nc")],
    backtick: Backtick::Template,
    regex_literals: true,
    rust: false,
    ..RUST
};

#[cfg(test)]
mod tests;
