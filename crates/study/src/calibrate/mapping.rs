//! How simulated weekly indicators map onto observed ones: the columns every run records
//! and the observations scored against them.

use super::error::CalibrateError;
use super::observed::{Kind, Observation};
use super::raw::{Ctx, RawCalibration};
use pluri_core::input::InputError;
use pluri_core::Scenario;
use pluri_core::WeeklyRecord;
use pluri_schema::date::Date;

/// How a simulated weekly column maps onto an observed indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorMap {
    /// Indicator name in the observed tables.
    pub observed: String,
    /// weekly.csv column.
    pub simulated: String,
    /// When set, the simulated value is multiplied by this / simulated residents.
    pub per_residents: Option<f64>,
}

/// A value every run records: an indicator at a weekly row.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Record name, `<observed indicator>@<date>`.
    pub name: String,
    /// Index into `Calibration::indicators`.
    pub indicator: usize,
    /// Date it stands for.
    pub date: Date,
    /// Weekly row read.
    pub row: u32,
}

/// An observation that is scored, with the column it is compared with.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// The observation.
    pub obs: Observation,
    /// Index into `Calibration::columns`.
    pub column: usize,
}

/// The numeric columns of weekly.csv, in order.
pub fn weekly_columns() -> Vec<String> {
    match serde_json::to_value(WeeklyRecord::default()) {
        Ok(serde_json::Value::Object(m)) => m.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

pub(super) type Mapped = (Vec<IndicatorMap>, Vec<Column>, Vec<Target>);

pub(super) fn map_indicators(
    raw: &RawCalibration,
    ctx: &Ctx,
    base: &Scenario,
    start: Date,
    observations: &[Observation],
) -> Result<Mapped, CalibrateError> {
    if raw.indicators.is_empty() {
        return Err(ctx.err(
            raw.observed.span(),
            "indicator",
            "no indicator is mapped: add [[indicator]] entries with `observed` and `simulated`"
                .into(),
        ));
    }
    let weekly = weekly_columns();
    let mut known: Vec<&str> = observations.iter().map(|o| o.indicator.as_str()).collect();
    known.sort_unstable();
    known.dedup();
    let last_row = base.weeks().saturating_sub(1);
    let mut maps: Vec<IndicatorMap> = Vec::new();
    let mut columns: Vec<Column> = Vec::new();
    let mut targets = Vec::new();
    for ind in &raw.indicators {
        let r = ind.get_ref();
        let obs_name = r.observed.get_ref().trim().to_string();
        if !known.contains(&obs_name.as_str()) {
            return Err(ctx.err(
                r.observed.span(),
                "indicator.observed",
                format!(
                    "unknown indicator {obs_name:?}: the observed tables have {}",
                    known
                        .iter()
                        .map(|k| pluri_core::input::quoted(k))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        if maps.iter().any(|m| m.observed == obs_name) {
            return Err(ctx.err(
                r.observed.span(),
                "indicator.observed",
                format!("{obs_name:?} is mapped twice: keep one entry"),
            ));
        }
        let sim = r.simulated.get_ref().trim().to_string();
        if sim == "week" || !weekly.contains(&sim) {
            return Err(ctx.err(
                r.simulated.span(),
                "indicator.simulated",
                format!(
                    "unknown simulated indicator {sim:?}: use a weekly.csv column ({})",
                    weekly
                        .iter()
                        .filter(|c| *c != "week")
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        if let Some(p) = &r.per_residents {
            if !(p.get_ref().is_finite() && *p.get_ref() > 0.0) {
                return Err(ctx.err(
                    p.span(),
                    "indicator.per_residents",
                    "must be above 0 (for example 100000 for a rate per 100,000 residents)".into(),
                ));
            }
        }
        let index = maps.len();
        maps.push(IndicatorMap {
            observed: obs_name.clone(),
            simulated: sim,
            per_residents: r.per_residents.as_ref().map(|p| *p.get_ref()),
        });
        // Every scored date of this indicator, and each 1 January of the run (for figures).
        let mut dates: Vec<Date> = Vec::new();
        for o in observations
            .iter()
            .filter(|o| o.indicator == obs_name && o.kind == Kind::Observed)
        {
            let fits = o.date.row(start).is_some_and(|row| row <= last_row);
            if !fits {
                return Err(InputError::Invalid {
                    origin: o.origin.clone(),
                    line: Some(o.line),
                    field: "date".into(),
                    message: format!("{} on {} falls outside the simulated weeks ({} to the end of week {last_row}, from {start} as calibration start_date): lengthen the scenario's `weeks` or leave this table out", o.indicator, o.date, Date::new_year(start.year)),
                }
                .into());
            }
            dates.push(o.date);
        }
        let first = start.year + i32::from(start.month > 1 || start.day > 1);
        dates.extend(
            (first..)
                .map(Date::new_year)
                .take_while(|d| d.row(start).is_some_and(|r| r <= last_row)),
        );
        dates.sort_unstable();
        dates.dedup();
        for date in dates {
            columns.push(Column {
                name: format!("{obs_name}@{date}"),
                indicator: index,
                date,
                row: date.row(start).unwrap_or(0),
            });
        }
        for o in observations
            .iter()
            .filter(|o| o.indicator == obs_name && o.kind == Kind::Observed)
        {
            if let Some(c) = columns
                .iter()
                .position(|c| c.indicator == index && c.date == o.date)
            {
                targets.push(Target {
                    obs: o.clone(),
                    column: c,
                });
            }
        }
    }
    Ok((maps, columns, targets))
}
