//! `pluri compare`: policies compared properly. Several arms run with the same replicate
//! seeds; each indicator's paired difference from the first arm, its interval and verdict;
//! tables, banded figures and a self-contained `report.html` in one directory.

use anyhow::Context;
use pluri_core::output::RunDir;
use pluri_schema::compare::{DIFFERS, REPORT_FILE, WEEKLY_INDICATOR_PREFIX};
use pluri_study::compare::{
    execute, shell_quote, tabulate, write_report, write_tables, ArmsSpec, ReportFigure, Settings,
};
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// Arguments of `pluri compare`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  pluri compare scenarios/pta.toml --without platform-opens --replicates 10
  pluri compare scenarios/small.toml --arm 'coordinated:structures.msp_b.coordinator_fte=1.0' --replicates 20
  pluri compare scenarios/msma.toml scenarios/coordinators.toml --replicates 10 --set weeks=156

Replicate r of every arm runs on the same seed (common random numbers), so differences are
taken replicate by replicate. Outputs: differences.csv, arms.csv, weekly.csv, runs.csv,
compare.json, scenarios/<arm>.toml, figures with bands and report.html. See docs/COMPARE.md.")]
pub struct CompareArgs {
    /// Scenario files: the first is the reference arm, each further one an arm.
    #[arg(value_name = "SCENARIO.toml", required = true)]
    pub scenarios: Vec<PathBuf>,
    /// Replicates of every arm (at least 2).
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub replicates: u32,
    /// Comparison seed, from which every run's seed derives (default: the first scenario's).
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Override a field of every arm by its dotted path; repeatable.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub sets: Vec<String>,
    /// Weeks to simulate in every arm (the same as --set weeks=N).
    #[arg(long, value_name = "N")]
    pub weeks: Option<u32>,
    /// An arm that is the first scenario with overrides: NAME:PATH=VALUE[,PATH=VALUE...]; repeatable.
    #[arg(long = "arm", value_name = "NAME:PATH=VALUE,...")]
    pub arms: Vec<String>,
    /// An arm that is the first scenario without this intervention (by name); repeatable.
    #[arg(long, value_name = "INTERVENTION")]
    pub without: Vec<String>,
    /// Output directory (default: output/compare-<first arm>).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Confidence level of every interval.
    #[arg(long, default_value_t = 0.95, value_name = "LEVEL")]
    pub level: f64,
    /// Replicates needed: target half-width as a share of |difference|.
    #[arg(long, default_value_t = 0.1, value_name = "SHARE")]
    pub relative_precision: f64,
    /// Replicates needed: an absolute target half-width for one indicator; repeatable.
    #[arg(long = "precision", value_name = "INDICATOR=HALF_WIDTH")]
    pub precision: Vec<String>,
    /// The question the report states (default: what the arms change compared with the first).
    #[arg(long, value_name = "TEXT")]
    pub question: Option<String>,
    /// Give every arm its own seeds instead of pairing them (only to measure what pairing gains).
    #[arg(long)]
    pub independent_seeds: bool,
    /// Replace an existing output directory.
    #[arg(long)]
    pub force: bool,
    /// Do not draw the figures (the report then has no curves).
    #[arg(long)]
    pub no_plots: bool,
}

/// `INDICATOR=VALUE` pairs of `--precision`.
fn parse_precision(given: &[String]) -> anyhow::Result<Vec<(String, f64)>> {
    given
        .iter()
        .map(|p| {
            let (name, value) = p.split_once('=').with_context(|| {
                format!(
                    "--precision {p}: write INDICATOR=HALF_WIDTH, for example meetings_per_year=2"
                )
            })?;
            let value: f64 = value
                .trim()
                .parse()
                .with_context(|| format!("--precision {p}: {value:?} is not a number"))?;
            Ok((name.trim().to_string(), value))
        })
        .collect()
}

/// This process's command line, as a shell would read it back, with `pluri` as the program.
fn command_line() -> String {
    let mut words = vec!["pluri".to_string()];
    words.extend(
        std::env::args_os()
            .skip(1)
            .map(|a| shell_quote(&a.to_string_lossy())),
    );
    words.join(" ")
}

