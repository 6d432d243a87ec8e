//! The final tables, built from the run files on disk in run order: `runs.csv` and `points.csv`
//! and, for a Parquet sweep, `runs.parquet` and `points.parquet` in the same pass, then
//! `weekly.parquet` from the runs' weekly series (one run's series in memory at a time).
//!
//! Runs of a point are contiguous (`run = point * replicates + replicate`), so one pass
//! over the run files writes both tables while holding one point's replicates at a time:
//! memory does not grow with the number of runs. A point with extra runs (see
//! [`super::Layout`]) reads them when its ordinary replicates are done, so its row covers
//! all its runs; `runs.csv` lists every run in run order, the extra ones last. Numbers are written in their shortest
//! round-trip form, so the bytes depend only on the runs' results.
//!
//! `points.csv` has, per point: `point`, each parameter, `n` (replicates), then for each
//! headline indicator `NAME_mean`, `NAME_sd`, `NAME_ci_low`, `NAME_ci_high` (a 95% interval
//! of the mean from Student's t with n - 1 degrees of freedom; empty when n < 2).

use super::error::{io, SweepError};
use super::record::{cell, num, RunRecord};
use super::stats::summarize;
use super::store::{Manifest, Store, POINTS_PARQUET, RUNS_PARQUET, WEEKLY_PARQUET};
use pluri_columnar::{
    read_parquet, ColumnarError, ParquetWriter, PointsColumns, RunsColumns, ROW_GROUP_ROWS,
};
use pluri_schema::sweep::{
    point_column, POINTS_FILE, POINT_COLUMN, POINT_STATS, REPLICATES_COLUMN, RUNS_FILE, RUN_COLUMNS,
};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Writes `runs.csv` and `points.csv` into the store from its run files; every run of the
/// manifest must be on disk.
pub fn write_tables(store: &Store, m: &Manifest) -> Result<(), SweepError> {
    let root = store.root();
    let runs_tmp = root.join(format!(".{RUNS_FILE}.{}.tmp", std::process::id()));
    let points_tmp = root.join(format!(".{POINTS_FILE}.{}.tmp", std::process::id()));
    let mut runs = Csv::create(&runs_tmp)?;
    let mut points = Csv::create(&points_tmp)?;
    let mut parquet: Option<Parquet> = None;
    let mut names: Vec<String> = Vec::new();
    let layout = m.layout();
    let ordinary = m.points * u64::from(m.replicates);
    let mut group: Vec<RunRecord> = Vec::with_capacity(m.replicates as usize);
    for run in 0..m.runs {
        let rec = store.read_run(run)?;
        if run == 0 {
            names = rec.indicators.0.iter().map(|(k, _)| k.clone()).collect();
            header(&mut runs, &mut points, m, &names)?;
            parquet = Parquet::create(root, m, &names)?;
        }
        check(store, m, &rec, &names)?;
        let mut row: Vec<String> = vec![
            rec.run.to_string(),
            rec.point.to_string(),
            rec.replicate.to_string(),
            rec.seed.to_string(),
        ];
        row.extend(rec.parameters.0.iter().map(|(_, v)| cell(v)));
        row.extend(rec.indicators.0.iter().map(|(_, v)| num(*v)));
        runs.row(&row)?;
        if let Some(pq) = parquet.as_mut() {
            pq.run(&rec)?;
        }
        if run >= ordinary {
            continue;
        }
        let last_of_point = rec.replicate + 1 == m.replicates;
        let point = rec.point;
        group.push(rec);
        if last_of_point {
            for &extra in layout
                .runs_of(point)
                .get(m.replicates as usize..)
                .unwrap_or(&[])
            {
                let rec = store.read_run(extra)?;
                check(store, m, &rec, &names)?;
                group.push(rec);
            }
            let stats = point_row(&mut points, &group)?;
            if let (Some(pq), Some(first)) = (parquet.as_mut(), group.first()) {
                pq.point(first, group.len(), &stats)?;
            }
            group.clear();
        }
    }
    runs.finish()?;
    points.finish()?;
    let mut written = vec![
        (runs_tmp, root.join(RUNS_FILE)),
        (points_tmp, root.join(POINTS_FILE)),
    ];
    if let Some(pq) = parquet {
        written.extend(pq.finish(store, m)?);
    }
    // Renamed once every table is whole; the manifest says complete only after.
    for (tmp, path) in written {
        std::fs::rename(&tmp, &path).map_err(io(&tmp))?;
    }
    Ok(())
}

