//! Intervention markers on time figures: dashed vertical lines, labels staggered in rows so
//! that no two overlap. When their names would need more than [`MAX_LABEL_ROWS`] rows, the
//! lines are numbered instead and a key below the panels names each number.

use super::canvas::Drawn;
use super::data::Run;
use super::legend;
use super::style::{self, size};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend, Rectangle, Text, WHITE};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, RGBColor};
use pluri_schema::date::Date;

/// An intervention to mark.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Marker {
    /// Week applied.
    pub week: f64,
    /// Label.
    pub label: String,
    /// Colour of line and label: the run's when only one run of several had it.
    pub colour: RGBColor,
    /// The first day of its week, when the runs are dated: the key gives it for the week.
    pub date: Option<Date>,
}

/// Rows of named labels beyond which the lines are numbered instead.
pub(crate) const MAX_LABEL_ROWS: usize = 3;

/// The same markers labelled by their number, from 1 in week order (their order).
pub(crate) fn numbered(markers: &[Marker]) -> Vec<Marker> {
    markers
        .iter()
        .enumerate()
        .map(|(i, m)| Marker {
            label: (i + 1).to_string(),
            ..m.clone()
        })
        .collect()
}

/// Rows the labels of `placed` take.
pub(crate) fn rows(placed: &[Placed]) -> usize {
    placed.iter().map(|p| p.row + 1).max().unwrap_or(0)
}

/// The interventions of every run, once each, by week then name. One that only one run of
/// several had takes that run's colour; one that some had says how many.
pub(crate) fn collect(runs: &[Run]) -> Vec<Marker> {
    let r_start = runs.first().and_then(|r| r.start);
    let mut markers: Vec<Marker> = runs
        .iter()
        .flat_map(|r| &r.interventions)
        .map(|i| {
            let had: Vec<usize> = (0..runs.len())
                .filter(|&k| {
                    runs[k]
                        .interventions
                        .iter()
                        .any(|j| j.week == i.week && j.name == i.name)
                })
                .collect();
            let (label, colour) = match had.as_slice() {
                [only] if runs.len() > 1 => (i.name.clone(), style::run_colour(*only)),
                _ if had.len() < runs.len() => (
                    format!("{} ({} of {} runs)", i.name, had.len(), runs.len()),
                    style::MUTED,
                ),
                _ => (i.name.clone(), style::MUTED),
            };
            Marker {
                week: f64::from(i.week),
                label,
                colour,
                date: r_start.and(i.date),
            }
        })
        .collect();
    markers.sort_by(|a, b| a.week.total_cmp(&b.week).then(a.label.cmp(&b.label)));
    markers.dedup();
    markers
}

/// A marker placed in pixels.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Placed {
    /// Pixel x of the line.
    pub x: i32,
    /// Label.
    pub label: String,
    /// Colour.
    pub colour: RGBColor,
    /// Left and right pixel ends of the label.
    pub span: (i32, i32),
    /// Label row, 0 at the top.
    pub row: usize,
    /// The label hides the lines behind it (numbers, which other lines may cross).
    pub boxed: bool,
}

const PAD: i32 = 5;
const SEP: i32 = 12;
/// Height of one row of labels.
pub(crate) const ROW_H: i32 = 22;

/// Places each label beside its line (right of it, or left near the right edge) in the
/// first row where it covers no other label, crosses no line drawn through that row, and
/// where its own line crosses no label below. `x_of` maps a week to a pixel in `[x0, x1]`.
/// Labels are placed by week, or latest first when that leaves fewer clashes.
pub(crate) fn place(
    markers: &[Marker],
    x_of: impl Fn(f64) -> i32,
    x0: i32,
    x1: i32,
) -> Vec<Placed> {
    let forward: Vec<usize> = (0..markers.len()).collect();
    let backward: Vec<usize> = forward.iter().rev().copied().collect();
    let (a, clashes_a) = place_in(markers, &forward, &x_of, x0, x1);
    if clashes_a == 0 {
        return a;
    }
    let (b, clashes_b) = place_in(markers, &backward, &x_of, x0, x1);
    if clashes_b < clashes_a {
        b
    } else {
        a
    }
}

