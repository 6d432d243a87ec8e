//! Dated scenarios: `start_date`, interventions given a `date`, the `date` columns of a run's
//! files and `start_date` in its summary, `--set` on dates.

use pluri::results::Date;
use pluri::Scenario;

fn d(s: &str) -> Date {
    Date::parse(s).expect("a date")
}

const ZONE: &str =
    "[[zones]]\nname = \"a\"\npopulation = 400\nrurality = \"rural\"\nx_km = 0\ny_km = 0\n";

/// A one-zone scenario of `weeks` weeks with `top` at the top and `rest` after the zone.
fn scenario(top: &str, weeks: u32, rest: &str) -> Result<Scenario, String> {
    let text = format!("name = \"t\"\nweeks = {weeks}\nwarmup_weeks = 0\n{top}\n{ZONE}{rest}");
    Scenario::from_toml_str(&text, "t.toml").map_err(|e| e.to_string())
}

/// An intervention named `p`, applied `when` (`week = N` or `date = "..."`).
fn iv(when: &str) -> String {
    format!("[[interventions]]\nname = \"p\"\n{when}\naction = \"set_parameter\"\npath = \"structural.msp_incentive\"\nvalue = 2.0\n")
}

#[test]
fn rows_of_a_dated_scenario_carry_the_last_day_of_their_week() {
    let s = scenario("start_date = \"2012-01-01\"", 53, "").expect("valid");
    assert_eq!(s.start_date(), Some(d("2012-01-01")));
    let r = pluri::simulate(&s);
    assert_eq!(r.weekly[0].date, Some(d("2012-01-07")));
    // 2012 has 366 days: week 52 runs from 30 December to 5 January.
    assert_eq!(r.weekly[52].date, Some(d("2013-01-05")));
    assert!(r.by_structure_type.iter().all(|row| row.date.is_some()));
    let last = r.by_structure_type.last().map(|row| (row.week, row.date));
    assert_eq!(last, Some((52, Some(d("2013-01-05")))));
    let undated = scenario("", 3, "").expect("valid");
    let r = pluri::simulate(&undated);
    assert!(r.weekly.iter().all(|w| w.date.is_none()));
    assert!(r.by_structure_type.iter().all(|w| w.date.is_none()));
}

#[test]
fn an_intervention_by_date_applies_at_its_week_and_is_recorded_with_that_week_s_first_day() {
    let s = scenario("start_date = 2016-02-01", 60, &iv("date = \"2017-01-03\""))
        .expect("a bare TOML date is a date");
    // 2016 is a leap year: week 48 starts on 2017-01-02, a day before the date.
    assert_eq!(s.interventions()[0].week, 48);
    let r = pluri::simulate(&s);
    assert_eq!(r.interventions[0].week, 48);
    assert_eq!(r.interventions[0].date, Some(d("2017-01-02")));
    assert!(s
        .to_commented_toml()
        .contains("start_date = \"2016-02-01\""));
    let by_week = scenario("start_date = \"2016-02-01\"", 60, &iv("week = 48")).expect("valid");
    assert_eq!(by_week.interventions()[0].week, 48);
}

#[test]
fn bad_dates_are_refused_with_their_line_and_field() {
    let e = scenario("start_date = \"2013-02-29\"", 10, "").expect_err("no such day");
    assert!(e.contains("t.toml:4") && e.contains("`start_date`"), "{e}");
    assert!(e.contains("YYYY-MM-DD"), "{e}");
    let top = "start_date = \"2012-01-01\"";
    // Interventions start at line 11 (4 top lines, 6 of the zone): the date is on line 13.
    for (when, line, says) in [
        ("date = \"2012-01-01T10:00:00\"", 13, "not a date"),
        ("date = \"2011-12-01\"", 13, "before the run"),
        ("date = \"2012-03-15\"", 13, "after the run's last week"),
        ("week = 2\ndate = \"2012-01-08\"", 14, "both week and date"),
    ] {
        let e = scenario(top, 10, &iv(when)).expect_err(when);
        let at = format!("t.toml:{line}: `interventions.p.date`");
        assert!(e.contains(&at), "{when}: {e}");
        assert!(e.contains(says), "{when}: {e}");
    }
    let e = scenario("", 10, &iv("date = \"2012-01-08\"")).expect_err("undated");
    assert!(e.contains("needs the scenario's start_date"), "{e}");
    let e = scenario(top, 10, &iv("")).expect_err("no week");
    assert!(
        e.contains("`interventions.p.week`") && e.contains("no week or date"),
        "{e}"
    );
    let e = scenario("start_date = 2012-01-01T00:00:00", 10, "").expect_err("a time");
    assert!(e.contains("time of day"), "{e}");
}

#[test]
fn set_dates_a_scenario_and_a_week_replaces_a_date() {
    let s = scenario("", 60, &iv("week = 3")).expect("valid");
    let dated = s
        .with_sets(&["start_date=2016-02-01", "interventions.p.date=2017-01-03"])
        .expect("dated by --set");
    assert_eq!(dated.start_date(), Some(d("2016-02-01")));
    assert_eq!(dated.interventions()[0].week, 48);
    let back = dated
        .with_sets(&["interventions.p.week=5"])
        .expect("a week replaces the date");
    assert_eq!(back.interventions()[0].week, 5);
    // Moving the start moves a dated intervention's week.
    let later = dated.with_sets(&["start_date=2016-03-01"]).expect("valid");
    assert_eq!(later.interventions()[0].week, 44);
    let shorter = dated.with_horizon(40).expect("dropped");
    assert!(shorter.interventions().is_empty());
}
