//! `pluri compare` as a separate process: identical arms differ by nothing, a lever known to
//! act is found, paired seeds narrow the intervals, outputs do not depend on the thread
//! count, every run's command reproduces its row, and the report is one self-contained page.

mod common;

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

fn scenario(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name)
        .display()
        .to_string()
}

/// Short runs of the small scenario: 30 weeks after 8 of warm-up.
const SHORT: &[&str] = &["--weeks", "30", "--set", "warmup_weeks=8"];

/// Coordinators in every MSP of the small scenario, against none (and no MSP founded during
/// the run signs the agreement that would fund one).
const LEVER: &[&str] = &[
    "--set",
    "structures.msp_a.coordinator_fte=0.0",
    "--set",
    "structural.agreement_uptake=0",
    "--arm",
    "coordinated:structures.msp_a.coordinator_fte=1.0,structures.msp_b.coordinator_fte=1.0",
];

/// Runs `pluri compare ARGS --out OUT` in `cwd`, quietly; panics with its error if it fails.
fn compare(cwd: &Path, out: &str, args: &[&str]) {
    let output = common::compare_in(cwd, out, args);
    assert!(
        output.status.success(),
        "pluri compare {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let header = reader.headers().expect("header").clone();
    reader
        .records()
        .map(|r| {
            let r = r.expect("row");
            header
                .iter()
                .zip(r.iter())
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

fn num(row: &BTreeMap<String, String>, key: &str) -> f64 {
    row[key]
        .parse()
        .unwrap_or_else(|e| panic!("{key} = {:?}: {e}", row[key]))
}

fn difference<'a>(
    rows: &'a [BTreeMap<String, String>],
    indicator: &str,
) -> &'a BTreeMap<String, String> {
    rows.iter()
        .find(|r| r["indicator"] == indicator)
        .unwrap_or_else(|| panic!("no row for {indicator}"))
}

#[test]
fn identical_arms_differ_by_exactly_nothing_and_every_verdict_says_so() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let small = scenario("small.toml");
    let mut args = vec![
        small.as_str(),
        small.as_str(),
        "--replicates",
        "3",
        "--no-plots",
    ];
    args.extend(SHORT);
    compare(tmp.path(), "same", &args);
    let diffs = rows(&tmp.path().join("same/differences.csv"));
    // Every headline indicator and every weekly column.
    assert!(diffs.len() > 60, "{} rows", diffs.len());
    for d in &diffs {
        assert_eq!(d["arm"], "small-2");
        assert!(
            num(d, "ci_low") <= 0.0 && num(d, "ci_high") >= 0.0,
            "{}: [{}, {}]",
            d["indicator"],
            d["ci_low"],
            d["ci_high"]
        );
        assert_eq!(d["verdict"], "not distinguishable from zero", "{d:?}");
        // Paired seeds on the same scenario: the very same runs.
        assert_eq!(num(d, "difference"), 0.0, "{d:?}");
    }
    let manifest: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(tmp.path().join("same/compare.json")).expect("manifest"),
    )
    .expect("json");
    assert_eq!(manifest["arms"][1]["differs"], serde_json::json!([]));
}

