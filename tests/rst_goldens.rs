//! Golden tests for the RST parser: every `tests/rst/NAME.rst` is parsed
//! and dumped as pseudo-XML, and compared with `tests/rst/NAME.pxml`, the
//! output of docutils 0.23 (`docutils --writer=pseudoxml NAME.rst`, run
//! inside `tests/rst` so `source=` is stable). Only the document's `source`
//! attribute is normalised.
//!
//! `tests/rst/smartquotes/` holds pages read with docutils'
//! `smart_quotes` on (`--smart-quotes=yes`), `tests/rst/matching_ids/`
//! pages read with `legacy_ids` off (`--matching-ids`),
//! `tests/rst/character_level/` pages read with
//! `--character-level-inline-markup`, `tests/rst/language_de/`
//! pages read with `language_code = de` (`--language=de`),
//! `tests/rst/language_xx/` with `--language=xx` (no such language),
//! `tests/rst/language_de_report_1/` and `tests/rst/language_xx_report_1/`
//! with `--report=1` too (the language importers' INFO messages kept),
//! `tests/rst/report_level_4/` pages read with `--report=4` (the
//! FilterMessages transform removes messages below level 4),
//! `tests/rst/report_level_1/` with `--report=1` (INFO messages kept),
//! `tests/rst/section_subtitles/` pages read with `--section-subtitles`
//! (docutils' `sectsubtitle_xform`: the SectionSubTitle transform runs),
//! `tests/rst/line_length_80/` pages read with `--line-length-limit=80`,
//! `tests/rst/expose_internals/` pages read with `expose_internals =
//! line:source` (its `docutils.conf`; docutils has no such option).
//!
//! Regenerate the expected files with docutils:
//!
//! ```text
//! KBGEN_BLESS=1 cargo test --test rst_goldens
//! ```
//!
//! which runs `$KBGEN_DOCUTILS` (default `~/.cache/kbgen-docutils/bin/docutils`).
//! It must be docutils 0.23 with Pygments 2.21.0 installed (`code` in
//! Python, TeX and RST becomes Pygments' tokens), e.g. a venv made with
//! `pip install docutils==0.23 pygments==2.21.0`. `tests/rst/syntax_short/`
//! and `tests/rst/syntax_none/` are read with `--syntax-highlight=short`
//! and `=none`.
//! `include_markdown.rst` includes Markdown with `:parser: pycmark`:
//! docutils needs the pycmark package (0.9.6) for it, e.g. installed with
//! `pip install --target DIR pycmark` and `PYTHONPATH=DIR` when blessing.

use kbgen::ast::Attr;
use std::path::{Path, PathBuf};

use kbgen::ast::to_pseudoxml;
use kbgen::source::SourceFile;
use kbgen::syntax::rst::expose_internals::ExposeInternals;
use kbgen::syntax::rst::{Recognition, RstOptions, Transform, parse_document};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rst")
}

/// Where docutils is installed shows in two of its messages; kbgen has
/// that data built in and names it without a place. Both sides are
/// brought to kbgen's form: a standard definition file
/// (`'/…/docutils/parsers/rst/include/NAME'`) is `'<NAME>'`, and a
/// language module (`<module 'M' from '/…/M.py'>`) is `<module 'M'>`.
fn without_install_paths(line: &str) -> String {
    const INCLUDE_DIR: &str = "/docutils/parsers/rst/include/";
    let mut line = line.to_string();
    if let Some(at) = line.find(INCLUDE_DIR)
        && let Some(open) = line[..at].rfind('\'')
        && let Some(close) = line[at..].find('\'')
    {
        let name = line[at + INCLUDE_DIR.len()..at + close].to_string();
        line.replace_range(open + 1..at + close, &format!("<{name}>"));
    }
    while let Some(at) = line.find("' from '")
        && line[..at].contains("<module '")
        && let Some(close) = line[at + 8..].find("'>")
    {
        line.replace_range(at + 1..at + 8 + close + 1, "");
    }
    line
}

