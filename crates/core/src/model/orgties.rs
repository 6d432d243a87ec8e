//! Structure-to-structure cooperation ties: symmetric, sparse, iterated in key order.
//!
//! Each structure keeps its own partners, sorted, so that a GP weighing a referral finds the
//! tie of its structure with a service in a short list of its own (a binary search over a few
//! entries) rather than in one map of every tie in the territory.

use super::StructId;
use rayon::prelude::*;

/// Inter-organisational ties; each tie is stored at both ends, with the same strength.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrgTies {
    /// Per structure (by id): its partners' ids, ascending, with the tie's strength.
    adj: Vec<Vec<(u32, f32)>>,
    /// Number of ties (each counted once).
    len: usize,
}

fn find(list: &[(u32, f32)], b: u32) -> Result<usize, usize> {
    list.binary_search_by_key(&b, |e| e.0)
}

impl OrgTies {
    /// [`super::prefetch_lines`] of structure `a`'s ties.
    pub fn prefetch(&self, a: StructId) -> u32 {
        self.adj
            .get(a.idx())
            .map_or(0, |list| super::prefetch_lines(list, |e| e.0))
    }

    /// Strength of the tie between two structures (0 if none).
    pub fn get(&self, a: StructId, b: StructId) -> f32 {
        if a == b {
            return 0.0;
        }
        self.adj
            .get(a.idx())
            .and_then(|list| find(list, b.0).ok().map(|i| list[i].1))
            .unwrap_or(0.0)
    }

    /// Moves the tie a share `gain` of the way to 1.
    pub fn strengthen(&mut self, a: StructId, b: StructId, gain: f32) {
        if a == b {
            return;
        }
        let needed = a.idx().max(b.idx()) + 1;
        if self.adj.len() < needed {
            self.adj.resize_with(needed, Vec::new);
        }
        let t = raised(self.get(a, b), gain);
        let mut added = false;
        for (from, to) in [(a, b), (b, a)] {
            let list = &mut self.adj[from.idx()];
            match find(list, to.0) {
                Ok(i) => list[i].1 = t,
                Err(i) => {
                    list.insert(i, (to.0, t));
                    added = true;
                }
            }
        }
        if added {
            self.len += 1;
        }
    }

    /// Applies `strengthen` to each `(a, b, gain)` of `ties`, in order, with the same result.
    /// Both ends of a tie always hold the same strength, so each end's list can be brought
    /// up to date on its own: the lists of structures below `at` by one thread, the others by
    /// another, each going through all of `ties` in order. Every id is below `structures`.
    pub fn strengthen_in_order<'a, I>(&mut self, at: usize, structures: usize, ties: I)
    where
        I: Iterator<Item = &'a (StructId, StructId, f32)> + Clone + Send,
    {
        let needed = structures.max(at);
        debug_assert!(ties.clone().all(|(a, b, _)| a.idx().max(b.idx()) < needed));
        if self.adj.len() < needed {
            self.adj.resize_with(needed, Vec::new);
        }
        if at >= self.adj.len() {
            self.len += strengthen_ends(&mut self.adj, 0, ties);
            return;
        }
        let (low, high) = self.adj.split_at_mut(at);
        let other = ties.clone();
        let (x, y) = rayon::join(
            move || strengthen_ends(low, 0, ties),
            move || strengthen_ends(high, at, other),
        );
        self.len += x + y;
    }

    /// Weekly decay; ties below `prune` are dropped. Each structure's list is its own, so
    /// they decay in parallel.
    pub fn decay(&mut self, rate: f32, prune: f32) {
        let ends: usize = self
            .adj
            .par_iter_mut()
            .map(|list| {
                list.retain_mut(|(_, t)| {
                    *t *= 1.0 - rate;
                    *t >= prune
                });
                list.len()
            })
            .sum();
        self.len = ends / 2;
    }

    /// All ties as (lower id, higher id, strength), in key order.
    pub fn iter(&self) -> impl Iterator<Item = (StructId, StructId, f32)> + '_ {
        self.adj.iter().enumerate().flat_map(|(a, list)| {
            let a = a as u32;
            list.iter()
                .filter(move |&&(b, _)| b > a)
                .map(move |&(b, t)| (StructId(a), StructId(b), t))
        })
    }

    /// Number of ties.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are none.
    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// A tie of strength `t` moved a share `gain` of the way to 1.
