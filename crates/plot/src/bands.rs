//! Banded curves of a comparison directory (`pluri compare`): each arm's weekly mean over its
//! replicates with the confidence band of that mean, and each arm's paired difference from
//! the first arm with its band around zero. Read from `weekly.csv` and `compare.json`
//! through the schema's types only.
//!
//! | file | what it shows |
//! | --- | --- |
//! | `bands-outcomes` | unmet needs, care given up, avoidable hospitalisations, refused referrals, residents without a GP, patients waiting |
//! | `bands-cooperation` | tie strength, multi-professional follow-up, delegation, inter-organisational delegation, meetings, coordinator FTE, legitimacy, protocols |
//! | `bands-workforce` | GP and professional workload, departures, satisfaction, MSPs, GPs in MSPs |
//! | `bands-differences` | the paired difference of each arm from the first on the key outcomes, with its band and zero |

use super::canvas::{self, Drawn, Figure, Format};
use super::figures::{trailing_mean, SMOOTH};
use super::legend::{self, Entry, Key};
use super::scale::{self, Scale};
use super::style::{self, size};
use super::PlotError;
use plotters::coord::Shift;
use plotters::prelude::{ChartBuilder, DrawingArea, DrawingBackend, LineSeries, Polygon, Text};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, RGBColor, TRANSPARENT};
use pluri_schema::compare::{Manifest, WeeklyBandRecord, MANIFEST_FILE, WEEKLY_FILE};
use pluri_schema::date::Date;
use std::path::{Path, PathBuf};

/// Why the figures of a comparison directory could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum ComparePlotError {
    /// The directory does not exist.
    #[error("{0}: no such directory: check the path")]
    NoDirectory(PathBuf),
    /// A file the figures need is not there.
    #[error("{0}: missing: is this a directory written by `pluri compare`?")]
    Missing(PathBuf),
    /// A file exists but cannot be read.
    #[error("{path}: cannot read: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file does not have the expected content.
    #[error("{path}{}: malformed: {message} (was it written by this version of pluri? run `pluri compare` again)", line.map(|l| format!(", line {l}")).unwrap_or_default())]
    Malformed {
        /// The file.
        path: PathBuf,
        /// Line of the problem, when known (1 is the header).
        line: Option<u64>,
        /// What is wrong.
        message: String,
    },
    /// `weekly.csv` has no rows.
    #[error("{0}: no rows: nothing to plot")]
    Empty(PathBuf),
    /// Drawing or writing a figure failed.
    #[error(transparent)]
    Plot(#[from] PlotError),
}

/// A figure written by [`plot_compare`]: its stem, what it shows, and its files.
#[derive(Debug, Clone, PartialEq)]
pub struct ComparePlot {
    /// File stem (`bands-outcomes`).
    pub stem: &'static str,
    /// What it shows, in a sentence (for captions).
    pub caption: String,
    /// Files written, one per format.
    pub files: Vec<PathBuf>,
}

/// How a panel's values read.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Unit {
    /// A share 0–1, ticked in percent.
    Percent,
    /// A quantity between 0 and 1.
    Fraction,
    /// A count or rate.
    Number,
    /// A count of things, from zero.
    Count,
}

/// One weekly column in a panel.
struct Metric {
    column: &'static str,
    caption: &'static str,
    y_desc: &'static str,
    unit: Unit,
    /// A weekly flow, shown as a trailing mean over [`SMOOTH`] weeks.
    flow: bool,
}

const fn metric(
    column: &'static str,
    caption: &'static str,
    y_desc: &'static str,
    unit: Unit,
    flow: bool,
) -> Metric {
    Metric {
        column,
        caption,
        y_desc,
        unit,
        flow,
    }
}

struct Spec {
    stem: &'static str,
    title: &'static str,
    /// Differences from the first arm rather than each arm's level.
    differences: bool,
    metrics: &'static [Metric],
}

const UNMET: Metric = metric(
    "needs_unmet",
    "Unmet needs (4-week mean)",
    "needs per week",
    Unit::Number,
    true,
);
const FORGONE: Metric = metric(
    "forgone",
    "Care episodes given up (4-week mean)",
    "episodes per week",
    Unit::Number,
    true,
);
const HOSPITAL: Metric = metric(
    "avoidable_hospitalisations",
    "Avoidable hospitalisations (4-week mean)",
    "per week",
    Unit::Number,
    true,
);
const WITHOUT_GP: Metric = metric(
    "without_gp_share",
    "Residents without a declared GP",
    "% of residents",
    Unit::Percent,
    false,
);
const DELEGATED: Metric = metric(
    "delegated_share",
    "Tasks delegated (4-week mean)",
    "% of tasks",
    Unit::Percent,
    true,
);
const MEETINGS: Metric = metric(
    "meetings",
    "Concertation meetings (4-week mean)",
    "meetings per week",
    Unit::Number,
    true,
);

