//! Builds the starting world from a scenario: network, structures, professionals, patients.

use super::delays::Delays;
use super::members::{add_gp, add_prof, new_gp, new_prof, new_structure, tie_members};
use super::patients::profile;
use super::*;
use crate::rng::{stream, Purpose};
use crate::scenario::{Params, Profession, Rurality, Scenario, StructureKind, StructureSpec};
use rand::Rng;
use rayon::prelude::*;

fn from_spec(p: &Params, spec: &StructureSpec) -> Structure {
    let mut s = new_structure(p, spec.name.clone(), spec.kind, spec.zone as u16, 0);
    s.active = spec.active;
    s.coordinator_fte = spec.coordinator_fte as f32;
    s.trained = spec.coordinator_trained;
    s.info_system = spec.shared_info_system;
    s.protocols = spec.protocols;
    s.age_years = spec.age_years as f32;
    s.capacity_per_week = spec.capacity_per_week as f32;
    s
}

/// GPs a zone should have from the density parameters.
pub fn gp_target(p: &Params, population: u64, rurality: Rurality) -> u32 {
    let w = &p.workforce;
    let factor = match rurality {
        Rurality::Urban => w.urban_gp_factor.get(),
        Rurality::Periurban => w.periurban_gp_factor.get(),
        Rurality::Rural => w.rural_gp_factor.get(),
    };
    (population as f64 * w.gps_per_100k.get() * factor / 1e5).round() as u32
}

fn links(s: &Scenario) -> Vec<Vec<Link>> {
    let t = &s.params.territory;
    let speed = t.road_speed_kmh.get();
    let max = t.max_link_minutes.get();
    let decay = t.distance_decay_minutes.get();
    (0..s.zones.len())
        .into_par_iter()
        .map(|a| {
            let za = &s.zones[a];
            let mut out: Vec<Link> = s
                .zones
                .iter()
                .enumerate()
                .filter(|&(b, _)| b != a)
                .filter_map(|(b, zb)| {
                    let km = (za.x_km - zb.x_km).hypot(za.y_km - zb.y_km);
                    let minutes = km / speed * 60.0;
                    (minutes <= max).then(|| Link {
                        to: b as u16,
                        minutes: minutes as f32,
                        attraction: (-minutes / decay).exp() as f32,
                    })
                })
                .collect();
            out.sort_by(|x, y| x.minutes.total_cmp(&y.minutes).then(x.to.cmp(&y.to)));
            out
        })
        .collect()
}

/// Referral services reachable from each zone, nearest first: within the service's
/// `reach_minutes` of travel, or (reach 0) in its own zone and the zones linked to it.
pub fn service_reach(
    s: &Scenario,
    links: &[Vec<Link>],
    structures: &[Structure],
) -> Vec<Vec<Reach>> {
    let speed = s.params.territory.road_speed_kmh.get();
    (0..s.zones.len())
        .map(|z| {
            let mut out: Vec<Reach> = structures
                .iter()
                .enumerate()
                .filter(|(_, st)| st.kind.is_referral_service())
                .filter_map(|(i, st)| {
                    let (a, b) = (&s.zones[z], &s.zones[st.zone as usize]);
                    let minutes = (a.x_km - b.x_km).hypot(a.y_km - b.y_km) / speed * 60.0;
                    let reach = s
                        .structures
                        .get(i)
                        .map(|sp| sp.reach_minutes)
                        .unwrap_or(0.0);
                    let served = if reach > 0.0 {
                        minutes <= reach
                    } else {
                        st.zone as usize == z || links[z].iter().any(|l| l.to == st.zone)
                    };
                    served.then_some(Reach {
                        structure: StructId(i as u32),
                        minutes: minutes as f32,
                    })
                })
                .collect();
            out.sort_by(|a, b| {
                a.minutes
                    .total_cmp(&b.minutes)
                    .then(a.structure.cmp(&b.structure))
            });
            out
        })
        .collect()
}

/// Whether each profile is complex (enough needs at once).
pub fn complex_table(p: &Params) -> [bool; profile::COUNT] {
    let mut t = [false; profile::COUNT];
    for (f, slot) in t.iter_mut().enumerate() {
        *slot = profile::is_complex(f as u8, p.population.complex_threshold);
    }
    t
}

