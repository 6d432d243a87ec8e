//! Time to a patient's next care episode: geometric in weeks, exact, from a table built
//! with the logarithm (or the logarithm itself for rare draws and rare profiles).

use super::profile;
use crate::scenario::params::Demand;
use rand::Rng;

/// Per-profile constants of the geometric delay.
#[derive(Debug, Clone, PartialEq)]
pub struct Delays {
    /// 1 / ln(1 - p) where p is the weekly episode probability of the profile
    /// (-inf when p is 0: never; 0 when p is 1: every week).
    inv_ln_q: [f64; profile::COUNT],
    /// Per profile, the index in `inverse` of its table: profiles with the same episode rate
    /// share one (being precarious, for one, changes no rate), so that fewer tables compete
    /// for the first-level cache.
    class: [u8; profile::COUNT],
    /// Per distinct rate, the same function read from a table, where one could be built exact.
    inverse: Vec<Option<Inverse>>,
}

/// Buckets of an [`Inverse`] table: draws under 1 / `BUCKETS` (0.4% of them) take the
/// logarithm.
const BUCKETS: usize = 256;
/// Most thresholds a profile's table keeps (profiles with rarer episodes take the logarithm).
const MAX_THRESHOLDS: u32 = 2048;
/// Draws checked on each side of every threshold when a table is built.
const CHECKED: u64 = 4;
/// Spacing of the uniform draws: `rand` makes a draw in [0, 1) of the top 53 bits of a
/// 64-bit word, `(bits >> 11) * 2^-53`.
const GRID: f64 = 1.0 / (1u64 << 53) as f64;
/// Bits of a 53-bit draw below its bucket number.
const BUCKET_SHIFT: u32 = 53 - BUCKETS.trailing_zeros();

/// The delay of one profile as a table: `g(u) = trunc(ln(u) / ln(1 - p))` is a step function
/// of the draw, falling from many weeks near 0 to 0 near 1. `thresholds[k]` is the largest
/// draw (as its 53-bit integer) with `g >= k`, so `g(u)` is the number of thresholds at or
/// above `u`; `guide[b]` is `g` at the top of bucket `b` of the draws, where the count starts.
/// A draw then costs a table read and an integer comparison or two instead of a logarithm.
///
/// The thresholds are found with the logarithm itself, on the grid of the draws, so the table
/// gives exactly what the logarithm gives. That rests on `g` never rising with `u`: the
/// library's logarithm is within about one unit in the last place, so `g` can only misstep
/// within a couple of draws of a threshold, and every threshold's neighbours are checked
/// ([`CHECKED`] each side) when the table is built. A profile whose check fails keeps the
/// logarithm.
#[derive(Debug, Clone, PartialEq)]
struct Inverse {
    guide: Box<[u16; BUCKETS]>,
    thresholds: Vec<u64>,
}

/// `ln(u) * inv`, the delay's number of weeks before truncation, as both the table and the
/// logarithm compute it (the table is exact because it is this very function).
#[inline]
fn scaled_ln(u: f64, inv: f64) -> f64 {
    u.max(f64::MIN_POSITIVE).ln() * inv
}

/// [`scaled_ln`] of the draw `u = j * 2^-53`; `g` is its integer part.
fn product(inv: f64, j: u64) -> f64 {
    scaled_ln(j as f64 * GRID, inv)
}

