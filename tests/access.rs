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

/// A weekly count summed over a run from its second year.
fn total(r: &RunResults, f: fn(&pluri::results::WeeklyRecord) -> u64) -> u64 {
    r.weekly.iter().skip(52).map(f).sum()
}

/// GPs so few that their time binds (100 per 100,000 residents).
const SCARCE: &str = "workforce.gps_per_100k=100";

#[test]
fn colleagues_of_a_practice_see_a_fully_booked_gps_patients_and_shorten_the_wait() {
    let cover = runs(&[SCARCE]);
    let none = runs(&[SCARCE, "workforce.colleague_cover=0"]);
    // Practices as generated, none moving to an MSP: with every generated GP solo, or in
    // group practices.
    let stay = "structural.msp_incentive=0";
    let solo = runs(&[SCARCE, stay, "workforce.group_practice_share=0"]);
    let group = runs(&[SCARCE, stay, "workforce.group_practice_share=1"]);
    let covered = |r: &RunResults| total(r, |w| w.covered_consultations);
    let tta = "time_to_appointment_days";
    let (with, without) = (each(&cover, tta), each(&none, tta));
    for k in 0..SEEDS.len() {
        let seed = SEEDS[k];
        assert_eq!(covered(&none[k]), 0, "seed {seed}");
        // Group practices pool their GPs' time: with every generated GP alone, fewer
        // patients are seen by a colleague (only those of the named structures).
        assert!(
            covered(&solo[k]) < covered(&group[k]),
            "seed {seed}: {} covered with solo GPs only, {} with group practices",
            covered(&solo[k]),
            covered(&group[k])
        );
    }
    // Colleagues are loaded alike (their lists fill alike), so covering only smooths the
    // weeks: a small gain, taken over the seeds.
    let gain: f64 = with.iter().zip(&without).map(|(a, b)| b - a).sum::<f64>();
    assert!(
        gain > 0.0,
        "days to an appointment with colleagues covering {with:?}, without {without:?}"
    );
}

#[test]
fn tasks_a_gp_hands_on_free_its_time_and_shorten_the_wait() {
    // GPs who keep tasks (alone_base 2) or hand them on (alone_base -2), with a task done
    // alone costing half a consultation, then costing none.
    let tta = "time_to_appointment_days";
    let gap = |time: &str| -> Vec<f64> {
        let keep = each(&runs(&[SCARCE, time, "delegation.alone_base=2"]), tta);
        let share = each(&runs(&[SCARCE, time, "delegation.alone_base=-2"]), tta);
        keep.iter().zip(&share).map(|(k, s)| k - s).collect()
    };
    let costly = gap("delegation.alone_gp_time=0.5");
    let free = gap("delegation.alone_gp_time=0");
    let mean = |xs: &[f64]| xs.iter().sum::<f64>() / xs.len() as f64;
    assert!(
        mean(&costly) > 0.05 && mean(&free) < 0.05,
        "days added by keeping tasks: {costly:?} when a task takes GP time, {free:?} when not"
    );
    assert!(
        costly.iter().zip(&free).all(|(c, f)| c > f),
        "{costly:?} {free:?}"
    );
}

#[test]
fn gps_whose_weeks_are_full_close_their_lists_so_fewer_patients_wait() {
    // GPs scarce enough that their weeks fill, with a list ceiling out of reach: lists close
    // on time alone, or never.
    let ceiling = "workforce.gp_list_max=100000";
    let on_time = runs(&[SCARCE, ceiling]);
    let never = runs(&[SCARCE, ceiling, "workforce.accept_new_below=1"]);
    let refusing = |r: &RunResults| {
        r.weekly
            .iter()
            .skip(52)
            .map(|w| f64::from(w.gps_refusing_new))
            .sum::<f64>()
    };
    let waiting = |r: &RunResults| headline(r, "waiting_per_1000");
    for k in 0..SEEDS.len() {
        let seed = SEEDS[k];
        assert_eq!(refusing(&never[k]), 0.0, "seed {seed}");
        assert!(refusing(&on_time[k]) > 0.0, "seed {seed}");
        assert!(
            waiting(&on_time[k]) < waiting(&never[k]),
            "seed {seed}: {} waiting per 1,000 with lists closing on time, {} without",
            waiting(&on_time[k]),
            waiting(&never[k])
        );
    }
}
