//! Time figures: small multiples over weeks, one panel per indicator, a shared legend and
//! intervention markers, as lines (one per run) or a stacked area (one run's shares).

use super::canvas::{Drawn, Figure};
use super::legend::{self, Entry};
use super::markers::{self, Marker};
use super::scale::{self, Scale};
use super::style::{self, size};
use plotters::coord::Shift;
use plotters::prelude::{ChartBuilder, DrawingArea, DrawingBackend, LineSeries, Polygon, Text};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, RGBColor, TRANSPARENT};
use pluri_schema::date::Date;

/// How a panel's values read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Axis {
    /// A share 0–1, ticked in percent.
    Percent,
    /// A quantity between 0 and 1 (trust, satisfaction).
    Fraction,
    /// A count or rate.
    Number,
    /// A count of things (structures, people), from zero in whole numbers.
    Count,
}

/// One line (or one layer of a stacked area).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Series {
    /// Colour.
    pub colour: RGBColor,
    /// (week, value) points.
    pub points: Vec<(f64, f64)>,
}

/// One panel.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Panel {
    /// Caption above the panel: what is shown.
    pub caption: String,
    /// Y axis description, with its unit.
    pub y_desc: String,
    /// How values read.
    pub axis: Axis,
    /// Layers stack from the first (bottom) up, instead of being separate lines.
    pub stacked: bool,
    /// Series.
    pub series: Vec<Series>,
}

/// A figure of panels sharing the week axis.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TimeFigure {
    /// Title.
    pub title: String,
    /// Panels per row (the last row's panels share its whole width).
    pub columns: usize,
    /// Panels.
    pub panels: Vec<Panel>,
    /// Legend entries (none for a single series per panel).
    pub legend: Vec<Entry>,
    /// Interventions.
    pub markers: Vec<Marker>,
    /// First and last week shown (dated: weeks from the start date).
    pub weeks: (f64, f64),
    /// The start date of week 0 when the runs are dated: the axis then shows years.
    pub calendar: Option<Date>,
}

const WIDTH: u32 = 1400;
const OUTER: i32 = 16;
const TITLE_H: i32 = 50;
const CAPTION_H: i32 = 46;
const CHART_H: i32 = 290;
const MARGIN_L: i32 = 10;
const MARGIN_R: i32 = 28;
const X_AREA: i32 = 56;
const Y_AREA: i32 = 84;

/// A panel's place: left, top, width, and whether it is in the top row.
struct Cell {
    left: i32,
    top: i32,
    width: i32,
    height: i32,
    top_row: bool,
}

impl TimeFigure {
    fn week_scale(&self) -> Scale {
        match self.calendar {
            Some(start) => scale::date_axis(self.weeks.0, self.weeks.1, start).scale,
            None => scale::week_scale(self.weeks.0, self.weeks.1),
        }
    }

    fn legend_h(&self) -> i32 {
        let h = legend::height(&self.legend, WIDTH as i32 - 2 * OUTER);
        if h > 0 {
            h + 8
        } else {
            0
        }
    }

    fn rows(&self) -> usize {
        self.panels.len().div_ceil(self.columns.max(1))
    }

    /// `markers` labelled over a plot spanning pixels `[x0, x1]`.
    fn place_markers(&self, markers: &[Marker], x0: i32, x1: i32) -> Vec<markers::Placed> {
        let s = self.week_scale();
        let x_of = |w: f64| x0 + ((w - s.lo) / (s.hi - s.lo) * f64::from(x1 - x0)).round() as i32;
        markers::place(markers, x_of, x0, x1)
    }

    /// Plot spans (pixels) of the top row's panels, over which marker labels are placed.
    fn top_spans(&self) -> Vec<(i32, i32)> {
        let in_row = self.panels.len().min(self.columns.max(1)).max(1);
        let w = (WIDTH as i32 - 2 * OUTER) / in_row as i32;
        vec![(MARGIN_L + Y_AREA, w - MARGIN_R); in_row]
    }

