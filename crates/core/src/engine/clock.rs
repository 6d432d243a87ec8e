//! Where a run's time goes: wall time spent in each phase, summed over weeks.
//!
//! Timings vary from run to run, so they are kept apart from [`crate::results::RunResults`],
//! whose content is deterministic; `pluri run` writes them to `timings.json`.

use super::phase::Phase;
use std::time::{Duration, Instant};

/// Seconds spent building the world and in each phase of the week.
#[derive(Debug, Clone, Default)]
pub struct PhaseTimes {
    /// Building the world from the scenario.
    pub build: Duration,
    /// Per phase, in [`Phase::ALL`] order.
    pub phases: [Duration; Phase::ALL.len()],
    /// Building the final records (ties, zones, structures).
    pub finish: Duration,
}

impl PhaseTimes {
    /// Adds the time since `since` to `phase` and returns now, to start the next one.
    pub fn lap(&mut self, phase: Phase, since: Instant) -> Instant {
        let now = Instant::now();
        self.phases[phase as usize] += now - since;
        now
    }

    /// (name, seconds) for the build, every phase and the finish, in order.
    pub fn seconds(&self) -> Vec<(&'static str, f64)> {
        let mut out = vec![("build", self.build.as_secs_f64())];
        for (phase, d) in Phase::ALL.iter().zip(self.phases) {
            out.push((phase.name(), d.as_secs_f64()));
        }
        out.push(("finish", self.finish.as_secs_f64()));
        out
    }
}
