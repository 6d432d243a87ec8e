//! Fuzzing of the study inputs other than scenarios: sealed sweep run files with bytes
//! changed (read by `--resume` and `merge`), observed tables of calibration files with
//! hostile numbers and text, and the `plot_indicators` list of sweep files (validated, and
//! read by the figures from a hand-edited `sweep.toml`).
//!
//! Properties: never a panic; a run file whose content changed (anything but its
//! `simulate_seconds`) is refused, naming the file, by `Store::read_run`, by a resume and by
//! a merge, and one accepted gives tables byte-identical to the untouched sweep's; a refused
//! table names its file, line and column in a short message, an accepted one holds only
//! figures its bounds allow, and (for the first [`CALIBRATIONS`]) calibrates to scores that
//! are never NaN; `plot_indicators` is a list of distinct headline indicators that leaves
//! the sweep's identity unchanged, or is refused naming it and its line.
//!
//! `PLURI_FUZZ_CASES=N` sets the cases of each property (defaults: [`RUN_FILE_CASES`],
//! [`RESUME_CASES`], [`TABLE_CASES`], [`PLOT_CASES`]).

mod common;
mod fuzz_gen;

use fuzz_gen::studies::{apply_byte_edits, byte_edit, observed_table, plot_indicators_line};
use pluri::sweep::{merge, prepare, Options, Shard, Sweep};
use proptest::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::OnceLock;

/// Run files edited per `cargo test` and read back.
const RUN_FILE_CASES: u32 = 256;
/// Run files edited per `cargo test` and resumed, then merged (each writes a directory's
/// tables, every file synced to disk).
const RESUME_CASES: u32 = 32;
/// Observed tables generated per `cargo test`.
const TABLE_CASES: u32 = 256;
/// Accepted tables calibrated for real (2 parameter sets of 2 weeks each).
const CALIBRATIONS: usize = 6;
/// `plot_indicators` lists generated per `cargo test`.
const PLOT_CASES: u32 = 128;

fn cases(default: u32) -> u32 {
    std::env::var("PLURI_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A folder of this test binary in the target directory, emptied.
fn fixture_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("fuzz_studies")
        .join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("fixture folder");
    dir
}

/// A sweep of the small scenario over 2 weeks: 2 points x 2 replicates. `plot` is a line
/// placed third (empty for none).
fn sweep_text(plot: &str) -> String {
    format!(
        "name = \"fz\"\nseed = 5\n{plot}base = \"{}\"\nreplicates = 2\nset = [\"weeks=2\", \"warmup_weeks=0\"]\n\n[design]\nkind = \"grid\"\n\n[[param]]\npath = \"coordination.training_multiplier\"\nvalues = [1, 2.5]\n",
        common::small_file()
    )
}

/// The sweep run whole, and as two shards, once.
struct Sweeps {
    sweep: Sweep,
    whole: PathBuf,
    shards: [PathBuf; 2],
}

fn run_sweep(sweep: &Sweep, out: &Path, shard: Shard) {
    let opts = Options {
        out: out.to_path_buf(),
        resume: false,
        force: false,
        shard,
    };
    prepare(sweep, &opts)
        .and_then(|p| p.execute(sweep, &AtomicBool::new(false), &|_, _| {}))
        .expect("sweep runs");
}

fn sweeps() -> &'static Sweeps {
    static SWEEPS: OnceLock<Sweeps> = OnceLock::new();
    SWEEPS.get_or_init(|| {
        let dir = fixture_dir("sweeps");
        let sweep = Sweep::from_toml_str(&sweep_text(""), "fz.toml", &dir).expect("sweep");
        let whole = dir.join("whole");
        run_sweep(&sweep, &whole, Shard::ALL);
        let shards = [1, 2].map(|k| {
            let out = dir.join(format!("shard{k}"));
            run_sweep(&sweep, &out, Shard { k, n: 2 });
            out
        });
        Sweeps {
            sweep,
            whole,
            shards,
        }
    })
}

