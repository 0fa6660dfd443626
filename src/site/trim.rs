//! Giving freed memory back to the system between a full build's stages.
//!
//! Loading runs on every thread, and glibc's allocator gives each thread
//! its own arena: the trees and texts a worker thread freed stay resident
//! in its arena, where the main thread's later stages (index, link check,
//! report) cannot reuse them. Their pages then count in the build's peak
//! memory on top of what those stages allocate. Trimming once loading is
//! done returns them (glibc also releases free pages inside an arena).

/// Sites with fewer pages than this keep their freed memory: `malloc_trim`
/// walks every arena's free lists (0.5–2 ms on a 150-page site, ~4 ms a
/// call on a 1,530-page one) and gave back nothing that mattered there:
/// the 1,530-page libvirt ×10 site peaks at 30.5 MB either way. On the
/// 9,945-page ×65 site it keeps the peak flat (issue 17).
const TRIM_FROM_PAGES: usize = 5000;

/// [`return_free_memory`] for a build of `pages` pages: only when the site
/// is big enough for its freed memory to matter.
pub fn return_free_memory_of_site(pages: usize) {
    if pages >= TRIM_FROM_PAGES {
        return_free_memory();
    }
}

/// Returns the allocator's free memory to the system where it can (glibc);
/// elsewhere does nothing.
pub fn return_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` only releases memory no allocation uses; it
    // takes no pointers and may be called at any time from any thread.
    unsafe {
        libc::malloc_trim(0);
    }
}
