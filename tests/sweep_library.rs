//! The sweep library: example files stay valid, recorded commands re-run a run alone, and
//! tables do not depend on the thread pool.

use pluri::sweep::{prepare, Options, Shard, Sweep};
use std::path::Path;
use std::sync::atomic::AtomicBool;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_example_sweep_file_is_valid() {
    let dir = root().join("scenarios/sweeps");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{e}")) {
        let p = e.unwrap_or_else(|e| panic!("{e}")).path();
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name == "sensitivity.toml" {
            pluri::sweep::sensitivity::Sensitivity::from_file(&p).unwrap_or_else(|e| panic!("{e}"));
        } else if name.ends_with(".toml") {
            Sweep::from_file(&p).unwrap_or_else(|e| panic!("{e}"));
        }
        n += 1;
    }
    assert!(
        n >= 5,
        "small, coordinators, platform, msp-doubling, sensitivity"
    );
}

#[test]
fn recorded_command_reruns_a_run_alone_with_the_same_indicators() {
    let sweep = Sweep::from_file(&root().join("scenarios/sweeps/small.toml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let rec = pluri::sweep::exec::run_one(&sweep, 7).unwrap_or_else(|e| panic!("{e}"));
    // What `pluri run base.toml --set ... --seed S` does, from the recorded command alone.
    let base = pluri::Scenario::from_toml_str(&sweep.base.to_commented_toml(), "base.toml")
        .unwrap_or_else(|e| panic!("{e}"));
    let args: Vec<&str> = rec.command.split_whitespace().collect();
    let sets: Vec<&str> = args
        .windows(2)
        .filter(|w| w[0] == "--set")
        .map(|w| w[1])
        .collect();
    let seed: u64 = args.last().and_then(|s| s.parse().ok()).unwrap_or(0);
    assert_eq!(seed, rec.seed);
    let alone = pluri::simulate(
        &base
            .with_sets(&sets)
            .unwrap_or_else(|e| panic!("{e}"))
            .with_seed(seed),
    );
    let got: Vec<Option<f64>> = alone.headline().into_iter().map(|(_, v)| Some(v)).collect();
    let want: Vec<Option<f64>> = rec.indicators.0.iter().map(|(_, v)| *v).collect();
    assert_eq!(got, want);
}

fn tables_with_threads(threads: usize, out: &Path) -> (Vec<u8>, Vec<u8>) {
    let sweep = Sweep::from_file(&root().join("scenarios/sweeps/small.toml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let opts = Options {
        out: out.to_path_buf(),
        resume: false,
        force: false,
        shard: Shard::ALL,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    pool.install(|| {
        prepare(&sweep, &opts)
            .and_then(|p| p.execute(&sweep, &AtomicBool::new(false), &|_, _| {}))
            .unwrap_or_else(|e| panic!("{e}"))
    });
    let read = |n: &str| std::fs::read(out.join(n)).unwrap_or_else(|e| panic!("{e}"));
    (read("runs.csv"), read("points.csv"))
}

#[test]
fn example_sweep_tables_are_identical_in_pools_of_one_and_two_threads() {
    let d = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let one = tables_with_threads(1, &d.path().join("one"));
    let two = tables_with_threads(2, &d.path().join("two"));
    assert_eq!(one, two);
    let points = String::from_utf8_lossy(&one.1).into_owned();
    assert_eq!(points.lines().count(), 13, "a header and 12 points");
    assert!(points.starts_with(
        "point,structures.msp_a.coordinator_fte,gp_traits.delegation_propensity_mean,n,"
    ));
}

#[test]
fn a_stopped_sweep_is_resumable_and_writes_no_table() {
    let sweep = Sweep::from_file(&root().join("scenarios/sweeps/small.toml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let d = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = d.path().join("o");
    let opts = Options {
        out: out.clone(),
        resume: false,
        force: false,
        shard: Shard::ALL,
    };
    let stop = AtomicBool::new(false);
    let count = std::sync::atomic::AtomicU64::new(0);
    let report = prepare(&sweep, &opts)
        .and_then(|p| {
            p.execute(&sweep, &stop, &|_, _| {
                if count.fetch_add(1, std::sync::atomic::Ordering::SeqCst) >= 4 {
                    stop.store(true, std::sync::atomic::Ordering::SeqCst);
                }
            })
        })
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(report.interrupted && report.ran < sweep.runs());
    assert!(!out.join("runs.csv").exists());
    let opts = Options {
        resume: true,
        ..opts
    };
    let report2 = prepare(&sweep, &opts)
        .and_then(|p| p.execute(&sweep, &AtomicBool::new(false), &|_, _| {}))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report2.already + report2.ran, sweep.runs());
    assert!(out.join("points.csv").exists());
}
