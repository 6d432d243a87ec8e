//! A sweep's tables as Arrow record batches: `runs` and `points` (the columns of `runs.csv`
//! and `points.csv`, see `pluri_schema::sweep`), and the weekly series of its runs.
//!
//! Columns: `run`, `point`, `seed` and `n` are UInt64, `replicate` UInt32; a parameter's
//! column is Int64, Float64, Boolean or Utf8 as its values are ([`ParamType`]); indicators
//! and their statistics are Float64, null where the CSV cell is empty (a value that is not
//! finite, an interval of fewer than two replicates). The weekly series has `run`, `point`,
//! `replicate` and `seed`, then the columns of `weekly.csv`.

use crate::error::ColumnarError;
use crate::rows::RowColumns;
use arrow_array::builder::{
    BooleanBuilder, Float64Builder, Int64Builder, StringBuilder, UInt32Builder, UInt64Builder,
};
use arrow_array::{ArrayRef, RecordBatch, UInt32Array, UInt64Array};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use pluri_schema::run::WeeklyRecord;
use pluri_schema::sweep::{
    point_column, POINT_COLUMN, POINT_STATS, REPLICATES_COLUMN, RUN_COLUMNS,
};
use std::sync::Arc;

/// The Arrow type of a varied parameter's column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ParamType {
    /// Whole numbers (Int64).
    Int,
    /// Numbers (Float64); whole values among them are widened.
    Float,
    /// Booleans.
    Bool,
    /// Text (Utf8): anything else, as the CSV cell writes it.
    Text,
}

impl ParamType {
    fn data_type(self) -> DataType {
        match self {
            ParamType::Int => DataType::Int64,
            ParamType::Float => DataType::Float64,
            ParamType::Bool => DataType::Boolean,
            ParamType::Text => DataType::Utf8,
        }
    }
}

/// A parameter's column being filled.
enum ParamBuilder {
    Int(Int64Builder),
    Float(Float64Builder),
    Bool(BooleanBuilder),
    Text(StringBuilder),
}

impl ParamBuilder {
    fn new(t: ParamType) -> ParamBuilder {
        match t {
            ParamType::Int => ParamBuilder::Int(Int64Builder::new()),
            ParamType::Float => ParamBuilder::Float(Float64Builder::new()),
            ParamType::Bool => ParamBuilder::Bool(BooleanBuilder::new()),
            ParamType::Text => ParamBuilder::Text(StringBuilder::new()),
        }
    }

    /// Appends `v`; false if it is not of the column's type.
    fn push(&mut self, v: &serde_json::Value) -> bool {
        use serde_json::Value;
        match (self, v) {
            (ParamBuilder::Int(b), Value::Null) => b.append_null(),
            (ParamBuilder::Float(b), Value::Null) => b.append_null(),
            (ParamBuilder::Bool(b), Value::Null) => b.append_null(),
            (ParamBuilder::Text(b), Value::Null) => b.append_null(),
            (ParamBuilder::Int(b), Value::Number(n)) => match n.as_i64() {
                Some(i) => b.append_value(i),
                None => return false,
            },
            (ParamBuilder::Float(b), Value::Number(n)) => match n.as_f64() {
                Some(f) => b.append_value(f),
                None => return false,
            },
            (ParamBuilder::Bool(b), Value::Bool(x)) => b.append_value(*x),
            (ParamBuilder::Text(b), Value::String(s)) => b.append_value(s),
            (ParamBuilder::Text(b), other) => b.append_value(other.to_string()),
            _ => return false,
        }
        true
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            ParamBuilder::Int(b) => Arc::new(b.finish()),
            ParamBuilder::Float(b) => Arc::new(b.finish()),
            ParamBuilder::Bool(b) => Arc::new(b.finish()),
            ParamBuilder::Text(b) => Arc::new(b.finish()),
        }
    }
}

/// A number as a cell of a sweep table: null when not finite (the CSV's empty cell).
fn finite(v: Option<f64>) -> Option<f64> {
    v.filter(|x| x.is_finite())
}

fn param_fields(params: &[(String, ParamType)]) -> impl Iterator<Item = Field> + '_ {
    params
        .iter()
        .map(|(name, t)| Field::new(name, t.data_type(), true))
}

/// The `runs` table being filled: one row per run.
pub struct RunsColumns {
    schema: SchemaRef,
    run: UInt64Builder,
    point: UInt64Builder,
    replicate: UInt32Builder,
    seed: UInt64Builder,
    params: Vec<ParamBuilder>,
    indicators: Vec<Float64Builder>,
    rows: usize,
}

