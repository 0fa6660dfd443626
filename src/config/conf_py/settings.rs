//! From conf.py's namespace to [`SphinxSettings`]: each setting kbgen uses,
//! checked for its type as Sphinx would, with a warning at the cause when
//! its value is unknown (naming the book.toml key to set instead) and one
//! warning per extension kbgen does not implement.

use std::collections::BTreeMap;
use std::rc::Rc;

use ruff_text_size::{TextRange, TextSize};

use super::extensions;
use super::interp::Interp;
use super::value::{Unknown, Value};
use crate::config::sphinx::SphinxSettings;
use crate::config::sphinx_overrides::{SphinxOverrides, override_key};
use crate::diag::Diagnostic;

/// Reads the settings out of an evaluated conf.py.
pub(super) fn collect(interp: &mut Interp, overrides: &SphinxOverrides) -> SphinxSettings {
    let mut r = Reader {
        interp,
        overrides,
        warned: Vec::new(),
    };
    let mut s = SphinxSettings {
        conf_path: Some(r.interp.host.conf_path.clone()),
        ..SphinxSettings::default()
    };
    if let Some(v) = r.string("project") {
        s.project = v;
    }
    if let Some(v) = r.string("version") {
        s.version = v;
    }
    if let Some(v) = r.string("release") {
        s.release = v;
    }
    if let Some(v) = r.string("master_doc") {
        s.root_doc = v;
    }
    if let Some(v) = r.string("root_doc") {
        s.root_doc = v;
    }
    if let Some(v) = r.strings("exclude_patterns") {
        s.exclude_patterns = v;
    }
    if let Some(v) = r.source_suffix() {
        s.source_suffix = v;
    }
    for (name, field) in [
        ("rst_prolog", &mut s.rst_prolog),
        ("rst_epilog", &mut s.rst_epilog),
    ] {
        if let Some(v) = r.string(name) {
            *field = v;
        }
    }
    if let Some(v) = r.optional_string("default_role") {
        s.default_role = v;
    }
    if let Some(v) = r.optional_string("primary_domain") {
        s.primary_domain = v;
    }
    if let Some(v) = r.string("highlight_language") {
        s.highlight_language = v;
    }
    if let Some(v) = r.get("numfig", "a bool", |v| {
        v.truthy()
            .filter(|_| matches!(v, Value::Bool(_) | Value::Int(_)))
    }) {
        s.numfig = v;
    }
    if let Some(v) = r.string_map("numfig_format") {
        s.numfig_format = v;
    }
    let depth = |v: &Value| match v {
        Value::Int(i) => u32::try_from(*i).ok(),
        _ => None,
    };
    if let Some(v) = r.get("numfig_secnum_depth", "a non-negative int", depth) {
        s.numfig_secnum_depth = v;
    }
    if let Some(v) = r.string("today") {
        s.today = v;
    }
    if let Some(v) = r.string("today_fmt") {
        s.today_fmt = v;
    }
    // Sphinx 5+ reads `language = None` as English.
    if let Some(v) = r.optional_string("language") {
        s.language = v.unwrap_or_else(|| "en".into());
    }
    if let Some(v) = r.string("html_secnumber_suffix") {
        s.html_secnumber_suffix = v;
    }
    if let Some(v) = r.optional_string("html_title") {
        s.html_title = v;
    }
    if let Some(v) = r.strings("html_static_path") {
        s.html_static_path = v;
    }
    if let Some(v) = r.optional_string("manpages_url") {
        s.manpages_url = v.unwrap_or_default();
    }
    if let Some(v) = r.strings("extensions") {
        s.extensions = v;
    }
    if let Some(v) = r.strings("suppress_warnings") {
        s.suppress_warnings = v;
    }
    r.warn_extensions(&s.extensions);
    s.tags.extend(r.interp.tags.iter().cloned());
    s.apply_overrides(overrides);
    s
}

struct Reader<'i, 'a> {
    interp: &'i mut Interp<'a>,
    overrides: &'i SphinxOverrides,
    warned: Vec<Rc<Unknown>>,
}

