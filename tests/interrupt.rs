//! Interrupted work: `pluri run` and `pluri sweep` stopped by SIGINT or SIGKILL at
//! seeded random moments. Afterwards no result directory looks complete when it is not, the
//! staging directories of killed runs are cleaned up by the next run, `--resume` finishes a
//! sweep killed again and again, and its tables equal an uninterrupted sweep's byte for byte.

mod common;

use common::tmp;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Seed of the kill moments (change it to try other moments; every moment is printed).
const SEED: u64 = 0x7e57_0007;

/// SplitMix64: the kill moments, as fractions of an uninterrupted run's duration.
fn moments(seed: u64, n: usize) -> Vec<f64> {
    let mut s = seed;
    (0..n)
        .map(|_| {
            s = s.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = s;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^= z >> 31;
            // Up to 1.1: a few moments fall after the end, when there is nothing to interrupt.
            1.1 * (z >> 11) as f64 / (1u64 << 53) as f64
        })
        .collect()
}

/// Whether this process ignores SIGINT (a background job of a non-interactive shell does, and
/// passes it on); false where `/proc` does not say.
fn sigint_ignored() -> bool {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|st| {
            st.lines()
                .find_map(|l| l.strip_prefix("SigIgn:"))
                .and_then(|m| u64::from_str_radix(m.trim(), 16).ok())
        })
        .is_some_and(|mask| mask & (1 << (2 - 1)) != 0)
}

#[derive(Debug, Clone, Copy)]
enum Signal {
    Int,
    Kill,
}

/// A `pluri` process that SIGINT can stop, its output discarded.
fn stoppable() -> Command {
    assert!(
        !sigint_ignored(),
        "SIGINT is ignored in this process (SigIgn in /proc/self/status), so every pluri it \
         starts ignores it too and no SIGINT stop can land: run the tests from a foreground \
         shell, not as a background job of a non-interactive shell"
    );
    let mut c = common::pluri_process();
    c.stdout(Stdio::null()).stderr(Stdio::null());
    c
}

/// Waits `after`, then sends `signal` to `child` (if it is still running) and reaps it.
/// Returns whether the process was still running when signalled.
fn interrupt(child: Child, after: Duration, signal: Signal) -> bool {
    let t = Instant::now();
    interrupt_when(child, || t.elapsed() >= after, signal)
}

/// Waits until `now()` says so, then sends `signal` to `child` (if it is still running) and
/// reaps it. Returns whether the process was still running when signalled.
fn interrupt_when(mut child: Child, now: impl Fn() -> bool, signal: Signal) -> bool {
    while !now() {
        if child.try_wait().ok().flatten().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    if child.try_wait().ok().flatten().is_some() {
        return false;
    }
    match signal {
        Signal::Kill => child.kill().unwrap_or_else(|e| panic!("kill: {e}")),
        Signal::Int => {
            let ok = Command::new("kill")
                .args(["-s", "INT", &child.id().to_string()])
                .status()
                .unwrap_or_else(|e| panic!("kill -s INT: {e}"));
            assert!(ok.success());
        }
    }
    let status = child.wait().unwrap_or_else(|e| panic!("{e}"));
    !status.success()
}

/// Staging directories (`.NAME.partial-PID`) in `parent`; stale ones are told by their free
/// lock (`.NAME.pluri-lock`), not by their PID.
fn partials(parent: &Path) -> Vec<PathBuf> {
    fs::read_dir(parent)
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| p.to_string_lossy().contains(".partial-"))
                .collect()
        })
        .unwrap_or_default()
}

