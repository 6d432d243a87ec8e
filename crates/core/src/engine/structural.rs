//! Phase 7 ([`super::Phase::Structural`]): structural change. GPs past retirement age retire
//! (their patients lose their declared GP); new GPs settle (preferring MSPs and group
//! practice); GPs in solo or group practice join or found MSPs, driven by incentives, peers
//! nearby and support programmes. Zones are handled in order, each with its own random
//! stream.

use super::counters::Counters;
use super::parallel::ZONES_PER_JOB;
use crate::model::build::gp_target;
use crate::model::members::{add_gp, new_gp, new_structure, tie_members, ZONE_MEMBERS};
use crate::model::{GpRef, Patients, StructId, World, ZoneCell, NONE16};
use crate::rng::{poisson, stream, Purpose};
use crate::scenario::{Params, StructureKind};
use rand::Rng;
use rayon::prelude::*;
use std::ops::ControlFlow;

/// Weekly probability from a yearly one.
pub fn weekly(p_year: f64) -> f64 {
    1.0 - (1.0 - p_year.clamp(0.0, 1.0)).powf(1.0 / 52.0)
}

/// Runs the week's structural change in every zone.
///
/// Most zones have no event in a week. A parallel read-only pass replays each zone's draws
/// (the same stream, the same coins in the same order) up to its first event; the zones in
/// order then run for real, skipping those with none, which would change nothing. A zone's
/// coins read only its own GPs and the kinds of their structures, which no other zone's
/// change touches, so the replay sees what the real pass would.
pub fn change(world: &mut World, p: &Params, seed: u64, week: u32, c: &mut Counters) {
    let eventful = eventful_zones(world, p, seed, week);
    let mut apply = Apply::new(world, p, week, c);
    for (z, &eventful) in eventful.iter().enumerate() {
        if eventful {
            let mut rng = stream(seed, Purpose::Structural, z as u32, week);
            // Applying never stops early.
            let _ = zone_change(&mut apply, p, &mut rng, z);
        }
    }
    apply.finish();
}

/// For each zone, whether it has a retirement, an arrival or an MSP move this week; the
/// zones are probed in parallel and nothing changes.
fn eventful_zones(world: &World, p: &Params, seed: u64, week: u32) -> Vec<bool> {
    // Structures' kinds in one dense table: the coins of the probe look one up per GP.
    let kinds: Vec<StructureKind> = world.structures.iter().map(|s| s.kind).collect();
    (0..world.cells.len())
        .into_par_iter()
        .with_max_len(ZONES_PER_JOB)
        .map(|z| {
            let mut rng = stream(seed, Purpose::Structural, z as u32, week);
            let mut probe = Probe {
                world,
                kinds: &kinds,
            };
            zone_change(&mut probe, p, &mut rng, z).is_break()
        })
        .collect()
}

/// What a zone's pass does at each event: apply it ([`Apply`]), or stop there ([`Probe`]).
trait Events {
    /// The territory as it stands.
    fn world(&self) -> &World;
    /// The kind of structure `sid`.
    fn kind(&self, sid: StructId) -> StructureKind;
    /// GP `g` of zone `z` retires.
    fn retire(&mut self, z: usize, g: usize) -> ControlFlow<()>;
    /// `n` (at least one) GPs settle in zone `z`.
    fn arrive<R: Rng>(&mut self, rng: &mut R, z: usize, n: u32) -> ControlFlow<()>;
    /// GP `g` of zone `z` joins or founds an MSP (a new MSP signs the agreement with a coin
    /// from `rng`).
    fn join<R: Rng>(&mut self, rng: &mut R, z: usize, g: usize) -> ControlFlow<()>;
}

/// Applies every event. Retired GPs' patients are released by [`Apply::finish`], zones in
/// parallel: nothing else in the phase reads patients.
struct Apply<'a> {
    world: &'a mut World,
    p: &'a Params,
    week: u32,
    c: &'a mut Counters,
    /// Per zone, the GPs retired whose patients are still to be released.
    retired: Vec<Vec<u16>>,
}

impl<'a> Apply<'a> {
    fn new(world: &'a mut World, p: &'a Params, week: u32, c: &'a mut Counters) -> Apply<'a> {
        let retired = vec![Vec::new(); world.cells.len()];
        Apply {
            world,
            p,
            week,
            c,
            retired,
        }
    }

    /// Releases the patients of the GPs retired.
    fn finish(self) {
        self.world
            .cells
            .par_iter_mut()
            .zip(self.retired.par_iter())
            .filter(|(_, gone)| !gone.is_empty())
            .for_each(|(cell, gone)| release_patients(cell, gone));
    }
}

impl Events for Apply<'_> {
    fn world(&self) -> &World {
        self.world
    }

    fn kind(&self, sid: StructId) -> StructureKind {
        self.world.structures[sid.idx()].kind
    }

