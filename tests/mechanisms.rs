//! Each mechanism of the model moves its outcome in the direction the research describes,
//! and only through the scenario's parameters.

mod common;
use common::*;

#[test]
fn with_a_coordinator_ties_inside_the_structure_grow_faster() {
    // No MSP founded during the run signs the agreement that would fund a coordinator.
    let unsigned = "structural.agreement_uptake=0";
    let with = run(&["structures.msp_a.coordinator_fte=1.0", unsigned]);
    let without = run(&["structures.msp_a.coordinator_fte=0.0", unsigned]);
    let (a, b) = (
        inside_tie_strength(&with, "msp_a"),
        inside_tie_strength(&without, "msp_a"),
    );
    assert!(a > b + 0.05, "with coordinator {a:.3}, without {b:.3}");
    assert!(total(&with, |w| f64::from(w.meetings)) > 0.0);
    assert_eq!(
        total(&without, |w| f64::from(w.meetings)),
        0.0,
        "no coordinator in the small scenario but msp_a's"
    );
}

#[test]
fn control_above_autonomy_demand_creates_friction_and_lowers_satisfaction() {
    let controlling = run(&[
        "gp_traits.control_orientation_mean=0.95",
        "gp_traits.trait_sd=0.02",
    ]);
    let trusting = run(&[
        "gp_traits.control_orientation_mean=0.05",
        "gp_traits.trait_sd=0.02",
    ]);
    let f = |r| headline(r, "friction_per_100_delegations");
    assert!(
        f(&controlling) > 5.0 * f(&trusting).max(0.1),
        "{} vs {}",
        f(&controlling),
        f(&trusting)
    );
    let s = |r| headline(r, "mean_satisfaction_end");
    assert!(
        s(&controlling) < s(&trusting),
        "{} vs {}",
        s(&controlling),
        s(&trusting)
    );
}

#[test]
fn professionals_of_the_structure_refuse_tasks_whose_terms_cause_friction() {
    let controlling = [
        "gp_traits.control_orientation_mean=0.95",
        "gp_traits.trait_sd=0.02",
        "control.concession_rate=0",
    ];
    let resisting = run(&[&controlling[..], &["control.friction_refusal=1"]].concat());
    let complying = run(&[&controlling[..], &["control.friction_refusal=0"]].concat());
    let resisted = |r| total(r, |w| w.tasks_resisted as f64);
    let inside = |r| total(r, |w| w.tasks_inside as f64);
    assert_eq!(resisted(&complying), 0.0);
    assert!(resisted(&resisting) > 0.0);
    assert!(
        inside(&resisting) < inside(&complying),
        "{} vs {}",
        inside(&resisting),
        inside(&complying)
    );
    // Every friction event inside a structure ends in a refusal: the resisted tasks are
    // refused tasks too.
    assert!(total(&resisting, |w| w.tasks_refused as f64) >= resisted(&resisting));
}

#[test]
fn gps_concede_control_only_where_professionals_resist() {
    let fast = [
        "control.concession_rate=0.05",
        "gp_traits.control_orientation_mean=0.8",
    ];
    let resisted = run(&fast);
    let (first, last) = resisted.first_last().expect("weeks");
    assert!(
        last.mean_control_orientation < first.mean_control_orientation - 0.05,
        "{} -> {}",
        first.mean_control_orientation,
        last.mean_control_orientation
    );
    // Professionals who demand no autonomy tolerate any control: no friction, no concession.
    let docile = run(&[
        &fast[..],
        &[
            "professionals.autonomy_psychologist=0",
            "professionals.autonomy_social_worker=0",
            "professionals.autonomy_nurse=0",
            "professionals.autonomy_sd=0",
        ],
    ]
    .concat());
    assert_eq!(total(&docile, |w| w.friction_events as f64), 0.0);
    let (f2, l2) = docile.first_last().expect("weeks");
    assert!(
        (l2.mean_control_orientation - f2.mean_control_orientation).abs() < 0.03,
        "retirements and arrivals only: {} -> {}",
        f2.mean_control_orientation,
        l2.mean_control_orientation
    );
}

#[test]
fn without_use_ties_decay() {
    // GPs never delegate and no coordinator meets: ties only fade.
    let r = run(&[
        "delegation.propensity_weight=-50",
        "structures.msp_a.coordinator_fte=0",
    ]);
    let (first, last) = r.first_last().expect("weeks");
    assert!(
        last.mean_tie_strength < 0.7 * first.mean_tie_strength,
        "{} -> {}",
        first.mean_tie_strength,
        last.mean_tie_strength
    );
    let used = run(&[]);
    let (f, l) = used.first_last().expect("weeks");
    assert!(
        l.mean_tie_strength > f.mean_tie_strength,
        "with use, trust grows: {} -> {}",
        f.mean_tie_strength,
        l.mean_tie_strength
    );
}

