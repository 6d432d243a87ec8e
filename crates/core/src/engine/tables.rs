//! Tables derived from the parameters in force, made once per change of parameters and read
//! by the phases every week.

use crate::model::delays::Delays;
use crate::model::{build, profile};
use crate::scenario::Params;

/// Tables derived from the parameters in force.
#[derive(Debug, Clone)]
pub struct Tables {
    /// Time to next episode by profile.
    pub delays: Delays,
    /// Whether a profile is complex.
    pub complex: [bool; profile::COUNT],
}

impl Tables {
    /// Tables for `p`.
    pub fn new(p: &Params) -> Tables {
        Tables {
            delays: Delays::new(&p.demand),
            complex: build::complex_table(p),
        }
    }
}
