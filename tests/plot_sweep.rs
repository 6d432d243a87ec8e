//! Figures of real sweep and sensitivity directories, made by the library from short runs of
//! the small scenario: every expected file, readable, report-sized, not blank, naming its
//! parameters and indicators; heat maps only for two-parameter grids; clear errors.

mod common;
mod plot_fixture;

use common::{pluri, small_file, tmp};
use plot_fixture::{assert_real_png, svg_texts};
use pluri::plot::{dir_kind, plot_sensitivity, plot_sweep, DirKind, Format, SWEEP_INDICATORS};
use pluri::sweep::{analyse, prepare, Options, Sensitivity, Shard, Sweep};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

/// Runs a short sweep of the small scenario with these `[design]` and `[[param]]` tables and
/// returns its directory.
fn run_sweep(root: &Path, name: &str, design_and_params: &str) -> PathBuf {
    let file = root.join(format!("{name}.toml"));
    let text = format!(
        "name = \"{name}\"\nbase = \"{}\"\nseed = 3\nreplicates = 2\nset = [\"weeks=8\", \"warmup_weeks=0\"]\n{design_and_params}",
        small_file()
    );
    std::fs::write(&file, text).unwrap_or_else(|e| panic!("{e}"));
    let sweep = Sweep::from_file(&file).unwrap_or_else(|e| panic!("{e}"));
    let out = root.join(format!("sweep-{name}"));
    let opts = Options {
        out: out.clone(),
        resume: false,
        force: false,
        shard: Shard::ALL,
    };
    prepare(&sweep, &opts)
        .and_then(|p| p.execute(&sweep, &AtomicBool::new(false), &|_, _| {}))
        .unwrap_or_else(|e| panic!("{e}"));
    out
}

const GRID2: &str = "[design]\nkind = \"grid\"\n[[param]]\npath = \"structures.msp_a.coordinator_fte\"\nvalues = [0.0, 1.5]\n[[param]]\npath = \"gp_traits.delegation_propensity_mean\"\nvalues = [0.25, 0.55]\n";
const GRID1: &str =
    "[design]\nkind = \"grid\"\n[[param]]\npath = \"delegation.outside_cost\"\nvalues = [1.0, 1.6, 2.2]\n";
const GRID3: &str = "[design]\nkind = \"grid\"\n[[param]]\npath = \"delegation.outside_cost\"\nvalues = [1.0, 2.2]\n[[param]]\npath = \"gp_traits.delegation_propensity_mean\"\nvalues = [0.25, 0.55]\n[[param]]\npath = \"gp_traits.control_orientation_mean\"\nvalues = [0.4, 0.8]\n";
const LHS2: &str = "[design]\nkind = \"lhs\"\nsamples = 5\n[[param]]\npath = \"delegation.outside_cost\"\nrange = [1.0, 2.2]\n[[param]]\npath = \"gp_traits.delegation_propensity_mean\"\nrange = [0.2, 0.6]\n";