#[test]
fn coordinators_in_every_msp_are_found_to_raise_meetings_and_coordination() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let small = scenario("small.toml");
    let mut args = vec![small.as_str(), "--replicates", "5", "--no-plots"];
    args.extend(SHORT);
    args.extend(LEVER);
    compare(tmp.path(), "lever", &args);
    let diffs = rows(&tmp.path().join("lever/differences.csv"));
    for indicator in [
        "coordinator_fte_end",
        "meetings_per_year",
        "weekly.meetings",
    ] {
        let d = difference(&diffs, indicator);
        assert_eq!(d["verdict"], "differs", "{d:?}");
        assert!(num(d, "ci_low") > 0.0, "{d:?}");
    }
    assert_eq!(
        num(difference(&diffs, "coordinator_fte_end"), "difference"),
        2.0
    );
    // Without coordinators there are no meetings at all.
    assert_eq!(
        num(difference(&diffs, "meetings_per_year"), "mean_first"),
        0.0
    );
    // The replicates needed for a tenth of the difference: a positive count.
    let needed = num(difference(&diffs, "meetings_per_year"), "replicates_needed");
    assert!(needed >= 2.0, "{needed}");
    // An indicator nothing touches in 30 weeks: the same in both arms, so not distinguishable.
    assert_eq!(
        difference(&diffs, "msps_end")["verdict"],
        "not distinguishable from zero"
    );
    let manifest: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(tmp.path().join("lever/compare.json")).expect("manifest"),
    )
    .expect("json");
    let differs = manifest["arms"][1]["differs"].to_string();
    assert!(
        differs.contains("structures.msp_a.coordinator_fte: 0.0 -> 1.0")
            && differs.contains("structures.msp_b.coordinator_fte: 0.0 -> 1.0"),
        "{differs}"
    );
}

/// The measurement docs/COMPARE.md states: the same comparison with paired and with
/// independent seeds, interval widths compared indicator by indicator.
#[test]
fn paired_seeds_give_narrower_intervals_than_independent_seeds_for_the_same_replicates() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let small = scenario("small.toml");
    let mut args = vec![small.as_str(), "--replicates", "6", "--no-plots"];
    args.extend(SHORT);
    args.extend(LEVER);
    compare(tmp.path(), "paired", &args);
    args.push("--independent-seeds");
    compare(tmp.path(), "independent", &args);
    let paired = rows(&tmp.path().join("paired/differences.csv"));
    let independent = rows(&tmp.path().join("independent/differences.csv"));
    let width = |r: &BTreeMap<String, String>| num(r, "ci_high") - num(r, "ci_low");
    let mut ratios: Vec<f64> = paired
        .iter()
        .zip(&independent)
        .filter(|(_, i)| width(i) > 0.0)
        .map(|(p, i)| width(p) / width(i))
        .collect();
    ratios.sort_by(f64::total_cmp);
    let narrower = ratios.iter().filter(|r| **r < 1.0).count();
    let median = ratios[ratios.len() / 2];
    assert!(
        ratios.len() > 40 && narrower * 3 >= ratios.len() * 2 && median < 0.7,
        "{narrower} of {} narrower, median ratio {median:.2}",
        ratios.len()
    );
    // GP workload barely depends on the coordinators: pairing removes most of its noise.
    let gp = |rows: &[BTreeMap<String, String>]| width(difference(rows, "gp_utilisation"));
    assert!(
        gp(&paired) < 0.5 * gp(&independent),
        "{} vs {}",
        gp(&paired),
        gp(&independent)
    );
}

/// Every file of `dir`, by path relative to it.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).expect("dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).expect("inside").to_path_buf();
                out.insert(rel, fs::read(&path).expect("file"));
            }
        }
    }
    out
}

#[test]
fn outputs_are_byte_identical_at_one_and_two_threads() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let small = scenario("small.toml");
    let mut dirs = Vec::new();
    for threads in ["1", "2"] {
        let cwd = tmp.path().join(format!("t{threads}"));
        fs::create_dir_all(&cwd).expect("cwd");
        let mut args = vec![
            "--threads",
            threads,
            "compare",
            small.as_str(),
            "--replicates",
            "3",
        ];
        args.extend(SHORT);
        args.extend(LEVER);
        let output = Command::cargo_bin("pluri")
            .expect("binary")
            .current_dir(&cwd)
            .args(["-q"])
            .args(&args)
            .args(["--out", "cmp"])
            .output()
            .expect("runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        dirs.push(files(&cwd.join("cmp")));
    }
    let names: Vec<&PathBuf> = dirs[0].keys().collect();
    assert_eq!(names, dirs[1].keys().collect::<Vec<_>>());
    for want in [
        "differences.csv",
        "arms.csv",
        "weekly.csv",
        "runs.csv",
        "compare.json",
        "report.html",
        "bands-outcomes.svg",
        "bands-differences.png",
        "scenarios/coordinated.toml",
    ] {
        assert!(dirs[0].contains_key(Path::new(want)), "no {want}");
    }
    for (name, one) in &dirs[0] {
        let two = &dirs[1][name];
        // The command each page records differs by its --threads only.
        let text = ["compare.json", "report.html"].contains(&name.to_string_lossy().as_ref());
        let one = if text {
            String::from_utf8_lossy(one)
                .replace("--threads 1", "--threads 2")
                .into_bytes()
        } else {
            one.clone()
        };
        assert!(
            one == *two,
            "{} differs between 1 and 2 threads",
            name.display()
        );
    }
}

