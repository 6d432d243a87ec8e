//! Structure-aware fuzzing of `pluri compare`: generated arms (scenario files among which
//! same names, invalid, huge and missing ones; `--arm NAME:PATH=VALUE,...` strings built from
//! the small scenario's fields; `--without` names; `--set` overrides) go through
//! `ArmsSpec::build`, generated settings (replicates, level, relative and absolute
//! precisions, question) through `Settings::check`, and a bounded list of command lines
//! through `pluri compare` itself.
//!
//! Properties: never a panic; every refusal names the argument, file or intervention at
//! fault; accepted arms of the small scenario (1 or 2 weeks, 2 replicates) run, give finite
//! tables and the same outcome on one thread as on several; an arm identical to the first
//! (its `differs` empty) differs by exactly zero in every indicator and every week.
//!
//! `PLURI_FUZZ_CASES=N` sets the cases of each property (defaults: [`ARMS_CASES`] and
//! [`SETTINGS_CASES`]).

mod common;
mod fuzz_gen;

use fuzz_gen::small_enough;
use fuzz_gen::studies::{
    arm_arg, indicator_name, level, override_piece, precision_value, replicates, without_arg,
    INTERVENTIONS,
};
use pluri::compare::{
    execute, tabulate, write_report, write_tables, Arm, ArmsSpec, CompareError, Outcome, Settings,
};
use pluri_schema::compare::{DIFFERS, NOT_DISTINGUISHABLE};
use proptest::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// Generated arm sets tried, built and run; settings tried and accepted (see [`report`]).
static TRIED: AtomicUsize = AtomicUsize::new(0);
static BUILT: AtomicUsize = AtomicUsize::new(0);
static RAN: AtomicUsize = AtomicUsize::new(0);
static SETTINGS_TRIED: AtomicUsize = AtomicUsize::new(0);
static SETTINGS_OK: AtomicUsize = AtomicUsize::new(0);

/// With `PLURI_FUZZ_STATS=1`, prints how many inputs were tried, accepted and run.
fn report() {
    if std::env::var_os("PLURI_FUZZ_STATS").is_some() {
        eprintln!(
            "arms: {} tried, {} built, {} run; settings: {} tried, {} accepted",
            TRIED.load(Ordering::Relaxed),
            BUILT.load(Ordering::Relaxed),
            RAN.load(Ordering::Relaxed),
            SETTINGS_TRIED.load(Ordering::Relaxed),
            SETTINGS_OK.load(Ordering::Relaxed)
        );
    }
}

/// Generated arm sets per `cargo test` (each accepted one of the small scenario runs twice:
/// 2 replicates per arm, on all threads and on one).
const ARMS_CASES: u32 = 64;
/// Generated settings per `cargo test` (each accepted one tabulates a fixed comparison).
const SETTINGS_CASES: u32 = 256;

fn cases(default: u32) -> u32 {
    std::env::var("PLURI_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Scenario files the generated comparisons choose from, written once per test binary into
/// its folder of the target directory.
struct Files {
    /// (path, what it is) in the order the generators index them.
    all: Vec<(PathBuf, &'static str)>,
}

/// The small scenario over `weeks` weeks without warm-up, as a file's text.
fn small_text(weeks: u32, name: &str) -> String {
    let weeks = format!("weeks={weeks}");
    let name = format!("name=\"{name}\"");
    common::small(&[weeks.as_str(), "warmup_weeks=0", name.as_str()]).to_commented_toml()
}

fn files() -> &'static Files {
    static FILES: OnceLock<Files> = OnceLock::new();
    FILES.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz_compare");
        std::fs::create_dir_all(&dir).expect("fixture folder");
        let write = |name: &str, text: &str| {
            let p = dir.join(name);
            std::fs::write(&p, text).expect("write fixture");
            p
        };
        let tiny = format!(
            "{}{INTERVENTIONS}",
            small_text(2, "small").replace("\ninterventions = []\n", "\n")
        );
        let mut huge = String::from(
            "name = \"huge\"\nweeks = 2\n[workforce]\ngps_per_100k = 1.0\npsychologists_per_100k = 1.0\n\
             social_workers_per_100k = 1.0\nnurses_per_100k = 1.0\n",
        );
        for i in 0..1000 {
            huge.push_str(&format!(
                "[[zones]]\nname = \"z{i}\"\npopulation = 1000000000\nrurality = \"urban\"\nx_km = {i}.0\ny_km = 0.0\n"
            ));
        }
        // More than the 16 MiB a scenario file may hold (sparse: it takes no disk space).
        let big = write("big.toml", "");
        std::fs::File::options()
            .write(true)
            .open(&big)
            .and_then(|f| f.set_len(17 << 20))
            .expect("big file");
        let all = vec![
            (write("tiny.toml", &tiny), "the small scenario, 2 weeks, 2 interventions"),
            (write("same.toml", &tiny), "the same file again"),
            (write("plain.toml", &small_text(2, "small")), "same name, no interventions"),
            (write("short.toml", &small_text(1, "short")), "1 week"),
            (
                write("invalid.toml", &tiny.replace("elderly_share = ", "elderly_share = nan #")),
                "a NaN share",
            ),
            (write("huge.toml", &huge), "10^12 residents in 1,000 zones"),
            (big, "a file over 16 MiB"),
            (write("empty.toml", ""), "empty"),
            (dir.join("missing.toml"), "missing"),
            (dir.clone(), "a directory"),
        ];
        Files { all }
    })
}

