//! conf.py read without running it, checked against what Python makes of
//! the same files (goldens recorded by `tests/conf_py/record-goldens`), and
//! the bad inputs: syntax errors, reads outside the include root, missing
//! files, huge values, deep nesting and a 10 MB conf.py.

#![allow(clippy::result_large_err)] // as in the library: Diagnostic is the error type

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use kbgen::config::conf_py::{default_include_root, read_conf_py, read_conf_py_with};
use kbgen::config::{SphinxOverrides, SphinxSettings};
use kbgen::diag::{Diagnostic, Severity};
use serde_json::Value as Json;

fn cases() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conf_py")
}

/// The environment the goldens were recorded with (see record-goldens).
fn test_env(name: &str) -> Option<String> {
    (name == "KBGEN_TEST_PREFIX").then(|| "/opt/kbgen".to_string())
}

fn read_case(case: &str, overrides: &SphinxOverrides) -> (SphinxSettings, Vec<Diagnostic>) {
    let root = cases().join(case);
    read_conf_py_with(&root.join("docs/conf.py"), &root, overrides, &test_env)
        .expect("conf.py reads")
}

/// kbgen's value of a setting, as JSON in the golden's shape.
fn setting_json(s: &SphinxSettings, key: &str) -> Json {
    let str_list = |v: &[String]| Json::from(v.to_vec());
    let map = |m: &BTreeMap<String, String>| serde_json::to_value(m).unwrap();
    let opt = |o: &Option<String>| o.clone().map_or(Json::Null, Json::from);
    match key {
        "project" => s.project.clone().into(),
        "version" => s.version.clone().into(),
        "release" => s.release.clone().into(),
        "root_doc" => s.root_doc.clone().into(),
        "exclude_patterns" => str_list(&s.exclude_patterns),
        "source_suffix" => map(&s.source_suffix),
        "rst_prolog" => s.rst_prolog.clone().into(),
        "rst_epilog" => s.rst_epilog.clone().into(),
        "default_role" => opt(&s.default_role),
        "primary_domain" => opt(&s.primary_domain),
        "highlight_language" => s.highlight_language.clone().into(),
        "numfig" => s.numfig.into(),
        "numfig_format" => map(&s.numfig_format),
        "numfig_secnum_depth" => s.numfig_secnum_depth.into(),
        "today" => s.today.clone().into(),
        "today_fmt" => s.today_fmt.clone().into(),
        "language" => s.language.clone().into(),
        "html_title" => opt(&s.html_title),
        "html_static_path" => str_list(&s.html_static_path),
        "manpages_url" => s.manpages_url.clone().into(),
        "extensions" => str_list(&s.extensions),
        "tags" => {
            let defaults = SphinxSettings::default().tags;
            Json::from(s.tags.difference(&defaults).cloned().collect::<Vec<_>>())
        }
        other => panic!("no setting {other}"),
    }
}

