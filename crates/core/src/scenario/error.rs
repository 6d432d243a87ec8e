//! Errors of reading, overriding and validating a scenario: each names the place and the fix.

use std::path::PathBuf;

/// What went wrong with a scenario.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("cannot read scenario {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The text is not TOML of the scenario's shape (toml's message carries the line and column).
    #[error("{origin}: {message}")]
    Parse {
        /// File name or other origin of the text.
        origin: String,
        /// toml's message, with line, column and the offending key.
        message: String,
    },
    /// The TOML is well-formed but says something impossible.
    #[error("{origin}{}: `{field}`: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    Invalid {
        /// File name or other origin of the text.
        origin: String,
        /// 1-based line, when known.
        line: Option<usize>,
        /// Dotted path of the field.
        field: String,
        /// What is wrong and what is allowed.
        message: String,
    },
    /// A `--set PATH=VALUE` override is wrong.
    #[error("--set {arg}: {message}")]
    Set {
        /// The argument as given.
        arg: String,
        /// What is wrong and what is allowed.
        message: String,
    },
}