impl Reader<'_, '_> {
    /// The setting `name` converted by `convert`; `None` (keep the default)
    /// when conf.py does not set it, when its value is unknown or of the
    /// wrong type (each a warning, unless book.toml overrides the key).
    fn get<T>(
        &mut self,
        name: &str,
        expected: &str,
        convert: impl Fn(&Value) -> Option<T>,
    ) -> Option<T> {
        let binding = self.interp.globals.get(name)?.clone();
        if let Some(unknown) = binding.value.find_unknown() {
            self.warn_unknown(name, unknown);
            return None;
        }
        if let Some(v) = convert(&binding.value) {
            return Some(v);
        }
        if !self.overrides.sets(name) {
            let d = Diagnostic::warning(
                "conf-py-type",
                format!(
                    "`{name}` should be {expected}, not {}; kbgen keeps the default",
                    binding.value.type_name()
                ),
            )
            .with_help(help(name));
            self.interp.diags.push(self.interp.locate(d, binding.range));
        }
        None
    }

    fn warn_unknown(&mut self, name: &str, unknown: Rc<Unknown>) {
        if self.overrides.sets(name) || self.warned.iter().any(|w| Rc::ptr_eq(w, &unknown)) {
            return;
        }
        let d = Diagnostic::warning(
            "conf-py-unevaluated",
            format!("kbgen cannot evaluate `{name}`: {}", unknown.reason),
        )
        .with_help(help(name));
        self.interp.diags.push(self.interp.locate(d, unknown.range));
        self.warned.push(unknown);
    }

    fn string(&mut self, name: &str) -> Option<String> {
        self.get(name, "a str", |v| match v {
            Value::Str(s) => Some(s.clone()),
            _ => None,
        })
    }

    fn optional_string(&mut self, name: &str) -> Option<Option<String>> {
        self.get(name, "a str or None", |v| match v {
            Value::Str(s) => Some(Some(s.clone())),
            Value::None => Some(None),
            _ => None,
        })
    }

    fn strings(&mut self, name: &str) -> Option<Vec<String>> {
        self.get(name, "a list of str", |v| match v {
            Value::List(items) | Value::Tuple(items) => items
                .iter()
                .map(|i| match i {
                    Value::Str(s) => Some(s.clone()),
                    _ => None,
                })
                .collect(),
            _ => None,
        })
    }

    fn string_map(&mut self, name: &str) -> Option<BTreeMap<String, String>> {
        self.get(name, "a dict of str to str", str_dict)
    }

    /// `source_suffix`: a str, a list of str (each reStructuredText), or a dict.
    fn source_suffix(&mut self) -> Option<BTreeMap<String, String>> {
        let rst = |s: &str| (s.to_string(), "restructuredtext".to_string());
        self.get("source_suffix", "a str, list or dict", |v| match v {
            Value::Str(s) => Some(BTreeMap::from([rst(s)])),
            Value::List(items) | Value::Tuple(items) => items
                .iter()
                .map(|i| match i {
                    Value::Str(s) => Some(rst(s)),
                    _ => None,
                })
                .collect(),
            Value::Dict(_) => str_dict(v),
            _ => None,
        })
    }

    fn warn_extensions(&mut self, extensions: &[String]) {
        if self.overrides.sets("extensions") {
            return;
        }
        let fallback = self
            .interp
            .globals
            .get("extensions")
            .map(|b| b.range)
            .unwrap_or_default();
        for name in extensions {
            if extensions::ignored_known(name).is_some() {
                continue;
            }
            let range = literal_range(&self.interp.src.text, name).unwrap_or(fallback);
            let d = Diagnostic::warning(
                "conf-py-extension",
                format!(
                    "kbgen does not implement the Sphinx extension `{name}`; its directives and roles are unknown"
                ),
            );
            self.interp.diags.push(self.interp.locate(d, range));
        }
    }
}

fn help(name: &str) -> String {
    format!(
        "set `{}` in the [sphinx] table of book.toml instead",
        override_key(name)
    )
}

fn str_dict(v: &Value) -> Option<BTreeMap<String, String>> {
    match v {
        Value::Dict(d) => d
            .iter()
            .map(|(k, v)| match (k, v) {
                (Value::Str(k), Value::Str(v)) => Some((k.clone(), v.clone())),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

/// Where `name` is written as a string literal in conf.py, for pointing at
/// an extension's entry.
fn literal_range(text: &str, name: &str) -> Option<TextRange> {
    ["'", "\""].iter().find_map(|q| {
        let needle = format!("{q}{name}{q}");
        let at = text.find(&needle)?;
        let start = TextSize::try_from(at).ok()?;
        let end = TextSize::try_from(at + needle.len()).ok()?;
        Some(TextRange::new(start, end))
    })
}
