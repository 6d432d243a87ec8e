//! The territory map: zones at their positions sized by population and coloured by share
//! without a GP, structures on them, and the strongest inter-organisational ties.

use super::canvas::{Drawn, Figure};
use super::data::Run;
use super::glyphs::{self, MARKER_R, R_MAX};
use super::links::{Link, TOP_LINKS};
use super::map_legend;
use super::style::{self, size};
use plotters::coord::Shift;
use plotters::prelude::{ChartBuilder, Circle, DrawingArea, DrawingBackend, PathElement};
use plotters::prelude::{Rectangle, Text, WHITE};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, TRANSPARENT};
use pluri_schema::run::{StructureRecord, ZoneRecord};
use std::collections::BTreeMap;

const WIDTH: i32 = 1500;
const HEIGHT: i32 = 1050;
const OUTER: i32 = 16;
const TITLE_H: i32 = 56;
/// Width of the legend column on the right.
const LEGEND_W: i32 = 360;
const X_AREA: i32 = 56;
const Y_AREA: i32 = 76;
const MARGIN: i32 = 12;

/// The map of one run.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TerritoryFigure {
    title: String,
    zones: Vec<ZoneRecord>,
    structures: Vec<StructureRecord>,
    /// Strongest links between zones, weakest first (so the strongest are drawn on top).
    links: Vec<Link>,
}

impl TerritoryFigure {
    /// The map of `run`.
    pub(crate) fn new(run: &Run) -> TerritoryFigure {
        let mut links = run.links.clone();
        links.reverse();
        TerritoryFigure {
            title: format!("Territory at the end of the run: {}", run.label),
            zones: run.zones.clone(),
            structures: run
                .structures
                .iter()
                .filter(|s| glyphs::symbol(&s.kind).is_some())
                .cloned()
                .collect(),
            links,
        }
    }

    fn max_population(&self) -> f64 {
        self.zones
            .iter()
            .map(|z| z.population as f64)
            .fold(1.0, f64::max)
    }

    fn radius(&self, population: f64) -> f64 {
        glyphs::zone_radius(population, self.max_population())
    }