fn unevaluated(case: &str) -> Vec<String> {
    let text = std::fs::read_to_string(cases().join(case).join("expected-unevaluated.txt"))
        .unwrap_or_default();
    text.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// Every case's settings equal what Python computed, except the ones
/// listed in its expected-unevaluated.txt, which keep Sphinx's default and
/// get a warning naming them.
fn check_case(case: &str) {
    let case_dir = cases().join(case).canonicalize().unwrap();
    let golden_text = std::fs::read_to_string(case_dir.join("expected.json")).unwrap();
    let golden_text = golden_text.replace("{case}", &case_dir.to_string_lossy());
    let golden: BTreeMap<String, Json> = serde_json::from_str(&golden_text).unwrap();
    let (settings, diags) = read_case(case, &SphinxOverrides::default());
    let skipped = unevaluated(case);
    let defaults = SphinxSettings::default();
    for (key, expected) in &golden {
        if skipped.contains(key) {
            assert_eq!(
                setting_json(&settings, key),
                setting_json(&defaults, key),
                "{case}: {key} keeps its default"
            );
            let warned = diags.iter().any(|d| {
                d.code == "conf-py-unevaluated" && d.message.contains(&format!("`{key}`"))
            });
            assert!(warned, "{case}: no warning for {key}: {diags:#?}");
            continue;
        }
        assert_eq!(
            &setting_json(&settings, key),
            expected,
            "{case}: setting {key}"
        );
    }
    let unevaluated_warnings = diags
        .iter()
        .filter(|d| d.code == "conf-py-unevaluated")
        .count();
    assert_eq!(unevaluated_warnings, skipped.len(), "{case}: {diags:#?}");
    assert_eq!(
        settings.conf_path.as_deref(),
        Some(case_dir.join("docs/conf.py").as_path())
    );
}

#[test]
fn idioms_match_what_python_computes() {
    check_case("idioms");
}

#[test]
fn control_flow_and_containers_match_what_python_computes() {
    check_case("control");
}

#[test]
fn idioms_warn_only_about_what_kbgen_lacks() {
    let (_, diags) = read_case("idioms", &SphinxOverrides::default());
    let mut extension_warnings: Vec<&str> = diags
        .iter()
        .filter(|d| d.code == "conf-py-extension")
        .map(|d| d.message.as_str())
        .collect();
    extension_warnings.sort();
    assert_eq!(extension_warnings.len(), 3, "{extension_warnings:#?}");
    for name in ["appended_ext", "kbgen_custom_ext", "later_ext"] {
        assert!(
            extension_warnings
                .iter()
                .any(|m| m.contains(&format!("`{name}`"))),
            "{name}"
        );
    }
    // The unknown extension is pointed at where conf.py names it.
    let custom = diags
        .iter()
        .find(|d| d.message.contains("`kbgen_custom_ext`"))
        .unwrap();
    let loc = custom.location.as_ref().unwrap();
    assert_eq!(
        custom.source_line.as_deref(),
        Some("extensions = [\"sphinx.ext.mathjax\", \"kbgen_custom_ext\"]")
    );
    assert_eq!(loc.column, 37);
    // html_title comes from a function conf.py defines: one warning, at the
    // call, naming the book.toml key.
    let title = diags
        .iter()
        .find(|d| d.code == "conf-py-unevaluated")
        .unwrap();
    assert!(title.message.contains("make_title"), "{}", title.message);
    assert_eq!(
        title.help.as_deref(),
        Some("set `html-title` in the [sphinx] table of book.toml instead")
    );
    assert_eq!(
        title.source_line.as_deref(),
        Some("html_title = make_title()")
    );
    assert_eq!(diags.len(), 4, "{diags:#?}");
    assert!(diags.iter().all(|d| d.severity == Severity::Warning));
}

#[test]
fn overrides_replace_values_and_silence_their_warnings() {
    let overrides: SphinxOverrides =
        toml::from_str("html-title = \"Set in book.toml\"\nextensions = []\nproject = \"Other\"\n")
            .unwrap();
    let (settings, diags) = read_case("idioms", &overrides);
    assert_eq!(settings.html_title.as_deref(), Some("Set in book.toml"));
    assert_eq!(settings.project, "Other");
    assert!(settings.extensions.is_empty());
    assert!(diags.is_empty(), "{diags:#?}");
}

/// Writes `text` as conf.py in a fresh folder under the target dir.
fn scratch(name: &str, text: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("conf_py")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("docs")).unwrap();
    let conf = dir.join("docs/conf.py");
    std::fs::write(&conf, text).unwrap();
    conf
}

fn read_scratch(name: &str, text: &str) -> Result<(SphinxSettings, Vec<Diagnostic>), Diagnostic> {
    let conf = scratch(name, text);
    read_conf_py(&conf, conf.parent().unwrap())
}

#[test]
fn syntax_error_is_an_error_at_its_line() {
    let conf = cases().join("bad/syntax_error.py");
    let err = read_conf_py(&conf, conf.parent().unwrap()).unwrap_err();
    assert_eq!(err.severity, Severity::Error);
    assert_eq!(err.code, "conf-py-syntax");
    // Python: "SyntaxError: '[' was never closed" at line 3, column 14.
    let loc = err.location.as_ref().unwrap();
    assert_eq!((loc.line, loc.column), (3, 14), "{err:?}");
    assert!(
        err.message.ends_with("'[' was never closed"),
        "{}",
        err.message
    );
}