/// Places markers in the given order; returns them in the markers' order, with the number of
/// labels that found no free place.
fn place_in(
    markers: &[Marker],
    order: &[usize],
    x_of: &impl Fn(f64) -> i32,
    x0: i32,
    x1: i32,
) -> (Vec<Placed>, usize) {
    let font = style::text(size::NOTE, style::MUTED);
    let mut placed: Vec<(usize, Placed)> = Vec::new();
    let mut clashes = 0;
    for &i in order {
        let m = &markers[i];
        let x = x_of(m.week).clamp(x0, x1);
        let label = style::fit(&m.label, &font, (x1 - x0 - 2 * PAD).max(20));
        let (w, _) = style::text_size(&label, &font);
        let w = w as i32;
        let right = (x + PAD, x + PAD + w);
        let left = (x - PAD - w, x - PAD);
        let mut sides = Vec::new();
        if right.1 <= x1 || left.0 < x0 {
            sides.push(right);
        }
        if left.0 >= x0 {
            sides.push(left);
        }
        let free = |row: usize, span: (i32, i32)| {
            placed.iter().all(|(_, p)| {
                let covers = p.row == row && p.span.0 < span.1 + SEP && span.0 < p.span.1 + SEP;
                let crosses_line = p.row <= row && span.0 - 2 <= p.x && p.x <= span.1 + 2;
                let line_crosses = row <= p.row && p.span.0 - 2 <= x && x <= p.span.1 + 2;
                !covers && !crosses_line && !line_crosses
            })
        };
        let rows = placed.len() + 1;
        let found = (0..rows)
            .flat_map(|row| sides.iter().map(move |&span| (row, span)))
            .find(|&(row, span)| free(row, span));
        let (row, span) = found.unwrap_or_else(|| {
            clashes += 1;
            (rows - 1, sides.first().copied().unwrap_or(right))
        });
        let p = Placed {
            x,
            label,
            colour: m.colour,
            span,
            row,
            boxed: false,
        };
        placed.push((i, p));
    }
    placed.sort_by_key(|(i, _)| *i);
    (placed.into_iter().map(|(_, p)| p).collect(), clashes)
}

/// Places numbered labels centred over their lines, each in the first row where it covers
/// no other number; lines of numbers above may pass behind it (numbers are drawn boxed).
pub(crate) fn place_numbers(
    markers: &[Marker],
    x_of: impl Fn(f64) -> i32,
    x0: i32,
    x1: i32,
) -> Vec<Placed> {
    const GAP: i32 = 3;
    let font = style::text(size::NOTE, style::MUTED);
    let mut placed: Vec<Placed> = Vec::new();
    for m in markers {
        let x = x_of(m.week).clamp(x0, x1);
        let (w, _) = style::text_size(&m.label, &font);
        let w = w as i32 + 4;
        let left = (x - w / 2).clamp(x0, (x1 - w).max(x0));
        let span = (left, left + w);
        let row = (0..=placed.len())
            .find(|&row| {
                placed
                    .iter()
                    .all(|p| p.row != row || p.span.1 + GAP <= span.0 || span.1 + GAP <= p.span.0)
            })
            .unwrap_or(placed.len());
        placed.push(Placed {
            x,
            label: m.label.clone(),
            colour: m.colour,
            span,
            row,
            boxed: true,
        });
    }
    placed
}

/// Height of the band that holds the labels of `placed` (0 without markers).
pub(crate) fn band_height(placed: &[Placed]) -> i32 {
    placed
        .iter()
        .map(|p| (p.row as i32 + 1) * ROW_H + 6)
        .max()
        .unwrap_or(0)
}

