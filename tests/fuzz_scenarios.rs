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
    base_table, dotted, edit, get, leaves, scenario_text, small_enough, sweep_text, toml_like_text,
    typed,
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
    if !small_enough(s, 12) {
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

/// What must hold of a sweep file's `plot_indicators` (the figures' choice): what is
/// accepted is a list of distinct headline indicators, kept in the effective sweep, and the
/// sweep's identity does not depend on it (a resume is never refused for it); what is refused
/// for it names `plot_indicators` and its line.
fn check_plot_indicators(
    text: &str,
    dir: &Path,
    parsed: &Result<pluri::sweep::Sweep, pluri::sweep::SweepError>,
) -> Result<(), TestCaseError> {
    let Some(line) = text.lines().position(|l| l.starts_with("plot_indicators")) else {
        return Ok(());
    };
    let without: String = text
        .lines()
        .filter(|l| !l.starts_with("plot_indicators"))
        .map(|l| format!("{l}\n"))
        .collect();
    let plain = pluri::sweep::Sweep::from_toml_str(&without, "fuzz.toml", dir);
    match (parsed, &plain) {
        (Ok(sweep), Ok(plain)) => {
            let chosen = &sweep.plot_indicators;
            prop_assert!(!chosen.is_empty());
            for (i, name) in chosen.iter().enumerate() {
                prop_assert!(
                    pluri::results::HEADLINE.contains(&name.as_str()),
                    "{}",
                    name
                );
                prop_assert!(!chosen[..i].contains(name), "{} twice", name);
            }
            prop_assert_eq!(
                sweep.hash(),
                plain.hash(),
                "the figures' choice changed the identity"
            );
            prop_assert!(sweep.effective_toml().contains("plot_indicators"));
        }
        (Ok(_), Err(e)) => prop_assert!(false, "accepted only with plot_indicators: {}", e),
        (Err(e), Ok(_)) => {
            let msg = e.to_string();
            // A validation error says `fuzz.toml:LINE`, a TOML one `at line LINE` and quotes it.
            let n = line + 1;
            prop_assert!(
                msg.contains("plot_indicators")
                    && (msg.contains(&format!("fuzz.toml:{n}:"))
                        || msg.contains(&format!("at line {n},"))),
                "refused for plot_indicators without naming it and its line: {}",
                msg
            );
        }
        (Err(_), Err(_)) => {}
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
        let parsed = pluri::sweep::Sweep::from_toml_str(&text, "fuzz.toml", dir);
        if let Err(e) = &parsed {
            let msg = e.to_string();
            prop_assert!(msg.contains("fuzz.toml"), "error without its origin: {}", msg);
        }
        check_plot_indicators(&text, dir, &parsed)?;
        if let Ok(sweep) = parsed {
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
