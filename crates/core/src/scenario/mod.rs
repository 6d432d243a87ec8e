//! Scenarios: TOML text → [`RawScenario`] (serde mirror) → [`Scenario`] (valid by construction).
//!
//! Also `--set` overrides by dotted path ([`set`]), the commented effective scenario that
//! `pluri show` prints ([`show`]) and the embedded default scenario.

pub mod error;
pub mod limits;
pub mod params;
pub mod raw;
pub mod regions;
pub mod set;
pub mod show;
pub mod units;
mod validate;

pub use error::ScenarioError;
pub use params::Params;
pub use raw::{ActionKind, Profession, RawScenario, Rurality, StructureKind};
pub use regions::RawRegion;

use std::path::Path;

/// The default scenario's text, the same as `scenarios/default.toml`.
pub const DEFAULT_TOML: &str = include_str!("../../../../scenarios/default.toml");

/// A zone after validation.
#[derive(Debug, Clone, PartialEq)]
pub struct Zone {
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
    pub name: String,
    /// What it represents.
    pub description: String,
    /// Seed of every random stream.
    pub seed: u64,
    /// Weeks simulated and recorded.
    pub weeks: u32,
    /// Unrecorded weeks simulated first, without structural change.
    pub warmup_weeks: u32,
    /// Behavioural parameters at the start.
    pub params: Params,
    /// Zones.
    pub zones: Vec<Zone>,
    /// Named structures.
    pub structures: Vec<StructureSpec>,
    /// Interventions, sorted by week (stable).
    pub interventions: Vec<Intervention>,
    raw: RawScenario,
}

impl Scenario {
    /// Parses and validates scenario text; `origin` names it in errors (usually the file name).
    pub fn from_toml_str(text: &str, origin: &str) -> Result<Scenario, ScenarioError> {
        let raw: RawScenario = toml::from_str(text).map_err(|e| ScenarioError::Parse {
            origin: origin.to_string(),
            message: limits::excerpt(e.to_string().trim_end()),
        })?;
        validate::validate(raw, Some(text), origin)
    }

    /// Reads, parses and validates a scenario file.
    pub fn from_file(path: &Path) -> Result<Scenario, ScenarioError> {
        let text = limits::read_input(path).map_err(|source| ScenarioError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Scenario::from_toml_str(&text, &path.display().to_string())
    }

    /// The embedded default scenario.
    pub fn default_scenario() -> Result<Scenario, ScenarioError> {
        Scenario::from_toml_str(DEFAULT_TOML, "<embedded default scenario>")
    }

    /// A copy with `PATH=VALUE` overrides applied and validated again.
    pub fn with_sets<S: AsRef<str>>(&self, sets: &[S]) -> Result<Scenario, ScenarioError> {
        if sets.is_empty() {
            return Ok(self.clone());
        }
        let mut value = set::to_value(&self.raw)?;
        for arg in sets {
            set::apply_arg(&mut value, arg.as_ref())?;
        }
        let joined: Vec<&str> = sets.iter().map(|s| s.as_ref()).collect();
        let raw = set::from_value(value, &joined.join(" "))?;
        validate::validate(raw, None, &format!("{} with --set", self.name)).map_err(|e| {
            ScenarioError::Set {
                arg: joined.join(" "),
                message: e.to_string(),
            }
        })
    }

    /// A copy with a different seed.
    pub fn with_seed(&self, seed: u64) -> Scenario {
        let mut s = self.clone();
        s.seed = seed;
        s.raw.seed = seed;
        s
    }

    /// A copy running for a different number of weeks (interventions must still fall inside).
    pub fn with_weeks(&self, weeks: u32) -> Result<Scenario, ScenarioError> {
        self.with_sets(&[format!("weeks={weeks}")])
    }

    /// The effective scenario as commented TOML, every default filled in; `pluri run` accepts it back.
    pub fn to_commented_toml(&self) -> String {
        show::commented_toml(&self.raw)
    }

    /// A stable hash of the effective scenario (hex FNV-1a of its canonical TOML).
    pub fn hash(&self) -> String {
        let text = toml::to_string(&self.raw).unwrap_or_default();
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in text.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        format!("{h:016x}")
    }

    /// The serde mirror of the effective scenario.
    pub fn raw(&self) -> &RawScenario {
        &self.raw
    }

    /// Total residents.
    pub fn population(&self) -> u64 {
        self.zones.iter().map(|z| z.population).sum()
    }

    /// An upper estimate of the memory a run needs, in bytes, professionals that
    /// interventions add included ([`limits::estimated_memory_bytes`]).
    pub fn estimated_memory_bytes(&self) -> u64 {
        limits::estimated_memory_bytes(self)
    }
}
