//! The `kbgen` binary: a thin wrapper around [`kbgen::cli`].

fn main() {
    std::process::exit(kbgen::cli::main());
}
