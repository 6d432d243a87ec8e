//! Result rows as Arrow record batches: the one place where the serde row types of a run
//! (and of a comparison) become columns. Column names and order are the CSV files': a row
//! type's fields, in order, with `date` only when the rows carry one.
//!
//! Columns the engine holds in single precision (`coordinator_fte`, `legitimacy`, a tie's
//! `strength`) are given as the doubles the CSV files read back as (`0.4`, not the widened
//! `0.4000000059604645`). Dates are ISO text, as in the files.
//!
//! Rows are converted with `serde_arrow`; another converter with the same signatures (a
//! `pluri-columnar` crate) can replace this file.

use arrow_array::{Array, ArrayRef, Float32Array, Float64Array, RecordBatch};
use arrow_schema::{ArrowError, DataType, Field, FieldRef, Schema};
use pluri::results::{
    InterventionRecord, StructureRecord, StructureTypeRecord, Ties, WeeklyRecord, ZoneRecord,
};
use pluri_schema::compare::{ArmRecord, DifferenceRecord, WeeklyBandRecord};
use serde::Serialize;
use serde_arrow::schema::{SchemaLike, TracingOptions};
use serde_arrow::ArrayBuilder;
use std::sync::Arc;

/// Why rows could not become a record batch (a bug: every row type converts).
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    /// serde_arrow refused the rows or their schema.
    #[error("converting the {table} rows to Arrow: {source}")]
    Serde {
        /// The table.
        table: &'static str,
        /// serde_arrow's error.
        source: serde_arrow::Error,
    },
    /// Arrow refused the columns.
    #[error("building the {table} table: {source}")]
    Arrow {
        /// The table.
        table: &'static str,
        /// Arrow's error.
        source: ArrowError,
    },
}

/// How rows are traced: plain UTF-8 strings, dates left as text.
fn options() -> TracingOptions {
    TracingOptions::default()
        .strings_as_large_utf8(false)
        .guess_dates(false)
}

/// The fields of `rows`, traced from the rows themselves: an optional column such as `date`
/// is present when the rows have it. Without rows, they are traced from `template` (a
/// default row), with a text `date` after `week` if `dated`.
fn fields<T: Serialize>(
    table: &'static str,
    rows: &[T],
    template: Option<&T>,
    dated: bool,
) -> Result<Vec<FieldRef>, TableError> {
    let serde = |source| TableError::Serde { table, source };
    let traced = |samples: &[T]| {
        Vec::<FieldRef>::from_samples(samples, options().allow_null_fields(true)).map_err(serde)
    };
    match (rows.is_empty(), template) {
        (false, _) => traced(rows),
        (true, Some(t)) => {
            let mut fields = traced(std::slice::from_ref(t))?;
            if dated && fields.iter().all(|f| f.name() != "date") {
                let at = fields
                    .iter()
                    .position(|f| f.name() == "week")
                    .map_or(0, |i| i + 1);
                fields.insert(at, Arc::new(Field::new("date", DataType::Utf8, true)));
            }
            Ok(fields)
        }
        // Tables without a default row (a comparison's) always have rows.
        (true, None) => Ok(Vec::new()),
    }
}

/// A record batch of owned rows (`template`: a default row, for the columns of no row).
fn batch<T: Serialize>(
    table: &'static str,
    rows: &[T],
    template: Option<&T>,
    dated: bool,
) -> Result<RecordBatch, TableError> {
    let fields = fields(table, rows, template, dated)?;
    let batch = serde_arrow::to_record_batch(&fields, &rows)
        .map_err(|source| TableError::Serde { table, source })?;
    widen_singles(table, batch)
}

/// The batch with its single-precision columns as the doubles the CSV files give.
fn widen_singles(table: &'static str, batch: RecordBatch) -> Result<RecordBatch, TableError> {
    let schema = batch.schema();
    let mut fields: Vec<Field> = Vec::with_capacity(batch.num_columns());
    let mut columns: Vec<ArrayRef> = Vec::with_capacity(batch.num_columns());
    for (field, column) in schema.fields().iter().zip(batch.columns()) {
        match column.as_any().downcast_ref::<Float32Array>() {
            Some(single) => {
                let doubles: Float64Array = single
                    .iter()
                    .map(|v| v.map(|v| pluri_schema::run::single_precision(f64::from(v))))
                    .collect();
                fields.push(field.as_ref().clone().with_data_type(DataType::Float64));
                columns.push(Arc::new(doubles));
            }
            None => {
                fields.push(field.as_ref().clone());
                columns.push(column.clone());
            }
        }
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)
        .map_err(|source| TableError::Arrow { table, source })
}

