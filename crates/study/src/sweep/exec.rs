//! Running a sweep: the output directory's lifecycle (new, resume, force), the parallel runs
//! streaming to disk, and the final tables.
//!
//! Runs execute with rayon over the run indices still missing; each finished run is written
//! at once (atomically) and then reported to the caller, so nothing but the list of missing
//! indices grows with the size of the sweep. The tables are built afterwards from the files.

use super::error::{io, SweepError};
use super::record::{json_value, Ordered, RunRecord};
use super::shard::Shard;
use super::spec::{Domain, Param, Sweep};
use super::store::{write_atomic, Manifest, ParquetColumns, Store, FORMAT, SWEEP_DIR};
use super::tables::write_tables;
use pluri_columnar::ParamType;
use pluri_core::output::DirLock;
use pluri_schema::sweep::{BASE_FILE, SWEEP_FILE};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// How a sweep is to be run.
#[derive(Debug, Clone)]
pub struct Options {
    /// Output directory.
    pub out: PathBuf,
    /// Continue an interrupted sweep in `out` (refused if the sweep changed).
    pub resume: bool,
    /// Replace an existing sweep directory in `out`.
    pub force: bool,
    /// The share of runs to execute.
    pub shard: Shard,
}

/// A sweep directory ready to run: what is done and what is left.
#[derive(Debug)]
pub struct Prepared {
    store: Store,
    manifest: Manifest,
    todo: Vec<u64>,
    /// Runs of this shard already on disk.
    pub already: u64,
    /// The directory's lock, held until the sweep ends (the process ends, at the latest).
    _lock: DirLock,
}

/// What a call to [`Prepared::execute`] did.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Runs of this shard.
    pub shard_runs: u64,
    /// Runs found on disk before starting.
    pub already: u64,
    /// Runs executed now.
    pub ran: u64,
    /// Stopped before every run was done (the directory can be resumed).
    pub interrupted: bool,
    /// Seconds simulating, summed over runs executed now.
    pub simulate_seconds: f64,
    /// Wall-clock seconds of the runs and the tables.
    pub wall_seconds: f64,
    /// Threads used.
    pub threads: usize,
    /// Where the results are.
    pub out: PathBuf,
}

/// The manifest of `sweep` (or of one shard of it).
pub fn manifest(sweep: &Sweep, shard: Shard, complete: bool) -> Manifest {
    let layout = sweep.layout();
    let mut seed_formula = String::from("run_seed(s, p, r) = mix(mix(mix(s) ^ p) ^ r) >> 11, mix = SplitMix64 finaliser; run = p * replicates + r");
    if layout.extra_replicates > 0 {
        seed_formula.push_str("; the first extra_points points' replicates from `replicates` on: run = points * replicates + p * extra_replicates + r - replicates");
    }
    Manifest {
        format: FORMAT,
        name: sweep.name.clone(),
        hash: sweep.hash().to_string(),
        runs: sweep.runs(),
        points: sweep.points(),
        replicates: sweep.replicates,
        extra_points: layout.extra_points,
        extra_replicates: layout.extra_replicates,
        parameters: sweep.params.iter().map(|p| p.path.clone()).collect(),
        shard: shard.to_string(),
        complete,
        seed_formula,
        pluri_version: env!("CARGO_PKG_VERSION").into(),
        parquet: sweep.parquet.then(|| ParquetColumns {
            parameter_types: sweep.params.iter().map(param_type).collect(),
        }),
    }
}

/// The Parquet column type of a parameter: whole numbers when every value (both ends of a
/// range of whole numbers) is one, numbers when every value is a number, and so on.
fn param_type(p: &Param) -> ParamType {
    match &p.domain {
        Domain::Range { integer: true, .. } => ParamType::Int,
        Domain::Range { .. } => ParamType::Float,
        Domain::Values(values) => {
            if values.iter().all(|v| v.is_integer()) {
                ParamType::Int
            } else if values.iter().all(|v| v.is_integer() || v.is_float()) {
                ParamType::Float
            } else if values.iter().all(toml::Value::is_bool) {
                ParamType::Bool
            } else {
                ParamType::Text
            }
        }
    }
}

