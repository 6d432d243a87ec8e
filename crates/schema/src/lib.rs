//! The names and shapes of every file pluri writes, each spelled once: the engine's
//! serializers write these rows, and the figures read them back. This crate depends on no
//! other of pluri's, so that a reader of result files (the figures, a Python binding)
//! needs nothing of the engine.
#![warn(missing_docs)]

pub mod bench;
pub mod calibration;
pub mod compare;
pub mod date;
pub mod run;
pub mod sweep;
