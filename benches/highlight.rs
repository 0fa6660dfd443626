//! Highlighting speed: kbgen's own lexers against syntect (fancy-regex, the
//! previous highlighter, still used for other languages) on the same
//! samples (`tests/highlight/samples`, one typical block per language).
//!
//! Prints per language: lines per second on one core for the lexer alone
//! (tokens to a no-op sink) and for `Highlighter::highlight` (tokens
//! written as HTML spans, what a build does), syntect's lines per second,
//! and the first-use cost of each: the first block of the language in a
//! fresh `Highlighter` (for syntect that is where its grammar's regular
//! expressions are compiled). Targets of issue 17: ≥ 200,000 lines/s and
//! ≤ 5 ms first use for every language; each line says PASS or FAIL.
//! `bench/highlighters/run` measures the other candidates (syntect with
//! onig, giallo, tree-sitter); `bench/README.md` has both tables.
//!
//! `cargo bench --bench highlight`

use kbgen::render::highlight::Highlighter;
use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

/// Lines per second of `run` on `code`: repeated for at least 0.3 s after
/// one warm-up call.
fn lines_per_second(code: &str, mut run: impl FnMut(&str)) -> f64 {
    run(code);
    let lines = code.lines().count();
    let t = Instant::now();
    let mut blocks = 0usize;
    while blocks < 3 || t.elapsed().as_secs_f64() < 0.3 {
        run(black_box(code));
        blocks += 1;
    }
    (blocks * lines) as f64 / t.elapsed().as_secs_f64()
}

/// Milliseconds of the first call of `run` on `code` in a fresh highlighter.
fn first_use_ms(code: &str, run: impl FnOnce(&Highlighter, &str)) -> f64 {
    let h = Highlighter::new();
    let t = Instant::now();
    run(&h, code);
    t.elapsed().as_secs_f64() * 1e3
}

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/highlight/samples");
    let mut samples: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("samples")
        .map(|e| {
            let p = e.expect("entry").path();
            let lang = p.file_stem().unwrap().to_string_lossy().into_owned();
            (lang, std::fs::read_to_string(&p).expect("sample"))
        })
        .collect();
    samples.sort();
    let h = Highlighter::new();
    println!(
        "{:<11} {:>6} {:>14} {:>14} {:>9} {:>14} {:>11}  target (>= 200,000 lines/s, <= 5 ms)",
        "language",
        "lines",
        "lexer lines/s",
        "html lines/s",
        "first ms",
        "syntect l/s",
        "syntect 1st"
    );
    let mut failures = 0;
    for (lang, code) in &samples {
        let lexer = lines_per_second(code, |c| {
            h.tokens(c, lang, |t, class| {
                black_box((t, class));
            });
        });
        let html = lines_per_second(code, |c| {
            black_box(h.highlight(c, lang));
        });
        let first = first_use_ms(code, |h, c| {
            black_box(h.highlight(c, lang));
        });
        let known = h.syntect_tokens("", lang, |_, _| {});
        let (syntect, syntect_first) = if known {
            let speed = lines_per_second(code, |c| {
                h.syntect_tokens(c, lang, |t, class| {
                    black_box((t, class));
                });
            });
            let first = first_use_ms(code, |h, c| {
                h.syntect_tokens(c, lang, |_, _| {});
            });
            (format!("{speed:.0}"), format!("{first:.1} ms"))
        } else {
            ("no grammar".into(), "-".into())
        };
        let ok = html >= 200_000.0 && first <= 5.0;
        failures += usize::from(!ok);
        println!(
            "{lang:<11} {:>6} {lexer:>14.0} {html:>14.0} {first:>9.3} {syntect:>14} {syntect_first:>11}  {}",
            code.lines().count(),
            if ok { "PASS" } else { "FAIL" }
        );
    }
    let t = Instant::now();
    let syntaxes = syntect::parsing::SyntaxSet::load_defaults_newlines();
    println!(
        "\nsyntect's grammar set loads in {:.1} ms ({} grammars); kbgen loads it only for a block in \
         a language it has no lexer for. {failures} language(s) below target.",
        t.elapsed().as_secs_f64() * 1e3,
        syntaxes.syntaxes().len()
    );
}
