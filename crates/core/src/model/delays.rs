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
    /// Per profile, the index in `thresholds` of its table's thresholds: profiles with the
    /// same episode rate share a table (being precarious, for one, changes no rate), so that
    /// fewer tables compete for the first-level cache.
    class: [u8; profile::COUNT],
    /// Per profile, where its table's [`BUCKETS`] entries start in `entries` (0, a block of
    /// [`SLOW`], for a profile without a table).
    start: [u32; profile::COUNT],
    /// Every table's entries, one block of [`BUCKETS`] after another (see [`Inverse`]).
    entries: Vec<u64>,
    /// Per distinct rate, the thresholds of its table (empty where none could be built).
    thresholds: Vec<Vec<u64>>,
}

/// Buckets of an [`Inverse`] table: draws under 1 / `BUCKETS` (0.4% of them) take the
/// logarithm.
const BUCKETS: usize = 256;
/// Bits of an entry's `k`: at most `2^K_BITS` thresholds in a table (profiles with rarer
/// episodes, under about 0.3 a year, take the logarithm).
const K_BITS: u32 = 10;
/// Most thresholds a profile's table keeps.
const MAX_THRESHOLDS: u32 = 1 << K_BITS;
/// An entry's bit set when draws of its bucket may be more than one step past its `k`.
const MORE: u64 = 1 << K_BITS;
/// An entry's bits of `k`.
const K_MASK: u64 = MORE - 1;
/// Where an entry's threshold starts: a threshold is a 53-bit draw, so it fills the rest.
const T_SHIFT: u32 = K_BITS + 1;
/// The entry of a bucket whose draws take the logarithm (no threshold is ever 2^53 - 1 with
/// `k = 2^K_BITS - 1` and [`MORE`] set: [`Inverse::new`] checks).
const SLOW: u64 = u64::MAX;
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
/// above `u`. Bucket `b` of the draws has one 64-bit entry: `k`, which is `g` at the top of
/// the bucket, where the count starts; the next threshold, `thresholds[k + 1]`; and whether
/// the bucket holds more than one threshold. Most buckets hold at most one, so most draws
/// cost one read of the entry and one integer comparison instead of a logarithm; a draw
/// in a bucket of several thresholds reads on in `thresholds`. One read where there were two
/// (a guide of `k`, then the thresholds), with fewer bounds checks, took 2.3% off the
/// instructions of the default run (`docs/PERFORMANCE.md`).
///
/// The thresholds are found with the logarithm itself, on the grid of the draws, so the table
/// gives exactly what the logarithm gives. That rests on `g` never rising with `u`: the
/// library's logarithm is within about one unit in the last place, so `g` can only misstep
/// within a couple of draws of a threshold, and every threshold's neighbours are checked
/// ([`CHECKED`] each side) when the table is built. A profile whose check fails keeps the
/// logarithm.
#[derive(Debug, Clone, PartialEq)]
struct Inverse {
    entries: Box<[u64; BUCKETS]>,
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
        let mut entries = Box::new([SLOW; BUCKETS]);
        for (b, entry) in entries.iter_mut().enumerate().skip(1) {
            let bottom = b as u64 * first;
            let g = product(inv, bottom + first - 1);
            if g >= f64::from(most) + 1.0 {
                return None;
            }
            let k = g as usize;
            // The bucket's lowest draw is two steps past its top or more.
            let more = thresholds.get(k + 2).is_some_and(|&t| t >= bottom);
            *entry = thresholds[k + 1] << T_SHIFT | u64::from(more) << K_BITS | k as u64;
            if *entry == SLOW {
                return None;
            }
        }
        Some(Inverse {
            entries,
            thresholds,
        })
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
        let mut start = [0u32; profile::COUNT];
        let mut entries = vec![SLOW; BUCKETS];
        let mut thresholds = Vec::new();
        for p in 0..profile::COUNT {
            let same = |q: &usize| inv_ln_q[*q].to_bits() == inv_ln_q[p].to_bits();
            if let Some(q) = (0..p).find(same) {
                class[p] = class[q];
                start[p] = start[q];
                continue;
            }
            class[p] = thresholds.len() as u8;
            match Inverse::new(inv_ln_q[p]) {
                Some(t) => {
                    start[p] = entries.len() as u32;
                    entries.extend_from_slice(&t.entries[..]);
                    thresholds.push(t.thresholds);
                }
                None => thresholds.push(Vec::new()),
            }
        }
        Delays {
            inv_ln_q,
            class,
            start,
            entries,
            thresholds,
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
        let at = self.start[p] as usize + (j >> BUCKET_SHIFT) as usize;
        let e = self.entries.get(at).copied().unwrap_or(SLOW);
        if e == SLOW {
            return self.by_logarithm(p, j as f64 * GRID);
        }
        // The first step is taken without a branch (about one draw in seven takes it, at
        // random, so a branch on it was often mispredicted).
        let mut k = (e & K_MASK) as usize + usize::from(j <= e >> T_SHIFT);
        if e & MORE != 0 {
            k = self.further(p, j, k);
        }
        1 + k as u32
    }

    /// The steps of the draw `j` past `k` in a bucket of several thresholds.
    fn further(&self, p: usize, j: u64, mut k: usize) -> usize {
        let thresholds = &self.thresholds[usize::from(self.class[p])];
        while thresholds.get(k + 1).is_some_and(|&t| j <= t) {
            k += 1;
        }
        k
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
        /// The thresholds of profile `p`'s table, if it has one.
        fn table(&self, p: usize) -> Option<&[u64]> {
            (self.start[p] != 0).then(|| &self.thresholds[usize::from(self.class[p])][..])
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
        assert!(t.thresholds.len() <= profile::COUNT / 2);
        // Profiles share a table's entries exactly when they share its thresholds.
        for p in 0..profile::COUNT {
            for q in 0..profile::COUNT {
                assert_eq!(
                    t.start[p] == t.start[q],
                    t.class[p] == t.class[q],
                    "{p} {q}"
                );
            }
        }
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
                let edges = inv[1..]
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
