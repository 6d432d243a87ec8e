//! The weekly step: a fixed sequence of phases over the world, with results recorded weekly.
//!
//! The engine reads a validated [`Scenario`] and returns [`RunResults`]; it knows nothing of
//! files, arguments or progress bars. Parallel phases work zone by zone, each zone with its
//! own random stream keyed by (seed, purpose, zone, week); sequential phases go in a fixed
//! order. Results are therefore identical whatever the number of threads.
//!
//! Each phase of [`Phase`] is one module that depends only on the shared state below it,
//! never on another phase; this module runs them in order.
//!
//! - Shared state: [`phase`] (the order of phases), [`clock`] (time per phase), [`tables`],
//!   [`parallel`], [`counters`] (a week's flows and tie statistics), [`tasks`] (tasks,
//!   referrals), [`delegation`] (what delegating does, for phases 3 and 4), [`directory`]
//!   (the referral directory), [`zone`] (a zone's context and outbox).
//! - Phases, in order: [`interventions`], [`prepare`], [`consult`], [`referral`],
//!   [`coordination`], [`upkeep`], [`structural`], [`record`]; and [`invariants`], checked
//!   after each week in debug builds.

pub mod clock;
pub mod consult;
pub mod coordination;
pub mod counters;
pub mod delegation;
pub mod directory;
pub mod interventions;
pub mod invariants;
pub mod parallel;
pub mod phase;
pub mod prepare;
pub mod record;
pub mod referral;
pub mod structural;
pub mod tables;
pub mod tasks;
pub mod upkeep;
pub mod zone;

use crate::model::{build, World};
use crate::results::{RunResults, StructureTypeRecord};
use crate::scenario::{Params, Scenario};
pub use clock::PhaseTimes;
use counters::{Counters, TieStats};
use parallel::ZONES_PER_JOB;
pub use phase::Phase;
use rayon::prelude::*;
use std::time::Instant;
pub use tables::Tables;
use zone::{ZoneCtx, ZoneOut};

/// Simulates a scenario with its own seed.
pub fn simulate(scenario: &Scenario) -> RunResults {
    simulate_with_progress(scenario, &mut |_| {})
}

/// Simulates a scenario, calling `progress` with each finished week.
pub fn simulate_with_progress(scenario: &Scenario, progress: &mut dyn FnMut(u32)) -> RunResults {
    simulate_timed(scenario, progress).0
}

/// Simulates a scenario, calling `progress` with each finished week, and says where the wall
/// time went. The results do not depend on the timing.
pub fn simulate_timed(
    scenario: &Scenario,
    progress: &mut dyn FnMut(u32),
) -> (RunResults, PhaseTimes) {
    let mut sim = Simulation::new(scenario);
    while !sim.done() {
        if let Some(week) = sim.week() {
            progress(week);
        }
    }
    sim.finish()
}

/// A run in progress, one week at a time: what [`simulate`] does, for callers that want to
/// watch or time each week (the benchmarks of single phases use it).
pub struct Simulation<'s> {
    scenario: &'s Scenario,
    world: World,
    params: Params,
    tables: Tables,
    outs: Vec<ZoneOut>,
    results: RunResults,
    times: PhaseTimes,
    next_iv: usize,
    /// The internal clock (random streams, caseloads): warm-up weeks first.
    t: u32,
}

