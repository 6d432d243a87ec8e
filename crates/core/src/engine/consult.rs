//! Steps 1–5 of the week inside one zone: demand (due patients found in memory order),
//! consultation up to GP capacity, task discovery, and the GP's choice for each task.
//!
//! Everything here touches only its own zone cell, with its own random stream; what crosses
//! zones (referrals outside the GP's structure, patients looking for a GP elsewhere) goes to
//! the zone's [`ZoneOut`] and is applied afterwards in zone order.

use super::choice::Job;
use super::counters::Counters;
use super::tasks::{Referral, Task};
use super::upkeep::DIRECTORY_SIZE;
use super::Tables;
use crate::model::{
    follow, profile, Gp, Link, OrgTies, ProfRef, Reach, Structure, ZoneCell, NONE16,
};
use crate::rng::{stream, Purpose};
use crate::scenario::{Params, StructureKind};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// A candidate independent professional for referrals from a zone.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cand {
    /// The professional.
    pub prof: ProfRef,
    /// Travel time (minutes).
    pub minutes: f32,
    /// Free share of caseload at the start of the week.
    pub free: f32,
}

/// For each zone, the few independent psychologists, social workers and nurses with the most
/// room nearby, as known at the start of the week (GPs refer on last week's knowledge).
#[derive(Debug, Clone, Default)]
pub struct Directory {
    /// Per zone: candidates by directory slot (psychologist, social worker, nurse).
    pub zones: Vec<[Vec<Cand>; 3]>,
}

/// Read-only context of a zone's week.
pub struct ZoneCtx<'a> {
    /// Week.
    pub week: u32,
    /// Scenario seed.
    pub seed: u64,
    /// Parameters in force.
    pub p: &'a Params,
    /// Precomputed tables.
    pub tables: &'a Tables,
    /// Structures (read-only during this phase).
    pub structures: &'a [Structure],
    /// Inter-organisational ties (read-only during this phase).
    pub org: &'a OrgTies,
    /// Network links.
    pub links: &'a [Vec<Link>],
    /// Referral services by zone.
    pub services: &'a [Vec<Reach>],
    /// Referral directory.
    pub directory: &'a Directory,
}

/// What a zone's week sends out.
#[derive(Debug, Clone, Default)]
pub struct ZoneOut {
    /// Flows counted.
    pub counters: Counters,
    /// Referrals to apply, in the order made.
    pub referrals: Vec<Referral>,
    /// Patients without a GP who look for one in a linked zone.
    pub movers: Vec<u32>,
    /// Whether each referral's target had room (decided in zone order), by half of the
    /// targets (see `referral::apply`), each in the order the referrals were made.
    pub decisions: [Vec<super::referral::Decision>; 2],
    /// Professionals of any zone whose satisfaction this zone's friction costs, in order.
    pub frictions: Vec<ProfRef>,
    /// Inter-organisational tie gains this zone's referrals make, in order.
    pub org: Vec<(crate::model::StructId, crate::model::StructId, f32)>,
    /// Follow-up marks of the zone's accepted referrals (see `referral::apply_marks`).
    pub marks: Vec<u64>,
    /// The zone's GPs' trust in its directory candidates, looked up at most once a week.
    pub(super) dir_trust: DirTrust,
}

/// Each GP's trust in the referral directory's candidates of the zone, by directory slot,
/// looked up (a binary search each) the first time the GP weighs a task of that slot in the
/// week and kept until the GP's ties change. Nothing else changes a GP's ties during the
/// consultations, so the values are exactly those a fresh look-up would give.
#[derive(Debug, Clone, Default)]
pub(super) struct DirTrust {
    /// Per GP and slot (index `3 * gp + slot`): trust in each candidate, in directory order.
    values: Vec<[f32; DIRECTORY_SIZE]>,
    /// Per GP: a bit per slot whose values are known.
    known: Vec<u8>,
}