/// Draws dashed lines from `top` to `bottom` and, when `band_top` is given, the labels in
/// rows from there (each line then starts at its label).
pub(crate) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    placed: &[Placed],
    top: i32,
    bottom: i32,
    band_top: Option<i32>,
) -> Drawn {
    for p in placed {
        let line = p.colour.stroke_width(2);
        let font = style::text(size::NOTE, p.colour);
        let start = match band_top {
            Some(band) if p.boxed => {
                let top = band + p.row as i32 * ROW_H;
                area.draw(&Rectangle::new(
                    [(p.span.0, top + 1), (p.span.1, top + ROW_H - 1)],
                    WHITE.filled(),
                ))?;
                area.draw(&Rectangle::new(
                    [(p.span.0, top + 1), (p.span.1, top + ROW_H - 1)],
                    p.colour.stroke_width(1),
                ))?;
                area.draw(&Text::new(
                    p.label.clone(),
                    ((p.span.0 + p.span.1) / 2, top + ROW_H / 2),
                    font.pos(Pos::new(HPos::Center, VPos::Center)),
                ))?;
                top + ROW_H - 1
            }
            Some(band) => {
                let y = band + p.row as i32 * ROW_H + ROW_H / 2;
                let (x, h) = if p.span.0 > p.x {
                    (p.span.0, HPos::Left)
                } else {
                    (p.span.1, HPos::Right)
                };
                area.draw(&Text::new(
                    p.label.clone(),
                    (x, y),
                    font.pos(Pos::new(h, VPos::Center)),
                ))?;
                band + p.row as i32 * ROW_H + 2
            }
            None => top,
        };
        legend::dashed(area, (p.x, start), (p.x, bottom), line)?;
    }
    Ok(())
}

const KEY_GAP: i32 = 28;
const KEY_NUMBER_W: i32 = 34;

/// The key of numbered markers: one entry a marker, `number  name · week` (or its date).
fn key_entries(markers: &[Marker]) -> Vec<(String, String, String)> {
    markers
        .iter()
        .enumerate()
        .map(|(i, m)| {
            (
                (i + 1).to_string(),
                m.label.clone(),
                match m.date {
                    Some(d) => d.to_string(),
                    None => format!("week {}", style::tick(m.week)),
                },
            )
        })
        .collect()
}

/// Columns of the key in `width` pixels, and the width of one.
fn key_columns(markers: &[Marker], width: i32) -> (usize, i32) {
    let font = style::text(size::NOTE, style::INK);
    let widest = key_entries(markers)
        .iter()
        .map(|(_, name, week)| {
            style::text_size(&format!("{name}  {week}"), &font).0 as i32 + KEY_NUMBER_W
        })
        .max()
        .unwrap_or(0);
    let columns = ((width + KEY_GAP) / (widest + KEY_GAP)).clamp(1, 4) as usize;
    (columns, width / columns as i32)
}

/// Height of the key of `markers` drawn `width` pixels wide (0 without markers).
pub(crate) fn key_height(markers: &[Marker], width: i32) -> i32 {
    if markers.is_empty() {
        return 0;
    }
    let (columns, _) = key_columns(markers, width);
    let rows = markers.len().div_ceil(columns) as i32;
    ROW_H + rows * ROW_H + 8
}

