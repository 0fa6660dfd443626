//! Replays the fuzz seed corpus (`fuzz/seeds/<target>/`) and every crash
//! the fuzzers found (`tests/hostile/crashes/<target>/`, minimised) through
//! the same oracles the fuzz targets use, so `cargo test` guards against
//! regressions without needing cargo-fuzz or a nightly toolchain.

#[path = "../fuzz/src/checks.rs"]
mod checks;

use std::path::Path;

type Pipeline = fn(&str) -> Result<(), String>;

const TARGETS: &[(&str, Pipeline)] = &[
    ("rst", checks::rst_pipeline),
    ("markdown", checks::markdown_pipeline),
    ("xml_examples", checks::xml_pipeline),
    ("config", checks::config_pipeline),
];

fn replay(folder: &Path, pipeline: Pipeline) -> (usize, Vec<String>) {
    let mut failures = Vec::new();
    let mut count = 0;
    let Ok(entries) = std::fs::read_dir(folder) else {
        return (0, failures);
    };
    let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if !path.is_file() || path.file_name().is_some_and(|n| n == "README.md") {
            continue;
        }
        count += 1;
        let bytes = std::fs::read(&path).unwrap();
        // Exactly what the fuzz targets do with their bytes.
        let text = String::from_utf8_lossy(&bytes);
        let result = std::panic::catch_unwind(|| pipeline(&text));
        match result {
            Ok(Ok(())) => {}
            Ok(Err(e)) => failures.push(format!("{}: {e}", path.display())),
            Err(_) => failures.push(format!("{}: panicked", path.display())),
        }
    }
    (count, failures)
}

#[test]
fn seeds_and_crash_inputs_pass_every_oracle() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut all = Vec::new();
    let mut total = 0;
    for (target, pipeline) in TARGETS {
        for folder in [
            root.join("fuzz/seeds").join(target),
            root.join("tests/hostile/crashes").join(target),
        ] {
            let (n, failures) = replay(&folder, *pipeline);
            total += n;
            all.extend(failures);
        }
    }
    assert!(total > 0, "no seeds found");
    assert!(
        all.is_empty(),
        "{} of {total} inputs failed:\n{}",
        all.len(),
        all.join("\n")
    );
}

#[test]
fn html_checker_accepts_writer_output_and_rejects_leaks() {
    let ok = checks::HtmlPolicy::default();
    assert!(checks::check_html("<p>a &amp; b<br><img src=\"x.png\" alt=\"\"/></p>\n", ok).is_ok());
    assert!(checks::check_html("<p>a <script>x</script></p>", ok).is_err());
    assert!(checks::check_html("<p>a</em>", ok).is_err());
    assert!(checks::check_html("<p>a & b</p>", ok).is_err());
    assert!(checks::check_html("<a href=\"&#106;avascript:x\">x</a>", ok).is_err());
    assert!(checks::check_html("<a onclick=\"x\">x</a>", ok).is_err());
    assert!(checks::check_html("<p>x > y</p>", ok).is_err());
}
