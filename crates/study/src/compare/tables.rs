//! The tables of a comparison, from its runs: each arm's mean and interval of every
//! indicator, the paired difference of each arm from the first with its interval, verdict
//! and replicates needed, and the weekly bands; then written to the comparison directory.

use super::arms::Arm;
use super::error::{write_error, CompareError};
use super::exec::Outcome;
use super::settings::Settings;
use super::stats::{interval, replicates_needed, Interval};
use pluri_schema::compare::{
    ArmInfo, ArmRecord, DifferenceRecord, Manifest, WeeklyBandRecord, ARMS_FILE, DIFFERENCES_FILE,
    DIFFERS, MANIFEST_FILE, NOT_DISTINGUISHABLE, RUNS_FILE, RUNS_KEY_COLUMNS, SCENARIOS_DIR,
    WEEKLY_FILE, WEEKLY_INDICATOR_PREFIX,
};
use pluri_schema::date::Date;
use pluri_schema::run::HEADLINE;
use std::path::Path;

/// Weeks over which weekly columns are averaged into `weekly.<column>` indicators (the
/// headline's window for rates).
pub const TAIL_WEEKS: usize = 52;

/// Every table of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Tables {
    /// Indicators of `arms.csv` and `differences.csv`: the headline's, then `weekly.<column>`.
    pub indicators: Vec<String>,
    /// `arms.csv`.
    pub arms: Vec<ArmRecord>,
    /// `differences.csv`.
    pub differences: Vec<DifferenceRecord>,
    /// `weekly.csv`.
    pub weekly: Vec<WeeklyBandRecord>,
    /// `compare.json`.
    pub manifest: Manifest,
}

/// The verdict of a difference's interval.
pub fn verdict(i: &Interval) -> &'static str {
    if i.excludes_zero() {
        DIFFERS
    } else {
        NOT_DISTINGUISHABLE
    }
}

/// A run's indicators: its headline, then each weekly column's mean over the last
/// [`TAIL_WEEKS`] weeks (the whole run if shorter).
fn scalars(run: &super::exec::RunValues, columns: usize) -> Vec<f64> {
    let tail = &run.weekly[run.weekly.len().saturating_sub(TAIL_WEEKS)..];
    let n = tail.len().max(1) as f64;
    let mut v = run.headline.clone();
    v.extend((0..columns).map(|c| tail.iter().map(|row| row[c]).sum::<f64>() / n));
    v
}

/// The tables of `outcome`.
pub fn tabulate(arms: &[Arm], settings: &Settings, outcome: &Outcome) -> Tables {
    let mut indicators: Vec<String> = HEADLINE.iter().map(|s| s.to_string()).collect();
    indicators.extend(
        outcome
            .columns
            .iter()
            .map(|c| format!("{WEEKLY_INDICATOR_PREFIX}{c}")),
    );
    let ncol = outcome.columns.len();
    // values[arm][replicate][indicator]
    let values: Vec<Vec<Vec<f64>>> = outcome
        .runs
        .iter()
        .map(|runs| runs.iter().map(|r| scalars(r, ncol)).collect())
        .collect();
    let level = settings.level;
    let column = |a: usize, i: usize| -> Vec<f64> { values[a].iter().map(|v| v[i]).collect() };

    let mut arm_rows = Vec::new();
    for (a, arm) in arms.iter().enumerate() {
        for (i, name) in indicators.iter().enumerate() {
            let s = interval(&column(a, i), level);
            arm_rows.push(ArmRecord {
                arm: arm.name.clone(),
                indicator: name.clone(),
                mean: s.mean,
                sd: s.sd,
                ci_low: s.low,
                ci_high: s.high,
                replicates: s.n as u32,
            });
        }
    }

    let mut differences = Vec::new();
    for (a, arm) in arms.iter().enumerate().skip(1) {
        for (i, name) in indicators.iter().enumerate() {
            let first = column(0, i);
            let this = column(a, i);
            let paired: Vec<f64> = this.iter().zip(&first).map(|(x, y)| x - y).collect();
            let d = interval(&paired, level);
            let target = settings
                .precision
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, h)| *h)
                .unwrap_or(settings.relative_precision * d.mean.abs());
            differences.push(DifferenceRecord {
                arm: arm.name.clone(),
                indicator: name.clone(),
                mean_first: interval(&first, level).mean,
                mean_arm: interval(&this, level).mean,
                difference: d.mean,
                ci_low: d.low,
                ci_high: d.high,
                sd_difference: d.sd,
                replicates: d.n as u32,
                verdict: verdict(&d).to_string(),
                replicates_needed: replicates_needed(d.sd, target, level),
            });
        }
    }

    let weekly = weekly_rows(arms, outcome, level);
    let manifest = manifest(arms, settings, outcome);
    Tables {
        indicators,
        arms: arm_rows,
        differences,
        weekly,
        manifest,
    }
}

