//! The territory map: zones at their positions sized by population and coloured by share
//! without a GP, structures on them, and the strongest inter-organisational ties.

use super::canvas::{Drawn, Figure};
use super::data::{Run, Structure, Tie, Zone};
use super::glyphs::{self, KINDS};
use super::style::{self, size};
use plotters::coord::Shift;
use plotters::prelude::{ChartBuilder, Circle, DrawingArea, DrawingBackend, PathElement};
use plotters::prelude::{Rectangle, Text, WHITE};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, TRANSPARENT};
use std::collections::BTreeMap;

/// Ties drawn: the strongest this many.
pub(crate) const TOP_TIES: usize = 30;

const WIDTH: i32 = 1500;
const HEIGHT: i32 = 1050;
const OUTER: i32 = 16;
const TITLE_H: i32 = 56;
/// Width of the legend column on the right.
const LEGEND_W: i32 = 360;
const X_AREA: i32 = 56;
const Y_AREA: i32 = 76;
const MARGIN: i32 = 12;
/// Radius in pixels of the most populated zone.
const R_MAX: f64 = 36.0;
const MARKER_R: f64 = 8.0;

/// The map of one run.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TerritoryFigure {
    title: String,
    zones: Vec<Zone>,
    structures: Vec<Structure>,
    /// Zone of every structure, drawn or not (ties of undrawn ones end on their zone).
    zone_of: BTreeMap<String, String>,
    /// Strongest organisational ties, weakest first (so the strongest are drawn on top).
    ties: Vec<Tie>,
}

impl TerritoryFigure {
    /// The map of `run`.
    pub(crate) fn new(run: &Run) -> TerritoryFigure {
        let zone_of: BTreeMap<String, String> = run
            .structures
            .iter()
            .map(|s| (s.structure.clone(), s.zone.clone()))
            .collect();
        let drawn = |name: &str| {
            run.structures
                .iter()
                .any(|s| s.structure == name && glyphs::symbol(&s.kind).is_some())
        };
        // A tie between two undrawn structures of one zone would be a point: left out.
        let mut ties: Vec<Tie> = run
            .org_ties
            .iter()
            .filter(|t| match (zone_of.get(&t.source), zone_of.get(&t.target)) {
                (Some(a), Some(b)) => a != b || drawn(&t.source) || drawn(&t.target),
                _ => false,
            })
            .cloned()
            .collect();
        ties.sort_by(|a, b| {
            b.strength
                .total_cmp(&a.strength)
                .then_with(|| (&a.source, &a.target).cmp(&(&b.source, &b.target)))
        });
        ties.truncate(TOP_TIES);
        ties.reverse();
        TerritoryFigure {
            title: format!("Territory at the end of the run: {}", run.label),
            zones: run.zones.clone(),
            structures: run
                .structures
                .iter()
                .filter(|s| glyphs::symbol(&s.kind).is_some())
                .cloned()
                .collect(),
            zone_of,
            ties,
        }
    }

    fn max_population(&self) -> f64 {
        self.zones.iter().map(|z| z.population).fold(1.0, f64::max)
    }

    fn radius(&self, population: f64) -> f64 {
        (R_MAX * (population.max(0.0) / self.max_population()).sqrt()).max(4.0)
    }

