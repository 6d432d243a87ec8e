//! `pluri run`: simulate one scenario and write its result directory.

use super::common::ScenarioArgs;
use anyhow::Context;
use pluri_core::output::RunDir;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Instant;

/// Arguments of `pluri run`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  pluri run\n  pluri run scenarios/msma.toml --seed 3 --out output/msma-3\n  pluri run --set coordination.training_multiplier=2 --weeks 520 --force"
)]
pub struct RunArgs {
    /// The scenario and overrides to run.
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// Result directory (default: output/<scenario name>).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Replace an existing result directory (only one that pluri wrote: anything else is refused).
    #[arg(long)]
    pub force: bool,
    /// Do not draw the standard figures (PNG) into the result directory.
    #[arg(long)]
    pub no_plots: bool,
    /// Tables to write: csv, parquet, or both (csv,parquet). The figures are drawn from the
    /// CSV tables: with parquet alone, none is drawn.
    #[arg(
        long,
        value_name = "FORMATS",
        value_enum,
        value_delimiter = ',',
        default_value = "csv"
    )]
    pub tables: Vec<super::tables::TableFormat>,
}

/// Simulates, writes the result directory atomically, prints where and a few headline figures.
pub fn run(args: &RunArgs, quiet: bool) -> anyhow::Result<()> {
    let scenario = args.scenario.load()?;
    super::common::check_memory(&scenario)?;
    let dest = args
        .out
        .clone()
        .unwrap_or_else(|| super::common::default_out(scenario.name()));
    let dir = RunDir::create(&dest, args.force)?;
    let started = Instant::now();
    let bar = progress_bar(quiet, u64::from(scenario.weeks()));
    let (results, phases) = pluri_core::simulate_timed(&scenario, &mut |w| {
        if let Some(b) = &bar {
            b.set_position(u64::from(w) + 1);
        }
    });
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let simulated = started.elapsed();
    let csv = args.tables.contains(&super::tables::TableFormat::Csv);
    let parquet = args.tables.contains(&super::tables::TableFormat::Parquet);
    for name in pluri_core::output::RUN_FILES {
        let table = pluri_schema::run::parquet_file(name);
        if table.is_some() && !csv {
            continue;
        }
        dir.write_with(name, |w| {
            pluri_core::output::write_run_file(name, &scenario, &results, w)
        })
        .map_err(|e| write_failed(e, &dest))?;
    }
    if parquet {
        for name in pluri_schema::run::PARQUET_FILES {
            dir.write_with(name, |w| {
                super::tables::write_run_parquet(name, &scenario, &results, w)
            })
            .map_err(|e| write_failed(e, &dest))?;
        }
    }
    let patient_weeks = scenario.population() as f64 * f64::from(scenario.weeks());
    let timings = serde_json::json!({
        "simulate_seconds": simulated.as_secs_f64(),
        "threads": rayon::current_num_threads(),
        "patient_weeks_per_second": patient_weeks / simulated.as_secs_f64().max(1e-9),
        "phase_seconds": phases
            .seconds()
            .into_iter()
            .map(|(k, v)| (k.to_string(), serde_json::json!(v)))
            .collect::<serde_json::Map<_, _>>(),
    });
    dir.write(
        "timings.json",
        serde_json::to_string_pretty(&timings)?.as_bytes(),
    )
    .map_err(|e| write_failed(e, &dest))?;
    if !args.no_plots && !csv && !quiet {
        eprintln!(
            "no figures: they are drawn from the CSV tables (pass --tables csv,parquet for both)"
        );
    }
    if !args.no_plots && csv {
        // Figures are drawn from the files just written, before the directory is complete.
        let staging = dir.staging().to_path_buf();
        pluri_plot::plot_runs(
            std::slice::from_ref(&staging),
            &staging,
            pluri_plot::Format::Png,
        )
        .context("drawing the run's figures (pass --no-plots to skip them)")?;
    }
    let path = dir.commit().map_err(|e| write_failed(e, &dest))?;
    if !quiet {
        let mut out = std::io::stdout().lock();
        super::common::ignore_broken_pipe(print_summary(
            &mut out,
            &scenario,
            &results,
            &path,
            simulated.as_secs_f64(),
        ))?;
    }
    // Freeing a national run's millions of tie records takes a few tenths of a second that
    // nobody waits for: a thread of its own does it, and a process that ends first skips it.
    std::thread::spawn(move || drop(results));
    Ok(())
}