/// Indices into [`Files::all`]: the first mostly the small scenario with interventions.
fn scenario_indices() -> impl Strategy<Value = Vec<usize>> {
    let first = prop_oneof![8 => Just(0usize), 1 => 1usize..4, 1 => 4usize..10];
    let more = prop::collection::vec(prop_oneof![9 => 0usize..4, 1 => 4usize..10], 0..3);
    (first, more).prop_map(|(f, mut m)| {
        m.insert(0, f);
        m
    })
}

/// Whether the message names something the user gave: a file, an `--arm` name, a `--set`
/// path, an intervention left out.
fn names_an_input(msg: &str, spec: &ArmsSpec) -> bool {
    let path_of = |s: &str| s.split('=').next().unwrap_or_default().trim().to_string();
    spec.scenarios
        .iter()
        .any(|p| msg.contains(&p.display().to_string()))
        || spec.variants.iter().any(|v| {
            let name = v.split(':').next().unwrap_or_default().trim();
            msg.contains(&format!("--arm {v}")) || (!name.is_empty() && msg.contains(name))
        })
        || spec
            .sets
            .iter()
            .any(|s| !path_of(s).is_empty() && msg.contains(&path_of(s)))
        || spec
            .without
            .iter()
            .any(|w| msg.contains(&format!("{w:?}")) || msg.contains(&format!("without-{w}")))
}

fn check_refusal(spec: &ArmsSpec, e: &CompareError) -> Result<(), TestCaseError> {
    let msg = e.to_string();
    match e {
        CompareError::Argument { given, .. } => prop_assert!(
            spec.variants.iter().any(|v| *given == format!("--arm {v}")),
            "an argument refusal that does not quote an --arm given: {}",
            msg
        ),
        CompareError::Scenario { .. } => prop_assert!(
            names_an_input(&msg, spec),
            "a refusal naming nothing given: {}",
            msg
        ),
        CompareError::OneArm(_) => prop_assert!(
            spec.scenarios.len() == 1 && spec.variants.is_empty() && spec.without.is_empty(),
            "one arm only, with more given: {}",
            msg
        ),
        other => prop_assert!(false, "building arms cannot fail so: {}", other),
    }
    // Quoted input is cut: a 17 MiB file or a 300-character name give a short message.
    prop_assert!(msg.len() < 20_000, "{} bytes of error", msg.len());
    Ok(())
}

fn check_arms(spec: &ArmsSpec, arms: &[Arm]) -> Result<(), TestCaseError> {
    prop_assert_eq!(
        arms.len(),
        spec.scenarios.len() + spec.variants.len() + spec.without.len()
    );
    prop_assert!(arms.len() >= 2);
    for (i, a) in arms.iter().enumerate() {
        prop_assert!(
            !a.name.is_empty()
                && !a.name.starts_with(['.', '-'])
                && a.name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)),
            "arm name not safe as a file name: {:?}",
            a.name
        );
        // Unique even where file names ignore case (scenarios/<arm>.toml on macOS, Windows).
        for b in &arms[..i] {
            prop_assert!(
                !a.name.eq_ignore_ascii_case(&b.name),
                "two arms named {:?} and {:?}",
                b.name,
                a.name
            );
        }
        prop_assert!(a.differs.len() <= 41, "{} lines", a.differs.len());
        let back = pluri::Scenario::from_toml_str(&a.scenario.to_commented_toml(), "arm.toml");
        prop_assert!(
            back.is_ok(),
            "arm {} does not print back: {:?}",
            a.name,
            back.err()
        );
        if let Ok(b) = back {
            prop_assert_eq!(b.hash(), a.scenario.hash());
        }
    }
    prop_assert!(arms[0].differs.is_empty());
    let first = &arms[0].scenario;
    let offset = spec.scenarios.len() + spec.variants.len();
    for (w, arm) in spec.without.iter().zip(&arms[offset..]) {
        prop_assert_eq!(
            arm.scenario.interventions().len() + 1,
            first.interventions().len()
        );
        prop_assert!(arm.scenario.interventions().iter().all(|i| &i.name != w));
    }
    Ok(())
}