fn normalise(s: &str) -> String {
    let mut out = String::new();
    for (i, line) in s.replace("\r\n", "\n").lines().enumerate() {
        let line = without_install_paths(line);
        let line = line.as_str();
        if i == 0
            && line.starts_with("<document")
            && let Some(a) = line.find(" source=\"")
        {
            let rest = &line[a + 9..];
            let end = rest.find('"').map(|e| a + 9 + e + 1).unwrap_or(line.len());
            out.push_str(&line[..a]);
            out.push_str(" source=\"SOURCE\"");
            out.push_str(&line[end..]);
            out.push('\n');
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// docutils settings a golden folder is read with, as kbgen options and
/// as docutils' command-line options.
#[derive(Clone, Copy)]
struct Settings {
    smart_quotes: bool,
    matching_ids: bool,
    character_level: bool,
    /// docutils' `language_code` (empty: English).
    language: &'static str,
    /// docutils' `report_level` (`None`: the default, 2).
    report_level: Option<u8>,
    /// docutils' `sectsubtitle_xform`: sections' lone subsections become
    /// their subtitles.
    section_subtitles: bool,
    /// docutils' `line_length_limit` (`None`: the default, 10,000).
    line_length_limit: Option<usize>,
    /// docutils' `expose_internals = line:source` (the folder's
    /// `docutils.conf`, which docutils reads from its working folder):
    /// `kbgen dump --expose-internals=line:source`.
    expose_line_source: bool,
    /// docutils' `syntax_highlight` (empty: the default, `long`).
    syntax_highlight: &'static str,
}

impl Settings {
    const DEFAULT: Settings = Settings {
        smart_quotes: false,
        matching_ids: false,
        character_level: false,
        language: "",
        report_level: None,
        section_subtitles: false,
        line_length_limit: None,
        expose_line_source: false,
        syntax_highlight: "",
    };

    fn docutils_args(self) -> Vec<&'static str> {
        // `--halt=5`: a SEVERE message is output like any other, not the
        // end of the run (docutils' tests read so too)
        let mut args = vec!["--writer=pseudoxml", "--halt=5"];
        if self.smart_quotes {
            args.push("--smart-quotes=yes");
        }
        if self.matching_ids {
            args.push("--matching-ids");
        }
        if self.character_level {
            args.push("--character-level-inline-markup");
        }
        match self.language {
            "" => {}
            "de" => args.push("--language=de"),
            "xx" => args.push("--language=xx"),
            "xx-YY" => args.push("--language=xx-YY"),
            other => panic!("no docutils option written for language {other}"),
        }
        match self.report_level {
            None => {}
            Some(1) => args.push("--report=1"),
            Some(4) => args.push("--report=4"),
            Some(other) => panic!("no docutils option written for report level {other}"),
        }
        if self.section_subtitles {
            args.push("--section-subtitles");
        }
        match self.line_length_limit {
            None => {}
            Some(80) => args.push("--line-length-limit=80"),
            Some(other) => panic!("no docutils option written for line length limit {other}"),
        }
        match self.syntax_highlight {
            "" => {}
            "short" => args.push("--syntax-highlight=short"),
            "none" => args.push("--syntax-highlight=none"),
            other => panic!("no docutils option written for syntax_highlight {other}"),
        }
        args
    }
}

fn kbgen_dump(path: &Path, settings: Settings) -> String {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("x.rst")
        .to_string();
    let bytes = std::fs::read(path).expect("read golden input");
    let text = String::from_utf8(bytes).expect("golden inputs are UTF-8");
    let source = SourceFile::new(&name, text);
    let opts = RstOptions {
        code_tokens: true,
        source_name: name,
        allow_raw: true,
        include_root: path.parent().map(Path::to_path_buf),
        smart_quotes: settings.smart_quotes,
        matching_ids: settings.matching_ids,
        recognition: if settings.character_level {
            Recognition::CharacterLevel
        } else {
            Recognition::WordLevel
        },
        language_code: settings.language.to_string(),
        report_level: settings.report_level,
        line_length_limit: settings.line_length_limit,
        syntax_highlight: match settings.syntax_highlight {
            "short" => kbgen::syntax::rst::SyntaxHighlight::Short,
            "none" => kbgen::syntax::rst::SyntaxHighlight::None,
            _ => kbgen::syntax::rst::SyntaxHighlight::Long,
        },
        transforms: settings.section_subtitles.then(|| {
            let mut all = Transform::STANDARD.to_vec();
            all.push(Transform::SectionSubTitle);
            all
        }),
        expose_internals: if settings.expose_line_source {
            ExposeInternals::parse("line:source")
        } else {
            ExposeInternals::default()
        },
        ..Default::default()
    };
    let doc = parse_document(&source, &opts);
    to_pseudoxml(&doc)
}

fn bless(path: &Path, settings: Settings) -> String {
    let docutils = std::env::var("KBGEN_DOCUTILS")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(std::env::var("HOME").unwrap_or_default())
                .join(".cache/kbgen-docutils/bin/docutils")
        });
    let name = path.file_name().expect("file name");
    let out = std::process::Command::new(docutils)
        .args(settings.docutils_args())
        .arg(name)
        .current_dir(path.parent().expect("golden folder"))
        .output()
        .expect("run docutils");
    String::from_utf8(out.stdout).expect("docutils output is UTF-8")
}

