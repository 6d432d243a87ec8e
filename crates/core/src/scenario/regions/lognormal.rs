//! Zone sizes at the quantiles of a lognormal distribution, not drawn at random: a region of
//! 16 zones then has the size distribution of a region of 1,600, so a territory scaled down
//! by its number of zones keeps the same share of residents in its most populous zones.

use std::f64::consts::SQRT_2;

/// The standard normal distribution function (Numerical Recipes' `erfcc`, relative error
/// below 1.2e-7).
pub fn normal_cdf(x: f64) -> f64 {
    let z = x.abs() / SQRT_2;
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = [
        -1.265_512_23,
        1.000_023_68,
        0.374_091_96,
        0.096_784_18,
        -0.186_288_06,
        0.278_868_07,
        -1.135_203_98,
        1.488_515_87,
        -0.822_152_23,
        0.170_872_77,
    ]
    .iter()
    .rev()
    .fold(0.0, |acc, c| c + t * acc);
    let erfc = t * (-z * z + poly).exp();
    if x >= 0.0 {
        1.0 - 0.5 * erfc
    } else {
        0.5 * erfc
    }
}

/// The standard normal quantile function (Acklam's rational approximation, relative error
/// below 1.2e-9), for `p` in (0, 1).
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    let horner = |c: &[f64], x: f64| c.iter().fold(0.0, |acc, k| acc * x + k);
    let tail = |q: f64| {
        let q = (-2.0 * q.ln()).sqrt();
        horner(&C, q) / (horner(&D, q) * q + 1.0)
    };
    const LOW: f64 = 0.024_25;
    if p < LOW {
        tail(p)
    } else if p <= 1.0 - LOW {
        let q = p - 0.5;
        let r = q * q;
        horner(&A, r) * q / (horner(&B, r) * r + 1.0)
    } else {
        -tail(1.0 - p)
    }
}

/// Relative sizes of `n` zones whose sizes follow a lognormal with log-sd `spread`, most
/// populous first: zone k gets the mean of the distribution over its share 1/n of
/// probability (the k-th band from the top), so any band of zones holds the share of
/// residents the distribution gives it, whatever `n`. Sums to 1.
pub fn stratified_weights(n: usize, spread: f64) -> Vec<f64> {
    if n == 0 {
        return Vec::new();
    }
    // Above the band's lower quantile z: the distribution's mass, tilted by exp(spread z),
    // is 1 - Phi(z - spread) (the mean of a lognormal over a band, up to a constant).
    let above = |k: usize| -> f64 {
        match k {
            0 => 0.0,
            k if k >= n => 1.0,
            k => 1.0 - normal_cdf(normal_quantile(1.0 - k as f64 / n as f64) - spread),
        }
    };
    let mut w: Vec<f64> = (0..n).map(|k| (above(k + 1) - above(k)).max(0.0)).collect();
    let sum: f64 = w.iter().sum();
    if sum > 0.0 && sum.is_finite() {
        w.iter_mut().for_each(|x| *x /= sum);
    } else {
        w = vec![1.0 / n as f64; n];
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_normal_functions_invert_each_other_and_hit_known_values() {
        assert!((normal_quantile(0.975) - 1.959_964).abs() < 1e-5);
        assert!((normal_cdf(1.959_964) - 0.975).abs() < 1e-6);
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
        for p in [
            1e-6,
            0.01,
            0.02425,
            0.1,
            0.3,
            0.5,
            0.7,
            0.9,
            0.99,
            1.0 - 1e-6,
        ] {
            let back = normal_cdf(normal_quantile(p));
            assert!((back - p).abs() < 1e-6 * p.max(1e-2), "{p} -> {back}");
        }
    }

    #[test]
    fn a_band_of_zones_holds_the_same_share_at_any_number_of_zones() {
        // The most populous tenth of the zones, of 10, 100 and 1,000.
        let top = |n: usize| stratified_weights(n, 0.8)[..n / 10].iter().sum::<f64>();
        let (a, b, c) = (top(10), top(100), top(1000));
        assert!((a - c).abs() < 1e-6 && (b - c).abs() < 1e-6, "{a} {b} {c}");
        // ... and that share is the lognormal's: 1 - Phi(z_0.9 - 0.8).
        let exact = 1.0 - normal_cdf(normal_quantile(0.9) - 0.8);
        assert!((c - exact).abs() < 1e-6);
        assert!(
            a > 0.2,
            "a spread of 0.8 puts well over a tenth of residents in the top tenth"
        );
    }

    #[test]
    fn weights_are_ordered_sum_to_one_and_even_without_spread() {
        let w = stratified_weights(16, 0.8);
        assert!(w.windows(2).all(|p| p[0] > p[1]), "{w:?}");
        assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(stratified_weights(5, 0.0)
            .iter()
            .all(|x| (x - 0.2).abs() < 1e-6));
        assert!(stratified_weights(0, 0.8).is_empty());
        assert_eq!(stratified_weights(1, 3.0), vec![1.0]);
    }
}
