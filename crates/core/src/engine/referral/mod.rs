//! Phase 4 ([`super::Phase::Refer`]), across zones: referrals outside the GP's structure are
//! applied in zone order, then patients without a GP who looked elsewhere settle in a linked
//! zone.
//!
//! Targets take referrals while they have room, in a fixed order (source zone, then the
//! order the referrals were made), so results do not depend on which thread ran which zone.

use super::counters::{kind_index, Counters};
use super::delegation::delegate_to_prof;
use super::parallel::ZONES_PER_JOB;
use super::platform;
use super::tasks::Referral;
use super::zone::{Decision, ZoneOut};
use crate::model::{ProfRef, StructId, Structure, World, ZoneCell};
use crate::rng::{stream, Purpose};
use crate::scenario::{Params, Rurality, StructureKind};
use rand::Rng;
use rayon::prelude::*;
use settle::settle_elsewhere;
use targets::{suffer_frictions, Halves, Targets, SPLIT_FROM};

mod settle;
mod targets;

/// One end's factor of the gain of an inter-organisational tie from a referral: the gain is
/// the geometric mean of both ends' factors (the MSP study: size, age, coordinator,
/// information system and rurality shape cooperation).
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
/// Three passes. Only the room of each target is contested between zones, so only that is
/// decided in zone order (source zone, then the order the referrals were made), each half of
/// the targets by its own thread (see [`Halves`]). The effects on each zone's own GPs,
/// patients and counters then follow zone by zone in parallel, each zone with its own random
/// stream in the order its referrals were made. Last, in zone order again and again by
/// halves, what falls on other zones: professionals' satisfaction after friction, and the
/// inter-organisational ties. Results are those of applying each referral whole in zone
/// order, whatever the number of threads.
pub fn apply(world: &mut World, outs: &mut [ZoneOut], p: &Params, seed: u64, week: u32) {
    let referrals = outs.iter().map(|o| o.referrals.len()).sum();
    let halves = Halves::of(world, referrals, SPLIT_FROM);
    apply_split(world, outs, p, seed, week, halves);
}

/// [`apply`], with the targets split into `halves`.
fn apply_split(
    world: &mut World,
    outs: &mut [ZoneOut],
    p: &Params,
    seed: u64,
    week: u32,
    halves: Halves,
) {
    let split = halves.splits(world);
    {
        let (cells_low, cells_high) = world.cells.split_at_mut(halves.zone);
        let (st_low, st_high) = world.structures.split_at_mut(halves.structure);
        let mut lists: [Vec<_>; 2] = [
            Vec::with_capacity(outs.len()),
            Vec::with_capacity(outs.len()),
        ];
        for out in outs.iter_mut() {
            let [a, b] = &mut out.decisions;
            lists[0].push((&out.referrals[..], a));
            lists[1].push((&out.referrals[..], b));
        }
        let [low_lists, high_lists] = lists;
        let low = Targets {
            side: 0,
            cells: cells_low,
            zone0: 0,
            structures: st_low,
            structure0: 0,
        };
        let high = Targets {
            side: 1,
            cells: cells_high,
            zone0: halves.zone,
            structures: st_high,
            structure0: halves.structure,
        };
        by_halves(
            split,
            || low.decide_all(halves, p, week, low_lists),
            || high.decide_all(halves, p, week, high_lists),
        );
    }
    {
        let World {
            cells,
            structures,
            zones,
            ..
        } = &mut *world;
        let (structures, zones) = (&*structures, &*zones);
        cells
            .par_iter_mut()
            .zip(outs.par_iter_mut())
            .enumerate()
            .with_max_len(ZONES_PER_JOB)
            .for_each(|(z, (cell, out))| {
                let mut rng = stream(seed, Purpose::Referral, z as u32, week);
                let ZoneOut {
                    counters,
                    referrals,
                    decisions,
                    frictions,
                    org,
                    marks,
                    ..
                } = out;
                frictions.clear();
                org.clear();
                marks.clear();
                let rurality = zones[z].rurality;
                if !referrals.is_empty() {
                    crate::model::prefetch_ties(&cell.gps);
                }
                let mut local = Local {
                    cell,
                    structures,
                    zones,
                    rurality,
                    p,
                    week,
                    c: counters,
                    frictions,
                    org,
                    marks,
                };
                // Each half's decisions come in the order of the referrals to its targets.
                let mut next = [0usize; 2];
                for r in referrals.iter() {
                    let side = halves.side(r.dest);
                    let d = decisions[side][next[side]];
                    next[side] += 1;
                    local.effects(&mut rng, r, d);
                }
                apply_marks(local.cell, local.marks);
            });
    }
    {
        let (cells_low, cells_high) = world.cells.split_at_mut(halves.zone);
        let frictions = || outs.iter().flat_map(|o| o.frictions.iter());
        by_halves(
            split,
            || suffer_frictions(cells_low, 0, p, frictions()),
            || suffer_frictions(cells_high, halves.zone, p, frictions()),
        );
        let ties = outs.iter().flat_map(|o| o.org.iter());
        let structures = world.structures.len();
        world
            .org
            .strengthen_in_order(halves.structure, structures, ties);
    }
    for (z, out) in outs.iter_mut().enumerate() {
        let mut rng = stream(seed, Purpose::Settle, z as u32, week);
        let mut movers = std::mem::take(&mut out.movers);
        movers.sort_unstable_by(|a, b| b.cmp(a));
        for &i in &movers {
            settle_elsewhere(world, p, &mut rng, z, i as usize);
        }
    }
}

