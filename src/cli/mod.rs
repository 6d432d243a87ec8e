//! The command line: one file per command; `main.rs` only calls [`main`].

pub mod check;
pub mod merge;
pub mod run;
pub mod sensitivity;
pub mod show;
pub mod sweep;

use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};

const EXAMPLES: &str = "\
Examples:
  pluri run                                   simulate the embedded default scenario
  pluri run scenarios/msma.toml --seed 7      simulate a scenario file with another seed
  pluri run --set structures.msp_nord.coordinator_fte=1.0 --out output/more-coordination
  pluri check scenarios/pta.toml              validate a scenario
  pluri show > my.toml                        the default scenario, every field commented";

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
    /// Run a sweep file's runs in parallel (resumable, shardable) and tabulate them.
    Sweep(sweep::SweepArgs),
    /// Combine the shard directories of one sweep into its tables.
    Merge(merge::MergeArgs),
    /// Rank parameters by Morris elementary effects and Sobol indices.
    Sensitivity(sensitivity::SensitivityArgs),
}

/// Runs the command line; errors carry their context chain.
pub fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Some(n) = cli.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
            .map_err(|e| anyhow::anyhow!("cannot start {n} threads: {e}"))?;
    }
    match &cli.command {
        Command::Run(a) => run::run(a, cli.quiet),
        Command::Check(a) => check::run(a, cli.quiet),
        Command::Show(a) => show::run(a),
        Command::Sweep(a) => sweep::run(a, cli.quiet),
        Command::Merge(a) => merge::run(a, cli.quiet),
        Command::Sensitivity(a) => sensitivity::run(a, cli.quiet),
    }
}

/// Scenario options shared by the commands that simulate.
#[derive(Debug, Clone, clap::Args)]
pub struct ScenarioArgs {
    /// Scenario file (default: the embedded default scenario).
    #[arg(value_name = "SCENARIO.toml")]
    pub scenario: Option<PathBuf>,
    /// Override a field by its dotted path (entries of a list by name); repeatable.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub sets: Vec<String>,
    /// Seed (default: the scenario's).
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Weeks to simulate (default: the scenario's).
    #[arg(long, value_name = "N")]
    pub weeks: Option<u32>,
}

impl ScenarioArgs {
    /// The scenario these options describe.
    pub fn load(&self) -> Result<crate::Scenario, crate::ScenarioError> {
        let base = match &self.scenario {
            Some(path) => crate::Scenario::from_file(path)?,
            None => crate::Scenario::default_scenario()?,
        };
        let mut sets = self.sets.clone();
        if let Some(w) = self.weeks {
            sets.push(format!("weeks={w}"));
        }
        let s = base.with_sets(&sets)?;
        Ok(match self.seed {
            Some(seed) => s.with_seed(seed),
            None => s,
        })
    }
}

/// The default result directory of a scenario.
pub fn default_out(name: &str) -> PathBuf {
    Path::new("output").join(name)
}
