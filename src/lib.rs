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
//! The workspace's crates are its layers (`docs/ARCHITECTURE.md`): `pluri-schema` (every
//! result file named once) ← `pluri-core` (scenarios, model, engine, results) ← `pluri-study`
//! (sweeps, sensitivity, calibration); `pluri-plot` reads result files through the schema
//! only; this crate is the command line and the API.
#![warn(missing_docs)]

pub mod cli;

pub use pluri_core::{bench, engine, model, output, results, rng, scenario};
pub use pluri_core::{simulate, RunResults, Scenario, ScenarioError};
pub use pluri_plot as plot;
pub use pluri_study::{calibrate, sweep};
