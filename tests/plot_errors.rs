//! A missing or malformed run directory gives an error naming the file and what to do.

mod common;
mod plot_fixture;

use common::tmp;
use pluri::plot::{plot_run_dir, plot_runs, Format, PlotError};
use std::path::PathBuf;

fn good_run(root: &std::path::Path) -> PathBuf {
    plot_fixture::write_run(&root.join("run"), "baseline", &plot_fixture::small(20, 0.0))
}

#[test]
fn a_directory_that_does_not_exist_is_named() {
    let root = tmp();
    let missing = root.path().join("nowhere");
    let err = plot_run_dir(&missing, Format::Png).expect_err("no directory");
    assert!(matches!(err, PlotError::NoDirectory(_)), "{err:?}");
    let message = err.to_string();
    assert!(message.contains("nowhere"), "{message}");
    assert!(message.contains("pluri run"), "{message}");
}

#[test]
fn a_directory_without_weekly_csv_is_not_a_run_directory() {
    let root = tmp();
    let dir = good_run(root.path());
    std::fs::remove_file(dir.join("weekly.csv")).expect("remove");
    let message = plot_run_dir(&dir, Format::Png)
        .expect_err("missing")
        .to_string();
    assert!(message.contains("weekly.csv: missing"), "{message}");
    assert!(
        message.contains("is this a pluri run directory? (run `pluri run` first)"),
        "{message}"
    );
    assert!(
        !dir.join("cooperation.png").exists(),
        "nothing is drawn from a broken run"
    );
}

#[test]
fn an_empty_directory_names_the_first_file_it_lacks() {
    let root = tmp();
    let message = plot_run_dir(root.path(), Format::Png)
        .expect_err("empty")
        .to_string();
    assert!(message.contains("summary.json: missing"), "{message}");
}

#[test]
fn a_malformed_weekly_csv_names_the_file_and_line() {
    let root = tmp();
    let dir = good_run(root.path());
    let path = dir.join("weekly.csv");
    let text = std::fs::read_to_string(&path).expect("read");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let col = header
        .iter()
        .position(|h| *h == "waiting")
        .expect("waiting column");
    let mut fields: Vec<String> = lines[4].split(',').map(str::to_string).collect();
    fields[col] = "lots".to_string();
    lines[4] = fields.join(",");
    std::fs::write(&path, lines.join("\n") + "\n").expect("write");
    let message = plot_run_dir(&dir, Format::Png)
        .expect_err("malformed")
        .to_string();
    assert!(
        message.contains("weekly.csv, line 5: malformed"),
        "{message}"
    );
    assert!(message.contains("`waiting` is `lots`"), "{message}");
}

#[test]
fn a_weekly_csv_lacking_a_column_names_it() {
    let root = tmp();
    let dir = good_run(root.path());
    let path = dir.join("weekly.csv");
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, text.replacen("tie_density", "tie_dens", 1)).expect("write");
    let message = plot_run_dir(&dir, Format::Png)
        .expect_err("malformed")
        .to_string();
    assert!(message.contains("weekly.csv, line 1"), "{message}");
    assert!(message.contains("no `tie_density` column"), "{message}");
}

#[test]
fn a_malformed_zones_csv_names_the_file_and_line() {
    let root = tmp();
    let dir = good_run(root.path());
    let path = dir.join("zones.csv");
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, text.replacen(",0.0,0.0,", ",east,0.0,", 1)).expect("write");
    let message = plot_run_dir(&dir, Format::Png)
        .expect_err("malformed")
        .to_string();
    assert!(
        message.contains("zones.csv, line 2: malformed"),
        "{message}"
    );
}

#[test]
fn a_summary_without_scenario_name_is_malformed() {
    let root = tmp();
    let dir = good_run(root.path());
    std::fs::write(dir.join("summary.json"), "{\"seed\": 1}").expect("write");
    let message = plot_run_dir(&dir, Format::Png)
        .expect_err("malformed")
        .to_string();
    assert!(message.contains("summary.json: malformed"), "{message}");
    assert!(message.contains("scenario"), "{message}");
}

#[test]
fn a_run_without_weeks_has_nothing_to_plot() {
    let root = tmp();
    let dir = good_run(root.path());
    std::fs::write(dir.join("weekly.csv"), "").expect("write");
    let message = plot_run_dir(&dir, Format::Png)
        .expect_err("empty")
        .to_string();
    assert!(message.contains("weekly.csv: no rows"), "{message}");
}

#[test]
fn no_directory_at_all_is_an_error() {
    let root = tmp();
    let err = plot_runs(&[], root.path(), Format::Png).expect_err("no runs");
    assert!(matches!(err, PlotError::NoRuns));
}

#[test]
fn one_bad_run_among_several_is_named() {
    let root = tmp();
    let good = good_run(root.path());
    let bad = root.path().join("typo");
    let message = plot_runs(&[good, bad], &root.path().join("out"), Format::Png)
        .expect_err("bad run")
        .to_string();
    assert!(message.contains("typo"), "{message}");
}
