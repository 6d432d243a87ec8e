//! Errors of calibration: each names the file, the line when known, the field and the fix.

use pluri_core::input::InputError;
use std::path::PathBuf;

/// What went wrong with a calibration.
#[derive(Debug, thiserror::Error)]
pub enum CalibrateError {
    /// A file could not be read, is not of its format's shape (the calibration file's TOML,
    /// an observed table's CSV), or says something impossible.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The base scenario is wrong.
    #[error("{origin}: scenario: {source}")]
    Scenario {
        /// The calibration file.
        origin: String,
        /// Why the scenario failed.
        source: pluri_core::ScenarioError,
    },
    /// The sweep machinery failed (directory, runs, tables).
    #[error(transparent)]
    Sweep(#[from] crate::sweep::SweepError),
    /// A result file could not be written.
    #[error("cannot write {path}: {message}")]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        message: String,
    },
}
