//! Output formats, file stems made safe, and the one place that turns a figure into PNG or
//! SVG files, atomically.

use super::PlotError;
use plotters::coord::Shift;
use plotters::prelude::{BitMapBackend, DrawingArea, DrawingAreaErrorKind, DrawingBackend};
use plotters::prelude::{IntoDrawingArea, SVGBackend, WHITE};
use std::path::{Path, PathBuf};

/// File formats figures are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Bitmap images, for slides and documents.
    #[default]
    Png,
    /// Vector images, for print and editing.
    Svg,
    /// Both PNG and SVG.
    Both,
}

impl Format {
    /// File extensions written, in order.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Format::Png => &["png"],
            Format::Svg => &["svg"],
            Format::Both => &["png", "svg"],
        }
    }
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Format, String> {
        match s.to_ascii_lowercase().as_str() {
            "png" => Ok(Format::Png),
            "svg" => Ok(Format::Svg),
            "both" => Ok(Format::Both),
            _ => Err(format!("unknown format `{s}`: use png, svg or both")),
        }
    }
}

/// Why drawing failed, as text (the backends' error types differ).
#[derive(Debug)]
pub(crate) struct DrawError(pub String);

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for DrawError {
    fn from(e: DrawingAreaErrorKind<E>) -> DrawError {
        DrawError(e.to_string())
    }
}

/// Result of drawing into an area.
pub(crate) type Drawn = Result<(), DrawError>;

/// A figure that can draw itself on any backend.
pub(crate) trait Figure {
    /// Size in pixels.
    fn size(&self) -> (u32, u32);
    /// Draws on a white area of [`Figure::size`].
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn;
}

/// Writes `figure` as `<dir>/<stem>.<ext>` for each extension of `format`; returns the files.
/// Each file is drawn under a temporary name and renamed into place when complete.
pub(crate) fn render(
    figure: &impl Figure,
    dir: &Path,
    stem: &str,
    format: Format,
) -> Result<Vec<PathBuf>, PlotError> {
    let mut written = Vec::new();
    for ext in format.extensions() {
        let path = dir.join(format!("{stem}.{ext}"));
        let tmp = dir.join(format!(".{stem}.partial.{ext}"));
        let drawn = match *ext {
            "png" => draw_png(figure, &tmp, &path),
            _ => draw_svg(figure, &tmp, &path),
        };
        let result = drawn.and_then(|()| {
            std::fs::rename(&tmp, &path).map_err(|source| PlotError::Write {
                path: path.clone(),
                source,
            })
        });
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result?;
        written.push(path);
    }
    Ok(written)
}

fn draw_error(path: &Path) -> impl FnOnce(DrawError) -> PlotError + '_ {
    move |e| PlotError::Draw {
        path: path.to_path_buf(),
        message: e.0,
    }
}

/// Draws a PNG at `tmp`; errors name the figure's final `path`.
fn draw_png(figure: &impl Figure, tmp: &Path, path: &Path) -> Result<(), PlotError> {
    let root = BitMapBackend::new(tmp, figure.size()).into_drawing_area();
    let drawn: Drawn = (|| {
        root.fill(&WHITE)?;
        figure.draw(&root)?;
        // The bitmap backend writes the file here, and reports a failed write as a drawing error.
        root.present()?;
        Ok(())
    })();
    drawn.map_err(draw_error(path))
}

/// Draws an SVG in memory and writes it at `tmp`; errors name the figure's final `path`.
fn draw_svg(figure: &impl Figure, tmp: &Path, path: &Path) -> Result<(), PlotError> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, figure.size()).into_drawing_area();
        let drawn: Drawn = (|| {
            root.fill(&WHITE)?;
            figure.draw(&root)?;
            root.present()?;
            Ok(())
        })();
        drawn.map_err(draw_error(path))?;
    }
    std::fs::write(tmp, svg).map_err(|source| PlotError::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// A label made safe as part of a file name: letters, digits, `-`, `_` and `.` kept.
pub(crate) fn file_safe(label: &str) -> String {
    let s: String = label
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let s = s.trim_matches('-').to_string();
    if s.is_empty() {
        "run".to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_from_their_names() {
        assert_eq!("png".parse::<Format>(), Ok(Format::Png));
        assert_eq!("SVG".parse::<Format>(), Ok(Format::Svg));
        assert_eq!("both".parse::<Format>(), Ok(Format::Both));
        assert!("jpeg".parse::<Format>().is_err());
    }

    #[test]
    fn both_writes_png_then_svg() {
        assert_eq!(Format::Both.extensions(), ["png", "svg"]);
    }

    #[test]
    fn labels_become_safe_file_names() {
        assert_eq!(file_safe("default"), "default");
        assert_eq!(file_safe("default (run-2)"), "default--run-2");
        assert_eq!(file_safe("a/b c"), "a-b-c");
        assert_eq!(file_safe("///"), "run");
    }
}