/// The first day of week 0 of every arm, when all have the same `start_date`; `None` when
/// an arm is undated or two differ (their weeks are then compared as weeks).
pub fn shared_start(arms: &[Arm]) -> Option<Date> {
    let start = arms.first()?.scenario.start_date()?;
    arms.iter()
        .all(|a| a.scenario.start_date() == Some(start))
        .then_some(start)
}

/// `weekly.csv`: by week, then arm, then column; dated (the week's last day) when the arms
/// share their start date.
fn weekly_rows(arms: &[Arm], outcome: &Outcome, level: f64) -> Vec<WeeklyBandRecord> {
    let start = shared_start(arms);
    let weeks_of = |a: usize| -> &[u32] {
        outcome.runs[a]
            .first()
            .map(|r| r.weeks.as_slice())
            .unwrap_or(&[])
    };
    let mut all_weeks: Vec<u32> = (0..arms.len())
        .flat_map(|a| weeks_of(a).iter().copied())
        .collect();
    all_weeks.sort_unstable();
    all_weeks.dedup();
    let mut rows = Vec::new();
    for week in all_weeks {
        let first_row = weeks_of(0).iter().position(|w| *w == week);
        let date = start.and_then(|s| s.week_end(week));
        for (a, arm) in arms.iter().enumerate() {
            let Some(row) = weeks_of(a).iter().position(|w| *w == week) else {
                continue;
            };
            for (c, column) in outcome.columns.iter().enumerate() {
                let values: Vec<f64> = outcome.runs[a].iter().map(|r| r.weekly[row][c]).collect();
                let s = interval(&values, level);
                let d = match first_row {
                    Some(f) if a > 0 => {
                        let paired: Vec<f64> = outcome.runs[a]
                            .iter()
                            .zip(&outcome.runs[0])
                            .map(|(x, y)| x.weekly[row][c] - y.weekly[f][c])
                            .collect();
                        Some(interval(&paired, level))
                    }
                    _ => None,
                };
                rows.push(WeeklyBandRecord {
                    week,
                    date,
                    arm: arm.name.clone(),
                    indicator: column.clone(),
                    mean: s.mean,
                    sd: s.sd,
                    ci_low: s.low,
                    ci_high: s.high,
                    difference: d.map(|d| d.mean),
                    difference_ci_low: d.map(|d| d.low),
                    difference_ci_high: d.map(|d| d.high),
                });
            }
        }
    }
    rows
}

/// The scenario file of `arm`, relative to the comparison directory.
pub fn scenario_file(arm: &Arm) -> String {
    format!("{SCENARIOS_DIR}/{}.toml", arm.name)
}

/// The `pluri run` command that re-runs replicate `replicate` of `arm` alone.
pub fn run_command(settings: &Settings, arm: &Arm, seed: u64, replicate: u32) -> String {
    let out = settings.out.display().to_string();
    let sep = if out.ends_with('/') { "" } else { "/" };
    format!(
        "pluri run {} --seed {seed} --out {}",
        shell_quote(&format!("{out}{sep}{}", scenario_file(arm))),
        shell_quote(&format!("{out}{sep}rerun/{}-{replicate}", arm.name))
    )
}