const FIGURES: &[Spec] = &[
    Spec {
        stem: "bands-outcomes",
        title: "Access and outcomes",
        differences: false,
        metrics: &[
            UNMET,
            FORGONE,
            HOSPITAL,
            metric(
                "tasks_refused",
                "Referrals refused, target full (4-week mean)",
                "refusals per week",
                Unit::Number,
                true,
            ),
            WITHOUT_GP,
            metric(
                "waiting",
                "Patients waiting at the end of the week",
                "patients",
                Unit::Number,
                false,
            ),
        ],
    },
    Spec {
        stem: "bands-cooperation",
        title: "Cooperation and coordination",
        differences: false,
        metrics: &[
            metric(
                "mean_tie_strength",
                "Mean GP–professional tie strength",
                "trust (0–1)",
                Unit::Fraction,
                false,
            ),
            metric(
                "complex_multi_share",
                "Complex patients followed by several professions",
                "% of complex patients",
                Unit::Percent,
                false,
            ),
            DELEGATED,
            metric(
                "interorg_referral_share",
                "Delegations to another organisation (4-week mean)",
                "% of accepted delegations",
                Unit::Percent,
                true,
            ),
            MEETINGS,
            metric(
                "coordinator_fte",
                "Coordination in practices",
                "coordinator FTE",
                Unit::Number,
                false,
            ),
            metric(
                "mean_legitimacy",
                "Coordinators' legitimacy",
                "mean legitimacy (0–1)",
                Unit::Fraction,
                false,
            ),
            metric(
                "protocols",
                "Agreed protocols",
                "protocols",
                Unit::Count,
                false,
            ),
        ],
    },
    Spec {
        stem: "bands-workforce",
        title: "Workload, turnover and structures",
        differences: false,
        metrics: &[
            metric(
                "gp_utilisation",
                "GP workload",
                "% of consultation capacity",
                Unit::Percent,
                false,
            ),
            metric(
                "prof_utilisation",
                "Support professionals' workload",
                "% of caseload",
                Unit::Percent,
                false,
            ),
            metric(
                "departures",
                "Support professionals leaving (4-week mean)",
                "departures per week",
                Unit::Number,
                true,
            ),
            metric(
                "mean_satisfaction",
                "Satisfaction of support professionals",
                "mean satisfaction (0–1)",
                Unit::Fraction,
                false,
            ),
            metric("msps", "MSPs in operation", "MSPs", Unit::Count, false),
            metric(
                "gps_in_msp",
                "GPs practising in an MSP",
                "GPs",
                Unit::Count,
                false,
            ),
        ],
    },
    Spec {
        stem: "bands-differences",
        title: "Difference from the first arm",
        differences: true,
        metrics: &[UNMET, FORGONE, HOSPITAL, WITHOUT_GP, DELEGATED, MEETINGS],
    },
];

/// Stems of the comparison figures, in the order they are written.
pub const COMPARE_FIGURES: &[&str] = &[
    "bands-outcomes",
    "bands-cooperation",
    "bands-workforce",
    "bands-differences",
];

/// One arm's curve in a panel: the mean and its band, week by week.
#[derive(Debug, Clone, PartialEq)]
struct Band {
    colour: RGBColor,
    weeks: Vec<f64>,
    mid: Vec<f64>,
    low: Vec<f64>,
    high: Vec<f64>,
}

struct Panel {
    caption: String,
    y_desc: String,
    unit: Unit,
    bands: Vec<Band>,
    zero_line: bool,
}

struct BandFigure {
    title: String,
    panels: Vec<Panel>,
    legend: Vec<Entry>,
    /// First and last week shown (dated: weeks from the start date).
    weeks: (f64, f64),
    /// The arms' shared start date (`compare.json`), when they are dated: the time axis then
    /// shows years and each row is drawn at the end of its week, as in a run's figures.
    calendar: Option<Date>,
}

/// The rows of `weekly.csv` gathered by arm (in order of appearance) and column.
struct Weekly {
    arms: Vec<String>,
    rows: Vec<WeeklyBandRecord>,
}

