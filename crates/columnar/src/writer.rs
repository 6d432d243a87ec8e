//! Parquet files: record batches streamed to any writer, with pluri's manifest in the file's
//! key-value metadata, and read back.
//!
//! Files are compressed with Snappy, in row groups of at most [`ROW_GROUP_ROWS`] rows, and
//! hold nothing that depends on the clock, the thread count or the machine: the same rows
//! give the same bytes.

use crate::error::ColumnarError;
use arrow_array::RecordBatch;
use arrow_schema::{Schema, SchemaRef};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The key of a Parquet file's key-value metadata holding pluri's manifest (JSON: the table,
/// the program version, and the run's or the sweep's identity).
pub const MANIFEST_KEY: &str = "pluri";

/// Most rows of one row group (and of one record batch built from rows): bounds the memory
/// a writer holds, whatever the size of the table.
pub const ROW_GROUP_ROWS: usize = 1 << 16;

/// A Parquet file being written to `W`, batch after batch.
pub struct ParquetWriter<W: Write + Send> {
    inner: ArrowWriter<W>,
    path: PathBuf,
}

impl<W: Write + Send> ParquetWriter<W> {
    /// Starts a file of `schema` on `w`; `manifest` (JSON) goes into its key-value metadata
    /// under [`MANIFEST_KEY`]; `path` names the file in errors.
    pub fn new(
        w: W,
        schema: SchemaRef,
        manifest: &serde_json::Value,
        path: &Path,
    ) -> Result<ParquetWriter<W>, ColumnarError> {
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
            .set_key_value_metadata(Some(vec![KeyValue::new(
                MANIFEST_KEY.to_string(),
                manifest.to_string(),
            )]))
            .build();
        let inner = ArrowWriter::try_new(w, schema, Some(props)).map_err(|source| {
            ColumnarError::Parquet {
                path: path.to_path_buf(),
                source,
            }
        })?;
        Ok(ParquetWriter {
            inner,
            path: path.to_path_buf(),
        })
    }

    /// Appends a batch (of the file's schema).
    pub fn write(&mut self, batch: &RecordBatch) -> Result<(), ColumnarError> {
        self.inner
            .write(batch)
            .map_err(|source| ColumnarError::Parquet {
                path: self.path.clone(),
                source,
            })
    }

    /// Writes the footer and gives the writer back, flushed.
    pub fn finish(self) -> Result<W, ColumnarError> {
        let path = self.path;
        let mut w = self
            .inner
            .into_inner()
            .map_err(|source| ColumnarError::Parquet {
                path: path.clone(),
                source,
            })?;
        w.flush()
            .map_err(|source| ColumnarError::Io { path, source })?;
        Ok(w)
    }
}

/// A Parquet file read back whole: its schema (columns only), its batches and pluri's
/// manifest.
#[derive(Debug, Clone)]
pub struct ParquetTable {
    /// Columns.
    pub schema: SchemaRef,
    /// Rows, in order.
    pub batches: Vec<RecordBatch>,
    /// The manifest JSON under [`MANIFEST_KEY`], if the file has one.
    pub manifest: Option<String>,
}

impl ParquetTable {
    /// Rows in all.
    pub fn rows(&self) -> usize {
        self.batches.iter().map(RecordBatch::num_rows).sum()
    }
}

/// Reads a Parquet file whole (a run's or a sweep's table: for very large files, read them
/// batch by batch with the `parquet` crate).
pub fn read_parquet(path: &Path) -> Result<ParquetTable, ColumnarError> {
    let parquet = |source| ColumnarError::Parquet {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(|source| ColumnarError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(parquet)?;
    let manifest = builder
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .and_then(|kv| kv.iter().find(|k| k.key == MANIFEST_KEY))
        .and_then(|k| k.value.clone());
    // The columns alone: the reader puts the file's key-value metadata into the schema's,
    // which a file written from these batches would carry again.
    let schema = Arc::new(Schema::new(builder.schema().fields().clone()));
    let reader = builder.build().map_err(parquet)?;
    let arrow = |source| ColumnarError::Arrow {
        table: path.display().to_string(),
        source,
    };
    let batches = reader
        .map(|b| {
            b.and_then(|b| RecordBatch::try_new(schema.clone(), b.columns().to_vec()))
                .map_err(arrow)
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ParquetTable {
        schema,
        batches,
        manifest,
    })
}
