//! The weekly step.
use crate::{RunResults, Scenario};

/// Simulates a scenario.
pub fn simulate(scenario: &Scenario) -> RunResults {
    let _world = crate::model::build::build(scenario);
    RunResults::default()
}
