//! The files of sweep and sensitivity directories, named once: what `pluri sweep`,
//! `pluri merge` and `pluri sensitivity` write, and the figures read back.
//!
//! Tables whose columns depend on the study (the parameters varied, the indicators) are
//! described by their fixed columns and the rule that names the others; the ranking tables
//! of a sensitivity analysis have row types. Columns are described in `docs/SWEEPS.md`.

use serde::{Deserialize, Serialize};

/// The effective sweep file (TOML): with [`BASE_FILE`] beside it, it runs the same sweep again.
pub const SWEEP_FILE: &str = "sweep.toml";
/// The key of [`SWEEP_FILE`] listing the headline indicators its figures show, in order.
pub const PLOT_INDICATORS_KEY: &str = "plot_indicators";
/// The base scenario with the sweep's fixed overrides applied.
pub const BASE_FILE: &str = "base.toml";
/// The sweep's identity and progress (JSON).
pub const MANIFEST_FILE: &str = "manifest.json";
/// One row per run: [`RUN_COLUMNS`], the parameters, then the headline indicators.
pub const RUNS_FILE: &str = "runs.csv";
/// One row per point: [`POINT_COLUMN`], the parameters, [`REPLICATES_COLUMN`], then for each
/// headline indicator one column per statistic of [`POINT_STATS`] ([`point_column`]).
pub const POINTS_FILE: &str = "points.csv";

/// The leading columns of [`RUNS_FILE`], before the parameters and indicators.
pub const RUN_COLUMNS: [&str; 4] = ["run", "point", "replicate", "seed"];
/// The first column of [`POINTS_FILE`]: the point's index.
pub const POINT_COLUMN: &str = "point";
/// The column of [`POINTS_FILE`] after the parameters: runs averaged at the point.
pub const REPLICATES_COLUMN: &str = "n";
/// The statistics of each indicator in [`POINTS_FILE`], in column order: mean over
/// replicates, standard deviation, and the ends of a 95% interval of the mean (empty when
/// there are fewer than two replicates).
pub const POINT_STATS: [&str; 4] = ["mean", "sd", "ci_low", "ci_high"];

/// The column of [`POINTS_FILE`] holding statistic `stat` (of [`POINT_STATS`]) of `indicator`.
pub fn point_column(indicator: &str, stat: &str) -> String {
    format!("{indicator}_{stat}")
}

/// The sensitivity file of a sensitivity analysis, as given (it names the analysis).
pub const SENSITIVITY_FILE: &str = "sensitivity.toml";
/// The Morris screening of a sensitivity analysis: one [`MorrisRecord`] per indicator and
/// parameter.
pub const MORRIS_FILE: &str = "morris.csv";
/// The Sobol indices of a sensitivity analysis: one [`SobolRecord`] per indicator and parameter.
pub const SOBOL_FILE: &str = "sobol.csv";

/// A parameter's Morris screening for one indicator.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MorrisRecord {
    /// Headline indicator.
    pub indicator: String,
    /// Parameter (dotted path).
    pub parameter: String,
    /// Rank by `mu_star`, 1 = most influential.
    pub rank: usize,
    /// Mean absolute elementary effect.
    pub mu_star: f64,
    /// Mean elementary effect.
    pub mu: f64,
    /// Standard deviation of the elementary effects.
    pub sigma: f64,
}

/// A parameter's Sobol indices for one indicator, with 95% bootstrap intervals.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SobolRecord {
    /// Headline indicator.
    pub indicator: String,
    /// Parameter (dotted path).
    pub parameter: String,
    /// Rank by the total index, 1 = most influential.
    pub rank: usize,
    /// Total index.
    #[serde(rename = "ST")]
    pub st: f64,
    /// Its interval, lower end.
    #[serde(rename = "ST_ci_low")]
    pub st_ci_low: f64,
    /// Its interval, upper end.
    #[serde(rename = "ST_ci_high")]
    pub st_ci_high: f64,
    /// First-order index.
    #[serde(rename = "S1")]
    pub s1: f64,
    /// Its interval, lower end.
    #[serde(rename = "S1_ci_low")]
    pub s1_ci_low: f64,
    /// Its interval, upper end.
    #[serde(rename = "S1_ci_high")]
    pub s1_ci_high: f64,
}
