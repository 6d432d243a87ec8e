//! Axis scales: ranges that end on round ticks, the ticks themselves, and a plotters
//! coordinate that draws exactly those ticks.

use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use pluri_schema::date::Date;
use std::ops::Range;

/// An axis range with its tick positions.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Scale {
    /// Lowest value shown.
    pub lo: f64,
    /// Highest value shown.
    pub hi: f64,
    /// Tick positions, from `lo` to `hi`.
    pub ticks: Vec<f64>,
}

impl Scale {
    /// A plotters coordinate over this range, ticked at [`Scale::ticks`] only.
    pub(crate) fn coord(&self) -> Ticked {
        Ticked {
            inner: RangedCoordf64::from(self.lo..self.hi),
            ticks: self.ticks.clone(),
        }
    }
}

/// A linear `f64` coordinate whose grid lines and tick labels are given ticks.
pub(crate) struct Ticked {
    inner: RangedCoordf64,
    ticks: Vec<f64>,
}

impl Ranged for Ticked {
    type FormatOption = NoDefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.inner.range()
    }
}

impl ValueFormatter<f64> for Ticked {
    fn format(value: &f64) -> String {
        format!("{value}")
    }
}

/// A round step (1, 2 or 5 times a power of ten) giving at most `max_ticks` intervals.
fn nice_step(span: f64, max_ticks: usize) -> f64 {
    let raw = span / max_ticks.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw * (1.0 - 1e-9))
        .unwrap_or(10.0 * magnitude)
}

fn ticks_between(lo: f64, hi: f64, step: f64) -> Vec<f64> {
    let n = ((hi - lo) / step).round() as i64;
    (0..=n.max(0))
        .map(|i| {
            let v = lo + i as f64 * step;
            // Round away float noise so labels and SVG stay stable.
            (v / step).round() * step
        })
        .collect()
}

/// Narrowest range of a share axis.
const MIN_SHARE_SPAN: f64 = 0.05;

/// A value scale covering `values`: starts at zero when the data sit closer to zero than
/// to their own spread, ends on round ticks; `share` caps it to 0–1 and spans at least five
/// percentage points, so that weekly noise in a share does not look like a trend.
pub(crate) fn value_scale(values: impl IntoIterator<Item = f64>, share: bool) -> Scale {
    let (mut lo, mut hi) = values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
    if !lo.is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    if share && hi - lo < MIN_SHARE_SPAN {
        let mid = (lo + hi) / 2.0;
        lo = (mid - MIN_SHARE_SPAN / 2.0).max(0.0);
        hi = (lo + MIN_SHARE_SPAN).min(1.0);
        lo = lo.min(hi - MIN_SHARE_SPAN).max(0.0);
    }
    if lo >= 0.0 && lo <= hi - lo {
        lo = 0.0;
    }
    if hi - lo < 1e-12 {
        let pad = if hi.abs() > 1e-12 {
            hi.abs() * 0.1
        } else {
            1.0
        };
        hi += pad;
        // A flat positive series is shown from zero, so it does not read as a level of note.
        lo = if lo >= 0.0 { 0.0 } else { lo - pad };
    }
    if share {
        lo = lo.max(0.0);
        hi = hi.min(1.0).max(lo + 0.01);
    }
    // A little headroom, so a line along the edge is not cut in half.
    let pad = 0.03 * (hi - lo);
    if lo != 0.0 {
        lo -= pad;
    }
    hi += pad;
    if share {
        lo = lo.max(0.0);
    }
    let step = nice_step(hi - lo, 5);
    let lo = (lo / step).floor() * step;
    let mut hi = (hi / step).ceil() * step;
    if share {
        hi = hi.min(1.0);
    }
    Scale {
        lo,
        hi,
        ticks: ticks_between(lo, hi, step),
    }
}

/// A scale for counts of things (structures, people): from zero, ticked at whole numbers.
pub(crate) fn count_scale(values: impl IntoIterator<Item = f64>) -> Scale {
    let values: Vec<f64> = values.into_iter().filter(|v| v.is_finite()).collect();
    if values.iter().any(|v| *v < 0.0) {
        return value_scale(values, false);
    }
    let max = values.iter().copied().fold(0.0, f64::max);
    let hi = (max * 1.03).max(1.0);
    let step = nice_step(hi, 5).max(1.0).round();
    let hi = (hi / step).ceil() * step;
    Scale {
        lo: 0.0,
        hi,
        ticks: ticks_between(0.0, hi, step),
    }
}

/// The week axis: ticks every 52 weeks (a year) for runs of two years or more.
pub(crate) fn week_scale(first: f64, last: f64) -> Scale {
    let lo = first.min(last);
    let hi = last.max(first + 1.0);
    let span = hi - lo;
    let step = [
        1.0, 2.0, 4.0, 5.0, 10.0, 13.0, 26.0, 52.0, 104.0, 260.0, 520.0,
    ]
    .into_iter()
    .find(|s| span / s <= 7.0)
    .unwrap_or_else(|| nice_step(span, 7));
    let start = (lo / step).ceil() * step;
    let ticks = ticks_between(start, (hi / step).floor() * step, step);
    Scale { lo, hi, ticks }
}

