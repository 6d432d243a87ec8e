//! `pluri merge`: combine the shard directories of one sweep into its tables.

use std::path::PathBuf;

/// Arguments of `pluri merge`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:
  pluri merge output/sweep-small-shard-*-of-4 --out output/sweep-small

The shards must come from the same sweep and together hold every run exactly once;
the tables are byte for byte those of the same sweep run unsharded.")]
pub struct MergeArgs {
    /// Shard directories written by `pluri sweep --shard K/N`.
    #[arg(value_name = "DIR", required = true)]
    pub dirs: Vec<PathBuf>,
    /// The merged sweep directory.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Replace an existing sweep directory at --out (only one that pluri wrote).
    #[arg(long)]
    pub force: bool,
    /// Do not draw the sweep figures (PNG) into the merged directory.
    #[arg(long)]
    pub no_plots: bool,
}

/// Checks and merges the shards.
pub fn run(args: &MergeArgs, quiet: bool) -> anyhow::Result<()> {
    let r = pluri_study::sweep::merge(&args.dirs, &args.out, args.force)?;
    if !quiet {
        eprintln!(
            "merged {} runs from {} shards; tables: {2}/runs.csv, {2}/points.csv",
            r.runs,
            r.shards,
            r.out.display()
        );
    }
    if !args.no_plots {
        super::sweep::draw_figures(&r.out, quiet)?;
    }
    Ok(())
}
