//! Running a comparison: every arm's replicates in parallel, each run reduced at once to the
//! numbers the tables need (its headline and weekly indicators), collected in a fixed order
//! (arm, then replicate) whatever the thread count.

use super::arms::Arm;
use super::error::CompareError;
use super::seed::{independent_seed, replicate_seed};
use super::settings::{weekly_columns, Settings};
use rayon::prelude::*;

/// The numbers of one run that the comparison keeps.
#[derive(Debug, Clone, PartialEq)]
pub struct RunValues {
    /// Its seed.
    pub seed: u64,
    /// Headline indicators, in `pluri_schema::run::HEADLINE` order.
    pub headline: Vec<f64>,
    /// Week of each weekly row.
    pub weeks: Vec<u32>,
    /// Weekly columns ([`weekly_columns`] order), one row per week, as `weekly.csv` of
    /// `pluri run` writes them.
    pub weekly: Vec<Vec<f64>>,
}

/// Every run of a comparison: `runs[arm][replicate]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Weekly columns, without `week`.
    pub columns: Vec<String>,
    /// Runs by arm, then replicate.
    pub runs: Vec<Vec<RunValues>>,
}

/// The column of a dated run's weekly table that holds the week's last day.
const DATE_COLUMN: &str = "date";

/// The seed of replicate `replicate` of arm `arm`.
pub fn run_seed(settings: &Settings, arm: usize, replicate: u32) -> u64 {
    if settings.paired {
        replicate_seed(settings.seed, replicate)
    } else {
        independent_seed(settings.seed, arm, replicate)
    }
}

/// Bytes the outcome keeps of each run, per week (its weekly row) and in all.
fn run_bytes(weeks: u32, columns: usize) -> u64 {
    let row = (columns * std::mem::size_of::<f64>() + std::mem::size_of::<Vec<f64>>() + 4) as u64;
    u64::from(weeks) * row + (pluri_schema::run::HEADLINE.len() * 8 + 128) as u64
}

/// Refuses, before any run, replicates whose values would not fit in half of the memory
/// available (the outcome keeps every run's weekly table).
fn check_memory(arms: &[Arm], settings: &Settings, columns: usize) -> Result<(), CompareError> {
    let need: u64 = arms
        .iter()
        .map(|a| run_bytes(a.scenario.weeks(), columns))
        .fold(0u64, u64::saturating_add)
        .saturating_mul(u64::from(settings.replicates));
    let Some(have) = pluri_core::bench::proc_kib_bytes("/proc/meminfo", "MemAvailable") else {
        return Ok(());
    };
    if need > have / 2 {
        const GIB: f64 = (1u64 << 30) as f64;
        return Err(CompareError::Argument {
            given: format!("--replicates {}", settings.replicates),
            message: format!(
                "{} arms x {} replicates would hold about {:.1} GiB of weekly results in memory, and {:.1} GiB are available: fewer replicates, arms or weeks",
                arms.len(),
                settings.replicates,
                need as f64 / GIB,
                have as f64 / GIB
            ),
        });
    }
    Ok(())
}

/// Runs every arm's replicates in parallel; `on_done(arm, replicate)` is called as each run
/// finishes (in any order); the outcome is in arm, then replicate order. Replicates whose
/// results would not fit in memory are refused before any run.
pub fn execute(
    arms: &[Arm],
    settings: &Settings,
    on_done: &(dyn Fn(&str, u32) + Sync),
) -> Result<Outcome, CompareError> {
    let columns = weekly_columns();
    check_memory(arms, settings, columns.len())?;
    let jobs: Vec<(usize, u32)> = (0..settings.replicates)
        .flat_map(|r| (0..arms.len()).map(move |a| (a, r)))
        .collect();
    let mut done: Vec<((usize, u32), RunValues)> = jobs
        .par_iter()
        .map(|&(a, r)| {
            let seed = run_seed(settings, a, r);
            let scenario = arms[a].scenario.with_seed(seed);
            let results = pluri_core::simulate(&scenario);
            let values =
                values(&results, seed, columns.len()).map_err(|message| CompareError::Run {
                    arm: arms[a].name.clone(),
                    replicate: r,
                    message,
                })?;
            on_done(&arms[a].name, r);
            Ok(((a, r), values))
        })
        .collect::<Result<Vec<_>, CompareError>>()?;
    done.sort_by_key(|(key, _)| *key);
    let mut runs: Vec<Vec<RunValues>> = vec![Vec::new(); arms.len()];
    for ((a, _), v) in done {
        runs[a].push(v);
    }
    Ok(Outcome { columns, runs })
}