impl Weekly {
    /// Rows of one arm and column, by week.
    fn series(&self, arm: &str, column: &str) -> Vec<&WeeklyBandRecord> {
        let mut v: Vec<&WeeklyBandRecord> = self
            .rows
            .iter()
            .filter(|r| r.arm == arm && r.indicator == column)
            .collect();
        v.sort_by_key(|r| r.week);
        v
    }
}

fn read_text(path: &Path) -> Result<String, ComparePlotError> {
    std::fs::read_to_string(path).map_err(|source| {
        if source.kind() == std::io::ErrorKind::NotFound {
            ComparePlotError::Missing(path.to_path_buf())
        } else {
            ComparePlotError::Read {
                path: path.to_path_buf(),
                source,
            }
        }
    })
}

fn read_weekly(path: &Path) -> Result<Weekly, ComparePlotError> {
    let text = read_text(path)?;
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<WeeklyBandRecord> = reader
        .deserialize()
        .map(|row| {
            row.map_err(|e| {
                let (line, message) = super::data::csv_line_and_message(&e);
                ComparePlotError::Malformed {
                    path: path.to_path_buf(),
                    line,
                    message,
                }
            })
        })
        .collect::<Result<_, _>>()?;
    if rows.is_empty() {
        return Err(ComparePlotError::Empty(path.to_path_buf()));
    }
    let mut arms: Vec<String> = Vec::new();
    for r in &rows {
        if !arms.contains(&r.arm) {
            arms.push(r.arm.clone());
        }
    }
    Ok(Weekly { arms, rows })
}

fn read_manifest(path: &Path) -> Result<Manifest, ComparePlotError> {
    let text = read_text(path)?;
    serde_json::from_str(&text).map_err(|e| ComparePlotError::Malformed {
        path: path.to_path_buf(),
        line: Some(e.line() as u64),
        message: e.to_string(),
    })
}

fn level_text(level: f64) -> String {
    let p = 100.0 * level;
    if (p - p.round()).abs() < 1e-9 {
        format!("{p:.0}%")
    } else {
        format!("{p}%")
    }
}

/// Draws the comparison figures of `dir` (written by `pluri compare`) into `out` (created if
/// needed), in the order of [`COMPARE_FIGURES`]; a figure none of whose columns is in
/// `weekly.csv` is left out.
pub fn plot_compare(
    dir: &Path,
    out: &Path,
    format: Format,
) -> Result<Vec<ComparePlot>, ComparePlotError> {
    if !dir.is_dir() {
        return Err(ComparePlotError::NoDirectory(dir.to_path_buf()));
    }
    style::ensure_font()?;
    let manifest = read_manifest(&dir.join(MANIFEST_FILE))?;
    let weekly = read_weekly(&dir.join(WEEKLY_FILE))?;
    std::fs::create_dir_all(out).map_err(|source| PlotError::Write {
        path: out.to_path_buf(),
        source,
    })?;
    let mut written = Vec::new();
    for spec in FIGURES {
        let Some((figure, caption)) = figure(spec, &weekly, &manifest) else {
            continue;
        };
        let files = canvas::render(&figure, out, spec.stem, format)?;
        written.push(ComparePlot {
            stem: spec.stem,
            caption,
            files,
        });
    }
    Ok(written)
}

