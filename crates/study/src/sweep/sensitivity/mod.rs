//! Sensitivity analysis of headline indicators to scenario parameters: a Morris screening
//! and a Sobol decomposition, from a sensitivity file (`SENS.toml`).
//!
//! The estimators ([`morris`], [`sobol`]) are pure functions over points of the unit
//! hypercube and the outputs of any model there; [`analyse`] maps those points onto the
//! parameters' ranges and runs the simulation at each (in parallel, results in input order).
//! Every evaluation uses the same scenario seed (common random numbers), so differences
//! between points come from the parameters, not from the draws.

mod morris;
mod sobol;

use super::design::scale;
use super::error::SweepError;
use super::raw::{DesignKind, RawParam};
use super::spec::Param;
use super::validate::{check_param, load_base, Ctx};
use pluri_core::input::{self, InputKind};
use pluri_core::Scenario;
use pluri_schema::sweep::{MorrisRecord, SobolRecord, MORRIS_FILE, SENSITIVITY_FILE, SOBOL_FILE};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::path::Path;
use toml::Spanned;

/// A sensitivity file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSens {
    name: Spanned<String>,
    #[serde(default)]
    base: Option<Spanned<String>>,
    #[serde(default)]
    seed: u64,
    #[serde(default)]
    set: Vec<Spanned<String>>,
    indicators: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    morris: Option<MorrisSettings>,
    #[serde(default)]
    sobol: Option<SobolSettings>,
    #[serde(default, rename = "param")]
    params: Vec<Spanned<RawParam>>,
}

/// `[morris]`: trajectories and grid levels.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MorrisSettings {
    /// Trajectories (runs: trajectories x (parameters + 1)).
    pub trajectories: usize,
    /// Grid levels per parameter (even, at least 2).
    #[serde(default = "four")]
    pub levels: usize,
}

fn four() -> usize {
    4
}

/// `[sobol]`: base samples and bootstrap resamples.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SobolSettings {
    /// Base samples N (runs: N x (parameters + 2)).
    pub samples: usize,
    /// Bootstrap resamples for the intervals.
    #[serde(default = "bootstrap")]
    pub bootstrap: usize,
}

fn bootstrap() -> usize {
    200
}

/// A validated sensitivity analysis.
#[derive(Debug, Clone)]
pub struct Sensitivity {
    /// Name.
    pub name: String,
    /// Base scenario with fixed overrides.
    pub base: Scenario,
    /// Seed of the designs and of every simulation.
    pub seed: u64,
    /// Indicators analysed (headline names).
    pub indicators: Vec<String>,
    /// Parameters and their ranges.
    pub params: Vec<Param>,
    /// Morris settings, if a screening is asked for.
    pub morris: Option<MorrisSettings>,
    /// Sobol settings, if a decomposition is asked for.
    pub sobol: Option<SobolSettings>,
    /// The sensitivity file's text, copied beside the tables.
    pub text: String,
}

impl Sensitivity {
    /// Reads and validates a sensitivity file (ranges are checked on the base scenario).
    pub fn from_file(path: &Path) -> Result<Sensitivity, SweepError> {
        let text = input::read(InputKind::Study, path)?;
        let origin = path.display().to_string();
        let ctx = Ctx {
            text: &text,
            origin: &origin,
        };
        let raw: RawSens = input::parse_toml(&text, &origin)?;
        let dir = path.parent().unwrap_or(Path::new("."));
        let mut base = load_base(raw.base.as_ref(), &ctx, dir)?;
        for s in &raw.set {
            base = base
                .with_sets(&[s.get_ref()])
                .map_err(|e| ctx.err(s.span(), "set", e.to_string()))?;
        }
        if raw.params.is_empty() {
            return Err(ctx.err(
                raw.name.span(),
                "param",
                "add [[param]] entries with `path` and `range = [min, max]`".into(),
            ));
        }
        let params = raw
            .params
            .iter()
            .map(|p| check_param(p, DesignKind::Lhs, &base, &ctx))
            .collect::<Result<Vec<_>, _>>()?;
        if raw.morris.is_none() && raw.sobol.is_none() {
            return Err(ctx.err(
                raw.name.span(),
                "morris",
                "ask for a [morris] screening, a [sobol] decomposition, or both".into(),
            ));
        }
        if let Some(m) = raw.morris {
            if m.trajectories < 2 || m.levels < 2 || m.levels % 2 == 1 {
                return Err(ctx.err(
                    raw.name.span(),
                    "morris",
                    "needs trajectories >= 2 and an even number of levels >= 2".into(),
                ));
            }
        }
        if raw.sobol.is_some_and(|s| s.samples < 2) {
            return Err(ctx.err(
                raw.name.span(),
                "sobol.samples",
                "needs at least 2 samples".into(),
            ));
        }
        let known = headline_names(&base);
        let mut indicators = Vec::new();
        for i in raw.indicators.get_ref() {
            if !known.is_empty() && !known.contains(&i.get_ref().as_str()) {
                return Err(ctx.err(
                    i.span(),
                    "indicators",
                    format!(
                        "`{}` is not a headline indicator; they are: {}",
                        i.get_ref(),
                        known.join(", ")
                    ),
                ));
            }
            indicators.push(i.get_ref().clone());
        }
        if indicators.is_empty() {
            return Err(ctx.err(
                raw.indicators.span(),
                "indicators",
                "name at least one headline indicator".into(),
            ));
        }
        Ok(Sensitivity {
            name: raw.name.get_ref().clone(),
            base,
            seed: raw.seed,
            indicators,
            params,
            morris: raw.morris,
            sobol: raw.sobol,
            text,
        })
    }

