//! Patients as a struct of arrays: about 7 bytes each, scanned in memory order every week.

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
    /// Weeks waited for the current episode.
    pub wait: Vec<u8>,
    /// Professions that followed the patient: low 4 bits this half-year, high 4 bits the previous.
    pub follow: Vec<u8>,
}

impl Patients {
    /// Number of patients.
    #[inline]
    pub fn len(&self) -> usize {
        self.next.len()
    }

    /// Whether there are none.
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

    /// Removes patient `i` (the last one takes its place); returns (next, profile, follow).
    pub fn swap_remove(&mut self, i: usize) -> (u16, u8, u8) {
        self.gp.swap_remove(i);
        self.wait.swap_remove(i);
        (
            self.next.swap_remove(i),
            self.profile.swap_remove(i),
            self.follow.swap_remove(i),
        )
    }

    /// Whether the patient was followed by two or more professions in the window, without
    /// a branch: read from a table of every mask ([`MULTI`]), which costs fewer instructions
    /// than working it out (`docs/PERFORMANCE.md`, session 18).
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

    /// 7 bytes a patient, the figure `pluri bench` streams as its hardware reference and
    /// docs/PERFORMANCE.md budgets: a wider field must update both.
    #[test]
    fn a_patient_takes_seven_bytes() {
        let p = Patients::default();
        let bytes =
            elem(&p.next) + elem(&p.gp) + elem(&p.profile) + elem(&p.wait) + elem(&p.follow);
        assert_eq!(bytes as f64, crate::bench::PATIENT_BYTES);
    }
}