impl DirTrust {
    /// Forgets everything, for a week of `gps` GPs.
    fn reset(&mut self, gps: usize) {
        self.known.clear();
        self.known.resize(gps, 0);
        self.values.resize(3 * gps, [0.0; DIRECTORY_SIZE]);
    }

    /// GP `g`'s trust in `cands` (the directory's slot `slot`).
    #[inline]
    pub(super) fn get(
        &mut self,
        g: usize,
        gp: &Gp,
        slot: usize,
        cands: &[Cand],
    ) -> &[f32; DIRECTORY_SIZE] {
        let v = &mut self.values[3 * g + slot];
        if self.known[g] & (1 << slot) == 0 {
            // A shorter list is padded; the values past its end are never read.
            let mut profs = [ProfRef(u32::MAX); DIRECTORY_SIZE];
            for (p, c) in profs.iter_mut().zip(cands) {
                *p = c.prof;
            }
            gp.trust_many(&profs, v);
            self.known[g] |= 1 << slot;
        }
        v
    }

    /// GP `g`'s ties changed: look its trust up again.
    #[inline]
    pub(super) fn forget(&mut self, g: usize) {
        self.known[g] = 0;
    }
}

/// One zone's week in progress (its methods are split between this file and `choice.rs`).
pub(super) struct Zone<'a, 'b> {
    pub(super) z: usize,
    pub(super) cell: &'b mut ZoneCell,
    pub(super) ctx: &'b ZoneCtx<'a>,
    pub(super) out: &'b mut ZoneOut,
    pub(super) rng: ChaCha8Rng,
    walk_cursor: usize,
    walk_full: bool,
    /// The nearest active hospital, social services and support platform
    /// ([`SERVICE_KINDS`] order), found once a week: structures do not change during the
    /// consultations.
    pub(super) at_hand: [Option<Reach>; 3],
}

/// The kinds of referral services a GP weighs, in the order of [`Zone::at_hand`].
pub(super) const SERVICE_KINDS: [StructureKind; 3] = [
    StructureKind::Hospital,
    StructureKind::SocialServices,
    StructureKind::Dac,
];

/// The first active service of each of [`SERVICE_KINDS`] in `reach` (ordered nearest first).
fn services_at_hand(reach: &[Reach], structures: &[Structure]) -> [Option<Reach>; 3] {
    let mut found = [None; 3];
    for r in reach {
        let st = &structures[r.structure.idx()];
        if let Some(k) = SERVICE_KINDS.iter().position(|&k| k == st.kind) {
            if st.active && found[k].is_none() {
                found[k] = Some(*r);
            }
        }
    }
    found
}

/// Runs the consultations of zone `z` for the week.
pub fn consult_zone(z: usize, cell: &mut ZoneCell, ctx: &ZoneCtx, out: &mut ZoneOut) {
    let n = cell.patients.len();
    if n == 0 {
        return;
    }
    let mut rng = stream(ctx.seed, Purpose::Consult, z as u32, ctx.week);
    // A random starting point each week: no patient is always last in the queue.
    let start = rng.random_range(0..n);
    let week = ctx.week as u16;
    out.dir_trust.reset(cell.gps.len());
    crate::model::warm_ties(&cell.gps);
    warm_structures(&cell.gps, ctx.structures, ctx.org);
    let mut zone = Zone {
        z,
        cell,
        ctx,
        out,
        rng,
        walk_cursor: 0,
        walk_full: false,
        at_hand: services_at_hand(&ctx.services[z], ctx.structures),
    };
    zone.scan(start, n, week);
    zone.scan(0, start, week);
}

/// Reads each GP's structure and the structure's organisational ties, in a loop whose reads
/// do not wait for one another, so that the GPs' choices find them in the cache (as
/// [`crate::model::warm_lines`] does for the GPs' ties). Changes nothing.
fn warm_structures(gps: &[Gp], structures: &[Structure], org: &OrgTies) {
    let mut x = 0u32;
    for gp in gps {
        let sid = gp.structure;
        x ^= structures.get(sid.idx()).map_or(0, |s| u32::from(s.slot));
        x ^= org.warm(sid);
    }
    std::hint::black_box(x);
}

