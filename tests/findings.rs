//! The research findings emerge from how agents decide: each test runs a research setting
//! over [`REPLICATES`] seeds with its mechanism on, and again with the mechanism switched off
//! (a neutral parameter value, the same seeds), and decides on a stated statistic: the
//! one-sided 95% Student bound of a mean over the replicates. A finding that still shows with
//! its mechanism off fails its test.

use pluri::{RunResults, Scenario};
use std::path::Path;

/// Replicates of each arm (seeds 1 to 8).
const REPLICATES: u64 = 8;

/// One-sided 95% Student quantile with `REPLICATES - 1` = 7 degrees of freedom.
const T_95_7: f64 = 1.895;

fn scenario(name: &str, sets: &[&str]) -> Scenario {
    let path = format!("{}/scenarios/{name}.toml", env!("CARGO_MANIFEST_DIR"));
    Scenario::from_file(Path::new(&path))
        .expect("valid scenario")
        .with_sets(sets)
        .expect("valid overrides")
}

/// `stat` of each replicate of scenario `name` with overrides `sets`.
fn replicates(name: &str, sets: &[&str], stat: impl Fn(&RunResults) -> f64) -> Vec<f64> {
    let s = scenario(name, sets);
    (1..=REPLICATES)
        .map(|seed| stat(&pluri::simulate(&s.with_seed(seed))))
        .collect()
}

/// Mean of `xs` and the half-width of its one-sided 95% bound.
fn mean_and_margin(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, T_95_7 * (var / n).sqrt())
}

/// The upper one-sided 95% bound of the mean of `xs`.
fn upper(xs: &[f64]) -> f64 {
    let (m, h) = mean_and_margin(xs);
    m + h
}

/// The lower one-sided 95% bound of the mean of `xs`.
fn lower(xs: &[f64]) -> f64 {
    let (m, h) = mean_and_margin(xs);
    m - h
}

/// Mean of `f` over the recorded weeks `weeks`.
fn mean(
    r: &RunResults,
    weeks: std::ops::Range<usize>,
    f: fn(&pluri::results::WeeklyRecord) -> f64,
) -> f64 {
    let rows = &r.weekly[weeks];
    rows.iter().map(f).sum::<f64>() / rows.len() as f64
}

fn friction(w: &pluri::results::WeeklyRecord) -> f64 {
    w.friction_per_100_delegations
}

/// The MSMA setting without its negotiated order: GPs never concede control and
/// professionals never accommodate.
const NO_NEGOTIATION: &[&str] = &["control.concession_rate=0", "control.accommodation_rate=0"];

/// MSMA study: professionals resist the GPs' control of the timing and scope of their work,
/// yet cooperation stabilises. In the model, friction (and refusals) arise where a GP's control
/// exceeds a professional's tolerance; a negotiated order forms from both sides' experience
/// (GPs concede control after friction, professionals accommodate after good joint work).
/// Statistic: the ratio of friction per 100 delegations in year 5 to year 1, per replicate.
/// With the negotiated order its mean's upper bound is below 0.75; without it, its lower
/// bound is above 0.9 (friction does not fall).
#[test]
fn msma_friction_is_common_at_first_and_falls_only_through_a_negotiated_order() {
    let ratio = |r: &RunResults| mean(r, 208..260, friction) / mean(r, 0..52, friction);
    let on = replicates("msma", &[], ratio);
    let off = replicates("msma", NO_NEGOTIATION, ratio);
    assert!(
        upper(&on) < 0.75,
        "with negotiation, year 5 / year 1: {on:?}"
    );
    assert!(
        lower(&off) > 0.9,
        "without negotiation, year 5 / year 1: {off:?}"
    );
    let early = replicates("msma", &[], |r| mean(r, 0..52, friction));
    assert!(
        lower(&early) > 5.0,
        "resistance is common at first: friction per 100 delegations in year 1 {early:?}"
    );
}

