//! Sphinx's C `DefinitionParser`, for the declarations its directives
//! take: declaration specifiers, declarators (pointers, arrays, function
//! parameters, parenthesised declarators), macros, struct/union/enum
//! names and enumerators. Expressions (array sizes, initialisers): literals,
//! names, parentheses, unary and binary operators.

use super::c_ast::{
    Array, Decl, DeclSpecs, Declaration, Declarator, Expr, Param, ParseError, Simple, Trailing,
    TypeDecl,
};
use super::c_ast::{FUNDAMENTAL, KEYWORDS};

/// Where declarations are parsed (`outer` in Sphinx's parser).
#[derive(Clone, Copy, PartialEq)]
enum Outer {
    Type,
    Member,
    Function,
    Param,
}

/// Whether names are required, optional single names or absent.
#[derive(Clone, Copy, PartialEq)]
enum Named {
    Yes,
    Single,
    No,
}

type R<T> = Result<T, ParseError>;

struct P<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> P<'a> {
    fn rest(&self) -> &'a str {
        &self.s[self.pos..]
    }

    fn fail<T>(&self, text: &str) -> R<T> {
        Err(ParseError {
            text: text.to_string(),
            at: self.pos,
        })
    }

    fn skip_ws(&mut self) {
        let r = self.rest();
        self.pos += r.len() - r.trim_start().len();
    }

    fn skip_string(&mut self, t: &str) -> bool {
        if self.rest().starts_with(t) {
            self.pos += t.len();
            true
        } else {
            false
        }
    }

    fn skip_string_and_ws(&mut self, t: &str) -> bool {
        let ok = self.skip_string(t);
        if ok {
            self.skip_ws();
        }
        ok
    }

    /// The identifier-like word at the position (not consumed).
    fn word(&self) -> &'a str {
        let r = self.rest();
        let end = r
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(r.len());
        if r.starts_with(|c: char| c.is_ascii_digit()) {
            return "";
        }
        &r[..end]
    }

    fn skip_word(&mut self, w: &str) -> bool {
        if self.word() == w {
            self.pos += w.len();
            true
        } else {
            false
        }
    }

    fn skip_word_and_ws(&mut self, w: &str) -> bool {
        let ok = self.skip_word(w);
        if ok {
            self.skip_ws();
        }
        ok
    }

    fn identifier(&mut self) -> Option<String> {
        if let Some(anon) = self.rest().strip_prefix('@') {
            let n = anon
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(anon.len());
            let id = self.s[self.pos..self.pos + 1 + n].to_string();
            self.pos += 1 + n;
            return Some(id);
        }
        let w = self.word();
        if w.is_empty() {
            return None;
        }
        self.pos += w.len();
        Some(w.to_string())
    }

    fn nested_name(&mut self) -> R<Vec<String>> {
        self.skip_ws();
        let mut names = Vec::new();
        loop {
            self.skip_ws();
            let at = self.pos;
            let Some(id) = self.identifier() else {
                return self.fail("Expected identifier in nested name.");
            };
            if KEYWORDS.contains(&id.as_str()) {
                self.pos = at;
                return self.fail(&format!(
                    "Expected identifier in nested name, got keyword: {id}"
                ));
            }
            names.push(id);
            self.skip_ws();
            if !self.skip_string(".") {
                break;
            }
        }
        Ok(names)
    }

    /// An expression up to one of `ends` (Sphinx's full expression
    /// grammar minus casts, calls, `sizeof` and postfix operators).
    fn expression(&mut self, ends: &[char]) -> R<Expr> {
        let e = self.binary()?;
        self.skip_ws();
        let r = self.rest();
        if !(r.is_empty() || r.starts_with(ends) || r.starts_with(';')) {
            return self.fail("Expression not supported by kbgen.");
        }
        Ok(e)
    }

    fn binary(&mut self) -> R<Expr> {
        const OPS: &[&str] = &[
            "||", "&&", "==", "!=", "<=", ">=", "<<", ">>", "|", "^", "&", "<", ">", "+", "-", "*",
            "/", "%",
        ];
        let mut exprs = vec![self.unary()?];
        let mut ops = Vec::new();
        loop {
            self.skip_ws();
            let Some(op) = OPS.iter().find(|o| self.rest().starts_with(**o)) else {
                break;
            };
            // `a = b` and `a |= b` are assignments, not this operator.
            if self.rest()[op.len()..].starts_with('=') && !matches!(*op, "==" | "!=" | "<=" | ">=")
            {
                break;
            }
            self.pos += op.len();
            ops.push(*op);
            exprs.push(self.unary()?);
        }
        Ok(if ops.is_empty() {
            exprs.remove(0)
        } else {
            Expr::Binary(exprs, ops)
        })
    }

    fn unary(&mut self) -> R<Expr> {
        self.skip_ws();
        for op in ["++", "--", "*", "&", "+", "-", "!", "~"] {
            if self.rest().starts_with(op) {
                self.pos += op.len();
                return Ok(Expr::Unary(op, Box::new(self.unary()?)));
            }
        }
        self.primary()
    }

    fn primary(&mut self) -> R<Expr> {
        self.skip_ws();
        let r = self.rest();
        if self.skip_string("(") {
            let inner = self.binary()?;
            self.skip_ws();
            if !self.skip_string(")") {
                return self.fail("Expected ')' in end of parenthesized expression.");
            }
            return Ok(Expr::Paren(Box::new(inner)));
        }
        if r.starts_with(|c: char| c.is_ascii_digit())
            || (r.starts_with('.') && r[1..].starts_with(|c: char| c.is_ascii_digit()))
        {
            let n = r
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '\''))
                .unwrap_or(r.len());
            self.pos += n;
            return Ok(Expr::Number(r[..n].to_string()));
        }
        if r.starts_with('"') || r.starts_with('\'') {
            let q = r.as_bytes()[0] as char;
            let mut end = None;
            let mut escaped = false;
            for (i, c) in r.char_indices().skip(1) {
                match c {
                    '\\' if !escaped => escaped = true,
                    c if c == q && !escaped => {
                        end = Some(i + 1);
                        break;
                    }
                    _ => escaped = false,
                }
            }
            let Some(end) = end else {
                return self.fail("Unterminated literal.");
            };
            self.pos += end;
            let text = r[..end].to_string();
            return Ok(if q == '"' {
                Expr::Str(text)
            } else {
                Expr::Char(text)
            });
        }
        Ok(Expr::Name(self.nested_name()?))
    }

    fn simple_specs(&mut self, outer: Outer, typed: bool) -> Simple {
        let mut s = Simple::default();
        loop {
            self.skip_ws();
            if s.storage.is_none() {
                if outer == Outer::Member {
                    if self.skip_word("auto") {
                        s.storage = Some("auto");
                        continue;
                    }
                    if self.skip_word("register") {
                        s.storage = Some("register");
                        continue;
                    }
                }
                if matches!(outer, Outer::Member | Outer::Function) {
                    if self.skip_word("static") {
                        s.storage = Some("static");
                        continue;
                    }
                    if self.skip_word("extern") {
                        s.storage = Some("extern");
                        continue;
                    }
                }
            }
            if outer == Outer::Member && s.thread_local.is_none() {
                for w in ["thread_local", "_Thread_local"] {
                    if self.skip_word(w) {
                        s.thread_local = Some(w);
                    }
                }
                if s.thread_local.is_some() {
                    continue;
                }
            }
            if outer == Outer::Function && !s.inline && self.skip_word("inline") {
                s.inline = true;
                continue;
            }
            if typed {
                if !s.restrict && self.skip_word("restrict") {
                    s.restrict = true;
                    continue;
                }
                if !s.volatile && self.skip_word("volatile") {
                    s.volatile = true;
                    continue;
                }
                if !s.const_ && self.skip_word("const") {
                    s.const_ = true;
                    continue;
                }
            }
            break;
        }
        s
    }

    fn trailing(&mut self) -> R<Trailing> {
        self.skip_ws();
        let mut names = Vec::new();
        loop {
            let w = self.word();
            if !FUNDAMENTAL.contains(&w) {
                break;
            }
            self.pos += w.len();
            names.push(w.to_string());
            self.skip_ws();
        }
        if !names.is_empty() {
            return Ok(Trailing::Fundamental(names));
        }
        let mut prefix = None;
        for k in ["struct", "enum", "union"] {
            if self.skip_word_and_ws(k) {
                prefix = Some(k);
                break;
            }
        }
        Ok(Trailing::Name {
            prefix,
            names: self.nested_name()?,
        })
    }

    fn decl_specs(&mut self, outer: Outer, typed: bool) -> R<DeclSpecs> {
        let left = self.simple_specs(outer, typed);
        let (trailing, right) = if typed {
            let t = self.trailing()?;
            (Some(t), self.simple_specs(outer, typed))
        } else {
            (None, Simple::default())
        };
        Ok(DeclSpecs {
            left,
            right,
            trailing,
        })
    }

    fn parameters(&mut self, function: bool) -> R<Option<Vec<Param>>> {
        self.skip_ws();
        if !self.skip_string("(") {
            if function {
                return self.fail("Expecting \"(\" in parameters.");
            }
            return Ok(None);
        }
        let mut args = Vec::new();
        self.skip_ws();
        if !self.skip_string(")") {
            loop {
                self.skip_ws();
                if self.skip_string("...") {
                    args.push(Param::Ellipsis);
                    self.skip_ws();
                    if !self.skip_string(")") {
                        return self.fail("Expected \")\" after \"...\" in parameters.");
                    }
                    break;
                }
                let arg = self.type_with_init(Named::Single, Outer::Param)?;
                args.push(Param::Arg(Box::new(arg)));
                self.skip_ws();
                if self.skip_string(",") {
                    continue;
                }
                if self.skip_string(")") {
                    break;
                }
                return self.fail("Expecting \",\" or \")\" in parameters.");
            }
        }
        Ok(Some(args))
    }

    fn name_suffix(&mut self, named: Named, function: bool, typed: bool) -> R<Declarator> {
        let name = match named {
            Named::Single => {
                let at = self.pos;
                match self.identifier() {
                    Some(id) if KEYWORDS.contains(&id.as_str()) => {
                        self.pos = at;
                        return self.fail(&format!("Expected identifier, got keyword: {id}"));
                    }
                    Some(id) => Some(vec![id]),
                    None => None,
                }
            }
            Named::Yes => Some(self.nested_name()?),
            Named::No => None,
        };
        let mut arrays = Vec::new();
        loop {
            self.skip_ws();
            if !(typed && self.skip_string("[")) {
                break;
            }
            self.skip_ws();
            let mut a = Array::default();
            loop {
                if !a.static_ && self.skip_word_and_ws("static") {
                    a.static_ = true;
                } else if !a.const_ && self.skip_word_and_ws("const") {
                    a.const_ = true;
                } else if !a.volatile && self.skip_word_and_ws("volatile") {
                    a.volatile = true;
                } else if !a.restrict && self.skip_word_and_ws("restrict") {
                    a.restrict = true;
                } else {
                    break;
                }
            }
            a.vla = !a.static_ && self.skip_string_and_ws("*");
            if a.vla {
                if !self.skip_string("]") {
                    return self.fail("Expected ']' in end of array operator.");
                }
            } else if !self.skip_string("]") {
                a.size = Some(self.expression(&[']'])?);
                self.skip_ws();
                if !self.skip_string("]") {
                    return self.fail("Expected ']' in end of array operator.");
                }
            }
            arrays.push(a);
        }
        let params = self.parameters(function)?;
        if params.is_none() && arrays.is_empty() && named != Named::No && !function && typed {
            self.skip_ws();
            if self.skip_string(":") {
                let size = self.expression(&[',', ')', '='])?;
                return Ok(Declarator::BitField { name, size });
            }
        }
        Ok(Declarator::NameParam {
            name,
            arrays,
            params,
        })
    }

    fn declarator(&mut self, named: Named, function: bool, typed: bool) -> R<Declarator> {
        self.skip_ws();
        if typed && self.skip_string("*") {
            self.skip_ws();
            let (mut restrict, mut volatile, mut const_) = (false, false, false);
            loop {
                if !restrict && self.skip_word_and_ws("restrict") {
                    restrict = true;
                } else if !volatile && self.skip_word_and_ws("volatile") {
                    volatile = true;
                } else if !const_ && self.skip_word_and_ws("const") {
                    const_ = true;
                } else {
                    break;
                }
            }
            let next = Box::new(self.declarator(named, function, typed)?);
            return Ok(Declarator::Ptr {
                next,
                restrict,
                volatile,
                const_,
            });
        }
        if typed && self.rest().starts_with('(') {
            let pos = self.pos;
            match self.name_suffix(named, function, typed) {
                Ok(d) => return Ok(d),
                Err(_) => {
                    self.pos = pos + 1;
                    let inner = Box::new(self.declarator(named, function, typed)?);
                    if !self.skip_string(")") {
                        return self.fail("Expected ')' in \"( ptr-declarator )\"");
                    }
                    let next = Box::new(self.declarator(Named::No, false, typed)?);
                    return Ok(Declarator::Paren { inner, next });
                }
            }
        }
        self.name_suffix(named, function, typed)
    }

    fn type_decl(&mut self, named: Named, outer: Outer) -> R<TypeDecl> {
        let (specs, decl) = match outer {
            Outer::Type => {
                let start = self.pos;
                let untyped = self.decl_specs(outer, false).and_then(|s| {
                    let d = self.declarator(Named::Yes, false, false)?;
                    self.skip_ws();
                    let r = self.rest();
                    if r.is_empty() || r == ";" {
                        Ok((s, d))
                    } else {
                        self.fail("Expected end of definition.")
                    }
                });
                match untyped {
                    Ok(x) => x,
                    Err(_) => {
                        self.pos = start;
                        let s = self.decl_specs(outer, true)?;
                        (s, self.declarator(Named::Yes, false, true)?)
                    }
                }
            }
            Outer::Function => {
                let s = self.decl_specs(outer, true)?;
                (s, self.declarator(Named::Yes, true, true)?)
            }
            Outer::Member => {
                let s = self.decl_specs(outer, true)?;
                (s, self.declarator(Named::Yes, false, true)?)
            }
            Outer::Param => {
                let s = self.decl_specs(outer, true)?;
                (s, self.declarator(named, false, true)?)
            }
        };
        Ok(TypeDecl {
            specs,
            decl,
            init: None,
        })
    }

    fn type_with_init(&mut self, named: Named, outer: Outer) -> R<TypeDecl> {
        let mut t = self.type_decl(named, outer)?;
        self.skip_ws();
        if matches!(outer, Outer::Member | Outer::Param) && self.skip_string("=") {
            let ends: &[char] = if outer == Outer::Param {
                &[',', ')']
            } else {
                &[]
            };
            t.init = Some(self.expression(ends)?);
        }
        Ok(t)
    }

    fn macro_decl(&mut self) -> R<Decl> {
        let name = self.nested_name()?;
        self.skip_ws();
        if !self.skip_string_and_ws("(") {
            return Ok(Decl::Macro { name, params: None });
        }
        let mut params = Vec::new();
        if self.skip_string(")") {
            return Ok(Decl::Macro {
                name,
                params: Some(params),
            });
        }
        loop {
            self.skip_ws();
            if self.skip_string("...") {
                params.push(None);
                self.skip_ws();
                if !self.skip_string(")") {
                    return self.fail("Expected \")\" after \"...\" in macro parameters.");
                }
                break;
            }
            let Some(id) = self.identifier() else {
                return self.fail("Expected identifier in macro parameters.");
            };
            self.skip_ws();
            if self.skip_string_and_ws("...") {
                params.push(Some(format!("{id}...")));
                if !self.skip_string(")") {
                    return self.fail("Expected \")\" after \"...\" in macro parameters.");
                }
                break;
            }
            params.push(Some(id));
            if self.skip_string_and_ws(",") {
                continue;
            }
            if self.skip_string_and_ws(")") {
                break;
            }
            return self.fail("Expected identifier, ')', or ',' in macro parameter list.");
        }
        Ok(Decl::Macro {
            name,
            params: Some(params),
        })
    }
}

