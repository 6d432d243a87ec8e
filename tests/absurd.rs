//! Absurd but well-formed input: zero residents, one zone, no GPs, a coordinator
//! with nothing to coordinate, sweeps of zero points, an intervention that drives every
//! professional away, NaN and infinite values, 10^12 residents. Each is either simulated
//! sensibly (every output cell finite, counts consistent) or refused with a message naming
//! the field; `pluri` never panics on any of them.

mod common;

use common::{pluri, tmp};
use std::fs;
use std::path::{Path, PathBuf};

/// One rural zone of `population` residents, no listed structure, `weeks` weeks.
fn one_zone(population: u64, weeks: u32, extra: &str) -> String {
    format!(
        "name = \"absurd\"\nseed = 3\nweeks = {weeks}\nwarmup_weeks = 0\n{extra}\n\
         [[zones]]\nname = \"z\"\npopulation = {population}\nrurality = \"rural\"\n\
         deprivation = 0.1\nx_km = 0.0\ny_km = 0.0\n"
    )
}

/// What `pluri run` did with a scenario: the result directory, or the error message.
enum Outcome {
    Ran(PathBuf, tempfile::TempDir),
    Refused(String),
}

/// Runs `pluri run` on `text` with `--set` overrides; fails the test on a panic.
fn run(text: &str, sets: &[&str]) -> Outcome {
    let d = tmp();
    let file = d.path().join("absurd.toml");
    fs::write(&file, text).unwrap_or_else(|e| panic!("{e}"));
    let out = d.path().join("out");
    let mut cmd = pluri();
    cmd.args(["--quiet", "run", "--no-plots"])
        .arg(&file)
        .arg("--out")
        .arg(&out);
    for s in sets {
        cmd.args(["--set", s]);
    }
    let o = cmd.output().unwrap_or_else(|e| panic!("{e}"));
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(
        !err.contains("panicked") && o.status.code() != Some(101),
        "pluri panicked on {sets:?}:\n{text}\n{err}"
    );
    if o.status.success() {
        Outcome::Ran(out, d)
    } else {
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(!out.exists(), "a refused run writes no result directory");
        Outcome::Refused(err)
    }
}

/// Runs a scenario that must simulate; returns its result directory.
fn ran(text: &str, sets: &[&str]) -> (PathBuf, tempfile::TempDir) {
    match run(text, sets) {
        Outcome::Ran(p, d) => (p, d),
        Outcome::Refused(e) => panic!("refused {sets:?}: {e}"),
    }
}

/// Runs a scenario that must be refused; returns the message.
fn refused(text: &str, sets: &[&str]) -> String {
    match run(text, sets) {
        Outcome::Ran(p, _d) => panic!("{sets:?} was simulated into {}", p.display()),
        Outcome::Refused(e) => e,
    }
}

/// Every row of a CSV result file, by column name.
fn rows(dir: &Path, file: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    let head: Vec<String> = r
        .headers()
        .unwrap_or_else(|e| panic!("{e}"))
        .iter()
        .map(String::from)
        .collect();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap_or_else(|e| panic!("{file}: {e}"));
            head.iter()
                .cloned()
                .zip(rec.iter().map(String::from))
                .collect()
        })
        .collect()
}

/// A cell as a number.
fn num(row: &std::collections::BTreeMap<String, String>, col: &str) -> f64 {
    let v = row.get(col).unwrap_or_else(|| panic!("no column {col}"));
    v.parse().unwrap_or_else(|e| panic!("{col} = {v:?}: {e}"))
}

