//! Steps 4–5 across zones: referrals outside the GP's structure are applied in zone order,
//! then patients without a GP who looked elsewhere settle in a linked zone.
//!
//! Targets take referrals while they have room, in a fixed order (source zone, then the
//! order the referrals were made), so results do not depend on which thread ran which zone.

use super::consult::ZoneOut;
use super::counters::{kind_index, Counters};
use super::tasks::{delegate_to_prof, Dest, Referral, Task};
use crate::model::{Structure, World, NONE16};
use crate::rng::{stream, Purpose};
use crate::scenario::{Params, Rurality, StructureKind};
use rand::Rng;
use rayon::prelude::*;

/// Two distinct elements of a slice, mutably.
pub fn pair_mut<T>(v: &mut [T], a: usize, b: usize) -> (&mut T, &mut T) {
    debug_assert_ne!(a, b);
    if a < b {
        let (x, y) = v.split_at_mut(b);
        (&mut x[a], &mut y[0])
    } else {
        let (x, y) = v.split_at_mut(a);
        (&mut y[0], &mut x[b])
    }
}

/// One end's factor of the gain of an inter-organisational tie from a referral: the gain is
/// the geometric mean of both ends' factors (seed 002: size,
/// age, coordinator, information system and rurality shape cooperation).
pub fn org_gain(p: &Params, s: &Structure, week: u32, rurality: Rurality) -> f32 {
    let o = &p.interorg;
    let members = (s.gps.len() + s.profs.len()) as f64;
    let mut g = o.referral_gain.get() * (1.0 + o.size_effect.get() * (1.0 + members).ln());
    g *= 1.0 + o.age_effect.get() * f64::from(s.age_at(week)).min(10.0) / 10.0;
    if s.coordinator_fte > 0.0 {
        g *= 1.0 + o.coordinator_effect.get();
    }
    if s.info_system {
        g *= 1.0 + o.info_system_effect.get();
    }
    if rurality == Rurality::Rural {
        g *= (1.0 + o.rural_effect.get()).max(0.0);
    }
    g.clamp(0.0, 1.0) as f32
}

/// Applies every zone's referrals and movers; flows are added to each zone's counters.
///
/// Only the decisions that compete for a target's room need the zone order; the follow-up
/// marks they leave on the referring zone's own patients (a random access each, the costly
/// part at national scale) are set afterwards, zone by zone in parallel. A mark is an OR of
/// bits, so the order in which a zone's marks are set does not change the result.
pub fn apply(world: &mut World, outs: &mut [ZoneOut], p: &Params, seed: u64, week: u32) {
    for (z, out) in outs.iter_mut().enumerate() {
        let mut rng = stream(seed, Purpose::Referral, z as u32, week);
        let ZoneOut {
            counters,
            referrals,
            follows,
            ..
        } = out;
        follows.clear();
        for r in referrals.iter() {
            if let Some(bit) = apply_one(world, counters, p, &mut rng, z, week, r) {
                follows.push((r.patient, bit, r.complex));
            }
        }
    }
    world
        .cells
        .par_iter_mut()
        .zip(outs.par_iter())
        .for_each(|(cell, out)| {
            for &(i, bit, complex) in &out.follows {
                if cell.patients.add_follow(i as usize, bit, complex) {
                    cell.complex_multi += 1;
                }
            }
        });
    for (z, out) in outs.iter_mut().enumerate() {
        let mut rng = stream(seed, Purpose::Settle, z as u32, week);
        let mut movers = std::mem::take(&mut out.movers);
        movers.sort_unstable_by(|a, b| b.cmp(a));
        for &i in &movers {
            settle_elsewhere(world, p, &mut rng, z, i as usize);
        }
    }
}

fn outcome<R: Rng>(c: &mut Counters, p: &Params, rng: &mut R, success: bool, complex: bool) {
    if success {
        c.met += 1;
    } else {
        c.unmet += 1;
        if complex && rng.random::<f64>() < p.outcomes.avoidable_hosp_per_unmet.get() {
            c.avoidable_hosp += 1;
        }
    }
}

