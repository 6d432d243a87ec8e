//! Sweeps, comparisons and calibrations from Python, over the machinery of `pluri sweep`,
//! `pluri compare` and `pluri calibrate`: the same files, directories, seeds and tables.
//! Runs go on in parallel with the GIL released; the calling thread watches for Ctrl-C
//! (remaining runs are skipped, finished ones kept) and a progress callback is called with
//! `(done, total)` as runs finish.

use crate::errors;
use crate::tables::{self, Column};
use pluri::sweep::{prepare, Options, RunRecord, Shard, Sweep};
use pyo3::prelude::*;
use pyo3_arrow::PyTable;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

/// Calls `work` on another thread with the GIL released while this one polls for signals
/// (setting `stop` on Ctrl-C) and relays progress to `progress(done, total)`.
pub(crate) fn watched<T: Send>(
    py: Python<'_>,
    total: u64,
    progress: Option<&Py<PyAny>>,
    work: impl FnOnce(&AtomicBool, &AtomicU64) -> T + Send,
) -> PyResult<T> {
    let stop = AtomicBool::new(false);
    let done = AtomicU64::new(0);
    let mut signal: Option<PyErr> = None;
    let mut shown = 0;
    let out = py.detach(|| {
        std::thread::scope(|s| {
            let worker = s.spawn(|| work(&stop, &done));
            loop {
                let finished = worker.is_finished();
                let now = done.load(Ordering::Relaxed);
                Python::attach(|py| {
                    if signal.is_none() {
                        if let Err(e) = py.check_signals() {
                            stop.store(true, Ordering::Relaxed);
                            signal = Some(e);
                        }
                    }
                    if now != shown {
                        shown = now;
                        if let Some(cb) = progress {
                            if let Err(e) = cb.call1(py, (now, total)) {
                                stop.store(true, Ordering::Relaxed);
                                signal.get_or_insert(e);
                            }
                        }
                    }
                });
                if finished {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            worker.join()
        })
    });
    if let Some(e) = signal {
        return Err(e);
    }
    out.map_err(|_| errors::PluriError::new_err("a worker thread of pluri panicked"))
}

/// The shard of `K/N`, or all runs.
fn shard(given: Option<&str>) -> PyResult<Shard> {
    match given {
        Some(s) => s.parse::<Shard>().map_err(|e| errors::sweep(&e)),
        None => Ok(Shard::ALL),
    }
}

/// Default output directory of a study named `name`, as the command line chooses it.
fn default_out(name: &str, shard: Shard) -> PathBuf {
    let dir = if shard.is_all() {
        name.to_string()
    } else {
        format!("{name}-shard-{}-of-{}", shard.k, shard.n)
    };
    Path::new("output").join(dir)
}

/// A record batch as a Python Arrow table.
fn table(batch: Result<arrow_array::RecordBatch, tables::TableError>) -> PyResult<PyTable> {
    let batch = batch.map_err(|e| errors::other(&e))?;
    let schema = batch.schema();
    PyTable::try_new(vec![batch], schema)
}

/// A finished sweep or calibration's runs, from its run files, as `runs.csv` has them
/// (run, point, replicate, seed, parameters, indicators; numbers as numbers).
fn runs_table(dir: &Path) -> PyResult<PyTable> {
    let store = pluri_study::sweep::Store::new(dir);
    let finished = store.finished().map_err(|e| errors::sweep(&e))?;
    let mut records: Vec<RunRecord> = Vec::with_capacity(finished.len());
    for run in finished {
        records.push(store.read_run(run).map_err(|e| errors::sweep(&e))?);
    }
    let mut columns = vec![
        (
            "run".to_string(),
            Column::U64(records.iter().map(|r| r.run).collect()),
        ),
        (
            "point".to_string(),
            Column::U64(records.iter().map(|r| r.point).collect()),
        ),
        (
            "replicate".to_string(),
            Column::U64(records.iter().map(|r| u64::from(r.replicate)).collect()),
        ),
        (
            "seed".to_string(),
            Column::U64(records.iter().map(|r| r.seed).collect()),
        ),
    ];
    let first = records.first();
    let params: Vec<String> = first
        .map(|r| r.parameters.0.iter().map(|(k, _)| k.clone()).collect())
        .unwrap_or_default();
    for (i, name) in params.into_iter().enumerate() {
        let values: Vec<Option<&serde_json::Value>> = records
            .iter()
            .map(|r| r.parameters.0.get(i).map(|(_, v)| v))
            .collect();
        let column = if values.iter().all(|v| v.is_some_and(|v| v.is_number())) {
            Column::F64(values.iter().map(|v| v.and_then(|v| v.as_f64())).collect())
        } else {
            Column::Str(
                values
                    .iter()
                    .map(|v| match v {
                        Some(serde_json::Value::String(s)) => s.clone(),
                        Some(v) => v.to_string(),
                        None => String::new(),
                    })
                    .collect(),
            )
        };
        columns.push((name, column));
    }
    let indicators: Vec<String> = first
        .map(|r| r.indicators.0.iter().map(|(k, _)| k.clone()).collect())
        .unwrap_or_default();
    for (i, name) in indicators.into_iter().enumerate() {
        let values = records
            .iter()
            .map(|r| r.indicators.0.get(i).and_then(|(_, v)| *v))
            .collect();
        columns.push((name, Column::F64(values)));
    }
    table(tables::columns_batch("runs", columns))
}

/// What a sweep did (wrapped by `pluri.SweepResult`).
#[pyclass(module = "pluri._native", name = "SweepOutcome", frozen, get_all)]
pub struct SweepOutcome {
    /// The sweep directory.
    out: PathBuf,
    /// The sweep's name.
    name: String,
    /// Runs of the sweep (or of its shard).
    runs_total: u64,
    /// Runs found done on disk.
    already: u64,
    /// Runs executed now.
    ran: u64,
    /// Whether it stopped before the end (Ctrl-C).
    interrupted: bool,
    /// Wall time (seconds).
    wall_seconds: f64,
    /// Every finished run, as `runs.csv` has them.
    runs: Py<PyAny>,
}

/// Runs what is missing of a sweep file into `out` (default `output/sweep-NAME`), as
/// `pluri sweep` does; figures only with `plots`.
#[pyfunction]
#[pyo3(signature = (path, out=None, resume=false, force=false, shard=None, plots=false, progress=None))]
#[allow(clippy::too_many_arguments)]
pub fn sweep(
    py: Python<'_>,
    path: PathBuf,
    out: Option<PathBuf>,
    resume: bool,
    force: bool,
    shard: Option<String>,
    plots: bool,
    progress: Option<Py<PyAny>>,
) -> PyResult<SweepOutcome> {
    let shard = self::shard(shard.as_deref())?;
    let sweep = py
        .detach(|| Sweep::from_file(&path))
        .map_err(|e| errors::sweep(&e))?;
    let opts = Options {
        out: out.unwrap_or_else(|| default_out(&format!("sweep-{}", sweep.name), shard)),
        resume,
        force,
        shard,
    };
    let prepared = py
        .detach(|| prepare(&sweep, &opts))
        .map_err(|e| errors::sweep(&e))?;
    let todo = prepared.todo();
    let report = watched(py, todo, progress.as_ref(), |stop, done| {
        prepared.execute(&sweep, stop, &|_, _| {
            done.fetch_add(1, Ordering::Relaxed);
        })
    })?
    .map_err(|e| errors::sweep(&e))?;
    if plots && shard.is_all() && !report.interrupted {
        py.detach(|| pluri::plot::plot_sweep(&opts.out, &opts.out, pluri::plot::Format::Png))
            .map_err(|e| errors::other(&e))?;
    }
    Ok(SweepOutcome {
        runs: runs_table(&opts.out)?
            .into_pyobject(py)?
            .into_any()
            .unbind(),
        out: opts.out,
        name: sweep.name.clone(),
        runs_total: report.shard_runs,
        already: report.already,
        ran: report.ran,
        interrupted: report.interrupted,
        wall_seconds: report.wall_seconds,
    })
}

/// What a comparison found (wrapped by `pluri.Comparison`).
#[pyclass(module = "pluri._native", name = "CompareOutcome", frozen, get_all)]
pub struct CompareOutcome {
    /// The comparison directory.
    out: PathBuf,
    /// Arm names, the reference first.
    arms: Vec<String>,
    /// `differences.csv`: each arm's paired difference from the first, per indicator.
    differences: Py<PyAny>,
    /// `arms.csv`: each arm's mean and interval, per indicator.
    arm_means: Py<PyAny>,
    /// `weekly.csv`: each arm's weekly bands (and differences from the first).
    weekly: Py<PyAny>,
}

/// The arguments of a comparison, as `pluri compare` takes them.
#[derive(FromPyObject)]
pub struct CompareArgs {
    scenarios: Vec<PathBuf>,
    replicates: u32,
    seed: Option<u64>,
    sets: Vec<String>,
    weeks: Option<u32>,
    arms: Vec<String>,
    without: Vec<String>,
    out: Option<PathBuf>,
    level: f64,
    relative_precision: f64,
    precision: Vec<(String, f64)>,
    question: Option<String>,
    independent_seeds: bool,
    force: bool,
    plots: bool,
}

impl CompareArgs {
    /// The `pluri compare` command line that does the same, recorded in the report.
    fn command(&self) -> String {
        use pluri_study::compare::shell_quote as q;
        let mut w: Vec<String> = vec!["pluri".into(), "compare".into()];
        w.extend(self.scenarios.iter().map(|p| q(&p.display().to_string())));
        w.push(format!("--replicates {}", self.replicates));
        if let Some(s) = self.seed {
            w.push(format!("--seed {s}"));
        }
        w.extend(self.sets.iter().map(|s| format!("--set {}", q(s))));
        if let Some(n) = self.weeks {
            w.push(format!("--weeks {n}"));
        }
        w.extend(self.arms.iter().map(|a| format!("--arm {}", q(a))));
        w.extend(self.without.iter().map(|a| format!("--without {}", q(a))));
        if let Some(o) = &self.out {
            w.push(format!("--out {}", q(&o.display().to_string())));
        }
        w.push(format!("--level {}", self.level));
        w.push(format!("--relative-precision {}", self.relative_precision));
        w.extend(
            self.precision
                .iter()
                .map(|(k, v)| format!("--precision {}", q(&format!("{k}={v}")))),
        );
        if let Some(t) = &self.question {
            w.push(format!("--question {}", q(t)));
        }
        if self.independent_seeds {
            w.push("--independent-seeds".into());
        }
        if !self.plots {
            w.push("--no-plots".into());
        }
        w.join(" ")
    }
}

/// Runs a comparison into its directory, as `pluri compare` does.
#[pyfunction]
#[pyo3(signature = (args, progress=None))]
pub fn compare(
    py: Python<'_>,
    args: CompareArgs,
    progress: Option<Py<PyAny>>,
) -> PyResult<CompareOutcome> {
    use pluri::compare::{execute, tabulate, write_report, write_tables, ArmsSpec, Settings};
    let mut sets = args.sets.clone();
    if let Some(w) = args.weeks {
        sets.push(format!("weeks={w}"));
    }
    let arms = py
        .detach(|| {
            ArmsSpec {
                scenarios: args.scenarios.clone(),
                sets,
                variants: args.arms.clone(),
                without: args.without.clone(),
            }
            .build()
        })
        .map_err(|e| errors::compare(&e))?;
    let first = arms
        .first()
        .ok_or_else(|| errors::CompareError::new_err("a comparison needs a scenario"))?;
    let dest = args
        .out
        .clone()
        .unwrap_or_else(|| default_out(&format!("compare-{}", first.name), Shard::ALL));
    let settings = Settings {
        replicates: args.replicates,
        seed: args.seed.unwrap_or(first.scenario.seed()),
        level: args.level,
        paired: !args.independent_seeds,
        relative_precision: args.relative_precision,
        precision: args.precision.clone(),
        question: args.question.clone(),
        command: args.command(),
        out: dest.clone(),
    };
    settings.check().map_err(|e| errors::compare(&e))?;
    let dir =
        pluri_core::output::RunDir::create(&dest, args.force).map_err(|e| errors::output(&e))?;
    let total = u64::from(settings.replicates) * arms.len() as u64;
    let outcome = watched(py, total, progress.as_ref(), |_stop, done| {
        execute(&arms, &settings, &|_, _| {
            done.fetch_add(1, Ordering::Relaxed);
        })
    })?
    .map_err(|e| errors::compare(&e))?;
    let tables = tabulate(&arms, &settings, &outcome);
    let staging = dir.staging().to_path_buf();
    py.detach(|| -> PyResult<()> {
        write_tables(&staging, &arms, &outcome, &tables).map_err(|e| errors::compare(&e))?;
        let mut figures = Vec::new();
        if args.plots {
            let plots = pluri::plot::plot_compare(&staging, &staging, pluri::plot::Format::Both)
                .map_err(|e| errors::other(&e))?;
            for p in plots {
                if let Some(svg) = p
                    .files
                    .iter()
                    .find(|f| f.extension().is_some_and(|e| e == "svg"))
                {
                    figures.push(pluri::compare::ReportFigure {
                        svg: svg.clone(),
                        caption: p.caption.clone(),
                    });
                }
            }
        }
        write_report(&staging, &arms, &settings, &outcome, &tables, &figures)
            .map_err(|e| errors::compare(&e))
    })?;
    let out = py.detach(|| dir.commit()).map_err(|e| errors::output(&e))?;
    let dated = tables.manifest.start_date.is_some();
    let any = |t: PyTable| -> PyResult<Py<PyAny>> { Ok(t.into_pyobject(py)?.into_any().unbind()) };
    Ok(CompareOutcome {
        out,
        arms: arms.iter().map(|a| a.name.clone()).collect(),
        differences: any(table(tables::differences_batch(&tables.differences))?)?,
        arm_means: any(table(tables::arms_batch(&tables.arms))?)?,
        weekly: any(table(tables::weekly_bands_batch(&tables.weekly, dated))?)?,
    })
}

/// What a calibration found (wrapped by `pluri.CalibrationResult`).
#[pyclass(module = "pluri._native", name = "CalibrateOutcome", frozen, get_all)]
pub struct CalibrateOutcome {
    /// The calibration directory.
    out: PathBuf,
    /// The calibration's name.
    name: String,
    /// Runs executed now.
    ran: u64,
    /// Whether it stopped before the end (Ctrl-C).
    interrupted: bool,
    /// Parameter sets kept (implausibility below the cut-off).
    accepted: u64,
    /// Every parameter set scored: point, parameters, runs, largest implausibility, kept.
    scores: Py<PyAny>,
}

/// Runs what is missing of a calibration and scores it, as `pluri calibrate` does.
#[pyfunction]
#[pyo3(signature = (path, out=None, resume=false, force=false, shard=None, plots=false, progress=None))]
#[allow(clippy::too_many_arguments)]
pub fn calibrate(
    py: Python<'_>,
    path: PathBuf,
    out: Option<PathBuf>,
    resume: bool,
    force: bool,
    shard: Option<String>,
    plots: bool,
    progress: Option<Py<PyAny>>,
) -> PyResult<CalibrateOutcome> {
    let shard = self::shard(shard.as_deref())?;
    let cal = py
        .detach(|| pluri::calibrate::Calibration::from_file(&path))
        .map_err(|e| errors::calibrate(&e))?;
    let opts = Options {
        out: out.unwrap_or_else(|| default_out(&format!("calibrate-{}", cal.name), shard)),
        resume,
        force,
        shard,
    };
    let total = cal.sweep.runs();
    let outcome = watched(py, total, progress.as_ref(), |stop, done| {
        pluri::calibrate::run(&cal, &opts, stop, &|_, _| {
            done.fetch_add(1, Ordering::Relaxed);
        })
    })?
    .map_err(|e| errors::calibrate(&e))?;
    if plots && shard.is_all() && !outcome.scores.is_empty() {
        py.detach(|| pluri_plot::plot_calibration(&opts.out, pluri_plot::Format::Both))
            .map_err(|e| errors::other(&e))?;
    }
    let s = &outcome.scores;
    let mut columns = vec![(
        "point".to_string(),
        Column::U64(s.iter().map(|p| p.point).collect()),
    )];
    for (i, param) in cal.sweep.params.iter().enumerate() {
        columns.push((
            param.path.clone(),
            Column::F64(s.iter().map(|p| p.params.get(i).copied()).collect()),
        ));
    }
    columns.push((
        "n".to_string(),
        Column::U64(s.iter().map(|p| p.n as u64).collect()),
    ));
    columns.push((
        "max_implausibility".to_string(),
        Column::F64(s.iter().map(|p| Some(p.max_i)).collect()),
    ));
    columns.push((
        "accepted".to_string(),
        Column::Bool(s.iter().map(|p| p.accepted).collect()),
    ));
    let scores = table(tables::columns_batch("scores", columns))?;
    Ok(CalibrateOutcome {
        out: outcome.out.clone(),
        name: cal.name.clone(),
        ran: outcome.sweep.ran,
        interrupted: outcome.sweep.interrupted,
        accepted: s.iter().filter(|p| p.accepted).count() as u64,
        scores: scores.into_pyobject(py)?.into_any().unbind(),
    })
}

/// Runs `scenario` once per row of `sets` (`PATH=VALUE` overrides), row `i` with seed
/// `seeds[i]`, in parallel with the GIL released, and returns each run's headline
/// indicators (in [`pluri::results::HEADLINE`] order), a row per run. Results depend on
/// the rows and seeds alone, not on threads or order.
#[pyfunction]
#[pyo3(signature = (scenario, sets, seeds, weeks=None, progress=None))]
pub fn headlines(
    py: Python<'_>,
    scenario: &crate::scenario::PyScenario,
    sets: Vec<Vec<String>>,
    seeds: Vec<u64>,
    weeks: Option<u32>,
    progress: Option<Py<PyAny>>,
) -> PyResult<Vec<Vec<f64>>> {
    use rayon::prelude::*;
    if sets.len() != seeds.len() {
        return Err(pyo3::exceptions::PyValueError::new_err(format!(
            "{} parameter sets but {} seeds: give one seed per set",
            sets.len(),
            seeds.len()
        )));
    }
    let base = crate::run::effective(&scenario.inner, None, weeks)?;
    let rows = watched(py, sets.len() as u64, progress.as_ref(), |stop, done| {
        sets.par_iter()
            .zip(seeds.par_iter())
            .map(|(sets, &seed)| {
                if stop.load(Ordering::Relaxed) {
                    return Ok(Vec::new());
                }
                let s = base.with_sets(sets)?.with_seed(seed);
                let results = pluri::simulate(&s);
                done.fetch_add(1, Ordering::Relaxed);
                Ok(results.headline().into_iter().map(|(_, v)| v).collect())
            })
            .collect::<Result<Vec<Vec<f64>>, pluri::ScenarioError>>()
    })?;
    rows.map_err(|e| errors::scenario(&e))
}
