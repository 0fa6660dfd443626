//! Sphinx's `conf.py`, read and never executed.
//!
//! conf.py is parsed with ruff's Python parser (`ruff_python_parser`) and a
//! small evaluator ([`interp`], [`expr`], [`calls`]) interprets the
//! statements that compute settings: assignments (`+=`, unpacking), string
//! building (`+`, `%`, `.format`, f-strings, str methods), lists, dicts,
//! `os.path`, `os.environ.get` / `os.getenv` (the real environment, as
//! Sphinx reads it), `sys.path` edits (ignored), `try: import x / except
//! ImportError:` (the except branch for modules kbgen lacks), `if` on what
//! it can evaluate, and `open(path).read()` / `f.readline()` of files under
//! the include root. Function definitions are recorded, never called.
//! Whatever it cannot evaluate is [`value::Value::Unknown`]; a setting that
//! ends up unknown is a warning at the cause naming the `[sphinx]` key of
//! book.toml to set instead ([`settings`]).
//!
//! Parser choice, measured on this 2-core machine while other builds ran
//! (load 3 to 8), on the same input: QEMU 7.2's conf.py (11 KB) and a
//! generated 10 MB conf.py of assignments, ifs, trys and defs. Build: a
//! clean release build of a crate holding only the parser, CPU seconds
//! (user + sys) and wall time of two runs; parse: mean time and peak RSS.
//!
//! | crate                     | build CPU | build wall   | QEMU conf.py | 10 MB file     |
//! |---------------------------|-----------|--------------|--------------|----------------|
//! | ruff_python_parser 0.0.10 | 117 s     | 184 / 327 s  | 0.16 ms      | 0.53 s, 219 MB |
//! | rustpython-parser 0.4.0   | 144 s     | 227 / 389 s  | 0.76 ms      | 2.8 s, 303 MB  |
//! | tree-sitter-python 0.25   | 68 s      | 62 / 182 s   | 1.29 ms      | 5.7 s, 709 MB  |
//!
//! ruff's is 5-10x faster with a third of tree-sitter's memory, gives a
//! typed AST with decoded strings and f-string parts (tree-sitter gives a
//! concrete tree whose literals kbgen would decode itself), and reports
//! each syntax error at its place (kbgen adds CPython's "'(' was never
//! closed"). Its extra build time, about 50 CPU seconds more than
//! tree-sitter's, is paid once per clean build, never on an incremental
//! one. Reading all of the 10 MB file (guard, parse, evaluate) takes 1.5 s
//! and 232 MB. It is pinned: ruff's crates are internal (0.0.x), and 0.0.20
//! needs Rust 1.97. On `x = ----...1` a million deep, ruff's and
//! rustpython's parsers overflow the stack (ruff's after growing it to
//! 940 MB; tree-sitter's parses it); [`guard`] refuses such nesting first.

mod calls;
mod expr;
mod extensions;
mod guard;
mod host;
mod interp;
mod modules;
mod names;
mod ops;
mod paths;
mod settings;
mod str_methods;
mod strings;
mod value;

use std::path::{Path, PathBuf};

pub use host::EnvLookup;

use crate::config::sphinx::SphinxSettings;
use crate::config::sphinx_overrides::SphinxOverrides;
use crate::diag::Diagnostic;
use crate::source::SourceFile;

/// Stack for parsing and evaluating: ample for the nesting [`guard`]
/// allows, whatever thread the caller runs on (only touched pages count).
const EVAL_STACK: usize = 256 * 1024 * 1024;

/// Reads `conf.py` at `path` into settings. `include_root` bounds the files it may read
/// (`open(...)`/`f.read()`): outside it is an error diagnostic, nothing read.
pub fn read_conf_py(
    path: &Path,
    include_root: &Path,
) -> Result<(SphinxSettings, Vec<Diagnostic>), Diagnostic> {
    let env = |name: &str| std::env::var(name).ok();
    read_conf_py_with(path, include_root, &SphinxOverrides::default(), &env)
}

/// [`read_conf_py`] with book.toml's `[sphinx]` overrides applied (no
/// warning about a value they replace) and the environment conf.py sees.
pub fn read_conf_py_with(
    path: &Path,
    include_root: &Path,
    overrides: &SphinxOverrides,
    env: EnvLookup<'_>,
) -> Result<(SphinxSettings, Vec<Diagnostic>), Diagnostic> {
    let src = SourceFile::read(path, path)?;
    guard::check_nesting(&src)?;
    let conf_path = path
        .canonicalize()
        .unwrap_or_else(|_| host::lexical_normal(&absolute(path)));
    let conf_dir = conf_path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let include_root = include_root
        .canonicalize()
        .unwrap_or_else(|_| host::lexical_normal(&absolute(include_root)));
    let host = host::Host {
        conf_path,
        conf_dir,
        include_root,
        env,
    };
    let work = || evaluate(&src, &host, overrides);
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .stack_size(EVAL_STACK)
            .spawn_scoped(scope, work);
        match worker {
            Ok(handle) => handle.join().unwrap_or_else(|_| {
                Err(
                    Diagnostic::error("conf-py-internal", "kbgen failed while reading conf.py")
                        .in_file(path),
                )
            }),
            // No thread to be had: evaluate here (the guard still bounds depth).
            Err(_) => work(),
        }
    })
}

fn evaluate(
    src: &SourceFile,
    host: &host::Host<'_>,
    overrides: &SphinxOverrides,
) -> Result<(SphinxSettings, Vec<Diagnostic>), Diagnostic> {
    let parsed = ruff_python_parser::parse_module(&src.text).map_err(|e| {
        let (start, end) = (e.location.start().to_usize(), e.location.end().to_usize());
        match guard::unclosed_bracket_before(src, start) {
            Some(at) => {
                let bracket = &src.text[at..at + 1];
                Diagnostic::error(
                    "conf-py-syntax",
                    format!("conf.py is not valid Python: '{bracket}' was never closed"),
                )
                .at(src, at, at + 1)
                .with_help(format!("the parser stopped later: {}", e.error))
            }
            None => Diagnostic::error(
                "conf-py-syntax",
                format!("conf.py is not valid Python: {}", e.error),
            )
            .at(src, start, end),
        }
    })?;
    // conf.py sees only the tags given on the command line: Sphinx adds the
    // builder's (`html`, `format_html`, `builder_html`) after reading it.
    let mut interp = interp::Interp::new(src, host, Default::default());
    interp.run_module(&parsed.syntax().body)?;
    let settings = settings::collect(&mut interp, overrides);
    Ok((settings, interp.diags))
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// The include root for a conf.py: the folder holding `.git` that contains it (walk up), else its folder.
pub fn default_include_root(conf_path: &Path) -> PathBuf {
    let conf = conf_path
        .canonicalize()
        .unwrap_or_else(|_| absolute(conf_path));
    let folder = conf.parent().map(Path::to_path_buf).unwrap_or_default();
    folder
        .ancestors()
        .find(|dir| dir.join(".git").exists())
        .map(Path::to_path_buf)
        .unwrap_or(folder)
}
