//! Hostile text never makes the scenario or sweep parsers panic: arbitrary strings, and the
//! shipped files with random bytes changed, give a value or an error.

use proptest::prelude::*;
use std::path::Path;

fn sweep_text() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/sweeps/small.toml"
    ))
    .expect("sweep")
}

fn mutate(text: &str, edits: &[(usize, u8)]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for &(pos, b) in edits {
        let i = pos % bytes.len();
        bytes[i] = b;
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_is_refused_or_accepted_without_panic(text in "\\PC{0,300}") {
        let _ = pluri::Scenario::from_toml_str(&text, "fuzz.toml");
        let _ = pluri::sweep::Sweep::from_toml_str(&text, "fuzz.toml", Path::new("."));
    }

    #[test]
    fn the_default_scenario_with_random_bytes_changed_never_panics(edits in prop::collection::vec((0usize..20_000, 0u8..128), 1..6)) {
        let default = include_str!("../scenarios/default.toml");
        let text = mutate(default, &edits);
        if let Ok(s) = pluri::Scenario::from_toml_str(&text, "mutated.toml") {
            // Whatever validates must also survive a few weeks of simulation, unless it is too big to try.
            if s.population() <= 400_000 && s.zones().len() <= 100 {
                let s = s.with_sets(&["weeks=3", "warmup_weeks=0"]);
                if let Ok(s) = s {
                    let r = pluri::simulate(&s);
                    prop_assert_eq!(r.weekly.len(), 3);
                }
            }
        }
    }

    #[test]
    fn a_sweep_file_with_random_bytes_changed_never_panics(edits in prop::collection::vec((0usize..5_000, 0u8..128), 1..6)) {
        let text = mutate(&sweep_text(), &edits);
        let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/sweeps"));
        let _ = pluri::sweep::Sweep::from_toml_str(&text, "mutated.toml", dir);
    }
}
