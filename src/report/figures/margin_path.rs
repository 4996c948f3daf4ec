//! Figure 2 (ICLR §5): the normalized margin γ_λ of the certified global optimum on the 1-D task with bias as λ
//! decreases, against the certified bracket [γ_LB/2, γ_UB/2] of the max margin; and the normalized functions of the
//! net (smallest λ) and of the ℓ1-SVM on the line. Files: `margin_path.csv`, `margin_path.svg`,
//! `margin_functions.csv`, `margin_functions.svg`, `margin_path.json` (result and findings).

use super::plot::{
    BAND, BAND_EDGE, Swatch, TICK, TITLE, entry, font, legend, linear_ticks, log_axis, log_label, mesh, num,
    split_legend,
};
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
        "findings": r.findings,
    });
    put_json(dir, "margin_path.json", &json, &mut written)?;
    Ok(written)
}

/// The band's smallest drawn height, in pixels: a bracket narrower than this is widened about its centre (and the
/// legend says so, with the true width).
const MIN_BAND_PX: f64 = 6.0;

fn path_svg(r: &MarginPath, file: &Path, lo: f64, hi: f64) -> DrawResult {
    let root = SVGBackend::new(file, (1280, 600)).into_drawing_area();
    root.fill(&WHITE)?;
    let body =
        root.titled("Figure 2: the normalized margin γ_λ approaches the certified max margin γ*", font(TITLE))?;
    let (left, right) = body.split_horizontally(640);
    let lambdas = &r.config.lambdas;
    let lmin = lambdas.iter().copied().fold(f64::INFINITY, f64::min) / 3.0;
    let lmax = lambdas.iter().copied().fold(0.0, f64::max) * 3.0;
    let n_legend = 3;
    {
        let (plot, key) = split_legend(&left, n_legend, 1);
        let gmin = r.path.iter().map(|q| q.margin).fold(0.0f64, f64::min);
        let (ylo, yhi) = (gmin - 0.06 * (hi - gmin), hi + 0.1 * (hi - gmin));
        let mut chart = ChartBuilder::on(&plot)
            .caption("γ_λ vs λ, with the bracket of γ*", font(TICK + 2))
            .margin(12)
            .margin_right(24)
            .x_label_area_size(62)
            .y_label_area_size(95)
            .build_cartesian_2d(log_axis(lmin, lmax, 7), ylo..yhi)?;
        mesh(
            &mut chart,
            "λ (regularization strength, log scale)",
            "normalized margin γ_λ",
            &log_label,
            &linear_ticks(ylo, yhi),
        )?;
        let px = f64::from(chart.plotting_area().dim_in_pixel().1.max(1));
        let min_h = MIN_BAND_PX / px * (yhi - ylo);
        let widened = hi - lo < min_h;
        let (blo, bhi) = if widened { ((lo + hi - min_h) / 2.0, (lo + hi + min_h) / 2.0) } else { (lo, hi) };
        chart.draw_series(std::iter::once(Rectangle::new([(lmin, blo), (lmax, bhi)], BAND.mix(0.7).filled())))?;
        chart.draw_series(std::iter::once(Rectangle::new([(lmin, blo), (lmax, bhi)], BAND_EDGE.stroke_width(1))))?;
        let floor: Vec<(f64, f64)> =
            r.path.iter().filter(|q| q.rate_floor > 0.0).map(|q| (q.lambda, q.rate_floor)).collect();
        chart.draw_series(LineSeries::new(floor, RED.stroke_width(2)))?;
        chart.draw_series(LineSeries::new(r.path.iter().map(|q| (q.lambda, q.margin)), BLUE.stroke_width(2)))?;
        chart.draw_series(r.path.iter().map(|q| Circle::new((q.lambda, q.margin), 5, BLUE.filled())))?;
        let band_label = if widened {
            format!("certified bracket [γ_LB/2, γ_UB/2] ∋ γ*: true width {}, drawn {MIN_BAND_PX} px tall", num(hi - lo))
        } else {
            "certified bracket [γ_LB/2, γ_UB/2] ∋ γ*".to_string()
        };
        legend(
            &key,
            &[
                entry(Swatch::Band(BAND, 0.7), band_label),
                entry(Swatch::LineDot(BLUE), "γ_λ of the certified global optimum"),
                entry(Swatch::Line(RED, 2), "the proof's rate floor (where > 0)"),
            ],
            1,
            90,
        )?;
    }
    {
        let (plot, key) = split_legend(&right, n_legend, 1);
        let short: Vec<(f64, f64)> = r.path.iter().map(|q| (q.lambda, hi - q.margin)).filter(|p| p.1 > 0.0).collect();
        let width = (hi - lo).max(f64::MIN_POSITIVE);
        let smax = short.iter().map(|p| p.1).fold(width, f64::max);
        let smin = short.iter().map(|p| p.1).fold(width, f64::min);
        let (ylo, yhi) = (10f64.powf((smin / 3.0).log10().floor()), 10f64.powf((smax * 3.0).log10().ceil()));
        let mut chart = ChartBuilder::on(&plot)
            .caption("the shortfall γ_UB/2 − γ_λ against the bracket width", font(TICK + 2))
            .margin(12)
            .margin_right(24)
            .x_label_area_size(62)
            .y_label_area_size(95)
            .build_cartesian_2d(log_axis(lmin, lmax, 7), log_axis(ylo, yhi, 8))?;
        mesh(&mut chart, "λ (regularization strength, log scale)", "γ_UB/2 − γ_λ (log scale)", &log_label, &log_label)?;
        chart.draw_series(std::iter::once(Rectangle::new([(lmin, ylo), (lmax, width)], BAND.mix(0.7).filled())))?;
        chart.draw_series(std::iter::once(Rectangle::new([(lmin, ylo), (lmax, width)], BAND_EDGE.stroke_width(1))))?;
        chart.draw_series(LineSeries::new(short.clone(), BLUE.stroke_width(2)))?;
        chart.draw_series(short.iter().map(|p| Circle::new(*p, 5, BLUE.filled())))?;
        legend(
            &key,
            &[
                entry(
                    Swatch::Band(BAND, 0.7),
                    format!("inside the bracket: shortfall ≤ γ_UB/2 − γ_LB/2 = {}", num(hi - lo)),
                ),
                entry(Swatch::LineDot(BLUE), "shortfall of the certified optimum's margin"),
            ],
            1,
            90,
        )?;
    }
    root.present()?;
    Ok(())
}

