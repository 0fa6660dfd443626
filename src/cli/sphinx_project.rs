//! `kbgen dump --dialect sphinx --project DIR`: pages dumped as
//! `sphinx-build -b pseudoxml` prints them, with what other pages give
//! them (resolved toctrees, cross-references, citations). Every page of
//! the project is read with the dump's settings, the site build's project
//! model ([`SphinxProject`]) is built from their facts, and each page is
//! resolved by the same code the site build uses
//! ([`crate::site::doctree::resolve_as_doctree`]): the dump and the site
//! cannot disagree on a target.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::ast::Element;
use crate::config::SphinxSettings;
use crate::diag::{Diagnostic, MessageFormat, print_diagnostics};
use crate::site::doctree::{ProjectPage, SphinxProject, facts, resolve_as_doctree};
use crate::site::engine::{SphinxSources, docname};
use crate::source::SourceFile;
use crate::syntax::rst::{RstOptions, parse_document};

use super::{EXIT_FAILURE, EXIT_OK};

/// One page of the project, read and transformed.
pub struct ReadPage {
    /// Path under the project folder (`system/index.rst`).
    pub rel: String,
    pub source: Arc<SourceFile>,
    pub tree: Element,
}

/// The pages of the project in `dir`: every file with a `source_suffix`
/// outside `exclude_patterns`, sorted, each parsed by `parse(source,
/// docname)`. Files that cannot be read are diagnostics.
pub fn read_project(
    dir: &Path,
    settings: &SphinxSettings,
    parse: &(dyn Fn(&SourceFile, &str) -> Element + Sync),
) -> (Vec<ReadPage>, Vec<Diagnostic>) {
    let sources = SphinxSources::new(settings);
    let found = crate::source::discover::discover_pages(dir);
    let mut diags = found.diags;
    diags.extend(found.refused.into_iter().map(|(_, d)| d));
    let rels: Vec<(String, PathBuf)> = found
        .pages
        .into_iter()
        .filter(|p| sources.accepts(&p.rel))
        .map(|p| (p.rel, p.path))
        .collect();
    let read: Vec<Result<ReadPage, Diagnostic>> = rels
        .par_iter()
        .map(|(rel, path)| {
            // Shown as the dump of a single page shows it: relative to `dir`.
            let shown = match dir == Path::new(".") {
                true => PathBuf::from(rel),
                false => path.clone(),
            };
            let source = Arc::new(SourceFile::read(path, &shown)?);
            let tree = parse(&source, docname(rel));
            Ok(ReadPage {
                rel: rel.clone(),
                source,
                tree,
            })
        })
        .collect();
    let mut pages = Vec::new();
    for r in read {
        match r {
            Ok(p) => pages.push(p),
            Err(d) => diags.push(d),
        }
    }
    (pages, diags)
}

/// Resolves every page against the others with the site build's project
/// model; returns the project-wide warnings and each page's.
pub fn resolve_project(settings: Arc<SphinxSettings>, pages: &mut [ReadPage]) -> Vec<Diagnostic> {
    let page_facts: Vec<Arc<facts::DocFacts>> = pages
        .par_iter()
        .map(|p| Arc::new(facts::doc_facts(&p.tree, &p.source)))
        .collect();
    let inputs: Vec<ProjectPage> = pages
        .iter()
        .zip(&page_facts)
        .map(|(p, f)| ProjectPage {
            docname: docname(&p.rel).to_string(),
            facts: f.clone(),
            source: &p.source,
        })
        .collect();
    let project = SphinxProject::build(settings, &inputs);
    drop(inputs);
    let mut diags: Vec<Diagnostic> = project.diags().cloned().collect();
    let page_diags: Vec<Vec<Diagnostic>> = pages
        .par_iter_mut()
        .map(|p| {
            let doc = docname(&p.rel).to_string();
            resolve_as_doctree(&project, &doc, &mut p.tree, &p.source)
        })
        .collect();
    diags.extend(page_diags.into_iter().flatten());
    diags
}

/// `kbgen dump --dialect sphinx --project DIR [--out OUT] [FILE]`: reads
/// every page of `DIR` with `opts`, resolves them, and prints `FILE` (a
/// path under `DIR`) or writes every page to `OUT/<docname>.kbgen`.
pub fn run(
    dir: &Path,
    file: Option<&Path>,
    args: &super::sphinx_dump::SphinxDumpArgs,
    settings: Arc<SphinxSettings>,
    opts: &RstOptions,
    render: &dyn Fn(&Element) -> String,
) -> i32 {
    let parse = |source: &SourceFile, doc: &str| {
        let o = RstOptions {
            source_name: source.path.display().to_string(),
            docname: doc.to_string(),
            source_dir: Some(dir.to_path_buf()),
            ..opts.clone()
        };
        parse_document(source, &o)
    };
    let (mut pages, mut diags) = read_project(dir, &settings, &parse);
    diags.extend(resolve_project(settings, &mut pages));
    print_diagnostics(&diags, MessageFormat::Human);
    let wanted = match (file, &args.out) {
        (_, Some(_)) => None,
        (Some(f), None) => match rel_under(dir, f) {
            Some(rel) => Some(rel),
            None => {
                eprintln!(
                    "kbgen dump: {} is not a page of {}",
                    f.display(),
                    dir.display()
                );
                return EXIT_FAILURE;
            }
        },
        (None, None) => {
            eprintln!("kbgen dump: which page? (or --out DIR for every page)");
            return EXIT_FAILURE;
        }
    };
    let mut found = false;
    for page in &mut pages {
        if wanted.as_ref().is_some_and(|w| *w != page.rel) {
            continue;
        }
        found = true;
        for w in args.resolved_view(&mut page.tree) {
            eprintln!("{w}");
        }
        let text = render(&page.tree);
        let written = match &args.out {
            Some(out) => {
                let path = out.join(format!("{}.kbgen", docname(&page.rel)));
                path.parent()
                    .map_or(Ok(()), std::fs::create_dir_all)
                    .and_then(|()| std::fs::write(&path, text.as_bytes()))
                    .map_err(|e| format!("{}: {e}", path.display()))
            }
            None => std::io::stdout()
                .lock()
                .write_all(text.as_bytes())
                .map_err(|e| e.to_string()),
        };
        if let Err(e) = written {
            eprintln!("kbgen dump: cannot write {e}");
            return EXIT_FAILURE;
        }
    }
    if !found {
        eprintln!("kbgen dump: no page {:?} in {}", wanted, dir.display());
        return EXIT_FAILURE;
    }
    EXIT_OK
}

/// `file` as a path under `dir`, with `/` separators.
fn rel_under(dir: &Path, file: &Path) -> Option<String> {
    let dir = dir.canonicalize().ok()?;
    let file = file.canonicalize().ok()?;
    let rel = file.strip_prefix(&dir).ok()?;
    Some(
        rel.components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
    )
}