/// The figure of `spec`, with its caption; `None` when no panel has data.
fn figure(spec: &Spec, weekly: &Weekly, manifest: &Manifest) -> Option<(BandFigure, String)> {
    let level = level_text(manifest.level);
    let first = weekly.arms.first().cloned().unwrap_or_default();
    let shown: Vec<(usize, &String)> = weekly
        .arms
        .iter()
        .enumerate()
        .filter(|(i, _)| !spec.differences || *i > 0)
        .collect();
    let calendar = manifest.start_date;
    // Dated, a row is drawn at the end of its week (the day its `date` names).
    let end = if calendar.is_some() { 1.0 } else { 0.0 };
    let x = |r: &WeeklyBandRecord| f64::from(r.week) + end;
    let mut panels = Vec::new();
    for m in spec.metrics {
        let mut bands = Vec::new();
        for (i, arm) in &shown {
            let rows = weekly.series(arm, m.column);
            if rows.is_empty() {
                continue;
            }
            let pick = |f: &dyn Fn(&WeeklyBandRecord) -> Option<f64>| -> Vec<f64> {
                let v: Vec<f64> = rows.iter().map(|r| f(r).unwrap_or(f64::NAN)).collect();
                if m.flow {
                    trailing_mean(&v, SMOOTH)
                } else {
                    v
                }
            };
            let band = if spec.differences {
                Band {
                    colour: style::run_colour(*i),
                    weeks: rows.iter().map(|r| x(r)).collect(),
                    mid: pick(&|r| r.difference),
                    low: pick(&|r| r.difference_ci_low),
                    high: pick(&|r| r.difference_ci_high),
                }
            } else {
                // Counts and shares cannot leave their range: a t interval that does (few
                // replicates of a skewed count) is drawn cut there; weekly.csv keeps it whole.
                let mid = pick(&|r| Some(r.mean));
                let (floor, ceiling) = match m.unit {
                    _ if mid.iter().any(|v| *v < 0.0) => (f64::NEG_INFINITY, f64::INFINITY),
                    Unit::Percent | Unit::Fraction => (0.0, 1.0),
                    Unit::Number | Unit::Count => (0.0, f64::INFINITY),
                };
                let cut = |v: Vec<f64>| -> Vec<f64> {
                    v.into_iter().map(|x| x.clamp(floor, ceiling)).collect()
                };
                Band {
                    colour: style::run_colour(*i),
                    weeks: rows.iter().map(|r| x(r)).collect(),
                    mid,
                    low: cut(pick(&|r| Some(r.ci_low))),
                    high: cut(pick(&|r| Some(r.ci_high))),
                }
            };
            bands.push(band);
        }
        if bands.is_empty() {
            continue;
        }
        panels.push(Panel {
            caption: m.caption.to_string(),
            y_desc: if spec.differences {
                format!("difference, {}", m.y_desc)
            } else {
                m.y_desc.to_string()
            },
            unit: if spec.differences && m.unit == Unit::Count {
                Unit::Number
            } else {
                m.unit
            },
            bands,
            zero_line: spec.differences,
        });
    }
    if panels.is_empty() {
        return None;
    }
    let mut legend: Vec<Entry> = shown
        .iter()
        .map(|(i, arm)| Entry {
            label: if spec.differences {
                format!("{arm} − {first}")
            } else {
                arm.to_string()
            },
            colour: style::run_colour(*i),
            key: Key::Line,
        })
        .collect();
    legend.push(Entry {
        label: if spec.differences {
            format!("{level} interval of the mean difference")
        } else {
            format!("{level} interval of the mean")
        },
        colour: BAND_KEY,
        key: Key::Swatch,
    });
    let all = weekly.rows.iter().map(|r| f64::from(r.week));
    let lo = all.clone().fold(f64::INFINITY, f64::min);
    let hi = all.fold(f64::NEG_INFINITY, f64::max);
    let title = format!(
        "{}: {} replicates per arm{}",
        spec.title,
        manifest.replicates,
        if manifest.paired {
            ", paired seeds"
        } else {
            ""
        }
    );
    let caption = if spec.differences {
        format!(
            "{}: each arm minus {first}, replicate by replicate; the band is the {level} \
             interval of the mean difference (a band that leaves zero marks a difference \
             beyond the noise).",
            spec.title
        )
    } else {
        format!(
            "{}: each arm's mean over {} replicates and the {level} interval of that mean.",
            spec.title, manifest.replicates
        )
    };
    Some((
        BandFigure {
            title,
            panels,
            legend,
            weeks: if lo.is_finite() {
                (lo, hi + end)
            } else {
                (0.0, 1.0)
            },
            calendar,
        },
        caption,
    ))
}

/// A share as a percentage tick with as many decimals as ticks `step` apart need (small
/// differences of shares are tenths or hundredths of a percent).
fn percent_tick(v: f64, step: f64) -> String {
    let decimals = if step > 0.0 {
        (-(step * 100.0).log10()).ceil().clamp(0.0, 4.0) as usize
    } else {
        0
    };
    if decimals == 0 {
        return style::percent(v);
    }
    let p = v * 100.0;
    let p = if p.abs() < 0.5 * 10f64.powi(-(decimals as i32)) {
        0.0
    } else {
        p
    };
    format!("{p:.decimals$}%")
}

/// Colour of the band key in the legend (bands take their arm's colour, lighter).
const BAND_KEY: RGBColor = RGBColor(200, 200, 200);
/// Opacity of bands.
const BAND_ALPHA: f64 = 0.22;

const WIDTH: u32 = 1400;
const OUTER: i32 = 16;
const TITLE_H: i32 = 50;
const CAPTION_H: i32 = 40;
const CHART_H: i32 = 280;
const COLUMNS: usize = 2;

