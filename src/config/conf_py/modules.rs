//! The Python that conf.py sees: which modules import, what their
//! attributes are, the builtins, and the exception classes with their
//! hierarchy (so `except OSError` catches `FileNotFoundError`).
//!
//! kbgen models Python 3.11 (the oldest Python Sphinx 9 runs on, so
//! `distutils` still imports) and Sphinx 9.0.4 (`sphinx.version_info`).

use super::value::{Builtin, Module, Value};

/// The Sphinx version conf.py sees: the one kbgen's behaviour follows.
pub(super) const SPHINX_VERSION: (i64, i64, i64) = (9, 0, 4);
/// The Python version conf.py sees through `sys.version_info`.
pub(super) const PYTHON_VERSION: (i64, i64, i64) = (3, 11, 0);

/// Standard-library modules conf.py files import: they exist in any Python
/// that runs Sphinx, so `import` succeeds, but their contents are not
/// evaluated (using one gives an unknown value).
const OPAQUE_STDLIB: &[&str] = &[
    "re",
    "datetime",
    "time",
    "subprocess",
    "pathlib",
    "glob",
    "shutil",
    "platform",
    "textwrap",
    "json",
    "io",
    "codecs",
    "locale",
    "string",
    "types",
    "warnings",
    "importlib",
    "inspect",
    "logging",
    "collections",
    "functools",
    "itertools",
    "typing",
    "distutils",
    "shlex",
    "configparser",
    "urllib",
    "email",
    "ast",
    "tempfile",
    "errno",
    "stat",
    "math",
    "operator",
    "copy",
    "pprint",
    "enum",
    "dataclasses",
    "contextlib",
    "fnmatch",
    "hashlib",
    "base64",
    "traceback",
    "xml",
    "html",
    "http",
    "csv",
    "gettext",
    "struct",
    "random",
    "unicodedata",
    "decimal",
    "fractions",
    "abc",
    "sysconfig",
    "site",
    "pkgutil",
    "zipfile",
    "tarfile",
    "gzip",
    "argparse",
    "socket",
    "threading",
    "uuid",
    "calendar",
    "keyword",
    "tokenize",
    "difflib",
    "bisect",
    "pickle",
    "zlib",
    "mimetypes",
    "binascii",
    "tomllib",
    "builtins",
    "unittest",
    "doctest",
];

/// Packages Sphinx 9 itself depends on: installed wherever Sphinx runs, so
/// conf.py may import them (`from docutils import nodes`,
/// `from packaging.version import Version`); opaque like the stdlib.
const SPHINX_DEPENDENCIES: &[&str] = &[
    "docutils",
    "pygments",
    "jinja2",
    "markupsafe",
    "babel",
    "packaging",
    "requests",
    "urllib3",
    "idna",
    "certifi",
    "charset_normalizer",
    "imagesize",
    "snowballstemmer",
    "roman_numerals",
    "sphinxcontrib",
];

/// HTML themes imported by conf.py to set `html_theme`. kbgen renders with
/// its own theme, so the module "imports" (Sphinx had it installed, or the
/// project would not build) without being evaluated.
const OPAQUE_THEMES: &[&str] = &["alabaster", "sphinx_rtd_theme"];

/// What `import name` gives.
pub(super) enum Import {
    Found(Module),
    /// A module kbgen does not have (a project's own extension, a package).
    Missing,
}

pub(super) fn import(name: &str) -> Import {
    let top = name.split('.').next().unwrap_or(name);
    Import::Found(match name {
        "os" => Module::Os,
        "os.path" | "posixpath" => Module::OsPath,
        "sys" => Module::Sys,
        "sphinx" => Module::Sphinx,
        "sphinx.errors" => Module::SphinxErrors,
        _ if top == "sphinx"
            || OPAQUE_STDLIB.contains(&top)
            || SPHINX_DEPENDENCIES.contains(&top)
            || OPAQUE_THEMES.contains(&top) =>
        {
            Module::Opaque(name.to_string())
        }
        _ => return Import::Missing,
    })
}

fn version_tuple((a, b, c): (i64, i64, i64)) -> Value {
    Value::Tuple(vec![
        Value::Int(a),
        Value::Int(b),
        Value::Int(c),
        Value::Str("final".into()),
        Value::Int(0),
    ])
}

