//! `bench.csv`: one row per size that `pluri bench` measured.

use serde::{Deserialize, Serialize};

/// One size's measurement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchRow {
    /// Residents simulated.
    pub residents: u64,
    /// Weeks simulated (warm-up included).
    pub weeks: u32,
    /// Worker threads.
    pub threads: usize,
    /// Wall time of building and simulating (seconds).
    pub wall_seconds: f64,
    /// Residents × weeks / wall time.
    pub patient_weeks_per_second: f64,
    /// Care episodes / wall time (recorded weeks' episodes, scaled to the simulated weeks).
    pub episodes_per_second: f64,
    /// Peak resident memory of the process that ran this size (MiB; 0 if unknown).
    pub peak_memory_mib: f64,
    /// Peak memory per resident (bytes).
    pub bytes_per_resident: f64,
}
