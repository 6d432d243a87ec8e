//! The referrals' targets and their room, the contested part of phase 4: whether each
//! referral's target has room is decided in zone order, by two threads at once when the
//! week is large, each with half of the targets ([`Halves`]); friction falls on the
//! professionals by the same halves.

use crate::engine::tasks::{Dest, PlatformTask, Referral};
use crate::engine::zone::Decision;
use crate::model::{ProfRef, Structure, World, ZoneCell};
use crate::scenario::{Params, StructureKind};

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
                // A platform keeps a queue; the follow-ups of pathways it holds are its own
                // cases, which it never refuses.
                let (queue_weeks, own_case) = if st.kind == StructureKind::Dac {
                    let queue_weeks = p.platform.max_queue_weeks.get() as f32;
                    (queue_weeks, r.handover == PlatformTask::FollowUp)
                } else {
                    (0.0, false)
                };
                if !st.active || !(own_case || st.has_room(queue_weeks)) {
                    return Decision::Refused;
                }
                st.used_this_week += 1.0;
                Decision::Service(sid)
            }
        }
    }
}
