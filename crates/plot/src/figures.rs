//! The standard time figures: which weekly columns each shows, with what caption and unit.

use super::data::{Column, Run};
use super::legend::{Entry, Key};
use super::markers;
use super::style;
use super::timeseries::{Axis, Panel, Series, TimeFigure};

/// Weeks over which noisy weekly flows are averaged.
pub(crate) const SMOOTH: usize = 4;

/// One indicator drawn in a panel.
struct Metric {
    column: Column,
    caption: &'static str,
    y_desc: &'static str,
    axis: Axis,
    /// A weekly flow, shown as a trailing mean over [`SMOOTH`] weeks.
    flow: bool,
}

const fn metric(
    column: Column,
    caption: &'static str,
    y_desc: &'static str,
    axis: Axis,
    flow: bool,
) -> Metric {
    Metric {
        column,
        caption,
        y_desc,
        axis,
        flow,
    }
}

/// A standard figure: file stem, title and metrics.
struct Spec {
    stem: &'static str,
    title: &'static str,
    columns: usize,
    metrics: &'static [Metric],
}

const COOPERATION: Spec = Spec {
    stem: "cooperation",
    title: "Cooperation over time",
    columns: 2,
    metrics: &[
        metric(
            |r| r.mean_tie_strength,
            "Mean GP–professional tie strength",
            "trust (0–1)",
            Axis::Fraction,
            false,
        ),
        metric(
            |r| r.tie_density,
            "Network density",
            "% of GP–professional pairs",
            Axis::Percent,
            false,
        ),
        metric(
            |r| r.complex_multi_share,
            "Complex patients followed by several professions",
            "% of complex patients",
            Axis::Percent,
            false,
        ),
        metric(
            |r| r.interorg_referral_share,
            "Delegations to another organisation (4-week mean)",
            "% of accepted delegations",
            Axis::Percent,
            true,
        ),
    ],
};

const ACCESS: Spec = Spec {
    stem: "access",
    title: "Access to care",
    columns: 2,
    metrics: &[
        metric(
            |r| r.needs_unmet as f64,
            "Unmet needs (4-week mean)",
            "needs per week",
            Axis::Number,
            true,
        ),
        metric(
            |r| r.time_to_appointment_days,
            "Time to appointment (4-week mean)",
            "days from episode to consultation",
            Axis::Number,
            true,
        ),
        metric(
            |r| r.waiting_per_1000,
            "Patients waiting at the end of the week",
            "per 1,000 residents",
            Axis::Number,
            false,
        ),
        metric(
            |r| r.gps_fully_booked_share,
            "GPs fully booked at the end of the week",
            "% of GPs",
            Axis::Percent,
            false,
        ),
        metric(
            |r| r.gps_refusing_new_share,
            "GPs refusing new patients (list full)",
            "% of GPs",
            Axis::Percent,
            false,
        ),
        metric(
            |r| r.without_gp_share,
            "Residents without a declared GP",
            "% of residents",
            Axis::Percent,
            false,
        ),
        metric(
            |r| r.forgone as f64,
            "Care episodes given up (4-week mean)",
            "episodes per week",
            Axis::Number,
            true,
        ),
        metric(
            |r| r.avoidable_hospitalisations as f64,
            "Avoidable hospitalisations (4-week mean)",
            "hospitalisations per week",
            Axis::Number,
            true,
        ),
        metric(
            |r| r.tasks_refused as f64,
            "Tasks refused: full target or resisting professional (4-week mean)",
            "tasks per week",
            Axis::Number,
            true,
        ),
    ],
};

const WORKLOAD: Spec = Spec {
    stem: "workload",
    title: "Workload, friction and turnover",
    columns: 2,
    metrics: &[
        metric(
            |r| r.gp_utilisation,
            "GP workload",
            "% of consultation capacity",
            Axis::Percent,
            false,
        ),
        metric(
            |r| r.prof_utilisation,
            "Support professionals' workload",
            "% of caseload",
            Axis::Percent,
            false,
        ),
        metric(
            |r| r.friction_per_100_delegations,
            "Friction in delegations (4-week mean)",
            "events per 100 delegations",
            Axis::Number,
            true,
        ),
        metric(
            |r| f64::from(r.departures),
            "Support professionals leaving (4-week mean)",
            "departures per week",
            Axis::Number,
            true,
        ),
        metric(
            |r| r.mean_satisfaction,
            "Satisfaction of support professionals",
            "mean satisfaction (0–1)",
            Axis::Fraction,
            false,
        ),
    ],
};

