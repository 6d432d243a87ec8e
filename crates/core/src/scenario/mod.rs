//! Scenarios: TOML text → [`RawScenario`] (serde mirror) → [`Scenario`] (valid by construction).
//!
//! Also `--set` overrides by dotted path ([`set`]), the commented effective scenario that
//! `pluri show` prints ([`show`]) and the embedded default scenario.

mod dates;
mod error;
pub(crate) mod limits;
pub(crate) mod params;
pub(crate) mod raw;
mod regions;
mod set;
mod show;
mod spec;
pub(crate) mod units;
mod validate;
mod without;

pub use error::ScenarioError;
pub(crate) use params::Params;
pub use raw::{Profession, Rurality, StructureKind};
pub use set::blames_path;
pub use spec::{Action, Intervention, Scenario, StructureSpec, Target, ZoneSpec};

pub(crate) use raw::RawScenario;

use crate::input::{self, InputError, InputKind};
use pluri_schema::date::Date;
use std::path::Path;

/// The default scenario's text, the same as `scenarios/default.toml`.
pub const DEFAULT_TOML: &str = include_str!("../../../../scenarios/default.toml");

impl Scenario {
    /// Parses and validates scenario text; `origin` names it in errors (usually the file name).
    pub fn from_toml_str(text: &str, origin: &str) -> Result<Scenario, ScenarioError> {
        let raw: RawScenario = input::parse_toml(text, origin)?;
        validate::validate(raw, Some(text), origin)
    }

    /// Reads, parses and validates a scenario file.
    pub fn from_file(path: &Path) -> Result<Scenario, ScenarioError> {
        let text = input::read(InputKind::Scenario, path)?;
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

    /// A copy running for `weeks` weeks, the interventions scheduled at or after its last
    /// week left out (where [`Scenario::with_weeks`] refuses them). The benchmark measures a
    /// scenario over any horizon this way.
    pub fn with_horizon(&self, weeks: u32) -> Result<Scenario, ScenarioError> {
        let mut raw = self.raw.clone();
        raw.weeks = weeks;
        let kept: Vec<&str> = (self.interventions.iter())
            .filter(|iv| iv.week < weeks)
            .map(|iv| iv.name.as_str())
            .collect();
        raw.interventions
            .retain(|iv| kept.contains(&iv.get_ref().name.as_str()));
        self.revalidated(raw, &format!("over {weeks} weeks"))
    }

    /// A copy whose zones' populations are scaled so that the territory has `residents` in
    /// all (rounded zone by zone, the most populous zone taking the remainder); structures
    /// and densities are unchanged. The zones and structures of `[[regions]]` are written out
    /// as listed ones first, so that they keep the sizes the scenario gave them. Fails if a
    /// zone becomes larger than a scenario may hold.
    pub fn with_population(&self, residents: u64) -> Result<Scenario, ScenarioError> {
        let mut raw = self.raw.clone();
        let generated =
            regions::expand(&raw, limits::MAX_ZONES).map_err(|e| InputError::Invalid {
                origin: self.name.clone(),
                line: None,
                field: e.field,
                message: e.message,
            })?;
        raw.regions.clear();
        fn listed<T>((_, v): (std::ops::Range<usize>, T)) -> toml::Spanned<T> {
            toml::Spanned::new(0..0, v)
        }
        raw.zones.extend(generated.zones.into_iter().map(listed));
        raw.structures
            .extend(generated.structures.into_iter().map(listed));
        let total = self.population().max(1) as f64;
        let mut assigned = 0u64;
        for z in &mut raw.zones {
            let z = z.get_mut();
            z.population = (z.population as f64 * residents as f64 / total).round() as u64;
            assigned += z.population;
        }
        if let Some(big) = raw
            .zones
            .iter_mut()
            .map(|z| z.get_mut())
            .max_by_key(|z| z.population)
        {
            big.population = (big.population + residents).saturating_sub(assigned);
        }
        self.revalidated(raw, &format!("scaled to {residents} residents"))
    }

    /// `raw`, a changed copy of this scenario's, validated; errors name the change.
    fn revalidated(&self, raw: RawScenario, change: &str) -> Result<Scenario, ScenarioError> {
        validate::validate(raw, None, &format!("{} {change}", self.name))
    }

    /// The effective scenario as commented TOML, every default filled in; `pluri run` accepts it back.
    pub fn to_commented_toml(&self) -> String {
        show::commented_toml(&self.raw)
    }

    /// The effective scenario as a TOML tree (every default filled in), for comparing two
    /// scenarios field by field.
    pub fn to_toml_value(&self) -> Result<toml::Value, ScenarioError> {
        set::to_value(&self.raw)
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

    /// Name (safe as a directory name).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What the scenario represents.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// Seed of every random stream.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Weeks simulated and recorded.
    pub fn weeks(&self) -> u32 {
        self.weeks
    }

    /// Unrecorded weeks simulated first, without structural change.
    pub fn warmup_weeks(&self) -> u32 {
        self.warmup_weeks
    }

    /// First day of week 0 (`start_date`), when the scenario is dated: week `w` covers the
    /// days `start + 7w` to `start + 7w + 6`, and the warm-up weeks come before it.
    pub fn start_date(&self) -> Option<Date> {
        self.start_date
    }

    /// Zones, in the scenario's order.
    pub fn zones(&self) -> &[ZoneSpec] {
        &self.zones
    }

    /// Named structures, in the scenario's order.
    pub fn structures(&self) -> &[StructureSpec] {
        &self.structures
    }

    /// Interventions, sorted by week (stable).
    pub fn interventions(&self) -> &[Intervention] {
        &self.interventions
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaling_reaches_the_exact_total() {
        let s = Scenario::default_scenario().expect("valid");
        for n in [1_000u64, 123_457, 3_000_000] {
            assert_eq!(s.with_population(n).expect("valid").population(), n);
        }
    }

    #[test]
    fn scaling_a_zone_beyond_what_a_scenario_holds_is_refused_naming_the_zone() {
        let s = Scenario::default_scenario().expect("valid");
        let e = s
            .with_population(u64::MAX / 2)
            .expect_err("zones of billions")
            .to_string();
        assert!(e.contains("zones.") && e.contains("population"), "{e}");
    }
}
