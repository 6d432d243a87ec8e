//! Reading a run directory back from its files: the only input of the figures.
//!
//! Figures never see engine types: they read `weekly.csv`, `zones.csv`, `structures.csv`,
//! `ties.csv`, `interventions.csv` and `summary.json`, and every problem names the file
//! (and the line, for a CSV) at fault.

use super::PlotError;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Weekly columns the figures read, by their CSV names.
pub(crate) const WEEKLY_COLUMNS: &[&str] = &[
    "mean_tie_strength",
    "tie_density",
    "complex_multi_share",
    "interorg_referral_share",
    "needs_unmet",
    "waiting",
    "without_gp_share",
    "forgone",
    "gp_utilisation",
    "prof_utilisation",
    "friction_per_100_delegations",
    "departures",
    "mean_satisfaction",
    "msps",
    "gps_in_msp",
    "coordinator_fte",
    "tasks_alone",
    "tasks_inside",
    "tasks_outside",
    "tasks_platform",
    "tasks_dropped",
];

/// A zone, as `zones.csv` gives it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct Zone {
    /// Name.
    pub zone: String,
    /// East position (km).
    pub x_km: f64,
    /// North position (km).
    pub y_km: f64,
    /// Residents.
    pub population: f64,
    /// Patients without a declared GP at the end.
    pub without_gp: f64,
}

/// A structure, as `structures.csv` gives it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct Structure {
    /// Name.
    pub structure: String,
    /// Kind (`msp`, `dac`, ...).
    pub kind: String,
    /// Zone name.
    pub zone: String,
    /// In operation at the end.
    pub active: bool,
}

/// A tie, as `ties.csv` gives it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct Tie {
    /// `professional` or `organisational`.
    pub kind: String,
    /// Source (a structure name for organisational ties).
    pub source: String,
    /// Target (a structure name for organisational ties).
    pub target: String,
    /// Strength, 0 to 1.
    pub strength: f64,
}

/// An intervention, as `interventions.csv` gives it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct Intervention {
    /// Week applied.
    pub week: f64,
    /// Name, used as label.
    pub name: String,
}

/// One run read back from its directory.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Run {
    /// Its directory.
    pub dir: PathBuf,
    /// Legend label: the scenario name, with the directory name if two runs share it.
    pub label: String,
    /// Week of each weekly row.
    pub weeks: Vec<f64>,
    /// The weekly columns of [`WEEKLY_COLUMNS`], one value per week.
    pub columns: BTreeMap<&'static str, Vec<f64>>,
    /// Zones at the end.
    pub zones: Vec<Zone>,
    /// Structures at the end.
    pub structures: Vec<Structure>,
    /// Organisational ties at the end.
    pub org_ties: Vec<Tie>,
    /// Interventions applied.
    pub interventions: Vec<Intervention>,
}

