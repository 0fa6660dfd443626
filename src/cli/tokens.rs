//! `kbgen tokens LANGUAGE FILE…` (hidden): the token stream of each file
//! as Pygments' `get_tokens` would give it (input cleaned up the same way,
//! adjacent tokens of one type merged), one JSON array of `[type, text]`
//! pairs per line, the type a Pygments short name or `null` for plain
//! text. `conformance/pygments-tokens` compares it with Pygments.

use std::io::Write as _;
use std::path::PathBuf;

use crate::render::lexers;

pub fn run(language: &str, files: &[PathBuf]) -> i32 {
    let Some(lexer) = lexers::pygments_lexer_for(language) else {
        eprintln!("kbgen tokens: no Pygments-exact lexer for {language:?}");
        return super::EXIT_FAILURE;
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for file in files {
        let bytes = match std::fs::read(file) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("kbgen tokens: {}: {e}", file.display());
                return super::EXIT_FAILURE;
            }
        };
        let text = String::from_utf8_lossy(&bytes);
        let text = lexers::pyg::prepare(&text);
        let mut pairs: Vec<(Option<&'static str>, String)> = Vec::new();
        lexer(&text, &mut |t: &str, c| pairs.push((c, t.to_string())));
        let line = serde_json::to_string(&pairs).unwrap_or_default();
        if writeln!(out, "{line}").is_err() {
            return super::EXIT_FAILURE;
        }
    }
    if out.flush().is_err() {
        return super::EXIT_FAILURE;
    }
    super::EXIT_OK
}
