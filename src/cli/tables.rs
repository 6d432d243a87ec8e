//! `--tables`: which formats a run's tables are written in, and a run's Parquet tables
//! (through `pluri_columnar`, with the CSV files' columns).

use pluri_core::{RunResults, Scenario};
use pluri_schema::run::{
    InterventionRecord, StructureRecord, StructureTypeRecord, TieRecord, WeeklyRecord, ZoneRecord,
};
use std::io::{self, Write};
use std::path::Path;

/// A format of result tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TableFormat {
    /// Comma-separated text, one file per table (the default).
    Csv,
    /// Apache Parquet (columnar, compressed), one file per table.
    Parquet,
}

/// The manifest a run's Parquet table carries in its metadata: the table, and the run's
/// identity as `summary.json` gives it (scenario, seed, weeks, scenario hash, version).
pub fn run_manifest(table: &str, scenario: &Scenario) -> serde_json::Value {
    let mut m = serde_json::json!({
        "table": table,
        "scenario": scenario.name(),
        "seed": scenario.seed(),
        "weeks": scenario.weeks(),
        "scenario_hash": scenario.hash(),
        "pluri_version": env!("CARGO_PKG_VERSION"),
    });
    if let (Some(date), Some(map)) = (scenario.start_date(), m.as_object_mut()) {
        map.insert("start_date".into(), serde_json::json!(date.to_string()));
    }
    m
}

/// Writes the Parquet table `name` (of `pluri_schema::run::PARQUET_FILES`) of a run to `w`.
pub fn write_run_parquet(
    name: &str,
    scenario: &Scenario,
    results: &RunResults,
    w: &mut (dyn Write + Send),
) -> io::Result<()> {
    let table = name.strip_suffix(".parquet").unwrap_or(name);
    let manifest = run_manifest(table, scenario);
    let path = Path::new(name);
    let written = match table {
        "weekly" => pluri_columnar::write_rows(
            w,
            path,
            table,
            &WeeklyRecord::default(),
            &results.weekly,
            &manifest,
        ),
        "by_structure_type" => pluri_columnar::write_rows(
            w,
            path,
            table,
            &StructureTypeRecord::default(),
            &results.by_structure_type,
            &manifest,
        ),
        "ties" => pluri_columnar::write_rows(
            w,
            path,
            table,
            &TieRecord::default(),
            results.ties.iter(),
            &manifest,
        ),
        "zones" => pluri_columnar::write_rows(
            w,
            path,
            table,
            &ZoneRecord::default(),
            &results.zones,
            &manifest,
        ),
        "structures" => pluri_columnar::write_rows(
            w,
            path,
            table,
            &StructureRecord::default(),
            &results.structures,
            &manifest,
        ),
        "interventions" => pluri_columnar::write_rows(
            w,
            path,
            table,
            &InterventionRecord::default(),
            &results.interventions,
            &manifest,
        ),
        other => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{other} is not a Parquet table of a run directory"),
            ))
        }
    };
    written
        .map(|_| ())
        .map_err(pluri_columnar::ColumnarError::into_io)
}
