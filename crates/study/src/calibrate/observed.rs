//! Observed tables (`data/observed/*.csv`): public figures with their sources, validated.
//!
//! Columns (`data/observed/README.md`): `indicator, date, value, low, high, kind, unit,
//! publisher, document, published, note`. `value` may be empty when `low` and `high` give a
//! range (then the midpoint is the figure); a range is read as a 95% interval. Every row
//! must name its source (`publisher` and `document`): a row without one is an error naming
//! the file and line.

use super::error::CalibrateError;
use pluri_core::input::{self, quoted, InputError, InputKind};
use pluri_schema::date::Date;
use std::path::Path;

/// Whether a row is scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An observation: scored.
    Observed,
    /// A policy target: drawn on figures, never scored.
    Target,
}

/// One row of an observed table.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    /// Observed quantity.
    pub indicator: String,
    /// Date the figure describes.
    pub date: Date,
    /// The figure (the midpoint of the range when only a range is given).
    pub value: f64,
    /// Range, when sources disagree or the figure is approximate.
    pub range: Option<(f64, f64)>,
    /// Scored or not.
    pub kind: Kind,
    /// Unit.
    pub unit: String,
    /// Publisher, document and publication date, joined.
    pub source: String,
    /// Note.
    pub note: String,
    /// File it comes from.
    pub origin: String,
    /// Its line in that file.
    pub line: usize,
}

impl Observation {
    /// Standard deviation of the observation: a quarter of its range (a 95% interval), or
    /// `rel_sd` × |value| for a point figure.
    pub fn sd(&self, rel_sd: f64) -> f64 {
        match self.range {
            Some((lo, hi)) => (hi - lo) / 4.0,
            None => rel_sd * self.value.abs(),
        }
    }
}

/// Largest observed figure: 10^12, ten thousand times the residents of France; anything
/// larger is a typing error (and would make every implausibility 0).
pub const MAX_OBSERVED: f64 = 1e12;
/// Smallest point figure (a `value` without a range): its standard deviation is a share of it,
/// so a figure of 0 or near it could only be matched exactly; give such a figure as a range.
pub const MIN_POINT: f64 = 1e-6;
/// Narrowest range (`high - low`): a narrower one has a standard deviation that vanishes.
pub const MIN_RANGE_WIDTH: f64 = 1e-9;

const REQUIRED: [&str; 7] = [
    "indicator",
    "date",
    "value",
    "low",
    "high",
    "publisher",
    "document",
];

/// Reads and validates an observed table.
pub fn load(path: &Path) -> Result<Vec<Observation>, CalibrateError> {
    let text = input::read(InputKind::Study, path)?;
    parse(&text, &path.display().to_string())
}

