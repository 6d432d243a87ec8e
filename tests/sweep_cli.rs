//! The `pluri sweep` and `pluri merge` commands as separate processes: shards, resume,
//! thread counts and bad input (kills: `interrupt.rs`).

mod common;

use common::{pluri, small_file, tmp};
use std::fs;
use std::path::{Path, PathBuf};

/// A sweep of `4 x reps` short runs of the small scenario, written into `dir`.
fn sweep_file(dir: &Path, seed: u64, reps: u32) -> PathBuf {
    let text = format!(
        r#"name = "t"
base = "{}"
seed = {seed}
replicates = {reps}
set = ["weeks=20", "warmup_weeks=2"]

[design]
kind = "grid"

[[param]]
path = "structures.msp_a.coordinator_fte"
values = [0.0, 1.5]

[[param]]
path = "coordination.training_multiplier"
values = [1, 2.5]
"#,
        small_file()
    );
    let path = dir.join("sweep.toml");
    fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    path
}

fn sweep(file: &Path, out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    pluri()
        .arg("--quiet")
        .arg("sweep")
        .arg(file)
        .arg("--out")
        .arg(out)
        .args(extra)
        .assert()
}

fn tables(dir: &Path) -> (Vec<u8>, Vec<u8>) {
    let read = |n: &str| {
        fs::read(dir.join(n)).unwrap_or_else(|e| panic!("{}: {e}", dir.join(n).display()))
    };
    (read("runs.csv"), read("points.csv"))
}

#[test]
fn shards_run_as_separate_processes_merge_into_the_tables_of_one_sweep() {
    let d = tmp();
    let file = sweep_file(d.path(), 11, 2);
    sweep(&file, &d.path().join("whole"), &[]).success();
    let mut shards = Vec::new();
    for k in 1..=3 {
        let out = d.path().join(format!("s{k}"));
        sweep(&file, &out, &["--shard", &format!("{k}/3")]).success();
        assert!(
            !out.join("runs.csv").exists(),
            "a shard writes no partial table"
        );
        shards.push(out);
    }
    let merged = d.path().join("merged");
    pluri()
        .arg("merge")
        .args(&shards)
        .arg("--out")
        .arg(&merged)
        .assert()
        .success();
    assert_eq!(tables(&merged), tables(&d.path().join("whole")));
}

#[test]
fn merge_refuses_missing_duplicated_or_foreign_shards() {
    let d = tmp();
    let file = sweep_file(d.path(), 11, 2);
    for k in 1..=2 {
        sweep(
            &file,
            &d.path().join(format!("s{k}")),
            &["--shard", &format!("{k}/2")],
        )
        .success();
    }
    let (s1, s2) = (d.path().join("s1"), d.path().join("s2"));
    let out = d.path().join("m");
    let stderr = |a: assert_cmd::assert::Assert| {
        String::from_utf8_lossy(&a.failure().get_output().stderr).into_owned()
    };
    let e = stderr(
        pluri()
            .arg("merge")
            .arg(&s1)
            .arg("--out")
            .arg(&out)
            .assert(),
    );
    assert!(e.contains("lack 4 of 8 runs"), "{e}");
    let e = stderr(
        pluri()
            .arg("merge")
            .args([&s1, &s2, &s1])
            .arg("--out")
            .arg(&out)
            .assert(),
    );
    assert!(e.contains("holds run 0, which"), "{e}");
    let other = tmp();
    let file2 = sweep_file(other.path(), 12, 2);
    sweep(&file2, &other.path().join("s2"), &["--shard", "2/2"]).success();
    let e = stderr(
        pluri()
            .arg("merge")
            .arg(&s1)
            .arg(other.path().join("s2"))
            .arg("--out")
            .arg(&out)
            .assert(),
    );
    assert!(e.contains("another sweep"), "{e}");
    assert!(!out.exists(), "a refused merge writes nothing");
}

#[test]
fn resume_after_losing_runs_gives_byte_identical_tables() {
    let d = tmp();
    let file = sweep_file(d.path(), 5, 2);
    let out = d.path().join("o");
    sweep(&file, &out, &[]).success();
    let before = tables(&out);
    for run in [0, 3, 7] {
        fs::remove_file(out.join(format!("runs/{run:06}.json"))).unwrap_or_else(|e| panic!("{e}"));
    }
    fs::remove_file(out.join("runs.csv")).unwrap_or_else(|e| panic!("{e}"));
    sweep(&file, &out, &[]).failure();
    let ran = pluri()
        .args(["sweep", "--resume"])
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let err = String::from_utf8_lossy(&ran.get_output().stderr).into_owned();
    assert!(err.contains("5 already done, 3 to run"), "{err}");
    assert_eq!(tables(&out), before);
}