#[test]
fn reading_outside_the_include_root_reads_nothing() {
    let conf = scratch(
        "outside",
        "rst_epilog = open('../secret.txt').read()\nproject = 'P'\n",
    );
    std::fs::write(
        conf.parent().unwrap().parent().unwrap().join("secret.txt"),
        "SECRET",
    )
    .unwrap();
    let (settings, diags) = read_conf_py(&conf, conf.parent().unwrap()).unwrap();
    assert_eq!(settings.rst_epilog, "");
    assert_eq!(settings.project, "P");
    let err = diags
        .iter()
        .find(|d| d.code == "conf-py-outside-root")
        .expect("error diagnostic");
    assert_eq!(err.severity, Severity::Error);
    assert_eq!(err.location.as_ref().unwrap().line, 1);
    assert!(!diags.iter().any(|d| d.message.contains("SECRET")));
    // A symlink inside the root that points out of it is refused too.
    #[cfg(unix)]
    {
        let docs = conf.parent().unwrap();
        std::os::unix::fs::symlink("../secret.txt", docs.join("link.txt")).unwrap();
        std::fs::write(&conf, "rst_epilog = open('link.txt').read()\n").unwrap();
        let (settings, diags) = read_conf_py(&conf, docs).unwrap();
        assert_eq!(settings.rst_epilog, "");
        assert!(
            diags.iter().any(|d| d.code == "conf-py-outside-root"),
            "{diags:#?}"
        );
    }
}

#[test]
fn a_missing_file_is_a_warning_and_raises_as_python_does() {
    let text = "try:\n    v = open('NOPE').read()\nexcept IOError:\n    v = 'fallback'\nversion = v\nrelease = open('ALSO-MISSING').read()\nproject = 'still read'\n";
    let (settings, diags) = read_scratch("missing", text).unwrap();
    assert_eq!(settings.version, "fallback");
    assert_eq!(settings.project, "still read");
    let missing: Vec<_> = diags
        .iter()
        .filter(|d| d.code == "conf-py-missing-file")
        .collect();
    assert_eq!(missing.len(), 2, "{diags:#?}");
    assert!(missing.iter().all(|d| d.severity == Severity::Warning));
    assert_eq!(missing[1].location.as_ref().unwrap().line, 6);
    // The uncaught FileNotFoundError skips its statement, with a warning.
    assert!(
        diags
            .iter()
            .any(|d| d.code == "conf-py-exception" && d.message.contains("FileNotFoundError"))
    );
}

#[test]
fn huge_repetition_is_a_diagnostic_not_an_allocation() {
    let start = Instant::now();
    let (settings, diags) = read_scratch(
        "huge",
        "rst_epilog = 'a' * 10**12\nexclude_patterns = ['x'] * 10**10\nproject = 'ok'\n",
    )
    .unwrap();
    assert!(start.elapsed() < Duration::from_secs(5));
    assert_eq!(settings.rst_epilog, "");
    assert_eq!(settings.project, "ok");
    let too_large = diags
        .iter()
        .filter(|d| d.code == "conf-py-too-large")
        .count();
    assert_eq!(too_large, 2, "{diags:#?}");
}

#[test]
fn runaway_loops_stop_at_the_work_budget() {
    let err = read_scratch("loop", "x = 'a'\nwhile True:\n    x = x + 'a'\n").unwrap_err();
    assert_eq!(err.code, "conf-py-too-complex");
    assert_eq!(err.location.unwrap().line, 3);
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    for (name, text) in [
        ("unary", format!("x = {}1\n", "-".repeat(1_000_000))),
        (
            "parens",
            format!("x = {}1{}\n", "(".repeat(100_000), ")".repeat(100_000)),
        ),
        (
            "lists",
            format!("x = {}{}\n", "[".repeat(100_000), "]".repeat(100_000)),
        ),
        ("attrs", format!("x = a{}\n", ".b".repeat(200_000))),
    ] {
        let err = read_scratch(&format!("deep-{name}"), &text).unwrap_err();
        assert_eq!(err.code, "conf-py-too-deep", "{name}");
        assert_eq!(err.location.unwrap().line, 1, "{name}");
    }
    // Nesting Python allows still evaluates.
    let text = format!("project = {}'deep'{}\n", "(".repeat(150), ")".repeat(150));
    assert_eq!(read_scratch("deep-ok", &text).unwrap().0.project, "deep");
}

