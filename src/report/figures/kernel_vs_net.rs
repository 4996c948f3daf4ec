//! Figure 3: test error and bounds of the net and of the kernel vs n, classification (left) and regression (right).
//! Files: `kernel_vs_net.csv` (every trial), `kernel_vs_net.svg`, `kernel_vs_net.json` (means per n and findings).

use super::plot::{Swatch, TICK, TITLE, entry, font, legend, log_axis, log_label, mesh, split_legend};
use super::{DrawResult, drawn, put, put_json};
use crate::Result;
use crate::experiments::kernel_vs_net::{KernelVsNet, Row};
use crate::stats::mean_se;
use plotters::coord::combinators::{BindKeyPoints, IntoLogRange};
use plotters::prelude::*;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

type Get = fn(&Row) -> f64;

const SERIES: [(&str, &str, Get); 8] = [
    ("classification", "net test error", |r| r.cls_net_err),
    ("classification", "net bound (Thm 3.1)", |r| r.cls_net_bound),
    ("classification", "kernel test error", |r| r.cls_kernel_err),
    ("classification", "kernel bound (Lemma 3.4)", |r| r.cls_kernel_bound),
    ("regression", "net test MSE", |r| r.reg_net_err),
    ("regression", "net T₁ (Lemma D.4)", |r| r.reg_net_bound),
    ("regression", "kernel test MSE", |r| r.reg_kernel_err),
    ("regression", "kernel T₂ (Lemma D.5)", |r| r.reg_kernel_bound),
];

fn means(r: &KernelVsNet, get: Get) -> Vec<f64> {
    r.setting.ns.iter().map(|&n| mean_se(&r.at(n, get)).0).collect()
}

fn ses(r: &KernelVsNet, get: Get) -> Vec<f64> {
    r.setting.ns.iter().map(|&n| mean_se(&r.at(n, get)).1).collect()
}

/// Writes the figure's files into `dir`.
pub fn write(r: &KernelVsNet, dir: &Path) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    let mut csv = String::from(
        "n,trial,cls_net_test_error,cls_net_bound_thm3_1,cls_net_normalized_margin,cls_kernel_test_error,\
         cls_kernel_bound_lemma3_4,cls_kernel_margin_lower,reg_net_test_mse,reg_net_T1,reg_net_l1_norm,\
         reg_kernel_test_mse,reg_kernel_T2,reg_kernel_rkhs_norm\n",
    );
    for x in &r.rows {
        let _ = writeln!(
            csv,
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
            x.n,
            x.trial,
            x.cls_net_err,
            x.cls_net_bound,
            x.cls_net_margin,
            x.cls_kernel_err,
            x.cls_kernel_bound,
            x.cls_kernel_margin,
            x.reg_net_err,
            x.reg_net_bound,
            x.reg_net_l1,
            x.reg_kernel_err,
            x.reg_kernel_bound,
            x.reg_kernel_norm
        );
    }
    put(dir, "kernel_vs_net.csv", &csv, &mut written)?;
    let file = dir.join("kernel_vs_net.svg");
    drawn(&file, svg(r, &file))?;
    written.push(file);
    let block = |idx: [usize; 4]| {
        let mut m = serde_json::Map::new();
        for (key, i) in ["net_test_error", "net_bound", "kernel_test_error", "kernel_bound"].iter().zip(idx) {
            m.insert(key.to_string(), serde_json::json!(means(r, SERIES[i].2)));
            m.insert(format!("{key}_se"), serde_json::json!(ses(r, SERIES[i].2)));
        }
        serde_json::Value::Object(m)
    };
    let mut classification = block([0, 1, 2, 3]);
    classification["net_normalized_margin"] = serde_json::json!(means(r, |x| x.cls_net_margin));
    classification["kernel_margin_lower"] = serde_json::json!(means(r, |x| x.cls_kernel_margin));
    classification["net_unseparated_trials"] =
        serde_json::json!(r.rows.iter().filter(|x| !x.cls_net_margin.is_finite()).count());
    let mut regression = block([4, 5, 6, 7]);
    regression["net_l1_norm"] = serde_json::json!(means(r, |x| x.reg_net_l1));
    regression["kernel_rkhs_norm"] = serde_json::json!(means(r, |x| x.reg_kernel_norm));
    let json = serde_json::json!({
        "figure": "kernel-vs-net",
        "tier": r.tier,
        "seed": r.seed,
        "setting": r.setting,
        "setting_note": r.setting_note,
        "ns": r.setting.ns,
        "classification": classification,
        "regression": regression,
        "findings": r.findings,
    });
    put_json(dir, "kernel_vs_net.json", &json, &mut written)?;
    Ok(written)
}

