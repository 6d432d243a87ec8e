//! The week's bookkeeping inside each zone: before consultations (caseloads released, GP time
//! reset, lists opened, coordinator case budgets, the referral directory) and after them
//! (satisfaction, departures and replacements, tie decay). Each function touches one zone.

use super::consult::{Cand, Directory};
use super::counters::kind_index;
use crate::model::build::new_prof;
use crate::model::{profile, CoordWeek, Patients, ProfRef, Structure, World, ZoneCell};
use crate::rng::{stream, Purpose};
use crate::scenario::Params;
use rayon::prelude::*;

/// Candidates kept per zone and profession in the referral directory.
pub const DIRECTORY_SIZE: usize = 6;

/// Weeks between rotations of a patient's follow window (a patient counts as followed by a
/// profession seen in the last 26 to 52 weeks). Patients rotate in turn, one in 26 each
/// week, so the population share moves smoothly.
pub const FOLLOW_HALF_WINDOW: u32 = 26;

/// Start of the week in one zone.
pub fn prepare_zone(cell: &mut ZoneCell, structures: &[Structure], p: &Params, week: u32) {
    for (prof, releases) in cell.profs.iter_mut().zip(cell.releases.iter_mut()) {
        prof.release(releases, week);
    }
    let list_max = p.workforce.gp_list_max;
    cell.open_gps.clear();
    cell.gp_kind.clear();
    for (g, gp) in cell.gps.iter_mut().enumerate() {
        gp.used = 0.0;
        cell.gp_kind
            .push(kind_index(structures[gp.structure.idx()].kind) as u8);
        if gp.active && gp.list_size < list_max {
            cell.open_gps.push(g as u16);
        }
    }
    let c = &p.coordination;
    let case_slots_per_fte = c.hours_per_fte.get() * c.case_share.get() / c.hours_per_case.get();
    for (k, sid) in cell.structures.iter().enumerate() {
        let s = &structures[sid.idx()];
        let slots = if s.active {
            f64::from(s.coordinator_fte) * case_slots_per_fte
        } else {
            0.0
        };
        cell.coord[k] = CoordWeek {
            case_slots: slots as f32,
            cases: 0,
        };
    }
}

/// Starts a new half-year of the follow window for one patient in 26 (those whose index is
/// the week modulo 26), keeping the count of complex patients followed by two or more
/// professions exact.
///
/// Part of preparing the week, but run by each zone just before its consultations, so that
/// the patients' arrays come into the cache once for both (nothing in between reads them).
/// `complex` tells each profile's complexity (`Tables::complex`: counting a profile's needs
/// here cost about 12 instructions a patient, the processors pluri is built for having no
/// instruction for it).
pub fn rotate_follow(cell: &mut ZoneCell, complex: &[bool; profile::COUNT], week: u32) {
    let pts = &mut cell.patients;
    let offset = (week % FOLLOW_HALF_WINDOW) as usize;
    let mut lost = 0u64;
    for i in (offset..pts.len()).step_by(FOLLOW_HALF_WINDOW as usize) {
        let old = pts.follow[i];
        let new = (old & 0x0F) << 4;
        pts.follow[i] = new;
        // Without a branch (its outcome is as good as random).
        lost += u64::from(
            complex[usize::from(pts.profile[i])] & Patients::multi(old) & !Patients::multi(new),
        );
    }
    cell.complex_multi -= lost;
}

/// The referral directory: for each zone, the independents with most room in it and its
/// linked zones, weighted by the links' attraction.
pub fn directory(world: &World) -> Directory {
    let local: Vec<[Vec<(u16, f32)>; 3]> = world
        .cells
        .par_iter()
        .with_max_len(super::ZONES_PER_JOB)
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
        .with_max_len(super::ZONES_PER_JOB)
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

/// Support professionals at the end of the week: satisfaction recovers toward its initial
/// level; a professional long under the leave threshold leaves, and the post is filled again
/// after a delay by a newcomer. Returns the posts vacated this week.
pub fn professionals_zone(
    cell: &mut ZoneCell,
    z: usize,
    p: &Params,
    seed: u64,
    week: u32,
) -> Vec<ProfRef> {
    let pr = &p.professionals;
    let initial = pr.satisfaction_initial.get() as f32;
    let recovery = pr.satisfaction_recovery.get() as f32;
    let threshold = pr.leave_threshold.get() as f32;
    let mut rng = stream(seed, Purpose::Professionals, z as u32, week);
    let mut left = Vec::new();
    let cell_releases = &mut cell.releases;
    for (i, prof) in cell.profs.iter_mut().enumerate() {
        if !prof.in_post() {
            if week >= prof.vacant_until {
                *prof = new_prof(&mut rng, p, prof.profession, prof.structure);
            }
            continue;
        }
        if prof.satisfaction < initial {
            prof.satisfaction += recovery * (initial - prof.satisfaction);
        }
        if prof.satisfaction < threshold {
            prof.low_weeks += 1;
        } else {
            prof.low_weeks = 0;
        }
        if u32::from(prof.low_weeks) >= pr.leave_after_weeks.max(1) {
            prof.vacant_until = week + pr.replacement_delay_weeks.max(1);
            prof.active_cases = 0;
            cell_releases[i] = [0; crate::model::RELEASE_RING];
            prof.low_weeks = 0;
            left.push(ProfRef::new(z as u16, i as u16));
        }
    }
    left
}

/// Tie statistics of a zone's GPs.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TieStats {
    /// Sum of trust.
    pub sum: f64,
    /// Ties.
    pub count: u64,
    /// Ties at or above the activity threshold.
    pub active: u64,
}

/// Ties fade without use; ties to posts whose holder left are forgotten. GPs age a week.
pub fn ties_zone(cell: &mut ZoneCell, p: &Params, departed: &[ProfRef]) -> TieStats {
    let keep = 1.0 - p.ties.decay_per_week.get() as f32;
    let prune = p.ties.prune_below.get() as f32;
    let active = p.ties.active_threshold.get() as f32;
    let mut st = TieStats::default();
    crate::model::warm_ties(&cell.gps);
    for gp in &mut cell.gps {
        gp.age += 1.0 / 52.0;
        // One pass: decay, forget, and count what is kept (only for practising GPs).
        let counted = gp.active;
        gp.ties.retain_mut(|t| {
            t.trust *= keep;
            let kept = t.trust >= prune && departed.binary_search(&t.prof).is_err();
            if kept && counted {
                st.sum += f64::from(t.trust);
                st.count += 1;
                st.active += u64::from(t.trust >= active);
            }
            kept
        });
    }
    st
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
}
