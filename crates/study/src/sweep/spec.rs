//! A validated sweep ([`Sweep`]): base scenario, parameters, design, points and run seeds.
//!
//! Reading a sweep file and its checks live in `validate.rs`. Every parameter value (for ranges, both ends) is applied to the base scenario with
//! [`Scenario::with_sets`] before any run starts, so a wrong path or type fails at once with
//! the line of the sweep file that holds it.

use super::error::SweepError;
use super::layout::Layout;
use super::raw::DesignKind;
use super::seed::run_seed;
use pluri_core::Scenario;

/// What a varied parameter may take.
#[derive(Debug, Clone, PartialEq)]
pub enum Domain {
    /// These values (grid designs).
    Values(Vec<toml::Value>),
    /// A range (random and Latin hypercube designs).
    Range {
        /// Lower end.
        min: f64,
        /// Upper end.
        max: f64,
        /// Both ends were integers: draws are integers in `min..=max`.
        integer: bool,
    },
}

/// A varied parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Dotted path, as for `--set`.
    pub path: String,
    /// What it takes.
    pub domain: Domain,
}

/// One run of a sweep: where it sits and how to reproduce it.
#[derive(Debug, Clone, PartialEq)]
pub struct RunSpec {
    /// Run index (see [`Layout`]: `point * replicates + replicate` without extra runs).
    pub run: u64,
    /// Point index.
    pub point: u64,
    /// Replicate, from 0.
    pub replicate: u32,
    /// Seed, [`run_seed`]`(sweep seed, point, replicate)`.
    pub seed: u64,
}

/// A sweep, valid by construction.
#[derive(Debug, Clone)]
pub struct Sweep {
    /// Name.
    pub name: String,
    /// The sweep file, for messages.
    pub origin: String,
    /// The base scenario with the fixed overrides applied.
    pub base: Scenario,
    /// The fixed overrides, as written.
    pub fixed: Vec<String>,
    /// Sweep seed.
    pub seed: u64,
    /// Runs per point.
    pub replicates: u32,
    /// Design kind.
    pub kind: DesignKind,
    /// Varied parameters, in column order.
    pub params: Vec<Param>,
    /// Headline indicators the figures show, in panel order (empty: a default set). Not
    /// part of the sweep's identity: changing them does not stop a resume or a merge.
    pub plot_indicators: Vec<String>,
    /// Also write the tables and every run's weekly series as Parquet (`tables = "parquet"`;
    /// part of the sweep's identity, as its run directories differ).
    pub parquet: bool,
    points: Vec<Vec<toml::Value>>,
    extra_points: u64,
    extra_replicates: u32,
    effective: String,
    hash: String,
}

/// The fields of a [`Sweep`], for the validator.
pub(crate) struct Parts {
    pub(crate) name: String,
    pub(crate) origin: String,
    pub(crate) base: Scenario,
    pub(crate) fixed: Vec<String>,
    pub(crate) seed: u64,
    pub(crate) replicates: u32,
    pub(crate) kind: DesignKind,
    pub(crate) params: Vec<Param>,
    pub(crate) plot_indicators: Vec<String>,
    pub(crate) parquet: bool,
    pub(crate) points: Vec<Vec<toml::Value>>,
    pub(crate) effective: String,
    pub(crate) hash: String,
}

impl Sweep {
    pub(crate) fn from_parts(p: Parts) -> Sweep {
        Sweep {
            name: p.name,
            origin: p.origin,
            base: p.base,
            fixed: p.fixed,
            seed: p.seed,
            replicates: p.replicates,
            kind: p.kind,
            params: p.params,
            plot_indicators: p.plot_indicators,
            parquet: p.parquet,
            points: p.points,
            extra_points: 0,
            extra_replicates: 0,
            effective: p.effective,
            hash: p.hash,
        }
    }

    /// Points of the design.
    pub fn points(&self) -> u64 {
        self.points.len() as u64
    }

