//! The perturbed-vs-plain Wasserstein gradient descent figure: per activation, L[ρ_t] − lower on a log axis with the
//! certified bracket as a band, and the final particle directions against the support of the convex solution.
//! Files: `wgf_trajectories.csv` (act, start, sigma, step, objective, objective − lower), `wgf_particles.csv`,
//! `wgf.svg` (written by hand, no fonts needed) and `wgf.json`.

use super::{put, put_json};
use crate::Result;
use crate::experiments::wgf::FlowFigure;
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
    put(dir, "wgf.svg", &svg(f), &mut written)?;
    put_json(dir, "wgf.json", &serde_json::json!({"figure": "wgf", "result": f}), &mut written)?;
    Ok(written)
}

fn svg(f: &FlowFigure) -> String {
    let steps = f.steps;
    let rows = &f.panels;
    let (w, h) = (1100.0, 380.0 * rows.len() as f64);
    let mut s = format!(
        "<svg xmlns='http://www.w3.org/2000/svg' width='{w}' height='{h}' font-family='sans-serif' font-size='12'>\n\
         <rect width='100%' height='100%' fill='white'/>\n"
    );
    let colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"];
    for (r, panel) in rows.iter().enumerate() {
        let (act, width, series, dirs, support) =
            (panel.act, panel.upper - panel.lower, &panel.series, &panel.particles, &panel.support);
        let y0 = 380.0 * r as f64;
        // left panel: log10(L − lower) vs step
        let (px, py, pw, ph) = (60.0, y0 + 40.0, 560.0, 290.0);
        let (lo, hi) = (-7.0f64, 0.5f64);
        let fy = |v: f64| {
            let l = v.max(1e-7).log10().clamp(lo, hi);
            py + ph * (hi - l) / (hi - lo)
        };
        let fx = |t: usize| px + pw * t as f64 / steps as f64;
        let _ = writeln!(
            s,
            "<text x='{px}' y='{}'>{act}: L[ρ_t] − lower (log scale) vs step; band = certified bracket (width {width:.1e})</text>",
            y0 + 25.0
        );
        let _ = writeln!(s, "<rect x='{px}' y='{py}' width='{pw}' height='{ph}' fill='none' stroke='black'/>");
        let band_top = fy(width);
        let _ = writeln!(
            s,
            "<rect x='{px}' y='{band_top}' width='{pw}' height='{}' fill='#cccccc' opacity='0.6'/>",
            py + ph - band_top
        );
        for e in (lo as i32)..=0 {
            let yy = fy(10f64.powi(e));
            let _ = writeln!(s, "<text x='{}' y='{}' font-size='10'>1e{e}</text>", px - 40.0, yy + 4.0);
        }
        let _ = writeln!(s, "<text x='{}' y='{}' font-size='10'>{steps}</text>", px + pw - 20.0, py + ph + 14.0);
        for (k, ser) in series.iter().enumerate() {
            let c = colors[k % colors.len()];
            let dash = if ser.sigma > 0.0 { "" } else { " stroke-dasharray='6,4'" };
            let pts: Vec<String> =
                ser.trace.iter().map(|(t, l)| format!("{:.1},{:.1}", fx(*t), fy(*l - panel.lower))).collect();
            let _ =
                writeln!(s, "<polyline fill='none' stroke='{c}' stroke-width='1.5'{dash} points='{}'/>", pts.join(" "));
            let _ = writeln!(
                s,
                "<text x='{}' y='{}' fill='{c}' font-size='10'>{} start, σ = {}</text>",
                px + pw - 150.0,
                py + 15.0 + 13.0 * k as f64,
                ser.start,
                ser.sigma
            );
        }
        // right panel: final particle directions (angle of ū) vs signed weight, support atoms as bars
        let (qx, qw) = (680.0, 380.0);
        let wmax = dirs.iter().chain(support.iter()).map(|(_, v)| v.abs()).fold(1e-12, f64::max);
        let gx = |a: f64| qx + qw * (a + std::f64::consts::PI) / (2.0 * std::f64::consts::PI);
        let gy = |v: f64| py + ph * 0.5 * (1.0 - v / wmax);
        let _ = writeln!(
            s,
            "<text x='{qx}' y='{}'>final particles (dots) vs convex support (bars): angle of ū, signed m‖θ‖²</text>",
            y0 + 25.0
        );
        let _ = writeln!(s, "<rect x='{qx}' y='{py}' width='{qw}' height='{ph}' fill='none' stroke='black'/>");
        let _ = writeln!(s, "<line x1='{qx}' y1='{}' x2='{}' y2='{}' stroke='#999'/>", gy(0.0), qx + qw, gy(0.0));
        for (a, v) in support {
            let _ = writeln!(
                s,
                "<line x1='{0:.1}' y1='{1:.1}' x2='{0:.1}' y2='{2:.1}' stroke='#d62728' stroke-width='3' opacity='0.6'/>",
                gx(*a),
                gy(0.0),
                gy(*v)
            );
        }
        for (a, v) in dirs {
            let _ = writeln!(s, "<circle cx='{:.1}' cy='{:.1}' r='2' fill='#1f77b4'/>", gx(*a), gy(*v));
        }
        let _ = writeln!(s, "<text x='{qx}' y='{}' font-size='10'>−π</text>", py + ph + 14.0);
        let _ = writeln!(s, "<text x='{}' y='{}' font-size='10'>π</text>", qx + qw - 10.0, py + ph + 14.0);
    }
    s.push_str("</svg>\n");
    s
}
