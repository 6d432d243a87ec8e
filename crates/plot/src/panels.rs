//! Small multiples for sweep and sensitivity figures: a header (title, notes, legend), a grid
//! of panel cells, and one styled chart per cell over [`Scale`]s.

use super::canvas::Drawn;
use super::legend::{self, Entry};
use super::scale::{Scale, Ticked};
use super::style::{self, size};
use plotters::coord::Shift;
use plotters::prelude::Text;
use plotters::prelude::{Cartesian2d, ChartBuilder, ChartContext, DrawingArea, DrawingBackend};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::TRANSPARENT;

/// Margin around the figure.
pub(crate) const OUTER: i32 = 16;
const TITLE_H: i32 = 50;
const NOTE_H: i32 = 26;
/// Height of a panel's caption above its chart.
pub(crate) const CAPTION_H: i32 = 40;

/// Title, notes under it and a legend: the top of a figure.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Header {
    /// Title.
    pub title: String,
    /// Lines under the title saying what is shown (averaging, intervals).
    pub notes: Vec<String>,
    /// Legend entries (none: no legend).
    pub legend: Vec<Entry>,
}

impl Header {
    /// Height in a figure `width` pixels wide.
    pub(crate) fn height(&self, width: i32) -> i32 {
        let legend_h = legend::height(&self.legend, width - 2 * OUTER);
        OUTER
            + TITLE_H
            + NOTE_H * self.notes.len() as i32
            + if legend_h > 0 { legend_h + 8 } else { 0 }
    }

    /// Draws title, notes and legend across a figure `width` pixels wide.
    pub(crate) fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        width: i32,
    ) -> Drawn {
        let inner = width - 2 * OUTER;
        let (title, shown) = style::fit_title(&self.title, inner);
        root.draw(&Text::new(
            shown,
            (width / 2, OUTER),
            title.pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
        let note = style::text(size::NOTE, style::MUTED);
        let mut y = OUTER + TITLE_H;
        for line in &self.notes {
            root.draw(&Text::new(
                style::fit(line, &note, inner),
                (width / 2, y),
                note.pos(Pos::new(HPos::Center, VPos::Top)),
            ))?;
            y += NOTE_H;
        }
        legend::draw(root, &self.legend, OUTER, y, inner)
    }
}

/// A panel's place in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Cell {
    /// Left edge.
    pub left: i32,
    /// Top edge (of the caption).
    pub top: i32,
    /// Width.
    pub width: i32,
    /// Height, caption included.
    pub height: i32,
}

/// Cells of `n` panels in rows of `columns`, from `top`, each `height` high, across a figure
/// `width` pixels wide; the last row's panels share its whole width.
pub(crate) fn cells(n: usize, columns: usize, top: i32, width: i32, height: i32) -> Vec<Cell> {
    let columns = columns.max(1);
    let inner = width - 2 * OUTER;
    (0..n)
        .map(|i| {
            let row = i / columns;
            let in_row = (n - row * columns).min(columns) as i32;
            let w = inner / in_row;
            Cell {
                left: OUTER + (i % columns) as i32 * w,
                top: top + row as i32 * height,
                width: w,
                height,
            }
        })
        .collect()
}

/// Rows of `n` panels in `columns`.
pub(crate) fn rows(n: usize, columns: usize) -> i32 {
    n.div_ceil(columns.max(1)) as i32
}

/// A chart's axes: scales, descriptions and tick formats.
pub(crate) struct Axes<'a> {
    /// Horizontal scale.
    pub x: &'a Scale,
    /// Vertical scale.
    pub y: &'a Scale,
    /// Horizontal description, with its unit.
    pub x_desc: &'a str,
    /// Vertical description, with its unit.
    pub y_desc: &'a str,
    /// Horizontal tick labels.
    pub x_fmt: &'a dyn Fn(&f64) -> String,
    /// Vertical tick labels.
    pub y_fmt: &'a dyn Fn(&f64) -> String,
    /// Width of the vertical tick label area.
    pub y_area: i32,
}

/// Coordinates of a chart made by [`chart`].
pub(crate) type Coords = Cartesian2d<Ticked, Ticked>;

