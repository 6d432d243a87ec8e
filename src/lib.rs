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
//! Dependencies point one way: `cli` → `engine` → `model` ← `scenario`; `output` and `plot`
//! only read results.
#![warn(missing_docs)]

pub mod bench;
pub mod calibrate;
pub mod cli;
pub mod engine;
pub mod model;
pub mod output;
pub mod plot;
pub mod results;
pub mod rng;
pub mod scenario;
pub mod sweep;

pub use engine::simulate;
pub use results::RunResults;
pub use scenario::{Scenario, ScenarioError};
