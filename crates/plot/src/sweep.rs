//! Sweep figures: each chosen indicator against one varied parameter, the mean over
//! replicates with its 95% interval, as lines with a band (grids) or dots with error bars
//! (random and Latin hypercube designs).

use super::canvas::{Drawn, Figure};
use super::indicators::{self, SWEEP_INDICATORS};
use super::labels;
use super::legend::{Entry, Key};
use super::panels::{self, Axes, Cell, Header};
use super::scale::{self, Scale};
use super::style;
use super::sweep_data::{ParamColumn, Points, Stat};
use super::timeseries::Axis;
use plotters::coord::Shift;
use plotters::prelude::{Circle, DrawingArea, DrawingBackend, LineSeries, PathElement, Polygon};
use plotters::style::{Color, RGBColor};

const WIDTH: i32 = 1400;
const COLUMNS: usize = 2;
const PANEL_H: i32 = 460;
/// Other parameters' values beyond which lines are averaged instead of drawn one per value.
const MAX_LINES: usize = 6;

/// One point of a curve: parameter value, mean, interval.
type Dot = (f64, f64, Option<(f64, f64)>);

/// A curve in a panel.
#[derive(Debug, Clone, PartialEq)]
struct Curve {
    colour: RGBColor,
    dots: Vec<Dot>,
}

/// One indicator's panel.
#[derive(Debug, Clone, PartialEq)]
struct Panel {
    name: String,
    curves: Vec<Curve>,
}

/// An indicator against one parameter, one panel per indicator.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SweepFigure {
    header: Header,
    param: ParamColumn,
    x: Scale,
    /// Lines with bands (grids of numbers) or dots with error bars (sampled designs, and
    /// categories, which have no order to draw a line along).
    lines: bool,
    panels: Vec<Panel>,
}

/// Indicators drawn, those present in the table of: the sweep file's `plot_indicators`, or
/// else [`SWEEP_INDICATORS`], or else the first eight of the table.
pub(crate) fn shown_indicators(points: &Points) -> Vec<String> {
    let present = |names: &mut dyn Iterator<Item = &str>| -> Vec<String> {
        names
            .filter(|n| points.indicator(n).is_some())
            .map(str::to_string)
            .collect()
    };
    let mut chosen = present(&mut points.chosen.iter().map(String::as_str));
    if chosen.is_empty() {
        chosen = present(&mut SWEEP_INDICATORS.iter().copied());
    }
    if chosen.is_empty() {
        points
            .indicators
            .iter()
            .map(|(n, _)| n.clone())
            .take(8)
            .collect()
    } else {
        chosen
    }
}

fn replicates(points: &Points) -> String {
    let mut n: Vec<f64> = points.n.iter().copied().filter(|v| v.is_finite()).collect();
    n.sort_by(f64::total_cmp);
    n.dedup();
    match n.as_slice() {
        [one] => format!("{one} replicates"),
        [lo, .., hi] => format!("{lo}–{hi} replicates"),
        [] => "replicates".to_string(),
    }
}