fn names(files: &[PathBuf]) -> Vec<String> {
    files
        .iter()
        .map(|f| {
            f.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .collect()
}

fn assert_mentions(texts: &[String], needle: &str, what: &Path) {
    assert!(
        texts.iter().any(|t| t.contains(needle)),
        "{} does not mention {needle}: {texts:?}",
        what.display()
    );
}

fn heat_maps() -> Vec<String> {
    SWEEP_INDICATORS
        .iter()
        .map(|i| format!("heatmap-{i}.png"))
        .collect()
}

#[test]
fn a_two_parameter_grid_gets_a_figure_per_parameter_and_a_heat_map_per_indicator() {
    let root = tmp();
    let dir = run_sweep(root.path(), "two", GRID2);
    assert_eq!(dir_kind(&dir), DirKind::Sweep);
    let files = plot_sweep(&dir, &dir, Format::Png).unwrap_or_else(|e| panic!("{e}"));
    let mut expected = vec![
        "sweep-structures.msp_a.coordinator_fte.png".to_string(),
        "sweep-gp_traits.delegation_propensity_mean.png".to_string(),
    ];
    expected.extend(heat_maps());
    assert_eq!(names(&files), expected);
    for f in &files {
        assert!(f.starts_with(&dir));
        assert_real_png(f);
    }
}

#[test]
fn svg_figures_parse_and_name_their_parameters_and_indicators() {
    let root = tmp();
    let dir = run_sweep(root.path(), "two", GRID2);
    let out = root.path().join("svg");
    let files = plot_sweep(&dir, &out, Format::Svg).unwrap_or_else(|e| panic!("{e}"));
    let line = out.join("sweep-structures.msp_a.coordinator_fte.svg");
    let texts = svg_texts(&line);
    // Parameters are named in words on axes and legends, by their path in a note.
    assert!(
        texts.iter().any(|t| t == "coordinator fte (msp_a)"),
        "{texts:?}"
    );
    assert!(
        !texts
            .iter()
            .any(|t| t == "structures.msp_a.coordinator_fte"),
        "no axis shows a dotted path: {texts:?}"
    );
    assert_mentions(
        &texts,
        "coordinator fte (msp_a): structures.msp_a.coordinator_fte",
        &line,
    );
    // The other parameter is not hidden: one line per value, named in the legend.
    assert_mentions(&texts, "delegation propensity mean = 0.25", &line);
    for indicator in SWEEP_INDICATORS {
        assert_mentions(&texts, indicator, &line);
    }
    let heat = out.join("heatmap-delegated_share.svg");
    let texts = svg_texts(&heat);
    for needle in [
        "delegated_share",
        "structures.msp_a.coordinator_fte",
        "gp_traits.delegation_propensity_mean",
        "%",
    ] {
        assert_mentions(&texts, needle, &heat);
    }
    assert_eq!(files.len(), 2 + SWEEP_INDICATORS.len());
}

#[test]
fn the_sweep_file_chooses_the_indicators_its_figures_show() {
    let root = tmp();
    let chosen =
        format!("plot_indicators = [\"avoidable_hosp_per_100k_per_year\", \"msps_end\"]\n{GRID2}");
    let dir = run_sweep(root.path(), "chosen", &chosen);
    let out = root.path().join("svg");
    let files = plot_sweep(&dir, &out, Format::Svg).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        names(&files)[2..],
        [
            "heatmap-avoidable_hosp_per_100k_per_year.svg",
            "heatmap-msps_end.svg"
        ]
    );
    let line = out.join("sweep-structures.msp_a.coordinator_fte.svg");
    let texts = svg_texts(&line);
    assert_mentions(&texts, "Avoidable hospitalisations", &line);
    assert_mentions(&texts, "MSPs in operation", &line);
    assert!(
        !texts.iter().any(|t| t.contains("delegated_share")),
        "only the chosen indicators: {texts:?}"
    );
}

#[test]
fn svg_output_is_the_same_bytes_every_time() {
    let root = tmp();
    let dir = run_sweep(root.path(), "two", GRID2);
    let (a, b) = (root.path().join("a"), root.path().join("b"));
    let first = plot_sweep(&dir, &a, Format::Svg).unwrap_or_else(|e| panic!("{e}"));
    plot_sweep(&dir, &b, Format::Svg).unwrap_or_else(|e| panic!("{e}"));
    for f in names(&first) {
        let read = |d: &Path| std::fs::read(d.join(&f)).unwrap_or_else(|e| panic!("{e}"));
        assert!(read(&a) == read(&b), "{f} differs between two renders");
    }
}

#[test]
fn a_one_parameter_sweep_gets_its_line_figure_and_no_heat_map() {
    let root = tmp();
    let dir = run_sweep(root.path(), "one", GRID1);
    let files = plot_sweep(&dir, &dir, Format::Both).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        names(&files),
        [
            "sweep-delegation.outside_cost.png",
            "sweep-delegation.outside_cost.svg"
        ]
    );
    assert_real_png(&files[0]);
    let texts = svg_texts(&files[1]);
    assert_mentions(&texts, "band: 95% confidence interval", &files[1]);
}

#[test]
fn a_three_parameter_grid_averages_over_the_others_and_says_so_without_heat_maps() {
    let root = tmp();
    let dir = run_sweep(root.path(), "three", GRID3);
    let files = plot_sweep(&dir, &dir, Format::Svg).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(files.len(), 3, "{:?}", names(&files));
    assert!(names(&files).iter().all(|n| n.starts_with("sweep-")));
    let texts = svg_texts(&dir.join("sweep-gp_traits.control_orientation_mean.svg"));
    assert_mentions(
        &texts,
        "mean over the grid values of outside cost, delegation propensity mean",
        &files[2],
    );
}

