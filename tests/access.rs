//! Access in the units analysts use (time to appointment, patients waiting, GPs fully booked
//! or refusing new patients, unmet needs by cause) answers the levers that should move it,
//! seed by seed: responses, not target values.

mod common;
use common::*;
use pluri::RunResults;

/// Seeds each response is checked in: a response must hold in every one.
const SEEDS: [u64; 4] = [1, 2, 3, 4];

/// The small scenario with overrides, once per seed.
fn runs(sets: &[&str]) -> Vec<RunResults> {
    SEEDS
        .iter()
        .map(|seed| {
            let seed = format!("seed={seed}");
            let mut all: Vec<&str> = sets.to_vec();
            all.push(&seed);
            run(&all)
        })
        .collect()
}

/// A headline indicator of each run, in seed order.
fn each(runs: &[RunResults], name: &str) -> Vec<f64> {
    runs.iter().map(|r| headline(r, name)).collect()
}

#[test]
fn unmet_needs_are_exactly_the_dropped_the_refused_and_the_failed_every_week() {
    let runs = runs(&[]);
    for r in &runs {
        let mut failed = 0;
        for w in &r.weekly {
            assert_eq!(
                w.needs_unmet,
                w.tasks_dropped + w.tasks_refused + w.needs_unmet_failed,
                "week {}",
                w.week
            );
            assert!(w.needs_unmet_failed_alone <= w.needs_unmet_failed.min(w.tasks_alone));
            failed += w.needs_unmet_failed;
        }
        assert!(failed > 0, "no failed outcome in a whole run");
        let by_cause: f64 = [
            "unmet_dropped_share",
            "unmet_refused_share",
            "unmet_failed_share",
        ]
        .iter()
        .map(|k| headline(r, k))
        .sum();
        let unmet = headline(r, "unmet_need_share");
        assert!((by_cause - unmet).abs() < 1e-12, "{by_cause} vs {unmet}");
    }
}

#[test]
fn fewer_gps_mean_a_longer_time_to_appointment_more_waiting_and_more_gps_fully_booked() {
    let today = runs(&[]);
    let fewer = runs(&["workforce.gps_per_100k=100"]);
    let fewest = runs(&["workforce.gps_per_100k=80"]);
    for name in [
        "time_to_appointment_days",
        "waiting_per_1000",
        "gps_fully_booked_share",
    ] {
        let (a, b, c) = (each(&today, name), each(&fewer, name), each(&fewest, name));
        for k in 0..SEEDS.len() {
            assert!(
                a[k] < b[k] && b[k] < c[k],
                "{name}, seed {}: {} GPs per 100k today, {} with 100, {} with 80",
                SEEDS[k],
                a[k],
                b[k],
                c[k]
            );
        }
    }
    // A day more to wait, at least, with a third of the GPs gone.
    let (a, b) = (
        each(&today, "time_to_appointment_days"),
        each(&fewer, "time_to_appointment_days"),
    );
    assert!(a.iter().zip(&b).all(|(a, b)| b - a > 1.0), "{a:?} {b:?}");
}

#[test]
fn less_gp_time_means_a_longer_time_to_appointment() {
    let today = each(&runs(&[]), "time_to_appointment_days");
    let less = each(
        &runs(&["workforce.gp_consultations_per_week=70"]),
        "time_to_appointment_days",
    );
    assert!(
        today.iter().zip(&less).all(|(a, b)| b - a > 0.5),
        "100 consultations a week {today:?}, 70 {less:?}"
    );
}

#[test]
fn gps_with_time_to_spare_see_every_patient_in_the_week_and_none_waits() {
    for r in runs(&["workforce.gp_consultations_per_week=1000"]) {
        for name in [
            "time_to_appointment_days",
            "waiting_per_1000",
            "waiting_mean",
            "gps_fully_booked_share",
        ] {
            assert_eq!(headline(&r, name), 0.0, "{name}");
        }
        assert!(r.weekly.iter().all(|w| w.time_to_appointment_days == 0.0));
    }
}

#[test]
fn a_lower_list_ceiling_makes_more_gps_refuse_new_patients() {
    let name = "gps_refusing_new_share_end";
    let today = each(&runs(&[]), name);
    let lower = each(&runs(&["workforce.gp_list_max=900"]), name);
    let lowest = each(&runs(&["workforce.gp_list_max=700"]), name);
    for k in 0..SEEDS.len() {
        assert!(
            today[k] < lower[k] && lower[k] < lowest[k],
            "seed {}: list max 1400 {}, 900 {}, 700 {}",
            SEEDS[k],
            today[k],
            lower[k],
            lowest[k]
        );
    }
}

#[test]
fn more_episodes_a_year_mean_more_consultations_per_resident_and_per_gp() {
    let today = runs(&[]);
    let more = runs(&["demand.base_episodes_per_year=3.5"]);
    for name in [
        "consultations_per_resident_per_year",
        "consultations_per_gp_per_year",
    ] {
        let (a, b) = (each(&today, name), each(&more, name));
        assert!(
            a.iter().zip(&b).all(|(a, b)| b > &(a * 1.1)),
            "{name}: {a:?} then {b:?}"
        );
    }
}
