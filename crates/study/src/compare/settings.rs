//! How a comparison runs and what it reports ([`Settings`]), and the indicators it can
//! report.

use super::arms::Arm;
use super::error::CompareError;
use pluri_core::WeeklyRecord;
use std::path::PathBuf;

/// The most replicates a comparison runs of each arm: far beyond what any precision asks
/// (`replicates_needed`), and few enough that their runs can be counted and held.
pub const MAX_REPLICATES: u32 = 1_000_000;

/// The highest confidence level: closer to 1, the interval's quantile `1 - (1 - level)/2`
/// rounds to 1 in double precision and every interval would be NaN.
pub const MAX_LEVEL: f64 = 0.999_999;

/// How a comparison runs and what it reports.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Replicates of every arm (at least 2).
    pub replicates: u32,
    /// Comparison seed: every run's seed derives from it ([`super::seed`]).
    pub seed: u64,
    /// Confidence level of every interval, between 0 and 1 (0.95).
    pub level: f64,
    /// Replicate r of every arm shares its seed (common random numbers); `false` gives every
    /// arm its own seeds, only to measure what pairing gains.
    pub paired: bool,
    /// Target half-width of a difference's interval, as a share of the difference's size,
    /// for `replicates_needed` (0.1: a tenth of |difference|).
    pub relative_precision: f64,
    /// Absolute target half-widths by indicator, instead of the relative one.
    pub precision: Vec<(String, f64)>,
    /// The question the report states (default: one made from the arms' names).
    pub question: Option<String>,
    /// The command that reproduces the comparison, as the report shows it.
    pub command: String,
    /// The comparison directory as the user named it, for the commands the report shows.
    pub out: PathBuf,
}

impl Settings {
    /// Ten paired replicates at 95%, precision a tenth of each difference.
    pub fn new(seed: u64, out: PathBuf) -> Settings {
        Settings {
            replicates: 10,
            seed,
            level: 0.95,
            paired: true,
            relative_precision: 0.1,
            precision: Vec::new(),
            question: None,
            command: String::new(),
            out,
        }
    }

    /// Checks the settings: 2 to [`MAX_REPLICATES`] replicates, a level above 0 and at most
    /// [`MAX_LEVEL`], a positive precision, absolute precisions for known indicators only.
    pub fn check(&self) -> Result<(), CompareError> {
        let fail = |given: String, message: &str| {
            Err(CompareError::Argument {
                given,
                message: message.to_string(),
            })
        };
        if self.replicates < 2 {
            return fail(
                format!("--replicates {}", self.replicates),
                "an interval needs at least 2 replicates; 10 or more are advisable",
            );
        }
        if self.replicates > MAX_REPLICATES {
            return fail(
                format!("--replicates {}", self.replicates),
                &format!(
                    "at most {MAX_REPLICATES} replicates: `replicates_needed` in differences.csv says how many a precision takes"
                ),
            );
        }
        if !(self.level > 0.0 && self.level <= MAX_LEVEL) {
            return fail(
                format!("--level {}", self.level),
                &format!("the confidence level is a share strictly between 0 and 1 (at most {MAX_LEVEL}), such as 0.95"),
            );
        }
        if !(self.relative_precision > 0.0 && self.relative_precision.is_finite()) {
            return fail(
                format!("--relative-precision {}", self.relative_precision),
                "give a positive share of the difference, such as 0.1",
            );
        }
        let known = indicators();
        for (name, h) in &self.precision {
            if !known.contains(name) {
                return Err(CompareError::Argument {
                    given: format!("--precision {name}={h}"),
                    message: format!(
                        "no indicator named {name:?}: indicators are {}",
                        known.join(", ")
                    ),
                });
            }
            if !(*h > 0.0 && h.is_finite()) {
                return fail(
                    format!("--precision {name}={h}"),
                    "the target half-width is a positive number, in the indicator's unit",
                );
            }
        }
        Ok(())
    }

    /// The question the report states.
    pub fn question_for(&self, arms: &[Arm]) -> String {
        if let Some(q) = &self.question {
            return q.clone();
        }
        let Some((first, others)) = arms.split_first() else {
            return String::new();
        };
        let names: Vec<&str> = others.iter().map(|a| a.name.as_str()).collect();
        let (verb, list) = match names.as_slice() {
            [one] => ("does", one.to_string()),
            [init @ .., last] => ("do", format!("{} and {last}", init.join(", "))),
            [] => ("does", String::new()),
        };
        format!(
            "What {verb} {list} change compared with {}, beyond the noise of the simulation?",
            first.name
        )
    }
}

/// Names of every indicator a comparison reports: the headline's, then `weekly.<column>`.
pub fn indicators() -> Vec<String> {
    let mut v: Vec<String> = pluri_schema::run::HEADLINE
        .iter()
        .map(|s| s.to_string())
        .collect();
    v.extend(
        weekly_columns()
            .iter()
            .map(|c| format!("{}{c}", pluri_schema::compare::WEEKLY_INDICATOR_PREFIX)),
    );
    v
}

/// The columns of a run's `weekly.csv` other than `week`, in order.
pub fn weekly_columns() -> Vec<String> {
    let bytes = pluri_core::output::csv_bytes(&[WeeklyRecord::default()]).unwrap_or_default();
    let text = String::from_utf8_lossy(&bytes);
    text.lines()
        .next()
        .unwrap_or_default()
        .split(',')
        .skip(1)
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_refuse_one_replicate_a_level_of_one_and_unknown_indicators() {
        let ok = Settings::new(1, "out".into());
        assert!(ok.check().is_ok());
        let one = Settings {
            replicates: 1,
            ..ok.clone()
        };
        assert!(one.check().is_err());
        // u32::MAX replicates used to be accepted, then exhaust the memory listing the runs.
        let many = Settings {
            replicates: u32::MAX,
            ..ok.clone()
        };
        let e = many
            .check()
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            e.contains("--replicates 4294967295") && e.contains("at most"),
            "{e}"
        );
        let level = Settings {
            level: 1.0,
            ..ok.clone()
        };
        assert!(level.check().is_err());
        // 1 - 2^-52 used to be accepted and give NaN intervals.
        let near_one = Settings {
            level: 1.0 - f64::EPSILON,
            ..ok.clone()
        };
        assert!(near_one.check().is_err());
        let highest = Settings {
            level: MAX_LEVEL,
            ..ok.clone()
        };
        assert!(highest.check().is_ok());
        let known = Settings {
            precision: vec![("weekly.needs_unmet".into(), 2.0)],
            ..ok.clone()
        };
        assert!(known.check().is_ok());
        let unknown = Settings {
            precision: vec![("needs".into(), 2.0)],
            ..ok
        };
        let e = unknown
            .check()
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("meetings_per_year"), "{e}");
    }

    #[test]
    fn weekly_columns_are_those_of_weekly_csv_without_the_week() {
        let columns = weekly_columns();
        assert_eq!(columns.first().map(String::as_str), Some("residents"));
        assert!(columns.iter().any(|c| c == "avoidable_hospitalisations"));
        assert!(!columns.iter().any(|c| c == "week"));
    }
}
