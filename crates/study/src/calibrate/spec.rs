//! A calibration file → a validated [`Calibration`]: the sweep to run, the observations to
//! score and the simulated series each run records.
//!
//! ```toml
//! name = "france-2012"
//! scenario = "../france-2012.toml"          # relative to this file; omit for the default
//! start_date = "2012-01-01"                 # week 0's first day, if the scenario has no start_date
//! observed = ["../../data/observed/msps.csv"]
//! samples = 200                             # Latin hypercube points
//! replicates = 1                            # runs per point
//! [stochastic]                              # optional: pooled replicate variance
//! sets = 10                                 # the first 10 points of the design ...
//! replicates = 6                            # ... run 6 times in all
//! [[param]]
//! path = "structural.msp_join_rate_per_year"
//! range = [0.005, 0.05]
//! [[indicator]]
//! observed = "msps"                         # an indicator of the observed tables
//! simulated = "msps"                        # a weekly.csv column
//! per_residents = 65300000                  # simulated value x 65,300,000 / simulated residents
//! ```

use super::error::CalibrateError;
use super::mapping::{map_indicators, Column, IndicatorMap, Target};
use super::observed::{self, Observation};
use super::raw::{Ctx, RawCalibration, RawParam, RawStochastic};
use crate::sweep::Sweep;
use pluri_core::input::{self, InputKind};
use pluri_core::Scenario;
use pluri_schema::date::Date;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// Most parameter sets (`samples`) a calibration draws.
pub const MAX_SAMPLES: u64 = 1_000_000;

/// `[stochastic]`: the replicate variance is pooled over the first `sets` points of the
/// design, each run `replicates` times in all (see [`super::score::pooled`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stochastic {
    /// Points of the design (the first ones) run `replicates` times.
    pub sets: u64,
    /// Runs of each of those points, in all.
    pub replicates: u32,
}

/// A validated calibration.
#[derive(Debug, Clone)]
pub struct Calibration {
    /// Name.
    pub name: String,
    /// The calibration file, for messages.
    pub origin: String,
    /// The sweep that runs the design (its identity covers the recorded columns).
    pub sweep: Sweep,
    /// Week 0 starts on this day.
    pub start: Date,
    /// Implausibility cut-off.
    pub cutoff: f64,
    /// Relative sd of a point observation.
    pub observation_sd: f64,
    /// Relative sd of the model discrepancy.
    pub discrepancy_sd: f64,
    /// Indicator mappings.
    pub indicators: Vec<IndicatorMap>,
    /// What each run records, in order.
    pub columns: Vec<Column>,
    /// Scored observations.
    pub targets: Vec<Target>,
    /// Every row of the observed tables (targets and unmapped ones included), for figures and the report.
    pub observations: Vec<Observation>,
    /// When set, every set's replicate variance is pooled over these replicated sets;
    /// otherwise each set uses its own replicates' sample variance.
    pub stochastic: Option<Stochastic>,
}

impl Calibration {
    /// Reads and validates a calibration file; paths in it are relative to its directory.
    pub fn from_file(path: &Path) -> Result<Calibration, CalibrateError> {
        let text = input::read(InputKind::Study, path)?;
        let dir = path.parent().unwrap_or(Path::new("."));
        Calibration::from_toml_str(&text, &path.display().to_string(), dir)
    }

    /// Parses and validates calibration text; `origin` names it, `dir` anchors its paths.
    pub fn from_toml_str(
        text: &str,
        origin: &str,
        dir: &Path,
    ) -> Result<Calibration, CalibrateError> {
        let raw: RawCalibration = input::parse_toml(text, origin)?;
        validate(raw, &Ctx { text, origin }, dir)
    }
}

