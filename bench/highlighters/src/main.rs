//! One candidate highlighter (chosen by cargo feature) on kbgen's samples.
//!
//! `speed`: lines per second per language, highlighting the sample (one
//! typical block) over and over for at least 0.3 s after one warm-up call.
//! `first LANG`: in a fresh process, the time to load the candidate's
//! grammars and then the time of the first block of LANG (grammar or query
//! compilation happens there). Output: `language<TAB>metric<TAB>value` lines.

use std::time::Instant;

macro_rules! samples {
    ($($lang:literal => $file:literal),* $(,)?) => {
        &[$(($lang, include_str!(concat!("../../../tests/highlight/samples/", $file)))),*]
    };
}

const SAMPLES: &[(&str, &str)] = samples! {
    "console" => "console.console", "bash" => "bash.sh", "c" => "c.c", "cpp" => "cpp.cpp",
    "python" => "python.py", "json" => "json.json", "yaml" => "yaml.yaml", "ini" => "ini.ini",
    "toml" => "toml.toml", "diff" => "diff.diff", "makefile" => "makefile.mk", "rust" => "rust.rs",
    "xml" => "xml.xml", "go" => "go.go", "javascript" => "javascript.js",
};

/// Highlights one block; returns the number of tokens or events, or `None`
/// when the candidate has no grammar for the language.
type Run = Box<dyn FnMut(&str, &str) -> Option<usize>>;

#[cfg(feature = "syntect-fancy")]
const NAME: &str = "syntect (fancy-regex)";
#[cfg(feature = "syntect-onig")]
const NAME: &str = "syntect (onig)";
#[cfg(feature = "giallo")]
const NAME: &str = "giallo";
#[cfg(feature = "tree-sitter")]
const NAME: &str = "tree-sitter-highlight";
#[cfg(not(any(
    feature = "syntect-fancy",
    feature = "syntect-onig",
    feature = "giallo",
    feature = "tree-sitter"
)))]
const NAME: &str = "none";

#[cfg(any(feature = "syntect-fancy", feature = "syntect-onig"))]
fn load() -> Run {
    use syntect::parsing::{ParseState, ScopeStack, SyntaxSet};
    let set = SyntaxSet::load_defaults_newlines();
    Box::new(move |lang, code| {
        let token = match lang {
            "console" | "bash" => "sh",
            "python" => "py",
            "ini" | "toml" => return None,
            other => other,
        };
        let syntax = set.find_syntax_by_token(token)?;
        let mut state = ParseState::new(syntax);
        let mut stack = ScopeStack::new();
        let mut n = 0;
        for line in syntect::util::LinesWithEndings::from(code) {
            for (_, op) in state.parse_line(line, &set).ok()? {
                stack.apply(&op).ok()?;
                n += 1;
            }
        }
        Some(n)
    })
}

#[cfg(feature = "giallo")]
fn load() -> Run {
    use giallo::{HighlightOptions, Registry, ThemeVariant};
    let mut registry = Registry::builtin().expect("giallo's built-in registry");
    registry.link_grammars();
    Box::new(move |lang, code| {
        let name = match lang {
            "console" => "shellsession",
            "bash" => "shellscript",
            "makefile" => "make",
            other => other,
        };
        let options = HighlightOptions::new(name, ThemeVariant::Single("github-light"));
        let out = registry.highlight(code, &options).ok()?;
        Some(out.tokens.iter().map(Vec::len).sum())
    })
}

