//! Properties that hold for any valid parameters: run in debug builds, the engine also checks
//! its invariants every week (`engine::invariants`), so a broken one fails these tests too.

mod common;
use proptest::prelude::*;

fn share() -> impl Strategy<Value = f64> {
    (0u32..=100).prop_map(|x| f64::from(x) / 100.0)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn any_parameters_keep_residents_shares_and_task_accounting_sound(
        seed in 0u64..1_000_000,
        declared in share(),
        control in share(),
        propensity in share(),
        psych in share(),
        gps in 0u32..300,
        nurses in 0u32..200,
        list_max in 0u32..3000,
        incentive in 0u32..5,
        fte in share(),
        wait in 0u32..6,
    ) {
        let sets = [
            "weeks=16".to_string(),
            "warmup_weeks=4".to_string(),
            format!("population.declared_gp_share={declared}"),
            format!("gp_traits.control_orientation_mean={control}"),
            format!("gp_traits.delegation_propensity_mean={propensity}"),
            format!("tasks.psych_task_prob={psych}"),
            format!("workforce.gps_per_100k={gps}"),
            format!("workforce.nurses_per_100k={nurses}"),
            format!("workforce.gp_list_max={list_max}"),
            format!("structural.msp_incentive={incentive}"),
            format!("structures.msp_a.coordinator_fte={fte}"),
            format!("outcomes.max_wait_weeks={wait}"),
        ];
        let sets: Vec<&str> = sets.iter().map(String::as_str).collect();
        let s = common::small(&sets).with_seed(seed);
        let r = pluri::simulate(&s);
        prop_assert_eq!(r.weekly.len(), 16);
        for w in &r.weekly {
            prop_assert_eq!(w.residents, s.population(), "patients are conserved");
            prop_assert_eq!(w.tasks, w.tasks_alone + w.tasks_inside + w.tasks_outside + w.tasks_platform + w.tasks_dropped + w.tasks_refused);
            prop_assert_eq!(w.tasks, w.needs_met + w.needs_unmet);
            for x in [w.without_gp_share, w.gp_utilisation, w.prof_utilisation, w.delegated_share, w.mean_satisfaction,
                      w.mean_tie_strength, w.tie_density, w.org_mean_tie, w.interorg_referral_share, w.mean_legitimacy,
                      w.complex_multi_share, w.mean_control_orientation] {
                prop_assert!((0.0..=1.0).contains(&x), "share {} out of 0..1 in week {}", x, w.week);
            }
            prop_assert!(w.without_gp <= w.residents && w.waiting <= w.residents);
        }
        for t in r.ties.iter() {
            prop_assert!((0.0..=1.0).contains(&t.strength));
        }
    }
}
