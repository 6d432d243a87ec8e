//! GPs and support professionals.

use super::{ProfRef, StructId};
use crate::scenario::Profession;

/// Weeks over which a GP's [`Gp::load`] averages its weeks (the weight of the last week is
/// one over this).
pub const LOAD_MEMORY_WEEKS: f32 = 8.0;

/// A GP's trust in one support professional.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tie {
    /// The professional.
    pub prof: ProfRef,
    /// Trust, 0 to 1.
    pub trust: f32,
}

impl Tie {
    /// Moves trust a share `gain` (clamped to 0..1) of the way to 1.
    #[inline]
    pub fn raise(&mut self, gain: f32) {
        self.trust += gain.clamp(0.0, 1.0) * (1.0 - self.trust);
    }

    /// Lowers trust by `loss` (never below 0).
    #[inline]
    pub fn lower(&mut self, loss: f32) {
        self.trust = (self.trust - loss).max(0.0);
    }
}

/// A general practitioner.
#[derive(Debug, Clone, PartialEq)]
pub struct Gp {
    /// Practising (false once retired).
    pub active: bool,
    /// The practice.
    pub structure: StructId,
    /// Age (years).
    pub age: f32,
    /// Consultations a week.
    pub capacity: f32,
    /// Consultation time used this week.
    pub used: f32,
    /// Share of its consultation time used in recent weeks (an average over about
    /// [`LOAD_MEMORY_WEEKS`] weeks): what the GP knows of how full its weeks are when it
    /// decides whether to take new patients.
    pub load: f32,
    /// Declared patients.
    pub list_size: u32,
    /// Willingness to hand tasks to others.
    pub delegation: f32,
    /// Wish to set others' timing and scope.
    pub control: f32,
    /// Wish to keep the pathway.
    pub pivot: f32,
    /// Trust in professionals, sorted by professional.
    pub ties: Vec<Tie>,
}

impl Gp {
    /// Ends the GP's week: its [`Gp::load`] takes in the share of its time used, and the new
    /// week starts with none used.
    #[inline]
    pub fn remember_week(&mut self) {
        let share = (self.used / self.capacity.max(1.0)).min(1.0);
        self.load += (share - self.load) / LOAD_MEMORY_WEEKS;
        self.used = 0.0;
    }

    /// Whether the GP takes new declared patients this week: practising, its list below
    /// `workforce.gp_list_max` and its recent weeks ([`Gp::load`]) below
    /// `workforce.accept_new_below` of its time.
    #[inline]
    pub fn takes_new_patients(&self, p: &crate::scenario::Params) -> bool {
        self.active
            && self.list_size < p.workforce.gp_list_max
            && f64::from(self.load) < p.workforce.accept_new_below.get()
    }

    /// Trust in `prof` (0 if no tie).
    #[inline]
    pub fn trust(&self, prof: ProfRef) -> f32 {
        match self.ties.binary_search_by_key(&prof, |t| t.prof) {
            Ok(i) => self.ties[i].trust,
            Err(_) => 0.0,
        }
    }

    /// Trust in each of `profs` (0 where there is no tie), written to `out`: what
    /// [`Gp::trust`] gives for each, found by searches run in step, so that their memory
    /// reads overlap instead of waiting one for another.
    #[inline]
    pub fn trust_many<const N: usize>(&self, profs: &[ProfRef; N], out: &mut [f32; N]) {
        let ties = &self.ties[..];
        if ties.is_empty() {
            *out = [0.0; N];
            return;
        }
        // The same number of halvings for every key: the largest index whose key is at most
        // the one sought (or 0).
        let mut base = [0usize; N];
        let mut size = ties.len();
        while size > 1 {
            let half = size / 2;
            for (b, p) in base.iter_mut().zip(profs) {
                let mid = *b + half;
                // A conditional move: which way a search goes is as good as random.
                *b = std::hint::select_unpredictable(ties[mid].prof <= *p, mid, *b);
            }
            size -= half;
        }
        for ((o, &b), p) in out.iter_mut().zip(&base).zip(profs) {
            let t = ties[b];
            // On the bits: a select of two floats compiles to a branch, mispredicted as often
            // as a GP has a tie with a candidate or not.
            let bits = std::hint::select_unpredictable(t.prof == *p, t.trust.to_bits(), 0);
            *o = f32::from_bits(bits);
        }
    }

    /// Moves trust in `prof` a share `gain` toward 1, creating the tie at `first` if new.
    pub fn strengthen(&mut self, prof: ProfRef, gain: f32, first: f32) {
        self.strengthen_index(prof, gain, first);
    }

    /// [`Gp::strengthen`], returning the tie's index in `ties` (valid until ties are added
    /// or removed), so that further changes to the same tie need no second search.
    pub fn strengthen_index(&mut self, prof: ProfRef, gain: f32, first: f32) -> usize {
        match self.ties.binary_search_by_key(&prof, |t| t.prof) {
            Ok(i) => {
                self.ties[i].raise(gain);
                i
            }
            Err(i) => {
                self.ties.insert(i, Tie { prof, trust: first });
                i
            }
        }
    }
}

/// Brings `list` into the cache ahead of searches in it: reads one entry per cache line (its
/// `key`, all XORed together), in a loop whose reads do not wait for one another, so that the
/// searches that follow find the entries in the cache instead of waiting for memory at each
/// of their steps. Changes nothing; the value returned only keeps the reads.
pub fn prefetch_lines<T>(list: &[T], key: impl Fn(&T) -> u32) -> u32 {
    let per_line = (64 / std::mem::size_of::<T>()).max(1);
    list.iter().step_by(per_line).fold(0, |x, e| x ^ key(e))
}