/// The figure of parameter `p` of `points`.
pub(crate) fn figure(points: &Points, p: usize, sweep: &str) -> SweepFigure {
    let param = points.params[p].clone();
    let other_index: Vec<usize> = (0..points.params.len()).filter(|&i| i != p).collect();
    let others: Vec<&ParamColumn> = other_index.iter().map(|&i| &points.params[i]).collect();
    let other_names = others
        .iter()
        .map(|c| c.label.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let reps = replicates(points);
    let names = shown_indicators(points);
    let mut legend = Vec::new();
    // Categories have no order: their means are dots with bars, not a line with a band.
    let words = if param.labels.is_some() {
        Words {
            line: "Dot",
            band: "bar",
        }
    } else {
        Words {
            line: "Line",
            band: "band",
        }
    };
    let (notes, groups): (Vec<String>, Grouping) = if !points.grid {
        let mut notes = vec![format!(
            "Each dot: one design point, mean over {reps}; bars: 95% confidence interval of the mean."
        )];
        if !others.is_empty() {
            let verb = if others.len() == 1 { "varies" } else { "vary" };
            notes.push(format!(
                "{other_names} also {verb} from point to point (not held fixed)."
            ));
        }
        (notes, Grouping::All)
    } else if others.is_empty() {
        (
            vec![format!(
                "{}: mean over {reps}; {}: 95% confidence interval of the mean.",
                words.line, words.band
            )],
            Grouping::All,
        )
    } else if let [other] = others.as_slice() {
        if other.distinct().len() <= MAX_LINES {
            for (i, v) in other.distinct().iter().enumerate() {
                legend.push(Entry {
                    label: format!("{} = {}", other.label, other.show(*v)),
                    colour: style::run_colour(i),
                    key: Key::Line,
                });
            }
            (
                vec![format!(
                    "One {} per value of {other_names}: mean over {reps}; {}s: 95% confidence intervals.",
                    words.line.to_lowercase(),
                    words.band
                )],
                Grouping::ByOther(other_index[0]),
            )
        } else {
            averaged_notes(&other_names, &reps, words)
        }
    } else {
        averaged_notes(&other_names, &reps, words)
    };
    let panels = names
        .iter()
        .map(|name| Panel {
            name: name.clone(),
            curves: points
                .indicator(name)
                .map(|stats| curves(points, p, stats, groups))
                .unwrap_or_default(),
        })
        .collect();
    let mut notes = notes;
    notes.extend(path_notes(&points.params, WIDTH - 2 * panels::OUTER));
    SweepFigure {
        header: Header {
            title: format!("Sweep {sweep}: indicators against {}", param.label),
            notes,
            legend,
        },
        x: x_scale(&param),
        lines: points.grid && param.labels.is_none(),
        param,
        panels,
    }
}

/// How a grid's means and intervals are drawn, in the notes' words.
#[derive(Debug, Clone, Copy)]
struct Words {
    line: &'static str,
    band: &'static str,
}

fn averaged_notes(others: &str, reps: &str, words: Words) -> (Vec<String>, Grouping) {
    (
        vec![
            format!(
                "{}: mean over the grid values of {others} (equal weight), each a mean over {reps};",
                words.line
            ),
            format!(
                "{}: 95% confidence interval of that average (replicate noise only).",
                words.band
            ),
        ],
        Grouping::Average,
    )
}

/// Note lines giving the dotted path of each parameter shown by its label.
pub(crate) fn path_notes(params: &[ParamColumn], width: i32) -> Vec<String> {
    let paths: Vec<&str> = params.iter().map(|p| p.path.as_str()).collect();
    let labels: Vec<String> = params.iter().map(|p| p.label.clone()).collect();
    labels::path_notes(&paths, &labels, width)
}

/// How the points of a panel become curves.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Grouping {
    /// Every point on one curve.
    All,
    /// One curve per value of this other parameter.
    ByOther(usize),
    /// One curve: at each value of the parameter, the average over the other parameters.
    Average,
}

fn curves(points: &Points, p: usize, stats: &[Stat], grouping: Grouping) -> Vec<Curve> {
    let xs = &points.params[p].values;
    let dots = |keep: &dyn Fn(usize) -> bool| -> Vec<Dot> {
        let mut d: Vec<Dot> = (0..xs.len())
            .filter(|&i| keep(i) && stats[i].mean.is_finite())
            .map(|i| (xs[i], stats[i].mean, stats[i].ci))
            .collect();
        d.sort_by(|a, b| a.0.total_cmp(&b.0));
        d
    };
    match grouping {
        Grouping::All => vec![Curve {
            colour: style::run_colour(0),
            dots: dots(&|_| true),
        }],
        Grouping::ByOther(o) => {
            let other = &points.params[o];
            other
                .distinct()
                .iter()
                .enumerate()
                .map(|(k, v)| Curve {
                    colour: style::run_colour(k),
                    dots: dots(&|i| other.values[i].to_bits() == v.to_bits()),
                })
                .collect()
        }
        Grouping::Average => {
            let dots = points.params[p]
                .distinct()
                .into_iter()
                .filter_map(|x| average(xs, stats, x))
                .collect();
            vec![Curve {
                colour: style::run_colour(0),
                dots,
            }]
        }
    }
}

