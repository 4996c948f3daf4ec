//! `regmatters repro width` — the width study of the revision's appendix F.2: a random ReLU teacher (10 units), d = 20,
//! n = 1000 training points (teacher margin ≥ 0.1), 10000 test points, widths 2^4 … 2^10, λ annealed to 1e-5 (quick
//! tier: d = 10, n = 200, 2000 test points, widths 2^2 … 2^6). For each width: the test error and the normalized margin
//! of the trained net, with the ℓ1-SVM reference: the LP value γ_D on a random dictionary of k = 8000 directions
//! (quick: 2000) is a *lower* bound on γ_ℓ1 (no whole-sphere certificate in d = 20), so γ_D/2 is a floor the wide nets
//! should approach, not a certified ceiling. γ_D itself is computed exactly by row and column generation
//! ([`regmatters::convex::dictionary_lp`]) and bracketed by a primal margin and a dual bound both checked on all n
//! points and all k directions; the bracket, rounds and working-set sizes go into `width.json`. Writes `width.csv`,
//! `width.svg`, `width.json`; per-width wall times go to stderr.

use plotters::prelude::*;
use rayon::prelude::*;
use regmatters::claims::Tier;
use regmatters::convex::dictionary_lp::{DictionaryLpOptions, dictionary_lp};
use regmatters::convex::sphere;
use regmatters::data::Teacher;
use regmatters::nets::margin::{margins, normalized_margin};
use regmatters::nets::path::regularization_path;
use regmatters::nets::{Reduction, TwoLayer};
use std::fmt::Write as _;

/// One trained width: (m, test error, normalized margin, per-stage (L-BFGS iterations, final ‖∇L_λ‖_∞)).
type WidthRow = (usize, f64, f64, Vec<(usize, f64)>);

