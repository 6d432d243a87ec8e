//! Sensitivity figures: the Morris screening (mu* against sigma, each parameter labelled) and
//! the Sobol ranking (first-order and total indices as bars with bootstrap intervals), one
//! panel per indicator.

use super::canvas::{Drawn, Figure};
use super::indicators;
use super::labels;
use super::legend::{self, Entry, Key};
use super::panels::{self, Axes, Cell, Header};
use super::scale::{self, Scale};
use super::style::{self, size};
use plotters::coord::Shift;
use plotters::prelude::{Circle, DrawingArea, DrawingBackend, PathElement, Rectangle, Text};
use plotters::style::{Color, RGBColor};
use pluri_schema::sweep::{MorrisRecord, SobolRecord};

const WIDTH: i32 = 1400;
const MORRIS_PANEL_H: i32 = 560;
const BAR_ROW_H: i32 = 64;

/// Parameters in order of first appearance; each keeps one colour across panels.
fn parameters<'a>(names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in names {
        if !out.iter().any(|o| o == n) {
            out.push(n.to_string());
        }
    }
    out
}

/// Parameters' readable labels (each path's, in the order of `params`) and the notes giving
/// their paths.
fn labelled(params: &[String]) -> (Vec<String>, Vec<String>) {
    let paths: Vec<&str> = params.iter().map(String::as_str).collect();
    let labels = labels::param_labels(&paths);
    let notes = labels::path_notes(&paths, &labels, WIDTH - 2 * panels::OUTER);
    (labels, notes)
}

/// The label of parameter `p` among `params` (of `labels`), or its path.
fn label_of<'a>(params: &[String], labels: &'a [String], p: &'a str) -> &'a str {
    params
        .iter()
        .position(|x| x == p)
        .and_then(|i| labels.get(i))
        .map_or(p, String::as_str)
}

/// Morris screening: mu* against sigma per indicator.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MorrisFigure {
    header: Header,
    params: Vec<String>,
    labels: Vec<String>,
    panels: Vec<(String, Vec<MorrisRecord>)>,
}

/// The Morris figure of `morris.csv` rows grouped by indicator.
pub(crate) fn morris_figure(name: &str, panels: Vec<(String, Vec<MorrisRecord>)>) -> MorrisFigure {
    let params = parameters(
        panels
            .iter()
            .flat_map(|(_, rows)| rows.iter().map(|r| r.parameter.as_str())),
    );
    let (labels, path_notes) = labelled(&params);
    let mut legend: Vec<Entry> = labels
        .iter()
        .enumerate()
        .map(|(i, p)| Entry {
            label: p.clone(),
            colour: style::run_colour(i),
            key: Key::Swatch,
        })
        .collect();
    legend.push(Entry {
        label: "σ = μ*".to_string(),
        colour: style::MUTED,
        key: Key::Dashed,
    });
    MorrisFigure {
        header: Header {
            title: format!("Morris screening ({name}): influence (μ*) and non-linearity (σ)"),
            notes: [
                "Effect: change in the indicator when one parameter moves across its whole range. μ*: mean |effect|, ranks influence;".to_string(),
                "σ: spread of the effects; above the dashed line, non-linearity or interactions dominate.".to_string(),
            ]
            .into_iter()
            .chain(path_notes)
            .collect(),
            legend,
        },
        params,
        labels,
        panels,
    }
}

fn colour_of(params: &[String], p: &str) -> RGBColor {
    style::run_colour(params.iter().position(|x| x == p).unwrap_or(0))
}

