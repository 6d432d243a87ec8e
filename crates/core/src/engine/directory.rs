//! The referral directory: for each zone, the few independent psychologists, social workers
//! and nurses with the most room nearby, taken at the start of the week (phase 2,
//! [`super::prepare`]) and read by every GP's choices (phase 3, [`super::consult`]); and each
//! GP's trust in its zone's candidates, looked up once a week.

use super::parallel::ZONES_PER_JOB;
use crate::model::{Gp, ProfRef, World};
use rayon::prelude::*;

/// Candidates kept per zone and profession in the referral directory.
pub const DIRECTORY_SIZE: usize = 6;

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

impl Directory {
    /// The directory of the world as it stands: for each zone, the independents with most
    /// room in it and its linked zones, weighted by the links' attraction.
    pub fn build(world: &World) -> Directory {
        let local: Vec<[Vec<(u16, f32)>; 3]> = world
            .cells
            .par_iter()
            .with_max_len(ZONES_PER_JOB)
            .map(|cell| {
                let mut slots: [Vec<(u16, f32)>; 3] = Default::default();
                for (i, pr) in cell.profs.iter().enumerate() {
                    let free = pr.free_share();
                    if pr.structure.is_some() || free <= 0.0 {
                        continue;
                    }
                    let slot = match pr.profession {
                        crate::scenario::Profession::Psychologist => 0,
                        crate::scenario::Profession::SocialWorker => 1,
                        _ => 2,
                    };
                    offer(
                        &mut slots[slot],
                        DIRECTORY_SIZE,
                        (i as u16, free),
                        |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)),
                    );
                }
                slots
            })
            .collect();
        let zones = (0..world.cells.len())
            .into_par_iter()
            .with_max_len(ZONES_PER_JOB)
            .map(|z| {
                let mut out: [Vec<Cand>; 3] = Default::default();
                let mut best: Vec<(f32, Cand)> = Vec::with_capacity(DIRECTORY_SIZE);
                for (slot, list) in out.iter_mut().enumerate() {
                    best.clear();
                    let here = std::iter::once((z, 0.0f32, 1.0f32));
                    let near = world.links[z]
                        .iter()
                        .map(|l| (l.to as usize, l.minutes, l.attraction));
                    for (zz, minutes, attraction) in here.chain(near) {
                        for &(i, free) in &local[zz][slot] {
                            let prof = ProfRef::new(zz as u16, i);
                            let cand = Cand {
                                prof,
                                minutes,
                                free,
                            };
                            // A professional is offered once (a zone's links name other zones,
                            // once each).
                            offer(
                                &mut best,
                                DIRECTORY_SIZE,
                                (free * attraction, cand),
                                |a, b| b.0.total_cmp(&a.0).then(a.1.prof.cmp(&b.1.prof)),
                            );
                        }
                    }
                    list.extend(best.iter().map(|&(_, c)| c));
                }
                out
            })
            .collect();
        Directory { zones }
    }
}

/// Offers `item` to `best`, the first (at most) `k` entries offered so far in the order
/// `cmp`, sorted: after every offer, what a full sort of all the entries offered and a
/// truncation give, since `cmp` is a strict total order on the entries here (no two compare
/// equal). Most offers cost one comparison with the last kept, and nothing is allocated
/// beyond `k` entries.
fn offer<T>(best: &mut Vec<T>, k: usize, item: T, cmp: impl Fn(&T, &T) -> std::cmp::Ordering) {
    if best.len() >= k {
        match best.last() {
            Some(last) if cmp(&item, last).is_lt() => {
                best.pop();
            }
            _ => return,
        }
    }
    let at = best.partition_point(|b| cmp(b, &item).is_lt());
    best.insert(at, item);
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
    pub(super) fn reset(&mut self, gps: usize) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn offers_keep_the_head_of_a_full_sort() {
        let mut rng = crate::rng::stream(5, crate::rng::Purpose::Consult, 0, 0);
        for len in 0..40 {
            for k in [0, 1, 3, DIRECTORY_SIZE, 39] {
                // Ties on the score, broken by the index, as in the directory.
                let mut v: Vec<(u16, f32)> = (0..len)
                    .map(|i| (i as u16, f32::from(rng.random_range(0..5u8))))
                    .collect();
                // Offered in any order.
                rand::seq::SliceRandom::shuffle(&mut v[..], &mut rng);
                let cmp = |a: &(u16, f32), b: &(u16, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
                let mut full = v.clone();
                full.sort_by(cmp);
                full.truncate(k);
                let mut kept = Vec::new();
                for x in v {
                    offer(&mut kept, k, x, cmp);
                }
                assert_eq!(kept, full, "len {len}, k {k}");
            }
        }
    }

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
}
