//! The attacks of the reliability review, each a test that failed on the program before its
//! fix: `--force` deleting a user's files, staging directories judged by process id, two
//! sweeps mixing in one directory, run files trusted on `--resume` and `merge`, validation
//! bypassed by interventions, sweeps and calibration files, unbounded input, and errors
//! without their line or field. See docs/RELIABILITY.md.

mod common;

use common::{pluri, root, tmp};
use std::fs;
use std::path::{Path, PathBuf};

/// Holds `dir`'s lock as another pluri process does while it writes `dir`: an exclusive
/// advisory lock on `.NAME.pluri-lock` beside it.
fn hold_lock(dir: &Path) -> fs::File {
    let name = dir
        .file_name()
        .unwrap_or_else(|| panic!("{} has no name", dir.display()))
        .to_string_lossy();
    let path = dir.with_file_name(format!(".{name}.pluri-lock"));
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    file.try_lock()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    file
}

const SMALL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/small.toml");

fn small() -> PathBuf {
    PathBuf::from(SMALL)
}

/// Runs pluri with `args`; its exit code and standard error.
fn run(args: &[&std::ffi::OsStr]) -> (Option<i32>, String) {
    let out = pluri()
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs pluri with `args`, which must fail with exit code 1 (not a panic); its standard error.
fn refused(args: &[&str]) -> String {
    let args: Vec<&std::ffi::OsStr> = args.iter().map(std::ffi::OsStr::new).collect();
    let (code, err) = run(&args);
    assert_eq!(code, Some(1), "expected a refusal, got {code:?}: {err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap_or_else(|| panic!("{}", p.display()))
}

/// A directory holding a user's files: `thesis.txt` and `sub/notes.md`.
fn users_directory(d: &Path) {
    fs::create_dir_all(d.join("sub")).unwrap_or_else(|e| panic!("{e}"));
    fs::write(d.join("thesis.txt"), "x").unwrap_or_else(|e| panic!("{e}"));
    fs::write(d.join("sub/notes.md"), "y").unwrap_or_else(|e| panic!("{e}"));
}

fn assert_users_files_intact(d: &Path) {
    assert_eq!(
        fs::read_to_string(d.join("thesis.txt")).ok().as_deref(),
        Some("x")
    );
    assert_eq!(
        fs::read_to_string(d.join("sub/notes.md")).ok().as_deref(),
        Some("y")
    );
    let names: Vec<String> = fs::read_dir(d)
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "nothing added or removed: {names:?}");
}

/// A sweep of 2 points x `reps` runs of 6 weeks of the small scenario.
fn sweep_file(dir: &Path, name: &str, seed: u64, reps: u32) -> PathBuf {
    let text = format!(
        r#"name = "{name}"
base = "{}"
seed = {seed}
replicates = {reps}
set = ["weeks=6", "warmup_weeks=0"]

[design]
kind = "grid"

[[param]]
path = "coordination.training_multiplier"
values = [1, 2.5]
"#,
        small().display()
    );
    let path = dir.join(format!("{name}.toml"));
    fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    path
}

fn sweep(file: &Path, out: &Path, extra: &[&str]) {
    let mut args = vec!["-q", "sweep", s(file), "--no-plots", "--out", s(out)];
    args.extend_from_slice(extra);
    let args: Vec<&std::ffi::OsStr> = args.iter().map(std::ffi::OsStr::new).collect();
    let (code, err) = run(&args);
    assert_eq!(code, Some(0), "{err}");
}

/// The file of run `run` in a sweep directory.
fn run_file(dir: &Path, run: u64) -> PathBuf {
    dir.join("runs").join(format!("{run:06}.json"))
}

// ---- 1. --force never deletes what pluri did not write ----

#[test]
fn run_force_refuses_a_directory_holding_a_users_files_and_deletes_nothing() {
    let d = tmp();
    let out = d.path().join("d");
    users_directory(&out);
    let e = refused(&[
        "-q",
        "run",
        SMALL,
        "--weeks",
        "4",
        "--no-plots",
        "--out",
        s(&out),
        "--force",
    ]);
    assert!(
        e.contains("thesis.txt") && e.contains("not a run directory written by pluri"),
        "{e}"
    );
    assert_users_files_intact(&out);
}

#[test]
fn every_commands_force_refuses_a_users_directory() {
    let d = tmp();
    let out = d.path().join("d");
    users_directory(&out);
    let sweep_toml = sweep_file(d.path(), "t", 1, 1);
    let e = refused(&["-q", "sweep", s(&sweep_toml), "--out", s(&out), "--force"]);
    assert!(e.contains("thesis.txt"), "sweep: {e}");
    assert_users_files_intact(&out);
    let shard = d.path().join("shard");
    sweep(&sweep_toml, &shard, &[]);
    let e = refused(&["-q", "merge", s(&shard), "--out", s(&out), "--force"]);
    assert!(e.contains("thesis.txt"), "merge: {e}");
    assert_users_files_intact(&out);
    let sens = root().join("scenarios/sweeps/sensitivity.toml");
    let e = refused(&["-q", "sensitivity", s(&sens), "--out", s(&out), "--force"]);
    assert!(e.contains("thesis.txt"), "sensitivity: {e}");
    assert_users_files_intact(&out);
    let cal = root().join("scenarios/calibration/france-2012.toml");
    let e = refused(&["-q", "calibrate", s(&cal), "--out", s(&out), "--force"]);
    assert!(e.contains("thesis.txt"), "calibrate: {e}");
    assert_users_files_intact(&out);
}

#[test]
fn force_replaces_a_run_directory_that_pluri_wrote_and_leaves_no_lock_or_staging() {
    let d = tmp();
    let out = d.path().join("r");
    for seed in ["1", "2"] {
        let args = [
            "-q",
            "run",
            SMALL,
            "--weeks",
            "4",
            "--seed",
            seed,
            "--out",
            s(&out),
            "--force",
        ];
        let args: Vec<&std::ffi::OsStr> = args.iter().map(std::ffi::OsStr::new).collect();
        let (code, err) = run(&args);
        assert_eq!(code, Some(0), "{err}");
    }
    let scenario = fs::read_to_string(out.join("scenario.toml")).unwrap_or_default();
    assert!(scenario.contains("seed = 2"), "replaced");
    assert!(out.join("access.png").is_file(), "figures are pluri's own");
    let left: Vec<_> = fs::read_dir(d.path())
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(left.len(), 1, "{left:?}");
}

// ---- 2. locks ----

#[test]
fn a_staging_directory_whose_lock_is_held_survives_other_runs_in_its_folder() {
    // Another writer in another process namespace (or on another machine sharing the disk):
    // its process id means nothing here, its lock is all that counts.
    let d = tmp();
    let busy = d.path().join("busy");
    let staging = d.path().join(".busy.partial-4000000");
    fs::create_dir_all(&staging).unwrap_or_else(|e| panic!("{e}"));
    fs::write(staging.join("weekly.csv"), "week\n").unwrap_or_else(|e| panic!("{e}"));
    let lock = hold_lock(&busy);
    let other = d.path().join("other");
    let args = [
        "-q",
        "run",
        SMALL,
        "--weeks",
        "4",
        "--no-plots",
        "--out",
        s(&other),
    ];
    let args: Vec<&std::ffi::OsStr> = args.iter().map(std::ffi::OsStr::new).collect();
    let (code, err) = run(&args);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        staging.join("weekly.csv").is_file(),
        "a live run's work was removed"
    );
    // The same destination is refused while its lock is held...
    let e = refused(&[
        "-q",
        "run",
        SMALL,
        "--weeks",
        "4",
        "--no-plots",
        "--out",
        s(&busy),
    ]);
    assert!(e.contains("another pluri process"), "{e}");
    // ... and its staging directory is removed once the lock is free.
    drop(lock);
    let other2 = d.path().join("other2");
    let args = [
        "-q",
        "run",
        SMALL,
        "--weeks",
        "4",
        "--no-plots",
        "--out",
        s(&other2),
    ];
    let args: Vec<&std::ffi::OsStr> = args.iter().map(std::ffi::OsStr::new).collect();
    assert_eq!(run(&args).0, Some(0));
    assert!(!staging.exists());
}