impl BandFigure {
    fn legend_h(&self) -> i32 {
        let h = legend::height(&self.legend, WIDTH as i32 - 2 * OUTER);
        if h > 0 {
            h + 8
        } else {
            0
        }
    }

    fn rows(&self) -> i32 {
        self.panels.len().div_ceil(COLUMNS) as i32
    }

    fn value_scale(panel: &Panel) -> Scale {
        let values = panel
            .bands
            .iter()
            .flat_map(|b| b.low.iter().chain(&b.high).chain(&b.mid).copied())
            .chain(panel.zero_line.then_some(0.0));
        match panel.unit {
            Unit::Count => scale::count_scale(values),
            Unit::Number => scale::value_scale(values, false),
            Unit::Percent | Unit::Fraction => {
                if panel.zero_line {
                    // Differences of shares may be negative.
                    scale::value_scale(values, false)
                } else {
                    scale::value_scale(values, true)
                }
            }
        }
    }

    fn draw_panel<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        panel: &Panel,
        (left, top, width, height): (i32, i32, i32, i32),
    ) -> Drawn {
        let caption = style::text(size::CAPTION, style::INK).pos(Pos::new(HPos::Center, VPos::Top));
        root.draw(&Text::new(
            panel.caption.clone(),
            (left + width / 2, top + 10),
            caption,
        ))?;
        let area = root.clone().shrink(
            (left, top + CAPTION_H),
            (width as u32, (height - CAPTION_H).max(10) as u32),
        );
        let dates = self
            .calendar
            .map(|start| scale::date_axis(self.weeks.0, self.weeks.1, start));
        let xs = match &dates {
            Some(d) => d.scale.clone(),
            None => scale::week_scale(self.weeks.0, self.weeks.1),
        };
        let x_fmt = |v: &f64| match &dates {
            Some(d) => d.label(*v),
            None => format!("{v:.0}"),
        };
        let ys = Self::value_scale(panel);
        let mut chart = ChartBuilder::on(&area)
            .margin_left(10)
            .margin_right(28)
            .margin_top(8)
            .margin_bottom(4)
            .x_label_area_size(56)
            .y_label_area_size(84)
            .build_cartesian_2d(xs.coord(), ys.coord())?;
        let percent = panel.unit == Unit::Percent;
        let step = match ys.ticks.as_slice() {
            [a, b, ..] => (b - a).abs(),
            _ => 1.0,
        };
        let y_fmt = move |v: &f64| {
            if percent {
                percent_tick(*v, step)
            } else {
                style::tick(*v)
            }
        };
        chart
            .configure_mesh()
            .x_desc(dates.as_ref().map_or("Week", |d| d.desc))
            .y_desc(panel.y_desc.as_str())
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt)
            .label_style(style::text(size::TICK, style::INK))
            .axis_desc_style(style::text(size::AXIS_LABEL, style::INK))
            .bold_line_style(style::GRID)
            .light_line_style(TRANSPARENT)
            .axis_style(style::AXIS)
            .draw()?;
        if panel.zero_line {
            chart.draw_series(LineSeries::new(
                vec![(xs.lo, 0.0), (xs.hi, 0.0)],
                style::MUTED.stroke_width(2),
            ))?;
        }
        for b in &panel.bands {
            let finite = |i: usize| b.low[i].is_finite() && b.high[i].is_finite();
            let mut outline: Vec<(f64, f64)> = (0..b.weeks.len())
                .filter(|&i| finite(i))
                .map(|i| (b.weeks[i], b.high[i]))
                .collect();
            outline.extend(
                (0..b.weeks.len())
                    .rev()
                    .filter(|&i| finite(i))
                    .map(|i| (b.weeks[i], b.low[i])),
            );
            if outline.len() >= 3 {
                chart.draw_series(std::iter::once(Polygon::new(
                    outline,
                    b.colour.mix(BAND_ALPHA).filled(),
                )))?;
            }
        }
        for b in &panel.bands {
            let points: Vec<(f64, f64)> = b
                .weeks
                .iter()
                .zip(&b.mid)
                .filter(|(_, v)| v.is_finite())
                .map(|(w, v)| (*w, *v))
                .collect();
            chart.draw_series(LineSeries::new(points, b.colour.stroke_width(3)))?;
        }
        Ok(())
    }
}