/// A small line diff: the first differing region with context.
fn diff(want: &str, got: &str) -> String {
    let w: Vec<&str> = want.lines().collect();
    let g: Vec<&str> = got.lines().collect();
    let first = w
        .iter()
        .zip(g.iter())
        .position(|(a, b)| a != b)
        .unwrap_or(w.len().min(g.len()));
    let mut s = String::new();
    let from = first.saturating_sub(3);
    for i in from..(first + 8) {
        if let Some(l) = w.get(i) {
            s.push_str(&format!("docutils {:4}: {l}\n", i + 1));
        }
        if let Some(l) = g.get(i) {
            s.push_str(&format!("kbgen    {:4}: {l}\n", i + 1));
        }
    }
    s
}

/// Compares every `NAME.rst` of `folder` (but `_*.rst`, which are
/// included) with its `NAME.pxml`, recorded from docutils when blessing.
fn check_goldens(folder: &Path, settings: Settings, at_least: usize) {
    let blessing = std::env::var("KBGEN_BLESS").is_ok_and(|v| v == "1");
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(folder)
        .expect("golden folder exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|e| e == "rst")
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("_"))
        })
        .collect();
    inputs.sort();
    assert!(
        inputs.len() >= at_least,
        "expected golden inputs in {}",
        folder.display()
    );
    let mut failures = Vec::new();
    for input in &inputs {
        let expected_path = input.with_extension("pxml");
        if blessing {
            std::fs::write(&expected_path, bless(input, settings)).expect("write golden");
        }
        let want = normalise(&std::fs::read_to_string(&expected_path).unwrap_or_default());
        let got = normalise(&kbgen_dump(input, settings));
        if want != got {
            failures.push(format!("== {}\n{}", input.display(), diff(&want, &got)));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} goldens differ:\n{}",
        failures.len(),
        inputs.len(),
        failures.join("\n")
    );
}

#[test]
fn rst_goldens_match_docutils() {
    check_goldens(&dir(), Settings::DEFAULT, 10);
}

/// `tests/rst/smartquotes/`: read with docutils' `--smart-quotes=yes`.
#[test]
fn smart_quotes_goldens_match_docutils() {
    let settings = Settings {
        smart_quotes: true,
        ..Settings::DEFAULT
    };
    check_goldens(&dir().join("smartquotes"), settings, 2);
}

/// `tests/rst/matching_ids/`: read with docutils' `--matching-ids`
/// (`legacy_ids = False`).
#[test]
fn matching_ids_goldens_match_docutils() {
    let settings = Settings {
        matching_ids: true,
        ..Settings::DEFAULT
    };
    check_goldens(&dir().join("matching_ids"), settings, 1);
}

/// `tests/rst/character_level/`: read with docutils'
/// `--character-level-inline-markup`.
#[test]
fn character_level_goldens_match_docutils() {
    let settings = Settings {
        character_level: true,
        ..Settings::DEFAULT
    };
    check_goldens(&dir().join("character_level"), settings, 1);
}

/// `tests/rst/report_level_4/`: read with docutils' `--report=4`.
#[test]
fn report_level_goldens_match_docutils() {
    let settings = Settings {
        report_level: Some(4),
        ..Settings::DEFAULT
    };
    check_goldens(&dir().join("report_level_4"), settings, 1);
}

/// `tests/rst/report_level_1/`: read with docutils' `--report=1`, so
/// INFO messages (the test directive's report) stay in the tree.
#[test]
fn report_level_1_goldens_match_docutils() {
    let settings = Settings {
        report_level: Some(1),
        ..Settings::DEFAULT
    };
    check_goldens(&dir().join("report_level_1"), settings, 1);
}

