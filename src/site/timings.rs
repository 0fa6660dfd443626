//! `--timings`: wall time of each build stage, and the CPU time the page
//! workers spent per per-page stage.

use std::sync::atomic::{AtomicU64, Ordering};
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
    Render = 1,
    Write = 2,
}

/// Time the page workers spent in each per-page stage, summed over threads
/// (wall time of a parallel stage says little about where CPU goes).
#[derive(Default)]
pub struct StageClock {
    nanos: [AtomicU64; 3],
}

impl StageClock {
    const NAMES: [&'static str; 3] = [
        "  parse + passes (all threads)",
        "  render (all threads)",
        "  write (all threads)",
    ];

    /// Adds the time since `since` to `stage`; returns now.
    pub fn add(&self, stage: PageStage, since: Instant) -> Instant {
        let now = Instant::now();
        let spent = u64::try_from((now - since).as_nanos()).unwrap_or(u64::MAX);
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
