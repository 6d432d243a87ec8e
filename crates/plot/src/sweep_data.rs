//! Reading sweep and sensitivity directories back from their tables (named in
//! [`pluri_schema::sweep`]): `points.csv` (with `sweep.toml` for the design kind),
//! `morris.csv` and `sobol.csv`. Every problem names the file (and line) at fault.

use super::PlotError;
use pluri_schema::sweep::{
    point_column, MANIFEST_FILE, PLOT_INDICATORS_KEY, POINTS_FILE, POINT_COLUMN, POINT_STATS,
    REPLICATES_COLUMN, SWEEP_FILE,
};
use serde::de::DeserializeOwned;
use std::path::{Path, PathBuf};

/// Why the figures of a sweep or sensitivity directory could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum SweepPlotError {
    /// The directory does not exist.
    #[error("{0}: no such directory: check the path")]
    NoDirectory(PathBuf),
    /// A table the figures need is not there.
    #[error("{path}: missing: {hint}")]
    Missing {
        /// The file.
        path: PathBuf,
        /// What to do.
        hint: String,
    },
    /// A file exists but cannot be read.
    #[error("{path}: cannot read: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A table does not have the expected content.
    #[error("{path}{}: malformed: {message} (was it written by this version of pluri?)", line.map(|l| format!(", line {l}")).unwrap_or_default())]
    Malformed {
        /// The file.
        path: PathBuf,
        /// Line of the problem, when known (1 is the header).
        line: Option<u64>,
        /// What is wrong.
        message: String,
    },
    /// A table has no rows.
    #[error("{0}: no rows: nothing to plot")]
    Empty(PathBuf),
    /// Drawing or writing a figure failed.
    #[error(transparent)]
    Plot(#[from] PlotError),
}

fn malformed(path: &Path, line: Option<u64>, message: impl Into<String>) -> SweepPlotError {
    SweepPlotError::Malformed {
        path: path.to_path_buf(),
        line,
        message: message.into(),
    }
}

fn read_text(path: &Path, hint: &str) -> Result<String, SweepPlotError> {
    std::fs::read_to_string(path).map_err(|source| {
        if source.kind() == std::io::ErrorKind::NotFound {
            SweepPlotError::Missing {
                path: path.to_path_buf(),
                hint: hint.to_string(),
            }
        } else {
            SweepPlotError::Read {
                path: path.to_path_buf(),
                source,
            }
        }
    })
}

fn csv_error(path: &Path, e: &csv::Error) -> SweepPlotError {
    let (line, message) = super::data::csv_line_and_message(e);
    malformed(path, line, message)
}

/// Checks that `dir` exists.
pub(crate) fn check_dir(dir: &Path) -> Result<(), SweepPlotError> {
    if dir.is_dir() {
        Ok(())
    } else {
        Err(SweepPlotError::NoDirectory(dir.to_path_buf()))
    }
}

/// A varied parameter's column: numbers, or categories at positions 0, 1, ...
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ParamColumn {
    /// Dotted path.
    pub path: String,
    /// Readable label (see [`super::labels::param_labels`]).
    pub label: String,
    /// Value (or category position) at each point.
    pub values: Vec<f64>,
    /// Category names, when the values are not all numbers.
    pub labels: Option<Vec<String>>,
}

impl ParamColumn {
    /// A value as text: the category name, or the number.
    pub(crate) fn show(&self, v: f64) -> String {
        match &self.labels {
            Some(l) => l
                .get(v.round().max(0.0) as usize)
                .cloned()
                .unwrap_or_default(),
            None => format!("{v}"),
        }
    }

    /// Distinct values, sorted.
    pub(crate) fn distinct(&self) -> Vec<f64> {
        let mut d = self.values.clone();
        d.sort_by(f64::total_cmp);
        d.dedup();
        d
    }
}

/// An indicator's mean and 95% interval at one point (interval absent when n < 2).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Stat {
    /// Mean over replicates (NaN when empty).
    pub mean: f64,
    /// Interval, if any.
    pub ci: Option<(f64, f64)>,
}