    /// Runs in all: points times replicates, plus any extra runs.
    pub fn runs(&self) -> u64 {
        self.layout().runs()
    }

    /// Which point and replicate each run is.
    pub fn layout(&self) -> Layout {
        Layout {
            points: self.points(),
            replicates: self.replicates,
            extra_points: self.extra_points,
            extra_replicates: self.extra_replicates,
        }
    }

    /// A copy in which the first `points` points run `replicates` times in all instead of
    /// [`Sweep::replicates`] (more runs of the same points, with further derived seeds,
    /// after all the others: see [`Layout`]); its identity covers them. `points` is at most
    /// [`Sweep::points`] and `replicates` at least [`Sweep::replicates`] (else unchanged).
    pub fn with_more_replicates(mut self, points: u64, replicates: u32) -> Sweep {
        if points == 0 || points > self.points() || replicates <= self.replicates {
            return self;
        }
        self.extra_points = points;
        self.extra_replicates = replicates - self.replicates;
        self.effective.push_str(&format!(
            "# Not a sweep-file field: the first {points} points run {replicates} times in all\n# (calibration `[stochastic]`); their further runs come after all the others.\n"
        ));
        self.hash = fnv_hex(&[
            &self.hash,
            &format!("more-replicates {points} {replicates}"),
        ]);
        self
    }

    /// The parameter values of a point, in parameter order.
    pub fn point_values(&self, point: u64) -> &[toml::Value] {
        usize::try_from(point)
            .ok()
            .and_then(|p| self.points.get(p))
            .map_or(&[], Vec::as_slice)
    }

    /// Where run `run` sits and its seed.
    pub fn run_spec(&self, run: u64) -> RunSpec {
        let (point, replicate) = self.layout().locate(run);
        RunSpec {
            run,
            point,
            replicate,
            seed: run_seed(self.seed, point, replicate),
        }
    }

    /// The `--set` arguments of a point, in parameter order.
    pub fn sets(&self, point: u64) -> Vec<String> {
        self.params
            .iter()
            .zip(self.point_values(point))
            .map(|(p, v)| format!("{}={v}", p.path))
            .collect()
    }

    /// The scenario of a run: base, fixed overrides, the point's values, the run's seed.
    pub fn scenario(&self, spec: &RunSpec) -> Result<Scenario, SweepError> {
        self.base
            .with_sets(&self.sets(spec.point))
            .map(|s| s.with_seed(spec.seed))
            .map_err(|source| SweepError::Run {
                run: spec.run,
                point: spec.point,
                replicate: spec.replicate,
                source,
            })
    }

    /// The command that re-runs `spec` alone, from the sweep's output directory.
    pub fn command(&self, spec: &RunSpec) -> String {
        let mut c = String::from("pluri run base.toml");
        for s in self.sets(spec.point) {
            c.push_str(" --set ");
            c.push_str(&shell_quote(&s));
        }
        c.push_str(&format!(" --seed {}", spec.seed));
        c
    }

    /// The effective sweep (TOML); with `base.toml` beside it, it runs the same sweep again.
    pub fn effective_toml(&self) -> &str {
        &self.effective
    }

    /// A copy whose identity also covers `extra` (for example what its runs record), so that
    /// `--resume` and `merge` refuse directories written under another `extra`.
    pub fn with_identity(mut self, extra: &str) -> Sweep {
        self.hash = fnv_hex(&[&self.hash, extra]);
        self
    }

    /// Identity of the sweep: hex FNV-1a of the effective sweep and the base scenario's hash.
    pub fn hash(&self) -> &str {
        &self.hash
    }
}

/// Quotes an argument for a POSIX shell when it needs it.
pub fn shell_quote(s: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "_-.=/:,+".contains(c);
    if !s.is_empty() && s.chars().all(safe) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// FNV-1a, hex.
pub(crate) fn fnv_hex(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}