    /// Ranges in km giving one scale on both axes for a plot of `w` × `h` pixels, with room
    /// for the largest circle at the edges.
    fn ranges(&self, w: f64, h: f64) -> ((f64, f64), (f64, f64)) {
        let fold = |f: fn(&Zone) -> f64| {
            self.zones
                .iter()
                .map(f)
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                    (a.min(v), b.max(v))
                })
        };
        let (x0, x1) = fold(|z| z.x_km);
        let (y0, y1) = fold(|z| z.y_km);
        let pad = R_MAX + 24.0;
        let scale = ((w - 2.0 * pad) / (x1 - x0).max(1.0))
            .min((h - 2.0 * pad) / (y1 - y0).max(1.0))
            .max(1e-6);
        let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
        let (hw, hh) = (w / 2.0 / scale, h / 2.0 / scale);
        ((cx - hw, cx + hw), (cy - hh, cy + hh))
    }

    /// Pixel position of each drawn structure: on its zone, in a ring when it has several.
    fn structure_positions(
        &self,
        zone_px: &BTreeMap<&str, (i32, i32)>,
    ) -> BTreeMap<String, (i32, i32)> {
        let mut by_zone: BTreeMap<&str, Vec<&Structure>> = BTreeMap::new();
        for s in &self.structures {
            by_zone.entry(s.zone.as_str()).or_default().push(s);
        }
        let mut positions = BTreeMap::new();
        for (zone, list) in by_zone {
            let Some(&(cx, cy)) = zone_px.get(zone) else {
                continue;
            };
            let n = list.len();
            let ring = if n > 1 { 12.0 + 3.0 * n as f64 } else { 0.0 };
            for (k, s) in list.iter().enumerate() {
                let a =
                    -std::f64::consts::FRAC_PI_2 + 2.0 * std::f64::consts::PI * k as f64 / n as f64;
                let p = (
                    cx + (ring * a.cos()).round() as i32,
                    cy + (ring * a.sin()).round() as i32,
                );
                positions.insert(s.structure.clone(), p);
            }
        }
        positions
    }

    fn draw_map<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn {
        let map_w = WIDTH - 2 * OUTER - LEGEND_W;
        let map_h = HEIGHT - OUTER - TITLE_H - OUTER;
        let area = root
            .clone()
            .shrink((OUTER, OUTER + TITLE_H), (map_w as u32, map_h as u32));
        let plot_w = f64::from(map_w - Y_AREA - 2 * MARGIN);
        let plot_h = f64::from(map_h - X_AREA - 2 * MARGIN);
        let ((x0, x1), (y0, y1)) = self.ranges(plot_w, plot_h);
        let mut chart = ChartBuilder::on(&area)
            .margin(MARGIN)
            .x_label_area_size(X_AREA)
            .y_label_area_size(Y_AREA)
            .build_cartesian_2d(x0..x1, y0..y1)?;
        chart
            .configure_mesh()
            .x_desc("East (km)")
            .y_desc("North (km)")
            .x_label_formatter(&|v: &f64| format!("{v:.0}"))
            .y_label_formatter(&|v: &f64| format!("{v:.0}"))
            .x_labels(10)
            .y_labels(8)
            .label_style(style::text(size::TICK, style::INK))
            .axis_desc_style(style::text(size::AXIS_LABEL, style::INK))
            .bold_line_style(style::GRID.mix(0.6))
            .light_line_style(TRANSPARENT)
            .axis_style(style::AXIS)
            .draw()?;
        let zone_px: BTreeMap<&str, (i32, i32)> = self
            .zones
            .iter()
            .map(|z| (z.zone.as_str(), chart.backend_coord(&(z.x_km, z.y_km))))
            .collect();
        // Largest zones first, so small ones stay visible on top.
        let mut order: Vec<&Zone> = self.zones.iter().collect();
        order.sort_by(|a, b| {
            b.population
                .total_cmp(&a.population)
                .then(a.zone.cmp(&b.zone))
        });
        for z in &order {
            let c = zone_px.get(z.zone.as_str()).copied().unwrap_or_default();
            let r = self.radius(z.population).round() as i32;
            let share = if z.population > 0.0 {
                z.without_gp / z.population
            } else {
                0.0
            };
            root.draw(&Circle::new(
                c,
                r,
                glyphs::class_colour(share).mix(0.7).filled(),
            ))?;
            root.draw(&Circle::new(c, r, glyphs::ZONE_EDGE.stroke_width(1)))?;
        }
        let positions = self.structure_positions(&zone_px);
        let end = |name: &str| {
            positions.get(name).copied().or_else(|| {
                self.zone_of
                    .get(name)
                    .and_then(|z| zone_px.get(z.as_str()).copied())
            })
        };
        for t in &self.ties {
            let (Some(a), Some(b)) = (end(&t.source), end(&t.target)) else {
                continue;
            };
            let s = t.strength.clamp(0.0, 1.0);
            let line = glyphs::TIE
                .mix(0.15 + 0.8 * s)
                .stroke_width((1.0 + 8.0 * s).round() as u32);
            root.draw(&PathElement::new(vec![a, b], line))?;
        }
        for s in &self.structures {
            if let (Some((shape, colour)), Some(&p)) =
                (glyphs::symbol(&s.kind), positions.get(&s.structure))
            {
                glyphs::draw_marker(root, shape, colour, p, MARKER_R, s.active)?;
            }
        }
        let (px, py) = chart.plotting_area().get_pixel_range();
        self.draw_zone_labels(
            root,
            &zone_px,
            &positions,
            (px.start, px.end, py.start, py.end),
        )
    }

    /// Names zones below (or above, right, left of) their circle where the name covers no
    /// other name or marker; names that fit nowhere are left out.
    fn draw_zone_labels<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        zone_px: &BTreeMap<&str, (i32, i32)>,
        markers: &BTreeMap<String, (i32, i32)>,
        bounds: (i32, i32, i32, i32),
    ) -> Drawn {
        let font = style::text(14.0, style::INK);
        let m = MARKER_R as i32 + 3;
        let mut taken: Vec<(i32, i32, i32, i32)> = markers
            .values()
            .map(|&(x, y)| (x - m, y - m, x + m, y + m))
            .collect();
        let mut order: Vec<&Zone> = self.zones.iter().collect();
        order.sort_by(|a, b| {
            b.population
                .total_cmp(&a.population)
                .then(a.zone.cmp(&b.zone))
        });
        for z in order {
            let Some(&(cx, cy)) = zone_px.get(z.zone.as_str()) else {
                continue;
            };
            let (w, h) = style::text_size(&z.zone, &font);
            let (w, h) = (w as i32, h as i32 + 2);
            let r = self.radius(z.population).round() as i32;
            let candidates = [
                (cx - w / 2, cy + r + 2),
                (cx - w / 2, cy - r - 2 - h),
                (cx + r + 4, cy - h / 2),
                (cx - r - 4 - w, cy - h / 2),
            ];
            let free = candidates
                .into_iter()
                .map(|(x, y)| (x, y, x + w, y + h))
                .find(|b| {
                    b.0 >= bounds.0
                        && b.2 <= bounds.1
                        && b.1 >= bounds.2
                        && b.3 <= bounds.3
                        && !taken
                            .iter()
                            .any(|t| b.0 < t.2 && t.0 < b.2 && b.1 < t.3 && t.1 < b.3)
                });
            if let Some(b) = free {
                // A pale box keeps the name readable over ties and other zones.
                root.draw(&Rectangle::new(
                    [(b.0 - 2, b.1 - 1), (b.2 + 2, b.3)],
                    WHITE.mix(0.75).filled(),
                ))?;
                root.draw(&Text::new(z.zone.clone(), (b.0, b.1), font.clone()))?;
                taken.push(b);
            }
        }
        Ok(())
    }

    fn draw_legend<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn {
        let left = WIDTH - OUTER - LEGEND_W + 20;
        let head = style::text(size::LEGEND, style::INK);
        let body = style::text(size::NOTE, style::INK);
        let mut y = OUTER + TITLE_H + 20;
        let entry = |y: i32, label: &str| {
            Text::new(
                label.to_string(),
                (left + 40, y),
                body.pos(Pos::new(HPos::Left, VPos::Center)),
            )
        };
        root.draw(&Text::new(
            "Residents without a GP",
            (left, y),
            head.clone(),
        ))?;
        y += 36;
        for ((_, label), colour) in glyphs::CLASSES.iter().zip(glyphs::CLASS_COLOURS) {
            root.draw(&Circle::new((left + 14, y), 11, colour.filled()))?;
            root.draw(&Circle::new(
                (left + 14, y),
                11,
                glyphs::ZONE_EDGE.stroke_width(1),
            ))?;
            root.draw(&entry(y, label))?;
            y += 28;
        }
        y += 16;
        root.draw(&Text::new(
            "Circle area: residents",
            (left, y),
            head.clone(),
        ))?;
        y += 36;
        let max = self.max_population();
        let round = 10f64.powf(max.log10().floor());
        let big = (max / round).floor() * round;
        for pop in [big, big / 4.0] {
            let r = self.radius(pop).round() as i32;
            let c = (left + R_MAX as i32, y + r);
            root.draw(&Circle::new(c, r, glyphs::ZONE_EDGE.stroke_width(1)))?;
            root.draw(&Text::new(
                format!("{} residents", thousands(pop)),
                (left + 2 * R_MAX as i32 + 16, c.1),
                body.pos(Pos::new(HPos::Left, VPos::Center)),
            ))?;
            y += 2 * r + 10;
        }
        y += 16;
        root.draw(&Text::new("Structures", (left, y), head.clone()))?;
        y += 36;
        for (kind, label, shape, colour) in KINDS {
            if self.structures.iter().any(|s| s.kind == kind) {
                glyphs::draw_marker(root, shape, colour, (left + 14, y), MARKER_R, true)?;
                root.draw(&entry(y, label))?;
                y += 28;
            }
        }
        if let Some(closed) = self.structures.iter().find(|s| !s.active) {
            if let Some((shape, colour)) = glyphs::symbol(&closed.kind) {
                glyphs::draw_marker(root, shape, colour, (left + 14, y), MARKER_R, false)?;
            }
            root.draw(&entry(y, "hollow: closed at the end"))?;
            y += 28;
        }
        root.draw(&entry(y, "solo and group practices not shown"))?;
        y += 44;
        root.draw(&Text::new(
            format!("Strongest ties (top {TOP_TIES})"),
            (left, y),
            head.clone(),
        ))?;
        y += 36;
        for s in [0.3, 0.6, 0.9] {
            let line = glyphs::TIE
                .mix(0.15 + 0.8 * s)
                .stroke_width((1.0 + 8.0 * s).round() as u32);
            root.draw(&PathElement::new(vec![(left, y), (left + 30, y)], line))?;
            root.draw(&entry(y, &format!("cooperation strength {s}")))?;
            y += 28;
        }
        if self.ties.is_empty() {
            root.draw(&entry(y, "(no inter-organisational tie)"))?;
        }
        Ok(())
    }
}

/// `12500` as `12,500`.
fn thousands(v: f64) -> String {
    let digits = format!("{:.0}", v.max(0.0));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl Figure for TerritoryFigure {
    fn size(&self) -> (u32, u32) {
        (WIDTH as u32, HEIGHT as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn {
        let title = style::text(size::TITLE, style::INK).pos(Pos::new(HPos::Center, VPos::Top));
        root.draw(&Text::new(self.title.clone(), (WIDTH / 2, OUTER), title))?;
        self.draw_map(root)?;
        self.draw_legend(root)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn populations_read_with_thousands_separators() {
        assert_eq!(thousands(40_000.0), "40,000");
        assert_eq!(thousands(2_500.0), "2,500");
        assert_eq!(thousands(100.0), "100");
        assert_eq!(thousands(1_234_567.0), "1,234,567");
    }
}
