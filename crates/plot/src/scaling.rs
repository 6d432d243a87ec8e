//! The scaling figure of `pluri bench`: wall time and peak memory against residents on
//! logarithmic axes, each with the straight line of a cost proportional to residents through
//! the largest size, and the throughput (patient-weeks per second) against residents.
//!
//! Drawn from the rows `pluri bench` writes to its CSV, so the figure shows what the table
//! says.

use super::canvas::{render, Drawn, Figure};
use super::legend::{self, Entry, Key};
use super::panels::{self, Axes, Cell, Header};
use super::scale::Scale;
use super::style;
use super::PlotError;
use plotters::coord::Shift;
use plotters::prelude::{Circle, DrawingArea, DrawingBackend, LineSeries};
use plotters::style::Color;
use pluri_schema::bench::BenchRow;
use std::path::{Path, PathBuf};

const WIDTH: i32 = 1500;
const COLUMNS: usize = 3;
const PANEL_H: i32 = 500;

/// A quantity against residents.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Quantity {
    Wall,
    Memory,
    Throughput,
}

impl Quantity {
    const ALL: [Quantity; 3] = [Quantity::Wall, Quantity::Memory, Quantity::Throughput];

    fn caption(self) -> &'static str {
        match self {
            Quantity::Wall => "Wall time",
            Quantity::Memory => "Peak memory",
            Quantity::Throughput => "Throughput",
        }
    }

    fn unit(self) -> &'static str {
        match self {
            Quantity::Wall => "seconds (log scale)",
            Quantity::Memory => "MiB (log scale)",
            Quantity::Throughput => "patient-weeks per second",
        }
    }

    fn of(self, r: &BenchRow) -> f64 {
        match self {
            Quantity::Wall => r.wall_seconds,
            Quantity::Memory => r.peak_memory_mib,
            Quantity::Throughput => r.patient_weeks_per_second,
        }
    }

    /// Whether the vertical axis is logarithmic (then a cost proportional to residents is a
    /// line of slope one).
    fn log(self) -> bool {
        !matches!(self, Quantity::Throughput)
    }
}

/// Ticks at 1, 2 and 5 times the powers of ten within `lo..=hi` (log10 units), or at every
/// multiple of them when that gives fewer than three; at least the two ends.
fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let within = |mantissas: &[f64]| -> Vec<f64> {
        let mut ticks = Vec::new();
        for k in lo.floor() as i32..=hi.ceil() as i32 {
            for m in mantissas {
                let t = f64::from(k) + m.log10();
                if t >= lo - 1e-9 && t <= hi + 1e-9 {
                    ticks.push(t);
                }
            }
        }
        ticks
    };
    let mut ticks = within(&[1.0, 2.0, 5.0]);
    if ticks.len() < 3 {
        ticks = within(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]);
    }
    if ticks.len() < 2 {
        ticks = vec![lo, hi];
    }
    ticks
}

/// A log10 scale over positive values, a twentieth of its span beyond each end.
fn log_scale(values: impl Iterator<Item = f64>) -> Scale {
    let logs: Vec<f64> = values.filter(|v| *v > 0.0).map(f64::log10).collect();
    let lo = logs.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) };
    let pad = ((hi - lo) / 20.0).max(0.05);
    let (lo, hi) = (lo - pad, hi + pad);
    Scale {
        lo,
        hi,
        ticks: log_ticks(lo, hi),
    }
}

/// A tick label of a log10 value: the value with a k or M suffix (`300k`, `10M`, `0.5`).
fn log_label(v: f64) -> String {
    let x = 10f64.powf(v);
    let round = |x: f64| {
        let digits = if x >= 10.0 { 0 } else { 1 };
        let s = format!("{x:.digits$}");
        s.trim_end_matches(".0").to_string()
    };
    if x >= 1e6 {
        round(x / 1e6) + "M"
    } else if x >= 1e3 {
        round(x / 1e3) + "k"
    } else if x >= 0.1 {
        round(x)
    } else {
        format!("{x:.2}")
    }
}

#[derive(Debug, Clone, PartialEq)]
struct ScalingFigure {
    header: Header,
    rows: Vec<BenchRow>,
}

fn figure(rows: &[BenchRow]) -> ScalingFigure {
    let threads: Vec<String> = {
        let mut t: Vec<usize> = rows.iter().map(|r| r.threads).collect();
        t.dedup();
        t.iter().map(ToString::to_string).collect()
    };
    let weeks: Vec<String> = {
        let mut w: Vec<u32> = rows.iter().map(|r| r.weeks).collect();
        w.dedup();
        w.iter().map(ToString::to_string).collect()
    };
    ScalingFigure {
        header: Header {
            title: "How pluri's cost grows with the population".to_string(),
            notes: vec![format!(
                "pluri bench: {} sizes, {} weeks each (warm-up included), {} thread(s); each size in its own process",
                rows.len(),
                weeks.join("/"),
                threads.join("/")
            )],
            legend: vec![
                Entry {
                    label: "measured".to_string(),
                    colour: style::RUN_COLOURS[0],
                    key: Key::Line,
                },
                Entry {
                    label: "proportional to residents, through the largest size".to_string(),
                    colour: style::MUTED,
                    key: Key::Dashed,
                },
            ],
        },
        rows: rows.to_vec(),
    }
}

