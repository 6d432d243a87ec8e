//! Criterion benchmarks at fixed seeds and several sizes: whole runs, one whole week, and each
//! costly phase of the week on its own (its wall time within whole weeks, from the engine's
//! phase clock).
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use pluri::{Phase, Simulation};
use std::time::{Duration, Instant};

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

/// Weeks measured on one simulation before a fresh one is built and settled (unmeasured), so
/// that every benchmark measures the same stretch of the same run, whatever its iterations.
const WINDOW_WEEKS: u32 = 52;

/// Measures `iters` weeks of `s`, in windows of [`WINDOW_WEEKS`] after the settling weeks;
/// returns the wall time of `phase` in them, or of whole weeks with `None`.
fn measure<'s>(
    s: &'s pluri::Scenario,
    sim: &mut Option<(Simulation<'s>, u32)>,
    phase: Option<Phase>,
    iters: u64,
) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        if !matches!(sim, Some((_, w)) if *w < WINDOW_WEEKS) {
            let mut fresh = Simulation::new(s);
            for _ in 0..SETTLE_WEEKS {
                fresh.week();
            }
            *sim = Some((fresh, 0));
        }
        let Some((run, weeks)) = sim.as_mut() else {
            continue;
        };
        let clock = |r: &Simulation| phase.map(|ph| r.times().phases[ph as usize]);
        let (before, started) = (clock(run), Instant::now());
        run.week();
        total += match (clock(run), before) {
            (Some(after), Some(before)) => after - before,
            _ => started.elapsed(),
        };
        *weeks += 1;
    }
    total.max(Duration::from_nanos(1))
}

/// One whole week, and each costly phase within whole weeks.
fn weeks(c: &mut Criterion) {
    let mut g = c.benchmark_group("week");
    g.sample_size(10);
    let phases = [
        None,
        Some(Phase::Prepare),
        Some(Phase::Consult),
        Some(Phase::Refer),
        Some(Phase::Coordinate),
        Some(Phase::Upkeep),
        Some(Phase::Structural),
    ];
    for (per_zone, zones) in WEEK_SIZES {
        let s = scenario(per_zone, zones, 50_000);
        let residents = per_zone * zones as u64;
        g.throughput(Throughput::Elements(residents));
        for phase in phases {
            let name = phase.map_or("whole", Phase::name);
            let mut sim = None;
            g.bench_function(BenchmarkId::new(name, residents), |b| {
                b.iter_custom(|iters| measure(&s, &mut sim, phase, iters))
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
