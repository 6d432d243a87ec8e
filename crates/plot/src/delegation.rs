//! The delegation figure: what GPs do with the tasks they find (alone, inside, outside,
//! platform, dropped), as a stacked area for one run or one panel per choice for several.

use super::data::{Column, Run};
use super::figures::{points, title_and_legend, trailing_mean, week_range, SMOOTH};
use super::legend::{Entry, Key};
use super::markers;
use super::style;
use super::timeseries::{Axis, Panel, Series, TimeFigure};

/// What GPs did with the tasks they found, in stacking order.
pub(crate) const CHOICES: [(Column, &str); 5] = [
    (|r| r.tasks_alone as f64, "done by the GP alone"),
    (|r| r.tasks_inside as f64, "delegated inside the practice"),
    (|r| r.tasks_outside as f64, "referred outside"),
    (|r| r.tasks_platform as f64, "taken by a support platform"),
    (|r| r.tasks_dropped as f64, "dropped"),
];

/// Shares of each choice among all tasks, summed over [`SMOOTH`] trailing weeks.
fn choice_shares(run: &Run) -> Vec<Vec<f64>> {
    let sums: Vec<Vec<f64>> = CHOICES
        .iter()
        .map(|(c, _)| trailing_mean(&run.column(*c), SMOOTH))
        .collect();
    let total: Vec<f64> = (0..run.weekly.len())
        .map(|i| sums.iter().map(|s| s.get(i).copied().unwrap_or(0.0)).sum())
        .collect();
    sums.iter()
        .map(|s| {
            s.iter()
                .zip(&total)
                .map(|(v, t)| if *t > 0.0 { v / t } else { 0.0 })
                .collect()
        })
        .collect()
}

/// The delegation figure of `runs`.
pub(crate) fn figure(runs: &[Run]) -> TimeFigure {
    let markers = markers::collect(runs);
    let title = "What GPs do with the tasks they find";
    let y_desc = "% of tasks (4-week mean)";
    if let [run] = runs {
        let shares = choice_shares(run);
        let mut legend: Vec<Entry> = CHOICES
            .iter()
            .enumerate()
            .map(|(i, (_, label))| Entry {
                label: label.to_string(),
                colour: style::run_colour(i),
                key: Key::Swatch,
            })
            .collect();
        if !markers.is_empty() {
            legend.push(Entry {
                label: "intervention".to_string(),
                colour: style::MUTED,
                key: Key::Dashed,
            });
        }
        let series = shares
            .iter()
            .enumerate()
            .map(|(i, s)| Series {
                colour: style::run_colour(i),
                points: points(run, s),
            })
            .collect();
        return TimeFigure {
            title: format!("{title}: {}", run.label),
            columns: 1,
            panels: vec![Panel {
                caption: "Share of tasks by what the GP did (stacked)".to_string(),
                y_desc: y_desc.to_string(),
                axis: Axis::Percent,
                stacked: true,
                series,
            }],
            legend,
            markers,
            weeks: week_range(runs),
        };
    }
    let (title, legend) = title_and_legend(title, runs, !markers.is_empty());
    let shares: Vec<Vec<Vec<f64>>> = runs.iter().map(choice_shares).collect();
    let panels = CHOICES
        .iter()
        .enumerate()
        .map(|(c, (_, label))| Panel {
            caption: format!("Tasks {label}"),
            y_desc: y_desc.to_string(),
            axis: Axis::Percent,
            stacked: false,
            series: runs
                .iter()
                .enumerate()
                .map(|(i, run)| Series {
                    colour: style::run_colour(i),
                    points: points(run, &shares[i][c]),
                })
                .collect(),
        })
        .collect();
    TimeFigure {
        title,
        columns: 2,
        panels,
        legend,
        markers,
        weeks: week_range(runs),
    }
}
