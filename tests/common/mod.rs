//! Helpers shared by the integration tests: the `pluri` command, temporary directories, the
//! small scenario, its runs and the files of a result directory.
// Each test file uses some of these helpers only.
#![allow(dead_code)]

use pluri::{RunResults, Scenario};
use std::path::Path;

/// The `pluri` binary of this build, to run and assert on.
pub fn pluri() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("pluri").unwrap_or_else(|e| panic!("{e}"))
}

/// The `pluri` binary of this build as a process to spawn (and stop) or run.
pub fn pluri_process() -> std::process::Command {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("pluri"))
}

/// A temporary directory, removed when dropped.
pub fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
}

/// The repository's root: `scenarios/`, `docs/` and the rest are under it.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The path of `scenarios/small.toml`, as text for arguments and files.
pub fn small_file() -> String {
    root().join("scenarios/small.toml").display().to_string()
}

/// The small scenario with overrides.
pub fn small(sets: &[&str]) -> Scenario {
    Scenario::from_file(Path::new(&small_file()))
        .expect("valid")
        .with_sets(sets)
        .expect("valid overrides")
}

/// Runs the small scenario with overrides.
pub fn run(sets: &[&str]) -> RunResults {
    pluri::simulate(&small(sets))
}

/// The files of the result directory `dir` (those of every run, in order) and their bytes.
pub fn run_files(dir: &Path) -> Vec<(&'static str, Vec<u8>)> {
    pluri::results::RUN_FILES
        .iter()
        .map(|&name| {
            let bytes = std::fs::read(dir.join(name))
                .unwrap_or_else(|e| panic!("{}: {e}", dir.join(name).display()));
            (name, bytes)
        })
        .collect()
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

/// Mean of a weekly column over the recorded weeks `weeks`.
pub fn mean(
    r: &RunResults,
    weeks: std::ops::Range<usize>,
    f: fn(&pluri::results::WeeklyRecord) -> f64,
) -> f64 {
    let rows = &r.weekly[weeks];
    rows.iter().map(f).sum::<f64>() / rows.len() as f64
}

/// `pluri -q compare ARGS --out OUT` run in `dir`, its output whatever its exit.
pub fn compare_in(dir: &Path, out: &str, args: &[&str]) -> std::process::Output {
    pluri()
        .current_dir(dir)
        .arg("-q")
        .arg("compare")
        .args(args)
        .args(["--out", out])
        .output()
        .unwrap_or_else(|e| panic!("pluri compare: {e}"))
}