impl MorrisFigure {
    fn draw_panel<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        name: &str,
        rows: &[MorrisRecord],
        cell: Cell,
    ) -> Drawn {
        let xs = scale::value_scale(rows.iter().map(|r| r.mu_star).chain([0.0]), false);
        let ys = scale::value_scale(rows.iter().map(|r| r.sigma).chain([0.0]), false);
        let owned = name.to_string();
        let fmt = move |v: &f64| indicators::format_value(&owned, *v);
        let unit = indicators::lookup(name).unit;
        let x_desc = format!("μ* of {name} ({unit})");
        let y_desc = format!("σ ({unit})");
        let chart = panels::chart(
            root,
            cell,
            &format!("{} · {name}", indicators::caption(name)),
            &Axes {
                x: &xs,
                y: &ys,
                x_desc: &x_desc,
                y_desc: &y_desc,
                x_fmt: &fmt,
                y_fmt: &fmt,
                y_area: 84,
            },
        )?;
        let to_px = |x: f64, y: f64| chart.backend_coord(&(x, y));
        let (px, py) = chart.plotting_area().get_pixel_range();
        // The diagonal sigma = mu*, as far as both axes go.
        let end = xs.hi.min(ys.hi);
        legend::dashed(
            root,
            to_px(0.0, 0.0),
            to_px(end, end),
            style::MUTED.stroke_width(2),
        )?;
        let font = style::text(size::NOTE, style::INK);
        let mut taken: Vec<(i32, i32, i32, i32)> = Vec::new();
        let dots: Vec<(i32, i32)> = rows.iter().map(|r| to_px(r.mu_star, r.sigma)).collect();
        for (r, &c) in rows.iter().zip(&dots) {
            root.draw(&Circle::new(
                c,
                8,
                colour_of(&self.params, &r.parameter).filled(),
            ))?;
            root.draw(&Circle::new(c, 8, style::INK.stroke_width(1)))?;
        }
        // Labels beside their dot, on the first side that covers no other label or dot.
        for (i, r) in rows.iter().enumerate() {
            let label = label_of(&self.params, &self.labels, &r.parameter).to_string();
            let (w, h) = style::text_size(&label, &font);
            let (w, h) = (w as i32, h as i32);
            let (x, y) = dots[i];
            let options = [
                (x + 12, y - h / 2),
                (x - 12 - w, y - h / 2),
                (x - w / 2, y - 14 - h),
                (x - w / 2, y + 14),
                (x + 12, y - 4 - h),
                (x + 12, y + 4),
            ];
            let free = |b: (i32, i32, i32, i32)| {
                b.0 >= px.start
                    && b.2 <= px.end
                    && b.1 >= py.start
                    && b.3 <= py.end
                    && taken
                        .iter()
                        .all(|t| b.2 < t.0 || t.2 < b.0 || b.3 < t.1 || t.3 < b.1)
                    && dots
                        .iter()
                        .all(|d| d.0 + 8 < b.0 || b.2 < d.0 - 8 || d.1 + 8 < b.1 || b.3 < d.1 - 8)
            };
            let boxed = |(l, t): (i32, i32)| (l, t, l + w, t + h);
            let b = options
                .iter()
                .map(|&o| boxed(o))
                .find(|&b| free(b))
                .unwrap_or_else(|| boxed(options[0]));
            root.draw(&Text::new(label, (b.0, b.1), font.clone()))?;
            taken.push(b);
        }
        Ok(())
    }
}

impl Figure for MorrisFigure {
    fn size(&self) -> (u32, u32) {
        let rows = panels::rows(self.panels.len(), 2);
        let h = self.header.height(WIDTH) + rows * MORRIS_PANEL_H + panels::OUTER;
        (WIDTH as u32, h.max(800) as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn {
        self.header.draw(root, WIDTH)?;
        let top = self.header.height(WIDTH);
        let cells = panels::cells(self.panels.len(), 2, top, WIDTH, MORRIS_PANEL_H);
        for ((name, rows), cell) in self.panels.iter().zip(cells) {
            self.draw_panel(root, name, rows, cell)?;
        }
        Ok(())
    }
}

/// Sobol ranking: bars of S1 and ST with intervals, parameters by rank, per indicator.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SobolFigure {
    header: Header,
    params: Vec<String>,
    labels: Vec<String>,
    panels: Vec<(String, Vec<SobolRecord>)>,
}

const S1_COLOUR: RGBColor = style::RUN_COLOURS[0];
const ST_COLOUR: RGBColor = style::RUN_COLOURS[1];

/// The Sobol figure of `sobol.csv` rows grouped by indicator (each group sorted by rank).
pub(crate) fn sobol_figure(name: &str, mut panels: Vec<(String, Vec<SobolRecord>)>) -> SobolFigure {
    for (_, rows) in &mut panels {
        rows.sort_by_key(|r| r.rank);
    }
    let params = parameters(
        panels
            .iter()
            .flat_map(|(_, rows)| rows.iter().map(|r| r.parameter.as_str())),
    );
    let (labels, path_notes) = labelled(&params);
    SobolFigure {
        header: Header {
            title: format!("Sobol indices ({name}): parameters ranked by total effect"),
            notes: [
                "Share of the indicator's variance due to each parameter alone (first-order S1) and with its interactions (total ST);".to_string(),
                "bars: 95% bootstrap intervals. Most influential parameter at the top.".to_string(),
            ]
            .into_iter()
            .chain(path_notes)
            .collect(),
            legend: vec![
                Entry {
                    label: "first-order index S1".to_string(),
                    colour: S1_COLOUR,
                    key: Key::Swatch,
                },
                Entry {
                    label: "total index ST".to_string(),
                    colour: ST_COLOUR,
                    key: Key::Swatch,
                },
                Entry {
                    label: "95% bootstrap interval".to_string(),
                    colour: style::INK,
                    key: Key::Line,
                },
            ],
        },
        params,
        labels,
        panels,
    }
}

/// An index axis: 0 to 1 at least, wider only as far as estimates or intervals go.
fn index_scale(values: impl Iterator<Item = f64>) -> Scale {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((0.0f64, 1.0f64), |(a, b), v| (a.min(v), b.max(v)));
    let lo = (lo / 0.05).floor() * 0.05;
    let hi = ((hi + 0.02) / 0.05).ceil() * 0.05;
    Scale {
        lo,
        hi,
        ticks: panels::round_ticks(lo, hi, 8),
    }
}

fn panel_h(params: usize) -> i32 {
    panels::CAPTION_H + 90 + params as i32 * BAR_ROW_H
}

impl SobolFigure {
    fn draw_panel<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        name: &str,
        rows: &[SobolRecord],
        cell: Cell,
    ) -> Drawn {
        let values = rows.iter().flat_map(|r| {
            [
                r.s1,
                r.st,
                r.s1_ci_low,
                r.s1_ci_high,
                r.st_ci_low,
                r.st_ci_high,
                0.0,
            ]
        });
        let xs = index_scale(values);
        let k = rows.len();
        let ys = Scale {
            lo: -0.5,
            hi: k as f64 - 0.5,
            ticks: (0..k).map(|i| i as f64).collect(),
        };
        let tick = style::text(size::TICK, style::INK);
        let max_label = WIDTH * 2 / 5;
        let labels: Vec<String> = rows
            .iter()
            .map(|r| {
                let label = label_of(&self.params, &self.labels, &r.parameter);
                style::fit(label, &tick, max_label)
            })
            .collect();
        let y_area = labels
            .iter()
            .map(|l| style::text_size(l, &tick).0 as i32)
            .max()
            .unwrap_or(0)
            + 24;
        // Rank 1 at the top.
        let row_of = |i: usize| (k - 1 - i) as f64;
        let y_fmt = |v: &f64| {
            let i = k as i64 - 1 - v.round() as i64;
            usize::try_from(i)
                .ok()
                .and_then(|i| labels.get(i))
                .cloned()
                .unwrap_or_default()
        };
        let x_fmt = |v: &f64| style::tick(*v);
        let chart = panels::chart(
            root,
            cell,
            &format!("{} · {name}", indicators::caption(name)),
            &Axes {
                x: &xs,
                y: &ys,
                x_desc: "Sobol index (share of variance)",
                y_desc: "",
                x_fmt: &x_fmt,
                y_fmt: &y_fmt,
                y_area,
            },
        )?;
        let clamp = |v: f64| {
            if v.is_finite() {
                v.clamp(xs.lo, xs.hi)
            } else {
                0.0
            }
        };
        let to_px = |x: f64, y: f64| chart.backend_coord(&(clamp(x), y));
        for (i, r) in rows.iter().enumerate() {
            let y = row_of(i);
            for (offset, v, lo, hi, colour) in [
                (0.17, r.s1, r.s1_ci_low, r.s1_ci_high, S1_COLOUR),
                (-0.17, r.st, r.st_ci_low, r.st_ci_high, ST_COLOUR),
            ] {
                let (top, bottom) = (y + offset + 0.15, y + offset - 0.15);
                root.draw(&Rectangle::new(
                    [to_px(0.0, top), to_px(v, bottom)],
                    colour.filled(),
                ))?;
                let (a, b) = (to_px(lo, y + offset), to_px(hi, y + offset));
                let line = style::INK.stroke_width(2);
                root.draw(&PathElement::new(vec![a, b], line))?;
                for end in [a, b] {
                    root.draw(&PathElement::new(
                        vec![(end.0, end.1 - 7), (end.0, end.1 + 7)],
                        line,
                    ))?;
                }
            }
        }
        let zero = to_px(0.0, ys.lo);
        let top = to_px(0.0, ys.hi);
        root.draw(&PathElement::new(
            vec![zero, top],
            style::AXIS.stroke_width(1),
        ))?;
        Ok(())
    }

