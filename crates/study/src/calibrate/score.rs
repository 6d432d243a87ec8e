//! What each run records (the calibrated series) and how each parameter set is scored.
//!
//! History matching (Craig et al. 1997; Vernon et al. 2010): for each scored observation
//! `z` and parameter set `x`, the implausibility is
//!
//! ```text
//! I(x) = |z - m(x)| / sqrt(var_obs + var_rep(x) / n + var_disc)
//! ```
//!
//! where `m(x)` is the mean over the `n` runs of set `x` of the simulated value, `var_obs` the
//! observation's variance (a quarter of its range squared, or `(observation_sd × z)²` for a
//! point figure) and `var_disc = (discrepancy_sd × z)²` the model discrepancy. The
//! replicate variance `var_rep(x)` is either
//!
//! - the sample variance of the set's own runs (n - 1 denominator; 0 when n = 1), or
//! - with `[stochastic]`, `cv² × m(x)²`, where `cv²` is the squared coefficient of variation
//!   pooled over the replicated sets ([`pooled`]): the spread of a count grows with its level.
//!
//! A set is kept when the largest `I` over the observations is below the cut-off (3, after
//! Pukelsheim's three-sigma rule).

use super::error::CalibrateError;
use super::spec::{Calibration, Stochastic};
use crate::sweep::Store;
use pluri_core::RunResults;

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
    /// Runs of this set.
    pub n: usize,
    /// Mean over its runs of each column (NaN if a run had none).
    pub means: Vec<f64>,
    /// Sample variance over its runs of each column (0 for one run).
    pub sample_variances: Vec<f64>,
    /// Replicate variance of each column as the score uses it: the sample variance, or with
    /// `[stochastic]` the pooled `cv² × mean²`.
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

/// The squared coefficient of variation of one column, pooled over replicated sets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pooled {
    /// Pooled `cv²` (0 when no set could inform it).
    pub cv2: f64,
    /// Sets it rests on (replicated sets with a finite mean other than 0).
    pub sets: usize,
    /// Their runs.
    pub runs: usize,
}

/// Pools `(n, mean, sample variance)` of replicated sets into one squared coefficient of
/// variation, weighting each set by its degrees of freedom:
///
/// ```text
/// cv² = Σ (n_j - 1) s_j² / m_j²  /  Σ (n_j - 1)
/// ```
///
/// (the pooled variance of the runs each divided by its set's mean). Sets with fewer than 2
/// runs, a mean of 0 or a value missing are left out; with none left, `cv² = 0`.
pub fn pool(sets: impl Iterator<Item = (usize, f64, f64)>) -> Pooled {
    let (mut sum, mut df, mut used, mut runs) = (0.0, 0usize, 0usize, 0usize);
    for (n, m, v) in sets {
        if n >= 2 && m.is_finite() && v.is_finite() && m != 0.0 {
            sum += (n - 1) as f64 * v / (m * m);
            df += n - 1;
            used += 1;
            runs += n;
        }
    }
    Pooled {
        cv2: if df > 0 { sum / df as f64 } else { 0.0 },
        sets: used,
        runs,
    }
}

/// With `[stochastic]`, the pooled estimate of each column over the replicated sets (the
/// first `stochastic.sets` points); `None` without it.
pub fn pooled(cal: &Calibration, scores: &[PointScore]) -> Option<Vec<Pooled>> {
    let Stochastic { sets, .. } = cal.stochastic?;
    let replicated = &scores[..scores.len().min(sets as usize)];
    Some(
        (0..cal.columns.len())
            .map(|c| {
                pool(
                    replicated
                        .iter()
                        .map(|s| (s.n, s.means[c], s.sample_variances[c])),
                )
            })
            .collect(),
    )
}