#[test]
fn each_run_command_reproduces_its_row_of_runs_csv() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let small = scenario("small.toml");
    let mut args = vec![small.as_str(), "--replicates", "2", "--no-plots"];
    args.extend(SHORT);
    args.extend(LEVER);
    compare(tmp.path(), "cmp", &args);
    let runs = rows(&tmp.path().join("cmp/runs.csv"));
    assert_eq!(runs.len(), 4);
    // Replicate r of every arm shares its seed, and seeds fit in 53 bits.
    assert_eq!(runs[0]["seed"], runs[2]["seed"]);
    assert_ne!(runs[0]["seed"], runs[1]["seed"]);
    for r in &runs {
        assert!(r["seed"].parse::<u64>().expect("seed") < 1 << 53);
    }
    let report = fs::read_to_string(tmp.path().join("cmp/report.html")).expect("report");
    // The last run: the second replicate of the coordinated arm.
    let row = &runs[3];
    let command = format!(
        "pluri run cmp/scenarios/coordinated.toml --seed {} --out cmp/rerun/coordinated-1",
        row["seed"]
    );
    assert!(report.contains(&command), "no `{command}` in the report");
    let words: Vec<&str> = command.split(' ').skip(1).collect();
    Command::cargo_bin("pluri")
        .expect("binary")
        .current_dir(tmp.path())
        .arg("-q")
        .args(&words)
        .arg("--no-plots")
        .assert()
        .success();
    // Read as text: serde_json's default float parsing may miss the nearest double by one
    // unit in the last place, where Rust's own parsing does not.
    let summary = fs::read_to_string(tmp.path().join("cmp/rerun/coordinated-1/summary.json"))
        .expect("summary");
    for name in pluri_schema::run::HEADLINE {
        let key = format!("\"{name}\": ");
        let alone: f64 = summary
            .lines()
            .find_map(|l| l.trim().strip_prefix(&key))
            .map(|v| v.trim_end_matches(',').parse().expect("number"))
            .unwrap_or_else(|| panic!("no {name} in summary.json"));
        assert_eq!(alone, num(row, name), "{name}");
    }
}

#[test]
fn the_report_is_one_self_contained_page_with_every_figure() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let small = scenario("small.toml");
    let mut args = vec![small.as_str(), "--replicates", "2"];
    args.extend(SHORT);
    args.extend(LEVER);
    compare(tmp.path(), "cmp", &args);
    let text = fs::read_to_string(tmp.path().join("cmp/report.html")).expect("report");
    let doc = roxmltree::Document::parse_with_options(
        &text,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .expect("the page is well-formed");
    let figures = doc
        .descendants()
        .filter(|n| n.has_tag_name("figure"))
        .count();
    let svgs = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "svg")
        .count();
    assert_eq!(figures, pluri::plot::COMPARE_FIGURES.len());
    assert_eq!(svgs, figures);
    assert_eq!(
        doc.root_element().attribute("data-figures"),
        Some(figures.to_string().as_str())
    );
    for node in doc.descendants() {
        assert!(
            node.attribute("src").is_none() && !node.has_tag_name("link"),
            "an external reference: {node:?}"
        );
        if let Some(href) = node.attribute("href") {
            assert!(!href.contains("//"), "a link out of the page: {href}");
        }
    }
    for section in [
        "summary",
        "arms",
        "differences",
        "figures",
        "scenarios",
        "reproduce",
    ] {
        assert!(
            doc.descendants()
                .any(|n| n.attribute("id") == Some(section)),
            "no section {section}"
        );
    }
    assert!(
        text.contains("pluri -q compare "),
        "the command is not shown"
    );
    assert!(text.contains("structures.msp_b.coordinator_fte: 0.0 -&gt; 1.0"));
    assert!(
        text.contains("[[structures]]"),
        "the scenario files are not shown"
    );
}

