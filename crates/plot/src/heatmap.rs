//! Heat maps of a two-parameter grid sweep: one indicator's mean over replicates in each
//! cell of the grid, coloured on the viridis scale, value written in the cell, and a colour
//! bar legend.

use super::canvas::{Drawn, Figure};
use super::indicators;
use super::panels::{self, Axes, Cell, Header};
use super::scale::Scale;
use super::style::{self, size};
use super::sweep_data::{ParamColumn, Points};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend, Rectangle, Text};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, RGBColor};

const WIDTH: i32 = 1400;
const HEIGHT: i32 = 1000;
/// Width of the colour bar column on the right.
const BAR_COLUMN: i32 = 250;
const BAR_W: i32 = 36;

/// Viridis (matplotlib's default sequential scale: perceptually uniform, readable by
/// colour-blind readers and in grey), at eight evenly spaced stops.
const VIRIDIS: [RGBColor; 8] = [
    RGBColor(68, 1, 84),
    RGBColor(70, 50, 127),
    RGBColor(54, 92, 141),
    RGBColor(39, 127, 143),
    RGBColor(31, 162, 136),
    RGBColor(74, 194, 110),
    RGBColor(160, 219, 57),
    RGBColor(254, 232, 37),
];

/// The viridis colour at `t` in 0–1 (clamped), interpolated between stops.
pub(crate) fn viridis(t: f64) -> RGBColor {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let pos = t * (VIRIDIS.len() - 1) as f64;
    let i = (pos.floor() as usize).min(VIRIDIS.len() - 2);
    let f = pos - i as f64;
    let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
    let mix = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Text colour readable on viridis at `t`: white on the dark end, ink on the light end.
fn text_on(t: f64) -> RGBColor {
    if t < 0.55 {
        RGBColor(255, 255, 255)
    } else {
        style::INK
    }
}

/// One indicator over a two-parameter grid.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct HeatFigure {
    header: Header,
    name: String,
    x: ParamColumn,
    y: ParamColumn,
    /// (column, row, mean) of each point.
    cells: Vec<(usize, usize, f64)>,
    /// Lowest and highest mean: the ends of the colour scale.
    range: (f64, f64),
}

/// The heat map of indicator `name` over the two parameters of `points` (first across,
/// second up), or `None` unless the sweep is a grid of exactly two parameters.
pub(crate) fn figure(points: &Points, name: &str, sweep: &str) -> Option<HeatFigure> {
    let ([x, y], true) = (points.params.as_slice(), points.grid) else {
        return None;
    };
    let stats = points.indicator(name)?;
    let (xd, yd) = (x.distinct(), y.distinct());
    let index = |d: &[f64], v: f64| {
        d.iter()
            .position(|w| w.to_bits() == v.to_bits())
            .unwrap_or(0)
    };
    let cells: Vec<(usize, usize, f64)> = (0..stats.len())
        .map(|i| {
            (
                index(&xd, x.values[i]),
                index(&yd, y.values[i]),
                stats[i].mean,
            )
        })
        .collect();
    let finite = cells.iter().map(|c| c.2).filter(|v| v.is_finite());
    let lo = finite.clone().fold(f64::INFINITY, f64::min);
    let hi = finite.fold(f64::NEG_INFINITY, f64::max);
    let mut reps: Vec<f64> = points.n.clone();
    reps.sort_by(f64::total_cmp);
    reps.dedup();
    let reps = match reps.as_slice() {
        [one] => format!("{one} replicates"),
        _ => "its replicates".to_string(),
    };
    Some(HeatFigure {
        header: Header {
            title: format!("Sweep {sweep}: {}", indicators::caption(name)),
            notes: std::iter::once(format!(
                "Each cell: mean of {name} over {reps} at one grid point; colour scale on the right."
            ))
            .chain(super::sweep::path_notes(
                &points.params,
                WIDTH - 2 * panels::OUTER,
            ))
            .collect(),
            legend: Vec::new(),
        },
        name: name.to_string(),
        x: x.clone(),
        y: y.clone(),
        cells,
        range: if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) },
    })
}

fn categories(p: &ParamColumn) -> (Scale, Vec<String>) {
    let d = p.distinct();
    let labels = d.iter().map(|v| match p.labels {
        Some(_) => p.show(*v),
        None => style::tick(*v),
    });
    (
        Scale {
            lo: -0.5,
            hi: d.len() as f64 - 0.5,
            ticks: (0..d.len()).map(|i| i as f64).collect(),
        },
        labels.collect(),
    )
}

impl HeatFigure {
    fn t(&self, v: f64) -> f64 {
        let (lo, hi) = self.range;
        if hi > lo {
            (v - lo) / (hi - lo)
        } else {
            0.5
        }
    }

