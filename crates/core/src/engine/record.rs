//! Phase 8 ([`super::Phase::Record`]): the week's indicators, and at the end of the run the
//! final state, as result rows.

use super::counters::{kind_index, Counters, TieStats};
use super::parallel::ZONES_PER_JOB;
use crate::model::World;
use crate::results::*;
use crate::scenario::{Params, Profession, StructureKind};
use rayon::prelude::*;

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 {
        a / b
    } else {
        0.0
    }
}

/// The weekly row of the whole territory.
pub fn weekly(world: &World, p: &Params, week: u32, c: &Counters, ties: TieStats) -> WeeklyRecord {
    let mut r = WeeklyRecord {
        week,
        ..Default::default()
    };
    let (mut cap, mut used, mut control) = (0.0f64, 0.0f64, 0.0f64);
    let (mut caseload, mut cases, mut satisfaction) = (0u64, 0u64, 0.0f64);
    for cell in &world.cells {
        r.residents += cell.patients.len() as u64;
        r.pathways_held += cell.held_pathways;
        r.waiting += cell.waiting;
        r.without_gp += cell.without_gp;
        r.complex_patients += cell.complex_total;
        for gp in cell.gps.iter().filter(|g| g.active) {
            r.gps += 1;
            r.gps_refusing_new += u32::from(!gp.takes_new_patients(p));
            r.gps_fully_booked += u32::from(gp.used + 1.0 > gp.capacity);
            cap += f64::from(gp.capacity);
            used += f64::from(gp.used.min(gp.capacity));
            control += f64::from(gp.control);
        }
        for pr in &cell.profs {
            if !pr.in_post() {
                r.vacant_posts += 1;
                continue;
            }
            match pr.profession {
                Profession::Psychologist => r.psychologists += 1,
                Profession::SocialWorker => r.social_workers += 1,
                _ => r.nurses += 1,
            }
            caseload += u64::from(pr.caseload);
            cases += u64::from(pr.active_cases.min(pr.caseload));
            satisfaction += f64::from(pr.satisfaction);
        }
    }
    let multi: u64 = world.cells.iter().map(|c| c.complex_multi).sum();
    let (mut legit, mut with_coord) = (0.0f64, 0u32);
    let (mut queue, mut platform_capacity) = (0.0f64, 0.0f64);
    for s in world.structures.iter().filter(|s| s.active) {
        match s.kind {
            StructureKind::Msp => {
                r.msps += 1;
                r.gps_in_msp += s.gps.len() as u32;
            }
            StructureKind::Dac => {
                r.platforms_open += 1;
                queue += f64::from(s.queue_after_week());
                platform_capacity += f64::from(s.capacity_per_week);
            }
            _ => {}
        }
        if s.kind.is_practice() && s.coordinator_fte > 0.0 {
            r.coordinator_fte += f64::from(s.coordinator_fte);
            r.trained_coordinators += u32::from(s.trained);
            legit += f64::from(s.legitimacy);
            with_coord += 1;
        }
        r.protocols += s.protocols;
    }
    let profs_in_post = r.psychologists + r.social_workers + r.nurses;
    let delegations = c.inside + c.outside + c.platform;
    r.without_gp_share = ratio(r.without_gp as f64, r.residents as f64);
    r.gp_utilisation = ratio(used, cap);
    r.prof_utilisation = ratio(cases as f64, caseload as f64);
    r.episodes = c.episodes;
    r.consultations = c.consultations;
    r.walk_in_consultations = c.walk_in;
    r.covered_consultations = c.covered;
    r.care_elsewhere = c.care_elsewhere;
    r.forgone = c.forgone;
    r.tasks = c.tasks;
    r.tasks_alone = c.alone;
    r.tasks_inside = c.inside;
    r.tasks_outside = c.outside;
    r.tasks_platform = c.platform;
    r.tasks_to_independents = c.by_kind.iter().map(|k| k.to_independents).sum();
    r.tasks_to_organisations = c.by_kind.iter().map(|k| k.to_organisations).sum();
    r.tasks_dropped = c.dropped;
    r.tasks_refused = c.refused;
    r.tasks_resisted = c.resisted;
    r.delegated_share = ratio(delegations as f64, c.tasks as f64);
    r.needs_met = c.met;
    r.needs_unmet = c.unmet;
    r.platform_ad_hoc = c.platform_ad_hoc;
    r.platform_pathway = c.platform_pathway;
    r.platform_followups = c.platform_followups;
    r.platform_waiting_weeks = ratio(queue, platform_capacity);
    r.friction_events = c.friction;
    r.friction_per_100_delegations = 100.0 * ratio(c.friction as f64, c.prof_delegations as f64);
    r.mean_satisfaction = ratio(satisfaction, f64::from(profs_in_post));
    r.departures = c.departures;
    r.coordinator_departures = c.coordinator_departures;
    r.mean_tie_strength = ratio(ties.sum, ties.count as f64);
    r.active_ties = ties.active;
    r.tie_density = ratio(
        ties.active as f64,
        f64::from(r.gps) * f64::from(profs_in_post),
    );
    let threshold = p.interorg.active_threshold.get() as f32;
    let (mut org_sum, mut org_n) = (0.0f64, 0u64);
    for (_, _, t) in world.org.iter() {
        org_sum += f64::from(t);
        org_n += 1;
        r.org_active_ties += u64::from(t >= threshold);
    }
    r.org_mean_tie = ratio(org_sum, org_n as f64);
    r.interorg_referral_share = ratio((c.outside + c.platform) as f64, delegations as f64);
    r.meetings = c.meetings;
    r.meeting_refusals = c.refusals;
    r.protocols_rejected = c.protocols_rejected;
    r.mean_legitimacy = ratio(legit, f64::from(with_coord));
    r.complex_multi_share = ratio(multi as f64, r.complex_patients as f64);
    r.avoidable_hospitalisations = c.avoidable_hosp;
    r.mean_control_orientation = ratio(control, f64::from(r.gps));
    r.msps_founded = c.msps_founded;
    r.gp_retirements = c.retirements;
    r.gp_arrivals = c.arrivals;
    r.needs_unmet_failed = c.failed;
    r.needs_unmet_failed_alone = c.failed_alone;
    r.time_to_appointment_days = 7.0
        * ratio(
            c.waited_weeks as f64,
            (c.consultations + c.covered + c.walk_in) as f64,
        );
    r.waiting_per_1000 = 1000.0 * ratio(r.waiting as f64, r.residents as f64);
    r.gps_refusing_new_share = ratio(f64::from(r.gps_refusing_new), f64::from(r.gps));
    r.gps_fully_booked_share = ratio(f64::from(r.gps_fully_booked), f64::from(r.gps));
    r
}

