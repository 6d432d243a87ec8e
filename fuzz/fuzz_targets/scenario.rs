//! libFuzzer target: arbitrary bytes as a scenario file and as a sweep file. Nothing may
//! panic, loop or allocate without bound; a scenario that validates and is small is simulated
//! for a few weeks (the engine's debug-build invariants run too).
//!
//! RUSTC_BOOTSTRAP=1 cargo fuzz run scenario -- -max_total_time=60   (from the repository root)
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(s) = pluri::Scenario::from_toml_str(text, "fuzz.toml") {
        let small = s.population() <= 50_000
            && s.zones.len() <= 32
            && s.estimated_memory_bytes() <= 128 << 20
            && s.zones.iter().all(|z| {
                pluri::model::build::gp_target(&s.params, z.population, z.rurality) <= 2_000
            });
        if small {
            if let Ok(short) = s.with_sets(&["weeks=3", "warmup_weeks=0"]) {
                let r = pluri::simulate(&short);
                assert_eq!(r.weekly.len(), 3);
                for w in &r.weekly {
                    assert_eq!(w.residents, short.population());
                }
            }
        }
    }
    let _ = pluri::sweep::Sweep::from_toml_str(text, "fuzz.toml", Path::new("scenarios/sweeps"));
});
