//! Map symbols: a marker shape and colour per structure kind, and the colour classes of
//! zones by share of residents without a GP.

use super::canvas::Drawn;
use super::style;
use plotters::coord::Shift;
use plotters::prelude::{Circle, DrawingArea, DrawingBackend, PathElement, Polygon, WHITE};
use plotters::style::{Color, RGBColor, ShapeStyle};
use std::f64::consts::PI;

/// Shape of a structure marker.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Shape {
    /// Disc.
    Circle,
    /// Square.
    Square,
    /// Diamond.
    Diamond,
    /// Five-pointed star.
    Star,
    /// Plus sign.
    Cross,
    /// Triangle pointing up.
    Triangle,
}

/// Structure kinds drawn on the map: (kind in files, legend name, shape, colour).
/// Solo and group practices are left out: they are many and would hide the rest.
pub(crate) const KINDS: [(&str, &str, Shape, RGBColor); 6] = [
    ("msp", "MSP", Shape::Circle, RGBColor(0, 158, 115)),
    (
        "health_centre",
        "health centre",
        Shape::Square,
        RGBColor(86, 180, 233),
    ),
    ("msma", "MSMA", Shape::Diamond, RGBColor(204, 121, 167)),
    (
        "dac",
        "support platform (DAC)",
        Shape::Star,
        RGBColor(213, 94, 0),
    ),
    ("hospital", "hospital", Shape::Cross, RGBColor(0, 0, 0)),
    (
        "social_services",
        "social services",
        Shape::Triangle,
        RGBColor(240, 228, 66),
    ),
];

/// The symbol of a kind, or `None` for kinds the map leaves out.
pub(crate) fn symbol(kind: &str) -> Option<(Shape, RGBColor)> {
    KINDS
        .iter()
        .find(|(k, ..)| *k == kind)
        .map(|(_, _, shape, colour)| (*shape, *colour))
}

/// Upper bounds of the classes of share without a GP, and their legend names.
pub(crate) const CLASSES: [(f64, &str); 5] = [
    (0.02, "under 2%"),
    (0.05, "2–5%"),
    (0.10, "5–10%"),
    (0.20, "10–20%"),
    (f64::INFINITY, "20% or more"),
];

/// Sequential yellow–brown colours of the classes (ColorBrewer YlOrBr, colour-blind safe).
pub(crate) const CLASS_COLOURS: [RGBColor; 5] = [
    RGBColor(255, 255, 212),
    RGBColor(254, 227, 145),
    RGBColor(254, 196, 79),
    RGBColor(254, 153, 41),
    RGBColor(217, 95, 14),
];

/// Colour of a zone with this share of residents without a GP.
pub(crate) fn class_colour(share: f64) -> RGBColor {
    let i = CLASSES
        .iter()
        .position(|(upper, _)| share < *upper)
        .unwrap_or(CLASSES.len() - 1);
    CLASS_COLOURS[i]
}

/// Outline of zones.
pub(crate) const ZONE_EDGE: RGBColor = RGBColor(140, 140, 140);

/// Colour of inter-organisational ties.
pub(crate) const TIE: RGBColor = RGBColor(0, 114, 178);

/// A tie's line: wider and more opaque as it is stronger (strength 0 to 1).
pub(crate) fn tie_style(strength: f64) -> ShapeStyle {
    let s = strength.clamp(0.0, 1.0);
    TIE.mix(0.15 + 0.8 * s)
        .stroke_width((1.0 + 8.0 * s).round() as u32)
}

/// Radius in pixels of the most populated zone.
pub(crate) const R_MAX: f64 = 36.0;

/// Radius in pixels of structure markers.
pub(crate) const MARKER_R: f64 = 8.0;

/// Radius of a zone's circle: its area is proportional to its residents.
pub(crate) fn zone_radius(population: f64, max_population: f64) -> f64 {
    (R_MAX * (population.max(0.0) / max_population.max(1.0)).sqrt()).max(4.0)
}

/// Corners of a regular shape of `n` points around `c`, radius `r`, first point up.
fn ring(c: (i32, i32), r: f64, n: usize, turn: f64) -> Vec<(f64, f64)> {
    (0..n)
        .map(|k| {
            let a = -PI / 2.0 + turn + 2.0 * PI * k as f64 / n as f64;
            (f64::from(c.0) + r * a.cos(), f64::from(c.1) + r * a.sin())
        })
        .collect()
}

fn outline(shape: Shape, c: (i32, i32), r: f64) -> Vec<(i32, i32)> {
    let pts = match shape {
        Shape::Circle => ring(c, r, 24, 0.0),
        Shape::Square => ring(c, r * 1.05, 4, PI / 4.0),
        Shape::Diamond => ring(c, r * 1.25, 4, 0.0),
        Shape::Triangle => ring(c, r * 1.3, 3, 0.0)
            .into_iter()
            .map(|(x, y)| (x, y + r * 0.25))
            .collect(),
        Shape::Star => {
            let outer = ring(c, r * 1.45, 5, 0.0);
            let inner = ring(c, r * 0.6, 5, PI / 5.0);
            outer
                .into_iter()
                .zip(inner)
                .flat_map(|(o, i)| [o, i])
                .collect()
        }
        Shape::Cross => {
            let (x, y, a, b) = (f64::from(c.0), f64::from(c.1), r * 1.2, r * 0.42);
            vec![
                (x - b, y - a),
                (x + b, y - a),
                (x + b, y - b),
                (x + a, y - b),
                (x + a, y + b),
                (x + b, y + b),
                (x + b, y + a),
                (x - b, y + a),
                (x - b, y + b),
                (x - a, y + b),
                (x - a, y - b),
                (x - b, y - b),
            ]
        }
    };
    pts.into_iter()
        .map(|(x, y)| (x.round() as i32, y.round() as i32))
        .collect()
}

/// Draws a structure marker of size `r` pixels at `c`: filled with the kind's colour and
/// outlined in ink when in operation, white with a thick outline of the kind's colour when not.
pub(crate) fn draw_marker<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    shape: Shape,
    colour: RGBColor,
    c: (i32, i32),
    r: f64,
    active: bool,
) -> Drawn {
    let (fill, edge_colour, width) = if active {
        (colour, style::INK, 2)
    } else {
        (WHITE, colour, 3)
    };
    let mut edge = outline(shape, c, r);
    if shape == Shape::Circle {
        area.draw(&Circle::new(c, r.round() as i32, fill.filled()))?;
    } else {
        area.draw(&Polygon::new(edge.clone(), fill.filled()))?;
    }
    if let Some(first) = edge.first().copied() {
        edge.push(first);
    }
    area.draw(&PathElement::new(edge, edge_colour.stroke_width(width)))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_fall_in_classes_by_share_without_gp() {
        assert_eq!(class_colour(0.0), CLASS_COLOURS[0]);
        assert_eq!(class_colour(0.03), CLASS_COLOURS[1]);
        assert_eq!(class_colour(0.15), CLASS_COLOURS[3]);
        assert_eq!(class_colour(0.9), CLASS_COLOURS[4]);
    }

    #[test]
    fn circle_area_is_proportional_to_residents() {
        let big = zone_radius(40_000.0, 40_000.0);
        let quarter = zone_radius(10_000.0, 40_000.0);
        assert!((big - 2.0 * quarter).abs() < 1e-9, "{big} vs {quarter}");
    }

    #[test]
    fn practices_are_left_off_the_map() {
        assert!(symbol("solo").is_none());
        assert!(symbol("group_practice").is_none());
        assert!(symbol("msp").is_some());
        assert!(symbol("social_services").is_some());
    }
}