/// The manifest a sweep's Parquet table carries: the table and the sweep's identity (not its
/// shard or progress, so that a merged sweep's tables are an unsharded one's, byte for byte).
fn table_manifest(table: &str, m: &Manifest) -> serde_json::Value {
    serde_json::json!({
        "table": table,
        "sweep": m.name,
        "hash": m.hash,
        "runs": m.runs,
        "points": m.points,
        "replicates": m.replicates,
        "parameters": m.parameters,
        "seed_formula": m.seed_formula,
        "pluri_version": m.pluri_version,
    })
}

/// A temporary file's name beside `path`'s.
fn tmp_of(root: &Path, name: &str) -> PathBuf {
    root.join(format!(".{name}.{}.tmp", std::process::id()))
}

type FileWriter = ParquetWriter<BufWriter<File>>;

/// The Parquet tables of a Parquet sweep, filled in the same pass as the CSV ones.
struct Parquet {
    runs: RunsColumns,
    points: PointsColumns,
    runs_out: FileWriter,
    points_out: FileWriter,
    runs_tmp: PathBuf,
    points_tmp: PathBuf,
    root: PathBuf,
}

impl Parquet {
    /// The tables of `m`, if it is a Parquet sweep.
    fn create(root: &Path, m: &Manifest, names: &[String]) -> Result<Option<Parquet>, SweepError> {
        let Some(pq) = &m.parquet else {
            return Ok(None);
        };
        let params: Vec<_> = m
            .parameters
            .iter()
            .cloned()
            .zip(pq.parameter_types.iter().copied())
            .collect();
        if params.len() != m.parameters.len() {
            return Err(SweepError::Corrupt {
                path: root.join("manifest.json"),
                message: "has fewer parquet parameter types than parameters: run the sweep again with --force".into(),
            });
        }
        let runs = RunsColumns::new(&params, names);
        let points = PointsColumns::new(&params, names);
        let runs_tmp = tmp_of(root, RUNS_PARQUET);
        let points_tmp = tmp_of(root, POINTS_PARQUET);
        let runs_out = open(&runs_tmp, runs.schema(), &table_manifest("runs", m))?;
        let points_out = open(&points_tmp, points.schema(), &table_manifest("points", m))?;
        Ok(Some(Parquet {
            runs,
            points,
            runs_out,
            points_out,
            runs_tmp,
            points_tmp,
            root: root.to_path_buf(),
        }))
    }

    fn run(&mut self, rec: &RunRecord) -> Result<(), SweepError> {
        let params: Vec<serde_json::Value> =
            rec.parameters.0.iter().map(|(_, v)| v.clone()).collect();
        let inds: Vec<Option<f64>> = rec.indicators.0.iter().map(|(_, v)| *v).collect();
        let at = self.root.join(RUNS_PARQUET);
        self.runs
            .push(
                (rec.run, rec.point, rec.replicate, rec.seed),
                &params,
                &inds,
            )
            .map_err(corrupt(&at))?;
        if self.runs.len() >= ROW_GROUP_ROWS {
            let batch = self.runs.take().map_err(corrupt(&at))?;
            self.runs_out.write(&batch).map_err(corrupt(&at))?;
        }
        Ok(())
    }