fn draw_profile<R: Rng>(rng: &mut R, p: &Params, deprivation: f64) -> u8 {
    let pop = &p.population;
    let mut f = 0u8;
    let mut coin = |prob: f64| rng.random::<f64>() < prob;
    let precarious = coin(deprivation);
    if coin(pop.elderly_share.get()) {
        f |= profile::ELDERLY;
    }
    let chronic = if f & profile::ELDERLY != 0 {
        pop.chronic_share_elderly.get()
    } else {
        pop.chronic_share_other.get()
    };
    if coin(chronic) {
        f |= profile::CHRONIC;
    }
    let addiction = if precarious {
        pop.addiction_if_precarious.get()
    } else {
        pop.addiction_share.get()
    };
    if coin(addiction) {
        f |= profile::ADDICTION;
    }
    if coin(pop.psych_need_share.get()) {
        f |= profile::PSYCH;
    }
    let social = if precarious {
        pop.social_need_if_precarious.get()
    } else {
        pop.social_need_base.get()
    };
    if coin(social) {
        f |= profile::SOCIAL;
    }
    if precarious {
        f |= profile::PRECARIOUS;
    }
    f
}

/// Builds the world at week 0.
pub fn build(s: &Scenario) -> World {
    let p = &s.params;
    let nz = s.zones.len();
    let links = links(s);
    let mut cells = vec![ZoneCell::default(); nz];
    let mut structures: Vec<Structure> = s
        .structures
        .iter()
        .map(|sp| Structure {
            founded_week: s.warmup_weeks,
            ..from_spec(p, sp)
        })
        .collect();
    for (i, st) in structures.iter().enumerate() {
        cells[st.zone as usize].structures.push(StructId(i as u32));
    }
    let w = &p.workforce;
    let trust0 = p.ties.initial_in_structure.get() as f32;
    for (z, zone) in s.zones.iter().enumerate() {
        let mut rng = stream(s.seed, Purpose::BuildZone, z as u32, 0);
        let named: Vec<StructId> = cells[z].structures.clone();
        let (mut named_gps, mut named_psy, mut named_soc, mut named_nur) = (0u32, 0u32, 0u32, 0u32);
        for &sid in &named {
            let spec = &s.structures[sid.idx()];
            for _ in 0..spec.gps {
                let gp = new_gp(&mut rng, p, sid, None);
                add_gp(&mut structures, &mut cells[z], z as u16, gp);
            }
            for (prof, n) in [
                (Profession::Psychologist, spec.psychologists),
                (Profession::SocialWorker, spec.social_workers),
                (Profession::Nurse, spec.nurses),
            ] {
                for _ in 0..n {
                    let pr = new_prof(&mut rng, p, prof, Some(sid));
                    add_prof(&mut structures, &mut cells[z], pr);
                }
            }
            named_gps += spec.gps;
            named_psy += spec.psychologists;
            named_soc += spec.social_workers;
            named_nur += spec.nurses;
            tie_members(&structures, &mut cells[z], sid, trust0);
        }
        let remaining = gp_target(p, zone.population, zone.rurality).saturating_sub(named_gps);
        let in_groups = (f64::from(remaining) * w.group_practice_share.get()).round() as u32;
        let size = w.group_practice_size.max(1);
        let mut placed = 0;
        let mut n = 0;
        while placed < remaining {
            let group = placed < in_groups;
            let members = if group {
                size.min(in_groups - placed)
            } else {
                1
            };
            let kind = if group && members > 1 {
                StructureKind::GroupPractice
            } else {
                StructureKind::Solo
            };
            n += 1;
            let sid = StructId(structures.len() as u32);
            structures.push(new_structure(
                p,
                format!("{}/{}-{n}", zone.name, kind.as_str()),
                kind,
                z as u16,
                s.warmup_weeks,
            ));
            cells[z].structures.push(sid);
            for _ in 0..members {
                let gp = new_gp(&mut rng, p, sid, None);
                add_gp(&mut structures, &mut cells[z], z as u16, gp);
            }
            placed += members;
        }
        let per = |d: f64| (zone.population as f64 * d / 1e5).round() as u32;
        for (prof, target, named) in [
            (
                Profession::Psychologist,
                per(w.psychologists_per_100k.get()),
                named_psy,
            ),
            (
                Profession::SocialWorker,
                per(w.social_workers_per_100k.get()),
                named_soc,
            ),
            (Profession::Nurse, per(w.nurses_per_100k.get()), named_nur),
        ] {
            for _ in 0..target.saturating_sub(named) {
                let pr = new_prof(&mut rng, p, prof, None);
                add_prof(&mut structures, &mut cells[z], pr);
            }
        }
    }
    for cell in &mut cells {
        for (k, sid) in cell.structures.iter().enumerate() {
            structures[sid.idx()].slot = k as u16;
        }
        cell.coord = vec![CoordWeek::default(); cell.structures.len()];
    }
    let services = service_reach(s, &links, &structures);
    place_patients(s, &links, &mut cells);
    let complex = complex_table(p);
    for cell in &mut cells {
        let pts = &cell.patients;
        cell.complex_total = pts.profile.iter().filter(|&&f| complex[f as usize]).count() as u64;
        cell.without_gp = pts.gp.iter().filter(|&&g| g == NONE16).count() as u64;
    }
    World {
        zones: s.zones.clone(),
        links,
        services,
        cells,
        structures,
        org: OrgTies::default(),
    }
}

