//! Same scenario and seed: the same results whatever the number of threads (the files of a
//! run through the command: `cli.rs`); another seed, other results.

mod common;

#[test]
fn another_seed_gives_other_results() {
    let s = common::small(&["weeks=60"]);
    let weekly = |seed| pluri::simulate(&s.with_seed(seed)).weekly;
    assert_ne!(weekly(11), weekly(12));
}

#[test]
fn the_default_scenario_is_deterministic_across_thread_counts() {
    let s = pluri::Scenario::default_scenario()
        .expect("valid")
        .with_sets(&["weeks=132", "warmup_weeks=0"])
        .expect("valid");
    let run = |n| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .expect("pool");
        pool.install(|| pluri::simulate(&s))
    };
    assert_eq!(run(1), run(3));
}