    fn point(&mut self, first: &RunRecord, n: usize, stats: &[f64]) -> Result<(), SweepError> {
        let params: Vec<serde_json::Value> =
            first.parameters.0.iter().map(|(_, v)| v.clone()).collect();
        let at = self.root.join(POINTS_PARQUET);
        self.points
            .push(first.point, &params, n as u64, stats)
            .map_err(corrupt(&at))?;
        if self.points.len() >= ROW_GROUP_ROWS {
            let batch = self.points.take().map_err(corrupt(&at))?;
            self.points_out.write(&batch).map_err(corrupt(&at))?;
        }
        Ok(())
    }

    /// Writes what is held, then the weekly series of every run in run order; gives the
    /// temporary files and their final names.
    fn finish(
        mut self,
        store: &Store,
        m: &Manifest,
    ) -> Result<Vec<(PathBuf, PathBuf)>, SweepError> {
        let runs_at = self.root.join(RUNS_PARQUET);
        let points_at = self.root.join(POINTS_PARQUET);
        if !self.runs.is_empty() {
            let batch = self.runs.take().map_err(corrupt(&runs_at))?;
            self.runs_out.write(&batch).map_err(corrupt(&runs_at))?;
        }
        if !self.points.is_empty() {
            let batch = self.points.take().map_err(corrupt(&points_at))?;
            self.points_out.write(&batch).map_err(corrupt(&points_at))?;
        }
        self.runs_out.finish().map_err(corrupt(&runs_at))?;
        self.points_out.finish().map_err(corrupt(&points_at))?;
        let weekly_tmp = tmp_of(&self.root, WEEKLY_PARQUET);
        write_weekly(store, m, &weekly_tmp)?;
        Ok(vec![
            (self.runs_tmp, runs_at),
            (self.points_tmp, points_at),
            (weekly_tmp, self.root.join(WEEKLY_PARQUET)),
        ])
    }
}

/// Concatenates the weekly series of every run, in run order, into `tmp`; each run's file
/// must be of this study and of its run.
fn write_weekly(store: &Store, m: &Manifest, tmp: &Path) -> Result<(), SweepError> {
    let at = store.root().join(WEEKLY_PARQUET);
    let mut out: Option<FileWriter> = None;
    let mut schema = None;
    for run in 0..m.runs {
        let path = store.weekly_path(run);
        if !path.is_file() {
            return Err(SweepError::Corrupt {
                path,
                message: format!(
                    "is missing: delete {} and resume to run it again",
                    store.run_path(run).display()
                ),
            });
        }
        let table = read_parquet(&path).map_err(|e| SweepError::Corrupt {
            path: path.clone(),
            message: format!("{e}; delete it and the run's .json file, and resume"),
        })?;
        let want = serde_json::json!({"table": "weekly", "study": m.hash, "run": run});
        let theirs = table
            .manifest
            .as_deref()
            .and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok());
        let schema_ok = schema.as_ref().is_none_or(|s| *s == table.schema);
        if theirs.as_ref() != Some(&want) || !schema_ok {
            return Err(SweepError::Corrupt {
                path,
                message: format!("is not run {run}'s weekly series of this sweep (hash {}): delete it and the run's .json file, and resume", m.hash),
            });
        }
        let w = match out.as_mut() {
            Some(w) => w,
            None => {
                schema = Some(table.schema.clone());
                out.insert(open(
                    tmp,
                    table.schema.clone(),
                    &table_manifest("weekly", m),
                )?)
            }
        };
        for batch in &table.batches {
            w.write(batch).map_err(corrupt(&at))?;
        }
    }
    match out {
        Some(w) => w.finish().map(|_| ()).map_err(corrupt(&at)),
        None => Ok(()),
    }
}

/// Creates a Parquet file at `path` through a buffer.
fn open(
    path: &Path,
    schema: pluri_columnar::SchemaRef,
    manifest: &serde_json::Value,
) -> Result<FileWriter, SweepError> {
    let f = File::create(path).map_err(io(path))?;
    ParquetWriter::new(BufWriter::new(f), schema, manifest, path).map_err(corrupt(path))
}

