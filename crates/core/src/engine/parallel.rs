//! How the passes over zones are cut into parallel jobs.

/// The most zones one parallel job takes in the passes over zones. Rayon splits a job begun on
/// a worker only when its other half is stolen, and zones differ a hundredfold in size, so
/// without a bound one thread may be left with the large zones.
pub const ZONES_PER_JOB: usize = 4;
