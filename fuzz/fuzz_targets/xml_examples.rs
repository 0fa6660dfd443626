//! Fuzz target `xml_examples`: see `kbgen_fuzz::checks::xml_pipeline` for what is checked.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Invalid UTF-8 is refused by `SourceFile::read` before any parser
    // runs (tested in tests/robustness_files.rs); here the lossy text keeps
    // the fuzzer's mutations useful instead of discarding them.
    let text = String::from_utf8_lossy(data);
    if let Err(e) = kbgen_fuzz::checks::xml_pipeline(&text) {
        panic!("xml_examples oracle failed: {e}");
    }
});