/// A columnar error writing the table at `path`.
fn corrupt(path: &Path) -> impl Fn(ColumnarError) -> SweepError + '_ {
    move |e| match e {
        ColumnarError::Io { source, .. } => SweepError::Io {
            path: path.to_path_buf(),
            source,
        },
        other => SweepError::Io {
            path: path.to_path_buf(),
            source: other.into_io(),
        },
    }
}

fn header(
    runs: &mut Csv,
    points: &mut Csv,
    m: &Manifest,
    names: &[String],
) -> Result<(), SweepError> {
    let mut h: Vec<String> = RUN_COLUMNS.map(String::from).to_vec();
    h.extend(m.parameters.iter().cloned());
    h.extend(names.iter().cloned());
    runs.row(&h)?;
    let mut h: Vec<String> = vec![POINT_COLUMN.into()];
    h.extend(m.parameters.iter().cloned());
    h.push(REPLICATES_COLUMN.into());
    for n in names {
        for s in POINT_STATS {
            h.push(point_column(n, s));
        }
    }
    points.row(&h)
}

fn check(store: &Store, m: &Manifest, rec: &RunRecord, names: &[String]) -> Result<(), SweepError> {
    let params: Vec<&String> = rec.parameters.0.iter().map(|(k, _)| k).collect();
    let inds: Vec<&String> = rec.indicators.0.iter().map(|(k, _)| k).collect();
    let ok = (rec.point, rec.replicate) == m.layout().locate(rec.run)
        && params.iter().copied().eq(m.parameters.iter())
        && inds.iter().copied().eq(names.iter());
    if ok {
        Ok(())
    } else {
        Err(SweepError::Corrupt {
            path: store.run_path(rec.run),
            message: "its point, replicate, parameters or indicators do not match the sweep: delete it and resume".into(),
        })
    }
}

/// Writes a point's row; gives its statistics (for each indicator, those of `POINT_STATS`).
fn point_row(points: &mut Csv, group: &[RunRecord]) -> Result<Vec<f64>, SweepError> {
    let Some(first) = group.first() else {
        return Ok(Vec::new());
    };
    let mut stats = Vec::with_capacity(first.indicators.0.len() * POINT_STATS.len());
    let mut row = vec![first.point.to_string()];
    row.extend(first.parameters.0.iter().map(|(_, v)| cell(v)));
    row.push(group.len().to_string());
    for (i, _) in first.indicators.0.iter().enumerate() {
        let values: Vec<f64> = group
            .iter()
            .map(|r| {
                r.indicators
                    .0
                    .get(i)
                    .and_then(|(_, v)| *v)
                    .unwrap_or(f64::NAN)
            })
            .collect();
        let s = summarize(&values);
        for v in [s.mean, s.sd, s.ci_low, s.ci_high] {
            row.push(num(Some(v)));
            stats.push(v);
        }
    }
    points.row(&row)?;
    Ok(stats)
}

/// A CSV file written through a buffer.
struct Csv {
    w: csv::Writer<BufWriter<File>>,
    path: std::path::PathBuf,
}

impl Csv {
    fn create(path: &Path) -> Result<Csv, SweepError> {
        let f = File::create(path).map_err(io(path))?;
        Ok(Csv {
            w: csv::Writer::from_writer(BufWriter::new(f)),
            path: path.to_path_buf(),
        })
    }

    fn row(&mut self, cells: &[String]) -> Result<(), SweepError> {
        self.w.write_record(cells).map_err(|e| self.err(e))
    }

    fn finish(self) -> Result<(), SweepError> {
        let path = self.path.clone();
        let mut inner = self.w.into_inner().map_err(|e| SweepError::Io {
            path: path.clone(),
            source: std::io::Error::other(e.to_string()),
        })?;
        inner.flush().map_err(io(&path))
    }

    fn err(&self, e: csv::Error) -> SweepError {
        SweepError::Io {
            path: self.path.clone(),
            source: std::io::Error::other(e.to_string()),
        }
    }
}