    /// The model: indicators at a point of the unit hypercube (one value per parameter).
    pub fn evaluate(&self, u: &[f64]) -> Result<Vec<f64>, SweepError> {
        let sets: Vec<String> = self
            .params
            .iter()
            .zip(u)
            .map(|(p, &x)| format!("{}={}", p.path, scale(&p.domain, x.min(1.0 - 1e-12))))
            .collect();
        let s = self
            .base
            .with_sets(&sets)
            .map_err(|source| SweepError::Run {
                run: 0,
                point: 0,
                replicate: 0,
                source,
            })?;
        let h = pluri_core::simulate(&s.with_seed(self.seed)).headline();
        Ok(self
            .indicators
            .iter()
            .map(|name| {
                h.iter()
                    .find(|(k, _)| k == name)
                    .map_or(f64::NAN, |(_, v)| *v)
            })
            .collect())
    }
}

/// Headline indicator names, from a one-week run of the base (empty if that is impossible).
fn headline_names(base: &Scenario) -> Vec<&'static str> {
    base.with_sets(&["weeks=1", "warmup_weeks=0"])
        .map(|s| {
            pluri_core::simulate(&s)
                .headline()
                .into_iter()
                .map(|(k, _)| k)
                .collect()
        })
        .unwrap_or_default()
}

/// Evaluates `model` at every point, in parallel, results in input order.
pub fn evaluate_all<F>(points: &[Vec<f64>], model: F) -> Result<Vec<Vec<f64>>, SweepError>
where
    F: Fn(&[f64]) -> Result<Vec<f64>, SweepError> + Sync,
{
    points.par_iter().map(|p| model(p)).collect()
}

/// The files of a sensitivity directory (name, bytes): the sensitivity file as given
/// (`sensitivity.toml`, which names the analysis), then the ranking tables as CSV,
/// `morris.csv` and `sobol.csv`, rank 1 = most influential.
pub fn analyse(s: &Sensitivity) -> Result<Vec<(String, Vec<u8>)>, SweepError> {
    let k = s.params.len();
    let mut files = vec![(SENSITIVITY_FILE.to_string(), s.text.clone().into_bytes())];
    let column = |y: &[Vec<f64>], j: usize| y.iter().map(|r| r[j]).collect::<Vec<f64>>();
    if let Some(m) = s.morris {
        let d = morris::design(k, m.trajectories, m.levels, s.seed);
        let y = evaluate_all(&d, |u| s.evaluate(u))?;
        let mut out = header::<MorrisRecord>();
        for (j, ind) in s.indicators.iter().enumerate() {
            let idx = morris::indices(&d, &column(&y, j), k);
            for (rank, i) in ranking(&idx.iter().map(|m| m.mu_star).collect::<Vec<_>>()) {
                let m = idx[i];
                out += &format!(
                    "{ind},{},{rank},{},{},{}\n",
                    s.params[i].path, m.mu_star, m.mu, m.sigma
                );
            }
        }
        files.push((MORRIS_FILE.to_string(), out.into_bytes()));
    }
    if let Some(so) = s.sobol {
        let d = sobol::design(k, so.samples, s.seed);
        let y = evaluate_all(&d, |u| s.evaluate(u))?;
        let mut out = header::<SobolRecord>();
        for (j, ind) in s.indicators.iter().enumerate() {
            let idx = sobol::indices(&column(&y, j), k, so.samples, so.bootstrap, s.seed);
            for (rank, i) in ranking(&idx.iter().map(|x| x.st).collect::<Vec<_>>()) {
                let x = idx[i];
                out += &format!(
                    "{ind},{},{rank},{},{},{},{},{},{}\n",
                    s.params[i].path, x.st, x.st_low, x.st_high, x.s1, x.s1_low, x.s1_high
                );
            }
        }
        files.push((SOBOL_FILE.to_string(), out.into_bytes()));
    }
    Ok(files)
}

/// The header line of a table of rows `T`: the schema's columns, in order.
fn header<T: Serialize + Default>() -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    // A row serialized in memory cannot fail; the header is the first line written.
    let _ = w.serialize(T::default());
    let bytes = w.into_inner().unwrap_or_default();
    let text = String::from_utf8_lossy(&bytes);
    text.split_inclusive('\n')
        .next()
        .unwrap_or_default()
        .to_string()
}

/// (rank from 1, index) by decreasing value; ties keep parameter order.
fn ranking(values: &[f64]) -> Vec<(usize, usize)> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[b].total_cmp(&values[a]));
    order
        .into_iter()
        .enumerate()
        .map(|(r, i)| (r + 1, i))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ranking tables keep their columns: the schema's row types read them back.
    #[test]
    fn ranking_tables_are_headed_by_the_schemas_columns() {
        assert_eq!(
            header::<MorrisRecord>(),
            "indicator,parameter,rank,mu_star,mu,sigma\n"
        );
        assert_eq!(
            header::<SobolRecord>(),
            "indicator,parameter,rank,ST,ST_ci_low,ST_ci_high,S1,S1_ci_low,S1_ci_high\n"
        );
    }
}