/// `tests/rst/section_subtitles/`: read with docutils' `--section-subtitles`.
#[test]
fn section_subtitle_goldens_match_docutils() {
    let settings = Settings {
        section_subtitles: true,
        ..Settings::DEFAULT
    };
    check_goldens(&dir().join("section_subtitles"), settings, 1);
}

/// `tests/rst/line_length_80/`: read with docutils' `--line-length-limit=80`.
#[test]
fn line_length_goldens_match_docutils() {
    let settings = Settings {
        line_length_limit: Some(80),
        ..Settings::DEFAULT
    };
    check_goldens(&dir().join("line_length_80"), settings, 1);
}

/// `tests/rst/syntax_short/` and `tests/rst/syntax_none/`: read with
/// docutils' `--syntax-highlight=short` and `=none` (code's token classes
/// as Pygments' short names, or no tokens).
#[test]
fn syntax_highlight_goldens_match_docutils() {
    for (folder, value) in [("syntax_short", "short"), ("syntax_none", "none")] {
        let settings = Settings {
            syntax_highlight: value,
            ..Settings::DEFAULT
        };
        check_goldens(&dir().join(folder), settings, 1);
    }
}

/// Deterministic xorshift generator: reproducible "random" RST without extra dependencies.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const PIECES: &[&str] = &[
    "word ",
    "*em* ",
    "**strong** ",
    "``lit`` ",
    "`ref`_ ",
    "`a <http://x.y/>`__ ",
    "|sub| ",
    "[1]_ ",
    "[#]_ ",
    ":role:`x` ",
    "\\",
    "\t",
    "\n",
    "\n\n",
    "  ",
    "    ",
    "- ",
    "* ",
    "#. ",
    "1. ",
    "(a) ",
    ":field: ",
    "-o ",
    "--opt=X  ",
    ".. ",
    ".. note::",
    ".. _t:",
    "__ ",
    "::",
    "\n::\n\n  code\n",
    "=====",
    "-----",
    "+---+---+\n| a | b |\n+---+---+\n",
    "===  ===\na    b\n===  ===\n",
    "| line\n",
    ">>> x\n",
    "*",
    "`",
    "|",
    "_",
    "[",
    "]",
    "<",
    ">",
    "é",
    "日本",
    "\u{2014} ",
    ".. contents::\n",
    ".. image:: x.png\n",
    ".. |sub| replace:: y\n",
    ".. [1] note\n",
    ".. list-table::\n\n   * - a\n     - b\n",
];

fn check_tree(e: &kbgen::ast::Element, len: usize, parent: Option<kbgen::ast::Span>, path: &str) {
    let s = e.span;
    assert!(
        s.start <= s.end && (s.end as usize) <= len,
        "span {s:?} outside input (len {len}) at {path}"
    );
    if let Some(p) = parent {
        assert!(
            p.start <= s.start && s.end <= p.end,
            "span {s:?} not inside parent {p:?} at {path}/{}",
            e.tag.name()
        );
    }
    for c in &e.children {
        match c {
            kbgen::ast::Node::Element(x) => {
                check_tree(x, len, Some(s), &format!("{path}/{}", e.tag.name()))
            }
            kbgen::ast::Node::Text(t) => {
                assert!(
                    t.span.start <= t.span.end && (t.span.end as usize) <= len,
                    "text span {:?} outside input",
                    t.span
                );
                assert!(
                    s.start <= t.span.start && t.span.end <= s.end,
                    "text span {:?} not inside {:?} at {path}",
                    t.span,
                    s
                );
            }
        }
    }
}

fn parse_checked(text: &str) {
    let source = SourceFile::new("p.rst", text.to_string());
    let opts = RstOptions {
        code_tokens: true,
        source_name: "p.rst".into(),
        allow_raw: false,
        include_root: None,
        ..Default::default()
    };
    let a = parse_document(&source, &opts);
    check_tree(&a, source.text.len(), None, "");
    let b = parse_document(&source, &opts);
    assert_eq!(
        to_pseudoxml(&a),
        to_pseudoxml(&b),
        "parsing is not deterministic for {text:?}"
    );
}

