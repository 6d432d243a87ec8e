//! Errors of sweeps and sensitivity analyses: each names the file, the line when known, and the fix.

use pluri_core::input::InputError;
use std::path::PathBuf;

/// What went wrong with a sweep.
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    /// A file could not be read, is not TOML of the sweep or sensitivity file's shape, or
    /// says something impossible.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The base scenario named by the sweep is wrong.
    #[error("{origin}: base scenario: {source}")]
    Base {
        /// The sweep file.
        origin: String,
        /// Why the scenario failed.
        source: pluri_core::ScenarioError,
    },
    /// `--shard` is not K/N with 1 <= K <= N.
    #[error("--shard {given}: {message}")]
    Shard {
        /// The argument as given.
        given: String,
        /// What is wrong.
        message: String,
    },
    /// A sweep directory is missing, incomplete, from another sweep, or already complete.
    #[error("{path}: {message}")]
    Directory {
        /// The directory or file at fault.
        path: PathBuf,
        /// What is wrong and what to do.
        message: String,
    },
    /// A run could not be set up (a combination of values the scenario rejects).
    #[error("run {run} (point {point}, replicate {replicate}): {source}")]
    Run {
        /// Run index.
        run: u64,
        /// Point index.
        point: u64,
        /// Replicate.
        replicate: u32,
        /// Why.
        source: pluri_core::ScenarioError,
    },
    /// A file system operation failed.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A result directory could not be locked, replaced or written.
    #[error(transparent)]
    Output(#[from] pluri_core::output::OutputError),
    /// A result file is not what a sweep writes.
    #[error("{path}: {message}")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// An I/O error mapper for `path`.
pub(crate) fn io(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> SweepError + '_ {
    move |source| SweepError::Io {
        path: path.to_path_buf(),
        source,
    }
}