#[test]
fn a_platform_receives_mostly_ad_hoc_tasks_while_gps_keep_the_pivot() {
    let r = run(&[]);
    let share = |r| headline(r, "platform_ad_hoc_share");
    assert!(share(&r) > 0.6, "{}", share(&r));
    // GPs without any wish to stay the pivot hand over whole pathways far more often.
    let detached = run(&[
        "gp_traits.pivot_attachment_mean=0.0",
        "gp_traits.trait_sd=0.0",
    ]);
    assert!(
        share(&detached) < share(&r) - 0.2,
        "{} vs {}",
        share(&detached),
        share(&r)
    );
}

#[test]
fn a_pathway_handed_over_sends_the_patients_later_coordination_to_the_platform() {
    let pathways = |r| total(r, |w| w.platform_pathway as f64);
    let followups = |r| total(r, |w| w.platform_followups as f64);
    let held = |r: &pluri::RunResults| r.weekly.last().expect("weeks").pathways_held;
    // GPs who never hand over a pathway keep every coordination task theirs.
    let never = run(&["platform.handover_base=-30"]);
    assert_eq!(
        (pathways(&never), followups(&never), held(&never)),
        (0.0, 0.0, 0)
    );
    // GPs who always do: the platform holds the pathways and does their coordination after.
    let always = run(&["platform.handover_base=30"]);
    assert!(pathways(&always) > 0.0 && followups(&always) > 0.0);
    assert!(held(&always) > 0);
    // A platform that hands every pathway back after one follow-up holds fewer.
    let brief = run(&["platform.handover_base=30", "platform.case_closure=1"]);
    assert!(
        held(&brief) < held(&always),
        "{} vs {}",
        held(&brief),
        held(&always)
    );
    // The platform's tasks are ad hoc, pathways or follow-ups, nothing else.
    for w in &always.weekly {
        assert_eq!(
            w.platform_ad_hoc + w.platform_pathway + w.platform_followups,
            w.tasks_platform
        );
    }
}

#[test]
fn a_platforms_waiting_time_puts_gps_off_before_it_must_refuse() {
    let heeded = run(&[]);
    let ignored = run(&["platform.wait_weight=0"]);
    let wait =
        |r: &pluri::RunResults| total(r, |w| w.platform_waiting_weeks) / r.weekly.len() as f64;
    let refused = |r: &pluri::RunResults| total(r, |w| w.tasks_refused as f64);
    assert!(wait(&heeded) > 0.0, "the small platform has a queue");
    // GPs who ignore the wait fill its queue to the brim, and it refuses.
    assert!(
        wait(&ignored) > wait(&heeded) + 1.0,
        "{} vs {}",
        wait(&ignored),
        wait(&heeded)
    );
    assert!(
        refused(&ignored) > 2.0 * refused(&heeded),
        "{} vs {}",
        refused(&ignored),
        refused(&heeded)
    );
    // No queue: the platform refuses what it cannot serve this week, and no one waits.
    let no_queue = run(&["platform.max_queue_weeks=0", "platform.handover_base=-30"]);
    assert_eq!(total(&no_queue, |w| w.platform_waiting_weeks), 0.0);
}

#[test]
fn training_multiplies_the_coordinators_effect() {
    // The same coordinator throughout: none leaves (and takes its training along).
    let stay = "coordination.coordinator_turnover_per_year=0";
    let trained = run(&["structures.msp_a.coordinator_trained=true", stay]);
    let untrained = run(&["structures.msp_a.coordinator_trained=false", stay]);
    let legit = |r: &pluri::RunResults| r.weekly.last().map(|w| w.mean_legitimacy).unwrap_or(0.0);
    assert!(
        legit(&trained) > legit(&untrained),
        "{} vs {}",
        legit(&trained),
        legit(&untrained)
    );
    assert!(inside_tie_strength(&trained, "msp_a") > inside_tie_strength(&untrained, "msp_a"));
}

#[test]
fn msp_incentives_drive_msp_formation() {
    let strong = run(&["structural.msp_incentive=4"]);
    let none = run(&["structural.msp_incentive=0"]);
    assert!(headline(&strong, "msps_end") > headline(&none, "msps_end"));
    assert_eq!(total(&none, |w| f64::from(w.msps_founded)), 0.0);
}