/// Every number of the tables is finite; an arm identical to the first (by its `differs`)
/// differs by exactly zero everywhere.
fn check_tables(arms: &[Arm], settings: &Settings, outcome: &Outcome) -> Result<(), TestCaseError> {
    let t = tabulate(arms, settings, outcome);
    for r in &t.arms {
        for x in [r.mean, r.sd, r.ci_low, r.ci_high] {
            prop_assert!(x.is_finite(), "{} {}: {:?}", r.arm, r.indicator, r);
        }
    }
    for d in &t.differences {
        for x in [
            d.mean_first,
            d.mean_arm,
            d.difference,
            d.ci_low,
            d.ci_high,
            d.sd_difference,
        ] {
            prop_assert!(x.is_finite(), "{} {}: {:?}", d.arm, d.indicator, d);
        }
        prop_assert!(
            d.ci_low <= d.difference && d.difference <= d.ci_high,
            "{:?}",
            d
        );
        let excludes = d.ci_low > 0.0 || d.ci_high < 0.0;
        prop_assert_eq!(
            d.verdict.as_str(),
            if excludes {
                DIFFERS
            } else {
                NOT_DISTINGUISHABLE
            }
        );
        prop_assert!(d.replicates_needed.is_none_or(|n| n >= 2), "{:?}", d);
    }
    for w in &t.weekly {
        for x in [w.mean, w.sd, w.ci_low, w.ci_high] {
            prop_assert!(x.is_finite(), "{:?}", w);
        }
        for x in [w.difference, w.difference_ci_low, w.difference_ci_high]
            .into_iter()
            .flatten()
        {
            prop_assert!(x.is_finite(), "{:?}", w);
        }
    }
    for arm in arms.iter().skip(1).filter(|a| a.differs.is_empty()) {
        for d in t.differences.iter().filter(|d| d.arm == arm.name) {
            prop_assert!(
                d.difference == 0.0 && d.ci_low == 0.0 && d.ci_high == 0.0,
                "identical arm {} differs: {:?}",
                arm.name,
                d
            );
            prop_assert_eq!(d.verdict.as_str(), NOT_DISTINGUISHABLE);
        }
        for w in t.weekly.iter().filter(|w| w.arm == arm.name) {
            prop_assert_eq!(w.difference, Some(0.0), "identical arm, week {}", w.week);
        }
    }
    Ok(())
}

