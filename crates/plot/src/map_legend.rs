//! The legend column of the territory map: zone colour classes, circle sizes, structure
//! markers and tie widths.

use super::canvas::Drawn;
use super::glyphs::{self, KINDS, MARKER_R, R_MAX};
use super::style::{self, size};
use plotters::coord::Shift;
use plotters::prelude::{Circle, DrawingArea, DrawingBackend, PathElement, Text};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::Color;

/// What the legend must explain.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MapKey<'a> {
    /// Left edge in pixels.
    pub left: i32,
    /// Top edge in pixels.
    pub top: i32,
    /// Residents of the most populated zone (sets the circle scale).
    pub max_population: f64,
    /// Kinds of the structures drawn.
    pub kinds: Vec<&'a str>,
    /// Kind of one structure closed at the end, if any.
    pub closed_kind: Option<&'a str>,
    /// Links between zones drawn.
    pub links: usize,
    /// Most links drawn.
    pub top_links: usize,
}

/// Draws the legend column from `key.top` down.
pub(crate) fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, key: &MapKey<'_>) -> Drawn {
    let left = key.left;
    let head = style::text(size::LEGEND, style::INK);
    let body = style::text(size::NOTE, style::INK);
    let mut y = key.top;
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
    let max = key.max_population;
    let round = 10f64.powf(max.log10().floor());
    let big = (max / round).floor() * round;
    for pop in [big, big / 4.0] {
        let r = glyphs::zone_radius(pop, max).round() as i32;
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
        if key.kinds.contains(&kind) {
            glyphs::draw_marker(root, shape, colour, (left + 14, y), MARKER_R, true)?;
            root.draw(&entry(y, label))?;
            y += 28;
        }
    }
    if let Some(closed) = key.closed_kind {
        if let Some((shape, colour)) = glyphs::symbol(closed) {
            glyphs::draw_marker(root, shape, colour, (left + 14, y), MARKER_R, false)?;
        }
        root.draw(&entry(y, "hollow: closed at the end"))?;
        y += 28;
    }
    root.draw(&entry(y, "solo and group practices not shown"))?;
    y += 44;
    root.draw(&Text::new(
        "Cooperation between zones",
        (left, y),
        head.clone(),
    ))?;
    y += 36;
    for s in [0.3, 0.6, 0.9] {
        root.draw(&PathElement::new(
            vec![(left, y), (left + 30, y)],
            glyphs::tie_style(s),
        ))?;
        root.draw(&entry(y, &format!("strongest tie {s}")))?;
        y += 28;
    }
    let note = if key.links == 0 {
        "no tie between structures of two zones".to_string()
    } else {
        format!(
            "the {} strongest zone pairs shown",
            key.links.min(key.top_links)
        )
    };
    root.draw(&entry(y, &note))?;
    Ok(())
}

/// `12500` as `12,500`.
pub(crate) fn thousands(v: f64) -> String {
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
