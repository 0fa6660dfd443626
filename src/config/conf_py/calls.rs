//! Calls: the builtins and module functions kbgen models (`os.path.*`,
//! `os.environ.get`, `open`, `str`, `len`, ...), methods of lists, dicts and
//! files (str methods are in [`super::str_methods`]), and list methods that
//! change a global in place (`extensions.append(...)`). Calling a function
//! conf.py defines is never done: its result is unknown.

use std::cell::RefCell;
use std::rc::Rc;

use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::{Ranged, TextRange};

use super::host::{OpenError, PathKind};
use super::interp::{Eval, Interp, py_raise};
use super::ops::ordering;
use super::paths;
use super::str_methods;
use super::strings::{repr, to_str};
use super::value::{Builtin, OpenFile, Value, as_float, as_int, dict_get, dict_set, py_eq};
use crate::diag::Diagnostic;

/// Evaluated call arguments.
pub(super) struct Args {
    pub positional: Vec<Value>,
    pub keywords: Vec<(String, Value)>,
}

impl Args {
    pub fn get(&self, i: usize, name: &str) -> Option<&Value> {
        self.positional.get(i).or_else(|| {
            self.keywords
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v)
        })
    }

    /// Every argument as a str, or `None`.
    fn strings(&self) -> Option<Vec<String>> {
        self.positional
            .iter()
            .map(|v| match v {
                Value::Str(s) => Some(s.clone()),
                _ => None,
            })
            .collect()
    }

    fn first_unknown(&self) -> Option<Value> {
        self.positional
            .iter()
            .chain(self.keywords.iter().map(|(_, v)| v))
            .find_map(|v| v.find_unknown().map(Value::Unknown))
    }
}

/// List methods that change the list they are called on.
const MUTATING: &[&str] = &[
    "append",
    "extend",
    "insert",
    "remove",
    "pop",
    "clear",
    "update",
    "setdefault",
    "sort",
    "reverse",
];

