//! What a finished calibration writes: `scores.csv`, `accepted.csv`, `calibrated.toml` and
//! `report.md` (the figure is drawn by `plot::plot_calibration`).

use super::error::CalibrateError;
use super::observed::Kind;
use super::score::{best, PointScore};
use super::spec::Calibration;
use crate::sweep::record::num;
use crate::sweep::store::write_atomic;
use std::fmt::Write as _;
use std::path::Path;

fn write(dir: &Path, name: &str, text: &str) -> Result<(), CalibrateError> {
    write_atomic(&dir.join(name), text.as_bytes()).map_err(CalibrateError::Sweep)
}

/// `scores.csv` (every set) and `accepted.csv` (the kept ones), in point order.
pub fn write_tables(
    cal: &Calibration,
    scores: &[PointScore],
    dir: &Path,
) -> Result<(), CalibrateError> {
    let mut head: Vec<String> = vec!["point".into()];
    head.extend(cal.sweep.params.iter().map(|p| p.path.clone()));
    head.push("n".into());
    for t in &cal.targets {
        let c = &cal.columns[t.column].name;
        head.push(format!("{c}_mean"));
        head.push(format!("{c}_implausibility"));
    }
    head.push("max_implausibility".into());
    head.push("accepted".into());
    let line = |s: &PointScore| {
        let mut row: Vec<String> = vec![s.point.to_string()];
        row.extend(s.params.iter().map(|v| num(Some(*v))));
        row.push(s.n.to_string());
        for (t, i) in cal.targets.iter().zip(&s.implausibility) {
            row.push(num(Some(s.means[t.column])));
            row.push(num(Some(*i)));
        }
        row.push(num(Some(s.max_i)));
        row.push(s.accepted.to_string());
        row.join(",") + "\n"
    };
    let header = head.join(",") + "\n";
    let all: String = std::iter::once(header.clone())
        .chain(scores.iter().map(line))
        .collect();
    let kept: String = std::iter::once(header)
        .chain(scores.iter().filter(|s| s.accepted).map(line))
        .collect();
    write(dir, "scores.csv", &all)?;
    write(dir, "accepted.csv", &kept)
}

/// `calibrated.toml`: the base scenario with the best set applied, as `pluri run` takes it.
pub fn write_calibrated(
    cal: &Calibration,
    best: &PointScore,
    dir: &Path,
) -> Result<(), CalibrateError> {
    let sets = cal.sweep.sets(best.point);
    let scenario = cal
        .sweep
        .base
        .with_sets(&sets)
        .map_err(|source| CalibrateError::Scenario {
            origin: cal.origin.clone(),
            source,
        })?;
    let mut text = format!(
        "# Calibrated by `pluri calibrate {}`: the parameter set with the smallest largest\n# implausibility (point {}, {:.2}; {} at cut-off {}).\n",
        cal.origin,
        best.point,
        best.max_i,
        if best.accepted { "accepted" } else { "NOT accepted: no set fits every observation" },
        cal.cutoff
    );
    for s in &sets {
        let _ = writeln!(text, "#   {s}");
    }
    text.push_str(&scenario.to_commented_toml());
    write(dir, "calibrated.toml", &text)
}

/// `curves.json`: what the calibration figure draws.
pub fn write_curves(
    cal: &Calibration,
    scores: &[PointScore],
    dir: &Path,
) -> Result<(), CalibrateError> {
    let curves = super::curves::curves(cal, scores);
    let text = serde_json::to_string_pretty(&curves).unwrap_or_default();
    write(dir, pluri_schema::calibration::CURVES_FILE, &text)
}