/// `points.csv` of a sweep directory.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Points {
    /// Varied parameters, in column order.
    pub params: Vec<ParamColumn>,
    /// Replicates per point.
    pub n: Vec<f64>,
    /// Indicators present, in column order, with their value at each point.
    pub indicators: Vec<(String, Vec<Stat>)>,
    /// Points lie on a full grid of the parameters' values (lines), not sampled (scatter).
    pub grid: bool,
    /// Indicators the sweep file chose for its figures, in order (empty: the default set).
    pub chosen: Vec<String>,
}

impl Points {
    /// The stats of `name`, if present.
    pub(crate) fn indicator(&self, name: &str) -> Option<&[Stat]> {
        self.indicators
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, s)| s.as_slice())
    }
}

/// Reads `dir/points.csv`, and `dir/sweep.toml` for the design kind when it is there.
pub(crate) fn read_points(dir: &Path) -> Result<Points, SweepPlotError> {
    check_dir(dir)?;
    let path = dir.join(POINTS_FILE);
    let hint = if dir.join(MANIFEST_FILE).exists() {
        "the sweep's tables are written when every run is done: finish it with `pluri sweep SWEEP.toml --resume --out DIR`, or combine its shards with `pluri merge`"
    } else {
        "not a sweep directory: sweep figures need the points.csv written by `pluri sweep` or `pluri merge`"
    };
    let text = read_text(&path, hint)?;
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| csv_error(&path, &e))?.clone();
    let cols: Vec<&str> = headers.iter().collect();
    let n_at = cols
        .iter()
        .position(|c| *c == REPLICATES_COLUMN)
        .filter(|_| cols.first() == Some(&POINT_COLUMN))
        .ok_or_else(|| {
            malformed(
                &path,
                Some(1),
                format!("the header must start with `{POINT_COLUMN}`, the parameters, then `{REPLICATES_COLUMN}`"),
            )
        })?;
    let [mean, _, ci_low, ci_high] = POINT_STATS;
    let names: Vec<String> = cols[n_at + 1..]
        .iter()
        .filter_map(|c| c.strip_suffix(&point_column("", mean)))
        .filter(|n| {
            POINT_STATS
                .iter()
                .all(|s| cols.contains(&point_column(n, s).as_str()))
        })
        .map(str::to_string)
        .collect();
    let at = |c: String| cols.iter().position(|h| *h == c).unwrap_or(0);
    let idx: Vec<(usize, usize, usize)> = names
        .iter()
        .map(|n| {
            (
                at(point_column(n, mean)),
                at(point_column(n, ci_low)),
                at(point_column(n, ci_high)),
            )
        })
        .collect();
    let mut raw_params: Vec<Vec<String>> = vec![Vec::new(); n_at - 1];
    let mut n = Vec::new();
    let mut stats: Vec<Vec<Stat>> = vec![Vec::new(); names.len()];
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(&path, &e))?;
        let line = record.position().map(|p| p.line());
        let cell = |i: usize| record.get(i).unwrap_or("").trim();
        let number = |i: usize| -> Result<Option<f64>, SweepPlotError> {
            let c = cell(i);
            if c.is_empty() {
                return Ok(None);
            }
            c.parse::<f64>().map(Some).map_err(|_| {
                malformed(&path, line, format!("`{}` is `{c}`, not a number", cols[i]))
            })
        };
        for (p, values) in raw_params.iter_mut().enumerate() {
            values.push(cell(p + 1).to_string());
        }
        n.push(number(n_at)?.unwrap_or(f64::NAN));
        for (s, &(m, lo, hi)) in stats.iter_mut().zip(&idx) {
            let ci = match (number(lo)?, number(hi)?) {
                (Some(a), Some(b)) => Some((a, b)),
                _ => None,
            };
            s.push(Stat {
                mean: number(m)?.unwrap_or(f64::NAN),
                ci,
            });
        }
    }
    if n.is_empty() {
        return Err(SweepPlotError::Empty(path));
    }
    let mut params: Vec<ParamColumn> = raw_params
        .into_iter()
        .enumerate()
        .map(|(p, raw)| param_column(cols[p + 1], raw))
        .collect();
    let paths: Vec<&str> = cols[1..n_at].to_vec();
    for (p, label) in params.iter_mut().zip(super::labels::param_labels(&paths)) {
        p.label = label;
    }
    let sweep_file = sweep_file(dir);
    let grid = match sweep_file.as_ref().and_then(design_kind) {
        Some(kind) => kind == "grid",
        None => is_full_grid(&params),
    };
    Ok(Points {
        params,
        n,
        indicators: names.into_iter().zip(stats).collect(),
        grid,
        chosen: sweep_file.as_ref().map(plot_indicators).unwrap_or_default(),
    })
}

