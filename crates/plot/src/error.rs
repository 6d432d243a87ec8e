//! Why figures could not be drawn: every message names the file at fault and what to do.

use std::path::PathBuf;

/// Why a run directory could not be read or its figures could not be written.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    /// No directory was given.
    #[error("no run directory given: pass at least one directory written by `pluri run`")]
    NoRuns,
    /// The run directory itself does not exist.
    #[error("{0}: no such directory: check the path (run `pluri run` first to make one)")]
    NoDirectory(PathBuf),
    /// A file every run directory holds is missing.
    #[error("{0}: missing: is this a pluri run directory? (run `pluri run` first)")]
    Missing(PathBuf),
    /// A file exists but cannot be read.
    #[error("{path}: cannot read: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file does not have the expected content.
    #[error("{path}{}: malformed: {message} (was it written by this version of pluri? run `pluri run` again)", line.map(|l| format!(", line {l}")).unwrap_or_default())]
    Malformed {
        /// The file.
        path: PathBuf,
        /// Line of the problem, when known (1 is the header of a CSV file).
        line: Option<u64>,
        /// What is wrong.
        message: String,
    },
    /// A file holds no rows where the figures need some.
    #[error("{0}: no rows: the run has nothing to plot (did it run for at least one week?)")]
    Empty(PathBuf),
    /// The bundled font could not be loaded (a build problem, not a user one).
    #[error("the bundled font cannot be loaded: the pluri binary is damaged, reinstall it")]
    Font,
    /// The output directory or a figure file could not be written.
    #[error("{path}: cannot write: {source}")]
    Write {
        /// The file or directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The drawing library failed while drawing a figure.
    #[error("{path}: cannot draw: {message}")]
    Draw {
        /// The figure being drawn.
        path: PathBuf,
        /// Why.
        message: String,
    },
}