impl RunsColumns {
    /// The table of a sweep varying `params` (name and type, in column order) and recording
    /// `indicators` (in column order).
    pub fn new(params: &[(String, ParamType)], indicators: &[String]) -> RunsColumns {
        let mut fields = vec![
            Field::new(RUN_COLUMNS[0], DataType::UInt64, false),
            Field::new(RUN_COLUMNS[1], DataType::UInt64, false),
            Field::new(RUN_COLUMNS[2], DataType::UInt32, false),
            Field::new(RUN_COLUMNS[3], DataType::UInt64, false),
        ];
        fields.extend(param_fields(params));
        fields.extend(
            indicators
                .iter()
                .map(|n| Field::new(n, DataType::Float64, true)),
        );
        RunsColumns {
            schema: Arc::new(Schema::new(fields)),
            run: UInt64Builder::new(),
            point: UInt64Builder::new(),
            replicate: UInt32Builder::new(),
            seed: UInt64Builder::new(),
            params: params.iter().map(|(_, t)| ParamBuilder::new(*t)).collect(),
            indicators: indicators.iter().map(|_| Float64Builder::new()).collect(),
            rows: 0,
        }
    }

    /// The table's schema.
    pub fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    /// Rows held since the last [`RunsColumns::take`].
    pub fn len(&self) -> usize {
        self.rows
    }

    /// Whether no row is held.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// Appends run `run`: its point, replicate and seed, its parameter values (JSON, in
    /// parameter order) and its indicators (in indicator order).
    pub fn push(
        &mut self,
        (run, point, replicate, seed): (u64, u64, u32, u64),
        params: &[serde_json::Value],
        indicators: &[Option<f64>],
    ) -> Result<(), ColumnarError> {
        check_widths("runs", run, params.len(), self.params.len())?;
        check_widths("runs", run, indicators.len(), self.indicators.len())?;
        push_params("runs", run, &self.schema, 4, &mut self.params, params)?;
        self.run.append_value(run);
        self.point.append_value(point);
        self.replicate.append_value(replicate);
        self.seed.append_value(seed);
        for (b, v) in self.indicators.iter_mut().zip(indicators) {
            b.append_option(finite(*v));
        }
        self.rows += 1;
        Ok(())
    }

    /// The rows held as one record batch; the columns are empty again afterwards.
    pub fn take(&mut self) -> Result<RecordBatch, ColumnarError> {
        let mut columns: Vec<ArrayRef> = vec![
            Arc::new(self.run.finish()),
            Arc::new(self.point.finish()),
            Arc::new(self.replicate.finish()),
            Arc::new(self.seed.finish()),
        ];
        columns.extend(self.params.iter_mut().map(ParamBuilder::finish));
        columns.extend(
            self.indicators
                .iter_mut()
                .map(|b| Arc::new(b.finish()) as ArrayRef),
        );
        self.rows = 0;
        batch("runs", &self.schema, columns)
    }
}

/// The `points` table being filled: one row per point.
pub struct PointsColumns {
    schema: SchemaRef,
    point: UInt64Builder,
    params: Vec<ParamBuilder>,
    n: UInt64Builder,
    stats: Vec<Float64Builder>,
    rows: usize,
}

impl PointsColumns {
    /// The table of a sweep varying `params` and recording `indicators`: for each indicator,
    /// one column per statistic of `POINT_STATS`.
    pub fn new(params: &[(String, ParamType)], indicators: &[String]) -> PointsColumns {
        let mut fields = vec![Field::new(POINT_COLUMN, DataType::UInt64, false)];
        fields.extend(param_fields(params));
        fields.push(Field::new(REPLICATES_COLUMN, DataType::UInt64, false));
        for name in indicators {
            for stat in POINT_STATS {
                fields.push(Field::new(
                    point_column(name, stat),
                    DataType::Float64,
                    true,
                ));
            }
        }
        PointsColumns {
            schema: Arc::new(Schema::new(fields)),
            point: UInt64Builder::new(),
            params: params.iter().map(|(_, t)| ParamBuilder::new(*t)).collect(),
            n: UInt64Builder::new(),
            stats: (0..indicators.len() * POINT_STATS.len())
                .map(|_| Float64Builder::new())
                .collect(),
            rows: 0,
        }
    }

    /// The table's schema.
    pub fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    /// Rows held since the last [`PointsColumns::take`].
    pub fn len(&self) -> usize {
        self.rows
    }