/// MSMA study, second half: resistance does not disrupt cooperation. With the negotiated
/// order, delegation holds up (the mean ratio of the delegated share in year 5 to year 1 has
/// its lower bound above 0.9) and the team stays: professionals' departures over the five
/// years, paired by seed, are fewer than without it (the lower bound of the mean of
/// departures without minus with is above 0).
#[test]
fn msma_cooperation_stabilises_because_the_team_negotiates() {
    let share = |r: &RunResults| {
        mean(r, 208..260, |w| w.delegated_share) / mean(r, 0..52, |w| w.delegated_share)
    };
    let held = replicates("msma", &[], share);
    assert!(
        lower(&held) > 0.9,
        "delegated share year 5 / year 1: {held:?}"
    );
    let departures = |r: &RunResults| r.weekly.iter().map(|w| f64::from(w.departures)).sum();
    let on = replicates("msma", &[], departures);
    let off = replicates("msma", NO_NEGOTIATION, departures);
    let more: Vec<f64> = off.iter().zip(&on).map(|(a, b)| a - b).collect();
    assert!(
        lower(&more) > 0.0,
        "departures without negotiation minus with, by seed: {more:?} (with: {on:?})"
    );
}

#[test]
fn the_bounds_are_those_of_a_student_interval() {
    let xs = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0];
    // Mean 4.5, standard deviation sqrt(6), standard error sqrt(6 / 8).
    let h = T_95_7 * (6.0f64 / 8.0).sqrt();
    assert!((upper(&xs) - (4.5 + h)).abs() < 1e-12);
    assert!((lower(&xs) - (4.5 - h)).abs() < 1e-12);
}

/// Refusals per meeting in year 5 of the coordinators setting (four coordinators trained from
/// the start, four at week 104).
fn refusals_per_meeting_year_5(r: &RunResults) -> f64 {
    let rows = &r.weekly[208..260];
    let refusals: f64 = rows.iter().map(|w| f64::from(w.meeting_refusals)).sum();
    let meetings: f64 = rows.iter().map(|w| f64::from(w.meetings)).sum();
    refusals / meetings.max(1.0)
}

/// How much training lowers resistance, by seed: refusals per meeting in year 5 with
/// training's effect neutral (`training_multiplier` = 1) minus with the default multiplier.
fn training_lowers_refusals_by(sets: &[&str]) -> Vec<f64> {
    let untrained = [sets, &["coordination.training_multiplier=1"]].concat();
    let without = replicates("coordinators", &untrained, refusals_per_meeting_year_5);
    let with = replicates("coordinators", sets, refusals_per_meeting_year_5);
    without.iter().zip(&with).map(|(a, b)| a - b).collect()
}

/// Pacte study: trained coordinators change practice and meet resistance. In the model each
/// GP and professional decides whether to take part in a coordinator's meetings: it resists
/// as far as it would give up control (GPs) or autonomy (professionals), and less as the
/// coordinator's work shows results (legitimacy earned by meetings, cases and protocols) and
/// as its peers took part. Training makes the work better, so resistance gives way faster.
/// Statistic: training's effect on refusals per meeting in year 5, paired by seed. With
/// resistance answering results and peers, its lower bound is above 0.03; with resistance
/// fixed (`results_weight` = `peer_weight` = 0), its upper bound is below 0.03.
#[test]
fn pacte_resistance_to_coordinators_gives_way_only_as_their_work_shows_results() {
    let answering = training_lowers_refusals_by(&[]);
    assert!(
        lower(&answering) > 0.03,
        "training's effect on refusals per meeting: {answering:?}"
    );
    let fixed = training_lowers_refusals_by(&[
        "coordination.results_weight=0",
        "coordination.peer_weight=0",
    ]);
    assert!(
        upper(&fixed) < 0.03,
        "with resistance fixed, training's effect on refusals per meeting: {fixed:?}"
    );
}