fn read(p: &Path) -> Vec<u8> {
    fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn runs_stopped_at_seeded_moments_leave_nothing_that_looks_complete_and_no_stale_staging() {
    let d = tmp();
    let whole = d.path().join("whole");
    let t = Instant::now();
    let ok = stoppable()
        .args(["-q", "run", "--out"])
        .arg(&whole)
        .status()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(ok.success());
    let full = t.elapsed();
    let parent = d.path().join("runs");
    let out = parent.join("r");
    let mut stopped = 0;
    let mut seen_stale = 0;
    for (i, f) in moments(SEED, 8).into_iter().enumerate() {
        let signal = if i % 2 == 0 {
            Signal::Int
        } else {
            Signal::Kill
        };
        let after = full.mul_f64(f);
        let child = stoppable()
            .args(["-q", "run", "--out"])
            .arg(&out)
            .spawn()
            .unwrap_or_else(|e| panic!("{e}"));
        let was_running = interrupt(child, after, signal);
        let staged = partials(&parent);
        assert!(
            staged.len() <= 1,
            "each run removes the staging directories of killed ones: {staged:?}"
        );
        seen_stale += staged.len();
        eprintln!("run {i}: {signal:?} after {after:?} (full run {full:?}): stopped {was_running}");
        if out.exists() {
            // In place means renamed whole: every file is there, as in an uninterrupted run.
            for f in pluri::results::RUN_FILES {
                assert!(out.join(f).is_file(), "{f} missing after {signal:?}");
            }
            assert_eq!(
                read(&out.join("weekly.csv")),
                read(&whole.join("weekly.csv"))
            );
            fs::remove_dir_all(&out).unwrap_or_else(|e| panic!("{e}"));
        } else {
            assert!(was_running, "a run that ended by itself left no directory");
            stopped += 1;
        }
    }
    assert!(
        stopped >= 3,
        "only {stopped} of 8 runs were stopped mid-way"
    );
    assert!(
        seen_stale > 0,
        "no kill left a staging directory: the clean-up was not exercised"
    );
    let ok = stoppable()
        .args(["-q", "run", "--no-plots", "--out"])
        .arg(&out)
        .status()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(ok.success());
    assert!(
        partials(&parent).is_empty(),
        "the next run removes the staging directories of killed runs"
    );
    assert!(
        !parent.join(".r.pluri-lock").exists(),
        "a killed run's lock file is taken over and removed by the next run"
    );
    assert_eq!(
        read(&out.join("weekly.csv")),
        read(&whole.join("weekly.csv"))
    );
}

/// Runs of the sweep of [`sweep_file`].
const RUNS: usize = 100;

/// Finished run files in a sweep directory.
fn run_files(out: &Path) -> usize {
    fs::read_dir(out.join("runs")).map_or(0, |d| {
        d.flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".json"))
            .count()
    })
}

/// A sweep of 100 runs (4 points x 25 replicates) of the small scenario, one year each.
fn sweep_file(dir: &Path) -> PathBuf {
    let text = format!(
        "name = \"i\"\nbase = \"{}\"\nseed = 77\nreplicates = 25\nset = [\"weeks=52\", \"warmup_weeks=4\"]\n\
         [design]\nkind = \"grid\"\n\
         [[param]]\npath = \"structures.msp_a.coordinator_fte\"\nvalues = [0.0, 1.5]\n\
         [[param]]\npath = \"coordination.training_multiplier\"\nvalues = [1, 2.5]\n",
        common::small_file()
    );
    let path = dir.join("sweep.toml");
    fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    path
}

fn sweep(file: &Path, out: &Path) -> Command {
    let mut c = stoppable();
    c.args(["-q", "--threads", "2", "sweep", "--no-plots", "--resume"])
        .arg(file)
        .arg("--out")
        .arg(out);
    c
}

/// What must hold of a sweep directory at any moment: whole run files only, and tables or a
/// complete manifest only when every run is on disk.
fn check_sweep_dir(out: &Path, runs: usize) -> bool {
    let mut files = 0;
    if let Ok(entries) = fs::read_dir(out.join("runs")) {
        for e in entries.flatten() {
            let p = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            let Some(n) = name
                .strip_suffix(".json")
                .and_then(|n| n.parse::<u64>().ok())
            else {
                assert!(name.ends_with(".tmp"), "unexpected {}", p.display());
                continue;
            };
            let v: serde_json::Value = serde_json::from_slice(&read(&p))
                .unwrap_or_else(|e| panic!("{} is not whole: {e}", p.display()));
            assert_eq!(v["run"].as_u64(), Some(n), "{}", p.display());
            files += 1;
        }
    }
    let complete = fs::read(out.join("manifest.json"))
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .is_some_and(|m| m["complete"] == serde_json::Value::Bool(true));
    if out.join("runs.csv").exists() || out.join("points.csv").exists() || complete {
        assert_eq!(
            files, runs,
            "tables or a complete manifest with runs missing"
        );
    }
    if complete {
        assert!(out.join("runs.csv").is_file() && out.join("points.csv").is_file());
    }
    complete
}

