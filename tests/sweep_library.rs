//! The sweep library: example files stay valid, recorded commands re-run a run alone, and
//! tables do not depend on the thread pool.

mod common;

use common::{root, tmp};
use pluri::sweep::{prepare, Options, RunRecord, Sensitivity, Shard, Sweep};
use std::sync::atomic::AtomicBool;
use std::sync::Mutex;

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
            Sensitivity::from_file(&p).unwrap_or_else(|e| panic!("{e}"));
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
    // Run 7 alone: shard 8 of as many shards as runs.
    let d = tmp();
    let opts = Options {
        out: d.path().join("o"),
        resume: false,
        force: false,
        shard: Shard {
            k: 8,
            n: sweep.runs(),
        },
    };
    let done: Mutex<Vec<RunRecord>> = Mutex::new(Vec::new());
    prepare(&sweep, &opts)
        .and_then(|p| {
            p.execute(&sweep, &AtomicBool::new(false), &|rec, _| {
                done.lock()
                    .unwrap_or_else(|e| panic!("{e}"))
                    .push(rec.clone())
            })
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let done = done.into_inner().unwrap_or_else(|e| panic!("{e}"));
    let [rec] = done.as_slice() else {
        panic!("{} runs in shard 8/{}", done.len(), sweep.runs())
    };
    assert_eq!(rec.run, 7);
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

#[test]
fn a_stopped_sweep_is_resumable_and_writes_no_table() {
    let sweep = Sweep::from_file(&root().join("scenarios/sweeps/small.toml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let d = tmp();
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