#[test]
fn msps_founded_during_a_run_that_sign_the_agreement_get_a_coordinator_and_an_information_system() {
    // The MSPs founded during the run (after week 0), as (coordinator FTE, information system).
    let founded = |uptake: &str| -> Vec<(f64, bool)> {
        let r = run(&["structural.msp_incentive=6", uptake]);
        r.structures
            .iter()
            .filter(|s| s.kind == "msp" && s.founded_week > 0)
            .map(|s| (s.coordinator_fte, s.shared_info_system))
            .collect()
    };
    let signed = founded("structural.agreement_uptake=1");
    let unsigned = founded("structural.agreement_uptake=0");
    assert!(!signed.is_empty() && !unsigned.is_empty());
    assert!(
        signed.iter().all(|&(fte, is)| fte > 0.29 && is),
        "{signed:?}"
    );
    assert!(
        unsigned.iter().all(|&(fte, is)| fte == 0.0 && !is),
        "{unsigned:?}"
    );
}

#[test]
fn a_shared_information_system_raises_delegation_inside() {
    // msp_b alone as the only health centre, so its rows of by_structure_type are its own;
    // room inside, and a cost of delegating high enough to hold GPs back.
    let common = [
        "structures.msp_b.kind=health_centre",
        "structures.msp_b.nurses=4",
        "structures.msp_b.psychologists=2",
        "delegation.inside_cost=3",
        "delegation.info_system_cost_reduction=0.9",
    ];
    let with = run(&[&common[..], &["structures.msp_b.shared_info_system=true"]].concat());
    let without = run(&[&common[..], &["structures.msp_b.shared_info_system=false"]].concat());
    let inside = |r: &pluri::RunResults| -> (u64, u64) {
        let rows = r
            .by_structure_type
            .iter()
            .filter(|t| t.structure_type == "health_centre");
        rows.fold((0, 0), |(i, t), row| (i + row.tasks_inside, t + row.tasks))
    };
    let ((a, ta), (b, tb)) = (inside(&with), inside(&without));
    assert!(
        a as f64 / ta as f64 > 1.5 * b as f64 / tb as f64,
        "{a}/{ta} vs {b}/{tb}"
    );
}

#[test]
fn referrals_build_inter_organisational_ties_that_decay_without_use() {
    let r = run(&[]);
    assert!(headline(&r, "org_active_ties_end") > 0.0);
    let closed = run(&[
        "structures.dac.capacity_per_week=0.001",
        "structures.hopital.capacity_per_week=0.001",
        "structures.ccas.capacity_per_week=0.001",
        "coordination.networking_share=0",
        "coordination.meeting_share=0.45",
    ]);
    let (f, l) = closed.first_last().expect("weeks");
    assert!(l.org_mean_tie <= f.org_mean_tie + 1e-9 && l.org_active_ties <= f.org_active_ties);
}

#[test]
fn unmet_needs_lead_to_avoidable_hospitalisations() {
    let short = run(&[
        "workforce.psychologists_per_100k=0",
        "workforce.social_workers_per_100k=0",
        "workforce.nurses_per_100k=0",
    ]);
    let normal = run(&[]);
    assert!(headline(&short, "unmet_need_share") > headline(&normal, "unmet_need_share"));
    assert!(
        headline(&short, "avoidable_hosp_per_100k_per_year")
            > headline(&normal, "avoidable_hosp_per_100k_per_year")
    );
}

#[test]
fn fewer_gps_leave_more_residents_without_a_declared_gp_and_more_care_forgone() {
    let few = run(&["workforce.gps_per_100k=60"]);
    let many = run(&["workforce.gps_per_100k=200"]);
    assert!(headline(&few, "without_gp_share_end") > headline(&many, "without_gp_share_end"));
    assert!(
        headline(&few, "forgone_per_1000_per_year") > headline(&many, "forgone_per_1000_per_year")
    );
}

#[test]
fn protocols_raise_delegation_inside_the_structure() {
    let with = run(&[
        "structures.msp_b.protocols=10",
        "delegation.protocol_weight=0.5",
    ]);
    let without = run(&["structures.msp_b.protocols=0"]);
    assert!(total(&with, |w| w.tasks_inside as f64) > total(&without, |w| w.tasks_inside as f64));
}

