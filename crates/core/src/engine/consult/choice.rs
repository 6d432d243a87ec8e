//! The GP's choice for one task found in a consultation (phase 3): doing it alone, dropping
//! it, delegating it inside the structure, or referring it to an independent, a hospital,
//! social services or a platform (a multinomial logit over utilities; `docs/MODEL.md` gives
//! the formulas), and the local effects of the choice. Referrals outside go to the zone's
//! outbox, for phase 4.

use super::logit::{exp, pick};
use super::work::{ZoneWork, PLATFORM_AT_HAND, SERVICE_KINDS};
use crate::engine::counters::kind_index;
use crate::engine::delegation::{accommodate, draws_friction, refused_by_prof, work_with_prof};
use crate::engine::directory::DIRECTORY_SIZE;
use crate::engine::platform::handover_log_odds;
use crate::engine::tasks::{Dest, Job, PlatformTask, Referral, Task};
use crate::model::{ProfRef, Reach, StructId};
use crate::scenario::StructureKind;
use rand::Rng;

/// Most options a GP weighs for one task: alone, drop, inside, the directory's candidates,
/// a service and a platform.
const MAX_OPTIONS: usize = 5 + DIRECTORY_SIZE;

/// What a GP can do with a task.
#[derive(Clone, Copy)]
enum Choice {
    Alone,
    Drop,
    InsideProf(u16),
    InsideCoordinator,
    Out(Dest),
    Platform(StructId),
}

/// The options a GP weighs for one task, with their utilities.
struct Options {
    choices: [Choice; MAX_OPTIONS],
    utility: [f64; MAX_OPTIONS],
    len: usize,
    /// The largest utility: what `f64::max` over them gives (a NaN is never the largest),
    /// kept as they come, since a fold over the options after them cost about 100
    /// instructions a task (`docs/PERFORMANCE.md`). Where `f64::max` might pick the other
    /// zero of two, every weight is the same (`x - 0.0 == x - -0.0`, and `exp` of either
    /// zero is 1).
    max: f64,
}

impl Options {
    fn new() -> Options {
        Options {
            choices: [Choice::Drop; MAX_OPTIONS],
            utility: [0.0; MAX_OPTIONS],
            len: 0,
            max: f64::NEG_INFINITY,
        }
    }

    #[inline]
    fn push(&mut self, choice: Choice, utility: f64) {
        self.choices[self.len] = choice;
        self.utility[self.len] = utility;
        self.len += 1;
        self.max = if utility > self.max {
            utility
        } else {
            self.max
        };
    }
}

