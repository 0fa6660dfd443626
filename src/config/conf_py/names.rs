//! Which names a piece of conf.py binds: for marking them unknown when
//! kbgen cannot tell whether the code runs, and for comprehension scopes.

use ruff_python_ast::{ExceptHandler, Expr, Stmt};

/// The exception class names an `except` clause names (`None`: bare `except:`).
pub(super) fn handler_classes(type_: Option<&Expr>) -> Vec<String> {
    match type_ {
        None => vec!["BaseException".to_string()],
        Some(Expr::Tuple(t)) => t
            .elts
            .iter()
            .flat_map(|e| handler_classes(Some(e)))
            .collect(),
        Some(Expr::Name(n)) => vec![n.id.to_string()],
        Some(Expr::Attribute(a)) => vec![a.attr.to_string()],
        Some(_) => Vec::new(),
    }
}

/// Names a target expression binds.
pub(super) fn target_names(target: &Expr, out: &mut Vec<String>) {
    match target {
        Expr::Name(n) => out.push(n.id.to_string()),
        Expr::Tuple(t) => t.elts.iter().for_each(|e| target_names(e, out)),
        Expr::List(l) => l.elts.iter().for_each(|e| target_names(e, out)),
        Expr::Starred(s) => target_names(&s.value, out),
        _ => {}
    }
}

/// Every global name `body` may assign (not inside function bodies).
pub(super) fn assigned_names(body: &[Stmt], out: &mut Vec<String>) {
    for stmt in body {
        match stmt {
            Stmt::Assign(s) => s.targets.iter().for_each(|t| target_names(t, out)),
            Stmt::AugAssign(s) => target_names(&s.target, out),
            Stmt::AnnAssign(s) => target_names(&s.target, out),
            Stmt::For(s) => {
                target_names(&s.target, out);
                assigned_names(&s.body, out);
                assigned_names(&s.orelse, out);
            }
            Stmt::While(s) => {
                assigned_names(&s.body, out);
                assigned_names(&s.orelse, out);
            }
            Stmt::If(s) => {
                assigned_names(&s.body, out);
                s.elif_else_clauses
                    .iter()
                    .for_each(|c| assigned_names(&c.body, out));
            }
            Stmt::With(s) => {
                s.items
                    .iter()
                    .filter_map(|i| i.optional_vars.as_deref())
                    .for_each(|t| target_names(t, out));
                assigned_names(&s.body, out);
            }
            Stmt::Try(s) => {
                assigned_names(&s.body, out);
                for ExceptHandler::ExceptHandler(h) in &s.handlers {
                    assigned_names(&h.body, out);
                }
                assigned_names(&s.orelse, out);
                assigned_names(&s.finalbody, out);
            }
            Stmt::Import(s) => s.names.iter().for_each(|a| {
                let name = a.asname.as_ref().unwrap_or(&a.name);
                out.push(name.split('.').next().unwrap_or(name).to_string());
            }),
            Stmt::ImportFrom(s) => s
                .names
                .iter()
                .for_each(|a| out.push(a.asname.as_ref().unwrap_or(&a.name).to_string())),
            Stmt::FunctionDef(f) => out.push(f.name.to_string()),
            Stmt::ClassDef(c) => out.push(c.name.to_string()),
            Stmt::Match(m) => m.cases.iter().for_each(|c| assigned_names(&c.body, out)),
            _ => {}
        }
    }
}
