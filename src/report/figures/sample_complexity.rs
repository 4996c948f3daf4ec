//! The sample-complexity figure: n*(d) per method on log–log axes with fitted slopes and CIs, and test error vs n at
//! the largest d. Files: `sample_complexity.csv` (every curve point), `sample_complexity.json` (fits and findings),
//! `sample_complexity.svg`
//! (n* vs d) and `sample_complexity_curves.svg` (error vs n at the largest d, replicate 0).

use super::plot::{Swatch, TITLE, entry, font, legend, linear_ticks, log_axis, log_label, mesh, num, split_legend};
use super::{DrawResult, drawn, put, put_json};
use crate::Result;
use crate::experiments::sample_complexity::SampleComplexity;
use plotters::coord::combinators::{BindKeyPoints, IntoLogRange};
use plotters::prelude::*;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// One colour per method, told apart in print and by most colour-blind readers.
const COLORS: [RGBColor; 5] = [
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(23, 190, 207),
    RGBColor(90, 90, 90),
    RGBColor(31, 119, 180),
];

/// Writes the figure's files into `dir`.
pub fn write(r: &SampleComplexity, tier: &str, dir: &Path) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    let mut csv = String::from("method,d,replicate,n,test_error,n_star,censored\n");
    for c in &r.sweep.curves {
        for (n, e) in c.ns.iter().zip(&c.errors) {
            let _ = writeln!(csv, "{},{},{},{n},{e},{},{}", c.method, c.d, c.replicate, c.n_star, c.censored);
        }
    }
    put(dir, "sample_complexity.csv", &csv, &mut written)?;
    let methods: serde_json::Map<String, serde_json::Value> = r
        .fits
        .iter()
        .map(|f| {
            let medians: serde_json::Map<String, serde_json::Value> =
                f.n_star_medians.iter().map(|(d, m)| (d.to_string(), serde_json::json!(m))).collect();
            (
                f.method.clone(),
                serde_json::json!({"family": f.family, "slope": f.slope, "ci": [f.ci.0, f.ci.1], "n_star": medians,
                    "censored": f.censored}),
            )
        })
        .collect();
    let json = serde_json::json!({"figure": "sample-complexity", "seed": r.seed, "tier": tier,
        "dims": r.sweep.config.dims, "config": r.sweep.config, "parameters": r.sweep.config, "methods": methods,
        "findings": r.findings});
    put_json(dir, "sample_complexity.json", &json, &mut written)?;
    let file = dir.join("sample_complexity.svg");
    drawn(&file, n_star_svg(r, &file))?;
    written.push(file);
    let file = dir.join("sample_complexity_curves.svg");
    drawn(&file, curves_svg(r, &file))?;
    written.push(file);
    Ok(written)
}

fn n_star_svg(r: &SampleComplexity, file: &Path) -> DrawResult {
    let xs: Vec<f64> = r.sweep.config.dims.iter().map(|&d| d as f64).collect();
    let root = SVGBackend::new(file, (960, 680)).into_drawing_area();
    root.fill(&WHITE)?;
    let target = num(r.sweep.config.target_error);
    let body = root.titled(&format!("Samples n* to reach test error {target} on hypercube XOR"), font(TITLE))?;
    let (plot, key) = split_legend(&body, r.fits.len(), 1);
    let all: Vec<f64> = r.fits.iter().flat_map(|f| f.n_stars.iter().flatten().copied()).filter(|v| *v > 0.0).collect();
    let ymin = all.iter().copied().fold(f64::INFINITY, f64::min).min(1e12) / 1.5;
    let ymax = all.iter().copied().fold(ymin * 10.0, f64::max) * 1.5;
    let xmin = xs.iter().copied().fold(f64::INFINITY, f64::min).min(1e12) / 1.2;
    let xmax = xs.iter().copied().fold(xmin * 2.0, f64::max) * 1.2;
    let mut chart = ChartBuilder::on(&plot)
        .margin(12)
        .margin_right(24)
        .x_label_area_size(62)
        .y_label_area_size(95)
        .build_cartesian_2d((xmin..xmax).log_scale().with_key_points(xs.clone()), log_axis(ymin, ymax, 8))?;
    mesh(&mut chart, "input dimension d (log scale)", "n* (training samples, log scale)", &log_label, &log_label)?;
    let mut entries = Vec::new();
    for (fit, color) in r.fits.iter().zip(COLORS) {
        let line = xs.iter().map(|x| (*x, (fit.intercept + fit.slope * x.ln()).exp()));
        chart.draw_series(LineSeries::new(line, color.stroke_width(2)))?;
        chart.draw_series(fit.n_star_medians.iter().map(|(d, m)| Circle::new((*d as f64, *m), 5, color.filled())))?;
        entries.push(entry(
            Swatch::LineDot(color),
            format!("{}: slope {:.2}, 95% CI [{:.2}, {:.2}]", fit.method, fit.slope, fit.ci.0, fit.ci.1),
        ));
    }
    legend(&key, &entries, 1, 90)?;
    root.present()?;
    Ok(())
}

fn curves_svg(r: &SampleComplexity, file: &Path) -> DrawResult {
    let d = r.sweep.config.dims.iter().copied().max().unwrap_or(8);
    let root = SVGBackend::new(file, (960, 640)).into_drawing_area();
    root.fill(&WHITE)?;
    let body = root.titled(&format!("Test error vs n at d = {d} (replicate 0)"), font(TITLE))?;
    let (plot, key) = split_legend(&body, r.fits.len() + 1, 3);
    let mine = || r.sweep.curves.iter().filter(|c| c.d == d && c.replicate == 0);
    let nmax = mine().flat_map(|c| c.ns.iter().copied()).max().unwrap_or(2).max(4) as f64 * 1.2;
    let nmin = mine().flat_map(|c| c.ns.iter().copied()).min().unwrap_or(2).max(1) as f64 / 1.2;
    let emax = mine().flat_map(|c| c.errors.iter().copied()).fold(0.5, f64::max).min(1.0) * 1.1;
    let mut chart = ChartBuilder::on(&plot)
        .margin(12)
        .margin_right(24)
        .x_label_area_size(62)
        .y_label_area_size(95)
        .build_cartesian_2d(log_axis(nmin, nmax, 8), 0.0..emax)?;
    mesh(
        &mut chart,
        "training samples n (log scale)",
        "0-1 test error (fraction)",
        &log_label,
        &linear_ticks(0.0, emax),
    )?;
    let target = r.sweep.config.target_error;
    chart.draw_series(DashedLineSeries::new(
        vec![(nmin, target), (nmax, target)],
        10,
        6,
        BLACK.mix(0.6).stroke_width(2),
    ))?;
    let mut entries = Vec::new();
    for (fit, color) in r.fits.iter().zip(COLORS) {
        if let Some(c) = mine().find(|c| c.method == fit.method) {
            let pts: Vec<(f64, f64)> = c.ns.iter().zip(&c.errors).map(|(n, e)| (*n as f64, *e)).collect();
            chart.draw_series(LineSeries::new(pts.clone(), color.stroke_width(2)))?;
            chart.draw_series(pts.iter().map(|p| Circle::new(*p, 3, color.filled())))?;
            entries.push(entry(Swatch::LineDot(color), fit.method.clone()));
        }
    }
    entries.push(entry(Swatch::Dashed(BLACK), format!("target error {}", num(target))));
    legend(&key, &entries, 3, 90)?;
    root.present()?;
    Ok(())
}
