//! `pluri._native.run`: one simulation with the GIL released, its results as Arrow tables,
//! and the result directory `pluri run --no-plots` writes.

use crate::errors;
use crate::scenario::PyScenario;
use crate::tables;
use pyo3::prelude::*;
use pyo3_arrow::PyTable;
use std::path::PathBuf;

/// A finished run: its scenario and results (wrapped by `pluri.Results`).
#[pyclass(module = "pluri._native", name = "Results", frozen)]
pub struct PyResults {
    scenario: pluri::Scenario,
    results: pluri::RunResults,
}

/// The scenario a run simulates: `weeks` applied as `--set weeks=N`, then `seed`, as
/// `pluri run --weeks N --seed S` does.
pub fn effective(
    scenario: &pluri::Scenario,
    seed: Option<u64>,
    weeks: Option<u32>,
) -> PyResult<pluri::Scenario> {
    let s = match weeks {
        Some(w) => scenario
            .with_sets(&[format!("weeks={w}")])
            .map_err(|e| errors::scenario(&e))?,
        None => scenario.clone(),
    };
    Ok(match seed {
        Some(seed) => s.with_seed(seed),
        None => s,
    })
}

/// Simulates `scenario` with the GIL released. `progress(done, total)` is called with the
/// GIL after each recorded week; an exception it raises, or a pending signal (Ctrl-C),
/// stops the run and is raised.
#[pyfunction]
#[pyo3(signature = (scenario, seed=None, weeks=None, progress=None))]
pub fn run(
    py: Python<'_>,
    scenario: &PyScenario,
    seed: Option<u64>,
    weeks: Option<u32>,
    progress: Option<Py<PyAny>>,
) -> PyResult<PyResults> {
    let scenario = effective(&scenario.inner, seed, weeks)?;
    let total = scenario.weeks();
    let results = py.detach(|| -> PyResult<pluri::RunResults> {
        let mut sim = pluri::Simulation::new(&scenario);
        while !sim.done() {
            if let Some(week) = sim.week() {
                Python::attach(|py| -> PyResult<()> {
                    py.check_signals()?;
                    if let Some(cb) = &progress {
                        cb.call1(py, (week + 1, total))?;
                    }
                    Ok(())
                })?;
            }
        }
        Ok(sim.finish().0)
    })?;
    Ok(PyResults { scenario, results })
}

/// A record batch as a Python Arrow table (PyCapsule interface).
fn table(batch: Result<arrow_array::RecordBatch, tables::TableError>) -> PyResult<PyTable> {
    let batch = batch.map_err(|e| errors::other(&e))?;
    let schema = batch.schema();
    PyTable::try_new(vec![batch], schema)
}

#[pymethods]
impl PyResults {
    /// The scenario simulated (seed and weeks applied).
    #[getter]
    fn scenario(&self) -> PyScenario {
        PyScenario {
            inner: self.scenario.clone(),
        }
    }

    /// `weekly.csv`: one row a week.
    #[getter]
    fn weekly(&self) -> PyResult<PyTable> {
        table(tables::weekly_batch(&self.results.weekly, self.dated()))
    }

    /// `by_structure_type.csv`: one row a week and kind of structure.
    #[getter]
    fn by_structure_type(&self) -> PyResult<PyTable> {
        table(tables::by_structure_type_batch(
            &self.results.by_structure_type,
            self.dated(),
        ))
    }

    /// `zones.csv`: one row per zone, at the end.
    #[getter]
    fn zones(&self) -> PyResult<PyTable> {
        table(tables::zones_batch(&self.results.zones))
    }

    /// `structures.csv`: one row per structure, at the end.
    #[getter]
    fn structures(&self) -> PyResult<PyTable> {
        table(tables::structures_batch(&self.results.structures))
    }

    /// `interventions.csv`: one row per intervention applied.
    #[getter]
    fn interventions(&self) -> PyResult<PyTable> {
        table(tables::interventions_batch(
            &self.results.interventions,
            self.dated(),
        ))
    }

    /// `ties.csv`: one row per final tie.
    #[getter]
    fn ties(&self) -> PyResult<PyTable> {
        table(tables::ties_batch(&self.results.ties))
    }

    /// Headline indicators, in the order of `summary.json`, as (name, value) pairs.
    fn headline(&self) -> Vec<(&'static str, f64)> {
        self.results.headline()
    }

    /// Columns of `weekly.csv` (named in `names`) as lists of numbers, a value a week.
    fn weekly_series(&self, names: Vec<String>) -> PyResult<Vec<Vec<f64>>> {
        let mut rows = Vec::with_capacity(self.results.weekly.len());
        for r in &self.results.weekly {
            rows.push(serde_json::to_value(r).map_err(|e| errors::other(&e))?);
        }
        names
            .iter()
            .map(|name| {
                rows.iter()
                    .map(|row| {
                        row.get(name)
                            .and_then(serde_json::Value::as_f64)
                            .ok_or_else(|| {
                                pyo3::exceptions::PyKeyError::new_err(format!(
                                    "{name} is not a numeric column of weekly.csv: one of {}",
                                    weekly_columns().join(", ")
                                ))
                            })
                    })
                    .collect()
            })
            .collect()
    }

    /// The text of one file of the run directory (`summary.json`, `scenario.toml`, a CSV).
    fn file_text(&self, py: Python<'_>, name: &str) -> PyResult<String> {
        let bytes = py.detach(|| {
            let mut bytes = Vec::new();
            pluri_core::output::write_run_file(name, &self.scenario, &self.results, &mut bytes)
                .map(|()| bytes)
        });
        let bytes = bytes.map_err(|e| errors::other(&e))?;
        String::from_utf8(bytes).map_err(|e| errors::other(&e))
    }

    /// Writes the result directory `dir` as `pluri run --no-plots` does (without its
    /// `timings.json`); an existing one is replaced only with `force`. Returns its path.
    #[pyo3(signature = (dir, force=false))]
    fn write(&self, py: Python<'_>, dir: PathBuf, force: bool) -> PyResult<PathBuf> {
        py.detach(|| pluri::write_run(&dir, &self.scenario, &self.results, force))
            .map_err(|e| errors::output(&e))
    }
}

impl PyResults {
    fn dated(&self) -> bool {
        self.scenario.start_date().is_some()
    }
}

/// The numeric columns of `weekly.csv`, in order (`date`, when present, is text).
pub fn weekly_columns() -> Vec<String> {
    tables::weekly_batch(&[pluri::results::WeeklyRecord::default()], false)
        .map(|b| {
            b.schema()
                .fields()
                .iter()
                .map(|f| f.name().clone())
                .collect()
        })
        .unwrap_or_default()
}
