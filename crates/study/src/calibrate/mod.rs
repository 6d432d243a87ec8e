//! Calibration: find the parameter sets with which a scenario reproduces observed
//! patterns, by history matching over a Latin hypercube run with the sweep machinery.
//!
//! A calibration file ([`spec`]) names a scenario, free parameters with ranges, observed
//! tables ([`observed`]) and how each simulated weekly indicator maps onto an observed one.
//! [`run`] builds the corresponding sweep in memory, runs it (parallel, resumable,
//! shardable: the sweep directory is `OUT/sweep/`), each run recording the mapped indicators
//! at the observed dates and at each 1 January; then it scores every parameter set
//! ([`score`]) and writes `scores.csv`, `accepted.csv`, `calibrated.toml` and `report.md`
//! ([`outputs`]). Method and honesty notes: `docs/CALIBRATION.md`.

mod curves;
mod error;
mod mapping;
mod observed;
mod outputs;
mod raw;
mod score;
mod spec;

pub use error::CalibrateError;
pub use score::PointScore;
pub use spec::Calibration;

use crate::sweep::{prepare, Options, RunRecord, Store};
use pluri_core::output::{Contents, DirLock};
use std::path::PathBuf;

/// What a calibration directory holds: `--force` replaces only such a directory.
pub const CALIBRATION_DIR: Contents = Contents {
    kind: "calibration directory",
    identity: &["sweep/manifest.json"],
    files: &[
        "scores.csv",
        "accepted.csv",
        "calibrated.toml",
        "report.md",
        pluri_schema::calibration::CURVES_FILE,
    ],
    tables: &[],
    figures: &["calibration"],
    dirs: &[("sweep", &crate::sweep::store::SWEEP_DIR)],
    numbered_json: false,
};
use std::sync::atomic::AtomicBool;

/// What a call to [`run`] did.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The sweep's report.
    pub sweep: crate::sweep::Report,
    /// Every point, scored (empty for a shard or an interrupted sweep).
    pub scores: Vec<PointScore>,
    /// The calibration directory.
    pub out: PathBuf,
}

/// Runs what is missing of the calibration's sweep in `opts.out/sweep`, then (whole,
/// complete sweeps) scores it and writes the tables, `calibrated.toml` and `report.md` into
/// `opts.out`.
pub fn run(
    cal: &Calibration,
    opts: &Options,
    stop: &AtomicBool,
    on_done: &(dyn Fn(&RunRecord, &str) + Sync),
) -> Result<Outcome, CalibrateError> {
    let mut sweep_opts = Options {
        out: opts.out.join("sweep"),
        ..opts.clone()
    };
    if let Some(file) = opts.out.ancestors().find(|a| a.is_file()) {
        return Err(crate::sweep::SweepError::Directory {
            path: file.to_path_buf(),
            message: "is a file, not a directory: choose another --out".into(),
        }
        .into());
    }
    let not_calibration = || -> CalibrateError {
        crate::sweep::SweepError::Directory {
            path: opts.out.clone(),
            message: "exists and is not a calibration directory: choose another --out".into(),
        }
        .into()
    };
    if opts.out.exists() && !opts.force && !opts.resume && !sweep_opts.out.exists() {
        let empty = std::fs::read_dir(&opts.out).is_ok_and(|mut d| d.next().is_none());
        if !empty {
            return Err(not_calibration());
        }
    }
    if opts.force {
        // Before the lock, so that a refused directory is left untouched.
        CALIBRATION_DIR
            .check_replaceable(&opts.out)
            .map_err(crate::sweep::SweepError::from)?;
    }
    if let Some(parent) = opts.out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|source| crate::sweep::SweepError::Io {
            path: parent.to_path_buf(),
            source,
        })?;
    }
    let _lock = DirLock::acquire(&opts.out).map_err(crate::sweep::SweepError::from)?;
    if opts.force {
        CALIBRATION_DIR
            .remove(&opts.out)
            .map_err(crate::sweep::SweepError::from)?;
        sweep_opts.force = false;
    } else if opts.resume && opts.out.exists() && !sweep_opts.out.exists() {
        let empty = std::fs::read_dir(&opts.out).is_ok_and(|mut d| d.next().is_none());
        if !empty {
            return Err(not_calibration());
        }
    }
    let prepared = prepare(&cal.sweep, &sweep_opts)?;
    let extract = |r: &pluri_core::RunResults| score::extract(cal, r);
    let report = prepared.execute_with(&cal.sweep, stop, on_done, &extract)?;
    let mut scores = Vec::new();
    if opts.shard.is_all() && !report.interrupted {
        scores = score::score(cal, &Store::new(&sweep_opts.out))?;
        outputs::write_tables(cal, &scores, &opts.out)?;
        if let Some(best) = score::best(&scores) {
            outputs::write_calibrated(cal, best, &opts.out)?;
        }
        outputs::write_report(cal, &scores, &opts.out)?;
        outputs::write_curves(cal, &scores, &opts.out)?;
    }
    Ok(Outcome {
        sweep: report,
        scores,
        out: opts.out.clone(),
    })
}