/// Draws `caption` over `cell` and a chart with a grid at the ticks under it. The axis
/// descriptions are cut to fit their axis.
pub(crate) fn chart<'a, DB: DrawingBackend>(
    root: &'a DrawingArea<DB, Shift>,
    cell: Cell,
    caption: &str,
    axes: &Axes<'_>,
) -> Result<ChartContext<'a, DB, Coords>, super::canvas::DrawError> {
    let cap = style::text(size::CAPTION, style::INK);
    root.draw(&Text::new(
        style::fit(caption, &cap, cell.width - 20),
        (cell.left + cell.width / 2, cell.top + 10),
        cap.pos(Pos::new(HPos::Center, VPos::Top)),
    ))?;
    let area = root.clone().shrink(
        (cell.left, cell.top + CAPTION_H),
        (cell.width as u32, (cell.height - CAPTION_H).max(10) as u32),
    );
    let desc = style::text(size::AXIS_LABEL, style::INK);
    let x_desc = style::fit(axes.x_desc, &desc, cell.width - axes.y_area - 40);
    let y_desc = style::fit(axes.y_desc, &desc, cell.height - CAPTION_H - 70);
    let mut chart = ChartBuilder::on(&area)
        .margin_left(10)
        .margin_right(28)
        .margin_top(8)
        .margin_bottom(4)
        .x_label_area_size(56)
        .y_label_area_size(axes.y_area)
        .build_cartesian_2d(axes.x.coord(), axes.y.coord())?;
    chart
        .configure_mesh()
        .x_desc(x_desc)
        .y_desc(y_desc)
        .x_label_formatter(axes.x_fmt)
        .y_label_formatter(axes.y_fmt)
        .label_style(style::text(size::TICK, style::INK))
        .axis_desc_style(desc)
        .bold_line_style(style::GRID)
        .light_line_style(TRANSPARENT)
        .axis_style(style::AXIS)
        .draw()?;
    Ok(chart)
}

/// A scale over parameter values: their range with a margin, ticked at the values
/// themselves when there are few (a grid), at round steps otherwise; never forced to zero.
pub(crate) fn param_scale(values: &[f64]) -> Scale {
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    let lo = finite.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = finite.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !lo.is_finite() {
        return Scale {
            lo: 0.0,
            hi: 1.0,
            ticks: vec![0.0, 1.0],
        };
    }
    let span = if hi > lo { hi - lo } else { lo.abs().max(1.0) };
    let (lo_shown, hi_shown) = (lo - 0.06 * span, hi + 0.06 * span);
    let mut distinct = finite.clone();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    let ticks = if distinct.len() <= 8 && spaced(&distinct, span) {
        distinct
    } else {
        round_ticks(lo_shown, hi_shown, 6)
    };
    Scale {
        lo: lo_shown,
        hi: hi_shown,
        ticks,
    }
}

/// Ticks at multiples of a round step inside `[lo, hi]`, about `n` of them.
pub(crate) fn round_ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    if hi.partial_cmp(&lo) != Some(std::cmp::Ordering::Greater) {
        return vec![lo];
    }
    let step = round_step((hi - lo) / n.max(1) as f64);
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    // Multiplying an integer by the step keeps labels free of float noise.
    (first..=last).map(|i| i as f64 * step).collect()
}

/// Ticks at these values would not crowd (at least a twelfth of the span apart).
fn spaced(sorted: &[f64], span: f64) -> bool {
    sorted.windows(2).all(|w| w[1] - w[0] >= span / 12.0)
}

/// The round step (1, 2 or 5 times a power of ten) at or above `raw`.
pub(crate) fn round_step(raw: f64) -> f64 {
    let magnitude = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw * (1.0 - 1e-9))
        .unwrap_or(10.0 * magnitude)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_grid_is_ticked_at_its_values_and_not_stretched_to_zero() {
        let s = param_scale(&[0.25, 0.4, 0.55, 0.4]);
        assert_eq!(s.ticks, [0.25, 0.4, 0.55]);
        assert!(s.lo > 0.2 && s.hi < 0.6, "{s:?}");
    }

    #[test]
    fn many_values_are_ticked_at_round_steps_inside_the_range() {
        let v: Vec<f64> = (0..20).map(|i| 1.0 + f64::from(i) * 0.0731).collect();
        let s = param_scale(&v);
        assert!(s.ticks.len() >= 3 && s.ticks.len() <= 8, "{s:?}");
        assert!(s.ticks.iter().all(|t| *t >= s.lo && *t <= s.hi), "{s:?}");
    }

    #[test]
    fn cells_fill_rows_and_the_last_row_shares_its_width() {
        let c = cells(3, 2, 100, 1432, 300);
        assert_eq!(c[0].width, 700);
        assert_eq!(c[1].left, 716);
        assert_eq!((c[2].top, c[2].width), (400, 1400));
    }
}