/// Draws the key of numbered `markers` from `top`, within `[left, left + width]`: a heading,
/// then the entries down columns, each `number  name  week` in its marker's colour.
pub(crate) fn draw_key<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    markers: &[Marker],
    left: i32,
    top: i32,
    width: i32,
) -> Drawn {
    if markers.is_empty() {
        return Ok(());
    }
    let heading = style::text(size::NOTE, style::INK);
    area.draw(&Text::new(
        "Interventions (numbered on the panels):".to_string(),
        (left, top + ROW_H / 2),
        heading.pos(Pos::new(HPos::Left, VPos::Center)),
    ))?;
    let (columns, column_w) = key_columns(markers, width);
    let rows = markers.len().div_ceil(columns);
    for (i, (number, name, week)) in key_entries(markers).into_iter().enumerate() {
        let (col, row) = ((i / rows) as i32, (i % rows) as i32);
        let x = left + col * column_w;
        let y = top + ROW_H + row * ROW_H + ROW_H / 2;
        let colour = markers[i].colour;
        let font = style::text(size::NOTE, colour).pos(Pos::new(HPos::Left, VPos::Center));
        area.draw(&Text::new(number, (x, y), font.clone()))?;
        let name_x = x + KEY_NUMBER_W;
        let shown = style::fit(&name, &font, column_w - KEY_NUMBER_W - KEY_GAP);
        let (w, _) = style::text_size(&shown, &font);
        area.draw(&Text::new(shown, (name_x, y), font))?;
        let muted = style::text(size::NOTE, style::MUTED).pos(Pos::new(HPos::Left, VPos::Center));
        let week_x = name_x + w as i32 + 10;
        if week_x < x + column_w - KEY_GAP {
            area.draw(&Text::new(week, (week_x, y), muted))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marker(week: f64, label: &str) -> Marker {
        Marker {
            week,
            label: label.to_string(),
            colour: style::MUTED,
            date: None,
        }
    }

    #[test]
    fn close_interventions_are_staggered_into_rows() {
        style::ensure_font().expect("font");
        let markers = [
            marker(100.0, "pacte-training"),
            marker(104.0, "fund-coordinators"),
            marker(200.0, "open-platform"),
        ];
        let placed = place(&markers, |w| w as i32 * 4, 0, 1040);
        assert_eq!(placed[0].row, 0);
        assert_eq!(placed[1].row, 1, "the second label would cover the first");
        assert_eq!(
            placed[2].row, 0,
            "the third is far enough to share the top row"
        );
        for (i, a) in placed.iter().enumerate() {
            for b in &placed[i + 1..] {
                let overlap = a.row == b.row && a.span.0 < b.span.1 && b.span.0 < a.span.1;
                assert!(!overlap, "{a:?} overlaps {b:?}");
            }
        }
        assert_eq!(band_height(&placed), 2 * ROW_H + 6);
    }

    #[test]
    fn a_label_never_crosses_the_line_of_an_earlier_intervention() {
        style::ensure_font().expect("font");
        let markers = [
            marker(130.0, "early"),
            marker(150.0, "a-rather-long-late-label"),
        ];
        let placed = place(&markers, |w| w as i32 * 2, 0, 400);
        let (early, late) = (&placed[0], &placed[1]);
        assert!(late.span.1 <= late.x, "the late label goes left: {late:?}");
        assert!(late.span.0 <= early.x, "and reaches over the early line");
        assert!(
            late.row < early.row,
            "so it sits above where that line starts: {placed:?}"
        );
        assert!(early.span.1 < late.x || early.row > late.row, "{placed:?}");
    }

    #[test]
    fn a_label_near_the_right_edge_goes_left_of_its_line() {
        style::ensure_font().expect("font");
        let placed = place(&[marker(255.0, "late-policy")], |w| w as i32 * 4, 0, 1040);
        assert!(placed[0].span.1 <= placed[0].x, "{:?}", placed[0]);
    }
}

#[cfg(test)]
mod numbering {
    use super::*;

    fn marker(week: f64, label: &str) -> Marker {
        Marker {
            week,
            label: label.to_string(),
            colour: style::MUTED,
            date: None,
        }
    }

    /// Seventeen interventions over a few years, as `france-2012.toml` has them.
    fn crowded() -> Vec<Marker> {
        [
            0, 143, 160, 180, 215, 225, 235, 236, 248, 280, 315, 350, 385, 413, 415, 450, 485,
        ]
        .iter()
        .map(|&w| marker(f64::from(w), &format!("pacte-{}", 2012 + w / 52)))
        .collect()
    }

    #[test]
    fn crowded_names_would_take_too_many_rows_but_their_numbers_fit() {
        style::ensure_font().expect("font");
        let markers = crowded();
        let x_of = |w: f64| 90 + (w * 0.7) as i32;
        let named = place(&markers, x_of, 90, 560);
        assert!(rows(&named) > MAX_LABEL_ROWS, "{} rows", rows(&named));
        let numbers = numbered(&markers);
        assert_eq!(numbers[0].label, "1");
        assert_eq!(numbers[16].label, "17");
        let placed = place_numbers(&numbers, x_of, 90, 560);
        assert!(rows(&placed) <= MAX_LABEL_ROWS, "{placed:?}");
        for (i, a) in placed.iter().enumerate() {
            assert!(a.span.0 <= a.x && a.x <= a.span.1, "{a:?} is over its line");
            for b in &placed[i + 1..] {
                let overlap = a.row == b.row && a.span.0 < b.span.1 && b.span.0 < a.span.1;
                assert!(!overlap, "{a:?} overlaps {b:?}");
            }
        }
    }

    #[test]
    fn the_key_lists_every_marker_in_columns_that_fit() {
        style::ensure_font().expect("font");
        let markers = crowded();
        let (columns, column_w) = key_columns(&markers, 1368);
        assert!(columns >= 2, "{columns} columns");
        let rows = markers.len().div_ceil(columns) as i32;
        assert_eq!(key_height(&markers, 1368), ROW_H * (rows + 1) + 8);
        assert!(column_w * columns as i32 <= 1368);
        assert_eq!(key_height(&[], 1368), 0);
    }
}
