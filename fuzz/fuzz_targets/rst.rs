//! Fuzz target `rst`: see `kbgen_fuzz::checks::rst_pipeline` for what is checked.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Invalid UTF-8 is refused by `SourceFile::read` before any parser
    // runs (tested in tests/robustness_files.rs); here the lossy text keeps
    // the fuzzer's mutations useful instead of discarding them.
    let text = String::from_utf8_lossy(data);
    if let Err(e) = kbgen_fuzz::checks::rst_pipeline(&text) {
        panic!("rst oracle failed: {e}");
    }
});