/// The GP's choice for one task (a logit over the options at hand), and its local effects.
/// Returns true if a coordinator of the structure took the patient's case.
pub(super) fn choose(w: &mut ZoneWork<'_, '_>, job: Job) -> bool {
    let Job { gp: g, task, .. } = job;
    let ctx = w.ctx;
    let p = ctx.p;
    let d = &p.delegation;
    let sid = w.cell.gps[g].structure;
    let s = &ctx.structures[sid.idx()];
    let kind = kind_index(s.kind);
    w.out.counters.tasks += 1;
    w.out.counters.by_kind[kind].tasks += 1;
    if task == Task::Coordination && w.cell.patients.held(job.patient) && follow_up(w, job) {
        return false;
    }
    let gp = &w.cell.gps[g];

    let ce = f64::from(s.coordination_effect(p.coordination.training_multiplier.get() as f32));
    // A coordinator lowers the cost of delegating inside and of referring outside; a
    // shared information system only inside the structure.
    let cost_factor = 1.0 - d.coordinator_cost_reduction.get() * ce;
    let inside_factor = if s.info_system {
        cost_factor * (1.0 - d.info_system_cost_reduction.get())
    } else {
        cost_factor
    };
    let base = d.delegate_base.get() + d.propensity_weight.get() * f64::from(gp.delegation);
    let (tw, cw, dw) = (
        d.trust_weight.get(),
        d.capacity_weight.get(),
        d.distance_weight.get(),
    );
    let load = f64::from(gp.used / gp.capacity.max(1.0));
    let mut opts = Options::new();
    opts.push(
        Choice::Drop,
        d.drop_base.get() + d.overload_weight.get() * load,
    );
    // Doing it alone takes GP time: only a GP with that time left can.
    if gp.used + d.alone_gp_time.get() as f32 <= gp.capacity {
        opts.push(
            Choice::Alone,
            d.alone_base.get() + d.pivot_weight.get() * f64::from(gp.pivot),
        );
    }

    // Inside the structure.
    match task.profession() {
        Some(prof) => {
            let mut best: Option<(u16, f64)> = None;
            for &pi in &s.profs {
                let pr = &w.cell.profs[pi as usize];
                let free = pr.free_share();
                if pr.profession != prof || free <= 0.0 {
                    continue;
                }
                let score =
                    tw * f64::from(gp.trust(ProfRef::new(w.z as u16, pi))) + cw * f64::from(free);
                if best.is_none_or(|(_, b)| score > b) {
                    best = Some((pi, score));
                }
            }
            if let Some((pi, score)) = best {
                let u = base + score - d.inside_cost.get() * inside_factor
                    + d.protocol_weight.get() * f64::from(s.protocols);
                opts.push(Choice::InsideProf(pi), u);
            }
        }
        None => {
            if s.coordinator_fte > 0.0 && w.cell.coord[s.slot as usize].case_slots >= 1.0 {
                let u =
                    base + tw * f64::from(s.legitimacy) + cw - d.inside_cost.get() * inside_factor;
                opts.push(Choice::InsideCoordinator, u);
            }
        }
    }
    // Independent professionals nearby: each candidate is an option of its own.
    if let Some(slot) = task.directory_slot() {
        let cands = &ctx.directory.zones[w.z][slot];
        let trust = w.out.dir_trust.get(g, gp, slot, cands);
        for (c, &trust) in cands.iter().zip(trust) {
            let score =
                tw * f64::from(trust) + cw * f64::from(c.free) - dw * f64::from(c.minutes) / 60.0;
            opts.push(
                Choice::Out(Dest::Prof(c.prof)),
                base + score - d.outside_cost.get() * cost_factor,
            );
        }
    }
    // A hospital or social services, and a support platform.
    let at_hand = w.at_hand;
    let service = |k: StructureKind| {
        SERVICE_KINDS
            .iter()
            .position(|&s| s == k)
            .and_then(|i| at_hand[i])
    };
    let org_term = |r: Reach| {
        let st = &ctx.structures[r.structure.idx()];
        cw * f64::from(st.free_share())
            + d.org_tie_weight.get() * f64::from(ctx.org.get(sid, r.structure))
            - dw * f64::from(r.minutes) / 60.0
    };
    if let Some(r) = task.service_kind().and_then(service) {
        opts.push(
            Choice::Out(Dest::Service(r.structure)),
            base + org_term(r) - d.outside_cost.get() * cost_factor,
        );
    }
    if task.platform_takes() {
        if let Some(r) = service(StructureKind::Dac) {
            // The platform's queue, as it stood at the start of the week, puts GPs off.
            let wait = f64::from(ctx.structures[r.structure.idx()].waiting_weeks());
            opts.push(
                Choice::Platform(r.structure),
                base + org_term(r) - d.platform_cost.get() - p.platform.wait_weight.get() * wait,
            );
        }
    }

    let n = opts.len;
    let mut weights = [0.0f64; MAX_OPTIONS];
    let mut total = 0.0;
    for (weight, &utility) in weights.iter_mut().zip(&opts.utility[..n]) {
        *weight = exp(utility - opts.max);
        total += *weight;
    }
    let u = w.rng.random::<f64>() * total;
    apply(w, job, opts.choices[pick(&weights[..n], u)])
}

