//! `regmatters repro margin-path` — Figure 2 (ICLR §5): the normalized margin γ_λ of the certified global optimum of
//! the regularized two-layer loss on the 1-D task with bias, as λ decreases, against the certified bracket
//! [γ_LB/2, γ_UB/2] of the max margin; and the normalized functions of the net (smallest λ) and of the ℓ1-SVM on the
//! line. Writes `margin_path.csv`, `margin_path.svg`, `margin_functions.csv`, `margin_functions.svg`,
//! `margin_path.json`.

use plotters::prelude::*;
use regmatters::claims::margin::limit::{LimitParams, certified_path};
use regmatters::convex::l1_svm::relu_features;
use regmatters::convex::sphere;
use regmatters::data::line1d;
use std::fmt::Write as _;

/// Writes the figure's CSV + SVG + JSON into `args.out`; returns the exit code.
pub fn run(args: &super::Args) -> anyhow::Result<i32> {
    let p = LimitParams::for_tier(args.tier);
    p.validate()?;
    let data = line1d().with_bias();
    let (svm, path, sols) = certified_path(&data, &sphere::circle(p.circle_dirs)?, &p.lambdas)?;
    let (lo, hi) = (svm.lower / 2.0, svm.upper / 2.0);
    let mut csv = String::from("lambda,gamma_lambda,bracket_lo,bracket_hi,scaled_duality_gap,rate_floor,sq_norm\n");
    for q in &path {
        writeln!(csv, "{:e},{},{},{},{:e},{},{}", q.lambda, q.margin, lo, hi, q.scaled_gap, q.rate_floor, q.sq_norm)?;
    }
    std::fs::write(args.out.join("margin_path.csv"), &csv)?;

    // normalized functions on the line: net f/‖Θ‖² at the smallest λ, ℓ1-SVM Σα relu/(2‖α‖₁)
    let last = sols.last().ok_or_else(|| anyhow::anyhow!("empty λ path"))?;
    let grid: Vec<f64> = (0..=400).map(|k| -1.2 + 2.4 * k as f64 / 400.0).collect();
    let gx = nalgebra::DMatrix::from_fn(grid.len(), 2, |i, c| if c == 0 { grid[i] } else { 1.0 });
    let f_net = relu_features(&gx, &last.dirs) * &last.alpha / (2.0 * last.alpha.lp_norm(1));
    let f_svm = relu_features(&gx, &svm.dirs) * &svm.alpha / (2.0 * svm.alpha.lp_norm(1));
    let mut fcsv = String::from("x,net_normalized,l1svm_normalized\n");
    for (i, x) in grid.iter().enumerate() {
        writeln!(fcsv, "{x},{},{}", f_net[i], f_svm[i])?;
    }
    std::fs::write(args.out.join("margin_functions.csv"), &fcsv)?;

    // SVG 1: γ_λ vs λ with the bracket band
    {
        let file = args.out.join("margin_path.svg");
        let root = SVGBackend::new(&file, (720, 480)).into_drawing_area();
        root.fill(&WHITE)?;
        let lmin = p.lambdas.iter().copied().fold(f64::INFINITY, f64::min) / 2.0;
        let lmax = p.lambdas.iter().copied().fold(0.0, f64::max) * 2.0;
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
            .draw_series(LineSeries::new(path.iter().map(|q| (q.lambda, q.margin)), &BLUE))?
            .label("γ_λ (certified global optimum)");
        chart.draw_series(path.iter().map(|q| Circle::new((q.lambda, q.margin), 3, BLUE.filled())))?;
        chart
            .draw_series(LineSeries::new(path.iter().map(|q| (q.lambda, q.rate_floor.max(0.0))), &RED))?
            .label("proof's rate floor");
        super::plot::draw_legend(&mut chart, SeriesLabelPosition::MiddleRight)?;
        root.present()?;
    }
    // SVG 2: normalized functions
    {
        let file = args.out.join("margin_functions.svg");
        let root = SVGBackend::new(&file, (720, 480)).into_drawing_area();
        root.fill(&WHITE)?;
        let ymax = f_net.iter().chain(f_svm.iter()).fold(0.0f64, |a, b| a.max(b.abs())) * 1.1;
        let mut chart = ChartBuilder::on(&root)
            .caption("Normalized functions on the line: net (smallest λ) vs ℓ1-SVM", ("sans-serif", 16))
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(-1.2..1.2, -ymax..ymax)?;
        chart.configure_mesh().x_desc("x").y_desc("f / ‖Θ‖²").draw()?;
        chart.draw_series(LineSeries::new(grid.iter().zip(f_net.iter()).map(|(x, f)| (*x, *f)), &BLUE))?.label("net");
        chart
            .draw_series(LineSeries::new(grid.iter().zip(f_svm.iter()).map(|(x, f)| (*x, *f)), &RED))?
            .label("ℓ1-SVM / 2");
        chart.draw_series((0..data.n()).map(|i| {
            let c = if data.y[i] > 0.0 { GREEN.filled() } else { BLACK.filled() };
            Circle::new((data.x[(i, 0)], data.y[i] * lo), 4, c)
        }))?;
        super::plot::draw_legend(&mut chart, SeriesLabelPosition::MiddleRight)?;
        root.present()?;
    }
    let json = serde_json::json!({
        "figure": "margin-path",
        "tier": args.tier.as_str(),
        "gamma_l1_lower": svm.lower,
        "gamma_l1_upper": svm.upper,
        "bracket_rel_width": (svm.upper - svm.lower) / svm.upper,
        "lambdas": path.iter().map(|q| q.lambda).collect::<Vec<_>>(),
        "gamma_lambda": path.iter().map(|q| q.margin).collect::<Vec<_>>(),
        "scaled_gaps": path.iter().map(|q| q.scaled_gap).collect::<Vec<_>>(),
    });
    std::fs::write(args.out.join("margin_path.json"), serde_json::to_string_pretty(&json)?)?;
    println!(
        "margin-path: γ* ∈ [{lo:.6}, {hi:.6}] (rel. width {:.2e}); γ_λ/γ_UB at λ = {:e}: {:.4}; wrote {}",
        (hi - lo) / hi,
        path.last().map(|q| q.lambda).unwrap_or(f64::NAN),
        path.last().map(|q| q.margin / hi).unwrap_or(f64::NAN),
        args.out.display()
    );
    Ok(0)
}
