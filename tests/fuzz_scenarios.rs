//! Structure-aware fuzzing: proptest generates scenarios and sweep files field by
//! field — every field of the effective small scenario can be given an arbitrary value of its
//! type (or of another type), removed, or its list entry removed or duplicated; structures and
//! interventions are added with random kinds and targets — serializes them to TOML and feeds
//! the parsers and the validator. Whatever validates is printed back (`pluri show`'s promise:
//! it reads back as the same scenario) and, when small enough, simulated for a few weeks with
//! the output checked. Sizes are bounded so that nothing can allocate without bound.
//!
//! `PLURI_FUZZ_CASES=N` sets the cases per property (default 256); failing inputs found are
//! kept as regression cases in `tests/corpus/` (read by `tests/corpus.rs`).

mod common;
mod fuzz_gen;

use fuzz_gen::{
    base_table, dotted, edit, get, leaves, scenario_text, sweep_text, toml_like_text, typed,
};

use proptest::prelude::*;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use toml::Value;

/// Generated inputs that validated, and those of them simulated (see [`report`]).
static VALID: AtomicUsize = AtomicUsize::new(0);
static SIMULATED: AtomicUsize = AtomicUsize::new(0);
static TRIED: AtomicUsize = AtomicUsize::new(0);
static SWEEPS: AtomicUsize = AtomicUsize::new(0);

/// With `PLURI_FUZZ_STATS=1`, prints how many inputs were tried, validated and simulated.
fn report(what: &str) {
    let n = TRIED.fetch_add(1, Ordering::Relaxed) + 1;
    if std::env::var_os("PLURI_FUZZ_STATS").is_some() && n.is_multiple_of(64) {
        eprintln!(
            "{what}: {n} tried, {} valid scenarios, {} simulated, {} valid sweeps (all properties so far)",
            VALID.load(Ordering::Relaxed),
            SIMULATED.load(Ordering::Relaxed),
            SWEEPS.load(Ordering::Relaxed)
        );
    }
}

fn cases() -> u32 {
    std::env::var("PLURI_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

/// About how many GPs and other professionals `s` starts with: its zones' populations times
/// the densities of its `[workforce]` (GPs by each zone's rurality factor), as the model
/// builds the territory.
fn starting_staff(s: &pluri::Scenario) -> (f64, f64) {
    let shown: Value = toml::from_str(&s.to_commented_toml()).expect("shown scenario is TOML");
    let w = |k: &str| {
        let v = &shown["workforce"][k];
        v.as_float()
            .or_else(|| v.as_integer().map(|i| i as f64))
            .unwrap_or_else(|| panic!("workforce.{k}"))
    };
    let gps = s
        .zones()
        .iter()
        .map(|z| {
            let factor = w(&format!("{}_gp_factor", z.rurality.as_str()));
            (z.population as f64 * w("gps_per_100k") * factor / 1e5).round()
        })
        .sum();
    let others = s.population() as f64
        * (w("psychologists_per_100k") + w("social_workers_per_100k") + w("nurses_per_100k"))
        / 1e5;
    (gps, others)
}

/// What must hold of every validated scenario: it prints back as itself, and (when small)
/// simulates for a few weeks with sound output. The engine's debug-build invariants run too.
fn check_valid(s: &pluri::Scenario) -> Result<(), TestCaseError> {
    VALID.fetch_add(1, Ordering::Relaxed);
    let back = pluri::Scenario::from_toml_str(&s.to_commented_toml(), "shown.toml");
    prop_assert!(back.is_ok(), "pluri show output refused: {:?}", back.err());
    if let Ok(b) = back {
        prop_assert_eq!(
            b.hash(),
            s.hash(),
            "pluri show output reads back differently"
        );
    }
    let (gps, others) = starting_staff(s);
    let small = s.population() <= 60_000
        && gps <= 5_000.0
        && others <= 5_000.0
        && s.zones().len() <= 64
        && s.estimated_memory_bytes() <= 256 << 20
        && s.weeks() + s.warmup_weeks() <= 12;
    if !small {
        return Ok(());
    }
    let r = pluri::simulate(s);
    SIMULATED.fetch_add(1, Ordering::Relaxed);
    prop_assert_eq!(r.weekly.len() as u32, s.weeks());
    for w in &r.weekly {
        prop_assert_eq!(w.residents, s.population());
        prop_assert_eq!(
            w.tasks,
            w.tasks_alone
                + w.tasks_inside
                + w.tasks_outside
                + w.tasks_platform
                + w.tasks_dropped
                + w.tasks_refused
        );
        for x in [
            w.without_gp_share,
            w.gp_utilisation,
            w.prof_utilisation,
            w.delegated_share,
            w.mean_satisfaction,
            w.mean_tie_strength,
            w.tie_density,
            w.interorg_referral_share,
            w.complex_multi_share,
        ] {
            prop_assert!((0.0..=1.0).contains(&x), "share {} in week {}", x, w.week);
        }
        prop_assert!(w.coordinator_fte.is_finite() && w.coordinator_fte >= 0.0);
        prop_assert!(w.mean_legitimacy.is_finite() && w.mean_control_orientation.is_finite());
    }
    for (k, v) in r.headline() {
        prop_assert!(v.is_finite(), "headline {} = {}", k, v);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn generated_scenarios_are_refused_or_simulated_soundly(edits in prop::collection::vec(edit(), 1..5)) {
        report("scenarios");
        let Some(text) = scenario_text(&edits) else { return Ok(()) };
        match pluri::Scenario::from_toml_str(&text, "fuzz.toml") {
            Ok(s) => check_valid(&s)?,
            Err(e) => {
                let msg = e.to_string();
                prop_assert!(msg.starts_with("fuzz.toml"), "error without its origin: {}", msg);
            }
        }
    }

    #[test]
    fn generated_overrides_are_refused_or_simulated_soundly(
        sets in prop::collection::vec((any::<usize>(), typed()), 1..4)
    ) {
        report("overrides");
        let base = common::small(&["weeks=4", "warmup_weeks=0"]);
        let t = base_table();
        let root = Value::Table(t.clone());
        let all = leaves(&t);
        let args: Vec<String> = sets
            .iter()
            .map(|(i, v)| {
                let path = &all[i % all.len()];
                let old = get(&root, path).cloned().unwrap_or(Value::Boolean(false));
                format!("{}={}", dotted(&root, path), v.for_slot(&old))
            })
            .collect();
        if let Ok(s) = base.with_sets(&args) {
            check_valid(&s)?;
        }
    }

    #[test]
    fn generated_sweep_files_are_refused_or_run(text in sweep_text()) {
        report("sweep");
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        if let Ok(sweep) = pluri::sweep::Sweep::from_toml_str(&text, "fuzz.toml", dir) {
            SWEEPS.fetch_add(1, Ordering::Relaxed);
            prop_assert!(sweep.runs() >= 1 && sweep.runs() <= 100_000_000);
            for run in 0..sweep.runs().min(2) {
                let spec = sweep.run_spec(run);
                if let Ok(s) = sweep.scenario(&spec) {
                    check_valid(&s)?;
                }
            }
        }
    }

    #[test]
    fn toml_shaped_text_never_panics_the_parsers(text in toml_like_text()) {
        report("shaped");
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        if let Ok(s) = pluri::Scenario::from_toml_str(&text, "fuzz.toml") {
            check_valid(&s)?;
        }
        let _ = pluri::sweep::Sweep::from_toml_str(&text, "fuzz.toml", dir);
    }
}
