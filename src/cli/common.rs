//! What several commands share: scenario and output-directory options, the memory check,
//! default result directories, quiet broken pipes.

use pluri_study::sweep::{Options, Shard};
use std::path::{Path, PathBuf};

/// Where the runs of a sweep or a calibration go: the output directory, and whether to resume
/// it, replace it or run one shard into it.
#[derive(Debug, Clone, clap::Args)]
pub struct StudyDirArgs {
    /// Output directory (default: output/<command>-<name>, or
    /// output/<command>-<name>-shard-K-of-N for a shard).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Continue an interrupted run of the same file in the output directory (refused if the
    /// file or its scenario changed).
    #[arg(long, conflicts_with = "force")]
    pub resume: bool,
    /// Replace an existing output directory (only one that pluri wrote).
    #[arg(long)]
    pub force: bool,
    /// Run only shard K of N of the runs (runs with index % N == K - 1), into its own
    /// directory.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
}

impl StudyDirArgs {
    /// The shard of `--shard K/N`, or all runs.
    pub fn shard(&self) -> anyhow::Result<Shard> {
        Ok(match self.shard.as_deref() {
            Some(s) => s.parse::<Shard>()?,
            None => Shard::ALL,
        })
    }

    /// The run options of `shard` of a study named `name` (`sweep-NAME`, `calibrate-NAME`):
    /// the output directory is `--out`, or `output/NAME` (`NAME-shard-K-of-N` for a shard).
    pub fn options(&self, name: &str, shard: Shard) -> Options {
        let out = self.out.clone().unwrap_or_else(|| {
            if shard.is_all() {
                default_out(name)
            } else {
                default_out(&format!("{name}-shard-{}-of-{}", shard.k, shard.n))
            }
        });
        Options {
            out,
            resume: self.resume,
            force: self.force,
            shard,
        }
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
    pub fn load(&self) -> Result<pluri_core::Scenario, pluri_core::ScenarioError> {
        let base = match &self.scenario {
            Some(path) => pluri_core::Scenario::from_file(path)?,
            None => pluri_core::Scenario::default_scenario()?,
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

/// A closed pipe on standard output (`pluri show | head`) ends the output quietly.
pub fn ignore_broken_pipe(r: std::io::Result<()>) -> anyhow::Result<()> {
    match r {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// Memory available to this process (MemAvailable of /proc/meminfo), if known.
fn available_memory() -> Option<u64> {
    pluri_core::bench::proc_kib_bytes("/proc/meminfo", "MemAvailable")
}

/// Refuses, before any allocation, a scenario whose estimated memory exceeds what is available.
pub fn check_memory(s: &pluri_core::Scenario) -> anyhow::Result<()> {
    let need = s.estimated_memory_bytes();
    if let Some(have) = available_memory() {
        if need > have {
            const GIB: f64 = (1u64 << 30) as f64;
            anyhow::bail!(
                "scenario {:?} would need about {:.1} GiB ({} residents at 12 bytes each, plus professionals and network), \
                 but {:.1} GiB are available: simulate fewer residents, or run it on a larger machine",
                s.name(),
                need as f64 / GIB,
                s.population(),
                have as f64 / GIB
            );
        }
    }
    Ok(())
}

/// The default result directory of a scenario.
pub fn default_out(name: &str) -> PathBuf {
    Path::new("output").join(name)
}