/// The mean of the points at parameter value `x`, and the interval of that mean from the
/// points' intervals (independent replicates: half-widths add in quadrature, over k).
fn average(xs: &[f64], stats: &[Stat], x: f64) -> Option<Dot> {
    let at: Vec<&Stat> = xs
        .iter()
        .zip(stats)
        .filter(|(v, s)| v.to_bits() == x.to_bits() && s.mean.is_finite())
        .map(|(_, s)| s)
        .collect();
    if at.is_empty() {
        return None;
    }
    let k = at.len() as f64;
    let mean = at.iter().map(|s| s.mean).sum::<f64>() / k;
    let halves: Option<Vec<f64>> = at
        .iter()
        .map(|s| s.ci.map(|(lo, hi)| (hi - lo) / 2.0))
        .collect();
    let ci = halves.map(|h| {
        let half = h.iter().map(|v| v * v).sum::<f64>().sqrt() / k;
        (mean - half, mean + half)
    });
    Some((x, mean, ci))
}

/// Offset on the category axis (categories one apart) of curve `k` of `count`, so that the
/// curves at one category sit side by side within a third of the gap to the next.
fn dodge(k: usize, count: usize) -> f64 {
    if count < 2 {
        return 0.0;
    }
    let step = (0.6 / count as f64).min(0.12);
    (k as f64 - (count - 1) as f64 / 2.0) * step
}

fn x_scale(param: &ParamColumn) -> Scale {
    match &param.labels {
        Some(labels) => {
            let n = labels.len().max(1) as f64;
            Scale {
                lo: -0.5,
                hi: n - 0.5,
                ticks: (0..labels.len()).map(|i| i as f64).collect(),
            }
        }
        None => panels::param_scale(&param.values),
    }
}

fn y_scale(name: &str, curves: &[Curve]) -> Scale {
    let values = curves.iter().flat_map(|c| {
        c.dots.iter().flat_map(|&(_, m, ci)| {
            let (lo, hi) = ci.unwrap_or((m, m));
            [m, lo, hi]
        })
    });
    match indicators::lookup(name).axis {
        Axis::Count => scale::count_scale(values),
        Axis::Number => scale::value_scale(values, false),
        Axis::Percent | Axis::Fraction => scale::value_scale(values, true),
    }
}

impl SweepFigure {
    fn draw_panel<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        panel: &Panel,
        cell: Cell,
    ) -> Drawn {
        let ys = y_scale(&panel.name, &panel.curves);
        let param = &self.param;
        let x_fmt = |v: &f64| match param.labels {
            Some(_) => param.show(*v),
            None => style::tick(*v),
        };
        let name = panel.name.clone();
        let y_fmt = move |v: &f64| indicators::format_value(&name, *v);
        let y_desc = indicators::axis_label(&panel.name);
        let mut caption = indicators::caption(&panel.name);
        if panel.curves.iter().all(|c| c.dots.is_empty()) {
            caption += " (no values)";
        }
        let mut chart = panels::chart(
            root,
            cell,
            &caption,
            &Axes {
                x: &self.x,
                y: &ys,
                x_desc: &self.param.label,
                y_desc: &y_desc,
                x_fmt: &x_fmt,
                y_fmt: &y_fmt,
                y_area: 84,
            },
        )?;
        let clamp = |v: f64| v.clamp(ys.lo, ys.hi);
        let count = panel.curves.len();
        for (k, c) in panel.curves.iter().enumerate() {
            // Curves of a category sit side by side around it, not on top of each other.
            let shift = if self.param.labels.is_some() {
                dodge(k, count)
            } else {
                0.0
            };
            let dots: Vec<Dot> = c
                .dots
                .iter()
                .map(|&(x, m, ci)| (x + shift, m, ci))
                .collect();
            let with_ci: Vec<(f64, f64, f64)> = dots
                .iter()
                .filter_map(|&(x, _, ci)| ci.map(|(lo, hi)| (x, clamp(lo), clamp(hi))))
                .collect();
            if self.lines {
                if with_ci.len() >= 2 {
                    let mut outline: Vec<(f64, f64)> = with_ci.iter().map(|d| (d.0, d.2)).collect();
                    outline.extend(with_ci.iter().rev().map(|d| (d.0, d.1)));
                    chart.draw_series(std::iter::once(Polygon::new(
                        outline,
                        c.colour.mix(0.18).filled(),
                    )))?;
                }
                let line: Vec<(f64, f64)> = dots.iter().map(|d| (d.0, clamp(d.1))).collect();
                chart.draw_series(LineSeries::new(line, c.colour.stroke_width(3)))?;
            } else {
                for &(x, lo, hi) in &with_ci {
                    chart.draw_series(std::iter::once(PathElement::new(
                        vec![(x, lo), (x, hi)],
                        c.colour.mix(0.55).stroke_width(2),
                    )))?;
                }
            }
            chart.draw_series(
                dots.iter()
                    .map(|d| Circle::new((d.0, clamp(d.1)), 5, c.colour.filled())),
            )?;
        }
        Ok(())
    }
}

