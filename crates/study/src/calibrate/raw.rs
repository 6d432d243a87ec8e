//! The serde mirror of a calibration file, and where its values sit (for errors with lines).

use super::error::CalibrateError;
use pluri_core::input::{line_of, InputError};
use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCalibration {
    pub(super) name: Spanned<String>,
    #[serde(default)]
    pub(super) scenario: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) start_date: Option<Spanned<String>>,
    #[serde(default = "one")]
    pub(super) seed: u64,
    #[serde(default = "two")]
    pub(super) replicates: Spanned<u32>,
    pub(super) samples: Spanned<u64>,
    #[serde(default)]
    pub(super) set: Vec<Spanned<String>>,
    pub(super) observed: Spanned<Vec<Spanned<String>>>,
    #[serde(default = "three")]
    pub(super) cutoff: Spanned<f64>,
    #[serde(default = "tenth")]
    pub(super) observation_sd: Spanned<f64>,
    #[serde(default = "tenth")]
    pub(super) discrepancy_sd: Spanned<f64>,
    #[serde(default, rename = "param")]
    pub(super) params: Vec<Spanned<RawParam>>,
    #[serde(default, rename = "indicator")]
    pub(super) indicators: Vec<Spanned<RawIndicator>>,
    #[serde(default)]
    pub(super) stochastic: Option<Spanned<RawStochastic>>,
}

/// `[stochastic]`: the first `sets` points run `replicates` times in all, and their spread,
/// pooled, stands for every set's replicate variance.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawStochastic {
    pub(super) sets: Spanned<u64>,
    pub(super) replicates: Spanned<u32>,
}

fn one() -> u64 {
    1
}
fn two() -> Spanned<u32> {
    Spanned::new(0..0, 2)
}
fn three() -> Spanned<f64> {
    Spanned::new(0..0, 3.0)
}
fn tenth() -> Spanned<f64> {
    Spanned::new(0..0, 0.1)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawParam {
    pub(super) path: Spanned<String>,
    pub(super) range: Spanned<Vec<toml::Value>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawIndicator {
    pub(super) observed: Spanned<String>,
    pub(super) simulated: Spanned<String>,
    #[serde(default)]
    pub(super) per_residents: Option<Spanned<f64>>,
}

/// The calibration file's text and name, for errors with lines.
pub(super) struct Ctx<'a> {
    pub(super) text: &'a str,
    pub(super) origin: &'a str,
}

impl Ctx<'_> {
    pub(super) fn err(
        &self,
        span: std::ops::Range<usize>,
        field: &str,
        message: String,
    ) -> CalibrateError {
        InputError::Invalid {
            origin: self.origin.to_string(),
            line: Some(line_of(self.text, span.start)),
            field: field.to_string(),
            message,
        }
        .into()
    }
}
