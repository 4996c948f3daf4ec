//! The perturbed-vs-plain Wasserstein gradient descent figure: per activation, L[ρ_t] − lower on a log axis with the
//! certified bracket as a band, and the final particle directions against the support of the convex solution.
//! Files: `wgf_trajectories.csv` (act, start, sigma, step, objective, objective − lower), `wgf_particles.csv`,
//! `wgf.svg` (plotters' SVG backend, no fonts needed) and `wgf.json` (result and findings).

use super::plot::{
    BAND, BAND_EDGE, Swatch, TICK, TITLE, entry, font, legend, linear_ticks, log_axis, log_label, mesh, num,
    split_legend,
};
use super::{DrawResult, drawn, put, put_json};
use crate::Result;
use crate::experiments::wgf::{FlowFigure, FlowPanel};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Writes the figure's files into `dir`.
pub fn write(f: &FlowFigure, dir: &Path) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    let mut traj = String::from("act,start,sigma,step,objective,gap_to_lower\n");
    let mut parts = String::from("act,kind,angle,signed_weight\n");
    for p in &f.panels {
        for s in &p.series {
            for (t, l) in &s.trace {
                let _ = writeln!(traj, "{},{},{},{t},{l:.12e},{:.12e}", p.act, s.start, s.sigma, l - p.lower);
            }
        }
        for (a, w) in &p.particles {
            let _ = writeln!(parts, "{},particle,{a:.9},{w:.9e}", p.act);
        }
        for (a, w) in &p.support {
            let _ = writeln!(parts, "{},support,{a:.9},{w:.9e}", p.act);
        }
    }
    put(dir, "wgf_trajectories.csv", &traj, &mut written)?;
    put(dir, "wgf_particles.csv", &parts, &mut written)?;
    let file = dir.join("wgf.svg");
    drawn(&file, svg(f, &file))?;
    written.push(file);
    put_json(
        dir,
        "wgf.json",
        &serde_json::json!({"figure": "wgf", "result": f, "findings": f.findings}),
        &mut written,
    )?;
    Ok(written)
}

/// One colour per start; the plain flow (σ = 0) of a start is the dashed line of its colour.
const COLORS: [RGBColor; 4] =
    [RGBColor(31, 119, 180), RGBColor(44, 160, 44), RGBColor(140, 86, 75), RGBColor(148, 103, 189)];

/// Height of one activation's row, in pixels.
const ROW: u32 = 520;

fn svg(f: &FlowFigure, file: &Path) -> DrawResult {
    let rows = f.panels.len().max(1) as u32;
    let root = SVGBackend::new(file, (1400, 50 + ROW * rows)).into_drawing_area();
    root.fill(&WHITE)?;
    let body =
        root.titled("Perturbed vs plain Wasserstein gradient descent against the certified optimum", font(TITLE))?;
    let areas = body.split_evenly((rows as usize, 1));
    for (panel, area) in f.panels.iter().zip(areas.iter()) {
        let (left, right) = area.split_horizontally(800);
        trajectories(f, panel, &left)?;
        particles(panel, &right)?;
    }
    root.present()?;
    Ok(())
}