/// Scores every point of a complete calibration sweep directory, reading its run files in order.
pub fn score(cal: &Calibration, store: &Store) -> Result<Vec<PointScore>, CalibrateError> {
    let layout = cal.sweep.layout();
    let k = cal.columns.len();
    let mut out = Vec::new();
    for point in 0..cal.sweep.points() {
        let mut values: Vec<Vec<f64>> = vec![Vec::new(); k];
        let mut params = Vec::new();
        let runs = layout.runs_of(point);
        for (r, &run) in runs.iter().enumerate() {
            let rec = store.read_run(run)?;
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
        let n = runs.len();
        let means: Vec<f64> = values
            .iter()
            .map(|v| v.iter().sum::<f64>() / n as f64)
            .collect();
        let sample_variances: Vec<f64> = values
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
        out.push(PointScore {
            point,
            params,
            n,
            variances: sample_variances.clone(),
            means,
            sample_variances,
            implausibility: Vec::new(),
            max_i: 0.0,
            accepted: false,
        });
    }
    let pooled = pooled(cal, &out);
    for s in &mut out {
        if let Some(p) = &pooled {
            s.variances = p.iter().zip(&s.means).map(|(p, m)| p.cv2 * m * m).collect();
        }
        s.implausibility = cal
            .targets
            .iter()
            .map(|t| {
                implausibility(
                    t.obs.value,
                    t.obs.sd(cal.observation_sd),
                    cal.discrepancy_sd,
                    s.means[t.column],
                    s.variances[t.column],
                    s.n,
                )
            })
            .collect();
        s.max_i = s.implausibility.iter().copied().fold(0.0, f64::max);
        s.accepted = s.max_i < cal.cutoff;
    }
    Ok(out)
}

/// The point with the smallest largest implausibility (the first on ties), if any.
pub fn best(scores: &[PointScore]) -> Option<&PointScore> {
    scores
        .iter()
        .fold(None, |b: Option<&PointScore>, s| match b {
            Some(b) if b.max_i <= s.max_i => Some(b),
            _ => Some(s),
        })
}

#[cfg(test)]
mod tests {
    use super::{best, extract, implausibility, pool, PointScore};
    use crate::calibrate::Calibration;

    #[test]
    fn the_pooled_cv_weighs_each_set_by_its_degrees_of_freedom() {
        // Set A: runs 90, 100, 110 -> mean 100, s² = 100, cv² = 0.01, 2 df.
        // Set B: runs 18, 22 -> mean 20, s² = 8, cv² = 0.02, 1 df.
        // Pooled: (2 x 0.01 + 1 x 0.02) / 3 = 0.04 / 3.
        let sets = [(3, 100.0, 100.0), (2, 20.0, 8.0)];
        let p = pool(sets.into_iter());
        assert!((p.cv2 - 0.04 / 3.0).abs() < 1e-15, "{}", p.cv2);
        assert_eq!((p.sets, p.runs), (2, 5));
        // A set of one run, a mean of 0 or a missing value informs nothing.
        let more = [(1, 50.0, 0.0), (4, 0.0, 0.0), (3, f64::NAN, 1.0)];
        let q = pool(sets.into_iter().chain(more));
        assert_eq!(q, p);
        // Nothing to pool: no replicate variance.
        assert_eq!(pool(more.into_iter()).cv2, 0.0);
        // The same relative spread at ten times the level pools to the same cv.
        let scaled = pool([(3, 1000.0, 10000.0), (2, 200.0, 800.0)].into_iter());
        assert!((scaled.cv2 - p.cv2).abs() < 1e-15);
    }

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

    #[test]
    fn runs_record_each_mapped_indicator_at_its_dates_scaled_per_residents() {
        let dir = tempfile::tempdir().expect("tmp");
        std::fs::write(
            dir.path().join("obs.csv"),
            "indicator,date,value,low,high,kind,unit,publisher,document,published,note\n\
             msps,2001-01-01,3,,,observed,count,DGOS,counts,2026,\n",
        )
        .expect("write");
        let small = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/small.toml");
        let text = format!(
            "name = \"t\"\nscenario = \"{small}\"\nstart_date = \"2000-01-01\"\nsamples = 2\n\
             observed = [\"obs.csv\"]\n\n[[param]]\npath = \"structural.msp_join_rate_per_year\"\n\
             range = [0.0, 0.1]\n\n[[indicator]]\nobserved = \"msps\"\nsimulated = \"msps\"\n\
             per_residents = 1000000.0\n"
        );
        let cal = Calibration::from_toml_str(&text, "cal.toml", dir.path()).expect("valid");
        // Each 1 January within the 104 weeks (row 0 stands for the start; 2 January 2002 ends
        // week 103), the scored date among them.
        let dates: Vec<(String, u32)> = cal
            .columns
            .iter()
            .map(|c| (c.date.to_string(), c.row))
            .collect();
        assert_eq!(
            dates,
            vec![
                ("2000-01-01".into(), 0),
                ("2001-01-01".into(), 51),
                ("2002-01-01".into(), 103)
            ]
        );
        assert_eq!(cal.targets.len(), 1);
        assert_eq!(cal.targets[0].column, 1);
        let r = pluri_core::simulate(&cal.sweep.base);
        let values = extract(&cal, &r);
        assert_eq!(values.len(), 3);
        for (c, (name, v)) in cal.columns.iter().zip(&values) {
            let w = &r.weekly[c.row as usize];
            assert_eq!(name, &format!("msps@{}", c.date));
            assert_eq!(*v, f64::from(w.msps) * 1e6 / w.residents as f64);
        }
    }

    fn point(point: u64, max_i: f64) -> PointScore {
        PointScore {
            point,
            params: vec![],
            n: 1,
            means: vec![],
            sample_variances: vec![],
            variances: vec![],
            implausibility: vec![max_i],
            max_i,
            accepted: max_i < 3.0,
        }
    }

    #[test]
    fn the_best_set_is_the_least_implausible_and_the_first_on_a_tie() {
        let scores = [
            point(0, 4.0),
            point(1, 2.5),
            point(2, 2.5),
            point(3, f64::INFINITY),
        ];
        assert_eq!(best(&scores).map(|b| b.point), Some(1));
        assert_eq!(best(&[]).map(|b| b.point), None);
    }
}