/// The study hash in a sealed run file.
fn study_of(text: &str) -> String {
    text.rsplit_once("\"study\":\"")
        .and_then(|(_, rest)| rest.split('"').next())
        .unwrap_or_default()
        .to_string()
}

fn manifest_hash(dir: &Path) -> String {
    let text = fs::read_to_string(dir.join("manifest.json")).unwrap_or_default();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    v["hash"].as_str().unwrap_or_default().to_string()
}

/// Every run file of a sweep directory belongs to the study of its manifest.
fn assert_one_study(dir: &Path) {
    let hash = manifest_hash(dir);
    assert!(!hash.is_empty(), "no manifest in {}", dir.display());
    for e in fs::read_dir(dir.join("runs"))
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
    {
        let text = fs::read_to_string(e.path()).unwrap_or_default();
        assert_eq!(study_of(&text), hash, "{} mixed in", e.path().display());
    }
}

#[test]
fn two_sweeps_started_together_into_one_directory_never_mix() {
    let d = tmp();
    let a = sweep_file(d.path(), "a", 1, 2);
    let b = sweep_file(d.path(), "b", 2, 2);
    let (mut refusals, mut both) = (0, 0);
    for i in 0..20 {
        let out = d.path().join(format!("out{i}"));
        // Every other try, the second is started with --force.
        let force = i % 2 == 1;
        let start = |file: &Path, force: bool| {
            let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("pluri"));
            c.args(["-q", "sweep"])
                .arg(file)
                .args(["--no-plots", "--out"])
                .arg(&out);
            if force {
                c.arg("--force");
            }
            c.stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap_or_else(|e| panic!("{e}"))
        };
        let first = start(&a, false);
        if i % 4 >= 2 {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        let second = start(&b, force);
        let results: Vec<(bool, String)> = [first, second]
            .into_iter()
            .map(|c| {
                let o = c.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
                (
                    o.status.success(),
                    String::from_utf8_lossy(&o.stderr).into_owned(),
                )
            })
            .collect();
        for (ok, err) in &results {
            assert!(!err.contains("panicked"), "{err}");
            if !ok {
                refusals += 1;
                assert!(
                    err.contains("another pluri process") || err.contains("exists"),
                    "try {i}: {err}"
                );
            }
        }
        if results.iter().all(|(ok, _)| *ok) {
            // Only possible one after the other: the second, with --force, replaced the first.
            assert!(force, "try {i}: two sweeps both wrote {}", out.display());
            both += 1;
        }
        assert_one_study(&out);
        // And the directory resumes as the sweep its manifest names.
        let text = fs::read_to_string(out.join("manifest.json")).unwrap_or_default();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        let file = if v["name"] == "a" { &a } else { &b };
        sweep(file, &out, &["--resume"]);
    }
    eprintln!("20 tries: {refusals} refusals, {both} replaced one after the other");
    assert!(refusals >= 10, "only {refusals} refusals in 20 tries");
}

