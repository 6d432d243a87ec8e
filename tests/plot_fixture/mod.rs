//! Synthetic runs for the plot tests: varied weekly values, a few zones and structures,
//! organisational ties and interventions, written exactly as `pluri run` writes them.
#![allow(dead_code)]

use image::GenericImageView;
use std::collections::BTreeSet;

use pluri::results::{
    InterventionRecord, StructureRecord, TieRecord, Ties, WeeklyRecord, ZoneRecord,
};
use pluri::{RunResults, Scenario};
use std::path::{Path, PathBuf};

/// A deterministic value in 0..1 from a key (no generator needed).
fn noise(key: u64) -> f64 {
    let mut x = key.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03;
    x ^= x >> 29;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 32;
    (x % 10_000) as f64 / 10_000.0
}

/// Weekly rows: `effect` 0 is a baseline, larger values a policy that improves cooperation
/// after the intervention at `weeks / 2`.
pub fn weekly(weeks: u32, effect: f64) -> Vec<WeeklyRecord> {
    let n = f64::from(weeks);
    let at = weeks / 2;
    (0..weeks)
        .map(|w| {
            let t = f64::from(w);
            let k = u64::from(w) * 31 + (effect * 1000.0) as u64;
            let after = if w >= at { 1.0 } else { 0.0 };
            let wave = (t / 9.0).sin();
            let tasks_alone = (420.0 + 40.0 * noise(k) - 60.0 * effect * after) as u64;
            let tasks_inside = (110.0 + 20.0 * noise(k + 1) + 40.0 * effect * after) as u64;
            let tasks_outside = (80.0 + 15.0 * noise(k + 2) + 10.0 * wave) as u64;
            let tasks_platform = (after * (25.0 + 30.0 * effect) + 5.0 * noise(k + 3)) as u64;
            let tasks_dropped = (60.0 + 20.0 * noise(k + 4) - 15.0 * effect * after) as u64;
            let tasks_refused = (12.0 + 8.0 * noise(k + 12) - 4.0 * effect * after) as u64;
            WeeklyRecord {
                week: w,
                residents: 52_000,
                gps: 40,
                msps: 3 + (t / (n / 3.0)) as u32 + (effect * after) as u32,
                gps_in_msp: 12 + (t / 8.0) as u32,
                coordinator_fte: 1.2 + 0.8 * after * (1.0 + effect),
                needs_unmet: (140.0 + 30.0 * wave + 25.0 * noise(k + 5) - 40.0 * effect * after)
                    as u64,
                needs_met: 600,
                waiting: (900.0 + 150.0 * (t / 15.0).cos() + 40.0 * noise(k + 6)) as u64,
                without_gp_share: 0.04 + 0.03 * t / n - 0.01 * effect * after,
                forgone: (35.0 + 10.0 * noise(k + 7)) as u64,
                gp_utilisation: 0.88 + 0.06 * wave - 0.03 * effect * after,
                prof_utilisation: 0.62 + 0.1 * noise(k + 8) + 0.1 * effect * after,
                friction_per_100_delegations: 6.0 + 2.0 * noise(k + 9) - effect * after,
                departures: u32::from(noise(k + 10) > 0.8) + u32::from(noise(k + 11) > 0.95),
                mean_satisfaction: 0.58 + 0.05 * (t / 20.0).sin() + 0.04 * effect * after,
                mean_tie_strength: 0.42 + 0.12 * (1.0 - (-t / 40.0).exp()) + 0.05 * effect * after,
                tie_density: 0.08 + 0.04 * t / n + 0.02 * effect * after,
                complex_multi_share: 0.31 + 0.15 * t / n + 0.01 * wave,
                interorg_referral_share: 0.18 + 0.04 * wave + 0.06 * effect * after,
                tasks: tasks_alone
                    + tasks_inside
                    + tasks_outside
                    + tasks_platform
                    + tasks_refused
                    + tasks_dropped,
                tasks_alone,
                tasks_inside,
                tasks_outside,
                tasks_platform,
                tasks_dropped,
                tasks_refused,
                avoidable_hospitalisations: (3.0 + 4.0 * noise(k + 13) - effect * after) as u64,
                mean_legitimacy: 0.3 + 0.3 * (1.0 - (-t / 50.0).exp()) + 0.1 * effect * after,
                protocols: 2 + (t / 20.0) as u32 + (2.0 * effect * after) as u32,
                meetings: u32::from(noise(k + 14) > 0.6) + u32::from(effect * after > 0.0),
                ..WeeklyRecord::default()
            }
        })
        .collect()
}

