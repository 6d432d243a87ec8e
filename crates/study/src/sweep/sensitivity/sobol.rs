//! Sobol variance decomposition: Saltelli sampling, first-order (Saltelli 2010, f(B) centred) and total
//! (Jansen 1999) estimators, percentile bootstrap intervals with a fixed seed. Pure functions.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Sobol indices of one factor with 95% bootstrap intervals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SobolIndex {
    /// First-order index.
    pub s1: f64,
    /// Lower end of its interval.
    pub s1_low: f64,
    /// Upper end.
    pub s1_high: f64,
    /// Total index.
    pub st: f64,
    /// Lower end of its interval.
    pub st_low: f64,
    /// Upper end.
    pub st_high: f64,
}

/// The Saltelli design: `n (k + 2)` points in the unit hypercube, in blocks of `n`:
/// `A`, `B`, then `AB_i` for each factor `i` (`A` with column `i` taken from `B`).
pub fn design(k: usize, n: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut draw = || -> Vec<Vec<f64>> {
        (0..n)
            .map(|_| (0..k).map(|_| rng.random::<f64>()).collect())
            .collect()
    };
    let (a, b) = (draw(), draw());
    let mut out = Vec::with_capacity(n * (k + 2));
    out.extend(a.iter().cloned());
    out.extend(b.iter().cloned());
    for i in 0..k {
        for (ra, rb) in a.iter().zip(&b) {
            let mut row = ra.clone();
            row[i] = rb[i];
            out.push(row);
        }
    }
    out
}

/// The indices from the model's outputs `y` at a [`design`] of `k` factors and `n` rows;
/// `bootstrap` resamples of the rows (seeded by `seed`) give the intervals.
pub fn indices(y: &[f64], k: usize, n: usize, bootstrap: usize, seed: u64) -> Vec<SobolIndex> {
    let block = |b: usize| &y[(b * n).min(y.len())..((b + 1) * n).min(y.len())];
    let (fa, fb) = (block(0), block(1));
    let all: Vec<usize> = (0..n).collect();
    let point: Vec<(f64, f64)> = (0..k)
        .map(|i| estimate(fa, fb, block(i + 2), &all))
        .collect();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut boot: Vec<Vec<(f64, f64)>> = vec![Vec::with_capacity(bootstrap); k];
    for _ in 0..bootstrap {
        let rows: Vec<usize> = (0..n).map(|_| rng.random_range(0..n.max(1))).collect();
        for (i, b) in boot.iter_mut().enumerate() {
            b.push(estimate(fa, fb, block(i + 2), &rows));
        }
    }
    point
        .iter()
        .zip(&boot)
        .map(|(&(s1, st), b)| {
            let (s1_low, s1_high) = percentile_interval(b.iter().map(|p| p.0).collect());
            let (st_low, st_high) = percentile_interval(b.iter().map(|p| p.1).collect());
            SobolIndex {
                s1,
                s1_low,
                s1_high,
                st,
                st_low,
                st_high,
            }
        })
        .collect()
}

/// (first-order, total) of one factor over the rows `rows`.
fn estimate(fa: &[f64], fb: &[f64], fab: &[f64], rows: &[usize]) -> (f64, f64) {
    let m = rows.len() as f64;
    let mean = rows.iter().map(|&j| fa[j] + fb[j]).sum::<f64>() / (2.0 * m);
    let var = rows
        .iter()
        .map(|&j| (fa[j] - mean).powi(2) + (fb[j] - mean).powi(2))
        .sum::<f64>()
        / (2.0 * m - 1.0);
    if var <= 0.0 || !var.is_finite() {
        return (0.0, 0.0);
    }
    // Centred f(B): the same estimator in expectation, far less variance when the
    // output's mean is large beside its spread (as for shares near 0.5).
    let s1 = rows
        .iter()
        .map(|&j| (fb[j] - mean) * (fab[j] - fa[j]))
        .sum::<f64>()
        / m
        / var;
    let st = rows.iter().map(|&j| (fa[j] - fab[j]).powi(2)).sum::<f64>() / (2.0 * m) / var;
    (s1, st)
}

/// The 2.5% and 97.5% percentiles (NaN without resamples).
fn percentile_interval(mut v: Vec<f64>) -> (f64, f64) {
    if v.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    v.sort_by(f64::total_cmp);
    let at = |q: f64| v[((q * (v.len() - 1) as f64).round() as usize).min(v.len() - 1)];
    (at(0.025), at(0.975))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    fn ishigami(u: &[f64]) -> f64 {
        let x: Vec<f64> = u.iter().map(|v| -PI + 2.0 * PI * v).collect();
        x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
    }

    #[test]
    fn recovers_the_analytic_indices_of_the_ishigami_function() {
        let (k, n) = (3, 20_000);
        let d = design(k, n, 42);
        let y: Vec<f64> = d.iter().map(|x| ishigami(x)).collect();
        let s = indices(&y, k, n, 100, 7);
        let s1 = [0.3139, 0.4424, 0.0];
        let st = [0.5576, 0.4424, 0.2437];
        for i in 0..k {
            assert!(
                (s[i].s1 - s1[i]).abs() < 0.03,
                "S1[{i}] = {} not {}",
                s[i].s1,
                s1[i]
            );
            assert!(
                (s[i].st - st[i]).abs() < 0.03,
                "ST[{i}] = {} not {}",
                s[i].st,
                st[i]
            );
            assert!(
                s[i].st_low <= st[i] + 0.01 && st[i] - 0.01 <= s[i].st_high,
                "{:?}",
                s[i]
            );
        }
    }

    #[test]
    fn bootstrap_intervals_are_reproducible_and_contain_the_estimate() {
        let d = design(3, 500, 1);
        let y: Vec<f64> = d.iter().map(|x| ishigami(x)).collect();
        let a = indices(&y, 3, 500, 200, 9);
        assert_eq!(a, indices(&y, 3, 500, 200, 9));
        for s in &a {
            assert!(s.s1_low <= s.s1 && s.s1 <= s.s1_high, "{s:?}");
            assert!(s.s1_high - s.s1_low > 0.0);
        }
    }
}