// ---- 3. run files are checked on --resume and merge ----

/// Replaces `from` by `to` in a file, which must contain it.
fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{e}"));
    assert!(text.contains(from), "{}: no {from}", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap_or_else(|e| panic!("{e}"));
}

/// The first indicator value of a run file as written (`"name":value`).
fn first_indicator(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    let after = text.split("\"indicators\":{").nth(1).unwrap_or_default();
    after
        .split([',', '}'])
        .next()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn resume_refuses_a_run_file_whose_indicator_was_edited_naming_it() {
    let d = tmp();
    let file = sweep_file(d.path(), "t", 3, 2);
    let out = d.path().join("s");
    sweep(&file, &out, &[]);
    let victim = run_file(&out, 2);
    let ind = first_indicator(&victim);
    let (name, value) = ind.split_once(':').unwrap_or_default();
    edit(
        &victim,
        &ind,
        &format!("{name}:{}", if value == "0.5" { "0.6" } else { "0.5" }),
    );
    let e = refused(&["-q", "sweep", s(&file), "--out", s(&out), "--resume"]);
    assert!(
        e.contains("000002.json") && e.contains("checksum") && e.contains("delete it"),
        "{e}"
    );
    // As the message says: deleted, it is run again, and the tables are whole.
    fs::remove_file(&victim).unwrap_or_else(|e| panic!("{e}"));
    sweep(&file, &out, &["--resume"]);
    assert!(victim.is_file() && out.join("runs.csv").is_file());
}

#[test]
fn merge_refuses_an_edited_seed_and_another_sweeps_run_file_naming_the_shard_file() {
    let d = tmp();
    let file = sweep_file(d.path(), "t", 4, 2);
    let (s1, s2) = (d.path().join("s1"), d.path().join("s2"));
    sweep(&file, &s1, &["--shard", "1/2"]);
    sweep(&file, &s2, &["--shard", "2/2"]);
    let out = d.path().join("m");
    // An edited seed.
    let victim = run_file(&s1, 0);
    let original = fs::read(&victim).unwrap_or_default();
    let text = String::from_utf8_lossy(&original).into_owned();
    let seed = text
        .split("\"seed\":")
        .nth(1)
        .and_then(|t| t.split(',').next())
        .unwrap_or_default()
        .to_string();
    edit(&victim, &format!("\"seed\":{seed}"), "\"seed\":12345");
    let e = refused(&[
        "-q",
        "merge",
        s(&s1),
        s(&s2),
        "--out",
        s(&out),
        "--no-plots",
    ]);
    assert!(
        e.contains(s(&victim)) && e.contains("checksum"),
        "names the shard's file: {e}"
    );
    assert!(!out.exists(), "no half-made --out");
    let left: Vec<_> = fs::read_dir(d.path())
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".m"))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
    fs::write(&victim, &original).unwrap_or_else(|e| panic!("{e}"));
    // Another sweep's run file, copied in under the same number.
    let other_file = sweep_file(d.path(), "u", 5, 2);
    let other = d.path().join("other");
    sweep(&other_file, &other, &["--shard", "1/2"]);
    fs::copy(run_file(&other, 2), run_file(&s1, 2)).unwrap_or_else(|e| panic!("{e}"));
    let e = refused(&[
        "-q",
        "merge",
        s(&s1),
        s(&s2),
        "--out",
        s(&out),
        "--no-plots",
    ]);
    assert!(
        e.contains(s(&run_file(&s1, 2))) && e.contains("another study"),
        "{e}"
    );
    assert!(!out.exists());
}

