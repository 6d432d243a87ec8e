//! The command line: one file per command (what several share in [`common`]); `main.rs`
//! only calls [`main`].

pub mod bench;
pub mod calibrate;
pub mod check;
pub mod common;
pub mod compare;
pub mod merge;
pub mod plot;
pub mod run;
pub mod sensitivity;
pub mod show;
pub mod sweep;
pub mod tables;

use clap::{Parser, Subcommand};

const EXAMPLES: &str = "\
Examples:
  pluri run                                   simulate the embedded default scenario
  pluri run scenarios/msma.toml --seed 7      simulate a scenario file with another seed
  pluri run --set structures.msp_nord.coordinator_fte=1.0 --out output/more-coordination
  pluri check scenarios/pta.toml              validate a scenario
  pluri show > my.toml                        the default scenario, every field commented
  pluri plot output/default output/pta        compare two runs on the same axes
  pluri compare scenarios/pta.toml --without platform-opens --replicates 10
                                              the platform's effect, with intervals and a report";

/// pluri simulates how GPs, support professionals and care coordinators cooperate across a
/// territory, week by week, and what policies (coordinators, training, platforms, MSPs) change.
#[derive(Debug, Parser)]
#[command(name = "pluri", version, about, after_help = EXAMPLES)]
pub struct Cli {
    /// Worker threads (default: all cores; RAYON_NUM_THREADS is honoured too). Results do not depend on it.
    #[arg(long, global = true, value_name = "N")]
    pub threads: Option<usize>,
    /// Print nothing but errors.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate one scenario and write its results.
    Run(run::RunArgs),
    /// Validate a scenario file and say what is wrong.
    Check(check::CheckArgs),
    /// Print the complete effective scenario, every default filled in and commented.
    Show(show::ShowArgs),
    /// Draw the figures of one run, or compare several runs on the same axes.
    Plot(plot::PlotArgs),
    /// Measure throughput and memory at several sizes against this machine's limits.
    Bench(bench::BenchArgs),
    /// Run a sweep file's runs in parallel (resumable, shardable) and tabulate them.
    Sweep(sweep::SweepArgs),
    /// Combine the shard directories of one sweep into its tables.
    Merge(merge::MergeArgs),
    /// Rank parameters by Morris elementary effects and Sobol indices.
    Sensitivity(sensitivity::SensitivityArgs),
    /// Find the parameter sets that reproduce observed patterns (history matching).
    Calibrate(calibrate::CalibrateArgs),
    /// Compare policies: paired replicates, differences with intervals, a report.
    Compare(compare::CompareArgs),
}

/// Runs the command line; errors carry their context chain.
pub fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Some(n) = cli.threads {
        let n = check_threads(n)?;
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .map_err(|e| anyhow::anyhow!("cannot start {n} threads: {e}"))?;
    } else if let Some(n) = std::env::var("RAYON_NUM_THREADS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
    {
        check_threads(n).map_err(|e| anyhow::anyhow!("RAYON_NUM_THREADS: {e}"))?;
    }
    // On a worker of the pool: each parallel pass then starts there, instead of being handed
    // to the pool by this thread and waited for (about 18% of the default run's time).
    let cli = &cli;
    rayon::scope(|_| dispatch(cli))
}

/// Most threads `--threads` accepts: four per processor, and never more than 1,024 (more only
/// adds switching, and each thread reserves its own stack).
pub fn max_threads() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    cores.saturating_mul(4).min(1024)
}

/// `--threads N` checked: 1 to [`max_threads`] (0 is taken as 1, as before).
fn check_threads(n: usize) -> anyhow::Result<usize> {
    let max = max_threads();
    if n > max {
        anyhow::bail!(
            "--threads {n}: at most {max} on this machine (four per processor, at most 1024); \
             results do not depend on the thread count, so fewer lose nothing"
        );
    }
    Ok(n.max(1))
}

/// Runs the chosen command.
fn dispatch(cli: &Cli) -> anyhow::Result<()> {
    match &cli.command {
        Command::Run(a) => run::run(a, cli.quiet),
        Command::Check(a) => check::run(a, cli.quiet),
        Command::Show(a) => show::run(a),
        Command::Plot(a) => plot::run(a, cli.quiet),
        Command::Bench(a) => bench::run(a, cli.quiet),
        Command::Sweep(a) => sweep::run(a, cli.quiet),
        Command::Merge(a) => merge::run(a, cli.quiet),
        Command::Sensitivity(a) => sensitivity::run(a, cli.quiet),
        Command::Calibrate(a) => calibrate::run(a, cli.quiet),
        Command::Compare(a) => compare::run(a, cli.quiet),
    }
}