/// Patients tested at once for being due: one vector comparison gives the mask of those due in
/// the block (about 5 of 64, as about 8% of patients have an episode in a week), and only they
/// are visited, without a branch per patient.
pub(crate) const SCAN_BLOCK: usize = 64;

impl Zone<'_, '_> {
    /// Handles, in memory order, the patients in `lo..hi` whose episode falls this week.
    ///
    /// A block's mask is taken before its episodes run: an episode only moves its own
    /// patient's next week, and never to this week, so the mask stays true.
    fn scan(&mut self, lo: usize, hi: usize, week: u16) {
        let mut i = lo;
        while i < hi {
            let end = (i + SCAN_BLOCK).min(hi);
            let mut due = due_mask(&self.cell.patients.next[i..end], week);
            while due != 0 {
                let k = i + due.trailing_zeros() as usize;
                due &= due - 1;
                self.episode(k);
            }
            i = end;
        }
    }
}

/// Bit j set when `next[j] == week` (at most 64 entries).
#[inline]
pub(crate) fn due_mask(next: &[u16], week: u16) -> u64 {
    match <&[u16; SCAN_BLOCK]>::try_from(next) {
        Ok(block) => due_mask_block(block, week),
        // The last block of a range.
        Err(_) => next
            .iter()
            .enumerate()
            .fold(0, |m, (j, &w)| m | u64::from(w == week) << j),
    }
}

/// [`due_mask`] of a whole block, in a form the compiler turns into vector comparisons
/// packed to bytes (`pcmpeqw`, `packsswb`): each byte is all ones where the patient is due,
/// and the bytes' top bits are gathered eight at a time by a multiplication (no two of its
/// partial products meet, so nothing carries). A loop of `mask |= due << j` compiled to
/// about 35 instructions of shuffles and scalar comparisons per 16 patients; this is
/// about 80 per 64 (`docs/PERFORMANCE.md`).
#[inline]
fn due_mask_block(next: &[u16; SCAN_BLOCK], week: u16) -> u64 {
    const TOP_BITS: u64 = 0x8080_8080_8080_8080;
    // Moves bit 8k + 7 to bit 56 + k, for k in 0..8.
    const GATHER: u64 = 0x0002_0408_1020_4081;
    let mut bytes = [0u8; SCAN_BLOCK];
    for (b, &w) in bytes.iter_mut().zip(next) {
        *b = if w == week { 0xFF } else { 0 };
    }
    let mut mask = 0u64;
    for (k, eight) in bytes.chunks_exact(8).enumerate() {
        let mut word = [0u8; 8];
        word.copy_from_slice(eight);
        let top = u64::from_le_bytes(word) & TOP_BITS;
        mask |= (top.wrapping_mul(GATHER) >> 56) << (8 * k);
    }
    mask
}

impl Zone<'_, '_> {
    #[inline]
    pub(super) fn coin(&mut self, p: f64) -> bool {
        self.rng.random::<f64>() < p
    }

