//! The statement half of the evaluator: assignments, `if`, `for`, `while`,
//! `try`, `with`, imports and definitions, run over ruff's AST of conf.py.
//!
//! Nothing is executed: every statement kind is interpreted here against a
//! model of the few modules conf.py files use. What cannot be decided (an
//! `if` on an unknown value, a loop over one) does not guess: the names the
//! skipped code would assign become [`Value::Unknown`] at that statement.

use std::collections::{BTreeSet, HashMap};

use ruff_python_ast::{self as ast, ExceptHandler, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use super::host::Host;
use super::modules::{self, Import};
use super::names::{assigned_names, handler_classes, target_names};
use super::value::{Module, Value, dict_set};
use crate::diag::Diagnostic;
use crate::source::SourceFile;

/// How deep statements and expressions may nest while evaluating. The guard
/// ([`super::guard`]) rejects deeper files before parsing, so this is the
/// evaluator's own fuse.
const MAX_EVAL_DEPTH: u32 = 1500;

/// A name's value and where it was last assigned.
#[derive(Debug, Clone)]
pub(super) struct Binding {
    pub value: Value,
    pub range: TextRange,
}

/// A Python exception the evaluator raises as Python would (`NameError` for
/// an undefined name, `FileNotFoundError`, `ImportError` for a module kbgen
/// does not have inside a `try`).
#[derive(Debug, Clone)]
pub(super) struct PyExc {
    pub class: String,
    pub message: String,
    pub range: TextRange,
}

/// Why evaluation stopped early.
#[derive(Debug)]
pub(super) enum Stop {
    Raise(PyExc),
    /// A limit was hit (work budget, nesting): reading conf.py fails.
    Fatal(Diagnostic),
}

pub(super) type Eval<T> = Result<T, Stop>;

/// What a statement does to the enclosing loop.
#[derive(Debug, PartialEq)]
pub(super) enum Flow {
    Next,
    Break,
    Continue,
}

/// The evaluator's state: conf.py's global namespace and what it reported.
pub(super) struct Interp<'a> {
    pub src: &'a SourceFile,
    pub host: &'a Host<'a>,
    pub globals: HashMap<String, Binding>,
    pub diags: Vec<Diagnostic>,
    /// Sphinx's `tags` as conf.py leaves them.
    pub tags: BTreeSet<String>,
    /// Evaluation steps left.
    steps: u64,
    /// Bytes (and items) of values still allowed to be made.
    bytes: u64,
    depth: u32,
    /// Exception classes caught by the `try` statements being run, innermost
    /// last: an import of a module kbgen lacks raises only when caught.
    handlers: Vec<Vec<String>>,
    /// The exceptions being handled, for a bare `raise`.
    handling: Vec<PyExc>,
}

impl<'a> Interp<'a> {
    pub fn new(src: &'a SourceFile, host: &'a Host<'a>, tags: BTreeSet<String>) -> Self {
        let mut globals = HashMap::new();
        let whole = TextRange::default();
        let file = host.conf_path.to_string_lossy().into_owned();
        globals.insert(
            "__file__".to_string(),
            Binding {
                value: Value::Str(file),
                range: whole,
            },
        );
        globals.insert(
            "tags".to_string(),
            Binding {
                value: Value::Tags,
                range: whole,
            },
        );
        Interp {
            src,
            host,
            globals,
            diags: Vec::new(),
            tags,
            // Generous for any real conf.py, linear in its size, and small
            // enough that `while True: x += x` stops in well under a second.
            steps: 20_000_000 + 40 * src.text.len() as u64,
            // Sixteen values of the largest size: copying it takes a second.
            bytes: 16 * super::ops::MAX_VALUE_SIZE as u64 + 40 * src.text.len() as u64,
            depth: 0,
            handlers: Vec::new(),
            handling: Vec::new(),
        }
    }

    /// Runs the module body. An uncaught exception ends its top-level
    /// statement only: Sphinx would stop, but the cause is nearly always
    /// something kbgen models differently (a module it lacks), so the rest
    /// of the settings are still worth reading.
    pub fn run_module(&mut self, body: &[Stmt]) -> Result<(), Diagnostic> {
        for stmt in body {
            match self.exec(stmt) {
                Ok(_) => {}
                Err(Stop::Fatal(d)) => return Err(d),
                Err(Stop::Raise(exc)) => {
                    let d = Diagnostic::warning(
                        "conf-py-exception",
                        format!(
                            "conf.py raises {} here ({}); kbgen skips this statement and reads on",
                            exc.class, exc.message
                        ),
                    );
                    self.diags.push(self.locate(d, exc.range));
                }
            }
        }
        Ok(())
    }