/// Writes the figure's CSV + SVG + JSON into `args.out`; returns the exit code.
pub fn run(args: &super::Args) -> anyhow::Result<i32> {
    let tier = args.tier;
    let d = tier.pick(10, 20);
    let n = tier.pick(200, 1000);
    let n_test = tier.pick(2000, 10000);
    let widths: Vec<usize> = match tier {
        Tier::Quick => (2..=6).map(|e| 1usize << e).collect(),
        Tier::Full => (4..=10).map(|e| 1usize << e).collect(),
    };
    let mut rng = regmatters::seed::stream(args.seed, &["repro", "width"], 0);
    let teacher = Teacher::random(d, 10, &mut rng)?;
    let trainset = teacher.classification(n, 0.1, &mut rng)?;
    let testset = teacher.classification(n_test, 0.0, &mut rng)?;
    let dict = sphere::uniform(d, tier.pick(2000, 8000), &mut rng)?;
    let t0 = std::time::Instant::now();
    let lp = match dictionary_lp(&trainset, &dict, &DictionaryLpOptions::default()) {
        Ok(s) => Some(s),
        Err(e) => {
            eprintln!("width: no dictionary floor: {e}");
            None
        }
    };
    if let Some(s) = &lp {
        for (t, r) in s.rounds.iter().enumerate() {
            eprintln!(
                "width: LP round {t}: |R| = {}, |C| = {}, γ_RC = {:.8}, bracket [{:.8}, {:.8}], +{} points, +{} dirs, \
                 LP {:.2} s (tol {:.0e})",
                r.points, r.dirs, r.gamma, r.lower, r.upper, r.added_points, r.added_dirs, r.lp_seconds, r.solver_tol
            );
        }
        let last = s.rounds.last().map(|r| (r.points, r.dirs)).unwrap_or((0, 0));
        eprintln!(
            "width: dictionary LP γ_D ∈ [{:.8}, {:.8}] (rel. gap {:.1e}), {} rounds, working set {} points × {} dirs, \
             support {} dirs / {} points, {:.1} s",
            s.lower,
            s.upper,
            s.rel_gap(),
            s.rounds.len(),
            last.0,
            last.1,
            s.support,
            s.support_points,
            t0.elapsed().as_secs_f64()
        );
    }
    let floor = lp.as_ref().map(|s| s.lower / 2.0);
    let mut csv = String::from("width,test_error,normalized_margin,l1_dictionary_floor\n");
    // widths in parallel (each has its own stream), gathered in order; λ annealed 1e-2 → 1e-5 in 4 stages with
    // warm starts, L-BFGS with a capped line search (12 halvings, see nets::lbfgs::lbfgs_capped)
    let lambdas: Vec<f64> = (0..4).map(|s| 1e-2 * (1e-3f64).powf(s as f64 / 3.0)).collect();
    let iters = tier.pick(300, 1000);
    let results: Vec<anyhow::Result<WidthRow>> = widths
        .par_iter()
        .map(|&m| {
            let start = std::time::Instant::now();
            let mut r = regmatters::seed::stream(args.seed, &["repro", "width", "train"], m as u64);
            let init = TwoLayer::gaussian(m, d, 0.5, &mut r)?;
            let path = regularization_path(init, &trainset, &lambdas, 2.0, Reduction::Mean, iters, 1e-10, 12)?;
            let net = &path.last().ok_or_else(|| anyhow::anyhow!("empty path"))?.model;
            let err = margins(net, &testset)?.iter().filter(|v| **v <= 0.0).count() as f64 / n_test as f64;
            let gamma = normalized_margin(net, &trainset).unwrap_or(0.0);
            let stages: Vec<(usize, f64)> = path.iter().map(|s| (s.iterations, s.grad_inf)).collect();
            eprintln!(
                "width {m}: test error {err:.4}, margin {gamma:.5}, L-BFGS iterations/‖∇‖∞ per stage {stages:?}, {:.1} s",
                start.elapsed().as_secs_f64()
            );
            Ok((m, err, gamma, stages))
        })
        .collect();
    let mut rows = Vec::new();
    let mut stages = Vec::new();
    for r in results {
        let (m, err, gamma, st) = r?;
        stages.push(st);
        writeln!(csv, "{m},{err},{gamma},{}", floor.unwrap_or(f64::NAN))?;
        rows.push((m, err, gamma));
    }
    std::fs::write(args.out.join("width.csv"), &csv)?;
    let file = args.out.join("width.svg");
    let root = SVGBackend::new(&file, (900, 420)).into_drawing_area();
    root.fill(&WHITE)?;
    let (left, right) = root.split_horizontally(450);
    let wmin = *widths.first().unwrap_or(&1) as f64 / 1.5;
    let wmax = *widths.last().unwrap_or(&2) as f64 * 1.5;
    {
        let emax = rows.iter().map(|r| r.1).fold(0.0, f64::max).max(0.01) * 1.2;
        let mut c = ChartBuilder::on(&left)
            .caption("test error vs width", ("sans-serif", 16))
            .margin(10)
            .x_label_area_size(35)
            .y_label_area_size(55)
            .build_cartesian_2d((wmin..wmax).log_scale(), 0.0..emax)?;
        c.configure_mesh().x_desc("width m").y_desc("test error").draw()?;
        c.draw_series(LineSeries::new(rows.iter().map(|r| (r.0 as f64, r.1)), &BLUE))?;
        c.draw_series(rows.iter().map(|r| Circle::new((r.0 as f64, r.1), 3, BLUE.filled())))?;
    }
    {
        let gmax = rows.iter().map(|r| r.2).fold(floor.unwrap_or(0.0), f64::max).max(1e-6) * 1.2;
        let mut c = ChartBuilder::on(&right)
            .caption("normalized margin vs width", ("sans-serif", 16))
            .margin(10)
            .x_label_area_size(35)
            .y_label_area_size(55)
            .build_cartesian_2d((wmin..wmax).log_scale(), 0.0..gmax)?;
        c.configure_mesh().x_desc("width m").y_desc("γ").draw()?;
        c.draw_series(LineSeries::new(rows.iter().map(|r| (r.0 as f64, r.2)), &BLUE))?.label("trained net");
        if let Some(f) = floor {
            c.draw_series(LineSeries::new(vec![(wmin, f), (wmax, f)], &RED))?
                .label("ℓ1-SVM dictionary LP / 2 (a floor)");
        }
        super::plot::draw_legend(&mut c, SeriesLabelPosition::MiddleRight)?;
    }
    root.present()?;
    let json = serde_json::json!({
        "figure": "width", "tier": tier.as_str(), "d": d, "n": n, "n_test": n_test,
        "widths": widths, "test_error": rows.iter().map(|r| r.1).collect::<Vec<_>>(),
        "normalized_margin": rows.iter().map(|r| r.2).collect::<Vec<_>>(), "l1_dictionary_floor": floor,
        "lambdas": lambdas, "max_iterations_per_stage": iters,
        "stage_iterations": stages.iter().map(|s| s.iter().map(|v| v.0).collect::<Vec<_>>()).collect::<Vec<_>>(),
        "stage_grad_inf": stages.iter().map(|s| s.iter().map(|v| v.1).collect::<Vec<_>>()).collect::<Vec<_>>(),
        "dictionary_lp": lp.as_ref().map(|s| serde_json::json!({
            "directions": dict.nrows(), "lower": s.lower, "upper": s.upper, "rel_gap": s.rel_gap(),
            "converged": s.converged, "rounds": s.rounds.len(),
            "working_points": s.points.len(), "working_dirs": s.dirs.len(),
            "support_dirs": s.support, "support_points": s.support_points,
            "round_sizes": s.rounds.iter().map(|r| [r.points, r.dirs]).collect::<Vec<_>>(),
        })),
    });
    std::fs::write(args.out.join("width.json"), serde_json::to_string_pretty(&json)?)?;
    println!("width: wrote {}", args.out.display());
    Ok(0)
}
