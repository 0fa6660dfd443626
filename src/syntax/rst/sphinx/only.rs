//! `.. only::` expressions: tag names joined with `and`, `or`, `not` and
//! parentheses (Sphinx's `Tags.eval_condition`).

use std::collections::BTreeSet;

/// Deepest nesting of parentheses and `not`s an expression may have.
const MAX_DEPTH: usize = 64;

/// Evaluates `expr` against `tags`; `Err` says why it does not parse.
pub fn eval(expr: &str, tags: &BTreeSet<String>) -> Result<bool, String> {
    let tokens = tokenize(expr)?;
    let mut parser = Cond {
        tokens: &tokens,
        at: 0,
        tags,
    };
    let v = parser.or(0)?;
    if parser.at != tokens.len() {
        return Err(format!("unexpected {:?} in {:?}", tokens[parser.at], expr));
    }
    Ok(v)
}

fn tokenize(expr: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut chars = expr.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '(' || c == ')' {
            out.push(c.to_string());
            chars.next();
        } else if c.is_alphanumeric() || c == '_' {
            let mut end = i;
            while let Some(&(j, d)) = chars.peek() {
                if d.is_alphanumeric() || d == '_' || d == '-' || d == '.' {
                    end = j + d.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            out.push(expr[i..end].to_string());
        } else {
            return Err(format!("unexpected character {c:?} in {expr:?}"));
        }
    }
    if out.is_empty() {
        return Err("empty expression".into());
    }
    Ok(out)
}

struct Cond<'a> {
    tokens: &'a [String],
    at: usize,
    tags: &'a BTreeSet<String>,
}

impl Cond<'_> {
    fn peek(&self) -> Option<&str> {
        self.tokens.get(self.at).map(String::as_str)
    }

    fn or(&mut self, depth: usize) -> Result<bool, String> {
        let mut v = self.and(depth)?;
        while self.peek() == Some("or") {
            self.at += 1;
            let r = self.and(depth)?;
            v = v || r;
        }
        Ok(v)
    }

    fn and(&mut self, depth: usize) -> Result<bool, String> {
        let mut v = self.not(depth)?;
        while self.peek() == Some("and") {
            self.at += 1;
            let r = self.not(depth)?;
            v = v && r;
        }
        Ok(v)
    }

    fn not(&mut self, depth: usize) -> Result<bool, String> {
        if depth > MAX_DEPTH {
            return Err("expression nested too deeply".into());
        }
        match self.peek() {
            Some("not") => {
                self.at += 1;
                Ok(!self.not(depth + 1)?)
            }
            Some("(") => {
                self.at += 1;
                let v = self.or(depth + 1)?;
                if self.peek() != Some(")") {
                    return Err("missing closing parenthesis".into());
                }
                self.at += 1;
                Ok(v)
            }
            Some(")") | Some("and") | Some("or") | None => Err(format!(
                "expected a tag name, got {}",
                self.peek()
                    .map_or("the end".to_string(), |t| format!("{t:?}"))
            )),
            Some("true") | Some("True") => {
                self.at += 1;
                Ok(true)
            }
            Some("false") | Some("False") => {
                self.at += 1;
                Ok(false)
            }
            Some(name) => {
                let v = self.tags.contains(name);
                self.at += 1;
                Ok(v)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expressions() {
        let tags: BTreeSet<String> = ["html".to_string(), "a".into()].into();
        assert_eq!(eval("html", &tags), Ok(true));
        assert_eq!(eval("latex", &tags), Ok(false));
        assert_eq!(eval("html and not latex", &tags), Ok(true));
        assert_eq!(eval("(latex or a) and html", &tags), Ok(true));
        assert!(eval("html and", &tags).is_err());
        assert!(eval("(html", &tags).is_err());
        assert!(eval("html $ x", &tags).is_err());
        assert!(eval(&"(".repeat(1000), &tags).is_err());
    }
}