    pub fn locate(&self, d: Diagnostic, range: TextRange) -> Diagnostic {
        d.at(self.src, range.start().to_usize(), range.end().to_usize())
    }

    /// Charges one step that made a value of `n` bytes or items; past
    /// either budget reading conf.py fails.
    pub fn charge(&mut self, n: usize, range: TextRange) -> Eval<()> {
        match (self.steps.checked_sub(1), self.bytes.checked_sub(n as u64)) {
            (Some(steps), Some(bytes)) => {
                self.steps = steps;
                self.bytes = bytes;
                Ok(())
            }
            _ => Err(Stop::Fatal(self.locate(
                Diagnostic::error(
                    "conf-py-too-complex",
                    "conf.py needs more evaluation work than kbgen allows; it stopped here",
                ),
                range,
            ))),
        }
    }

    /// Enters one level of nesting (statement body or sub-expression).
    pub fn enter(&mut self, range: TextRange) -> Eval<()> {
        self.depth += 1;
        if self.depth > MAX_EVAL_DEPTH {
            return Err(Stop::Fatal(self.locate(
                Diagnostic::error("conf-py-too-deep", "conf.py nests too deeply here"),
                range,
            )));
        }
        Ok(())
    }

    pub fn leave(&mut self) {
        self.depth -= 1;
    }

    pub fn raise(&self, class: &str, message: impl Into<String>, range: TextRange) -> Stop {
        py_raise(class, message, range)
    }

    pub fn bind(&mut self, name: &str, value: Value, range: TextRange) {
        self.globals
            .insert(name.to_string(), Binding { value, range });
    }

    pub fn exec_block(&mut self, body: &[Stmt]) -> Eval<Flow> {
        for stmt in body {
            let flow = self.exec(stmt)?;
            if flow != Flow::Next {
                return Ok(flow);
            }
        }
        Ok(Flow::Next)
    }

    fn exec(&mut self, stmt: &Stmt) -> Eval<Flow> {
        self.charge(1, stmt.range())?;
        self.enter(stmt.range())?;
        let flow = self.exec_inner(stmt);
        self.leave();
        flow
    }

    fn exec_inner(&mut self, stmt: &Stmt) -> Eval<Flow> {
        match stmt {
            Stmt::Assign(s) => {
                let value = self.eval(&s.value)?;
                for target in &s.targets {
                    self.assign(target, value.clone())?;
                }
            }
            Stmt::AnnAssign(s) => {
                if let Some(v) = &s.value {
                    let value = self.eval(v)?;
                    self.assign(&s.target, value)?;
                }
            }
            Stmt::AugAssign(s) => self.aug_assign(s)?,
            Stmt::Expr(s) => {
                self.eval(&s.value)?;
            }
            Stmt::If(s) => return self.exec_if(s),
            Stmt::For(s) => return self.exec_for(s),
            Stmt::While(s) => return self.exec_while(s),
            Stmt::Try(s) => return self.exec_try(s),
            Stmt::With(s) => return self.exec_with(s),
            Stmt::Raise(s) => return Err(self.exec_raise(s)),
            Stmt::Import(s) => self.exec_import(s)?,
            Stmt::ImportFrom(s) => self.exec_import_from(s)?,
            Stmt::FunctionDef(f) => {
                self.bind(&f.name, Value::Function(f.name.to_string()), f.name.range)
            }
            Stmt::ClassDef(c) => {
                self.bind(&c.name, Value::Function(c.name.to_string()), c.name.range)
            }
            Stmt::Delete(s) => {
                for t in &s.targets {
                    if let Expr::Name(n) = t {
                        self.globals.remove(n.id.as_str());
                    }
                }
            }
            Stmt::Assert(s) => {
                if self.eval(&s.test)?.truthy() == Some(false) {
                    return Err(self.raise("AssertionError", "assert failed", s.range));
                }
            }
            Stmt::Break(_) => return Ok(Flow::Break),
            Stmt::Continue(_) => return Ok(Flow::Continue),
            Stmt::Pass(_) | Stmt::Global(_) | Stmt::Nonlocal(_) | Stmt::Return(_) => {}
            other => {
                let range = other.range();
                self.poison(
                    std::slice::from_ref(other),
                    "a statement kbgen does not evaluate",
                    range,
                );
            }
        }
        Ok(Flow::Next)
    }

