//! The lazy-vs-regularized figure: three panels (normalized margin, test error, changed activation patterns), mean
//! over trials ± one standard error vs GD step, for λ = 0 and λ > 0 from the same initialization. Files:
//! `lazy_vs_regularized.csv` (every checkpoint of every trial), `lazy_vs_regularized.svg`,
//! `lazy_vs_regularized.json` (setting, final means, findings).

use super::plot::{
    Swatch, TICK, TITLE, entry, font, legend, linear_ticks, log_axis, log_label, mesh, num, split_legend,
};
use super::{DrawResult, drawn, put, put_json};
use crate::Result;
use crate::experiments::lazy_vs_regularized::{LazyVsRegularized, Point};
use crate::stats::mean_se;
use plotters::prelude::*;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

type Get = fn(&Point) -> f64;

/// Writes the figure's files into `dir`.
pub fn write(r: &LazyVsRegularized, dir: &Path) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    let mut csv = String::from(
        "trial,lambda,step,loss,param_norm,normalized_margin,train_error,test_error,activation_change_train,activation_change_test\n",
    );
    for (t, trial) in r.trials.iter().enumerate() {
        for (lambda, pts) in [(0.0, &trial.lazy), (r.setting.lambda, &trial.regularized)] {
            for p in pts {
                let _ = writeln!(
                    csv,
                    "{t},{lambda:e},{},{},{},{},{},{},{},{}",
                    p.step, p.loss, p.norm, p.margin, p.train_error, p.test_error, p.change_train, p.change_test
                );
            }
        }
    }
    put(dir, "lazy_vs_regularized.csv", &csv, &mut written)?;
    let file = dir.join("lazy_vs_regularized.svg");
    drawn(&file, svg(r, &file))?;
    written.push(file);
    let finals = |regularized: bool| {
        let get = |g: Get| mean_se(&r.last(regularized, g)).0;
        serde_json::json!({
            "normalized_margin": get(|p| p.margin),
            "test_error": get(|p| p.test_error),
            "train_error": get(|p| p.train_error),
            "activation_change_train": get(|p| p.change_train),
            "activation_change_test": get(|p| p.change_test),
            "param_norm": get(|p| p.norm),
        })
    };
    let init_norm = mean_se(&r.trials.iter().filter_map(|t| t.lazy.first().map(|p| p.norm)).collect::<Vec<_>>()).0;
    let json = serde_json::json!({
        "figure": "lazy-vs-regularized",
        "tier": r.tier,
        "seed": r.seed,
        "setting": r.setting,
        "setting_note": r.setting_note,
        "init_param_norm": init_norm,
        "final": { "unregularized": finals(false), "regularized": finals(true) },
        "findings": r.findings,
    });
    put_json(dir, "lazy_vs_regularized.json", &json, &mut written)?;
    Ok(written)
}

fn svg(r: &LazyVsRegularized, file: &Path) -> DrawResult {
    let s = &r.setting;
    let quantities: [(&str, &str, Get); 3] = [
        ("normalized margin", "min_i y_i f(x_i) / ‖Θ‖²", |p| p.margin),
        ("test error", "0-1 test error (fraction)", |p| p.test_error),
        ("changed activation patterns (train inputs)", "fraction of patterns changed", |p| p.change_train),
    ];
    let curve = |regularized: bool, get: Get| -> Vec<(f64, f64, f64)> {
        (0..s.checkpoints.len())
            .map(|k| {
                let v: Vec<f64> =
                    r.trials.iter().map(|t| get(if regularized { &t.regularized[k] } else { &t.lazy[k] })).collect();
                let (m, se) = mean_se(&v);
                (s.checkpoints[k] as f64, m, se)
            })
            .collect()
    };
    let root = SVGBackend::new(file, (1500, 560)).into_drawing_area();
    root.fill(&WHITE)?;
    let title = format!(
        "λ = 0 vs λ = {} from one large initialization: mean ± 1 standard error over {} trials",
        num(s.lambda),
        r.trials.len()
    );
    let body = root.titled(&title, font(TITLE))?;
    let (plots, key) = split_legend(&body, 3, 3);
    let panels = plots.split_evenly((1, 3));
    let steps = (s.steps as f64).max(2.0) * 1.3;
    for (panel, (title, ylabel, get)) in panels.iter().zip(quantities.iter()) {
        let c0 = curve(false, *get);
        let c1 = curve(true, *get);
        let all = c0.iter().chain(&c1).flat_map(|(_, m, se)| [m - se, m + se]).filter(|v| v.is_finite());
        let (lo, hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
        let (lo, hi) = if lo < hi { (lo, hi) } else { (0.0, 1.0) };
        let pad = 0.08 * (hi - lo).max(1e-9);
        let (lo, hi) = (if lo >= 0.0 { 0.0f64.max(lo - pad) } else { lo - pad }, hi + pad);
        let mut chart = ChartBuilder::on(panel)
            .caption(*title, font(TICK + 2))
            .margin(12)
            .margin_right(20)
            .x_label_area_size(62)
            .y_label_area_size(95)
            .build_cartesian_2d(log_axis(1.0, steps, 6), lo..hi)?;
        mesh(&mut chart, "GD step (log scale; step 0 at 1)", ylabel, &log_label, &linear_ticks(lo, hi))?;
        for (c, color) in [(&c0, BLUE), (&c1, RED)] {
            let at = |x: f64| x.max(1.0);
            chart.draw_series(c.iter().map(|(x, m, se)| {
                PathElement::new(vec![(at(*x), m - se), (at(*x), m + se)], color.mix(0.5).stroke_width(2))
            }))?;
            chart.draw_series(LineSeries::new(c.iter().map(|(x, m, _)| (at(*x), *m)), color.stroke_width(2)))?;
        }
    }
    legend(
        &key,
        &[
            entry(Swatch::Line(BLUE, 2), "λ = 0 (unregularized)"),
            entry(Swatch::Line(RED, 2), format!("λ = {} (regularized)", num(s.lambda))),
            entry(Swatch::Bar(RGBColor(120, 120, 120)), "± 1 standard error over trials"),
        ],
        3,
        90,
    )?;
    root.present()?;
    Ok(())
}
