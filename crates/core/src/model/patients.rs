//! Patients as a struct of arrays: about 7 bytes each, scanned in memory order every week,
//! grouped by profile within blocks ([`Patients::group_by_profile`]).

/// Profile flags (bits of `Patients::profile`).
pub mod profile {
    /// Long-term condition.
    pub const CHRONIC: u8 = 1;
    /// Aged 65 or more.
    pub const ELDERLY: u8 = 2;
    /// Addiction.
    pub const ADDICTION: u8 = 4;
    /// Psychological need.
    pub const PSYCH: u8 = 8;
    /// Social need.
    pub const SOCIAL: u8 = 16;
    /// Precarious.
    pub const PRECARIOUS: u8 = 32;
    /// Number of distinct profiles.
    pub const COUNT: usize = 64;

    /// Whether a patient of profile `f` is complex: at least `threshold` needs at once.
    /// The weekly step reads it from a table of every profile (`Tables::complex`).
    pub fn is_complex(f: u8, threshold: u32) -> bool {
        f.count_ones() >= threshold
    }
}

/// Bits of the profession-follow mask: who took part in a patient's care.
pub mod follow {
    /// The GP.
    pub const GP: u8 = 1;
    /// A psychologist.
    pub const PSYCHOLOGIST: u8 = 2;
    /// A social worker (or social services).
    pub const SOCIAL: u8 = 4;
    /// A nurse (or a hospital's education programme).
    pub const NURSE: u8 = 8;
}

/// The patients of one zone cell.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Patients {
    /// Week of the next care episode (or retry while waiting).
    pub next: Vec<u16>,
    /// Declared GP: index in the cell's GPs, or [`super::NONE16`].
    pub gp: Vec<u16>,
    /// Profile flags.
    pub profile: Vec<u8>,
    /// Weeks waited for the current episode (the low 7 bits, [`Patients::waited`]) and, in
    /// the top bit ([`Patients::HELD`]), whether a support platform holds the patient's
    /// pathway: one byte for both, as a patient waits at most
    /// `outcomes.max_wait_weeks` (at most 127) weeks.
    pub wait: Vec<u8>,
    /// Professions that followed the patient: low 4 bits this half-year, high 4 bits the previous.
    pub follow: Vec<u8>,
}

impl Patients {
    /// Bytes of state a patient keeps through a run (next week, GP, profile, wait, follow):
    /// the figure `pluri bench` streams as its hardware reference
    /// ([`crate::bench::PATIENT_BYTES`]).
    pub const BYTES: usize = 7;

    /// Number of patients.
    #[inline]
    pub fn len(&self) -> usize {
        self.next.len()
    }

    /// Whether there are none.
    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.next.is_empty()
    }

    /// Reserves room for `n` more patients in every array.
    pub fn reserve(&mut self, n: usize) {
        self.next.reserve_exact(n);
        self.gp.reserve_exact(n);
        self.profile.reserve_exact(n);
        self.wait.reserve_exact(n);
        self.follow.reserve_exact(n);
    }

    /// Appends a patient.
    pub fn push(&mut self, next: u16, gp: u16, profile: u8) {
        self.next.push(next);
        self.gp.push(gp);
        self.profile.push(profile);
        self.wait.push(0);
        self.follow.push(0);
    }

    /// Removes patient `i` (the last one takes its place); returns (next, profile, follow,
    /// wait).
    pub fn swap_remove(&mut self, i: usize) -> (u16, u8, u8, u8) {
        self.gp.swap_remove(i);
        (
            self.next.swap_remove(i),
            self.profile.swap_remove(i),
            self.follow.swap_remove(i),
            self.wait.swap_remove(i),
        )
    }

    /// The bit of [`Patients::wait`] that says a support platform holds the patient's pathway.
    pub const HELD: u8 = 0x80;

    /// The most weeks a patient can wait ([`Patients::wait`]'s low bits), which validation
    /// keeps `outcomes.max_wait_weeks` within.
    pub const MAX_WAITED: u8 = 0x7F;

    /// Weeks patient `i` has waited for its current episode.
    #[inline]
    pub fn waited(&self, i: usize) -> u8 {
        self.wait[i] & Self::MAX_WAITED
    }

    /// Sets the weeks patient `i` has waited, keeping whether a platform holds its pathway.
    #[inline]
    pub fn set_waited(&mut self, i: usize, weeks: u8) {
        self.wait[i] = (self.wait[i] & Self::HELD) | (weeks & Self::MAX_WAITED);
    }

    /// Whether a support platform holds patient `i`'s pathway.
    #[inline]
    pub fn held(&self, i: usize) -> bool {
        self.wait[i] & Self::HELD != 0
    }

    /// A platform takes (`held`) or hands back patient `i`'s pathway; returns +1 if that made
    /// it held, -1 if that handed it back, 0 if nothing changed.
    #[inline]
    pub fn set_held(&mut self, i: usize, held: bool) -> i64 {
        let was = self.held(i);
        self.wait[i] = (self.wait[i] & Self::MAX_WAITED) | if held { Self::HELD } else { 0 };
        i64::from(held) - i64::from(was)
    }

    /// Whether the patient was followed by two or more professions in the window, without
    /// a branch: read from a table of every mask ([`MULTI`]), which costs fewer instructions
    /// than working it out (`docs/PERFORMANCE.md`).
    #[inline]
    pub fn multi(follow: u8) -> bool {
        MULTI[usize::from(follow)]
    }
}

