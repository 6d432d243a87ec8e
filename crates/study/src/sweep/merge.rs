//! `pluri merge`: combine shard directories into one sweep directory with the same tables,
//! byte for byte, as an unsharded sweep.
//!
//! Shards must come from the same sweep (same hash) and together hold every run exactly
//! once; every run file is checked at its source (its seal, its study, its point and
//! replicate) before anything is written, so a refusal names the shard's file. The merged
//! directory is built under a temporary name beside `--out` and renamed into place only when
//! complete: a failed merge leaves no `--out`, and an old one (replaced only with `--force`,
//! only if it is a sweep directory that pluri wrote) is unchanged. Shards still being written
//! (their lock held) are refused.

use super::error::SweepError;
use super::record::RunRecord;
use super::shard::Shard;
use super::store::{
    check_run_text, read_run_text, write_atomic, Manifest, Store, FORMAT, SWEEP_DIR,
};
use super::tables::write_tables;
use pluri_core::input::{InputError, InputKind};
use pluri_core::output::{DirLock, RunDir};
use pluri_schema::sweep::{BASE_FILE, SWEEP_FILE};
use std::path::{Path, PathBuf};

/// What a merge did.
#[derive(Debug, Clone, PartialEq)]
pub struct MergeReport {
    /// Runs in the merged sweep.
    pub runs: u64,
    /// Shard directories read.
    pub shards: usize,
    /// Where the merged sweep is.
    pub out: PathBuf,
}

/// Merges `dirs` into `out` (an existing sweep directory there is replaced only with `force`).
pub fn merge(dirs: &[PathBuf], out: &Path, force: bool) -> Result<MergeReport, SweepError> {
    let dir_err = |path: &Path, message: String| SweepError::Directory {
        path: path.to_path_buf(),
        message,
    };
    let Some(first_dir) = dirs.first() else {
        return Err(dir_err(
            out,
            "no shard directory to merge: name at least one".into(),
        ));
    };
    let mut manifests: Vec<Manifest> = Vec::new();
    for d in dirs {
        if same_dir(d, out) {
            return Err(dir_err(
                d,
                "is also the --out directory: merge into a new one".into(),
            ));
        }
        let m = Store::new(d).manifest()?.ok_or_else(|| {
            dir_err(
                d,
                "has no manifest.json: not a directory written by `pluri sweep`".into(),
            )
        })?;
        if m.format != FORMAT {
            return Err(dir_err(
                d,
                format!("has format {}, this pluri reads {FORMAT}", m.format),
            ));
        }
        if let Some(f) = manifests.first() {
            if m.hash != f.hash {
                return Err(dir_err(
                    d,
                    format!(
                        "comes from another sweep ({} {}) than {} ({} {}): merge shards of one sweep only",
                        m.name, m.hash, first_dir.display(), f.name, f.hash
                    ),
                ));
            }
        }
        manifests.push(m);
    }
    let m = manifests[0].clone();
    if out.exists() && !force {
        return Err(dir_err(out, "exists: pass --force to replace it".into()));
    }
    // Shards still being written are not merged; their locks are held until the merge ends.
    let mut _shard_locks = Vec::with_capacity(dirs.len());
    let mut locked: Vec<PathBuf> = Vec::new();
    for d in dirs {
        // A directory given twice is locked once (and refused by the coverage check).
        let canonical = d.canonicalize().unwrap_or_else(|_| d.clone());
        if locked.contains(&canonical) {
            continue;
        }
        locked.push(canonical);
        match DirLock::try_acquire(d) {
            Ok(Some(lock)) => _shard_locks.push(lock),
            // A shard on a disk this process cannot write cannot be written by a sweep of
            // its either: it is read as it is.
            Err(pluri_core::output::OutputError::Io { source, .. })
                if matches!(
                    source.kind(),
                    std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
                ) => {}
            Err(e) => return Err(e.into()),
            Ok(None) => return Err(dir_err(
                d,
                "is being written by another pluri process: merge it once that sweep has finished"
                    .into(),
            )),
        }
    }
    let owner = coverage(dirs, &m)?;
    let staged = RunDir::create_as(out, force, &SWEEP_DIR)?;
    let store = Store::new(staged.staging());
    store.create()?;
    for name in [SWEEP_FILE, BASE_FILE] {
        let src = first_dir.join(name);
        let bytes = std::fs::read(&src).map_err(|source| InputError::Read {
            kind: InputKind::Study,
            path: src,
            source,
        })?;
        store.write(name, &bytes)?;
    }
    let mut merged = Manifest {
        shard: Shard::ALL.to_string(),
        complete: false,
        ..m
    };
    store.write_manifest(&merged)?;
    let mut indicators: Option<Vec<String>> = None;
    for (run, &d) in owner.iter().enumerate() {
        let run = run as u64;
        let src = Store::new(&dirs[d as usize]).run_path(run);
        let text = read_run_text(&src)?;
        let rec = check_run_text(&src, &text, run, Some(&merged.hash))?;
        check_place(&src, &rec, &merged, &mut indicators)?;
        if merged.parquet.is_some() {
            // The run's weekly series comes with it (checked when the tables are written).
            let src = Store::new(&dirs[d as usize]).weekly_path(run);
            let bytes = std::fs::read(&src).map_err(|e| SweepError::Corrupt {
                path: src.clone(),
                message: format!("cannot be read ({e}): delete the run's .json file beside it and finish its shard with `pluri sweep ... --shard K/N --resume`"),
            })?;
            write_atomic(&store.weekly_path(run), &bytes)?;
        }
        write_atomic(&store.run_path(run), text.as_bytes())?;
    }
    write_tables(&store, &merged)?;
    merged.complete = true;
    store.write_manifest(&merged)?;
    let out = staged.commit()?;
    Ok(MergeReport {
        runs: merged.runs,
        shards: dirs.len(),
        out,
    })
}