#[test]
fn random_and_mutated_rst_never_panics_and_spans_nest() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..600 {
        let n = 1 + rng.below(40);
        let mut s = String::new();
        for _ in 0..n {
            s.push_str(PIECES[rng.below(PIECES.len())]);
        }
        parse_checked(&s);
    }
    // mutations of the golden inputs: delete, duplicate or swap byte ranges on char boundaries
    let mut inputs: Vec<String> = std::fs::read_dir(dir())
        .expect("tests/rst")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "rst"))
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    inputs.sort();
    for input in &inputs {
        let chars: Vec<char> = input.chars().collect();
        for _ in 0..25 {
            let mut c = chars.clone();
            let a = rng.below(c.len() + 1);
            let b = (a + rng.below(40)).min(c.len());
            match rng.below(3) {
                0 => {
                    c.drain(a..b);
                }
                1 => {
                    let piece: Vec<char> = c[a..b].to_vec();
                    let at = rng.below(c.len() + 1);
                    c.splice(at..at, piece);
                }
                _ => {
                    let piece: Vec<char> = PIECES[rng.below(PIECES.len())].chars().collect();
                    c.splice(a..a, piece);
                }
            }
            parse_checked(&c.into_iter().collect::<String>());
        }
    }
}

#[test]
fn hostile_inputs_stay_bounded() {
    let cases = [
        "- ".repeat(3000) + "x\n",
        " ".repeat(200) + &"> ".repeat(2000),
        "*a ".repeat(20000),
        "`a ".repeat(20000),
        "a-".repeat(30000) + "b_",
        "http://".repeat(5000),
        (0..500)
            .map(|i| format!("{}x\n", " ".repeat(i * 2)))
            .collect::<String>(),
        "| a\n".repeat(3000),
        (0..300)
            .map(|i| format!("{}| x\n", " ".repeat(i)))
            .collect::<String>(),
        ":a: ".repeat(5000),
        "[".repeat(10000) + "]_",
    ];
    for text in &cases {
        let start = std::time::Instant::now();
        parse_checked(text);
        assert!(
            start.elapsed().as_secs() < 20,
            "too slow on hostile input starting {:?}",
            &text[..text.len().min(30)]
        );
    }
}

fn dump_with(text: &str, opts: &RstOptions) -> String {
    let source = SourceFile::new("p.rst", text.to_string());
    to_pseudoxml(&parse_document(&source, opts))
}

#[test]
fn raw_is_an_error_when_not_allowed() {
    let text = "Para.\n\n.. raw:: html\n\n   <b>x</b>\n";
    let denied = dump_with(
        text,
        &RstOptions {
            code_tokens: true,
            source_name: "p.rst".into(),
            allow_raw: false,
            include_root: None,
            ..Default::default()
        },
    );
    assert!(
        denied.contains("type=\"ERROR\"") && denied.contains("\"raw\" directive disabled."),
        "{denied}"
    );
    assert!(!denied.contains("<raw"), "{denied}");
    let allowed = dump_with(
        text,
        &RstOptions {
            code_tokens: true,
            source_name: "p.rst".into(),
            allow_raw: true,
            include_root: None,
            ..Default::default()
        },
    );
    assert!(
        allowed.contains("<raw format=\"html\" xml:space=\"preserve\">"),
        "{allowed}"
    );
}

#[test]
fn include_stays_inside_root_and_detects_cycles() {
    let tmp = std::env::temp_dir().join(format!("kbgen-rst-include-{}", std::process::id()));
    let root = tmp.join("root");
    std::fs::create_dir_all(&root).expect("mkdir");
    std::fs::write(tmp.join("secret.rst"), "SECRET TEXT\n").expect("write");
    std::fs::write(root.join("part.rst"), "Included *part*.\n").expect("write");
    std::fs::write(root.join("loop.rst"), ".. include:: loop.rst\n").expect("write");
    let opts = RstOptions {
        code_tokens: true,
        source_name: "p.rst".into(),
        allow_raw: false,
        include_root: Some(root.clone()),
        ..Default::default()
    };
    let ok = dump_with(".. include:: part.rst\n", &opts);
    assert!(
        ok.contains("<emphasis>") && ok.contains("Included "),
        "{ok}"
    );
    let outside = dump_with(".. include:: ../secret.rst\n", &opts);
    assert!(!outside.contains("SECRET"), "{outside}");
    assert!(outside.contains("outside the content folder"), "{outside}");
    let cycle = dump_with(".. include:: loop.rst\n", &opts);
    assert!(cycle.contains("circular inclusion"), "{cycle}");
    let none = dump_with(
        ".. include:: part.rst\n",
        &RstOptions {
            code_tokens: true,
            source_name: "p.rst".into(),
            allow_raw: false,
            include_root: None,
            ..Default::default()
        },
    );
    assert!(!none.contains("Included"), "{none}");
    let _ = std::fs::remove_dir_all(&tmp);
}

