//! Same scenario and seed: byte-identical result files whatever the number of threads.

mod common;

fn files(threads: usize, seed: u64) -> Vec<(&'static str, Vec<u8>)> {
    let s = common::small(&["weeks=60"]).with_seed(seed);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("pool");
    let r = pool.install(|| pluri::simulate(&s));
    pluri::output::serialize::run_files(&s, &r).expect("serialize")
}

#[test]
fn results_are_byte_identical_with_1_2_and_8_threads() {
    let one = files(1, 11);
    for n in [2, 8] {
        let other = files(n, 11);
        for ((name, a), (_, b)) in one.iter().zip(&other) {
            assert!(a == b, "{name} differs between 1 and {n} threads");
        }
    }
}

#[test]
fn another_seed_gives_other_results() {
    let a = files(2, 11);
    let b = files(2, 12);
    let weekly = |f: &[(&str, Vec<u8>)]| {
        f.iter()
            .find(|(n, _)| *n == "weekly.csv")
            .map(|(_, b)| b.clone())
    };
    assert_ne!(weekly(&a), weekly(&b));
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
