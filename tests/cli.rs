//! The `pluri` command as a user meets it: results on disk, overrides, errors with places.

mod common;

use common::{pluri, small_file, tmp};
use std::fs;
use std::path::Path;

fn stderr_of(args: &[&str]) -> String {
    let out = pluri().args(args).output().expect("runs");
    assert!(!out.status.success(), "expected failure for {args:?}");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    fs::write(&p, text).expect("write");
    p.display().to_string()
}

#[test]
fn run_writes_a_complete_result_directory_and_says_where() {
    let tmp = tmp();
    let out = tmp.path().join("r");
    let o = pluri()
        .args(["run", &small_file(), "--weeks", "20", "--out"])
        .arg(&out)
        .output()
        .expect("runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("results:") && stdout.contains("tie strength"),
        "{stdout}"
    );
    for f in pluri::results::RUN_FILES.iter().chain(&["timings.json"]) {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    let weekly = fs::read_to_string(out.join("weekly.csv")).expect("weekly");
    assert_eq!(weekly.lines().count(), 21, "header and 20 weeks");
    let summary: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("summary.json")).expect("summary"))
            .expect("json");
    assert_eq!(summary["scenario"], "small");
    assert!(summary["headline"]["mean_tie_strength_end"].is_number());
    assert!(
        summary.get("simulate_seconds").is_none(),
        "timings stay out of the summary"
    );
}

#[test]
fn an_existing_result_is_not_overwritten_without_force() {
    let tmp = tmp();
    let out = tmp.path().join("r").display().to_string();
    pluri()
        .args(["run", &small_file(), "--weeks", "5", "-q", "--out", &out])
        .assert()
        .success();
    let e = stderr_of(&["run", &small_file(), "--weeks", "5", "-q", "--out", &out]);
    assert!(e.contains("already exists") && e.contains("--force"), "{e}");
    pluri()
        .args([
            "run",
            &small_file(),
            "--weeks",
            "5",
            "-q",
            "--force",
            "--out",
            &out,
        ])
        .assert()
        .success();
}

#[test]
fn the_saved_scenario_reruns_to_identical_results() {
    let tmp = tmp();
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    pluri()
        .args([
            "run",
            &small_file(),
            "--weeks",
            "12",
            "--seed",
            "5",
            "--set",
            "structures.msp_b.coordinator_fte=0.4",
            "-q",
            "--out",
        ])
        .arg(&a)
        .assert()
        .success();
    let saved = a.join("scenario.toml").display().to_string();
    pluri()
        .args(["run", &saved, "-q", "--out"])
        .arg(&b)
        .assert()
        .success();
    for f in pluri::results::RUN_FILES {
        assert_eq!(
            fs::read(a.join(f)).expect("a"),
            fs::read(b.join(f)).expect("b"),
            "{f}"
        );
    }
}

#[test]
fn show_prints_a_scenario_that_check_accepts() {
    let o = pluri().arg("show").output().expect("runs");
    assert!(o.status.success());
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        text.contains("# GPs per 100,000 residents") && text.contains("gps_per_100k = 149"),
        "commented defaults"
    );
    let tmp = tmp();
    let f = write(tmp.path(), "shown.toml", &text);
    pluri().args(["check", &f]).assert().success();
}

#[test]
fn unknown_field_names_file_line_and_field() {
    let tmp = tmp();
    let f = write(
        tmp.path(),
        "bad.toml",
        "name = \"x\"\n\n[population]\neldrly_share = 0.2\n",
    );
    let e = stderr_of(&["check", &f]);
    assert!(
        e.contains("bad.toml")
            && e.contains("line 4")
            && e.contains("eldrly_share")
            && e.contains("elderly_share"),
        "{e}"
    );
}

#[test]
fn share_out_of_range_names_the_line_and_the_allowed_range() {
    let tmp = tmp();
    let f = write(
        tmp.path(),
        "bad.toml",
        "name = \"x\"\n[population]\nelderly_share = 1.4\n",
    );
    let e = stderr_of(&["check", &f]);
    assert!(e.contains("line 3") && e.contains("between 0 and 1"), "{e}");
}

#[test]
fn wrong_type_and_negative_count_are_refused() {
    let tmp = tmp();
    let f = write(tmp.path(), "t.toml", "name = \"x\"\nweeks = \"ten\"\n");
    assert!(stderr_of(&["check", &f]).contains("line 2"));
    let f = write(tmp.path(), "n.toml", "name = \"x\"\n[[zones]]\nname = \"a\"\npopulation = -5\nrurality = \"rural\"\nx_km = 0\ny_km = 0\n");
    assert!(stderr_of(&["check", &f]).contains("line 4"));
}

