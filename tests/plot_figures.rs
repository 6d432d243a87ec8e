//! Figures drawn from synthetic run directories: every expected file, readable and not blank.

mod common;
mod plot_fixture;

use common::tmp;
use plot_fixture::{assert_real_png, svg_texts};
use pluri::plot::{plot_run_dir, plot_runs, Format, TIME_FIGURES};
use std::path::PathBuf;

fn names(files: &[PathBuf]) -> Vec<String> {
    files
        .iter()
        .map(|f| f.file_name().expect("name").to_string_lossy().into_owned())
        .collect()
}

#[test]
#[should_panic(expected = "colours")]
fn the_blank_check_catches_an_all_white_png() {
    let root = tmp();
    let path = root.path().join("blank.png");
    image::RgbImage::from_pixel(1400, 900, image::Rgb([255, 255, 255]))
        .save(&path)
        .expect("save");
    assert_real_png(&path);
}

#[test]
fn one_run_gets_every_standard_figure_in_its_own_directory() {
    let root = tmp();
    let dir = plot_fixture::write_run(
        &root.path().join("run"),
        "baseline",
        &plot_fixture::small(60, 0.0),
    );
    let files = plot_run_dir(&dir, Format::Png).expect("plot");
    let mut expected: Vec<String> = TIME_FIGURES.iter().map(|s| format!("{s}.png")).collect();
    expected.push("territory.png".to_string());
    assert_eq!(names(&files), expected);
    for f in &files {
        assert_eq!(f.parent(), Some(dir.as_path()));
        assert_real_png(f);
    }
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .expect("read dir")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("partial"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn a_dated_run_s_time_axes_show_years_and_its_many_interventions_their_dates() {
    let root = tmp();
    let mut results = plot_fixture::small(300, 0.0);
    results.interventions = (0..17u32)
        .map(|i| pluri::results::InterventionRecord {
            week: 60 + 9 * i,
            date: None,
            name: format!("policy-{i}"),
            action: "train_coordinators".to_string(),
            structures_touched: 1,
            members_refused: 0,
        })
        .collect();
    let dir =
        plot_fixture::write_dated_run(&root.path().join("run"), "dated", &results, "2013-03-01");
    let weekly = std::fs::read_to_string(dir.join("weekly.csv")).expect("weekly");
    assert!(weekly.starts_with("week,date,"), "{}", &weekly[..40]);
    plot_run_dir(&dir, Format::Svg).expect("plot");
    for stem in TIME_FIGURES {
        let texts = svg_texts(&dir.join(format!("{stem}.svg")));
        // 300 weeks from March 2013: New Year's Days 2014 to 2018.
        for year in ["2014", "2015", "2016", "2017", "2018"] {
            assert!(
                texts.iter().any(|t| t == year),
                "{stem}: no {year} tick in {texts:?}"
            );
        }
        assert!(texts.iter().any(|t| t == "Year"), "{stem}: {texts:?}");
        assert!(!texts.iter().any(|t| t == "Week"), "{stem}: {texts:?}");
        // The key gives each numbered intervention its date: week 60 starts on 2014-04-25.
        assert!(texts.iter().any(|t| t == "2014-04-25"), "{stem}: {texts:?}");
        assert!(
            !texts.iter().any(|t| t.starts_with("week ")),
            "{stem}: {texts:?}"
        );
    }
    // Drawn with an undated run, the same run is on an axis of weeks.
    let undated = plot_fixture::write_run(&root.path().join("plain"), "plain", &results);
    let out = root.path().join("both");
    plot_runs(&[dir, undated], &out, Format::Svg).expect("plot");
    let texts = svg_texts(&out.join("access.svg"));
    assert!(texts.iter().any(|t| t == "Week"), "{texts:?}");
}

#[test]
fn several_runs_are_compared_with_a_legend_naming_each() {
    let root = tmp();
    let a = plot_fixture::write_run(
        &root.path().join("a"),
        "baseline",
        &plot_fixture::small(52, 0.0),
    );
    let b = plot_fixture::write_run(
        &root.path().join("b"),
        "coordination-policy",
        &plot_fixture::small(52, 1.0),
    );
    let out = root.path().join("compare");
    let files = plot_runs(&[a, b], &out, Format::Both).expect("plot");
    let names = names(&files);
    for stem in TIME_FIGURES {
        assert!(
            names.contains(&format!("{stem}.png")),
            "{stem}.png in {names:?}"
        );
        assert!(
            names.contains(&format!("{stem}.svg")),
            "{stem}.svg in {names:?}"
        );
    }
    for map in ["territory-baseline", "territory-coordination-policy"] {
        assert!(
            names.contains(&format!("{map}.png")),
            "{map}.png in {names:?}"
        );
    }
    for f in &files {
        assert!(f.starts_with(&out));
        match f.extension().and_then(|e| e.to_str()) {
            Some("png") => assert_real_png(f),
            _ => {
                let texts = svg_texts(f);
                if TIME_FIGURES.iter().any(|s| f.ends_with(format!("{s}.svg"))) {
                    for run in ["baseline", "coordination-policy"] {
                        assert!(
                            texts.iter().any(|t| t == run),
                            "{}: no legend for {run}",
                            f.display()
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn an_intervention_of_one_run_only_takes_that_runs_colour() {
    let root = tmp();
    let a = plot_fixture::write_run(
        &root.path().join("a"),
        "baseline",
        &plot_fixture::small(52, 0.0),
    );
    let b = plot_fixture::write_run(
        &root.path().join("b"),
        "policy",
        &plot_fixture::small(52, 1.0),
    );
    let out = root.path().join("compare");
    plot_runs(&[a, b], &out, Format::Svg).expect("plot");
    let svg = std::fs::read_to_string(out.join("access.svg")).expect("read");
    let doc = roxmltree::Document::parse(&svg).expect("xml");
    let fill_of = |label: &str| {
        doc.descendants()
            .find(|n| n.has_tag_name("text") && n.text().map(str::trim) == Some(label))
            .and_then(|n| n.attribute("fill"))
            .map(str::to_ascii_uppercase)
    };
    // The second run's colour (Okabe–Ito vermillion); shared interventions stay grey.
    assert_eq!(fill_of("open-platform").as_deref(), Some("#D55E00"));
    assert_ne!(fill_of("pacte-training").as_deref(), Some("#D55E00"));
}

#[test]
fn runs_of_the_same_scenario_are_named_by_their_directory() {
    let root = tmp();
    let a = plot_fixture::write_run(
        &root.path().join("seed-1"),
        "default",
        &plot_fixture::small(30, 0.0),
    );
    let b = plot_fixture::write_run(
        &root.path().join("seed-2"),
        "default",
        &plot_fixture::small(30, 0.5),
    );
    let files = plot_runs(&[a, b], &root.path().join("out"), Format::Svg).expect("plot");
    let texts = svg_texts(&root.path().join("out").join("cooperation.svg"));
    assert!(texts.iter().any(|t| t == "default (seed-1)"), "{texts:?}");
    assert!(texts.iter().any(|t| t == "default (seed-2)"), "{texts:?}");
    assert!(names(&files).contains(&"territory-default--seed-1.svg".to_string()));
}

#[test]
fn time_figures_mark_each_intervention_by_name() {
    let root = tmp();
    let dir = plot_fixture::write_run(
        &root.path().join("run"),
        "policy",
        &plot_fixture::small(80, 1.0),
    );
    plot_run_dir(&dir, Format::Svg).expect("plot");
    for stem in TIME_FIGURES {
        let texts = svg_texts(&dir.join(format!("{stem}.svg")));
        for name in ["pacte-training", "fund-coordinators", "open-platform"] {
            assert!(texts.iter().any(|t| t == name), "{stem}.svg lacks {name}");
        }
    }
}

#[test]
fn many_close_interventions_are_numbered_with_a_key_naming_each() {
    let root = tempfile::tempdir().expect("tempdir");
    let mut results = plot_fixture::small(300, 0.0);
    results.interventions = (0..17u32)
        .map(|i| pluri::results::InterventionRecord {
            week: 60 + 9 * i,
            date: None,
            name: format!("policy-{i}"),
            action: "train_coordinators".to_string(),
            structures_touched: 1,
            members_refused: 0,
        })
        .collect();
    let dir = plot_fixture::write_run(&root.path().join("run"), "crowded", &results);
    plot_run_dir(&dir, Format::Svg).expect("plot");
    for stem in TIME_FIGURES {
        let texts = svg_texts(&dir.join(format!("{stem}.svg")));
        for i in 0..17 {
            let (number, name) = ((i + 1).to_string(), format!("policy-{i}"));
            let numbers = texts.iter().filter(|t| **t == number).count();
            assert!(
                numbers >= 2,
                "{stem}.svg: {number} on a panel and in the key"
            );
            assert_eq!(
                texts.iter().filter(|t| **t == name).count(),
                1,
                "{stem}.svg names {name} once, in the key"
            );
        }
        assert!(
            texts.iter().any(|t| t.starts_with("Interventions")),
            "{stem}.svg"
        );
    }
}

#[test]
fn time_figures_show_hospitalisations_refusals_and_coordination() {
    let root = tempfile::tempdir().expect("tempdir");
    let dir = plot_fixture::write_run(
        &root.path().join("run"),
        "policy",
        &plot_fixture::small(80, 1.0),
    );
    plot_run_dir(&dir, Format::Svg).expect("plot");
    let shows = |stem: &str, caption: &str| {
        let texts = svg_texts(&dir.join(format!("{stem}.svg")));
        assert!(
            texts.iter().any(|t| t.starts_with(caption)),
            "{stem}.svg has no panel {caption:?}: {texts:?}"
        );
    };
    shows("access", "Avoidable hospitalisations");
    shows(
        "access",
        "Tasks refused: full target or resisting professional",
    );
    shows("access", "Time to appointment");
    shows("access", "GPs refusing new patients");
    shows("structures", "Legitimacy of coordinators");
    shows("structures", "Agreed protocols");
    shows("structures", "Concertation meetings");
    shows(
        "delegation",
        "refused (full target or resisting professional)",
    );
}

#[test]
fn the_same_run_gives_byte_identical_svg() {
    let root = tmp();
    let dir = plot_fixture::write_run(
        &root.path().join("run"),
        "policy",
        &plot_fixture::small(40, 1.0),
    );
    let first = plot_runs(
        std::slice::from_ref(&dir),
        &root.path().join("one"),
        Format::Svg,
    )
    .expect("plot");
    let second = plot_runs(&[dir], &root.path().join("two"), Format::Svg).expect("plot");
    assert_eq!(first.len(), second.len());
    for (a, b) in first.iter().zip(&second) {
        let (a_bytes, b_bytes) = (std::fs::read(a).expect("a"), std::fs::read(b).expect("b"));
        assert!(
            a_bytes == b_bytes,
            "{} differs between two drawings",
            a.display()
        );
    }
}

#[test]
fn the_territory_map_draws_the_default_territory() {
    let root = tmp();
    let dir = plot_fixture::write_run(
        &root.path().join("run"),
        "default",
        &plot_fixture::default_territory(260, 0.0),
    );
    let files = plot_run_dir(&dir, Format::Both).expect("plot");
    let texts = svg_texts(&dir.join("territory.svg"));
    assert!(
        texts.iter().any(|t| t == "ville-centre"),
        "the largest zone is named"
    );
    assert!(
        texts.iter().any(|t| t == "MSP"),
        "the legend names structure kinds"
    );
    assert_real_png(&dir.join("territory.png"));
    assert_eq!(files.len(), 2 * (TIME_FIGURES.len() + 1));
}

#[test]
fn the_territory_map_draws_links_under_zones_and_names_every_zone() {
    let root = tempfile::tempdir().expect("tempdir");
    let results = plot_fixture::default_territory(52, 0.0);
    let dir = plot_fixture::write_run(&root.path().join("run"), "default", &results);
    plot_run_dir(&dir, Format::Svg).expect("plot");
    let path = dir.join("territory.svg");
    let texts = svg_texts(&path);
    for z in &results.zones {
        assert!(texts.contains(&z.zone), "{} is not named", z.zone);
    }
    let svg = std::fs::read_to_string(&path).expect("read");
    let doc = roxmltree::Document::parse(&svg).expect("xml");
    let elements: Vec<roxmltree::Node> = doc.descendants().filter(|n| n.is_element()).collect();
    // Links are the lines in the tie colour left of the legend (which starts at x = 1144 and
    // shows tie samples); zones are the translucent filled circles.
    let in_map = |n: &roxmltree::Node| {
        let x = n.attribute("points").and_then(|p| p.split(',').next());
        x.and_then(|x| x.trim().parse::<i32>().ok())
            .is_some_and(|x| x < 1100)
    };
    let link = |n: &roxmltree::Node| {
        n.has_tag_name("polyline") && n.attribute("stroke") == Some("#0072B2") && in_map(n)
    };
    let zone =
        |n: &roxmltree::Node| n.has_tag_name("circle") && n.attribute("opacity") == Some("0.7");
    let last_link = elements.iter().rposition(link).expect("links drawn");
    let first_zone = elements.iter().position(zone).expect("zones drawn");
    assert!(last_link < first_zone, "a link is drawn over a zone");
}

/// Writes every figure of a single run and of a comparison into the target directory, for
/// a person to look at: `cargo test --test plot_figures -- --ignored`.
#[test]
#[ignore]
fn gallery_for_a_visual_review() {
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("plot-gallery");
    let _ = std::fs::remove_dir_all(&root);
    let base = plot_fixture::write_run(
        &root.join("baseline"),
        "baseline",
        &plot_fixture::default_territory(260, 0.0),
    );
    let policy = plot_fixture::write_run(
        &root.join("policy"),
        "coordination-policy",
        &plot_fixture::default_territory(260, 1.0),
    );
    let small =
        plot_fixture::write_run(&root.join("small"), "small", &plot_fixture::small(60, 1.0));
    plot_run_dir(&base, Format::Both).expect("plot baseline");
    plot_run_dir(&small, Format::Png).expect("plot small");
    let long = plot_fixture::write_run(
        &root.join("long"),
        "a-scenario-whose-name-is-far-too-long-for-any-reasonable-title-line-in-a-report-figure",
        &plot_fixture::small(60, 0.5),
    );
    plot_runs(
        &[small.clone(), long],
        &root.join("long-compare"),
        Format::Png,
    )
    .expect("compare long names");
    plot_runs(&[base, policy], &root.join("compare"), Format::Both).expect("compare");
    // Real runs too, when given: PLURI_PLOT_RUNS=output/a:output/b (compared in <root>/real).
    if let Ok(dirs) = std::env::var("PLURI_PLOT_RUNS") {
        let dirs: Vec<PathBuf> = dirs.split(':').map(PathBuf::from).collect();
        for d in &dirs {
            plot_run_dir(d, Format::Both).expect("plot a real run");
        }
        plot_runs(&dirs, &root.join("real"), Format::Both).expect("compare real runs");
    }
    println!("figures in {}", root.display());
}