/// An error writing the result directory, with what it means for the user: the unfinished
/// directory is removed when `RunDir` is dropped, and an older result is left untouched.
fn write_failed(e: pluri_core::output::OutputError, dest: &std::path::Path) -> anyhow::Error {
    let full = matches!(
        &e,
        pluri_core::output::OutputError::Io { source, .. }
            if source.kind() == std::io::ErrorKind::StorageFull
    );
    let what = if full {
        "the disk is full: free some space and run again"
    } else {
        "run again once the cause is fixed"
    };
    anyhow::Error::new(e).context(format!(
        "writing the results to {} failed; no partial result is left and an existing one is unchanged ({what})",
        dest.display()
    ))
}

fn progress_bar(quiet: bool, weeks: u64) -> Option<indicatif::ProgressBar> {
    if quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(weeks);
    let style = indicatif::ProgressStyle::with_template(
        "{spinner} week {pos}/{len} {wide_bar} {per_sec} eta {eta}",
    )
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    Some(bar)
}

fn print_summary(
    out: &mut dyn Write,
    s: &pluri_core::Scenario,
    r: &pluri_core::RunResults,
    path: &std::path::Path,
    secs: f64,
) -> std::io::Result<()> {
    writeln!(
        out,
        "{}: {} residents, {} zones, {} weeks simulated in {secs:.2} s",
        s.name(),
        s.population(),
        s.zones().len(),
        s.weeks()
    )?;
    let h: std::collections::BTreeMap<&str, f64> = r.headline().into_iter().collect();
    let g = |k: &str| h.get(k).copied().unwrap_or(0.0);
    // Of the accepted delegations of the last year (as the headline's shares), those other
    // organisations accepted.
    let last_year = &r.weekly[r.weekly.len().saturating_sub(52)..];
    let (orgs, delegations) = last_year.iter().fold((0, 0), |(o, d), w| {
        (
            o + w.tasks_to_organisations,
            d + w.tasks_inside + w.tasks_outside + w.tasks_platform,
        )
    });
    let to_organisations = orgs as f64 / delegations.max(1) as f64;
    if let Some((first, last)) = r.first_last() {
        writeln!(
            out,
            "  tie strength {:.2} -> {:.2}; {:.0}% of complex patients followed by several professions; \
             {:.1} friction events per 100 delegations",
            first.mean_tie_strength,
            last.mean_tie_strength,
            100.0 * last.complex_multi_share,
            g("friction_per_100_delegations")
        )?;
        writeln!(
            out,
            "  {:.0}% of tasks delegated ({:.0}% of them outside the practice, {:.0}% to other \
             organisations); {:.0}% of needs unmet (dropped {:.0}%, refused {:.0}%, done but failed {:.0}%)",
            100.0 * g("delegated_share"),
            100.0 * g("interorg_referral_share"),
            100.0 * to_organisations,
            100.0 * g("unmet_need_share"),
            100.0 * g("unmet_dropped_share"),
            100.0 * g("unmet_refused_share"),
            100.0 * g("unmet_failed_share"),
        )?;
        writeln!(
            out,
            "  {:.1} consultations per resident a year ({:.0} per GP); time to appointment {:.1} days; \
             {:.1} episodes forgone per 1,000 residents a year",
            g("consultations_per_resident_per_year"),
            g("consultations_per_gp_per_year"),
            g("time_to_appointment_days"),
            g("forgone_per_1000_per_year"),
        )?;
        writeln!(
            out,
            "  {:.1}% of residents without a declared GP; {:.1}% of GPs refusing new patients; \
             {:.0}% of GPs fully booked in a week",
            100.0 * last.without_gp_share,
            100.0 * g("gps_refusing_new_share_end"),
            100.0 * g("gps_fully_booked_share"),
        )?;
        writeln!(
            out,
            "  MSPs {} -> {} ({} GPs in MSPs); {:.0} avoidable hospitalisations per 100,000 residents a year",
            first.msps,
            last.msps,
            last.gps_in_msp,
            g("avoidable_hosp_per_100k_per_year")
        )?;
    }
    writeln!(out, "results: {}", path.display())
}