/// A run's headline and its weekly table read back from the bytes `pluri run` writes, so
/// that the comparison's numbers are those of the run's own files.
fn values(
    results: &pluri_core::RunResults,
    seed: u64,
    columns: usize,
) -> Result<RunValues, String> {
    let bytes =
        pluri_core::output::csv_bytes(&results.weekly).map_err(|e| format!("weekly table: {e}"))?;
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    // A dated scenario's table has a `date` column after the week: not a value.
    let dated = reader
        .headers()
        .is_ok_and(|h| h.get(1) == Some(DATE_COLUMN));
    let mut weeks = Vec::with_capacity(results.weekly.len());
    let mut weekly = Vec::with_capacity(results.weekly.len());
    for record in reader.records() {
        let record = record.map_err(|e| format!("weekly table: {e}"))?;
        let mut fields = record.iter();
        let week = fields
            .next()
            .and_then(|w| w.parse::<u32>().ok())
            .ok_or_else(|| "weekly table: a row without its week".to_string())?;
        let row: Vec<f64> = fields
            .skip(usize::from(dated))
            .map(|f| {
                f.parse::<f64>()
                    .map_err(|e| format!("weekly value {f:?}: {e}"))
            })
            .collect::<Result<_, _>>()?;
        if row.len() != columns {
            return Err(format!(
                "weekly table: {} columns where {columns} were expected",
                row.len()
            ));
        }
        weeks.push(week);
        weekly.push(row);
    }
    Ok(RunValues {
        seed,
        headline: results.headline().into_iter().map(|(_, v)| v).collect(),
        weeks,
        weekly,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dated_run_s_values_are_those_of_an_undated_one() {
        let text = "name = \"t\"\nweeks = 3\nwarmup_weeks = 0\n[[zones]]\nname = \"a\"\npopulation = 300\nrurality = \"rural\"\nx_km = 0\ny_km = 0\n";
        let undated = pluri_core::Scenario::from_toml_str(text, "t").expect("valid");
        let dated = undated
            .with_sets(&["start_date=2020-01-01"])
            .expect("valid");
        let columns = weekly_columns().len();
        let run = |s: &pluri_core::Scenario| values(&pluri_core::simulate(s), 1, columns);
        let (a, b) = (run(&undated), run(&dated));
        assert!(a.is_ok(), "{a:?}");
        assert_eq!(a, b);
    }

    #[test]
    fn replicates_whose_results_would_not_fit_in_memory_are_refused_before_any_run() {
        if pluri_core::bench::proc_kib_bytes("/proc/meminfo", "MemAvailable").is_none() {
            return;
        }
        let scenario = pluri_core::Scenario::default_scenario()
            .and_then(|s| s.with_sets(&["weeks=60000", "warmup_weeks=0"]))
            .unwrap_or_else(|e| panic!("{e}"));
        let arm = |name: &str| Arm {
            name: name.into(),
            source: String::new(),
            scenario: scenario.clone(),
            differs: Vec::new(),
        };
        // 2 x 10^6 runs of 60,000 weeks: about 60 TB of weekly rows.
        let settings = Settings {
            replicates: 1_000_000,
            ..Settings::new(1, "out".into())
        };
        let started = std::time::Instant::now();
        let e = execute(&[arm("a"), arm("b")], &settings, &|_, _| {})
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            e.contains("--replicates 1000000") && e.contains("GiB"),
            "{e}"
        );
        assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
    }
}
