//! `pluri._native`: the compiled half of the `pluri` Python package (PyO3). Scenarios,
//! runs whose tables are Arrow (PyCapsule interface), sweeps, comparisons and calibrations,
//! each over the library the command line uses, with the GIL released while simulating.
//! The pure-Python half (`python/pluri/`) wraps it with the documented API (`docs/PYTHON.md`).

mod errors;
mod run;
mod scenario;
mod study;
mod tables;

use pyo3::prelude::*;

/// The extension module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<scenario::PyScenario>()?;
    m.add_class::<run::PyResults>()?;
    m.add_class::<study::SweepOutcome>()?;
    m.add_class::<study::CompareOutcome>()?;
    m.add_class::<study::CalibrateOutcome>()?;
    m.add_function(wrap_pyfunction!(run::run, m)?)?;
    m.add_function(wrap_pyfunction!(study::sweep, m)?)?;
    m.add_function(wrap_pyfunction!(study::compare, m)?)?;
    m.add_function(wrap_pyfunction!(study::calibrate, m)?)?;
    m.add_function(wrap_pyfunction!(study::headlines, m)?)?;
    m.add("HEADLINE", pluri::results::HEADLINE.to_vec())?;
    m.add("WEEKLY_COLUMNS", run::weekly_columns())?;
    m.add("PluriError", py.get_type::<errors::PluriError>())?;
    m.add("ScenarioError", py.get_type::<errors::ScenarioError>())?;
    m.add("SweepError", py.get_type::<errors::SweepError>())?;
    m.add("CompareError", py.get_type::<errors::CompareError>())?;
    m.add("CalibrateError", py.get_type::<errors::CalibrateError>())?;
    m.add("OutputError", py.get_type::<errors::OutputError>())?;
    Ok(())
}