#[test]
fn ten_megabytes_of_conf_py_read_in_bounded_time() {
    let mut text = String::from("import os\nextensions = []\n");
    let mut i = 0;
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(&format!(
            "name_{i} = 'value %d' % {i} + 'x' * 3\nif name_{i}.startswith('value'):\n    extensions += ['ext_{i}']\ntry:\n    import mod_{i}\nexcept ImportError:\n    mod_{i} = None\ndef helper_{i}(a):\n    return a\n"
        ));
        i += 1;
    }
    text.push_str("extensions = extensions[:2]\nproject = name_7\n");
    let start = Instant::now();
    let (settings, _) = read_scratch("big", &text).unwrap();
    let took = start.elapsed();
    eprintln!("10 MB conf.py: {took:?}");
    assert_eq!(settings.project, "value 7xxx");
    assert_eq!(settings.extensions, ["ext_0", "ext_1"]);
    assert!(took < Duration::from_secs(20), "took {took:?}");
}

#[test]
fn include_root_is_the_repository_holding_conf_py() {
    // Outside this repository's worktree, which has a `.git` of its own.
    let repo = std::env::temp_dir().join(format!("kbgen-conf-py-root-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&repo);
    std::fs::create_dir_all(repo.join("docs")).unwrap();
    let conf = repo.join("docs/conf.py");
    std::fs::write(&conf, "project = 'x'\n").unwrap();
    assert_eq!(
        default_include_root(&conf),
        conf.parent().unwrap().canonicalize().unwrap()
    );
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    assert_eq!(default_include_root(&conf), repo.canonicalize().unwrap());
    std::fs::remove_dir_all(&repo).unwrap();
}

/// QEMU 7.2's own conf.py, read where `get-qemu-docs` puts it (it is never
/// copied into this repository). Run with
/// `KBGEN_QEMU_DOCS=/tmp/qemu/qemu-7.2.0/docs cargo test --release --test conf_py -- --ignored`.
#[test]
#[ignore]
fn qemu_conf_py_reads_as_sphinx_reads_it() {
    let docs = PathBuf::from(std::env::var("KBGEN_QEMU_DOCS").expect("KBGEN_QEMU_DOCS"));
    let conf = docs.join("conf.py");
    let env = |_: &str| None;
    let (s, diags) = read_conf_py_with(
        &conf,
        &default_include_root(&conf),
        &SphinxOverrides::default(),
        &env,
    )
    .unwrap();
    // What Sphinx 9.0.4 reads (runpy with sphinx_rtd_theme installed).
    assert_eq!(s.project, "QEMU");
    assert_eq!((s.version.as_str(), s.release.as_str()), ("7.2.0", "7.2.0"));
    assert_eq!(s.root_doc, "index");
    assert_eq!(s.default_role.as_deref(), Some("any"));
    assert_eq!(s.exclude_patterns, ["_build", "Thumbs.db", ".DS_Store"]);
    assert_eq!(
        s.extensions,
        [
            "kerneldoc",
            "qmp_lexer",
            "hxtool",
            "depfile",
            "qapidoc",
            "dbusdoc"
        ]
    );
    assert!(
        s.rst_epilog
            .starts_with(".. |CONFDIR| replace:: ``/etc/qemu``\n")
    );
    assert!(
        s.rst_epilog
            .contains(".. |qemu_system| replace:: qemu-system-x86_64\n")
    );
    assert_eq!(
        s.html_static_path,
        [docs
            .canonicalize()
            .unwrap()
            .join("sphinx-static")
            .to_string_lossy()]
    );
    assert!(s.tags.contains("sphinx4"));
    let extension_warnings = diags
        .iter()
        .filter(|d| d.code == "conf-py-extension")
        .count();
    assert_eq!(extension_warnings, 6);
    assert_eq!(diags.len(), 6, "{diags:#?}");
}

#[test]
fn a_raise_in_the_fallback_for_a_missing_module_is_a_warning() {
    let text = "from sphinx.errors import ConfigError\ntry:\n    import kbgen_absent_theme\nexcept ImportError:\n    raise ConfigError('theme missing')\nproject = 'after'\n";
    let (settings, diags) = read_scratch("raise", text).unwrap();
    assert_eq!(settings.project, "after");
    let [d] = diags.as_slice() else {
        panic!("{diags:#?}")
    };
    assert_eq!(d.code, "conf-py-exception");
    assert!(
        d.message.contains("ConfigError") && d.message.contains("theme missing"),
        "{}",
        d.message
    );
    assert_eq!(d.location.as_ref().unwrap().line, 5);
}

#[test]
fn unknown_values_are_warnings_at_their_cause_naming_the_key() {
    let text = "import re\nimport kbgen_absent\nif re.match('x', 'y'):\n    project = 'A'\nelse:\n    project = 'B'\nhtml_title = kbgen_absent.title + ' docs'\nnumfig = 'yes'\nversion = '1'\n";
    let (settings, diags) = read_scratch("unknowns", text).unwrap();
    assert_eq!(settings.project, SphinxSettings::default().project);
    assert_eq!(settings.version, "1");
    let find = |key: &str| {
        diags
            .iter()
            .find(|d| d.message.contains(&format!("`{key}`")))
            .unwrap_or_else(|| panic!("{key}: {diags:#?}"))
    };
    let project = find("project");
    assert_eq!(project.code, "conf-py-unevaluated");
    assert_eq!(
        project.location.as_ref().unwrap().line,
        3,
        "points at the condition"
    );
    assert_eq!(
        project.help.as_deref(),
        Some("set `project` in the [sphinx] table of book.toml instead")
    );
    let title = find("html_title");
    assert!(title.message.contains("kbgen_absent"), "{}", title.message);
    assert_eq!(
        title.location.as_ref().unwrap().line,
        2,
        "points at the import"
    );
    let numfig = find("numfig");
    assert_eq!(numfig.code, "conf-py-type");
    assert_eq!(numfig.location.as_ref().unwrap().line, 8);
    assert_eq!(diags.len(), 3, "{diags:#?}");
}

#[test]
fn sphinx_globals_file_and_tags() {
    let text = "import os\nproject = os.path.basename(os.path.dirname(__file__))\ntags.add('extra')\nif not tags.has('html') and 'extra' in tags:\n    version = 'tagged'\ntoday = ''\n";
    let (settings, diags) = read_scratch("globals", text).unwrap();
    assert!(diags.is_empty(), "{diags:#?}");
    assert_eq!(settings.project, "docs");
    assert_eq!(settings.version, "tagged");
    assert!(settings.tags.contains("extra"));
    // The builder's tags come after conf.py ran, as in Sphinx.
    assert!(settings.tags.contains("html"));
    // An empty `today` stays empty: the caller formats the build date.
    assert_eq!(settings.today, "");
}

#[test]
fn mutated_conf_py_files_never_panic() {
    // Deterministic byte edits of a real-looking conf.py: every result is
    // settings or a diagnostic, never kbgen's internal-failure error.
    let base = std::fs::read_to_string(cases().join("idioms/docs/conf.py")).unwrap();
    let pieces = [
        "(", ")", "[", "'", "\"\"\"", "\n", "    ", ":", "+", "*", "%", "{", "f'{", "\\", "é",
        "10**9", "not ", ".", ",",
    ];
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    for round in 0..200 {
        let mut text = base.clone();
        for _ in 0..1 + round % 4 {
            let mut at = next(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            if next(2) == 0 {
                text.insert_str(at, pieces[next(pieces.len())]);
            } else {
                let mut end = (at + 1 + next(8)).min(text.len());
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                text.replace_range(at..end, "");
            }
        }
        let conf = scratch("mutated", &text);
        match read_conf_py(&conf, &cases().join("idioms")) {
            Ok((_, diags)) => assert!(diags.iter().all(|d| d.location.is_some()), "{text}"),
            Err(d) => {
                assert_ne!(d.code, "conf-py-internal", "round {round}:\n{text}");
                assert!(d.location.is_some());
            }
        }
    }
}

#[test]
fn formatting_never_builds_giant_strings() {
    let text = "a = f'{1:>999999999}'\nb = '{:>999999999}'.format(1)\nc = '%999999999r' % 'x'\nd = 'x'.zfill(10**12)\ns = 'a' * (1 << 25)\ne = s.replace('a', s)\nf = s.join([s, s, s])\ng = list(range(10**12))\nproject = 'ok'\n";
    let start = Instant::now();
    let (settings, _) = read_scratch("giant", text).unwrap();
    assert_eq!(settings.project, "ok");
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
}