#[test]
fn a_merge_that_succeeds_gives_an_ordinary_sweep_directory() {
    let d = tmp();
    let file = sweep_file(d.path(), "t", 6, 2);
    let (s1, s2, whole) = (d.path().join("s1"), d.path().join("s2"), d.path().join("w"));
    sweep(&file, &s1, &["--shard", "1/2"]);
    sweep(&file, &s2, &["--shard", "2/2"]);
    sweep(&file, &whole, &[]);
    let out = d.path().join("m");
    let args = [
        "-q",
        "merge",
        s(&s1),
        s(&s2),
        "--out",
        s(&out),
        "--no-plots",
    ];
    let args: Vec<&std::ffi::OsStr> = args.iter().map(std::ffi::OsStr::new).collect();
    let (code, err) = run(&args);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        fs::read(out.join("runs.csv")).ok(),
        fs::read(whole.join("runs.csv")).ok()
    );
    sweep(&file, &out, &["--resume"]);
}

// ---- 4. one validation for every way a value enters ----

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    fs::write(&p, text).unwrap_or_else(|e| panic!("{e}"));
    p
}

const ONE_ZONE: &str = "name = \"z\"\nweeks = 20\nwarmup_weeks = 0\n\n[[zones]]\nname = \"z\"\npopulation = 2000\nrurality = \"rural\"\ndeprivation = 0.1\nx_km = 0.0\ny_km = 0.0\n";

fn set_parameter(name: &str, week: u32, path: &str, value: &str) -> String {
    format!("\n[[interventions]]\nname = \"{name}\"\nweek = {week}\naction = \"set_parameter\"\npath = \"{path}\"\nvalue = {value}\n")
}

#[test]
fn set_parameter_cannot_break_the_rule_that_coordination_shares_add_up_to_1() {
    let d = tmp();
    let text = format!(
        "{ONE_ZONE}{}",
        set_parameter("more", 3, "coordination.meeting_share", "1.0")
    );
    let f = write(d.path(), "s.toml", &text);
    let e = refused(&["check", s(&f)]);
    assert!(
        e.contains("interventions.more") && e.contains("add up to") && e.contains("s.toml:1"),
        "{e}"
    );
    // Shares changed together in one week are accepted: here two of them swapped.
    let defaults = pluri::Scenario::default_scenario()
        .and_then(|d| d.to_toml_value())
        .unwrap_or_else(|e| panic!("{e}"));
    let share = |name: &str| {
        defaults["coordination"][name]
            .as_float()
            .unwrap_or_else(|| panic!("coordination.{name}"))
    };
    let (m, k) = (share("meeting_share"), share("case_share"));
    assert!(m != k);
    let text = format!(
        "{ONE_ZONE}{}{}",
        set_parameter("m", 3, "coordination.meeting_share", &k.to_string()),
        set_parameter("c", 3, "coordination.case_share", &m.to_string())
    );
    let f = write(d.path(), "ok.toml", &text);
    pluri().args(["check", s(&f)]).assert().success();
}

