//! Phase 6 ([`super::Phase::Upkeep`]): after the week's work, support professionals'
//! satisfaction recovers or they leave (and are replaced after a delay), GPs' ties fade and
//! forget those who left, GPs age, and inter-organisational ties decay. Each zone's function
//! touches that zone only.

use super::counters::{Counters, TieStats};
use super::parallel::ZONES_PER_JOB;
use super::structural::weekly;
use crate::model::members::new_prof;
use crate::model::{ProfRef, World, ZoneCell};
use crate::rng::{stream, Purpose};
use crate::scenario::Params;
use rand::Rng;
use rayon::prelude::*;

/// The end of the week everywhere: professionals' departures and replacements by zone in
/// parallel (departures are counted in `c`), then every GP's ties (forgetting the posts
/// vacated), then the inter-organisational ties. Returns the GPs' tie statistics.
pub fn upkeep(world: &mut World, p: &Params, seed: u64, week: u32, c: &mut Counters) -> TieStats {
    let departed: Vec<Vec<ProfRef>> = world
        .cells
        .par_iter_mut()
        .enumerate()
        .with_max_len(ZONES_PER_JOB)
        .map(|(z, cell)| professionals_zone(cell, z, p, seed, week))
        .collect();
    let departed: Vec<_> = departed.into_iter().flatten().collect();
    c.departures += departed.len() as u32;
    let gone = Departed::new(&world.cells, &departed);
    let stats: Vec<TieStats> = world
        .cells
        .par_iter_mut()
        .with_max_len(ZONES_PER_JOB)
        .map(|cell| ties_zone(cell, p, &gone))
        .collect();
    let mut ties = TieStats::default();
    for s in stats {
        ties.sum += s.sum;
        ties.count += s.count;
        ties.active += s.active;
    }
    world.org.decay(
        p.interorg.decay_per_week.get() as f32,
        p.ties.prune_below.get() as f32,
    );
    ties
}

/// Support professionals at the end of the week: satisfaction recovers toward its initial
/// level; a professional leaves for reasons of its own (`turnover_per_year`, raised by
/// dissatisfaction) or after long under the leave threshold, and the post is filled again
/// after a delay by a newcomer. Returns the posts vacated this week.
pub fn professionals_zone(
    cell: &mut ZoneCell,
    z: usize,
    p: &Params,
    seed: u64,
    week: u32,
) -> Vec<ProfRef> {
    let pr = &p.professionals;
    let initial = pr.satisfaction_initial.get() as f32;
    let recovery = pr.satisfaction_recovery.get() as f32;
    let threshold = pr.leave_threshold.get() as f32;
    let turnover = weekly(pr.turnover_per_year.get());
    let effect = pr.dissatisfaction_effect.get();
    let mut rng = stream(seed, Purpose::Professionals, z as u32, week);
    let mut left = Vec::new();
    let cell_releases = &mut cell.releases;
    for (i, prof) in cell.profs.iter_mut().enumerate() {
        if !prof.in_post() {
            if week >= prof.vacant_until {
                *prof = new_prof(&mut rng, p, prof.profession, prof.structure);
            }
            continue;
        }
        if prof.satisfaction < initial {
            prof.satisfaction += recovery * (initial - prof.satisfaction);
        }
        if prof.satisfaction < threshold {
            prof.low_weeks += 1;
        } else {
            prof.low_weeks = 0;
        }
        // Leaving for reasons of its own, more often the less satisfied it is.
        let lost = f64::from((initial - prof.satisfaction).max(0.0) / initial.max(1e-6));
        let leaves = rng.random::<f64>() < turnover * (1.0 + effect * lost);
        if leaves || u32::from(prof.low_weeks) >= pr.leave_after_weeks.max(1) {
            prof.vacant_until = week + pr.replacement_delay_weeks.max(1);
            prof.active_cases = 0;
            cell_releases[i] = [0; crate::model::RELEASE_RING];
            prof.low_weeks = 0;
            left.push(ProfRef::new(z as u16, i as u16));
        }
    }
    left
}

/// The posts whose holder left this week, as one bit a professional of the territory: a
/// GP's every tie is looked up in it each week, and a bit found in a table a few kilobytes
/// long costs a fraction of a search in a sorted list of departures.
pub struct Departed {
    /// Per zone, the index of its first professional's bit.
    first: Vec<usize>,
    /// The bits, one a professional, zones in order.
    bits: Vec<u64>,
}

impl Departed {
    /// The posts `departed` among the professionals of `cells`.
    pub fn new(cells: &[ZoneCell], departed: &[ProfRef]) -> Departed {
        let mut first = Vec::with_capacity(cells.len());
        let mut n = 0usize;
        for cell in cells {
            first.push(n);
            n += cell.profs.len();
        }
        let mut bits = if departed.is_empty() {
            Vec::new()
        } else {
            vec![0u64; n.div_ceil(64)]
        };
        for r in departed {
            let b = first[r.zone()] + r.idx();
            bits[b / 64] |= 1 << (b % 64);
        }
        Departed { first, bits }
    }

    /// Whether `prof`'s holder left this week.
    #[inline]
    pub fn contains(&self, prof: ProfRef) -> bool {
        if self.bits.is_empty() {
            return false;
        }
        let b = self.first[prof.zone()] + prof.idx();
        self.bits[b / 64] >> (b % 64) & 1 == 1
    }
}

/// Ties fade without use; ties to posts whose holder left are forgotten. GPs age a week.
pub fn ties_zone(cell: &mut ZoneCell, p: &Params, departed: &Departed) -> TieStats {
    let keep = 1.0 - p.ties.decay_per_week.get() as f32;
    let prune = p.ties.prune_below.get() as f32;
    let active = p.ties.active_threshold.get() as f32;
    let mut st = TieStats::default();
    crate::model::prefetch_ties(&cell.gps);
    for gp in &mut cell.gps {
        gp.age += 1.0 / 52.0;
        // One pass: decay, forget, and count what is kept (only for practising GPs).
        let counted = gp.active;
        gp.ties.retain_mut(|t| {
            t.trust *= keep;
            let kept = t.trust >= prune && !departed.contains(t.prof);
            if kept && counted {
                st.sum += f64::from(t.trust);
                st.count += 1;
                st.active += u64::from(t.trust >= active);
            }
            kept
        });
    }
    st
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::build;
    use crate::scenario::Scenario;

    #[test]
    fn the_departed_are_exactly_the_posts_given() {
        let world = build::build(&Scenario::default_scenario().expect("valid default"));
        let all: Vec<ProfRef> = world
            .cells
            .iter()
            .enumerate()
            .flat_map(|(z, c)| (0..c.profs.len()).map(move |i| ProfRef::new(z as u16, i as u16)))
            .collect();
        let departed: Vec<ProfRef> = all.iter().copied().step_by(7).collect();
        let gone = Departed::new(&world.cells, &departed);
        for (k, &r) in all.iter().enumerate() {
            assert_eq!(gone.contains(r), k % 7 == 0, "{r:?}");
        }
        let none = Departed::new(&world.cells, &[]);
        assert!(all.iter().all(|&r| !none.contains(r)));
    }
}
