//! Adversarial-input benchmark: shows that time stays linear in the size
//! of pathological pages (unclosed backquotes, `*` runs, nesting
//! staircases, huge tables, deep and wide XML, …).
//!
//! Each input is generated at sizes n, 2n, 4n and 8n and run through the
//! build's per-page path (parse, passes, pseudo-XML, HTML writer). The
//! figure that matters is time per input byte: for linear code it stays
//! flat, so when per-byte time at 8n is more than 3× that at n the input
//! is flagged `NONLINEAR` (and the process exits with status 1, so CI can
//! run it). Timing is the best of three runs, with `std::time` only.
//!
//! Run: `cargo bench --bench adversarial` (optionally a filter substring:
//! `cargo bench --bench adversarial -- backquote`).

#[path = "../fuzz/src/checks.rs"]
mod checks;

use std::time::{Duration, Instant};

/// One adversarial input family: a name, the page's file name (decides RST
/// or Markdown) and a generator taking the size parameter.
struct Case {
    name: &'static str,
    file: &'static str,
    base: usize,
    generate: fn(usize) -> String,
}

/// Per-byte time growth from n to 8n above which growth counts as super-linear.
const NONLINEAR_RATIO: f64 = 3.0;
/// A single run slower than this stops the family (it is flagged, not waited for).
const RUN_BUDGET: Duration = Duration::from_secs(20);

