//! pluri: simulates how general practitioners, support professionals and care coordinators
//! cooperate across a territory, week by week, and what policies change in that.
//!
//! The library is the product as much as the binary:
//!
//! ```
//! let scenario = pluri::Scenario::default_scenario()?
//!     .with_sets(&["weeks=8", "zones.ville-centre.population=5000"])?;
//! let results = pluri::simulate(&scenario);
//! assert_eq!(results.weekly.len(), 8);
//! # Ok::<(), pluri::ScenarioError>(())
//! ```
//!
//! Dependencies point one way: `cli` → `engine` → `model` ← `scenario`; `output` and `plot`
//! only read results.
#![warn(missing_docs)]

pub mod cli;
pub mod engine;
pub mod model;
pub mod output;
pub mod results;
pub mod rng;
pub mod scenario;
pub mod sweep;

pub use engine::simulate;
pub use results::RunResults;
pub use scenario::{Scenario, ScenarioError};
