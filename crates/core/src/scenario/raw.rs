//! The serde mirror of a scenario file: what the TOML says, before semantic checks.

use super::params::*;
use super::units::{NonNeg, Real, Share};
use serde::{Deserialize, Serialize};
use toml::Spanned;

/// Writes `RawScenario`, with the parameter sections of `param_sections!` between the run's
/// settings and the territory, and `RawScenario::params`.
macro_rules! raw_scenario {
    ($( $field:ident : $ty:ident, )*) => {
        /// A scenario file as written. Unknown fields are refused; missing sections take
        /// defaults.
        #[derive(Debug, Clone, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct RawScenario {
            /// Scenario name; names the default output directory.
            pub name: String,
            /// What the scenario represents.
            #[serde(default)]
            pub description: String,
            /// Seed of every random stream. TOML integers stop at 2^63 - 1: larger seeds (given
            /// by `--seed`, or derived for sweep runs) are written as a string of digits, and
            /// read back.
            #[serde(default = "default_seed", with = "seed_serde")]
            pub seed: u64,
            /// Weeks simulated and recorded.
            #[serde(default = "default_weeks")]
            pub weeks: u32,
            /// Weeks simulated before week 0 and not recorded, so that ties, caseloads and
            /// follow-ups start settled; no structural change or intervention happens in them.
            #[serde(default = "default_warmup")]
            pub warmup_weeks: u32,
            /// First day of week 0 (`YYYY-MM-DD`); absent: weeks are not dated.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub start_date: Option<Spanned<super::dates::DateText>>,
            $(
                #[doc = concat!("See [`", stringify!($ty), "`].")]
                #[serde(default)]
                pub $field: $ty,
            )*
            /// Regions whose zones and structures are generated, after the listed ones.
            #[serde(default, skip_serializing_if = "Vec::is_empty")]
            pub regions: Vec<Spanned<RawRegion>>,
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

        impl RawScenario {
            /// The behavioural parameters the file sets, defaults where it sets none.
            pub fn params(&self) -> Params {
                Params { $( $field: self.$field.clone(), )* }
            }
        }
    };
}

param_sections!(raw_scenario);

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

macro_rules! region_fields {
    ($( $field:ident : $ty:ty = $default:expr, $doc:literal; )*) => {
        /// One `[[regions]]` entry: compact distributions from which zones and structures
        /// are generated. Unknown fields are refused; missing ones take their defaults.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields, default)]
        pub struct RawRegion { $( #[doc = $doc] pub $field: $ty, )* }

        impl Default for RawRegion {
            fn default() -> Self {
                Self { $( $field: $default, )* }
            }
        }

        impl RawRegion {
            /// Field names and their documentation, in file order (`pluri show` prints them).
            pub const DOCS: &'static [(&'static str, &'static str)] =
                &[ $( (stringify!($field), $doc), )* ];
        }
    };
}

region_fields! {
    name: String = String::new(),
        "Unique region name (letters, digits, `_`, `-`; at most 50): its zones are named <name>-<k>, its structures <name>-<kind>-<k>.";
    zones: u32 = 10,
        "Zones generated (bassins de vie).";
    population: u64 = 100_000,
        "Residents in all; the zones' populations add up to it exactly.";
    urban_share: Share = Share(0.2),
        "Share of the zones that are urban: the most populous ones.";
    periurban_share: Share = Share(0.3),
        "Share of the zones that are periurban: the next most populous; the rest are rural. urban_share + periurban_share is at most 1.";
    population_spread: NonNeg = NonNeg(0.8),
        "Standard deviation of the logarithm of zone sizes (lognormal); 0 gives equal zones.";
    deprivation_mean: Share = Share(0.15),
        "Mean share of precarious residents of a zone.";
    deprivation_sd: NonNeg = NonNeg(0.05),
        "Standard deviation of zones' deprivation (normal draws cut to 0..1).";
    x_km: Real = Real(0.0),
        "East position of the region's centre (km).";
    y_km: Real = Real(0.0),
        "North position of the region's centre (km).";
    radius_km: NonNeg = NonNeg(30.0),
        "Radius of the disc the zones are spread over (km): the most populous zones near the centre, the least toward the edge.";
    layout_seed: u64 = 1,
        "Seed of the region's layout (zone sizes and places, structures); the run seed does not change it, so replicates share one territory.";
    msps: u32 = 0,
        "MSPs generated, each in a zone drawn in proportion to population among zones with GPs to spare (a zone gives at most its GP density target, as workforce.gps_per_100k sets it).";
    msp_gps_min: u32 = 3,
        "Fewest GPs in a generated MSP.";
    msp_gps_max: u32 = 8,
        "Most GPs in a generated MSP (uniform draw from min to max, less if its zone lacks GPs).";
    msp_nurses_per_gp: NonNeg = NonNeg(0.5),
        "Nurses per GP in a generated MSP (rounded).";
    msp_psychologist_share: Share = Share(0.25),
        "Share of generated MSPs with a psychologist.";
    msp_coordinator_share: Share = Share(0.5),
        "Share of generated MSPs with a coordinator.";
    msp_coordinator_fte: NonNeg = NonNeg(0.5),
        "Coordinator full-time equivalents of a generated MSP that has one.";
    msp_trained_share: Share = Share(0.3),
        "Share of coordinated generated MSPs whose coordinator is trained (Pacte).";
    msp_info_system_share: Share = Share(0.6),
        "Share of generated MSPs with a shared information system.";
    msp_age_max_years: NonNeg = NonNeg(10.0),
        "Generated MSPs, health centres and MSMAs are from 0 to this many years old at the start (uniform).";
    health_centres: u32 = 0,
        "Salaried health centres generated, placed like MSPs: health_centre_gps GPs, nurses as MSPs, one social worker, a 0.5 FTE coordinator and a shared information system each.";
    health_centre_gps: u32 = 5,
        "GPs in a generated health centre.";
    msmas: u32 = 0,
        "Addiction micro-structures generated, placed like MSPs: 3 GPs, 1 psychologist, 1 social worker and a 0.3 FTE coordinator each.";
    dacs: u32 = 0,
        "Support platforms (DAC) generated: the most populous zone first, then each time the zone with the largest population times distance to the nearest one placed. Each serves the zones nearer to it than to another (reach at least territory.max_link_minutes).";
    dac_capacity_per_100k: NonNeg = NonNeg(20.0),
        "Tasks per week the region's DACs accept per 100,000 residents, shared by the population each serves.";
    hospitals: u32 = 0,
        "Hospitals generated, placed and given reach like DACs.";
    hospital_capacity_per_100k: NonNeg = NonNeg(30.0),
        "Tasks per week the region's hospitals accept per 100,000 residents, shared as for DACs.";
    social_services: u32 = 0,
        "Social services generated, placed and given reach like DACs.";
    social_capacity_per_100k: NonNeg = NonNeg(20.0),
        "Tasks per week the region's social services accept per 100,000 residents, shared as for DACs.";
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
