//! Time to a patient's next care episode: geometric in weeks, exact, one logarithm a draw.

use super::profile;
use crate::scenario::params::Demand;

/// Per-profile constants of the geometric delay.
#[derive(Debug, Clone, PartialEq)]
pub struct Delays {
    /// 1 / ln(1 - p) where p is the weekly episode probability of the profile
    /// (-inf when p is 0: never; 0 when p is 1: every week).
    inv_ln_q: [f64; profile::COUNT],
}

/// Episodes per year of a profile.
pub fn episodes_per_year(p: u8, d: &Demand) -> f64 {
    let mut r = d.base_episodes_per_year.get();
    let has = |f: u8| p & f != 0;
    if has(profile::CHRONIC) {
        r += d.extra_chronic.get();
    }
    if has(profile::ELDERLY) {
        r += d.extra_elderly.get();
    }
    if has(profile::ADDICTION) {
        r += d.extra_addiction.get();
    }
    if has(profile::PSYCH) {
        r += d.extra_psych.get();
    }
    if has(profile::SOCIAL) {
        r += d.extra_social.get();
    }
    r
}

impl Delays {
    /// Tables for the demand parameters.
    pub fn new(d: &Demand) -> Delays {
        let mut inv_ln_q = [0.0; profile::COUNT];
        for (p, slot) in inv_ln_q.iter_mut().enumerate() {
            let weekly_rate = episodes_per_year(p as u8, d) / 52.0;
            let prob = 1.0 - (-weekly_rate).exp();
            *slot = if prob <= 0.0 {
                f64::NEG_INFINITY // ln(u) * -inf = +inf: never
            } else if prob >= 1.0 {
                0.0 // every week
            } else {
                1.0 / (1.0 - prob).ln()
            };
        }
        Delays { inv_ln_q }
    }

    /// Weeks (at least 1) until the next episode, from a uniform draw `u` in (0, 1];
    /// `u32::MAX` for a profile that never has episodes.
    #[inline]
    pub fn weeks(&self, p: u8, u: f64) -> u32 {
        let inv = self.inv_ln_q[p as usize & (profile::COUNT - 1)];
        // ln(u) <= 0 and inv <= 0, so k >= 0 and truncation is the floor (no libm call).
        let k = u.max(f64::MIN_POSITIVE).ln() * inv;
        if k >= f64::from(u32::MAX - 1) {
            u32::MAX
        } else {
            1 + k as u32
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_delay_matches_the_episode_rate() {
        let d = Demand::default();
        let t = Delays::new(&d);
        let p = profile::CHRONIC | profile::ELDERLY;
        let mut rng = crate::rng::stream(1, crate::rng::Purpose::Consult, 0, 0);
        let n = 200_000;
        let mean: f64 = (0..n)
            .map(|_| f64::from(t.weeks(p, rand::Rng::random(&mut rng))))
            .sum::<f64>()
            / n as f64;
        let expect = 1.0 / (1.0 - (-episodes_per_year(p, &d) / 52.0).exp());
        assert!((mean - expect).abs() / expect < 0.02, "{mean} vs {expect}");
    }

    #[test]
    fn a_profile_without_episodes_never_comes() {
        let d = Demand {
            base_episodes_per_year: crate::scenario::units::NonNeg(0.0),
            ..Demand::default()
        };
        assert_eq!(Delays::new(&d).weeks(0, 0.5), u32::MAX);
    }
}
