//! Options that several commands share.

use pluri_study::sweep::{Options, Shard};
use std::path::PathBuf;

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
                super::default_out(name)
            } else {
                super::default_out(&format!("{name}-shard-{}-of-{}", shard.k, shard.n))
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
