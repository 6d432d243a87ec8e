//! Reading a run directory back from its files: the only input of the figures.
//!
//! Figures never see engine types: they read the run files the schema names
//! ([`pluri_schema::run`]) into the schema's row types, and every problem names the file
//! (and the line, for a CSV) at fault. `ties.csv` is read a record at a time (a national run
//! has millions of ties) and only the strongest links between zones are kept.

use super::links::{Link, ZoneLinks, TOP_LINKS};
use super::PlotError;
use pluri_schema::date::Date;
use pluri_schema::run::{
    InterventionRecord, StructureRecord, TieRecord, WeeklyRecord, ZoneRecord, INTERVENTIONS_FILE,
    STRUCTURES_FILE, SUMMARY_FILE, TIES_FILE, WEEKLY_FILE, ZONES_FILE,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::io::BufReader;
use std::path::{Path, PathBuf};

/// The key of a dated run's start date in `summary.json`.
const START_DATE: &str = "start_date";
/// The column of a dated run's rows that holds a date.
const DATE_COLUMN: &str = "date";

/// A weekly column, as the figures read it: a field of [`WeeklyRecord`] as a number.
pub(crate) type Column = fn(&WeeklyRecord) -> f64;

/// One run read back from its directory.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Run {
    /// Its directory.
    pub dir: PathBuf,
    /// Legend label: the scenario name, with the directory name if two runs share it.
    pub label: String,
    /// One row a week.
    pub weekly: Vec<WeeklyRecord>,
    /// Zones at the end.
    pub zones: Vec<ZoneRecord>,
    /// Structures at the end.
    pub structures: Vec<StructureRecord>,
    /// The strongest links between zones at the end (at most [`TOP_LINKS`]), strongest first.
    pub links: Vec<Link>,
    /// Interventions applied.
    pub interventions: Vec<InterventionRecord>,
    /// First day of week 0 (`start_date` in `summary.json`) when the runs drawn together all
    /// have the same: their time axes are then dated.
    pub start: Option<Date>,
}

impl Run {
    /// Where each weekly row is drawn on the time axis: at its week, or, dated, at the end
    /// of its week in weeks from the start date (interventions are at their week's start).
    pub fn weeks(&self) -> Vec<f64> {
        let end = if self.start.is_some() { 1.0 } else { 0.0 };
        self.weekly
            .iter()
            .map(|r| f64::from(r.week) + end)
            .collect()
    }

    /// The values of a weekly column, one a week.
    pub fn column(&self, column: Column) -> Vec<f64> {
        self.weekly.iter().map(column).collect()
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
    let start = runs[0].start;
    if runs.iter().any(|r| r.start != start) {
        // Runs of different (or no) start dates share an axis of weeks.
        for run in &mut runs {
            run.start = None;
        }
    }
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
    let (label, start) = scenario_name(&dir.join(SUMMARY_FILE))?;
    let weekly_path = dir.join(WEEKLY_FILE);
    let weekly = read_weekly(&weekly_path)?;
    if weekly.is_empty() {
        return Err(PlotError::Empty(weekly_path));
    }
    let zones_path = dir.join(ZONES_FILE);
    let zones: Vec<ZoneRecord> = read_rows(&zones_path)?;
    if zones.is_empty() {
        return Err(PlotError::Empty(zones_path));
    }
    let structures: Vec<StructureRecord> = read_rows(&dir.join(STRUCTURES_FILE))?;
    let mut links = ZoneLinks::new(&structures);
    each_tie(&dir.join(TIES_FILE), |t| links.add(t))?;
    let links = links.strongest(TOP_LINKS);
    let interventions_path = dir.join(INTERVENTIONS_FILE);
    let interventions = if interventions_path.exists() {
        read_rows(&interventions_path)?
    } else {
        Vec::new()
    };
    Ok(Run {
        dir: dir.to_path_buf(),
        label,
        weekly,
        zones,
        structures,
        links,
        interventions,
        start,
    })
}

fn read_error(path: &Path, source: std::io::Error) -> PlotError {
    if source.kind() == std::io::ErrorKind::NotFound {
        PlotError::Missing(path.to_path_buf())
    } else {
        PlotError::Read {
            path: path.to_path_buf(),
            source,
        }
    }
}

pub(crate) fn read_text(path: &Path) -> Result<String, PlotError> {
    std::fs::read_to_string(path).map_err(|source| read_error(path, source))
}

fn malformed(path: &Path, line: Option<u64>, message: impl Into<String>) -> PlotError {
    PlotError::Malformed {
        path: path.to_path_buf(),
        line,
        message: message.into(),
    }
}

/// The scenario name recorded in `summary.json`, and its start date if it has one.
fn scenario_name(path: &Path) -> Result<(String, Option<Date>), PlotError> {
    let text = read_text(path)?;
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| malformed(path, Some(e.line() as u64), e.to_string()))?;
    let name = value
        .get("scenario")
        .and_then(|v| v.as_str())
        .map(str::to_string)
        .ok_or_else(|| malformed(path, None, "no \"scenario\" name"))?;
    let start = match value.get(START_DATE) {
        None => None,
        Some(v) => Some(v.as_str().and_then(Date::parse).ok_or_else(|| {
            malformed(
                path,
                None,
                format!("\"{START_DATE}\" is {v}, not a date written \"YYYY-MM-DD\""),
            )
        })?),
    };
    Ok((name, start))
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

/// A CSV error in `record` naming the column and the value at fault, when it is one field's.
fn field_error(
    path: &Path,
    headers: &csv::StringRecord,
    record: &csv::StringRecord,
    e: &csv::Error,
) -> PlotError {
    if let csv::ErrorKind::Deserialize { err, .. } = e.kind() {
        if let Some(i) = err.field().and_then(|i| usize::try_from(i).ok()) {
            let line = record.position().map(|p| p.line());
            let column = headers.get(i).unwrap_or("?");
            let value = record.get(i).unwrap_or("");
            return malformed(
                path,
                line,
                format!("`{column}` is `{value}`: {}", err.kind()),
            );
        }
    }
    csv_error(path, e)
}

/// The columns of row type `T`, in order: the header its CSV file is written with.
pub(crate) fn columns<T: Serialize + Default>() -> Vec<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Serializing a row in memory cannot fail; an empty list only skips the check below.
    if w.serialize(T::default()).is_err() {
        return Vec::new();
    }
    let bytes = w.into_inner().unwrap_or_default();
    csv::Reader::from_reader(bytes.as_slice())
        .headers()
        .map(|h| h.iter().map(str::to_string).collect())
        .unwrap_or_default()
}

