//! Step 8: structural change. GPs past retirement age retire (their patients lose their
//! declared GP); new GPs settle (preferring MSPs and group practice); GPs in solo or group
//! practice join or found MSPs, driven by incentives, peers nearby and support programmes.
//! Zones are handled in order, each with its own random stream.

use super::counters::Counters;
use crate::model::build::{add_gp, gp_target, new_gp, new_structure, tie_members, ZONE_MEMBERS};
use crate::model::{GpRef, StructId, World, NONE16};
use crate::rng::{poisson, stream, Purpose};
use crate::scenario::{Params, StructureKind};
use rand::Rng;

/// Weekly probability from a yearly one.
pub fn weekly(p_year: f64) -> f64 {
    1.0 - (1.0 - p_year.clamp(0.0, 1.0)).powf(1.0 / 52.0)
}

/// Runs the week's structural change in every zone.
pub fn change(world: &mut World, p: &Params, seed: u64, week: u32, c: &mut Counters) {
    let st = &p.structural;
    let retire_p = weekly(st.retirement_rate_per_year.get());
    let join_rate = st.msp_join_rate_per_year.get() / 52.0 * st.msp_incentive.get();
    for z in 0..world.cells.len() {
        let mut rng = stream(seed, Purpose::Structural, z as u32, week);
        for g in 0..world.cells[z].gps.len() {
            let gp = &world.cells[z].gps[g];
            if gp.active
                && f64::from(gp.age) >= st.retirement_age.get()
                && rng.random::<f64>() < retire_p
            {
                retire(world, z, g);
                c.retirements += 1;
            }
        }
        arrivals(world, p, &mut rng, z, week, c);
        let (in_msp, active) =
            world.cells[z]
                .gps
                .iter()
                .filter(|g| g.active)
                .fold((0u32, 0u32), |(m, a), g| {
                    (
                        m + u32::from(
                            world.structures[g.structure.idx()].kind == StructureKind::Msp,
                        ),
                        a + 1,
                    )
                });
        if active == 0 {
            continue;
        }
        let share = f64::from(in_msp) / f64::from(active);
        let hazard = join_rate * (1.0 + st.peer_effect.get() * share + st.support_programme.get());
        for g in 0..world.cells[z].gps.len() {
            let gp = &world.cells[z].gps[g];
            let kind = world.structures[gp.structure.idx()].kind;
            if !gp.active || !matches!(kind, StructureKind::Solo | StructureKind::GroupPractice) {
                continue;
            }
            if rng.random::<f64>() < hazard {
                join_or_found(world, p, z, g, week, c);
            }
        }
    }
}

/// A GP retires: the practice loses a member, the patients their declared GP.
pub fn retire(world: &mut World, z: usize, g: usize) {
    let sid = world.cells[z].gps[g].structure;
    {
        let gp = &mut world.cells[z].gps[g];
        gp.active = false;
        gp.capacity = 0.0;
        gp.used = 0.0;
        gp.list_size = 0;
        gp.ties.clear();
    }
    let me = GpRef {
        zone: z as u16,
        idx: g as u16,
    };
    world.structures[sid.idx()].gps.retain(|&x| x != me);
    close_if_empty(world, sid);
    let cell = &mut world.cells[z];
    let pts = &mut cell.patients;
    for i in 0..pts.len() {
        if pts.gp[i] == g as u16 {
            pts.gp[i] = NONE16;
            cell.without_gp += 1;
            if pts.wait[i] > 0 {
                pts.wait[i] = 0;
                cell.waiting -= 1;
            }
        }
    }
}

/// A practice with no GP left closes; its professionals become independent.
fn close_if_empty(world: &mut World, sid: StructId) {
    let s = &mut world.structures[sid.idx()];
    if !s.kind.is_practice() || !s.gps.is_empty() {
        return;
    }
    s.active = false;
    s.coordinator_fte = 0.0;
    let z = s.zone as usize;
    for pi in std::mem::take(&mut s.profs) {
        world.cells[z].profs[pi as usize].structure = None;
    }
}

fn msp_with_room(world: &World, z: usize, max: u32) -> Option<StructId> {
    world.cells[z].structures.iter().copied().find(|sid| {
        let s = &world.structures[sid.idx()];
        s.active && s.kind == StructureKind::Msp && (s.gps.len() as u32) < max
    })
}