impl Inverse {
    /// The table for `inv` (1 / ln(1 - p), finite and negative), if it is short enough and
    /// checks out.
    fn new(inv: f64) -> Option<Inverse> {
        if !(inv.is_finite() && inv < 0.0) {
            return None;
        }
        let top = 1u64 << 53;
        let first = top / BUCKETS as u64; // the draw 1 / BUCKETS
        let most = product(inv, first);
        if most >= f64::from(MAX_THRESHOLDS) {
            return None;
        }
        let most = most as u32;
        // thresholds[0] is unused (every draw has g >= 0); thresholds[most + 1] is under
        // every draw the table serves, which ends each count.
        let mut thresholds = vec![top; most as usize + 2];
        for k in 1..=most + 1 {
            let kf = f64::from(k);
            let at_least = |j: u64| product(inv, j) >= kf;
            let guess = ((kf / inv).exp() / GRID) as u64;
            let mut j = guess.clamp(1, top - 1);
            if at_least(j) {
                while j + 1 < top && at_least(j + 1) {
                    j += 1;
                }
            } else {
                while j > 1 && !at_least(j) {
                    j -= 1;
                }
            }
            let below_ok = (1..=CHECKED).all(|d| j <= d || at_least(j - d));
            let above_ok = (1..=CHECKED).all(|d| j + d >= top || !at_least(j + d));
            if !(at_least(j) && below_ok && above_ok) {
                return None;
            }
            thresholds[k as usize] = j;
        }
        // Every count ends within the table: the last threshold is under the first draw
        // served, and thresholds fall as they rise in number.
        let ordered = thresholds[1..].windows(2).all(|w| w[1] < w[0]);
        if !(ordered && thresholds[most as usize + 1] < first) {
            return None;
        }
        let mut guide = Box::new([0u16; BUCKETS]);
        for (b, slot) in guide.iter_mut().enumerate() {
            let top_of_bucket = (b as u64 + 1) * first - 1;
            let g = product(inv, top_of_bucket);
            if b > 0 && g >= f64::from(most) + 1.0 {
                return None;
            }
            *slot = g as u16;
        }
        Some(Inverse { guide, thresholds })
    }