#[test]
fn the_memory_estimate_counts_professionals_that_interventions_add() {
    let zones = 7_000;
    let mut text = String::from("name = \"adds\"\nweeks = 20\nwarmup_weeks = 0\n");
    for z in 0..zones {
        text += &format!(
            "\n[[zones]]\nname = \"z{z}\"\npopulation = 100\nrurality = \"rural\"\ndeprivation = 0.1\nx_km = {z}\ny_km = 0.0\n"
        );
    }
    for z in 0..zones {
        text += &format!(
            "\n[[interventions]]\nname = \"add{z}\"\nweek = 1\naction = \"add_professionals\"\nprofession = \"nurse\"\ncount = 10000\nzone = \"z{z}\"\n"
        );
    }
    let s = pluri::Scenario::from_toml_str(&text, "adds.toml").unwrap_or_else(|e| panic!("{e}"));
    let bytes = s.estimated_memory_bytes();
    assert!(
        bytes >= 7_000 * 10_000 * 1024,
        "{bytes} bytes for 70 million added professionals"
    );
}

#[test]
fn a_sweep_over_the_seed_is_refused_pointing_to_the_sweeps_seed() {
    let d = tmp();
    let text = format!(
        "name = \"s\"\nbase = \"{}\"\nseed = 1\nreplicates = 1\n\n[design]\nkind = \"grid\"\n\n[[param]]\npath = \"seed\"\nvalues = [1, 2]\n",
        small().display()
    );
    let f = write(d.path(), "s.toml", &text);
    let e = refused(&["-q", "sweep", s(&f), "--out", s(&d.path().join("o"))]);
    assert!(
        e.contains(":10:") && e.contains("`seed` cannot be set by a sweep"),
        "{e}"
    );
    assert!(!d.path().join("o").exists());
}

fn calibration(dir: &Path, observed_row: &str, samples: u64) -> PathBuf {
    let obs = write(
        dir,
        "obs.csv",
        &format!("indicator,date,value,low,high,kind,unit,publisher,document,published,note\n{observed_row}\n"),
    );
    write(
        dir,
        "cal.toml",
        &format!(
            "name = \"c\"\nscenario = \"{}\"\nstart_date = \"2000-01-01\"\nsamples = {samples}\nobserved = [\"{}\"]\n\n[[param]]\npath = \"ties.decay_per_week\"\nrange = [0.002, 0.01]\n\n[[indicator]]\nobserved = \"msps\"\nsimulated = \"msps\"\n",
            small().display(),
            obs.display()
        ),
    )
}

#[test]
fn calibrate_refuses_absurd_observed_values_naming_the_table_line() {
    let d = tmp();
    for value in ["1e308", "0", "1e-320", "-3"] {
        let cal = calibration(
            d.path(),
            &format!("msps,2000-06-01,{value},,,observed,MSPs,P,D,2000,"),
            4,
        );
        let e = refused(&["-q", "calibrate", s(&cal), "--out", s(&d.path().join("o"))]);
        assert!(e.contains("obs.csv:2: `value`"), "{value}: {e}");
        assert!(!d.path().join("o").exists());
    }
}

#[test]
fn calibrate_refuses_a_hundred_million_samples_before_allocating() {
    let d = tmp();
    let cal = calibration(
        d.path(),
        "msps,2000-06-01,3,,,observed,MSPs,P,D,2000,",
        100_000_000,
    );
    let t = std::time::Instant::now();
    let e = refused(&["-q", "calibrate", s(&cal), "--out", s(&d.path().join("o"))]);
    assert!(
        e.contains("`samples`") && e.contains("at most 1000000"),
        "{e}"
    );
    assert!(t.elapsed().as_secs() < 30, "{:?}", t.elapsed());
}

