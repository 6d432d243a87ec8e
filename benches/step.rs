//! Criterion benchmarks of whole runs at several sizes, at fixed seeds.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

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

criterion_group!(benches, runs);
criterion_main!(benches);
