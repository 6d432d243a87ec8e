//! Which point and replicate each run index stands for.
//!
//! Every point runs `replicates` times, point after point (`run = point × replicates +
//! replicate`). A sweep may also give its first `extra_points` points `extra_replicates`
//! more runs each (calibration's `[stochastic]` table: a pooled estimate of the replicate
//! variance from a few points run many times); those runs come after all the others, point
//! after point, with replicates numbered on from `replicates`:
//!
//! ```text
//! run = points × replicates + point × extra_replicates + (replicate − replicates)
//! ```
//!
//! so a sweep without extra runs keeps its indices, seeds and files, and the extra runs are
//! ordinary runs for resume, shards and merge.

/// The run indices of a sweep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// Points of the design.
    pub points: u64,
    /// Runs of every point.
    pub replicates: u32,
    /// Points (the first ones) that run more.
    pub extra_points: u64,
    /// More runs of each of those points.
    pub extra_replicates: u32,
}

impl Layout {
    /// Runs in all.
    pub fn runs(&self) -> u64 {
        self.points * u64::from(self.replicates)
            + self.extra_points * u64::from(self.extra_replicates)
    }

    /// The point and replicate of run `run`.
    pub fn locate(&self, run: u64) -> (u64, u32) {
        let r = u64::from(self.replicates.max(1));
        let ordinary = self.points * r;
        if run < ordinary || self.extra_replicates == 0 {
            (run / r, (run % r) as u32)
        } else {
            let k = run - ordinary;
            let e = u64::from(self.extra_replicates);
            (k / e, self.replicates + (k % e) as u32)
        }
    }

    /// Runs of `point`, in replicate order.
    pub fn runs_of(&self, point: u64) -> Vec<u64> {
        let r = u64::from(self.replicates);
        let mut runs: Vec<u64> = (point * r..(point + 1) * r).collect();
        if point < self.extra_points {
            let e = u64::from(self.extra_replicates);
            let first = self.points * r + point * e;
            runs.extend(first..first + e);
        }
        runs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_run_is_one_replicate_of_one_point_and_back() {
        let l = Layout {
            points: 5,
            replicates: 2,
            extra_points: 3,
            extra_replicates: 4,
        };
        assert_eq!(l.runs(), 5 * 2 + 3 * 4);
        // The ordinary runs keep the indices of a sweep without extra runs.
        assert_eq!(l.locate(0), (0, 0));
        assert_eq!(l.locate(9), (4, 1));
        // Then point 0's replicates 2..6, point 1's, point 2's.
        assert_eq!(l.locate(10), (0, 2));
        assert_eq!(l.locate(13), (0, 5));
        assert_eq!(l.locate(14), (1, 2));
        assert_eq!(l.locate(21), (2, 5));
        let mut seen = Vec::new();
        for p in 0..l.points {
            let runs = l.runs_of(p);
            assert_eq!(runs.len(), if p < 3 { 6 } else { 2 });
            for (i, &run) in runs.iter().enumerate() {
                assert_eq!(l.locate(run), (p, i as u32));
                seen.push(run);
            }
        }
        seen.sort_unstable();
        assert_eq!(seen, (0..l.runs()).collect::<Vec<_>>());
    }

    #[test]
    fn without_extra_runs_the_layout_is_point_major() {
        let l = Layout {
            points: 4,
            replicates: 3,
            extra_points: 0,
            extra_replicates: 0,
        };
        assert_eq!(l.runs(), 12);
        assert_eq!(l.locate(7), (2, 1));
        assert_eq!(l.runs_of(3), vec![9, 10, 11]);
    }
}