#[test]
fn leaving_out_the_platform_of_pta_is_an_arm() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let pta = scenario("pta.toml");
    compare(
        tmp.path(),
        "pta",
        &[
            &pta,
            "--without",
            "platform-opens",
            "--replicates",
            "2",
            "--weeks",
            "56",
            "--set",
            "warmup_weeks=4",
            "--no-plots",
        ],
    );
    let diffs = rows(&tmp.path().join("pta/differences.csv"));
    assert!(diffs.iter().all(|d| d["arm"] == "without-platform-opens"));
    // Without the platform, no task goes to a platform.
    let d = difference(&diffs, "weekly.tasks_platform");
    assert!(
        num(d, "mean_first") > 0.0 && num(d, "mean_arm") == 0.0,
        "{d:?}"
    );
    let text = fs::read_to_string(tmp.path().join("pta/scenarios/without-platform-opens.toml"))
        .expect("scenario");
    assert!(!text.contains("platform-opens"));
}

#[test]
fn bad_arguments_are_refused_before_any_run_with_the_fix() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let small = scenario("small.toml");
    for (args, wanted) in [
        (vec![small.as_str()], "one arm only"),
        (
            vec![small.as_str(), "--without", "platform"],
            "no intervention named \"platform\"",
        ),
        (vec![small.as_str(), "--arm", "x:nope=1"], "no field `nope`"),
        (
            vec![small.as_str(), small.as_str(), "--replicates", "1"],
            "at least 2 replicates",
        ),
        (
            vec![small.as_str(), small.as_str(), "--level", "95"],
            "strictly between 0 and 1",
        ),
        (
            vec![small.as_str(), small.as_str(), "--precision", "meetings=2"],
            "no indicator named \"meetings\"",
        ),
    ] {
        let output = Command::cargo_bin("pluri")
            .expect("binary")
            .current_dir(tmp.path())
            .arg("compare")
            .args(&args)
            .args(["--out", "never"])
            .output()
            .expect("runs");
        let err = String::from_utf8_lossy(&output.stderr);
        assert!(
            !output.status.success() && err.contains(wanted),
            "{args:?}: {err}"
        );
        assert!(!tmp.path().join("never").exists());
    }
}

#[test]
fn the_docs_name_every_file_and_column_of_a_comparison() {
    let read =
        |p: &str| fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(p)).expect("doc");
    let doc = read("docs/COMPARE.md");
    let readme = read("README.md");
    for file in pluri_schema::compare::COMPARE_FILES {
        assert!(
            doc.contains(&format!("`{file}`")),
            "docs/COMPARE.md lacks {file}"
        );
        assert!(readme.contains(file), "README lacks {file}");
    }
    for stem in pluri::plot::COMPARE_FIGURES {
        assert!(doc.contains(stem), "docs/COMPARE.md lacks figure {stem}");
    }
    // Each table's columns, in order, as the doc lists them.
    use pluri_schema::compare::{ArmRecord, DifferenceRecord, WeeklyBandRecord};
    let differences = header_of(DifferenceRecord {
        arm: String::new(),
        indicator: String::new(),
        mean_first: 0.0,
        mean_arm: 0.0,
        difference: 0.0,
        ci_low: 0.0,
        ci_high: 0.0,
        sd_difference: 0.0,
        replicates: 0,
        verdict: String::new(),
        replicates_needed: None,
    });
    let arms = header_of(ArmRecord {
        arm: String::new(),
        indicator: String::new(),
        mean: 0.0,
        sd: 0.0,
        ci_low: 0.0,
        ci_high: 0.0,
        replicates: 0,
    });
    let weekly = header_of(WeeklyBandRecord {
        week: 0,
        date: None,
        arm: String::new(),
        indicator: String::new(),
        mean: 0.0,
        sd: 0.0,
        ci_low: 0.0,
        ci_high: 0.0,
        difference: None,
        difference_ci_low: None,
        difference_ci_high: None,
    });
    for columns in [differences, arms, weekly] {
        assert!(
            doc.contains(&columns),
            "docs/COMPARE.md lacks the columns {columns}"
        );
    }
    assert!(readme.contains("pluri compare") && readme.contains("docs/COMPARE.md"));
}