    /// Interventions are numbered (with a key below the panels) when their names would take
    /// more than [`markers::MAX_LABEL_ROWS`] rows above a panel.
    fn numbered(&self) -> bool {
        self.top_spans().iter().any(|&(x0, x1)| {
            markers::rows(&self.place_markers(&self.markers, x0, x1)) > markers::MAX_LABEL_ROWS
        })
    }

    /// The markers as labelled on the panels: by name, or by number.
    fn shown_markers(&self) -> Vec<Marker> {
        if self.numbered() {
            markers::numbered(&self.markers)
        } else {
            self.markers.clone()
        }
    }

    /// The markers as labelled on the panels, placed over a plot spanning pixels `[x0, x1]`.
    fn place_shown(&self, x0: i32, x1: i32) -> Vec<markers::Placed> {
        if self.numbered() {
            let s = self.week_scale();
            let x_of =
                |w: f64| x0 + ((w - s.lo) / (s.hi - s.lo) * f64::from(x1 - x0)).round() as i32;
            markers::place_numbers(&markers::numbered(&self.markers), x_of, x0, x1)
        } else {
            self.place_markers(&self.markers, x0, x1)
        }
    }

    /// Height of the key of numbered markers (0 when markers are named).
    fn key_h(&self) -> i32 {
        if self.numbered() {
            markers::key_height(&self.markers, WIDTH as i32 - 2 * OUTER)
        } else {
            0
        }
    }

    /// Cells of the panels, in order, for a figure of the given height.
    fn cells(&self, height: i32) -> (Vec<Cell>, i32) {
        let columns = self.columns.max(1);
        let rows = self.rows() as i32;
        let inner_w = WIDTH as i32 - 2 * OUTER;
        let band = self
            .top_spans()
            .iter()
            .map(|&(x0, x1)| markers::band_height(&self.place_shown(x0, x1)))
            .max()
            .unwrap_or(0);
        let grid_top = OUTER + TITLE_H + self.legend_h();
        let panel_h = (height - grid_top - OUTER - band - self.key_h()) / rows.max(1);
        let mut cells = Vec::new();
        for (i, _) in self.panels.iter().enumerate() {
            let row = (i / columns) as i32;
            let in_row = (self.panels.len() - row as usize * columns).min(columns) as i32;
            let col = (i % columns) as i32;
            let width = inner_w / in_row;
            let top_row = row == 0;
            cells.push(Cell {
                left: OUTER + col * width,
                top: grid_top + row * panel_h + if top_row { 0 } else { band },
                width,
                height: panel_h + if top_row { band } else { 0 },
                top_row,
            });
        }
        (cells, band)
    }

