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
fn a_date_three_days_after_a_week_start_applies_at_that_week_and_four_days_after_at_the_next() {
    let top = "start_date = \"2012-01-01\"";
    // Week 1 starts on Sunday 8 January 2012, week 2 on the 15th.
    for (date, week) in [
        ("2012-01-08", 1),
        ("2012-01-11", 1),
        ("2012-01-12", 2),
        ("2012-01-05", 1),
        ("2012-01-04", 0),
    ] {
        let s = scenario(top, 10, &iv(&format!("date = \"{date}\""))).expect(date);
        assert_eq!(s.interventions()[0].week, week, "{date}");
        let r = pluri::simulate(&s);
        assert_eq!(r.interventions[0].week, week, "{date}");
        // Recorded with the first day of the week it applied at, not the date it was given.
        let first_day = d("2012-01-01").week_start(week);
        assert_eq!(r.interventions[0].date, first_day, "{date}");
    }
}

#[test]
fn bad_dates_are_refused_with_their_file_line_and_field() {
    let e = scenario("start_date = \"2013-02-29\"", 10, "").expect_err("no such day");
    assert!(e.contains("t.toml:4: `start_date`"), "{e}");
    assert!(e.contains("YYYY-MM-DD"), "{e}");
    let top = "start_date = \"2012-01-01\"";
    // Interventions start at line 11 (4 top lines, 6 of the zone): the date is on line 13.
    // Ten weeks: the last, week 9, starts on 4 March 2012.
    for (top, when, line, says) in [
        (top, "date = \"2012-01-01T10:00:00\"", 13, "not a date"),
        (top, "date = \"2011-12-28\"", 13, "before the run"),
        (
            top,
            "date = \"2012-03-08\"",
            13,
            "after the run's last week",
        ),
        (
            top,
            "week = 2\ndate = \"2012-01-08\"",
            14,
            "both week and date",
        ),
        (
            "",
            "date = \"2012-01-08\"",
            13,
            "needs the scenario's start_date",
        ),
    ] {
        let e = scenario(top, 10, &iv(when)).expect_err(when);
        let at = format!("t.toml:{line}: `interventions.p.date`");
        assert!(e.contains(&at), "{when}: {e}");
        assert!(e.contains(says), "{when}: {e}");
    }
    // The last day that still rounds to week 9 is accepted; the week after the run is not.
    let last = scenario(top, 10, &iv("date = \"2012-03-07\"")).expect("week 9");
    assert_eq!(last.interventions()[0].week, 9);
    let e = scenario(top, 10, &iv("week = 10")).expect_err("week 10");
    assert!(e.contains("t.toml:13: `interventions.p.week`"), "{e}");
    // Neither: the error names the intervention's `week` at its `[[interventions]]` line.
    for top in [top, ""] {
        let e = scenario(top, 10, &iv("")).expect_err("no week");
        assert!(e.contains("t.toml:11: `interventions.p.week`"), "{e}");
        assert!(e.contains("no week or date"), "{e}");
    }
    let e = scenario("start_date = 2012-01-01T00:00:00", 10, "").expect_err("a time");
    assert!(
        e.contains("t.toml") && e.contains("line 4") && e.contains("time of day"),
        "{e}"
    );
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

/// The rows of a CSV file: its header, then each line split on commas (no field of the
/// run files read here holds a comma).
fn table(path: &std::path::Path) -> Vec<Vec<String>> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

/// `text` without its `date` column (the second), and whether it had one.
fn without_date_column(text: &str) -> (String, bool) {
    let dated = text.starts_with("week,date,");
    let lines: Vec<String> = text
        .lines()
        .map(|l| {
            let mut f: Vec<&str> = l.split(',').collect();
            if dated {
                f.remove(1);
            }
            f.join(",")
        })
        .collect();
    (lines.join("\n") + "\n", dated)
}

#[test]
fn a_dated_run_s_files_carry_dates_and_are_otherwise_those_of_the_undated_run() {
    let root = tempfile::tempdir().expect("tempdir");
    let rest = iv("week = 3") + "[[interventions]]\nname = \"q\"\ndate = \"2012-02-16\"\naction = \"train_coordinators\"\ntarget_kind = \"solo\"\n";
    let dated = scenario("start_date = \"2012-01-01\"", 12, &rest).expect("valid");
    // The same scenario undated: the dated intervention (week 7) given by its week.
    let undated =
        scenario("", 12, &rest.replace("date = \"2012-02-16\"", "week = 7")).expect("valid");
    let write = |name: &str, s: &Scenario| {
        pluri::write_run(&root.path().join(name), s, &pluri::simulate(s), false).expect("written")
    };
    let (dated_dir, undated_dir) = (write("dated", &dated), write("undated", &undated));

    let weekly = table(&dated_dir.join("weekly.csv"));
    assert_eq!(weekly[0][..3], ["week", "date", "residents"]);
    // Rows carry the last day of their week: week 0 ends on 7 January.
    assert_eq!(weekly[1][..2], ["0", "2012-01-07"]);
    assert_eq!(weekly[12][..2], ["11", "2012-03-24"]);
    let by_type = table(&dated_dir.join("by_structure_type.csv"));
    assert_eq!(by_type[0][..3], ["week", "date", "structure_type"]);
    assert!(by_type.len() > 12);
    for row in &by_type[1..] {
        let week: u32 = row[0].parse().expect("a week");
        let end = d("2012-01-01").week_end(week).expect("a day");
        assert_eq!(row[1], end.to_string());
    }
    // Interventions carry the first day of the week they applied at.
    let ivs = table(&dated_dir.join("interventions.csv"));
    assert_eq!(ivs[0][..3], ["week", "date", "name"]);
    assert_eq!(ivs[1][..3], ["3", "2012-01-22", "p"]);
    assert_eq!(ivs[2][..3], ["7", "2012-02-19", "q"]);

    for file in ["weekly.csv", "by_structure_type.csv", "interventions.csv"] {
        let read = |dir: &std::path::Path| std::fs::read_to_string(dir.join(file)).expect(file);
        let (plain, had) = without_date_column(&read(&undated_dir));
        assert!(!had, "{file}: an undated run has no date column");
        let (stripped, had) = without_date_column(&read(&dated_dir));
        assert!(had, "{file}: a dated run has a date column");
        assert_eq!(stripped, plain, "{file}: differs beyond its date column");
    }
    for file in ["zones.csv", "structures.csv", "ties.csv"] {
        let read = |dir: &std::path::Path| std::fs::read(dir.join(file)).expect(file);
        assert_eq!(read(&dated_dir), read(&undated_dir), "{file}");
    }

    let summary = |dir: &std::path::Path| -> serde_json::Value {
        let text = std::fs::read_to_string(dir.join("summary.json")).expect("summary");
        serde_json::from_str(&text).expect("json")
    };
    let (mut with, without) = (summary(&dated_dir), summary(&undated_dir));
    assert_eq!(with["start_date"], "2012-01-01");
    assert!(without.get("start_date").is_none(), "{without}");
    // Beyond its start date and the scenario's hash, the summary is the same.
    let map = with.as_object_mut().expect("an object");
    map.remove("start_date");
    map.insert("scenario_hash".into(), without["scenario_hash"].clone());
    assert_eq!(with, without);
}

#[test]
fn set_start_date_on_the_command_line_moves_dated_interventions() {
    let root = tempfile::tempdir().expect("tempdir");
    let file = root.path().join("t.toml");
    let text = format!(
        "name = \"t\"\nweeks = 12\nwarmup_weeks = 0\nstart_date = \"2012-01-01\"\n{ZONE}{}",
        iv("date = \"2012-02-16\"")
    );
    std::fs::write(&file, text).expect("written");
    let run = |out: &str, sets: &[&str]| -> Vec<Vec<String>> {
        let mut cmd = assert_cmd::Command::cargo_bin("pluri").expect("binary");
        cmd.args(["-q", "run"]).arg(&file).arg("--no-plots");
        for s in sets {
            cmd.args(["--set", s]);
        }
        cmd.arg("--out")
            .arg(root.path().join(out))
            .assert()
            .success();
        table(&root.path().join(out).join("interventions.csv"))
    };
    let ivs = run("as-written", &[]);
    assert_eq!(ivs[1][..3], ["7", "2012-02-19", "p"]);
    // Four weeks later, the same date is four weeks nearer the start.
    let ivs = run("later", &["start_date=2012-01-29"]);
    assert_eq!(ivs[1][..3], ["3", "2012-02-19", "p"]);
    let weekly = table(&root.path().join("later/weekly.csv"));
    assert_eq!(weekly[1][..2], ["0", "2012-02-04"]);
    // A start after the date leaves it before the run: refused, naming the intervention.
    let mut cmd = assert_cmd::Command::cargo_bin("pluri").expect("binary");
    let out = cmd
        .args(["-q", "run"])
        .arg(&file)
        .args(["--no-plots", "--set", "start_date=2012-03-01"])
        .arg("--out")
        .arg(root.path().join("too-late"))
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        err.contains("`interventions.p.date`") && err.contains("before the run"),
        "{err}"
    );
}