fn functions_svg(r: &MarginPath, file: &Path, lo: f64) -> DrawResult {
    let root = SVGBackend::new(file, (960, 600)).into_drawing_area();
    root.fill(&WHITE)?;
    let body = root.titled("Normalized functions on the line: the net vs the ℓ1-SVM", font(TITLE))?;
    let (plot, key) = split_legend(&body, 4, 2);
    let ymax = r.net_function.iter().chain(r.svm_function.iter()).fold(0.0f64, |a, b| a.max(b.abs())) * 1.1;
    let ymax = if ymax > 0.0 { ymax } else { 1.0 };
    let mut chart = ChartBuilder::on(&plot)
        .margin(12)
        .margin_right(24)
        .x_label_area_size(62)
        .y_label_area_size(95)
        .build_cartesian_2d(-1.2..1.2, -ymax..ymax)?;
    mesh(&mut chart, "input x", "f(x) / ‖Θ‖²", &linear_ticks(-1.2, 1.2), &linear_ticks(-ymax, ymax))?;
    let line = |f: &[f64]| r.grid.iter().zip(f.iter()).map(|(x, f)| (*x, *f)).collect::<Vec<_>>();
    chart.draw_series(LineSeries::new(line(&r.net_function), BLUE.stroke_width(2)))?;
    chart.draw_series(DashedLineSeries::new(line(&r.svm_function), 10, 6, RED.stroke_width(2)))?;
    chart.draw_series(r.points.iter().map(|&(x, y)| {
        let c = if y > 0.0 { GREEN.filled() } else { BLACK.filled() };
        Circle::new((x, y * lo), 5, c)
    }))?;
    let smallest = r.path.last().map(|q| num(q.lambda)).unwrap_or_default();
    legend(
        &key,
        &[
            entry(Swatch::Line(BLUE, 2), format!("net, λ = {smallest}")),
            entry(Swatch::Dashed(RED), "ℓ1-SVM / 2"),
            entry(Swatch::Dot(GREEN), "training point, label +1 (at height γ_LB/2)"),
            entry(Swatch::Dot(BLACK), "training point, label −1 (at height −γ_LB/2)"),
        ],
        2,
        90,
    )?;
    root.present()?;
    Ok(())
}
