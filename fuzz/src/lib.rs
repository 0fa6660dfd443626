//! Shared oracles for kbgen's fuzz targets. The checks live in
//! `checks.rs` so the regression tests (`tests/robustness_*.rs`) can
//! include the very same file and replay a crash input with the assertions
//! the fuzzer used.

pub mod checks;
