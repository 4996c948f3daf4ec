//! Plot pieces shared by the figures (plotters, SVG backend, no fonts): one type scale sized for slides, tick labels
//! without float noise (`1e-4`, `0.01`, `10`), explicit tick positions for log axes, one mesh style, and a legend
//! with swatches drawn in its own strip beside the data, never over it.
//!
//! plotters' SVG backend cannot measure text (it estimates about 0.45 em per byte); sizes and strips below leave room
//! for the real glyphs of a sans-serif font.

use plotters::coord::Shift;
use plotters::coord::combinators::{BindKeyPoints, IntoLogRange, LogCoord, WithKeyPoints};
use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::prelude::*;
use plotters::style::FontDesc;

/// Font size of a figure's title, in plotters' units (its SVG backend writes 1/1.24 of this: 25 → 20 px).
pub const TITLE: u32 = 25;
/// Font size of an axis label (17 px in the SVG).
pub const AXIS: u32 = 21;
/// Font size of tick labels and panel titles' base (14.5 px in the SVG).
pub const TICK: u32 = 18;
/// Font size of legend entries (14.5 px in the SVG).
pub const LEGEND: u32 = 18;
/// Height of one legend row, in pixels.
pub const LEGEND_ROW: u32 = 26;

/// Fill of a certified bracket's band.
pub const BAND: RGBColor = RGBColor(255, 170, 60);
/// Edge of a certified bracket's band.
pub const BAND_EDGE: RGBColor = RGBColor(200, 110, 0);

/// A sans-serif font of `size` pixels.
pub fn font(size: u32) -> FontDesc<'static> {
    ("sans-serif", size).into_font()
}

/// A tick label for a linear axis spanning `span`: no float noise, `0` for values within 1e-9 span of zero, an
/// exponent form (`2.5e-4`) below 1e-3 or from 1e5 on, otherwise decimals enough to tell ticks `span/100` apart.
pub fn tick(v: f64, span: f64) -> String {
    if !v.is_finite() {
        return String::new();
    }
    let span = if span.is_finite() && span > 0.0 { span } else { v.abs().max(1.0) };
    if v.abs() <= span * 1e-9 {
        return "0".to_string();
    }
    let mag = v.abs().log10().floor();
    if !(-3.0..5.0).contains(&mag) {
        return exp_form(v);
    }
    let decimals = (2.0 - span.log10().floor()).clamp(0.0, 8.0) as usize;
    trim(&format!("{v:.decimals$}"))
}

/// A tick label for a log axis: a power of ten as `1e-4`, `0.01`, `1`, `10`, `1000`, `1e5`; any other value with
/// three significant digits (`2.5e-4`, `0.03`, `48`).
pub fn log_tick(v: f64) -> String {
    if !(v > 0.0) || !v.is_finite() {
        return String::new();
    }
    let p = v.log10();
    if (p - p.round()).abs() < 1e-6 {
        let p = p.round() as i32;
        return if (-2..=3).contains(&p) { trim(&format!("{:.2}", 10f64.powi(p))) } else { format!("1e{p}") };
    }
    let mag = p.floor();
    if !(-3.0..5.0).contains(&mag) {
        return exp_form(v);
    }
    let decimals = (2.0 - mag).clamp(0.0, 8.0) as usize;
    trim(&format!("{v:.decimals$}"))
}

/// [`log_tick`] in the shape a mesh's label formatter takes.
pub fn log_label(v: &f64) -> String {
    log_tick(*v)
}

/// A number for a caption or legend: three significant digits, exponent form outside [1e-3, 1e5).
pub fn num(v: f64) -> String {
    if v == 0.0 {
        return "0".to_string();
    }
    let s = log_tick(v.abs());
    if v < 0.0 { format!("-{s}") } else { s }
}

/// `2.50e-4` → `2.5e-4`, `1.00e-4` → `1e-4`.
fn exp_form(v: f64) -> String {
    let s = format!("{v:.2e}");
    match s.split_once('e') {
        Some((m, e)) => format!("{}e{e}", trim(m)),
        None => s,
    }
}

