//! Plain data of a simulated territory: zones, patients (struct of arrays), professionals,
//! structures and ties. Built from a [`crate::Scenario`] by [`build`]; changed only by the engine,
//! through which new members ([`members`]) also join during a run.
//!
//! Every zone is a [`ZoneCell`] that owns its patients, GPs and support professionals. Patients
//! are stored in the zone of their declared GP (or of their home while they have none), so a
//! consultation touches one cell only: cells are the unit of parallel work and of random streams.

pub mod build;
pub mod delays;
mod ids;
pub mod members;
mod orgties;
mod patients;
mod people;
mod structure;

pub use ids::{GpRef, ProfRef, StructId, NONE16};
pub use orgties::OrgTies;
pub use patients::{follow, profile, Patients};
#[cfg(test)]
pub use people::Tie;
pub use people::{prefetch_lines, prefetch_ties, Gp, Prof, Releases, RELEASE_RING};
pub use structure::Structure;

use crate::scenario::ZoneSpec;

/// A link of the territorial network.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Link {
    /// The linked zone.
    pub to: u16,
    /// Travel time (minutes).
    pub minutes: f32,
    /// exp(-minutes / distance decay): how attractive the zone is from here.
    pub attraction: f32,
}

/// A referral service (platform, hospital, social services) reachable from a zone.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reach {
    /// The service.
    pub structure: StructId,
    /// Travel time (minutes).
    pub minutes: f32,
}

/// Everything that lives in one zone.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ZoneCell {
    /// Patients stored here.
    pub patients: Patients,
    /// GPs practising here (retired ones stay, inactive, so indices hold).
    pub gps: Vec<Gp>,
    /// Support professionals practising here.
    pub profs: Vec<Prof>,
    /// Each professional's ring of case releases, by the index in `profs`.
    pub releases: Vec<Releases>,
    /// Structures standing here.
    pub structures: Vec<StructId>,
    /// Coordination state of this week, parallel to `structures`.
    pub coord: Vec<CoordWeek>,
    /// GPs with room on their list this week (rebuilt each week).
    pub open_gps: Vec<u16>,
    /// Kind (as an index) of each GP's structure this week (rebuilt each week): read at every
    /// consultation, where looking it up in the territory's structures would miss the cache.
    pub gp_kind: Vec<u8>,
    /// Complex patients stored here.
    pub complex_total: u64,
    /// Complex patients followed by two or more professions in the window.
    pub complex_multi: u64,
    /// Patients waiting for a consultation.
    pub waiting: u64,
    /// Patients without a declared GP.
    pub without_gp: u64,
}

/// A structure's coordination budget and use in the current week.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CoordWeek {
    /// Complex cases the coordinator can still follow this week.
    pub case_slots: f32,
    /// Complex cases followed this week.
    pub cases: u32,
}

/// The whole simulated territory.
#[derive(Debug, Clone)]
pub struct World {
    /// Zones as the scenario gives them.
    pub zones: Vec<ZoneSpec>,
    /// Links of each zone, nearest first.
    pub links: Vec<Vec<Link>>,
    /// Referral services reachable from each zone, nearest first.
    pub services: Vec<Vec<Reach>>,
    /// Per-zone mutable state.
    pub cells: Vec<ZoneCell>,
    /// All structures, named ones first (in scenario order), then generated ones.
    pub structures: Vec<Structure>,
    /// Structure-to-structure cooperation.
    pub org: OrgTies,
}

impl World {
    /// Adds a structure standing in `zone` (founded during the run); returns its id.
    pub fn add_structure(&mut self, mut s: Structure) -> StructId {
        let id = StructId(self.structures.len() as u32);
        let cell = &mut self.cells[s.zone as usize];
        s.slot = cell.structures.len() as u16;
        cell.structures.push(id);
        cell.coord.push(CoordWeek::default());
        self.structures.push(s);
        id
    }

    /// Moves an active GP to another structure of the same zone.
    pub fn move_gp(&mut self, g: GpRef, to: StructId) {
        let from = self.cells[g.zone as usize].gps[g.idx as usize].structure;
        if from == to {
            return;
        }
        self.structures[from.idx()].gps.retain(|&x| x != g);
        self.structures[to.idx()].gps.push(g);
        self.cells[g.zone as usize].gps[g.idx as usize].structure = to;
    }
}