    fn retire(&mut self, z: usize, g: usize) -> ControlFlow<()> {
        retire_gp(self.world, z, g);
        self.retired[z].push(g as u16);
        self.c.retirements += 1;
        ControlFlow::Continue(())
    }

    fn arrive<R: Rng>(&mut self, rng: &mut R, z: usize, n: u32) -> ControlFlow<()> {
        arrivals(self.world, self.p, rng, z, n, self.week, self.c);
        ControlFlow::Continue(())
    }

    fn join<R: Rng>(&mut self, rng: &mut R, z: usize, g: usize) -> ControlFlow<()> {
        join_or_found(self.world, self.p, rng, z, g, self.week, self.c);
        ControlFlow::Continue(())
    }
}

/// Stops at the first event, changing nothing. Kinds come from a table taken at the start
/// of the phase: no zone's change alters the kind of a structure another zone's GPs are in.
struct Probe<'a> {
    world: &'a World,
    kinds: &'a [StructureKind],
}

impl Events for Probe<'_> {
    fn world(&self) -> &World {
        self.world
    }

    fn kind(&self, sid: StructId) -> StructureKind {
        self.kinds[sid.idx()]
    }

    fn retire(&mut self, _: usize, _: usize) -> ControlFlow<()> {
        ControlFlow::Break(())
    }

    fn arrive<R: Rng>(&mut self, _: &mut R, _: usize, _: u32) -> ControlFlow<()> {
        ControlFlow::Break(())
    }

    fn join<R: Rng>(&mut self, _: &mut R, _: usize, _: usize) -> ControlFlow<()> {
        ControlFlow::Break(())
    }
}

/// Zone `z`'s week, drawing from `rng`: retirement coins for GPs past the age, arrivals,
/// then MSP coins for GPs in solo or group practice. The only code that draws, whether the
/// events are applied or probed; returns `Break` where `events` stops.
fn zone_change<E: Events, R: Rng>(
    events: &mut E,
    p: &Params,
    rng: &mut R,
    z: usize,
) -> ControlFlow<()> {
    let st = &p.structural;
    let retire_p = weekly(st.retirement_rate_per_year.get());
    let join_rate = st.msp_join_rate_per_year.get() / 52.0 * st.msp_incentive.get();
    for g in 0..events.world().cells[z].gps.len() {
        let gp = &events.world().cells[z].gps[g];
        if gp.active
            && f64::from(gp.age) >= st.retirement_age.get()
            && rng.random::<f64>() < retire_p
        {
            events.retire(z, g)?;
        }
    }
    let n = poisson(rng, arrivals_mean(events.world(), p, z));
    if n > 0 {
        events.arrive(rng, z, n)?;
    }
    let (in_msp, active) = events.world().cells[z]
        .gps
        .iter()
        .filter(|g| g.active)
        .fold((0u32, 0u32), |(m, a), g| {
            (
                m + u32::from(events.kind(g.structure) == StructureKind::Msp),
                a + 1,
            )
        });
    if active == 0 {
        return ControlFlow::Continue(());
    }
    let share = f64::from(in_msp) / f64::from(active);
    let pull = 1.0 + st.peer_effect.get() * share + st.support_programme.get();
    for g in 0..events.world().cells[z].gps.len() {
        let gp = &events.world().cells[z].gps[g];
        let kind = events.kind(gp.structure);
        if !gp.active || !matches!(kind, StructureKind::Solo | StructureKind::GroupPractice) {
            continue;
        }
        if rng.random::<f64>() < join_hazard(p, join_rate, pull, gp) {
            events.join(rng, z, g)?;
        }
    }
    ControlFlow::Continue(())
}

/// The weekly probability that `gp`, outside an MSP, joins or founds one: the base rate
/// `join_rate` (incentives included), times the zone's `pull` (colleagues already in MSPs,
/// support programmes), plus the weight of its own workload: a GP whose week is full looks
/// for a team to share it with.
fn join_hazard(p: &Params, join_rate: f64, pull: f64, gp: &crate::model::Gp) -> f64 {
    let load = f64::from(gp.used / gp.capacity.max(1.0)).min(1.0);
    join_rate * (pull + p.structural.workload_effect.get() * load)
}

/// A GP of zone `z` retires: the practice loses a member (the patients keep it until
/// [`release_patients`]).
fn retire_gp(world: &mut World, z: usize, g: usize) {
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
}

