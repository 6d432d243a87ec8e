//! `pluri calibrate`: history matching of a scenario against observed tables.

use super::common::StudyDirArgs;
use anyhow::Context;
use pluri_study::calibrate::{self, Calibration};
use pluri_study::sweep::RunRecord;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Arguments of `pluri calibrate`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  pluri calibrate scenarios/calibration/france-2012.toml          -> output/calibrate-france-2012/
  pluri calibrate scenarios/calibration/france-2012.toml --resume finish an interrupted calibration
  pluri calibrate CAL.toml --shard 2/8 --out c2                   one machine's share of the runs

The runs go to the output directory's sweep/ folder. A shard runs its share and scores
nothing: run `pluri merge c1/sweep c2/sweep ... --out OUT/sweep`, then
`pluri calibrate CAL.toml --out OUT --resume` scores the merged runs without running any.
Method, outputs and what the France calibration does and does not fit: docs/CALIBRATION.md.")]
pub struct CalibrateArgs {
    /// The calibration file.
    #[arg(value_name = "CALIBRATION.toml")]
    pub calibration: PathBuf,
    /// Output directory, resume, replace, shard.
    #[command(flatten)]
    pub dir: StudyDirArgs,
    /// Do not draw the calibration figure.
    #[arg(long)]
    pub no_plots: bool,
}

/// Validates the calibration, runs what is missing, scores and writes the results.
pub fn run(args: &CalibrateArgs, quiet: bool) -> anyhow::Result<()> {
    let shard = args.dir.shard()?;
    let cal = Calibration::from_file(&args.calibration)?;
    let opts = args.dir.options(&format!("calibrate-{}", cal.name), shard);
    let out = opts.out.clone();
    if !quiet {
        eprintln!(
            "calibrate {}: {} parameters, {} sets x {} replicates{} = {} runs, {} observations scored -> {}",
            cal.name,
            cal.sweep.params.len(),
            cal.sweep.points(),
            cal.sweep.replicates,
            cal.stochastic.map_or(String::new(), |st| format!(
                " (the first {} sets {} times in all)",
                st.sets, st.replicates
            )),
            cal.sweep.runs(),
            cal.targets.len(),
            out.display()
        );
    }
    let done = AtomicU64::new(0);
    let total = cal.sweep.runs();
    let on_done = |_: &RunRecord, _: &str| {
        let d = done.fetch_add(1, Ordering::Relaxed) + 1;
        if !quiet && d.is_multiple_of((total / 10).max(1)) {
            eprintln!("  {d} runs done");
        }
    };
    let outcome = calibrate::run(&cal, &opts, &AtomicBool::new(false), &on_done)
        .with_context(|| format!("calibrating {}", args.calibration.display()))?;
    if !shard.is_all() {
        if !quiet {
            eprintln!(
                "shard {shard}: {} runs in {:.1} s; merge the shards' sweep/ folders with `pluri merge`, then score with --resume",
                outcome.sweep.ran, outcome.sweep.wall_seconds
            );
        }
        return Ok(());
    }
    let kept = outcome.scores.iter().filter(|s| s.accepted).count();
    if !args.no_plots && !outcome.scores.is_empty() {
        pluri_plot::plot_calibration(&out, pluri_plot::Format::Both)
            .context("drawing the calibration figure (pass --no-plots to skip it)")?;
    }
    if !quiet {
        eprintln!(
            "{} runs in {:.1} s; {kept} of {} parameter sets kept (max implausibility < {}); {}/report.md, accepted.csv, calibrated.toml",
            outcome.sweep.ran,
            outcome.sweep.wall_seconds,
            outcome.scores.len(),
            cal.cutoff,
            out.display()
        );
    }
    Ok(())
}
