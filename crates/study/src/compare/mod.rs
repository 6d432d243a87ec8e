//! Policy comparison: several arms (scenario files, `--set` variants of one, or one without
//! an intervention) run with the same replicate seeds, so that each arm's replicate r meets
//! the same random draws wherever the arms do not differ (common random numbers: the
//! engine's streams are keyed by seed, purpose, zone and week). Every indicator's paired
//! difference from the first arm then gets a t interval, a verdict at the stated level and
//! the replicates a target precision needs; `docs/COMPARE.md` says how to read them.
//!
//! ```no_run
//! use pluri_study::compare::{execute, tabulate, write_tables, ArmsSpec, Settings};
//! let arms = ArmsSpec {
//!     scenarios: vec!["scenarios/pta.toml".into()],
//!     without: vec!["platform-opens".into()],
//!     ..ArmsSpec::default()
//! }
//! .build()?;
//! let settings = Settings { replicates: 10, ..Settings::new(7, "output/pta-platform".into()) };
//! let outcome = execute(&arms, &settings, &|_, _| {})?;
//! let tables = tabulate(&arms, &settings, &outcome);
//! write_tables("output/pta-platform".as_ref(), &arms, &outcome, &tables)?;
//! # Ok::<(), pluri_study::compare::CompareError>(())
//! ```
//!
//! Runs execute in parallel (rayon) and are collected in arm, then replicate order, so the
//! tables are byte-identical at any thread count.

mod arms;
mod error;
mod exec;
mod report;
mod seed;
mod stats;
mod tables;

pub use arms::{Arm, ArmsSpec};
pub use error::CompareError;
pub use exec::{execute, Outcome, RunValues};
pub use report::{write_report, ReportFigure};
pub use tables::{tabulate, write_tables, Tables};

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
    /// Comparison seed: every run's seed derives from it ([`seed`]).
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
        exec::weekly_columns()
            .iter()
            .map(|c| format!("{}{c}", pluri_schema::compare::WEEKLY_INDICATOR_PREFIX)),
    );
    v
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
}