impl Figure for SweepFigure {
    fn size(&self) -> (u32, u32) {
        let rows = panels::rows(self.panels.len(), COLUMNS);
        let h = self.header.height(WIDTH) + rows * PANEL_H + panels::OUTER;
        (WIDTH as u32, h.max(800) as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn {
        self.header.draw(root, WIDTH)?;
        let top = self.header.height(WIDTH);
        let cells = panels::cells(self.panels.len(), COLUMNS, top, WIDTH, PANEL_H);
        for (panel, cell) in self.panels.iter().zip(cells) {
            self.draw_panel(root, panel, cell)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stat(mean: f64, half: f64) -> Stat {
        Stat {
            mean,
            ci: Some((mean - half, mean + half)),
        }
    }

    #[test]
    fn an_average_over_other_parameters_narrows_its_interval_in_quadrature() {
        let xs = [1.0, 1.0, 2.0];
        let stats = [stat(0.2, 0.3), stat(0.4, 0.4), stat(0.9, 0.1)];
        let (x, mean, ci) = average(&xs, &stats, 1.0).expect("points at 1");
        assert_eq!(x, 1.0);
        assert!((mean - 0.3).abs() < 1e-12);
        let (lo, hi) = ci.expect("interval");
        assert!(((hi - lo) / 2.0 - 0.25).abs() < 1e-12, "{lo}..{hi}");
    }

    #[test]
    fn every_chosen_indicator_label_fits_its_axis_uncut() {
        style::ensure_font().expect("font");
        let font = style::text(super::super::style::size::AXIS_LABEL, style::INK);
        let room = PANEL_H - panels::CAPTION_H - 70;
        for name in SWEEP_INDICATORS {
            let label = indicators::axis_label(name);
            assert_eq!(style::fit(&label, &font, room), label, "{label} is cut");
        }
    }

    #[test]
    fn curves_at_a_category_sit_side_by_side_within_it() {
        assert_eq!(dodge(0, 1), 0.0);
        let shifts: Vec<f64> = (0..4).map(|k| dodge(k, 4)).collect();
        assert!(shifts.windows(2).all(|w| w[0] < w[1]), "{shifts:?}");
        assert!((shifts[0] + shifts[3]).abs() < 1e-12, "centred: {shifts:?}");
        assert!(
            shifts[3] - shifts[0] < 0.5,
            "within the category: {shifts:?}"
        );
    }

    fn categorical_points(grid: bool) -> Points {
        Points {
            params: vec![ParamColumn {
                path: "structures.dac.active".to_string(),
                label: "active (dac)".to_string(),
                values: vec![0.0, 1.0],
                labels: Some(vec!["false".to_string(), "true".to_string()]),
            }],
            n: vec![3.0, 3.0],
            indicators: vec![(
                "delegated_share".to_string(),
                vec![stat(0.2, 0.01), stat(0.3, 0.01)],
            )],
            grid,
            chosen: Vec::new(),
        }
    }

    #[test]
    fn a_categorical_parameter_is_drawn_as_dots_not_a_line() {
        let figure = super::figure(&categorical_points(true), 0, "s");
        assert!(
            !figure.lines,
            "categories have no order to draw a line along"
        );
        let mut numeric = categorical_points(true);
        numeric.params[0].labels = None;
        assert!(super::figure(&numeric, 0, "s").lines);
    }

    #[test]
    fn a_point_without_an_interval_leaves_the_average_without_one() {
        let stats = [
            stat(0.2, 0.1),
            Stat {
                mean: 0.4,
                ci: None,
            },
        ];
        let (_, _, ci) = average(&[3.0, 3.0], &stats, 3.0).expect("points at 3");
        assert!(ci.is_none());
    }
}
