//! `pluri sweep`: run a sweep file's runs in parallel, streaming results to disk.

use super::common::StudyDirArgs;
use anyhow::Context;
use pluri_study::sweep::{prepare, RunRecord, Sweep};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

/// Arguments of `pluri sweep`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  pluri sweep scenarios/sweeps/small.toml                      runs, then output/sweep-small/{runs,points}.csv and figures
  pluri sweep scenarios/sweeps/small.toml --resume             finish an interrupted sweep
  pluri sweep scenarios/sweeps/small.toml --shard 2/8 --out s2 one machine's share; then `pluri merge`
  pluri sweep scenarios/sweeps/small.toml --jsonl --quiet | jq .indicators.delegated_share

Ctrl-C or a kill keeps every finished run (one file each, written atomically);
--resume runs only the missing ones. Run seeds: see docs/SWEEPS.md.")]
pub struct SweepArgs {
    /// The sweep file.
    #[arg(value_name = "SWEEP.toml")]
    pub sweep: PathBuf,
    /// Output directory, resume, replace, shard.
    #[command(flatten)]
    pub dir: StudyDirArgs,
    /// Print one JSON line per finished run on stdout, as runs finish.
    #[arg(long)]
    pub jsonl: bool,
    /// Do not draw the sweep figures (PNG) into the output directory.
    #[arg(long)]
    pub no_plots: bool,
}

/// Validates the sweep, runs what is missing, writes the tables.
pub fn run(args: &SweepArgs, quiet: bool) -> anyhow::Result<()> {
    let shard = args.dir.shard()?;
    let sweep = Sweep::from_file(&args.sweep)?;
    // A base too large for this machine is refused before any run (each point's runs are as
    // large as the base unless the sweep varies populations).
    super::common::check_memory(&sweep.base)
        .with_context(|| format!("sweep {}", args.sweep.display()))?;
    let opts = args.dir.options(&format!("sweep-{}", sweep.name), shard);
    let out = opts.out.clone();
    let prepared =
        prepare(&sweep, &opts).with_context(|| format!("preparing {}", out.display()))?;
    let todo = prepared.todo();
    if !quiet {
        eprintln!(
            "sweep {}: {} points x {} replicates = {} runs{}; {} already done, {} to run on {} threads -> {}",
            sweep.name,
            sweep.points(),
            sweep.replicates,
            sweep.runs(),
            if shard.is_all() { String::new() } else { format!(" (shard {shard})") },
            prepared.already,
            todo,
            rayon::current_num_threads(),
            out.display()
        );
    }
    let progress = Progress::new(quiet, todo);
    let stdout = Mutex::new(std::io::stdout());
    let on_done = |_: &RunRecord, json: &str| {
        if args.jsonl {
            if let Ok(mut o) = stdout.lock() {
                let _ = writeln!(o, "{json}");
                let _ = o.flush();
            }
        }
        progress.tick();
    };
    let report = prepared
        .execute(&sweep, &AtomicBool::new(false), &on_done)
        .with_context(|| {
            format!(
                "running sweep {} stopped; the runs finished so far are kept in {}: fix the cause \
                 (on a full disk, free some space) and finish with `pluri sweep {} --resume --out {}{}`",
                args.sweep.display(),
                out.join("runs").display(),
                args.sweep.display(),
                out.display(),
                if shard.is_all() {
                    String::new()
                } else {
                    format!(" --shard {shard}")
                }
            )
        })?;
    progress.finish();
    if !quiet {
        let busy = report.wall_seconds * report.threads as f64;
        eprintln!(
            "{} runs in {:.1} s ({:.1} runs/s, simulation {:.0}% of {} threads' time){}",
            report.ran,
            report.wall_seconds,
            report.ran as f64 / report.wall_seconds.max(1e-9),
            if busy > 0.0 {
                100.0 * report.simulate_seconds / busy
            } else {
                0.0
            },
            report.threads,
            if shard.is_all() {
                format!(
                    "; tables: {0}/runs.csv, {0}/points.csv{1}",
                    out.display(),
                    if sweep.parquet {
                        format!(" and {}/{{runs,points,weekly}}.parquet", out.display())
                    } else {
                        String::new()
                    }
                )
            } else {
                format!(
                    "; shard {shard} done in {}: combine shards with `pluri merge`",
                    out.display()
                )
            }
        );
    }
    // Figures need the tables: only a whole sweep that finished has them.
    if !args.no_plots && shard.is_all() && !report.interrupted {
        draw_figures(&out, quiet)?;
    }
    Ok(())
}

/// Draws the sweep figures of a complete sweep directory into it (after its tables).
pub fn draw_figures(dir: &std::path::Path, quiet: bool) -> anyhow::Result<()> {
    let files = pluri_plot::plot_sweep(dir, dir, pluri_plot::Format::Png)
        .context("drawing the sweep figures (pass --no-plots to skip them)")?;
    if !quiet {
        eprintln!("{} figures (PNG) in {}", files.len(), dir.display());
    }
    Ok(())
}

/// A progress bar on a terminal, a line every 10% (or 10 s) when piped, nothing when quiet.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    lines: bool,
    total: u64,
    done: AtomicU64,
    started: Instant,
    last_line: Mutex<Instant>,
}

impl Progress {
    fn new(quiet: bool, total: u64) -> Progress {
        let terminal = std::io::stderr().is_terminal();
        let bar = (!quiet && terminal).then(|| {
            let bar = indicatif::ProgressBar::new(total);
            let style = indicatif::ProgressStyle::with_template(
                "{spinner} {pos}/{len} runs {wide_bar} {per_sec} eta {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
            bar.set_style(style);
            bar
        });
        Progress {
            bar,
            lines: !quiet && !terminal,
            total,
            done: AtomicU64::new(0),
            started: Instant::now(),
            last_line: Mutex::new(Instant::now()),
        }
    }

    fn tick(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(b) = &self.bar {
            b.inc(1);
        }
        if !self.lines {
            return;
        }
        let step = (self.total / 10).max(1);
        let Ok(mut last) = self.last_line.lock() else {
            return;
        };
        if done.is_multiple_of(step) || last.elapsed().as_secs() >= 10 || done == self.total {
            *last = Instant::now();
            let secs = self.started.elapsed().as_secs_f64().max(1e-9);
            let rate = done as f64 / secs;
            let eta = (self.total - done.min(self.total)) as f64 / rate.max(1e-9);
            eprintln!(
                "  {done}/{} runs, {rate:.1} runs/s, eta {eta:.0} s",
                self.total
            );
        }
    }

    fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
