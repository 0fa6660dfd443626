//! The schemas examples are validated against: the passthrough namespaces
//! kbgen ships (embedded `.rng` files from `schemas/`) plus any that
//! `book.toml` `[xml] schemas` adds or replaces.
//!
//! A [`SchemaSet`] is compiled once per build and shared by every page
//! thread; [`SchemaSet::cached`] keeps the last one so `parse_page` can ask
//! for it per page without recompiling.

use std::path::Path;

use relax_ng::{
    DatatypeRegistry, ResolveError, Schema, SchemaResolver, SchemaSource, SchemaSyntax,
};

use super::datatypes::shipped_registry;
use super::hints::Hints;
use crate::config::XmlConfig;
use crate::diag::Diagnostic;

/// The shipped schemas: namespace URI and `.rng` text.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "http://libvirt.org/schemas/domain/qemu/1.0",
        include_str!("../../../schemas/qemu.rng"),
    ),
    (
        "http://libvirt.org/schemas/domain/bhyve/1.0",
        include_str!("../../../schemas/bhyve.rng"),
    ),
    (
        "http://libvirt.org/schemas/domain/xen/1.0",
        include_str!("../../../schemas/xen.rng"),
    ),
    (
        "http://libvirt.org/schemas/domain/lxc/1.0",
        include_str!("../../../schemas/lxc.rng"),
    ),
];

/// One compiled schema for one namespace.
pub struct NamespaceSchema {
    pub namespace: String,
    /// Short label for the rendered badge, e.g. "QEMU passthrough".
    pub label: String,
    /// The conventional prefix (`qemu` for `…/domain/qemu/1.0`), used in
    /// hints about missing declarations.
    pub prefix: String,
    pub schema: Schema,
    /// Datatypes for this schema: a pattern-caching one for the shipped
    /// schemas, relax-ng's full XSD library for book.toml's.
    pub registry: DatatypeRegistry,
    pub hints: Hints,
    /// The schema a lone element of the namespace is checked against
    /// (see [`super::lone`]); `None` for compact-syntax schemas.
    pub lone: Option<LoneSchema>,
}

/// A namespace's lone-element schema and the elements its own grammar
/// starts with (checked against the original instead).
pub struct LoneSchema {
    pub schema: Schema,
    pub start_names: Vec<String>,
}

impl NamespaceSchema {
    /// The schema an outermost element named `local_name` is checked
    /// against: the grammar itself for the elements it starts with,
    /// else the lone-element one.
    pub fn for_root(&self, local_name: &str) -> &Schema {
        match &self.lone {
            Some(l) if !l.start_names.iter().any(|n| n == local_name) => &l.schema,
            _ => &self.schema,
        }
    }
}

impl std::fmt::Debug for NamespaceSchema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NamespaceSchema")
            .field("namespace", &self.namespace)
            .field("label", &self.label)
            .finish_non_exhaustive()
    }
}

/// All schemas of a build, keyed by namespace URI.
#[derive(Debug, Default)]
pub struct SchemaSet {
    pub schemas: Vec<NamespaceSchema>,
}

/// Schemas are self-contained: `include`/`externalRef` are refused so a
/// schema named in book.toml cannot make kbgen read arbitrary files.
struct NoResolver;

impl SchemaResolver for NoResolver {
    fn resolve(&self, href: &str, _base_uri: &str) -> Result<SchemaSource, ResolveError> {
        Err(ResolveError::new(format!(
            "`{href}`: schemas must be self-contained (no include or externalRef)"
        )))
    }
}

impl SchemaSet {
    /// The shipped schemas only. Panic-free: a shipped schema that fails to
    /// compile is skipped (and caught by the tests).
    pub fn builtin() -> SchemaSet {
        let mut set = SchemaSet::default();
        for (ns, text) in BUILTIN {
            if let Ok(s) = compile(ns, text, "builtin.rng", "passthrough", shipped_registry()) {
                set.schemas.push(s);
            }
        }
        set
    }

    /// The shipped schemas plus book.toml's; `root` is the folder of
    /// book.toml (schema paths are relative to it). Problems loading a
    /// configured schema become diagnostics against `config_file`.
    pub fn from_config(
        xml: &XmlConfig,
        root: &Path,
        config_file: &Path,
    ) -> (SchemaSet, Vec<Diagnostic>) {
        let mut set = SchemaSet::builtin();
        let mut diags = Vec::new();
        for (ns, rel) in &xml.schemas {
            let path = root.join(rel);
            let text = match crate::source::read::read_text(&path) {
                Ok(t) => t,
                Err(e) => {
                    let d = Diagnostic::error(
                        "xml-schema-load",
                        format!("cannot read schema {} for `{ns}`: {e}", path.display()),
                    );
                    diags.push(at_config_key(d, config_file, ns));
                    continue;
                }
            };
            let stem = rel
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| ns.clone());
            match compile(
                ns,
                &text,
                &path.display().to_string(),
                &stem,
                DatatypeRegistry::new(),
            ) {
                Ok(s) => {
                    set.schemas.retain(|old| old.namespace != *ns);
                    set.schemas.push(s);
                }
                Err(msg) => {
                    let d = Diagnostic::error(
                        "xml-schema-load",
                        format!(
                            "schema {} for `{ns}` does not compile: {msg}",
                            path.display()
                        ),
                    )
                    .with_help(format!(
                        "the schema is configured in {} under [xml.schemas]",
                        config_file.display()
                    ));
                    diags.push(at_schema_line(d, &path, &text, &msg));
                }
            }
        }
        (set, diags)
    }

    pub fn get(&self, namespace: &str) -> Option<&NamespaceSchema> {
        self.schemas.iter().find(|s| s.namespace == namespace)
    }

    pub fn namespaces(&self) -> impl Iterator<Item = &str> {
        self.schemas.iter().map(|s| s.namespace.as_str())
    }
}