/// The week's rows per structure type, in [`StructureKind::ALL`] order.
pub fn by_type(world: &World, week: u32, c: &Counters) -> Vec<StructureTypeRecord> {
    let mut rows: Vec<StructureTypeRecord> = StructureKind::ALL
        .iter()
        .map(|k| StructureTypeRecord {
            week,
            structure_type: k.as_str().to_string(),
            ..Default::default()
        })
        .collect();
    for s in world.structures.iter().filter(|s| s.active) {
        let r = &mut rows[kind_index(s.kind)];
        r.structures += 1;
        r.gps += s.gps.len() as u32;
        let cell = &world.cells[s.zone as usize];
        r.professionals += s
            .profs
            .iter()
            .filter(|&&i| cell.profs[i as usize].in_post())
            .count() as u32;
        r.coordinator_fte += f64::from(s.coordinator_fte);
        r.protocols += s.protocols;
    }
    for (r, f) in rows.iter_mut().zip(c.by_kind.iter()) {
        r.consultations = f.consultations;
        r.tasks = f.tasks;
        r.tasks_inside = f.inside;
        r.tasks_referred = f.referred;
        r.tasks_to_independents = f.to_independents;
        r.tasks_to_organisations = f.to_organisations;
        r.tasks_received = f.received;
        r.friction_events = f.friction;
        r.meetings = f.meetings;
    }
    rows
}

fn prof_id(world: &World, z: usize, i: usize) -> Box<str> {
    let kind = match world.cells[z].profs[i].profession {
        Profession::Psychologist => "psychologist",
        Profession::SocialWorker => "social_worker",
        Profession::Nurse => "nurse",
        Profession::Gp => "gp",
    };
    format!("{kind}:{}:{i}", world.zones[z].name).into()
}

