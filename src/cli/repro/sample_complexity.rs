//! `regmatters repro sample-complexity` — n*(d) per method on log–log axes with fitted slopes and bootstrap CIs, and
//! test error vs n per d. Runs the same sweep as `ntk.lower_bound` (same seed → same numbers). Writes
//! `sample_complexity.csv` (every curve point), `sample_complexity.json`
//! (`{"methods": {name: {"family", "slope", "ci", "n_star": {d: median}}}}`), `sample_complexity.svg` (n* vs d) and
//! `sample_complexity_curves.svg` (error vs n at the largest d).

use plotters::prelude::*;
use regmatters::claims::ntk::sweep::{KERNEL_METHODS, Label, cached};
use regmatters::claims::ntk::sweep_config;
use regmatters::stats::bootstrap::median;
use regmatters::stats::slope_fit;
use std::fmt::Write as _;

/// Writes the figure's CSV + SVG + JSON into `args.out`; returns the exit code.
pub fn run(args: &super::Args) -> anyhow::Result<i32> {
    let cfg = sweep_config(args.tier, Label::Xor, true);
    eprintln!("sample-complexity sweep: d = {:?}, {} replicates", cfg.dims, cfg.replicates);
    let start = std::time::Instant::now();
    let sweep = cached(&cfg, args.seed)?;
    let seconds = start.elapsed().as_secs_f64();

    let mut csv = String::from("method,d,replicate,n,test_error,n_star,censored\n");
    for c in &sweep.curves {
        for (n, e) in c.ns.iter().zip(&c.errors) {
            writeln!(csv, "{},{},{},{n},{e},{},{}", c.method, c.d, c.replicate, c.n_star, c.censored)?;
        }
    }
    std::fs::write(args.out.join("sample_complexity.csv"), csv)?;

    let methods: Vec<&str> = KERNEL_METHODS.iter().copied().chain(std::iter::once("net")).collect();
    let xs: Vec<f64> = cfg.dims.iter().map(|&d| d as f64).collect();
    let mut json = serde_json::Map::new();
    let mut fits = Vec::new();
    for (k, m) in methods.iter().enumerate() {
        let ys: Vec<Vec<f64>> = cfg.dims.iter().map(|&d| sweep.n_stars(m, d)).collect();
        let mut rng = regmatters::seed::stream(args.seed, &["repro.sample-complexity", m], k as u64);
        let fit = slope_fit(&xs, &ys, 2000, 0.05, &mut rng).ok_or_else(|| anyhow::anyhow!("no slope fit for {m}"))?;
        let medians: serde_json::Map<String, serde_json::Value> =
            cfg.dims.iter().zip(&ys).map(|(d, v)| (d.to_string(), serde_json::json!(median(v)))).collect();
        json.insert(
            m.to_string(),
            serde_json::json!({
                "family": if *m == "net" { "net" } else { "kernel" },
                "slope": fit.slope,
                "ci": [fit.ci.0, fit.ci.1],
                "n_star": medians,
                "censored": sweep.censored(m),
            }),
        );
        println!(
            "{m:<10} slope {:.2}  95% CI [{:.2}, {:.2}]  n*: {:?}",
            fit.slope,
            fit.ci.0,
            fit.ci.1,
            ys.iter().map(|v| median(v).round()).collect::<Vec<_>>()
        );
        fits.push((m.to_string(), fit, ys));
    }
    let report = serde_json::json!({"seed": args.seed, "tier": args.tier.as_str(), "seconds": seconds, "dims": cfg.dims, "methods": json});
    std::fs::write(args.out.join("sample_complexity.json"), serde_json::to_string_pretty(&report)?)?;

    let colors = [RED, MAGENTA, CYAN, BLACK, BLUE];
    {
        let file = args.out.join("sample_complexity.svg");
        let root = SVGBackend::new(&file, (720, 520)).into_drawing_area();
        root.fill(&WHITE)?;
        let all: Vec<f64> = fits.iter().flat_map(|f| f.2.iter().flatten().copied()).collect();
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
        for ((name, fit, ys), color) in fits.iter().zip(colors) {
            let pts: Vec<(f64, f64)> = xs.iter().zip(ys).map(|(x, v)| (*x, median(v))).collect();
            chart
                .draw_series(LineSeries::new(
                    xs.iter().map(|x| (*x, (fit.intercept + fit.slope * x.ln()).exp())),
                    color,
                ))?
                .label(format!("{name}: slope {:.2} [{:.2}, {:.2}]", fit.slope, fit.ci.0, fit.ci.1))
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], color));
            chart.draw_series(pts.iter().map(|p| Circle::new(*p, 3, color.filled())))?;
        }
        super::plot::draw_legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
        root.present()?;
    }
    {
        let d = *cfg.dims.last().unwrap_or(&8);
        let file = args.out.join("sample_complexity_curves.svg");
        let root = SVGBackend::new(&file, (720, 520)).into_drawing_area();
        root.fill(&WHITE)?;
        let nmax =
            sweep.curves.iter().filter(|c| c.d == d).flat_map(|c| c.ns.iter().copied()).max().unwrap_or(2) as f64;
        let mut chart = ChartBuilder::on(&root)
            .caption(format!("Test error vs n at d = {d} (replicate 0)"), ("sans-serif", 16))
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d((2.0..nmax * 1.2).log_scale(), 0.0..0.6)?;
        chart.configure_mesh().x_desc("n").y_desc("test error").draw()?;
        for (m, color) in methods.iter().zip(colors) {
            if let Some(c) = sweep.curves.iter().find(|c| c.d == d && c.replicate == 0 && c.method == *m) {
                chart
                    .draw_series(LineSeries::new(c.ns.iter().zip(&c.errors).map(|(n, e)| (*n as f64, *e)), color))?
                    .label(m.to_string())
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], color));
            }
        }
        super::plot::draw_legend(&mut chart, SeriesLabelPosition::MiddleRight)?;
        root.present()?;
    }
    println!(
        "wrote sample_complexity.{{csv,json,svg}} and sample_complexity_curves.svg to {} ({seconds:.1} s)",
        args.out.display()
    );
    Ok(0)
}
