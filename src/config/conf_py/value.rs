//! The values the conf.py evaluator computes with: the Python objects a
//! configuration file builds (strings, numbers, lists, dicts, ...), the
//! modules and functions kbgen models, and [`Unknown`], the value of anything
//! kbgen cannot evaluate. An unknown value carries where and why it arose, so
//! the warning for a setting that ends up unknown points at the cause.
//!
//! Lists and dicts have value semantics here (Python shares them by
//! reference); conf.py files build settings, they do not alias containers.

use std::cell::RefCell;
use std::rc::Rc;

use ruff_text_size::TextRange;

/// A Python value.
#[derive(Debug, Clone)]
pub(super) enum Value {
    None,
    Bool(bool),
    /// Python ints are unbounded; kbgen's are `i64` and an overflow is unknown.
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<Value>),
    Tuple(Vec<Value>),
    /// Insertion-ordered, as Python's dicts are.
    Dict(Vec<(Value, Value)>),
    Module(Module),
    /// A function or method of a modelled module or builtin.
    Builtin(Builtin),
    /// `value.name` where `value` is a str, list, dict or file: called later.
    Method(Box<Value>, String),
    /// An open file (`open(path)`): its text and how far it has been read.
    File(Rc<RefCell<OpenFile>>),
    /// An exception class (`ImportError`, Sphinx's `ConfigError`).
    ExceptionClass(String),
    /// A function or class defined in conf.py: never called.
    Function(String),
    /// The `tags` object Sphinx passes to conf.py.
    Tags,
    Unknown(Rc<Unknown>),
}

/// Why a value could not be evaluated, and where.
#[derive(Debug, PartialEq)]
pub(super) struct Unknown {
    pub reason: String,
    pub range: TextRange,
}

/// A file `open()`ed by conf.py, read whole when opened.
#[derive(Debug)]
pub(super) struct OpenFile {
    pub text: String,
    pub pos: usize,
}

/// Modules kbgen models. `Opaque` is one that imports (it exists in any
/// Python that runs Sphinx) but whose contents are not evaluated.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Module {
    Os,
    OsPath,
    OsEnviron,
    Sys,
    /// `sys.path`: insertions are ignored (kbgen loads no extension code).
    SysPath,
    Sphinx,
    SphinxErrors,
    Opaque(String),
}

/// Functions of modelled modules and Python builtins.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Builtin {
    PathJoin,
    PathAbspath,
    PathDirname,
    PathBasename,
    PathNormpath,
    PathSplitext,
    PathExists,
    PathIsfile,
    PathIsdir,
    Getenv,
    EnvironGet,
    Getcwd,
    SysPathEdit,
    Open,
    Str,
    Repr,
    Int,
    Float,
    Bool,
    Len,
    List,
    Tuple,
    Dict,
    Sorted,
    Min,
    Max,
    Range,
    Enumerate,
    Zip,
    Any,
    All,
    Isinstance,
    Print,
    TagsAdd,
    TagsHas,
    TagsRemove,
}

impl Value {
    pub fn unknown(reason: impl Into<String>, range: TextRange) -> Value {
        Value::Unknown(Rc::new(Unknown {
            reason: reason.into(),
            range,
        }))
    }