/// A dated time axis: its scale, a label for each tick and what the ticks are.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DateAxis {
    /// Range and ticks, in weeks from the start date (week 0's first day).
    pub scale: Scale,
    /// One label a tick: a year (`2014`), a month (`2014-03`) or a day (`2014-03-09`).
    pub labels: Vec<String>,
    /// The axis description: `Year`, `Month` or `Date`.
    pub desc: &'static str,
}

impl DateAxis {
    /// The label of the tick at `x` (a tick's own value, as plotters gives it back).
    pub(crate) fn label(&self, x: f64) -> String {
        self.scale
            .ticks
            .iter()
            .position(|t| (t - x).abs() < 1e-6)
            .and_then(|i| self.labels.get(i).cloned())
            .unwrap_or_default()
    }
}

/// Most ticks of a dated axis.
const MAX_DATE_TICKS: usize = 8;

/// The time axis of runs dated from `start`, over `lo` to `hi` weeks from it: ticks on
/// 1 January, every 1, 2, 5, 10... years (years that are multiples of the step) so that
/// there are at most [`MAX_DATE_TICKS`]; a run too short to hold two New Year's Days is
/// ticked on the first of months (every 1, 2, 3 or 6), and a shorter one on weeks, labelled
/// with their first day.
pub(crate) fn date_axis(lo: f64, hi: f64, start: Date) -> DateAxis {
    let scale = week_scale(lo, hi);
    let (lo, hi) = (scale.lo, scale.hi);
    let x_of = |d: Date| d.weeks_since(start);
    let inside = |x: f64| x >= lo - 1e-9 && x <= hi + 1e-9;
    let day = |x: f64| start.plus_days((x * 7.0).floor() as i64);
    let (Some(first), Some(last)) = (day(lo), day(hi)) else {
        return DateAxis {
            labels: scale.ticks.iter().map(|t| t.to_string()).collect(),
            scale,
            desc: "Week",
        };
    };
    let years: Vec<i32> = (first.year..=last.year.saturating_add(1))
        .filter(|&y| inside(x_of(Date::new_year(y))))
        .collect();
    if years.len() >= 2 {
        let step = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]
            .into_iter()
            .find(|s| years.iter().filter(|y| *y % s == 0).count() <= MAX_DATE_TICKS)
            .unwrap_or(1000);
        let kept: Vec<i32> = years.into_iter().filter(|y| y % step == 0).collect();
        return DateAxis {
            scale: Scale {
                lo,
                hi,
                ticks: kept.iter().map(|&y| x_of(Date::new_year(y))).collect(),
            },
            labels: kept.iter().map(|y| y.to_string()).collect(),
            desc: "Year",
        };
    }
    let months: Vec<Date> = (0..=24)
        .filter_map(|i| {
            let m = i64::from(first.month) - 1 + i;
            let year = first.year + (m / 12) as i32;
            Date::parse(&format!("{year:04}-{:02}-01", m % 12 + 1))
        })
        .filter(|d| inside(x_of(*d)))
        .collect();
    if months.len() >= 2 {
        let step = [1, 2, 3, 6]
            .into_iter()
            .find(|s| months.iter().filter(|d| (d.month - 1) % s == 0).count() <= MAX_DATE_TICKS)
            .unwrap_or(6);
        let kept: Vec<Date> = months
            .into_iter()
            .filter(|d| (d.month - 1) % step == 0)
            .collect();
        return DateAxis {
            scale: Scale {
                lo,
                hi,
                ticks: kept.iter().map(|&d| x_of(d)).collect(),
            },
            labels: kept
                .iter()
                .map(|d| format!("{:04}-{:02}", d.year, d.month))
                .collect(),
            desc: "Month",
        };
    }
    DateAxis {
        labels: scale
            .ticks
            .iter()
            .map(|&t| day(t).map(|d| d.to_string()).unwrap_or_default())
            .collect(),
        scale,
        desc: "Date",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_five_year_run_is_ticked_every_year() {
        let s = week_scale(0.0, 259.0);
        assert_eq!(s.ticks, [0.0, 52.0, 104.0, 156.0, 208.0]);
        assert_eq!((s.lo, s.hi), (0.0, 259.0));
    }

    fn date(s: &str) -> Date {
        Date::parse(s).unwrap_or(Date::new_year(1))
    }

    #[test]
    fn a_dated_axis_is_ticked_on_new_year_s_days_and_labelled_with_years() {
        // France-2012: 731 weeks from 1 January 2012, 15 New Year's Days: every other year.
        let start = date("2012-01-01");
        let axis = date_axis(0.0, 731.0, start);
        assert_eq!(axis.desc, "Year");
        assert_eq!(
            axis.labels,
            ["2012", "2014", "2016", "2018", "2020", "2022", "2024", "2026"]
        );
        assert_eq!(axis.scale.ticks[0], 0.0);
        // 2012 is a leap year: 1 January 2014 is 731 days on, 104 weeks and 3 days.
        assert_eq!(axis.scale.ticks[1], 731.0 / 7.0);
        assert_eq!(axis.label(731.0 / 7.0), "2014");
        assert_eq!((axis.scale.lo, axis.scale.hi), (0.0, 731.0));
        // Five years from March: every year, the first tick the next January.
        let start = date("2015-03-01");
        let axis = date_axis(0.0, 260.0, start);
        assert_eq!(axis.labels, ["2016", "2017", "2018", "2019", "2020"]);
        for (t, l) in axis.scale.ticks.iter().zip(&axis.labels) {
            let day = start.plus_days((t * 7.0).round() as i64);
            assert_eq!(
                day.map(|d| (d.month, d.day, d.year.to_string())),
                Some((1, 1, l.clone()))
            );
        }
        // Sixty years: every ten.
        let axis = date_axis(0.0, 60.0 * 52.2, date("2000-01-01"));
        assert_eq!(
            axis.labels,
            ["2000", "2010", "2020", "2030", "2040", "2050", "2060"]
        );
    }

    #[test]
    fn a_dated_run_shorter_than_a_year_is_ticked_on_months() {
        let start = date("2013-02-10");
        let axis = date_axis(0.0, 30.0, start);
        assert_eq!(axis.desc, "Month");
        assert_eq!(axis.labels.first().map(String::as_str), Some("2013-03"));
        assert!(
            axis.labels.len() >= 2 && axis.labels.len() <= 8,
            "{:?}",
            axis.labels
        );
        let axis = date_axis(0.0, 3.0, start);
        assert_eq!(axis.desc, "Date");
        assert_eq!(axis.labels.first().map(String::as_str), Some("2013-02-10"));
    }

    #[test]
    fn a_short_run_gets_finer_ticks() {
        let s = week_scale(0.0, 30.0);
        assert!(s.ticks.len() >= 4 && s.ticks.len() <= 11, "{:?}", s.ticks);
    }

    #[test]
    fn counts_start_at_zero_and_end_on_a_round_tick() {
        let s = value_scale([12.0, 37.0, 81.0], false);
        assert_eq!(s.lo, 0.0);
        assert_eq!(s.hi, 100.0);
        assert_eq!(s.ticks.first(), Some(&0.0));
        assert_eq!(s.ticks.last(), Some(&100.0));
        let s = value_scale([0.0, 1.0], false);
        assert!(
            s.hi > 1.0,
            "a line at the maximum keeps some headroom: {s:?}"
        );
    }

    #[test]
    fn values_far_from_zero_keep_their_spread() {
        let s = value_scale([0.61, 0.64, 0.66], false);
        assert!(s.lo > 0.5 && s.lo <= 0.61, "{s:?}");
        assert!(s.hi >= 0.66 && s.hi <= 0.7, "{s:?}");
    }

    #[test]
    fn a_share_axis_spans_at_least_five_points() {
        let s = value_scale([0.56, 0.575], true);
        assert!(s.hi - s.lo >= 0.05 - 1e-9, "{s:?}");
        assert!(s.lo <= 0.56 && s.hi >= 0.575, "{s:?}");
        let s = value_scale([0.97, 0.99], true);
        assert!(s.hi <= 1.0 && s.lo <= 0.95, "{s:?}");
    }

    #[test]
    fn counts_of_things_are_ticked_at_whole_numbers_from_zero() {
        let s = count_scale([2.0, 3.0]);
        assert_eq!(s.lo, 0.0);
        assert!(s.hi >= 3.0, "{s:?}");
        assert!(s.ticks.iter().all(|t| t.fract() == 0.0), "{s:?}");
        let s = count_scale([0.0, 0.0]);
        assert_eq!(s.ticks, [0.0, 1.0]);
        let s = count_scale([80.0, 112.0]);
        assert!(s.ticks.len() <= 7 && s.hi >= 112.0, "{s:?}");
    }

    #[test]
    fn shares_never_pass_one() {
        let s = value_scale([0.2, 0.97], true);
        assert_eq!(s.hi, 1.0);
        assert_eq!(s.lo, 0.0);
    }

    #[test]
    fn a_flat_series_still_gets_a_range() {
        let s = value_scale([0.0, 0.0], false);
        assert!(s.hi > s.lo && s.lo == 0.0, "{s:?}");
        let s = value_scale([3.0, 3.0], false);
        assert!(s.lo == 0.0 && s.hi > 3.0, "{s:?}");
        let s = value_scale([-3.0, -3.0], false);
        assert!(s.lo < -3.0 && s.hi > -3.0, "{s:?}");
    }
}