impl Interp<'_> {
    pub fn eval_call(&mut self, call: &ast::ExprCall) -> Eval<Value> {
        let range = call.range();
        if let Expr::Attribute(attr) = &*call.func
            && let Expr::Name(base) = &*attr.value
            && MUTATING.contains(&attr.attr.as_str())
            && matches!(
                self.globals.get(base.id.as_str()).map(|b| &b.value),
                Some(Value::List(_) | Value::Dict(_))
            )
        {
            let args = self.eval_args(&call.arguments)?;
            return self.mutate(&base.id, &attr.attr, args, range);
        }
        let func = self.eval(&call.func)?;
        let args = self.eval_args(&call.arguments)?;
        let value = self.call_value(func, args, range)?;
        self.charge(value.weight(), range)?;
        Ok(value)
    }

    fn call_value(&mut self, func: Value, args: Args, range: TextRange) -> Eval<Value> {
        match func {
            Value::Unknown(u) => Ok(Value::Unknown(u)),
            Value::Builtin(b) => self.call_builtin(b, args, range),
            Value::Method(base, name) => self.call_method(*base, &name, args, range),
            Value::Function(name) => Ok(Value::unknown(
                format!("a call to `{name}`, which conf.py defines (kbgen runs no code)"),
                range,
            )),
            Value::ExceptionClass(c) => Ok(Value::unknown(format!("a {c} object"), range)),
            other => Err(self.raise(
                "TypeError",
                format!("'{}' object is not callable", other.type_name()),
                range,
            )),
        }
    }

    fn eval_args(&mut self, arguments: &ast::Arguments) -> Eval<Args> {
        let mut args = Args {
            positional: Vec::new(),
            keywords: Vec::new(),
        };
        for a in arguments.args.iter() {
            if let Expr::Starred(s) = a {
                let v = self.eval(&s.value)?;
                match v.items() {
                    Some(items) => args.positional.extend(items),
                    None => args.positional.push(Value::unknown(
                        "a `*` argument kbgen cannot expand",
                        s.range,
                    )),
                }
            } else {
                args.positional.push(self.eval(a)?);
            }
        }
        for k in arguments.keywords.iter() {
            let v = self.eval(&k.value)?;
            match &k.arg {
                Some(name) => args.keywords.push((name.to_string(), v)),
                None => match v {
                    Value::Dict(d) => {
                        for (key, val) in d {
                            if let Value::Str(key) = key {
                                args.keywords.push((key, val));
                            }
                        }
                    }
                    _ => args.positional.push(Value::unknown(
                        "a `**` argument kbgen cannot expand",
                        k.range,
                    )),
                },
            }
        }
        Ok(args)
    }

    fn mutate(&mut self, name: &str, method: &str, args: Args, range: TextRange) -> Eval<Value> {
        if let Some(u) = args.first_unknown() {
            self.bind(name, u, range);
            return Ok(Value::None);
        }
        let Some(binding) = self.globals.get_mut(name) else {
            return Ok(Value::None);
        };
        let a0 = args.positional.first().cloned();
        let mut result = Value::None;
        let ok = match (&mut binding.value, method, a0) {
            (Value::List(items), "append", Some(v)) => {
                items.push(v);
                true
            }
            (Value::List(items), "extend", Some(v)) => match v.items() {
                Some(more) => {
                    items.extend(more);
                    true
                }
                None => false,
            },
            (Value::List(items), "insert", Some(i)) => match (as_int(&i), args.positional.get(1)) {
                (Some(i), Some(v)) => {
                    let len = items.len() as i64;
                    let at = if i < 0 { (i + len).max(0) } else { i.min(len) };
                    items.insert(at as usize, v.clone());
                    true
                }
                _ => false,
            },
            (Value::List(items), "remove", Some(v)) => {
                match items.iter().position(|x| py_eq(x, &v) == Some(true)) {
                    Some(i) => {
                        items.remove(i);
                        true
                    }
                    None => {
                        return Err(py_raise(
                            "ValueError",
                            "list.remove(x): x not in list",
                            range,
                        ));
                    }
                }
            }
            (Value::List(items), "pop", None) => match items.pop() {
                Some(v) => {
                    result = v;
                    true
                }
                None => return Err(py_raise("IndexError", "pop from empty list", range)),
            },
            (Value::List(items), "clear", None) => {
                items.clear();
                true
            }
            (Value::List(items), "reverse", None) => {
                items.reverse();
                true
            }
            (Value::List(items), "sort", None) => match sorted(items.clone()) {
                Some(s) => {
                    *items = s;
                    true
                }
                None => false,
            },
            (Value::Dict(d), "update", Some(Value::Dict(more))) => {
                more.into_iter().all(|(k, v)| dict_set(d, k, v).is_some())
            }
            (Value::Dict(d), "update", None) => args
                .keywords
                .iter()
                .all(|(k, v)| dict_set(d, Value::Str(k.clone()), v.clone()).is_some()),
            (Value::Dict(d), "setdefault", Some(k)) => match dict_get(d, &k) {
                Some(Some(v)) => {
                    result = v.clone();
                    true
                }
                Some(None) => {
                    let v = args.positional.get(1).cloned().unwrap_or(Value::None);
                    result = v.clone();
                    d.push((k, v));
                    true
                }
                None => false,
            },
            (Value::Dict(d), "clear", None) => {
                d.clear();
                true
            }
            _ => false,
        };
        if !ok {
            let why = format!("`{name}.{method}(...)` with arguments kbgen cannot evaluate");
            self.bind(name, Value::unknown(why, range), range);
        }
        Ok(result)
    }

    fn call_builtin(&mut self, b: Builtin, args: Args, range: TextRange) -> Eval<Value> {
        if let Some(u) = args.first_unknown() {
            return Ok(u);
        }
        let arg = |i: usize| args.positional.get(i);
        let str_arg = |i: usize| match arg(i) {
            Some(Value::Str(s)) => Some(s.clone()),
            _ => None,
        };
        let cwd = self.host.conf_dir.to_string_lossy().into_owned();
        let v = match b {
            Builtin::PathJoin => args
                .strings()
                .filter(|v| !v.is_empty())
                .map(|p| Value::Str(paths::join(&p))),
            Builtin::PathAbspath => str_arg(0).map(|p| Value::Str(paths::abspath(&p, &cwd))),
            Builtin::PathDirname => str_arg(0).map(|p| Value::Str(paths::dirname(&p))),
            Builtin::PathBasename => str_arg(0).map(|p| Value::Str(paths::basename(&p))),
            Builtin::PathNormpath => str_arg(0).map(|p| Value::Str(paths::normpath(&p))),
            Builtin::PathSplitext => str_arg(0).map(|p| {
                let (root, ext) = paths::splitext(&p);
                Value::Tuple(vec![Value::Str(root), Value::Str(ext)])
            }),
            Builtin::PathExists | Builtin::PathIsfile | Builtin::PathIsdir => {
                let Some(p) = str_arg(0) else {
                    return Ok(self.unsupported(b, range));
                };
                let kind = self.host.path_kind(&p);
                Some(match (kind, b) {
                    (PathKind::Outside, _) => {
                        return Ok(Value::unknown(
                            format!("whether '{p}' exists: it is outside the include root"),
                            range,
                        ));
                    }
                    (PathKind::Missing, _) => Value::Bool(false),
                    (PathKind::File, Builtin::PathIsdir) | (PathKind::Dir, Builtin::PathIsfile) => {
                        Value::Bool(false)
                    }
                    _ => Value::Bool(true),
                })
            }
            Builtin::Getenv | Builtin::EnvironGet => {
                str_arg(0).map(|k| match self.host.env_var(&k) {
                    Some(v) => Value::Str(v),
                    None => args.get(1, "default").cloned().unwrap_or(Value::None),
                })
            }
            Builtin::Getcwd => Some(Value::Str(cwd)),
            Builtin::SysPathEdit | Builtin::Print => Some(Value::None),
            Builtin::Open => return self.open(&args, range),
            Builtin::Str => match arg(0) {
                None => Some(Value::Str(String::new())),
                Some(v) => to_str(v).map(Value::Str),
            },
            Builtin::Repr => arg(0).map(|v| Value::Str(repr(v))),
            Builtin::Int => int_of(arg(0), arg(1)),
            Builtin::Float => match arg(0) {
                Some(Value::Str(s)) => s.trim().parse::<f64>().ok().map(Value::Float),
                Some(v) => as_float(v).map(Value::Float),
                None => Some(Value::Float(0.0)),
            },
            Builtin::Bool => Some(Value::Bool(arg(0).and_then(Value::truthy).unwrap_or(false))),
            Builtin::Len => arg(0)
                .and_then(|v| v.items())
                .map(|i| Value::Int(i.len() as i64)),
            Builtin::List => match arg(0) {
                None => Some(Value::List(Vec::new())),
                Some(v) => v.items().map(Value::List),
            },
            Builtin::Tuple => match arg(0) {
                None => Some(Value::Tuple(Vec::new())),
                Some(v) => v.items().map(Value::Tuple),
            },
            Builtin::Dict => dict_of(&args),
            Builtin::Sorted => arg(0).and_then(Value::items).and_then(sorted).map(|mut v| {
                if args.get(99, "reverse").and_then(Value::truthy) == Some(true) {
                    v.reverse();
                }
                Value::List(v)
            }),
            Builtin::Min | Builtin::Max => {
                let items = if args.positional.len() == 1 {
                    arg(0).and_then(Value::items)
                } else {
                    Some(args.positional.clone())
                };
                items.and_then(sorted).and_then(|v| {
                    if b == Builtin::Min {
                        v.first().cloned()
                    } else {
                        v.last().cloned()
                    }
                })
            }
            Builtin::Range => {
                let ints: Option<Vec<i64>> = args.positional.iter().map(as_int).collect();
                match ints.as_deref() {
                    Some(&[stop]) => self.range_of(0, stop, 1, range),
                    Some(&[start, stop]) => self.range_of(start, stop, 1, range),
                    Some(&[start, stop, step]) if step != 0 => {
                        self.range_of(start, stop, step, range)
                    }
                    _ => None,
                }
            }
            Builtin::Enumerate => {
                let start = args.get(1, "start").map_or(Some(0), as_int);
                match (arg(0).and_then(Value::items), start) {
                    (Some(items), Some(start)) => Some(Value::List(
                        items
                            .into_iter()
                            .zip(start..)
                            .map(|(v, i)| Value::Tuple(vec![Value::Int(i), v]))
                            .collect(),
                    )),
                    _ => None,
                }
            }
            Builtin::Zip => {
                let lists: Option<Vec<Vec<Value>>> =
                    args.positional.iter().map(Value::items).collect();
                lists.map(|lists| {
                    let n = lists.iter().map(Vec::len).min().unwrap_or(0);
                    Value::List(
                        (0..n)
                            .map(|i| Value::Tuple(lists.iter().map(|l| l[i].clone()).collect()))
                            .collect(),
                    )
                })
            }
            Builtin::Any | Builtin::All => arg(0).and_then(Value::items).and_then(|items| {
                let truths: Option<Vec<bool>> = items.iter().map(Value::truthy).collect();
                let truths = truths?;
                Some(Value::Bool(if b == Builtin::Any {
                    truths.contains(&true)
                } else {
                    !truths.contains(&false)
                }))
            }),
            Builtin::Isinstance => match (arg(0), arg(1)) {
                (Some(v), Some(Value::Builtin(t))) => is_instance(v, *t).map(Value::Bool),
                (Some(v), Some(Value::Tuple(types))) => types
                    .iter()
                    .map(|t| match t {
                        Value::Builtin(t) => is_instance(v, *t),
                        _ => None,
                    })
                    .collect::<Option<Vec<bool>>>()
                    .map(|hits| Value::Bool(hits.contains(&true))),
                _ => None,
            },
            Builtin::TagsAdd | Builtin::TagsRemove | Builtin::TagsHas => {
                let Some(tag) = str_arg(0) else {
                    return Ok(self.unsupported(b, range));
                };
                Some(match b {
                    Builtin::TagsAdd => {
                        self.tags.insert(tag);
                        Value::None
                    }
                    Builtin::TagsRemove => {
                        self.tags.remove(&tag);
                        Value::None
                    }
                    _ => Value::Bool(self.tags.contains(&tag)),
                })
            }
        };
        Ok(v.unwrap_or_else(|| self.unsupported(b, range)))
    }

    fn unsupported(&self, b: Builtin, range: TextRange) -> Value {
        Value::unknown(
            format!("a call to {b:?} with arguments kbgen does not evaluate"),
            range,
        )
    }

    fn range_of(&mut self, start: i64, stop: i64, step: i64, range: TextRange) -> Option<Value> {
        let (start, stop, step) = (i128::from(start), i128::from(stop), i128::from(step));
        let count = if step > 0 {
            (stop - start + step - 1) / step
        } else {
            (start - stop - step - 1) / -step
        };
        let count = count.clamp(0, usize::MAX as i128 / 2) as usize;
        if let Some(u) = self.too_large(count, range) {
            return Some(u);
        }
        let items = (0..count as i128).map(|i| Value::Int((start + i * step) as i64));
        Some(Value::List(items.collect()))
    }

    /// `open(path[, mode], encoding=...)`: only reading text, only inside the include root.
    fn open(&mut self, args: &Args, range: TextRange) -> Eval<Value> {
        let Some(Value::Str(path)) = args.get(0, "file") else {
            return Ok(Value::unknown(
                "`open()` of a path kbgen cannot evaluate",
                range,
            ));
        };
        let mode = match args.get(1, "mode") {
            Some(Value::Str(m)) => m.clone(),
            _ => "r".into(),
        };
        if mode.contains(['w', 'a', 'x', '+', 'b']) {
            return Ok(Value::unknown(
                format!("`open()` in mode '{mode}' (kbgen only reads text)"),
                range,
            ));
        }
        match self.host.read(path) {
            Ok(text) => {
                self.charge(text.len(), range)?;
                Ok(Value::File(Rc::new(RefCell::new(OpenFile {
                    text,
                    pos: 0,
                }))))
            }
            Err(OpenError::Outside(abs)) => {
                let d = Diagnostic::error(
                    "conf-py-outside-root",
                    format!(
                        "conf.py reads {}, outside the include root {}; nothing was read",
                        abs.display(),
                        self.host.include_root.display()
                    ),
                )
                .with_help("set `[rst] include-root` in book.toml to a folder that holds it");
                self.diags.push(self.locate(d, range));
                Ok(Value::unknown(
                    format!("the text of {}, outside the include root", abs.display()),
                    range,
                ))
            }
            Err(OpenError::Missing(msg)) => {
                let d = Diagnostic::warning(
                    "conf-py-missing-file",
                    format!("conf.py reads a file that does not exist: {msg}"),
                );
                self.diags.push(self.locate(d, range));
                Err(self.raise("FileNotFoundError", msg, range))
            }
            Err(OpenError::Unreadable(msg)) => {
                let d = Diagnostic::warning(
                    "conf-py-unreadable-file",
                    format!("conf.py reads a file kbgen cannot use: {msg}"),
                );
                self.diags.push(self.locate(d, range));
                Ok(Value::unknown(msg, range))
            }
        }
    }

    fn call_method(
        &mut self,
        base: Value,
        name: &str,
        args: Args,
        range: TextRange,
    ) -> Eval<Value> {
        if let Some(u) = args.first_unknown() {
            return Ok(u);
        }
        let a0 = args.positional.first();
        let v = match (&base, name) {
            (Value::Str(s), _) => return Ok(str_methods::call(s, name, &args, range)),
            (Value::File(f), "read" | "readline" | "readlines") => {
                let mut f = f.borrow_mut();
                let rest = &f.text[f.pos..];
                let (taken, value) = match name {
                    "read" => (rest.len(), Value::Str(rest.to_string())),
                    "readline" => {
                        let n = rest.find('\n').map_or(rest.len(), |i| i + 1);
                        (n, Value::Str(rest[..n].to_string()))
                    }
                    _ => (
                        rest.len(),
                        Value::List(
                            rest.split_inclusive('\n')
                                .map(|l| Value::Str(l.to_string()))
                                .collect(),
                        ),
                    ),
                };
                f.pos += taken;
                Some(value)
            }
            (Value::File(_), "close" | "__enter__") => Some(Value::None),
            (Value::Dict(d), "get") => a0.and_then(|k| dict_get(d, k)).map(|v| {
                v.cloned()
                    .unwrap_or_else(|| args.positional.get(1).cloned().unwrap_or(Value::None))
            }),
            (Value::Dict(d), "keys") => {
                Some(Value::List(d.iter().map(|(k, _)| k.clone()).collect()))
            }
            (Value::Dict(d), "values") => {
                Some(Value::List(d.iter().map(|(_, v)| v.clone()).collect()))
            }
            (Value::Dict(d), "items") => Some(Value::List(
                d.iter()
                    .map(|(k, v)| Value::Tuple(vec![k.clone(), v.clone()]))
                    .collect(),
            )),
            (Value::Dict(_) | Value::List(_), "copy") => Some(base.clone()),
            (Value::List(items), "index") => a0
                .and_then(|x| items.iter().position(|i| py_eq(i, x) == Some(true)))
                .map(|i| Value::Int(i as i64)),
            (Value::List(items), "count") => a0.map(|x| {
                Value::Int(items.iter().filter(|i| py_eq(i, x) == Some(true)).count() as i64)
            }),
            _ => None,
        };
        Ok(v.unwrap_or_else(|| {
            Value::unknown(
                format!("`{}.{name}()` is not evaluated by kbgen", base.type_name()),
                range,
            )
        }))
    }
}

