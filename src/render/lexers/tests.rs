use super::*;

const LANGUAGES: &[&str] = &[
    "console",
    "bash",
    "c",
    "cpp",
    "rust",
    "go",
    "javascript",
    "python",
    "json",
    "yaml",
    "ini",
    "toml",
    "diff",
    "makefile",
    "xml",
];

/// Tokens of `code` (asserting they are exactly `code`), blanks dropped.
fn classes(language: &str, code: &str) -> Vec<(String, Option<&'static str>)> {
    let lexer = lexer_for(language).expect(language);
    let mut out: Vec<(String, Option<&'static str>)> = Vec::new();
    lexer(code, &mut |t: &str, c| {
        assert!(!t.is_empty(), "{language}: empty token");
        out.push((t.to_string(), c));
    });
    let joined: String = out.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(joined, code, "{language}: tokens must be the code");
    out.retain(|(t, _)| !t.trim().is_empty());
    out
}

/// The class of the first occurrence of `token` in `code`, which must be
/// one class throughout (blanks aside).
fn class_of(language: &str, code: &str, token: &str) -> Option<&'static str> {
    let at = code.find(token).expect("token in code");
    let mut per_byte = Vec::new();
    lexer_for(language).unwrap()(code, &mut |t: &str, c| {
        per_byte.extend(std::iter::repeat_n(c, t.len()))
    });
    let classes: Vec<Option<&str>> = (at..at + token.len())
        .filter(|&i| !code.as_bytes()[i].is_ascii_whitespace())
        .map(|i| per_byte[i])
        .collect();
    assert!(
        classes.iter().all(|c| *c == classes[0]),
        "{language}: {token:?} in {code:?} has classes {classes:?}"
    );
    classes[0]
}

/// The C-like lexers' binary search and [`scan::Words`]' first-byte
/// ranges both need the tables sorted.
#[test]
fn word_tables_are_sorted() {
    for table in [
        c_like_words::C,
        c_like_words::CPP,
        c_like_words::RUST,
        c_like_words::GO,
        c_like_words::JS,
        &python_words::KINDS,
        shell::WORDS,
    ] {
        assert!(
            table.windows(2).all(|w| w[0].0 < w[1].0),
            "{:?}",
            table.first()
        );
    }
}

#[test]
fn indexed_words_find_every_word_and_nothing_else() {
    for table in [&python_words::KINDS[..], shell::WORDS] {
        let words = scan::Words::new(table);
        for (word, class) in table {
            assert_eq!(words.class(word), Some(*class), "{word}");
            assert_eq!(words.class(&format!("{word}x")), None, "{word}x");
            assert_eq!(words.class(&word[..word.len() - 1]).is_some(), {
                let shorter = &word[..word.len() - 1];
                table.iter().any(|(w, _)| *w == shorter)
            });
        }
        assert_eq!(words.class(""), None);
        assert_eq!(words.class("é"), None);
    }
}

#[test]
fn names_are_case_insensitive_and_unknown_ones_refused() {
    assert!(lexer_for("Python").is_some());
    assert!(lexer_for("C++").is_some());
    assert!(lexer_for("haskell").is_none());
}

#[test]
fn console_prompts_commands_and_output() {
    let got = classes(
        "console",
        "$ echo hi | wc -l\n1\nuser@host:~$ ls\n# dnf install x\n",
    );
    let want: Vec<(&str, Option<&str>)> = vec![
        ("$ ", Some("gp")),
        ("echo", Some("nb")),
        ("hi ", None),
        ("|", Some("o")),
        (" wc -l", None),
        ("1", Some("go")),
        ("user@host:~$ ", Some("gp")),
        ("ls", None),
        ("# ", Some("gp")),
        ("dnf install x", None),
    ];
    let got: Vec<(&str, Option<&str>)> = got.iter().map(|(t, c)| (t.trim(), *c)).collect();
    let want: Vec<(&str, Option<&str>)> = want.iter().map(|(t, c)| (t.trim(), *c)).collect();
    assert_eq!(got, want);
}