    fn episode(&mut self, i: usize) {
        let p = self.ctx.p;
        let f = self.cell.patients.profile[i];
        let complex = self.ctx.tables.complex[f as usize];
        if self.cell.patients.wait[i] == 0 {
            self.out.counters.episodes += 1;
        }
        let mut g = self.cell.patients.gp[i];
        if g == NONE16 {
            g = self.attach(i);
        }
        if g != NONE16 {
            let gp = &mut self.cell.gps[g as usize];
            if gp.used + 1.0 <= gp.capacity {
                gp.used += 1.0;
                self.stop_waiting(i);
                self.out.counters.consultations += 1;
                self.consult(i, g as usize, f, complex);
            } else {
                let w = self.cell.patients.wait[i];
                if u32::from(w) < p.outcomes.max_wait_weeks {
                    if w == 0 {
                        self.cell.waiting += 1;
                    }
                    self.cell.patients.wait[i] = w + 1;
                    self.cell.patients.next[i] = self.ctx.week as u16 + 1;
                    return;
                }
                self.stop_waiting(i);
                self.elsewhere_or_forgo(complex);
            }
        } else if let Some(w) = self.walk_in_gp() {
            self.cell.gps[w].used += 1.0;
            self.out.counters.walk_in += 1;
            self.consult(i, w, f, complex);
        } else {
            self.elsewhere_or_forgo(complex);
        }
        let d = self.ctx.tables.delays.draw(f, &mut self.rng);
        let next = self.ctx.week.saturating_add(d);
        self.cell.patients.next[i] = if next >= u32::from(NONE16) {
            NONE16
        } else {
            next as u16
        };
    }

    fn stop_waiting(&mut self, i: usize) {
        if self.cell.patients.wait[i] > 0 {
            self.cell.patients.wait[i] = 0;
            self.cell.waiting -= 1;
        }
    }

    /// A patient without a declared GP may ask the zone's GPs with room; if none has room,
    /// may look in a linked zone (applied later).
    fn attach(&mut self, i: usize) -> u16 {
        if !self.coin(self.ctx.p.population.declare_prob.get()) {
            return NONE16;
        }
        if self.cell.open_gps.is_empty() {
            let seek = self.ctx.p.outcomes.seek_elsewhere_prob.get();
            if let Some(l) = self.ctx.links[self.z].first() {
                if self.coin(seek * f64::from(l.attraction)) {
                    self.out.movers.push(i as u32);
                }
            }
            return NONE16;
        }
        let k = self.rng.random_range(0..self.cell.open_gps.len());
        let g = self.cell.open_gps[k];
        let gp = &mut self.cell.gps[g as usize];
        gp.list_size += 1;
        if gp.list_size >= self.ctx.p.workforce.gp_list_max {
            self.cell.open_gps.swap_remove(k);
        }
        self.cell.patients.gp[i] = g;
        self.cell.without_gp -= 1;
        g
    }

    fn walk_in_gp(&mut self) -> Option<usize> {
        let n = self.cell.gps.len();
        if self.walk_full || n == 0 {
            return None;
        }
        for _ in 0..n {
            let g = self.walk_cursor;
            self.walk_cursor = (self.walk_cursor + 1) % n;
            let gp = &self.cell.gps[g];
            if gp.used + 1.0 <= gp.capacity {
                return Some(g);
            }
        }
        self.walk_full = true;
        None
    }

    fn elsewhere_or_forgo(&mut self, complex: bool) {
        let p = self.ctx.p;
        let attraction = self.ctx.links[self.z]
            .first()
            .map_or(0.0, |l| f64::from(l.attraction));
        if self.coin(p.outcomes.seek_elsewhere_prob.get() * attraction) {
            self.out.counters.care_elsewhere += 1;
        } else {
            self.out.counters.forgone += 1;
            if complex && self.coin(p.outcomes.avoidable_hosp_per_forgone.get()) {
                self.out.counters.avoidable_hosp += 1;
            }
        }
    }

    pub(super) fn follow(&mut self, i: usize, bit: u8, complex: bool) {
        self.cell.complex_multi += self.cell.patients.add_follow(i, bit, complex);
    }

