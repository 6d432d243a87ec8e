//! The sweep directory on disk: its layout, atomic writes, run files and the manifest.
//!
//! ```text
//! OUT/sweep.toml        the effective sweep (runs again with `pluri sweep OUT/sweep.toml`)
//! OUT/base.toml         the base scenario, fixed overrides applied
//! OUT/manifest.json     identity (hash), size, shard, parameters, completeness
//! OUT/runs/NNNNNN.json  one file per finished run (see RunRecord), sealed (see below)
//! OUT/runs.csv          one row per run, in run order          (complete sweeps only)
//! OUT/points.csv        one row per point, in point order      (complete sweeps only)
//! OUT/timings.json      wall time, simulation time, threads    (not compared)
//! ```
//!
//! A Parquet sweep (`tables = "parquet"`) also writes `runs/NNNNNN.weekly.parquet`, the
//! run's weekly series, before its run file (so a run file on disk always has its series),
//! and, with the tables, `runs.parquet`, `points.parquet` and `weekly.parquet` (every run's
//! series in run order).
//!
//! Every file is written under a temporary name in the same directory and renamed into
//! place, so a kill at any moment leaves whole files or nothing; stale temporary files are
//! removed when the directory is opened again (under its lock, see `exec`).
//!
//! A run file is sealed: the record's JSON ends with `"study":"H","checksum":"C"`, where `H`
//! is the hash of the sweep it belongs to (the manifest's `hash`) and `C` an FNV-1a checksum
//! of `H` and of the record up to `simulate_seconds` (the one field that is not part of the
//! tables). [`Store::read_run`] refuses a file whose seal is missing, whose checksum does
//! not match its content (an edited indicator or seed) or whose study is not the
//! directory's (a run file copied from another sweep), naming the file and what to do. The
//! checksum guards against accidents and mix-ups, not against someone who recomputes it.

use super::error::{io, SweepError};
use super::record::RunRecord;
use super::spec::fnv_hex;
use pluri_columnar::ParamType;
use pluri_core::input::{self, InputError, InputKind};
use pluri_core::output::Contents;
use serde::{Deserialize, Serialize};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The runs table as Parquet (Parquet sweeps).
pub const RUNS_PARQUET: &str = "runs.parquet";
/// The points table as Parquet (Parquet sweeps).
pub const POINTS_PARQUET: &str = "points.parquet";
/// Every run's weekly series, in run order (Parquet sweeps).
pub const WEEKLY_PARQUET: &str = "weekly.parquet";

/// Version of the directory format, checked on resume and merge (2: sealed run files; 3: run
/// seeds in 53 bits, and the model whose professionals resist and negotiate).
pub const FORMAT: u32 = 3;

/// What a sweep's `runs/` folder holds: run files and their temporary names.
const RUNS_DIR: Contents = Contents {
    kind: "sweep's runs folder",
    identity: &[],
    files: &[],
    tables: &[],
    figures: &[],
    dirs: &[],
    numbered_json: true,
};

/// What a sweep directory holds: `--force` replaces only such a directory.
pub const SWEEP_DIR: Contents = Contents {
    kind: "sweep directory",
    identity: &["manifest.json"],
    files: &[
        "manifest.json",
        "sweep.toml",
        "base.toml",
        "runs.csv",
        "points.csv",
        "timings.json",
        RUNS_PARQUET,
        POINTS_PARQUET,
        WEEKLY_PARQUET,
    ],
    tables: &[],
    figures: &["sweep-", "heatmap-"],
    dirs: &[("runs", &RUNS_DIR)],
    numbered_json: false,
};

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
    /// Present when the sweep also writes Parquet (`tables = "parquet"`): its columns' types.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parquet: Option<ParquetColumns>,
}

/// What the Parquet tables of a sweep need beyond the run files: the type of each varied
/// parameter's column (the values of a range or list, not only those run so far).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParquetColumns {
    /// One per parameter, in column order.
    pub parameter_types: Vec<ParamType>,
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
    /// The manifest's hash, read once when a run file is first checked.
    study: OnceLock<Option<String>>,
}