/// The checks every simulated result directory passes: every numeric cell of every table is
/// finite and not negative (the model has no negative quantity), shares lie in 0..1, the
/// weekly residents equal the scenario's, every task ends one way, and summary.json holds
/// no null where a number was due.
fn assert_sane(dir: &Path, residents: u64) -> Vec<std::collections::BTreeMap<String, String>> {
    for file in [
        "weekly.csv",
        "by_structure_type.csv",
        "ties.csv",
        "zones.csv",
        "structures.csv",
    ] {
        for (i, row) in rows(dir, file).iter().enumerate() {
            for (col, v) in row {
                let lower = v.to_ascii_lowercase();
                assert!(
                    !lower.contains("nan") && !lower.contains("inf"),
                    "{file} row {i}: {col} = {v}"
                );
                if let Ok(x) = v.parse::<f64>() {
                    let signed = col.ends_with("_km") || col.contains("utility");
                    assert!(
                        x.is_finite() && (signed || x >= 0.0),
                        "{file} row {i}: {col} = {v}"
                    );
                    if col.ends_with("_share") || col == "strength" {
                        assert!(x <= 1.0, "{file} row {i}: {col} = {v}");
                    }
                }
            }
        }
    }
    let weekly = rows(dir, "weekly.csv");
    assert!(!weekly.is_empty());
    for w in &weekly {
        assert_eq!(num(w, "residents") as u64, residents, "residents conserved");
        let ends: f64 = [
            "tasks_alone",
            "tasks_inside",
            "tasks_outside",
            "tasks_platform",
            "tasks_dropped",
            "tasks_refused",
        ]
        .iter()
        .map(|c| num(w, c))
        .sum();
        assert_eq!(ends, num(w, "tasks"), "every task ends one way");
        assert!(num(w, "without_gp") <= residents as f64);
    }
    let summary = fs::read_to_string(dir.join("summary.json")).unwrap_or_else(|e| panic!("{e}"));
    let v: serde_json::Value = serde_json::from_str(&summary).unwrap_or_else(|e| panic!("{e}"));
    fn no_null(v: &serde_json::Value, at: &str) {
        match v {
            serde_json::Value::Null => panic!("summary.json: {at} is null (NaN or infinity)"),
            serde_json::Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    no_null(x, &format!("{at}[{i}]"));
                }
            }
            serde_json::Value::Object(m) => {
                for (k, x) in m {
                    no_null(x, &format!("{at}.{k}"));
                }
            }
            _ => {}
        }
    }
    no_null(&v, "summary");
    weekly
}

fn total(weekly: &[std::collections::BTreeMap<String, String>], col: &str) -> f64 {
    weekly.iter().map(|w| num(w, col)).sum()
}

#[test]
fn zero_residents_simulate_to_zero_counts() {
    let (dir, _d) = ran(&one_zone(0, 12, ""), &[]);
    let weekly = assert_sane(&dir, 0);
    assert_eq!(weekly.len(), 12);
    for col in [
        "episodes",
        "consultations",
        "tasks",
        "without_gp",
        "forgone",
    ] {
        assert_eq!(total(&weekly, col), 0.0, "{col}");
    }
    for w in &weekly {
        assert_eq!(
            num(w, "without_gp_share"),
            0.0,
            "no resident, none without a GP"
        );
    }
}

#[test]
fn one_zone_without_listed_structures_is_simulated_from_the_densities() {
    let (dir, _d) = ran(&one_zone(3_000, 20, ""), &[]);
    let weekly = assert_sane(&dir, 3_000);
    assert!(num(&weekly[0], "gps") > 0.0, "GPs generated from density");
    assert!(total(&weekly, "consultations") > 0.0);
}

#[test]
fn no_gps_at_all_leaves_every_resident_without_a_gp_and_no_consultation() {
    let (dir, _d) = ran(
        &one_zone(3_000, 20, ""),
        &["workforce.gps_per_100k=0", "structural.msp_incentive=5"],
    );
    let weekly = assert_sane(&dir, 3_000);
    for w in &weekly {
        assert_eq!(num(w, "gps"), 0.0);
        assert_eq!(num(w, "without_gp"), 3_000.0);
        assert_eq!(num(w, "without_gp_share"), 1.0);
        assert_eq!(num(w, "consultations"), 0.0);
        assert_eq!(num(w, "msps"), 0.0, "no MSP founded without GPs");
        assert_eq!(num(w, "gp_utilisation"), 0.0);
    }
}

#[test]
fn zero_residents_and_no_professionals_at_all_still_simulate() {
    let (dir, _d) = ran(
        &one_zone(0, 8, ""),
        &[
            "workforce.gps_per_100k=0",
            "workforce.psychologists_per_100k=0",
            "workforce.social_workers_per_100k=0",
            "workforce.nurses_per_100k=0",
        ],
    );
    let weekly = assert_sane(&dir, 0);
    for w in &weekly {
        for col in ["gps", "psychologists", "nurses", "social_workers", "tasks"] {
            assert_eq!(num(w, col), 0.0, "{col}");
        }
    }
}