fn arrivals<R: Rng>(
    world: &mut World,
    p: &Params,
    rng: &mut R,
    z: usize,
    week: u32,
    c: &mut Counters,
) {
    let st = &p.structural;
    let zone = &world.zones[z];
    // The zone's density factor scales arrivals: under-served rural zones attract fewer GPs.
    let per_100k =
        f64::from(gp_target(p, 100_000, zone.rurality)) / p.workforce.gps_per_100k.get().max(1e-9);
    let mean = st.arrivals_per_100k_per_year.get() * zone.population as f64 / 1e5 * per_100k / 52.0;
    let trust = p.ties.first_contact.get() as f32;
    for k in 0..poisson(rng, mean) {
        if world.cells[z].gps.len() >= ZONE_MEMBERS {
            // A zone holding the most GPs it can number takes no newcomer.
            return;
        }
        let target = match msp_with_room(world, z, st.msp_max_gps) {
            Some(sid) if rng.random::<f64>() < st.newcomer_msp_preference.get() => sid,
            _ => {
                let name = format!("{}/group_practice-w{week}-{k}", world.zones[z].name);
                world.add_structure(new_structure(
                    p,
                    name,
                    StructureKind::GroupPractice,
                    z as u16,
                    week,
                ))
            }
        };
        let gp = new_gp(rng, p, target, Some(st.newcomer_age.get() as f32));
        if add_gp(&mut world.structures, &mut world.cells[z], z as u16, gp).is_none() {
            return;
        }
        tie_members(&world.structures, &mut world.cells[z], target, trust);
        c.arrivals += 1;
    }
}

/// The GP joins an MSP of the zone with room, or founds one with colleagues (same practice
/// first) if enough GPs outside MSPs are there; a new MSP recruits an independent nurse.
fn join_or_found(world: &mut World, p: &Params, z: usize, g: usize, week: u32, c: &mut Counters) {
    let st = &p.structural;
    let trust = p.ties.first_contact.get() as f32;
    let me = GpRef {
        zone: z as u16,
        idx: g as u16,
    };
    let old = world.cells[z].gps[g].structure;
    if let Some(msp) = msp_with_room(world, z, st.msp_max_gps) {
        world.move_gp(me, msp);
        close_if_empty(world, old);
        tie_members(&world.structures, &mut world.cells[z], msp, trust);
        return;
    }
    let need = st.msp_min_gps.max(1) as usize;
    let eligible = |w: &World, i: usize| {
        let gp = &w.cells[z].gps[i];
        gp.active
            && i != g
            && matches!(
                w.structures[gp.structure.idx()].kind,
                StructureKind::Solo | StructureKind::GroupPractice
            )
    };
    let mut peers: Vec<usize> = (0..world.cells[z].gps.len())
        .filter(|&i| eligible(world, i) && world.cells[z].gps[i].structure == old)
        .collect();
    peers.extend(
        (0..world.cells[z].gps.len())
            .filter(|&i| eligible(world, i) && world.cells[z].gps[i].structure != old),
    );
    peers.truncate(need.saturating_sub(1).min(st.msp_max_gps as usize));
    if peers.len() + 1 < need {
        return;
    }
    let n = world.structures.len();
    let name = format!("{}/msp-{n}", world.zones[z].name);
    let msp = world.add_structure(new_structure(p, name, StructureKind::Msp, z as u16, week));
    for i in std::iter::once(g).chain(peers) {
        let from = world.cells[z].gps[i].structure;
        world.move_gp(
            GpRef {
                zone: z as u16,
                idx: i as u16,
            },
            msp,
        );
        close_if_empty(world, from);
    }
    let nurse = world.cells[z].profs.iter().position(|pr| {
        pr.structure.is_none()
            && pr.in_post()
            && pr.profession == crate::scenario::Profession::Nurse
    });
    if let Some(pi) = nurse {
        world.cells[z].profs[pi].structure = Some(msp);
        world.structures[msp.idx()].profs.push(pi as u16);
    }
    tie_members(&world.structures, &mut world.cells[z], msp, trust);
    c.msps_founded += 1;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekly_probability_compounds_to_the_yearly_one() {
        let w = weekly(0.3);
        assert!((1.0 - (1.0 - w).powi(52) - 0.3).abs() < 1e-9);
    }
}