/// Runs accepted arms twice (all threads, then one) and checks the outcome and its tables.
fn run_arms(arms: &[Arm], seed: u64) -> Result<(), TestCaseError> {
    let tmp = common::tmp();
    let settings = Settings {
        replicates: 2,
        ..Settings::new(seed, tmp.path().join("out"))
    };
    prop_assert!(settings.check().is_ok());
    let outcome = execute(arms, &settings, &|_, _| {});
    prop_assert!(outcome.is_ok(), "accepted arms failed: {:?}", outcome.err());
    let Ok(outcome) = outcome else {
        return Ok(());
    };
    prop_assert_eq!(outcome.runs.len(), arms.len());
    for (a, runs) in outcome.runs.iter().enumerate() {
        prop_assert_eq!(runs.len(), 2);
        for (r, run) in runs.iter().enumerate() {
            prop_assert_eq!(run.weekly.len() as u32, arms[a].scenario.weeks());
            prop_assert_eq!(run.seed, outcome.runs[0][r].seed, "paired seeds");
            prop_assert!(run.headline.iter().all(|x| x.is_finite()));
            prop_assert!(run.weekly.iter().flatten().all(|x| x.is_finite()));
        }
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("pool");
    let again = pool.install(|| execute(arms, &settings, &|_, _| {}));
    prop_assert!(again.as_ref().ok() == Some(&outcome), "not deterministic");
    check_tables(arms, &settings, &outcome)?;
    let tables = tabulate(arms, &settings, &outcome);
    let dir = tmp.path().join("tables");
    std::fs::create_dir(&dir).expect("dir");
    let written = write_tables(&dir, arms, &outcome, &tables)
        .and_then(|()| write_report(&dir, arms, &settings, &outcome, &tables, &[]));
    prop_assert!(written.is_ok(), "{:?}", written.err());
    for arm in arms {
        let file = dir.join("scenarios").join(format!("{}.toml", arm.name));
        let back = pluri::Scenario::from_file(&file).map(|s| s.hash());
        prop_assert_eq!(back.ok(), Some(arm.scenario.hash()));
    }
    Ok(())
}

/// A comparison of the small scenario run once: the reference, a lever and an identical arm,
/// 3 replicates; the settings property tabulates it at generated levels and precisions.
fn fixed() -> &'static (Vec<Arm>, Outcome) {
    static FIXED: OnceLock<(Vec<Arm>, Outcome)> = OnceLock::new();
    FIXED.get_or_init(|| {
        let arms = ArmsSpec {
            scenarios: vec![files().all[0].0.clone()],
            variants: vec![
                "lever:structures.msp_b.coordinator_fte=1.0".into(),
                "same:weeks=2".into(),
            ],
            ..ArmsSpec::default()
        }
        .build()
        .expect("arms");
        let settings = Settings {
            replicates: 3,
            ..Settings::new(11, "out".into())
        };
        let outcome = execute(&arms, &settings, &|_, _| {}).expect("runs");
        (arms, outcome)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(ARMS_CASES), ..ProptestConfig::default() })]

    #[test]
    fn generated_arms_are_refused_naming_the_fault_or_run_soundly(
        scenarios in scenario_indices(),
        sets in prop_oneof![6 => Just(Vec::new()), 1 => prop::collection::vec(override_piece(), 1..3)],
        variants in prop::collection::vec(arm_arg(), 0..3),
        without in prop::collection::vec(without_arg(), 0..3),
        seed in any::<u64>(),
    ) {
        TRIED.fetch_add(1, Ordering::Relaxed);
        report();
        let f = files();
        let spec = ArmsSpec {
            scenarios: scenarios.iter().map(|&i| f.all[i].0.clone()).collect(),
            sets,
            variants,
            without,
        };
        match spec.build() {
            Err(e) => check_refusal(&spec, &e)?,
            Ok(arms) => {
                BUILT.fetch_add(1, Ordering::Relaxed);
                check_arms(&spec, &arms)?;
                if arms.iter().all(|a| small_enough(&a.scenario, 4)) {
                    RAN.fetch_add(1, Ordering::Relaxed);
                    run_arms(&arms, seed)?;
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(SETTINGS_CASES), ..ProptestConfig::default() })]

    #[test]
    fn generated_settings_are_refused_naming_the_option_or_tabulate_finitely(
        replicates in replicates(),
        level in level(),
        relative_precision in precision_value(),
        precision in prop::collection::vec(
            (indicator_name(pluri_study::compare::indicators()), precision_value()),
            0..3,
        ),
        question in prop::option::of(prop::sample::select(vec![
            "Does it help?", "", "<script>alert(1)</script>", "a & b < c", "é\u{0}\n",
        ])),
        paired in any::<bool>(),
        seed in any::<u64>(),
    ) {
        SETTINGS_TRIED.fetch_add(1, Ordering::Relaxed);
        report();
        let settings = Settings {
            replicates,
            level,
            paired,
            relative_precision,
            precision: precision.clone(),
            question: question.map(String::from),
            ..Settings::new(seed, "out".into())
        };
        let known = pluri_study::compare::indicators();
        let fine_replicates = (2..=pluri_study::compare::MAX_REPLICATES).contains(&replicates);
        let fine_level = level > 0.0 && level <= pluri_study::compare::MAX_LEVEL;
        let fine_relative = relative_precision > 0.0 && relative_precision.is_finite();
        let fine_precision = |(n, h): &(String, f64)| known.contains(n) && *h > 0.0 && h.is_finite();
        match settings.check() {
            Err(CompareError::Argument { given, message }) => {
                let blamed = if given.starts_with("--replicates ") {
                    !fine_replicates && given == format!("--replicates {replicates}")
                } else if given.starts_with("--level ") {
                    !fine_level
                } else if given.starts_with("--relative-precision ") {
                    !fine_relative
                } else {
                    precision.iter().any(|p| {
                        !fine_precision(p) && given == format!("--precision {}={}", p.0, p.1)
                    })
                };
                prop_assert!(blamed, "refusal blames a good setting: {}: {}", given, message);
            }
            Err(other) => prop_assert!(false, "settings cannot fail so: {}", other),
            Ok(()) => {
                SETTINGS_OK.fetch_add(1, Ordering::Relaxed);
                prop_assert!(
                    fine_replicates && fine_level && fine_relative && precision.iter().all(fine_precision),
                    "accepted: {:?}",
                    settings
                );
                let (arms, outcome) = fixed();
                let settings = Settings { replicates: 3, ..settings };
                check_tables(arms, &settings, outcome)?;
                let tables = tabulate(arms, &settings, outcome);
                let tmp = common::tmp();
                prop_assert!(write_report(tmp.path(), arms, &settings, outcome, &tables, &[]).is_ok());
                let html = std::fs::read_to_string(tmp.path().join("report.html")).unwrap_or_default();
                prop_assert!(!html.contains("<script>alert"), "the question is not escaped");
            }
        }
    }
}