fn raised(t: f32, gain: f32) -> f32 {
    (t + gain.clamp(0.0, 1.0) * (1.0 - t)).clamp(0.0, 1.0)
}

/// The half of [`OrgTies::strengthen_in_order`] that owns the lists of structures `base..`
/// (`lists`): each tie raises the end in `lists`, from the strength that end holds. Returns
/// the number of new ties, each counted at its lower end.
fn strengthen_ends<'a>(
    lists: &mut [Vec<(u32, f32)>],
    base: usize,
    ties: impl Iterator<Item = &'a (StructId, StructId, f32)>,
) -> usize {
    let mut added = 0;
    for &(a, b, gain) in ties {
        if a == b {
            continue;
        }
        for (from, to) in [(a, b), (b, a)] {
            let Some(list) = from.idx().checked_sub(base).and_then(|i| lists.get_mut(i)) else {
                continue;
            };
            match find(list, to.0) {
                Ok(i) => list[i].1 = raised(list[i].1, gain),
                Err(i) => {
                    list.insert(i, (to.0, raised(0.0, gain)));
                    added += usize::from(from.0 < to.0);
                }
            }
        }
    }
    added
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use std::collections::BTreeMap;

    /// The ties behave as one symmetric map keyed by (lower id, higher id), whatever the order
    /// of the ends, through strengthening, decay and pruning.
    #[test]
    fn ties_agree_with_a_symmetric_map_under_random_operations() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let mut ties = OrgTies::default();
        let mut map: BTreeMap<(u32, u32), f32> = BTreeMap::new();
        for step in 0..4000 {
            let (a, b) = (rng.random_range(0..40u32), rng.random_range(0..40u32));
            if step % 50 == 49 {
                ties.decay(0.2, 0.05);
                map.retain(|_, t| {
                    *t *= 1.0 - 0.2;
                    *t >= 0.05
                });
            } else if a != b {
                let gain = rng.random::<f32>();
                ties.strengthen(StructId(a), StructId(b), gain);
                let t = map.entry((a.min(b), a.max(b))).or_insert(0.0);
                *t = (*t + gain * (1.0 - *t)).clamp(0.0, 1.0);
            }
            let x = StructId(rng.random_range(0..45u32));
            let y = StructId(rng.random_range(0..45u32));
            let expected = if x == y {
                0.0
            } else {
                map.get(&(x.0.min(y.0), x.0.max(y.0)))
                    .copied()
                    .unwrap_or(0.0)
            };
            assert_eq!(ties.get(x, y), expected);
            assert_eq!(ties.get(y, x), expected);
        }
        let listed: Vec<_> = ties.iter().map(|(a, b, t)| ((a.0, b.0), t)).collect();
        let expected: Vec<_> = map.into_iter().collect();
        assert_eq!(ties.len(), expected.len());
        assert_eq!(listed, expected);
        assert!(!ties.is_empty());
    }

    /// Strengthening each end's list apart, split anywhere, leaves the ties and their count
    /// as strengthening whole ties in order does: repeated and new pairs, pairs of one
    /// structure, structures beyond those seen so far, and gains outside 0 to 1.
    #[test]
    fn strengthening_by_ends_equals_strengthening_in_order() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        for round in 0..60 {
            let mut whole = OrgTies::default();
            let mut split = OrgTies::default();
            let n = 2 + round % 30;
            for _ in 0..5 {
                let batch: Vec<(StructId, StructId, f32)> = (0..rng.random_range(0..80))
                    .map(|_| {
                        let a = StructId(rng.random_range(0..n));
                        let b = StructId(rng.random_range(0..n));
                        (a, b, rng.random_range(-0.2f32..1.2))
                    })
                    .collect();
                for &(a, b, gain) in &batch {
                    whole.strengthen(a, b, gain);
                }
                let at = rng.random_range(0..n as usize + 3);
                split.strengthen_in_order(at, n as usize, batch.iter());
                assert_eq!(split.len(), whole.len());
                assert!(
                    split.iter().eq(whole.iter()),
                    "round {round}, split at {at}"
                );
                whole.decay(0.1, 0.05);
                split.decay(0.1, 0.05);
            }
        }
    }
}