fn cases() -> Vec<Case> {
    vec![
        // Issue 18's superlinear cases: labelled auto-numbered footnotes,
        // substitutions (names in another case than their definitions),
        // and attributes on one XML element.
        Case {
            name: "labelled auto-numbered footnotes ([#a]_)",
            file: "p.rst",
            base: 2_500,
            generate: |n| {
                let mut s = String::from("Title\n=====\n\n");
                for i in 0..n {
                    s.push_str(&format!("Text [#n{i}]_.\n\n"));
                }
                for i in 0..n {
                    s.push_str(&format!(".. [#n{i}] Note {i}.\n"));
                }
                s
            },
        },
        Case {
            name: "substitutions (|S1| for |s1|)",
            file: "p.rst",
            base: 5_000,
            generate: |n| {
                let mut s = String::from("Title\n=====\n\n");
                for i in 0..n {
                    s.push_str(&format!("x |S{i}|\n"));
                }
                s.push('\n');
                for i in 0..n {
                    s.push_str(&format!(".. |s{i}| replace:: r{i}\n"));
                }
                s
            },
        },
        Case {
            name: "one substitution used n times in a paragraph",
            file: "p.rst",
            base: 5_000,
            generate: |n| {
                format!(
                    "Title\n=====\n\n{}\n.. |s| replace:: *r*\n",
                    "x |s|\n".repeat(n)
                )
            },
        },
        Case {
            name: "attributes on one XML element",
            file: "p.rst",
            base: 10_000,
            generate: |n| {
                let attrs: String = (0..n).map(|i| format!("\n      a{i}=\"v\"")).collect();
                format!(
                    "Title\n=====\n\n::\n\n    <domain xmlns:qemu=\"http://libvirt.org/schemas/domain/qemu/1.0\">\n    <qemu:commandline{attrs}/>\n    </domain>\n"
                )
            },
        },
        Case {
            name: "unclosed backquotes (`a )",
            file: "p.rst",
            base: 12_500,
            generate: |n| format!("Title\n=====\n\n{}", wrap(&"`a ".repeat(n))),
        },
        Case {
            name: "backquote run (``````)",
            file: "p.rst",
            base: 12_500,
            generate: |n| wrap(&format!("x {}", "`".repeat(n))),
        },
        Case {
            name: "unclosed stars (*a **b )",
            file: "p.rst",
            base: 12_500,
            generate: |n| wrap(&"*a **b ".repeat(n)),
        },
        Case {
            name: "unclosed references (`a <b_ |c [#)",
            file: "p.rst",
            base: 6_000,
            generate: |n| wrap(&"`a <b_ |c [# _`d ".repeat(n)),
        },
        Case {
            name: "lines full of markup characters",
            file: "p.rst",
            base: 20_000,
            generate: |n| {
                let chars = b"*`_|[]<>:\\-=#'\"(){} ";
                let text: String = (0..n).map(|i| chars[i % chars.len()] as char).collect();
                wrap(&format!("x {text}"))
            },
        },
        Case {
            name: "nested block quotes (indentation staircase)",
            file: "p.rst",
            base: 250,
            generate: |n| {
                let mut s = String::new();
                for i in 0..n {
                    s.push_str(&" ".repeat(i));
                    s.push_str("quote\n\n");
                }
                s
            },
        },
        Case {
            name: "nested bullet lists on one line (- - - x)",
            file: "p.rst",
            base: 600,
            generate: |n| format!("{}x\n", "- ".repeat(n)),
        },
        Case {
            name: "nested lists in block quotes (staircase)",
            file: "p.rst",
            base: 150,
            generate: |n| {
                let mut s = String::new();
                for i in 0..n {
                    s.push_str(&"   ".repeat(i));
                    s.push_str("- item\n\n");
                    s.push_str(&"   ".repeat(i));
                    s.push_str("  text\n\n");
                }
                s
            },
        },
        Case {
            name: "many sections, all adornment styles",
            file: "p.rst",
            base: 1_000,
            generate: |n| {
                let styles = b"=-~^\"'`:.*+#<>_";
                let mut s = String::new();
                for i in 0..n {
                    let c = styles[i % styles.len()] as char;
                    let title = format!("Section {i}");
                    let line = c.to_string().repeat(title.len());
                    if i % 2 == 0 {
                        s.push_str(&format!("{line}\n{title}\n{line}\n\nText.\n\n"));
                    } else {
                        s.push_str(&format!("{title}\n{line}\n\nText.\n\n"));
                    }
                }
                s
            },
        },
        Case {
            name: "huge grid table (n rows x 8 columns)",
            file: "p.rst",
            base: 250,
            generate: |n| {
                let sep = format!("{}+\n", "+-----".repeat(8));
                let row = format!("{}|\n", "| abc ".repeat(8));
                let mut s = sep.clone();
                for _ in 0..n {
                    s.push_str(&row);
                    s.push_str(&sep);
                }
                s
            },
        },
        Case {
            name: "huge simple table (n rows x 8 columns)",
            file: "p.rst",
            base: 500,
            generate: |n| {
                let border = format!("{}\n", "===  ".repeat(8).trim_end());
                let row = format!("{}\n", "abc  ".repeat(8).trim_end());
                let mut s = border.clone();
                for _ in 0..n {
                    s.push_str(&row);
                }
                s.push_str(&border);
                s
            },
        },
        Case {
            name: "many auto-numbered footnote references",
            file: "p.rst",
            base: 1_000,
            generate: |n| {
                let mut s = String::from("Refs ");
                s.push_str(&wrap(&"[#]_ ".repeat(n)));
                s.push('\n');
                for i in 0..n {
                    s.push_str(&format!(".. [#] Note {i}.\n"));
                }
                s
            },
        },
        Case {
            name: "many named references and targets",
            file: "p.rst",
            base: 1_000,
            generate: |n| {
                let refs: String = (0..n).map(|i| format!("t{i}_ ")).collect();
                let mut s = wrap(&refs);
                s.push('\n');
                for i in 0..n {
                    s.push_str(&format!(".. _t{i}: https://example.org/{i}\n"));
                }
                s
            },
        },
        Case {
            name: "deep XML example (<a><a>…)",
            file: "p.rst",
            base: 1_000,
            generate: |n| {
                format!(
                    "Example::\n\n   <domain xmlns:qemu=\"http://libvirt.org/schemas/domain/qemu/1.0\">\n{}{}   </domain>\n",
                    "   <a>\n".repeat(n),
                    "   </a>\n".repeat(n)
                )
            },
        },
        Case {
            name: "wide XML example (n attributes, n siblings)",
            file: "p.rst",
            base: 1_000,
            generate: |n| {
                let attrs: String = (0..n).map(|i| format!("\n     a{i}='x'")).collect();
                format!(
                    "Example::\n\n   <domain{attrs}>\n{}   </domain>\n",
                    "   <b/>\n".repeat(n)
                )
            },
        },
        Case {
            name: "Markdown: nested block quotes (> > > x)",
            file: "p.md",
            base: 1_250,
            generate: |n| format!("{}x\n", "> ".repeat(n)),
        },
        Case {
            name: "Markdown: unclosed emphasis and links",
            file: "p.md",
            base: 12_500,
            generate: |n| wrap(&"*a _b [c `d ".repeat(n)),
        },
    ]
}