const LONE_MSP: &str = "[[structures]]\nname = \"lone\"\nkind = \"msp\"\nzone = \"z\"\ngps = 1\n\
                        coordinator_fte = 3.0\ncoordinator_trained = true\nprotocols = 2\n";

#[test]
fn a_coordinator_with_nobody_to_coordinate_is_simulated_without_meetings_of_one() {
    let (dir, _d) = ran(&one_zone(2_000, 20, LONE_MSP), &[]);
    let weekly = assert_sane(&dir, 2_000);
    assert_eq!(num(&weekly[0], "coordinator_fte"), 3.0);
}

#[test]
fn platforms_closed_by_kind_reopen_by_kind() {
    let iv = "[[structures]]\nname = \"dac\"\nkind = \"dac\"\nzone = \"z\"\n\
              capacity_per_week = 50\nreach_minutes = 60\n\
              [[interventions]]\nname = \"close\"\nweek = 0\naction = \"close_platform\"\n\
              target_kind = \"dac\"\n\
              [[interventions]]\nname = \"open\"\nweek = 3\naction = \"open_platform\"\n\
              target_kind = \"dac\"\n";
    let (dir, _d) = ran(&one_zone(4_000, 8, iv), &[]);
    let weekly = assert_sane(&dir, 4_000);
    let open: Vec<f64> = weekly.iter().map(|w| num(w, "platforms_open")).collect();
    assert_eq!(open, [0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0]);
    let ivs = rows(&dir, "interventions.csv");
    let touched: Vec<f64> = ivs.iter().map(|r| num(r, "structures_touched")).collect();
    assert_eq!(
        touched,
        [1.0, 1.0],
        "each intervention changed the one platform"
    );
}

#[test]
fn funding_coordinators_where_there_is_no_structure_of_that_kind_changes_nothing() {
    let iv = "[[interventions]]\nname = \"fund\"\nweek = 2\naction = \"fund_coordinator\"\n\
              target_kind = \"health_centre\"\nfte = 1.0\n\
              [[interventions]]\nname = \"train\"\nweek = 3\naction = \"train_coordinators\"\n\
              target_kind = \"msma\"\n\
              [[interventions]]\nname = \"open\"\nweek = 4\naction = \"open_platform\"\n\
              target_kind = \"dac\"\n";
    let (dir, _d) = ran(&one_zone(2_000, 10, iv), &[]);
    let weekly = assert_sane(&dir, 2_000);
    for w in &weekly {
        assert_eq!(num(w, "coordinator_fte"), 0.0);
        assert_eq!(num(w, "trained_coordinators"), 0.0);
        assert_eq!(num(w, "platforms_open"), 0.0);
    }
}

#[test]
fn an_intervention_that_drives_every_professional_away_is_simulated() {
    // Every professional is dissatisfied at once, leaves after one week and is not replaced
    // within the run; newcomers added at week 3 leave in turn (the longest replacement
    // delay, added to a later week, must not overflow the week counter).
    let iv = "[[interventions]]\nname = \"hire\"\nweek = 3\naction = \"add_professionals\"\n\
              profession = \"nurse\"\nzone = \"z\"\ncount = 5\n";
    let sets = [
        "professionals.leave_threshold=1",
        "professionals.leave_after_weeks=1",
        "professionals.replacement_delay_weeks=60000",
        "professionals.satisfaction_recovery=0",
    ];
    let (dir, _d) = ran(&one_zone(4_000, 30, &format!("{LONE_MSP}{iv}")), &sets);
    let weekly = assert_sane(&dir, 4_000);
    let late: f64 = weekly[3..].iter().map(|w| num(w, "departures")).sum();
    assert!(late >= 5.0, "the newcomers left too ({late})");
    assert!(num(&weekly[weekly.len() - 1], "vacant_posts") > 0.0);
    // A delay beyond any run is refused, naming the field.
    let e = refused(
        &one_zone(4_000, 30, ""),
        &["professionals.replacement_delay_weeks=4294967295"],
    );
    assert!(
        e.contains("replacement_delay_weeks") && e.contains("60000"),
        "{e}"
    );
}