#[test]
fn the_main_token_kinds_of_each_language() {
    let cases: &[(&str, &str, &str, Option<&str>)] = &[
        ("bash", "x=1 # note\n", "# note", Some("c")),
        ("bash", "x=1\n", "x", Some("nv")),
        ("bash", "export PATH=/bin\n", "PATH", Some("nv")),
        (
            "bash",
            "if [ -f \"$a\" ]; then :; fi\n",
            "\"$a\"",
            Some("s"),
        ),
        (
            "bash",
            "cat <<EOF\nbody\nEOF\necho\n",
            "<<EOF\nbody\nEOF",
            Some("s"),
        ),
        (
            "c",
            "#include <stdio.h>\nint x;\n",
            "#include <stdio.h>",
            Some("cp"),
        ),
        ("c", "static int count(void) {}", "count", Some("nf")),
        ("c", "x = count(1);", "count", None),
        ("c", "printf(\"%d\\n\", 0x1F);", "\\n", Some("se")),
        ("c", "return 0x1F;", "0x1F", Some("m")),
        ("cpp", "namespace kb {}", "kb", Some("nn")),
        ("cpp", "auto p = nullptr;", "nullptr", Some("kc")),
        ("rust", "fn main() {}", "main", Some("nf")),
        ("rust", "struct Guest<'a> {}", "'a", Some("kd")),
        ("rust", "let c = '<';", "'<'", Some("s")),
        (
            "rust",
            "let r = r#\"a \"b\"\"#;",
            "r#\"a \"b\"\"#",
            Some("s"),
        ),
        (
            "rust",
            "#[derive(Debug)]\nstruct X;",
            "#[derive(Debug)]",
            Some("cp"),
        ),
        ("rust", "println!(\"x\");", "println!", Some("nb")),
        ("go", "func main() {}", "main", Some("nf")),
        ("go", "func (g *Guest) Name() string {}", "Name", Some("nf")),
        ("go", "s := `raw\\n`", "`raw\\n`", Some("s")),
        ("javascript", "const re = /a+b/g;", "/a+b/g", Some("sr")),
        ("javascript", "x = a / b / c;", "a", None),
        ("javascript", "`a ${b} c`", "`a ", Some("s")),
        (
            "python",
            "def fetch(x):\n    return None\n",
            "fetch",
            Some("nf"),
        ),
        ("python", "class Guest:\n    pass\n", "Guest", Some("nc")),
        ("python", "x = rb'\\d'", "'\\d'", Some("s1")),
        (
            "python",
            "s = \"\"\"a\nb\"\"\"\n",
            "\"\"\"a\nb\"\"\"",
            Some("s2"),
        ),
        (
            "json",
            "{\"a\": [1, -2.5e3, true, null]}",
            "-2.5e3",
            Some("m"),
        ),
        ("json", "{\"a\": true}", "true", Some("kc")),
        ("yaml", "key: value # c\n", "key", Some("nt")),
        ("yaml", "key: value # c\n", "value", Some("s")),
        ("yaml", "- n: 3\n", "3", Some("m")),
        (
            "yaml",
            "t: |\n  line one\n  line two\nu: 1\n",
            "line one\n  line two",
            Some("s"),
        ),
        ("ini", "[section]\nkey = v\n", "[section]", Some("k")),
        ("ini", "[section]\nkey = v\n", "key", Some("na")),
        ("toml", "[a.b]\nx = \"s\"\n", "x", Some("na")),
        (
            "toml",
            "t = 2024-05-01T10:00:00Z\n",
            "2024-05-01T10:00:00Z",
            Some("m"),
        ),
        ("toml", "t = { a = 1, b = false }\n", "b", Some("na")),
        ("diff", "@@ -1 +1 @@\n-a\n+b\n", "-a", Some("gd")),
        ("diff", "@@ -1 +1 @@\n-a\n+b\n", "@@ -1 +1 @@", Some("gu")),
        ("makefile", "CC ?= gcc\n", "CC", Some("nv")),
        ("makefile", "all: x\n\t$(CC) -o $@ x.c\n", "all", Some("nf")),
        ("makefile", "all: x\n\t$(CC) -o $@ x.c\n", "$@", Some("nv")),
        ("makefile", "ifeq ($(D),1)\nendif\n", "ifeq", Some("k")),
    ];
    for &(language, code, token, class) in cases {
        assert_eq!(
            class_of(language, code, token),
            class,
            "{language}: {code:?} {token:?}"
        );
    }
}

/// Every lexer, on every mix of up to three pieces of the languages'
/// syntax and on longer pseudo-random mixes: no panic, and the tokens are
/// exactly the input (so slices always fall on character boundaries).
#[test]
fn any_mix_of_pieces_is_tokenised_losslessly() {
    const PIECES: &[&str] = &[
        "\"",
        "'",
        "`",
        "\\",
        "/",
        "*",
        "/*",
        "*/",
        "//",
        "#",
        "$",
        "${",
        "$(",
        "{",
        "}",
        "(",
        ")",
        "[",
        "]",
        "<<",
        "<<EOF\n",
        "EOF",
        "\n",
        "\t",
        " ",
        ":",
        "=",
        "- ",
        "|",
        ">",
        "@",
        "r#\"",
        "\"#",
        "'a",
        "0x",
        "1.5e",
        "é",
        "…",
        "x",
        "if",
        "fn",
        "def",
        "---",
        "+",
        "@@",
        "<a",
        "&amp;",
        "\"\"\"",
        "$ ",
        "user@h:~$ ",
        "\\\n",
    ];
    let n = PIECES.len();
    for language in LANGUAGES {
        for len in 1..=2u32 {
            for mut code in 0..n.pow(len) {
                let mut text = String::new();
                for _ in 0..len {
                    text.push_str(PIECES[code % n]);
                    code /= n;
                }
                classes(language, &text);
            }
        }
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..10 {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(PIECES[(x >> 33) as usize % n]);
            }
            classes(language, &text);
        }
    }
}

/// Time per byte stays flat from n to 8n on inputs built to make a naive
/// lexer rescan (unclosed strings, comments, here-documents, nesting).
#[test]
fn lexing_time_is_linear_in_the_input() {
    for piece in [
        "\"", "/*", "<<EOF\n", "${", "'", "$(", "[", "{", "r#\"", "\"\"\"", "`${", "[a, ", "$((",
        "  #", "| ", "a: ", "'a ", "#[", "<<", "@@",
    ] {
        for language in LANGUAGES {
            let time = |copies: usize| {
                let code = format!("{}x\n", piece.repeat(copies));
                let lexer = lexer_for(language).unwrap();
                let t = std::time::Instant::now();
                lexer(&code, &mut |_, _| {});
                t.elapsed().as_secs_f64() / code.len() as f64
            };
            let small = (0..3).map(|_| time(2_000)).fold(f64::MAX, f64::min);
            let large = (0..3).map(|_| time(16_000)).fold(f64::MAX, f64::min);
            assert!(
                large < small * 4.0 + 2e-8,
                "{language} on {piece:?}: {small:e} s/byte at 2,000 copies, {large:e} at 16,000"
            );
        }
    }
}
