//! The referrals' contested part, the room of each target, decided by two threads at once:
//! each takes half of the targets and goes through every referral in zone order (see
//! [`Halves`]). Friction falls on professionals by the same halves.

use super::Decision;
use crate::engine::tasks::{Dest, Referral};
use crate::model::{ProfRef, Structure, World, ZoneCell};
use crate::scenario::Params;

/// Which of two threads decides a target's room: professionals of zones before `zone` and
/// structures before `structure` are one thread's, the others the other's. A target's room
/// depends only on the referrals made to it before, so each thread goes through all the
/// referrals in zone order and decides those to its own targets: the same decisions as one
/// pass, whatever the split. One thread keeps every target when there is one, or when the
/// week has fewer than [`SPLIT_FROM`] referrals.
#[derive(Debug, Clone, Copy)]
pub(super) struct Halves {
    /// The first zone whose professionals are the second half's.
    pub(super) zone: usize,
    /// The first structure id that is the second half's.
    pub(super) structure: usize,
}

/// Referrals in a week from which two threads share the decisions: below it (a département
/// makes about 1,500 a week, France about 300,000), waking a second thread three times a week
/// costs more than it saves.
pub(super) const SPLIT_FROM: usize = 16_384;

impl Halves {
    /// Halves with about as many professionals each (all in the first with one thread or
    /// fewer than [`SPLIT_FROM`] referrals). Structures are split at the middle id, which
    /// halves the organisational ties' ends (most are GPs' practices); the named structures
    /// come first, so the services' room (a few percent of the referrals) is mostly decided
    /// by the first thread.
    pub(super) fn of(world: &World, referrals: usize, split_from: usize) -> Halves {
        let (zones, structures) = (world.cells.len(), world.structures.len());
        if rayon::current_num_threads() < 2 || referrals < split_from {
            return Halves {
                zone: zones,
                structure: structures,
            };
        }
        let total: usize = world.cells.iter().map(|c| c.profs.len()).sum();
        let mut seen = 0;
        let zone = world
            .cells
            .iter()
            .position(|c| {
                seen += c.profs.len();
                2 * seen > total
            })
            .map_or(zones, |z| z + 1);
        Halves {
            zone,
            structure: structures / 2,
        }
    }

    /// Whether the second half has any target (otherwise no second thread is woken).
    pub(super) fn splits(self, world: &World) -> bool {
        self.zone < world.cells.len() || self.structure < world.structures.len()
    }

    /// 0 for the first half's targets, 1 for the second's.
    #[inline]
    pub(super) fn side(self, dest: Dest) -> usize {
        usize::from(match dest {
            Dest::Prof(pref) => pref.zone() >= self.zone,
            Dest::Service(sid) => sid.idx() >= self.structure,
        })
    }
}

/// The friction of `frictions` that falls on the professionals of `cells` (zones `zone0..`),
/// in order.
pub(super) fn suffer_frictions<'a>(
    cells: &mut [ZoneCell],
    zone0: usize,
    p: &Params,
    frictions: impl Iterator<Item = &'a ProfRef>,
) {
    if cells.is_empty() {
        // A half without professionals (one thread's week): nothing to look through.
        return;
    }
    for pref in frictions {
        if let Some(cell) = pref
            .zone()
            .checked_sub(zone0)
            .and_then(|z| cells.get_mut(z))
        {
            cell.profs[pref.idx()].suffer_friction(p);
        }
    }
}

/// One half's targets (see [`Halves`]): the professionals of zones `zone0..` in `cells`,
/// and the structures `structure0..` in `structures`.
pub(super) struct Targets<'a> {
    pub(super) side: usize,
    pub(super) cells: &'a mut [ZoneCell],
    pub(super) zone0: usize,
    pub(super) structures: &'a mut [Structure],
    pub(super) structure0: usize,
}

impl Targets<'_> {
    /// Whether the half has no target.
    pub(super) fn is_empty(&self) -> bool {
        self.cells.is_empty() && self.structures.is_empty()
    }

    /// Decides, for each zone in order, its referrals to this half's targets, in the order
    /// they were made, into that zone's list of this half's decisions.
    pub(super) fn decide_all(
        mut self,
        halves: Halves,
        p: &Params,
        week: u32,
        lists: Vec<(&[Referral], &mut Vec<Decision>)>,
    ) {
        let idle = self.is_empty();
        for (referrals, decisions) in lists {
            decisions.clear();
            if idle {
                continue;
            }
            for r in referrals {
                if halves.side(r.dest) == self.side {
                    decisions.push(self.decide(p, week, r));
                }
            }
        }
    }

    /// Whether the referral's target has room, taking it if so.
    fn decide(&mut self, p: &Params, week: u32, r: &Referral) -> Decision {
        match r.dest {
            Dest::Prof(pref) => {
                let cell = &mut self.cells[pref.zone() - self.zone0];
                let prof = &mut cell.profs[pref.idx()];
                if !prof.take(&mut cell.releases[pref.idx()], week, r.task.weeks(p)) {
                    return Decision::Refused;
                }
                Decision::Prof {
                    pref,
                    autonomy: prof.autonomy,
                    to: prof.structure,
                }
            }
            Dest::Service(sid) => {
                let st = &mut self.structures[sid.idx() - self.structure0];
                if !st.active || st.used_this_week + 1.0 > st.capacity_per_week {
                    return Decision::Refused;
                }
                st.used_this_week += 1.0;
                Decision::Service(sid)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::ZoneOut;
    use super::*;
    use crate::engine::tasks::Task;
    use crate::model::StructId;
    use crate::rng::{stream, Purpose};
    use rand::Rng;

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
            crate::engine::upkeep::prepare_zone(cell, &world.structures, p, 60);
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
                });
            }
        }
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .expect("a thread pool");
        let run = |halves: Halves| {
            let (mut w, mut o) = (world.clone(), outs.clone());
            pool.install(|| super::super::apply_split(&mut w, &mut o, p, 5, 60, halves));
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
