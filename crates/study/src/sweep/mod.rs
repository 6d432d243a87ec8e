//! Parameter sweeps: sweep files, designs, parallel runs streamed to disk, resume, shards and
//! merge, summary tables, and sensitivity analysis (Morris, Sobol).
//!
//! A sweep file names a base scenario, parameters by their `--set` paths and a design
//! (grid, random, Latin hypercube) with replicates. Each run's seed is derived from the
//! sweep seed, its point and its replicate alone ([`seed::run_seed`]), so results do not
//! depend on thread count, order of execution or sharding, and every run can be re-run with
//! the `pluri run` command recorded beside it. Finished runs are written one file each,
//! atomically, as they finish; tables are built from those files in run order.
//!
//! ```no_run
//! use pluri_study::sweep::{prepare, Options, Shard, Sweep};
//! use std::sync::atomic::AtomicBool;
//! let sweep = Sweep::from_file("scenarios/sweeps/small.toml".as_ref())?;
//! let opts = Options { out: "output/small-sweep".into(), resume: false, force: true, shard: Shard::ALL };
//! let report = prepare(&sweep, &opts)?.execute(&sweep, &AtomicBool::new(false), &|_, _| {})?;
//! println!("{} runs in {:.1} s", report.ran, report.wall_seconds);
//! # Ok::<(), pluri_study::sweep::SweepError>(())
//! ```

mod design;
mod error;
pub(crate) mod exec;
mod layout;
mod merge;
mod raw;
pub(crate) mod record;
mod seed;
pub mod sensitivity;
mod shard;
mod spec;
mod stats;
pub(crate) mod store;
mod tables;
mod validate;

pub(crate) use validate::range_bounds;

pub use error::SweepError;
pub use exec::{prepare, Indicators, Options, Prepared, Report};
pub use layout::Layout;
pub use merge::{merge, MergeReport};
pub use record::RunRecord;
pub use shard::Shard;
pub use spec::{Domain, Param, RunSpec, Sweep};
pub use store::{Manifest, Store};
