//! Reading a sweep file and its semantic checks: [`RawSweep`] → [`Sweep`], every value tried
//! on the base scenario.

use super::design;
use super::error::SweepError;
use super::raw::{DesignKind, RawParam, RawSweep, Tables};
use super::spec::{fnv_hex, Domain, Param, Parts, Sweep};
use pluri_core::input::{self, line_of, InputError, InputKind};
use pluri_core::Scenario;
use pluri_schema::run::HEADLINE;
use pluri_schema::sweep::BASE_FILE;
use serde::Serialize;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The effective sweep as written to `sweep.toml` in the output directory.
#[derive(Serialize)]
struct Effective<'a> {
    name: &'a str,
    base: &'a str,
    seed: u64,
    replicates: u32,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    plot_indicators: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    tables: Option<Tables>,
    design: EffectiveDesign,
    param: Vec<EffectiveParam<'a>>,
}

#[derive(Serialize)]
struct EffectiveDesign {
    kind: DesignKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    samples: Option<u64>,
}

#[derive(Serialize)]
struct EffectiveParam<'a> {
    path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    values: Option<&'a [toml::Value]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    range: Option<[toml::Value; 2]>,
}

impl Sweep {
    /// Reads and validates a sweep file; the base scenario is relative to its directory.
    pub fn from_file(path: &Path) -> Result<Sweep, SweepError> {
        let text = input::read(InputKind::Study, path)?;
        let dir = path.parent().unwrap_or(Path::new("."));
        Sweep::from_toml_str(&text, &path.display().to_string(), dir)
    }

    /// Parses and validates sweep text; `origin` names it in errors, `dir` anchors `base`.
    pub fn from_toml_str(text: &str, origin: &str, dir: &Path) -> Result<Sweep, SweepError> {
        let raw: RawSweep = input::parse_toml(text, origin)?;
        validate(raw, &Ctx { text, origin }, dir)
    }
}

/// Where a sweep-like file comes from, for messages with line numbers.
pub(crate) struct Ctx<'a> {
    pub(crate) text: &'a str,
    pub(crate) origin: &'a str,
}

impl Ctx<'_> {
    pub(crate) fn err(
        &self,
        span: std::ops::Range<usize>,
        field: &str,
        message: String,
    ) -> SweepError {
        InputError::Invalid {
            origin: self.origin.to_string(),
            line: Some(line_of(self.text, span.start)),
            field: field.to_string(),
            message,
        }
        .into()
    }
}