fn compile(
    ns: &str,
    text: &str,
    uri: &str,
    fallback_label: &str,
    registry: DatatypeRegistry,
) -> Result<NamespaceSchema, String> {
    let syntax = if uri.ends_with(".rnc") {
        SchemaSyntax::Compact
    } else {
        SchemaSyntax::Xml
    };
    let source = SchemaSource::new(text, uri, syntax);
    let schema = Schema::compile(&source, &NoResolver).map_err(|e| e.to_string())?;
    let hints = if syntax == SchemaSyntax::Xml {
        Hints::from_rng(text)
    } else {
        Hints::default()
    };
    let lone = if syntax == SchemaSyntax::Xml {
        super::lone::derive(text).and_then(|derived| {
            let source = SchemaSource::new(&derived.schema_text, uri, SchemaSyntax::Xml);
            Schema::compile(&source, &NoResolver)
                .ok()
                .map(|schema| LoneSchema {
                    schema,
                    start_names: derived.start_names,
                })
        })
    } else {
        None
    };
    let label = hints
        .label
        .clone()
        .unwrap_or_else(|| fallback_label.to_string());
    Ok(NamespaceSchema {
        namespace: ns.to_string(),
        label,
        prefix: conventional_prefix(ns),
        schema,
        registry,
        hints,
        lone,
    })
}

/// Points a diagnostic at the `[xml.schemas]` line of `book.toml` that
/// names namespace `ns` (the file alone when it cannot be found).
fn at_config_key(d: Diagnostic, config_file: &Path, ns: &str) -> Diagnostic {
    let Ok(config) = crate::source::SourceFile::read(config_file, config_file) else {
        return d.in_file(config_file);
    };
    let quoted = config
        .text
        .find(&format!("\"{ns}\""))
        .or_else(|| config.text.find(&format!("'{ns}'")));
    match quoted {
        Some(at) => d.at(&config, at, at + ns.len() + 2),
        None => d.in_file(config_file),
    }
}

/// Points a compile error at its line in the schema: the relax-ng crate
/// ends parse errors with `at LINE:COL` and names the offending pattern in
/// backquotes otherwise (then its first `<name` is the place).
fn at_schema_line(d: Diagnostic, path: &Path, text: &str, msg: &str) -> Diagnostic {
    let schema = crate::source::SourceFile::new(path, text);
    let from_position = msg.rsplit_once(" at ").and_then(|(_, pos)| {
        let (line, col) = pos.trim_end_matches('.').split_once(':')?;
        let (line, col): (u32, usize) = (line.parse().ok()?, col.parse().ok()?);
        let start = schema.line_start(line);
        let line_len = schema.line_text(line).len();
        Some(start + col.saturating_sub(1).min(line_len))
    });
    let from_name = || {
        let name = msg.split('`').nth(1)?;
        let at = schema
            .text
            .match_indices(&format!("<{name}"))
            .map(|(i, _)| i)
            .find(|&i| {
                let next = schema.text[i + name.len() + 1..].chars().next();
                next.is_none_or(|c| c.is_whitespace() || c == '>' || c == '/')
            })?;
        Some(at + 1)
    };
    match from_position.or_else(from_name) {
        Some(at) => {
            let end = schema.text[at..]
                .find(['\n', '>'])
                .map_or(schema.text.len(), |n| at + n);
            d.at(&schema, at, end.max(at))
        }
        None => d.in_file(path),
    }
}

/// `http://libvirt.org/schemas/domain/qemu/1.0` → `qemu`: the path segment
/// before the version, which is the prefix libvirt's docs use.
pub fn conventional_prefix(ns: &str) -> String {
    let segs: Vec<&str> = ns.trim_end_matches('/').rsplit('/').collect();
    let pick = match segs.first() {
        Some(v) if v.chars().next().is_some_and(|c| c.is_ascii_digit()) => segs.get(1),
        other => other,
    };
    pick.map(|s| s.to_string())
        .filter(|s| !s.is_empty() && !s.contains(':'))
        .unwrap_or_else(|| "ns".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_schema_compiles_with_a_label() {
        for (ns, text) in BUILTIN {
            let s = compile(ns, text, "x.rng", "?", shipped_registry())
                .unwrap_or_else(|e| panic!("{ns}: {e}"));
            assert!(s.label.ends_with("passthrough"), "{}", s.label);
        }
        assert_eq!(SchemaSet::builtin().schemas.len(), BUILTIN.len());
    }

    #[test]
    fn prefixes_come_from_the_namespace() {
        assert_eq!(
            conventional_prefix("http://libvirt.org/schemas/domain/qemu/1.0"),
            "qemu"
        );
        assert_eq!(conventional_prefix("http://example.org/foo"), "foo");
    }

    #[test]
    fn schema_set_is_shareable_across_threads() {
        fn sync<T: Sync + Send>() {}
        sync::<SchemaSet>();
    }
}