fn param_column(path: &str, raw: Vec<String>) -> ParamColumn {
    let numbers: Option<Vec<f64>> = raw.iter().map(|c| c.parse::<f64>().ok()).collect();
    match numbers {
        Some(values) => ParamColumn {
            path: path.to_string(),
            label: path.to_string(),
            values,
            labels: None,
        },
        None => {
            let mut labels: Vec<String> = Vec::new();
            let values = raw
                .iter()
                .map(|c| {
                    let i = labels.iter().position(|l| l == c).unwrap_or_else(|| {
                        labels.push(c.clone());
                        labels.len() - 1
                    });
                    i as f64
                })
                .collect();
            ParamColumn {
                path: path.to_string(),
                label: path.to_string(),
                values,
                labels: Some(labels),
            }
        }
    }
}

/// `dir/sweep.toml`, if it is there and reads as TOML (the figures then do without it).
fn sweep_file(dir: &Path) -> Option<toml::Table> {
    let text = std::fs::read_to_string(dir.join(SWEEP_FILE)).ok()?;
    toml::from_str(&text).ok()
}

/// `design.kind` of a sweep file, if it says.
fn design_kind(sweep: &toml::Table) -> Option<String> {
    let kind = sweep.get("design")?.get("kind")?.as_str()?;
    Some(kind.to_string())
}

/// The indicators a sweep file chose for its figures (none if it did not).
fn plot_indicators(sweep: &toml::Table) -> Vec<String> {
    sweep
        .get(PLOT_INDICATORS_KEY)
        .and_then(|v| v.as_array())
        .map(|list| {
            list.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Every combination of the parameters' distinct values occurs exactly once.
fn is_full_grid(params: &[ParamColumn]) -> bool {
    let Some(first) = params.first() else {
        return false;
    };
    let points = first.values.len();
    let combos: usize = params.iter().map(|p| p.distinct().len()).product();
    let mut seen: Vec<Vec<u64>> = (0..points)
        .map(|i| params.iter().map(|p| p.values[i].to_bits()).collect())
        .collect();
    seen.sort();
    seen.dedup();
    combos == points && seen.len() == points
}

/// Reads a ranking table of a sensitivity directory, or `None` when it is not there.
pub(crate) fn read_ranking<T: DeserializeOwned>(
    dir: &Path,
    name: &str,
) -> Result<Option<Vec<T>>, SweepPlotError> {
    let path = dir.join(name);
    if !path.exists() {
        return Ok(None);
    }
    let text = read_text(&path, "")?;
    let rows: Vec<T> = csv::Reader::from_reader(text.as_bytes())
        .deserialize()
        .map(|r| r.map_err(|e| csv_error(&path, &e)))
        .collect::<Result<_, _>>()?;
    if rows.is_empty() {
        return Err(SweepPlotError::Empty(path));
    }
    Ok(Some(rows))
}

/// Groups rows by indicator, in order of first appearance.
pub(crate) fn by_indicator<T: Clone>(
    rows: &[T],
    key: impl Fn(&T) -> &str,
) -> Vec<(String, Vec<T>)> {
    let mut groups: Vec<(String, Vec<T>)> = Vec::new();
    for r in rows {
        match groups.iter_mut().find(|(k, _)| k == key(r)) {
            Some((_, g)) => g.push(r.clone()),
            None => groups.push((key(r).to_string(), vec![r.clone()])),
        }
    }
    groups
}
