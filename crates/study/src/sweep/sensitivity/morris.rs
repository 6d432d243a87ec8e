//! Morris elementary-effects screening: trajectories on a level grid of the unit hypercube,
//! then mu, mu* (mean absolute effect) and sigma per factor. Pure functions.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Morris measures of one factor, in unit-hypercube units (effect of moving it by its range).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MorrisIndex {
    /// Mean elementary effect.
    pub mu: f64,
    /// Mean absolute elementary effect: the ranking measure.
    pub mu_star: f64,
    /// Standard deviation of the effects: non-linearity or interactions.
    pub sigma: f64,
}

/// `r` trajectories of `k + 1` points each, on a grid of `levels` (even, >= 2) per factor.
///
/// Each trajectory starts at a random grid point and moves one factor at a time, in a
/// random order, by `delta = levels / (2 (levels - 1))`, up if it can and down otherwise.
pub fn design(k: usize, r: usize, levels: usize, seed: u64) -> Vec<Vec<f64>> {
    let levels = levels.max(2);
    let step = levels / 2; // delta in grid steps
    let g = (levels - 1) as f64;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut points = Vec::with_capacity(r * (k + 1));
    for _ in 0..r {
        let mut x: Vec<usize> = (0..k).map(|_| rng.random_range(0..levels)).collect();
        let mut order: Vec<usize> = (0..k).collect();
        for i in (1..k).rev() {
            order.swap(i, rng.random_range(0..=i));
        }
        points.push(x.iter().map(|&l| l as f64 / g).collect());
        for &i in &order {
            x[i] = if x[i] + step < levels {
                x[i] + step
            } else {
                x[i] - step
            };
            points.push(x.iter().map(|&l| l as f64 / g).collect());
        }
    }
    points
}

/// Morris measures from a [`design`] with `k` factors and the model's outputs at its points.
pub fn indices(design: &[Vec<f64>], y: &[f64], k: usize) -> Vec<MorrisIndex> {
    let mut effects: Vec<Vec<f64>> = vec![Vec::new(); k];
    for (traj_x, traj_y) in design.chunks(k + 1).zip(y.chunks(k + 1)) {
        for j in 1..traj_x.len().min(traj_y.len()) {
            let (a, b) = (&traj_x[j - 1], &traj_x[j]);
            if let Some(i) = (0..k).find(|&i| a[i] != b[i]) {
                effects[i].push((traj_y[j] - traj_y[j - 1]) / (b[i] - a[i]));
            }
        }
    }
    effects
        .iter()
        .map(|e| {
            let n = e.len().max(1) as f64;
            let mu = e.iter().sum::<f64>() / n;
            let mu_star = e.iter().map(|v| v.abs()).sum::<f64>() / n;
            let var = if e.len() > 1 {
                e.iter().map(|v| (v - mu) * (v - mu)).sum::<f64>() / (n - 1.0)
            } else {
                0.0
            };
            MorrisIndex {
                mu,
                mu_star,
                sigma: var.sqrt(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(f: impl Fn(&[f64]) -> f64, k: usize) -> Vec<MorrisIndex> {
        let d = design(k, 20, 4, 1);
        let y: Vec<f64> = d.iter().map(|x| f(x)).collect();
        indices(&d, &y, k)
    }

    #[test]
    fn linear_model_gives_its_coefficients_exactly_and_no_spread() {
        let m = run(|x| 10.0 * x[0] - 5.0 * x[1] + x[2], 4);
        let want = [10.0, 5.0, 1.0, 0.0];
        for (i, w) in want.iter().enumerate() {
            assert!((m[i].mu_star - w).abs() < 1e-9, "{i}: {:?}", m[i]);
            assert!(m[i].sigma < 1e-9);
        }
        assert!((m[1].mu + 5.0).abs() < 1e-9, "mu keeps the sign");
    }

    #[test]
    fn ranks_the_factors_of_the_sobol_g_function_in_order_of_importance() {
        // G function: factor i matters less as a_i grows; its ranking is known.
        let a = [0.0, 1.0, 4.5, 9.0, 99.0];
        let g = |x: &[f64]| {
            a.iter()
                .zip(x)
                .map(|(a, x)| ((4.0 * x - 2.0).abs() + a) / (1.0 + a))
                .product::<f64>()
        };
        let m = run(g, 5);
        for i in 1..5 {
            assert!(m[i - 1].mu_star > m[i].mu_star, "{m:?}");
        }
        assert!(m[0].sigma > 0.0, "interactions show as spread");
    }
}