impl ScalingFigure {
    fn draw_panel<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        q: Quantity,
        cell: Cell,
    ) -> Drawn {
        let x = log_scale(self.rows.iter().map(|r| r.residents as f64));
        let pts: Vec<(f64, f64)> = self
            .rows
            .iter()
            .filter(|r| r.residents > 0 && (!q.log() || q.of(r) > 0.0))
            .map(|r| {
                let v = q.of(r);
                (
                    (r.residents as f64).log10(),
                    if q.log() { v.log10() } else { v },
                )
            })
            .collect();
        let y = if q.log() {
            log_scale(self.rows.iter().map(|r| q.of(r)))
        } else {
            crate::scale::value_scale(self.rows.iter().map(|r| q.of(r)), false)
        };
        let x_fmt = |v: &f64| log_label(*v);
        let log_fmt = |v: &f64| log_label(*v);
        let lin_fmt = |v: &f64| format!("{v:.1e}");
        let y_fmt: &dyn Fn(&f64) -> String = if q.log() { &log_fmt } else { &lin_fmt };
        let mut chart = panels::chart(
            root,
            cell,
            q.caption(),
            &Axes {
                x: &x,
                y: &y,
                x_desc: "residents (log scale)",
                y_desc: q.unit(),
                x_fmt: &x_fmt,
                y_fmt,
                y_area: 84,
            },
        )?;
        // Through the largest size with slope one: where a linear cost would put the others.
        if let (true, Some(&(lx, ly))) = (q.log(), pts.last()) {
            let to_px = |a: f64| chart.backend_coord(&(a, ly + (a - lx)));
            let (from, to) = (x.lo.max(lx - (ly - y.lo)), x.hi.min(lx + (y.hi - ly)));
            legend::dashed(root, to_px(from), to_px(to), style::MUTED.stroke_width(2))?;
        }
        let colour = style::RUN_COLOURS[0];
        chart.draw_series(LineSeries::new(pts.clone(), colour.stroke_width(3)))?;
        chart.draw_series(pts.iter().map(|&p| Circle::new(p, 6, colour.filled())))?;
        Ok(())
    }
}

impl Figure for ScalingFigure {
    fn size(&self) -> (u32, u32) {
        let rows = panels::rows(Quantity::ALL.len(), COLUMNS);
        let h = self.header.height(WIDTH) + rows * PANEL_H + panels::OUTER;
        (WIDTH as u32, h as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn {
        self.header.draw(root, WIDTH)?;
        let top = self.header.height(WIDTH);
        let cells = panels::cells(Quantity::ALL.len(), COLUMNS, top, WIDTH, PANEL_H);
        for (q, cell) in Quantity::ALL.into_iter().zip(cells) {
            self.draw_panel(root, q, cell)?;
        }
        Ok(())
    }
}

/// Draws `<stem>.png`/`.svg` into `dir` from `pluri bench`'s rows (sorted by residents).
pub fn plot_scaling(
    rows: &[BenchRow],
    dir: &Path,
    stem: &str,
    format: super::Format,
) -> Result<Vec<PathBuf>, PlotError> {
    style::ensure_font()?;
    let mut rows = rows.to_vec();
    rows.sort_by_key(|r| r.residents);
    render(&figure(&rows), dir, stem, format)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_ticks_fall_on_one_two_five_within_the_range() {
        let t = log_ticks(4.9, 6.1);
        let shown: Vec<String> = t.iter().map(|v| log_label(*v)).collect();
        assert_eq!(shown, ["100k", "200k", "500k", "1M"]);
        let narrow: Vec<String> = log_ticks(0.74, 1.26)
            .iter()
            .map(|v| log_label(*v))
            .collect();
        assert_eq!(
            narrow,
            ["6", "7", "8", "9", "10", "18"].map(String::from)[..5]
        );
        assert_eq!(
            log_ticks(0.31, 0.32).len(),
            2,
            "a narrow range keeps its ends"
        );
    }

    #[test]
    fn labels_read_as_numbers() {
        assert_eq!(log_label(7.0), "10M");
        assert_eq!(log_label(3.0f64.log10()), "3");
        assert_eq!(log_label(0.5f64.log10()), "0.5");
        assert_eq!(log_label(1.5e6f64.log10()), "1.5M");
    }
}