impl Store {
    /// The directory at `root` (nothing is created yet).
    pub fn new(root: &Path) -> Store {
        Store {
            root: root.to_path_buf(),
            study: OnceLock::new(),
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

    /// The weekly series of run `run` (Parquet sweeps), written before its run file.
    pub fn weekly_path(&self, run: u64) -> PathBuf {
        self.root
            .join("runs")
            .join(format!("{run:06}.weekly.parquet"))
    }

    /// Writes `json` as the file of run `run`, atomically and as it is (no seal: see
    /// [`Store::write_record`]).
    pub fn write_run(&self, run: u64, json: &str) -> Result<(), SweepError> {
        let mut bytes = Vec::with_capacity(json.len() + 1);
        bytes.extend_from_slice(json.as_bytes());
        bytes.push(b'\n');
        write_atomic(&self.run_path(run), &bytes)
    }

    /// Writes a finished run atomically, sealed with the hash of its study (the sweep's
    /// [`super::Sweep::hash`]); `json` is the record's JSON ([`serde_json::to_string`]).
    pub fn write_record(&self, rec: &RunRecord, json: &str, study: &str) -> Result<(), SweepError> {
        let sealed = seal(json, study).ok_or_else(|| SweepError::Corrupt {
            path: self.run_path(rec.run),
            message: "internal: the record's JSON does not end with simulate_seconds".into(),
        })?;
        write_atomic(&self.run_path(rec.run), sealed.as_bytes())
    }

    /// Reads a finished run, checking its seal: its checksum, its study (the manifest's hash,
    /// when the directory has a manifest) and its run number.
    pub fn read_run(&self, run: u64) -> Result<RunRecord, SweepError> {
        let path = self.run_path(run);
        let text = read_run_text(&path)?;
        let study = self.study()?;
        check_run_text(&path, &text, run, study.as_deref())
    }

    /// The hash of the study this directory holds (its manifest's), if it has a manifest.
    fn study(&self) -> Result<Option<String>, SweepError> {
        if let Some(s) = self.study.get() {
            return Ok(s.clone());
        }
        let s = self.manifest()?.map(|m| m.hash);
        Ok(self.study.get_or_init(|| s).clone())
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
        let text = input::read(InputKind::Study, &path)?;
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

const SEAL_STUDY: &str = ",\"study\":\"";
const SEAL_CHECKSUM: &str = "\",\"checksum\":\"";
const SIMULATE_SECONDS: &str = ",\"simulate_seconds\":";

/// The checksum of a record's JSON (`body`, without its closing brace) in study `study`:
/// FNV-1a of the study and of the record up to `simulate_seconds`.
fn checksum(body: &str, study: &str) -> Option<String> {
    let (covered, _) = body.rsplit_once(SIMULATE_SECONDS)?;
    Some(fnv_hex(&["pluri-run-2", study, covered]))
}

/// The sealed text of a record's JSON: `{...,"simulate_seconds":X,"study":"H","checksum":"C"}`
/// and a newline.
fn seal(json: &str, study: &str) -> Option<String> {
    let body = json.strip_suffix('}')?;
    let sum = checksum(body, study)?;
    Some(format!(
        "{body}{SEAL_STUDY}{study}{SEAL_CHECKSUM}{sum}\"}}\n"
    ))
}

/// What to do with a run file that is refused.
const AGAIN: &str = "delete it, and `--resume` the sweep (or shard) it belongs to runs it again";

/// The text of run file `path`; bytes that are not UTF-8 (a file damaged since it was
/// written) are refused as such, saying what to do.
pub(crate) fn read_run_text(path: &Path) -> Result<String, SweepError> {
    pluri_core::input::read_input(path).map_err(|source| {
        if source.kind() == std::io::ErrorKind::InvalidData {
            SweepError::Corrupt {
                path: path.to_path_buf(),
                message: format!("not UTF-8 text: it was damaged since it was written; {AGAIN}"),
            }
        } else {
            SweepError::Input(InputError::Read {
                kind: InputKind::Study,
                path: path.to_path_buf(),
                source,
            })
        }
    })
}

/// Checks the sealed text of run file `path` (run `run`, of study `study` when known) and
/// returns its record; every refusal names the file and what to do.
pub fn check_run_text(
    path: &Path,
    text: &str,
    run: u64,
    study: Option<&str>,
) -> Result<RunRecord, SweepError> {
    let corrupt = |message: String| SweepError::Corrupt {
        path: path.to_path_buf(),
        message,
    };
    let unsealed = || {
        corrupt(format!(
            "not a sealed run record (no study hash and checksum at its end): it was not written whole by this version of `pluri sweep`; {AGAIN}"
        ))
    };
    let inner = text
        .trim_end_matches('\n')
        .strip_suffix("\"}")
        .ok_or_else(unsealed)?;
    let (rest, sum) = inner.rsplit_once(SEAL_CHECKSUM).ok_or_else(unsealed)?;
    let (body, file_study) = rest.rsplit_once(SEAL_STUDY).ok_or_else(unsealed)?;
    let hex = |s: &str| s.len() == 16 && s.bytes().all(|b| b.is_ascii_hexdigit());
    if !hex(sum) || !hex(file_study) {
        return Err(unsealed());
    }
    if checksum(body, file_study).as_deref() != Some(sum) {
        return Err(corrupt(format!(
            "its content does not match its checksum: it was edited or damaged since it was written; {AGAIN}"
        )));
    }
    if let Some(study) = study {
        if file_study != study {
            return Err(corrupt(format!(
                "belongs to another study (hash {file_study}; this directory holds {study}): it was copied from another sweep; {AGAIN}"
            )));
        }
    }
    let rec: RunRecord = serde_json::from_str(&format!("{body}}}"))
        .map_err(|e| corrupt(format!("not a run record ({e}); {AGAIN}")))?;
    if rec.run != run {
        return Err(corrupt(format!(
            "holds run {} instead of run {run}: {AGAIN}",
            rec.run
        )));
    }
    Ok(rec)
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

    fn record(run: u64) -> (RunRecord, String) {
        let rec = RunRecord {
            run,
            point: run,
            replicate: 0,
            seed: 42,
            parameters: super::super::record::Ordered(vec![("a.b".into(), serde_json::json!(1))]),
            indicators: super::super::record::Ordered(vec![("x".into(), Some(0.25))]),
            command: "pluri run base.toml --seed 42 --set 'a.b=1,\"simulate_seconds\":'".into(),
            simulate_seconds: 0.5,
        };
        let json = serde_json::to_string(&rec).unwrap_or_default();
        (rec, json)
    }

    #[test]
    fn a_sealed_run_reads_back_and_any_edit_or_other_study_is_refused() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let store = Store::new(dir.path());
        store.create().unwrap_or_else(|e| panic!("{e}"));
        let (rec, json) = record(3);
        store
            .write_record(&rec, &json, "0123456789abcdef")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(store.read_run(3).ok(), Some(rec));
        let path = store.run_path(3);
        let text = fs::read_to_string(&path).unwrap_or_default();
        let refused = |t: &str, study: Option<&str>| {
            check_run_text(&path, t, 3, study)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        };
        // simulate_seconds is outside the tables and the checksum.
        let timing = text.replace("\"simulate_seconds\":0.5", "\"simulate_seconds\":0.7");
        assert!(check_run_text(&path, &timing, 3, None).is_ok());
        let e = refused(&text.replace("0.25", "0.26"), None);
        assert!(
            e.contains("000003.json") && e.contains("checksum") && e.contains("--resume"),
            "{e}"
        );
        assert!(refused(&text.replace("\"seed\":42", "\"seed\":43"), None).contains("checksum"));
        assert!(refused(&json, None).contains("not a sealed run record"));
        assert!(refused(&text, Some("fedcba9876543210")).contains("another study"));
        assert!(refused(&text, Some("0123456789abcdef")).is_empty());
        let e = check_run_text(&path, &text, 4, None)
            .err()
            .map(|e| e.to_string());
        assert!(e
            .unwrap_or_default()
            .contains("holds run 3 instead of run 4"));
        // A byte that is no longer UTF-8: said so, with what to do (was "give a TOML or CSV
        // file", the advice for input files).
        let mut bytes = text.into_bytes();
        bytes[0] = 0x80;
        fs::write(&path, bytes).unwrap_or_else(|e| panic!("{e}"));
        let e = store
            .read_run(3)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            e.contains("000003.json") && e.contains("not UTF-8") && e.contains("delete it"),
            "{e}"
        );
    }
}
