//! `curves.json` of a calibration directory: what the calibration figure draws, for each
//! mapped indicator, the observed figures over the band of the kept sets' simulated curves.

use serde::{Deserialize, Serialize};

/// The calibration figure's file in a calibration directory.
pub const CURVES_FILE: &str = "curves.json";

/// Every panel of the calibration figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrationCurves {
    /// The calibration's name.
    pub name: String,
    /// What the band and the curves are (which sets, how many replicates).
    pub note: String,
    /// One panel per mapped indicator, in the calibration file's order.
    pub panels: Vec<CurvePanel>,
}

/// One mapped indicator: simulated band and best curve, observed figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurvePanel {
    /// Caption (observed indicator, and the simulated one it is compared with).
    pub caption: String,
    /// Unit of the observed figures.
    pub unit: String,
    /// (decimal year, lowest, highest) of the band's sets' means at each 1 January.
    pub band: Vec<(f64, f64, f64)>,
    /// (decimal year, mean) of the best set at each 1 January.
    pub best: Vec<(f64, f64)>,
    /// Observed figures.
    pub observed: Vec<ObservedPoint>,
}

/// One observed figure as drawn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObservedPoint {
    /// Decimal year.
    pub year: f64,
    /// Value.
    pub value: f64,
    /// Range where sources disagree.
    pub range: Option<(f64, f64)>,
    /// A target (shown, not scored) rather than an observation.
    pub target: bool,
}
