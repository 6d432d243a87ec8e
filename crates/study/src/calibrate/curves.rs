//! What the calibration figure draws ([`CalibrationCurves`]), from the scores: for each
//! mapped indicator the band of the kept sets' means at each 1 January, the best set's
//! curve and the observed figures. Written as `curves.json`; the figure reads that file.

use super::mapping::{Column, IndicatorMap};
use super::observed::{Kind, Observation};
use super::spec::Calibration;
use super::PointScore;
use pluri_schema::calibration::{CalibrationCurves, CurvePanel, ObservedPoint};
use pluri_schema::date::Date;

/// A date as a decimal year.
fn year(d: Date) -> f64 {
    let start = Date::new_year(d.year).days();
    let len = (Date::new_year(d.year + 1).days() - start) as f64;
    f64::from(d.year) + (d.days() - start) as f64 / len
}

/// The calibration figure's data: the band is the kept sets', or the least implausible
/// tenth's when none is kept.
pub fn curves(cal: &Calibration, scores: &[PointScore]) -> CalibrationCurves {
    let kept: Vec<&PointScore> = scores.iter().filter(|s| s.accepted).collect();
    let (band_sets, band_label) = if kept.is_empty() {
        let mut sorted: Vec<&PointScore> = scores.iter().collect();
        sorted.sort_by(|a, b| a.max_i.total_cmp(&b.max_i).then(a.point.cmp(&b.point)));
        let n = (scores.len() / 10).max(1).min(scores.len());
        sorted.truncate(n);
        (
            sorted,
            format!("no set kept: band of the {n} least implausible sets"),
        )
    } else {
        (
            kept.clone(),
            format!("band of the {} kept sets", kept.len()),
        )
    };
    let best = super::score::best(scores);
    let panels = cal
        .indicators
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let yearly: Vec<(usize, &Column)> = cal
                .columns
                .iter()
                .enumerate()
                .filter(|(_, c)| c.indicator == i && c.date.month == 1 && c.date.day == 1)
                .collect();
            let band = yearly
                .iter()
                .filter_map(|&(k, c)| {
                    let (lo, hi) = band_sets
                        .iter()
                        .map(|s| s.means[k])
                        .filter(|v| v.is_finite())
                        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                            (a.min(v), b.max(v))
                        });
                    (lo <= hi).then_some((year(c.date), lo, hi))
                })
                .collect();
            let best = best.map_or(Vec::new(), |b| {
                yearly
                    .iter()
                    .filter(|(k, _)| b.means[*k].is_finite())
                    .map(|&(k, c)| (year(c.date), b.means[k]))
                    .collect()
            });
            let rows: Vec<_> = cal
                .observations
                .iter()
                .filter(|o| o.indicator == m.observed)
                .collect();
            panel(m, &rows, band, best)
        })
        .collect();
    CalibrationCurves {
        name: cal.name.clone(),
        note: format!(
            "{band_label} (mean over {} at each 1 January); line: the best set; dots and bars: observed figures and ranges",
            match cal.stochastic {
                None => format!("{} replicates", cal.sweep.replicates),
                Some(st) => format!(
                    "each set's runs: {}, {} for the first {} sets",
                    cal.sweep.replicates, st.replicates, st.sets
                ),
            }
        ),
        panels,
    }
}

fn panel(
    m: &IndicatorMap,
    rows: &[&Observation],
    band: Vec<(f64, f64, f64)>,
    best: Vec<(f64, f64)>,
) -> CurvePanel {
    let scale = m
        .per_residents
        .map_or(String::new(), |p| format!(" x {p} / residents"));
    CurvePanel {
        caption: format!("{} (simulated: {}{scale})", m.observed, m.simulated),
        unit: rows.first().map_or(String::new(), |o| o.unit.clone()),
        band,
        best,
        observed: rows
            .iter()
            .map(|o| ObservedPoint {
                year: year(o.date),
                value: o.value,
                range: o.range,
                target: o.kind == Kind::Target,
            })
            .collect(),
    }
}
