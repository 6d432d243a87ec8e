//! Structure-to-structure cooperation ties: symmetric, sparse, iterated in key order.

use super::StructId;
use std::collections::BTreeMap;

/// Inter-organisational ties keyed by (lower id, higher id).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrgTies {
    map: BTreeMap<(u32, u32), f32>,
}

fn key(a: StructId, b: StructId) -> (u32, u32) {
    if a.0 <= b.0 {
        (a.0, b.0)
    } else {
        (b.0, a.0)
    }
}

impl OrgTies {
    /// Strength of the tie between two structures (0 if none).
    pub fn get(&self, a: StructId, b: StructId) -> f32 {
        if a == b {
            return 0.0;
        }
        self.map.get(&key(a, b)).copied().unwrap_or(0.0)
    }

    /// Moves the tie a share `gain` of the way to 1.
    pub fn strengthen(&mut self, a: StructId, b: StructId, gain: f32) {
        if a == b {
            return;
        }
        let t = self.map.entry(key(a, b)).or_insert(0.0);
        *t = (*t + gain.clamp(0.0, 1.0) * (1.0 - *t)).clamp(0.0, 1.0);
    }

    /// Weekly decay; ties under `prune` are forgotten.
    pub fn decay(&mut self, rate: f32, prune: f32) {
        self.map.retain(|_, t| {
            *t *= 1.0 - rate;
            *t >= prune
        });
    }

    /// All ties in key order.
    pub fn iter(&self) -> impl Iterator<Item = (StructId, StructId, f32)> + '_ {
        self.map
            .iter()
            .map(|(&(a, b), &t)| (StructId(a), StructId(b), t))
    }

    /// Number of ties.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether there is no tie.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}
