//! Errors of calibration: each names the file, the line when known, the field and the fix.

use std::path::PathBuf;

/// What went wrong with a calibration.
#[derive(Debug, thiserror::Error)]
pub enum CalibrateError {
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The calibration file is not TOML of the expected shape (toml's message has line and column).
    #[error("{origin}: {message}")]
    Parse {
        /// The calibration file.
        origin: String,
        /// toml's message.
        message: String,
    },
    /// A file is well-formed but says something impossible.
    #[error("{origin}{}: `{field}`: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    Invalid {
        /// The file (calibration file or observed table).
        origin: String,
        /// 1-based line, when known.
        line: Option<usize>,
        /// The field or column at fault.
        field: String,
        /// What is wrong and what to do.
        message: String,
    },
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

/// The 1-based line of byte offset `at` in `text`.
pub(crate) fn line_of(text: &str, at: usize) -> usize {
    text.get(..at.min(text.len()))
        .map_or(1, |t| t.bytes().filter(|&b| b == b'\n').count() + 1)
}
