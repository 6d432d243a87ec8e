//! Figures of runs, drawn from their result files only (never from engine internals).
//!
//! [`plot_runs`] draws the standard figures of one run, or compares several runs on the same
//! axes (one colour per run, a legend naming each by its scenario name); [`plot_run_dir`]
//! writes one run's figures into its own directory, as `pluri run` does by default.
//!
//! Figures are written in PNG (with the bundled DejaVu Sans font, so no system library or
//! font is needed) and/or SVG; the same files give byte-identical SVG.
//!
//! | file | what it shows |
//! | --- | --- |
//! | `cooperation` | tie strength, network density, multi-professional follow-up, inter-organisational delegation |
//! | `access` | unmet needs, time to appointment, patients waiting per 1,000 residents, GPs fully booked, GPs refusing new patients, residents without a GP, care given up, avoidable hospitalisations, tasks refused (full target or resisting professional) |
//! | `workload` | GP and professional workload, friction, departures, satisfaction |
//! | `structures` | MSPs, GPs in MSPs, coordinator FTE, coordinators' legitimacy, protocols, meetings |
//! | `delegation` | what GPs do with tasks: alone, inside, outside, platform, refused (full target or resisting professional), dropped |
//! | `territory` | zones, structures and the strongest inter-organisational ties (one map per run) |
//!
//! Sweep and sensitivity directories get their own figures ([`plot_sweep`],
//! [`plot_sensitivity`]); [`dir_kind`] tells the three kinds of directory apart.

mod analysis;
mod bands;
mod calibration;
mod canvas;
mod data;
mod delegation;
mod error;
mod figures;
mod glyphs;
mod heatmap;
mod indicators;
mod labels;
mod legend;
mod links;
mod map_legend;
mod markers;
mod panels;
mod scale;
mod scaling;
mod sensitivity;
mod style;
mod sweep;
mod sweep_data;
mod territory;
mod timeseries;

pub use analysis::{dir_kind, plot_sensitivity, plot_sweep, DirKind};
pub use bands::{plot_compare, ComparePlot, ComparePlotError, COMPARE_FIGURES};
pub use calibration::plot_calibration;
pub use canvas::Format;
pub use error::PlotError;
pub use indicators::SWEEP_INDICATORS;
pub use scaling::plot_scaling;
pub use sweep_data::SweepPlotError;

use std::path::{Path, PathBuf};

/// Stems of the time figures, in the order they are written.
pub const TIME_FIGURES: &[&str] = &[
    "cooperation",
    "access",
    "workload",
    "structures",
    "delegation",
];

/// Draws the standard figures of the runs in `dirs` into `out` (created if needed) and
/// returns the files written, in a fixed order.
///
/// One run gives `cooperation`, `access`, `workload`, `structures`, `delegation` and
/// `territory`; several runs share the time figures (one colour per run) and get one
/// `territory-<name>` map each.
pub fn plot_runs(dirs: &[PathBuf], out: &Path, format: Format) -> Result<Vec<PathBuf>, PlotError> {
    style::ensure_font()?;
    let runs = data::load_runs(dirs)?;
    std::fs::create_dir_all(out).map_err(|source| PlotError::Write {
        path: out.to_path_buf(),
        source,
    })?;
    let mut written = Vec::new();
    for (stem, figure) in time_figures(&runs) {
        written.extend(canvas::render(&figure, out, stem, format)?);
    }
    if let [run] = runs.as_slice() {
        let map = territory::TerritoryFigure::new(run);
        written.extend(canvas::render(&map, out, "territory", format)?);
    } else {
        let mut stems: Vec<String> = Vec::new();
        for run in &runs {
            let mut stem = format!("territory-{}", canvas::file_safe(&run.label));
            if stems.contains(&stem) {
                stem = format!("{stem}-{}", stems.len() + 1);
            }
            let map = territory::TerritoryFigure::new(run);
            written.extend(canvas::render(&map, out, &stem, format)?);
            stems.push(stem);
        }
    }
    Ok(written)
}

/// The standard time figures of `runs`, as (file stem, figure), in the order of
/// [`TIME_FIGURES`].
fn time_figures(runs: &[data::Run]) -> Vec<(&'static str, timeseries::TimeFigure)> {
    let mut figures = figures::line_figures(runs);
    figures.push(("delegation", delegation::figure(runs)));
    figures
}

/// Draws the standard figures of the run in `dir` into that same directory.
pub fn plot_run_dir(dir: &Path, format: Format) -> Result<Vec<PathBuf>, PlotError> {
    plot_runs(&[dir.to_path_buf()], dir, format)
}