/// `weekly.csv` as a record batch.
pub fn weekly_batch(rows: &[WeeklyRecord], dated: bool) -> Result<RecordBatch, TableError> {
    batch("weekly", rows, Some(&WeeklyRecord::default()), dated)
}

/// `by_structure_type.csv` as a record batch.
pub fn by_structure_type_batch(
    rows: &[StructureTypeRecord],
    dated: bool,
) -> Result<RecordBatch, TableError> {
    batch(
        "by_structure_type",
        rows,
        Some(&StructureTypeRecord::default()),
        dated,
    )
}

/// `zones.csv` as a record batch.
pub fn zones_batch(rows: &[ZoneRecord]) -> Result<RecordBatch, TableError> {
    batch("zones", rows, Some(&ZoneRecord::default()), false)
}

/// `structures.csv` as a record batch.
pub fn structures_batch(rows: &[StructureRecord]) -> Result<RecordBatch, TableError> {
    batch("structures", rows, Some(&StructureRecord::default()), false)
}

/// `interventions.csv` as a record batch.
pub fn interventions_batch(
    rows: &[InterventionRecord],
    dated: bool,
) -> Result<RecordBatch, TableError> {
    batch(
        "interventions",
        rows,
        Some(&InterventionRecord::default()),
        dated,
    )
}

/// `ties.csv` as a record batch, built a row at a time from the engine's compact table.
pub fn ties_batch(ties: &Ties) -> Result<RecordBatch, TableError> {
    const TABLE: &str = "ties";
    let serde = |source| TableError::Serde {
        table: TABLE,
        source,
    };
    let fields = vec![
        Field::new("kind", DataType::Utf8, false),
        Field::new("source", DataType::Utf8, false),
        Field::new("target", DataType::Utf8, false),
        Field::new("source_structure", DataType::Utf8, false),
        Field::new("target_structure", DataType::Utf8, false),
        Field::new("strength", DataType::Float32, false),
    ];
    let fields: Vec<FieldRef> = fields.into_iter().map(Arc::new).collect();
    let mut builder = ArrayBuilder::from_arrow(&fields).map_err(serde)?;
    for tie in ties.iter() {
        builder.push(tie).map_err(serde)?;
    }
    widen_singles(TABLE, builder.to_record_batch().map_err(serde)?)
}

/// A comparison's `differences.csv` as a record batch.
pub fn differences_batch(rows: &[DifferenceRecord]) -> Result<RecordBatch, TableError> {
    batch("differences", rows, None, false)
}

/// A comparison's `arms.csv` as a record batch.
pub fn arms_batch(rows: &[ArmRecord]) -> Result<RecordBatch, TableError> {
    batch("arms", rows, None, false)
}

/// A comparison's `weekly.csv` (bands of every arm) as a record batch.
pub fn weekly_bands_batch(
    rows: &[WeeklyBandRecord],
    dated: bool,
) -> Result<RecordBatch, TableError> {
    batch("weekly bands", rows, None, dated)
}

/// One column of a table built by hand (sweep runs, calibration scores).
pub enum Column {
    /// Unsigned integers.
    U64(Vec<u64>),
    /// Doubles (missing values as `None`).
    F64(Vec<Option<f64>>),
    /// Booleans.
    Bool(Vec<bool>),
    /// Text.
    Str(Vec<String>),
}

/// A record batch of named columns of equal length.
pub fn columns_batch(
    table: &'static str,
    columns: Vec<(String, Column)>,
) -> Result<RecordBatch, TableError> {
    let mut fields = Vec::with_capacity(columns.len());
    let mut arrays: Vec<ArrayRef> = Vec::with_capacity(columns.len());
    for (name, column) in columns {
        let array: ArrayRef = match column {
            Column::U64(v) => Arc::new(arrow_array::UInt64Array::from(v)),
            Column::F64(v) => Arc::new(Float64Array::from(v)),
            Column::Bool(v) => Arc::new(arrow_array::BooleanArray::from(v)),
            Column::Str(v) => Arc::new(arrow_array::StringArray::from(v)),
        };
        fields.push(Field::new(
            name,
            array.data_type().clone(),
            array.null_count() > 0,
        ));
        arrays.push(array);
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays)
        .map_err(|source| TableError::Arrow { table, source })
}
