//! `pluri._native.Scenario`: a validated scenario, read from a file or text and changed
//! through `--set` overrides, a seed or a number of weeks, as the command line does.

use crate::errors;
use pyo3::prelude::*;
use std::path::PathBuf;

/// A validated scenario (wrapped by `pluri.Scenario`).
#[pyclass(module = "pluri._native", name = "Scenario", frozen)]
#[derive(Clone)]
pub struct PyScenario {
    /// The scenario.
    pub inner: pluri::Scenario,
}

#[pymethods]
impl PyScenario {
    /// Reads, parses and validates a scenario file.
    #[staticmethod]
    fn from_file(py: Python<'_>, path: PathBuf) -> PyResult<PyScenario> {
        let inner = py
            .detach(|| pluri::Scenario::from_file(&path))
            .map_err(|e| errors::scenario(&e))?;
        Ok(PyScenario { inner })
    }

    /// Parses and validates scenario text; `origin` names it in errors.
    #[staticmethod]
    fn from_toml(text: &str, origin: &str) -> PyResult<PyScenario> {
        let inner =
            pluri::Scenario::from_toml_str(text, origin).map_err(|e| errors::scenario(&e))?;
        Ok(PyScenario { inner })
    }

    /// The embedded default scenario.
    #[staticmethod]
    fn default() -> PyResult<PyScenario> {
        let inner = pluri::Scenario::default_scenario().map_err(|e| errors::scenario(&e))?;
        Ok(PyScenario { inner })
    }

    /// A copy with `PATH=VALUE` overrides applied (as `--set`) and validated again.
    fn with_sets(&self, sets: Vec<String>) -> PyResult<PyScenario> {
        let inner = self
            .inner
            .with_sets(&sets)
            .map_err(|e| errors::scenario(&e))?;
        Ok(PyScenario { inner })
    }

    /// A copy with another seed.
    fn with_seed(&self, seed: u64) -> PyScenario {
        PyScenario {
            inner: self.inner.with_seed(seed),
        }
    }

    /// The scenario's name.
    #[getter]
    fn name(&self) -> String {
        self.inner.name().to_string()
    }

    /// Its description.
    #[getter]
    fn description(&self) -> String {
        self.inner.description().to_string()
    }

    /// Its seed.
    #[getter]
    fn seed(&self) -> u64 {
        self.inner.seed()
    }

    /// Weeks it simulates (after its warm-up).
    #[getter]
    fn weeks(&self) -> u32 {
        self.inner.weeks()
    }

    /// Residents of its territory.
    #[getter]
    fn population(&self) -> u64 {
        self.inner.population()
    }

    /// Its first day (ISO text), if it is dated.
    #[getter]
    fn start_date(&self) -> Option<String> {
        self.inner.start_date().map(|d| d.to_string())
    }

    /// The hash recorded in results (`scenario_hash`).
    #[getter]
    fn hash(&self) -> String {
        self.inner.hash()
    }

    /// The effective scenario as commented TOML, the text `pluri run` accepts back.
    fn to_toml(&self) -> String {
        self.inner.to_commented_toml()
    }

    fn __repr__(&self) -> String {
        format!(
            "Scenario(name={:?}, seed={}, weeks={}, residents={})",
            self.inner.name(),
            self.inner.seed(),
            self.inner.weeks(),
            self.inner.population()
        )
    }
}
