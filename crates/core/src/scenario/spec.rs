//! A validated scenario's types: its zones, structures and interventions, and [`Scenario`]
//! itself (its methods are in the parent module).

use super::params::Params;
use super::raw::{Profession, RawScenario, Rurality, StructureKind};
use pluri_schema::date::Date;

/// A zone after validation.
#[derive(Debug, Clone, PartialEq)]
pub struct ZoneSpec {
    /// Unique name.
    pub name: String,
    /// Residents.
    pub population: u64,
    /// urban, periurban or rural.
    pub rurality: Rurality,
    /// Share of precarious residents.
    pub deprivation: f64,
    /// East position (km).
    pub x_km: f64,
    /// North position (km).
    pub y_km: f64,
}

/// A structure named in the scenario, after validation.
#[derive(Debug, Clone, PartialEq)]
pub struct StructureSpec {
    /// Unique name.
    pub name: String,
    /// Kind.
    pub kind: StructureKind,
    /// Index of its zone in [`Scenario::zones`].
    pub zone: usize,
    /// GPs.
    pub gps: u32,
    /// Psychologists.
    pub psychologists: u32,
    /// Social workers.
    pub social_workers: u32,
    /// Nurses.
    pub nurses: u32,
    /// Coordinator FTE.
    pub coordinator_fte: f64,
    /// Trained coordinator.
    pub coordinator_trained: bool,
    /// Shared information system.
    pub shared_info_system: bool,
    /// Protocols at the start.
    pub protocols: u32,
    /// Age at the start (years).
    pub age_years: f64,
    /// Operating at the start.
    pub active: bool,
    /// Referral services: tasks accepted per week.
    pub capacity_per_week: f64,
    /// Referral services: reach in minutes (0: own and linked zones).
    pub reach_minutes: f64,
}

/// Which structures an intervention acts on.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// These structures (indices into [`Scenario::structures`]).
    Named(Vec<usize>),
    /// Every active structure of this kind at the intervention's week.
    Kind(StructureKind),
}

/// What an intervention does, with everything it needs.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Set coordinator FTE.
    FundCoordinator {
        /// Structures.
        target: Target,
        /// New FTE.
        fte: f64,
    },
    /// Train coordinators.
    TrainCoordinators {
        /// Structures.
        target: Target,
    },
    /// Open platforms.
    OpenPlatform {
        /// Platforms.
        target: Target,
    },
    /// Close platforms.
    ClosePlatform {
        /// Platforms.
        target: Target,
    },
    /// Turn practices into MSMA.
    DeployMsma {
        /// Practices.
        target: Target,
        /// Coordinator FTE.
        fte: f64,
        /// Psychologists added to each.
        psychologists: u32,
        /// Social workers added to each.
        social_workers: u32,
    },
    /// Add professionals.
    AddProfessionals {
        /// Into these structures, or `None`: independent in `zone`.
        target: Option<Target>,
        /// Zone of independent newcomers.
        zone: usize,
        /// Their profession.
        profession: Profession,
        /// How many (per target structure).
        count: u32,
    },
    /// Add agreed protocols.
    SignProtocols {
        /// Structures.
        target: Target,
        /// Protocols added to each.
        count: u32,
    },
    /// Give a shared information system.
    IntroduceInfoSystem {
        /// Structures.
        target: Target,
    },
    /// Replace the behavioural parameters (computed at load from `path` and `value`).
    SetParameter {
        /// The dotted path, for the record.
        path: String,
        /// The parameters in force from this week on.
        params: Box<Params>,
    },
}

/// A validated intervention.
#[derive(Debug, Clone, PartialEq)]
pub struct Intervention {
    /// Unique name, used as label.
    pub name: String,
    /// Week at which it applies.
    pub week: u32,
    /// What it does.
    pub action: Action,
}

/// A validated scenario: everything the engine needs, checked.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Name (safe as a directory name).
    pub(crate) name: String,
    /// What it represents.
    pub(crate) description: String,
    /// Seed of every random stream.
    pub(crate) seed: u64,
    /// Weeks simulated and recorded.
    pub(crate) weeks: u32,
    /// Unrecorded weeks simulated first, without structural change.
    pub(crate) warmup_weeks: u32,
    /// First day of week 0, when the scenario is dated.
    pub(crate) start_date: Option<Date>,
    /// Behavioural parameters at the start.
    pub(crate) params: Params,
    /// Zones.
    pub(crate) zones: Vec<ZoneSpec>,
    /// Named structures.
    pub(crate) structures: Vec<StructureSpec>,
    /// Interventions, sorted by week (stable).
    pub(crate) interventions: Vec<Intervention>,
    /// The file as parsed, every default filled in: the source of its text and hash.
    pub(super) raw: RawScenario,
}
