//! Errors of reading, overriding and validating a scenario: each names the place and the fix.

use crate::input::InputError;

/// What went wrong with a scenario.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read, is not TOML of the scenario's shape, or says something
    /// impossible.
    #[error(transparent)]
    Input(#[from] InputError),
    /// A `--set PATH=VALUE` override is wrong.
    #[error("--set {arg}: {message}")]
    Set {
        /// The argument as given.
        arg: String,
        /// What is wrong and what is allowed.
        message: String,
    },
}