#[test]
fn reference_to_a_missing_zone_names_the_structure_line_and_lists_zones() {
    let tmp = tmp();
    let text = "name = \"x\"\n[[zones]]\nname = \"a\"\npopulation = 100\nrurality = \"rural\"\nx_km = 0\ny_km = 0\n\n[[structures]]\nname = \"m\"\nkind = \"msp\"\nzone = \"nowhere\"\ngps = 2\n";
    let f = write(tmp.path(), "z.toml", text);
    let e = stderr_of(&["check", &f]);
    assert!(
        e.contains("z.toml:12")
            && e.contains("structures.m.zone")
            && e.contains("no zone named \"nowhere\"")
            && e.contains("zones are: a"),
        "{e}"
    );
}

#[test]
fn duplicate_names_and_late_interventions_are_refused_with_lines() {
    let tmp = tmp();
    let zone =
        "[[zones]]\nname = \"a\"\npopulation = 100\nrurality = \"rural\"\nx_km = 0\ny_km = 0\n";
    let f = write(tmp.path(), "d.toml", &format!("name = \"x\"\n{zone}{zone}"));
    let e = stderr_of(&["check", &f]);
    assert!(e.contains("d.toml:8") && e.contains("defined twice"), "{e}");
    let late = format!("name = \"x\"\nweeks = 10\n{zone}[[interventions]]\nname = \"t\"\nweek = 10\naction = \"train_coordinators\"\ntarget_kind = \"msp\"\n");
    let f = write(tmp.path(), "l.toml", &late);
    let e = stderr_of(&["check", &f]);
    assert!(
        e.contains("l.toml:11") && e.contains("interventions.t.week") && e.contains("use 0 to 9"),
        "{e}"
    );
}

#[test]
fn bad_set_paths_and_values_are_errors_before_any_output() {
    let tmp = tmp();
    let out = tmp.path().join("never");
    let out_s = out.display().to_string();
    let e = stderr_of(&[
        "run",
        &small_file(),
        "--set",
        "structures.msp_z.gps=3",
        "--out",
        &out_s,
    ]);
    assert!(
        e.contains("no entry named `msp_z`") && e.contains("msp_a"),
        "{e}"
    );
    let e = stderr_of(&[
        "run",
        &small_file(),
        "--set",
        "workforce.gps_per_100k=lots",
        "--out",
        &out_s,
    ]);
    assert!(e.contains("takes a number"), "{e}");
    let e = stderr_of(&[
        "run",
        &small_file(),
        "--set",
        "population.nope=1",
        "--out",
        &out_s,
    ]);
    assert!(e.contains("no field `nope`"), "{e}");
    assert!(!out.exists(), "nothing written on bad input");
}

#[test]
fn help_explains_every_command_with_an_example() {
    for cmd in ["run", "check", "show"] {
        let o = pluri().args([cmd, "--help"]).output().expect("runs");
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(
            text.contains("pluri ") && text.contains("Example"),
            "{cmd}: {text}"
        );
    }
}

#[test]
fn result_files_are_byte_identical_with_rayon_num_threads_1_2_and_8() {
    let tmp = tmp();
    let run = |n: &str| {
        let out = tmp.path().join(format!("t{n}"));
        pluri()
            .env("RAYON_NUM_THREADS", n)
            .args(["run", &small_file(), "--weeks", "30", "-q", "--out"])
            .arg(&out)
            .assert()
            .success();
        out
    };
    let one = run("1");
    for n in ["2", "8"] {
        let other = run(n);
        for f in pluri::results::RUN_FILES {
            assert_eq!(
                fs::read(one.join(f)).expect("1"),
                fs::read(other.join(f)).expect("n"),
                "{f} differs at {n} threads"
            );
        }
        let timings: serde_json::Value =
            serde_json::from_slice(&fs::read(other.join("timings.json")).expect("t"))
                .expect("json");
        assert_eq!(
            timings["threads"].as_u64(),
            n.parse().ok(),
            "the run used the threads asked for"
        );
    }
}

#[test]
fn run_draws_the_standard_figures_unless_told_not_to_and_plot_compares_runs() {
    let tmp = tmp();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    pluri()
        .args(["run", &small_file(), "--weeks", "12", "-q", "--out"])
        .arg(&a)
        .assert()
        .success();
    pluri()
        .args([
            "run",
            &small_file(),
            "--weeks",
            "12",
            "-q",
            "--no-plots",
            "--seed",
            "3",
            "--out",
        ])
        .arg(&b)
        .assert()
        .success();
    for f in [
        "cooperation.png",
        "access.png",
        "workload.png",
        "structures.png",
        "delegation.png",
        "territory.png",
    ] {
        assert!(a.join(f).is_file(), "{f} missing");
        assert!(!b.join(f).exists(), "--no-plots drew {f}");
    }
    let cmp = tmp.path().join("cmp");
    pluri()
        .args(["plot"])
        .arg(&a)
        .arg(&b)
        .args(["--format", "svg", "--out"])
        .arg(&cmp)
        .assert()
        .success();
    assert!(cmp.join("cooperation.svg").is_file());
    let e = stderr_of(&[
        "plot",
        &tmp.path().join("nothing-here").display().to_string(),
    ]);
    assert!(e.contains("nothing-here"), "{e}");
}

