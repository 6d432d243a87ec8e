//! Summary statistics of replicates: mean, standard deviation and a t-based 95% confidence interval.

/// Mean, sample standard deviation and 95% confidence interval of some values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// Values counted (non-finite values are left out).
    pub n: usize,
    /// Mean (NaN when `n == 0`).
    pub mean: f64,
    /// Sample standard deviation, n - 1 in the denominator (NaN when `n < 2`).
    pub sd: f64,
    /// Lower end of the 95% interval of the mean, `mean - t(0.975, n-1) sd / sqrt(n)`.
    pub ci_low: f64,
    /// Upper end.
    pub ci_high: f64,
}

/// Summarises values; two passes, so the mean of equal values is exact.
pub fn summarize(values: &[f64]) -> Summary {
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    let n = finite.len();
    let mean = if n == 0 {
        f64::NAN
    } else {
        finite.iter().sum::<f64>() / n as f64
    };
    let (sd, half) = if n < 2 {
        (f64::NAN, f64::NAN)
    } else {
        let ss: f64 = finite.iter().map(|v| (v - mean) * (v - mean)).sum();
        let sd = (ss / (n - 1) as f64).sqrt();
        (sd, t975(n - 1) * sd / (n as f64).sqrt())
    };
    Summary {
        n,
        mean,
        sd,
        ci_low: mean - half,
        ci_high: mean + half,
    }
}

/// Student's t quantile at 0.975 for `df` degrees of freedom: a table up to 30, then the
/// Cornish-Fisher expansion around the normal quantile (error below 1e-5 there).
pub fn t975(df: usize) -> f64 {
    const TABLE: [f64; 30] = [
        12.706_205, 4.302_653, 3.182_446, 2.776_445, 2.570_582, 2.446_912, 2.364_624, 2.306_004,
        2.262_157, 2.228_139, 2.200_985, 2.178_813, 2.160_369, 2.144_787, 2.131_450, 2.119_905,
        2.109_816, 2.100_922, 2.093_024, 2.085_963, 2.079_614, 2.073_873, 2.068_658, 2.063_899,
        2.059_539, 2.055_529, 2.051_831, 2.048_407, 2.045_230, 2.042_272,
    ];
    if df == 0 {
        return f64::NAN;
    }
    if let Some(t) = TABLE.get(df - 1) {
        return *t;
    }
    let z: f64 = 1.959_963_984_540_054;
    let v = df as f64;
    let (z3, z5, z7, z9) = (z.powi(3), z.powi(5), z.powi(7), z.powi(9));
    z + (z3 + z) / (4.0 * v)
        + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * v * v)
        + (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / (384.0 * v.powi(3))
        + (79.0 * z9 + 776.0 * z7 + 1482.0 * z5 - 1920.0 * z3 - 945.0 * z) / (92160.0 * v.powi(4))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantiles_match_published_values_beyond_the_table() {
        assert!((t975(40) - 2.021_075).abs() < 1e-5);
        assert!((t975(120) - 1.979_930).abs() < 1e-5);
        assert!((t975(31) - 2.039_513).abs() < 1e-5);
    }

    #[test]
    fn interval_of_known_sample_is_mean_plus_minus_t_sd_over_root_n() {
        let s = summarize(&[1.0, 2.0, 3.0, 4.0]);
        assert_eq!(s.n, 4);
        assert!((s.mean - 2.5).abs() < 1e-12);
        assert!((s.sd - 1.290_994_448_735_805_6).abs() < 1e-12);
        assert!((s.ci_high - (2.5 + 3.182_446 * s.sd / 2.0)).abs() < 1e-9);
    }

    #[test]
    fn one_replicate_has_a_mean_but_no_spread() {
        let s = summarize(&[7.0]);
        assert_eq!(s.mean, 7.0);
        assert!(s.sd.is_nan() && s.ci_low.is_nan());
    }
}