/// Drops trailing zeros after a decimal point, and the point itself when nothing is left after it.
fn trim(s: &str) -> String {
    if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s.to_string() }
}

/// Tick positions for a log axis over `[lo, hi]`: the powers of ten inside it, every k-th one so that at most
/// `max` are labelled; when fewer than three powers fall inside, 1-2-5 multiples instead.
pub fn log_ticks(lo: f64, hi: f64, max: usize) -> Vec<f64> {
    if !(lo > 0.0) || !(hi > lo) || !hi.is_finite() {
        return Vec::new();
    }
    let (a, b) = (lo.log10().ceil() as i32, hi.log10().floor() as i32);
    let count = (b - a + 1).max(0) as usize;
    if count >= 3 {
        let step = count.div_ceil(max.max(1)).max(1);
        return (a..=b).filter(|p| (p - a) as usize % step == 0).map(|p| 10f64.powi(p)).collect();
    }
    let mut out = Vec::new();
    for p in (a - 1)..=(b + 1) {
        for m in [1.0, 2.0, 5.0] {
            let v = m * 10f64.powi(p);
            if v >= lo && v <= hi {
                out.push(v);
            }
        }
    }
    out
}

/// Draws the mesh of `chart` in the figures' style: axis labels, tick labels from `fx`/`fy`, light grid lines.
pub fn mesh<'a, DB, X, Y>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<X, Y>>,
    x_desc: &str,
    y_desc: &str,
    fx: &dyn Fn(&f64) -> String,
    fy: &dyn Fn(&f64) -> String,
) -> super::DrawResult
where
    DB: DrawingBackend + 'a,
    DB::ErrorType: 'static,
    X: Ranged<ValueType = f64> + ValueFormatter<f64>,
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    chart
        .configure_mesh()
        .x_desc(x_desc)
        .y_desc(y_desc)
        .x_label_formatter(fx)
        .y_label_formatter(fy)
        .x_labels(8)
        .y_labels(7)
        .max_light_lines(1)
        .light_line_style(RGBColor(235, 235, 235))
        .bold_line_style(RGBColor(215, 215, 215))
        .label_style(font(TICK))
        .axis_desc_style(font(AXIS))
        .draw()?;
    Ok(())
}

/// A linear axis range `lo..hi` together with its tick formatter.
pub fn linear_ticks(lo: f64, hi: f64) -> impl Fn(&f64) -> String {
    let span = hi - lo;
    move |v: &f64| tick(*v, span)
}

/// A log-scaled range over `[lo, hi]` with tick positions from [`log_ticks`] (at most `max` labels).
pub fn log_axis(lo: f64, hi: f64, max: usize) -> WithKeyPoints<LogCoord<f64>> {
    (lo..hi).log_scale().with_key_points(log_ticks(lo, hi, max))
}

/// What a legend entry's swatch shows.
#[derive(Clone, Copy)]
pub enum Swatch {
    /// A solid line of this colour and width.
    Line(RGBColor, u32),
    /// A dashed line of this colour.
    Dashed(RGBColor),
    /// A line with a filled dot on it.
    LineDot(RGBColor),
    /// A filled dot.
    Dot(RGBColor),
    /// A filled band of this colour and opacity.
    Band(RGBColor, f64),
    /// A short vertical bar.
    Bar(RGBColor),
}

/// One legend entry: a swatch and its text.
pub struct Entry {
    /// The swatch.
    pub swatch: Swatch,
    /// The text beside it.
    pub label: String,
}

/// Shorthand for an [`Entry`].
pub fn entry(swatch: Swatch, label: impl Into<String>) -> Entry {
    Entry { swatch, label: label.into() }
}

