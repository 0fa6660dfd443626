//! A fast stand-in for the XSD datatype library, used with kbgen's own
//! schemas only.
//!
//! relax-ng's XSD library compiles a `pattern` facet's regex on every value
//! it checks, which made each `<qemu:env>` cost a regex compilation. The
//! shipped schemas use only `string` with `pattern`, so this library
//! implements exactly that, compiling each pattern once. Schemas from
//! book.toml keep relax-ng's complete XSD library.

use std::collections::HashMap;
use std::sync::RwLock;

use regex::Regex;
use relax_ng::{DatatypeContext, DatatypeLibrary, DatatypeRegistry, XSD_DATATYPE_LIBRARY};

#[derive(Default)]
struct CachedPatterns {
    compiled: RwLock<HashMap<String, Option<Regex>>>,
}

impl CachedPatterns {
    fn regex(&self, pattern: &str) -> Option<Regex> {
        if let Ok(map) = self.compiled.read()
            && let Some(r) = map.get(pattern)
        {
            return r.clone();
        }
        // XSD patterns match the whole value.
        let r = Regex::new(&format!("^(?:{pattern})$")).ok();
        if let Ok(mut map) = self.compiled.write() {
            map.insert(pattern.to_string(), r.clone());
        }
        r
    }
}

impl DatatypeLibrary for CachedPatterns {
    fn validate_params(&self, type_name: &str, params: &[(&str, &str)]) -> Result<(), String> {
        if type_name != "string" {
            return Err(format!(
                "kbgen's schemas only use `string`, not `{type_name}`"
            ));
        }
        for (name, value) in params {
            if *name != "pattern" {
                return Err(format!("unsupported facet `{name}`"));
            }
            if self.regex(value).is_none() {
                return Err(format!("invalid pattern `{value}`"));
            }
        }
        Ok(())
    }

    fn matches(
        &self,
        _type_name: &str,
        params: &[(&str, &str)],
        value: &str,
        _context: &DatatypeContext,
    ) -> bool {
        params
            .iter()
            .filter(|(n, _)| *n == "pattern")
            .all(|(_, p)| self.regex(p).is_some_and(|r| r.is_match(value)))
    }

    fn values_equal(
        &self,
        _type_name: &str,
        expected: &str,
        _expected_context: &DatatypeContext,
        actual: &str,
        _actual_context: &DatatypeContext,
    ) -> bool {
        expected == actual
    }
}

/// The registry for the shipped schemas.
pub fn shipped_registry() -> DatatypeRegistry {
    let mut r = DatatypeRegistry::new();
    r.register(XSD_DATATYPE_LIBRARY, CachedPatterns::default());
    r
}
