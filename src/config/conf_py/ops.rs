//! Operators: arithmetic, concatenation, repetition, `%` formatting and
//! comparisons. Repetition checks the size of its result before building
//! it: `"a" * 10**12` is a diagnostic, never an allocation.

use ruff_python_ast::{CmpOp, Operator, UnaryOp};
use ruff_text_size::TextRange;

use super::interp::{Eval, Interp};
use super::strings;
use super::value::{Value, as_float, as_int, dict_get, dict_set, py_eq};
use crate::diag::Diagnostic;

/// The largest str or list conf.py may build (bytes or items): far above
/// any real setting, far below what would hurt the machine.
pub(super) const MAX_VALUE_SIZE: usize = 64 * 1024 * 1024;

impl Interp<'_> {
    pub fn binop(
        &mut self,
        left: Value,
        op: Operator,
        right: Value,
        range: TextRange,
    ) -> Eval<Value> {
        use Value as V;
        if let V::Unknown(_) = left {
            return Ok(left);
        }
        if let V::Unknown(_) = right {
            return Ok(right);
        }
        let result = match (left, op, right) {
            (V::Str(mut a), Operator::Add, V::Str(b)) => {
                if let Some(u) = self.too_large(a.len().saturating_add(b.len()), range) {
                    return Ok(u);
                }
                a.push_str(&b);
                V::Str(a)
            }
            (V::List(mut a), Operator::Add, V::List(b)) => {
                a.extend(b);
                V::List(a)
            }
            (V::Tuple(mut a), Operator::Add, V::Tuple(b)) => {
                a.extend(b);
                V::Tuple(a)
            }
            (V::Dict(mut a), Operator::BitOr, V::Dict(b)) => {
                for (k, v) in b {
                    if dict_set(&mut a, k, v).is_none() {
                        return Ok(Value::unknown("a dict key kbgen cannot compare", range));
                    }
                }
                V::Dict(a)
            }
            (V::Str(s), Operator::Mult, n) | (n, Operator::Mult, V::Str(s))
                if as_int(&n).is_some() =>
            {
                let times = as_int(&n).unwrap_or(0).max(0) as u64;
                let size = (s.len() as u64).saturating_mul(times);
                if let Some(u) = self.too_large(size.min(usize::MAX as u64) as usize, range) {
                    return Ok(u);
                }
                V::Str(s.repeat(times as usize))
            }
            (V::List(v), Operator::Mult, n) | (n, Operator::Mult, V::List(v))
                if as_int(&n).is_some() =>
            {
                match self.repeat(v, as_int(&n).unwrap_or(0), range) {
                    Ok(items) => V::List(items),
                    Err(u) => return Ok(u),
                }
            }
            (V::Tuple(v), Operator::Mult, n) | (n, Operator::Mult, V::Tuple(v))
                if as_int(&n).is_some() =>
            {
                match self.repeat(v, as_int(&n).unwrap_or(0), range) {
                    Ok(items) => V::Tuple(items),
                    Err(u) => return Ok(u),
                }
            }
            (V::Str(fmt), Operator::Mod, args) => strings::percent_format(&fmt, &args, range),
            (a, op, b) => match self.arith(&a, op, &b, range)? {
                Some(v) => v,
                None => {
                    let msg = format!(
                        "unsupported operand type(s) for {}: '{}' and '{}'",
                        op.as_str(),
                        a.type_name(),
                        b.type_name()
                    );
                    return Err(self.raise("TypeError", msg, range));
                }
            },
        };
        self.charge(result.weight(), range)?;
        Ok(result)
    }

    /// A str or list of `size` would be too big: a warning, and the value
    /// is unknown (`Some`); `None` when the size is fine.
    pub fn too_large(&mut self, size: usize, range: TextRange) -> Option<Value> {
        if size <= MAX_VALUE_SIZE {
            return None;
        }
        let d = Diagnostic::warning(
            "conf-py-too-large",
            format!(
                "this value would be {size} bytes or items long; kbgen stops at {MAX_VALUE_SIZE}"
            ),
        );
        self.diags.push(self.locate(d, range));
        Some(Value::unknown("a value too large for kbgen", range))
    }

    /// `items * n`, or the unknown value when the result would be too large.
    fn repeat(&mut self, items: Vec<Value>, n: i64, range: TextRange) -> Result<Vec<Value>, Value> {
        let times = n.max(0) as u64;
        let size = (items.len() as u64).saturating_mul(times);
        if let Some(u) = self.too_large(size.min(usize::MAX as u64) as usize, range) {
            return Err(u);
        }
        let mut out = Vec::with_capacity(size as usize);
        for _ in 0..times {
            out.extend(items.iter().cloned());
        }
        Ok(out)
    }

    /// Numeric operators; `None` when the operand types do not support `op`.
    fn arith(
        &mut self,
        a: &Value,
        op: Operator,
        b: &Value,
        range: TextRange,
    ) -> Eval<Option<Value>> {
        let too_big = || Value::unknown("an integer too large for kbgen", range);
        if let (Some(x), Some(y)) = (as_int(a), as_int(b)) {
            let zero = y == 0 && matches!(op, Operator::Div | Operator::FloorDiv | Operator::Mod);
            if zero {
                return Err(self.raise("ZeroDivisionError", "division by zero", range));
            }
            return Ok(Some(match op {
                Operator::Add => x.checked_add(y).map_or_else(too_big, Value::Int),
                Operator::Sub => x.checked_sub(y).map_or_else(too_big, Value::Int),
                Operator::Mult => x.checked_mul(y).map_or_else(too_big, Value::Int),
                Operator::Div => Value::Float(x as f64 / y as f64),
                Operator::FloorDiv => {
                    let q = x.wrapping_div(y);
                    Value::Int(q - i64::from(x.wrapping_rem(y) != 0 && ((x < 0) != (y < 0))))
                }
                Operator::Mod => {
                    let r = x.wrapping_rem(y);
                    Value::Int(if r != 0 && ((r < 0) != (y < 0)) {
                        r + y
                    } else {
                        r
                    })
                }
                Operator::Pow if y >= 0 => u32::try_from(y)
                    .ok()
                    .and_then(|y| x.checked_pow(y))
                    .map_or_else(too_big, Value::Int),
                Operator::Pow => Value::Float((x as f64).powf(y as f64)),
                Operator::BitOr => Value::Int(x | y),
                Operator::BitAnd => Value::Int(x & y),
                Operator::BitXor => Value::Int(x ^ y),
                Operator::LShift => u32::try_from(y)
                    .ok()
                    .and_then(|s| x.checked_shl(s))
                    .filter(|r| r >> y == x)
                    .map_or_else(too_big, Value::Int),
                Operator::RShift => Value::Int(x >> y.clamp(0, 63)),
                Operator::MatMult => return Ok(None),
            }));
        }
        let (Some(x), Some(y)) = (as_float(a), as_float(b)) else {
            return Ok(None);
        };
        if y == 0.0 && matches!(op, Operator::Div | Operator::FloorDiv | Operator::Mod) {
            return Err(self.raise("ZeroDivisionError", "float division by zero", range));
        }
        Ok(Some(Value::Float(match op {
            Operator::Add => x + y,
            Operator::Sub => x - y,
            Operator::Mult => x * y,
            Operator::Div => x / y,
            Operator::FloorDiv => (x / y).floor(),
            Operator::Mod => x - y * (x / y).floor(),
            Operator::Pow => x.powf(y),
            _ => return Ok(None),
        })))
    }

    pub fn unary(&mut self, op: UnaryOp, v: Value, range: TextRange) -> Eval<Value> {
        if let Value::Unknown(_) = v {
            return Ok(v);
        }
        Ok(match op {
            UnaryOp::Not => match v.truthy() {
                Some(b) => Value::Bool(!b),
                None => v,
            },
            UnaryOp::USub => match (&v, as_int(&v)) {
                (_, Some(i)) => i.checked_neg().map_or_else(
                    || Value::unknown("an integer too large for kbgen", range),
                    Value::Int,
                ),
                (Value::Float(f), _) => Value::Float(-f),
                _ => return Err(self.raise("TypeError", "bad operand type for unary -", range)),
            },
            UnaryOp::UAdd => match (&v, as_int(&v)) {
                (_, Some(i)) => Value::Int(i),
                (Value::Float(_), _) => v,
                _ => return Err(self.raise("TypeError", "bad operand type for unary +", range)),
            },
            UnaryOp::Invert => match as_int(&v) {
                Some(i) => Value::Int(!i),
                None => return Err(self.raise("TypeError", "bad operand type for unary ~", range)),
            },
        })
    }

    /// One comparison; `None` when kbgen cannot decide it.
    pub fn compare(&self, a: &Value, op: CmpOp, b: &Value, _range: TextRange) -> Option<bool> {
        use Value as V;
        match op {
            CmpOp::Eq => py_eq(a, b),
            CmpOp::NotEq => py_eq(a, b).map(|e| !e),
            CmpOp::Is | CmpOp::IsNot => {
                let same = match (a, b) {
                    (V::Unknown(_), _) | (_, V::Unknown(_)) => return None,
                    (V::None, V::None) => true,
                    (V::Bool(x), V::Bool(y)) => x == y,
                    (V::None | V::Bool(_), _) | (_, V::None | V::Bool(_)) => false,
                    _ => return None,
                };
                Some(same == (op == CmpOp::Is))
            }
            CmpOp::In | CmpOp::NotIn => {
                let found = match (a, b) {
                    (V::Unknown(_), _) | (_, V::Unknown(_)) => return None,
                    (V::Str(x), V::Str(y)) => y.contains(x.as_str()),
                    (V::Str(t), V::Tags) => self.tags.contains(t),
                    (x, V::Dict(d)) => dict_get(d, x)?.is_some(),
                    (V::Str(k), V::Module(super::value::Module::OsEnviron)) => {
                        self.host.env_var(k).is_some()
                    }
                    (x, V::List(items) | V::Tuple(items)) => {
                        let mut found = false;
                        for item in items {
                            if py_eq(x, item)? {
                                found = true;
                                break;
                            }
                        }
                        found
                    }
                    _ => return None,
                };
                Some(found == (op == CmpOp::In))
            }
            CmpOp::Lt => ordering(a, b).map(|o| o.is_lt()),
            CmpOp::LtE => ordering(a, b).map(|o| o.is_le()),
            CmpOp::Gt => ordering(a, b).map(|o| o.is_gt()),
            CmpOp::GtE => ordering(a, b).map(|o| o.is_ge()),
        }
    }
}

/// Python's ordering of numbers, strings, and lists/tuples (lexicographic).
pub(super) fn ordering(a: &Value, b: &Value) -> Option<std::cmp::Ordering> {
    use Value as V;
    match (a, b) {
        (V::Str(x), V::Str(y)) => Some(x.cmp(y)),
        (V::List(x), V::List(y)) | (V::Tuple(x), V::Tuple(y)) => {
            for (p, q) in x.iter().zip(y) {
                if !py_eq(p, q)? {
                    return ordering(p, q);
                }
            }
            Some(x.len().cmp(&y.len()))
        }
        _ => match (as_int(a), as_int(b)) {
            (Some(x), Some(y)) => Some(x.cmp(&y)),
            _ => as_float(a)?.partial_cmp(&as_float(b)?),
        },
    }
}