/// Draws `entries` in `area` (a strip reserved beside or below the plot), `cols` entries per row, left to right,
/// starting `left` pixels in.
pub fn legend<DB>(area: &DrawingArea<DB, Shift>, entries: &[Entry], cols: usize, left: i32) -> super::DrawResult
where
    DB: DrawingBackend,
    DB::ErrorType: 'static,
{
    let cols = cols.max(1);
    let (w, _) = area.dim_in_pixel();
    let col_w = (w as i32 - left) / cols as i32;
    let style = font(LEGEND).color(&BLACK);
    for (i, e) in entries.iter().enumerate() {
        let x = left + (i % cols) as i32 * col_w;
        let y = 8 + (i / cols) as i32 * LEGEND_ROW as i32 + LEGEND_ROW as i32 / 2;
        let (x0, x1) = (x, x + 30);
        match e.swatch {
            Swatch::Line(c, wd) => {
                area.draw(&PathElement::new(vec![(x0, y), (x1, y)], c.stroke_width(wd)))?;
            }
            Swatch::Dashed(c) => {
                for k in 0..3 {
                    area.draw(&PathElement::new(vec![(x0 + 12 * k, y), (x0 + 12 * k + 7, y)], c.stroke_width(2)))?;
                }
            }
            Swatch::LineDot(c) => {
                area.draw(&PathElement::new(vec![(x0, y), (x1, y)], c.stroke_width(2)))?;
                area.draw(&Circle::new((x0 + 15, y), 4, c.filled()))?;
            }
            Swatch::Dot(c) => {
                area.draw(&Circle::new((x0 + 15, y), 4, c.filled()))?;
            }
            Swatch::Band(c, a) => {
                area.draw(&Rectangle::new([(x0, y - 7), (x1, y + 7)], c.mix(a).filled()))?;
                area.draw(&Rectangle::new([(x0, y - 7), (x1, y + 7)], c.stroke_width(1)))?;
            }
            Swatch::Bar(c) => {
                area.draw(&Rectangle::new([(x0 + 12, y - 9), (x0 + 17, y + 9)], c.mix(0.7).filled()))?;
            }
        }
        area.draw(&Text::new(e.label.clone(), (x1 + 8, y - (LEGEND as f64 / 1.24 / 2.0) as i32 - 1), style.clone()))?;
    }
    Ok(())
}

/// Splits `area` into the plot above and a legend strip below for `n` entries in `cols` columns.
pub fn split_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    n: usize,
    cols: usize,
) -> (DrawingArea<DB, Shift>, DrawingArea<DB, Shift>) {
    let h = area.dim_in_pixel().1;
    area.split_vertically(h.saturating_sub(legend_height(n, cols)))
}

/// Height of a legend strip holding `n` entries in `cols` columns.
pub fn legend_height(n: usize, cols: usize) -> u32 {
    16 + n.div_ceil(cols.max(1)) as u32 * LEGEND_ROW
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_carry_no_float_noise() {
        assert_eq!(log_tick(9.999999999999999e-5), "1e-4");
        assert_eq!(log_tick(0.010000000000000002), "0.01");
        assert_eq!(log_tick(10.000000000000002), "10");
        assert_eq!(log_tick(1e5), "1e5");
        assert_eq!(log_tick(2.5e-4), "2.5e-4");
        assert_eq!(log_tick(48.0), "48");
        assert_eq!(tick(0.30000000000000004, 1.0), "0.3");
        assert_eq!(tick(-1.3877787807814457e-17, 1.0), "0");
        assert_eq!(tick(0.0005, 0.002), "5e-4");
        assert_eq!(tick(1500.0, 4000.0), "1500");
        assert_eq!(num(-0.25), "-0.25");
    }

    #[test]
    fn log_ticks_are_thinned_powers() {
        assert_eq!(log_ticks(5e-11, 2e-2, 6).len(), 5);
        assert_eq!(log_ticks(3.0, 9.0, 6), vec![5.0]);
        assert_eq!(log_ticks(9.0, 300.0, 6), vec![10.0, 20.0, 50.0, 100.0, 200.0]);
        assert!(log_ticks(0.0, 1.0, 6).is_empty());
    }
}
