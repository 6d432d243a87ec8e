//! What phases share about one zone's week: the read-only context of its consultations
//! (phase 3), and its outbox, which carries what crosses zones to the referrals (phase 4):
//! the referrals made, the patients looking elsewhere, whether each referral's target had
//! room, and the effects of its referrals on other zones.

use super::counters::Counters;
use super::directory::{DirTrust, Directory};
use super::tables::Tables;
use super::tasks::Referral;
use crate::model::{Link, OrgTies, ProfRef, Reach, StructId, Structure};
use crate::scenario::Params;

/// Read-only context of a zone's week.
pub struct ZoneCtx<'a> {
    /// Week.
    pub week: u32,
    /// Scenario seed.
    pub seed: u64,
    /// Parameters in force.
    pub p: &'a Params,
    /// Precomputed tables.
    pub tables: &'a Tables,
    /// Structures (read-only during this phase).
    pub structures: &'a [Structure],
    /// Inter-organisational ties (read-only during this phase).
    pub org: &'a OrgTies,
    /// Network links.
    pub links: &'a [Vec<Link>],
    /// Referral services by zone.
    pub services: &'a [Vec<Reach>],
    /// Referral directory.
    pub directory: &'a Directory,
}

/// What a zone's week sends out.
#[derive(Debug, Clone, Default)]
pub struct ZoneOut {
    /// Flows counted.
    pub counters: Counters,
    /// Referrals to apply, in the order made.
    pub referrals: Vec<Referral>,
    /// Patients without a GP who look for one in a linked zone.
    pub movers: Vec<u32>,
    /// Whether each referral's target had room (decided in zone order), by half of the
    /// targets (see `referral::apply`), each in the order the referrals were made.
    pub decisions: [Vec<Decision>; 2],
    /// Professionals of any zone whose satisfaction this zone's friction costs, in order.
    pub frictions: Vec<ProfRef>,
    /// Inter-organisational tie gains this zone's referrals make, in order.
    pub org: Vec<(StructId, StructId, f32)>,
    /// Follow-up marks of the zone's accepted referrals (see `referral::apply_marks`).
    pub marks: Vec<u64>,
    /// The zone's GPs' trust in its directory candidates, looked up at most once a week.
    pub(super) dir_trust: DirTrust,
}

/// What the zone-ordered pass decided for one referral: whether its target had room.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Decision {
    /// The target was full (or vacant, or closed).
    Refused,
    /// A support professional took the follow-up.
    Prof {
        /// The professional.
        pref: ProfRef,
        /// The professional's demand for autonomy.
        autonomy: f32,
        /// The professional's structure, if any.
        to: Option<StructId>,
    },
    /// A hospital, social services or a platform took the task.
    Service(StructId),
}