    /// Python's `type(x).__name__`, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::None => "NoneType",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "float",
            Value::Str(_) => "str",
            Value::List(_) => "list",
            Value::Tuple(_) => "tuple",
            Value::Dict(_) => "dict",
            Value::Module(_) => "module",
            Value::Builtin(_) | Value::Method(..) => "builtin_function_or_method",
            Value::File(_) => "TextIOWrapper",
            Value::ExceptionClass(_) => "type",
            Value::Function(_) => "function",
            Value::Tags => "Tags",
            Value::Unknown(_) => "unknown",
        }
    }

    /// The size this value occupies, counted against the work budget.
    pub fn weight(&self) -> usize {
        match self {
            Value::Str(s) => s.len(),
            Value::List(v) | Value::Tuple(v) => v.len(),
            Value::Dict(v) => v.len() * 2,
            _ => 1,
        }
    }

    /// The items of a list, tuple, str (its characters) or dict (its keys).
    pub fn items(&self) -> Option<Vec<Value>> {
        match self {
            Value::List(v) | Value::Tuple(v) => Some(v.clone()),
            Value::Str(s) => Some(s.chars().map(|c| Value::Str(c.to_string())).collect()),
            Value::Dict(d) => Some(d.iter().map(|(k, _)| k.clone()).collect()),
            _ => None,
        }
    }

    /// Python's `bool(x)`; `None` when it cannot be decided.
    pub fn truthy(&self) -> Option<bool> {
        Some(match self {
            Value::None => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::List(v) | Value::Tuple(v) => !v.is_empty(),
            Value::Dict(d) => !d.is_empty(),
            Value::Unknown(_) => return None,
            _ => true,
        })
    }

    /// The first unknown value inside this one (a list holding one unknown
    /// item is itself not fully known).
    pub fn find_unknown(&self) -> Option<Rc<Unknown>> {
        match self {
            Value::Unknown(u) => Some(u.clone()),
            Value::List(v) | Value::Tuple(v) => v.iter().find_map(Value::find_unknown),
            Value::Dict(d) => d
                .iter()
                .find_map(|(k, v)| k.find_unknown().or_else(|| v.find_unknown())),
            _ => None,
        }
    }
}

/// Python's `==` on the values kbgen models; `None` when it cannot tell.
pub(super) fn py_eq(a: &Value, b: &Value) -> Option<bool> {
    use Value as V;
    Some(match (a, b) {
        (V::Unknown(_), _) | (_, V::Unknown(_)) => return None,
        (V::None, V::None) => true,
        (V::Str(x), V::Str(y)) => x == y,
        (V::Bool(_) | V::Int(_) | V::Float(_), V::Bool(_) | V::Int(_) | V::Float(_)) => {
            match (as_int(a), as_int(b)) {
                (Some(x), Some(y)) => x == y,
                _ => as_float(a)? == as_float(b)?,
            }
        }
        (V::List(x), V::List(y)) | (V::Tuple(x), V::Tuple(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            for (p, q) in x.iter().zip(y) {
                if !py_eq(p, q)? {
                    return Some(false);
                }
            }
            true
        }
        (V::Dict(x), V::Dict(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            for (k, v) in x {
                match dict_get(y, k)? {
                    Some(w) if py_eq(v, w)? => {}
                    _ => return Some(false),
                }
            }
            true
        }
        (V::Module(x), V::Module(y)) => x == y,
        (V::ExceptionClass(x), V::ExceptionClass(y)) => x == y,
        (V::Tags, V::Tags) => true,
        _ => false,
    })
}

/// `d[key]` on an ordered dict; `None` when a key comparison is unknown.
pub(super) fn dict_get<'a>(d: &'a [(Value, Value)], key: &Value) -> Option<Option<&'a Value>> {
    for (k, v) in d {
        if py_eq(k, key)? {
            return Some(Some(v));
        }
    }
    Some(None)
}

/// Sets `d[key] = value`, keeping the key's first position as Python does.
pub(super) fn dict_set(d: &mut Vec<(Value, Value)>, key: Value, value: Value) -> Option<()> {
    for (k, v) in d.iter_mut() {
        if py_eq(k, &key)? {
            *v = value;
            return Some(());
        }
    }
    d.push((key, value));
    Some(())
}

/// An int (bools are ints in Python).
pub(super) fn as_int(v: &Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(*i),
        Value::Bool(b) => Some(*b as i64),
        _ => None,
    }
}

/// A number as a float.
pub(super) fn as_float(v: &Value) -> Option<f64> {
    match v {
        Value::Float(f) => Some(*f),
        _ => as_int(v).map(|i| i as f64),
    }
}