    /// Whether no row is held.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// Appends point `point`: its parameter values, its runs `n`, and its statistics, for
    /// each indicator those of `POINT_STATS` in order.
    pub fn push(
        &mut self,
        point: u64,
        params: &[serde_json::Value],
        n: u64,
        stats: &[f64],
    ) -> Result<(), ColumnarError> {
        check_widths("points", point, params.len(), self.params.len())?;
        check_widths("points", point, stats.len(), self.stats.len())?;
        push_params("points", point, &self.schema, 1, &mut self.params, params)?;
        self.point.append_value(point);
        self.n.append_value(n);
        for (b, v) in self.stats.iter_mut().zip(stats) {
            b.append_option(finite(Some(*v)));
        }
        self.rows += 1;
        Ok(())
    }

    /// The rows held as one record batch; the columns are empty again afterwards.
    pub fn take(&mut self) -> Result<RecordBatch, ColumnarError> {
        let mut columns: Vec<ArrayRef> = vec![Arc::new(self.point.finish())];
        columns.extend(self.params.iter_mut().map(ParamBuilder::finish));
        columns.push(Arc::new(self.n.finish()));
        columns.extend(
            self.stats
                .iter_mut()
                .map(|b| Arc::new(b.finish()) as ArrayRef),
        );
        self.rows = 0;
        batch("points", &self.schema, columns)
    }
}

/// One run's weekly series: `run`, `point`, `replicate` and `seed` on every row, then the
/// columns of `weekly.csv`.
pub fn run_weekly_batch(
    (run, point, replicate, seed): (u64, u64, u32, u64),
    weekly: &[WeeklyRecord],
) -> Result<RecordBatch, ColumnarError> {
    let mut columns = match weekly.first() {
        Some(first) => RowColumns::new("weekly", first)?,
        None => RowColumns::new("weekly", &WeeklyRecord::default())?,
    };
    for row in weekly {
        columns.push(row)?;
    }
    let inner = columns.take()?;
    let n = inner.num_rows();
    let mut fields = vec![
        Field::new(RUN_COLUMNS[0], DataType::UInt64, false),
        Field::new(RUN_COLUMNS[1], DataType::UInt64, false),
        Field::new(RUN_COLUMNS[2], DataType::UInt32, false),
        Field::new(RUN_COLUMNS[3], DataType::UInt64, false),
    ];
    fields.extend(inner.schema().fields().iter().map(|f| f.as_ref().clone()));
    let mut arrays: Vec<ArrayRef> = vec![
        Arc::new(UInt64Array::from(vec![run; n])),
        Arc::new(UInt64Array::from(vec![point; n])),
        Arc::new(UInt32Array::from(vec![replicate; n])),
        Arc::new(UInt64Array::from(vec![seed; n])),
    ];
    arrays.extend(inner.columns().iter().cloned());
    batch("weekly", &Arc::new(Schema::new(fields)), arrays)
}

fn check_widths(table: &str, row: u64, got: usize, want: usize) -> Result<(), ColumnarError> {
    if got == want {
        Ok(())
    } else {
        Err(ColumnarError::Row {
            table: table.to_string(),
            row: usize::try_from(row).unwrap_or(usize::MAX),
            message: format!("{got} values where the table has {want} columns"),
        })
    }
}

fn push_params(
    table: &str,
    row: u64,
    schema: &Schema,
    first: usize,
    builders: &mut [ParamBuilder],
    values: &[serde_json::Value],
) -> Result<(), ColumnarError> {
    // Checked before any is appended, so that a refused row leaves the columns even.
    for (i, (b, v)) in builders.iter().zip(values).enumerate() {
        let fits = matches!(
            (b, v),
            (_, serde_json::Value::Null)
                | (ParamBuilder::Int(_), serde_json::Value::Number(_))
                | (ParamBuilder::Float(_), serde_json::Value::Number(_))
                | (ParamBuilder::Bool(_), serde_json::Value::Bool(_))
                | (ParamBuilder::Text(_), _)
        ) && !matches!((b, v), (ParamBuilder::Int(_), serde_json::Value::Number(n)) if n.as_i64().is_none());
        if !fits {
            let name = schema
                .fields()
                .get(first + i)
                .map(|f| f.name().clone())
                .unwrap_or_default();
            return Err(ColumnarError::Row {
                table: table.to_string(),
                row: usize::try_from(row).unwrap_or(usize::MAX),
                message: format!("parameter {name} holds {v}, not a value of its column's type"),
            });
        }
    }
    for (b, v) in builders.iter_mut().zip(values) {
        b.push(v);
    }
    Ok(())
}

fn batch(
    table: &str,
    schema: &SchemaRef,
    columns: Vec<ArrayRef>,
) -> Result<RecordBatch, ColumnarError> {
    RecordBatch::try_new(schema.clone(), columns).map_err(|source| ColumnarError::Arrow {
        table: table.to_string(),
        source,
    })
}
