//! The final tables, built from the run files on disk in run order: `runs.csv` and `points.csv`.
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
use super::store::{Manifest, Store};
use pluri_schema::sweep::{
    point_column, POINTS_FILE, POINT_COLUMN, POINT_STATS, REPLICATES_COLUMN, RUNS_FILE, RUN_COLUMNS,
};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

/// Writes `runs.csv` and `points.csv` into the store from its run files; every run of the
/// manifest must be on disk.
pub fn write_tables(store: &Store, m: &Manifest) -> Result<(), SweepError> {
    let root = store.root();
    let runs_tmp = root.join(format!(".{RUNS_FILE}.{}.tmp", std::process::id()));
    let points_tmp = root.join(format!(".{POINTS_FILE}.{}.tmp", std::process::id()));
    let mut runs = Csv::create(&runs_tmp)?;
    let mut points = Csv::create(&points_tmp)?;
    let mut names: Vec<String> = Vec::new();
    let layout = m.layout();
    let ordinary = m.points * u64::from(m.replicates);
    let mut group: Vec<RunRecord> = Vec::with_capacity(m.replicates as usize);
    for run in 0..m.runs {
        let rec = store.read_run(run)?;
        if run == 0 {
            names = rec.indicators.0.iter().map(|(k, _)| k.clone()).collect();
            header(&mut runs, &mut points, m, &names)?;
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
            point_row(&mut points, &group)?;
            group.clear();
        }
    }
    runs.finish()?;
    points.finish()?;
    std::fs::rename(&runs_tmp, root.join(RUNS_FILE)).map_err(io(&runs_tmp))?;
    std::fs::rename(&points_tmp, root.join(POINTS_FILE)).map_err(io(&points_tmp))
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

fn point_row(points: &mut Csv, group: &[RunRecord]) -> Result<(), SweepError> {
    let Some(first) = group.first() else {
        return Ok(());
    };
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
        }
    }
    points.row(&row)
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