/// A CSV file being read, and its header.
type Opened = (csv::Reader<BufReader<std::fs::File>>, csv::StringRecord);

/// A CSV reader over `path`, with its header, or `None` for an empty file (a file of no
/// rows is written empty). Every column of `T` must be in the header.
fn open_csv<T: Serialize + Default>(path: &Path) -> Result<Option<Opened>, PlotError> {
    let file = std::fs::File::open(path).map_err(|source| read_error(path, source))?;
    let mut reader = csv::Reader::from_reader(BufReader::new(file));
    let headers = reader.headers().map_err(|e| csv_error(path, &e))?.clone();
    if headers.is_empty() {
        return Ok(None);
    }
    if let Some(missing) = columns::<T>()
        .into_iter()
        .find(|c| !headers.iter().any(|h| h == c))
    {
        return Err(malformed(path, Some(1), format!("no `{missing}` column")));
    }
    Ok(Some((reader, headers)))
}

/// Reads a CSV file into rows of `T` (an empty file has no rows).
fn read_rows<T: DeserializeOwned + Serialize + Default>(path: &Path) -> Result<Vec<T>, PlotError> {
    let Some((mut reader, headers)) = open_csv::<T>(path)? else {
        return Ok(Vec::new());
    };
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    while reader
        .read_record(&mut record)
        .map_err(|e| csv_error(path, &e))?
    {
        let row = record
            .deserialize(Some(&headers))
            .map_err(|e| field_error(path, &headers, &record, &e))?;
        rows.push(row);
    }
    Ok(rows)
}

