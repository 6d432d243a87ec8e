//! Pure serializers: results in, bytes out. No paths, no clocks.

use crate::results::RunResults;
use crate::scenario::Scenario;
use serde::Serialize;

/// Serializes rows as CSV with a header taken from the row type's field names.
pub fn csv_bytes<T: Serialize>(rows: &[T]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.serialize(r)?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// Version of the program, recorded in summaries.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The run's summary: identity of the run and headline indicators (no timings: those vary).
pub fn summary_json(scenario: &Scenario, results: &RunResults) -> serde_json::Value {
    let mut headline = serde_json::Map::new();
    for (k, v) in results.headline() {
        headline.insert(k.to_string(), serde_json::json!(v));
    }
    serde_json::json!({
        "scenario": scenario.name,
        "description": scenario.description,
        "seed": scenario.seed,
        "weeks": scenario.weeks,
        "scenario_hash": scenario.hash(),
        "pluri_version": VERSION,
        "residents": scenario.population(),
        "zones": scenario.zones.len(),
        "headline": headline,
    })
}

/// Every file of a run directory (see [`super::RUN_FILES`]) as (name, bytes), in order.
pub fn run_files(
    scenario: &Scenario,
    results: &RunResults,
) -> Result<Vec<(&'static str, Vec<u8>)>, csv::Error> {
    let summary = serde_json::to_vec_pretty(&summary_json(scenario, results))
        .map_err(|e| csv::Error::from(std::io::Error::other(e)))?;
    Ok(vec![
        ("scenario.toml", scenario.to_commented_toml().into_bytes()),
        ("weekly.csv", csv_bytes(&results.weekly)?),
        (
            "by_structure_type.csv",
            csv_bytes(&results.by_structure_type)?,
        ),
        ("ties.csv", csv_bytes(&results.ties)?),
        ("zones.csv", csv_bytes(&results.zones)?),
        ("structures.csv", csv_bytes(&results.structures)?),
        ("interventions.csv", csv_bytes(&results.interventions)?),
        ("summary.json", summary),
    ])
}
