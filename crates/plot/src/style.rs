//! Look of every figure: the bundled font, the colour-blind-safe palette and text sizes.

use super::PlotError;
use plotters::style::{FontFamily, FontStyle, IntoFont, RGBColor, TextStyle};
use std::sync::OnceLock;

/// DejaVu Sans, bundled so PNG text needs no system font (licence in `assets/fonts/`).
const FONT: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");

/// Family name every text style uses; the bundled font is registered under it.
pub(crate) const FAMILY: &str = "sans-serif";

/// Registers the bundled font once for the whole process.
pub(crate) fn ensure_font() -> Result<(), PlotError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED
        .get_or_init(|| plotters::style::register_font(FAMILY, FontStyle::Normal, FONT).is_ok());
    if ok {
        Ok(())
    } else {
        Err(PlotError::Font)
    }
}

/// Okabe–Ito colours, in the order runs take them (yellow last: it is pale on white).
pub(crate) const RUN_COLOURS: [RGBColor; 8] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(230, 159, 0),   // orange
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(0, 0, 0),       // black
    RGBColor(240, 228, 66),  // yellow
];

/// Colour of the `i`-th run (cycling after eight).
pub(crate) fn run_colour(i: usize) -> RGBColor {
    RUN_COLOURS[i % RUN_COLOURS.len()]
}

/// Text colour.
pub(crate) const INK: RGBColor = RGBColor(30, 30, 30);
/// Secondary text and intervention markers.
pub(crate) const MUTED: RGBColor = RGBColor(90, 90, 90);
/// Grid lines.
pub(crate) const GRID: RGBColor = RGBColor(225, 225, 225);
/// Axes.
pub(crate) const AXIS: RGBColor = RGBColor(120, 120, 120);

/// Text sizes in pixels (plotters' size unit).
pub(crate) mod size {
    /// Figure title.
    pub const TITLE: f64 = 32.0;
    /// Panel caption.
    pub const CAPTION: f64 = 22.0;
    /// Axis description.
    pub const AXIS_LABEL: f64 = 18.0;
    /// Tick labels.
    pub const TICK: f64 = 16.0;
    /// Legend entries.
    pub const LEGEND: f64 = 19.0;
    /// Intervention labels and notes.
    pub const NOTE: f64 = 16.0;
}

/// A text style of the bundled family.
pub(crate) fn text(px: f64, colour: RGBColor) -> TextStyle<'static> {
    (FontFamily::Name(FAMILY), px).into_font().color(&colour)
}

/// Width and height in pixels that `s` takes in `style` (estimated from the bundled font).
pub(crate) fn text_size(s: &str, style: &TextStyle<'_>) -> (u32, u32) {
    style.font.box_size(s).unwrap_or((
        s.chars().count() as u32 * style.font.get_size() as u32 / 2,
        0,
    ))
}

/// `s` cut to fit in `max_w` pixels of `style`, ending with `…` when cut.
pub(crate) fn fit(s: &str, style: &TextStyle<'_>, max_w: i32) -> String {
    if text_size(s, style).0 as i32 <= max_w {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    (0..chars.len())
        .rev()
        .map(|n| chars[..n].iter().collect::<String>() + "…")
        .find(|t| text_size(t, style).0 as i32 <= max_w)
        .unwrap_or_else(|| "…".to_string())
}

/// A title style and text fitting `max_w` pixels: the title size, smaller if needed (down
/// to two thirds), then cut.
pub(crate) fn fit_title(s: &str, max_w: i32) -> (TextStyle<'static>, String) {
    let mut px = size::TITLE;
    while px > size::TITLE * 2.0 / 3.0 && text_size(s, &text(px, INK)).0 as i32 > max_w {
        px -= 2.0;
    }
    let style = text(px, INK);
    let shown = fit(s, &style, max_w);
    (style, shown)
}

/// Formats a tick value without noise digits (`0.25`, `12`, `1.5k`).
pub(crate) fn tick(v: f64) -> String {
    let a = v.abs();
    if a >= 10_000.0 {
        trim(format!("{:.1}", v / 1000.0)) + "k"
    } else if a >= 100.0 || a == 0.0 {
        format!("{v:.0}")
    } else if a >= 10.0 {
        trim(format!("{v:.1}"))
    } else if a >= 1.0 {
        trim(format!("{v:.2}"))
    } else {
        trim(format!("{v:.3}"))
    }
}

/// Formats a share (0–1) as a percentage tick (`40%`, `2.5%`).
pub(crate) fn percent(v: f64) -> String {
    let p = v * 100.0;
    if (p - p.round()).abs() < 1e-6 {
        format!("{:.0}%", p.round())
    } else {
        trim(format!("{p:.1}")) + "%"
    }
}

fn trim(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_drop_noise_digits() {
        assert_eq!(tick(0.0), "0");
        assert_eq!(tick(0.25), "0.25");
        assert_eq!(tick(12.0), "12");
        assert_eq!(tick(12.5), "12.5");
        assert_eq!(tick(250.0), "250");
        assert_eq!(tick(15_000.0), "15k");
        assert_eq!(tick(-2.0), "-2");
    }

    #[test]
    fn shares_read_as_percentages() {
        assert_eq!(percent(0.4), "40%");
        assert_eq!(percent(0.025), "2.5%");
        assert_eq!(percent(0.0), "0%");
        assert_eq!(percent(1.0), "100%");
        assert_eq!(percent(0.925), "92.5%");
    }

    #[test]
    fn long_text_is_cut_to_fit_with_an_ellipsis() {
        ensure_font().expect("font");
        let style = text(16.0, INK);
        assert_eq!(fit("short", &style, 500), "short");
        let long = "a-very-long-scenario-name-that-goes-on-and-on-and-on";
        let cut = fit(long, &style, 120);
        assert!(cut.ends_with('…') && cut.len() < long.len(), "{cut}");
        assert!(text_size(&cut, &style).0 <= 120);
        let (style, title) = fit_title(&long.repeat(4), 1000);
        assert!(text_size(&title, &style).0 <= 1000);
    }

    #[test]
    fn the_bundled_font_registers() {
        assert!(ensure_font().is_ok());
        let (w, h) = text_size("Week", &text(20.0, INK));
        assert!(w > 20 && h > 5, "{w}x{h}");
    }
}
