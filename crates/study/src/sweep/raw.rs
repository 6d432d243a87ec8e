//! The serde mirror of a sweep file (`SWEEP.toml`): shapes and types only, checked by [`super::spec`].

use serde::{Deserialize, Serialize};
use toml::Spanned;

/// A sweep file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSweep {
    /// Name of the sweep (safe as a directory name).
    pub name: Spanned<String>,
    /// Base scenario, relative to the sweep file; absent: the embedded default scenario.
    #[serde(default)]
    pub base: Option<Spanned<String>>,
    /// Sweep seed, from which every run's seed is derived.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Runs per point, each with its own seed.
    pub replicates: Spanned<u32>,
    /// Fixed `PATH=VALUE` overrides applied to the base scenario before any parameter.
    #[serde(default)]
    pub set: Vec<Spanned<String>>,
    /// Headline indicators the sweep's figures show, in panel order (absent: a default set).
    #[serde(default)]
    pub plot_indicators: Option<Spanned<Vec<Spanned<String>>>>,
    /// `"parquet"` also writes the tables and every run's weekly series as Parquet; `"csv"`
    /// (the default) writes the CSV tables only.
    #[serde(default)]
    pub tables: Option<Tables>,
    /// How points are chosen.
    pub design: Spanned<RawDesign>,
    /// The varied parameters, in column order.
    #[serde(default, rename = "param")]
    pub params: Vec<Spanned<RawParam>>,
}

fn default_seed() -> u64 {
    1
}

/// The `tables` of a sweep file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tables {
    /// `runs.csv` and `points.csv` (the default).
    Csv,
    /// Those, and `runs.parquet`, `points.parquet` and `weekly.parquet` (every run's
    /// weekly series).
    Parquet,
}

/// The design table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDesign {
    /// grid, random or lhs.
    pub kind: DesignKind,
    /// Points drawn (random and lhs only).
    #[serde(default)]
    pub samples: Option<Spanned<u64>>,
}

/// The kinds of design.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DesignKind {
    /// Every combination of the value lists (the last parameter varies fastest).
    Grid,
    /// Independent uniform draws over each range.
    Random,
    /// Latin hypercube over the ranges: each range cut in `samples` strata, each stratum used once.
    Lhs,
}

/// One `[[param]]` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawParam {
    /// Dotted path, as for `--set`.
    pub path: Spanned<String>,
    /// Values (grid designs).
    #[serde(default)]
    pub values: Option<Spanned<Vec<Spanned<toml::Value>>>>,
    /// `[min, max]` (random and lhs designs); two integers sample integers.
    #[serde(default)]
    pub range: Option<Spanned<Vec<toml::Value>>>,
}
