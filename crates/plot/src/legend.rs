//! Figure-wide legends: entries laid out in centred rows that wrap, and dashed lines.

use super::canvas::Drawn;
use super::style::{self, size};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend, PathElement, Rectangle, Text};
use plotters::style::{Color, RGBColor, ShapeStyle};

/// How an entry's key is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Key {
    /// A solid line (a run's series).
    Line,
    /// A filled square (a stacked area).
    Swatch,
    /// A dashed line (interventions).
    Dashed,
}

/// One legend entry.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    /// Text.
    pub label: String,
    /// Colour of the key.
    pub colour: RGBColor,
    /// Shape of the key.
    pub key: Key,
}

const KEY_W: i32 = 40;
const KEY_GAP: i32 = 10;
const ENTRY_GAP: i32 = 36;
/// Height of one legend row.
pub(crate) const ROW_H: i32 = 32;

/// The label as shown: cut to fit a legend `width` pixels wide.
fn shown(e: &Entry, width: i32) -> String {
    style::fit(
        &e.label,
        &style::text(size::LEGEND, style::INK),
        width - KEY_W - KEY_GAP,
    )
}

fn entry_width(e: &Entry, width: i32) -> i32 {
    let (w, _) = style::text_size(&shown(e, width), &style::text(size::LEGEND, style::INK));
    KEY_W + KEY_GAP + w as i32
}

/// Rows of entry indices that fit in `width` pixels.
fn rows(entries: &[Entry], width: i32) -> Vec<Vec<usize>> {
    let mut rows: Vec<Vec<usize>> = Vec::new();
    let mut used = 0;
    for (i, e) in entries.iter().enumerate() {
        let w = entry_width(e, width);
        match rows.last_mut() {
            Some(row) if used + ENTRY_GAP + w <= width => {
                row.push(i);
                used += ENTRY_GAP + w;
            }
            _ => {
                rows.push(vec![i]);
                used = w;
            }
        }
    }
    rows
}

/// Height the legend takes in `width` pixels (0 without entries).
pub(crate) fn height(entries: &[Entry], width: i32) -> i32 {
    rows(entries, width).len() as i32 * ROW_H
}

/// Draws the legend in centred rows, from `top`, within `[left, left + width]`.
pub(crate) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[Entry],
    left: i32,
    top: i32,
    width: i32,
) -> Drawn {
    let font = style::text(size::LEGEND, style::INK);
    for (r, row) in rows(entries, width).iter().enumerate() {
        let total: i32 = row
            .iter()
            .map(|&i| entry_width(&entries[i], width))
            .sum::<i32>()
            + ENTRY_GAP * (row.len() as i32 - 1);
        let mut x = left + (width - total).max(0) / 2;
        let mid = top + r as i32 * ROW_H + ROW_H / 2;
        for &i in row {
            let e = &entries[i];
            draw_key(area, e, x, mid)?;
            let label = shown(e, width);
            let (_, h) = style::text_size(&label, &font);
            area.draw(&Text::new(
                label,
                (x + KEY_W + KEY_GAP, mid - h as i32 / 2),
                font.clone(),
            ))?;
            x += entry_width(e, width) + ENTRY_GAP;
        }
    }
    Ok(())
}

fn draw_key<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, e: &Entry, x: i32, y: i32) -> Drawn {
    match e.key {
        Key::Line => area.draw(&PathElement::new(
            vec![(x, y), (x + KEY_W, y)],
            e.colour.stroke_width(4),
        ))?,
        Key::Swatch => area.draw(&Rectangle::new(
            [(x + 8, y - 11), (x + KEY_W - 8, y + 11)],
            e.colour.filled(),
        ))?,
        Key::Dashed => dashed(area, (x, y), (x + KEY_W, y), e.colour.stroke_width(2))?,
    }
    Ok(())
}

/// Draws a dashed straight line from `a` to `b` in pixels (dashes of 8, gaps of 6).
pub(crate) fn dashed<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    a: (i32, i32),
    b: (i32, i32),
    line: ShapeStyle,
) -> Drawn {
    let (dx, dy) = (f64::from(b.0 - a.0), f64::from(b.1 - a.1));
    let len = dx.hypot(dy);
    if len < 1.0 {
        return Ok(());
    }
    let at = |t: f64| {
        let t = t.min(len) / len;
        (a.0 + (dx * t).round() as i32, a.1 + (dy * t).round() as i32)
    };
    let mut t = 0.0;
    while t < len {
        area.draw(&PathElement::new(vec![at(t), at(t + 8.0)], line))?;
        t += 14.0;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(label: &str) -> Entry {
        Entry {
            label: label.to_string(),
            colour: style::INK,
            key: Key::Line,
        }
    }

    #[test]
    fn a_narrow_legend_wraps_into_more_rows() {
        style::ensure_font().expect("font");
        let entries: Vec<Entry> = (0..6).map(|i| entry(&format!("scenario {i}"))).collect();
        assert_eq!(height(&entries, 2000), ROW_H);
        assert!(height(&entries, 400) >= 3 * ROW_H);
        assert_eq!(height(&[], 400), 0);
    }
}