    fn draw_panel<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        panel: &Panel,
        cell: &Cell,
        band: i32,
        shown: &[Marker],
    ) -> Drawn {
        let caption = style::text(size::CAPTION, style::INK).pos(Pos::new(HPos::Center, VPos::Top));
        root.draw(&Text::new(
            panel.caption.clone(),
            (cell.left + cell.width / 2, cell.top + 14),
            caption,
        ))?;
        let band = if cell.top_row { band } else { 0 };
        let chart_top = cell.top + CAPTION_H + band;
        let area = root.clone().shrink(
            (cell.left, chart_top),
            (
                cell.width as u32,
                (cell.height - CAPTION_H - band).max(10) as u32,
            ),
        );
        let xs = self.week_scale();
        let ys = self.value_scale(panel);
        let mut chart = ChartBuilder::on(&area)
            .margin_left(MARGIN_L)
            .margin_right(MARGIN_R)
            .margin_top(8)
            .margin_bottom(4)
            .x_label_area_size(X_AREA)
            .y_label_area_size(Y_AREA)
            .build_cartesian_2d(xs.coord(), ys.coord())?;
        let axis = panel.axis;
        let y_fmt = move |v: &f64| match axis {
            Axis::Percent => style::percent(*v),
            _ => style::tick(*v),
        };
        let dates = self
            .calendar
            .map(|start| scale::date_axis(self.weeks.0, self.weeks.1, start));
        let x_fmt = |v: &f64| match &dates {
            Some(d) => d.label(*v),
            None => format!("{v:.0}"),
        };
        chart
            .configure_mesh()
            .x_desc(dates.as_ref().map_or("Week", |d| d.desc))
            .y_desc(panel.y_desc.as_str())
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt)
            .label_style(style::text(size::TICK, style::INK))
            .axis_desc_style(style::text(size::AXIS_LABEL, style::INK))
            .bold_line_style(style::GRID)
            .light_line_style(TRANSPARENT)
            .axis_style(style::AXIS)
            .draw()?;
        if panel.stacked {
            let mut below: Vec<f64> = Vec::new();
            for s in &panel.series {
                let upper: Vec<(f64, f64)> = s
                    .points
                    .iter()
                    .enumerate()
                    .map(|(i, &(w, v))| (w, below.get(i).copied().unwrap_or(0.0) + v))
                    .collect();
                let mut outline = upper.clone();
                outline.extend(
                    s.points
                        .iter()
                        .enumerate()
                        .rev()
                        .map(|(i, &(w, _))| (w, below.get(i).copied().unwrap_or(0.0))),
                );
                chart.draw_series(std::iter::once(Polygon::new(outline, s.colour.filled())))?;
                below = upper.into_iter().map(|(_, v)| v).collect();
            }
        } else {
            // Earlier runs are drawn wider, so a later run on the same values leaves them
            // visible as a border.
            let n = panel.series.len() as u32;
            for (i, s) in panel.series.iter().enumerate() {
                let width = (2 + (n - 1 - i as u32)).min(5);
                chart.draw_series(LineSeries::new(
                    s.points.clone(),
                    s.colour.stroke_width(width),
                ))?;
            }
        }
        let (px, py) = chart.plotting_area().get_pixel_range();
        let x_of = |w: f64| chart.backend_coord(&(w, ys.lo)).0;
        let placed = if self.numbered() {
            markers::place_numbers(shown, x_of, px.start, px.end)
        } else {
            markers::place(shown, x_of, px.start, px.end)
        };
        let band_top = cell.top_row.then_some(chart_top - band + 8);
        markers::draw(root, &placed, py.start, py.end, band_top)?;
        Ok(())
    }

    fn value_scale(&self, panel: &Panel) -> Scale {
        if panel.stacked {
            return scale::value_scale([0.0, 1.0], true);
        }
        let values = panel
            .series
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.1));
        match panel.axis {
            Axis::Count => scale::count_scale(values),
            Axis::Number => scale::value_scale(values, false),
            // Shares and fractions stay within 0–1.
            Axis::Percent | Axis::Fraction => scale::value_scale(values, true),
        }
    }
}

impl Figure for TimeFigure {
    fn size(&self) -> (u32, u32) {
        let rows = self.rows() as i32;
        let (_, band) = self.cells(0);
        let h = OUTER
            + TITLE_H
            + self.legend_h()
            + band
            + rows * (CAPTION_H + CHART_H)
            + self.key_h()
            + OUTER;
        (WIDTH, h.max(800) as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn {
        let (_, height) = self.size();
        let (title, shown) = style::fit_title(&self.title, WIDTH as i32 - 2 * OUTER);
        root.draw(&Text::new(
            shown,
            (WIDTH as i32 / 2, OUTER),
            title.pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
        legend::draw(
            root,
            &self.legend,
            OUTER,
            OUTER + TITLE_H,
            WIDTH as i32 - 2 * OUTER,
        )?;
        let (cells, band) = self.cells(height as i32);
        let shown = self.shown_markers();
        for (panel, cell) in self.panels.iter().zip(&cells) {
            self.draw_panel(root, panel, cell, band, &shown)?;
        }
        if self.numbered() {
            let key_top = height as i32 - OUTER - self.key_h() + 8;
            markers::draw_key(
                root,
                &self.markers,
                OUTER + MARGIN_L,
                key_top,
                WIDTH as i32 - 2 * OUTER - MARGIN_L,
            )?;
        }
        Ok(())
    }
}
