//! New members of a territory and how they join it: GPs, support professionals and structures
//! in their starting state (traits drawn from the scenario's distributions), added to a zone
//! and tied to their structure's members, when the world is built and during a run
//! (interventions, arrivals, replacements).

use super::{Gp, GpRef, Prof, ProfRef, StructId, Structure, ZoneCell, NONE16, RELEASE_RING};
use crate::rng::unit_normal;
use crate::scenario::{Params, Profession, StructureKind};
use rand::Rng;

/// A new GP with traits drawn from the scenario's distributions.
pub fn new_gp<R: Rng>(rng: &mut R, p: &Params, structure: StructId, age: Option<f32>) -> Gp {
    let t = &p.gp_traits;
    let sd = t.trait_sd.get();
    let w = &p.workforce;
    let age = age.unwrap_or_else(|| {
        (w.gp_age_mean.get() + w.gp_age_sd.get() * crate::rng::normal(rng)).clamp(28.0, 75.0) as f32
    });
    Gp {
        active: true,
        structure,
        age,
        capacity: w.gp_consultations_per_week.get() as f32,
        used: 0.0,
        load: 0.0,
        list_size: 0,
        delegation: unit_normal(rng, t.delegation_propensity_mean.get(), sd),
        control: unit_normal(rng, t.control_orientation_mean.get(), sd),
        pivot: unit_normal(rng, t.pivot_attachment_mean.get(), sd),
        ties: Vec::new(),
    }
}

/// A new support professional in post.
pub fn new_prof<R: Rng>(
    rng: &mut R,
    p: &Params,
    profession: Profession,
    structure: Option<StructId>,
) -> Prof {
    let pr = &p.professionals;
    let w = &p.workforce;
    let (caseload, autonomy) = match profession {
        Profession::Psychologist => (w.psychologist_caseload, pr.autonomy_psychologist.get()),
        Profession::SocialWorker => (w.social_worker_caseload, pr.autonomy_social_worker.get()),
        Profession::Nurse | Profession::Gp => (w.nurse_caseload, pr.autonomy_nurse.get()),
    };
    Prof {
        profession,
        structure,
        caseload: caseload.min(u32::from(u16::MAX)) as u16,
        active_cases: 0,
        autonomy: unit_normal(rng, autonomy, pr.autonomy_sd.get()),
        satisfaction: pr.satisfaction_initial.get() as f32,
        low_weeks: 0,
        vacant_until: 0,
    }
}

/// A structure in its starting state.
pub fn new_structure(
    p: &Params,
    name: String,
    kind: StructureKind,
    zone: u16,
    founded_week: u32,
) -> Structure {
    Structure {
        name,
        kind,
        zone,
        active: true,
        gps: Vec::new(),
        profs: Vec::new(),
        coordinator_fte: 0.0,
        trained: false,
        info_system: false,
        protocols: 0,
        protocol_progress: 0.0,
        legitimacy: p.coordination.legitimacy_initial.get() as f32,
        age_years: 0.0,
        founded_week,
        capacity_per_week: 0.0,
        used_this_week: 0.0,
        believed_use: 0.0,
        backlog: 0.0,
        slot: 0,
        meeting_progress: 0.0,
        attendance: 0.0,
    }
}

/// Adds a GP to `cell` as a member of `sid`; returns its index.
///
/// `None` when the zone already holds [`ZONE_MEMBERS`] GPs: they are numbered in 16 bits.
/// Validation keeps the starting territory within that; the callers that add during a run
/// say what they could not add.
pub fn add_gp(
    world_structures: &mut [Structure],
    cell: &mut ZoneCell,
    zone: u16,
    gp: Gp,
) -> Option<u16> {
    if cell.gps.len() >= ZONE_MEMBERS {
        return None;
    }
    let idx = cell.gps.len() as u16;
    world_structures[gp.structure.idx()]
        .gps
        .push(GpRef { zone, idx });
    cell.gps.push(gp);
    Some(idx)
}

/// Most GPs, and most other professionals, one zone can hold: indices are 16 bits, and
/// [`NONE16`] means none.
pub const ZONE_MEMBERS: usize = NONE16 as usize;

/// Adds a professional to `cell` (and to its structure); returns its index, or `None` when
/// the zone already holds [`ZONE_MEMBERS`] professionals.
pub fn add_prof(
    world_structures: &mut [Structure],
    cell: &mut ZoneCell,
    prof: Prof,
) -> Option<u16> {
    if cell.profs.len() >= ZONE_MEMBERS {
        return None;
    }
    let idx = cell.profs.len() as u16;
    if let Some(s) = prof.structure {
        world_structures[s.idx()].profs.push(idx);
    }
    cell.profs.push(prof);
    cell.releases.push([0; RELEASE_RING]);
    Some(idx)
}

/// Gives every GP of `sid` a tie of `trust` to every professional of `sid` it does not know yet.
pub fn tie_members(structures: &[Structure], cell: &mut ZoneCell, sid: StructId, trust: f32) {
    let s = &structures[sid.idx()];
    for g in &s.gps {
        let gp = &mut cell.gps[g.idx as usize];
        for &pi in &s.profs {
            let r = ProfRef::new(g.zone, pi);
            if gp.ties.binary_search_by_key(&r, |t| t.prof).is_err() {
                gp.strengthen(r, 0.0, trust);
            }
        }
    }
}