fn validate(raw: RawCalibration, ctx: &Ctx, dir: &Path) -> Result<Calibration, CalibrateError> {
    let name = raw.name.get_ref().clone();
    if name.is_empty()
        || name.len() > 80
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err(ctx.err(
            raw.name.span(),
            "name",
            format!("{name:?}: use 1 to 80 letters, digits, `_` or `-`"),
        ));
    }
    for (field, v) in [
        ("cutoff", &raw.cutoff),
        ("observation_sd", &raw.observation_sd),
        ("discrepancy_sd", &raw.discrepancy_sd),
    ] {
        if !(v.get_ref().is_finite() && *v.get_ref() >= 0.0)
            || (field == "cutoff" && *v.get_ref() <= 0.0)
        {
            return Err(ctx.err(
                v.span(),
                field,
                format!(
                    "{} must be a number above 0 (cutoff) or at least 0",
                    v.get_ref()
                ),
            ));
        }
    }
    let (base, scenario_path) = load_scenario(raw.scenario.as_ref(), ctx, dir)?;
    let mut fixed_base = base.clone();
    for s in &raw.set {
        if s.get_ref()
            .split('=')
            .next()
            .is_some_and(|k| k.trim() == "seed")
        {
            return Err(ctx.err(
                s.span(),
                "set",
                "`seed` cannot be set here: every run's seed is derived from the calibration's own `seed`; set `seed = N` at the top of the file".into(),
            ));
        }
        fixed_base = fixed_base
            .with_sets(&[s.get_ref()])
            .map_err(|e| ctx.err(s.span(), "set", format!("{e}; fix or remove this override")))?;
    }
    let start = start_date(&raw, ctx, &fixed_base)?;
    if raw.params.is_empty() {
        return Err(ctx.err(
            raw.samples.span(),
            "param",
            "no free parameter: add [[param]] entries with `path` and `range = [min, max]`".into(),
        ));
    }
    let mut params: Vec<(String, f64, f64, bool)> = Vec::new();
    for p in &raw.params {
        params.push(check_param(p.get_ref(), &fixed_base, ctx)?);
        if params[..params.len() - 1]
            .iter()
            .any(|q| q.0 == params[params.len() - 1].0)
        {
            return Err(ctx.err(
                p.get_ref().path.span(),
                "param.path",
                "this parameter is given twice: keep one entry".into(),
            ));
        }
    }
    let mut observations = Vec::new();
    if raw.observed.get_ref().is_empty() {
        return Err(ctx.err(
            raw.observed.span(),
            "observed",
            "no observed table: list files such as \"../../data/observed/msps.csv\"".into(),
        ));
    }
    for f in raw.observed.get_ref() {
        let path = dir.join(f.get_ref());
        if !path.is_file() {
            return Err(ctx.err(
                f.span(),
                "observed",
                format!(
                    "{} is not a file (paths are relative to the calibration file)",
                    path.display()
                ),
            ));
        }
        observations.extend(observed::load(&path)?);
    }
    let (indicators, columns, targets) =
        map_indicators(&raw, ctx, &fixed_base, start, &observations)?;
    let mut sweep = build_sweep(&raw, ctx, &name, scenario_path.as_deref(), &params)?;
    let stochastic = raw
        .stochastic
        .as_ref()
        .map(|s| check_stochastic(s.get_ref(), &raw, ctx))
        .transpose()?;
    if let Some(s) = stochastic {
        sweep = sweep.with_more_replicates(s.sets, s.replicates);
    }
    let identity = format!("pluri-calibrate-1 {start} {indicators:?} {columns:?}");
    Ok(Calibration {
        name,
        origin: ctx.origin.to_string(),
        sweep: sweep.with_identity(&identity),
        start,
        cutoff: *raw.cutoff.get_ref(),
        observation_sd: *raw.observation_sd.get_ref(),
        discrepancy_sd: *raw.discrepancy_sd.get_ref(),
        indicators,
        columns,
        targets,
        observations,
        stochastic,
    })
}

fn check_stochastic(
    s: &RawStochastic,
    raw: &RawCalibration,
    ctx: &Ctx,
) -> Result<Stochastic, CalibrateError> {
    let (sets, reps) = (*s.sets.get_ref(), *s.replicates.get_ref());
    let samples = *raw.samples.get_ref();
    let replicates = *raw.replicates.get_ref();
    if sets == 0 {
        return Err(ctx.err(s.sets.span(), "stochastic.sets", "must be at least 1: the number of parameter sets (the first ones of the design) run `stochastic.replicates` times to estimate the replicate variance; 10 is a common choice, or remove [stochastic]".into()));
    }
    if sets > samples {
        return Err(ctx.err(
            s.sets.span(),
            "stochastic.sets",
            format!("{sets} is more than the {samples} parameter sets (`samples`): use at most {samples}"),
        ));
    }
    if reps < 2 {
        return Err(ctx.err(s.replicates.span(), "stochastic.replicates", format!("{reps}: the replicated sets must run at least 2 times (their spread is the estimate); 5 or more give a steadier one")));
    }
    if reps < replicates {
        return Err(ctx.err(s.replicates.span(), "stochastic.replicates", format!("{reps} is fewer than `replicates` = {replicates}: it counts every run of a replicated set, so give at least {replicates}")));
    }
    Ok(Stochastic {
        sets,
        replicates: reps,
    })
}

/// The first day of week 0: the scenario's `start_date`, or the calibration file's for an
/// undated scenario. Given in both, they must agree.
fn start_date(raw: &RawCalibration, ctx: &Ctx, base: &Scenario) -> Result<Date, CalibrateError> {
    let Some(text) = &raw.start_date else {
        return base.start_date().ok_or_else(|| {
            let at = raw.scenario.as_ref().unwrap_or(&raw.name).span();
            ctx.err(
                at,
                "start_date",
                "no start date: give the scenario a start_date (the first day of its week 0), or write start_date = \"YYYY-MM-DD\" here".into(),
            )
        });
    };
    let date = Date::parse(text.get_ref()).ok_or_else(|| {
        ctx.err(
            text.span(),
            "start_date",
            format!(
                "{:?} is not a date: write YYYY-MM-DD, the first day of week 0",
                text.get_ref()
            ),
        )
    })?;
    match base.start_date() {
        Some(own) if own != date => Err(ctx.err(
            text.span(),
            "start_date",
            format!("{date} is not the scenario's start_date, {own}: remove this line (the calibration takes the scenario's) or make the two agree"),
        )),
        _ => Ok(date),
    }
}

