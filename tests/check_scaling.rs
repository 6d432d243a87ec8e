//! `scripts/check-scaling.sh`: a scaled territory against one a few times larger, on a tiny
//! region (the real check, France at full size, takes minutes: see docs/CALIBRATION.md).

mod common;

use common::tmp;
use std::process::Command;

const REGION: &str = r#"name = "tiny-regions"
seed = 5
weeks = 104
warmup_weeks = 0
[[regions]]
name = "land"
zones = 4
population = 12000
urban_share = 0.25
periurban_share = 0.25
radius_km = 20.0
msps = 1
hospitals = 1
social_services = 1
"#;

#[test]
fn the_scaling_check_runs_both_sizes_and_tabulates_each_year() {
    let tmp = tmp();
    let scenario = tmp.path().join("tiny.toml");
    std::fs::write(&scenario, REGION).expect("scenario");
    let out = tmp.path().join("check");
    let o = Command::new("bash")
        .arg(common::root().join("scripts/check-scaling.sh"))
        .args(["--factor", "3", "--replicates", "3", "--scenario"])
        .arg(&scenario)
        .arg("--out")
        .arg(&out)
        .args(["--set", "structural.msp_join_rate_per_year=0.05"])
        .env("PLURI_BIN", assert_cmd::cargo::cargo_bin("pluri"))
        .output()
        .expect("runs the script");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr),
    );
    assert!(o.status.success(), "{stdout}\n{stderr}");
    // The larger territory really is three times larger, every count scaled.
    assert!(
        stderr.contains("regions.land.zones=12")
            && stderr.contains("regions.land.population=36000"),
        "{stderr}"
    );
    let large = std::fs::read_to_string(out.join("large/rep-0/scenario.toml")).expect("large run");
    assert!(
        large.contains("zones = 12") && large.contains("msps = 3"),
        "three times the zones and MSPs: {large}"
    );
    let scaled = std::fs::read_to_string(out.join("scaled/rep-2/scenario.toml")).expect("scaled");
    assert!(
        scaled.contains("msp_join_rate_per_year = 0.05"),
        "--set reaches every run"
    );
    // Two years, three indicators; every row has its statistics.
    let table = std::fs::read_to_string(out.join("scaling.csv")).expect("table");
    let rows: Vec<Vec<&str>> = table
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    assert_eq!(rows.len(), 2 * 3, "{table}");
    for r in &rows {
        assert_eq!(r[4], "3", "three scaled runs: {r:?}");
        assert_eq!(r[6], "1", "one larger run: {r:?}");
        assert!(r[7].parse::<f64>().is_ok(), "a z score: {r:?}");
    }
    assert!(stdout.contains("6 comparisons: largest |z|"), "{stdout}");
}

#[test]
fn the_scaling_check_refuses_a_scenario_without_regions() {
    let tmp = tmp();
    let o = Command::new("bash")
        .arg(common::root().join("scripts/check-scaling.sh"))
        .args(["--factor", "2", "--replicates", "2", "--scenario"])
        .arg(common::small_file())
        .arg("--out")
        .arg(tmp.path().join("c"))
        .env("PLURI_BIN", assert_cmd::cargo::cargo_bin("pluri"))
        .output()
        .expect("runs the script");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("has no [[regions]] to scale"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
