//! The serde mirror of a scenario file: what the TOML says, before semantic checks.

use super::params::*;
use super::units::{NonNeg, Real, Share};
use serde::{Deserialize, Serialize};
use toml::Spanned;

/// A scenario file as written. Unknown fields are refused; missing sections take defaults.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    /// Scenario name; names the default output directory.
    pub name: String,
    /// What the scenario represents.
    #[serde(default)]
    pub description: String,
    /// Seed of every random stream. TOML integers stop at 2^63 - 1: larger seeds (given by
    /// `--seed`, or derived for sweep runs) are written as a string of digits, and read back.
    #[serde(default = "default_seed", with = "seed_serde")]
    pub seed: u64,
    /// Weeks simulated and recorded.
    #[serde(default = "default_weeks")]
    pub weeks: u32,
    /// Weeks simulated before week 0 and not recorded, so that ties, caseloads and follow-ups
    /// start settled; no structural change or intervention happens in them.
    #[serde(default = "default_warmup")]
    pub warmup_weeks: u32,
    /// First day of week 0 (`YYYY-MM-DD`); absent: weeks are not dated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<Spanned<super::dates::DateText>>,
    /// See [`Territory`].
    #[serde(default)]
    pub territory: Territory,
    /// See [`Population`].
    #[serde(default)]
    pub population: Population,
    /// See [`Demand`].
    #[serde(default)]
    pub demand: Demand,
    /// See [`Workforce`].
    #[serde(default)]
    pub workforce: Workforce,
    /// See [`GpTraits`].
    #[serde(default)]
    pub gp_traits: GpTraits,
    /// See [`Professionals`].
    #[serde(default)]
    pub professionals: Professionals,
    /// See [`Tasks`].
    #[serde(default)]
    pub tasks: Tasks,
    /// See [`Delegation`].
    #[serde(default)]
    pub delegation: Delegation,
    /// See [`Control`].
    #[serde(default)]
    pub control: Control,
    /// See [`Coordination`].
    #[serde(default)]
    pub coordination: Coordination,
    /// See [`Ties`].
    #[serde(default)]
    pub ties: Ties,
    /// See [`Interorg`].
    #[serde(default)]
    pub interorg: Interorg,
    /// See [`Structural`].
    #[serde(default)]
    pub structural: Structural,
    /// See [`Outcomes`].
    #[serde(default)]
    pub outcomes: Outcomes,
    /// Regions whose zones and structures are generated, after the listed ones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<Spanned<super::regions::RawRegion>>,
    /// The zones of the territory.
    #[serde(default)]
    pub zones: Vec<Spanned<RawZone>>,
    /// The structures named in the scenario (solo and group practices are generated).
    #[serde(default)]
    pub structures: Vec<Spanned<RawStructure>>,
    /// Policy changes at given weeks.
    #[serde(default)]
    pub interventions: Vec<Spanned<RawIntervention>>,
}

fn default_seed() -> u64 {
    1
}

/// A `u64` seed in TOML: an integer up to 2^63 - 1, a string of digits above (a TOML
/// serializer fails on larger integers, and `scenario.toml` came out empty).
mod seed_serde {
    use serde::{de, Deserializer, Serializer};
    use std::fmt;

    pub fn serialize<S: Serializer>(v: &u64, s: S) -> Result<S::Ok, S::Error> {
        match i64::try_from(*v) {
            Ok(i) => s.serialize_i64(i),
            Err(_) => s.serialize_str(&v.to_string()),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = u64;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a whole number from 0 to 18446744073709551615 (above 2^63 - 1, as a string of digits)")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<u64, E> {
                Ok(v)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<u64, E> {
                u64::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<u64, E> {
                v.parse()
                    .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
            }
        }
        d.deserialize_any(V)
    }
}

fn default_weeks() -> u32 {
    260
}

fn default_warmup() -> u32 {
    52
}

fn default_true() -> bool {
    true
}

/// How urban a zone is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Rurality {
    /// A city.
    Urban,
    /// The ring around a city.
    Periurban,
    /// The countryside.
    Rural,
}

impl Rurality {
    /// Lowercase name, as in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Rurality::Urban => "urban",
            Rurality::Periurban => "periurban",
            Rurality::Rural => "rural",
        }
    }
}

/// A zone ("bassin de vie").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawZone {
    /// Unique name (letters, digits, `_` and `-`).
    pub name: String,
    /// Residents.
    pub population: u64,
    /// urban, periurban or rural.
    pub rurality: Rurality,
    /// Share of precarious residents.
    #[serde(default)]
    pub deprivation: Share,
    /// East position (km).
    pub x_km: Real,
    /// North position (km).
    pub y_km: Real,
}

/// The kinds of structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StructureKind {
    /// One GP alone (generated).
    Solo,
    /// Several GPs sharing premises, no formal team project.
    GroupPractice,
    /// Multi-professional health centre (maison de santé pluriprofessionnelle).
    Msp,
    /// Salaried health centre (centre de santé).
    HealthCentre,
    /// Addiction micro-structure: a GP practice plus psychologist and social worker hours and a coordinator.
    Msma,
    /// Territorial support platform (PTA, now DAC).
    Dac,
    /// Hospital.
    Hospital,
    /// Social services.
    SocialServices,
}

