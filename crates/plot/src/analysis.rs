//! Figures of sweep and sensitivity directories: which figures each gets, under which names,
//! and how `pluri plot` tells a run, a sweep and a sensitivity directory apart.
//!
//! | file | what it shows |
//! | --- | --- |
//! | `sweep-<parameter>` | the chosen indicators against one varied parameter, mean and 95% interval |
//! | `heatmap-<indicator>` | one indicator over a two-parameter grid (two-parameter grids only) |
//! | `morris` | Morris mu* against sigma, each parameter labelled, one panel per indicator |
//! | `sobol` | Sobol S1 and ST with bootstrap intervals, parameters by rank, one panel per indicator |

use super::canvas::{self, file_safe, Format};
use super::sweep_data::{self, SweepPlotError};
use super::{heatmap, sensitivity, style, sweep, PlotError};
use pluri_schema::sweep::{
    MorrisRecord, SobolRecord, MANIFEST_FILE, MORRIS_FILE, POINTS_FILE, SENSITIVITY_FILE,
    SOBOL_FILE,
};
use std::path::{Path, PathBuf};

/// What a result directory holds, as `pluri plot` sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirKind {
    /// A run written by `pluri run` (or anything else: its own errors then say what is missing).
    Run,
    /// A sweep written by `pluri sweep` or `pluri merge` (has `points.csv` or `manifest.json`).
    Sweep,
    /// A sensitivity analysis written by `pluri sensitivity` (has `morris.csv` or `sobol.csv`).
    Sensitivity,
}

/// Tells what `dir` holds from the files in it.
pub fn dir_kind(dir: &Path) -> DirKind {
    if dir.join(POINTS_FILE).is_file() || dir.join(MANIFEST_FILE).is_file() {
        DirKind::Sweep
    } else if dir.join(MORRIS_FILE).is_file() || dir.join(SOBOL_FILE).is_file() {
        DirKind::Sensitivity
    } else {
        DirKind::Run
    }
}

fn name_of(dir: &Path) -> String {
    dir.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| dir.display().to_string())
}

/// The sweep's name from its manifest, or the directory name.
fn sweep_name(dir: &Path) -> String {
    std::fs::read_to_string(dir.join(MANIFEST_FILE))
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .and_then(|v| v.get("name").and_then(|n| n.as_str()).map(str::to_string))
        .unwrap_or_else(|| name_of(dir))
}

/// The analysis' name from its `sensitivity.toml`, or else the directory's name (without
/// the marks of a directory still being written, `.NAME.partial-PID`).
fn sensitivity_name(dir: &Path) -> String {
    std::fs::read_to_string(dir.join(SENSITIVITY_FILE))
        .ok()
        .and_then(|t| toml::from_str::<toml::Table>(&t).ok())
        .and_then(|v| v.get("name").and_then(|n| n.as_str()).map(str::to_string))
        .unwrap_or_else(|| {
            let name = name_of(dir);
            let name = name.strip_prefix('.').unwrap_or(&name);
            match name.rsplit_once(".partial-") {
                Some((stem, _)) => stem.to_string(),
                None => name.to_string(),
            }
        })
}

fn create(out: &Path) -> Result<(), SweepPlotError> {
    std::fs::create_dir_all(out).map_err(|source| {
        SweepPlotError::Plot(PlotError::Write {
            path: out.to_path_buf(),
            source,
        })
    })
}

/// Draws the figures of the sweep in `dir` (from its `points.csv`) into `out` and returns the
/// files written, in a fixed order: `sweep-<parameter>` for each varied parameter, then, for a
/// grid of exactly two parameters, `heatmap-<indicator>` for each indicator shown.
pub fn plot_sweep(dir: &Path, out: &Path, format: Format) -> Result<Vec<PathBuf>, SweepPlotError> {
    style::ensure_font()?;
    let points = sweep_data::read_points(dir)?;
    let name = sweep_name(dir);
    create(out)?;
    let mut written = Vec::new();
    for p in 0..points.params.len() {
        let figure = sweep::figure(&points, p, &name);
        let stem = format!("sweep-{}", file_safe(&points.params[p].path));
        written.extend(canvas::render(&figure, out, &stem, format)?);
    }
    for indicator in sweep::shown_indicators(&points) {
        if let Some(figure) = heatmap::figure(&points, &indicator, &name) {
            let stem = format!("heatmap-{}", file_safe(&indicator));
            written.extend(canvas::render(&figure, out, &stem, format)?);
        }
    }
    Ok(written)
}

/// Draws the figures of the sensitivity analysis in `dir` into `out`: `morris` from
/// `morris.csv` and `sobol` from `sobol.csv`, each when its table is there.
pub fn plot_sensitivity(
    dir: &Path,
    out: &Path,
    format: Format,
) -> Result<Vec<PathBuf>, SweepPlotError> {
    style::ensure_font()?;
    sweep_data::check_dir(dir)?;
    let morris: Option<Vec<MorrisRecord>> = sweep_data::read_ranking(dir, MORRIS_FILE)?;
    let sobol: Option<Vec<SobolRecord>> = sweep_data::read_ranking(dir, SOBOL_FILE)?;
    if morris.is_none() && sobol.is_none() {
        return Err(SweepPlotError::Missing {
            path: dir.join(MORRIS_FILE),
            hint: "a sensitivity directory holds morris.csv and/or sobol.csv, written by `pluri sensitivity`".into(),
        });
    }
    let name = sensitivity_name(dir);
    create(out)?;
    let mut written = Vec::new();
    if let Some(rows) = morris {
        let panels = sweep_data::by_indicator(&rows, |r| r.indicator.as_str());
        let figure = sensitivity::morris_figure(&name, panels);
        written.extend(canvas::render(&figure, out, "morris", format)?);
    }
    if let Some(rows) = sobol {
        let panels = sweep_data::by_indicator(&rows, |r| r.indicator.as_str());
        let figure = sensitivity::sobol_figure(&name, panels);
        written.extend(canvas::render(&figure, out, "sobol", format)?);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sensitivity_analysis_is_named_by_its_file_not_by_a_directory_being_written() {
        let root = tempfile::tempdir().expect("tempdir");
        let staging = root.path().join(".sens.partial-25642");
        std::fs::create_dir(&staging).expect("mkdir");
        assert_eq!(sensitivity_name(&staging), "sens");
        std::fs::write(
            staging.join(SENSITIVITY_FILE),
            "name = \"coordination\"\nseed = 11\n",
        )
        .expect("write");
        assert_eq!(sensitivity_name(&staging), "coordination");
    }
}
