//! The sample-complexity figure: n*(d) per method on log–log axes with fitted slopes and CIs, and test error vs n at
//! the largest d. Files: `sample_complexity.csv` (every curve point), `sample_complexity.json`, `sample_complexity.svg`
//! (n* vs d) and `sample_complexity_curves.svg` (error vs n at the largest d, replicate 0).

use super::{DrawResult, drawn, put, put_json};
use crate::Result;
use crate::experiments::sample_complexity::SampleComplexity;
use plotters::prelude::*;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const COLORS: [RGBColor; 5] = [RED, MAGENTA, CYAN, BLACK, BLUE];

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
        "dims": r.sweep.config.dims, "config": r.sweep.config, "methods": methods});
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
    let root = SVGBackend::new(file, (720, 520)).into_drawing_area();
    root.fill(&WHITE)?;
    let all: Vec<f64> = r.fits.iter().flat_map(|f| f.n_stars.iter().flatten().copied()).collect();
    let (ymin, ymax) =
        (all.iter().copied().fold(f64::INFINITY, f64::min) / 1.5, all.iter().copied().fold(0.0, f64::max) * 1.5);
    let (xmin, xmax) = (xs[0] / 1.2, xs[xs.len() - 1] * 1.2);
    let mut chart = ChartBuilder::on(&root)
        .caption("Samples n* to reach test error 0.1 on hypercube XOR", ("sans-serif", 16))
        .margin(10)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d((xmin..xmax).log_scale(), (ymin..ymax).log_scale())?;
    chart.configure_mesh().x_desc("d").y_desc("n*").draw()?;
    for (fit, color) in r.fits.iter().zip(COLORS) {
        chart
            .draw_series(LineSeries::new(xs.iter().map(|x| (*x, (fit.intercept + fit.slope * x.ln()).exp())), color))?
            .label(format!("{}: slope {:.2} [{:.2}, {:.2}]", fit.method, fit.slope, fit.ci.0, fit.ci.1))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], color));
        chart.draw_series(fit.n_star_medians.iter().map(|(d, m)| Circle::new((*d as f64, *m), 3, color.filled())))?;
    }
    super::plot::draw_legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
    root.present()?;
    Ok(())
}

fn curves_svg(r: &SampleComplexity, file: &Path) -> DrawResult {
    let d = *r.sweep.config.dims.last().unwrap_or(&8);
    let root = SVGBackend::new(file, (720, 520)).into_drawing_area();
    root.fill(&WHITE)?;
    let nmax = r.sweep.curves.iter().filter(|c| c.d == d).flat_map(|c| c.ns.iter().copied()).max().unwrap_or(2) as f64;
    let mut chart = ChartBuilder::on(&root)
        .caption(format!("Test error vs n at d = {d} (replicate 0)"), ("sans-serif", 16))
        .margin(10)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d((2.0..nmax * 1.2).log_scale(), 0.0..0.6)?;
    chart.configure_mesh().x_desc("n").y_desc("test error").draw()?;
    for (fit, color) in r.fits.iter().zip(COLORS) {
        if let Some(c) = r.sweep.curves.iter().find(|c| c.d == d && c.replicate == 0 && c.method == fit.method) {
            chart
                .draw_series(LineSeries::new(c.ns.iter().zip(&c.errors).map(|(n, e)| (*n as f64, *e)), color))?
                .label(fit.method.clone())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], color));
        }
    }
    super::plot::draw_legend(&mut chart, SeriesLabelPosition::MiddleRight)?;
    root.present()?;
    Ok(())
}