/// The patients of the retired GPs `gone` (indices in `cell`) lose their declared GP.
fn release_patients(cell: &mut ZoneCell, gone: &[u16]) {
    /// Patients tested at once: a GP's patients are a small share of a zone's.
    const CHUNK: usize = 64;
    let pts = &mut cell.patients;
    for &g in gone {
        for (k, chunk) in pts.gp.chunks_mut(CHUNK).enumerate() {
            // A test without branches (vectorised) skips most chunks.
            if !chunk.iter().fold(false, |hit, &x| hit | (x == g)) {
                continue;
            }
            for (j, x) in chunk.iter_mut().enumerate() {
                if *x == g {
                    *x = NONE16;
                    cell.without_gp += 1;
                    // No longer waiting; a platform that holds the pathway keeps it.
                    let wait = &mut pts.wait[k * CHUNK + j];
                    if *wait & Patients::MAX_WAITED > 0 {
                        *wait &= Patients::HELD;
                        cell.waiting -= 1;
                    }
                }
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

/// Weekly mean of GP arrivals in zone `z`.
fn arrivals_mean(world: &World, p: &Params, z: usize) -> f64 {
    let st = &p.structural;
    let zone = &world.zones[z];
    // The zone's density factor scales arrivals: under-served rural zones attract fewer GPs.
    let per_100k =
        f64::from(gp_target(p, 100_000, zone.rurality)) / p.workforce.gps_per_100k.get().max(1e-9);
    st.arrivals_per_100k_per_year.get() * zone.population as f64 / 1e5 * per_100k / 52.0
}

/// `n` GPs settle in zone `z` (while it can number them).
fn arrivals<R: Rng>(
    world: &mut World,
    p: &Params,
    rng: &mut R,
    z: usize,
    n: u32,
    week: u32,
    c: &mut Counters,
) {
    let st = &p.structural;
    let trust = p.ties.first_contact.get() as f32;
    for k in 0..n {
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
/// first) if enough GPs outside MSPs are there; a new MSP recruits an independent nurse, and
/// signs the MSP agreement with probability `agreement_uptake`: the funding brings a
/// coordinator and requires a shared information system.
fn join_or_found<R: Rng>(
    world: &mut World,
    p: &Params,
    rng: &mut R,
    z: usize,
    g: usize,
    week: u32,
    c: &mut Counters,
) {
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
    if rng.random::<f64>() < st.agreement_uptake.get() {
        let s = &mut world.structures[msp.idx()];
        s.coordinator_fte = st.agreement_coordinator_fte.get() as f32;
        s.info_system = true;
    }
    tie_members(&world.structures, &mut world.cells[z], msp, trust);
    c.msps_founded += 1;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::build;
    use crate::scenario::Scenario;

    /// The probe agrees with the real pass: a zone it calls quiet is left exactly as it was
    /// by the real pass run in every zone, and skipping those zones changes nothing.
    #[test]
    fn zones_the_probe_calls_quiet_are_unchanged_by_the_real_pass() {
        let s = Scenario::default_scenario()
            .expect("valid default")
            .with_sets(&[
                "structural.retirement_age=55",
                "structural.msp_incentive=3",
                "structural.arrivals_per_100k_per_year=20",
            ])
            .expect("valid sets");
        let p = &s.params;
        let mut world = build::build(&s);
        let nz = world.cells.len();
        let (mut quiet, mut eventful, mut changed) = (0, 0, 0);
        for week in 0..30 {
            let probed = eventful_zones(&world, p, s.seed, week);
            let mut every = world.clone();
            let mut c_every = Counters::default();
            let mut apply = Apply::new(&mut every, p, week, &mut c_every);
            for z in 0..nz {
                let mut rng = stream(s.seed, Purpose::Structural, z as u32, week);
                assert!(zone_change(&mut apply, p, &mut rng, z).is_continue());
            }
            apply.finish();
            for (z, &probed) in probed.iter().enumerate() {
                let same = every.cells[z] == world.cells[z];
                if probed {
                    eventful += 1;
                    changed += usize::from(!same);
                } else {
                    quiet += 1;
                    assert!(same, "zone {z} changed in week {week} with no event probed");
                }
            }
            let mut c = Counters::default();
            change(&mut world, p, s.seed, week, &mut c);
            assert_eq!(c, c_every);
            assert_eq!(world.cells, every.cells);
            assert_eq!(world.structures, every.structures);
        }
        assert!(
            quiet > 0 && eventful > 0 && changed > 0,
            "{quiet} {eventful} {changed}"
        );
    }

    #[test]
    fn a_gp_with_a_full_week_is_likelier_to_join_an_msp_only_through_its_workload() {
        let s = Scenario::default_scenario().expect("valid default");
        let p = &s.params;
        let mut gp = crate::model::Gp::with_ties(Vec::new());
        let at = |gp: &crate::model::Gp, p: &Params| join_hazard(p, 0.001, 1.2, gp);
        gp.used = 0.0;
        let idle = at(&gp, p);
        gp.used = gp.capacity;
        let full = at(&gp, p);
        assert!(full > idle * 1.5, "{idle} {full}");
        assert!((idle - 0.0012).abs() < 1e-12, "{idle}");
        let flat = s
            .with_sets(&["structural.workload_effect=0"])
            .expect("valid set");
        assert_eq!(at(&gp, &flat.params), idle);
    }

    #[test]
    fn weekly_probability_compounds_to_the_yearly_one() {
        let w = weekly(0.3);
        assert!((1.0 - (1.0 - w).powi(52) - 0.3).abs() < 1e-9);
    }
}
