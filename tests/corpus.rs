//! Regression cases found by fuzzing and by the absurd-input tests, kept in
//! `tests/corpus/`. Each file opens with `# expect: refused TEXT` (the error must contain
//! TEXT) or `# expect: simulated` (it must validate and simulate soundly). Files named
//! `sweep-*.toml` are sweep files, read relative to the corpus directory;
//! `compare-*.toml` are comparisons (a [`Comparison`]: the arms and settings of `pluri
//! compare`); `observed-*.csv` are observed tables of a calibration of the small scenario
//! (the `# expect` line is not part of the table); the other `.toml` files are scenarios.
//! Every refusal is short, and names the file (a comparison's names the argument instead).
//! To add a case, drop a file there with its expectation.

use std::fs;
use std::path::Path;

fn corpus() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files: Vec<(String, String)> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .filter(|e| {
            e.path()
                .extension()
                .is_some_and(|x| x == "toml" || x == "csv")
        })
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

/// A comparison as `pluri compare` takes it: scenario files (relative to the corpus), the
/// `--set`, `--arm` and `--without` arguments, replicates and level.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Comparison {
    scenarios: Vec<String>,
    #[serde(default)]
    sets: Vec<String>,
    #[serde(default)]
    arms: Vec<String>,
    #[serde(default)]
    without: Vec<String>,
    #[serde(default = "two")]
    replicates: u32,
    #[serde(default = "ninety_five")]
    level: f64,
}

fn two() -> u32 {
    2
}

fn ninety_five() -> f64 {
    0.95
}

/// Builds, checks and (when accepted) runs a comparison: its arms are named apart even where
/// case is ignored, and every number of its tables is finite.
fn compare(name: &str, text: &str, dir: &Path) -> Result<(), String> {
    use pluri::compare::{execute, tabulate, ArmsSpec, Settings};
    let c: Comparison = toml::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}"));
    let arms = ArmsSpec {
        scenarios: c.scenarios.iter().map(|s| dir.join(s)).collect(),
        sets: c.sets,
        variants: c.arms,
        without: c.without,
    }
    .build()
    .map_err(|e| e.to_string())?;
    let settings = Settings {
        replicates: c.replicates,
        level: c.level,
        ..Settings::new(1, "out".into())
    };
    settings.check().map_err(|e| e.to_string())?;
    for (i, a) in arms.iter().enumerate() {
        assert!(
            a.scenario.weeks() + a.scenario.warmup_weeks() <= 16 && c.replicates <= 4,
            "{name}: keep corpus runs short"
        );
        assert!(
            arms[..i]
                .iter()
                .all(|b| !b.name.eq_ignore_ascii_case(&a.name)),
            "{name}: arm {} is named as another",
            a.name
        );
    }
    let outcome = execute(&arms, &settings, &|_, _| {}).map_err(|e| e.to_string())?;
    let tables = tabulate(&arms, &settings, &outcome);
    for d in &tables.differences {
        for x in [d.difference, d.ci_low, d.ci_high, d.mean_first, d.mean_arm] {
            assert!(x.is_finite(), "{name}: {d:?}");
        }
    }
    Ok(())
}

/// Reads an observed table (the corpus file without its `# expect` line, under its own
/// name) in a calibration of the small scenario over 2 weeks from 2000-01-01.
fn observed(name: &str, text: &str) -> Result<(), String> {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let table = tmp.path().join(name);
    let body = text.split_once('\n').map_or("", |(_, rest)| rest);
    fs::write(&table, body).unwrap_or_else(|e| panic!("{name}: {e}"));
    let small = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/small.toml");
    let cal = format!(
        "name = \"c\"\nscenario = \"{}\"\nstart_date = \"2000-01-01\"\nsamples = 2\nset = [\"weeks=2\", \"warmup_weeks=0\"]\nobserved = [\"{}\"]\n\n[[param]]\npath = \"ties.decay_per_week\"\nrange = [0.002, 0.01]\n\n[[indicator]]\nobserved = \"msps\"\nsimulated = \"msps\"\n",
        small.display(),
        table.display()
    );
    pluri::calibrate::Calibration::from_toml_str(&cal, "cal.toml", tmp.path())
        .map(|_| ())
        .map_err(|e| e.to_string())
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
        } else if name.starts_with("compare-") {
            compare(name, text, &dir).map(|()| None)
        } else if name.starts_with("observed-") {
            observed(name, text).map(|()| None)
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
                    e.contains(name.as_str()) || name.starts_with("compare-"),
                    "{name}: the error names the file: {e}"
                );
                assert!(e.len() < 4_000, "{name}: {} bytes of error", e.len());
            }
            (Expect::Refused(what), Ok(_)) => panic!("{name}: accepted, expected refused ({what})"),
            (Expect::Simulated, Ok(Some(s))) => simulate_soundly(name, &s),
            (Expect::Simulated, Ok(None)) => {}
            (Expect::Simulated, Err(e)) => panic!("{name}: refused: {e}"),
        }
    }
}