    fn heights(&self) -> Vec<i32> {
        self.panels
            .iter()
            .map(|(_, rows)| panel_h(rows.len()))
            .collect()
    }
}

impl Figure for SobolFigure {
    fn size(&self) -> (u32, u32) {
        let h = self.header.height(WIDTH) + self.heights().iter().sum::<i32>() + panels::OUTER;
        (WIDTH as u32, h.max(800) as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn {
        self.header.draw(root, WIDTH)?;
        let (_, height) = self.size();
        let mut top = self.header.height(WIDTH);
        // Panels share any height left over, so a short figure is not half empty.
        let spare =
            (height as i32 - top - panels::OUTER - self.heights().iter().sum::<i32>()).max(0);
        let extra = spare / self.panels.len().max(1) as i32;
        for ((name, rows), h) in self.panels.iter().zip(self.heights()) {
            let cell = Cell {
                left: panels::OUTER,
                top,
                width: WIDTH - 2 * panels::OUTER,
                height: h + extra,
            };
            self.draw_panel(root, name, rows, cell)?;
            top += h + extra;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_keep_the_order_they_first_appear_in() {
        let p = parameters(["b", "a", "b", "c"].into_iter());
        assert_eq!(p, ["b", "a", "c"]);
    }

    #[test]
    fn parameters_are_labelled_in_words_with_their_paths_in_a_note() {
        style::ensure_font().expect("font");
        let params = vec![
            "gp_traits.delegation_propensity_mean".to_string(),
            "weeks".to_string(),
        ];
        let (labels, notes) = labelled(&params);
        assert_eq!(labels, ["delegation propensity mean", "weeks"]);
        assert_eq!(
            label_of(&params, &labels, "gp_traits.delegation_propensity_mean"),
            "delegation propensity mean"
        );
        assert_eq!(label_of(&params, &labels, "other.path"), "other.path");
        assert!(
            notes[0].ends_with("delegation propensity mean: gp_traits.delegation_propensity_mean")
        );
    }
}