#[test]
fn system_messages_point_at_the_source() {
    let text = "Para\n\n  indented\nunindented\n\n:unknown:`x`\n";
    let source = SourceFile::new("p.rst", text.to_string());
    let opts = RstOptions {
        code_tokens: true,
        source_name: "p.rst".into(),
        allow_raw: false,
        include_root: None,
        ..Default::default()
    };
    let doc = parse_document(&source, &opts);
    let mut msgs = Vec::new();
    doc.walk(&mut |e| {
        if e.tag == kbgen::ast::Tag::SystemMessage {
            msgs.push((e.get(Attr::Line).map(str::to_string), e.span));
        }
    });
    assert!(!msgs.is_empty());
    for (line, span) in msgs {
        let line: usize = line.expect("line attribute").parse().expect("number");
        let (l, _) = source.line_col(span.start as usize);
        assert!(
            span.end > span.start,
            "empty span for message at line {line}"
        );
        assert!(
            (l as usize).abs_diff(line) <= 1,
            "span line {l} vs message line {line}"
        );
    }
}

/// Before the parse is done, docutils says (INFO) that its language module
/// has no entry for an unknown role or directive; the final tree drops it.
#[test]
fn unknown_names_get_docutils_info_before_transforms() {
    let text = "A :nope:`x`.\n\n.. nodir:: y\n";
    let parse_stage = RstOptions {
        transforms: Some(Vec::new()),
        ..Default::default()
    };
    let got = dump_with(text, &parse_stage);
    for kind in ["role", "directive"] {
        let name = if kind == "role" { "nope" } else { "nodir" };
        let info = format!(
            "No {kind} entry for \"{name}\" in module \"docutils.parsers.rst.languages.en\"."
        );
        assert!(got.contains(&info), "{got}");
        assert!(
            got.contains(&format!("Trying \"{name}\" as canonical {kind} name.")),
            "{got}"
        );
    }
    let info_at = got.find("type=\"INFO\"").expect("an INFO message");
    let error_at = got
        .find("Unknown interpreted text role")
        .expect("the role error");
    assert!(info_at < error_at, "the INFO comes first: {got}");
    let final_tree = dump_with(text, &RstOptions::default());
    assert!(!final_tree.contains("type=\"INFO\""), "{final_tree}");
}

/// `tests/rst/language_xx/`: read with `--language=xx`, a language
/// docutils has no module for: its two warnings, English text.
#[test]
fn unsupported_language_goldens_match_docutils() {
    let settings = Settings {
        language: "xx",
        ..Settings::DEFAULT
    };
    check_goldens(&dir().join("language_xx"), settings, 2);
}

/// `tests/rst/language_de/`: read with docutils' `--language=de`: German
/// directive and role names, bibliographic fields and labels.
#[test]
fn german_goldens_match_docutils() {
    let settings = Settings {
        language: "de",
        ..Settings::DEFAULT
    };
    check_goldens(&dir().join("language_de"), settings, 1);
}

/// `tests/rst/language_de_report_1/`: `--language=de --report=1`: the
/// INFO messages of docutils' language importers stay in the tree.
#[test]
fn german_report_level_1_goldens_match_docutils() {
    let settings = Settings {
        language: "de",
        report_level: Some(1),
        ..Settings::DEFAULT
    };
    check_goldens(&dir().join("language_de_report_1"), settings, 2);
}

/// `tests/rst/language_xx_report_1/`: `--language=xx-YY --report=1`, a
/// language docutils has no module for: every module its importers try.
#[test]
fn unsupported_language_report_level_1_goldens_match_docutils() {
    let settings = Settings {
        language: "xx-YY",
        report_level: Some(1),
        ..Settings::DEFAULT
    };
    check_goldens(&dir().join("language_xx_report_1"), settings, 1);
}

/// `tests/rst/expose_internals/`: read with docutils' `expose_internals =
/// line:source` (each node's line and source shown as attributes).
#[test]
fn expose_internals_goldens_match_docutils() {
    let settings = Settings {
        expose_line_source: true,
        ..Settings::DEFAULT
    };
    check_goldens(&dir().join("expose_internals"), settings, 2);
}