/// `pluri compare ARGS --out OUT -q` in `dir`: exit code, stderr.
fn compare(dir: &Path, args: &[&str], out: &str) -> (Option<i32>, String) {
    let o = common::compare_in(dir, out, args);
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Every CSV file of a comparison directory but `compare.json` and the report (which quote
/// the command line, and so `--out`).
fn tables_of(dir: &Path) -> Vec<(String, Vec<u8>)> {
    ["arms.csv", "differences.csv", "weekly.csv", "runs.csv"]
        .iter()
        .map(|n| (n.to_string(), std::fs::read(dir.join(n)).expect("table")))
        .collect()
}

/// Command lines: one hostile but valid comparison runs twice to the same tables, every
/// number finite; each hostile refusal exits 1 or 2 (never a panic), names what is wrong
/// and leaves no output directory. 2 runs and [`REFUSED`]`.len()` refusals.
#[test]
fn hostile_command_lines_are_refused_by_name_or_run_to_the_same_finite_tables() {
    let f = files();
    let p = |i: usize| f.all[i].0.display().to_string();
    let (tiny, same, huge, big) = (p(0), p(1), p(5), p(6));
    let (tiny, same, huge, big) = (tiny.as_str(), same.as_str(), huge.as_str(), big.as_str());
    let tmp = common::tmp();
    let accepted = [
        tiny,
        same,
        "--arm",
        "x.y:structures.msp_a.coordinator_fte=1.0, weeks=2",
        "--without",
        "fund",
        "--replicates",
        "2",
        "--level",
        "0.5",
        "--relative-precision",
        "1e-300",
        "--precision",
        "weekly.meetings=1e-300",
        "--precision",
        "msps_end=1e300",
        "--question",
        "<b>q</b> & '\"",
        "--no-plots",
    ];
    let mut tables = Vec::new();
    for out in ["a", "b"] {
        let (code, err) = compare(tmp.path(), &accepted, out);
        assert_eq!(code, Some(0), "{err}");
        tables.push(tables_of(&tmp.path().join(out)));
    }
    assert_eq!(
        tables[0], tables[1],
        "the same comparison gave other tables"
    );
    let diffs = String::from_utf8_lossy(&tables[0][1].1).into_owned();
    for line in diffs.lines().skip(1) {
        // arm, indicator, then numbers up to the verdict.
        for field in line.split(',').skip(2).take(7) {
            let x: f64 = field.parse().unwrap_or(f64::NAN);
            assert!(x.is_finite(), "{line}");
        }
    }
    const REFUSED: usize = 9;
    let refused: [(Vec<&str>, &str); REFUSED] = [
        (vec![tiny, same, "--level", "nan"], "--level NaN"),
        (vec![tiny, same, "--level", "1"], "--level 1"),
        (
            vec![tiny, same, "--precision", "meetings_per_year=inf"],
            "--precision meetings_per_year=inf",
        ),
        (
            vec![tiny, same, "--precision", "nothing"],
            "--precision nothing",
        ),
        (
            vec![tiny, same, "--replicates", "4294967295"],
            "--replicates 4294967295",
        ),
        (vec![tiny, huge], "GiB"),
        (vec![tiny, big], "big.toml"),
        (
            vec![tiny, "--arm", "Small:weeks=1"],
            "already named \"small\"",
        ),
        (vec![tiny, "--without", ""], "no intervention named \"\""),
    ];
    for (args, wanted) in refused {
        let (code, err) = compare(tmp.path(), &args, "never");
        assert!(
            matches!(code, Some(1) | Some(2)) && !err.contains("panicked"),
            "{args:?}: exit {code:?}: {err}"
        );
        assert!(err.contains(wanted), "{args:?}: {wanted:?} not in: {err}");
        assert!(err.len() < 20_000, "{args:?}: {} bytes of error", err.len());
        assert!(!tmp.path().join("never").exists(), "{args:?} left --out");
    }
}