impl StructureKind {
    /// Every kind, in output order.
    pub const ALL: [StructureKind; 8] = [
        StructureKind::Solo,
        StructureKind::GroupPractice,
        StructureKind::Msp,
        StructureKind::HealthCentre,
        StructureKind::Msma,
        StructureKind::Dac,
        StructureKind::Hospital,
        StructureKind::SocialServices,
    ];

    /// Name as in files.
    pub fn as_str(self) -> &'static str {
        match self {
            StructureKind::Solo => "solo",
            StructureKind::GroupPractice => "group_practice",
            StructureKind::Msp => "msp",
            StructureKind::HealthCentre => "health_centre",
            StructureKind::Msma => "msma",
            StructureKind::Dac => "dac",
            StructureKind::Hospital => "hospital",
            StructureKind::SocialServices => "social_services",
        }
    }

    /// Whether GPs practise in it (it is a primary-care practice).
    pub fn is_practice(self) -> bool {
        matches!(
            self,
            StructureKind::Solo
                | StructureKind::GroupPractice
                | StructureKind::Msp
                | StructureKind::HealthCentre
                | StructureKind::Msma
        )
    }

    /// Whether it receives referrals from outside as a whole (platform, hospital, social services).
    pub fn is_referral_service(self) -> bool {
        matches!(
            self,
            StructureKind::Dac | StructureKind::Hospital | StructureKind::SocialServices
        )
    }
}

/// A structure named in the scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStructure {
    /// Unique name.
    pub name: String,
    /// What kind of structure it is.
    pub kind: StructureKind,
    /// The zone where it stands.
    pub zone: Spanned<String>,
    /// GPs practising in it (practices only).
    #[serde(default)]
    pub gps: u32,
    /// Psychologists in it.
    #[serde(default)]
    pub psychologists: u32,
    /// Social workers in it.
    #[serde(default)]
    pub social_workers: u32,
    /// Nurses in it (including delegation nurses).
    #[serde(default)]
    pub nurses: u32,
    /// Coordinator full-time equivalents (for a DAC: its case managers).
    #[serde(default)]
    pub coordinator_fte: NonNeg,
    /// Whether its coordinator is trained (Pacte).
    #[serde(default)]
    pub coordinator_trained: bool,
    /// Whether it shares an information system.
    #[serde(default)]
    pub shared_info_system: bool,
    /// Agreed protocols at the start.
    #[serde(default)]
    pub protocols: u32,
    /// Age at the start (years).
    #[serde(default)]
    pub age_years: NonNeg,
    /// Whether it operates at the start (a platform can be opened later by an intervention).
    #[serde(default = "default_true")]
    pub active: bool,
    /// Referral services (dac, hospital, social_services): tasks accepted per week.
    #[serde(default)]
    pub capacity_per_week: NonNeg,
    /// Referral services: zones within this travel time are served (minutes; 0 = its own zone and linked zones).
    #[serde(default)]
    pub reach_minutes: NonNeg,
}

/// What an intervention does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// Set the coordinator FTE of the targets (`fte`).
    FundCoordinator,
    /// Train the coordinators of the targets.
    TrainCoordinators,
    /// Open the target platforms.
    OpenPlatform,
    /// Close the target platforms.
    ClosePlatform,
    /// Turn the target practices into MSMA (`fte`, `psychologists`, `social_workers`).
    DeployMsma,
    /// Add `count` professionals of `profession` in `zone`, independent or in the targets.
    AddProfessionals,
    /// Add `count` agreed protocols to the targets.
    SignProtocols,
    /// Give the targets a shared information system.
    IntroduceInfoSystem,
    /// Set a behavioural parameter (`path`, `value`), as `--set` does.
    SetParameter,
}

/// Professions that take delegated tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Profession {
    /// General practitioner.
    Gp,
    /// Psychologist.
    Psychologist,
    /// Social worker.
    SocialWorker,
    /// Nurse.
    Nurse,
}

/// A scheduled policy change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIntervention {
    /// Unique name; labels the intervention in figures.
    pub name: String,
    /// Week at which it applies (before that week's step); or `date`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub week: Option<Spanned<u32>>,
    /// Date at which it applies (the scenario has a `start_date`); or `week`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Spanned<super::dates::DateText>>,
    /// What it does.
    pub action: ActionKind,
    /// Target structures by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub structures: Vec<Spanned<String>>,
    /// Target every active structure of this kind at that week.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_kind: Option<StructureKind>,
    /// Coordinator FTE (fund_coordinator, deploy_msma).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fte: Option<NonNeg>,
    /// Zone (add_professionals without targets).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
    /// Profession (add_professionals).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profession: Option<Profession>,
    /// How many (add_professionals, sign_protocols).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// Psychologists added (deploy_msma; default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub psychologists: Option<u32>,
    /// Social workers added (deploy_msma; default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub social_workers: Option<u32>,
    /// Parameter path (set_parameter), as for `--set`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Parameter value (set_parameter).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<toml::Value>,
}
