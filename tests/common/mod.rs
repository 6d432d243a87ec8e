//! Helpers shared by the integration tests.
#![allow(dead_code)]

use pluri::{RunResults, Scenario};

/// The small scenario with overrides.
pub fn small(sets: &[&str]) -> Scenario {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/small.toml"))
            .expect("small.toml");
    Scenario::from_toml_str(&text, "small.toml")
        .expect("valid")
        .with_sets(sets)
        .expect("valid overrides")
}

/// Runs the small scenario with overrides.
pub fn run(sets: &[&str]) -> RunResults {
    pluri::simulate(&small(sets))
}

/// A headline indicator by name.
pub fn headline(r: &RunResults, name: &str) -> f64 {
    r.headline()
        .into_iter()
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
        .expect("indicator exists")
}

/// Mean strength of professional ties inside one structure at the end.
pub fn inside_tie_strength(r: &RunResults, structure: &str) -> f64 {
    let ties: Vec<f64> = r
        .ties
        .iter()
        .filter(|t| {
            t.kind == "professional"
                && t.source_structure == structure
                && t.target_structure == structure
        })
        .map(|t| t.strength)
        .collect();
    assert!(!ties.is_empty(), "no tie inside {structure}");
    ties.iter().sum::<f64>() / ties.len() as f64
}

/// Sum of a weekly column over the run.
pub fn total(r: &RunResults, f: fn(&pluri::results::WeeklyRecord) -> f64) -> f64 {
    r.weekly.iter().map(f).sum()
}