/// Checks the output directory, locks it, creates or reopens it, and lists the runs left to
/// do. On `--resume`, every run file already there is checked (its seal, its study, its point,
/// replicate and seed) before any run starts.
pub fn prepare(sweep: &Sweep, opts: &Options) -> Result<Prepared, SweepError> {
    let store = Store::new(&opts.out);
    let fresh = manifest(sweep, opts.shard, false);
    if let Some(file) = opts.out.ancestors().find(|a| a.is_file()) {
        return Err(SweepError::Directory {
            path: file.to_path_buf(),
            message: "is a file, not a directory: choose another --out".into(),
        });
    }
    // Checked once before the lock is taken, so that a directory refused is left untouched,
    // then again under the lock, where no other pluri process can change it.
    check_existing(&store, &fresh, opts, false)?;
    if let Some(parent) = opts.out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(io(parent))?;
    }
    let lock = DirLock::acquire(&opts.out)?;
    check_existing(&store, &fresh, opts, true)?;
    store.create()?;
    // The manifest first: a directory killed before it holds only what `is_empty_dir` ignores.
    store.write_manifest(&fresh)?;
    store.write(SWEEP_FILE, effective_with_header(sweep).as_bytes())?;
    store.write(BASE_FILE, sweep.base.to_commented_toml().as_bytes())?;
    let done = store.finished()?;
    check_runs(sweep, &store, &done)?;
    let mut is_done = done.iter().copied().peekable();
    let mut todo = Vec::new();
    let mut already = 0;
    for run in (0..sweep.runs()).filter(|&r| opts.shard.owns(r)) {
        while is_done.next_if(|&d| d < run).is_some() {}
        if is_done.next_if_eq(&run).is_some() {
            already += 1;
        } else {
            todo.push(run);
        }
    }
    Ok(Prepared {
        store,
        manifest: fresh,
        todo,
        already,
        _lock: lock,
    })
}

/// Whether `opts.out` may be used as asked (new, `--resume` or `--force`); under the lock
/// (`locked`), `--force` also removes the old sweep directory.
fn check_existing(
    store: &Store,
    fresh: &Manifest,
    opts: &Options,
    locked: bool,
) -> Result<(), SweepError> {
    let dir_err = |message: String| SweepError::Directory {
        path: opts.out.clone(),
        message,
    };
    if !opts.out.exists() {
        return Ok(());
    }
    if opts.force {
        if locked {
            SWEEP_DIR.remove(&opts.out)?;
        } else {
            SWEEP_DIR.check_replaceable(&opts.out)?;
        }
        return Ok(());
    }
    let old = store.manifest()?;
    if !opts.resume {
        if old.is_some() || !is_empty_dir(&opts.out) {
            return Err(dir_err(
                "exists: pass --resume to finish it, --force to start over, or --out to write elsewhere".into(),
            ));
        }
    } else if let Some(old) = old {
        if old.format != FORMAT {
            return Err(dir_err(format!(
                "was written by another version of pluri (directory format {}, this one reads {FORMAT}): use --force to start over, or another --out",
                old.format
            )));
        }
        if old.hash != fresh.hash {
            return Err(dir_err(format!(
                "holds another sweep ({} {}): the sweep definition or its base scenario changed since; use --force to start over or another --out",
                old.name, old.hash
            )));
        }
        if old.shard != fresh.shard {
            return Err(dir_err(format!(
                "holds shard {} but --shard {} was given: resume with the same --shard",
                old.shard, fresh.shard
            )));
        }
    } else if !is_empty_dir(&opts.out) {
        return Err(dir_err(
            "is not a sweep directory (no manifest.json): choose another --out".into(),
        ));
    }
    Ok(())
}

