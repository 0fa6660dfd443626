//! The `kbgen` binary: a thin wrapper around [`kbgen::cli`].

/// mimalloc (its v2 line) instead of glibc's malloc. A build allocates and
/// frees millions of small tree nodes and strings on every thread; glibc
/// spent about a quarter of the build's instructions in `malloc`/`free`
/// and kept each thread's freed memory in that thread's arena. Measured
/// on libvirt's pages (bench/README, "Ninth round"): ×65 3.1 → 2.8 s,
/// ×10 Markdown 384 → 322 ms, peak memory 30 → 53 MB at ×10 and 40 → 65
/// MB at ×65 (still flat in pages). mimalloc v3 kept more (91–107 MB at
/// ×10) for no more speed; jemalloc was slower and less flat (×65 54 MB
/// over ×10's 35 MB).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(kbgen::cli::main());
}
