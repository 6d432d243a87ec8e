//! The arithmetic of the GP's multinomial logit ([`super::choice`]): each option's weight
//! `e^(u - max)` by an `exp` of pluri's own, and the option a draw picks.

/// `2^(j / 64)` for `j` in `0..64`, each the nearest double (computed to 60 digits).
const EXP2_64THS: [u64; 64] = [
    0x3ff0000000000000,
    0x3ff02c9a3e778061,
    0x3ff059b0d3158574,
    0x3ff0874518759bc8,
    0x3ff0b5586cf9890f,
    0x3ff0e3ec32d3d1a2,
    0x3ff11301d0125b51,
    0x3ff1429aaea92de0,
    0x3ff172b83c7d517b,
    0x3ff1a35beb6fcb75,
    0x3ff1d4873168b9aa,
    0x3ff2063b88628cd6,
    0x3ff2387a6e756238,
    0x3ff26b4565e27cdd,
    0x3ff29e9df51fdee1,
    0x3ff2d285a6e4030b,
    0x3ff306fe0a31b715,
    0x3ff33c08b26416ff,
    0x3ff371a7373aa9cb,
    0x3ff3a7db34e59ff7,
    0x3ff3dea64c123422,
    0x3ff4160a21f72e2a,
    0x3ff44e086061892d,
    0x3ff486a2b5c13cd0,
    0x3ff4bfdad5362a27,
    0x3ff4f9b2769d2ca7,
    0x3ff5342b569d4f82,
    0x3ff56f4736b527da,
    0x3ff5ab07dd485429,
    0x3ff5e76f15ad2148,
    0x3ff6247eb03a5585,
    0x3ff6623882552225,
    0x3ff6a09e667f3bcd,
    0x3ff6dfb23c651a2f,
    0x3ff71f75e8ec5f74,
    0x3ff75feb564267c9,
    0x3ff7a11473eb0187,
    0x3ff7e2f336cf4e62,
    0x3ff82589994cce13,
    0x3ff868d99b4492ed,
    0x3ff8ace5422aa0db,
    0x3ff8f1ae99157736,
    0x3ff93737b0cdc5e5,
    0x3ff97d829fde4e50,
    0x3ff9c49182a3f090,
    0x3ffa0c667b5de565,
    0x3ffa5503b23e255d,
    0x3ffa9e6b5579fdbf,
    0x3ffae89f995ad3ad,
    0x3ffb33a2b84f15fb,
    0x3ffb7f76f2fb5e47,
    0x3ffbcc1e904bc1d2,
    0x3ffc199bdd85529c,
    0x3ffc67f12e57d14b,
    0x3ffcb720dcef9069,
    0x3ffd072d4a07897c,
    0x3ffd5818dcfba487,
    0x3ffda9e603db3285,
    0x3ffdfc97337b9b5f,
    0x3ffe502ee78b3ff6,
    0x3ffea4afa2a490da,
    0x3ffefa1bee615a27,
    0x3fff50765b6e4540,
    0x3fffa7c1819e90d8,
];

/// `e^x`, within two units in the last place of the standard library's (a test checks),
/// for the logit's weights: inlined, with no call into the C library, whose `exp` (and its
/// wrapper) cost about 60 instructions a weight, 7.8% of a run's instructions
/// (`docs/PERFORMANCE.md`). Its result depends on nothing but `x`, where the C library's
/// depends on the processor (glibc picks a variant built for fused multiply-add where there
/// is one).
///
/// `x = (k + f) ln 2 / 64` with `k` whole and `|f| <= 1/2`: `e^x = 2^(k / 64) e^r` where
/// `r = f ln 2 / 64` is under 0.0055 in size, so five terms of `e^r`'s series leave an
/// error under 4e-17 of it. `2^(k / 64)` is `2^(j / 64)` from a table, `j = k mod 64`,
/// scaled by a power of two. Outside about (-708, 709), where the result would not be a
/// normal double, and for a NaN, it is the standard library's `exp`.
#[inline]
pub(super) fn exp(x: f64) -> f64 {
    if !(x > -708.0 && x < 709.0) {
        return x.exp();
    }
    // 64 / ln 2; ln 2 / 64 split so that `k * LN2_64_HI` is exact (32 bits and 17).
    const INV_LN2_64: f64 = 92.332_482_616_893_66;
    const LN2_64_HI: f64 = f64::from_bits(0x3f86_2e42_fee0_0000);
    const LN2_64_LO: f64 = f64::from_bits(0x3d8a_39ef_3579_3c76);
    // 1.5 * 2^52: adding it rounds to a whole number, which its low bits then hold.
    const SHIFT: f64 = 6_755_399_441_055_744.0;
    let z = x * INV_LN2_64 + SHIFT;
    let bits = z.to_bits();
    let k = z - SHIFT;
    let r = (x - k * LN2_64_HI) - k * LN2_64_LO;
    // The series in pairs of terms (Estrin's scheme): fewer steps wait on one another.
    let r2 = r * r;
    let p = (r + r2 * (0.5 + r * (1.0 / 6.0))) + (r2 * r2) * (1.0 / 24.0 + r * (1.0 / 120.0));
    let t = f64::from_bits(EXP2_64THS[(bits & 63) as usize]);
    // k / 64 rounded down, as the exponent of a power of two (biased by 1023).
    let e = (bits.wrapping_sub(SHIFT.to_bits()) as i64) >> 6;
    let scale = f64::from_bits(((e + 1023) as u64) << 52);
    (t + t * p) * scale
}

