//! `pluri sensitivity`: Morris screening and Sobol indices of headline indicators.

use anyhow::Context;
use pluri_core::output::RunDir;
use pluri_study::sweep::sensitivity::{analyse, Sensitivity};
use std::path::PathBuf;

/// Arguments of `pluri sensitivity`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:
  pluri sensitivity scenarios/sweeps/sensitivity.toml   -> output/sensitivity-<name>/{morris,sobol}.{csv,png}")]
pub struct SensitivityArgs {
    /// The sensitivity file: base, parameters with ranges, indicators, [morris] and/or [sobol].
    #[arg(value_name = "SENS.toml")]
    pub file: PathBuf,
    /// Output directory (default: output/sensitivity-<name>).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Replace an existing output directory (only one that pluri wrote).
    #[arg(long)]
    pub force: bool,
    /// Do not draw the Morris and Sobol figures (PNG) into the output directory.
    #[arg(long)]
    pub no_plots: bool,
}

/// Runs the designs and writes the ranking tables.
pub fn run(args: &SensitivityArgs, quiet: bool) -> anyhow::Result<()> {
    let s = Sensitivity::from_file(&args.file)?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| super::common::default_out(&format!("sensitivity-{}", s.name)));
    let dir = RunDir::create_as(&out, args.force, &pluri_core::output::owned::SENSITIVITY)?;
    let k = s.params.len();
    if !quiet {
        let runs = s.morris.map_or(0, |m| m.trajectories * (k + 1))
            + s.sobol.map_or(0, |x| x.samples * (k + 2));
        eprintln!(
            "sensitivity {}: {k} parameters, {runs} runs on {} threads",
            s.name,
            rayon::current_num_threads()
        );
    }
    for (name, bytes) in analyse(&s)? {
        dir.write(&name, &bytes)?;
    }
    if !args.no_plots {
        // Figures are drawn from the tables just written, before the directory is complete.
        let staging = dir.staging().to_path_buf();
        pluri_plot::plot_sensitivity(&staging, &staging, pluri_plot::Format::Png)
            .context("drawing the sensitivity figures (pass --no-plots to skip them)")?;
    }
    let path = dir.commit()?;
    if !quiet {
        eprintln!("rankings: {}", path.display());
    }
    Ok(())
}
