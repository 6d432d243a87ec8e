//! Phase 5 ([`super::Phase::Coordinate`]): coordinators spend their week on concertation
//! meetings (ties among participants grow), complex cases (counted during consultations),
//! protocols (which raise delegation inside the structure) and networking
//! (inter-organisational ties). Training multiplies their effect. Each member decides whether
//! to take part in a meeting: the more control (GPs) or autonomy (professionals) it would
//! give up, the more it resists, and the less so as the coordinator's work shows results
//! (its legitimacy) and as its peers took part last time; refusals cost legitimacy (the Pacte
//! study).
//!
//! Zones run in parallel: a coordinator's week touches its own structure, the GPs of its own
//! zone and the inter-organisational ties. Inside a zone, structures go in id order (a
//! meeting's ties are seen by the next structure's meeting); each structure's new state and
//! its networking are then written back in structure-id order, so results do not depend on
//! the number of threads.

use super::counters::{kind_index, Counters};
use super::parallel::ZONES_PER_JOB;
use crate::model::{ProfRef, StructId, Structure, World, ZoneCell};
use crate::rng::{stream, Purpose};
use crate::scenario::Params;
use rand::Rng;
use rayon::prelude::*;

/// Partners a coordinator networks with each week: the nearest referral services.
pub const NETWORK_PARTNERS: usize = 3;

/// A structure's coordination state, worked on away from the territory's structures.
#[derive(Debug, Clone, Copy)]
struct State {
    legitimacy: f32,
    meeting_progress: f32,
    protocol_progress: f32,
    protocols: u32,
    attendance: f32,
    trained: bool,
}

impl State {
    fn of(s: &Structure) -> State {
        State {
            legitimacy: s.legitimacy,
            meeting_progress: s.meeting_progress,
            protocol_progress: s.protocol_progress,
            protocols: s.protocols,
            attendance: s.attendance,
            trained: s.trained,
        }
    }

    fn write(self, s: &mut Structure) {
        s.legitimacy = self.legitimacy;
        s.meeting_progress = self.meeting_progress;
        s.protocol_progress = self.protocol_progress;
        s.protocols = self.protocols;
        s.attendance = self.attendance;
        s.trained = self.trained;
    }

    /// Legitimacy after a gain ([`Structure::legitimacy_after_gain`]).
    fn gain_legitimacy(&mut self, amount: f32) {
        self.legitimacy = Structure::legitimacy_after_gain(self.legitimacy, amount);
    }
}

/// One coordinator's week, to be written back: its structure's state and its networking.
#[derive(Debug, Clone, Copy)]
struct Done {
    sid: StructId,
    state: State,
    partners: [StructId; NETWORK_PARTNERS],
    n_partners: usize,
    each: f32,
}

/// Whether a structure has a coordinator at work this week.
fn coordinated(s: &Structure) -> bool {
    s.active && s.coordinator_fte > 0.0 && s.kind.is_practice()
}

/// Runs every coordinator's week: zones in parallel, structures of a zone in id order, then
/// structures' states and networking written back in structure-id order.
pub fn coordinate(world: &mut World, p: &Params, seed: u64, week: u32, c: &mut Counters) {
    let World {
        cells,
        structures,
        services,
        org,
        ..
    } = &mut *world;
    let structures_ro = &*structures;
    let services = &*services;
    let per_zone: Vec<(Vec<Done>, Counters)> = cells
        .par_iter_mut()
        .enumerate()
        .with_max_len(ZONES_PER_JOB)
        .map(|(z, cell)| coordinate_zone(z, cell, structures_ro, services, p, seed, week))
        .collect();
    let mut done: Vec<Done> = Vec::new();
    for (zone_done, counted) in per_zone {
        c.add(&counted);
        done.extend(zone_done);
    }
    done.sort_unstable_by_key(|d| d.sid);
    for d in done {
        d.state.write(&mut structures[d.sid.idx()]);
        for &partner in &d.partners[..d.n_partners] {
            org.strengthen(d.sid, partner, d.each);
        }
    }
}

