//! The expression half of the evaluator: literals, names, attributes,
//! subscripts, operators, displays, comprehensions and f-strings. Calls are
//! in [`super::calls`], operators in [`super::ops`].

use ruff_python_ast::{self as ast, Expr, InterpolatedStringElement, Number};
use ruff_text_size::{Ranged, TextRange};

use super::interp::{Eval, Interp};
use super::modules;
use super::strings::{self, format_value};
use super::value::{Module, Value, dict_get, dict_set};

impl Interp<'_> {
    pub fn eval(&mut self, e: &Expr) -> Eval<Value> {
        self.charge(1, e.range())?;
        self.enter(e.range())?;
        let v = self.eval_inner(e);
        self.leave();
        v
    }

    fn eval_inner(&mut self, e: &Expr) -> Eval<Value> {
        let range = e.range();
        Ok(match e {
            Expr::StringLiteral(s) => {
                let text = s.value.to_str();
                self.charge(text.len(), range)?;
                Value::Str(text.to_string())
            }
            Expr::NumberLiteral(n) => match &n.value {
                Number::Int(i) => match i.as_i64() {
                    Some(i) => Value::Int(i),
                    None => Value::unknown("an integer too large for kbgen", range),
                },
                Number::Float(f) => Value::Float(*f),
                Number::Complex { .. } => Value::unknown("a complex number", range),
            },
            Expr::BooleanLiteral(b) => Value::Bool(b.value),
            Expr::NoneLiteral(_) => Value::None,
            Expr::Name(n) => self.lookup(&n.id, range)?,
            Expr::Attribute(a) => {
                let base = self.eval(&a.value)?;
                self.get_attribute(base, &a.attr, range)?
            }
            Expr::Subscript(s) => self.eval_subscript(s)?,
            Expr::BinOp(b) => {
                let left = self.eval(&b.left)?;
                let right = self.eval(&b.right)?;
                self.binop(left, b.op, right, range)?
            }
            Expr::UnaryOp(u) => {
                let operand = self.eval(&u.operand)?;
                self.unary(u.op, operand, range)?
            }
            Expr::BoolOp(b) => self.eval_boolop(b)?,
            Expr::Compare(c) => self.eval_compare(c)?,
            Expr::If(i) => match self.eval(&i.test)?.truthy() {
                Some(true) => self.eval(&i.body)?,
                Some(false) => self.eval(&i.orelse)?,
                None => Value::unknown("a condition kbgen cannot evaluate", i.test.range()),
            },
            Expr::List(l) => Value::List(self.eval_elements(&l.elts)?),
            Expr::Tuple(t) => Value::Tuple(self.eval_elements(&t.elts)?),
            Expr::Set(s) => Value::List(self.eval_elements(&s.elts)?),
            Expr::Dict(d) => self.eval_dict(d)?,
            Expr::Call(c) => self.eval_call(c)?,
            Expr::FString(f) => self.eval_fstring(f)?,
            Expr::ListComp(c) => Value::List(self.comprehension(&c.elt, &c.generators, range)?),
            Expr::Generator(c) => Value::List(self.comprehension(&c.elt, &c.generators, range)?),
            Expr::Named(n) => {
                let value = self.eval(&n.value)?;
                self.assign(&n.target, value.clone())?;
                value
            }
            Expr::Lambda(_) => Value::Function("<lambda>".into()),
            _ => Value::unknown("an expression kbgen does not evaluate", range),
        })
    }

    /// A global, then a builtin; else Python's `NameError`.
    fn lookup(&mut self, name: &str, range: TextRange) -> Eval<Value> {
        if let Some(b) = self.globals.get(name) {
            let v = b.value.clone();
            self.charge(v.weight(), range)?;
            return Ok(v);
        }
        match modules::builtin(name) {
            Some(v) => Ok(v),
            None => Err(self.raise("NameError", format!("name '{name}' is not defined"), range)),
        }
    }

    pub fn get_attribute(&mut self, base: Value, name: &str, range: TextRange) -> Eval<Value> {
        if let Some(v) = modules::attribute(&base, name) {
            return Ok(v);
        }
        Ok(match base {
            Value::Unknown(u) => Value::Unknown(u),
            Value::Module(Module::Opaque(m)) => {
                Value::unknown(format!("'{m}.{name}' is not evaluated by kbgen"), range)
            }
            Value::Str(_) | Value::List(_) | Value::Dict(_) | Value::File(_) => {
                Value::Method(Box::new(base), name.to_string())
            }
            Value::Module(_) | Value::Tags | Value::Tuple(_) => {
                let why = format!("'{}.{name}' is not modelled by kbgen", base.type_name());
                Value::unknown(why, range)
            }
            other => {
                let msg = format!("'{}' object has no attribute '{name}'", other.type_name());
                return Err(self.raise("AttributeError", msg, range));
            }
        })
    }

    fn eval_elements(&mut self, elts: &[Expr]) -> Eval<Vec<Value>> {
        let mut out = Vec::with_capacity(elts.len());
        for e in elts {
            if let Expr::Starred(s) = e {
                let v = self.eval(&s.value)?;
                match v.items() {
                    Some(items) => out.extend(items),
                    None => out.push(Value::unknown(
                        "a starred value kbgen cannot expand",
                        s.range,
                    )),
                }
            } else {
                out.push(self.eval(e)?);
            }
        }
        Ok(out)
    }

    fn eval_dict(&mut self, d: &ast::ExprDict) -> Eval<Value> {
        let mut out = Vec::with_capacity(d.items.len());
        for item in &d.items {
            let value = self.eval(&item.value)?;
            let Some(key) = &item.key else {
                match value {
                    Value::Dict(more) => {
                        for (k, v) in more {
                            if dict_set(&mut out, k, v).is_none() {
                                return Ok(Value::unknown(
                                    "a dict key kbgen cannot compare",
                                    d.range,
                                ));
                            }
                        }
                    }
                    _ => return Ok(Value::unknown("a `**` value kbgen cannot expand", d.range)),
                }
                continue;
            };
            let key = self.eval(key)?;
            if dict_set(&mut out, key, value).is_none() {
                return Ok(Value::unknown("a dict key kbgen cannot compare", d.range));
            }
        }
        Ok(Value::Dict(out))
    }

    fn eval_subscript(&mut self, s: &ast::ExprSubscript) -> Eval<Value> {
        let base = self.eval(&s.value)?;
        let range = s.range;
        if let Expr::Slice(sl) = &*s.slice {
            let mut bound = |e: &Option<Box<Expr>>| -> Eval<Option<Value>> {
                e.as_ref().map(|e| self.eval(e)).transpose()
            };
            let (lo, hi, step) = (bound(&sl.lower)?, bound(&sl.upper)?, bound(&sl.step)?);
            return Ok(strings::slice(&base, lo, hi, step, range));
        }
        let key = self.eval(&s.slice)?;
        match (&base, &key) {
            (Value::Unknown(_), _) => Ok(base),
            (_, Value::Unknown(_)) => Ok(key),
            (Value::Dict(d), _) => match dict_get(d, &key) {
                Some(Some(v)) => Ok(v.clone()),
                Some(None) => Err(self.raise("KeyError", strings::repr(&key), range)),
                None => Ok(Value::unknown("a dict key kbgen cannot compare", range)),
            },
            (Value::Module(Module::OsEnviron), Value::Str(k)) => match self.host.env_var(k) {
                Some(v) => Ok(Value::Str(v)),
                None => Err(self.raise("KeyError", strings::repr(&key), range)),
            },
            (Value::List(_) | Value::Tuple(_) | Value::Str(_), Value::Int(i)) => {
                let items = base.items().unwrap_or_default();
                let len = items.len() as i64;
                if !(-len..len).contains(i) {
                    return Err(self.raise("IndexError", "index out of range", range));
                }
                Ok(items[i.rem_euclid(len) as usize].clone())
            }
            _ => Ok(Value::unknown(
                format!("indexing a {} kbgen does not evaluate", base.type_name()),
                range,
            )),
        }
    }

    fn eval_boolop(&mut self, b: &ast::ExprBoolOp) -> Eval<Value> {
        let mut last = Value::None;
        for e in &b.values {
            last = self.eval(e)?;
            match (last.truthy(), b.op) {
                (None, _) => return Ok(last),
                (Some(false), ast::BoolOp::And) | (Some(true), ast::BoolOp::Or) => return Ok(last),
                _ => {}
            }
        }
        Ok(last)
    }

    fn eval_compare(&mut self, c: &ast::ExprCompare) -> Eval<Value> {
        let mut left = self.eval(&c.left)?;
        for (op, right) in c.ops.iter().zip(c.comparators.iter()) {
            let right = self.eval(right)?;
            match self.compare(&left, *op, &right, c.range) {
                Some(true) => left = right,
                Some(false) => return Ok(Value::Bool(false)),
                None => {
                    return Ok(Value::unknown(
                        "a comparison kbgen cannot evaluate",
                        c.range,
                    ));
                }
            }
        }
        Ok(Value::Bool(true))
    }

    fn eval_fstring(&mut self, f: &ast::ExprFString) -> Eval<Value> {
        let mut out = String::new();
        for part in f.value.iter() {
            match part {
                ast::FStringPart::Literal(l) => out.push_str(l.as_str()),
                ast::FStringPart::FString(fs) => {
                    if let Some(unknown) = self.fstring_elements(&fs.elements, &mut out)? {
                        return Ok(unknown);
                    }
                }
            }
        }
        self.charge(out.len(), f.range)?;
        Ok(Value::Str(out))
    }

    /// Appends the f-string `elements` to `out`; `Some(unknown)` when one
    /// cannot be evaluated.
    fn fstring_elements(
        &mut self,
        elements: &ast::InterpolatedStringElements,
        out: &mut String,
    ) -> Eval<Option<Value>> {
        for element in elements.iter() {
            match element {
                InterpolatedStringElement::Literal(l) => out.push_str(&l.value),
                InterpolatedStringElement::Interpolation(i) => {
                    let value = self.eval(&i.expression)?;
                    if let Some(debug) = &i.debug_text {
                        out.push_str(debug.leading());
                        out.push_str(debug.expression());
                        out.push_str(debug.trailing());
                    }
                    let mut spec = String::new();
                    if let Some(fs) = &i.format_spec
                        && let Some(u) = self.fstring_elements(&fs.elements, &mut spec)?
                    {
                        return Ok(Some(u));
                    }
                    let value = match i.conversion {
                        ast::ConversionFlag::Repr | ast::ConversionFlag::Ascii => {
                            Value::Str(strings::repr(&value))
                        }
                        ast::ConversionFlag::Str => match strings::to_str(&value) {
                            Some(s) => Value::Str(s),
                            None => value,
                        },
                        ast::ConversionFlag::None if i.debug_text.is_some() && spec.is_empty() => {
                            Value::Str(strings::repr(&value))
                        }
                        ast::ConversionFlag::None => value,
                    };
                    match format_value(&value, &spec) {
                        Some(text) => out.push_str(&text),
                        None => return Ok(Some(unknown_or(value, "an f-string value", i.range))),
                    }
                }
            }
        }
        Ok(None)
    }

    /// A comprehension in its own scope, as in Python 3: its loop names do
    /// not change conf.py's globals.
    fn comprehension(
        &mut self,
        elt: &Expr,
        generators: &[ast::Comprehension],
        range: TextRange,
    ) -> Eval<Vec<Value>> {
        let mut names = Vec::new();
        for g in generators {
            super::names::target_names(&g.target, &mut names);
        }
        let saved: Vec<_> = names
            .iter()
            .map(|n| (n.clone(), self.globals.remove(n)))
            .collect();
        let result = self.eval_comprehension(elt, generators, range);
        for (name, old) in saved {
            match old {
                Some(b) => {
                    self.globals.insert(name, b);
                }
                None => {
                    self.globals.remove(&name);
                }
            }
        }
        result
    }

    /// `[elt for target in iter if cond ...]`, generators nested left to right.
    fn eval_comprehension(
        &mut self,
        elt: &Expr,
        generators: &[ast::Comprehension],
        range: TextRange,
    ) -> Eval<Vec<Value>> {
        let Some((first, rest)) = generators.split_first() else {
            return Ok(vec![self.eval(elt)?]);
        };
        let iter = self.eval(&first.iter)?;
        let Some(items) = iter.items() else {
            return Ok(vec![unknown_or(
                iter,
                "a comprehension over a value kbgen cannot evaluate",
                range,
            )]);
        };
        let mut out = Vec::new();
        'items: for item in items {
            self.assign(&first.target, item)?;
            for cond in &first.ifs {
                match self.eval(cond)?.truthy() {
                    Some(true) => {}
                    Some(false) => continue 'items,
                    None => {
                        return Ok(vec![Value::unknown(
                            "a condition kbgen cannot evaluate",
                            cond.range(),
                        )]);
                    }
                }
            }
            out.extend(self.eval_comprehension(elt, rest, range)?);
        }
        Ok(out)
    }
}

/// `value` itself when it is unknown (keeping the first cause), else a new
/// unknown for `what`.
pub(super) fn unknown_or(value: Value, what: &str, range: TextRange) -> Value {
    match value {
        Value::Unknown(u) => Value::Unknown(u),
        other => Value::unknown(
            format!("{what} ({}) kbgen cannot evaluate", other.type_name()),
            range,
        ),
    }
}