impl Run {
    /// The values of a weekly column (empty if the figures never asked for it).
    pub fn column(&self, name: &str) -> &[f64] {
        self.columns.get(name).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// Reads several runs and gives each a distinct legend label.
pub(crate) fn load_runs(dirs: &[PathBuf]) -> Result<Vec<Run>, PlotError> {
    if dirs.is_empty() {
        return Err(PlotError::NoRuns);
    }
    let mut runs = dirs
        .iter()
        .map(|d| load_run(d))
        .collect::<Result<Vec<_>, _>>()?;
    disambiguate(&mut runs);
    Ok(runs)
}

/// Runs sharing a scenario name are told apart by their directory name (or whole path).
fn disambiguate(runs: &mut [Run]) {
    let count = |labels: &[String], l: &str| labels.iter().filter(|x| *x == l).count();
    let names: Vec<String> = runs.iter().map(|r| r.label.clone()).collect();
    let with_dir: Vec<String> = runs
        .iter()
        .map(|r| {
            let dir = r
                .dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| r.dir.display().to_string());
            format!("{} ({dir})", r.label)
        })
        .collect();
    for (i, run) in runs.iter_mut().enumerate() {
        if count(&names, &names[i]) > 1 {
            run.label = if count(&with_dir, &with_dir[i]) > 1 {
                format!("{} ({})", names[i], run.dir.display())
            } else {
                with_dir[i].clone()
            };
        }
    }
}

/// Reads one run directory.
pub(crate) fn load_run(dir: &Path) -> Result<Run, PlotError> {
    if !dir.is_dir() {
        return Err(PlotError::NoDirectory(dir.to_path_buf()));
    }
    let label = scenario_name(&dir.join("summary.json"))?;
    let weekly_path = dir.join("weekly.csv");
    let (weeks, columns) = read_weekly(&weekly_path)?;
    if weeks.is_empty() {
        return Err(PlotError::Empty(weekly_path));
    }
    let zones_path = dir.join("zones.csv");
    let zones: Vec<Zone> = read_rows(&zones_path)?;
    if zones.is_empty() {
        return Err(PlotError::Empty(zones_path));
    }
    let structures = read_rows(&dir.join("structures.csv"))?;
    let ties: Vec<Tie> = read_rows(&dir.join("ties.csv"))?;
    let interventions_path = dir.join("interventions.csv");
    let interventions = if interventions_path.exists() {
        read_rows(&interventions_path)?
    } else {
        Vec::new()
    };
    Ok(Run {
        dir: dir.to_path_buf(),
        label,
        weeks,
        columns,
        zones,
        structures,
        org_ties: ties
            .into_iter()
            .filter(|t| t.kind == "organisational")
            .collect(),
        interventions,
    })
}

pub(crate) fn read_text(path: &Path) -> Result<String, PlotError> {
    std::fs::read_to_string(path).map_err(|source| {
        if source.kind() == std::io::ErrorKind::NotFound {
            PlotError::Missing(path.to_path_buf())
        } else {
            PlotError::Read {
                path: path.to_path_buf(),
                source,
            }
        }
    })
}

fn malformed(path: &Path, line: Option<u64>, message: impl Into<String>) -> PlotError {
    PlotError::Malformed {
        path: path.to_path_buf(),
        line,
        message: message.into(),
    }
}

/// The scenario name recorded in `summary.json`.
fn scenario_name(path: &Path) -> Result<String, PlotError> {
    let text = read_text(path)?;
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| malformed(path, Some(e.line() as u64), e.to_string()))?;
    value
        .get("scenario")
        .and_then(|v| v.as_str())
        .map(str::to_string)
        .ok_or_else(|| malformed(path, None, "no \"scenario\" name"))
}

/// The line and a readable message of a CSV error.
pub(super) fn csv_line_and_message(e: &csv::Error) -> (Option<u64>, String) {
    let line = e.position().map(|p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::Deserialize { err, .. } => err.to_string(),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("{len} fields where the header has {expected_len}"),
        _ => e.to_string(),
    };
    (line, message)
}

/// Turns a CSV error into one naming the file and line.
fn csv_error(path: &Path, e: &csv::Error) -> PlotError {
    let (line, message) = csv_line_and_message(e);
    malformed(path, line, message)
}

/// Reads a CSV file into rows of `T` (an empty file has no rows).
fn read_rows<T: DeserializeOwned>(path: &Path) -> Result<Vec<T>, PlotError> {
    let text = read_text(path)?;
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    reader
        .deserialize()
        .map(|row| row.map_err(|e| csv_error(path, &e)))
        .collect()
}