/// Runs the first half's work and the second's: on two threads when the week `split`s.
fn by_halves(split: bool, low: impl FnOnce() + Send, high: impl FnOnce() + Send) {
    if split {
        rayon::join(low, high);
    } else {
        low();
        high();
    }
}

/// The outcome of an accepted referral: a need met, or a failed task (an unmet need).
fn outcome<R: Rng>(c: &mut Counters, p: &Params, rng: &mut R, success: bool, complex: bool) {
    if success {
        c.met += 1;
    } else {
        c.failed += 1;
        unmet(c, p, rng, complex);
    }
}

/// A need went unmet; a complex patient's may end in an avoidable hospitalisation.
fn unmet<R: Rng>(c: &mut Counters, p: &Params, rng: &mut R, complex: bool) {
    c.unmet += 1;
    if complex && rng.random::<f64>() < p.outcomes.avoidable_hosp_per_unmet.get() {
        c.avoidable_hosp += 1;
    }
}

/// One zone's side of its referrals: its GPs, patients and counters, and the effects on
/// others, queued for the last, zone-ordered pass.
struct Local<'a> {
    cell: &'a mut ZoneCell,
    structures: &'a [Structure],
    zones: &'a [crate::scenario::ZoneSpec],
    rurality: Rurality,
    p: &'a Params,
    week: u32,
    c: &'a mut Counters,
    frictions: &'a mut Vec<ProfRef>,
    org: &'a mut Vec<(StructId, StructId, f32)>,
    marks: &'a mut Vec<u64>,
}

/// A follow-up mark of a referral, packed so that sorting puts the patients in memory order:
/// patient, then the profession bit, then whether the patient is complex.
fn mark(patient: u32, bit: u8, complex: bool) -> u64 {
    (u64::from(patient) << 16) | (u64::from(bit) << 8) | u64::from(complex)
}

/// Applies a zone's follow-up marks in patient order rather than in the order the referrals
/// were made: a mark is an OR into the patient's mask, and a patient becomes followed by two
/// or more professions once, whatever the order of the marks, so the result is the same, and
/// the patients' masks are visited in memory order instead of one cache miss after another.
///
/// The masks are read once before they are written, in a loop whose reads do not wait for one
/// another (as [`crate::model::prefetch_lines`] does for ties): the writing loop then finds
/// them in the cache. Nationally that makes the two loops together 2.4 times faster than the
/// writing loop alone, whose reads of memory overlap little.
fn apply_marks(cell: &mut ZoneCell, marks: &mut [u64]) {
    marks.sort_unstable();
    let follow = &cell.patients.follow;
    let read = marks.iter().fold(0u8, |x, &m| {
        x ^ follow.get((m >> 16) as usize).copied().unwrap_or(0)
    });
    // Not `prefetch_lines`: the masks read are the marked patients', not one per line.
    std::hint::black_box(read);
    for &m in marks.iter() {
        let (patient, bit, complex) = ((m >> 16) as usize, (m >> 8) as u8, m & 1 == 1);
        cell.complex_multi += cell.patients.add_follow(patient, bit, complex);
    }
}