/// Calls `f` with each tie of `ties.csv`, one record at a time (names borrowed from it).
fn each_tie(path: &Path, mut f: impl FnMut(&TieRecord<'_>)) -> Result<(), PlotError> {
    let Some((mut reader, headers)) = open_csv::<TieRecord>(path)? else {
        return Ok(());
    };
    let mut record = csv::StringRecord::new();
    while reader
        .read_record(&mut record)
        .map_err(|e| csv_error(path, &e))?
    {
        let tie: TieRecord = record
            .deserialize(Some(&headers))
            .map_err(|e| field_error(path, &headers, &record, &e))?;
        f(&tie);
    }
    Ok(())
}

/// Reads `weekly.csv`: every column is a finite number.
fn read_weekly(path: &Path) -> Result<Vec<WeeklyRecord>, PlotError> {
    let Some((mut reader, headers)) = open_csv::<WeeklyRecord>(path)? else {
        return Ok(Vec::new());
    };
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    while reader
        .read_record(&mut record)
        .map_err(|e| csv_error(path, &e))?
    {
        let line = record.position().map(|p| p.line());
        for (column, field) in headers.iter().zip(record.iter()) {
            if column == DATE_COLUMN {
                if Date::parse(field).is_none() {
                    return Err(malformed(
                        path,
                        line,
                        format!("`{column}` is `{field}`, not a date written YYYY-MM-DD"),
                    ));
                }
                continue;
            }
            if !field.trim().parse::<f64>().is_ok_and(f64::is_finite) {
                return Err(malformed(
                    path,
                    line,
                    format!("`{column}` is `{field}`, not a number"),
                ));
            }
        }
        let row = record
            .deserialize(Some(&headers))
            .map_err(|e| field_error(path, &headers, &record, &e))?;
        rows.push(row);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(label: &str, dir: &str) -> Run {
        Run {
            dir: PathBuf::from(dir),
            label: label.to_string(),
            weekly: Vec::new(),
            zones: Vec::new(),
            structures: Vec::new(),
            links: Vec::new(),
            interventions: Vec::new(),
            start: None,
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
    fn the_columns_of_a_row_type_are_its_fields_in_order() {
        let weekly = columns::<WeeklyRecord>();
        assert_eq!(weekly.first().map(String::as_str), Some("week"));
        assert!(weekly.iter().any(|c| c == "avoidable_hospitalisations"));
        assert_eq!(
            columns::<TieRecord>(),
            [
                "kind",
                "source",
                "target",
                "source_structure",
                "target_structure",
                "strength"
            ]
        );
    }

    fn weekly_text(bad: Option<(usize, &str)>) -> String {
        let header = columns::<WeeklyRecord>();
        let good = vec!["0"; header.len()].join(",");
        let mut row = vec!["1"; header.len()];
        if let Some((i, v)) = bad {
            row[i] = v;
        }
        format!("{}\n{good}\n{}\n", header.join(","), row.join(","))
    }

    #[test]
    fn a_non_number_in_weekly_names_the_line_and_column() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(WEEKLY_FILE);
        std::fs::write(&path, weekly_text(Some((3, "oops")))).expect("write");
        let message = read_weekly(&path).expect_err("malformed").to_string();
        assert!(message.contains("weekly.csv, line 3"), "{message}");
        let column = &columns::<WeeklyRecord>()[3];
        assert!(
            message.contains(&format!("`{column}` is `oops`")),
            "{message}"
        );
    }

    #[test]
    fn a_fraction_in_a_count_column_names_the_column() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(WEEKLY_FILE);
        std::fs::write(&path, weekly_text(Some((0, "1.5")))).expect("write");
        let message = read_weekly(&path).expect_err("malformed").to_string();
        assert!(message.contains("weekly.csv, line 3"), "{message}");
        assert!(message.contains("`week` is `1.5`"), "{message}");
    }

    #[test]
    fn weekly_rows_read_back_as_the_schema_rows() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(WEEKLY_FILE);
        std::fs::write(&path, weekly_text(None)).expect("write");
        let rows = read_weekly(&path).expect("read");
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].week, rows[1].week), (0, 1));
        assert_eq!(rows[1].avoidable_hospitalisations, 1);
        assert_eq!(rows[1].mean_legitimacy, 1.0);
    }

    #[test]
    fn a_dated_weekly_file_reads_its_dates_and_names_a_bad_one() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(WEEKLY_FILE);
        let dated = |second: &str| {
            let text = weekly_text(None);
            let mut lines: Vec<String> = text
                .lines()
                .map(|l| {
                    let (week, rest) = l.split_once(',').unwrap_or((l, ""));
                    format!("{week},{{}},{rest}")
                })
                .collect();
            lines[0] = lines[0].replace("{}", DATE_COLUMN);
            lines[1] = lines[1].replace("{}", "2012-01-07");
            lines[2] = lines[2].replace("{}", second);
            lines.join("\n") + "\n"
        };
        std::fs::write(&path, dated("2012-01-14")).expect("write");
        let rows = read_weekly(&path).expect("read");
        assert_eq!(rows[1].date, Date::parse("2012-01-14"));
        assert_eq!(rows[1].avoidable_hospitalisations, 1);
        std::fs::write(&path, dated("2012-02-30")).expect("write");
        let message = read_weekly(&path).expect_err("malformed").to_string();
        assert!(message.contains("weekly.csv, line 3"), "{message}");
        assert!(message.contains("`date` is `2012-02-30`"), "{message}");
    }

    #[test]
    fn runs_are_dated_only_when_all_share_their_start() {
        let dir = tempfile::tempdir().expect("tempdir");
        let summary = |start: Option<&str>| {
            let path = dir.path().join(SUMMARY_FILE);
            let start = start
                .map(|s| format!(",\"start_date\":{s}"))
                .unwrap_or_default();
            std::fs::write(&path, format!("{{\"scenario\":\"s\"{start}}}")).expect("write");
            scenario_name(&path).map(|(_, start)| start)
        };
        assert_eq!(summary(None).ok(), Some(None));
        assert_eq!(
            summary(Some("\"2012-01-01\"")).ok(),
            Some(Date::parse("2012-01-01"))
        );
        let e = summary(Some("2012")).expect_err("not a date").to_string();
        assert!(e.contains("\"start_date\" is 2012"), "{e}");
    }

    #[test]
    fn an_empty_file_has_no_rows_and_a_missing_one_is_named() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(INTERVENTIONS_FILE);
        std::fs::write(&path, "").expect("write");
        let rows: Vec<InterventionRecord> = read_rows(&path).expect("empty");
        assert!(rows.is_empty());
        let missing = dir.path().join(TIES_FILE);
        let err = each_tie(&missing, |_| {}).expect_err("missing");
        assert!(matches!(err, PlotError::Missing(_)), "{err:?}");
    }
}