/// `isinstance(v, t)` for the builtin types; `None` for other classes.
fn is_instance(v: &Value, t: Builtin) -> Option<bool> {
    Some(match t {
        Builtin::Str => matches!(v, Value::Str(_)),
        Builtin::Int => matches!(v, Value::Int(_) | Value::Bool(_)),
        Builtin::Float => matches!(v, Value::Float(_)),
        Builtin::Bool => matches!(v, Value::Bool(_)),
        Builtin::List => matches!(v, Value::List(_)),
        Builtin::Tuple => matches!(v, Value::Tuple(_)),
        Builtin::Dict => matches!(v, Value::Dict(_)),
        _ => return None,
    })
}

/// Sorted copy, when every pair of items can be ordered.
fn sorted(mut items: Vec<Value>) -> Option<Vec<Value>> {
    for w in items.windows(2) {
        ordering(&w[0], &w[1])?;
    }
    let mut ok = true;
    items.sort_by(|a, b| {
        ordering(a, b).unwrap_or_else(|| {
            ok = false;
            std::cmp::Ordering::Equal
        })
    });
    ok.then_some(items)
}

fn int_of(v: Option<&Value>, base: Option<&Value>) -> Option<Value> {
    match (v, base) {
        (None, _) => Some(Value::Int(0)),
        (Some(Value::Str(s)), b) => {
            let radix = b.and_then(as_int).unwrap_or(10) as u32;
            i64::from_str_radix(&s.trim().replace('_', ""), radix)
                .ok()
                .map(Value::Int)
        }
        (Some(Value::Float(f)), None) if f.is_finite() && f.abs() < 9.2e18 => {
            Some(Value::Int(f.trunc() as i64))
        }
        (Some(v), None) => as_int(v).map(Value::Int),
        _ => None,
    }
}

fn dict_of(args: &Args) -> Option<Value> {
    let mut out = match args.positional.first() {
        None => Vec::new(),
        Some(Value::Dict(d)) => d.clone(),
        Some(v) => {
            let mut out = Vec::new();
            for pair in v.items()? {
                let kv = pair.items()?;
                let [k, v] = <[Value; 2]>::try_from(kv).ok()?;
                dict_set(&mut out, k, v)?;
            }
            out
        }
    };
    for (k, v) in &args.keywords {
        dict_set(&mut out, Value::Str(k.clone()), v.clone())?;
    }
    Some(Value::Dict(out))
}
