//! Regression cases found by fuzzing and by the absurd-input tests, kept in
//! `tests/corpus/`. Each file opens with `# expect: refused TEXT` (the error must contain
//! TEXT) or `# expect: simulated` (it must validate and simulate soundly). Files named
//! `sweep-*.toml` are sweep files, read relative to the corpus directory; the others are
//! scenarios. To add a case, drop a file there with its expectation.

use std::fs;
use std::path::Path;

fn corpus() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files: Vec<(String, String)> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "toml"))
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let text = fs::read_to_string(e.path()).unwrap_or_else(|err| panic!("{name}: {err}"));
            (name, text)
        })
        .collect();
    files.sort();
    files
}

enum Expect {
    Refused(String),
    Simulated,
}

fn expectation(name: &str, text: &str) -> Expect {
    let first = text.lines().next().unwrap_or_default();
    let rest = first
        .strip_prefix("# expect: ")
        .unwrap_or_else(|| panic!("{name}: the first line must be `# expect: ...`"));
    if rest == "simulated" {
        Expect::Simulated
    } else {
        let what = rest
            .strip_prefix("refused ")
            .unwrap_or_else(|| panic!("{name}: expect `refused TEXT` or `simulated`"));
        Expect::Refused(what.to_string())
    }
}

/// The scenario prints back as itself; a few weeks of it are checked for conservation, task
/// accounting and finite numbers.
fn simulate_soundly(name: &str, s: &pluri::Scenario) {
    assert!(
        s.weeks() + s.warmup_weeks() <= 16,
        "{name}: keep corpus runs short"
    );
    let shown = s.to_commented_toml();
    let back = pluri::Scenario::from_toml_str(&shown, name)
        .unwrap_or_else(|e| panic!("{name}: its printed form is refused: {e}\n{shown}"));
    assert_eq!(
        back.hash(),
        s.hash(),
        "{name}: printed form reads back differently"
    );
    assert_eq!(back.seed(), s.seed(), "{name}");
    let r = pluri::simulate(s);
    assert_eq!(r.weekly.len() as u32, s.weeks(), "{name}");
    for w in &r.weekly {
        assert_eq!(w.residents, s.population(), "{name}: residents conserved");
        assert_eq!(
            w.tasks,
            w.tasks_alone
                + w.tasks_inside
                + w.tasks_outside
                + w.tasks_platform
                + w.tasks_dropped
                + w.tasks_refused,
            "{name}: every task ends one way"
        );
    }
    for (k, v) in r.headline() {
        assert!(v.is_finite(), "{name}: headline {k} = {v}");
    }
}

#[test]
fn every_corpus_case_is_refused_or_simulated_as_recorded() {
    let files = corpus();
    assert!(files.len() >= 10, "the corpus lost files: {}", files.len());
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    for (name, text) in &files {
        let expect = expectation(name, text);
        let outcome = if name.starts_with("sweep-") {
            pluri::sweep::Sweep::from_toml_str(text, name, &dir)
                .map(|_| None)
                .map_err(|e| e.to_string())
        } else {
            pluri::Scenario::from_toml_str(text, name)
                .map(Some)
                .map_err(|e| e.to_string())
        };
        match (expect, outcome) {
            (Expect::Refused(what), Err(e)) => {
                assert!(
                    e.contains(&what),
                    "{name}: refused, but without {what:?}: {e}"
                );
                assert!(
                    e.contains(name.as_str()),
                    "{name}: the error names the file: {e}"
                );
            }
            (Expect::Refused(what), Ok(_)) => panic!("{name}: accepted, expected refused ({what})"),
            (Expect::Simulated, Ok(Some(s))) => simulate_soundly(name, &s),
            (Expect::Simulated, Ok(None)) => {}
            (Expect::Simulated, Err(e)) => panic!("{name}: refused: {e}"),
        }
    }
}