/// `value.name` for modules and the `tags` object; `None` when not modelled.
pub(super) fn attribute(value: &Value, name: &str) -> Option<Value> {
    let s = |t: &str| Some(Value::Str(t.to_string()));
    let f = |b: Builtin| Some(Value::Builtin(b));
    match value {
        Value::Module(Module::Os) => match name {
            "path" => Some(Value::Module(Module::OsPath)),
            "environ" => Some(Value::Module(Module::OsEnviron)),
            "getenv" => f(Builtin::Getenv),
            "getcwd" => f(Builtin::Getcwd),
            "sep" => s("/"),
            "pathsep" => s(":"),
            "linesep" => s("\n"),
            "curdir" => s("."),
            "pardir" => s(".."),
            "name" => s("posix"),
            _ => None,
        },
        Value::Module(Module::OsPath) => match name {
            "join" => f(Builtin::PathJoin),
            "abspath" | "realpath" => f(Builtin::PathAbspath),
            "dirname" => f(Builtin::PathDirname),
            "basename" => f(Builtin::PathBasename),
            "normpath" => f(Builtin::PathNormpath),
            "splitext" => f(Builtin::PathSplitext),
            "exists" => f(Builtin::PathExists),
            "isfile" => f(Builtin::PathIsfile),
            "isdir" => f(Builtin::PathIsdir),
            "sep" => s("/"),
            _ => None,
        },
        Value::Module(Module::OsEnviron) => match name {
            "get" => f(Builtin::EnvironGet),
            _ => None,
        },
        Value::Module(Module::Sys) => match name {
            "path" => Some(Value::Module(Module::SysPath)),
            "version_info" => Some(version_tuple(PYTHON_VERSION)),
            "platform" => s("linux"),
            _ => None,
        },
        Value::Module(Module::SysPath) => match name {
            "insert" | "append" | "extend" | "remove" => f(Builtin::SysPathEdit),
            _ => None,
        },
        Value::Module(Module::Sphinx) => match name {
            "__version__" => {
                let (a, b, c) = SPHINX_VERSION;
                Some(Value::Str(format!("{a}.{b}.{c}")))
            }
            "version_info" => Some(version_tuple(SPHINX_VERSION)),
            "errors" => Some(Value::Module(Module::SphinxErrors)),
            _ => None,
        },
        Value::Module(Module::SphinxErrors) => match name {
            "ConfigError" | "ExtensionError" | "SphinxError" => {
                Some(Value::ExceptionClass(name.to_string()))
            }
            _ => None,
        },
        Value::Tags => match name {
            "add" => f(Builtin::TagsAdd),
            "has" => f(Builtin::TagsHas),
            "remove" => f(Builtin::TagsRemove),
            _ => None,
        },
        _ => None,
    }
}

/// Builtin names (looked up after conf.py's own globals).
pub(super) fn builtin(name: &str) -> Option<Value> {
    let f = |b: Builtin| Some(Value::Builtin(b));
    match name {
        "str" => f(Builtin::Str),
        "repr" => f(Builtin::Repr),
        "int" => f(Builtin::Int),
        "float" => f(Builtin::Float),
        "bool" => f(Builtin::Bool),
        "len" => f(Builtin::Len),
        "list" => f(Builtin::List),
        "tuple" => f(Builtin::Tuple),
        "dict" => f(Builtin::Dict),
        "sorted" => f(Builtin::Sorted),
        "min" => f(Builtin::Min),
        "max" => f(Builtin::Max),
        "range" => f(Builtin::Range),
        "enumerate" => f(Builtin::Enumerate),
        "zip" => f(Builtin::Zip),
        "any" => f(Builtin::Any),
        "all" => f(Builtin::All),
        "isinstance" => f(Builtin::Isinstance),
        "print" => f(Builtin::Print),
        "open" => f(Builtin::Open),
        "__name__" => Some(Value::Str("builtins".into())),
        _ if parent_class(name).is_some() => Some(Value::ExceptionClass(name.to_string())),
        _ => None,
    }
}

/// The base class of a builtin (or Sphinx) exception class.
fn parent_class(name: &str) -> Option<&'static str> {
    Some(match name {
        "BaseException" => "",
        "Exception" => "BaseException",
        "ImportError" | "NameError" | "LookupError" | "OSError" | "ValueError" | "TypeError"
        | "AttributeError" | "RuntimeError" | "AssertionError" | "ArithmeticError"
        | "SphinxError" => "Exception",
        "ModuleNotFoundError" => "ImportError",
        "KeyError" | "IndexError" => "LookupError",
        "FileNotFoundError" | "PermissionError" | "IsADirectoryError" => "OSError",
        "ZeroDivisionError" | "OverflowError" => "ArithmeticError",
        "ConfigError" | "ExtensionError" => "SphinxError",
        _ => return None,
    })
}

/// Whether `except handler:` catches a raised `raised`.
pub(super) fn exception_matches(raised: &str, handler: &str) -> bool {
    let handler = match handler {
        "IOError" | "EnvironmentError" => "OSError",
        h => h,
    };
    let mut class = raised;
    for _ in 0..8 {
        if class == handler {
            return true;
        }
        match parent_class(class) {
            Some(p) if !p.is_empty() => class = p,
            _ => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hierarchy_catches_subclasses_only() {
        assert!(exception_matches("ModuleNotFoundError", "ImportError"));
        assert!(exception_matches("FileNotFoundError", "IOError"));
        assert!(exception_matches("ConfigError", "Exception"));
        assert!(exception_matches("NameError", "BaseException"));
        assert!(!exception_matches("ImportError", "ModuleNotFoundError"));
        assert!(!exception_matches("KeyError", "OSError"));
    }

    #[test]
    fn imports_known_opaque_and_missing() {
        assert!(matches!(import("os.path"), Import::Found(Module::OsPath)));
        assert!(matches!(
            import("sphinx.util.docutils"),
            Import::Found(Module::Opaque(_))
        ));
        assert!(matches!(
            import("packaging.version"),
            Import::Found(Module::Opaque(_))
        ));
        assert!(matches!(import("kerneldoc"), Import::Missing));
        assert!(matches!(import("sphinx_book_theme"), Import::Missing));
    }
}
