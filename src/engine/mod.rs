//! The weekly step: a fixed sequence of phases over the world, with results recorded weekly.
//!
//! The engine reads a validated [`Scenario`] and returns [`RunResults`]; it knows nothing of
//! files, arguments or progress bars. Parallel phases work zone by zone, each zone with its
//! own random stream keyed by (seed, purpose, zone, week); sequential phases go in a fixed
//! order. Results are therefore identical whatever the number of threads.

pub mod choice;
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
use crate::model::{build, profile, World};
use crate::results::RunResults;
use crate::scenario::{Params, Scenario};
use consult::{ZoneCtx, ZoneOut};
use counters::Counters;
use rayon::prelude::*;

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
    let mut world = build::build(scenario);
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
        let (counters, ties) = step(
            &mut world,
            &params,
            &tables,
            seed,
            t,
            recorded.is_some(),
            &mut outs,
        );
        if let Some(week) = recorded {
            results
                .weekly
                .push(record::weekly(&world, &params, week, &counters, ties));
            results
                .by_structure_type
                .extend(record::by_type(&world, week, &counters));
            progress(week);
        }
    }
    record::finish(&world, warmup, &mut results);
    results
}

/// One week after interventions: phases 2 to 7 (structural change only when `structural`).
/// Returns the week's flows and tie statistics.
fn step(
    world: &mut World,
    p: &Params,
    tables: &Tables,
    seed: u64,
    week: u32,
    structural: bool,
    outs: &mut [ZoneOut],
) -> (Counters, upkeep::TieStats) {
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
    referral::apply(world, outs, p, seed, week);
    let mut c = Counters::default();
    for o in outs.iter() {
        c.add(&o.counters);
    }
    coordination::coordinate(world, p, seed, week, &mut c);

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
    if structural {
        structural::change(world, p, seed, week, &mut c);
    }
    (c, ties)
}
