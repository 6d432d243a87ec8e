//! The calibration figure: for each mapped indicator, the observed figures (points, ranges
//! as bars, targets as hollow squares) over the band of the kept parameter sets' simulated
//! curves (the mean over replicates at each 1 January) and the best set's curve.

use super::canvas::{render, Drawn, Figure};
use super::legend::{Entry, Key};
use super::panels::{self, Axes, Cell, Header};
use super::scale::{self, Scale};
use super::style;
use super::PlotError;
use crate::calibrate::dates::Date;
use crate::calibrate::observed::Kind;
use crate::calibrate::{Calibration, PointScore};
use plotters::coord::Shift;
use plotters::prelude::{
    Circle, DrawingArea, DrawingBackend, LineSeries, PathElement, Polygon, Rectangle,
};
use plotters::style::{Color, RGBColor};
use std::path::{Path, PathBuf};

const WIDTH: i32 = 1500;
const COLUMNS: usize = 2;
const PANEL_H: i32 = 520;
const BAND: RGBColor = style::RUN_COLOURS[0];
/// The band's colour on white, for the legend swatch.
const BAND_SWATCH: RGBColor = RGBColor(199, 222, 238);
const BEST: RGBColor = style::RUN_COLOURS[0];
const OBSERVED: RGBColor = style::RUN_COLOURS[1];
const TARGET: RGBColor = style::RUN_COLOURS[6];

/// A date as a decimal year.
fn year(d: Date) -> f64 {
    let start = Date::new_year(d.year).days();
    let len = (Date::new_year(d.year + 1).days() - start) as f64;
    f64::from(d.year) + (d.days() - start) as f64 / len
}

#[derive(Debug, Clone, PartialEq)]
struct Panel {
    caption: String,
    unit: String,
    /// (year, low, high) of the band.
    band: Vec<(f64, f64, f64)>,
    best: Vec<(f64, f64)>,
    observed: Vec<Dot>,
}

/// An observed figure as drawn.
#[derive(Debug, Clone, PartialEq)]
struct Dot {
    year: f64,
    value: f64,
    range: Option<(f64, f64)>,
    target: bool,
}

#[derive(Debug, Clone, PartialEq)]
struct CalibrationFigure {
    header: Header,
    panels: Vec<Panel>,
}

fn figure(cal: &Calibration, scores: &[PointScore]) -> CalibrationFigure {
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
    let best = crate::calibrate::outputs::best(scores);
    let panels = cal
        .indicators
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let yearly: Vec<(usize, &crate::calibrate::spec::Column)> = cal
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
            CalibrationFigure::panel(m, &rows, band, best)
        })
        .collect();
    CalibrationFigure {
        header: Header {
            title: format!("Calibration {}: observed figures and simulated curves", cal.name),
            notes: vec![format!(
                "{band_label} (mean over {} at each 1 January); line: the best set; dots and bars: observed figures and ranges",
                match cal.stochastic {
                    None => format!("{} replicates", cal.sweep.replicates),
                    Some(st) => format!(
                        "each set's runs: {}, {} for the first {} sets",
                        cal.sweep.replicates, st.replicates, st.sets
                    ),
                }
            )],
            legend: vec![
                Entry { label: "simulated, band of sets".into(), colour: BAND_SWATCH, key: Key::Swatch },
                Entry { label: "simulated, best set".into(), colour: BEST, key: Key::Line },
                Entry { label: "observed (range)".into(), colour: OBSERVED, key: Key::Line },
                Entry { label: "target (not scored)".into(), colour: TARGET, key: Key::Swatch },
            ],
        },
        panels,
    }
}

impl CalibrationFigure {
    fn rows(&self) -> i32 {
        panels::rows(self.panels.len(), COLUMNS).max(1)
    }

    /// Panels fill a figure at least 1050 pixels high.
    fn panel_h(&self) -> i32 {
        let room = 1050 - self.header.height(WIDTH) - panels::OUTER;
        PANEL_H.max(room / self.rows())
    }

