//! Step 6: coordinators spend their week on concertation meetings (ties among participants
//! grow), complex cases (counted during consultations), protocols (which raise delegation
//! inside the structure) and networking (inter-organisational ties). Training multiplies
//! their effect; refusals to take part cost legitimacy (seed 001).

use super::counters::{kind_index, Counters};
use crate::model::{ProfRef, StructId, World};
use crate::rng::{stream, Purpose};
use crate::scenario::Params;
use rand::Rng;

/// Partners a coordinator networks with each week: the nearest referral services.
pub const NETWORK_PARTNERS: usize = 3;

/// Runs every coordinator's week, in structure order.
pub fn coordinate(world: &mut World, p: &Params, seed: u64, week: u32, c: &mut Counters) {
    let co = &p.coordination;
    for sid in 0..world.structures.len() {
        let s = &world.structures[sid];
        if !s.active || s.coordinator_fte <= 0.0 || !s.kind.is_practice() {
            continue;
        }
        let mut rng = stream(seed, Purpose::Coordination, sid as u32, week);
        let m = if s.trained {
            co.training_multiplier.get() as f32
        } else {
            1.0
        };
        let hours = f64::from(s.coordinator_fte) * co.hours_per_fte.get();
        let gain = co.legitimacy_gain.get() as f32 * m;
        let z = s.zone as usize;
        let cases = world.cells[z].coord[s.slot as usize].cases;

        let s = &mut world.structures[sid];
        s.legitimacy *= 1.0 - co.legitimacy_decay.get() as f32;
        s.gain_legitimacy(gain * cases as f32);
        s.meeting_progress += (hours * co.meeting_share.get() / co.hours_per_meeting.get()) as f32;
        while world.structures[sid].meeting_progress >= 1.0 {
            world.structures[sid].meeting_progress -= 1.0;
            meeting(world, p, &mut rng, StructId(sid as u32), m, c);
        }

        let s = &mut world.structures[sid];
        if s.protocols < co.max_protocols {
            s.protocol_progress += (hours * co.protocol_share.get() / co.hours_per_protocol.get())
                as f32
                * m
                * s.legitimacy;
            while s.protocol_progress >= 1.0 && s.protocols < co.max_protocols {
                s.protocol_progress -= 1.0;
                s.protocols += 1;
                s.gain_legitimacy(gain);
            }
        }

        let net = hours * co.networking_share.get() * co.networking_tie_gain.get() * f64::from(m);
        let partners: Vec<StructId> = world.services[z]
            .iter()
            .filter(|r| world.structures[r.structure.idx()].active)
            .take(NETWORK_PARTNERS)
            .map(|r| r.structure)
            .collect();
        let each = (net / partners.len().max(1) as f64) as f32;
        for partner in partners {
            world.org.strengthen(StructId(sid as u32), partner, each);
        }
    }
}

/// A concertation meeting: members with low openness may refuse (costing legitimacy); ties
/// between attending GPs and professionals grow.
fn meeting<R: Rng>(
    world: &mut World,
    p: &Params,
    rng: &mut R,
    sid: StructId,
    m: f32,
    c: &mut Counters,
) {
    let co = &p.coordination;
    let refusal = co.refusal_base.get();
    let s = &world.structures[sid.idx()];
    let z = s.zone as usize;
    let cell = &world.cells[z];
    let mut gps = Vec::with_capacity(s.gps.len());
    let mut refusals = 0u32;
    for g in &s.gps {
        // Openness of a GP is 1 - control orientation: refusal = base * control.
        if rng.random::<f64>() < refusal * f64::from(cell.gps[g.idx as usize].control) {
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
        if rng.random::<f64>() < refusal * f64::from(pr.autonomy) {
            refusals += 1;
        } else {
            profs.push(pi);
        }
    }
    let kind = kind_index(s.kind);
    let loss = co.legitimacy_loss.get() as f32;
    let held = gps.len() + profs.len() >= 2;
    let s = &mut world.structures[sid.idx()];
    s.legitimacy = (s.legitimacy - loss * refusals as f32).max(0.0);
    c.refusals += refusals;
    if !held {
        return;
    }
    s.gain_legitimacy(co.legitimacy_gain.get() as f32 * m);
    c.meetings += 1;
    c.by_kind[kind].meetings += 1;
    let gain = co.meeting_tie_gain.get() as f32 * m;
    let first = p.ties.first_contact.get() as f32;
    let cell = &mut world.cells[z];
    for &g in &gps {
        let gp = &mut cell.gps[g as usize];
        for &pi in &profs {
            gp.strengthen(ProfRef::new(z as u16, pi), gain, first);
        }
    }
}
