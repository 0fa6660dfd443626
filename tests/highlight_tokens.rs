//! Pins the highlighting of one sample per common language
//! (`tests/highlight/samples/<language>.<ext>`) against the tokens the
//! previous highlighter, syntect with its default grammars, gave for it
//! (`tests/highlight/syntect/<language>.tokens`). Python's sample is
//! skipped: its lexer gives Pygments' tokens exactly, which
//! `tests/highlight_pygments.rs` pins against Pygments itself.
//!
//! The comparison is per byte, whitespace excluded (whitespace looks the same
//! in any class). Every difference must be listed in [`ACCEPTED`] with the
//! reason it is accepted, and every entry there must still occur, so the
//! list says exactly how the highlighting changed.
//!
//! `KBGEN_BLESS_SYNTECT=1 cargo test --release --test highlight_tokens`
//! regenerates the goldens from syntect (kept in kbgen for the languages
//! it has no lexer of its own for).

use kbgen::render::highlight::Highlighter;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[path = "highlight/accepted.rs"]
mod accepted;
use accepted::ACCEPTED;

/// One accepted difference: in `language`, the text `text` (a run of
/// non-blank characters, or `"*"` for any) had class `old` (`"-"`: none)
/// and now has `new`.
pub struct Accepted {
    pub language: &'static str,
    pub text: &'static str,
    pub old: &'static str,
    pub new: &'static str,
    pub reason: &'static str,
}

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/highlight")
}

/// The samples as (language, code), in name order.
fn samples() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir().join("samples"))
        .expect("samples folder")
        .map(|e| {
            let path = e.expect("entry").path();
            let language = path.file_stem().unwrap().to_string_lossy().into_owned();
            (language, std::fs::read_to_string(&path).expect("sample"))
        })
        .collect();
    out.sort();
    out
}

/// Tokens with adjacent pieces of one class merged.
fn tokens_of(
    code: &str,
    produce: impl FnOnce(&mut dyn FnMut(&str, Option<&'static str>)) -> bool,
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let known = produce(&mut |text: &str, class: Option<&'static str>| {
        if text.is_empty() {
            return;
        }
        let class = class.unwrap_or("-").to_string();
        match out.last_mut() {
            Some((c, t)) if *c == class => t.push_str(text),
            _ => out.push((class, text.to_string())),
        }
    });
    if !known {
        return vec![("-".to_string(), code.to_string())];
    }
    let joined: String = out.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(joined, code, "tokens must be exactly the code");
    out
}

fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('\n', "\\n")
        .replace('\t', "\\t")
}

fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// One token per line: `class<TAB>text`, newlines and tabs escaped.
fn write_tokens(tokens: &[(String, String)]) -> String {
    tokens
        .iter()
        .map(|(c, t)| format!("{c}\t{}\n", escape(t)))
        .collect()
}

fn read_tokens(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map(|line| {
            let (class, token) = line.split_once('\t').expect("class<TAB>text");
            (class.to_string(), unescape(token))
        })
        .collect()
}

/// Class of every byte of the tokens' text.
fn byte_classes(tokens: &[(String, String)]) -> Vec<&str> {
    tokens
        .iter()
        .flat_map(|(c, t)| std::iter::repeat_n(c.as_str(), t.len()))
        .collect()
}

/// Differences as (text, old class, new class) → count: each maximal run
/// of non-whitespace bytes whose old class (from the golden) and new class
/// are the same pair and differ.
fn differences(
    old: &[(String, String)],
    new: &[(String, String)],
) -> BTreeMap<(String, String, String), usize> {
    let code: String = old.iter().map(|(_, t)| t.as_str()).collect();
    let (was, now) = (byte_classes(old), byte_classes(new));
    let mut out = BTreeMap::new();
    let b = code.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_whitespace() || was[i] == now[i] {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len()
            && !b[i].is_ascii_whitespace()
            && (was[i], now[i]) == (was[start], now[start])
        {
            i += 1;
        }
        let text = String::from_utf8_lossy(&b[start..i]).into_owned();
        let key = (text, was[start].to_string(), now[start].to_string());
        *out.entry(key).or_insert(0) += 1;
    }
    out
}

#[test]
fn common_languages_keep_the_previous_tokens_but_for_the_accepted_differences() {
    let highlighter = Highlighter::new();
    let bless = std::env::var_os("KBGEN_BLESS_SYNTECT").is_some();
    let mut unexplained = Vec::new();
    let mut used = vec![false; ACCEPTED.len()];
    assert!(
        ACCEPTED.iter().all(|a| a.reason.len() > 10),
        "every difference needs its reason"
    );
    let samples = samples();
    assert!(samples.len() >= 15, "one sample per common language");
    for (language, code) in &samples {
        if language == "python" {
            // pinned against Pygments by tests/highlight_pygments.rs
            continue;
        }
        let golden_path = dir().join("syntect").join(format!("{language}.tokens"));
        if bless {
            let old = tokens_of(code, |f| highlighter.syntect_tokens(code, language, f));
            std::fs::create_dir_all(golden_path.parent().unwrap()).unwrap();
            std::fs::write(&golden_path, write_tokens(&old)).unwrap();
        }
        let old = read_tokens(
            &std::fs::read_to_string(&golden_path)
                .unwrap_or_else(|e| panic!("{}: {e}", golden_path.display())),
        );
        let new = tokens_of(code, |f| highlighter.tokens(code, language, f));
        for ((text, was, now), count) in differences(&old, &new) {
            let accepted = ACCEPTED.iter().position(|a| {
                a.language == language
                    && (a.text == "*" || a.text == text)
                    && a.old == was
                    && a.new == now
            });
            match accepted {
                Some(i) => used[i] = true,
                None => unexplained.push(format!(
                    "{language}: {text:?} was {was}, now {now} ({count}x)"
                )),
            }
        }
    }
    let unused: Vec<String> = ACCEPTED
        .iter()
        .zip(&used)
        .filter(|(_, used)| !**used)
        .map(|(a, _)| format!("{}: {:?} {} -> {}", a.language, a.text, a.old, a.new))
        .collect();
    assert!(
        unexplained.is_empty() && unused.is_empty(),
        "differences from the previous highlighter not in ACCEPTED:\n  {}\n\
         ACCEPTED entries that no longer occur:\n  {}",
        unexplained.join("\n  "),
        unused.join("\n  ")
    );
}

#[test]
fn the_comparison_notices_a_changed_class() {
    let old = vec![
        ("k".to_string(), "if".to_string()),
        ("-".to_string(), " x".to_string()),
    ];
    let new = vec![("-".to_string(), "if x".to_string())];
    let diffs = differences(&old, &new);
    assert_eq!(
        diffs.keys().cloned().collect::<Vec<_>>(),
        vec![("if".to_string(), "k".to_string(), "-".to_string())]
    );
    assert!(differences(&old, &old).is_empty());
    assert_eq!(
        read_tokens(&write_tokens(&old)),
        old,
        "the golden format round-trips"
    );
}