/// The coordinators' week in zone `z`, in structure-id order.
#[allow(clippy::too_many_arguments)]
fn coordinate_zone(
    z: usize,
    cell: &mut ZoneCell,
    structures: &[Structure],
    services: &[Vec<crate::model::Reach>],
    p: &Params,
    seed: u64,
    week: u32,
) -> (Vec<Done>, Counters) {
    let co = &p.coordination;
    let turnover = super::structural::weekly(co.coordinator_turnover_per_year.get());
    let mut done = Vec::new();
    let mut counted = Counters::default();
    debug_assert!(cell.structures.windows(2).all(|w| w[0] < w[1]));
    for k in 0..cell.structures.len() {
        let sid = cell.structures[k];
        let s = &structures[sid.idx()];
        if !coordinated(s) {
            continue;
        }
        debug_assert_eq!(s.zone as usize, z);
        let mut rng = stream(seed, Purpose::Coordination, sid.0, week);
        let mut st = State::of(s);
        // The coordinator leaves; a newcomer takes the post at once, untrained, and earns its
        // legitimacy anew.
        if rng.random::<f64>() < turnover {
            st.trained = false;
            st.legitimacy = co.legitimacy_initial.get() as f32;
            counted.coordinator_departures += 1;
        }
        let m = if st.trained {
            co.training_multiplier.get() as f32
        } else {
            1.0
        };
        let hours = f64::from(s.coordinator_fte) * co.hours_per_fte.get();
        let gain = co.legitimacy_gain.get() as f32 * m;
        let cases = cell.coord[s.slot as usize].cases;

        st.legitimacy *= 1.0 - co.legitimacy_decay.get() as f32;
        st.gain_legitimacy(gain * cases as f32);
        st.meeting_progress += (hours * co.meeting_share.get() / co.hours_per_meeting.get()) as f32;
        while st.meeting_progress >= 1.0 {
            st.meeting_progress -= 1.0;
            meeting(cell, s, &mut st, p, &mut rng, m, &mut counted);
        }

        if st.protocols < co.max_protocols {
            st.protocol_progress += (hours * co.protocol_share.get() / co.hours_per_protocol.get())
                as f32
                * m
                * st.legitimacy;
            while st.protocol_progress >= 1.0 && st.protocols < co.max_protocols {
                st.protocol_progress -= 1.0;
                let objections = protocol_objections(cell, s, &st, p, &mut rng);
                if protocol_adopted(objections, &mut rng) {
                    st.protocols += 1;
                    st.gain_legitimacy(gain);
                } else {
                    counted.protocols_rejected += 1;
                }
                let loss = co.legitimacy_loss.get() as f32 * objections.0 as f32;
                st.legitimacy = (st.legitimacy - loss).max(0.0);
            }
        }

        let net = hours * co.networking_share.get() * co.networking_tie_gain.get() * f64::from(m);
        let mut partners = [StructId(0); NETWORK_PARTNERS];
        let mut n_partners = 0;
        for r in services[z]
            .iter()
            .filter(|r| structures[r.structure.idx()].active)
            .take(NETWORK_PARTNERS)
        {
            partners[n_partners] = r.structure;
            n_partners += 1;
        }
        let each = (net / n_partners.max(1) as f64) as f32;
        done.push(Done {
            sid,
            state: st,
            partners,
            n_partners,
            each,
        });
    }
    (done, counted)
}

/// Probability that a member whose closedness is `closed` (a GP's control orientation, a
/// professional's autonomy demand: what taking part would make it give up) refuses a
/// meeting: `refusal_base` x closedness, lowered by the results it has seen
/// (`results_weight` x the coordinator's legitimacy, earned by useful work) and by its peers
/// (`peer_weight` x the share who took part in the last meeting).
pub fn refusal(p: &Params, closed: f32, legitimacy: f32, attendance: f32) -> f64 {
    let co = &p.coordination;
    co.refusal_base.get()
        * f64::from(closed)
        * (1.0 - co.results_weight.get() * f64::from(legitimacy)).max(0.0)
        * (1.0 - co.peer_weight.get() * f64::from(attendance)).max(0.0)
}