type Weekly = (Vec<f64>, BTreeMap<&'static str, Vec<f64>>);

/// The columns of `weekly.csv` as pluri writes them ([`pluri_schema::run::WeeklyRecord`]).
fn schema_weekly_columns() -> Vec<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    if w.serialize(pluri_schema::run::WeeklyRecord::default())
        .is_err()
    {
        return Vec::new();
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8_lossy(&bytes)
        .lines()
        .next()
        .unwrap_or("")
        .split(',')
        .map(str::to_string)
        .collect()
}

/// Reads the week column and the columns of [`WEEKLY_COLUMNS`] from `weekly.csv`.
fn read_weekly(path: &Path) -> Result<Weekly, PlotError> {
    let text = read_text(path)?;
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| csv_error(path, &e))?.clone();
    if headers.is_empty() {
        return Ok((Vec::new(), BTreeMap::new()));
    }
    let index = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| malformed(path, Some(1), format!("no `{name}` column")))
    };
    // Every column pluri writes must be there: a file that lost one was damaged or edited,
    // and its figures could not be trusted even where they do not draw that column.
    for name in schema_weekly_columns() {
        if !headers.iter().any(|h| h == name) {
            return Err(malformed(
                path,
                Some(1),
                format!("no `{name}` column: pluri writes every column of weekly.csv, so this file was damaged or edited; run the scenario again"),
            ));
        }
    }
    let week_index = index("week")?;
    let wanted: Vec<(&'static str, usize)> = WEEKLY_COLUMNS
        .iter()
        .map(|&name| index(name).map(|i| (name, i)))
        .collect::<Result<_, _>>()?;
    let mut weeks = Vec::new();
    let mut columns: BTreeMap<&'static str, Vec<f64>> = BTreeMap::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(path, &e))?;
        let line = record.position().map(|p| p.line());
        let number = |name: &str, i: usize| {
            let field = record.get(i).unwrap_or("");
            field
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| {
                    malformed(path, line, format!("`{name}` is `{field}`, not a number"))
                })
        };
        weeks.push(number("week", week_index)?);
        for &(name, i) in &wanted {
            let v = number(name, i)?;
            columns.entry(name).or_default().push(v);
        }
    }
    Ok((weeks, columns))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(label: &str, dir: &str) -> Run {
        Run {
            dir: PathBuf::from(dir),
            label: label.to_string(),
            weeks: Vec::new(),
            columns: BTreeMap::new(),
            zones: Vec::new(),
            structures: Vec::new(),
            org_ties: Vec::new(),
            interventions: Vec::new(),
        }
    }

    #[test]
    fn runs_sharing_a_scenario_name_are_told_apart_by_directory() {
        let mut runs = vec![
            run("default", "output/a"),
            run("default", "output/b"),
            run("policy", "output/c"),
        ];
        disambiguate(&mut runs);
        let labels: Vec<&str> = runs.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(labels, ["default (a)", "default (b)", "policy"]);
    }

    #[test]
    fn runs_sharing_name_and_directory_name_are_told_apart_by_path() {
        let mut runs = vec![run("x", "one/run"), run("x", "two/run")];
        disambiguate(&mut runs);
        assert_eq!(runs[0].label, "x (one/run)");
        assert_eq!(runs[1].label, "x (two/run)");
    }

    #[test]
    fn a_non_number_in_weekly_names_the_line_and_column() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("weekly.csv");
        let schema = schema_weekly_columns();
        let header: Vec<&str> = schema.iter().map(String::as_str).collect();
        let good = vec!["0"; header.len()].join(",");
        let mut bad = vec!["1"; header.len()];
        let at = header
            .iter()
            .position(|h| *h == WEEKLY_COLUMNS[2])
            .unwrap_or(0);
        bad[at] = "oops";
        let text = format!("{}\n{good}\n{}\n", header.join(","), bad.join(","));
        std::fs::write(&path, text).expect("write");
        let message = read_weekly(&path).expect_err("malformed").to_string();
        assert!(message.contains("weekly.csv, line 3"), "{message}");
        assert!(message.contains("`oops`"), "{message}");
    }

    #[test]
    fn a_weekly_csv_that_lost_a_column_is_refused_naming_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("weekly.csv");
        let header: Vec<String> = schema_weekly_columns()
            .into_iter()
            .filter(|c| c != "residents")
            .collect();
        let row = vec!["0"; header.len()].join(",");
        std::fs::write(&path, format!("{}\n{row}\n", header.join(","))).expect("write");
        let message = read_weekly(&path).expect_err("refused").to_string();
        assert!(
            message.contains("weekly.csv, line 1") && message.contains("`residents`"),
            "{message}"
        );
    }
}