/// Runs the comparison and writes its directory atomically.
pub fn run(args: &CompareArgs, quiet: bool) -> anyhow::Result<()> {
    let mut sets = args.sets.clone();
    if let Some(w) = args.weeks {
        sets.push(format!("weeks={w}"));
    }
    let arms = ArmsSpec {
        scenarios: args.scenarios.clone(),
        sets,
        variants: args.arms.clone(),
        without: args.without.clone(),
    }
    .build()?;
    for arm in &arms {
        super::common::check_memory(&arm.scenario).with_context(|| format!("arm {}", arm.name))?;
    }
    let dest = args
        .out
        .clone()
        .unwrap_or_else(|| super::common::default_out(&format!("compare-{}", arms[0].name)));
    let settings = Settings {
        replicates: args.replicates,
        seed: args.seed.unwrap_or(arms[0].scenario.seed()),
        level: args.level,
        paired: !args.independent_seeds,
        relative_precision: args.relative_precision,
        precision: parse_precision(&args.precision)?,
        question: args.question.clone(),
        command: command_line(),
        out: dest.clone(),
    };
    settings.check()?;
    let dir = RunDir::create(&dest, args.force)?;
    let total = u64::from(settings.replicates) * arms.len() as u64;
    if !quiet {
        eprintln!(
            "compare: {} arms ({}) x {} replicates = {total} runs on {} threads -> {}",
            arms.len(),
            arms.iter()
                .map(|a| a.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            settings.replicates,
            rayon::current_num_threads(),
            dest.display()
        );
    }
    let started = Instant::now();
    let done = AtomicU64::new(0);
    let step = (total / 10).max(1);
    let on_done = |_: &str, _: u32| {
        let n = done.fetch_add(1, Ordering::Relaxed) + 1;
        if !quiet && (n.is_multiple_of(step) || n == total) {
            eprintln!(
                "  {n}/{total} runs, {:.1} s",
                started.elapsed().as_secs_f64()
            );
        }
    };
    let outcome = execute(&arms, &settings, &on_done)?;
    let tables = tabulate(&arms, &settings, &outcome);
    let staging = dir.staging().to_path_buf();
    write_tables(&staging, &arms, &outcome, &tables)
        .with_context(|| format!("writing the comparison to {}", dest.display()))?;
    let mut figures = Vec::new();
    if !args.no_plots {
        let plots = pluri_plot::plot_compare(&staging, &staging, pluri_plot::Format::Both)
            .context("drawing the comparison's figures (pass --no-plots to skip them)")?;
        for p in plots {
            if let Some(svg) = p
                .files
                .iter()
                .find(|f| f.extension().is_some_and(|e| e == "svg"))
            {
                figures.push(ReportFigure {
                    svg: svg.clone(),
                    caption: p.caption.clone(),
                });
            }
        }
    }
    write_report(&staging, &arms, &settings, &outcome, &tables, &figures)?;
    let path = dir
        .commit()
        .with_context(|| format!("writing the comparison to {}", dest.display()))?;
    if !quiet {
        let mut out = std::io::stdout().lock();
        super::common::ignore_broken_pipe(print_summary(
            &mut out, &arms, &tables, &settings, &path,
        ))?;
    }
    Ok(())
}

fn print_summary(
    out: &mut dyn Write,
    arms: &[pluri_study::compare::Arm],
    tables: &pluri_study::compare::Tables,
    settings: &Settings,
    path: &std::path::Path,
) -> std::io::Result<()> {
    let level = 100.0 * settings.level;
    for arm in arms.iter().skip(1) {
        let rows: Vec<_> = tables
            .differences
            .iter()
            .filter(|d| d.arm == arm.name && !d.indicator.starts_with(WEEKLY_INDICATOR_PREFIX))
            .collect();
        let differ: Vec<_> = rows.iter().filter(|d| d.verdict == DIFFERS).collect();
        writeln!(
            out,
            "{} vs {}: {} of {} headline indicators differ at {level}% ({} paired replicates)",
            arm.name,
            arms[0].name,
            differ.len(),
            rows.len(),
            settings.replicates
        )?;
        for d in differ {
            writeln!(
                out,
                "  {:<34} {:>12.4} -> {:<12.4} difference {:+.4} [{:+.4}, {:+.4}]",
                d.indicator, d.mean_first, d.mean_arm, d.difference, d.ci_low, d.ci_high
            )?;
        }
    }
    writeln!(out, "report: {}", path.join(REPORT_FILE).display())
}