const STRUCTURES: Spec = Spec {
    stem: "structures",
    title: "Structures and coordination over time",
    columns: 2,
    metrics: &[
        metric(
            |r| f64::from(r.msps),
            "MSPs in operation",
            "MSPs",
            Axis::Count,
            false,
        ),
        metric(
            |r| f64::from(r.gps_in_msp),
            "GPs practising in an MSP",
            "GPs",
            Axis::Count,
            false,
        ),
        metric(
            |r| r.coordinator_fte,
            "Coordination in practices",
            "coordinator FTE",
            Axis::Number,
            false,
        ),
        metric(
            |r| r.mean_legitimacy,
            "Legitimacy of coordinators in practices",
            "mean legitimacy (0–1)",
            Axis::Fraction,
            false,
        ),
        metric(
            |r| f64::from(r.protocols),
            "Agreed protocols in all structures",
            "protocols",
            Axis::Count,
            false,
        ),
        metric(
            |r| f64::from(r.meetings),
            "Concertation meetings (4-week mean)",
            "meetings per week",
            Axis::Number,
            true,
        ),
    ],
};

pub(crate) fn trailing_mean(values: &[f64], n: usize) -> Vec<f64> {
    let mut sum = 0.0;
    values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            sum += v;
            if i >= n {
                sum -= values[i - n];
            }
            sum / (i + 1).min(n) as f64
        })
        .collect()
}

pub(crate) fn points(run: &Run, values: &[f64]) -> Vec<(f64, f64)> {
    run.weeks()
        .into_iter()
        .zip(values.iter().copied())
        .collect()
}

pub(crate) fn week_range(runs: &[Run]) -> (f64, f64) {
    let all = runs
        .iter()
        .flat_map(|r| r.weekly.iter().map(|w| f64::from(w.week)));
    let lo = all.clone().fold(f64::INFINITY, f64::min);
    let hi = all.fold(f64::NEG_INFINITY, f64::max);
    // Dated, the axis spans the whole weeks: from the first one's start to the last one's end.
    let end = if calendar(runs).is_some() { 1.0 } else { 0.0 };
    if lo.is_finite() {
        (lo, hi + end)
    } else {
        (0.0, 1.0)
    }
}

/// The start date of the runs' time axis, when they are dated (all with the same start).
pub(crate) fn calendar(runs: &[Run]) -> Option<pluri_schema::date::Date> {
    runs.first().and_then(|r| r.start)
}

/// Title naming the run when there is one, and the legend naming each run when several.
pub(crate) fn title_and_legend(title: &str, runs: &[Run], markers: bool) -> (String, Vec<Entry>) {
    let mut legend = Vec::new();
    let title = if let [run] = runs {
        format!("{title}: {}", run.label)
    } else {
        for (i, run) in runs.iter().enumerate() {
            legend.push(Entry {
                label: run.label.clone(),
                colour: style::run_colour(i),
                key: Key::Line,
            });
        }
        format!("{title}: {} runs compared", runs.len())
    };
    if markers {
        legend.push(Entry {
            label: "intervention".to_string(),
            colour: style::MUTED,
            key: Key::Dashed,
        });
    }
    (title, legend)
}

fn line_figure(spec: &Spec, runs: &[Run]) -> TimeFigure {
    let markers = markers::collect(runs);
    let (title, legend) = title_and_legend(spec.title, runs, !markers.is_empty());
    let panels = spec
        .metrics
        .iter()
        .map(|m| Panel {
            caption: m.caption.to_string(),
            y_desc: m.y_desc.to_string(),
            axis: m.axis,
            stacked: false,
            series: runs
                .iter()
                .enumerate()
                .map(|(i, run)| {
                    let raw = run.column(m.column);
                    let values = if m.flow {
                        trailing_mean(&raw, SMOOTH)
                    } else {
                        raw
                    };
                    Series {
                        colour: style::run_colour(i),
                        points: points(run, &values),
                    }
                })
                .collect(),
        })
        .collect();
    TimeFigure {
        title,
        columns: spec.columns,
        panels,
        legend,
        markers,
        weeks: week_range(runs),
        calendar: calendar(runs),
    }
}

/// The line figures of `runs` (every standard time figure but `delegation`), as (file stem,
/// figure), in a fixed order.
pub(crate) fn line_figures(runs: &[Run]) -> Vec<(&'static str, TimeFigure)> {
    [&COOPERATION, &ACCESS, &WORKLOAD, &STRUCTURES]
        .iter()
        .map(|spec| (spec.stem, line_figure(spec, runs)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trailing_mean_averages_what_it_has_at_the_start() {
        assert_eq!(
            trailing_mean(&[4.0, 0.0, 2.0, 2.0, 8.0], 4),
            [4.0, 2.0, 2.0, 2.0, 3.0]
        );
    }
}
