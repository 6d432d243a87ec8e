//! Every shipped scenario is valid, and each research setting shows its mechanism at work.

use pluri::{RunResults, Scenario};

fn load(name: &str) -> Scenario {
    let path = format!("{}/scenarios/{name}.toml", env!("CARGO_MANIFEST_DIR"));
    Scenario::from_file(std::path::Path::new(&path)).expect("valid scenario")
}

fn mean(
    r: &RunResults,
    weeks: std::ops::Range<usize>,
    f: fn(&pluri::results::WeeklyRecord) -> f64,
) -> f64 {
    let rows = &r.weekly[weeks];
    rows.iter().map(f).sum::<f64>() / rows.len() as f64
}

#[test]
fn every_scenario_file_is_valid() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).expect("scenarios/") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "toml") {
            Scenario::from_file(&path).unwrap_or_else(|e| panic!("{e}"));
            n += 1;
        }
    }
    assert!(n >= 6, "default, small and the four research settings");
}

#[test]
fn the_embedded_default_is_the_default_file() {
    let file = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/default.toml"
    ))
    .expect("file");
    assert_eq!(file, pluri::scenario::DEFAULT_TOML);
}

#[test]
fn platform_setting_gps_hand_the_new_platform_ad_hoc_tasks_and_keep_the_pathway() {
    let r = pluri::simulate(&load("pta"));
    assert!(r.weekly[..52]
        .iter()
        .all(|w| w.tasks_platform == 0 && w.platforms_open == 0));
    assert!(r.weekly[52..].iter().all(|w| w.platforms_open == 1));
    let ad_hoc: u64 = r.weekly.iter().map(|w| w.platform_ad_hoc).sum();
    let pathway: u64 = r.weekly.iter().map(|w| w.platform_pathway).sum();
    assert!(
        ad_hoc > 4 * pathway && pathway > 0,
        "{ad_hoc} ad hoc, {pathway} pathways"
    );
    let alone = |w: &pluri::results::WeeklyRecord| w.tasks_alone as f64 / w.tasks.max(1) as f64;
    assert!(
        mean(&r, 60..104, alone) < mean(&r, 0..52, alone),
        "the platform takes work GPs did alone"
    );
}

#[test]
fn coordinator_setting_second_wave_of_training_shows() {
    let r = pluri::simulate(&load("coordinators"));
    assert!(r.weekly[103].trained_coordinators < r.weekly[104].trained_coordinators);
    let legit = |w: &pluri::results::WeeklyRecord| w.mean_legitimacy;
    assert!(mean(&r, 200..260, legit) > mean(&r, 60..104, legit));
}

#[test]
fn msma_setting_friction_is_frequent_but_cooperation_stabilises() {
    let r = pluri::simulate(&load("msma"));
    let friction = |w: &pluri::results::WeeklyRecord| w.friction_per_100_delegations;
    let (early, late) = (mean(&r, 0..52, friction), mean(&r, 208..260, friction));
    assert!(
        early > 5.0,
        "resistance to control is common at first: {early}"
    );
    assert!(late < early, "negotiated order: {early} -> {late}");
    let share = |w: &pluri::results::WeeklyRecord| w.delegated_share;
    assert!(
        mean(&r, 208..260, share) >= 0.9 * mean(&r, 0..52, share),
        "delegation holds up"
    );
}

#[test]
fn msp_region_setting_msps_spread_while_cooperation_with_others_stays_modest() {
    let r = pluri::simulate(&load("msp-region"));
    let (first, last) = r.first_last().expect("weeks");
    assert!(
        last.msps as f64 >= 1.5 * first.msps as f64,
        "{} -> {}",
        first.msps,
        last.msps
    );
    assert!(last.org_active_ties > 0);
    let structures = last.msps as u64 + 7;
    assert!(
        last.org_active_ties < structures * structures / 4,
        "far from everyone cooperating with everyone"
    );
}