/// [`Patients::multi`] of every follow mask: two or more professions over both halves of the
/// window (two or more bits set: clearing the lowest leaves one).
const MULTI: [bool; 256] = {
    let mut t = [false; 256];
    let mut f = 0;
    while f < 256 {
        let m = (f | (f >> 4)) & 0x0F;
        t[f] = m & (m.wrapping_sub(1)) != 0;
        f += 1;
    }
    t
};

/// Patients ordered by profile together (see [`Patients::group_by_profile`]): a zone's
/// patients in blocks of this many.
pub const PROFILE_BLOCK: usize = 4096;

impl Patients {
    /// Orders each block of [`PROFILE_BLOCK`] patients by `profile ^ r`, with `r` a random
    /// byte drawn per block from `rng` (stable: patients of one profile keep their order);
    /// every array is permuted alike, so each patient keeps all its fields.
    ///
    /// Why: the consultation branches on the profile (which task coins it draws, whether the
    /// patient is complex), and those branches are predicted when patients of one profile
    /// follow one another in the scan: France's consultations take about 9% less time
    /// (`docs/PERFORMANCE.md`). Why the random byte: with the profiles in one fixed order,
    /// the profiles sorted last came later than the others in every block's scan, so they
    /// found their GP full more often (500 replicates of the default scenario: the unmet
    /// share +0.09%, z = 3.0, and the share of complex patients followed by several
    /// professions −0.11%, z = −3.2). With `r`, any two profiles come in either order in half
    /// the blocks, so no profile comes later on average, and consecutive profiles still differ
    /// in few flags.
    pub fn group_by_profile<R: rand::Rng>(&mut self, rng: &mut R) {
        let n = self.len();
        let mut order = Vec::with_capacity(PROFILE_BLOCK.min(n));
        for lo in (0..n).step_by(PROFILE_BLOCK) {
            let hi = (lo + PROFILE_BLOCK).min(n);
            let r = rng.random::<u8>();
            // A counting sort by key: stable, and linear in the block.
            let mut start = [0usize; 256];
            for &f in &self.profile[lo..hi] {
                start[usize::from(f ^ r)] += 1;
            }
            let mut before = 0;
            for s in &mut start {
                (*s, before) = (before, before + *s);
            }
            order.clear();
            order.resize(hi - lo, 0);
            for (j, &f) in self.profile[lo..hi].iter().enumerate() {
                let slot = &mut start[usize::from(f ^ r)];
                order[*slot] = j;
                *slot += 1;
            }
            permute(&mut self.next[lo..hi], &order);
            permute(&mut self.gp[lo..hi], &order);
            permute(&mut self.profile[lo..hi], &order);
            permute(&mut self.wait[lo..hi], &order);
            permute(&mut self.follow[lo..hi], &order);
        }
    }
}

/// Puts `v[order[j]]` at `v[j]` for every j (`order` is a permutation of `v`'s indices).
fn permute<T: Copy>(v: &mut [T], order: &[usize]) {
    let old = v.to_vec();
    for (x, &j) in v.iter_mut().zip(order) {
        *x = old[j];
    }
}