/// Left panel: L[ρ_t] − lower on a log axis vs step, the certified bracket as a band from the axis up to its width.
fn trajectories<DB>(f: &FlowFigure, panel: &FlowPanel, area: &DrawingArea<DB, Shift>) -> DrawResult
where
    DB: DrawingBackend,
    DB::ErrorType: 'static,
{
    let mut starts: Vec<&str> = Vec::new();
    for s in &panel.series {
        if !starts.contains(&s.start) {
            starts.push(s.start);
        }
    }
    let (plot, key) = split_legend(area, 2 * starts.len() + 1, 2);
    let width = (panel.upper - panel.lower).max(1e-300);
    let gaps = panel.series.iter().flat_map(|s| s.trace.iter().map(|(_, l)| l - panel.lower)).filter(|g| *g > 0.0);
    let (gmin, gmax) = gaps.fold((width, width), |(a, b), g| (a.min(g), b.max(g)));
    let (ylo, yhi) = (10f64.powf((gmin / 2.0).log10().floor()), 10f64.powf((gmax * 2.0).log10().ceil()));
    let xmax = f.steps.max(1) as f64;
    let mut chart = ChartBuilder::on(&plot)
        .caption(format!("{}: objective above the certified lower bound", panel.act), font(TICK + 2))
        .margin(12)
        .margin_right(24)
        .x_label_area_size(62)
        .y_label_area_size(95)
        .build_cartesian_2d(0.0..xmax, log_axis(ylo, yhi, 8))?;
    mesh(&mut chart, "gradient step t", "L[ρ_t] − L_lower (log scale)", &linear_ticks(0.0, xmax), &log_label)?;
    chart.draw_series(std::iter::once(Rectangle::new([(0.0, ylo), (xmax, width)], BAND.mix(0.6).filled())))?;
    chart.draw_series(std::iter::once(Rectangle::new([(0.0, ylo), (xmax, width)], BAND_EDGE.stroke_width(1))))?;
    let mut entries = vec![entry(Swatch::Band(BAND, 0.6), format!("certified bracket of L* (width {})", num(width)))];
    for s in &panel.series {
        let k = starts.iter().position(|x| *x == s.start).unwrap_or(0);
        let color = COLORS[k % COLORS.len()];
        let pts: Vec<(f64, f64)> = s.trace.iter().map(|(t, l)| (*t as f64, (l - panel.lower).max(ylo))).collect();
        if s.sigma > 0.0 {
            chart.draw_series(LineSeries::new(pts, color.stroke_width(2)))?;
            entries.push(entry(Swatch::Line(color, 2), format!("{} start, perturbed (σ = {})", s.start, num(s.sigma))));
        } else {
            chart.draw_series(DashedLineSeries::new(pts, 10, 6, color.stroke_width(2)))?;
            entries.push(entry(Swatch::Dashed(color), format!("{} start, plain (σ = 0)", s.start)));
        }
    }
    legend(&key, &entries, 2, 90)?;
    Ok(())
}

/// Right panel: the final particles of the perturbed generic run (angle of ū, signed m‖θ‖²) against the support
/// atoms of the convex solution drawn as bars.
fn particles<DB>(panel: &FlowPanel, area: &DrawingArea<DB, Shift>) -> DrawResult
where
    DB: DrawingBackend,
    DB::ErrorType: 'static,
{
    let (plot, key) = split_legend(area, 2, 1);
    let wmax = panel.particles.iter().chain(panel.support.iter()).map(|(_, v)| v.abs()).fold(1e-12, f64::max) * 1.1;
    let pi = std::f64::consts::PI;
    let mut chart = ChartBuilder::on(&plot)
        .caption(format!("{}: final particles vs the optimum's support", panel.act), font(TICK + 2))
        .margin(12)
        .margin_right(24)
        .x_label_area_size(62)
        .y_label_area_size(95)
        .build_cartesian_2d(-1.05..1.05, -wmax..wmax)?;
    mesh(&mut chart, "direction: angle of ū (radians)", "signed weight", &angle_label, &linear_ticks(-wmax, wmax))?;
    chart.draw_series(
        panel
            .support
            .iter()
            .map(|(a, v)| PathElement::new(vec![(a / pi, 0.0), (a / pi, *v)], RED.mix(0.6).stroke_width(5))),
    )?;
    chart.draw_series(panel.particles.iter().map(|(a, v)| Circle::new((a / pi, *v), 3, COLORS[0].filled())))?;
    legend(
        &key,
        &[
            entry(Swatch::Dot(COLORS[0]), "final particles, generic start, perturbed: m‖θ‖²"),
            entry(Swatch::Bar(RED), "support atoms of the convex optimum: 2α"),
        ],
        1,
        90,
    )?;
    Ok(())
}

/// Tick labels of the angle axis (drawn in units of π): multiples of π/2, nothing between them.
fn angle_label(v: &f64) -> String {
    if (2.0 * v - (2.0 * v).round()).abs() > 1e-9 {
        return String::new();
    }
    match (2.0 * v).round() as i32 {
        -2 => "−π".into(),
        -1 => "−π/2".into(),
        0 => "0".into(),
        1 => "π/2".into(),
        2 => "π".into(),
        _ => String::new(),
    }
}
