//! The statistics of a comparison: Student's t quantile at any level, the t interval of a
//! mean (of one arm's replicates, or of paired differences), and the replicates a target
//! precision needs.
//!
//! ```text
//! interval of a mean        m ± t(1 - (1 - level)/2, n - 1) · s / √n
//! replicates needed         the least n ≥ 2 with t(1 - (1 - level)/2, n - 1) · s / √n ≤ h
//! ```
//!
//! where `s` is the sample standard deviation (n − 1 in the denominator) and `h` the target
//! half-width, `s` taken as it was measured.

/// Mean, standard deviation and confidence interval of some values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// Values.
    pub n: usize,
    /// Mean (NaN when `n == 0`).
    pub mean: f64,
    /// Sample standard deviation, n − 1 in the denominator (NaN when `n < 2`).
    pub sd: f64,
    /// Lower end of the interval of the mean (NaN when `n < 2`).
    pub low: f64,
    /// Upper end.
    pub high: f64,
}

impl Interval {
    /// Whether the interval lies wholly on one side of zero.
    pub fn excludes_zero(&self) -> bool {
        self.low > 0.0 || self.high < 0.0
    }
}

/// The t interval of the mean of `values` at confidence `level` (0.95 for 95%). The mean is
/// computed in two passes, so the mean of equal values is exact and their interval is that
/// value alone.
pub fn interval(values: &[f64], level: f64) -> Interval {
    let n = values.len();
    if n == 0 {
        return Interval {
            n,
            mean: f64::NAN,
            sd: f64::NAN,
            low: f64::NAN,
            high: f64::NAN,
        };
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    // Equal values: the mean is exact and there is no spread at all.
    let mean = if values.iter().all(|v| *v == values[0]) {
        values[0]
    } else {
        mean
    };
    if n < 2 {
        return Interval {
            n,
            mean,
            sd: f64::NAN,
            low: f64::NAN,
            high: f64::NAN,
        };
    }
    let ss: f64 = values.iter().map(|v| (v - mean) * (v - mean)).sum();
    let sd = (ss / (n - 1) as f64).sqrt();
    let half = t_quantile(upper(level), (n - 1) as f64) * sd / (n as f64).sqrt();
    Interval {
        n,
        mean,
        sd,
        low: mean - half,
        high: mean + half,
    }
}

/// The upper quantile probability of a two-sided interval at `level`.
fn upper(level: f64) -> f64 {
    1.0 - (1.0 - level) / 2.0
}

/// Replicates at which the interval of a mean whose values spread with standard deviation
/// `sd` would have a half-width of at most `half_width` (module formula); `None` when the
/// target is not a positive number or `sd` is not finite. At least 2.
pub fn replicates_needed(sd: f64, half_width: f64, level: f64) -> Option<u64> {
    if half_width.is_nan() || half_width <= 0.0 || !sd.is_finite() {
        return None;
    }
    if sd == 0.0 {
        return Some(2);
    }
    let p = upper(level);
    let fits = |n: u64| t_quantile(p, (n - 1) as f64) * sd / (n as f64).sqrt() <= half_width;
    // The normal quantile gives a lower bound; t is larger, so walk up from there.
    let z = normal_quantile(p);
    let ratio = z * sd / half_width;
    let start = (ratio * ratio).ceil();
    if !start.is_finite() || start > 1e15 {
        return None;
    }
    let mut n = (start as u64).max(2);
    // Beyond a few thousand t is the normal quantile to 1e-3; a doubling search then a
    // bisection keep this short for any target.
    if fits(n) {
        return Some(n);
    }
    let mut step = 1u64;
    while !fits(n + step) {
        n += step;
        step *= 2;
        if n > 1_000_000_000_000_000 {
            return None;
        }
    }
    // fits(n + step) and !fits(n): bisect.
    let (mut lo, mut hi) = (n, n + step);
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if fits(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Some(hi)
}

/// The quantile of Student's t distribution with `df` degrees of freedom at probability
/// `p` (0.5 < p < 1 for the upper quantiles intervals use; symmetric below). By bisection
/// on the distribution function, to about 1e-12.
pub fn t_quantile(p: f64, df: f64) -> f64 {
    if !(p > 0.0 && p < 1.0 && df > 0.0) {
        return f64::NAN;
    }
    if p < 0.5 {
        return -t_quantile(1.0 - p, df);
    }
    if p == 0.5 {
        return 0.0;
    }
    let mut hi = 1.0;
    while t_cdf(hi, df) < p {
        hi *= 2.0;
        if hi > 1e300 {
            return f64::INFINITY;
        }
    }
    let mut lo = 0.0;
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if t_cdf(mid, df) < p {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo <= 1e-13 * hi {
            break;
        }
    }
    0.5 * (lo + hi)
}

/// Student's t distribution function.
pub fn t_cdf(t: f64, df: f64) -> f64 {
    let x = df / (df + t * t);
    let tail = 0.5 * incomplete_beta(0.5 * df, 0.5, x);
    if t >= 0.0 {
        1.0 - tail
    } else {
        tail
    }
}

/// The standard normal quantile (Acklam's rational approximation, relative error below
/// 1.2e-9), used only as the starting point of [`replicates_needed`].
fn normal_quantile(p: f64) -> f64 {
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
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < 0.02425 {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - 0.02425 {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

/// ln Γ(x) for x > 0 (Lanczos, g = 7, nine coefficients; relative error near 1e-15).
fn ln_gamma(x: f64) -> f64 {
    const G: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection.
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = G[0];
    let t = x + 7.5;
    for (i, g) in G.iter().enumerate().skip(1) {
        a += g / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// The regularized incomplete beta function I_x(a, b), by its continued fraction
/// (modified Lentz), on the side where it converges fast.
fn incomplete_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let ln_front = ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln();
    if x < (a + 1.0) / (a + b + 2.0) {
        ln_front.exp() * beta_fraction(a, b, x) / a
    } else {
        1.0 - ln_front.exp() * beta_fraction(b, a, 1.0 - x) / b
    }
}

fn beta_fraction(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..10_000 {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() < 1e-15 {
            break;
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantiles_match_published_tables_at_several_levels() {
        // 97.5% quantiles (95% intervals), then 95% and 99.5%.
        for (df, t) in [
            (1.0, 12.706_205),
            (2.0, 4.302_653),
            (4.0, 2.776_445),
            (9.0, 2.262_157),
            (29.0, 2.045_230),
            (120.0, 1.979_930),
        ] {
            assert!((t_quantile(0.975, df) - t).abs() < 1e-5, "df {df}");
        }
        assert!((t_quantile(0.95, 9.0) - 1.833_113).abs() < 1e-5);
        assert!((t_quantile(0.995, 9.0) - 3.249_836).abs() < 1e-5);
        assert!((t_quantile(0.025, 9.0) + 2.262_157).abs() < 1e-5);
        assert!((t_quantile(0.975, 1e7) - 1.959_964).abs() < 1e-5);
    }

    #[test]
    fn the_interval_is_the_mean_plus_minus_t_sd_over_root_n() {
        let i = interval(&[1.0, 2.0, 3.0, 4.0], 0.95);
        assert_eq!(i.n, 4);
        assert!((i.mean - 2.5).abs() < 1e-12);
        assert!((i.sd - 1.290_994_448_735_805_6).abs() < 1e-12);
        assert!((i.high - (2.5 + 3.182_446 * i.sd / 2.0)).abs() < 1e-6);
        assert!(i.excludes_zero());
        assert!(!interval(&[-1.0, 1.0, 0.5], 0.95).excludes_zero());
        let narrower = interval(&[1.0, 2.0, 3.0, 4.0], 0.8);
        assert!(narrower.high < i.high && narrower.low > i.low);
    }

    #[test]
    fn equal_values_have_an_exact_mean_and_no_width() {
        let i = interval(&[0.1, 0.1, 0.1], 0.95);
        assert_eq!((i.mean, i.sd, i.low, i.high), (0.1, 0.0, 0.1, 0.1));
        assert!(i.excludes_zero());
        let zero = interval(&[0.0; 5], 0.95);
        assert!(!zero.excludes_zero());
        assert!(interval(&[3.0], 0.95).low.is_nan());
    }

    #[test]
    fn replicates_needed_is_the_least_n_whose_half_width_fits() {
        let (sd, h) = (2.0, 1.0);
        let n = replicates_needed(sd, h, 0.95).expect("a target");
        let half = |n: u64| t_quantile(0.975, (n - 1) as f64) * sd / (n as f64).sqrt();
        assert!(half(n) <= h && half(n - 1) > h, "n = {n}");
        // About (1.96 · 2 / 1)² = 15.4 by the normal approximation; t makes it 18.
        assert_eq!(n, 18);
        assert_eq!(replicates_needed(0.0, 1.0, 0.95), Some(2));
        assert_eq!(replicates_needed(1.0, 0.0, 0.95), None);
        assert_eq!(replicates_needed(f64::NAN, 1.0, 0.95), None);
        let big = replicates_needed(1.0, 1e-4, 0.95).expect("a target");
        assert!(half(big) <= 1e-4 * 2.0 && big > 380_000_000, "{big}");
    }
}
