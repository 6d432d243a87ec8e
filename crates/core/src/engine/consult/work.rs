//! One zone's consultations in progress: the state the scan of due patients ([`super`]) and
//! the GPs' choices ([`super::choice`]) share, with the few acts both make (a coin, a
//! follow-up mark, an unmet need).

use crate::engine::zone::{ZoneCtx, ZoneOut};
use crate::model::{Reach, Structure, ZoneCell};
use crate::scenario::StructureKind;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// One zone's consultations in progress: its cell, the week's context, its outbox and its
/// random stream, where the walk-in search stands, and the services at hand.
pub(super) struct ZoneWork<'a, 'b> {
    pub(super) z: usize,
    pub(super) cell: &'b mut ZoneCell,
    pub(super) ctx: &'b ZoneCtx<'a>,
    pub(super) out: &'b mut ZoneOut,
    pub(super) rng: ChaCha8Rng,
    /// The next GP a walk-in patient asks.
    pub(super) walk_cursor: usize,
    /// Whether every GP was found full for walk-ins this week.
    pub(super) walk_full: bool,
    /// The nearest active hospital, social services and support platform
    /// ([`SERVICE_KINDS`] order), found once a week: structures do not change during the
    /// consultations.
    pub(super) at_hand: [Option<Reach>; 3],
}

/// The kinds of referral services a GP weighs, in the order of [`ZoneWork::at_hand`].
pub(super) const SERVICE_KINDS: [StructureKind; 3] = [
    StructureKind::Hospital,
    StructureKind::SocialServices,
    StructureKind::Dac,
];

/// The place of support platforms in [`SERVICE_KINDS`] and [`ZoneWork::at_hand`].
pub(super) const PLATFORM_AT_HAND: usize = 2;

/// The first active service of each of [`SERVICE_KINDS`] in `reach` (ordered nearest first).
fn services_at_hand(reach: &[Reach], structures: &[Structure]) -> [Option<Reach>; 3] {
    let mut found = [None; 3];
    for r in reach {
        let st = &structures[r.structure.idx()];
        if let Some(k) = SERVICE_KINDS.iter().position(|&k| k == st.kind) {
            if st.active && found[k].is_none() {
                found[k] = Some(*r);
            }
        }
    }
    found
}

impl<'a, 'b> ZoneWork<'a, 'b> {
    /// Zone `z`'s consultations about to start, drawing from `rng`.
    pub(super) fn new(
        z: usize,
        cell: &'b mut ZoneCell,
        ctx: &'b ZoneCtx<'a>,
        out: &'b mut ZoneOut,
        rng: ChaCha8Rng,
    ) -> ZoneWork<'a, 'b> {
        ZoneWork {
            z,
            cell,
            ctx,
            out,
            rng,
            walk_cursor: 0,
            walk_full: false,
            at_hand: services_at_hand(&ctx.services[z], ctx.structures),
        }
    }

    /// A coin of probability `p` from the zone's stream.
    #[inline]
    pub(super) fn coin(&mut self, p: f64) -> bool {
        self.rng.random::<f64>() < p
    }

    /// Patient `i` was followed by a profession (`bit`) this week.
    pub(super) fn follow(&mut self, i: usize, bit: u8, complex: bool) {
        self.cell.complex_multi += self.cell.patients.add_follow(i, bit, complex);
    }

    /// A task done whose outcome failed: an unmet need.
    pub(super) fn failed(&mut self, complex: bool) {
        self.out.counters.failed += 1;
        self.unmet(complex);
    }

    /// A need went unmet; a complex patient's may end in an avoidable hospitalisation.
    pub(super) fn unmet(&mut self, complex: bool) {
        self.out.counters.unmet += 1;
        if complex && self.coin(self.ctx.p.outcomes.avoidable_hosp_per_unmet.get()) {
            self.out.counters.avoidable_hosp += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_platform_at_hand_is_the_support_platform_slot() {
        assert_eq!(SERVICE_KINDS[PLATFORM_AT_HAND], StructureKind::Dac);
    }
}