// ---- 5. unbounded input ----

#[test]
fn a_device_is_refused_at_once_instead_of_read_forever() {
    if !Path::new("/dev/urandom").exists() {
        eprintln!("no /dev/urandom: skipped");
        return;
    }
    let t = std::time::Instant::now();
    for cmd in [
        ["run", "/dev/urandom"],
        ["check", "/dev/urandom"],
        ["sweep", "/dev/urandom"],
    ] {
        let e = refused(&cmd);
        assert!(
            e.contains("/dev/urandom") && e.contains("not a file"),
            "{e}"
        );
    }
    assert!(t.elapsed().as_secs() < 30);
}

#[test]
fn a_hundred_thousand_threads_are_refused_at_once() {
    let e = refused(&["--threads", "100000", "check", SMALL]);
    assert!(
        e.contains("--threads 100000") && e.contains("at most"),
        "{e}"
    );
}

#[test]
fn a_huge_file_and_a_huge_unterminated_string_give_short_errors() {
    let d = tmp();
    let big = d.path().join("big.toml");
    let f = fs::File::create(&big).unwrap_or_else(|e| panic!("{e}"));
    f.set_len(50 << 20).unwrap_or_else(|e| panic!("{e}"));
    let e = refused(&["check", s(&big)]);
    assert!(e.contains("16 MiB") && e.len() < 1_000, "{}", e.len());
    let text = format!("name = \"x\"\ndescription = \"{}\n", "a".repeat(10 << 20));
    let f = write(d.path(), "string.toml", &text);
    let e = refused(&["check", s(&f)]);
    assert!(e.len() < 2_000, "an error of {} bytes", e.len());
    assert!(e.contains("string.toml"), "{e}");
}

// ---- 6. errors name the line and the field ----

#[test]
fn errors_on_name_weeks_and_densities_give_the_line_and_the_field_set() {
    let d = tmp();
    let text = "# a scenario\n\nseed = 3\nweeks = 0\nname = \"bad name\"\n";
    let f = write(d.path(), "n.toml", text);
    let e = refused(&["check", s(&f)]);
    assert!(e.contains("n.toml:5: `name`"), "{e}");
    let text = "# a scenario\nname = \"ok\"\n\nweeks = 0\n";
    let f = write(d.path(), "w.toml", text);
    let e = refused(&["check", s(&f)]);
    assert!(e.contains("w.toml:4: `weeks`"), "{e}");
    let text = format!("{ONE_ZONE}\n[workforce]\nrural_gp_factor = 1e300\n");
    let f = write(d.path(), "g.toml", &text);
    let e = refused(&["check", s(&f)]);
    assert!(
        e.contains("g.toml:14: `workforce.rural_gp_factor`"),
        "names the field that was set: {e}"
    );
    assert!(!e.contains("0000000000"), "no 300-digit number: {e}");
    let text = format!("{ONE_ZONE}\n[workforce]\nnurses_per_100k = 1e12\n");
    let f = write(d.path(), "p.toml", &text);
    let e = refused(&["check", s(&f)]);
    assert!(e.contains("p.toml:14: `workforce.nurses_per_100k`"), "{e}");
}

#[test]
fn plot_refuses_a_weekly_csv_that_lost_its_residents_column() {
    let d = tmp();
    let out = d.path().join("r");
    let args = [
        "-q",
        "run",
        SMALL,
        "--weeks",
        "4",
        "--no-plots",
        "--out",
        s(&out),
    ];
    let args: Vec<&std::ffi::OsStr> = args.iter().map(std::ffi::OsStr::new).collect();
    assert_eq!(run(&args).0, Some(0));
    let path = out.join("weekly.csv");
    let text = fs::read_to_string(&path).unwrap_or_default();
    let cut: String = text
        .lines()
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            let mut kept = vec![cells[0]];
            kept.extend_from_slice(&cells[2..]);
            kept.join(",") + "\n"
        })
        .collect();
    assert!(text.starts_with("week,residents,"));
    fs::write(&path, cut).unwrap_or_else(|e| panic!("{e}"));
    let e = refused(&["plot", s(&out), "--out", s(&d.path().join("fig"))]);
    assert!(e.contains("weekly.csv") && e.contains("`residents`"), "{e}");
}
