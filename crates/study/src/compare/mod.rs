//! Policy comparison: several arms (scenario files, `--set` variants of one, or one without
//! an intervention) run with the same replicate seeds, so that each arm's replicate r meets
//! the same random draws wherever the arms do not differ (common random numbers: the
//! engine's streams are keyed by seed, purpose, zone and week). Every indicator's paired
//! difference from the first arm then gets a t interval, a verdict at the stated level and
//! the replicates a target precision needs; `docs/COMPARE.md` says how to read them.
//!
//! ```no_run
//! use pluri_study::compare::{execute, tabulate, write_tables, ArmsSpec, Settings};
//! let arms = ArmsSpec {
//!     scenarios: vec!["scenarios/pta.toml".into()],
//!     without: vec!["platform-opens".into()],
//!     ..ArmsSpec::default()
//! }
//! .build()?;
//! let settings = Settings { replicates: 10, ..Settings::new(7, "output/pta-platform".into()) };
//! let outcome = execute(&arms, &settings, &|_, _| {})?;
//! let tables = tabulate(&arms, &settings, &outcome);
//! write_tables("output/pta-platform".as_ref(), &arms, &outcome, &tables)?;
//! # Ok::<(), pluri_study::compare::CompareError>(())
//! ```
//!
//! Runs execute in parallel (rayon) and are collected in arm, then replicate order, so the
//! tables are byte-identical at any thread count.

mod arms;
mod error;
mod exec;
mod report;
mod seed;
mod settings;
mod stats;
mod tables;

pub use arms::{Arm, ArmsSpec};
pub use error::CompareError;
pub use exec::{execute, Outcome, RunValues};
pub use report::{write_report, ReportFigure};
pub use settings::{indicators, Settings, MAX_LEVEL, MAX_REPLICATES};
pub use tables::{shell_quote, tabulate, write_tables, Tables};