/// The option a draw `u` (in [0, total of `weights`)) picks: the first whose weight is over
/// what is left of the draw after the weights before it, or the last if none is. Found
/// without a branch on which it is, since the choice is as good as random.
pub(super) fn pick(weights: &[f64], mut u: f64) -> usize {
    let mut picked = weights.len().saturating_sub(1);
    let mut found = false;
    for (k, w) in weights.iter().enumerate() {
        let hit = !found & (u < *w);
        picked = std::hint::select_unpredictable(hit, k, picked);
        found |= hit;
        u -= *w;
    }
    picked
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    /// The loop that stops at the first weight over what is left of the draw.
    fn first_over(weights: &[f64], mut u: f64) -> usize {
        for (k, w) in weights.iter().enumerate() {
            if u < *w {
                return k;
            }
            u -= *w;
        }
        weights.len() - 1
    }

    #[test]
    fn the_pick_is_the_first_weight_over_the_rest_of_the_draw() {
        let mut rng = crate::rng::stream(8, crate::rng::Purpose::Consult, 0, 0);
        // Up to more options than a GP ever weighs (`choice::MAX_OPTIONS`).
        for n in 1..=16 {
            for _ in 0..500 {
                // Some weights exactly 0 or 1, as the logit gives for the best option.
                let weights: Vec<f64> = (0..n)
                    .map(|_| match rng.random_range(0..4) {
                        0 => 0.0,
                        1 => 1.0,
                        _ => rng.random::<f64>(),
                    })
                    .collect();
                let total: f64 = weights.iter().sum();
                for u in [
                    rng.random::<f64>() * total,
                    0.0,
                    total,
                    total * 2.0,
                    f64::NAN,
                ] {
                    assert_eq!(
                        pick(&weights, u),
                        first_over(&weights, u),
                        "{weights:?} {u}"
                    );
                }
            }
        }
    }

    /// Within two units in the last place of the standard library's `exp` (itself within
    /// about one of the truth) over the whole range, exactly 1 at 0, and the standard
    /// library's outside the range and for a NaN.
    #[test]
    fn the_weights_exp_is_the_standard_exp_to_the_last_place_or_two() {
        let ulps = |a: f64, b: f64| (a.to_bits() as i64 - b.to_bits() as i64).unsigned_abs();
        let mut rng = crate::rng::stream(10, crate::rng::Purpose::Consult, 0, 0);
        let mut worst = 0;
        for i in 0..400_000 {
            let x = match i % 4 {
                0 => rng.random_range(-1.0..0.0),
                1 => rng.random_range(-40.0..0.0),
                2 => rng.random_range(-708.0..709.0),
                _ => -rng.random::<f64>() * 1e-6,
            };
            worst = worst.max(ulps(exp(x), x.exp()));
            assert!(ulps(exp(x), x.exp()) <= 2, "{x}: {} vs {}", exp(x), x.exp());
        }
        assert!(
            worst >= 1,
            "not even one result differs: is it the standard exp?"
        );
        // Where k changes (halfway between multiples of ln 2 / 64) and the ends.
        for k in -65_000..65_000 {
            let x = (f64::from(k) + 0.5) * std::f64::consts::LN_2 / 64.0;
            if x > -708.0 && x < 709.0 {
                assert!(ulps(exp(x), x.exp()) <= 2, "{x}");
            }
        }
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(exp(-0.0), 1.0);
        for x in [
            -708.0,
            709.0,
            -745.0,
            -800.0,
            710.0,
            f64::NEG_INFINITY,
            f64::INFINITY,
        ] {
            assert_eq!(exp(x).to_bits(), x.exp().to_bits(), "{x}");
        }
        assert!(exp(f64::NAN).is_nan());
        assert!((exp(1.0) - std::f64::consts::E).abs() <= f64::EPSILON * 3.0);
    }
}
