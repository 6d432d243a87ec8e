//! pluri's core: scenarios (TOML → validated [`Scenario`]), the model's entities, the weekly
//! engine and the results of a run, with their serializers. It knows nothing of command
//! lines, progress bars or figures.
//!
//! Dependencies point one way: `engine` → `model` ← `scenario`; `output` only reads results.
//! The root re-exports what the other crates of the workspace use; `bench`, `output` and
//! `scenario` are public for the command line and the studies, the other modules are the
//! crate's own.
#![warn(missing_docs)]

pub mod bench;
mod engine;
pub mod input;
mod model;
pub mod output;
mod results;
mod rng;
pub mod scenario;

pub use engine::{simulate, simulate_timed, Phase, PhaseTimes, Simulation};
pub use results::{
    InterventionRecord, RunResults, StructureRecord, StructureTypeRecord, TieRecord, Ties,
    WeeklyRecord, ZoneRecord,
};
/// The 64-bit mixing function of the random streams' keys, for the studies' derived seeds.
pub use rng::mix;
pub use scenario::{Scenario, ScenarioError};