/// `report.md`: what fits and what does not.
pub fn write_report(
    cal: &Calibration,
    scores: &[PointScore],
    dir: &Path,
) -> Result<String, CalibrateError> {
    let accepted: Vec<&PointScore> = scores.iter().filter(|s| s.accepted).collect();
    let mut r = String::new();
    let _ = writeln!(r, "# Calibration `{}`\n", cal.name);
    let runs = match cal.stochastic {
        None => format!("{} replicates", cal.sweep.replicates),
        Some(st) => format!(
            "{} run{} each, the first {} sets {} runs in all (their pooled spread is every set's replicate variance)",
            cal.sweep.replicates,
            if cal.sweep.replicates == 1 { "" } else { "s" },
            st.sets,
            st.replicates
        ),
    };
    let _ = writeln!(
        r,
        "History matching over {} parameter sets (Latin hypercube) x {runs}; a set is kept when every scored observation has implausibility below {} (observation sd: a quarter of a range, else {} x the figure; model discrepancy {} x the figure). Method: docs/CALIBRATION.md.\n",
        scores.len(),
        cal.cutoff,
        cal.observation_sd,
        cal.discrepancy_sd
    );
    let _ = writeln!(r, "**{} of {} sets kept.**\n", accepted.len(), scores.len());
    let _ = writeln!(r, "## Parameters: prior and kept ranges\n\n| parameter | prior | kept | best |\n|---|---|---|---|");
    let best = best(scores);
    for (j, p) in cal.sweep.params.iter().enumerate() {
        let prior = match &p.domain {
            crate::sweep::Domain::Range { min, max, .. } => format!("{min} to {max}"),
            crate::sweep::Domain::Values(v) => format!("{v:?}"),
        };
        let kept = span(accepted.iter().map(|s| s.params[j]));
        let b = best.map_or(String::new(), |b| format!("{:.4}", b.params[j]));
        let _ = writeln!(r, "| `{}` | {prior} | {kept} | {b} |", p.path);
    }
    let _ = writeln!(r, "\n## Observations\n\n\"fits\": yes when the best set is within the cut-off even without the model discrepancy term; otherwise the table says it fits only through that term.\n\n| observed | date | figure (sd) | best set | kept sets | sets within the cut-off for this one | fits? |\n|---|---|---|---|---|---|---|");
    for (i, t) in cal.targets.iter().enumerate() {
        let c = t.column;
        let within = scores
            .iter()
            .filter(|s| s.implausibility[i] < cal.cutoff)
            .count();
        // Without the discrepancy term: does the best set reach the figure within the
        // observation's own uncertainty and the replicate spread, or only thanks to it?
        let strict = best.map_or(f64::INFINITY, |b| {
            super::score::implausibility(
                t.obs.value,
                t.obs.sd(cal.observation_sd),
                0.0,
                b.means[c],
                b.variances[c],
                b.n,
            )
        });
        let fits = if within == 0 {
            "**no**: no set comes within the cut-off".to_string()
        } else if accepted.is_empty() {
            "alone yes, not together with the others".to_string()
        } else if strict < cal.cutoff {
            "yes".to_string()
        } else {
            format!("only through the model discrepancy (best set at {strict:.1} without it)")
        };
        let _ = writeln!(
            r,
            "| {} | {} | {} ({:.3}) | {} | {} | {within} of {} | {fits} |",
            t.obs.indicator,
            t.obs.date,
            short(t.obs.value),
            t.obs.sd(cal.observation_sd),
            best.map_or(String::new(), |b| short(b.means[c])),
            span(accepted.iter().map(|s| s.means[c])),
            scores.len()
        );
    }
    if let (Some(st), Some(pooled)) = (cal.stochastic, super::score::pooled(cal, scores)) {
        let _ = writeln!(r, "\n## Stochastic variation\n\nEvery set's replicate variance is cv² x its mean², with cv the coefficient of variation pooled over the first {} sets, {} runs each (each set weighted by its runs less one; sets whose mean is 0 or missing are left out). The score divides it by the set's runs.\n\n| observed | date | pooled cv | sets | runs | one run's sd at the figure |\n|---|---|---|---|---|---|", st.sets, st.replicates);
        for t in &cal.targets {
            let p = pooled[t.column];
            let cv = p.cv2.sqrt();
            let (cv, sd) = if p.sets == 0 {
                ("no estimate: taken as 0".to_string(), String::new())
            } else {
                (format!("{:.1}%", 100.0 * cv), short(cv * t.obs.value.abs()))
            };
            let _ = writeln!(
                r,
                "| {} | {} | {cv} | {} | {} | {sd} |",
                t.obs.indicator, t.obs.date, p.sets, p.runs
            );
        }
    }
    let unmapped: Vec<String> = cal
        .observations
        .iter()
        .filter(|o| {
            o.kind == Kind::Observed && !cal.indicators.iter().any(|m| m.observed == o.indicator)
        })
        .map(|o| format!("{} ({})", o.indicator, o.date))
        .collect();
    if !unmapped.is_empty() {
        let _ = writeln!(
            r,
            "\nNot scored (no simulated indicator maps onto them): {}.",
            unmapped.join(", ")
        );
    }
    let _ = writeln!(r, "\nFiles: `scores.csv` (every set), `accepted.csv`, `calibrated.toml` (best set), `calibration.png`/`.svg`, `sweep/` (the runs).");
    write(dir, "report.md", &r)?;
    Ok(r)
}

fn short(v: f64) -> String {
    if !v.is_finite() {
        "n/a".into()
    } else if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.3}")
    }
}

fn span(values: impl Iterator<Item = f64>) -> String {
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if lo > hi {
        "none".into()
    } else {
        format!("{} to {}", short(lo), short(hi))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_and_numbers_read_well_in_the_report() {
        assert_eq!(span([3.0, 1.0, 2.0].into_iter()), "1.000 to 3.000");
        assert_eq!(span(std::iter::empty()), "none");
        assert_eq!(short(2251.4), "2251");
        assert_eq!(short(f64::NAN), "n/a");
    }
}