pub(crate) fn validate(raw: RawSweep, ctx: &Ctx, dir: &Path) -> Result<Sweep, SweepError> {
    let name = raw.name.get_ref().clone();
    let name_ok = !name.is_empty()
        && name.len() <= 80
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !name_ok {
        return Err(ctx.err(
            raw.name.span(),
            "name",
            format!("{name:?} is not a valid name: use 1 to 80 letters, digits, `_` or `-`"),
        ));
    }
    if *raw.replicates.get_ref() == 0 {
        return Err(ctx.err(
            raw.replicates.span(),
            "replicates",
            "must be at least 1 (runs per point, each with its own seed)".into(),
        ));
    }
    let base = load_base(raw.base.as_ref(), ctx, dir)?;
    let mut fixed = Vec::new();
    let mut base = base;
    for s in &raw.set {
        if s.get_ref()
            .split('=')
            .next()
            .is_some_and(|k| k.trim() == "seed")
        {
            return Err(ctx.err(s.span(), "set", SEED_MESSAGE.into()));
        }
        base = base
            .with_sets(&[s.get_ref()])
            .map_err(|e| ctx.err(s.span(), "set", format!("{e}; fix or remove this override")))?;
        fixed.push(s.get_ref().clone());
    }
    let kind = raw.design.get_ref().kind;
    let samples = check_samples(&raw, ctx)?;
    if raw.params.is_empty() {
        return Err(ctx.err(
            raw.design.span(),
            "param",
            "no parameter to vary: add [[param]] entries with a `path` and `values` or `range`"
                .into(),
        ));
    }
    let mut params: Vec<Param> = Vec::new();
    for p in &raw.params {
        let param = check_param(p, kind, &base, ctx)?;
        if params.iter().any(|q| q.path == param.path) {
            return Err(ctx.err(
                p.get_ref().path.span(),
                "param.path",
                format!("`{}` is varied twice: keep one entry", param.path),
            ));
        }
        params.push(param);
    }
    // Counted before the points are drawn, so a huge design is refused without allocating it.
    let n_points = match kind {
        DesignKind::Grid => params.iter().try_fold(1u64, |n, p| match &p.domain {
            Domain::Values(v) => n.checked_mul(v.len() as u64),
            Domain::Range { .. } => Some(0),
        }),
        DesignKind::Random | DesignKind::Lhs => Some(samples),
    };
    let total = n_points.and_then(|n| n.checked_mul(u64::from(*raw.replicates.get_ref())));
    if total.is_none_or(|t| t > 100_000_000) {
        return Err(ctx.err(
            raw.design.span(),
            "design",
            format!(
                "{} points x {} replicates is too many runs (at most 100,000,000): fewer values or samples",
                n_points.map_or("more than 2^64".to_string(), |n| n.to_string()),
                raw.replicates.get_ref()
            ),
        ));
    }
    check_design_memory(n_points.unwrap_or(0), params.len(), raw.design.span(), ctx)?;
    let plot_indicators = check_plot_indicators(raw.plot_indicators.as_ref(), ctx)?;
    let points = design::points(&params, kind, samples, raw.seed);
    let parquet = raw.tables == Some(Tables::Parquet);
    let effective_with = |plot: &[String]| {
        effective_toml(
            &name,
            raw.seed,
            *raw.replicates.get_ref(),
            (kind, samples),
            &params,
            plot,
            parquet,
        )
        .map_err(|e| ctx.err(0..0, "name", format!("internal: {e}")))
    };
    let effective = effective_with(&plot_indicators)?;
    // The figures' choice is not part of the sweep's identity.
    let hash = fnv_hex(&["pluri-sweep-1", &effective_with(&[])?, &base.hash()]);
    Ok(Sweep::from_parts(Parts {
        name,
        origin: ctx.origin.to_string(),
        base,
        fixed,
        seed: raw.seed,
        replicates: *raw.replicates.get_ref(),
        kind,
        params,
        plot_indicators,
        parquet,
        points,
        effective,
        hash,
    }))
}

/// Why `seed` is neither varied nor fixed by a sweep.
pub(crate) const SEED_MESSAGE: &str = "`seed` cannot be set by a sweep: every run's seed is derived from the sweep's own `seed` (with its point and replicate), so a varied or fixed scenario seed would change nothing; set `seed = N` at the top of the sweep file, and `replicates` for more runs per point";

/// Bytes a design's points take in memory, per point and per parameter (a value and its
/// share of the point's list, with the strata a Latin hypercube draws).
const BYTES_PER_POINT: u64 = 24;
const BYTES_PER_VALUE: u64 = 48;

/// Refuses, before drawing them, points that would not fit in the memory available.
fn check_design_memory(
    points: u64,
    params: usize,
    span: std::ops::Range<usize>,
    ctx: &Ctx,
) -> Result<(), SweepError> {
    let need = points.saturating_mul(
        BYTES_PER_POINT.saturating_add(BYTES_PER_VALUE.saturating_mul(params as u64)),
    );
    let Some(have) = pluri_core::bench::proc_kib_bytes("/proc/meminfo", "MemAvailable") else {
        return Ok(());
    };
    if need > have / 2 {
        const GIB: f64 = (1u64 << 30) as f64;
        return Err(ctx.err(
            span,
            "design",
            format!(
                "{points} points of {params} parameters would hold about {:.1} GiB in memory before any run, and {:.1} GiB are available: fewer samples or values",
                need as f64 / GIB,
                have as f64 / GIB
            ),
        ));
    }
    Ok(())
}

/// `plot_indicators`: headline indicators, each once, at least one.
fn check_plot_indicators(
    raw: Option<&Spanned<Vec<Spanned<String>>>>,
    ctx: &Ctx,
) -> Result<Vec<String>, SweepError> {
    let Some(list) = raw else {
        return Ok(Vec::new());
    };
    if list.get_ref().is_empty() {
        return Err(ctx.err(
            list.span(),
            "plot_indicators",
            "is empty: name the headline indicators the figures show, or remove it for the default set".into(),
        ));
    }
    let mut names: Vec<String> = Vec::new();
    for n in list.get_ref() {
        let name = n.get_ref();
        if !HEADLINE.contains(&name.as_str()) {
            return Err(ctx.err(
                n.span(),
                "plot_indicators",
                format!(
                    "`{name}` is not a headline indicator; they are: {}",
                    HEADLINE.join(", ")
                ),
            ));
        }
        if names.contains(name) {
            return Err(ctx.err(
                n.span(),
                "plot_indicators",
                format!("`{name}` is listed twice: keep one"),
            ));
        }
        names.push(name.clone());
    }
    Ok(names)
}