/// The members of structure `s` who object to a protocol its coordinator wrote, and the
/// members asked: a protocol sets how they share work, so each weighs it as it weighs a
/// meeting, objecting with `protocol_resistance` x [`refusal`] (what it would give up of its
/// control or autonomy, lowered by the coordinator's results and its peers' attendance).
fn protocol_objections<R: Rng>(
    cell: &ZoneCell,
    s: &Structure,
    st: &State,
    p: &Params,
    rng: &mut R,
) -> (u32, u32) {
    let weight = p.coordination.protocol_resistance.get();
    let mut objects = |closed: f32| {
        rng.random::<f64>() < weight * refusal(p, closed, st.legitimacy, st.attendance)
    };
    let (mut objections, mut asked) = (0u32, 0u32);
    for g in &s.gps {
        asked += 1;
        objections += u32::from(objects(cell.gps[g.idx as usize].control));
    }
    for &pi in &s.profs {
        let pr = &cell.profs[pi as usize];
        if pr.in_post() {
            asked += 1;
            objections += u32::from(objects(pr.autonomy));
        }
    }
    (objections, asked)
}

/// Whether a protocol with `(objections, asked)` is adopted: with the share of members who
/// agree to it as probability (a protocol nobody objects to always is).
fn protocol_adopted<R: Rng>((objections, asked): (u32, u32), rng: &mut R) -> bool {
    objections == 0 || rng.random::<f64>() >= f64::from(objections) / f64::from(asked.max(1))
}

/// A concertation meeting of structure `s` (standing in `cell`, its state in `st`): each
/// member refuses with probability [`refusal`] (refusals cost legitimacy); ties between
/// attending GPs and professionals grow.
fn meeting<R: Rng>(
    cell: &mut ZoneCell,
    s: &Structure,
    st: &mut State,
    p: &Params,
    rng: &mut R,
    m: f32,
    c: &mut Counters,
) {
    let co = &p.coordination;
    let refuses = |closed: f32| refusal(p, closed, st.legitimacy, st.attendance);
    let z = s.zone;
    let mut gps = Vec::with_capacity(s.gps.len());
    let mut refusals = 0u32;
    for g in &s.gps {
        // A GP would give up control: its closedness is its control orientation.
        if rng.random::<f64>() < refuses(cell.gps[g.idx as usize].control) {
            refusals += 1;
        } else {
            gps.push(g.idx);
        }
    }
    let mut profs = Vec::with_capacity(s.profs.len());
    for &pi in &s.profs {
        let pr = &cell.profs[pi as usize];
        if !pr.in_post() {
            continue;
        }
        if rng.random::<f64>() < refuses(pr.autonomy) {
            refusals += 1;
        } else {
            profs.push(pi);
        }
    }
    let attended = gps.len() + profs.len();
    let invited = attended + refusals as usize;
    if invited > 0 {
        st.attendance = attended as f32 / invited as f32;
    }
    let kind = kind_index(s.kind);
    let loss = co.legitimacy_loss.get() as f32;
    let held = gps.len() + profs.len() >= 2;
    st.legitimacy = (st.legitimacy - loss * refusals as f32).max(0.0);
    c.refusals += refusals;
    if !held {
        return;
    }
    st.gain_legitimacy(co.legitimacy_gain.get() as f32 * m);
    c.meetings += 1;
    c.by_kind[kind].meetings += 1;
    let gain = co.meeting_tie_gain.get() as f32 * m;
    let first = p.ties.first_contact.get() as f32;
    for &g in &gps {
        let gp = &mut cell.gps[g as usize];
        for &pi in &profs {
            gp.strengthen(ProfRef::new(z, pi), gain, first);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resistance_gives_way_to_results_and_to_peers_taking_part() {
        let p = Params::default();
        let base = p.coordination.refusal_base.get();
        let first = refusal(&p, 0.8, 0.0, 0.0);
        assert!((first - base * f64::from(0.8f32)).abs() < 1e-12);
        let results = refusal(&p, 0.8, 0.9, 0.0);
        let peers = refusal(&p, 0.8, 0.0, 0.9);
        let both = refusal(&p, 0.8, 0.9, 0.9);
        assert!(results < first && peers < first && both < results.min(peers));
        assert_eq!(
            refusal(&p, 0.0, 0.0, 0.0),
            0.0,
            "nothing to give up, nothing to resist"
        );
    }
}