/// [`prefetch_lines`] of the ties of each of `gps`.
pub fn prefetch_ties(gps: &[Gp]) {
    let x = gps
        .iter()
        .fold(0, |x, gp| x ^ prefetch_lines(&gp.ties, |t| t.prof.0));
    std::hint::black_box(x);
}

#[cfg(test)]
impl Gp {
    /// A practising GP of structure 0 with these ties (sorted by professional), for tests.
    pub(crate) fn with_ties(ties: Vec<Tie>) -> Gp {
        Gp {
            active: true,
            structure: StructId(0),
            age: 50.0,
            capacity: 100.0,
            used: 0.0,
            load: 0.0,
            list_size: 0,
            delegation: 0.5,
            control: 0.5,
            pivot: 0.5,
            ties,
        }
    }
}

/// Length of a professional's ring of case releases: follow-ups last less than this.
pub const RELEASE_RING: usize = 64;

/// A professional's follow-ups ending at each week modulo [`RELEASE_RING`]. Kept beside the
/// zone's professionals (`ZoneCell::releases`) rather than in [`Prof`]: the passes over every
/// professional (directory, upkeep, record) then read a fifth of the bytes.
pub type Releases = [u16; RELEASE_RING];

/// A support professional (psychologist, social worker, nurse).
#[derive(Debug, Clone, PartialEq)]
pub struct Prof {
    /// Profession.
    pub profession: Profession,
    /// Structure, or `None` for an independent.
    pub structure: Option<StructId>,
    /// Follow-ups carried at once.
    pub caseload: u16,
    /// Follow-ups carried now.
    pub active_cases: u16,
    /// Autonomy demand: control above 1 minus this creates friction.
    pub autonomy: f32,
    /// Satisfaction, 0 to 1.
    pub satisfaction: f32,
    /// Consecutive weeks under the leave threshold.
    pub low_weeks: u16,
    /// Week from which the post is filled again after a departure (0: in post).
    pub vacant_until: u32,
}

impl Prof {
    /// Whether someone is in post.
    #[inline]
    pub fn in_post(&self) -> bool {
        self.vacant_until == 0
    }

    /// Free share of the caseload (0 when vacant or full).
    #[inline]
    pub fn free_share(&self) -> f32 {
        if !self.in_post() || self.caseload == 0 {
            return 0.0;
        }
        f32::from(self.caseload.saturating_sub(self.active_cases)) / f32::from(self.caseload)
    }

    /// Takes a follow-up ending `weeks` after `week` (noted in the professional's
    /// `releases`); false if full or vacant.
    pub fn take(&mut self, releases: &mut Releases, week: u32, weeks: u32) -> bool {
        if !self.in_post() || self.active_cases >= self.caseload {
            return false;
        }
        self.active_cases += 1;
        let slot =
            (week as usize + weeks.clamp(1, RELEASE_RING as u32 - 1) as usize) % RELEASE_RING;
        releases[slot] += 1;
        true
    }

    /// The cost of a GP's control beyond this professional's tolerance: satisfaction falls.
    pub fn suffer_friction(&mut self, p: &crate::scenario::Params) {
        let loss = p.control.friction_satisfaction_loss.get() as f32;
        self.satisfaction = (self.satisfaction - loss).max(0.0);
    }

    /// Ends the follow-ups due this week (from the professional's `releases`).
    pub fn release(&mut self, releases: &mut Releases, week: u32) {
        let slot = week as usize % RELEASE_RING;
        self.active_cases = self.active_cases.saturating_sub(releases[slot]);
        releases[slot] = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The memory budget of docs/PERFORMANCE.md: a GP in 64 bytes plus 8 a tie, a support
    /// professional in 32 plus 128 for the ring of case releases kept beside it.
    #[test]
    fn professionals_keep_to_their_memory_budget() {
        assert!(
            std::mem::size_of::<Gp>() <= 64,
            "{}",
            std::mem::size_of::<Gp>()
        );
        assert_eq!(std::mem::size_of::<Tie>(), 8);
        assert_eq!(std::mem::size_of::<Releases>(), 128);
        assert!(
            std::mem::size_of::<Prof>() <= 32,
            "{}",
            std::mem::size_of::<Prof>()
        );
    }

    #[test]
    fn trust_in_several_professionals_at_once_is_the_trust_in_each() {
        let mut rng = crate::rng::stream(11, crate::rng::Purpose::Consult, 0, 0);
        use rand::Rng;
        for len in 0..40u16 {
            let mut keys: Vec<u16> = (0..len).map(|_| rng.random_range(0..60)).collect();
            keys.sort_unstable();
            keys.dedup();
            let mut ties: Vec<Tie> = keys
                .iter()
                .map(|&i| Tie {
                    prof: ProfRef::new(i % 3, i),
                    trust: f32::from(i + 1) / 64.0,
                })
                .collect();
            ties.sort_by_key(|t| t.prof);
            let gp = Gp::with_ties(ties);
            for _ in 0..20 {
                let i: [u16; 6] = std::array::from_fn(|_| rng.random_range(0..64));
                let profs = i.map(|i| ProfRef::new(i % 3, i));
                let mut out = [f32::NAN; 6];
                gp.trust_many(&profs, &mut out);
                let each = profs.map(|p| gp.trust(p));
                assert_eq!(out, each, "{profs:?} in {keys:?}");
                // Present keys are found (not only absent ones agreed on).
                for (p, t) in profs.iter().zip(out) {
                    assert_eq!(t > 0.0, gp.ties.iter().any(|t| t.prof == *p));
                }
            }
        }
    }
}