    /// Marks every name `body` would assign as unknown, because of `why` at `range`.
    pub fn poison(&mut self, body: &[Stmt], why: &str, range: TextRange) {
        let mut names = Vec::new();
        assigned_names(body, &mut names);
        for name in names {
            self.bind(&name, Value::unknown(why, range), range);
        }
    }

    fn exec_if(&mut self, s: &ast::StmtIf) -> Eval<Flow> {
        let mut branches: Vec<(Option<&Expr>, &[Stmt])> = vec![(Some(&*s.test), &s.body[..])];
        for clause in &s.elif_else_clauses {
            branches.push((clause.test.as_ref(), &clause.body[..]));
        }
        for (i, (test, body)) in branches.iter().enumerate() {
            let Some(test) = test else {
                return self.exec_block(body);
            };
            match self.eval(test)?.truthy() {
                Some(true) => return self.exec_block(body),
                Some(false) => {}
                None => {
                    for (_, rest) in &branches[i..] {
                        self.poison(
                            rest,
                            "assigned under a condition kbgen cannot evaluate",
                            test.range(),
                        );
                    }
                    return Ok(Flow::Next);
                }
            }
        }
        Ok(Flow::Next)
    }

    fn exec_for(&mut self, s: &ast::StmtFor) -> Eval<Flow> {
        let iter = self.eval(&s.iter)?;
        let Some(items) = iter.items() else {
            let why = "assigned in a loop over a value kbgen cannot evaluate";
            self.poison(&s.body, why, s.iter.range());
            self.poison(&s.orelse, why, s.iter.range());
            let mut names = Vec::new();
            target_names(&s.target, &mut names);
            for n in names {
                self.bind(&n, Value::unknown(why, s.iter.range()), s.iter.range());
            }
            return Ok(Flow::Next);
        };
        for item in items {
            self.assign(&s.target, item)?;
            if self.exec_block(&s.body)? == Flow::Break {
                return Ok(Flow::Next);
            }
        }
        self.exec_block(&s.orelse)
    }

    fn exec_while(&mut self, s: &ast::StmtWhile) -> Eval<Flow> {
        loop {
            self.charge(1, s.range)?;
            match self.eval(&s.test)?.truthy() {
                Some(true) => {
                    if self.exec_block(&s.body)? == Flow::Break {
                        return Ok(Flow::Next);
                    }
                }
                Some(false) => return self.exec_block(&s.orelse),
                None => {
                    let why = "assigned in a loop kbgen cannot evaluate";
                    self.poison(&s.body, why, s.test.range());
                    self.poison(&s.orelse, why, s.test.range());
                    return Ok(Flow::Next);
                }
            }
        }
    }

    fn exec_try(&mut self, s: &ast::StmtTry) -> Eval<Flow> {
        let caught: Vec<String> = s
            .handlers
            .iter()
            .flat_map(|ExceptHandler::ExceptHandler(h)| handler_classes(h.type_.as_deref()))
            .collect();
        self.handlers.push(caught);
        let body = self.exec_block(&s.body);
        self.handlers.pop();
        let outcome = match body {
            Ok(Flow::Next) => self.exec_block(&s.orelse),
            Ok(flow) => Ok(flow),
            Err(Stop::Raise(exc)) => self.handle(s, exc),
            Err(fatal) => return Err(fatal),
        };
        if matches!(outcome, Err(Stop::Fatal(_))) {
            return outcome;
        }
        match self.exec_block(&s.finalbody)? {
            Flow::Next => outcome,
            flow => Ok(flow),
        }
    }

    /// Runs the first handler of `s` that catches `exc`, or re-raises it.
    fn handle(&mut self, s: &ast::StmtTry, exc: PyExc) -> Eval<Flow> {
        for ExceptHandler::ExceptHandler(h) in &s.handlers {
            let classes = handler_classes(h.type_.as_deref());
            if !classes
                .iter()
                .any(|c| modules::exception_matches(&exc.class, c))
            {
                continue;
            }
            if let Some(name) = &h.name {
                let why = format!("the {} conf.py caught here", exc.class);
                self.bind(name, Value::unknown(why, name.range), name.range);
            }
            self.handling.push(exc);
            let flow = self.exec_block(&h.body);
            self.handling.pop();
            return flow;
        }
        Err(Stop::Raise(exc))
    }

