//! Calendar dates and pluri's weeks: a scenario's `start_date` is the first day of week 0.
//!
//! The rules, used by the scenario (dated interventions), the run files (`date` columns),
//! the figures (year axes) and the calibration (observed figures):
//! - week `w` covers the days `start + 7w` to `start + 7w + 6` ([`Date::week_start`],
//!   [`Date::week_end`]); the warm-up weeks come before `start`;
//! - a weekly row describes the state at the end of its week, so its date is the week's last
//!   day ([`Date::week_end`]);
//! - an intervention dated `D` applies at the week whose first day is nearest `D`,
//!   `round(days(start, D) / 7)`, before that week's step ([`Date::nearest_week`]): at most
//!   three days early or late;
//! - a figure dated `D` (a state on that day) is compared with the row that ends nearest
//!   before it, `round(days(start, D) / 7) - 1` ([`Date::row`]).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A day of the proleptic Gregorian calendar, written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month, 1 to 12.
    pub month: u32,
    /// Day, 1 to 31.
    pub day: u32,
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

impl Date {
    /// Parses `YYYY-MM-DD`; `None` if it is not a real date.
    pub fn parse(s: &str) -> Option<Date> {
        let mut parts = s.trim().splitn(3, '-');
        let year: i32 = parts.next()?.parse().ok()?;
        let month: u32 = parts.next()?.parse().ok()?;
        let day: u32 = parts.next()?.parse().ok()?;
        let days_in_month = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if is_leap(year) => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days_in_month)
            .contains(&day)
            .then_some(Date { year, month, day })
    }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    pub fn days(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01 (Howard Hinnant's civil_from_days), or `None`
    /// outside the years an `i32` holds.
    pub fn from_days(days: i64) -> Option<Date> {
        let z = days.checked_add(719_468)?;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i64::from(month <= 2);
        Some(Date {
            year: i32::try_from(year).ok()?,
            month,
            day,
        })
    }

    /// The date `n` days later (earlier if negative), or `None` outside the years an `i32`
    /// holds.
    pub fn plus_days(self, n: i64) -> Option<Date> {
        Date::from_days(self.days().checked_add(n)?)
    }

    /// The first day of `year`.
    pub fn new_year(year: i32) -> Date {
        Date {
            year,
            month: 1,
            day: 1,
        }
    }

    /// Weeks (fractional) from `start` to `self`.
    pub fn weeks_since(self, start: Date) -> f64 {
        (self.days() - start.days()) as f64 / 7.0
    }

    /// The first day of week `week` when week 0 starts on `self`.
    pub fn week_start(self, week: u32) -> Option<Date> {
        self.plus_days(7 * i64::from(week))
    }

    /// The last day of week `week` when week 0 starts on `self`: the date of its weekly row.
    pub fn week_end(self, week: u32) -> Option<Date> {
        self.plus_days(7 * i64::from(week) + 6)
    }

    /// The week whose first day is nearest `self` when week 0 starts on `start`, the week at
    /// which an intervention dated `self` applies (negative before `start`; `start` - 3 days
    /// and later round to week 0). Days are whole, so there are no ties.
    pub fn nearest_week(self, start: Date) -> i64 {
        (self.days() - start.days() + 3).div_euclid(7)
    }

    /// The weekly row that describes `self` when week 0 starts on `start`; `None` before `start`.
    pub fn row(self, start: Date) -> Option<u32> {
        let w = self.weeks_since(start);
        (w >= 0.0).then(|| (w.round() as u32).saturating_sub(1))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(d)?;
        Date::parse(&text).ok_or_else(|| {
            serde::de::Error::invalid_value(
                serde::de::Unexpected::Str(&text),
                &"a date written YYYY-MM-DD",
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap_or(Date::new_year(0))
    }

    #[test]
    fn parses_real_dates_only() {
        assert!(Date::parse("2024-02-29").is_some());
        assert!(Date::parse("2000-02-29").is_some());
        assert!(Date::parse("1900-02-29").is_none());
        assert!(Date::parse("2023-02-29").is_none());
        assert!(Date::parse("2023-13-01").is_none());
        assert!(Date::parse("2023-04-31").is_none());
        assert!(Date::parse("2023-1").is_none());
        assert!(Date::parse("mid-2023").is_none());
    }

    #[test]
    fn days_and_dates_convert_both_ways() {
        assert_eq!(d("1970-01-01").days(), 0);
        assert_eq!(d("2012-01-08").days() - d("2012-01-01").days(), 7);
        for s in [
            "1970-01-01",
            "1600-03-01",
            "2000-02-29",
            "2012-12-31",
            "2100-03-01",
        ] {
            assert_eq!(Date::from_days(d(s).days()), Some(d(s)), "{s}");
        }
        for n in (-700_000..2_900_000).step_by(997) {
            let date = Date::from_days(n).expect("in range");
            assert_eq!(date.days(), n);
            assert_eq!(Date::parse(&date.to_string()), Some(date));
        }
        assert_eq!(d("2016-02-28").plus_days(1), Some(d("2016-02-29")));
        assert_eq!(d("2015-02-28").plus_days(1), Some(d("2015-03-01")));
        assert_eq!(d("2012-12-31").plus_days(1), Some(d("2013-01-01")));
    }

    #[test]
    fn a_week_covers_seven_days_from_its_start_across_leap_years() {
        let start = d("2012-01-01");
        assert_eq!(start.week_start(0), Some(start));
        assert_eq!(start.week_end(0), Some(d("2012-01-07")));
        // 2012 is a leap year: 52 weeks are 364 days, so week 52 starts on 30 December.
        assert_eq!(start.week_start(52), Some(d("2012-12-30")));
        assert_eq!(start.week_end(52), Some(d("2013-01-05")));
        let start = d("2015-03-01");
        assert_eq!(start.week_end(52), Some(d("2016-03-05")));
        assert_eq!(d("2023-12-31").week_end(0), Some(d("2024-01-06")));
    }

    #[test]
    fn an_intervention_applies_at_the_week_whose_start_is_nearest() {
        let start = d("2012-01-01");
        // France-2012's policies.
        assert_eq!(d("2017-04-20").nearest_week(start), 277);
        assert_eq!(d("2017-01-01").nearest_week(start), 261);
        assert_eq!(d("2016-09-01").nearest_week(start), 244);
        assert_eq!(d("2014-09-01").nearest_week(start), 139);
        // Three days on rounds down, four rounds up; three days before rounds to week 0.
        assert_eq!(d("2012-01-04").nearest_week(start), 0);
        assert_eq!(d("2012-01-05").nearest_week(start), 1);
        assert_eq!(d("2011-12-29").nearest_week(start), 0);
        assert_eq!(d("2011-12-28").nearest_week(start), -1);
    }

    #[test]
    fn rows_follow_the_documented_rule() {
        let start = d("2012-01-01");
        // 1 January 2023 is 574 weeks on: the end of week 573.
        assert_eq!(d("2023-01-01").row(start), Some(573));
        assert_eq!(start.week_end(573), Some(d("2022-12-31")));
        assert_eq!(d("2012-01-02").row(start), Some(0));
        assert_eq!(d("2011-12-31").row(start), None);
    }

    #[test]
    fn a_date_is_written_as_text_and_read_back() {
        #[derive(Debug, PartialEq, Serialize, Deserialize)]
        struct Row {
            date: Date,
        }
        let row = Row {
            date: d("0987-06-05"),
        };
        let mut w = csv::Writer::from_writer(Vec::new());
        w.serialize(&row).expect("in memory");
        let text = String::from_utf8(w.into_inner().expect("in memory")).expect("UTF-8");
        assert_eq!(text, "date\n0987-06-05\n");
        let back: Row = csv::Reader::from_reader(text.as_bytes())
            .deserialize()
            .next()
            .expect("a row")
            .expect("a date");
        assert_eq!(back, row);
        let bad = csv::Reader::from_reader("date\n2023-02-29\n".as_bytes())
            .deserialize::<Row>()
            .next()
            .expect("a row");
        assert!(bad.is_err());
    }
}