#[test]
fn extreme_counts_and_durations_are_simulated_or_refused_by_name() {
    // Each override is well typed and in its declared range, at the edge of sense.
    let cases: &[(&str, &str)] = &[
        ("workforce.gp_list_max=0", "gp_list_max"),
        ("workforce.group_practice_size=0", "group_practice_size"),
        ("workforce.psychologist_caseload=0", "psychologist_caseload"),
        ("workforce.nurse_caseload=4294967295", "nurse_caseload"),
        ("tasks.psych_weeks=0", "psych_weeks"),
        ("tasks.education_weeks=4294967295", "education_weeks"),
        ("population.complex_threshold=0", "complex_threshold"),
        (
            "population.complex_threshold=4294967295",
            "complex_threshold",
        ),
        ("structural.msp_min_gps=0", "msp_min_gps"),
        ("structural.msp_min_gps=20", "msp_min_gps"),
        ("structural.msp_max_gps=0", "msp_max_gps"),
        ("coordination.max_protocols=0", "max_protocols"),
        (
            "workforce.gp_consultations_per_week=1e-300",
            "gp_consultations_per_week",
        ),
        (
            "workforce.gp_consultations_per_week=1e300",
            "gp_consultations_per_week",
        ),
        ("workforce.gp_age_mean=1e300", "gp_age_mean"),
        ("workforce.gp_age_sd=1e300", "gp_age_sd"),
        ("delegation.alone_base=1e300", "alone_base"),
        ("delegation.alone_base=-1e300", "alone_base"),
        ("structural.msp_incentive=1e300", "msp_incentive"),
        ("outcomes.max_wait_weeks=0", "max_wait_weeks"),
        ("warmup_weeks=4294967295", "warmup_weeks"),
    ];
    let text = one_zone(3_000, 12, LONE_MSP);
    for (set, field) in cases {
        match run(&text, &[set]) {
            Outcome::Ran(dir, _d) => {
                assert_sane(&dir, 3_000);
            }
            Outcome::Refused(e) => assert!(e.contains(field), "{set}: {e}"),
        }
    }
}

#[test]
fn nan_and_infinity_in_a_scenario_file_are_refused_naming_the_key() {
    let cases: &[(&str, &str)] = &[
        ("[population]\nelderly_share = nan", "elderly_share"),
        ("[workforce]\ngps_per_100k = inf", "gps_per_100k"),
        ("[delegation]\nalone_base = -inf", "alone_base"),
        ("[structural]\nmsp_incentive = +nan", "msp_incentive"),
    ];
    for (extra, key) in cases {
        let e = refused(&one_zone(1_000, 4, extra), &[]);
        assert!(e.contains(key) && e.contains("expected a"), "{extra}: {e}");
    }
    let zone = one_zone(1_000, 4, "").replace("x_km = 0.0", "x_km = inf");
    let e = refused(&zone, &[]);
    assert!(
        e.contains("x_km") && e.contains("expected a finite number"),
        "{e}"
    );
    let msp = LONE_MSP.replace("coordinator_fte = 3.0", "coordinator_fte = nan");
    let e = refused(&one_zone(1_000, 4, &msp), &[]);
    assert!(e.contains("coordinator_fte"), "{e}");
    let iv = "[[interventions]]\nname = \"f\"\nweek = 1\naction = \"fund_coordinator\"\n\
              structures = [\"lone\"]\nfte = inf\n";
    let e = refused(&one_zone(1_000, 4, &format!("{LONE_MSP}{iv}")), &[]);
    assert!(e.contains("fte"), "{e}");
    let iv = "[[interventions]]\nname = \"p\"\nweek = 1\naction = \"set_parameter\"\n\
              path = \"population.elderly_share\"\nvalue = nan\n";
    let e = refused(&one_zone(1_000, 4, iv), &[]);
    assert!(
        e.contains("interventions.p") && e.contains("elderly_share"),
        "{e}"
    );
}

