//! kbgen's Pygments-exact lexers (Python, TeX, reStructuredText) against
//! Pygments 2.21.0's own tokens: every `tests/highlight/pygments/FILE`
//! has `FILE.tokens`, the token stream Pygments' lexer gives for it (input
//! cleaned up as `get_tokens` does, adjacent tokens of one type merged;
//! one `class<TAB>text` line per token, `-` for plain text, newlines,
//! tabs and backslashes escaped), and kbgen must give exactly that.
//!
//! The samples are written to reach the lexers' corners. Record the
//! goldens again with Pygments installed:
//!
//! ```text
//! python -m venv /tmp/pyg-venv && /tmp/pyg-venv/bin/pip install pygments==2.21.0
//! /tmp/pyg-venv/bin/python conformance/pygments-tokens --golden \
//!     --kbgen target/release/kbgen --language python --ext .py tests/highlight/pygments
//! ```
//! (likewise `tex` with `.tex`, `rst` with `.rst`).

use kbgen::render::lexers::{pyg, pygments_lexer_for};
use std::path::Path;

fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('\n', "\\n")
        .replace('\t', "\\t")
}

fn kbgen_tokens(language: &str, code: &str) -> String {
    let lexer = pygments_lexer_for(language).expect("an exact lexer");
    let text = pyg::prepare(code);
    let mut out: Vec<(String, String)> = Vec::new();
    lexer(&text, &mut |t: &str, class: Option<&'static str>| {
        assert!(!t.is_empty(), "{language}: empty token");
        let class = class.unwrap_or("-").to_string();
        match out.last_mut() {
            Some((c, s)) if *c == class => s.push_str(t),
            _ => out.push((class, t.to_string())),
        }
    });
    let joined: String = out.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(joined, text, "{language}: the tokens must be the text");
    out.iter()
        .map(|(c, t)| format!("{c}\t{}\n", escape(t)))
        .collect()
}

#[test]
fn exact_lexers_give_pygments_tokens() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/highlight/pygments");
    let mut checked = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("samples")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let language = match path.extension().and_then(|e| e.to_str()) {
            Some("py") => "python",
            Some("tex") => "latex",
            Some("rst") => "rst",
            _ => continue,
        };
        let code = std::fs::read_to_string(&path).expect("sample");
        let golden_path = path.with_file_name(format!(
            "{}.tokens",
            path.file_name().unwrap().to_string_lossy()
        ));
        let want = std::fs::read_to_string(&golden_path)
            .unwrap_or_else(|e| panic!("{}: {e}", golden_path.display()));
        let got = kbgen_tokens(language, &code);
        if got != want {
            let line = got
                .lines()
                .zip(want.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            panic!(
                "{}: first difference at token {line}:\n  kbgen:    {:?}\n  pygments: {:?}",
                path.display(),
                got.lines().nth(line),
                want.lines().nth(line)
            );
        }
        checked += 1;
    }
    assert!(checked >= 3, "samples for Python, TeX and RST");
}

/// The lexers never fail on any input: random bytes and cut samples give
/// tokens that are exactly the text.
#[test]
fn exact_lexers_take_any_text() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/highlight/pygments");
    let samples: Vec<String> = ["python_corners.py", "tex_corners.tex", "rst_corners.rst"]
        .iter()
        .map(|f| std::fs::read_to_string(dir.join(f)).expect("sample"))
        .collect();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for language in ["python", "tex", "rst"] {
        for round in 0..300 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let sample = &samples[round % samples.len()];
            let chars: Vec<char> = sample.chars().collect();
            let from = (seed as usize) % chars.len();
            let len = (seed >> 20) as usize % 200;
            let mut text: String = chars[from..(from + len).min(chars.len())].iter().collect();
            if round % 3 == 0 {
                text.push_str(["\"\"\"", "f'{", "`", "\\", "$", ".. |x", "::\n\n  "][round % 7]);
            }
            let lexer = pygments_lexer_for(language).unwrap();
            let mut joined = String::new();
            lexer(&text, &mut |t: &str, _| joined.push_str(t));
            assert_eq!(joined, text, "{language}: {text:?}");
        }
    }
}
