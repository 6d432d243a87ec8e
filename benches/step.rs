//! Criterion benchmarks at fixed seeds and several sizes: whole runs, one whole week, and each
//! costly phase of the week on its own (its wall time within whole weeks, from the engine's
//! phase clock).
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use pluri::engine::{Phase, Simulation};
use std::time::Duration;

fn scenario(residents_per_zone: u64, zones: usize, weeks: u32) -> pluri::Scenario {
    let mut text = format!("name = \"bench\"\nseed = 1\nweeks = {weeks}\nwarmup_weeks = 0\n");
    for z in 0..zones {
        let (x, y) = ((z % 8) as f64 * 12.0, (z / 8) as f64 * 12.0);
        let rurality = ["urban", "periurban", "rural"][z % 3];
        text.push_str(&format!(
            "[[zones]]\nname = \"z{z}\"\npopulation = {residents_per_zone}\nrurality = \"{rurality}\"\ndeprivation = 0.15\nx_km = {x}\ny_km = {y}\n"
        ));
    }
    pluri::Scenario::from_toml_str(&text, "bench").expect("valid bench scenario")
}

fn runs(c: &mut Criterion) {
    let mut g = c.benchmark_group("simulate_52_weeks");
    g.sample_size(10);
    for (per_zone, zones) in [(2_000u64, 8usize), (10_000, 16), (20_000, 32)] {
        let s = scenario(per_zone, zones, 52);
        let residents = per_zone * zones as u64;
        g.throughput(Throughput::Elements(residents * 52));
        g.bench_with_input(BenchmarkId::from_parameter(residents), &s, |b, s| {
            b.iter(|| pluri::simulate(s))
        });
    }
    g.finish();
}

/// Sizes of the week and phase benchmarks: (residents per zone, zones).
const WEEK_SIZES: [(u64, usize); 3] = [(2_000, 8), (10_000, 16), (40_000, 32)];

/// Weeks run before measuring, so that ties, caseloads and waiting lists are settled.
const SETTLE_WEEKS: u32 = 26;

/// A simulation of `per_zone` × `zones` residents after its settling weeks, with weeks enough
/// left for any number of iterations.
fn settled(s: &pluri::Scenario) -> Simulation<'_> {
    let mut sim = Simulation::new(s);
    for _ in 0..SETTLE_WEEKS {
        sim.week();
    }
    sim
}

/// One whole week, and each costly phase within whole weeks.
fn weeks(c: &mut Criterion) {
    let mut g = c.benchmark_group("week");
    g.sample_size(10);
    let phases = [
        Phase::Prepare,
        Phase::Consult,
        Phase::Refer,
        Phase::Coordinate,
        Phase::Upkeep,
        Phase::Structural,
    ];
    for (per_zone, zones) in WEEK_SIZES {
        let s = scenario(per_zone, zones, 50_000);
        let residents = per_zone * zones as u64;
        g.throughput(Throughput::Elements(residents));
        let mut sim = settled(&s);
        g.bench_function(BenchmarkId::new("whole", residents), |b| {
            b.iter(|| sim.week())
        });
        for phase in phases {
            let mut sim = settled(&s);
            g.bench_function(BenchmarkId::new(phase.name(), residents), |b| {
                b.iter_custom(|iters| {
                    let before = sim.times().phases[phase as usize];
                    for _ in 0..iters {
                        sim.week();
                    }
                    (sim.times().phases[phase as usize] - before).max(Duration::from_nanos(1))
                })
            });
        }
    }
    g.finish();
}

criterion_group! {
    name = benches;
    // No plots: criterion's plotting backend needs system fonts, which a fresh machine lacks.
    config = Criterion::default().without_plots();
    targets = runs, weeks
}
criterion_main!(benches);