/// The final ties: professional ties zone by zone (GPs in order, each GP's ties in order),
/// then the inter-organisational ties. Each name is made once: the empty name, the
/// structures', then each zone's GPs' and each zone's professionals'; the rows, 24 bytes
/// each, are filled zone by zone in parallel.
pub fn final_ties(world: &World) -> Ties {
    let mut names: Vec<Box<str>> = Vec::with_capacity(1 + world.structures.len());
    names.push("".into());
    names.extend(world.structures.iter().map(|s| Box::from(s.name.as_str())));
    let structure_name = |s: crate::model::StructId| 1 + s.idx() as u32;
    // Where each zone's GPs' names start, then each zone's professionals'.
    let mut gp_base = Vec::with_capacity(world.cells.len());
    for (z, cell) in world.cells.iter().enumerate() {
        gp_base.push(names.len() as u32);
        let zone = &world.zones[z].name;
        names.extend((0..cell.gps.len()).map(|g| Box::from(format!("gp:{zone}:{g}"))));
    }
    let mut prof_base = Vec::with_capacity(world.cells.len());
    for (z, cell) in world.cells.iter().enumerate() {
        prof_base.push(names.len() as u32);
        names.extend((0..cell.profs.len()).map(|i| prof_id(world, z, i)));
    }
    let counts: Vec<usize> = world
        .cells
        .iter()
        .map(|c| {
            c.gps
                .iter()
                .filter(|g| g.active)
                .map(|g| g.ties.len())
                .sum()
        })
        .collect();
    let professional: usize = counts.iter().sum();
    let mut rows = Vec::with_capacity(professional + world.org.len());
    rows.resize(professional, TieRow::default());
    let mut slices = Vec::with_capacity(counts.len());
    let mut rest = &mut rows[..];
    for &n in &counts {
        let (zone_rows, tail) = rest.split_at_mut(n);
        slices.push(zone_rows);
        rest = tail;
    }
    slices
        .into_par_iter()
        .zip(world.cells.par_iter())
        .enumerate()
        .with_max_len(ZONES_PER_JOB)
        .for_each(|(z, (zone_rows, cell))| {
            let ties = cell
                .gps
                .iter()
                .enumerate()
                .filter(|(_, gp)| gp.active)
                .flat_map(|(g, gp)| gp.ties.iter().map(move |t| (g, gp, t)));
            for (row, (g, gp, t)) in zone_rows.iter_mut().zip(ties) {
                let (tz, ti) = (t.prof.zone(), t.prof.idx());
                *row = TieRow {
                    source: gp_base[z] + g as u32,
                    target: prof_base[tz] + ti as u32,
                    source_structure: structure_name(gp.structure),
                    target_structure: world.cells[tz].profs[ti]
                        .structure
                        .map_or(0, structure_name),
                    strength: t.trust,
                    professional: true,
                };
            }
        });
    rows.extend(world.org.iter().map(|(a, b, t)| TieRow {
        source: structure_name(a),
        target: structure_name(b),
        source_structure: structure_name(a),
        target_structure: structure_name(b),
        strength: t,
        professional: false,
    }));
    Ties::from_parts(names, rows)
}

/// Final ties, zones and structures; `warmup` converts founding weeks to recorded weeks.
pub fn finish(world: &World, warmup: u32, out: &mut RunResults) {
    out.ties = final_ties(world);
    for (z, zone) in world.zones.iter().enumerate() {
        let cell = &world.cells[z];
        out.zones.push(ZoneRecord {
            zone: zone.name.clone(),
            rurality: zone.rurality.as_str().into(),
            x_km: zone.x_km,
            y_km: zone.y_km,
            population: zone.population,
            deprivation: zone.deprivation,
            gps: cell.gps.iter().filter(|g| g.active).count() as u32,
            without_gp: cell.without_gp,
        });
    }
    for s in &world.structures {
        let cell = &world.cells[s.zone as usize];
        out.structures.push(StructureRecord {
            structure: s.name.clone(),
            kind: s.kind.as_str().into(),
            zone: world.zones[s.zone as usize].name.clone(),
            active: s.active,
            gps: s.gps.len() as u32,
            professionals: s
                .profs
                .iter()
                .filter(|&&i| cell.profs[i as usize].in_post())
                .count() as u32,
            coordinator_fte: f64::from(s.coordinator_fte),
            coordinator_trained: s.trained,
            legitimacy: f64::from(s.legitimacy),
            protocols: s.protocols,
            shared_info_system: s.info_system,
            founded_week: s.founded_week.saturating_sub(warmup),
        });
    }
}
