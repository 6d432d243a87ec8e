//! pluri's result tables as Arrow record batches and Parquet files: the run tables (weekly
//! series, structure types, ties, zones, structures, interventions), a sweep's runs, points
//! and weekly series, with the CSV files' columns, names and order.
//!
//! Record batches are Arrow (arrow-rs, major version 59): a Python binding hands them to
//! pandas or polars without copies; [`ParquetWriter`] streams them to a Parquet file whose
//! key-value metadata holds pluri's manifest under [`MANIFEST_KEY`].
//!
//! ```no_run
//! use pluri_columnar::{weekly_batch, write_rows};
//! # fn demo(weekly: &[pluri_schema::run::WeeklyRecord]) -> Result<(), pluri_columnar::ColumnarError> {
//! let batch = weekly_batch(weekly)?; // one row per week, the columns of weekly.csv
//! println!("{} weeks, {} columns", batch.num_rows(), batch.num_columns());
//! let file = std::fs::File::create("weekly.parquet").map_err(|source| {
//!     pluri_columnar::ColumnarError::Io { path: "weekly.parquet".into(), source }
//! })?;
//! let manifest = serde_json::json!({"table": "weekly"});
//! let empty = pluri_schema::run::WeeklyRecord::default();
//! write_rows(file, "weekly.parquet".as_ref(), "weekly", &empty, weekly, &manifest)?;
//! # Ok(()) }
//! ```

mod error;
mod rows;
mod sweep;
mod tables;
mod writer;

pub use arrow_array::RecordBatch;
pub use arrow_schema::SchemaRef;
pub use error::ColumnarError;
pub use rows::{schema_of, RowColumns};
pub use sweep::{run_weekly_batch, ParamType, PointsColumns, RunsColumns};
pub use tables::{
    interventions_batch, rows_batch, structure_type_batch, structures_batch, ties_batch,
    weekly_batch, write_rows, zones_batch,
};
pub use writer::{read_parquet, ParquetTable, ParquetWriter, MANIFEST_KEY, ROW_GROUP_ROWS};

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::cast::AsArray;
    use arrow_array::types::{Float64Type, UInt32Type};
    use pluri_schema::date::Date;
    use pluri_schema::run::{InterventionRecord, StructureRecord, TieRecord, WeeklyRecord};

    fn csv_header<T: serde::Serialize>(row: &T) -> Vec<String> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.serialize(row).expect("in memory");
        let text = String::from_utf8(w.into_inner().expect("in memory")).expect("UTF-8");
        let header = text.lines().next().unwrap_or_default().to_string();
        header.split(',').map(String::from).collect()
    }

    fn names(batch: &RecordBatch) -> Vec<String> {
        batch
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect()
    }

    #[test]
    fn a_table_has_the_csv_files_columns_in_their_order_dated_or_not() {
        let undated = WeeklyRecord {
            week: 2,
            ..WeeklyRecord::default()
        };
        let batch = weekly_batch(std::slice::from_ref(&undated)).expect("a batch");
        assert_eq!(names(&batch), csv_header(&undated));
        let dated = WeeklyRecord {
            date: Date::parse("2012-01-07"),
            ..undated
        };
        let batch = weekly_batch(std::slice::from_ref(&dated)).expect("a batch");
        assert_eq!(names(&batch), csv_header(&dated));
        assert_eq!(names(&batch)[1], "date");
        assert_eq!(batch.column(1).as_string::<i32>().value(0), "2012-01-07");
        let structure = StructureRecord::default();
        let batch = structures_batch(std::slice::from_ref(&structure)).expect("a batch");
        assert_eq!(names(&batch), csv_header(&structure));
    }

    #[test]
    fn single_precision_columns_hold_the_number_the_csv_shows() {
        let tie = TieRecord {
            kind: pluri_schema::run::PROFESSIONAL_TIE,
            source: "gp:a:1",
            strength: f64::from(0.4f32),
            ..TieRecord::default()
        };
        let batch = ties_batch([tie]).expect("a batch");
        let strength = batch.column(5).as_primitive::<Float64Type>().value(0);
        assert_eq!(strength, 0.4);
        assert_eq!(batch.column(1).as_string::<i32>().value(0), "gp:a:1");
    }

    #[test]
    fn a_table_without_rows_keeps_its_columns() {
        let batch = interventions_batch(&[]).expect("a batch");
        assert_eq!(batch.num_rows(), 0);
        assert_eq!(names(&batch), csv_header(&InterventionRecord::default()));
    }

    #[test]
    fn a_parquet_file_reads_back_with_its_rows_and_manifest_and_the_same_bytes_twice() {
        let rows: Vec<WeeklyRecord> = (0..(ROW_GROUP_ROWS as u32 + 5))
            .map(|week| WeeklyRecord {
                week,
                gp_utilisation: f64::from(week) / 7.0,
                ..WeeklyRecord::default()
            })
            .collect();
        let manifest = serde_json::json!({"table": "weekly", "seed": 3});
        let write = || {
            write_rows(
                Vec::new(),
                "weekly.parquet".as_ref(),
                "weekly",
                &WeeklyRecord::default(),
                &rows,
                &manifest,
            )
            .expect("written")
        };
        let bytes = write();
        assert!(bytes == write(), "the same rows give the same bytes");
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("weekly.parquet");
        std::fs::write(&path, &bytes).expect("written");
        let back = read_parquet(&path).expect("read back");
        assert_eq!(back.rows(), rows.len());
        assert_eq!(
            back.manifest.as_deref(),
            Some(manifest.to_string().as_str())
        );
        let last = back.batches.last().expect("a batch");
        let week = last.column(0).as_primitive::<UInt32Type>();
        assert_eq!(week.value(week.len() - 1), ROW_GROUP_ROWS as u32 + 4);
    }

    #[test]
    fn sweep_tables_put_empty_cells_as_nulls_and_refuse_a_value_of_another_type() {
        let params = [
            ("a.n".to_string(), ParamType::Int),
            ("a.x".to_string(), ParamType::Float),
        ];
        let mut runs = RunsColumns::new(&params, &["i".to_string()]);
        runs.push(
            (0, 0, 0, 9),
            &[serde_json::json!(3), serde_json::json!(2)],
            &[Some(f64::NAN)],
        )
        .expect("a row");
        let e = runs
            .push(
                (1, 0, 1, 10),
                &[serde_json::json!(0.5), serde_json::json!(2)],
                &[Some(1.0)],
            )
            .expect_err("a float in an integer column");
        assert!(e.to_string().contains("a.n"), "{e}");
        let batch = runs.take().expect("a batch");
        assert_eq!(batch.num_rows(), 1);
        assert_eq!(batch.column(5).as_primitive::<Float64Type>().value(0), 2.0);
        assert!(batch.column(6).is_null(0));
    }
}
