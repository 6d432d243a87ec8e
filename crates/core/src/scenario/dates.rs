//! Dates in scenario files: `start_date` and interventions' `date`, written `"YYYY-MM-DD"`
//! (or as a bare TOML date), and how a dated intervention becomes a week.
//!
//! The calendar rules are [`pluri_schema::date`]'s: week `w` covers the days
//! `start + 7w` to `start + 7w + 6`; an intervention dated `D` applies at the week whose first
//! day is nearest `D`.

use pluri_schema::date::Date;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A date as the file gives it; [`DateText::date`] checks it. A bare TOML date
/// (`start_date = 2012-01-01`) is read as its text, and always written back quoted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateText(pub String);

impl DateText {
    /// The date, or a message saying how to write one.
    pub fn date(&self) -> Result<Date, String> {
        Date::parse(&self.0)
            .filter(|d| (1..=9999).contains(&d.year))
            .ok_or_else(|| {
                format!(
                    "{:?} is not a date: write \"YYYY-MM-DD\" (a year from 1 to 9999, a real day), for example \"2012-01-01\"",
                    self.0
                )
            })
    }
}

impl Serialize for DateText {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for DateText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<DateText, D::Error> {
        use serde::de::Error;
        match toml::Value::deserialize(d)? {
            toml::Value::String(s) => Ok(DateText(s)),
            toml::Value::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
                (Some(date), None, None) => Ok(DateText(date.to_string())),
                _ => Err(D::Error::custom(format!(
                    "{dt} has a time of day: write a date alone, \"YYYY-MM-DD\""
                ))),
            },
            other => Err(D::Error::custom(format!(
                "{other} is not a date: write \"YYYY-MM-DD\", for example \"2012-01-01\""
            ))),
        }
    }
}

/// The week at which an intervention dated `date` applies in a run of `weeks` weeks from
/// `start`, or a message saying where the run's weeks are.
pub fn intervention_week(date: Date, start: Date, weeks: u32) -> Result<u32, String> {
    let week = date.nearest_week(start);
    let day = |w: u32| {
        start
            .week_start(w)
            .map(|d| d.to_string())
            .unwrap_or_default()
    };
    let last = weeks.saturating_sub(1);
    if week < 0 {
        return Err(format!(
            "{date} is before the run: week 0 starts on the scenario's start_date, {start}; \
             date an intervention from {} on (or give week = 0)",
            day(0)
        ));
    }
    u32::try_from(week)
        .ok()
        .filter(|w| *w < weeks)
        .ok_or_else(|| {
            format!(
                "{date} is after the run's last week that an intervention can start: week {last}, from {} (the run ends on {}); date it earlier or lengthen `weeks`",
                day(last),
                start.week_end(last).map(|d| d.to_string()).unwrap_or_default()
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap_or(Date::new_year(1))
    }

    #[test]
    fn a_dated_intervention_lands_on_the_week_that_starts_nearest() {
        let start = d("2012-01-01");
        assert_eq!(intervention_week(d("2012-01-01"), start, 731), Ok(0));
        assert_eq!(intervention_week(d("2017-04-20"), start, 731), Ok(277));
        assert_eq!(intervention_week(d("2022-07-25"), start, 731), Ok(551));
        // The last week, 730, starts on 2025-12-28: up to three days later is still nearest.
        assert_eq!(intervention_week(d("2025-12-31"), start, 731), Ok(730));
        let late = intervention_week(d("2026-01-01"), start, 731).expect_err("after");
        assert!(late.contains("week 730, from 2025-12-28"), "{late}");
        assert!(late.contains("ends on 2026-01-03"), "{late}");
        let early = intervention_week(d("2011-12-28"), start, 731).expect_err("before");
        assert!(early.contains("before the run"), "{early}");
    }

    #[test]
    fn only_real_dates_of_four_digit_years_are_dates() {
        assert!(DateText("2012-01-01".into()).date().is_ok());
        for bad in [
            "2012-02-30",
            "2012/01/01",
            "01-01-2012",
            "0-01-01",
            "10000-01-01",
        ] {
            let e = DateText(bad.into()).date().expect_err(bad);
            assert!(e.contains("YYYY-MM-DD"), "{e}");
        }
    }
}