    fn draw_bar<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, top: i32) -> Drawn {
        let left = WIDTH - BAR_COLUMN + 20;
        let head = style::text(size::AXIS_LABEL, style::INK);
        let body = style::text(size::TICK, style::INK);
        let unit = indicators::lookup(&self.name).unit;
        let lines = [self.name.clone(), format!("({unit})")];
        for (i, line) in lines.iter().enumerate() {
            root.draw(&Text::new(
                style::fit(line, &head, BAR_COLUMN - 30),
                (left, top + i as i32 * 24),
                head.clone(),
            ))?;
        }
        let (bar_top, bar_bottom) = (top + 70, HEIGHT - 140);
        let steps = 120;
        let h = f64::from(bar_bottom - bar_top) / f64::from(steps);
        for s in 0..steps {
            let y1 = bar_bottom - (f64::from(s) * h).round() as i32;
            let y0 = bar_bottom - (f64::from(s + 1) * h).round() as i32;
            let colour = viridis((f64::from(s) + 0.5) / f64::from(steps));
            root.draw(&Rectangle::new(
                [(left, y0), (left + BAR_W, y1)],
                colour.filled(),
            ))?;
        }
        root.draw(&Rectangle::new(
            [(left, bar_top), (left + BAR_W, bar_bottom)],
            style::AXIS.stroke_width(1),
        ))?;
        let (lo, hi) = self.range;
        let ticks = panels::round_ticks(lo, hi, 5);
        for v in ticks {
            let y = bar_bottom - (self.t(v) * f64::from(bar_bottom - bar_top)).round() as i32;
            root.draw(&Rectangle::new(
                [(left + BAR_W, y), (left + BAR_W + 8, y + 1)],
                style::INK.filled(),
            ))?;
            root.draw(&Text::new(
                indicators::format_value(&self.name, v),
                (left + BAR_W + 14, y),
                body.pos(Pos::new(HPos::Left, VPos::Center)),
            ))?;
        }
        Ok(())
    }
}

impl Figure for HeatFigure {
    fn size(&self) -> (u32, u32) {
        (WIDTH as u32, HEIGHT as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn {
        self.header.draw(root, WIDTH)?;
        let top = self.header.height(WIDTH);
        let cell = Cell {
            left: panels::OUTER,
            top,
            width: WIDTH - BAR_COLUMN - panels::OUTER,
            height: HEIGHT - top - panels::OUTER,
        };
        let (xs, x_labels) = categories(&self.x);
        let (ys, y_labels) = categories(&self.y);
        let label = |labels: &[String], v: f64| {
            labels
                .get(v.round().max(0.0) as usize)
                .cloned()
                .unwrap_or_default()
        };
        let x_fmt = |v: &f64| label(&x_labels, *v);
        let y_fmt = |v: &f64| label(&y_labels, *v);
        let y_area = y_labels
            .iter()
            .map(|l| style::text_size(l, &style::text(size::TICK, style::INK)).0 as i32)
            .max()
            .unwrap_or(0)
            + 50;
        let chart = panels::chart(
            root,
            cell,
            &format!("{} by {} and {}", self.name, self.x.label, self.y.label),
            &Axes {
                x: &xs,
                y: &ys,
                x_desc: &self.x.label,
                y_desc: &self.y.label,
                x_fmt: &x_fmt,
                y_fmt: &y_fmt,
                y_area: y_area.max(70),
            },
        )?;
        let (nx, ny) = (x_labels.len().max(1), y_labels.len().max(1));
        let corner = |i: usize, j: usize| chart.backend_coord(&(i as f64 - 0.5, j as f64 - 0.5));
        let (origin, far) = (corner(0, 0), corner(nx, ny));
        let (cw, ch) = (
            (far.0 - origin.0) / nx as i32,
            (origin.1 - far.1) / ny as i32,
        );
        let sample =
            indicators::format_value(&self.name, self.range.1.max(self.range.0.abs()) * 0.999);
        let font_px = [24.0, 20.0, 16.0, 13.0, 11.0].into_iter().find(|&f| {
            let (w, h) = style::text_size(&sample, &style::text(f, style::INK));
            (w as i32) < cw - 8 && (h as i32) < ch - 4
        });
        for &(i, j, v) in &self.cells {
            let (x0, y1) = corner(i, j);
            let (x1, y0) = corner(i + 1, j + 1);
            let (fill, ink) = if v.is_finite() {
                (viridis(self.t(v)), text_on(self.t(v)))
            } else {
                (style::GRID, style::INK)
            };
            root.draw(&Rectangle::new(
                [(x0 + 1, y0 + 1), (x1 - 1, y1 - 1)],
                fill.filled(),
            ))?;
            if let Some(f) = font_px {
                let text = if v.is_finite() {
                    indicators::format_value(&self.name, v)
                } else {
                    "no value".to_string()
                };
                root.draw(&Text::new(
                    text,
                    ((x0 + x1) / 2, (y0 + y1) / 2),
                    style::text(f, ink).pos(Pos::new(HPos::Center, VPos::Center)),
                ))?;
            }
        }
        self.draw_bar(root, top + 50)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viridis_runs_from_dark_purple_to_yellow() {
        assert_eq!(viridis(0.0), VIRIDIS[0]);
        assert_eq!(viridis(1.0), VIRIDIS[7]);
        assert_eq!(viridis(2.0), VIRIDIS[7]);
        assert_eq!(viridis(f64::NAN), VIRIDIS[0]);
        let mid = viridis(0.5);
        assert!(mid.1 > VIRIDIS[0].1 && mid.1 < VIRIDIS[7].1, "{mid:?}");
    }

    #[test]
    fn cell_text_is_light_on_dark_cells_and_dark_on_light_ones() {
        assert_eq!(text_on(0.1), RGBColor(255, 255, 255));
        assert_eq!(text_on(0.9), style::INK);
    }
}