impl Local<'_> {
    fn effects<R: Rng>(&mut self, rng: &mut R, r: &Referral, d: Decision) {
        let p = self.p;
        let bonus = if r.coordinated && r.complex {
            p.delegation.coordinated_success_bonus.get()
        } else {
            0.0
        };
        let gp_struct = self.cell.gps[r.gp as usize].structure;
        let from_kind = usize::from(self.cell.gp_kind[r.gp as usize]);
        let c = &mut *self.c;
        let mark = match d {
            Decision::Refused => {
                c.refused += 1;
                unmet(c, p, rng, r.complex);
                return;
            }
            Decision::Prof { pref, autonomy, to } => {
                let gp = &mut self.cell.gps[r.gp as usize];
                let d = delegate_to_prof(rng, p, gp, pref, autonomy, bonus);
                c.outside += 1;
                c.prof_delegations += 1;
                c.by_kind[from_kind].referred += 1;
                if let Some(s) = to {
                    c.by_kind[from_kind].to_organisations += 1;
                    c.by_kind[kind_index(self.structures[s.idx()].kind)].received += 1;
                } else {
                    c.by_kind[from_kind].to_independents += 1;
                }
                if d.friction {
                    c.friction += 1;
                    c.by_kind[from_kind].friction += 1;
                    self.frictions.push(pref);
                }
                outcome(c, p, rng, d.success, r.complex);
                Some(r.task.follow_bit())
            }
            Decision::Service(sid) => {
                let st = &self.structures[sid.idx()];
                let kind = st.kind;
                c.by_kind[from_kind].referred += 1;
                c.by_kind[from_kind].to_organisations += 1;
                c.by_kind[kind_index(kind)].received += 1;
                // Both ends' size, age, coordinator, information system and rurality shape the tie.
                let week = self.week;
                let from = org_gain(p, &self.structures[gp_struct.idx()], week, self.rurality);
                let to = org_gain(p, st, week, self.zones[st.zone as usize].rurality);
                self.org.push((gp_struct, sid, (from * to).sqrt()));
                let mark = if kind == StructureKind::Dac {
                    let patient = r.patient as usize;
                    platform::taken(rng, p, self.cell, c, patient, r.handover);
                    None
                } else {
                    c.outside += 1;
                    Some(r.task.follow_bit())
                };
                let success = rng.random::<f64>() < p.delegation.delegated_success.get() + bonus;
                outcome(c, p, rng, success, r.complex);
                mark
            }
        };
        if let Some(bit) = mark {
            self.marks.push(self::mark(r.patient, bit, r.complex));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::tasks::{Dest, PlatformTask, Task};
    use crate::model::{follow, NONE16};
    use crate::rng::{stream, Purpose};

    /// Marks applied in patient order leave every mask and the count of complex patients
    /// followed by two or more professions as marks applied in the order made would.
    #[test]
    fn follow_marks_in_patient_order_give_the_same_masks_and_count() {
        let bits = [
            follow::GP,
            follow::PSYCHOLOGIST,
            follow::SOCIAL,
            follow::NURSE,
        ];
        let mut rng = stream(9, Purpose::Referral, 0, 0);
        for _ in 0..50 {
            let n = 40usize;
            let mut cell = ZoneCell::default();
            for i in 0..n {
                cell.patients.push(1, NONE16, 0);
                // Some patients already followed by one or two professions.
                cell.patients.follow[i] = [0, follow::GP, follow::GP | follow::NURSE][i % 3];
            }
            let complex: Vec<bool> = (0..n).map(|_| rng.random::<bool>()).collect();
            let made: Vec<(u32, u8)> = (0..rng.random_range(0..120))
                .map(|_| {
                    let i = rng.random_range(0..n as u32);
                    (i, bits[rng.random_range(0..bits.len())])
                })
                .collect();
            let mut in_order = cell.clone();
            for &(i, bit) in &made {
                in_order.complex_multi +=
                    in_order
                        .patients
                        .add_follow(i as usize, bit, complex[i as usize]);
            }
            let mut marks: Vec<u64> = made
                .iter()
                .map(|&(i, bit)| mark(i, bit, complex[i as usize]))
                .collect();
            apply_marks(&mut cell, &mut marks);
            assert_eq!(cell.patients.follow, in_order.patients.follow);
            assert_eq!(cell.complex_multi, in_order.complex_multi);
            assert!(marks.windows(2).all(|w| w[0] <= w[1]));
        }
    }

    /// Two threads deciding the targets' room by halves, then applying friction and
    /// organisational ties by halves, leave the world and every zone's counters as one pass
    /// does: random referrals from every zone to professionals and services anywhere, enough
    /// for targets to fill up.
    #[test]
    fn halves_give_the_results_of_one_pass() {
        let s = crate::Scenario::default_scenario().expect("the default scenario");
        let mut world = crate::model::build::build(&s);
        let p = &s.params;
        // The start of the week notes each GP's kind of structure, which the effects read.
        for cell in world.cells.iter_mut() {
            crate::engine::prepare::prepare_zone(cell, &world.structures, p, 60);
        }
        let services: Vec<StructId> = (0..world.structures.len() as u32)
            .map(StructId)
            .filter(|&sid| !world.structures[sid.idx()].kind.is_practice())
            .collect();
        assert!(!services.is_empty());
        let tasks = [
            Task::Psych,
            Task::Social,
            Task::Education,
            Task::Coordination,
        ];
        let mut rng = stream(5, Purpose::Referral, 0, 0);
        let mut outs = vec![ZoneOut::default(); world.cells.len()];
        for (cell, out) in world.cells.iter().zip(outs.iter_mut()) {
            if cell.gps.is_empty() || cell.patients.is_empty() {
                continue;
            }
            for _ in 0..600 {
                let tz = rng.random_range(0..world.cells.len());
                let dest = if rng.random::<f64>() < 0.8 && !world.cells[tz].profs.is_empty() {
                    let i = rng.random_range(0..world.cells[tz].profs.len());
                    Dest::Prof(ProfRef::new(tz as u16, i as u16))
                } else {
                    Dest::Service(services[rng.random_range(0..services.len())])
                };
                out.referrals.push(Referral {
                    dest,
                    task: tasks[rng.random_range(0..tasks.len())],
                    gp: rng.random_range(0..cell.gps.len()) as u16,
                    patient: rng.random_range(0..cell.patients.len()) as u32,
                    complex: rng.random(),
                    coordinated: rng.random(),
                    handover: [
                        PlatformTask::AdHoc,
                        PlatformTask::Pathway,
                        PlatformTask::FollowUp,
                    ][rng.random_range(0..3)],
                });
            }
        }
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .expect("a thread pool");
        let run = |halves: Halves| {
            let (mut w, mut o) = (world.clone(), outs.clone());
            pool.install(|| apply_split(&mut w, &mut o, p, 5, 60, halves));
            (w, o)
        };
        let (zones, structures) = (world.cells.len(), world.structures.len());
        let (whole, whole_outs) = run(Halves {
            zone: zones,
            structure: structures,
        });
        assert!(whole_outs.iter().all(|o| o.decisions[1].is_empty()));
        let refused: u64 = whole_outs.iter().map(|o| o.counters.refused).sum();
        let taken: u64 = whole_outs.iter().map(|o| o.counters.outside).sum();
        assert!(refused > 0 && taken > 0, "{refused} refused, {taken} taken");
        let middle_service = services[services.len() / 2].idx();
        for (zone, structure) in [
            (zones / 2, middle_service),
            (1, structures / 2),
            (zones - 1, 0),
            (0, middle_service + 1),
        ] {
            let halves = Halves { zone, structure };
            let (split, split_outs) = run(halves);
            // Both halves decided something.
            for side in [0, 1] {
                assert!(split_outs.iter().any(|o| !o.decisions[side].is_empty()));
            }
            assert!(split.cells == whole.cells, "{halves:?}");
            assert!(split.structures == whole.structures, "{halves:?}");
            assert!(split.org.iter().eq(whole.org.iter()), "{halves:?}");
            assert_eq!(split.org.len(), whole.org.len());
            for (a, b) in split_outs.iter().zip(&whole_outs) {
                assert_eq!(a.counters, b.counters);
            }
        }
        // A week with few referrals, or one thread, keeps every target in one half.
        assert!(!Halves::of(&world, SPLIT_FROM - 1, SPLIT_FROM).splits(&world));
        let two = pool.install(|| Halves::of(&world, SPLIT_FROM, SPLIT_FROM));
        assert!(
            two.splits(&world) && two.zone > 0 && two.zone < zones,
            "{two:?}"
        );
    }
}