#[test]
fn low_satisfaction_for_long_makes_professionals_leave() {
    let harsh = run(&[
        "gp_traits.control_orientation_mean=1.0",
        "gp_traits.trait_sd=0",
        "control.concession_rate=0",
        "control.friction_sensitivity=5",
        "control.friction_satisfaction_loss=0.3",
        "professionals.satisfaction_recovery=0.01",
    ]);
    assert!(total(&harsh, |w| f64::from(w.departures)) > 0.0);
    assert!(harsh.weekly.iter().any(|w| w.vacant_posts > 0));
    let calm = run(&[
        "gp_traits.control_orientation_mean=0.0",
        "gp_traits.trait_sd=0",
        "professionals.turnover_per_year=0",
    ]);
    assert_eq!(total(&calm, |w| f64::from(w.departures)), 0.0);
}

#[test]
fn professionals_leave_for_reasons_of_their_own_and_more_often_when_dissatisfied() {
    // Friction lowers satisfaction, but never under the leave threshold for long: departures
    // are the turnover's alone.
    let friction = [
        "gp_traits.control_orientation_mean=1.0",
        "gp_traits.trait_sd=0",
        "control.concession_rate=0",
        "control.friction_sensitivity=5",
        "professionals.leave_threshold=0",
    ];
    let departures = |extra: &[&str]| {
        let sets = [&friction[..], extra].concat();
        (1..=4)
            .map(|seed| {
                let seed = format!("seed={seed}");
                let r = run(&[&sets[..], &[seed.as_str()]].concat());
                total(&r, |w| f64::from(w.departures))
            })
            .sum::<f64>()
    };
    let none = departures(&["professionals.turnover_per_year=0"]);
    let content = departures(&["professionals.dissatisfaction_effect=0"]);
    let dissatisfied = departures(&["professionals.dissatisfaction_effect=6"]);
    assert_eq!(none, 0.0);
    // About 8% a year of some 90 professionals over two years and four seeds: about 55.
    assert!(content > 30.0, "{content}");
    assert!(
        dissatisfied > 1.3 * content,
        "departures with satisfaction weighing {dissatisfied}, without {content}"
    );
}

#[test]
fn coordinators_who_leave_take_their_training_with_them() {
    let trained = |rate: &str| {
        let r = run(&[
            "structures.msp_a.coordinator_trained=true",
            "structures.msp_b.coordinator_fte=0.5",
            "structures.msp_b.coordinator_trained=true",
            rate,
        ]);
        let last = r.weekly.last().expect("weeks");
        (
            last.trained_coordinators,
            total(&r, |w| f64::from(w.coordinator_departures)),
        )
    };
    let (kept, none) = trained("coordination.coordinator_turnover_per_year=0");
    let (lost, left) = trained("coordination.coordinator_turnover_per_year=0.9");
    assert_eq!((kept, none), (2, 0.0));
    assert!(
        left > 0.0 && lost < kept,
        "{lost} trained left after {left} departures"
    );
}

#[test]
fn funding_coordinators_in_every_msp_by_intervention_shows_in_the_records() {
    let base = std::fs::read_to_string(small_file()).expect("small.toml");
    let text = format!(
        "{base}\n[[interventions]]\nname = \"fund-all\"\nweek = 10\naction = \"fund_coordinator\"\ntarget_kind = \"msp\"\nfte = 1.0\n"
    );
    let s = pluri::Scenario::from_toml_str(&text, "test").expect("valid");
    let r = pluri::simulate(&s);
    assert_eq!(r.interventions.len(), 1);
    assert!(r.interventions[0].structures_touched >= 2);
    assert!(r.weekly[10].coordinator_fte > r.weekly[9].coordinator_fte);
}

#[test]
fn protocols_meet_resistance_from_members_whose_control_or_autonomy_they_constrain() {
    // msp_a with a full-time coordinator who stays, GPs who want control and professionals
    // who want autonomy; protocols weighed by the members, or not.
    let closed = [
        "structures.msp_a.coordinator_fte=1.0",
        "coordination.coordinator_turnover_per_year=0",
        "gp_traits.control_orientation_mean=0.9",
        "professionals.autonomy_nurse=0.9",
        "professionals.autonomy_psychologist=0.9",
    ];
    let protocols = |extra: &str| {
        (1..=4).fold((0u32, 0.0), |(adopted, rejected), seed| {
            let seed = format!("seed={seed}");
            let r = run(&[&closed[..], &[extra, seed.as_str()]].concat());
            let last = r.weekly.last().expect("weeks");
            (
                adopted + last.protocols,
                rejected + total(&r, |w| f64::from(w.protocols_rejected)),
            )
        })
    };
    let (resisted, rejected) = protocols("coordination.protocol_resistance=1");
    let (free, none) = protocols("coordination.protocol_resistance=0");
    assert_eq!(none, 0.0);
    assert!(rejected > 0.0);
    assert!(
        resisted < free,
        "protocols held at the end: {resisted} when members weigh them, {free} when not"
    );
}
