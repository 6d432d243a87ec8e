//! The seed of each run of a comparison, derived from (comparison seed, replicate) alone, so
//! that replicate r of every arm runs on the same seed (common random numbers).
//!
//! ```text
//! mix(z)                   = SplitMix64 finaliser (as for sweeps, docs/SWEEPS.md)
//! replicate_seed(S, r)     = mix(mix(S ^ K) ^ r) >> 11                 K = 0x434F4D5041524531 ("COMPARE1")
//! independent_seed(S, a, r) = replicate_seed(S, r) for the first arm (a = 0),
//!                            mix(mix(mix(S ^ K) ^ r) ^ a) >> 11 for the others
//! ```
//!
//! The shift keeps 53 bits: every seed is an integer a double holds exactly, so R, Python
//! and spreadsheets read `runs.csv` and `compare.json` without rounding it.

use pluri_core::mix;

/// "COMPARE1": keeps comparison seeds apart from sweep seeds of the same number.
const KEY: u64 = 0x434F_4D50_4152_4531;

/// Formula of [`replicate_seed`] and [`independent_seed`], as the manifest records it.
pub const FORMULA: &str = "replicate_seed(S, r) = mix(mix(S ^ 0x434F4D5041524531) ^ r) >> 11, \
     mix = SplitMix64 finaliser; with independent seeds, arm a > 0 takes \
     mix(mix(mix(S ^ 0x434F4D5041524531) ^ r) ^ a) >> 11";

/// The seed of replicate `replicate` of every arm of a comparison seeded with `seed`.
pub fn replicate_seed(seed: u64, replicate: u32) -> u64 {
    mix(mix(seed ^ KEY) ^ u64::from(replicate)) >> 11
}

/// The seed of replicate `replicate` of arm `arm` when arms are not to be paired (to
/// measure what pairing gains): the first arm keeps [`replicate_seed`].
pub fn independent_seed(seed: u64, arm: usize, replicate: u32) -> u64 {
    if arm == 0 {
        return replicate_seed(seed, replicate);
    }
    mix(mix(mix(seed ^ KEY) ^ u64::from(replicate)) ^ arm as u64) >> 11
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_fit_in_53_bits_and_are_pinned() {
        for r in 0..1000 {
            assert!(replicate_seed(7, r) < 1 << 53);
            assert!(independent_seed(7, 3, r) < 1 << 53);
            // A double holds it exactly.
            let s = replicate_seed(u64::MAX, r);
            assert_eq!(s as f64 as u64, s);
        }
        // Changing the formula would silently change every recorded comparison.
        assert_eq!(replicate_seed(0, 0), mix(mix(KEY)) >> 11);
    }

    #[test]
    fn replicates_differ_and_independent_arms_differ_from_the_first() {
        let mut seen = std::collections::BTreeSet::new();
        for r in 0..200 {
            assert!(seen.insert(replicate_seed(42, r)));
            assert_eq!(independent_seed(42, 0, r), replicate_seed(42, r));
            assert_ne!(independent_seed(42, 1, r), replicate_seed(42, r));
            assert_ne!(independent_seed(42, 1, r), independent_seed(42, 2, r));
        }
    }
}
