//! `regmatters repro wgf`: perturbed (σ > 0) vs plain (σ = 0) Wasserstein gradient descent from the same starts,
//! against the certified bracket [lower, U] of the convex problem over measures.
//!
//! Writes `wgf_trajectories.csv` (act, start, sigma, step, objective, objective − lower), `wgf_particles.csv` (final
//! particle directions and the convex solution's support), `wgf.svg` (one row per activation: L − lower on a log axis
//! with the bracket as a band; final directions ū as angles against the support of the convex solution) and
//! `wgf.json` (bracket and final values). The SVG is written by hand (no fonts needed).

use regmatters::claims::Context;
use regmatters::claims::wgf::setup::{Start, WgfParams, certificate, line_problem};
use regmatters::flow::{Activation, Flow};
use std::fmt::Write as _;

struct Series {
    act: &'static str,
    start: &'static str,
    sigma: f64,
    points: Vec<(usize, f64)>,
}

/// Writes the figure's CSV + SVG + JSON into `args.out`; returns the exit code.
pub fn run(args: &super::Args) -> anyhow::Result<i32> {
    let params = WgfParams::for_tier(args.tier);
    params.validate()?;
    let steps = args.tier.pick(3000, 20000);
    let ctx = Context::new(args.tier, args.seed);
    let mut traj = String::from("act,start,sigma,step,objective,gap_to_lower\n");
    let mut parts = String::from("act,kind,angle,signed_weight\n");
    let mut svg_rows = Vec::new();
    let mut summary = Vec::new();
    for act in [Activation::Relu, Activation::SMOOTH] {
        let problem = line_problem(act, params.lambda)?;
        let cert = certificate(&problem, &params)?;
        let mut series = Vec::new();
        let mut final_dirs = Vec::new();
        for start in Start::all_for(act) {
            for sigma in [params.sigma, 0.0] {
                let mut rng = ctx.rng_named(&format!("repro/{}/{}", act.name(), start.name()), 0);
                let init = start.init(&problem, &params, &mut rng)?;
                let mut flow = Flow::new(&problem, init, params.flow_config(sigma)?)?;
                let trace = flow.run(steps, 10, &mut rng)?;
                for t in &trace {
                    writeln!(
                        traj,
                        "{},{},{},{},{:.12e},{:.12e}",
                        act.name(),
                        start.name(),
                        sigma,
                        t.step,
                        t.objective,
                        t.objective - cert.lower
                    )?;
                }
                let last = trace.last().map(|t| t.objective).unwrap_or(f64::NAN);
                summary.push(serde_json::json!({
                    "act": act.name(), "start": start.name(), "sigma": sigma, "final_objective": last,
                    "final_gap_to_lower": last - cert.lower,
                }));
                if start == Start::Generic && sigma > 0.0 {
                    let p = &flow.particles;
                    for j in 0..p.len() {
                        let th = p.position(j);
                        let w = p.mass[j] * th.iter().map(|v| v * v).sum::<f64>() * th[0].signum();
                        let ang = th[2].atan2(th[1]);
                        writeln!(parts, "{},particle,{ang:.9},{w:.9e}", act.name())?;
                        final_dirs.push((ang, w));
                    }
                }
                series.push(Series {
                    act: act.name(),
                    start: start.name(),
                    sigma,
                    points: trace.iter().map(|t| (t.step, t.objective - cert.lower)).collect(),
                });
            }
        }
        // support atom α on ū ↔ mass 2|α| at unit radius: signed weight 2α, comparable to m‖θ‖²·sign(w)
        let support: Vec<(f64, f64)> = cert.support().iter().map(|(u, a)| (u[1].atan2(u[0]), 2.0 * a)).collect();
        for (ang, w) in &support {
            writeln!(parts, "{},support,{ang:.9},{w:.9e}", act.name())?;
        }
        summary.push(serde_json::json!({"act": act.name(), "upper": cert.upper, "lower": cert.lower,
            "bracket_width": cert.gap(), "support_atoms": support.len()}));
        svg_rows.push((act.name(), cert.gap(), series, final_dirs, support));
    }
    std::fs::write(args.out.join("wgf_trajectories.csv"), traj)?;
    std::fs::write(args.out.join("wgf_particles.csv"), parts)?;
    std::fs::write(args.out.join("wgf.json"), serde_json::to_string_pretty(&summary)?)?;
    std::fs::write(args.out.join("wgf.svg"), svg(&svg_rows, steps))?;
    println!("wrote wgf_trajectories.csv, wgf_particles.csv, wgf.svg, wgf.json to {}", args.out.display());
    Ok(0)
}

type Row<'a> = (&'a str, f64, Vec<Series>, Vec<(f64, f64)>, Vec<(f64, f64)>);

fn svg(rows: &[Row], steps: usize) -> String {
    let (w, h) = (1100.0, 380.0 * rows.len() as f64);
    let mut s = format!(
        "<svg xmlns='http://www.w3.org/2000/svg' width='{w}' height='{h}' font-family='sans-serif' font-size='12'>\n\
         <rect width='100%' height='100%' fill='white'/>\n"
    );
    let colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"];
    for (r, (act, width, series, dirs, support)) in rows.iter().enumerate() {
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
        let band_top = fy(*width);
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
            let pts: Vec<String> = ser.points.iter().map(|(t, v)| format!("{:.1},{:.1}", fx(*t), fy(*v))).collect();
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
            let _ = ser.act;
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
