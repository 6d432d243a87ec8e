//! What each run records (the calibrated series) and how each parameter set is scored.
//!
//! History matching (Craig et al. 1997; Vernon et al. 2010): for each scored observation
//! `z` and parameter set `x`, the implausibility is
//!
//! ```text
//! I(x) = |z - m(x)| / sqrt(var_obs + var_rep(x) / n + var_disc)
//! ```
//!
//! where `m(x)` is the mean over the `n` replicates of the simulated value, `var_rep` their
//! sample variance (n - 1 denominator; 0 when n = 1), `var_obs` the observation's variance (a
//! quarter of its range squared, or `(observation_sd × z)²` for a point figure) and
//! `var_disc = (discrepancy_sd × z)²` the model discrepancy. A set is kept when the largest
//! `I` over the observations is below the cut-off (3, after Pukelsheim's three-sigma rule).

use super::error::CalibrateError;
use super::spec::Calibration;
use crate::sweep::Store;
use crate::RunResults;

/// The values of `cal`'s columns in one run's results (NaN where a row is missing).
pub fn extract(cal: &Calibration, results: &RunResults) -> Vec<(String, f64)> {
    let mut rows: Vec<(u32, serde_json::Map<String, serde_json::Value>)> = Vec::new();
    cal.columns
        .iter()
        .map(|c| {
            if !rows.iter().any(|(r, _)| *r == c.row) {
                let map = results
                    .weekly
                    .get(c.row as usize)
                    .and_then(|w| match serde_json::to_value(w) {
                        Ok(serde_json::Value::Object(m)) => Some(m),
                        _ => None,
                    })
                    .unwrap_or_default();
                rows.push((c.row, map));
            }
            let map = rows.iter().find(|(r, _)| *r == c.row).map(|(_, m)| m);
            let ind = &cal.indicators[c.indicator];
            let get = |k: &str| {
                map.and_then(|m| m.get(k))
                    .and_then(serde_json::Value::as_f64)
            };
            let v = match (get(&ind.simulated), ind.per_residents) {
                (Some(v), None) => v,
                (Some(v), Some(per)) => match get("residents") {
                    Some(res) if res > 0.0 => v * per / res,
                    _ => f64::NAN,
                },
                (None, _) => f64::NAN,
            };
            (c.name.clone(), v)
        })
        .collect()
}

/// One parameter set, scored.
#[derive(Debug, Clone, PartialEq)]
pub struct PointScore {
    /// Point index.
    pub point: u64,
    /// Parameter values, in parameter order.
    pub params: Vec<f64>,
    /// Replicates found.
    pub n: usize,
    /// Mean over replicates of each column (NaN if a run had none).
    pub means: Vec<f64>,
    /// Sample variance over replicates of each column (0 for one replicate).
    pub variances: Vec<f64>,
    /// Implausibility of each target.
    pub implausibility: Vec<f64>,
    /// Largest implausibility.
    pub max_i: f64,
    /// Kept (max_i below the cut-off).
    pub accepted: bool,
}

/// The implausibility of a simulated mean and variance over `n` replicates against an observation.
pub fn implausibility(z: f64, sd_obs: f64, disc: f64, mean: f64, var_rep: f64, n: usize) -> f64 {
    let var = sd_obs * sd_obs + var_rep / n.max(1) as f64 + (disc * z).powi(2);
    let gap = (z - mean).abs();
    if !gap.is_finite() {
        f64::INFINITY
    } else if var > 0.0 {
        gap / var.sqrt()
    } else if gap == 0.0 {
        0.0
    } else {
        f64::INFINITY
    }
}

/// Scores every point of a complete calibration sweep directory, reading its run files in order.
pub fn score(cal: &Calibration, store: &Store) -> Result<Vec<PointScore>, CalibrateError> {
    let reps = u64::from(cal.sweep.replicates);
    let k = cal.columns.len();
    let mut out = Vec::new();
    for point in 0..cal.sweep.points() {
        let mut values: Vec<Vec<f64>> = vec![Vec::new(); k];
        let mut params = Vec::new();
        for r in 0..reps {
            let rec = store.read_run(point * reps + r)?;
            if r == 0 {
                params = rec
                    .parameters
                    .0
                    .iter()
                    .map(|(_, v)| v.as_f64().unwrap_or(f64::NAN))
                    .collect();
            }
            for (i, c) in cal.columns.iter().enumerate() {
                let v = rec
                    .indicators
                    .0
                    .iter()
                    .find(|(name, _)| *name == c.name)
                    .and_then(|(_, v)| *v);
                values[i].push(v.unwrap_or(f64::NAN));
            }
        }
        let n = reps as usize;
        let means: Vec<f64> = values
            .iter()
            .map(|v| v.iter().sum::<f64>() / n as f64)
            .collect();
        let variances: Vec<f64> = values
            .iter()
            .zip(&means)
            .map(|(v, m)| {
                if n < 2 {
                    0.0
                } else {
                    v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1) as f64
                }
            })
            .collect();
        let implausibility: Vec<f64> = cal
            .targets
            .iter()
            .map(|t| {
                implausibility(
                    t.obs.value,
                    t.obs.sd(cal.observation_sd),
                    cal.discrepancy_sd,
                    means[t.column],
                    variances[t.column],
                    n,
                )
            })
            .collect();
        let max_i = implausibility.iter().copied().fold(0.0, f64::max);
        out.push(PointScore {
            point,
            params,
            n,
            means,
            variances,
            implausibility,
            max_i,
            accepted: max_i < cal.cutoff,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::implausibility;

    #[test]
    fn implausibility_weighs_the_gap_by_every_source_of_uncertainty() {
        // gap 6, var = 4 (obs) + 8/2 (replicates) + 1 (discrepancy 0.1 x 10) = 9 -> I = 2.
        assert!((implausibility(10.0, 2.0, 0.1, 4.0, 8.0, 2) - 2.0).abs() < 1e-12);
        // More replicates shrink the replicate term, so the same gap is less plausible.
        assert!(implausibility(10.0, 2.0, 0.1, 4.0, 8.0, 8) > 2.0);
        assert_eq!(implausibility(10.0, 0.0, 0.0, 10.0, 0.0, 1), 0.0);
        assert!(implausibility(10.0, 0.0, 0.0, 9.0, 0.0, 1).is_infinite());
        assert!(implausibility(10.0, 1.0, 0.1, f64::NAN, 0.0, 1).is_infinite());
    }
}