    /// A consultation by GP `g` of patient `i` (profile `f`): the follow-up mark, then the
    /// task coins the profile calls for, each task weighed as it arises.
    ///
    /// Always inlined into the due scan: as a call from each episode it cost about 37
    /// instructions a consultation (`docs/PERFORMANCE.md`).
    #[inline(always)]
    fn consult(&mut self, i: usize, g: usize, f: u8, complex: bool) {
        let t = &self.ctx.p.tasks;
        let kind = usize::from(self.cell.gp_kind[g]);
        self.out.counters.by_kind[kind].consultations += 1;
        self.follow(i, follow::GP, complex);
        let mut coordinated = false;
        if complex && self.coin(t.coordination_task_prob.get()) {
            coordinated = self.task(Job {
                patient: i,
                gp: g,
                task: Task::Coordination,
                complex,
                coordinated: false,
            });
        }
        if f & (profile::PSYCH | profile::ADDICTION) != 0 && self.coin(t.psych_task_prob.get()) {
            self.task(Job {
                patient: i,
                gp: g,
                task: Task::Psych,
                complex,
                coordinated,
            });
        }
        if f & profile::SOCIAL != 0 && self.coin(t.social_task_prob.get()) {
            self.task(Job {
                patient: i,
                gp: g,
                task: Task::Social,
                complex,
                coordinated,
            });
        }
        if f & profile::CHRONIC != 0 && self.coin(t.education_task_prob.get()) {
            self.task(Job {
                patient: i,
                gp: g,
                task: Task::Education,
                complex,
                coordinated,
            });
        }
    }

    pub(super) fn unmet(&mut self, complex: bool) {
        self.out.counters.unmet += 1;
        if complex && self.coin(self.ctx.p.outcomes.avoidable_hosp_per_unmet.get()) {
            self.out.counters.avoidable_hosp += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directory_trust_is_the_gps_trust_until_forgotten_and_then_the_new_trust() {
        let gp = |ties: &[(u16, f32)]| {
            Gp::with_ties(
                ties.iter()
                    .map(|&(i, trust)| crate::model::Tie {
                        prof: ProfRef::new(1, i),
                        trust,
                    })
                    .collect(),
            )
        };
        let cand = |i: u16| Cand {
            prof: ProfRef::new(1, i),
            minutes: 5.0,
            free: 0.5,
        };
        let cands = [cand(2), cand(7), cand(3)];
        let mut cache = DirTrust::default();
        cache.reset(2);
        let mut g1 = gp(&[(2, 0.4), (3, 0.9)]);
        assert_eq!(cache.get(1, &g1, 2, &cands)[..3], [0.4, 0.0, 0.9]);
        // Known values are kept (the ties are not read again) until forgotten.
        g1.ties[0].trust = 0.1;
        assert_eq!(cache.get(1, &g1, 2, &cands)[..3], [0.4, 0.0, 0.9]);
        cache.forget(1);
        assert_eq!(cache.get(1, &g1, 2, &cands)[..3], [0.1, 0.0, 0.9]);
        // Slots and GPs are kept apart; a new week forgets everything.
        let g0 = gp(&[(7, 0.6)]);
        assert_eq!(cache.get(0, &g0, 2, &cands)[..3], [0.0, 0.6, 0.0]);
        assert_eq!(cache.get(1, &g1, 0, &cands[..1])[..1], [0.1]);
        g1.ties[0].trust = 0.2;
        cache.reset(2);
        assert_eq!(cache.get(1, &g1, 2, &cands)[..3], [0.2, 0.0, 0.9]);
    }

    #[test]
    fn the_due_mask_marks_exactly_the_patients_due_this_week() {
        let mut rng = stream(3, Purpose::Consult, 0, 0);
        for len in 0..=SCAN_BLOCK {
            for _ in 0..20 {
                // Weeks at both ends of the range and at the sign bit too, and "never".
                let values = [0, 1, 2, 3, 0x7FFF, 0x8000, 0xFFFE, NONE16];
                let week = values[rng.random_range(0..values.len())];
                let next: Vec<u16> = (0..len)
                    .map(|_| values[rng.random_range(0..values.len())])
                    .collect();
                let naive = next
                    .iter()
                    .enumerate()
                    .filter(|(_, &w)| w == week)
                    .fold(0u64, |m, (j, _)| m | 1 << j);
                assert_eq!(due_mask(&next, week), naive, "{next:?} at week {week}");
            }
        }
    }
}
