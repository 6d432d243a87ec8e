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

/// Runs every arm's replicates in parallel; `on_done(arm, replicate)` is called as each run
/// finishes (in any order); the outcome is in arm, then replicate order.
pub fn execute(
    arms: &[Arm],
    settings: &Settings,
    on_done: &(dyn Fn(&str, u32) + Sync),
) -> Result<Outcome, CompareError> {
    let columns = weekly_columns();
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
}
