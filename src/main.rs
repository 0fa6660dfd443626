//! The `kbgen` binary: a thin wrapper around [`kbgen::cli`].

/// mimalloc instead of the system allocator: a build allocates and frees
/// millions of small nodes and strings, and glibc's malloc/free were ~21% of
/// all instructions of a build of libvirt's 153 pages (callgrind).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(kbgen::cli::main());
}
