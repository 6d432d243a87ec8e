//! Errors of comparisons: each names the argument or file at fault and the fix.

use std::path::PathBuf;

/// What went wrong with a comparison.
#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    /// A scenario (file, override or intervention left out) is wrong.
    #[error("arm {arm}: {source}")]
    Scenario {
        /// The arm being built.
        arm: String,
        /// Why the scenario failed.
        source: pluri_core::ScenarioError,
    },
    /// An `--arm` argument, a name or a setting is wrong.
    #[error("{given}: {message}")]
    Argument {
        /// The argument as given.
        given: String,
        /// What is wrong and what is allowed.
        message: String,
    },
    /// Fewer than two arms.
    #[error(
        "one arm only ({0}): compare it with a second scenario file, an `--arm NAME:PATH=VALUE` \
         variant or `--without INTERVENTION`"
    )]
    OneArm(String),
    /// A run could not be summarised (its weekly table could not be read back).
    #[error("arm {arm}, replicate {replicate}: {message}")]
    Run {
        /// Arm.
        arm: String,
        /// Replicate.
        replicate: u32,
        /// What failed.
        message: String,
    },
    /// A file of the comparison directory could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A figure to inline in the report could not be read.
    #[error("cannot read figure {path}: {source}")]
    Figure {
        /// The figure file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// A write error of `path`.
pub(crate) fn write_error(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> CompareError {
    let path = path.to_path_buf();
    move |source| CompareError::Write { path, source }
}