/// Checks every run file on disk against the sweep (in parallel): sealed, of this study, and
/// holding the point, replicate and seed of its run. The first refusal in run order is given.
fn check_runs(sweep: &Sweep, store: &Store, done: &[u64]) -> Result<(), SweepError> {
    let runs = sweep.runs();
    let bad = done
        .par_iter()
        .map(|&run| {
            if run >= runs {
                return Err(SweepError::Corrupt {
                    path: store.run_path(run),
                    message: format!(
                        "the sweep has only {runs} runs: this file belongs to another sweep; delete it and resume"
                    ),
                });
            }
            let rec = store.read_run(run)?;
            if sweep.parquet && !store.weekly_path(run).is_file() {
                return Err(SweepError::Corrupt {
                    path: store.weekly_path(run),
                    message: format!(
                        "is missing while run {run}'s file is there: delete {} and resume to run it again",
                        store.run_path(run).display()
                    ),
                });
            }
            let spec = sweep.run_spec(run);
            if (rec.point, rec.replicate, rec.seed) != (spec.point, spec.replicate, spec.seed) {
                return Err(SweepError::Corrupt {
                    path: store.run_path(run),
                    message: format!(
                        "holds point {}, replicate {}, seed {} where this sweep's run {run} is point {}, replicate {}, seed {}: delete it and resume to run it again",
                        rec.point, rec.replicate, rec.seed, spec.point, spec.replicate, spec.seed
                    ),
                });
            }
            Ok(())
        })
        .find_first(Result::is_err);
    bad.unwrap_or(Ok(()))
}

impl Prepared {
    /// Runs left to execute.
    pub fn todo(&self) -> u64 {
        self.todo.len() as u64
    }

    /// Executes the missing runs in parallel, then (whole sweeps) writes the tables.
    ///
    /// `on_done` is called from worker threads after each run's file is on disk, with the
    /// record and its JSON line. Setting `stop` makes the remaining runs be skipped; the
    /// directory then resumes later.
    pub fn execute(
        self,
        sweep: &Sweep,
        stop: &AtomicBool,
        on_done: &(dyn Fn(&RunRecord, &str) + Sync),
    ) -> Result<Report, SweepError> {
        self.execute_with(sweep, stop, on_done, &headline)
    }

    /// As [`Prepared::execute`], but each run records the indicators `indicators` draws from
    /// its results instead of the headline ones (calibration records its series this way).
    pub fn execute_with(
        self,
        sweep: &Sweep,
        stop: &AtomicBool,
        on_done: &(dyn Fn(&RunRecord, &str) + Sync),
        indicators: &Indicators<'_>,
    ) -> Result<Report, SweepError> {
        let started = Instant::now();
        let sim_nanos = std::sync::atomic::AtomicU64::new(0);
        let ran = std::sync::atomic::AtomicU64::new(0);
        self.todo.par_iter().try_for_each(|&run| {
            if stop.load(Ordering::Relaxed) {
                return Ok(());
            }
            let (rec, results) = simulate_run(sweep, run, indicators)?;
            if self.manifest.parquet.is_some() {
                // Before the run file: a run file on disk always has its weekly series.
                let path = self.store.weekly_path(run);
                let bytes = weekly_parquet(&rec, &results.weekly, &self.manifest.hash, &path)?;
                write_atomic(&path, &bytes)?;
            }
            drop(results);
            let json = serde_json::to_string(&rec).map_err(|e| SweepError::Corrupt {
                path: self.store.run_path(run),
                message: e.to_string(),
            })?;
            self.store.write_record(&rec, &json, &self.manifest.hash)?;
            sim_nanos.fetch_add((rec.simulate_seconds * 1e9) as u64, Ordering::Relaxed);
            ran.fetch_add(1, Ordering::Relaxed);
            on_done(&rec, &json);
            Ok::<(), SweepError>(())
        })?;
        let ran = ran.into_inner();
        let interrupted = ran < self.todo.len() as u64;
        let mut manifest = self.manifest;
        if !interrupted {
            manifest.complete = true;
            if manifest.shard == Shard::ALL.to_string() {
                write_tables(&self.store, &manifest)?;
            }
            self.store.write_manifest(&manifest)?;
        }
        let report = Report {
            shard_runs: self.already + self.todo.len() as u64,
            already: self.already,
            ran,
            interrupted,
            simulate_seconds: sim_nanos.into_inner() as f64 / 1e9,
            wall_seconds: started.elapsed().as_secs_f64(),
            threads: rayon::current_num_threads(),
            out: self.store.root().to_path_buf(),
        };
        write_timings(&self.store, &report)?;
        Ok(report)
    }
}

