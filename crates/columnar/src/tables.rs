//! The run tables (the row types of `pluri_schema::run`) as Arrow record batches and Parquet
//! files, with the CSV files' columns, names and order.

use crate::error::ColumnarError;
use crate::rows::RowColumns;
use crate::writer::{ParquetWriter, ROW_GROUP_ROWS};
use arrow_array::RecordBatch;
use pluri_schema::run::{
    InterventionRecord, StructureRecord, StructureTypeRecord, TieRecord, WeeklyRecord, ZoneRecord,
};
use serde::Serialize;
use std::io::Write;
use std::path::Path;

/// `weekly.csv` as one record batch.
pub fn weekly_batch(rows: &[WeeklyRecord]) -> Result<RecordBatch, ColumnarError> {
    rows_batch("weekly", &WeeklyRecord::default(), rows)
}

/// `by_structure_type.csv` as one record batch.
pub fn structure_type_batch(rows: &[StructureTypeRecord]) -> Result<RecordBatch, ColumnarError> {
    rows_batch("by_structure_type", &StructureTypeRecord::default(), rows)
}

/// `ties.csv` as one record batch (the engine's compact tie table gives its rows one at a
/// time: pass its iterator).
pub fn ties_batch<'a>(
    rows: impl IntoIterator<Item = TieRecord<'a>>,
) -> Result<RecordBatch, ColumnarError> {
    rows_batch("ties", &TieRecord::default(), rows)
}

/// `zones.csv` as one record batch.
pub fn zones_batch(rows: &[ZoneRecord]) -> Result<RecordBatch, ColumnarError> {
    rows_batch("zones", &ZoneRecord::default(), rows)
}

/// `structures.csv` as one record batch.
pub fn structures_batch(rows: &[StructureRecord]) -> Result<RecordBatch, ColumnarError> {
    rows_batch("structures", &StructureRecord::default(), rows)
}

/// `interventions.csv` as one record batch.
pub fn interventions_batch(rows: &[InterventionRecord]) -> Result<RecordBatch, ColumnarError> {
    rows_batch("interventions", &InterventionRecord::default(), rows)
}

/// Rows of any serde row type as one record batch named `table`: the first row's columns,
/// or `empty`'s (a row type's default) when there is no row.
pub fn rows_batch<R: Serialize>(
    table: &str,
    empty: &impl Serialize,
    rows: impl IntoIterator<Item = R>,
) -> Result<RecordBatch, ColumnarError> {
    let mut rows = rows.into_iter().peekable();
    let mut columns = match rows.peek() {
        Some(first) => RowColumns::new(table, first)?,
        None => RowColumns::new(table, empty)?,
    };
    for row in rows {
        columns.push(&row)?;
    }
    columns.take()
}

/// Streams rows of a serde row type as a Parquet file to `w`, [`ROW_GROUP_ROWS`] rows at a
/// time (the columns are the first row's, or `empty`'s when there is no row); `manifest`
/// goes into the file's metadata, `path` names it in errors.
pub fn write_rows<R: Serialize, W: Write + Send>(
    w: W,
    path: &Path,
    table: &str,
    empty: &impl Serialize,
    rows: impl IntoIterator<Item = R>,
    manifest: &serde_json::Value,
) -> Result<W, ColumnarError> {
    let mut rows = rows.into_iter().peekable();
    let mut columns = match rows.peek() {
        Some(first) => RowColumns::new(table, first)?,
        None => RowColumns::new(table, empty)?,
    };
    let mut out = ParquetWriter::new(w, columns.schema(), manifest, path)?;
    for row in rows {
        columns.push(&row)?;
        if columns.len() == ROW_GROUP_ROWS {
            out.write(&columns.take()?)?;
        }
    }
    if !columns.is_empty() {
        out.write(&columns.take()?)?;
    }
    out.finish()
}