/// Applies one referral; returns the follow-up mark it leaves on the patient, if any.
fn apply_one<R: Rng>(
    world: &mut World,
    c: &mut Counters,
    p: &Params,
    rng: &mut R,
    z: usize,
    week: u32,
    r: &Referral,
) -> Option<u8> {
    let bonus = if r.coordinated && r.complex {
        p.delegation.coordinated_success_bonus.get()
    } else {
        0.0
    };
    let gp_struct = world.cells[z].gps[r.gp as usize].structure;
    let from_kind = kind_index(world.structures[gp_struct.idx()].kind);
    match r.dest {
        Dest::Prof(pref) => {
            let (pz, pi) = (pref.zone(), pref.idx());
            let (gp, prof) = if pz == z {
                let cell = &mut world.cells[z];
                (&mut cell.gps[r.gp as usize], &mut cell.profs[pi])
            } else {
                let (a, b) = pair_mut(&mut world.cells, z, pz);
                (&mut a.gps[r.gp as usize], &mut b.profs[pi])
            };
            if !prof.take(week, r.task.weeks(p)) {
                c.refused += 1;
                outcome(c, p, rng, false, r.complex);
                return None;
            }
            let to_struct = prof.structure;
            let d = delegate_to_prof(rng, p, gp, pref, prof, bonus);
            c.outside += 1;
            c.prof_delegations += 1;
            c.by_kind[from_kind].referred += 1;
            if let Some(s) = to_struct {
                c.by_kind[kind_index(world.structures[s.idx()].kind)].received += 1;
            }
            if d.friction {
                c.friction += 1;
                c.by_kind[from_kind].friction += 1;
            }
            outcome(c, p, rng, d.success, r.complex);
            Some(r.task.follow_bit())
        }
        Dest::Service(sid) => {
            let st = &mut world.structures[sid.idx()];
            if !st.active || st.used_this_week + 1.0 > st.capacity_per_week {
                c.refused += 1;
                outcome(c, p, rng, false, r.complex);
                return None;
            }
            st.used_this_week += 1.0;
            let kind = st.kind;
            c.by_kind[from_kind].referred += 1;
            c.by_kind[kind_index(kind)].received += 1;
            // Both ends' size, age, coordinator, information system and rurality shape the tie.
            let from = org_gain(
                p,
                &world.structures[gp_struct.idx()],
                week,
                world.zones[z].rurality,
            );
            let to_zone = world.structures[sid.idx()].zone as usize;
            let to = org_gain(
                p,
                &world.structures[sid.idx()],
                week,
                world.zones[to_zone].rurality,
            );
            let gain = (from * to).sqrt();
            world.org.strengthen(gp_struct, sid, gain);
            let mark = if kind == StructureKind::Dac {
                c.platform += 1;
                let pivot = f64::from(world.cells[z].gps[r.gp as usize].pivot);
                let handover = r.task == Task::Coordination
                    && rng.random::<f64>() < p.delegation.pathway_handover.get() * (1.0 - pivot);
                if handover {
                    c.platform_pathway += 1;
                } else {
                    c.platform_ad_hoc += 1;
                }
                None
            } else {
                c.outside += 1;
                Some(r.task.follow_bit())
            };
            let success = rng.random::<f64>() < p.delegation.delegated_success.get() + bonus;
            outcome(c, p, rng, success, r.complex);
            mark
        }
    }
}

/// A patient without a GP settles with a GP with room in the nearest linked zone that has one.
fn settle_elsewhere<R: Rng>(world: &mut World, p: &Params, rng: &mut R, z: usize, i: usize) {
    if world.cells[z].patients.gp[i] != NONE16 {
        return;
    }
    let Some(to) = world.links[z]
        .iter()
        .map(|l| l.to as usize)
        .find(|&l| !world.cells[l].open_gps.is_empty())
    else {
        return;
    };
    let (from, dest) = pair_mut(&mut world.cells, z, to);
    let k = rng.random_range(0..dest.open_gps.len());
    let g = dest.open_gps[k];
    let gp = &mut dest.gps[g as usize];
    gp.list_size += 1;
    if gp.list_size >= p.workforce.gp_list_max {
        dest.open_gps.swap_remove(k);
    }
    let (next, f, fol) = from.patients.swap_remove(i);
    from.without_gp -= 1;
    let complex = (f.count_ones()) >= p.population.complex_threshold;
    let multi = complex && crate::model::Patients::multi(fol);
    if complex {
        from.complex_total -= 1;
        dest.complex_total += 1;
    }
    if multi {
        from.complex_multi -= 1;
        dest.complex_multi += 1;
    }
    dest.patients.push(next, g, f);
    let j = dest.patients.len() - 1;
    dest.patients.follow[j] = fol;
}