fn zone(name: &str, rurality: &'static str, x: f64, y: f64, pop: u64, without: u64) -> ZoneRecord {
    ZoneRecord {
        zone: name.to_string(),
        rurality: rurality.into(),
        x_km: x,
        y_km: y,
        population: pop,
        deprivation: 0.15,
        gps: (pop / 1200) as u32,
        without_gp: without,
    }
}

fn structure(name: &str, kind: &'static str, zone: &str, active: bool) -> StructureRecord {
    StructureRecord {
        structure: name.to_string(),
        kind: kind.into(),
        zone: zone.to_string(),
        active,
        gps: 3,
        professionals: 2,
        coordinator_fte: 0.5,
        coordinator_trained: false,
        legitimacy: 0.5,
        protocols: 1,
        shared_info_system: false,
        founded_week: 0,
    }
}

fn org_tie<'a>(a: &'a StructureRecord, b: &'a StructureRecord, strength: f64) -> TieRecord<'a> {
    TieRecord {
        kind: "organisational",
        source: &a.structure,
        target: &b.structure,
        source_structure: &a.structure,
        target_structure: &b.structure,
        strength,
    }
}

/// Ties among a `share` of the pairs of structures, of varied strength.
fn ties(structures: &[StructureRecord], salt: u64, share: f64) -> Ties {
    let mut ties = vec![TieRecord {
        kind: "professional",
        source: "gp:ville:1",
        target: "nurse:ville:1",
        source_structure: &structures[0].structure,
        target_structure: "",
        strength: 0.7,
    }];
    for (i, a) in structures.iter().enumerate() {
        for (j, b) in structures.iter().enumerate().skip(i + 1) {
            let key = salt + (i * 100 + j) as u64;
            if noise(key) < share {
                ties.push(org_tie(a, b, 0.1 + 0.9 * noise(key + 7777)));
            }
        }
    }
    ties.into_iter().collect()
}

fn interventions(weeks: u32, effect: f64) -> Vec<InterventionRecord> {
    let record = |week: u32, name: &str, action: &str| InterventionRecord {
        week,
        date: None,
        name: name.to_string(),
        action: action.to_string(),
        structures_touched: 3,
        members_refused: 0,
    };
    let mut list = vec![
        record(weeks / 2, "pacte-training", "train_coordinators"),
        record(weeks / 2 + 2, "fund-coordinators", "fund_coordinator"),
    ];
    if effect > 0.0 {
        list.push(record(weeks * 3 / 4, "open-platform", "open_platform"));
    }
    list
}

/// A small run: three zones, seven structures (one a solo practice, one closed).
pub fn small(weeks: u32, effect: f64) -> RunResults {
    let zones = vec![
        zone("ville", "urban", 0.0, 0.0, 40_000, 800),
        zone("bourg", "periurban", 12.0, 5.0, 8_000, 600),
        zone("campagne", "rural", -20.0, 15.0, 4_000, 900),
    ];
    let structures = vec![
        structure("msp_ville", "msp", "ville", true),
        structure("cds_ville", "health_centre", "ville", true),
        structure("chu", "hospital", "ville", true),
        structure("dac", "dac", "bourg", true),
        structure("ccas", "social_services", "bourg", true),
        structure("msma_campagne", "msma", "campagne", false),
        structure("campagne/solo-1", "solo", "campagne", true),
    ];
    RunResults {
        weekly: weekly(weeks, effect),
        by_structure_type: Vec::new(),
        ties: ties(&structures, (effect * 7.0) as u64, 0.7),
        zones,
        structures,
        interventions: interventions(weeks, effect),
    }
}