#[test]
fn a_sweep_stopped_again_and_again_resumes_to_the_tables_of_an_uninterrupted_one() {
    let d = tmp();
    let file = sweep_file(d.path());
    let whole = d.path().join("whole");
    let t = Instant::now();
    assert!(sweep(&file, &whole)
        .status()
        .unwrap_or_else(|e| panic!("{e}"))
        .success());
    let full = t.elapsed();
    let out = d.path().join("o");
    let mut stopped = 0;
    for (i, f) in moments(SEED ^ 1, 8).into_iter().enumerate() {
        let signal = if i % 2 == 0 {
            Signal::Kill
        } else {
            Signal::Int
        };
        let left = RUNS - run_files(&out);
        let child = sweep(&file, &out).spawn().unwrap_or_else(|e| panic!("{e}"));
        // The first two stops fall at a time (the first during the start); the others once
        // a seeded number of further runs is on disk, plus up to 10 ms.
        let was_running = if i < 2 {
            let after = full.mul_f64(f * if i == 0 { 0.05 } else { 0.3 });
            interrupt(child, after, signal)
        } else {
            let target = RUNS - left + 1 + (f.min(1.0) * left as f64 / 5.0) as usize;
            let jitter = Duration::from_micros((f * 9_000.0) as u64);
            let reached = std::cell::Cell::new(None::<Instant>);
            interrupt_when(
                child,
                || {
                    if reached.get().is_none() && run_files(&out) >= target {
                        reached.set(Some(Instant::now()));
                    }
                    reached.get().is_some_and(|t| t.elapsed() >= jitter)
                },
                signal,
            )
        };
        let complete = check_sweep_dir(&out, RUNS);
        eprintln!(
            "sweep {i}: {left} runs left, {signal:?} at moment {f:.3} (full sweep {full:?}): stopped {was_running}, {} runs left, complete {complete}",
            RUNS - run_files(&out)
        );
        if was_running {
            stopped += 1;
        }
    }
    assert!(
        stopped >= 6,
        "only {stopped} of 8 sweeps were stopped mid-way"
    );
    assert!(sweep(&file, &out)
        .status()
        .unwrap_or_else(|e| panic!("{e}"))
        .success());
    assert!(check_sweep_dir(&out, RUNS));
    for table in ["runs.csv", "points.csv"] {
        assert_eq!(read(&out.join(table)), read(&whole.join(table)), "{table}");
    }
    let leftovers: Vec<_> = [out.clone(), out.join("runs")]
        .iter()
        .flat_map(|p| fs::read_dir(p).into_iter().flatten().flatten())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .map(|e| e.path())
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn a_sweep_killed_before_its_manifest_resumes_or_starts_again() {
    // What a kill in the first instant leaves: the directory, an empty runs/ and a
    // half-written temporary manifest.
    let d = tmp();
    let file = sweep_file(d.path());
    let out = d.path().join("o");
    fs::create_dir_all(out.join("runs")).unwrap_or_else(|e| panic!("{e}"));
    fs::write(out.join(".manifest.json.999999.tmp"), b"{\"form").unwrap_or_else(|e| panic!("{e}"));
    let mut plain = stoppable();
    plain
        .args(["-q", "sweep", "--no-plots"])
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .args(["--shard", "1/20"]);
    assert!(plain.status().unwrap_or_else(|e| panic!("{e}")).success());
    assert!(!out.join(".manifest.json.999999.tmp").exists());
    assert_eq!(run_files(&out), 5, "shard 1/20 of 100 runs");
}