    /// Ranges in km giving one scale on both axes for a plot of `w` × `h` pixels, with room
    /// for the largest circle at the edges.
    fn ranges(&self, w: f64, h: f64) -> ((f64, f64), (f64, f64)) {
        let fold = |f: fn(&ZoneRecord) -> f64| {
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
        let mut by_zone: BTreeMap<&str, Vec<&StructureRecord>> = BTreeMap::new();
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
        // Links first, under the zones they join: a zone is never hidden by a line.
        for link in &self.links {
            let (Some(&a), Some(&b)) = (zone_px.get(link.a.as_str()), zone_px.get(link.b.as_str()))
            else {
                continue;
            };
            root.draw(&PathElement::new(
                vec![a, b],
                glyphs::tie_style(link.strength),
            ))?;
        }
        // Largest zones first, so small ones stay visible on top.
        let mut order: Vec<&ZoneRecord> = self.zones.iter().collect();
        order.sort_by(|a, b| b.population.cmp(&a.population).then(a.zone.cmp(&b.zone)));
        for z in &order {
            let c = zone_px.get(z.zone.as_str()).copied().unwrap_or_default();
            let r = self.radius(z.population as f64).round() as i32;
            let share = if z.population > 0 {
                z.without_gp as f64 / z.population as f64
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

    /// Names every zone it can, largest first, drawn last over everything else: see
    /// [`place_labels`]. A name placed away from its circle is joined to it by a thin line.
    fn draw_zone_labels<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        zone_px: &BTreeMap<&str, (i32, i32)>,
        markers: &BTreeMap<String, (i32, i32)>,
        bounds: Bounds,
    ) -> Drawn {
        let font = style::text(14.0, style::INK);
        let m = MARKER_R as i32 + 3;
        let mut taken: Vec<Bounds> = markers
            .values()
            .map(|&(x, y)| (x - m, y - m, x + m, y + m))
            .collect();
        let mut order: Vec<&ZoneRecord> = self.zones.iter().collect();
        order.sort_by(|a, b| b.population.cmp(&a.population).then(a.zone.cmp(&b.zone)));
        let mut asks = Vec::new();
        for z in &order {
            let Some(&centre) = zone_px.get(z.zone.as_str()) else {
                continue;
            };
            let r = self.radius(z.population as f64).round() as i32;
            // A label may cover part of another zone's circle, never its centre.
            let c = r.min(6);
            taken.push((centre.0 - c, centre.1 - c, centre.0 + c, centre.1 + c));
            let (w, h) = style::text_size(&z.zone, &font);
            asks.push((
                z.zone.as_str(),
                Ask {
                    centre,
                    r,
                    size: (w as i32, h as i32 + 2),
                },
            ));
        }
        let places = place_labels(
            &asks.iter().map(|(_, a)| *a).collect::<Vec<_>>(),
            taken,
            bounds,
        );
        for ((name, ask), place) in asks.iter().zip(places) {
            let Some(b) = place else {
                continue;
            };
            if let Some((start, end)) = leader(ask, b) {
                root.draw(&PathElement::new(
                    vec![start, end],
                    style::MUTED.stroke_width(1),
                ))?;
            }
            // A pale box keeps the name readable over ties and other zones.
            root.draw(&Rectangle::new(
                [(b.0 - 2, b.1 - 1), (b.2 + 2, b.3)],
                WHITE.mix(0.75).filled(),
            ))?;
            root.draw(&Text::new(name.to_string(), (b.0, b.1), font.clone()))?;
        }
        Ok(())
    }
}

/// A box in pixels: left, top, right, bottom.
type Bounds = (i32, i32, i32, i32);

/// A zone's name to place: its circle's centre and radius, and the name's size in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Ask {
    centre: (i32, i32),
    r: i32,
    size: (i32, i32),
}

/// Gaps between a circle and its name tried in turn, in pixels.
const LABEL_GAPS: [i32; 5] = [0, 10, 24, 42, 64];

/// Boxes for the names of `asks`, in order (the first get the best places): below, above,
/// right or left of the circle, then diagonally, at growing gaps ([`LABEL_GAPS`]), where the
/// name stays inside `bounds` and covers nothing `taken` nor another name; `None` where no
/// place is free.
fn place_labels(asks: &[Ask], mut taken: Vec<Bounds>, bounds: Bounds) -> Vec<Option<Bounds>> {
    let overlaps = |a: Bounds, b: Bounds| a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3;
    asks.iter()
        .map(|a| {
            let (cx, cy) = a.centre;
            let (w, h) = a.size;
            let found = LABEL_GAPS.iter().find_map(|&gap| {
                let d = a.r + 2 + gap;
                let diag = (f64::from(d) * std::f64::consts::FRAC_1_SQRT_2).round() as i32;
                [
                    (cx - w / 2, cy + d),
                    (cx - w / 2, cy - d - h),
                    (cx + d + 2, cy - h / 2),
                    (cx - d - 2 - w, cy - h / 2),
                    (cx + diag, cy + diag),
                    (cx + diag, cy - diag - h),
                    (cx - diag - w, cy + diag),
                    (cx - diag - w, cy - diag - h),
                ]
                .into_iter()
                .map(|(x, y)| (x, y, x + w, y + h))
                .find(|&b| {
                    b.0 >= bounds.0
                        && b.2 <= bounds.1
                        && b.1 >= bounds.2
                        && b.3 <= bounds.3
                        && !taken.iter().any(|&t| overlaps(b, t))
                })
            });
            if let Some(b) = found {
                taken.push(b);
            }
            found
        })
        .collect()
}

/// A leader line from the circle of `ask` to its name at `b` (edge of the circle to the
/// nearest point of the name's box), when the name is away from the circle.
fn leader(ask: &Ask, b: Bounds) -> Option<((i32, i32), (i32, i32))> {
    let (cx, cy) = ask.centre;
    let nearest = (cx.clamp(b.0, b.2), cy.clamp(b.1, b.3));
    let (dx, dy) = (f64::from(nearest.0 - cx), f64::from(nearest.1 - cy));
    let dist = dx.hypot(dy);
    if dist <= f64::from(ask.r + 8) {
        return None;
    }
    let k = f64::from(ask.r) / dist;
    Some((
        (cx + (dx * k).round() as i32, cy + (dy * k).round() as i32),
        nearest,
    ))
}

impl Figure for TerritoryFigure {
    fn size(&self) -> (u32, u32) {
        (WIDTH as u32, HEIGHT as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn {
        let (title, shown) = style::fit_title(&self.title, WIDTH - 2 * OUTER);
        root.draw(&Text::new(
            shown,
            (WIDTH / 2, OUTER),
            title.pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
        self.draw_map(root)?;
        let key = map_legend::MapKey {
            left: WIDTH - OUTER - LEGEND_W + 20,
            top: OUTER + TITLE_H + 20,
            max_population: self.max_population(),
            kinds: self.structures.iter().map(|s| &*s.kind).collect(),
            closed_kind: self.structures.iter().find(|s| !s.active).map(|s| &*s.kind),
            links: self.links.len(),
            top_links: TOP_LINKS,
        };
        map_legend::draw(root, &key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overlap(a: Bounds, b: Bounds) -> bool {
        a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
    }

    #[test]
    fn crowded_names_all_find_a_place_that_covers_no_other() {
        // Nine zones a few pixels apart, with a marker on each, as in a dense city.
        let asks: Vec<Ask> = (0..9)
            .map(|i| Ask {
                centre: (400 + 14 * (i % 3), 300 + 14 * (i / 3)),
                r: 10,
                size: (90, 16),
            })
            .collect();
        let markers: Vec<Bounds> = asks
            .iter()
            .map(|a| {
                (
                    a.centre.0 - 4,
                    a.centre.1 - 4,
                    a.centre.0 + 4,
                    a.centre.1 + 4,
                )
            })
            .collect();
        let places = place_labels(&asks, markers.clone(), (0, 800, 0, 600));
        let boxes: Vec<Bounds> = places.iter().map(|p| p.expect("a place")).collect();
        for (i, &a) in boxes.iter().enumerate() {
            assert!(
                markers.iter().all(|&m| !overlap(a, m)),
                "{a:?} covers a marker"
            );
            for &b in &boxes[i + 1..] {
                assert!(!overlap(a, b), "{a:?} covers {b:?}");
            }
        }
        // The first name sits against its circle; names pushed away get a leader line.
        assert!(leader(&asks[0], boxes[0]).is_none());
        assert!(boxes
            .iter()
            .zip(&asks)
            .any(|(&b, a)| leader(a, b).is_some()));
    }

    #[test]
    fn a_name_with_no_free_place_is_left_out() {
        let ask = Ask {
            centre: (50, 50),
            r: 10,
            size: (60, 16),
        };
        let places = place_labels(&[ask], vec![(0, 0, 100, 100)], (0, 100, 0, 100));
        assert_eq!(places, [None]);
    }
}