fn load_scenario(
    s: Option<&Spanned<String>>,
    ctx: &Ctx,
    dir: &Path,
) -> Result<(Scenario, Option<PathBuf>), CalibrateError> {
    let wrap = |source| CalibrateError::Scenario {
        origin: ctx.origin.to_string(),
        source,
    };
    match s {
        None => Ok((Scenario::default_scenario().map_err(wrap)?, None)),
        Some(p) => {
            let path = dir.join(p.get_ref());
            if !path.is_file() {
                return Err(ctx.err(p.span(), "scenario", format!("{} is not a file (the path is relative to the calibration file); omit `scenario` for the default one", path.display())));
            }
            Ok((Scenario::from_file(&path).map_err(wrap)?, Some(path)))
        }
    }
}

fn check_param(
    p: &RawParam,
    base: &Scenario,
    ctx: &Ctx,
) -> Result<(String, f64, f64, bool), CalibrateError> {
    let path = p.path.get_ref().trim().to_string();
    if path == "seed" {
        return Err(ctx.err(
            p.path.span(),
            "param.path",
            "`seed` cannot be calibrated: every run's seed is derived from the calibration's own `seed`; set `seed = N` at the top of the file, and `replicates` for more runs per set".into(),
        ));
    }
    let fail = |m: String| ctx.err(p.range.span(), "param.range", format!("`{path}`: {m}"));
    let (min, max, integer) = crate::sweep::range_bounds(p.range.get_ref()).map_err(fail)?;
    for v in p.range.get_ref() {
        base.with_sets(&[format!("{path}={v}")]).map_err(|e| {
            let m = e.to_string();
            if pluri_core::scenario::blames_path(&m) {
                ctx.err(
                    p.path.span(),
                    "param.path",
                    format!(
                        "{m}: give the dotted path of a scenario field, as for `pluri run --set`"
                    ),
                )
            } else {
                fail(m)
            }
        })?;
    }
    Ok((path, min, max, integer))
}

fn build_sweep(
    raw: &RawCalibration,
    ctx: &Ctx,
    name: &str,
    scenario: Option<&Path>,
    params: &[(String, f64, f64, bool)],
) -> Result<Sweep, CalibrateError> {
    if *raw.replicates.get_ref() == 0 {
        return Err(ctx.err(raw.replicates.span(), "replicates", "must be at least 1; 2 or more estimate the stochastic variation the score accounts for".into()));
    }
    if *raw.samples.get_ref() == 0 {
        return Err(ctx.err(
            raw.samples.span(),
            "samples",
            "must be at least 1 (parameter sets drawn)".into(),
        ));
    }
    // Before anything is drawn or allocated: each set is run, recorded and scored.
    if *raw.samples.get_ref() > MAX_SAMPLES {
        return Err(ctx.err(
            raw.samples.span(),
            "samples",
            format!(
                "{} parameter sets: at most {MAX_SAMPLES} (history matching needs hundreds to a few thousand; run waves with narrower ranges instead)",
                raw.samples.get_ref()
            ),
        ));
    }
    let mut t = toml::Table::new();
    t.insert("name".into(), name.into());
    let dir = scenario.and_then(Path::parent).unwrap_or(Path::new("."));
    if let Some(file) = scenario.and_then(Path::file_name) {
        t.insert("base".into(), file.to_string_lossy().into_owned().into());
    }
    t.insert("seed".into(), toml::Value::Integer(raw.seed as i64));
    t.insert(
        "replicates".into(),
        toml::Value::Integer(i64::from(*raw.replicates.get_ref())),
    );
    t.insert(
        "set".into(),
        toml::Value::Array(raw.set.iter().map(|s| s.get_ref().clone().into()).collect()),
    );
    let mut design = toml::Table::new();
    design.insert("kind".into(), "lhs".into());
    design.insert(
        "samples".into(),
        toml::Value::Integer(*raw.samples.get_ref() as i64),
    );
    t.insert("design".into(), design.into());
    let ps = params
        .iter()
        .map(|(path, min, max, int)| {
            let mut p = toml::Table::new();
            p.insert("path".into(), path.clone().into());
            let ends = if *int {
                vec![
                    toml::Value::Integer(*min as i64),
                    toml::Value::Integer(*max as i64),
                ]
            } else {
                vec![toml::Value::Float(*min), toml::Value::Float(*max)]
            };
            p.insert("range".into(), toml::Value::Array(ends));
            toml::Value::Table(p)
        })
        .collect();
    t.insert("param".into(), toml::Value::Array(ps));
    let text = toml::to_string(&t).map_err(|e| ctx.err(0..0, "name", format!("internal: {e}")))?;
    Sweep::from_toml_str(&text, ctx.origin, dir).map_err(CalibrateError::Sweep)
}