#[test]
fn a_latin_hypercube_gets_dots_with_error_bars_and_no_heat_map() {
    let root = tmp();
    let dir = run_sweep(root.path(), "lhs", LHS2);
    let files = plot_sweep(&dir, &dir, Format::Both).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        names(&files),
        [
            "sweep-delegation.outside_cost.png",
            "sweep-delegation.outside_cost.svg",
            "sweep-gp_traits.delegation_propensity_mean.png",
            "sweep-gp_traits.delegation_propensity_mean.svg"
        ]
    );
    assert_real_png(&files[0]);
    let texts = svg_texts(&files[1]);
    assert_mentions(&texts, "Each dot: one design point", &files[1]);
    assert_mentions(&texts, "delegation propensity mean also varies", &files[1]);
}

#[test]
fn a_directory_without_points_csv_gets_an_error_naming_it() {
    let root = tmp();
    let message = plot_sweep(root.path(), root.path(), Format::Png)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(message.contains("points.csv: missing"), "{message}");
    assert!(message.contains("pluri sweep"), "{message}");
    // A shard has a manifest but no tables: the message says how to get them.
    std::fs::write(root.path().join("manifest.json"), "{}").unwrap_or_else(|e| panic!("{e}"));
    let message = plot_sweep(root.path(), root.path(), Format::Png)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        message.contains("points.csv: missing") && message.contains("--resume"),
        "{message}"
    );
    let gone = root.path().join("nowhere");
    let message = plot_sweep(&gone, &gone, Format::Png)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(message.contains("nowhere: no such directory"), "{message}");
}

#[test]
fn a_malformed_points_csv_names_the_file_and_line() {
    let root = tmp();
    let dir = run_sweep(root.path(), "one", GRID1);
    let path = dir.join("points.csv");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    let broken: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 2 {
                l.replacen(",2,", ",two,", 1)
            } else {
                l.to_string()
            }
        })
        .collect();
    std::fs::write(&path, broken.join("\n")).unwrap_or_else(|e| panic!("{e}"));
    let message = plot_sweep(&dir, &dir, Format::Png)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        message.contains("points.csv, line 3: malformed"),
        "{message}"
    );
}

/// Runs a tiny sensitivity analysis and writes its tables into a directory.
fn run_sensitivity(root: &Path) -> PathBuf {
    let file = root.join("sens.toml");
    let text = format!(
        "name = \"t\"\nbase = \"{}\"\nseed = 4\nset = [\"weeks=8\", \"warmup_weeks=0\"]\nindicators = [\"delegated_share\", \"unmet_need_share\"]\n[morris]\ntrajectories = 3\nlevels = 4\n[sobol]\nsamples = 6\nbootstrap = 20\n[[param]]\npath = \"gp_traits.delegation_propensity_mean\"\nrange = [0.2, 0.6]\n[[param]]\npath = \"delegation.outside_cost\"\nrange = [1.0, 2.2]\n",
        small_file()
    );
    std::fs::write(&file, text).unwrap_or_else(|e| panic!("{e}"));
    let s = Sensitivity::from_file(&file).unwrap_or_else(|e| panic!("{e}"));
    let dir = root.join("sensitivity-t");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    for (name, bytes) in analyse(&s).unwrap_or_else(|e| panic!("{e}")) {
        std::fs::write(dir.join(name), bytes).unwrap_or_else(|e| panic!("{e}"));
    }
    dir
}

#[test]
fn a_sensitivity_directory_gets_morris_and_sobol_figures_naming_every_parameter() {
    let root = tmp();
    let dir = run_sensitivity(root.path());
    assert_eq!(dir_kind(&dir), DirKind::Sensitivity);
    let files = plot_sensitivity(&dir, &dir, Format::Both).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        names(&files),
        ["morris.png", "morris.svg", "sobol.png", "sobol.svg"]
    );
    assert_real_png(&files[0]);
    assert_real_png(&files[2]);
    for svg in [&files[1], &files[3]] {
        let texts = svg_texts(svg);
        for needle in [
            "gp_traits.delegation_propensity_mean",
            "delegation.outside_cost",
            "delegated_share",
            "unmet_need_share",
        ] {
            assert_mentions(&texts, needle, svg);
        }
        // Legends and rank axes name parameters in words; the note gives their paths.
        for label in ["delegation propensity mean", "outside cost"] {
            assert!(
                texts.iter().any(|t| t == label),
                "{}: {texts:?}",
                svg.display()
            );
        }
        assert!(
            !texts.iter().any(|t| t == "delegation.outside_cost"),
            "{}: {texts:?}",
            svg.display()
        );
    }
    assert_mentions(&svg_texts(&files[3]), "total index ST", &files[3]);
}