/// Copies the directory tree `from` to `to`.
fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for entry in fs::read_dir(from).expect("read dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

fn run_file(dir: &Path, run: u64) -> PathBuf {
    dir.join("runs").join(format!("{run:06}.json"))
}

/// The record's fields that the tables and the seal hold: everything but `simulate_seconds`.
fn content(bytes: &[u8]) -> Option<serde_json::Value> {
    let mut v: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    v.as_object_mut()?.remove("simulate_seconds");
    Some(v)
}

static RUN_FILES_ACCEPTED: AtomicUsize = AtomicUsize::new(0);
static TABLES_TRIED: AtomicUsize = AtomicUsize::new(0);
static TABLES_ACCEPTED: AtomicUsize = AtomicUsize::new(0);
static CALIBRATED: AtomicUsize = AtomicUsize::new(0);

/// With `PLURI_FUZZ_STATS=1`, prints how many generated inputs were accepted.
fn report() {
    if std::env::var_os("PLURI_FUZZ_STATS").is_some() {
        eprintln!(
            "run files accepted: {}; tables: {} tried, {} accepted, {} calibrated",
            RUN_FILES_ACCEPTED.load(Ordering::Relaxed),
            TABLES_TRIED.load(Ordering::Relaxed),
            TABLES_ACCEPTED.load(Ordering::Relaxed),
            CALIBRATED.load(Ordering::Relaxed).min(CALIBRATIONS)
        );
    }
}

/// Whether a refusal names the run file and what to do.
fn names_the_file(e: &str, file: &Path) -> bool {
    e.contains(&file.display().to_string()) && e.contains("delete it")
}

/// The bytes of run `run` of the whole sweep, or of run `other` put in its place, with the
/// edits applied; and whether the record's content is still the original's.
fn edited(run: u64, other: Option<u64>, edits: &[fuzz_gen::studies::ByteEdit]) -> (Vec<u8>, bool) {
    let s = sweeps();
    let original = fs::read(run_file(&s.whole, run)).expect("run file");
    let source = other.map_or_else(
        || original.clone(),
        |o| fs::read(run_file(&s.whole, o)).expect("run file"),
    );
    let mutated = apply_byte_edits(&source, edits);
    let same = content(&mutated).is_some() && content(&mutated) == content(&original);
    (mutated, same)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(RUN_FILE_CASES), ..ProptestConfig::default() })]

    #[test]
    fn a_run_file_with_bytes_changed_is_refused_naming_it_unless_its_content_is_the_same(
        run in 0u64..4,
        other in prop::option::weighted(0.1, 0u64..4),
        edits in prop::collection::vec(byte_edit(), 0..4),
    ) {
        let (mutated, same) = edited(run, other, &edits);
        let tmp = common::tmp();
        let dir = tmp.path();
        fs::create_dir(dir.join("runs")).expect("runs");
        fs::copy(sweeps().whole.join("manifest.json"), dir.join("manifest.json")).expect("manifest");
        let file = run_file(dir, run);
        fs::write(&file, &mutated).expect("write");
        match pluri_study::sweep::Store::new(dir).read_run(run) {
            Ok(_) => {
                prop_assert!(same, "an edited run file was read back");
                RUN_FILES_ACCEPTED.fetch_add(1, Ordering::Relaxed);
                report();
            }
            Err(e) => prop_assert!(names_the_file(&e.to_string(), &file), "{}", e),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(RESUME_CASES), ..ProptestConfig::default() })]

    #[test]
    fn resume_and_merge_refuse_an_edited_run_file_naming_it_or_give_the_same_tables(
        run in 0u64..4,
        other in prop::option::weighted(0.1, 0u64..4),
        edits in prop::collection::vec(byte_edit(), 0..3),
    ) {
        let s = sweeps();
        let (mutated, same) = edited(run, other, &edits);
        let tmp = common::tmp();

        // Resumed: checked before any run; accepted, the tables are the same bytes.
        let dir = tmp.path().join("resumed");
        copy_dir(&s.whole, &dir);
        let file = run_file(&dir, run);
        fs::write(&file, &mutated).expect("write");
        let opts = Options { out: dir.clone(), resume: true, force: false, shard: Shard::ALL };
        match prepare(&s.sweep, &opts) {
            Ok(p) => {
                prop_assert!(same, "--resume accepted an edited run file");
                prop_assert_eq!(p.todo(), 0);
                let done = p.execute(&s.sweep, &AtomicBool::new(false), &|_, _| {});
                prop_assert!(done.is_ok(), "{:?}", done.err());
                for table in ["runs.csv", "points.csv"] {
                    prop_assert_eq!(
                        fs::read(dir.join(table)).ok(),
                        fs::read(s.whole.join(table)).ok(),
                        "{} changed", table
                    );
                }
            }
            Err(e) => prop_assert!(names_the_file(&e.to_string(), &file), "{}", e),
        }

        // Merged from the shard that holds it: refused naming that shard's file, or the same.
        let k = (run % 2) as usize;
        let shards = [tmp.path().join("s1"), tmp.path().join("s2")];
        for (from, to) in s.shards.iter().zip(&shards) {
            copy_dir(from, to);
        }
        let file = run_file(&shards[k], run);
        fs::write(&file, &mutated).expect("write");
        let out = tmp.path().join("merged");
        match merge(&shards, &out, false) {
            Ok(_) => {
                prop_assert!(same, "merge accepted an edited run file");
                for table in ["runs.csv", "points.csv"] {
                    prop_assert_eq!(
                        fs::read(out.join(table)).ok(),
                        fs::read(s.whole.join(table)).ok(),
                        "{} changed", table
                    );
                }
            }
            Err(e) => {
                let e = e.to_string();
                prop_assert!(e.contains(&file.display().to_string()), "{}", e);
                prop_assert!(!out.exists(), "a failed merge left --out");
            }
        }
    }
}