#[test]
fn nan_and_infinity_given_by_set_are_refused_naming_the_path() {
    let text = one_zone(1_000, 4, LONE_MSP);
    for set in [
        "population.elderly_share=nan",
        "workforce.gps_per_100k=inf",
        "delegation.alone_base=-inf",
        "zones.z.deprivation=nan",
        "zones.z.y_km=-inf",
        "structures.lone.coordinator_fte=inf",
        "structures.lone.age_years=nan",
    ] {
        let e = refused(&text, &[set]);
        let field = set.split('=').next().unwrap_or_default();
        let key = field.rsplit('.').next().unwrap_or_default();
        assert!(e.contains(key), "{set}: {e}");
    }
}

#[test]
fn a_trillion_residents_are_refused_before_any_allocation() {
    // One zone of 50 million: more GPs than a zone can number.
    let e = refused(&one_zone(50_000_000, 4, ""), &[]);
    assert!(
        e.contains("zones.z.population") && e.contains("at most 65535 per zone"),
        "{e}"
    );
    let e = refused(&one_zone(1_000_000_000_000, 4, ""), &[]);
    assert!(
        e.contains("absurd.toml:6") && e.contains("zones.z.population") && e.contains("split it"),
        "the file, the zone's line, the field and the fix: {e}"
    );
    // Split into 1,000 zones of 10^9, each within the per-zone limits at low densities:
    // refused for memory.
    let mut text = String::from(
        "name = \"huge\"\nweeks = 4\n[workforce]\ngps_per_100k = 1.0\npsychologists_per_100k = 1.0\n\
         social_workers_per_100k = 1.0\nnurses_per_100k = 1.0\n",
    );
    for i in 0..1000 {
        text.push_str(&format!(
            "[[zones]]\nname = \"z{i}\"\npopulation = 1000000000\nrurality = \"urban\"\nx_km = {i}.0\ny_km = 0.0\n"
        ));
    }
    let e = refused(&text, &[]);
    assert!(
        e.contains("GiB") && e.contains("1000000000000 residents"),
        "{e}"
    );
    let d = tmp();
    let file = d.path().join("huge.toml");
    fs::write(&file, &text).unwrap_or_else(|e| panic!("{e}"));
    // A sweep over it is refused before its first run.
    let e = sweep_over(
        &file,
        "[design]\nkind = \"grid\"\n[[param]]\npath = \"structural.msp_incentive\"\nvalues = [1.0]\n",
    )
    .err()
    .unwrap_or_default();
    assert!(
        e.contains("GiB") && e.contains("1000000000000 residents"),
        "{e}"
    );
    // `pluri check` validates it but says it will not fit.
    let o = pluri()
        .arg("check")
        .arg(&file)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!all.contains("panicked"), "{all}");
}

/// Runs `pluri sweep` on a sweep file body over the small scenario (4 weeks); returns the outcome.
fn sweep(body: &str) -> Result<(PathBuf, tempfile::TempDir), String> {
    sweep_over(Path::new(&common::small_file()), body)
}

/// Runs `pluri sweep` on a sweep file body over `base`; returns the outcome.
fn sweep_over(base: &Path, body: &str) -> Result<(PathBuf, tempfile::TempDir), String> {
    let t = tmp();
    let d = t.path();
    let file = d.join("zero.toml");
    let text = format!(
        "name = \"zero\"\nbase = \"{}\"\nseed = 1\nreplicates = 1\nset = [\"weeks=4\", \"warmup_weeks=0\"]\n{body}",
        base.display()
    );
    fs::write(&file, text).unwrap_or_else(|e| panic!("{e}"));
    let out = d.join("o");
    let o = pluri()
        .args(["--quiet", "sweep", "--no-plots"])
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(!err.contains("panicked"), "{body}\n{err}");
    if o.status.success() {
        Ok((out, t))
    } else {
        assert!(!out.join("runs.csv").exists());
        Err(err)
    }
}

