//! Keyed random streams: every stream is ChaCha8 derived from (seed, purpose, zone, week), so
//! adding a stream never shifts another and parallel work never shares a generator.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// What a stream is for. Values are part of the results' identity: never renumber.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Purpose {
    /// Building a zone's people.
    BuildZone = 1,
    /// Assigning patients to GPs at the start.
    BuildAssign = 2,
    /// A zone's consultations and delegation choices.
    Consult = 3,
    /// Applying referrals across zones.
    Referral = 4,
    /// Coordinators' work.
    Coordination = 5,
    /// Professionals' departures.
    Professionals = 6,
    /// Retirements, arrivals, MSP formation.
    Structural = 7,
    /// Interventions.
    Intervention = 8,
    /// Patients without a GP settling in a linked zone.
    Settle = 9,
    /// Generating a region's zones and structures (keyed by layout seed and region index).
    Layout = 10,
    /// Ordering a zone's patients by profile within blocks (the order of profiles per block).
    Order = 11,
}

/// SplitMix64 finaliser: spreads a 64-bit key. The streams' keys are made with it, and so are
/// the seeds of a sweep's runs (`pluri-study`), whose recorded commands rely on it: never
/// change it.
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The stream for (seed, purpose, zone, week).
pub fn stream(seed: u64, purpose: Purpose, zone: u32, week: u32) -> ChaCha8Rng {
    let mut key = [0u8; 32];
    for (i, chunk) in key.chunks_exact_mut(8).enumerate() {
        chunk.copy_from_slice(&mix(seed ^ mix(i as u64)).to_le_bytes());
    }
    let mut rng = ChaCha8Rng::from_seed(key);
    rng.set_stream(
        ((purpose as u64) << 56) | (u64::from(zone) << 24) | u64::from(week & 0xFF_FFFF),
    );
    rng
}

/// A standard normal draw (Box-Muller).
pub fn normal<R: Rng>(rng: &mut R) -> f64 {
    let u1: f64 = rng.random::<f64>().max(f64::MIN_POSITIVE);
    let u2: f64 = rng.random();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// A normal draw with mean and sd, cut to 0..1.
pub fn unit_normal<R: Rng>(rng: &mut R, mean: f64, sd: f64) -> f32 {
    (mean + sd * normal(rng)).clamp(0.0, 1.0) as f32
}

/// A Poisson draw (inversion; for the small means of weekly arrivals).
pub fn poisson<R: Rng>(rng: &mut R, mean: f64) -> u32 {
    if mean <= 0.0 {
        return 0;
    }
    let limit = (-mean).exp();
    let mut k = 0u32;
    let mut p: f64 = rng.random();
    while p > limit && k < 10_000 {
        k += 1;
        p *= rng.random::<f64>();
    }
    k
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_differ_by_each_key_part_and_repeat_for_the_same_key() {
        let draw = |s, p, z, w| stream(s, p, z, w).random::<u64>();
        let a = draw(1, Purpose::Consult, 3, 10);
        assert_eq!(a, draw(1, Purpose::Consult, 3, 10));
        assert_ne!(a, draw(2, Purpose::Consult, 3, 10));
        assert_ne!(a, draw(1, Purpose::Referral, 3, 10));
        assert_ne!(a, draw(1, Purpose::Consult, 4, 10));
        assert_ne!(a, draw(1, Purpose::Consult, 3, 11));
    }

    #[test]
    fn poisson_mean_is_close() {
        let mut r = stream(5, Purpose::Structural, 0, 0);
        let n = 20_000;
        let s: u32 = (0..n).map(|_| poisson(&mut r, 2.5)).sum();
        let m = f64::from(s) / f64::from(n);
        assert!((m - 2.5).abs() < 0.05, "{m}");
    }
}
