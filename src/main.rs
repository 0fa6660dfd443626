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
    no_transparent_huge_pages();
    std::process::exit(kbgen::cli::main());
}

/// mimalloc asks for transparent huge pages (`MADV_HUGEPAGE`) for its
/// arenas. Whether a huge-page fault is cheap depends on the machine's
/// memory at that moment: right after another process (docutils, here)
/// had used and freed some, libvirt's 153-page Markdown twin took a median
/// 70 ms with them against 53 ms without (36 against 42 ms when memory was
/// not churned), and ×65 was within 1% either way (2.11 against 2.14 s).
/// A build whose time does not depend on what ran before it is worth more
/// to docs CI than 6 ms in the best case. Later faults in this process,
/// madvised regions included, get ordinary pages.
fn no_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE only sets a flag on this process's memory
    // map; it takes no pointers.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