    fn exec_raise(&mut self, s: &ast::StmtRaise) -> Stop {
        let Some(exc) = &s.exc else {
            return match self.handling.last() {
                Some(e) => Stop::Raise(e.clone()),
                None => self.raise("RuntimeError", "no active exception to re-raise", s.range),
            };
        };
        let (callee, message) = match &**exc {
            Expr::Call(call) => {
                let message = call
                    .arguments
                    .args
                    .first()
                    .and_then(|a| match self.eval(a) {
                        Ok(Value::Str(m)) => Some(m.trim().to_string()),
                        _ => None,
                    })
                    .unwrap_or_default();
                (&*call.func, message)
            }
            other => (other, String::new()),
        };
        let class = match self.eval(callee) {
            Ok(Value::ExceptionClass(c)) => c,
            Err(stop) => return stop,
            _ => "Exception".to_string(),
        };
        self.raise(&class, message, s.range)
    }

    fn exec_with(&mut self, s: &ast::StmtWith) -> Eval<Flow> {
        for item in &s.items {
            let value = self.eval(&item.context_expr)?;
            if let Some(var) = &item.optional_vars {
                self.assign(var, value)?;
            }
        }
        self.exec_block(&s.body)
    }

    /// True when a `try` being run catches an `ImportError`.
    fn import_error_caught(&self) -> bool {
        self.handlers
            .iter()
            .flatten()
            .any(|c| modules::exception_matches("ModuleNotFoundError", c))
    }

    /// A module kbgen lacks: `ImportError` where conf.py catches it (it has
    /// a fallback), else an unknown binding (Sphinx had the module).
    fn missing_module(
        &mut self,
        module: &str,
        bind_as: &[(String, TextRange)],
        range: TextRange,
    ) -> Eval<()> {
        if self.import_error_caught() {
            return Err(self.raise(
                "ModuleNotFoundError",
                format!("kbgen does not have module '{module}'"),
                range,
            ));
        }
        for (name, r) in bind_as {
            let why = format!("module '{module}' is not available to kbgen");
            self.bind(name, Value::unknown(why, range), *r);
        }
        Ok(())
    }

    fn exec_import(&mut self, s: &ast::StmtImport) -> Eval<()> {
        for alias in &s.names {
            let full = alias.name.as_str();
            let top = full.split('.').next().unwrap_or(full);
            let (bind, module_path) = match &alias.asname {
                Some(a) => (a.as_str(), full),
                None => (top, top),
            };
            match modules::import(full) {
                Import::Found(_) => {
                    let Import::Found(m) = modules::import(module_path) else {
                        continue;
                    };
                    self.bind(bind, Value::Module(m), alias.range);
                }
                Import::Missing => {
                    self.missing_module(full, &[(bind.to_string(), alias.range)], alias.range)?
                }
            }
        }
        Ok(())
    }

    fn exec_import_from(&mut self, s: &ast::StmtImportFrom) -> Eval<()> {
        let module = s.module.as_ref().map(|m| m.as_str()).unwrap_or("");
        let names: Vec<(String, TextRange)> = s
            .names
            .iter()
            .map(|a| (a.asname.as_ref().unwrap_or(&a.name).to_string(), a.range))
            .collect();
        if s.level > 0 || module == "__future__" {
            return Ok(());
        }
        let Import::Found(m) = modules::import(module) else {
            return self.missing_module(module, &names, s.range);
        };
        for (alias, (bind, range)) in s.names.iter().zip(names) {
            let value = match modules::attribute(&Value::Module(m.clone()), alias.name.as_str()) {
                Some(v) => v,
                None => match modules::import(&format!("{module}.{}", alias.name)) {
                    Import::Found(sub) if !matches!(m, Module::Opaque(_)) => Value::Module(sub),
                    _ => {
                        let why = format!(
                            "'{}' of module '{module}' is not modelled by kbgen",
                            alias.name
                        );
                        Value::unknown(why, range)
                    }
                },
            };
            self.bind(&bind, value, range);
        }
        Ok(())
    }