    fn panel(
        m: &crate::calibrate::spec::IndicatorMap,
        rows: &[&crate::calibrate::observed::Observation],
        band: Vec<(f64, f64, f64)>,
        best: Vec<(f64, f64)>,
    ) -> Panel {
        let scale = m
            .per_residents
            .map_or(String::new(), |p| format!(" x {p} / residents"));
        Panel {
            caption: format!("{} (simulated: {}{scale})", m.observed, m.simulated),
            unit: rows.first().map_or(String::new(), |o| o.unit.clone()),
            band,
            best,
            observed: rows
                .iter()
                .map(|o| Dot {
                    year: year(o.date),
                    value: o.value,
                    range: o.range,
                    target: o.kind == Kind::Target,
                })
                .collect(),
        }
    }

    fn draw_panel<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        p: &Panel,
        cell: Cell,
    ) -> Drawn {
        let xs: Vec<f64> = p
            .band
            .iter()
            .map(|b| b.0)
            .chain(p.observed.iter().map(|o| o.year))
            .collect();
        let x: Scale = panels::param_scale(&xs);
        let (x_scale_lo, x_scale_hi) = (x.lo, x.hi);
        let ys = p
            .band
            .iter()
            .flat_map(|b| [b.1, b.2])
            .chain(p.best.iter().map(|b| b.1))
            .chain(p.observed.iter().flat_map(|o| {
                let (lo, hi) = o.range.unwrap_or((o.value, o.value));
                [o.value, lo, hi]
            }));
        let y = scale::value_scale(ys, false);
        let x_fmt = |v: &f64| {
            if (v - v.round()).abs() < 1e-6 {
                format!("{v:.0}")
            } else {
                format!("{v:.1}")
            }
        };
        let y_fmt = |v: &f64| style::tick(*v);
        let mut chart = panels::chart(
            root,
            cell,
            &p.caption,
            &Axes {
                x: &x,
                y: &y,
                x_desc: "year",
                y_desc: &p.unit,
                x_fmt: &x_fmt,
                y_fmt: &y_fmt,
                y_area: 84,
            },
        )?;
        if p.band.len() >= 2 {
            let mut outline: Vec<(f64, f64)> = p.band.iter().map(|b| (b.0, b.2)).collect();
            outline.extend(p.band.iter().rev().map(|b| (b.0, b.1)));
            chart.draw_series(std::iter::once(Polygon::new(
                outline,
                BAND.mix(0.22).filled(),
            )))?;
        }
        chart.draw_series(LineSeries::new(p.best.clone(), BEST.stroke_width(3)))?;
        for o in &p.observed {
            let (x, v, range, target) = (o.year, o.value, o.range, o.target);
            if target {
                let (dx, dy) = ((x_scale_hi - x_scale_lo) * 0.008, (y.hi - y.lo) * 0.015);
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(x - dx, v - dy), (x + dx, v + dy)],
                    TARGET.stroke_width(2),
                )))?;
                continue;
            }
            if let Some((lo, hi)) = range {
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![(x, lo), (x, hi)],
                    OBSERVED.stroke_width(3),
                )))?;
            }
            chart.draw_series(std::iter::once(Circle::new((x, v), 6, OBSERVED.filled())))?;
        }
        Ok(())
    }
}

impl Figure for CalibrationFigure {
    fn size(&self) -> (u32, u32) {
        let h = self.header.height(WIDTH) + self.rows() * self.panel_h() + panels::OUTER;
        (WIDTH as u32, h as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn {
        self.header.draw(root, WIDTH)?;
        let top = self.header.height(WIDTH);
        let cells = panels::cells(self.panels.len(), COLUMNS, top, WIDTH, self.panel_h());
        for (panel, cell) in self.panels.iter().zip(cells) {
            self.draw_panel(root, panel, cell)?;
        }
        Ok(())
    }
}

/// Draws `calibration.png`/`.svg` into `dir`: observed figures over the simulated band.
pub fn plot_calibration(
    cal: &Calibration,
    scores: &[PointScore],
    dir: &Path,
    format: super::Format,
) -> Result<Vec<PathBuf>, PlotError> {
    style::ensure_font()?;
    render(&figure(cal, scores), dir, "calibration", format)
}
