//! The sweep directory on disk: its layout, atomic writes, run files and the manifest.
//!
//! ```text
//! OUT/sweep.toml        the effective sweep (runs again with `pluri sweep OUT/sweep.toml`)
//! OUT/base.toml         the base scenario, fixed overrides applied
//! OUT/manifest.json     identity (hash), size, shard, parameters, completeness
//! OUT/runs/NNNNNN.json  one file per finished run (see RunRecord)
//! OUT/runs.csv          one row per run, in run order          (complete sweeps only)
//! OUT/points.csv        one row per point, in point order      (complete sweeps only)
//! OUT/timings.json      wall time, simulation time, threads    (not compared)
//! ```
//!
//! Every file is written under a temporary name in the same directory and renamed into
//! place, so a kill at any moment leaves whole files or nothing; stale temporary files are
//! removed when the directory is opened again.

use super::error::{io, SweepError};
use super::record::RunRecord;
use serde::{Deserialize, Serialize};
use std::fs;
use std::path::{Path, PathBuf};

/// Version of the directory format, checked on resume and merge.
pub const FORMAT: u32 = 1;

/// What a sweep directory is: written at the start, rewritten when it completes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Directory format version.
    pub format: u32,
    /// Sweep name.
    pub name: String,
    /// Identity of the sweep definition (see [`super::Sweep::hash`]).
    pub hash: String,
    /// Runs of the whole sweep.
    pub runs: u64,
    /// Points of the whole sweep.
    pub points: u64,
    /// Runs per point.
    pub replicates: u32,
    /// Points (the first ones) with more runs, after all the others (absent when none).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub extra_points: u64,
    /// More runs of each of those points.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub extra_replicates: u32,
    /// Varied parameters, in column order.
    pub parameters: Vec<String>,
    /// `K/N` for a shard, `1/1` for a whole sweep.
    pub shard: String,
    /// Every run of this shard is on disk (and, for a whole sweep, the tables are written).
    pub complete: bool,
    /// How each run's seed is derived.
    pub seed_formula: String,
    /// pluri version that wrote it.
    pub pluri_version: String,
}

fn is_zero<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

impl Manifest {
    /// Which point and replicate each run is.
    pub fn layout(&self) -> super::Layout {
        super::Layout {
            points: self.points,
            replicates: self.replicates,
            extra_points: self.extra_points,
            extra_replicates: self.extra_replicates,
        }
    }
}

/// A sweep directory.
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
}

impl Store {
    /// The directory at `root` (nothing is created yet).
    pub fn new(root: &Path) -> Store {
        Store {
            root: root.to_path_buf(),
        }
    }

    /// The directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Creates the directory and its `runs/` folder; removes stale temporary files.
    pub fn create(&self) -> Result<(), SweepError> {
        let runs = self.root.join("runs");
        fs::create_dir_all(&runs).map_err(io(&runs))?;
        for dir in [&self.root, &runs] {
            for entry in fs::read_dir(dir).map_err(io(dir))? {
                let path = entry.map_err(io(dir))?.path();
                if path.extension().is_some_and(|e| e == "tmp") {
                    fs::remove_file(&path).map_err(io(&path))?;
                }
            }
        }
        Ok(())
    }

    /// Writes `name` (relative to the directory) atomically.
    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<(), SweepError> {
        write_atomic(&self.root.join(name), bytes)
    }

    /// The file of run `run`.
    pub fn run_path(&self, run: u64) -> PathBuf {
        self.root.join("runs").join(format!("{run:06}.json"))
    }

    /// Writes a finished run atomically.
    pub fn write_run(&self, run: u64, json: &str) -> Result<(), SweepError> {
        let mut bytes = Vec::with_capacity(json.len() + 1);
        bytes.extend_from_slice(json.as_bytes());
        bytes.push(b'\n');
        write_atomic(&self.run_path(run), &bytes)
    }

    /// Reads a finished run.
    pub fn read_run(&self, run: u64) -> Result<RunRecord, SweepError> {
        let path = self.run_path(run);
        let text = fs::read_to_string(&path).map_err(|source| SweepError::Read {
            path: path.clone(),
            source,
        })?;
        let rec: RunRecord = serde_json::from_str(&text).map_err(|e| SweepError::Corrupt {
            path: path.clone(),
            message: format!("not a run record ({e}): delete it and resume to run it again"),
        })?;
        if rec.run != run {
            return Err(SweepError::Corrupt {
                path,
                message: format!("holds run {} instead: delete it and resume", rec.run),
            });
        }
        Ok(rec)
    }

    /// Indices of the runs on disk, sorted (from file names alone).
    pub fn finished(&self) -> Result<Vec<u64>, SweepError> {
        let runs = self.root.join("runs");
        if !runs.is_dir() {
            return Ok(Vec::new());
        }
        let mut done = Vec::new();
        for entry in fs::read_dir(&runs).map_err(io(&runs))? {
            let name = entry.map_err(io(&runs))?.file_name();
            let name = name.to_string_lossy();
            if let Some(i) = name
                .strip_suffix(".json")
                .and_then(|s| s.parse::<u64>().ok())
            {
                done.push(i);
            }
        }
        done.sort_unstable();
        Ok(done)
    }

    /// Reads the manifest, if the directory has one.
    pub fn manifest(&self) -> Result<Option<Manifest>, SweepError> {
        let path = self.root.join("manifest.json");
        if !path.exists() {
            return Ok(None);
        }
        let text = fs::read_to_string(&path).map_err(|source| SweepError::Read {
            path: path.clone(),
            source,
        })?;
        serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| SweepError::Corrupt {
                path,
                message: format!("not a sweep manifest ({e})"),
            })
    }

    /// Writes the manifest atomically.
    pub fn write_manifest(&self, m: &Manifest) -> Result<(), SweepError> {
        let mut text = serde_json::to_string_pretty(m).map_err(|e| SweepError::Corrupt {
            path: self.root.join("manifest.json"),
            message: e.to_string(),
        })?;
        text.push('\n');
        self.write("manifest.json", text.as_bytes())
    }
}

/// Writes `path` under a temporary sibling name, then renames it into place.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), SweepError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    // Synced before the rename, so that after a power cut a run file is whole or absent.
    let written = fs::File::create(&tmp).and_then(|mut f| {
        std::io::Write::write_all(&mut f, bytes)?;
        f.sync_all()
    });
    if let Err(e) = written {
        // A half-written file (disk full) would hold the space the next write needs.
        let _ = fs::remove_file(&tmp);
        return Err(io(path)(e));
    }
    fs::rename(&tmp, path).map_err(io(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_temporary_files_are_removed_and_never_count_as_runs() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let store = Store::new(dir.path());
        store.create().unwrap_or_else(|e| panic!("{e}"));
        store.write_run(3, "{}").unwrap_or_else(|e| panic!("{e}"));
        let stale = dir.path().join("runs").join(".000004.json.999.tmp");
        fs::write(&stale, b"{\"half").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(store.finished().unwrap_or_default(), vec![3]);
        store.create().unwrap_or_else(|e| panic!("{e}"));
        assert!(!stale.exists());
    }
}
