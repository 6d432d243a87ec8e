//! pluri's studies: many runs of a scenario and what they tell. Sweeps (designs, replicates,
//! resumable and shardable stores, tables), sensitivity analyses (Morris, Sobol) and
//! calibration by history matching, all on the same run machinery.
#![warn(missing_docs)]

pub mod calibrate;
pub mod compare;
pub mod sweep;