fn manifest(arms: &[Arm], settings: &Settings, outcome: &Outcome) -> Manifest {
    Manifest {
        pluri_version: env!("CARGO_PKG_VERSION").to_string(),
        question: settings.question_for(arms),
        level: settings.level,
        replicates: settings.replicates,
        seed: settings.seed,
        paired: settings.paired,
        seed_formula: super::seed::FORMULA.to_string(),
        start_date: shared_start(arms),
        arms: arms
            .iter()
            .map(|a| ArmInfo {
                name: a.name.clone(),
                source: a.source.clone(),
                scenario_file: scenario_file(a),
                scenario_hash: a.scenario.hash(),
                differs: a.differs.clone(),
            })
            .collect(),
        seeds: outcome
            .runs
            .iter()
            .map(|runs| runs.iter().map(|r| r.seed).collect())
            .collect(),
        command: settings.command.clone(),
    }
}

/// Rows as CSV bytes, header from the row type.
fn csv_of<T: serde::Serialize>(rows: &[T], path: &Path) -> Result<Vec<u8>, CompareError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in rows {
        w.serialize(row)
            .map_err(|e| write_error(path)(std::io::Error::other(e.to_string())))?;
    }
    w.into_inner()
        .map_err(|e| write_error(path)(std::io::Error::other(e.to_string())))
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), CompareError> {
    let path = dir.join(name);
    std::fs::write(&path, bytes).map_err(write_error(&path))
}

/// Writes `compare.json`, `runs.csv`, `arms.csv`, `differences.csv`, `weekly.csv` and each
/// arm's effective scenario (`scenarios/<arm>.toml`) into `dir`.
pub fn write_tables(
    dir: &Path,
    arms: &[Arm],
    outcome: &Outcome,
    tables: &Tables,
) -> Result<(), CompareError> {
    let scenarios = dir.join(SCENARIOS_DIR);
    std::fs::create_dir_all(&scenarios).map_err(write_error(&scenarios))?;
    for arm in arms {
        write(
            dir,
            &scenario_file(arm),
            arm.scenario.to_commented_toml().as_bytes(),
        )?;
    }
    let json = serde_json::to_string_pretty(&tables.manifest)
        .map_err(|e| write_error(&dir.join(MANIFEST_FILE))(std::io::Error::other(e)))?;
    write(dir, MANIFEST_FILE, format!("{json}\n").as_bytes())?;

    let runs_path = dir.join(RUNS_FILE);
    let mut w = csv::Writer::from_writer(Vec::new());
    let header: Vec<&str> = RUNS_KEY_COLUMNS.iter().chain(HEADLINE).copied().collect();
    let csv_failed = |e: csv::Error| write_error(&runs_path)(std::io::Error::other(e.to_string()));
    w.write_record(&header).map_err(csv_failed)?;
    for (arm, runs) in arms.iter().zip(&outcome.runs) {
        for (r, run) in runs.iter().enumerate() {
            let mut record = vec![arm.name.clone(), r.to_string(), run.seed.to_string()];
            record.extend(run.headline.iter().map(|v| csv_float(*v)));
            w.write_record(&record).map_err(csv_failed)?;
        }
    }
    let bytes = w
        .into_inner()
        .map_err(|e| write_error(&runs_path)(std::io::Error::other(e.to_string())))?;
    write(dir, RUNS_FILE, &bytes)?;

    write(dir, ARMS_FILE, &csv_of(&tables.arms, &dir.join(ARMS_FILE))?)?;
    write(
        dir,
        DIFFERENCES_FILE,
        &csv_of(&tables.differences, &dir.join(DIFFERENCES_FILE))?,
    )?;
    write(
        dir,
        WEEKLY_FILE,
        &csv_of(&tables.weekly, &dir.join(WEEKLY_FILE))?,
    )?;
    Ok(())
}

/// A float as the CSV serializer writes it (shortest text that reads back the same).
fn csv_float(v: f64) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.serialize([v]);
    w.into_inner()
        .map(|b| String::from_utf8_lossy(&b).trim_end().to_string())
        .unwrap_or_else(|_| v.to_string())
}

/// `s` quoted for a POSIX shell when it needs to be (single quotes, `'` escaped).
pub fn shell_quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_quoted_only_when_a_shell_needs_it() {
        assert_eq!(shell_quote("scenarios/pta.toml"), "scenarios/pta.toml");
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
        assert_eq!(shell_quote(""), "''");
        assert_eq!(
            shell_quote("x:structures.msp_b.coordinator_fte=1.0"),
            "x:structures.msp_b.coordinator_fte=1.0"
        );
    }
}