/// The CSV header a row type writes, its columns joined by `, ` as the docs list them.
fn header_of<T: serde::Serialize>(row: T) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.serialize(row).expect("a row");
    let text = String::from_utf8(w.into_inner().expect("bytes")).expect("utf-8");
    text.lines().next().expect("header").replace(',', ", ")
}

#[test]
fn arms_that_share_a_start_date_are_compared_by_date_and_on_years_and_others_by_week() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let small = scenario("small.toml");
    let dated: &[&str] = &[
        "--replicates",
        "2",
        "--weeks",
        "110",
        "--set",
        "warmup_weeks=4",
        "--set",
        "start_date=2020-01-06",
        "--arm",
        "coordinated:structures.msp_a.coordinator_fte=1.0",
    ];
    let mut args = vec![small.as_str()];
    args.extend(dated);
    compare(tmp.path(), "dated", &args);
    let dir = tmp.path().join("dated");
    let weekly = fs::read_to_string(dir.join("weekly.csv")).expect("weekly");
    assert!(
        weekly.starts_with("week,date,arm,indicator,"),
        "{}",
        &weekly[..60]
    );
    // Each row carries its week's last day, as a dated run's weekly.csv does.
    for row in rows(&dir.join("weekly.csv")) {
        let week: u32 = row["week"].parse().expect("a week");
        let start = pluri::results::Date::parse("2020-01-06").expect("a date");
        assert_eq!(
            row["date"],
            start.week_end(week).expect("a day").to_string()
        );
    }
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("compare.json")).expect("manifest"))
            .expect("json");
    assert_eq!(manifest["start_date"], "2020-01-06");
    // 110 weeks from January 2020: New Year's Days 2021 and 2022 are ticks.
    for stem in pluri::plot::COMPARE_FIGURES {
        let texts = svg_texts(&dir.join(format!("{stem}.svg")));
        for label in ["2021", "2022", "Year"] {
            assert!(
                texts.iter().any(|t| t == label),
                "{stem}: no {label}: {texts:?}"
            );
        }
        assert!(!texts.iter().any(|t| t == "Week"), "{stem}: {texts:?}");
    }

    // Arms of different start dates are compared week by week, undated.
    let mut args = vec![small.as_str()];
    args.extend(dated);
    args.extend(["--arm", "later:start_date=2021-01-04"]);
    compare(tmp.path(), "mixed", &args);
    let dir = tmp.path().join("mixed");
    let weekly = fs::read_to_string(dir.join("weekly.csv")).expect("weekly");
    assert!(
        weekly.starts_with("week,arm,indicator,"),
        "{}",
        &weekly[..60]
    );
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("compare.json")).expect("manifest"))
            .expect("json");
    assert!(manifest.get("start_date").is_none(), "{manifest}");
    assert_eq!(
        manifest["arms"][2]["differs"],
        serde_json::json!(["start_date: \"2020-01-06\" -> \"2021-01-04\""])
    );
    let texts = svg_texts(&dir.join("bands-outcomes.svg"));
    assert!(texts.iter().any(|t| t == "Week"), "{texts:?}");
    assert!(!texts.iter().any(|t| t == "2021"), "{texts:?}");
}

/// The texts of an SVG figure, trimmed.
fn svg_texts(path: &Path) -> Vec<String> {
    let svg = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    svg.split("</text>")
        .filter_map(|part| part.rsplit_once('>').map(|(_, t)| t.trim().to_string()))
        .collect()
}