    /// `g` of the draw `j * 2^-53`, for `j` at or above 2^53 / [`BUCKETS`].
    ///
    /// The first step is taken without a branch (about one draw in seven takes it, at random,
    /// so a branch on it was often mispredicted); the loop after it rarely runs.
    #[inline]
    fn steps(&self, j: u64) -> u32 {
        let mut k = usize::from(self.guide[(j >> BUCKET_SHIFT) as usize & (BUCKETS - 1)]);
        k += usize::from(j <= self.thresholds[k + 1]);
        while j <= self.thresholds[k + 1] {
            k += 1;
        }
        k as u32
    }
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
        // A profile takes the table of the first profile before it with the same rate.
        let mut class = [0u8; profile::COUNT];
        let mut inverse = Vec::new();
        for p in 0..profile::COUNT {
            let same = |q: &usize| inv_ln_q[*q].to_bits() == inv_ln_q[p].to_bits();
            class[p] = match (0..p).find(same) {
                Some(q) => class[q],
                None => {
                    inverse.push(Inverse::new(inv_ln_q[p]));
                    (inverse.len() - 1) as u8
                }
            };
        }
        Delays {
            inv_ln_q,
            class,
            inverse,
        }
    }

    /// Weeks (at least 1) until the next episode of a patient of profile `p`, drawn from
    /// `rng` (one 64-bit word, made a uniform draw in [0, 1) as `rand` makes one);
    /// `u32::MAX` for a profile that never has episodes.
    #[inline]
    pub fn draw<R: Rng + ?Sized>(&self, p: u8, rng: &mut R) -> u32 {
        self.weeks(p, rng.random::<u64>())
    }

    /// [`Delays::draw`] of the 64-bit word `bits`.
    #[inline]
    pub fn weeks(&self, p: u8, bits: u64) -> u32 {
        let p = p as usize & (profile::COUNT - 1);
        let j = bits >> 11;
        if let Some(Some(t)) = self.inverse.get(usize::from(self.class[p])) {
            if j >= 1 << BUCKET_SHIFT {
                return 1 + t.steps(j);
            }
        }
        self.by_logarithm(p, j as f64 * GRID)
    }

    /// The weeks of the draw `u` in [0, 1) from the logarithm.
    #[inline]
    fn by_logarithm(&self, p: usize, u: f64) -> u32 {
        // ln(u) <= 0 and inv <= 0, so k >= 0 and truncation is the floor (no libm call).
        let k = scaled_ln(u, self.inv_ln_q[p]);
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

    impl Delays {
        fn table(&self, p: usize) -> Option<&Inverse> {
            self.inverse[usize::from(self.class[p])].as_ref()
        }
    }

    #[test]
    fn profiles_share_a_table_only_when_their_rates_are_equal() {
        let t = Delays::new(&Demand::default());
        for p in 0..profile::COUNT {
            for q in 0..profile::COUNT {
                let same_rate = t.inv_ln_q[p].to_bits() == t.inv_ln_q[q].to_bits();
                assert_eq!(t.class[p] == t.class[q], same_rate, "{p} {q}");
            }
            // Being precarious changes no episode rate, so no table of its own.
            assert_eq!(t.class[p], t.class[p & !usize::from(profile::PRECARIOUS)]);
        }
        assert!(t.inverse.len() <= profile::COUNT / 2);
    }

    #[test]
    fn mean_delay_matches_the_episode_rate() {
        let d = Demand::default();
        let t = Delays::new(&d);
        let p = profile::CHRONIC | profile::ELDERLY;
        let mut rng = crate::rng::stream(1, crate::rng::Purpose::Consult, 0, 0);
        let n = 200_000;
        let mean: f64 = (0..n).map(|_| f64::from(t.draw(p, &mut rng))).sum::<f64>() / n as f64;
        let expect = 1.0 / (1.0 - (-episodes_per_year(p, &d) / 52.0).exp());
        assert!((mean - expect).abs() / expect < 0.02, "{mean} vs {expect}");
    }

    /// The table gives what the logarithm gives: for random draws, and for every draw
    /// within 64 of each threshold and each bucket edge (where a misstep would be), for
    /// frequent, default and rare episodes.
    #[test]
    fn the_table_gives_exactly_the_weeks_the_logarithm_gives() {
        use crate::scenario::units::NonNeg;
        let mut rng = crate::rng::stream(2, crate::rng::Purpose::Consult, 0, 0);
        for base in [0.3, 3.0, 40.0] {
            let d = Demand {
                base_episodes_per_year: NonNeg(base),
                ..Demand::default()
            };
            let t = Delays::new(&d);
            let tabled = (0..profile::COUNT)
                .filter(|&p| t.table(p).is_some())
                .count();
            assert!(tabled >= profile::COUNT / 2, "{tabled} tables at {base}");
            for p in 0..profile::COUNT {
                let Some(inv) = t.table(p) else { continue };
                let mut draws: Vec<u64> = (0..20_000)
                    .map(|_| rand::Rng::random::<u64>(&mut rng) >> 11)
                    .collect();
                let edges = inv.thresholds[1..]
                    .iter()
                    .copied()
                    .chain((1..BUCKETS as u64).map(|b| b << BUCKET_SHIFT));
                for j in edges {
                    draws.extend(j.saturating_sub(64)..(j + 64).min(1 << 53));
                }
                for j in draws {
                    let u = j as f64 * GRID;
                    assert_eq!(t.weeks(p as u8, j << 11), t.by_logarithm(p, u), "{p} {j}");
                }
            }
        }
    }

    #[test]
    fn a_draw_is_the_uniform_draw_rand_makes_of_the_same_word() {
        let t = Delays::new(&Demand::default());
        let p = profile::CHRONIC;
        assert!(t.table(p as usize).is_some());
        let mut a = crate::rng::stream(4, crate::rng::Purpose::Consult, 0, 0);
        let mut b = a.clone();
        for _ in 0..10_000 {
            let u: f64 = rand::Rng::random(&mut b);
            assert_eq!(t.draw(p, &mut a), t.by_logarithm(p as usize, u));
        }
        // The smallest draws, under the table's first bucket, and 0 itself.
        for j in [0u64, 1, 5, (1 << BUCKET_SHIFT) - 1] {
            assert_eq!(
                t.weeks(p, j << 11),
                t.by_logarithm(p as usize, j as f64 * GRID)
            );
        }
    }

    #[test]
    fn a_profile_without_episodes_never_comes() {
        let d = Demand {
            base_episodes_per_year: crate::scenario::units::NonNeg(0.0),
            ..Demand::default()
        };
        assert_eq!(Delays::new(&d).weeks(0, 1 << 63), u32::MAX);
    }
}