/// What a run records from its results: named indicators, in a fixed order.
pub type Indicators<'a> = dyn Fn(&pluri_core::RunResults) -> Vec<(String, f64)> + Sync + 'a;

/// The headline indicators ([`pluri_core::RunResults::headline`]), what sweeps record by default.
pub fn headline(results: &pluri_core::RunResults) -> Vec<(String, f64)> {
    results
        .headline()
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}

/// One run's weekly series as the bytes of a Parquet file, its manifest naming the study
/// (the sweep's hash) and the run.
pub fn weekly_parquet(
    rec: &RunRecord,
    weekly: &[pluri_schema::run::WeeklyRecord],
    study: &str,
    path: &Path,
) -> Result<Vec<u8>, SweepError> {
    let columnar = |e: pluri_columnar::ColumnarError| SweepError::Corrupt {
        path: path.to_path_buf(),
        message: format!("internal: {e}"),
    };
    let batch =
        pluri_columnar::run_weekly_batch((rec.run, rec.point, rec.replicate, rec.seed), weekly)
            .map_err(columnar)?;
    let manifest = serde_json::json!({"table": "weekly", "study": study, "run": rec.run});
    let mut w = pluri_columnar::ParquetWriter::new(Vec::new(), batch.schema(), &manifest, path)
        .map_err(columnar)?;
    w.write(&batch).map_err(columnar)?;
    w.finish().map_err(columnar)
}

/// Simulates one run of the sweep: its record (with `indicators` of its results) and its
/// results.
fn simulate_run(
    sweep: &Sweep,
    run: u64,
    indicators: &Indicators<'_>,
) -> Result<(RunRecord, pluri_core::RunResults), SweepError> {
    let spec = sweep.run_spec(run);
    let scenario = sweep.scenario(&spec)?;
    let t = Instant::now();
    let results = pluri_core::simulate(&scenario);
    let simulate_seconds = t.elapsed().as_secs_f64();
    let rec = RunRecord {
        run,
        point: spec.point,
        replicate: spec.replicate,
        seed: spec.seed,
        parameters: Ordered(
            sweep
                .params
                .iter()
                .zip(sweep.point_values(spec.point))
                .map(|(p, v)| (p.path.clone(), json_value(v)))
                .collect(),
        ),
        indicators: Ordered(
            indicators(&results)
                .into_iter()
                .map(|(k, v)| (k, v.is_finite().then_some(v)))
                .collect(),
        ),
        command: sweep.command(&spec),
        simulate_seconds,
    };
    Ok((rec, results))
}

fn effective_with_header(sweep: &Sweep) -> String {
    format!(
        "# Effective sweep of {} (hash {}).\n# base.toml beside it is the base scenario with the fixed overrides applied;\n# `pluri sweep sweep.toml` from this directory runs the same sweep again.\n{}",
        sweep.origin,
        sweep.hash(),
        sweep.effective_toml()
    )
}

fn write_timings(store: &Store, r: &Report) -> Result<(), SweepError> {
    let busy = r.wall_seconds * r.threads as f64;
    let t = serde_json::json!({
        "runs_executed": r.ran,
        "wall_seconds": r.wall_seconds,
        "simulate_seconds_summed": r.simulate_seconds,
        "threads": r.threads,
        "runs_per_second": r.ran as f64 / r.wall_seconds.max(1e-9),
        "overhead_share": if busy > 0.0 { 1.0 - r.simulate_seconds / busy } else { 0.0 },
    });
    let text = serde_json::to_string_pretty(&t).unwrap_or_default() + "\n";
    store.write("timings.json", text.as_bytes())
}

/// Whether `p` holds nothing of a sweep: it is empty, or holds only what a sweep killed while
/// creating its directory leaves (an empty `runs/` and temporary `*.tmp` files).
fn is_empty_dir(p: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(p) else {
        return false;
    };
    entries.into_iter().all(|e| {
        e.is_ok_and(|e| {
            let path = e.path();
            let tmp = path.extension().is_some_and(|x| x == "tmp") && path.is_file();
            let empty_runs = e.file_name() == "runs"
                && std::fs::read_dir(&path).is_ok_and(|mut d| d.next().is_none());
            tmp || empty_runs
        })
    })
}
