//! Tasks beyond the medical one, where they can go, and the work items that carry them: a
//! task found in a consultation ([`Job`]) and a referral outside the GP's structure
//! ([`Referral`]).

use crate::model::{follow, ProfRef, StructId};
use crate::scenario::{Params, Profession, StructureKind};

/// A task an episode reveals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Task {
    /// Psychological follow-up.
    Psych,
    /// Social help (rights, housing).
    Social,
    /// Therapeutic education.
    Education,
    /// Coordination of a complex pathway.
    Coordination,
}

impl Task {
    /// The profession that takes it, if one does (coordination is a coordinator's work).
    pub fn profession(self) -> Option<Profession> {
        match self {
            Task::Psych => Some(Profession::Psychologist),
            Task::Social => Some(Profession::SocialWorker),
            Task::Education => Some(Profession::Nurse),
            Task::Coordination => None,
        }
    }

    /// Index of its profession in the referral directory.
    pub fn directory_slot(self) -> Option<usize> {
        match self {
            Task::Psych => Some(0),
            Task::Social => Some(1),
            Task::Education => Some(2),
            Task::Coordination => None,
        }
    }

    /// The profession bit a patient gains when the task is done by someone of that profession.
    pub fn follow_bit(self) -> u8 {
        match self {
            Task::Psych => follow::PSYCHOLOGIST,
            Task::Social => follow::SOCIAL,
            Task::Education => follow::NURSE,
            Task::Coordination => 0,
        }
    }

    /// Weeks the task occupies a professional's caseload.
    pub fn weeks(self, p: &Params) -> u32 {
        match self {
            Task::Psych => p.tasks.psych_weeks,
            Task::Social => p.tasks.social_weeks,
            Task::Education => p.tasks.education_weeks,
            Task::Coordination => 1,
        }
    }

    /// The referral service that takes it outside, if any (platforms aside).
    pub fn service_kind(self) -> Option<StructureKind> {
        match self {
            Task::Psych | Task::Education => Some(StructureKind::Hospital),
            Task::Social => Some(StructureKind::SocialServices),
            Task::Coordination => None,
        }
    }

    /// Whether a support platform takes it.
    pub fn platform_takes(self) -> bool {
        !matches!(self, Task::Education)
    }
}

/// Where a referral goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dest {
    /// An independent professional.
    Prof(ProfRef),
    /// A hospital, social services or a platform.
    Service(StructId),
}

/// What a GP hands a support platform with a task (the platform study).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlatformTask {
    /// The task alone: the GP keeps the pathway (and any referral not to a platform).
    AdHoc,
    /// The whole pathway of a coordination task: the platform holds it from then on.
    Pathway,
    /// A coordination task of a pathway the platform already holds: it goes to the platform
    /// without the GP's choice or time.
    FollowUp,
}

/// A referral outside the GP's structure, applied after the zones' consultations.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Referral {
    /// Where it goes.
    pub dest: Dest,
    /// The task.
    pub task: Task,
    /// The referring GP (index in the source zone).
    pub gp: u16,
    /// The patient (index in the source zone).
    pub patient: u32,
    /// Whether the patient is complex.
    pub complex: bool,
    /// Whether a coordinator followed the patient's case this week.
    pub coordinated: bool,
    /// What the GP hands a platform ([`PlatformTask::AdHoc`] for other targets).
    pub handover: PlatformTask,
}

/// One task of one consultation, as the GP weighs it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Job {
    /// The patient (index in the zone).
    pub(super) patient: usize,
    /// The GP who found the task (index in the zone).
    pub(super) gp: usize,
    /// The task.
    pub(super) task: Task,
    /// Whether the patient is complex.
    pub(super) complex: bool,
    /// Whether a coordinator took the patient's case this week.
    pub(super) coordinated: bool,
}
