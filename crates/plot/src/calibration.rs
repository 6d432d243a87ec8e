//! The calibration figure: for each mapped indicator, the observed figures (points, ranges
//! as bars, targets as hollow squares) over the band of the kept parameter sets' simulated
//! curves (the mean over replicates at each 1 January) and the best set's curve.

use super::canvas::{render, Drawn, Figure};
use super::legend::{Entry, Key};
use super::panels::{self, Axes, Cell, Header};
use super::scale::{self, Scale};
use super::style;
use super::PlotError;
use plotters::coord::Shift;
use plotters::prelude::{
    Circle, DrawingArea, DrawingBackend, LineSeries, PathElement, Polygon, Rectangle,
};
use plotters::style::{Color, RGBColor};
use pluri_schema::calibration::{CalibrationCurves, CurvePanel, CURVES_FILE};
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

#[derive(Debug, Clone, PartialEq)]
struct CalibrationFigure {
    header: Header,
    panels: Vec<CurvePanel>,
}

fn figure(curves: &CalibrationCurves) -> CalibrationFigure {
    CalibrationFigure {
        header: Header {
            title: format!(
                "Calibration {}: observed figures and simulated curves",
                curves.name
            ),
            notes: vec![curves.note.clone()],
            legend: vec![
                Entry {
                    label: "simulated, band of sets".into(),
                    colour: BAND_SWATCH,
                    key: Key::Swatch,
                },
                Entry {
                    label: "simulated, best set".into(),
                    colour: BEST,
                    key: Key::Line,
                },
                Entry {
                    label: "observed (range)".into(),
                    colour: OBSERVED,
                    key: Key::Line,
                },
                Entry {
                    label: "target (not scored)".into(),
                    colour: TARGET,
                    key: Key::Swatch,
                },
            ],
        },
        panels: curves.panels.clone(),
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

    fn draw_panel<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        p: &CurvePanel,
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

/// Draws `calibration.png`/`.svg` into `dir` from the calibration's `curves.json` there:
/// observed figures over the simulated band.
pub fn plot_calibration(dir: &Path, format: super::Format) -> Result<Vec<PathBuf>, PlotError> {
    let path = dir.join(CURVES_FILE);
    let text = super::data::read_text(&path)?;
    let curves: CalibrationCurves =
        serde_json::from_str(&text).map_err(|e| PlotError::Malformed {
            path: path.clone(),
            line: Some(e.line() as u64),
            message: e.to_string(),
        })?;
    style::ensure_font()?;
    render(&figure(&curves), dir, "calibration", format)
}