#[test]
fn tables_are_byte_identical_with_one_or_two_threads() {
    let d = tmp();
    let file = sweep_file(d.path(), 3, 2);
    let (one, two) = (d.path().join("one"), d.path().join("two"));
    pluri()
        .env("RAYON_NUM_THREADS", "1")
        .arg("--quiet")
        .arg("sweep")
        .arg(&file)
        .arg("--out")
        .arg(&one)
        .assert()
        .success();
    sweep(&file, &two, &["--threads", "2"]).success();
    assert_eq!(tables(&one), tables(&two));
    let points = String::from_utf8_lossy(&tables(&one).1).into_owned();
    assert_eq!(points.lines().count(), 5, "a header and 4 points");
    assert!(points
        .starts_with("point,structures.msp_a.coordinator_fte,coordination.training_multiplier,n,"));
}

#[test]
fn resume_refuses_a_sweep_whose_definition_changed() {
    let d = tmp();
    let file = sweep_file(d.path(), 3, 1);
    let out = d.path().join("o");
    sweep(&file, &out, &[]).success();
    let changed = fs::read_to_string(&file)
        .unwrap_or_default()
        .replace("values = [0.0, 1.5]", "values = [0.0, 1.0]");
    fs::write(&file, changed).unwrap_or_else(|e| panic!("{e}"));
    let a = sweep(&file, &out, &["--resume"]).failure();
    let e = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(e.contains("definition or its base scenario changed"), "{e}");
}

#[test]
fn complete_sweep_is_not_overwritten_without_force() {
    let d = tmp();
    let file = sweep_file(d.path(), 3, 1);
    let out = d.path().join("o");
    sweep(&file, &out, &[]).success();
    let a = sweep(&file, &out, &[]).failure();
    let e = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(e.contains("--force"), "{e}");
    sweep(&file, &out, &["--force"]).success();
}

fn bad(body: &str) -> String {
    let d = tmp();
    let file = d.path().join("bad.toml");
    let text = format!("name = \"bad\"\nbase = \"{}\"\n{body}", small_file());
    fs::write(&file, text).unwrap_or_else(|e| panic!("{e}"));
    let out = d.path().join("o");
    let a = pluri()
        .arg("sweep")
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .assert()
        .failure();
    assert!(
        !out.exists(),
        "nothing is written before the sweep is valid"
    );
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

#[test]
fn rejects_bad_sweep_files_before_any_run_naming_the_line() {
    let grid = "replicates = 1\n[design]\nkind = \"grid\"\n";
    let e = bad(&format!(
        "{grid}[[param]]\npath = \"population.eldrly_share\"\nvalues = [0.2]\n"
    ));
    assert!(
        e.contains("bad.toml:7") && e.contains("no field `eldrly_share`"),
        "{e}"
    );
    let e = bad(&format!(
        "{grid}[[param]]\npath = \"weeks\"\nvalues = [10, \"many\"]\n"
    ));
    assert!(
        e.contains("bad.toml:8") && e.contains("takes an integer"),
        "{e}"
    );
    let e = bad(&format!(
        "{grid}[[param]]\npath = \"population.elderly_share\"\nvalues = [0.2, 1.5]\n"
    ));
    assert!(e.contains("bad.toml:8"), "{e}");
    let lhs = "replicates = 1\n[design]\nkind = \"lhs\"\nsamples = 5\n";
    let e = bad(&format!(
        "{lhs}[[param]]\npath = \"structural.msp_incentive\"\nrange = [2.0, 1.0]\n"
    ));
    assert!(e.contains("bad.toml:9") && e.contains("swap them"), "{e}");
    let e = bad(&format!(
        "{lhs}[[param]]\npath = \"structural.msp_incentive\"\nrange = [1.0, 1.0]\n"
    ));
    assert!(
        e.contains("bad.toml:9") && e.contains("range is empty"),
        "{e}"
    );
    let e = bad("replicates = 0\n[design]\nkind = \"grid\"\n");
    assert!(e.contains("bad.toml:3") && e.contains("at least 1"), "{e}");
    let e = bad(&format!(
        "{grid}[[param]]\npath = \"weeks\"\nvalus = [10]\n"
    ));
    assert!(e.contains("line 8") && e.contains("valus"), "{e}");
}

#[test]
fn rejects_malformed_shards_before_any_run() {
    let d = tmp();
    let file = sweep_file(d.path(), 3, 1);
    for (shard, says) in [
        ("3/2", "between 1 and 2"),
        ("0/2", "numbered from 1"),
        ("a/b", "not a whole number"),
    ] {
        let out = d.path().join("o");
        let a = sweep(&file, &out, &["--shard", shard]).failure();
        let e = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
        assert!(e.contains(says), "{shard}: {e}");
        assert!(!out.exists());
    }
}

#[test]
fn jsonl_prints_one_line_per_finished_run() {
    let d = tmp();
    let file = sweep_file(d.path(), 3, 1);
    let a = sweep(&file, &d.path().join("o"), &["--jsonl"]).success();
    let out = String::from_utf8_lossy(&a.get_output().stdout).into_owned();
    let mut runs: Vec<u64> = out
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l)
                .ok()
                .and_then(|v| v["run"].as_u64())
                .unwrap_or(99)
        })
        .collect();
    runs.sort_unstable();
    assert_eq!(runs, vec![0, 1, 2, 3]);
}