impl Figure for BandFigure {
    fn size(&self) -> (u32, u32) {
        let h = OUTER + TITLE_H + self.legend_h() + self.rows() * (CAPTION_H + CHART_H) + OUTER;
        (WIDTH, h as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn {
        let inner_w = WIDTH as i32 - 2 * OUTER;
        let (title, shown) = style::fit_title(&self.title, inner_w);
        root.draw(&Text::new(
            shown,
            (WIDTH as i32 / 2, OUTER),
            title.pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
        legend::draw(root, &self.legend, OUTER, OUTER + TITLE_H, inner_w)?;
        let grid_top = OUTER + TITLE_H + self.legend_h();
        let panel_h = CAPTION_H + CHART_H;
        for (i, panel) in self.panels.iter().enumerate() {
            let row = (i / COLUMNS) as i32;
            let in_row = (self.panels.len() - row as usize * COLUMNS).min(COLUMNS) as i32;
            let width = inner_w / in_row;
            let col = (i % COLUMNS) as i32;
            self.draw_panel(
                root,
                panel,
                (
                    OUTER + col * width,
                    grid_top + row * panel_h,
                    width,
                    panel_h,
                ),
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_figure_is_listed_and_reads_columns_of_a_runs_weekly_table() {
        let stems: Vec<&str> = FIGURES.iter().map(|s| s.stem).collect();
        assert_eq!(stems, COMPARE_FIGURES);
        let mut w = csv::Writer::from_writer(Vec::new());
        w.serialize(pluri_schema::run::WeeklyRecord::default())
            .expect("a row");
        let bytes = w.into_inner().expect("bytes");
        let text = String::from_utf8(bytes).expect("utf-8");
        let header: Vec<&str> = text.lines().next().expect("header").split(',').collect();
        for spec in FIGURES {
            for m in spec.metrics {
                assert!(header.contains(&m.column), "{}", m.column);
            }
        }
    }

    fn manifest(start: Option<&str>) -> Manifest {
        serde_json::from_value(serde_json::json!({
            "pluri_version": "0", "question": "q", "level": 0.95, "replicates": 2,
            "seed": 1, "paired": true, "seed_formula": "f", "start_date": start,
            "arms": [], "seeds": [], "command": "c"
        }))
        .expect("a manifest")
    }

    #[test]
    fn a_dated_comparison_is_drawn_on_years_with_rows_at_the_end_of_their_week() {
        let row = |week: u32| WeeklyBandRecord {
            week,
            date: None,
            arm: "a".to_string(),
            indicator: UNMET.column.to_string(),
            mean: 1.0,
            sd: 0.0,
            ci_low: 1.0,
            ci_high: 1.0,
            difference: None,
            difference_ci_low: None,
            difference_ci_high: None,
        };
        let weekly = Weekly {
            arms: vec!["a".to_string()],
            rows: (0..260).map(row).collect(),
        };
        let start = Date::parse("2015-03-01");
        let (dated, _) =
            figure(&FIGURES[0], &weekly, &manifest(Some("2015-03-01"))).expect("drawn");
        assert_eq!(dated.calendar, start);
        assert_eq!(dated.weeks, (0.0, 260.0));
        assert_eq!(dated.panels[0].bands[0].weeks[0], 1.0);
        let axis = scale::date_axis(dated.weeks.0, dated.weeks.1, start.expect("a date"));
        assert_eq!(axis.desc, "Year");
        assert_eq!(axis.labels, ["2016", "2017", "2018", "2019", "2020"]);
        // Undated (no start date in the manifest, as before): weeks, rows at their week.
        let (plain, _) = figure(&FIGURES[0], &weekly, &manifest(None)).expect("drawn");
        assert_eq!(plain.calendar, None);
        assert_eq!(plain.weeks, (0.0, 259.0));
        assert_eq!(plain.panels[0].bands[0].weeks[0], 0.0);
    }

    #[test]
    fn percentage_ticks_keep_the_decimals_their_step_needs() {
        assert_eq!(percent_tick(0.25, 0.05), "25%");
        assert_eq!(percent_tick(0.0005, 0.0005), "0.05%");
        assert_eq!(percent_tick(-0.001, 0.0005), "-0.10%");
        assert_eq!(percent_tick(-0.000_000_1, 0.0005), "0.00%");
    }

    #[test]
    fn a_missing_directory_or_table_is_named() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let e = plot_compare(&tmp.path().join("nope"), tmp.path(), Format::Svg)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("no such directory"), "{e}");
        let e = plot_compare(tmp.path(), tmp.path(), Format::Svg)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("compare.json: missing"), "{e}");
    }
}
