//! Structures: practices, health centres, MSMA, platforms, hospitals, social services.

use super::GpRef;
use crate::scenario::StructureKind;

/// A structure and its coordination state.
#[derive(Debug, Clone, PartialEq)]
pub struct Structure {
    /// Name (named in the scenario, or generated `<zone>/<kind>-<n>`).
    pub name: String,
    /// Kind.
    pub kind: StructureKind,
    /// Zone where it stands.
    pub zone: u16,
    /// In operation.
    pub active: bool,
    /// Member GPs (same zone).
    pub gps: Vec<GpRef>,
    /// Member professionals: indices in the zone's `profs`.
    pub profs: Vec<u16>,
    /// Coordinator FTE.
    pub coordinator_fte: f32,
    /// Trained coordinator.
    pub trained: bool,
    /// Shared information system.
    pub info_system: bool,
    /// Agreed protocols.
    pub protocols: u32,
    /// Coordinator hours accumulated toward the next protocol.
    pub protocol_progress: f32,
    /// Coordinator legitimacy, 0 to 1.
    pub legitimacy: f32,
    /// Age at the start of the run (years).
    pub age_years: f32,
    /// Week founded (0 for the start).
    pub founded_week: u32,
    /// Referral services: tasks accepted per week.
    pub capacity_per_week: f32,
    /// Referral services: tasks accepted this week.
    pub used_this_week: f32,
    /// Referral services: share of capacity GPs believe is used (a moving average of past weeks).
    pub believed_use: f32,
    /// Index of this structure in its zone's `structures` (and `coord`).
    pub slot: u16,
    /// Meetings' progress: coordinator hours accumulated toward the next meeting.
    pub meeting_progress: f32,
    /// Share of the members invited to the last meeting who took part (0 before any).
    pub attendance: f32,
}

impl Structure {
    /// Coordinator effect: FTE (capped at 1) × legitimacy × training multiplier.
    #[inline]
    pub fn coordination_effect(&self, training_multiplier: f32) -> f32 {
        if self.coordinator_fte <= 0.0 {
            return 0.0;
        }
        let m = if self.trained {
            training_multiplier
        } else {
            1.0
        };
        (self.coordinator_fte.min(1.0) * self.legitimacy * m).min(1.0)
    }

    /// Legitimacy `legitimacy` after a gain of `amount`: useful work moves legitimacy a share
    /// `amount` of the way to 1 (never past it).
    #[inline]
    pub fn legitimacy_after_gain(legitimacy: f32, amount: f32) -> f32 {
        legitimacy + amount.clamp(0.0, 1.0) * (1.0 - legitimacy)
    }

    /// Age in years at `week`.
    pub fn age_at(&self, week: u32) -> f32 {
        self.age_years + week.saturating_sub(self.founded_week) as f32 / 52.0
    }

    /// Free share of a referral service's weekly capacity, as GPs believe it to be.
    #[inline]
    pub fn free_share(&self) -> f32 {
        if !self.active || self.capacity_per_week <= 0.0 {
            return 0.0;
        }
        (1.0 - self.believed_use).clamp(0.0, 1.0)
    }

    /// Ends a referral service's week: belief about its use moves toward this week's.
    pub fn close_week(&mut self, memory: f32) {
        if self.capacity_per_week > 0.0 {
            let used = (self.used_this_week / self.capacity_per_week).min(1.0);
            self.believed_use = memory * self.believed_use + (1.0 - memory) * used;
        }
        self.used_this_week = 0.0;
    }
}