/// Breaks a long run of inline text into lines of at most 79 bytes (at a
/// space when there is one), so the input stays under docutils'
/// line-length limit and is really parsed as one long paragraph.
fn wrap(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 64);
    let mut line = String::new();
    for c in text.chars() {
        line.push(c);
        if line.len() >= 79 {
            match line.rfind(' ') {
                Some(i) if i > 0 => {
                    let rest = line.split_off(i + 1);
                    out.push_str(line.trim_end());
                    out.push('\n');
                    line = rest;
                }
                _ => {
                    out.push_str(&line);
                    out.push('\n');
                    line.clear();
                }
            }
        }
    }
    out.push_str(&line);
    out.push('\n');
    out
}

/// Best of three runs of the per-page pipeline.
fn time(site: &kbgen::site::Site, file: &str, text: &str) -> Duration {
    let mut best = Duration::MAX;
    for _ in 0..3 {
        let start = Instant::now();
        let r = checks::run_page(site, file, text);
        std::hint::black_box(&r);
        best = best.min(start.elapsed());
        if best > RUN_BUDGET / 4 {
            break;
        }
    }
    best
}

fn main() {
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let site = checks::fuzz_site(false);
    let mut nonlinear = Vec::new();
    println!(
        "{:<48} {:>10} {:>12} {:>12}  verdict",
        "input", "bytes (max)", "ns/byte (n)", "ns/byte (max)"
    );
    for case in cases() {
        if filter
            .as_ref()
            .is_some_and(|f| !case.name.contains(f.as_str()))
        {
            continue;
        }
        let mut per_byte = Vec::new();
        let mut bytes = 0;
        let mut verdict = "linear";
        // Unoptimised builds (`cargo test --bench adversarial`) are far
        // slower: same shapes, a quarter of the size.
        let base = if cfg!(debug_assertions) {
            (case.base / 4).max(1)
        } else {
            case.base
        };
        for k in [1, 2, 4, 8] {
            let text = (case.generate)(base * k);
            bytes = text.len();
            let t = time(&site, case.file, &text);
            per_byte.push(t.as_nanos() as f64 / text.len().max(1) as f64);
            if t > RUN_BUDGET {
                // Stop growing this input (it is not waited for); the
                // verdict comes from the sizes that did run.
                verdict = "linear (stopped: over budget)";
                break;
            }
        }
        let first = per_byte[0];
        let last = *per_byte.last().unwrap_or(&first);
        let ratio = last / first.max(1e-9);
        if ratio > NONLINEAR_RATIO {
            verdict = "NONLINEAR";
        }
        if verdict == "NONLINEAR" {
            nonlinear.push(case.name);
        }
        println!(
            "{:<48} {:>10} {:>12.1} {:>12.1}  {verdict} (x{ratio:.2})",
            case.name, bytes, first, last
        );
    }
    if !nonlinear.is_empty() {
        println!("super-linear: {}", nonlinear.join(", "));
        std::process::exit(1);
    }
}
