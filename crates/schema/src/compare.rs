//! The files of a comparison directory (`pluri compare`), named once: each table's row type
//! and so its columns (a row type's fields, in order, are the CSV's columns), and the
//! manifest that says what was compared, how, and how to reproduce it.
//!
//! `pluri compare` writes these rows; the banded figures read `weekly.csv` and the manifest
//! back through the same types. Column meanings are in `docs/COMPARE.md`.

use crate::date::Date;
use serde::{Deserialize, Serialize};

/// Files of a comparison directory, in the order they are written (figures and the
/// `scenarios/` folder besides).
pub const COMPARE_FILES: &[&str] = &[
    MANIFEST_FILE,
    RUNS_FILE,
    ARMS_FILE,
    DIFFERENCES_FILE,
    WEEKLY_FILE,
    REPORT_FILE,
];

/// What was compared and how: a [`Manifest`] as JSON.
pub const MANIFEST_FILE: &str = "compare.json";
/// One row per arm and replicate: `arm`, `replicate`, `seed`, then the headline indicators
/// (`run::HEADLINE`), in that order ([`RUNS_KEY_COLUMNS`]).
pub const RUNS_FILE: &str = "runs.csv";
/// One [`ArmRecord`] per arm and indicator.
pub const ARMS_FILE: &str = "arms.csv";
/// One [`DifferenceRecord`] per arm after the first and indicator.
pub const DIFFERENCES_FILE: &str = "differences.csv";
/// One [`WeeklyBandRecord`] per week, arm and weekly column.
pub const WEEKLY_FILE: &str = "weekly.csv";
/// The self-contained report page.
pub const REPORT_FILE: &str = "report.html";
/// Folder of each arm's effective scenario, `scenarios/<arm>.toml`.
pub const SCENARIOS_DIR: &str = "scenarios";

/// The first columns of `runs.csv`, before the headline indicators.
pub const RUNS_KEY_COLUMNS: &[&str] = &["arm", "replicate", "seed"];

/// Indicators of `arms.csv` and `differences.csv` that are weekly columns are named with
/// this prefix: `weekly.needs_unmet` is the mean of `needs_unmet` per week over the last 52
/// weeks (the whole run if shorter), the window of the headline's rates.
pub const WEEKLY_INDICATOR_PREFIX: &str = "weekly.";

/// Verdict of a difference whose confidence interval excludes zero.
pub const DIFFERS: &str = "differs";
/// Verdict of a difference whose confidence interval contains zero.
pub const NOT_DISTINGUISHABLE: &str = "not distinguishable from zero";

/// An indicator of one arm over its replicates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArmRecord {
    /// Arm name.
    pub arm: String,
    /// Headline indicator, or `weekly.<column>`.
    pub indicator: String,
    /// Mean over replicates.
    pub mean: f64,
    /// Standard deviation over replicates (n - 1 in the denominator).
    pub sd: f64,
    /// Lower end of the confidence interval of the mean (t interval at the manifest's level).
    pub ci_low: f64,
    /// Upper end.
    pub ci_high: f64,
    /// Replicates.
    pub replicates: u32,
}

/// The paired difference of one indicator between an arm and the first arm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DifferenceRecord {
    /// Arm name (never the first arm).
    pub arm: String,
    /// Headline indicator, or `weekly.<column>`.
    pub indicator: String,
    /// Mean of the first arm.
    pub mean_first: f64,
    /// Mean of this arm.
    pub mean_arm: f64,
    /// Mean of the paired differences, arm minus first (= `mean_arm - mean_first`).
    pub difference: f64,
    /// Lower end of the confidence interval of the difference (t interval on the paired
    /// differences, at the manifest's level).
    pub ci_low: f64,
    /// Upper end.
    pub ci_high: f64,
    /// Standard deviation of the paired differences.
    pub sd_difference: f64,
    /// Pairs (replicates).
    pub replicates: u32,
    /// [`DIFFERS`] when the interval excludes zero, else [`NOT_DISTINGUISHABLE`].
    pub verdict: String,
    /// Replicates that would bring the interval's half-width under the target precision
    /// (empty when the target is undefined: a zero difference and no absolute target).
    pub replicates_needed: Option<u64>,
}

/// One weekly column of one arm at one week, over the replicates; with the paired
/// difference from the first arm (empty for the first arm, and where the first arm has no
/// such week).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeeklyBandRecord {
    /// Week index, from 0.
    pub week: u32,
    /// The week's last day, when every arm has the same `start_date` ([`Manifest::start_date`];
    /// the column is absent otherwise), as in a dated run's `weekly.csv`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    /// Arm name.
    pub arm: String,
    /// Column of the run's `weekly.csv`.
    pub indicator: String,
    /// Mean over replicates.
    pub mean: f64,
    /// Standard deviation over replicates.
    pub sd: f64,
    /// Lower end of the confidence interval of the mean: the band of the figures.
    pub ci_low: f64,
    /// Upper end.
    pub ci_high: f64,
    /// Mean paired difference from the first arm.
    pub difference: Option<f64>,
    /// Lower end of its confidence interval.
    pub difference_ci_low: Option<f64>,
    /// Upper end.
    pub difference_ci_high: Option<f64>,
}

/// One arm as the manifest describes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArmInfo {
    /// Name (unique, safe as a file name).
    pub name: String,
    /// Where it comes from: a scenario file, `--arm` overrides, or `--without`.
    pub source: String,
    /// Its effective scenario, relative to the comparison directory.
    pub scenario_file: String,
    /// Hash of its effective scenario.
    pub scenario_hash: String,
    /// What differs from the first arm's effective scenario, one `path: first -> this` each.
    pub differs: Vec<String>,
}

/// What a comparison directory holds and how it was made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// pluri version that wrote it.
    pub pluri_version: String,
    /// The question, as the report states it.
    pub question: String,
    /// Confidence level of every interval (0.95: 95%).
    pub level: f64,
    /// Replicates of every arm.
    pub replicates: u32,
    /// Comparison seed, from which every run's seed is derived.
    pub seed: u64,
    /// Whether replicate r of every arm shares its seed (common random numbers); false
    /// only when independent seeds were asked for.
    pub paired: bool,
    /// Formula of the run seeds.
    pub seed_formula: String,
    /// The first day of week 0 (`start_date`) that every arm shares, when all are dated
    /// alike: `weekly.csv` then has a `date` column and the figures show years. Absent when
    /// an arm is undated or the arms' start dates differ.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<Date>,
    /// Arms, the first being the reference of every difference.
    pub arms: Vec<ArmInfo>,
    /// Seeds of the runs: `seeds[a][r]` is replicate r of arm a.
    pub seeds: Vec<Vec<u64>>,
    /// The command that reproduces the directory.
    pub command: String,
}
