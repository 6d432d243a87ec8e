//! Result files: pure serializers ([`write_run_file`]) and the one writer that owns paths ([`RunDir`]).
//!
//! A run directory is built under a temporary name beside its destination and renamed into
//! place only when every file is written, so an interrupted run never leaves a directory
//! that looks complete. An existing result is replaced only when asked (`--force`), and only
//! when pluri wrote it ([`owned`]); every result directory is locked while it is written
//! ([`lock`]).

mod error;
pub mod lock;
pub mod owned;
mod serialize;
mod writer;

pub use error::OutputError;
pub use lock::DirLock;
pub use owned::Contents;
pub use serialize::{csv_bytes, write_run_file};
pub use writer::RunDir;

pub use pluri_schema::run::RUN_FILES;
