//! pluri: simulates how general practitioners, support professionals and care coordinators
//! cooperate across a territory, week by week, and what policies change in that.
//!
//! The library is the product as much as the binary:
//!
//! ```
//! let text = r#"
//!     name = "tiny"
//!     weeks = 8
//!     [[zones]]
//!     name = "town"
//!     population = 3000
//!     rurality = "rural"
//!     x_km = 0.0
//!     y_km = 0.0
//! "#;
//! let scenario = pluri::Scenario::from_toml_str(text, "tiny.toml")?
//!     .with_sets(&["population.elderly_share=0.3"])?;
//! let results = pluri::simulate(&scenario);
//! assert_eq!(results.weekly.len(), 8);
//! # Ok::<(), pluri::ScenarioError>(())
//! ```
//!
//! - A [`Scenario`] is read from TOML, checked once, and changed only through methods that
//!   keep it valid and keep its file ([`Scenario::to_commented_toml`]) and its hash in
//!   agreement with what it simulates.
//! - [`simulate`] runs it and returns [`RunResults`] (rows in [`results`]); [`Simulation`]
//!   runs it a week at a time. [`write_run`] writes a result directory as `pluri run` does.
//! - [`sweep`] runs many variants of a scenario (designs, replicates, resumable shards) and
//!   sensitivity analyses; [`calibrate`] finds the parameter sets that reproduce observed
//!   figures; [`plot`] draws the figures of result directories.
//!
//! The same scenario and seed give byte-identical results whatever the number of threads.
#![warn(missing_docs)]

use std::path::{Path, PathBuf};

pub use pluri_core::input::{InputError, InputKind};
pub use pluri_core::output::OutputError;
pub use pluri_core::{
    simulate, Phase, PhaseTimes, RunResults, Scenario, ScenarioError, Simulation,
};

/// What a scenario is made of, as its accessors ([`Scenario::zones`],
/// [`Scenario::structures`], [`Scenario::interventions`]) give it.
pub mod scenario {
    pub use pluri_core::scenario::{
        Action, Intervention, Profession, Rurality, StructureKind, StructureSpec, Target, ZoneSpec,
        DEFAULT_TOML,
    };
}

/// The rows of a run's results and the files of a run directory.
///
/// [`RunResults`] holds the rows in memory; [`write_run`] writes them as the files named
/// here. Columns and units are in `docs/OUTPUTS.md`.
pub mod results {
    pub use pluri_core::{
        InterventionRecord, StructureRecord, StructureTypeRecord, TieRecord, Ties, WeeklyRecord,
        ZoneRecord,
    };
    pub use pluri_schema::date::Date;
    pub use pluri_schema::run::{
        BY_STRUCTURE_TYPE_FILE, HEADLINE, INTERVENTIONS_FILE, PARQUET_FILES, RUN_FILES,
        SCENARIO_FILE, STRUCTURES_FILE, SUMMARY_FILE, TIES_FILE, TIMINGS_FILE, WEEKLY_FILE,
        ZONES_FILE,
    };
}

/// Result tables as Arrow record batches (arrow-rs 59) and Parquet files, with the CSV
/// files' columns: [`columnar::weekly_batch`] and its siblings for a run's tables,
/// [`columnar::RunsColumns`], [`columnar::PointsColumns`] and
/// [`columnar::run_weekly_batch`] for a sweep's, [`columnar::write_rows`] and
/// [`columnar::ParquetWriter`] to stream them to a file.
pub use pluri_columnar as columnar;

/// Parameter sweeps and sensitivity analyses.
///
/// A sweep file names a base scenario, parameters by their `--set` paths and a design (grid,
/// random, Latin hypercube) with replicates; each run's seed depends on the sweep seed, its
/// point and its replicate alone, so results do not depend on threads, order or shards.
///
/// ```no_run
/// use pluri::sweep::{prepare, Options, Shard, Sweep};
/// use std::sync::atomic::AtomicBool;
/// let sweep = Sweep::from_file("scenarios/sweeps/small.toml".as_ref())?;
/// let opts = Options { out: "output/small-sweep".into(), resume: false, force: true, shard: Shard::ALL };
/// let report = prepare(&sweep, &opts)?.execute(&sweep, &AtomicBool::new(false), &|_, _| {})?;
/// println!("{} runs in {:.1} s", report.ran, report.wall_seconds);
/// # Ok::<(), pluri::sweep::SweepError>(())
/// ```
pub mod sweep {
    pub use pluri_study::sweep::sensitivity::{analyse, Sensitivity};
    pub use pluri_study::sweep::{
        merge, prepare, Domain, Layout, MergeReport, Options, Param, Prepared, Report, RunRecord,
        RunSpec, Shard, Sweep, SweepError,
    };
}

/// Calibration by history matching: the parameter sets with which a scenario reproduces
/// observed figures (`docs/CALIBRATION.md`).
pub mod calibrate {
    pub use pluri_study::calibrate::{run, CalibrateError, Calibration, Outcome, PointScore};
}

/// Policy comparison: arms run on the same replicate seeds (common random numbers), each
/// indicator's paired difference from the first arm with its interval and verdict, tables
/// and a self-contained report (`docs/COMPARE.md`). `pluri compare` chains [`compare::ArmsSpec::build`],
/// [`compare::execute`], [`compare::tabulate`], [`compare::write_tables`],
/// [`plot::plot_compare`] and [`compare::write_report`].
pub mod compare {
    pub use pluri_study::compare::{
        execute, tabulate, write_report, write_tables, Arm, ArmsSpec, CompareError, Outcome,
        ReportFigure, RunValues, Settings, Tables,
    };
}

/// Figures drawn from result directories (runs, sweeps, sensitivity analyses) alone.
pub mod plot {
    pub use pluri_plot::{
        dir_kind, plot_compare, plot_run_dir, plot_runs, plot_sensitivity, plot_sweep, ComparePlot,
        ComparePlotError, DirKind, Format, PlotError, SweepPlotError, COMPARE_FIGURES,
        SWEEP_INDICATORS, TIME_FIGURES,
    };
}

/// Writes the result directory of a run at `dir`, as `pluri run` does without its figures
/// and timings: every file of [`results::RUN_FILES`], written under a temporary name beside
/// `dir` and renamed into place once complete. An existing `dir` is replaced only with
/// `force`. Returns the directory written.
pub fn write_run(
    dir: &Path,
    scenario: &Scenario,
    results: &RunResults,
    force: bool,
) -> Result<PathBuf, OutputError> {
    let run = pluri_core::output::RunDir::create(dir, force)?;
    for name in results::RUN_FILES {
        run.write_with(name, |w| {
            pluri_core::output::write_run_file(name, scenario, results, w)
        })?;
    }
    run.commit()
}