/// Checks that a shard's run record sits where the merged sweep expects it: its point and
/// replicate, its parameters, and the same indicators as the first run.
fn check_place(
    src: &Path,
    rec: &RunRecord,
    m: &Manifest,
    indicators: &mut Option<Vec<String>>,
) -> Result<(), SweepError> {
    let names: Vec<String> = rec.indicators.0.iter().map(|(k, _)| k.clone()).collect();
    let params_ok = rec
        .parameters
        .0
        .iter()
        .map(|(k, _)| k)
        .eq(m.parameters.iter());
    let place_ok = (rec.point, rec.replicate) == m.layout().locate(rec.run);
    let names_ok = indicators.get_or_insert_with(|| names.clone()) == &names;
    if params_ok && place_ok && names_ok {
        Ok(())
    } else {
        Err(SweepError::Corrupt {
            path: src.to_path_buf(),
            message: "its point, replicate, parameters or indicators do not match the sweep: delete it and finish its shard with `pluri sweep ... --shard K/N --resume`".into(),
        })
    }
}

/// For each run, the index of the directory that holds it; every run exactly once.
fn coverage(dirs: &[PathBuf], m: &Manifest) -> Result<Vec<u32>, SweepError> {
    const NONE: u32 = u32::MAX;
    let n = usize::try_from(m.runs).map_err(|_| SweepError::Directory {
        path: dirs[0].clone(),
        message: format!("{} runs is too many for this machine", m.runs),
    })?;
    let mut owner = vec![NONE; n];
    for (i, d) in dirs.iter().enumerate() {
        for run in Store::new(d).finished()? {
            let slot = usize::try_from(run).ok().and_then(|r| owner.get_mut(r));
            let Some(slot) = slot else {
                return Err(SweepError::Directory {
                    path: d.clone(),
                    message: format!("holds run {run} but the sweep has only {} runs", m.runs),
                });
            };
            if *slot != NONE {
                return Err(SweepError::Directory {
                    path: d.clone(),
                    message: format!(
                        "holds run {run}, which {} holds too: each run must come from exactly one shard (was a shard given twice?)",
                        dirs[*slot as usize].display()
                    ),
                });
            }
            *slot = i as u32;
        }
    }
    let missing: Vec<String> = owner
        .iter()
        .enumerate()
        .filter(|(_, &o)| o == NONE)
        .map(|(r, _)| r.to_string())
        .collect();
    if !missing.is_empty() {
        let shown: Vec<&str> = missing.iter().take(10).map(String::as_str).collect();
        return Err(SweepError::Directory {
            path: dirs[0].clone(),
            message: format!(
                "the shards given lack {} of {} runs (runs {}{}): add the missing shard directories, or finish them with `pluri sweep ... --shard K/N --resume`",
                missing.len(),
                m.runs,
                shown.join(", "),
                if missing.len() > 10 { ", ..." } else { "" }
            ),
        });
    }
    Ok(owner)
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}
