//! `pluri sensitivity`: Morris screening and Sobol indices of headline indicators.

use std::path::PathBuf;

/// Arguments of `pluri sensitivity`.
#[derive(Debug, clap::Args)]
pub struct SensitivityArgs {
    /// The sensitivity file.
    #[arg(value_name = "SENS.toml")]
    pub file: PathBuf,
}

/// Runs the analysis.
pub fn run(_args: &SensitivityArgs, _quiet: bool) -> anyhow::Result<()> {
    anyhow::bail!("not yet")
}
