//! What a week's phases count for its record: flows, per zone cell, summed in zone order;
//! and the statistics of the GPs' ties after their weekly decay.

use crate::scenario::StructureKind;

/// Flows of one structure kind in a week.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct KindFlow {
    /// Consultations by GPs of this kind of structure.
    pub consultations: u64,
    /// Tasks revealed in them.
    pub tasks: u64,
    /// Delegated inside.
    pub inside: u64,
    /// Referred outside and accepted.
    pub referred: u64,
    /// Of `referred`, accepted by independent professionals (outside the practice, in no
    /// organisation).
    pub to_independents: u64,
    /// Of `referred`, accepted by another organisation: a professional of another structure,
    /// a hospital, social services or a platform.
    pub to_organisations: u64,
    /// Received from other organisations and accepted.
    pub received: u64,
    /// Friction events in their delegations.
    pub friction: u64,
    /// Meetings held.
    pub meetings: u32,
}

/// Flows of a week.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counters {
    /// New episodes.
    pub episodes: u64,
    /// Consultations by the patient's own GP.
    pub consultations: u64,
    /// Walk-in consultations of patients without a declared GP.
    pub walk_in: u64,
    /// Consultations of a fully booked GP's patient by a colleague of its practice.
    pub covered: u64,
    /// Episodes cared for elsewhere after a long wait.
    pub care_elsewhere: u64,
    /// Episodes given up.
    pub forgone: u64,
    /// Tasks revealed.
    pub tasks: u64,
    /// Done alone.
    pub alone: u64,
    /// Delegated inside.
    pub inside: u64,
    /// Referred outside and accepted (not platform).
    pub outside: u64,
    /// Accepted by a platform.
    pub platform: u64,
    /// Dropped.
    pub dropped: u64,
    /// Tasks refused (a referral's target full, or a professional of the structure resisting).
    pub refused: u64,
    /// Of them, delegations refused by a professional of the structure after friction.
    pub resisted: u64,
    /// Needs met.
    pub met: u64,
    /// Needs unmet.
    pub unmet: u64,
    /// Platform tasks, ad hoc.
    pub platform_ad_hoc: u64,
    /// Platform tasks, whole pathway.
    pub platform_pathway: u64,
    /// Platform tasks, coordination of a pathway the platform holds.
    pub platform_followups: u64,
    /// Delegations to professionals (where friction can happen).
    pub prof_delegations: u64,
    /// Friction events.
    pub friction: u64,
    /// Avoidable hospitalisations.
    pub avoidable_hosp: u64,
    /// Professionals who left.
    pub departures: u32,
    /// Coordinators who left (each replaced at once).
    pub coordinator_departures: u32,
    /// Meetings held.
    pub meetings: u32,
    /// Refusals to take part.
    pub refusals: u32,
    /// Protocols written but not adopted (members objected).
    pub protocols_rejected: u32,
    /// MSPs founded.
    pub msps_founded: u32,
    /// GPs retired.
    pub retirements: u32,
    /// GPs arrived.
    pub arrivals: u32,
    /// Weeks waited, summed over consultations (own GP and walk-in).
    pub waited_weeks: u64,
    /// Tasks done (alone, delegated inside, or referred and accepted) whose outcome failed:
    /// with the dropped and the refused, the unmet needs.
    pub failed: u64,
    /// Of `failed`, tasks done alone.
    pub failed_alone: u64,
    /// Per structure kind, in [`StructureKind::ALL`] order.
    pub by_kind: [KindFlow; 8],
}

/// Position of a kind in [`StructureKind::ALL`].
#[inline]
pub fn kind_index(k: StructureKind) -> usize {
    k as usize
}

impl Counters {
    /// Adds another week's (or zone's) flows.
    pub fn add(&mut self, o: &Counters) {
        macro_rules! sum {
            ($($f:ident),*) => { $( self.$f += o.$f; )* };
        }
        sum!(
            episodes,
            consultations,
            walk_in,
            covered,
            care_elsewhere,
            forgone,
            tasks,
            alone,
            inside,
            outside,
            platform,
            dropped,
            refused,
            resisted,
            met,
            unmet,
            platform_ad_hoc,
            platform_pathway,
            platform_followups,
            prof_delegations,
            friction,
            avoidable_hosp,
            departures,
            coordinator_departures,
            meetings,
            refusals,
            protocols_rejected,
            msps_founded,
            retirements,
            arrivals,
            waited_weeks,
            failed,
            failed_alone
        );
        for (a, b) in self.by_kind.iter_mut().zip(o.by_kind.iter()) {
            a.consultations += b.consultations;
            a.tasks += b.tasks;
            a.inside += b.inside;
            a.referred += b.referred;
            a.to_independents += b.to_independents;
            a.to_organisations += b.to_organisations;
            a.received += b.received;
            a.friction += b.friction;
            a.meetings += b.meetings;
        }
    }
}

/// Tie statistics of a zone's GPs (or of all zones, summed in zone order).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TieStats {
    /// Sum of trust.
    pub sum: f64,
    /// Ties.
    pub count: u64,
    /// Ties at or above the activity threshold.
    pub active: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_index_follows_the_output_order() {
        for (i, k) in StructureKind::ALL.iter().enumerate() {
            assert_eq!(kind_index(*k), i);
        }
    }
}
