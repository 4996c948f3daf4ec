//! The width study (appendix F.2): test error and normalized margin vs width, with the dictionary ℓ1-SVM LP value as a
//! floor. Files: `width.csv` (every trained net, the figure's replicate 0 first), `width.svg` (replicate 0 as the
//! line, the other replicates as small grey points), `width.json` (result and findings).

use super::plot::{Swatch, TICK, TITLE, entry, font, legend, linear_ticks, log_label, mesh, num, split_legend};
use super::{DrawResult, drawn, put, put_json};
use crate::Result;
use crate::experiments::width_study::WidthStudy;
use plotters::coord::combinators::{BindKeyPoints, IntoLogRange};
use plotters::prelude::*;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Writes the figure's files into `dir`.
pub fn write(r: &WidthStudy, dir: &Path) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    let floor = r.floor.as_ref().map(|f| f.lower / 2.0);
    let mut csv = String::from("width,test_error,normalized_margin,l1_dictionary_floor,replicate\n");
    for row in r.rows.iter().chain(&r.replicate_rows) {
        let f = floor.unwrap_or(f64::NAN);
        let _ = writeln!(csv, "{},{},{},{f},{}", row.width, row.test_error, row.normalized_margin, row.replicate);
    }
    put(dir, "width.csv", &csv, &mut written)?;
    let file = dir.join("width.svg");
    drawn(&file, svg(r, floor, &file))?;
    written.push(file);
    put_json(
        dir,
        "width.json",
        &serde_json::json!({"figure": "width", "result": r, "findings": r.findings}),
        &mut written,
    )?;
    Ok(written)
}

/// Colour of the replicates 1 … R − 1 (the findings' further nets), behind the figure's net.
const REPLICATE: RGBColor = RGBColor(150, 150, 150);

fn svg(r: &WidthStudy, floor: Option<f64>, file: &Path) -> DrawResult {
    let root = SVGBackend::new(file, (1280, 560)).into_drawing_area();
    root.fill(&WHITE)?;
    let title = format!("Width study: d = {}, n = {} training points, {} test points", r.d, r.n, r.n_test);
    let body = root.titled(&title, font(TITLE))?;
    let (left, right) = body.split_horizontally(640);
    let widths: Vec<f64> = r.rows.iter().map(|x| x.width as f64).collect();
    let wmin = widths.iter().copied().fold(f64::INFINITY, f64::min).min(1e6) / 1.5;
    let wmax = widths.iter().copied().fold(1.0, f64::max) * 1.5;
    let x_axis = || (wmin..wmax).log_scale().with_key_points(widths.clone());
    let x_desc = "width m (hidden units, log scale)";
    {
        let (plot, key) = split_legend(&left, 2, 1);
        let emax = r.rows.iter().chain(&r.replicate_rows).map(|x| x.test_error).fold(0.0, f64::max).max(0.01) * 1.2;
        let mut c = ChartBuilder::on(&plot)
            .caption("test error vs width", font(TICK + 2))
            .margin(12)
            .margin_right(24)
            .x_label_area_size(62)
            .y_label_area_size(95)
            .build_cartesian_2d(x_axis(), 0.0..emax)?;
        mesh(&mut c, x_desc, "0-1 test error (fraction)", &log_label, &linear_ticks(0.0, emax))?;
        c.draw_series(LineSeries::new(r.rows.iter().map(|x| (x.width as f64, x.test_error)), BLUE.stroke_width(2)))?;
        c.draw_series(r.rows.iter().map(|x| Circle::new((x.width as f64, x.test_error), 5, BLUE.filled())))?;
        c.draw_series(
            r.replicate_rows.iter().map(|x| Circle::new((x.width as f64, x.test_error), 3, REPLICATE.filled())),
        )?;
        legend(&key, &[entry(Swatch::LineDot(BLUE), "trained net")], 1, 90)?;
    }
    {
        let (plot, key) = split_legend(&right, 2, 1);
        let gs = r.rows.iter().chain(&r.replicate_rows).map(|x| x.normalized_margin).chain(floor);
        let (gmin, gmax) = gs.fold((0.0f64, 1e-6f64), |(a, b), v| (a.min(v), b.max(v)));
        let (glo, ghi) = (gmin - 0.05 * (gmax - gmin), gmax + 0.12 * (gmax - gmin));
        let mut c = ChartBuilder::on(&plot)
            .caption("normalized margin vs width", font(TICK + 2))
            .margin(12)
            .margin_right(24)
            .x_label_area_size(62)
            .y_label_area_size(95)
            .build_cartesian_2d(x_axis(), glo..ghi)?;
        mesh(&mut c, x_desc, "normalized margin γ", &log_label, &linear_ticks(glo, ghi))?;
        let mut entries = Vec::new();
        if let Some(f) = floor {
            c.draw_series(DashedLineSeries::new(vec![(wmin, f), (wmax, f)], 10, 6, RED.stroke_width(2)))?;
            entries.push(entry(Swatch::Dashed(RED), format!("ℓ1-SVM dictionary LP / 2 = {} (a floor)", num(f))));
        }
        c.draw_series(LineSeries::new(
            r.rows.iter().map(|x| (x.width as f64, x.normalized_margin)),
            BLUE.stroke_width(2),
        ))?;
        c.draw_series(r.rows.iter().map(|x| Circle::new((x.width as f64, x.normalized_margin), 5, BLUE.filled())))?;
        c.draw_series(
            r.replicate_rows.iter().map(|x| Circle::new((x.width as f64, x.normalized_margin), 3, REPLICATE.filled())),
        )?;
        entries.insert(0, entry(Swatch::LineDot(BLUE), "trained net: min_i y_i f(x_i) / ‖Θ‖²"));
        legend(&key, &entries, 1, 90)?;
    }
    root.present()?;
    Ok(())
}