#[test]
fn sensitivity_figures_are_titled_with_the_analysis_name_wherever_they_are_drawn() {
    let root = tmp();
    let dir = run_sensitivity(root.path());
    assert!(dir.join("sensitivity.toml").is_file(), "the file is kept");
    // `pluri sensitivity` draws in its directory while that is still being written.
    let staging = root.path().join(".sensitivity-t.partial-25642");
    std::fs::rename(&dir, &staging).unwrap_or_else(|e| panic!("{e}"));
    let files = plot_sensitivity(&staging, &staging, Format::Svg).unwrap_or_else(|e| panic!("{e}"));
    for svg in &files {
        let texts = svg_texts(svg);
        assert!(
            texts.iter().any(|t| t.contains("(t)")),
            "{}: {texts:?}",
            svg.display()
        );
        assert!(!texts.iter().any(|t| t.contains("partial")), "{texts:?}");
    }
}

#[test]
fn only_the_tables_present_are_drawn_and_none_is_an_error() {
    let root = tmp();
    let dir = run_sensitivity(root.path());
    std::fs::remove_file(dir.join("morris.csv")).unwrap_or_else(|e| panic!("{e}"));
    let files = plot_sensitivity(&dir, &dir, Format::Png).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(names(&files), ["sobol.png"]);
    let empty = root.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap_or_else(|e| panic!("{e}"));
    let message = plot_sensitivity(&empty, &empty, Format::Png)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        message.contains("morris.csv: missing") && message.contains("sobol.csv"),
        "{message}"
    );
}

#[test]
fn pluri_plot_draws_a_sweep_directory_and_a_sensitivity_directory() {
    let root = tmp();
    let sweep = run_sweep(root.path(), "two", GRID2);
    let out = root.path().join("figs");
    pluri()
        .arg("plot")
        .arg(&sweep)
        .arg("--out")
        .arg(&out)
        .arg("--format")
        .arg("svg")
        .assert()
        .success();
    assert!(out
        .join("sweep-structures.msp_a.coordinator_fte.svg")
        .is_file());
    assert!(out.join("heatmap-unmet_need_share.svg").is_file());
    let sens = run_sensitivity(root.path());
    pluri().arg("-q").arg("plot").arg(&sens).assert().success();
    assert!(sens.join("morris.png").is_file() && sens.join("sobol.png").is_file());
    let mixed = pluri()
        .arg("plot")
        .arg(&sweep)
        .arg(&sens)
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&mixed.get_output().stderr).into_owned();
    assert!(err.contains("draw it alone"), "{err}");
}

#[test]
fn pluri_sweep_draws_its_figures_unless_told_not_to() {
    let root = tmp();
    let file = root.path().join("s.toml");
    let text = format!(
        "name = \"s\"\nbase = \"{}\"\nseed = 3\nreplicates = 2\nset = [\"weeks=8\", \"warmup_weeks=0\"]\n{GRID1}",
        small_file()
    );
    std::fs::write(&file, text).unwrap_or_else(|e| panic!("{e}"));
    let with = root.path().join("with");
    pluri()
        .args(["-q", "sweep"])
        .arg(&file)
        .arg("--out")
        .arg(&with)
        .assert()
        .success();
    assert_real_png(&with.join("sweep-delegation.outside_cost.png"));
    let without = root.path().join("without");
    pluri()
        .args(["-q", "sweep"])
        .arg(&file)
        .arg("--out")
        .arg(&without)
        .arg("--no-plots")
        .assert()
        .success();
    assert!(without.join("points.csv").is_file());
    let pngs = std::fs::read_dir(&without)
        .map(|d| {
            d.filter_map(Result::ok)
                .filter(|e| e.path().extension().is_some_and(|x| x == "png"))
                .count()
        })
        .unwrap_or(usize::MAX);
    assert_eq!(pngs, 0);
}
