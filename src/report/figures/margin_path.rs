//! Figure 2 (ICLR §5): the normalized margin γ_λ of the certified global optimum on the 1-D task with bias as λ
//! decreases, against the certified bracket [γ_LB/2, γ_UB/2] of the max margin; and the normalized functions of the
//! net (smallest λ) and of the ℓ1-SVM on the line. Files: `margin_path.csv`, `margin_path.svg`,
//! `margin_functions.csv`, `margin_functions.svg`, `margin_path.json`.

use super::{DrawResult, drawn, put, put_json};
use crate::Result;
use crate::experiments::margin_path::MarginPath;
use plotters::prelude::*;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Writes the figure's files into `dir`.
pub fn write(r: &MarginPath, seed: u64, dir: &Path) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    let (lo, hi) = (r.gamma_l1_lower / 2.0, r.gamma_l1_upper / 2.0);
    let mut csv = String::from("lambda,gamma_lambda,bracket_lo,bracket_hi,scaled_duality_gap,rate_floor,sq_norm\n");
    for q in &r.path {
        let _ = writeln!(
            csv,
            "{:e},{},{},{},{:e},{},{}",
            q.lambda, q.margin, lo, hi, q.scaled_gap, q.rate_floor, q.sq_norm
        );
    }
    put(dir, "margin_path.csv", &csv, &mut written)?;
    let mut fcsv = String::from("x,net_normalized,l1svm_normalized\n");
    for (i, x) in r.grid.iter().enumerate() {
        let _ = writeln!(fcsv, "{x},{},{}", r.net_function[i], r.svm_function[i]);
    }
    put(dir, "margin_functions.csv", &fcsv, &mut written)?;
    let file = dir.join("margin_path.svg");
    drawn(&file, path_svg(r, &file, lo, hi))?;
    written.push(file);
    let file = dir.join("margin_functions.svg");
    drawn(&file, functions_svg(r, &file, lo))?;
    written.push(file);
    let json = serde_json::json!({
        "figure": "margin-path",
        "seed": seed,
        "bracket_rel_width": (r.gamma_l1_upper - r.gamma_l1_lower) / r.gamma_l1_upper,
        "result": r,
    });
    put_json(dir, "margin_path.json", &json, &mut written)?;
    Ok(written)
}

fn path_svg(r: &MarginPath, file: &Path, lo: f64, hi: f64) -> DrawResult {
    let root = SVGBackend::new(file, (720, 480)).into_drawing_area();
    root.fill(&WHITE)?;
    let lambdas = &r.config.lambdas;
    let lmin = lambdas.iter().copied().fold(f64::INFINITY, f64::min) / 2.0;
    let lmax = lambdas.iter().copied().fold(0.0, f64::max) * 2.0;
    let ymax = hi * 1.15;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "Figure 2: normalized margin vs λ (certified optimum) and the certified bracket of γ*",
            ("sans-serif", 16),
        )
        .margin(10)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d((lmin..lmax).log_scale(), 0.0..ymax)?;
    chart.configure_mesh().x_desc("λ").y_desc("γ_λ").draw()?;
    chart
        .draw_series(std::iter::once(Rectangle::new([(lmin, lo), (lmax, hi)], RGBColor(255, 200, 120).filled())))?
        .label("certified bracket [γ_LB/2, γ_UB/2]");
    chart
        .draw_series(LineSeries::new(r.path.iter().map(|q| (q.lambda, q.margin)), &BLUE))?
        .label("γ_λ (certified global optimum)");
    chart.draw_series(r.path.iter().map(|q| Circle::new((q.lambda, q.margin), 3, BLUE.filled())))?;
    chart
        .draw_series(LineSeries::new(r.path.iter().map(|q| (q.lambda, q.rate_floor.max(0.0))), &RED))?
        .label("proof's rate floor");
    super::plot::draw_legend(&mut chart, SeriesLabelPosition::MiddleRight)?;
    root.present()?;
    Ok(())
}

fn functions_svg(r: &MarginPath, file: &Path, lo: f64) -> DrawResult {
    let root = SVGBackend::new(file, (720, 480)).into_drawing_area();
    root.fill(&WHITE)?;
    let ymax = r.net_function.iter().chain(r.svm_function.iter()).fold(0.0f64, |a, b| a.max(b.abs())) * 1.1;
    let mut chart = ChartBuilder::on(&root)
        .caption("Normalized functions on the line: net (smallest λ) vs ℓ1-SVM", ("sans-serif", 16))
        .margin(10)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(-1.2..1.2, -ymax..ymax)?;
    chart.configure_mesh().x_desc("x").y_desc("f / ‖Θ‖²").draw()?;
    chart
        .draw_series(LineSeries::new(r.grid.iter().zip(r.net_function.iter()).map(|(x, f)| (*x, *f)), &BLUE))?
        .label("net");
    chart
        .draw_series(LineSeries::new(r.grid.iter().zip(r.svm_function.iter()).map(|(x, f)| (*x, *f)), &RED))?
        .label("ℓ1-SVM / 2");
    chart.draw_series(r.points.iter().map(|&(x, y)| {
        let c = if y > 0.0 { GREEN.filled() } else { BLACK.filled() };
        Circle::new((x, y * lo), 4, c)
    }))?;
    super::plot::draw_legend(&mut chart, SeriesLabelPosition::MiddleRight)?;
    root.present()?;
    Ok(())
}