    /// `target = value` for a name, a tuple/list of targets or `d[k]`.
    pub fn assign(&mut self, target: &Expr, value: Value) -> Eval<()> {
        match target {
            Expr::Name(n) => self.bind(&n.id, value, n.range),
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
                let items = match &value {
                    Value::Unknown(_) => vec![value.clone(); elts.len()],
                    v => match v.items() {
                        Some(items) => items,
                        None => {
                            let msg =
                                format!("cannot unpack non-iterable {} object", v.type_name());
                            return Err(self.raise("TypeError", msg, target.range()));
                        }
                    },
                };
                if elts.iter().any(|e| matches!(e, Expr::Starred(_))) {
                    let why = "starred unpacking is not evaluated by kbgen";
                    let mut names = Vec::new();
                    target_names(target, &mut names);
                    for n in names {
                        self.bind(&n, Value::unknown(why, target.range()), target.range());
                    }
                    return Ok(());
                }
                if items.len() != elts.len() {
                    let msg = format!(
                        "expected {} values to unpack, got {}",
                        elts.len(),
                        items.len()
                    );
                    return Err(self.raise("ValueError", msg, target.range()));
                }
                for (e, v) in elts.iter().zip(items) {
                    self.assign(e, v)?;
                }
            }
            Expr::Subscript(sub) => self.assign_item(sub, value)?,
            // Attributes (`app.x = ...`, `os.environ` edits) change nothing kbgen reads.
            _ => {}
        }
        Ok(())
    }

    fn assign_item(&mut self, sub: &ast::ExprSubscript, value: Value) -> Eval<()> {
        let Expr::Name(base) = &*sub.value else {
            return Ok(());
        };
        let key = self.eval(&sub.slice)?;
        let Some(binding) = self.globals.get_mut(base.id.as_str()) else {
            return Err(self.raise(
                "NameError",
                format!("name '{}' is not defined", base.id),
                base.range,
            ));
        };
        match &mut binding.value {
            Value::Dict(d) => {
                let known = dict_set(d, key, value).is_some();
                if !known {
                    binding.value = Value::unknown("a dict key kbgen cannot compare", sub.range);
                }
            }
            Value::List(items) => {
                let len = items.len() as i64;
                match key {
                    Value::Int(i) if (-len..len).contains(&i) => {
                        items[i.rem_euclid(len) as usize] = value;
                    }
                    _ => {
                        binding.value = Value::unknown("a list item kbgen cannot assign", sub.range)
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn aug_assign(&mut self, s: &ast::StmtAugAssign) -> Eval<()> {
        let Expr::Name(n) = &*s.target else {
            let right = self.eval(&s.value)?;
            let left = self.eval(&s.target)?;
            let result = self.binop(left, s.op, right, s.range)?;
            return self.assign(&s.target, result);
        };
        let right = self.eval(&s.value)?;
        let Some(binding) = self.globals.remove(n.id.as_str()) else {
            let msg = format!("name '{}' is not defined", n.id);
            return Err(self.raise("NameError", msg, n.range));
        };
        // `x += ...` on a list extends it in place, by any iterable.
        let result = match (binding.value, s.op, right) {
            (Value::List(mut items), ast::Operator::Add, right) if right.items().is_some() => {
                let more = right.items().unwrap_or_default();
                self.charge(more.len(), s.range)?;
                items.extend(more);
                Ok(Value::List(items))
            }
            // str + str cannot fail; anything else may raise, and then the
            // name keeps its value as in Python.
            (left @ Value::Str(_), ast::Operator::Add, right @ Value::Str(_)) => {
                self.binop(left, ast::Operator::Add, right, s.range)
            }
            (left, op, right) => {
                let kept = left.clone();
                let result = self.binop(left, op, right, s.range);
                if result.is_err() {
                    self.bind(&n.id, kept, binding.range);
                }
                result
            }
        };
        match result {
            Ok(v) => {
                self.bind(&n.id, v, n.range);
                Ok(())
            }
            Err(e) => Err(e),
        }
    }
}

/// A Python exception of `class` raised at `range`.
pub(super) fn py_raise(class: &str, message: impl Into<String>, range: TextRange) -> Stop {
    Stop::Raise(PyExc {
        class: class.to_string(),
        message: message.into(),
        range,
    })
}
