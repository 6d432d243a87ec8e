//! `pluri plot`: draw the standard figures of one run, compare several runs, or draw the
//! figures of a sweep or sensitivity directory.

use pluri_plot::{dir_kind, plot_runs, plot_sensitivity, plot_sweep, DirKind, Format};

/// `--format`: the figures' file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum FormatArg {
    /// Bitmap images, for slides and documents.
    #[default]
    Png,
    /// Vector images, for print and editing.
    Svg,
    /// Both PNG and SVG.
    Both,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Png => Format::Png,
            FormatArg::Svg => Format::Svg,
            FormatArg::Both => Format::Both,
        }
    }
}
use anyhow::Context;
use std::path::PathBuf;

/// Where comparisons of several runs go unless `--out` says otherwise.
pub const COMPARE_DIR: &str = "output/compare";

/// Arguments of `pluri plot`.
#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Examples:\n  pluri plot output/default\n  pluri plot output/default output/more-coordination --out output/compare-coordination\n  pluri plot output/default --format both\n  pluri plot output/sweep-small              sweep figures (a directory with points.csv)\n  pluri plot output/sensitivity-small        Morris and Sobol figures"
)]
pub struct PlotArgs {
    /// Run directories written by `pluri run`. One run is drawn alone; several are compared
    /// on the same axes, one colour per run, named by their scenario. A sweep directory
    /// (`pluri sweep`, `pluri merge`) or a sensitivity directory (`pluri sensitivity`) gets
    /// its own figures, one directory at a time.
    #[arg(required = true, num_args = 1.., value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// Where figures go (default: the run's own directory for one run, output/compare for
    /// several).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// File format of the figures.
    #[arg(long, value_enum, default_value_t = FormatArg::Png)]
    pub format: FormatArg,
}

impl PlotArgs {
    /// The directory figures are written to.
    pub fn out_dir(&self) -> PathBuf {
        match (&self.out, self.dirs.as_slice()) {
            (Some(out), _) => out.clone(),
            (None, [one]) => one.clone(),
            (None, _) => PathBuf::from(COMPARE_DIR),
        }
    }
}

/// Draws the figures and prints the files written, one a line (nothing when `quiet`).
pub fn run(args: &PlotArgs, quiet: bool) -> anyhow::Result<()> {
    let out = args.out_dir();
    let kinds: Vec<DirKind> = args.dirs.iter().map(|d| dir_kind(d)).collect();
    let files = match (args.dirs.as_slice(), kinds.as_slice()) {
        ([dir], [DirKind::Sweep]) => plot_sweep(dir, &out, args.format.into())
            .with_context(|| format!("cannot draw the figures of sweep {}", dir.display()))?,
        ([dir], [DirKind::Sensitivity]) => plot_sensitivity(dir, &out, args.format.into())
            .with_context(|| format!("cannot draw the figures of {}", dir.display()))?,
        _ => {
            if let Some(i) = kinds.iter().position(|k| *k != DirKind::Run) {
                anyhow::bail!(
                    "{} is a sweep or sensitivity directory: draw it alone (`pluri plot {}`); only run directories are compared",
                    args.dirs[i].display(),
                    args.dirs[i].display()
                );
            }
            plot_runs(&args.dirs, &out, args.format.into()).context("cannot draw the figures")?
        }
    };
    if !quiet {
        for f in files {
            println!("{}", f.display());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        plot: PlotArgs,
    }

    fn parse(args: &[&str]) -> Result<PlotArgs, clap::Error> {
        Cli::try_parse_from(std::iter::once("plot").chain(args.iter().copied())).map(|c| c.plot)
    }

    #[test]
    fn one_run_is_drawn_into_its_own_directory_as_png() {
        let a = parse(&["output/default"]).expect("parse");
        assert_eq!(a.out_dir(), PathBuf::from("output/default"));
        assert_eq!(a.format, FormatArg::Png);
    }

    #[test]
    fn several_runs_are_compared_in_output_compare() {
        let a = parse(&["output/a", "output/b", "--format", "both"]).expect("parse");
        assert_eq!(a.dirs.len(), 2);
        assert_eq!(a.out_dir(), PathBuf::from(COMPARE_DIR));
        assert_eq!(a.format, FormatArg::Both);
    }

    #[test]
    fn out_overrides_the_default_directory() {
        let a = parse(&["output/a", "--out", "figs", "--format", "svg"]).expect("parse");
        assert_eq!(a.out_dir(), PathBuf::from("figs"));
        assert_eq!(a.format, FormatArg::Svg);
    }

    #[test]
    fn at_least_one_directory_is_required() {
        assert!(parse(&[]).is_err());
        assert!(parse(&["output/a", "--format", "jpeg"]).is_err());
    }

    #[test]
    fn help_explains_each_option_and_shows_examples() {
        use clap::CommandFactory;
        let help = Cli::command().render_help().to_string();
        for needle in [
            "<DIR>...",
            "--out <DIR>",
            "--format <FORMAT>",
            "output/compare",
            "pluri plot output/default",
        ] {
            assert!(help.contains(needle), "{needle} not in help:\n{help}");
        }
    }

    #[test]
    fn a_missing_run_is_reported_with_the_file_at_fault() {
        let root = tempfile::tempdir().expect("tempdir");
        let args = parse(&[root.path().to_str().expect("utf-8 path")]).expect("parse");
        let message = format!("{:#}", run(&args, true).expect_err("not a run"));
        assert!(message.contains("summary.json: missing"), "{message}");
    }
}