/// A calibration file of the small scenario (2 weeks from 2000-01-01) against `table`.
fn calibration_text(table: &Path) -> String {
    format!(
        "name = \"c\"\nscenario = \"{}\"\nstart_date = \"2000-01-01\"\nsamples = 2\nset = [\"weeks=2\", \"warmup_weeks=0\"]\nobserved = [\"{}\"]\n\n[[param]]\npath = \"ties.decay_per_week\"\nrange = [0.002, 0.01]\n\n[[indicator]]\nobserved = \"msps\"\nsimulated = \"msps\"\n",
        common::small_file(),
        table.display()
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(TABLE_CASES), ..ProptestConfig::default() })]

    #[test]
    fn an_observed_table_is_refused_by_file_line_and_column_or_holds_bounded_figures(
        table in observed_table(),
    ) {
        TABLES_TRIED.fetch_add(1, Ordering::Relaxed);
        let tmp = common::tmp();
        let obs = tmp.path().join("obs.csv");
        fs::write(&obs, &table).expect("write table");
        let cal_text = calibration_text(&obs);
        let parsed = pluri::calibrate::Calibration::from_toml_str(&cal_text, "cal.toml", tmp.path());
        match parsed {
            Err(e) => {
                let msg = e.to_string();
                prop_assert!(msg.len() < 20_000, "{} bytes of error", msg.len());
                let shown = obs.display().to_string();
                if let Some(rest) = msg.strip_prefix(&format!("{shown}:")) {
                    // FILE:LINE: `COLUMN`: ...
                    let (line, rest) = rest.split_once(": `").unwrap_or_default();
                    let line: usize = line.parse().unwrap_or(0);
                    let lines = table.lines().count().max(1);
                    prop_assert!(line >= 1 && line <= lines + 1, "line {} of {}: {}", line, lines, msg);
                    let column = rest.split('`').next().unwrap_or_default();
                    prop_assert!(
                        fuzz_gen::studies::OBSERVED_COLUMNS.contains(&column) || ["header", "row"].contains(&column),
                        "no column named: {}", msg
                    );
                } else {
                    // The calibration file's own: an observed indicator it maps is missing.
                    prop_assert!(msg.starts_with("cal.toml:"), "{}", msg);
                    prop_assert!(msg.contains("indicator.observed"), "{}", msg);
                }
            }
            Ok(cal) => {
                TABLES_ACCEPTED.fetch_add(1, Ordering::Relaxed);
                for o in &cal.observations {
                    prop_assert!(o.value.is_finite() && (0.0..=1e12).contains(&o.value), "{:?}", o);
                    match o.range {
                        Some((lo, hi)) => prop_assert!(
                            lo >= 0.0 && hi <= 1e12 && hi - lo >= 1e-9 && lo <= o.value && o.value <= hi,
                            "{:?}", o
                        ),
                        None => prop_assert!(o.value >= 1e-6, "{:?}", o),
                    }
                    let sd = o.sd(0.05);
                    prop_assert!(sd.is_finite() && sd > 0.0, "sd {} of {:?}", sd, o);
                    prop_assert!(!o.source.is_empty());
                }
                if CALIBRATED.fetch_add(1, Ordering::Relaxed) < CALIBRATIONS {
                    let opts = Options {
                        out: tmp.path().join("out"),
                        resume: false,
                        force: false,
                        shard: Shard::ALL,
                    };
                    let outcome = pluri::calibrate::run(&cal, &opts, &AtomicBool::new(false), &|_, _| {});
                    prop_assert!(outcome.is_ok(), "{:?}", outcome.err());
                    if let Ok(outcome) = outcome {
                        prop_assert_eq!(outcome.scores.len(), 2);
                        for p in &outcome.scores {
                            prop_assert!(!p.max_i.is_nan(), "{:?}", p);
                            prop_assert!(p.implausibility.iter().all(|i| !i.is_nan()), "{:?}", p);
                        }
                    }
                }
                report();
            }
        }
    }
}