fn svg(r: &KernelVsNet, file: &Path) -> DrawResult {
    let s = &r.setting;
    let root = SVGBackend::new(file, (1280, 620)).into_drawing_area();
    root.fill(&WHITE)?;
    let title =
        format!("Figure 3: net vs kernel, d = {}, {}-unit teacher, mean of {} trials", s.d, s.teacher_units, s.trials);
    let body = root.titled(&title, font(TITLE))?;
    let (left, right) = body.split_horizontally(640);
    let ns: Vec<f64> = s.ns.iter().map(|&n| n as f64).collect();
    for (panel, task, ylabel) in [
        (&left, "classification", "0-1 test error and its bound (log scale)"),
        (&right, "regression", "test MSE and its bound (log scale)"),
    ] {
        let (plot, key) = split_legend(panel, 4, 2);
        let mine: Vec<&(&str, &str, Get)> = SERIES.iter().filter(|x| x.0 == task).collect();
        let vals: Vec<f64> = mine.iter().flat_map(|x| means(r, x.2)).filter(|v| v.is_finite() && *v > 0.0).collect();
        let lo = vals.iter().copied().fold(f64::INFINITY, f64::min).clamp(1e-12, 1e12) / 2.0;
        let hi = vals.iter().copied().fold(0.0, f64::max).max(lo * 4.0) * 2.0;
        let nlo = ns.iter().copied().fold(f64::INFINITY, f64::min).min(1e12) / 1.3;
        let nhi = ns.iter().copied().fold(nlo * 2.0, f64::max) * 1.3;
        let mut chart = ChartBuilder::on(&plot)
            .caption(task, font(TICK + 2))
            .margin(12)
            .margin_right(24)
            .x_label_area_size(62)
            .y_label_area_size(95)
            .build_cartesian_2d((nlo..nhi).log_scale().with_key_points(ns.clone()), log_axis(lo, hi, 8))?;
        mesh(&mut chart, "training samples n (log scale)", ylabel, &log_label, &log_label)?;
        let mut entries = Vec::new();
        for (k, (_, name, get)) in mine.iter().enumerate() {
            let color = if name.starts_with("net") { BLUE } else { RED };
            let is_bound = k % 2 == 1;
            let pts: Vec<(f64, f64)> =
                s.ns.iter()
                    .zip(means(r, *get))
                    .filter(|(_, v)| v.is_finite() && *v > 0.0)
                    .map(|(n, v)| (*n as f64, v))
                    .collect();
            if is_bound {
                chart.draw_series(DashedLineSeries::new(pts.clone(), 10, 6, color.stroke_width(2)))?;
                chart.draw_series(pts.iter().map(|p| Cross::new(*p, 6, color.stroke_width(2))))?;
                entries.push(entry(Swatch::Dashed(color), name.to_string()));
            } else {
                chart.draw_series(LineSeries::new(pts.clone(), color.stroke_width(2)))?;
                chart.draw_series(pts.iter().map(|p| Circle::new(*p, 5, color.filled())))?;
                entries.push(entry(Swatch::LineDot(color), name.to_string()));
            }
        }
        legend(&key, &entries, 2, 90)?;
    }
    root.present()?;
    Ok(())
}
