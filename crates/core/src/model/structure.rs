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
    /// Support platforms: tasks taken in past weeks and not yet served (its queue), as at the
    /// start of the week.
    pub backlog: f32,
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

    /// Whether a referral service takes one more task this week: while what it holds (its
    /// queue and this week's tasks) stays within `1 + queue_weeks` weeks of its capacity
    /// (`queue_weeks` is 0 but for support platforms, which keep a queue).
    #[inline]
    pub fn has_room(&self, queue_weeks: f32) -> bool {
        self.backlog + self.used_this_week + 1.0 <= self.capacity_per_week * (1.0 + queue_weeks)
    }

    /// Tasks a referral service serves this week: its queue first, then this week's, up to its
    /// capacity.
    #[inline]
    pub fn served_this_week(&self) -> f32 {
        (self.backlog + self.used_this_week).min(self.capacity_per_week)
    }

    /// The queue a referral service carries into next week (0 but for platforms).
    #[inline]
    pub fn queue_after_week(&self) -> f32 {
        (self.backlog + self.used_this_week - self.capacity_per_week).max(0.0)
    }

    /// A support platform's waiting time as GPs see it this week: its queue over its weekly
    /// capacity (weeks before a task handed over now starts to be served).
    #[inline]
    pub fn waiting_weeks(&self) -> f32 {
        if self.capacity_per_week > 0.0 {
            self.backlog / self.capacity_per_week
        } else {
            0.0
        }
    }

    /// Ends a referral service's week: it serves what it can ([`Structure::served_this_week`]),
    /// the rest stays in its queue, and belief about its use moves toward the share of its
    /// capacity served.
    pub fn close_week(&mut self, memory: f32) {
        if self.capacity_per_week > 0.0 {
            let used = self.served_this_week() / self.capacity_per_week;
            self.believed_use = memory * self.believed_use + (1.0 - memory) * used;
            self.backlog = self.queue_after_week();
        }
        self.used_this_week = 0.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn platform(capacity: f32) -> Structure {
        Structure {
            name: "dac".into(),
            kind: StructureKind::Dac,
            zone: 0,
            active: true,
            gps: Vec::new(),
            profs: Vec::new(),
            coordinator_fte: 0.0,
            trained: false,
            info_system: false,
            protocols: 0,
            protocol_progress: 0.0,
            legitimacy: 0.0,
            age_years: 0.0,
            founded_week: 0,
            capacity_per_week: capacity,
            used_this_week: 0.0,
            believed_use: 0.0,
            backlog: 0.0,
            slot: 0,
            meeting_progress: 0.0,
            attendance: 0.0,
        }
    }

    /// Hands `s` tasks until it has no room (with a queue of `queue_weeks`); the tasks taken.
    fn fill(s: &mut Structure, queue_weeks: f32) -> u32 {
        let mut taken = 0;
        while s.has_room(queue_weeks) {
            s.used_this_week += 1.0;
            taken += 1;
        }
        taken
    }

    /// A platform takes up to its capacity and a queue of `queue_weeks` weeks of it; each
    /// week it serves its capacity, oldest first, and what is left waits.
    #[test]
    fn a_platform_queues_what_it_cannot_serve_this_week() {
        let mut s = platform(10.0);
        let taken = fill(&mut s, 2.0);
        assert_eq!(taken, 30, "a week's capacity and two weeks of queue");
        s.close_week(0.0);
        assert_eq!(s.backlog, 20.0);
        assert_eq!(s.waiting_weeks(), 2.0);
        assert_eq!(s.believed_use, 1.0, "it served its capacity");
        // Next week it takes 10 more (room for 30 in all) and serves 10 of the queue.
        let taken = fill(&mut s, 2.0);
        assert_eq!(taken, 10);
        s.close_week(0.0);
        assert_eq!(s.backlog, 20.0);
        // A quiet week drains the queue by its capacity.
        s.close_week(0.0);
        assert_eq!(s.backlog, 10.0);
        s.close_week(0.0);
        s.close_week(0.0);
        assert_eq!(s.backlog, 0.0);
        assert_eq!(s.waiting_weeks(), 0.0);
    }

    /// Without a queue (hospitals, social services), a service takes its capacity and no
    /// more, and carries nothing into next week.
    #[test]
    fn a_service_without_a_queue_takes_its_capacity_only() {
        let mut s = platform(4.0);
        s.kind = StructureKind::Hospital;
        let taken = fill(&mut s, 0.0);
        assert_eq!(taken, 4);
        s.close_week(0.5);
        assert_eq!(s.backlog, 0.0);
        assert_eq!(s.believed_use, 0.5);
    }
}