impl<'s> Simulation<'s> {
    /// Builds the world of `scenario`, ready for its first (warm-up) week.
    pub fn new(scenario: &'s Scenario) -> Simulation<'s> {
        let mut times = PhaseTimes::default();
        let started = Instant::now();
        let world = build::build(scenario);
        times.build = started.elapsed();
        let params = scenario.params.clone();
        Simulation {
            scenario,
            outs: vec![ZoneOut::default(); world.cells.len()],
            world,
            tables: Tables::new(&params),
            params,
            results: RunResults::default(),
            times,
            next_iv: 0,
            t: 0,
        }
    }

    /// Whether every warm-up and recorded week has been simulated.
    pub fn done(&self) -> bool {
        self.t >= self.scenario.warmup_weeks + self.scenario.weeks
    }

    /// Simulates the next week; returns its recorded index (from 0 after the warm-up), or
    /// `None` for a warm-up week. Once [`Simulation::done`], does nothing and returns `None`.
    pub fn week(&mut self) -> Option<u32> {
        if self.done() {
            return None;
        }
        let scenario = self.scenario;
        let seed = scenario.seed;
        let t = self.t;
        self.t += 1;
        let recorded = t.checked_sub(scenario.warmup_weeks);
        let lap = Instant::now();
        while let Some(iv) = scenario
            .interventions
            .get(self.next_iv)
            .filter(|iv| Some(iv.week) == recorded)
        {
            let mut rec = interventions::apply(
                &mut self.world,
                &mut self.params,
                iv,
                seed,
                self.next_iv as u32,
            );
            rec.date = scenario.start_date.and_then(|s| s.week_start(iv.week));
            if matches!(iv.action, crate::scenario::Action::SetParameter { .. }) {
                self.tables = Tables::new(&self.params);
            }
            self.results.interventions.push(rec);
            self.next_iv += 1;
        }
        let lap = self.times.lap(Phase::Interventions, lap);
        let (counters, ties) = step(
            &mut self.world,
            &self.params,
            &self.tables,
            seed,
            t,
            recorded.is_some(),
            &mut self.outs,
            (&mut self.times, lap),
        );
        #[cfg(debug_assertions)]
        {
            // The cheap invariants, every week of every debug build (tests included).
            let checked = invariants::check(&self.world, &self.params)
                .and_then(|()| invariants::check_flows(&counters));
            debug_assert_eq!(checked, Ok(()), "an invariant broke in week {t}");
        }
        let lap = Instant::now();
        if let Some(week) = recorded {
            let r = &mut self.results;
            // A dated scenario's rows carry the last day of their week.
            let date = scenario.start_date.and_then(|s| s.week_end(week));
            let mut row = record::weekly(&self.world, &self.params, week, &counters, ties);
            row.date = date;
            r.weekly.push(row);
            r.by_structure_type.extend(
                record::by_type(&self.world, week, &counters)
                    .into_iter()
                    .map(|row| StructureTypeRecord { date, ..row }),
            );
        }
        self.times.lap(Phase::Record, lap);
        recorded
    }

    /// Wall time so far, by phase.
    pub fn times(&self) -> &PhaseTimes {
        &self.times
    }

    /// Builds the final records (ties, zones, structures) and returns the results.
    pub fn finish(mut self) -> (RunResults, PhaseTimes) {
        let lap = Instant::now();
        record::finish(&self.world, self.scenario.warmup_weeks, &mut self.results);
        self.times.finish = lap.elapsed();
        (self.results, self.times)
    }
}

/// One week after interventions: phases 2 to 7 (structural change only when `structural`).
/// Returns the week's flows and tie statistics; adds each phase's wall time to `clock.0`
/// from `clock.1` on.
#[allow(clippy::too_many_arguments)]
fn step(
    world: &mut World,
    p: &Params,
    tables: &Tables,
    seed: u64,
    week: u32,
    structural: bool,
    outs: &mut [ZoneOut],
    clock: (&mut PhaseTimes, Instant),
) -> (Counters, TieStats) {
    let (times, lap) = clock;
    let directory = prepare::prepare(world, p, week);
    let lap = times.lap(Phase::Prepare, lap);
    {
        let World {
            cells,
            structures,
            org,
            links,
            services,
            ..
        } = &mut *world;
        let ctx = ZoneCtx {
            week,
            seed,
            p,
            tables,
            structures,
            org,
            links,
            services,
            directory: &directory,
        };
        outs.par_iter_mut()
            .zip(cells.par_iter_mut())
            .enumerate()
            .with_max_len(ZONES_PER_JOB)
            .for_each(|(z, (out, cell))| {
                out.counters = Counters::default();
                out.referrals.clear();
                out.movers.clear();
                // Phase 2's work, done by each zone just before its consultations so that the
                // patients' arrays come into the cache once for both.
                prepare::rotate_follow(cell, &tables.complex, week);
                consult::consult_zone(z, cell, &ctx, out);
            });
    }
    let lap = times.lap(Phase::Consult, lap);
    referral::apply(world, outs, p, seed, week);
    let mut c = Counters::default();
    for o in outs.iter() {
        c.add(&o.counters);
    }
    let lap = times.lap(Phase::Refer, lap);
    coordination::coordinate(world, p, seed, week, &mut c);
    let lap = times.lap(Phase::Coordinate, lap);
    let ties = upkeep::upkeep(world, p, seed, week, &mut c);
    let lap = times.lap(Phase::Upkeep, lap);
    if structural {
        structural::change(world, p, seed, week, &mut c);
    }
    times.lap(Phase::Structural, lap);
    (c, ties)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> Scenario {
        let text = "name = \"tiny\"\nweeks = 4\nwarmup_weeks = 0\n[[zones]]\nname = \"town\"\npopulation = 2000\nrurality = \"rural\"\nx_km = 0.0\ny_km = 0.0\n";
        Scenario::from_toml_str(text, "tiny.toml").expect("valid scenario")
    }

    #[test]
    fn a_week_at_a_time_gives_the_results_of_a_whole_run() {
        let s = tiny();
        let mut sim = Simulation::new(&s);
        let mut recorded = Vec::new();
        while !sim.done() {
            recorded.extend(sim.week());
        }
        assert_eq!(recorded, vec![0, 1, 2, 3]);
        assert_eq!(sim.week(), None, "a finished run simulates no more weeks");
        assert_eq!(sim.finish().0, simulate(&s));
    }

    /// The table of final ties, filled zone by zone in parallel from per-zone counts, lists
    /// what a plain loop over the GPs' ties and the inter-organisational ties gives, in that
    /// order, on a world of several zones where a GP with ties has retired, with
    /// professionals in structures and independent.
    #[test]
    fn final_ties_are_each_gps_ties_in_order_then_the_organisational_ones() {
        let s = Scenario::from_toml_str(
            include_str!("../../../../scenarios/small.toml"),
            "small.toml",
        )
        .expect("small scenario");
        let mut sim = Simulation::new(&s);
        for _ in 0..40 {
            sim.week();
        }
        // A GP with ties retires: its ties are left out.
        let retired = sim.world.cells[0]
            .gps
            .iter()
            .position(|g| !g.ties.is_empty());
        sim.world.cells[0].gps[retired.expect("a GP with ties")].active = false;
        let w = &sim.world;
        let prof_structure = |z: usize, i: usize| {
            w.cells[z].profs[i]
                .structure
                .map_or(String::new(), |s| w.structures[s.idx()].name.clone())
        };
        let prof_kind = |z: usize, i: usize| match w.cells[z].profs[i].profession {
            crate::scenario::Profession::Psychologist => "psychologist",
            crate::scenario::Profession::SocialWorker => "social_worker",
            crate::scenario::Profession::Nurse => "nurse",
            crate::scenario::Profession::Gp => "gp",
        };
        let mut expected = Vec::new();
        for (z, cell) in w.cells.iter().enumerate() {
            for (g, gp) in cell.gps.iter().enumerate().filter(|(_, g)| g.active) {
                for t in &gp.ties {
                    let (tz, ti) = (t.prof.zone(), t.prof.idx());
                    expected.push((
                        "professional",
                        format!("gp:{}:{g}", w.zones[z].name),
                        format!("{}:{}:{ti}", prof_kind(tz, ti), w.zones[tz].name),
                        w.structures[gp.structure.idx()].name.clone(),
                        prof_structure(tz, ti),
                        f64::from(t.trust),
                    ));
                }
            }
        }
        for (a, b, t) in w.org.iter() {
            let (a, b) = (&w.structures[a.idx()].name, &w.structures[b.idx()].name);
            expected.push((
                "organisational",
                a.clone(),
                b.clone(),
                a.clone(),
                b.clone(),
                f64::from(t),
            ));
        }
        let got: Vec<_> = record::final_ties(w)
            .iter()
            .map(|t| {
                let own = |s: &str| s.to_string();
                let (src, tgt) = (own(t.source), own(t.target));
                let (ss, ts) = (own(t.source_structure), own(t.target_structure));
                (t.kind, src, tgt, ss, ts, t.strength)
            })
            .collect();
        assert!(w.cells.len() > 1 && w.cells.iter().any(|c| c.gps.iter().any(|g| !g.active)));
        let independent = |t: &(_, _, _, _, String, _)| t.0 == "professional" && t.4.is_empty();
        assert!(expected.iter().any(independent) && !w.org.is_empty());
        assert_eq!(got, expected);
    }

    #[cfg(debug_assertions)]
    #[test]
    #[should_panic(expected = "an invariant broke in week 1")]
    fn debug_builds_stop_at_the_first_week_whose_invariants_break() {
        let s = tiny();
        let mut sim = Simulation::new(&s);
        sim.week();
        // A count kept incrementally that no longer matches a recount.
        sim.world.cells[0].waiting += 1;
        sim.week();
    }
}