/// Parses the signature of a C object of `objtype` (`function`, `member`,
/// `macro`, `struct`, `union`, `enum`, `enumerator`, `type`).
pub fn parse(sig: &str, objtype: &str) -> Result<Declaration, ParseError> {
    let mut p = P { s: sig, pos: 0 };
    let decl = match objtype {
        "member" => Decl::Type(p.type_with_init(Named::Yes, Outer::Member)?),
        "function" => Decl::Type(p.type_decl(Named::Yes, Outer::Function)?),
        "macro" => p.macro_decl()?,
        "type" => Decl::Type(p.type_decl(Named::Yes, Outer::Type)?),
        "enumerator" => {
            let name = p.nested_name()?;
            p.skip_ws();
            let init = if p.skip_string("=") {
                Some(p.expression(&[])?)
            } else {
                None
            };
            Decl::Enumerator { name, init }
        }
        _ => Decl::Name(p.nested_name()?),
    };
    let semicolon = objtype != "macro" && {
        p.skip_ws();
        p.skip_string(";")
    };
    p.skip_ws();
    if !p.rest().is_empty() {
        return p.fail("Expected end of definition.");
    }
    Ok(Declaration { decl, semicolon })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declarations_parse_like_sphinx() {
        assert!(parse("int add(int a, const char *b)", "function").is_ok());
        assert!(parse("void *alloc(size_t n, void (*cb)(int))", "function").is_ok());
        assert!(parse("char name[16]", "member").is_ok());
        assert!(parse("my_int", "type").is_ok());
        assert!(parse("unsigned long size_type", "type").is_ok());
        assert!(parse("MIN(a, b)", "macro").is_ok());
        assert!(parse("int (broken", "function").is_err());
        assert!(parse("int", "function").is_err());
        assert_eq!(
            parse("void (*f(int a))(double)", "function")
                .map(|d| d.name().to_vec())
                .ok(),
            Some(vec!["f".to_string()])
        );
    }
}
