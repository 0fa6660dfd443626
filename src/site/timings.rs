//! `--timings`: wall time of each build stage, and the CPU time the page
//! workers spent per per-page stage (each worker thread's own CPU clock,
//! so time the thread waited for a core on a busy machine is not counted).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Time spent in each stage (`--timings`).
#[derive(Debug, Clone, Default)]
pub struct Timings {
    pub stages: Vec<(&'static str, Duration)>,
}

impl Timings {
    /// Records `stage` as the time since `since`; returns now.
    pub fn record(&mut self, stage: &'static str, since: Instant) -> Instant {
        let now = Instant::now();
        self.stages.push((stage, now - since));
        now
    }
}

/// A per-page stage, timed by [`StageClock`].
#[derive(Debug, Clone, Copy)]
pub enum PageStage {
    Parse = 0,
    /// The page's search entries: text from the tree, words counted.
    Search = 1,
    Render = 2,
    Write = 3,
}

/// Whether page workers read their CPU clocks: only for `--timings`. The
/// thread clock is a system call (the vDSO has no fast path for it), five
/// a page: ~50,000 calls in a 10,000-page build that nobody reads.
static PAGE_CPU_CLOCKS: AtomicBool = AtomicBool::new(false);

/// Turns the per-page CPU clocks of [`StageClock`] on (`--timings`) or off.
pub fn time_page_stages(on: bool) {
    PAGE_CPU_CLOCKS.store(on, Ordering::Relaxed);
}

/// A reading of the calling thread's CPU clock (`CLOCK_THREAD_CPUTIME_ID`),
/// zero unless [`time_page_stages`] turned the clocks on.
#[derive(Debug, Clone, Copy)]
pub struct ThreadCpu(Duration);

impl ThreadCpu {
    #[cfg(unix)]
    pub fn now() -> ThreadCpu {
        if !PAGE_CPU_CLOCKS.load(Ordering::Relaxed) {
            return ThreadCpu(Duration::ZERO);
        }
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `ts` is a valid, writable timespec; the clock id is a
        // constant every Linux and BSD kernel knows. On failure the
        // reading stays zero, which only makes a timing wrong.
        unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
        let secs = u64::try_from(ts.tv_sec).unwrap_or(0);
        let nanos = u32::try_from(ts.tv_nsec).unwrap_or(0);
        ThreadCpu(Duration::new(secs, nanos))
    }

    /// Elsewhere there is no per-thread clock in `libc`: stages read zero.
    #[cfg(not(unix))]
    pub fn now() -> ThreadCpu {
        ThreadCpu(Duration::ZERO)
    }
}

/// CPU time the page workers spent in each per-page stage, summed over
/// threads (wall time of a parallel stage says little about where CPU
/// goes, and on a busy machine includes time spent waiting for a core).
#[derive(Default)]
pub struct StageClock {
    nanos: [AtomicU64; 4],
}

impl StageClock {
    const NAMES: [&'static str; 4] = [
        "  parse + passes (CPU, all threads)",
        "  search words (CPU, all threads)",
        "  render (CPU, all threads)",
        "  write (CPU, all threads)",
    ];

    /// Adds the calling thread's CPU time since `since` to `stage`; returns now.
    pub fn add(&self, stage: PageStage, since: ThreadCpu) -> ThreadCpu {
        let now = ThreadCpu::now();
        let spent = u64::try_from(now.0.saturating_sub(since.0).as_nanos()).unwrap_or(u64::MAX);
        self.nanos[stage as usize].fetch_add(spent, Ordering::Relaxed);
        now
    }

    pub fn report(&self, timings: &mut Timings) {
        for (name, n) in Self::NAMES.iter().zip(&self.nanos) {
            let spent = n.load(Ordering::Relaxed);
            timings.stages.push((name, Duration::from_nanos(spent)));
        }
    }
}