#[test]
fn bench_measures_each_size_in_its_own_process_and_writes_a_csv() {
    let tmp = tmp();
    let csv_path = tmp.path().join("b.csv");
    let o = pluri()
        .args([
            "bench",
            "--scenario",
            &small_file(),
            "--sizes",
            "3000,6000",
            "--weeks",
            "4",
            "--reference-mib",
            "8",
            "--kernel-residents",
            "20000",
            "--out",
        ])
        .arg(&csv_path)
        .output()
        .expect("runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = fs::read_to_string(&csv_path).expect("csv");
    let mut lines = text.lines();
    let header = lines.next().expect("header");
    for col in [
        "residents",
        "wall_seconds",
        "patient_weeks_per_second",
        "episodes_per_second",
        "peak_memory_mib",
        "threads",
        "random_read_ns",
        "fraction_of_streaming_limit",
        "kernel_patient_weeks_per_s",
        "fraction_of_kernel",
        "cpu",
    ] {
        assert!(
            header.split(',').any(|c| c == col),
            "{col} missing from {header}"
        );
    }
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 2);
    assert!(
        rows[0].starts_with("3000,") && rows[1].starts_with("6000,"),
        "{rows:?}"
    );
    // The share of the kernel is pluri's throughput per thread over the kernel's on one core.
    let cols: Vec<&str> = header.split(',').collect();
    for row in &rows {
        let field = |name: &str| -> f64 {
            let i = cols.iter().position(|c| *c == name).expect("column");
            row.split(',')
                .nth(i)
                .expect("field")
                .parse()
                .expect("number")
        };
        let kernel = field("kernel_patient_weeks_per_s");
        assert!(kernel > 0.0, "{row}");
        let expected = field("patient_weeks_per_second") / (kernel * field("threads"));
        let share = field("fraction_of_kernel");
        assert!((share - expected).abs() <= 1e-9 * expected, "{row}");
    }
    // The scaling figure, beside the CSV under its name, with a point per size.
    let svg = fs::read_to_string(tmp.path().join("b.svg")).expect("scaling figure (svg)");
    for caption in ["Wall time", "Peak memory", "Throughput"] {
        assert!(svg.contains(caption), "{caption} missing from the figure");
    }
    assert_eq!(
        svg.matches("<circle").count(),
        3 * 2,
        "a dot per size and panel"
    );
    assert!(tmp.path().join("b.png").is_file());
}

#[test]
fn bench_refuses_a_kernel_size_out_of_range_before_measuring_anything() {
    let tmp = tmp();
    for n in ["0", "1000000000000"] {
        let o = pluri()
            .args(["bench", "--sizes", "3000", "--kernel-residents", n, "--out"])
            .arg(tmp.path().join("b.csv"))
            .output()
            .expect("runs");
        assert!(!o.status.success());
        let e = String::from_utf8_lossy(&o.stderr);
        assert!(
            e.contains("--kernel-residents") && e.contains("1..=100000000"),
            "{e}"
        );
        assert!(!tmp.path().join("b.csv").exists());
    }
}

#[test]
fn bench_without_plots_writes_only_its_csv() {
    let tmp = tmp();
    let o = pluri()
        .args([
            "bench",
            "--scenario",
            &small_file(),
            "--sizes",
            "3000",
            "--weeks",
            "2",
        ])
        .args(["--reference-mib", "8", "--kernel-residents", "20000"])
        .args(["--no-plots", "--out"])
        .arg(tmp.path().join("b.csv"))
        .output()
        .expect("runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let names: Vec<_> = fs::read_dir(tmp.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names, ["b.csv"]);
}

#[test]
fn coordinator_fields_on_a_referral_service_are_refused_as_unread() {
    let tmp = tmp();
    let text = "name = \"x\"\n[[zones]]\nname = \"a\"\npopulation = 100\nrurality = \"rural\"\nx_km = 0\ny_km = 0\n\n[[structures]]\nname = \"d\"\nkind = \"dac\"\nzone = \"a\"\ncapacity_per_week = 5\ncoordinator_fte = 2.0\n";
    let f = write(tmp.path(), "dac.toml", text);
    let e = stderr_of(&["check", &f]);
    assert!(
        e.contains("dac.toml:9")
            && e.contains("capacity_per_week")
            && e.contains("remove coordinator_fte"),
        "{e}"
    );
    let iv = "name = \"x\"\nweeks = 5\n[[zones]]\nname = \"a\"\npopulation = 100\nrurality = \"rural\"\nx_km = 0\ny_km = 0\n[[interventions]]\nname = \"f\"\nweek = 1\naction = \"fund_coordinator\"\ntarget_kind = \"hospital\"\nfte = 1.0\n";
    let f = write(tmp.path(), "iv.toml", iv);
    assert!(stderr_of(&["check", &f]).contains("acts on practices"));
}