/// A run on the default scenario's territory: 30 zones and its named structures, plus a
/// generated practice per zone.
pub fn default_territory(weeks: u32, effect: f64) -> RunResults {
    let scenario = Scenario::default_scenario().expect("default scenario");
    let zones: Vec<ZoneRecord> = scenario
        .zones()
        .iter()
        .enumerate()
        .map(|(i, z)| {
            let share = 0.01 + 0.25 * noise(i as u64 + 500) * noise(i as u64 + 900);
            zone(
                &z.name,
                z.rurality.as_str(),
                z.x_km,
                z.y_km,
                z.population,
                (z.population as f64 * share) as u64,
            )
        })
        .collect();
    let mut structures: Vec<StructureRecord> = scenario
        .structures()
        .iter()
        .map(|s| {
            structure(
                &s.name,
                s.kind.as_str(),
                &scenario.zones()[s.zone].name,
                s.active,
            )
        })
        .collect();
    for z in scenario.zones() {
        structures.push(structure(
            &format!("{}/solo-1", z.name),
            "solo",
            &z.name,
            true,
        ));
    }
    let mut results = small(weeks, effect);
    results.ties = ties(&structures, (effect * 7.0) as u64, 0.06);
    results.zones = zones;
    results.structures = structures;
    results
}

/// Writes a run directory at `dest` as `pluri run` does, under scenario name `name`.
pub fn write_run(dest: &Path, name: &str, results: &RunResults) -> PathBuf {
    let scenario = Scenario::default_scenario()
        .and_then(|s| s.with_sets(&[format!("name=\"{name}\"")]))
        .expect("default scenario under a valid name");
    pluri::write_run(dest, &scenario, results, false).expect("run directory written")
}

/// Writes a run directory at `dest` as `pluri run` does for a scenario dated from `start`
/// (`YYYY-MM-DD`): its rows and interventions carry their dates.
pub fn write_dated_run(dest: &Path, name: &str, results: &RunResults, start: &str) -> PathBuf {
    let scenario = Scenario::default_scenario()
        .and_then(|s| s.with_sets(&[format!("name=\"{name}\""), format!("start_date={start}")]))
        .expect("default scenario under a valid name and start date");
    let day = scenario.start_date().expect("dated");
    let mut results = results.clone();
    for w in &mut results.weekly {
        w.date = day.week_end(w.week);
    }
    for i in &mut results.interventions {
        i.date = day.week_start(i.week);
    }
    pluri::write_run(dest, &scenario, &results, false).expect("run directory written")
}

/// Asserts that `path` is a PNG that decodes, is large enough for a report and is not blank.
pub fn assert_real_png(path: &Path) {
    let img = image::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (w, h) = img.dimensions();
    assert!(
        w >= 1200 && h >= 800,
        "{}: {w}x{h} is too small",
        path.display()
    );
    let rgb = img.to_rgb8();
    let colours: BTreeSet<[u8; 3]> = rgb.pixels().map(|p| p.0).collect();
    assert!(
        colours.len() > 50,
        "{}: only {} colours",
        path.display(),
        colours.len()
    );
    let inked = rgb.pixels().filter(|p| p.0 != [255, 255, 255]).count();
    let share = inked as f64 / f64::from(w * h);
    assert!(
        share > 0.02,
        "{}: {:.1}% of pixels drawn",
        path.display(),
        share * 100.0
    );
}

/// The text elements of an SVG file (it must parse as XML).
pub fn svg_texts(path: &Path) -> Vec<String> {
    let svg = std::fs::read_to_string(path).expect("read svg");
    let doc = roxmltree::Document::parse(&svg)
        .unwrap_or_else(|e| panic!("{}: not XML: {e}", path.display()));
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .map(|t| t.trim().to_string())
        .collect()
}