#[test]
fn sweeps_of_zero_points_are_refused_naming_the_line() {
    let e = sweep("[design]\nkind = \"grid\"\n[[param]]\npath = \"weeks\"\nvalues = []\n")
        .err()
        .unwrap_or_default();
    assert!(e.contains("zero.toml:10") && e.contains("values"), "{e}");
    for kind in ["lhs", "random"] {
        let e = sweep(&format!(
            "[design]\nkind = \"{kind}\"\nsamples = 0\n[[param]]\npath = \"structural.msp_incentive\"\nrange = [0.5, 2.0]\n"
        ))
        .err()
        .unwrap_or_default();
        assert!(e.contains("samples"), "{kind}: {e}");
    }
}

#[test]
fn a_sweep_without_parameters_is_refused_naming_the_fix() {
    let e = sweep("[design]\nkind = \"grid\"\n")
        .err()
        .unwrap_or_default();
    assert!(
        e.contains("no parameter to vary") && e.contains("[[param]]"),
        "{e}"
    );
}

#[test]
fn nan_and_infinity_in_a_sweep_are_refused_naming_the_line() {
    let grid = "[design]\nkind = \"grid\"\n[[param]]\npath = \"structural.msp_incentive\"\n";
    let e = sweep(&format!("{grid}values = [1.0, nan]\n"))
        .err()
        .unwrap_or_default();
    assert!(e.contains("zero.toml:10"), "{e}");
    let lhs =
        "[design]\nkind = \"lhs\"\nsamples = 3\n[[param]]\npath = \"structural.msp_incentive\"\n";
    for range in ["[0.5, inf]", "[nan, 1.0]", "[-inf, inf]"] {
        let e = sweep(&format!("{lhs}range = {range}\n"))
            .err()
            .unwrap_or_default();
        assert!(e.contains("zero.toml:11"), "{range}: {e}");
    }
}

#[test]
fn sweeps_too_large_to_hold_are_refused_before_their_points_are_drawn() {
    for kind in ["lhs", "random"] {
        let e = sweep(&format!(
            "[design]\nkind = \"{kind}\"\nsamples = 1000000000000\n[[param]]\npath = \"structural.msp_incentive\"\nrange = [0.5, 2.0]\n"
        ))
        .err()
        .unwrap_or_default();
        assert!(
            e.contains("too many runs") && e.contains("1000000000000 points"),
            "{kind}: {e}"
        );
    }
    // 5 x 400^3 = 320 million grid points: refused from the counts alone.
    let values = |n: usize, scale: f64| {
        (0..n)
            .map(|i| format!("{}", (i + 1) as f64 * scale))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let body = format!(
        "[design]\nkind = \"grid\"\n\
         [[param]]\npath = \"structural.msp_incentive\"\nvalues = [{}]\n\
         [[param]]\npath = \"population.elderly_share\"\nvalues = [{}]\n\
         [[param]]\npath = \"structures.msp_a.coordinator_fte\"\nvalues = [{}]\n\
         [[param]]\npath = \"coordination.training_multiplier\"\nvalues = [{}]\n",
        values(5, 0.5),
        values(400, 0.0025),
        values(400, 0.01),
        values(400, 0.01),
    );
    let e = sweep(&body).err().unwrap_or_default();
    assert!(
        e.contains("too many runs") && e.contains("320000000 points"),
        "{e}"
    );
}

#[test]
fn an_intervention_that_overfills_a_zone_adds_what_fits_and_records_the_rest() {
    // 64,400 GPs at the start (the most a zone may start with is 65,535), then 10,000 more:
    // GPs are numbered in 16 bits, so 8,865 cannot be added. They used to wrap silently.
    let text = one_zone(
        1000,
        3,
        "[workforce]\ngps_per_100k = 5600000.0\n\
         [[interventions]]\nname = \"flood\"\nweek = 1\naction = \"add_professionals\"\n\
         zone = \"z\"\nprofession = \"gp\"\ncount = 10000",
    )
    .replace("rurality = \"rural\"", "rurality = \"urban\"");
    let (dir, _keep) = ran(&text, &[]);
    let ivs = rows(&dir, "interventions.csv");
    assert_eq!(ivs.len(), 1);
    assert_eq!(num(&ivs[0], "members_refused"), 8865.0);
    let weekly = assert_sane(&dir, 1000);
    assert!(weekly.iter().all(|w| num(w, "gps") <= 65_535.0));
}
