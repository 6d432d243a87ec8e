//! pluri's core: scenarios (TOML → validated [`Scenario`]), the model's entities, the weekly
//! engine and the results of a run, with their serializers. It knows nothing of command
//! lines, progress bars or figures.
//!
//! Dependencies point one way: `engine` → `model` ← `scenario`; `output` only reads results.
#![warn(missing_docs)]

pub mod bench;
pub mod engine;
pub mod model;
pub mod output;
pub mod results;
pub mod rng;
pub mod scenario;

pub use engine::simulate;
pub use results::RunResults;
pub use scenario::{Scenario, ScenarioError};