/// Folder of the `plot_indicators` property: the sweep's effective file reads its base from
/// `base.toml` beside it.
fn plot_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = fixture_dir("plot");
        let base = common::small(&["weeks=2", "warmup_weeks=0"]);
        fs::write(dir.join("base.toml"), base.to_commented_toml()).expect("base");
        dir
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(PLOT_CASES), ..ProptestConfig::default() })]

    #[test]
    fn plot_indicators_are_distinct_headline_indicators_outside_the_identity_or_refused_by_line(
        line in plot_indicators_line(),
    ) {
        let dir = plot_dir();
        let plain = Sweep::from_toml_str(&sweep_text(""), "fz.toml", dir).expect("plain sweep");
        match Sweep::from_toml_str(&sweep_text(&line), "fz.toml", dir) {
            Ok(sweep) => {
                let chosen = &sweep.plot_indicators;
                prop_assert!(!chosen.is_empty());
                for (i, name) in chosen.iter().enumerate() {
                    prop_assert!(pluri::results::HEADLINE.contains(&name.as_str()), "{}", name);
                    prop_assert!(!chosen[..i].contains(name), "{} twice", name);
                }
                prop_assert_eq!(sweep.hash(), plain.hash());
                let again = Sweep::from_toml_str(sweep.effective_toml(), "sweep.toml", dir);
                prop_assert!(again.is_ok(), "{:?}", again.err());
                if let Ok(again) = again {
                    prop_assert_eq!(&again.plot_indicators, chosen);
                }
            }
            Err(e) => {
                let msg = e.to_string();
                prop_assert!(
                    msg.contains("plot_indicators")
                        && (msg.contains("fz.toml:3:") || msg.contains("at line 3,")),
                    "{}",
                    msg
                );
            }
        }
    }
}

/// A sweep directory whose `sweep.toml` was edited by hand: the figures take the headline
/// indicators its `plot_indicators` names and ignore the rest, whatever it holds. 6 files,
/// SVG only.
#[test]
fn figures_of_a_sweep_whose_plot_indicators_were_edited_by_hand_are_drawn() {
    let s = sweeps();
    let tmp = common::tmp();
    let dir = tmp.path().join("sweep");
    copy_dir(&s.whole, &dir);
    let text = fs::read_to_string(dir.join("sweep.toml")).expect("sweep.toml");
    let every: Vec<String> = pluri::results::HEADLINE
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect();
    for (i, value) in [
        "[\"msps_end\", \"msps_end\", \"gps_end\"]".to_string(),
        "[\"happiness\", 1, true, [], \"\"]".to_string(),
        "\"msps_end\"".to_string(),
        "{ a = 1 }".to_string(),
        format!("[{}]", vec![every.join(", "); 3].join(", ")),
        "[\"msps_end\"".to_string(),
    ]
    .iter()
    .enumerate()
    {
        let edited = format!("plot_indicators = {value}\n{text}");
        fs::write(dir.join("sweep.toml"), edited).expect("write");
        let out = tmp.path().join(format!("figures-{i}"));
        let drawn = pluri::plot::plot_sweep(&dir, &out, pluri::plot::Format::Svg);
        assert!(
            drawn.as_ref().is_ok_and(|f| !f.is_empty()),
            "{value}: {drawn:?}"
        );
    }
}