/// The local effects of `choice` for `job`; true if a coordinator took the patient's case.
fn apply(w: &mut ZoneWork<'_, '_>, job: Job, choice: Choice) -> bool {
    let Job {
        patient: i,
        gp: g,
        task,
        complex,
        coordinated,
    } = job;
    let p = w.ctx.p;
    let bonus = if coordinated && complex {
        p.delegation.coordinated_success_bonus.get()
    } else {
        0.0
    };
    let kind = usize::from(w.cell.gp_kind[g]);
    match choice {
        Choice::Alone => {
            w.out.counters.alone += 1;
            w.cell.gps[g].used += p.delegation.alone_gp_time.get() as f32;
            if w.coin(p.delegation.alone_success.get() + bonus) {
                w.out.counters.met += 1;
            } else {
                w.out.counters.failed_alone += 1;
                w.failed(complex);
            }
        }
        Choice::Drop => {
            w.out.counters.dropped += 1;
            w.unmet(complex);
        }
        Choice::InsideProf(pi) => {
            let week = w.ctx.week;
            let pref = ProfRef::new(w.z as u16, pi);
            let autonomy = w.cell.profs[pi as usize].autonomy;
            // The GP sets the terms (timing and scope): control beyond the professional's
            // tolerance causes friction, and the professional may refuse the task.
            let friction = draws_friction(&mut w.rng, p, w.cell.gps[g].control, autonomy);
            let refuses = friction && w.coin(p.control.friction_refusal.get());
            w.out.dir_trust.forget(g);
            let cell = &mut *w.cell;
            let prof = &mut cell.profs[pi as usize];
            let c = &mut w.out.counters;
            c.prof_delegations += 1;
            if friction {
                prof.suffer_friction(p);
                c.friction += 1;
                c.by_kind[kind].friction += 1;
            }
            if refuses {
                refused_by_prof(p, &mut cell.gps[g], pref, autonomy);
                c.refused += 1;
                c.resisted += 1;
                w.unmet(complex);
                return false;
            }
            prof.take(&mut cell.releases[pi as usize], week, task.weeks(p));
            let r = work_with_prof(
                &mut w.rng,
                p,
                &mut cell.gps[g],
                pref,
                autonomy,
                bonus,
                friction,
            );
            if r.success && !friction {
                prof.autonomy = accommodate(p, cell.gps[g].control, autonomy);
            }
            let c = &mut w.out.counters;
            c.inside += 1;
            c.by_kind[kind].inside += 1;
            w.follow(i, task.follow_bit(), complex);
            if r.success {
                w.out.counters.met += 1;
            } else {
                w.failed(complex);
            }
        }
        Choice::InsideCoordinator => {
            let slot = w.ctx.structures[w.cell.gps[g].structure.idx()].slot as usize;
            let cw = &mut w.cell.coord[slot];
            cw.case_slots -= 1.0;
            cw.cases += 1;
            w.out.counters.inside += 1;
            w.out.counters.by_kind[kind].inside += 1;
            if w.coin(p.delegation.delegated_success.get()) {
                w.out.counters.met += 1;
            } else {
                w.failed(complex);
            }
            return true;
        }
        Choice::Out(dest) => refer(w, job, dest, PlatformTask::AdHoc),
        Choice::Platform(sid) => {
            let handover = if task == Task::Coordination && hands_over_pathway(w, job, sid) {
                PlatformTask::Pathway
            } else {
                PlatformTask::AdHoc
            };
            refer(w, job, Dest::Service(sid), handover);
        }
    }
    false
}

/// A coordination task of a patient whose pathway a platform holds: it goes to the nearest
/// platform at hand, without the GP's choice or time (true). With no platform at hand any
/// more, the GP takes the pathway back and chooses as for any task (false).
fn follow_up(w: &mut ZoneWork<'_, '_>, job: Job) -> bool {
    match w.at_hand[PLATFORM_AT_HAND] {
        Some(r) => {
            refer(w, job, Dest::Service(r.structure), PlatformTask::FollowUp);
            true
        }
        None => {
            w.cell.hold_pathway(job.patient, false);
            false
        }
    }
}

/// Whether the GP hands platform `sid` the whole pathway of coordination task `job` rather
/// than the task alone: a coin of probability logistic([`handover_log_odds`]) of the GP's
/// week so far, the patient's needs, the GP's structure's tie with the platform and the GP's
/// pivot attachment.
fn hands_over_pathway(w: &mut ZoneWork<'_, '_>, job: Job, sid: StructId) -> bool {
    let p = w.ctx.p;
    let gp = &w.cell.gps[job.gp];
    let x = handover_log_odds(
        p,
        f64::from(gp.used / gp.capacity.max(1.0)),
        w.cell.patients.profile[job.patient].count_ones(),
        f64::from(w.ctx.org.get(gp.structure, sid)),
        f64::from(gp.pivot),
    );
    w.coin(1.0 / (1.0 + exp(-x)))
}

/// A referral of `job` to `dest`, into the zone's outbox for phase 4.
fn refer(w: &mut ZoneWork<'_, '_>, job: Job, dest: Dest, handover: PlatformTask) {
    w.out.referrals.push(Referral {
        dest,
        task: job.task,
        gp: job.gp as u16,
        patient: job.patient as u32,
        complex: job.complex,
        coordinated: job.coordinated,
        handover,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn weights_from_the_running_maximum_are_those_from_f64_max_over_the_options() {
        let mut rng = crate::rng::stream(9, crate::rng::Purpose::Consult, 0, 0);
        let special = [0.0, -0.0, f64::NAN, 3.5, -700.0, 1e-300];
        for _ in 0..2000 {
            let mut opts = Options::new();
            let n = rng.random_range(1..=MAX_OPTIONS);
            for _ in 0..n {
                let u = if rng.random::<f64>() < 0.4 {
                    special[rng.random_range(0..special.len())]
                } else {
                    rng.random_range(-8.0..8.0)
                };
                opts.push(Choice::Drop, u);
            }
            let utility = &opts.utility[..opts.len];
            let max = utility.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            for &u in utility {
                let (a, b) = (exp(u - opts.max), exp(u - max));
                assert!(
                    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()),
                    "{utility:?}"
                );
            }
        }
    }
}
