//! Calendar dates and simulated weeks: week 0 starts on the calibration's `start_date`.
//!
//! An intervention dated D applies at week `round(days(start, D) / 7)`; the weekly row of
//! week w is the state at the end of that week, `start + 7 (w + 1)` days, so a figure dated D
//! is compared with row `round(days(start, D) / 7) - 1` (row 0 for dates in the first week).

use std::fmt;

/// A day of the proleptic Gregorian calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month, 1 to 12.
    pub month: u32,
    /// Day, 1 to 31.
    pub day: u32,
}

impl Date {
    /// Parses `YYYY-MM-DD`; `None` if it is not a real date.
    pub fn parse(s: &str) -> Option<Date> {
        let mut parts = s.trim().splitn(3, '-');
        let year: i32 = parts.next()?.parse().ok()?;
        let month: u32 = parts.next()?.parse().ok()?;
        let day: u32 = parts.next()?.parse().ok()?;
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days_in_month = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_real_dates_only() {
        assert!(Date::parse("2024-02-29").is_some());
        assert!(Date::parse("2023-02-29").is_none());
        assert!(Date::parse("2023-13-01").is_none());
        assert!(Date::parse("2023-1").is_none());
        assert!(Date::parse("mid-2023").is_none());
    }

    #[test]
    fn weeks_and_rows_follow_the_documented_rule() {
        let start = Date::new_year(2012);
        let d = |s: &str| Date::parse(s).unwrap_or(start);
        assert_eq!(d("1970-01-01").days(), 0);
        assert_eq!(d("2012-01-08").days() - start.days(), 7);
        // The scenario's interventions: 20 April 2017 is week 277, 1 January 2017 week 261.
        assert_eq!(d("2017-04-20").weeks_since(start).round(), 277.0);
        assert_eq!(d("2017-01-01").weeks_since(start).round(), 261.0);
        // 1 January 2023 is 574 weeks on: the end of week 573.
        assert_eq!(d("2023-01-01").row(start), Some(573));
        assert_eq!(d("2012-01-02").row(start), Some(0));
        assert_eq!(d("2011-12-31").row(start), None);
    }
}