#[cfg(feature = "tree-sitter")]
fn load() -> Run {
    use std::collections::HashMap;
    use tree_sitter_highlight::{HighlightConfiguration, Highlighter};
    const NAMES: &[&str] = &[
        "attribute", "comment", "constant", "constant.builtin", "constructor", "embedded",
        "function", "function.builtin", "keyword", "label", "module", "number", "operator",
        "property", "punctuation", "string", "string.special", "tag", "type", "type.builtin",
        "variable", "variable.builtin", "variable.parameter", "escape", "boolean",
    ];
    let mut configs: HashMap<&'static str, HighlightConfiguration> = HashMap::new();
    let mut highlighter = Highlighter::new();
    Box::new(move |lang, code| {
        if !configs.contains_key(lang) {
            let cpp_query;
            let (language, query) = match lang {
                "bash" => (tree_sitter_bash::LANGUAGE.into(), tree_sitter_bash::HIGHLIGHT_QUERY),
                "c" => (tree_sitter_c::LANGUAGE.into(), tree_sitter_c::HIGHLIGHT_QUERY),
                "cpp" => {
                    // C++'s query extends C's.
                    cpp_query = format!(
                        "{}\n{}",
                        tree_sitter_cpp::HIGHLIGHT_QUERY,
                        tree_sitter_c::HIGHLIGHT_QUERY
                    );
                    (tree_sitter_cpp::LANGUAGE.into(), cpp_query.as_str())
                }
                "python" => (tree_sitter_python::LANGUAGE.into(), tree_sitter_python::HIGHLIGHTS_QUERY),
                "json" => (tree_sitter_json::LANGUAGE.into(), tree_sitter_json::HIGHLIGHTS_QUERY),
                "rust" => (tree_sitter_rust::LANGUAGE.into(), tree_sitter_rust::HIGHLIGHTS_QUERY),
                "go" => (tree_sitter_go::LANGUAGE.into(), tree_sitter_go::HIGHLIGHTS_QUERY),
                "javascript" => (
                    tree_sitter_javascript::LANGUAGE.into(),
                    tree_sitter_javascript::HIGHLIGHT_QUERY,
                ),
                "yaml" => (tree_sitter_yaml::LANGUAGE.into(), tree_sitter_yaml::HIGHLIGHTS_QUERY),
                "xml" => (tree_sitter_xml::LANGUAGE_XML.into(), tree_sitter_xml::XML_HIGHLIGHT_QUERY),
                "toml" => (tree_sitter_toml_ng::LANGUAGE.into(), tree_sitter_toml_ng::HIGHLIGHTS_QUERY),
                "makefile" => (tree_sitter_make::LANGUAGE.into(), tree_sitter_make::HIGHLIGHTS_QUERY),
                "diff" => (tree_sitter_diff::LANGUAGE.into(), tree_sitter_diff::HIGHLIGHTS_QUERY),
                _ => return None,
            };
            let mut config = HighlightConfiguration::new(language, lang, query, "", "").ok()?;
            config.configure(NAMES);
            configs.insert(SAMPLES.iter().find(|(l, _)| *l == lang)?.0, config);
        }
        let config = &configs[lang];
        let events = highlighter.highlight(config, code.as_bytes(), None, None, |_| None).ok()?;
        let mut n = 0;
        for event in events {
            event.ok()?;
            n += 1;
        }
        Some(n)
    })
}

#[cfg(not(any(
    feature = "syntect-fancy",
    feature = "syntect-onig",
    feature = "giallo",
    feature = "tree-sitter"
)))]
fn load() -> Run {
    Box::new(|_, code| Some(code.len()))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("name") => println!("{NAME}"),
        Some("first") => {
            let lang = args.get(1).expect("first LANG");
            let code = SAMPLES.iter().find(|(l, _)| l == lang).expect("a sample").1;
            let t = Instant::now();
            let mut run = load();
            let loaded = t.elapsed();
            let t = Instant::now();
            let known = run(lang, code).is_some();
            let first = t.elapsed();
            println!("{lang}\tload_ms\t{:.2}", loaded.as_secs_f64() * 1e3);
            if known {
                println!("{lang}\tfirst_ms\t{:.2}", first.as_secs_f64() * 1e3);
            }
        }
        Some("speed") => {
            let mut run = load();
            for (lang, code) in SAMPLES {
                if run(lang, code).is_none() {
                    continue;
                }
                let lines = code.lines().count();
                let t = Instant::now();
                let mut blocks = 0;
                while blocks < 3 || t.elapsed().as_secs_f64() < 0.3 {
                    std::hint::black_box(run(lang, std::hint::black_box(code)));
                    blocks += 1;
                }
                let per_s = (blocks * lines) as f64 / t.elapsed().as_secs_f64();
                println!("{lang}\tlines_per_s\t{per_s:.0}");
            }
        }
        _ => eprintln!("usage: kbgen-highlighter-candidates name | first LANG | speed"),
    }
}
