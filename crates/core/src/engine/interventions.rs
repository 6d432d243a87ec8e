//! Phase 1 ([`super::Phase::Interventions`]): scheduled policy changes, applied at the start
//! of their week, before anything else happens in it.

use crate::model::members::{
    add_gp, add_prof, new_gp, new_prof, new_structure, tie_members, ZONE_MEMBERS,
};
use crate::model::{StructId, World};
use crate::results::InterventionRecord;
use crate::rng::{stream, Purpose};
use crate::scenario::{Action, Intervention, Params, Profession, StructureKind, Target};

fn targets(world: &World, t: &Target) -> Vec<StructId> {
    targets_among(world, t, false)
}

/// [`targets`], closed structures of the kind included when `closed_too` (opening a
/// platform targets the closed ones: a kind's active structures alone would never reopen
/// any).
fn targets_among(world: &World, t: &Target, closed_too: bool) -> Vec<StructId> {
    match t {
        Target::Named(ids) => ids.iter().map(|&i| StructId(i as u32)).collect(),
        Target::Kind(k) => (0..world.structures.len())
            .filter(|&i| {
                (closed_too || world.structures[i].active) && world.structures[i].kind == *k
            })
            .map(|i| StructId(i as u32))
            .collect(),
    }
}

/// Adds `n` members to `sid`; returns how many its zone had no room for
/// ([`ZONE_MEMBERS`]).
fn add_members(
    world: &mut World,
    p: &Params,
    rng: &mut rand_chacha::ChaCha8Rng,
    sid: StructId,
    profession: Profession,
    n: u32,
) -> u32 {
    (0..n)
        .map(|_| u32::from(!add_member(world, p, rng, sid, profession)))
        .sum()
}

/// Adds one member to `sid`; false if its zone is full.
fn add_member(
    world: &mut World,
    p: &Params,
    rng: &mut rand_chacha::ChaCha8Rng,
    sid: StructId,
    profession: Profession,
) -> bool {
    let z = world.structures[sid.idx()].zone as usize;
    let added = if profession == Profession::Gp {
        let gp = new_gp(rng, p, sid, None);
        add_gp(&mut world.structures, &mut world.cells[z], z as u16, gp).is_some()
    } else {
        let pr = new_prof(rng, p, profession, Some(sid));
        add_prof(&mut world.structures, &mut world.cells[z], pr).is_some()
    };
    if !added {
        return false;
    }
    tie_members(
        &world.structures,
        &mut world.cells[z],
        sid,
        p.ties.first_contact.get() as f32,
    );
    true
}

/// Applies one intervention; `params` changes for `SetParameter`. Returns its record.
pub fn apply(
    world: &mut World,
    params: &mut Params,
    iv: &Intervention,
    seed: u64,
    index: u32,
) -> InterventionRecord {
    let mut rng = stream(seed, Purpose::Intervention, index, iv.week);
    let legit0 = params.coordination.legitimacy_initial.get() as f32;
    let mut touched = 0u32;
    let mut refused = 0u32;
    let action = match &iv.action {
        Action::FundCoordinator { target, fte } => {
            for sid in targets(world, target) {
                let s = &mut world.structures[sid.idx()];
                if s.coordinator_fte <= 0.0 {
                    s.legitimacy = legit0;
                }
                s.coordinator_fte = *fte as f32;
                touched += 1;
            }
            "fund_coordinator"
        }
        Action::TrainCoordinators { target } => {
            for sid in targets(world, target) {
                world.structures[sid.idx()].trained = true;
                touched += 1;
            }
            "train_coordinators"
        }
        Action::OpenPlatform { target } | Action::ClosePlatform { target } => {
            let open = matches!(iv.action, Action::OpenPlatform { .. });
            for sid in targets_among(world, target, open) {
                let s = &mut world.structures[sid.idx()];
                if s.active != open {
                    s.active = open;
                    touched += 1;
                }
            }
            if open {
                "open_platform"
            } else {
                "close_platform"
            }
        }
        Action::DeployMsma {
            target,
            fte,
            psychologists,
            social_workers,
        } => {
            for sid in targets(world, target) {
                if !world.structures[sid.idx()].kind.is_practice()
                    || !world.structures[sid.idx()].active
                {
                    continue;
                }
                let s = &mut world.structures[sid.idx()];
                s.kind = StructureKind::Msma;
                if s.coordinator_fte <= 0.0 {
                    s.legitimacy = legit0;
                }
                s.coordinator_fte = s.coordinator_fte.max(*fte as f32);
                for (profession, n) in [
                    (Profession::Psychologist, *psychologists),
                    (Profession::SocialWorker, *social_workers),
                ] {
                    refused += add_members(world, params, &mut rng, sid, profession, n);
                }
                touched += 1;
            }
            "deploy_msma"
        }
        Action::AddProfessionals {
            target,
            zone,
            profession,
            count,
        } => {
            match target {
                Some(t) => {
                    for sid in targets(world, t) {
                        refused += add_members(world, params, &mut rng, sid, *profession, *count);
                        touched += 1;
                    }
                }
                None => {
                    for k in 0..*count {
                        if *profession == Profession::Gp {
                            if world.cells[*zone].gps.len() >= ZONE_MEMBERS {
                                refused += 1;
                                continue;
                            }
                            let name = format!("{}/solo-w{}-{k}", world.zones[*zone].name, iv.week);
                            let sid = world.add_structure(new_structure(
                                params,
                                name,
                                StructureKind::Solo,
                                *zone as u16,
                                iv.week,
                            ));
                            let gp = new_gp(&mut rng, params, sid, None);
                            let cell = &mut world.cells[*zone];
                            refused += u32::from(
                                add_gp(&mut world.structures, cell, *zone as u16, gp).is_none(),
                            );
                        } else {
                            let pr = new_prof(&mut rng, params, *profession, None);
                            let cell = &mut world.cells[*zone];
                            refused +=
                                u32::from(add_prof(&mut world.structures, cell, pr).is_none());
                        }
                    }
                }
            }
            "add_professionals"
        }
        Action::SignProtocols { target, count } => {
            let max = params.coordination.max_protocols;
            for sid in targets(world, target) {
                let s = &mut world.structures[sid.idx()];
                s.protocols = (s.protocols + count).min(max.max(s.protocols));
                touched += 1;
            }
            "sign_protocols"
        }
        Action::IntroduceInfoSystem { target } => {
            for sid in targets(world, target) {
                world.structures[sid.idx()].info_system = true;
                touched += 1;
            }
            "introduce_info_system"
        }
        Action::SetParameter { params: new, .. } => {
            *params = (**new).clone();
            "set_parameter"
        }
    };
    InterventionRecord {
        week: iv.week,
        date: None,
        name: iv.name.clone(),
        action: action.to_string(),
        structures_touched: touched,
        members_refused: refused,
    }
}
