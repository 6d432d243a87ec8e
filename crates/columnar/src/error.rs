//! Errors of building Arrow tables and writing or reading Parquet files.

use std::path::PathBuf;

/// What went wrong turning result rows into Arrow tables or Parquet files.
#[derive(Debug, thiserror::Error)]
pub enum ColumnarError {
    /// A row does not fit its table: a column of a type Arrow tables of pluri do not hold,
    /// or a row whose columns differ from the first row's.
    #[error("table {table}, row {row}: {message}")]
    Row {
        /// The table ("weekly", "runs", ...).
        table: String,
        /// The row, from 0.
        row: usize,
        /// What is wrong.
        message: String,
    },
    /// Arrow refused to assemble a record batch.
    #[error("table {table}: {source}")]
    Arrow {
        /// The table.
        table: String,
        /// Why.
        source: arrow_schema::ArrowError,
    },
    /// The Parquet writer or reader failed (an I/O error or a file that is not Parquet).
    #[error("{path}: {source}")]
    Parquet {
        /// The file (or the table, when written to a stream).
        path: PathBuf,
        /// Why.
        source: parquet::errors::ParquetError,
    },
    /// A file could not be opened or created.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

impl ColumnarError {
    /// The error as an I/O error (for writers that report `std::io::Error`), its message kept.
    pub fn into_io(self) -> std::io::Error {
        match self {
            ColumnarError::Io { source, .. } => source,
            ColumnarError::Parquet {
                source: parquet::errors::ParquetError::External(e),
                ..
            } => match e.downcast::<std::io::Error>() {
                Ok(io) => *io,
                Err(e) => std::io::Error::other(e.to_string()),
            },
            other => std::io::Error::other(other.to_string()),
        }
    }
}
