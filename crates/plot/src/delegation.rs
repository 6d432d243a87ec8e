//! The delegation figure: what GPs do with the tasks they find (alone, inside, outside,
//! platform, refused (full target or resisting professional), dropped), as a stacked area for one run or one panel per choice for several.

use super::data::{Column, Run};
use super::figures::{calendar, points, title_and_legend, trailing_mean, week_range, SMOOTH};
use super::legend::{Entry, Key};
use super::markers;
use super::style;
use super::timeseries::{Axis, Panel, Series, TimeFigure};

/// What GPs did with the tasks they found, in stacking order.
/// Every task found ends in one of them (the engine checks it), so their shares add up to 1.
pub(crate) const CHOICES: [(Column, &str); 6] = [
    (|r| r.tasks_alone as f64, "done by the GP alone"),
    (|r| r.tasks_inside as f64, "delegated inside the practice"),
    (|r| r.tasks_outside as f64, "referred outside"),
    (|r| r.tasks_platform as f64, "taken by a support platform"),
    (
        |r| r.tasks_refused as f64,
        "refused (full target or resisting professional)",
    ),
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
            calendar: calendar(runs),
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
        calendar: calendar(runs),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pluri_schema::run::WeeklyRecord;
    use std::path::PathBuf;

    /// The engine's accounting: every task found ends alone, inside, outside, on a platform,
    /// refused or dropped.
    fn week(week: u32, ends: [u64; 6]) -> WeeklyRecord {
        let [tasks_alone, tasks_inside, tasks_outside, tasks_platform, tasks_refused, tasks_dropped] =
            ends;
        WeeklyRecord {
            week,
            tasks: ends.iter().sum(),
            tasks_alone,
            tasks_inside,
            tasks_outside,
            tasks_platform,
            tasks_refused,
            tasks_dropped,
            ..WeeklyRecord::default()
        }
    }

    #[test]
    fn the_choices_account_for_every_task() {
        let run = Run {
            dir: PathBuf::from("run"),
            label: "run".to_string(),
            weekly: vec![
                week(0, [50, 20, 10, 5, 10, 5]),
                week(1, [40, 30, 0, 0, 20, 10]),
            ],
            zones: Vec::new(),
            structures: Vec::new(),
            links: Vec::new(),
            interventions: Vec::new(),
            start: None,
        };
        for (row, w) in run.weekly.iter().enumerate() {
            let counted: f64 = CHOICES.iter().map(|(c, _)| c(w)).sum();
            assert_eq!(counted, w.tasks as f64, "week {row}");
        }
        let shares = choice_shares(&run);
        let refused = CHOICES
            .iter()
            .position(|(_, label)| label.contains("refused"))
            .expect("refusals are a choice");
        assert_eq!(shares[refused][0], 0.1);
        assert_eq!(shares[refused][1], 0.15, "two weeks summed: 30 of 200");
    }
}
