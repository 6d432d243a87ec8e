//! The research findings emerge from how agents decide: each test runs a research setting
//! over [`REPLICATES`] seeds with its mechanism on, and again with the mechanism switched off
//! (a neutral parameter value, the same seeds), and decides on a stated statistic: the
//! one-sided 95% Student bound of a mean over the replicates. A finding that still shows with
//! its mechanism off fails its test.

mod common;

use common::mean;
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
    replicates_of(name, sets, stat)
}

/// [`replicates`] of a statistic of any type (several numbers of one run, say).
fn replicates_of<T>(name: &str, sets: &[&str], stat: impl Fn(&RunResults) -> T) -> Vec<T> {
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

/// Refusals per meeting in years 3 and 4 of the coordinators setting (four coordinators
/// trained from the start, four at week 104; coordinators leave, and their successors are
/// untrained, so training's mark fades in later years).
fn refusals_per_meeting_years_3_4(r: &RunResults) -> f64 {
    let rows = &r.weekly[104..208];
    let refusals: f64 = rows.iter().map(|w| f64::from(w.meeting_refusals)).sum();
    let meetings: f64 = rows.iter().map(|w| f64::from(w.meetings)).sum();
    refusals / meetings.max(1.0)
}

/// How much training lowers resistance, by seed: refusals per meeting in year 5 with
/// training's effect neutral (`training_multiplier` = 1) minus with the default multiplier.
fn training_lowers_refusals_by(sets: &[&str]) -> Vec<f64> {
    // The setting's eight coordinators only: no MSP founded during the run signs the
    // agreement that would bring a coordinator of its own.
    let sets = &[sets, &["structural.agreement_uptake=0"]].concat()[..];
    let untrained = [sets, &["coordination.training_multiplier=1"]].concat();
    let without = replicates("coordinators", &untrained, refusals_per_meeting_years_3_4);
    let with = replicates("coordinators", sets, refusals_per_meeting_years_3_4);
    without.iter().zip(&with).map(|(a, b)| a - b).collect()
}

/// Pacte study: trained coordinators change practice and meet resistance. In the model each
/// GP and professional decides whether to take part in a coordinator's meetings: it resists
/// as far as it would give up control (GPs) or autonomy (professionals), and less as the
/// coordinator's work shows results (legitimacy earned by meetings, cases and protocols) and
/// as its peers took part. Training makes the work better, so resistance gives way faster.
/// Statistic: training's effect on refusals per meeting in years 3 and 4, paired by seed. With
/// resistance answering results and peers, its lower bound is above 0.015; with resistance
/// fixed (`results_weight` = `peer_weight` = 0), its upper bound is below 0.015.
#[test]
fn pacte_resistance_to_coordinators_gives_way_only_as_their_work_shows_results() {
    let answering = training_lowers_refusals_by(&[]);
    assert!(
        lower(&answering) > 0.015,
        "training's effect on refusals per meeting: {answering:?}"
    );
    let fixed = training_lowers_refusals_by(&[
        "coordination.results_weight=0",
        "coordination.peer_weight=0",
    ]);
    assert!(
        upper(&fixed) < 0.015,
        "with resistance fixed, training's effect on refusals per meeting: {fixed:?}"
    );
}

/// Share of a platform's tasks (from week `from` on) that were ad hoc: the GP handed over
/// the task alone and kept the pathway (the headline `platform_ad_hoc_share`, over those weeks).
fn ad_hoc_share(r: &RunResults, from: usize) -> f64 {
    let rows = &r.weekly[from..];
    let ad_hoc: u64 = rows.iter().map(|w| w.platform_ad_hoc).sum();
    let all: u64 = rows.iter().map(|w| w.tasks_platform).sum();
    ad_hoc as f64 / all.max(1) as f64
}

/// The platform setting without the GPs' attachment to their pivot role in their choice of
/// what to hand over.
const NO_PIVOT: &[&str] = &["platform.handover_pivot_weight=0"];

/// Platform study: GPs hand the support platform ad hoc tasks and keep the pivot
/// role of the pathway. In the model each GP decides, for each coordination task the
/// platform takes, whether to hand over the task alone or the whole pathway, weighing its
/// week's load, the patient's complexity, its structure's tie with the platform and its
/// attachment to the pivot role; a pathway handed over is the platform's afterwards (its
/// later coordination tasks go there). Statistic: the share of the platform's tasks that were
/// ad hoc from week 60 (the platform opens at week 52) to the end. With the pivot attachment
/// weighing, its lower bound is above 0.65 and fewer than 1 in 10 of the complex patients'
/// pathways is held by the platform at the end; without it (weight 0), its upper bound is
/// below 0.5.
#[test]
fn platform_gps_hand_ad_hoc_tasks_and_keep_the_pathway_only_through_their_pivot_attachment() {
    let on = replicates("pta", &[], |r| ad_hoc_share(r, 60));
    let off = replicates("pta", NO_PIVOT, |r| ad_hoc_share(r, 60));
    assert!(
        lower(&on) > 0.65,
        "ad hoc share with the pivot attachment: {on:?}"
    );
    assert!(
        upper(&off) < 0.5,
        "ad hoc share without the pivot attachment: {off:?}"
    );
    let held = replicates("pta", &[], |r| {
        let last = r.weekly.last().expect("weeks");
        last.pathways_held as f64 / last.complex_patients.max(1) as f64
    });
    assert!(
        upper(&held) < 0.1,
        "share of complex patients whose pathway the platform holds: {held:?}"
    );
}

/// Mean of `f` from week `from` to the end.
fn mean_from(r: &RunResults, from: usize, f: fn(&pluri::results::WeeklyRecord) -> f64) -> f64 {
    mean(r, from..r.weekly.len(), f)
}

/// Platform study, the platform's side: it keeps a queue, and GPs see its waiting time, so
/// its load responds to demand and cost instead of being its capacity. In the pta territory
/// with a platform of 150 tasks a week (room to spare at the usual cost), lowering
/// `delegation.platform_cost` from 1.0 to 0.5 raises, paired by seed from week 60 on, its
/// waiting time (the lower bound of the mean difference is above 0.5 weeks) and its accepted
/// tasks (above 4 a week), while refusals do not rise (the upper bound of the mean difference
/// of tasks refused is below 1 a week).
#[test]
fn platform_load_and_waiting_time_respond_to_its_cost() {
    let room = "structures.dac.capacity_per_week=150";
    let stats = |sets: &[&str]| {
        let s = scenario("pta", sets);
        (1..=REPLICATES)
            .map(|seed| {
                let r = pluri::simulate(&s.with_seed(seed));
                [
                    mean_from(&r, 60, |w| w.platform_waiting_weeks),
                    mean_from(&r, 60, |w| w.tasks_platform as f64),
                    mean_from(&r, 60, |w| w.tasks_refused as f64),
                ]
            })
            .collect::<Vec<_>>()
    };
    let usual = stats(&[room]);
    let cheaper = stats(&[room, "delegation.platform_cost=0.5"]);
    let diff = |k: usize| -> Vec<f64> {
        cheaper
            .iter()
            .zip(&usual)
            .map(|(c, u)| c[k] - u[k])
            .collect()
    };
    let (wait, accepted, refused) = (diff(0), diff(1), diff(2));
    assert!(
        lower(&wait) > 0.5,
        "waiting weeks, cheaper minus usual: {wait:?}"
    );
    assert!(
        lower(&accepted) > 4.0,
        "tasks accepted a week: {accepted:?}"
    );
    assert!(upper(&refused) < 1.0, "tasks refused a week: {refused:?}");
}

/// The MSP setting without cooperation inside a practice: delegating inside costs so much
/// that GPs (in MSPs, the only practices with professionals) do not.
const NO_TEAM: &[&str] = &["delegation.inside_cost=10"];

/// Of the tasks found by the GPs of structures of kind `kind` from week 156 to the end, the
/// shares accepted outside the practice (by anyone) and by other organisations.
fn outside_shares(r: &RunResults, kind: &str) -> (f64, f64) {
    let rows = r
        .by_structure_type
        .iter()
        .filter(|t| t.week >= 156 && t.structure_type == kind);
    let (tasks, referred, orgs) = rows.fold((0, 0, 0), |(t, re, o), row| {
        (
            t + row.tasks,
            re + row.tasks_referred,
            o + row.tasks_to_organisations,
        )
    });
    let tasks = tasks.max(1) as f64;
    (referred as f64 / tasks, orgs as f64 / tasks)
}

/// MSP study: MSPs spread, and cooperate little with other organisations. In the model, a GP
/// of an MSP weighs the practice's own professionals and coordinator beside independents and
/// other organisations; once a team exists, cooperating inside is cheaper, and it takes tasks
/// that would have left the practice (substitution). Statistics, years 4 and 5 of the
/// `msp-region` setting: the share of tasks its GPs send outside the practice, group practices'
/// minus MSPs' (with a team its lower bound is above 0.08; with cooperation inside switched off,
/// its upper bound is below 0.03); and, paired by seed, the share MSPs' GPs send to other
/// organisations without the team minus with it (lower bound above 0.005: the team takes
/// tasks from other organisations too, not only from independents).
#[test]
fn msps_cooperate_less_outside_because_cooperating_inside_is_cheaper() {
    let stat = |r: &RunResults| {
        let (msp, msp_orgs) = outside_shares(r, "msp");
        let (group, _) = outside_shares(r, "group_practice");
        [group - msp, msp_orgs]
    };
    let on = replicates_of("msp-region", &[], stat);
    let off = replicates_of("msp-region", NO_TEAM, stat);
    let gap = |xs: &[[f64; 2]]| xs.iter().map(|x| x[0]).collect::<Vec<_>>();
    assert!(
        lower(&gap(&on)) > 0.08,
        "group practices' minus MSPs' share of tasks sent outside, with a team: {on:?}"
    );
    assert!(
        upper(&gap(&off)) < 0.03,
        "the same without cooperation inside: {off:?}"
    );
    let fewer_to_orgs: Vec<f64> = off.iter().zip(&on).map(|(f, n)| f[1] - n[1]).collect();
    assert!(
        lower(&fewer_to_orgs) > 0.005,
        "MSPs' share of tasks sent to other organisations, without a team minus with: {fewer_to_orgs:?}"
    );
}