/// Parses and validates table text; `origin` names it in errors.
pub fn parse(text: &str, origin: &str) -> Result<Vec<Observation>, CalibrateError> {
    let err = |line: usize, field: &str, message: String| -> CalibrateError {
        InputError::Invalid {
            origin: origin.to_string(),
            line: Some(line),
            field: field.to_string(),
            message,
        }
        .into()
    };
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| err(1, "header", format!("not a CSV table: {e}")))?
        .clone();
    let col = |name: &str| headers.iter().position(|h| h == name);
    for name in REQUIRED {
        if col(name).is_none() {
            return Err(err(
                1,
                name,
                format!(
                    "missing column; an observed table has the columns {} (see data/observed/README.md)",
                    "indicator, date, value, low, high, kind, unit, publisher, document, published, note"
                ),
            ));
        }
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            err(line, "row", format!("not a CSV row: {e}"))
        })?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let get = |name: &str| {
            col(name)
                .and_then(|i| record.get(i))
                .unwrap_or("")
                .to_string()
        };
        let number = |name: &str| -> Result<Option<f64>, CalibrateError> {
            let s = get(name);
            if s.is_empty() {
                return Ok(None);
            }
            let v = s
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| err(line, name, format!("{} is not a number", quoted(&s))))?;
            if !(0.0..=MAX_OBSERVED).contains(&v) {
                return Err(err(
                    line,
                    name,
                    format!("{v}: an observed count, share or density lies between 0 and {MAX_OBSERVED:e}"),
                ));
            }
            Ok(Some(v))
        };
        let indicator = get("indicator");
        if indicator.is_empty() {
            return Err(err(
                line,
                "indicator",
                "empty: name the observed quantity".into(),
            ));
        }
        for field in ["publisher", "document"] {
            if get(field).is_empty() {
                return Err(err(
                    line,
                    field,
                    format!("{}: no source: every figure needs its publisher and document (and the date published); a figure without a source cannot be used", quoted(&indicator)),
                ));
            }
        }
        let date_text = get("date");
        let date = Date::parse(&date_text).ok_or_else(|| {
            err(line, "date", format!("{} is not a date: write YYYY-MM-DD (a figure for a year: its middle, said in `note`)", quoted(&date_text)))
        })?;
        let range = match (number("low")?, number("high")?) {
            (Some(lo), Some(hi)) if lo < hi && hi - lo < MIN_RANGE_WIDTH => {
                return Err(err(
                    line,
                    "high",
                    format!("the range {lo} to {hi} is narrower than {MIN_RANGE_WIDTH:e}: widen it to what the figure's uncertainty is"),
                ))
            }
            (Some(lo), Some(hi)) if lo == hi => {
                return Err(err(
                    line,
                    "high",
                    format!("the range {lo} to {hi} is empty: give the figure as `value` with empty low and high, or a range as wide as its uncertainty"),
                ))
            }
            (Some(lo), Some(hi)) if lo <= hi => Some((lo, hi)),
            (Some(lo), Some(hi)) => {
                return Err(err(
                    line,
                    "low",
                    format!("low {lo} is above high {hi}: swap them"),
                ))
            }
            (None, None) => None,
            _ => {
                return Err(err(
                    line,
                    "low",
                    "give both low and high, or neither".into(),
                ))
            }
        };
        let value = match (number("value")?, range) {
            (Some(v), Some((lo, hi))) if v < lo || v > hi => {
                return Err(err(
                    line,
                    "value",
                    format!("{v} lies outside its range {lo} to {hi}"),
                ))
            }
            (Some(v), None) if v < MIN_POINT => {
                return Err(err(
                    line,
                    "value",
                    format!("{v} without a range: a point figure is matched within a share of itself, so one below {MIN_POINT:e} (0 included) can only be matched exactly; give it as a range with low and high"),
                ))
            }
            (Some(v), _) => v,
            (None, Some((lo, hi))) => (lo + hi) / 2.0,
            (None, None) => {
                return Err(err(
                    line,
                    "value",
                    "empty: give a value, or a range (low and high)".into(),
                ))
            }
        };
        let kind = match get("kind").as_str() {
            "" | "observed" => Kind::Observed,
            "target" => Kind::Target,
            other => {
                return Err(err(
                    line,
                    "kind",
                    format!("{}: use observed or target", quoted(other)),
                ))
            }
        };
        let source = [get("publisher"), get("document"), get("published")]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("; ");
        rows.push(Observation {
            indicator,
            date,
            value,
            range,
            kind,
            unit: get("unit"),
            source,
            note: get("note"),
            origin: origin.to_string(),
            line,
        });
    }
    if rows.is_empty() {
        return Err(err(1, "row", "the table has no rows".into()));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str =
        "indicator,date,value,low,high,kind,unit,publisher,document,published,note\n";

    #[test]
    fn a_range_without_a_value_is_read_at_its_midpoint_with_a_quarter_range_sd() {
        let t = format!(
            "{HEAD}msps,2012-12-31,,174,284,observed,count,DGOS,counts,2013,two definitions\n"
        );
        let rows = parse(&t, "t.csv").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(rows[0].value, 229.0);
        assert_eq!(rows[0].sd(0.1), 27.5);
        assert_eq!(rows[0].line, 2);
    }

    #[test]
    fn a_row_without_a_source_is_refused_with_its_file_and_line() {
        let t = format!("{HEAD}msps,2022-12-31,2251,,,observed,count,DGOS,doc,2023,\nmsps,2025-01-01,2758,,,observed,count,,,2025,\n");
        let e = parse(&t, "data/x.csv")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.starts_with("data/x.csv:3: `publisher`"), "{e}");
        assert!(e.contains("no source"), "{e}");
    }

    #[test]
    fn bad_dates_numbers_and_ranges_name_their_column() {
        let cases = [
            ("msps,2022,1,,,observed,c,P,D,,", "`date`"),
            ("msps,2022-01-01,lots,,,observed,c,P,D,,", "`value`"),
            ("msps,2022-01-01,,5,1,observed,c,P,D,,", "`low`"),
            ("msps,2022-01-01,9,1,5,observed,c,P,D,,", "`value`"),
            ("msps,2022-01-01,,1,,observed,c,P,D,,", "`low`"),
            ("msps,2022-01-01,1,,,guess,c,P,D,,", "`kind`"),
        ];
        for (row, field) in cases {
            let e = parse(&format!("{HEAD}{row}\n"), "t.csv")
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(e.starts_with(&format!("t.csv:2: {field}")), "{row}: {e}");
        }
        let e = parse("indicator,date,value\n", "t.csv")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("missing column"), "{e}");
    }

    #[test]
    fn absurd_observed_figures_are_refused_with_their_line_and_column() {
        let cases = [
            ("msps,2022-01-01,1e308,,,observed,c,P,D,,", "`value`"),
            ("msps,2022-01-01,0,,,observed,c,P,D,,", "`value`"),
            ("msps,2022-01-01,1e-320,,,observed,c,P,D,,", "`value`"),
            ("msps,2022-01-01,-5,,,observed,c,P,D,,", "`value`"),
            ("msps,2022-01-01,,-3,4,observed,c,P,D,,", "`low`"),
            ("msps,2022-01-01,,0,1e-320,observed,c,P,D,,", "`high`"),
            ("msps,2022-01-01,,2,2,observed,c,P,D,,", "`high`"),
        ];
        for (row, field) in cases {
            let e = parse(&format!("{HEAD}{row}\n"), "t.csv")
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(e.starts_with(&format!("t.csv:2: {field}")), "{row}: {e}");
        }
        // A figure of 0 is given as a range.
        assert!(parse(
            &format!("{HEAD}msps,2022-01-01,,0,2,observed,c,P,D,,\n"),
            "t.csv"
        )
        .is_ok());
    }

    #[test]
    fn huge_fields_are_quoted_short_in_errors() {
        let huge = "x".repeat(100_000);
        for row in [
            format!("{huge},2022-01-01,1,,,observed,c,,D,,"),
            format!("msps,{huge},1,,,observed,c,P,D,,"),
            format!("msps,2022-01-01,1,,,{huge},c,P,D,,"),
        ] {
            let e = parse(&format!("{HEAD}{row}\n"), "t.csv")
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            // Was the whole field: 100 kB of message.
            assert!(e.starts_with("t.csv:2: `") && e.len() < 500, "{}", e.len());
        }
    }

    #[test]
    fn the_shipped_tables_load() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/observed");
        for name in ["msps.csv", "gps.csv", "without_gp.csv"] {
            let rows = load(&dir.join(name)).unwrap_or_else(|e| panic!("{e}"));
            assert!(rows.iter().all(|r| !r.source.is_empty()));
        }
    }
}
