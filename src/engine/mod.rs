//! The weekly step: a fixed sequence of phases over the world, with results recorded weekly.
//!
//! The engine reads a validated [`Scenario`] and returns [`RunResults`]; it knows nothing of
//! files, arguments or progress bars. Parallel phases work zone by zone, each zone with its
//! own random stream keyed by (seed, purpose, zone, week); sequential phases go in a fixed
//! order. Results are therefore identical whatever the number of threads.

pub mod choice;
pub mod clock;
pub mod consult;
pub mod coordination;
pub mod counters;
pub mod interventions;
pub mod invariants;
pub mod record;
pub mod referral;
pub mod structural;
pub mod tasks;
pub mod upkeep;

use crate::model::delays::Delays;
pub use clock::PhaseTimes;
use crate::model::{build, profile, World};
use crate::results::RunResults;
use crate::scenario::{Params, Scenario};
use consult::{ZoneCtx, ZoneOut};
use counters::Counters;
use rayon::prelude::*;
use std::time::Instant;

/// The phases of a week, in the order they run. The order matters:
///
/// 1. `Interventions` first, so a policy scheduled for week *w* shapes all of week *w*.
/// 2. `Prepare` releases ended follow-ups and resets GP time before anyone asks for it, and
///    opens GP lists and coordinators' case budgets for the week.
/// 3. `Consult` (parallel by zone): demand, consultation, tasks and the GP's choice. Choices
///    see referral targets' room as it was at the start of the week (the directory): GPs
///    refer on what they know, not on what other zones are doing at the same moment.
/// 4. `Refer` (sequential, zone order): referrals outside the structure are accepted while
///    their target has room, so the first zones do not win by thread timing.
/// 5. `Coordinate`: coordinators' meetings and protocols come after the week's work, whose
///    complex cases add to their legitimacy.
/// 6. `Upkeep` (parallel by zone): friction of this week weighs on satisfaction before
///    departures are decided; ties decay after this week's joint work strengthened them.
/// 7. `Structural`: retirements, arrivals and MSP moves last, so a week's flows are counted
///    in the structures where they happened.
/// 8. `Record`: the week's indicators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Scheduled policy changes.
    Interventions,
    /// Start-of-week bookkeeping.
    Prepare,
    /// Demand, consultation, tasks, delegation choices.
    Consult,
    /// Referrals across structures and zones.
    Refer,
    /// Coordinators' work and inter-organisational networking.
    Coordinate,
    /// Satisfaction, departures, tie decay.
    Upkeep,
    /// Retirements, arrivals, MSP formation.
    Structural,
    /// Indicators.
    Record,
}

impl Phase {
    /// Every phase, in the order they run.
    pub const ALL: [Phase; 8] = [
        Phase::Interventions,
        Phase::Prepare,
        Phase::Consult,
        Phase::Refer,
        Phase::Coordinate,
        Phase::Upkeep,
        Phase::Structural,
        Phase::Record,
    ];

    /// The phase's name in lower case, as in `timings.json`.
    pub fn name(self) -> &'static str {
        match self {
            Phase::Interventions => "interventions",
            Phase::Prepare => "prepare",
            Phase::Consult => "consult",
            Phase::Refer => "refer",
            Phase::Coordinate => "coordinate",
            Phase::Upkeep => "upkeep",
            Phase::Structural => "structural",
            Phase::Record => "record",
        }
    }
}

/// Tables derived from the parameters in force.
#[derive(Debug, Clone)]
pub struct Tables {
    /// Time to next episode by profile.
    pub delays: Delays,
    /// Whether a profile is complex.
    pub complex: [bool; profile::COUNT],
}

impl Tables {
    /// Tables for `p`.
    pub fn new(p: &Params) -> Tables {
        Tables {
            delays: Delays::new(&p.demand),
            complex: build::complex_table(p),
        }
    }
}

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
    let mut times = PhaseTimes::default();
    let started = Instant::now();
    let mut world = build::build(scenario);
    times.build = started.elapsed();
    let mut params = scenario.params.clone();
    let mut tables = Tables::new(&params);
    let seed = scenario.seed;
    let mut results = RunResults::default();
    let mut outs: Vec<ZoneOut> = vec![ZoneOut::default(); world.cells.len()];
    let mut next_iv = 0;
    let warmup = scenario.warmup_weeks;
    for t in 0..warmup + scenario.weeks {
        // `t` is the internal clock (random streams, caseloads); weeks are recorded from 0 after warm-up.
        let recorded = t.checked_sub(warmup);
        let lap = Instant::now();
        while let Some(iv) = scenario
            .interventions
            .get(next_iv)
            .filter(|iv| Some(iv.week) == recorded)
        {
            let rec = interventions::apply(&mut world, &mut params, iv, seed, next_iv as u32);
            if matches!(iv.action, crate::scenario::Action::SetParameter { .. }) {
                tables = Tables::new(&params);
            }
            results.interventions.push(rec);
            next_iv += 1;
        }
        let lap = times.lap(Phase::Interventions, lap);
        let (counters, ties) = step(
            &mut world,
            &params,
            &tables,
            seed,
            t,
            recorded.is_some(),
            &mut outs,
            (&mut times, lap),
        );
        let lap = Instant::now();
        if let Some(week) = recorded {
            results
                .weekly
                .push(record::weekly(&world, &params, week, &counters, ties));
            results
                .by_structure_type
                .extend(record::by_type(&world, week, &counters));
            progress(week);
        }
        times.lap(Phase::Record, lap);
    }
    let lap = Instant::now();
    record::finish(&world, warmup, &mut results);
    times.finish = lap.elapsed();
    (results, times)
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
) -> (Counters, upkeep::TieStats) {
    let (times, lap) = clock;
    {
        let World {
            cells, structures, ..
        } = &mut *world;
        let structures = &*structures;
        cells
            .par_iter_mut()
            .for_each(|c| upkeep::prepare_zone(c, structures, p, week));
        let memory = p.delegation.availability_memory.get() as f32;
        for s in world.structures.iter_mut() {
            s.close_week(memory);
        }
    }
    let directory = upkeep::directory(world);
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
            .for_each(|(z, (out, cell))| {
                out.counters = Counters::default();
                out.referrals.clear();
                out.movers.clear();
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

    let departed: Vec<Vec<crate::model::ProfRef>> = world
        .cells
        .par_iter_mut()
        .enumerate()
        .map(|(z, cell)| upkeep::professionals_zone(cell, z, p, seed, week))
        .collect();
    let mut departed: Vec<_> = departed.into_iter().flatten().collect();
    departed.sort_unstable();
    c.departures += departed.len() as u32;
    let stats: Vec<upkeep::TieStats> = world
        .cells
        .par_iter_mut()
        .map(|cell| upkeep::ties_zone(cell, p, &departed))
        .collect();
    let mut ties = upkeep::TieStats::default();
    for s in stats {
        ties.sum += s.sum;
        ties.count += s.count;
        ties.active += s.active;
    }
    world.org.decay(
        p.interorg.decay_per_week.get() as f32,
        p.ties.prune_below.get() as f32,
    );
    let lap = times.lap(Phase::Upkeep, lap);
    if structural {
        structural::change(world, p, seed, week, &mut c);
    }
    times.lap(Phase::Structural, lap);
    (c, ties)
}
