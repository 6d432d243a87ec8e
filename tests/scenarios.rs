//! Every shipped scenario is valid, and each research setting shows its mechanism at work.

mod common;

use common::mean;
use pluri::Scenario;

fn load(name: &str) -> Scenario {
    let path = format!("{}/scenarios/{name}.toml", env!("CARGO_MANIFEST_DIR"));
    Scenario::from_file(std::path::Path::new(&path)).expect("valid scenario")
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
fn the_default_scenario_is_the_default_file() {
    let embedded = Scenario::default_scenario().expect("valid");
    assert_eq!(embedded.hash(), load("default").hash());
    assert_eq!(
        embedded.to_commented_toml(),
        load("default").to_commented_toml()
    );
}

/// A generated territory with a platform opened at week 6, for the changes below.
const REGIONAL: &str = r#"
name = "regional"
seed = 3
weeks = 8
warmup_weeks = 2

[[regions]]
name = "land"
zones = 4
population = 6000
msps = 1
msp_gps_min = 1
dacs = 1

[[interventions]]
name = "open-platform"
week = 6
action = "open_platform"
target_kind = "dac"
"#;

/// The bytes of every file of `s`'s run directory, written by [`pluri::write_run`].
fn run_files(s: &Scenario) -> Vec<(&'static str, Vec<u8>)> {
    let d = common::tmp();
    let dir = pluri::write_run(&d.path().join("run"), s, &pluri::simulate(s), false)
        .unwrap_or_else(|e| panic!("{e}"));
    common::run_files(&dir)
}

#[test]
fn a_scenario_changed_through_the_api_is_the_scenario_its_file_and_hash_describe() {
    let small = load("small")
        .with_sets(&["weeks=6", "warmup_weeks=2"])
        .expect("valid overrides");
    let regional = Scenario::from_toml_str(REGIONAL, "regional.toml").expect("valid");
    let changed = [
        ("seed", small.with_seed(11)),
        ("weeks", small.with_weeks(4).expect("valid")),
        ("population", small.with_population(9_001).expect("valid")),
        ("horizon", regional.with_horizon(5).expect("valid")),
        ("regions", regional.with_population(12_345).expect("valid")),
    ];
    let (seed, weeks, population, horizon, regions) = (
        &changed[0].1,
        &changed[1].1,
        &changed[2].1,
        &changed[3].1,
        &changed[4].1,
    );
    assert_eq!(seed.seed(), 11);
    assert_eq!(weeks.weeks(), 4);
    assert_eq!(population.population(), 9_001);
    assert_eq!((horizon.weeks(), horizon.interventions().len()), (5, 0));
    assert_eq!(regions.population(), 12_345);
    assert_eq!(regions.zones().len(), regional.zones().len());
    assert_eq!(
        regions.structures(),
        regional.structures(),
        "structures kept"
    );
    for (what, s) in &changed {
        let base = if what == &"horizon" || what == &"regions" {
            &regional
        } else {
            &small
        };
        assert_ne!(s.hash(), base.hash(), "{what}: the hash follows the change");
        let back = Scenario::from_toml_str(&s.to_commented_toml(), "back.toml")
            .unwrap_or_else(|e| panic!("{what}: its file is refused: {e}"));
        assert_eq!(
            back.hash(),
            s.hash(),
            "{what}: its file reads back as itself"
        );
        let files = run_files(s);
        assert!(
            files == run_files(&back),
            "{what}: the scenario read back from scenario.toml gives other results"
        );
        let summary: serde_json::Value = files
            .iter()
            .find(|(name, _)| *name == "summary.json")
            .and_then(|(_, bytes)| serde_json::from_slice(bytes).ok())
            .expect("summary.json");
        assert_eq!(summary["seed"], s.seed(), "{what}");
        assert_eq!(summary["weeks"], s.weeks(), "{what}");
        assert_eq!(summary["residents"], s.population(), "{what}");
        assert_eq!(summary["scenario_hash"], s.hash(), "{what}");
    }
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
    let followups: u64 = r.weekly.iter().map(|w| w.platform_followups).sum();
    // Mostly ad hoc; the few pathways handed over bring their follow-ups to the platform.
    assert!(
        ad_hoc > 2 * (pathway + followups) && pathway > 0 && followups > 0,
        "{ad_hoc} ad hoc, {pathway} pathways, {followups} follow-ups"
    );
    // A busy platform: GPs wait for it rather than meet its refusals.
    let wait = |w: &pluri::results::WeeklyRecord| w.platform_waiting_weeks;
    assert!(mean(&r, 60..208, wait) > 0.5);
    assert!(r.weekly[..52]
        .iter()
        .all(|w| w.platform_waiting_weeks == 0.0));
    let alone = |w: &pluri::results::WeeklyRecord| w.tasks_alone as f64 / w.tasks.max(1) as f64;
    assert!(
        mean(&r, 60..104, alone) < mean(&r, 0..52, alone),
        "the platform takes work GPs did alone"
    );
}

#[test]
fn coordinator_setting_second_wave_of_training_shows() {
    // The setting's eight coordinators only: no MSP founded during the run signs the
    // agreement that would bring an untrained coordinator of its own.
    let s = load("coordinators")
        .with_sets(&["structural.agreement_uptake=0"])
        .expect("valid set");
    let r = pluri::simulate(&s);
    assert!(r.weekly[103].trained_coordinators < r.weekly[104].trained_coordinators);
    let legit = |w: &pluri::results::WeeklyRecord| w.mean_legitimacy;
    assert!(mean(&r, 200..260, legit) > mean(&r, 60..104, legit));
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
    // Among the MSPs and the seven services (hospitals, social services, platforms) at the
    // end, active ties (at interorg.active_threshold, 0.15) are far from joining every pair.
    let among: std::collections::BTreeSet<&str> = r
        .structures
        .iter()
        .filter(|s| s.active && ["msp", "hospital", "social_services", "dac"].contains(&&*s.kind))
        .map(|s| s.structure.as_str())
        .collect();
    let active = r
        .ties
        .iter()
        .filter(|t| t.kind == "organisational" && t.strength >= 0.15)
        .filter(|t| among.contains(t.source) && among.contains(t.target))
        .count();
    let structures = last.msps as usize + 7;
    assert_eq!(among.len(), structures);
    assert!(
        active > 0 && active < structures * structures / 4,
        "far from everyone cooperating with everyone: {active} active ties among {structures}"
    );
}