pub(crate) fn load_base(
    base: Option<&Spanned<String>>,
    ctx: &Ctx,
    dir: &Path,
) -> Result<Scenario, SweepError> {
    let wrap = |source| SweepError::Base {
        origin: ctx.origin.to_string(),
        source,
    };
    match base {
        None => Scenario::default_scenario().map_err(wrap),
        Some(b) => {
            let path: PathBuf = dir.join(b.get_ref());
            if !path.is_file() {
                return Err(ctx.err(
                    b.span(),
                    "base",
                    format!(
                        "{} is not a file (the path is relative to the sweep file); omit `base` for the default scenario",
                        path.display()
                    ),
                ));
            }
            Scenario::from_file(&path).map_err(wrap)
        }
    }
}

fn check_samples(raw: &RawSweep, ctx: &Ctx) -> Result<u64, SweepError> {
    let d = raw.design.get_ref();
    match (d.kind, &d.samples) {
        (DesignKind::Grid, None) => Ok(0),
        (DesignKind::Grid, Some(s)) => Err(ctx.err(
            s.span(),
            "design.samples",
            "a grid has no samples (it runs every combination of the values): remove it, or use kind = \"random\" or \"lhs\"".into(),
        )),
        (_, None) => Err(ctx.err(
            raw.design.span(),
            "design.samples",
            "random and lhs designs need `samples = N` (points drawn)".into(),
        )),
        (_, Some(s)) if *s.get_ref() == 0 => Err(ctx.err(
            s.span(),
            "design.samples",
            "must be at least 1".into(),
        )),
        (_, Some(s)) => Ok(*s.get_ref()),
    }
}

pub(crate) fn check_param(
    p: &Spanned<RawParam>,
    kind: DesignKind,
    base: &Scenario,
    ctx: &Ctx,
) -> Result<Param, SweepError> {
    let raw = p.get_ref();
    let path = raw.path.get_ref().trim().to_string();
    if path == "seed" {
        return Err(ctx.err(raw.path.span(), "param.path", SEED_MESSAGE.into()));
    }
    // A path that names no field is blamed on the `path` line, a bad value on its own line.
    let try_value = |v: &toml::Value, span: std::ops::Range<usize>, field: &str| {
        base.with_sets(&[format!("{path}={v}")])
            .map(|_| ())
            .map_err(|e| {
                let m = e.to_string();
                if pluri_core::scenario::blames_path(&m) {
                    ctx.err(raw.path.span(), "param.path", m)
                } else {
                    ctx.err(span, field, m)
                }
            })
    };
    match (kind, &raw.values, &raw.range) {
        (DesignKind::Grid, Some(values), None) => {
            if values.get_ref().is_empty() {
                return Err(ctx.err(
                    values.span(),
                    "param.values",
                    format!("`{path}` has no values: give at least one"),
                ));
            }
            for v in values.get_ref() {
                try_value(v.get_ref(), v.span(), "param.values")?;
            }
            Ok(Param {
                path,
                domain: Domain::Values(
                    values
                        .get_ref()
                        .iter()
                        .map(|v| v.get_ref().clone())
                        .collect(),
                ),
            })
        }
        (DesignKind::Grid, _, _) => Err(ctx.err(
            p.span(),
            "param",
            format!("`{path}`: a grid design needs `values = [...]` (and no `range`)"),
        )),
        (_, None, Some(range)) => {
            let (min, max, integer) = check_range(range, &path, ctx)?;
            try_value(&range.get_ref()[0], range.span(), "param.range")?;
            try_value(&range.get_ref()[1], range.span(), "param.range")?;
            Ok(Param {
                path,
                domain: Domain::Range { min, max, integer },
            })
        }
        (_, _, _) => Err(ctx.err(
            p.span(),
            "param",
            format!("`{path}`: random and lhs designs need `range = [min, max]` (and no `values`)"),
        )),
    }
}

fn check_range(
    range: &Spanned<Vec<toml::Value>>,
    path: &str,
    ctx: &Ctx,
) -> Result<(f64, f64, bool), SweepError> {
    range_bounds(range.get_ref())
        .map_err(|m| ctx.err(range.span(), "param.range", format!("`{path}`: {m}")))
}