impl Patients {
    /// Adds a profession bit to patient `i`'s follow mask; returns 1 if that made a
    /// patient followed by two or more professions (counted only for complex patients), else
    /// 0. Without a branch: whether a patient is complex is as good as random, so a branch on
    /// it would be mispredicted often.
    #[inline]
    pub fn add_follow(&mut self, i: usize, bit: u8, complex: bool) -> u64 {
        let old = self.follow[i];
        let new = old | bit;
        self.follow[i] = new;
        u64::from(complex & !Patients::multi(old) & Patients::multi(new))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn elem<T>(_: &[T]) -> usize {
        std::mem::size_of::<T>()
    }

    /// A follow mask names two or more professions when its two half-years together have
    /// two or more bits set, for every mask; a new bit counts only for a complex patient.
    #[test]
    fn multi_is_two_professions_or_more_over_the_window() {
        for f in 0..=u8::MAX {
            let professions = ((f | (f >> 4)) & 0x0F).count_ones();
            assert_eq!(Patients::multi(f), professions >= 2, "{f:#010b}");
        }
        let mut p = Patients::default();
        p.push(0, 0, 0);
        p.follow[0] = follow::GP;
        assert_eq!(p.add_follow(0, follow::GP, true), 0, "same profession");
        assert_eq!(p.add_follow(0, follow::NURSE, false), 0, "not complex");
        p.follow[0] = follow::GP;
        assert_eq!(p.add_follow(0, follow::NURSE, true), 1);
        assert_eq!(p.add_follow(0, follow::SOCIAL, true), 0, "already counted");
    }

    /// The held bit and the weeks waited share a byte without disturbing each other.
    #[test]
    fn holding_a_pathway_and_waiting_share_a_byte_independently() {
        let mut p = Patients::default();
        p.push(0, 0, 0);
        p.set_waited(0, 3);
        assert_eq!((p.waited(0), p.held(0)), (3, false));
        assert_eq!(p.set_held(0, true), 1);
        assert_eq!(p.set_held(0, true), 0, "already held");
        assert_eq!((p.waited(0), p.held(0)), (3, true));
        p.set_waited(0, Patients::MAX_WAITED);
        assert_eq!((p.waited(0), p.held(0)), (127, true));
        p.set_waited(0, 0);
        assert_eq!((p.waited(0), p.held(0)), (0, true));
        assert_eq!(p.set_held(0, false), -1);
        assert_eq!(p.wait[0], 0);
        assert_eq!(
            u32::from(Patients::MAX_WAITED),
            crate::scenario::limits::MAX_WAIT_WEEKS
        );
    }

    /// Patients of a few blocks, each with its own `next` (a tag) and values derived from it.
    fn tagged(n: usize, seed: u64) -> Patients {
        use rand::Rng;
        let mut rng = crate::rng::stream(seed, crate::rng::Purpose::Order, 0, 0);
        let mut p = Patients::default();
        for i in 0..n {
            p.push(i as u16, (i % 97) as u16, rng.random_range(0..64u8));
            p.wait[i] = (i % 5) as u8;
            p.follow[i] = (i % 13) as u8;
        }
        p
    }

    #[test]
    fn grouping_by_profile_keeps_each_patient_whole_and_each_block_ordered_and_stable() {
        use rand::Rng;
        for n in [0, 1, 100, PROFILE_BLOCK, 3 * PROFILE_BLOCK + 777] {
            let before = tagged(n, n as u64);
            let mut after = before.clone();
            let mut rng = crate::rng::stream(1, crate::rng::Purpose::Order, 3, 0);
            after.group_by_profile(&mut rng);
            let mut replay = crate::rng::stream(1, crate::rng::Purpose::Order, 3, 0);
            for lo in (0..n).step_by(PROFILE_BLOCK) {
                let hi = (lo + PROFILE_BLOCK).min(n);
                let r = replay.random::<u8>();
                let mut seen = vec![false; hi - lo];
                for j in lo..hi {
                    // The tag names the patient: every field moved with it, within its block.
                    let t = usize::from(after.next[j]);
                    assert!((lo..hi).contains(&t), "patient {t} left its block");
                    assert!(
                        !std::mem::replace(&mut seen[t - lo], true),
                        "patient {t} twice"
                    );
                    assert_eq!(after.gp[j], before.gp[t]);
                    assert_eq!(after.profile[j], before.profile[t]);
                    assert_eq!(after.wait[j], before.wait[t]);
                    assert_eq!(after.follow[j], before.follow[t]);
                    if j > lo {
                        let (a, b) = (after.profile[j - 1] ^ r, after.profile[j] ^ r);
                        assert!(a < b || (a == b && after.next[j - 1] < after.next[j]));
                    }
                }
            }
        }
    }

    /// No profile is always scanned after another: each block's order of profiles is its
    /// own, so any two profiles come in either order in about half the blocks.
    #[test]
    fn the_order_of_two_profiles_changes_from_block_to_block() {
        let blocks = 200;
        let mut p = tagged(blocks * PROFILE_BLOCK, 7);
        p.group_by_profile(&mut crate::rng::stream(2, crate::rng::Purpose::Order, 0, 0));
        let first = |block: &[u8], f: u8| block.iter().position(|&x| x == f);
        for (a, b) in [(0u8, 63u8), (1, 3), (8, 9), (24, 40)] {
            let a_first = p
                .profile
                .chunks(PROFILE_BLOCK)
                .filter(|block| first(block, a) < first(block, b))
                .count();
            assert!(
                (60..=140).contains(&a_first),
                "{a} before {b} in {a_first} of {blocks}"
            );
        }
    }

    /// 7 bytes a patient, the figure `pluri bench` streams as its hardware reference and
    /// docs/PERFORMANCE.md budgets: a wider field must update both.
    #[test]
    fn a_patient_takes_seven_bytes() {
        let p = Patients::default();
        let bytes =
            elem(&p.next) + elem(&p.gp) + elem(&p.profile) + elem(&p.wait) + elem(&p.follow);
        assert_eq!(bytes, Patients::BYTES);
        assert_eq!(Patients::BYTES, 7);
    }
}