/// Draws residents' profiles (in parallel by zone), gives them GPs (in zone order) and groups each
/// zone's patients by profile within blocks (in parallel by zone).
fn place_patients(s: &Scenario, links: &[Vec<Link>], cells: &mut [ZoneCell]) {
    let p = &s.params;
    let declared = p.population.declared_gp_share.get();
    let delays = Delays::new(&p.demand);
    let residents: Vec<Vec<(u8, bool, u16)>> = (0..s.zones.len())
        .into_par_iter()
        .map(|z| {
            let zone = &s.zones[z];
            let mut rng = stream(s.seed, Purpose::BuildZone, z as u32, 1);
            (0..zone.population)
                .map(|_| {
                    let f = draw_profile(&mut rng, p, zone.deprivation);
                    let wants = rng.random::<f64>() < declared;
                    let first = delays.draw(f, &mut rng).saturating_sub(1);
                    (f, wants, first.min(u32::from(NONE16) - 1) as u16)
                })
                .collect()
        })
        .collect();
    // Most patients stay in their zone: reserving its residents (and a little more for those
    // who settle from linked zones) keeps the arrays from doubling while they fill.
    for (cell, zone) in cells.iter_mut().zip(&s.zones) {
        cell.patients
            .reserve((zone.population + zone.population / 16) as usize);
    }
    let list_max = p.workforce.gp_list_max;
    let mut open: Vec<Vec<u16>> = cells
        .iter()
        .map(|c| {
            if list_max == 0 {
                Vec::new()
            } else {
                (0..c.gps.len() as u16).collect()
            }
        })
        .collect();
    for (z, people) in residents.into_iter().enumerate() {
        let mut rng = stream(s.seed, Purpose::BuildAssign, z as u32, 0);
        for (f, wants, first) in people {
            let mut home = (z, NONE16);
            if wants {
                let zone_with_room = std::iter::once(z)
                    .chain(links[z].iter().map(|l| l.to as usize))
                    .find(|&c| !open[c].is_empty());
                if let Some(c) = zone_with_room {
                    let k = rng.random_range(0..open[c].len());
                    let g = open[c][k];
                    let gp = &mut cells[c].gps[g as usize];
                    gp.list_size += 1;
                    if gp.list_size >= list_max {
                        open[c].swap_remove(k);
                    }
                    home = (c, g);
                }
            }
            cells[home.0].patients.push(first, home.1, f);
        }
    }
    // Patients of one profile together within blocks, each block's order of profiles drawn
    // from the zone's own stream.
    cells.par_iter_mut().enumerate().for_each(|(z, cell)| {
        let mut rng = stream(s.seed, Purpose::Order, z as u32, 0);
        cell.patients.group_by_profile(&mut rng);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A built zone's patients come grouped by profile: within each block every profile
    /// present forms one run, so the consultation's branches on the profile are predictable.
    #[test]
    fn a_built_zones_patients_are_grouped_by_profile_within_blocks() {
        let s = Scenario::default_scenario().expect("the embedded scenario is valid");
        let world = build(&s);
        let mut full_blocks = 0;
        for cell in &world.cells {
            for block in cell.patients.profile.chunks(patients::PROFILE_BLOCK) {
                let runs = 1 + block.windows(2).filter(|w| w[0] != w[1]).count();
                let mut present = [false; 256];
                for &f in block {
                    present[usize::from(f)] = true;
                }
                let profiles = present.iter().filter(|&&p| p).count();
                assert_eq!(runs, profiles, "each profile in one run");
                full_blocks += usize::from(block.len() == patients::PROFILE_BLOCK);
            }
        }
        assert!(full_blocks >= 10, "{full_blocks} full blocks");
    }
}