/// The bounds of a parameter's `range = [min, max]` and whether both are integers, or what is
/// wrong with it (shared by sweep and calibration files).
pub(crate) fn range_bounds(range: &[toml::Value]) -> Result<(f64, f64, bool), String> {
    let [lo, hi] = range else {
        return Err("give exactly two numbers, `range = [min, max]`".into());
    };
    let num = |v: &toml::Value| match v {
        toml::Value::Integer(i) => Some(*i as f64),
        toml::Value::Float(f) if f.is_finite() => Some(*f),
        _ => None,
    };
    let (Some(min), Some(max)) = (num(lo), num(hi)) else {
        return Err(format!("{lo} and {hi} must be numbers"));
    };
    if min > max {
        return Err(format!("min {min} is above max {max}: swap them"));
    }
    if min == max {
        return Err(format!(
            "the range is empty ({min} to {max}): widen it, or fix the value with `set`"
        ));
    }
    Ok((min, max, lo.is_integer() && hi.is_integer()))
}

fn effective_toml(
    name: &str,
    seed: u64,
    replicates: u32,
    (kind, samples): (DesignKind, u64),
    params: &[Param],
    plot_indicators: &[String],
    parquet: bool,
) -> Result<String, toml::ser::Error> {
    let param = params
        .iter()
        .map(|p| match &p.domain {
            Domain::Values(v) => EffectiveParam {
                path: &p.path,
                values: Some(v),
                range: None,
            },
            Domain::Range { min, max, integer } => EffectiveParam {
                path: &p.path,
                values: None,
                range: Some(if *integer {
                    [
                        toml::Value::Integer(*min as i64),
                        toml::Value::Integer(*max as i64),
                    ]
                } else {
                    [toml::Value::Float(*min), toml::Value::Float(*max)]
                }),
            },
        })
        .collect();
    let e = Effective {
        name,
        base: BASE_FILE,
        seed,
        replicates,
        plot_indicators,
        // Only a Parquet sweep says so: a CSV sweep's file and identity are as they were.
        tables: parquet.then_some(Tables::Parquet),
        design: EffectiveDesign {
            kind,
            samples: (kind != DesignKind::Grid).then_some(samples),
        },
        param,
    };
    toml::to_string(&e).map(|mut t| {
        if !t.ends_with('\n') {
            t.push('\n');
        }
        t
    })
}

#[cfg(test)]
mod tests {
    use super::super::spec::Sweep;
    use std::path::Path;

    fn sweep(plot: &str) -> Result<Sweep, crate::sweep::SweepError> {
        let text = format!(
            "name = \"t\"\nreplicates = 2\n{plot}\n[design]\nkind = \"grid\"\n\n[[param]]\npath = \"population.elderly_share\"\nvalues = [0.2, 0.3]\n"
        );
        Sweep::from_toml_str(&text, "t.toml", Path::new("."))
    }

    #[test]
    fn the_figures_indicators_are_kept_in_the_effective_sweep_but_not_in_its_identity() {
        let plain = sweep("").expect("valid");
        assert!(plain.plot_indicators.is_empty());
        assert!(!plain.effective_toml().contains("plot_indicators"));
        let chosen =
            sweep("plot_indicators = [\"avoidable_hosp_per_100k_per_year\", \"msps_end\"]")
                .expect("valid");
        assert_eq!(
            chosen.plot_indicators,
            ["avoidable_hosp_per_100k_per_year", "msps_end"]
        );
        assert_eq!(chosen.hash(), plain.hash(), "a resume is not refused");
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join(super::BASE_FILE),
            chosen.base.to_commented_toml(),
        )
        .expect("write base");
        let again = Sweep::from_toml_str(chosen.effective_toml(), "sweep.toml", dir.path())
            .expect("the effective sweep reads back");
        assert_eq!(again.plot_indicators, chosen.plot_indicators);
    }

    #[test]
    fn an_unknown_or_repeated_figure_indicator_is_refused_with_its_line() {
        let message = sweep("plot_indicators = [\"delegated_share\", \"happiness\"]")
            .expect_err("unknown")
            .to_string();
        assert!(message.contains("t.toml:3"), "{message}");
        assert!(
            message.contains("`happiness` is not a headline indicator"),
            "{message}"
        );
        let message = sweep("plot_indicators = [\"msps_end\", \"msps_end\"]")
            .expect_err("twice")
            .to_string();
        assert!(message.contains("listed twice"), "{message}");
        assert!(sweep("plot_indicators = []").is_err());
    }
}
