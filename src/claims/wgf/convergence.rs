//! `wgf.convergence`: the perturbed flow's best objective enters the certified bracket, in polynomially many steps.

use crate::experiments::wgf::{Start, WgfParams, certificate, first_hits, problems};
use crate::Result;
use crate::claims::{Claim, Context, Decision, Evidence, Verdict};
use crate::stats::{Levels, slope_fit};
use rayon::prelude::*;


/// `wgf.convergence`.
struct Convergence;

/// Runs every start × seed of one problem with noise `sigma`; returns (start, seed, hits) in a fixed order.
pub(crate) fn run_all(
    ctx: &Context,
    name: &str,
    problem: &crate::flow::Problem,
    params: &WgfParams,
    starts: &[Start],
    sigma: f64,
    targets: &[f64],
) -> Result<Vec<(Start, u64, crate::experiments::wgf::Hits)>> {
    let config = params.flow_config(sigma)?;
    let jobs: Vec<(Start, u64)> = starts.iter().flat_map(|s| (0..params.seeds as u64).map(move |r| (*s, r))).collect();
    jobs.par_iter()
        .map(|(s, r)| {
            let mut rng = ctx.rng_named(&format!("{name}/{}", s.name()), *r);
            let init = s.init(problem, params, &mut rng)?;
            let hits = first_hits(problem, init, config, targets, params.max_steps, &mut rng)?;
            Ok((*s, *r, hits))
        })
        .collect()
}

impl Claim for Convergence {
    fn id(&self) -> &str {
        "wgf.convergence"
    }


    fn check(&self, ctx: &mut Context) -> Result<Evidence> {
        let params = WgfParams::for_tier(ctx.tier);
        params.validate()?;
        let mut parts = Vec::new();
        let mut summary = Vec::new();
        for (name, problem) in problems(&params)? {
            ctx.progress(&format!("{name}: certificate"));
            let cert = certificate(&problem, &params)?;
            let width = cert.gap();
            let bracket = Decision::new(
                if width <= params.bracket_width { Verdict::Supported } else { Verdict::Inconclusive },
                format!("the certified bracket [lower, U] has width ≤ {:e} (else Inconclusive)", params.bracket_width),
            )
            .with("upper", cert.upper)
            .with("lower", cert.lower)
            .with("width", width)
            .with("sphere_slack", cert.sphere.slack)
            .with("sphere_method", cert.sphere.method);
            let targets: Vec<f64> = params.eps.iter().map(|e| cert.upper + e).collect();
            ctx.progress(&format!("{name}: perturbed runs"));
            let starts = Start::all_for(problem.act);
            let runs = run_all(ctx, &name, &problem, &params, &starts, params.sigma, &targets)?;
            let missed = runs.iter().filter(|(_, _, h)| h.first.iter().any(|f| f.is_none())).count();
            let worst_best = runs.iter().map(|(_, _, h)| h.best).fold(f64::NEG_INFINITY, f64::max);
            let max_mass_err = runs.iter().map(|(_, _, h)| h.mass_error.abs()).fold(0.0, f64::max);
            let mut reach = Decision::new(
                Verdict::from_bool(missed == 0),
                format!(
                    "every run (starts {:?} × {} seeds) reaches L[ρ_t] ≤ U + ε for every ε in {:?} within {} steps",
                    starts.iter().map(|s| s.name()).collect::<Vec<_>>(),
                    params.seeds,
                    params.eps,
                    params.max_steps
                ),
            )
            .with("runs", runs.len())
            .with("missed", missed)
            .with("worst_best_objective", worst_best)
            .with("final_gap_to_lower_worst", worst_best - cert.lower)
            .with("max_mass_ledger_error", max_mass_err);
            for s in &starts {
                for (k, e) in params.eps.iter().enumerate() {
                    let mut ts: Vec<f64> = runs
                        .iter()
                        .filter(|(st, _, _)| st == s)
                        .filter_map(|(_, _, h)| h.first[k].map(|t| t as f64))
                        .collect();
                    ts.sort_by(f64::total_cmp);
                    let med = if ts.is_empty() { f64::NAN } else { ts[ts.len() / 2] };
                    reach = reach.with(&format!("t_eps_median.{}.{e:e}", s.name()), med);
                }
            }
            // slope of log t_ε vs log(1/ε) over seeds of the generic start
            let xs: Vec<f64> = params.eps.iter().map(|e| 1.0 / e).collect();
            let ys: Vec<Vec<f64>> = (0..params.eps.len())
                .map(|k| {
                    runs.iter()
                        .filter(|(s, _, _)| *s == Start::Generic)
                        .filter_map(|(_, _, h)| h.first[k].map(|t| (t as f64).max(1.0)))
                        .collect()
                })
                .collect();
            // the largest slope the fit could show before a run is censored at the step cap: a slower run misses
            // its ε, which refutes (below), so the slope part cannot pass by construction
            let t_first_min = runs
                .iter()
                .filter(|(s, _, _)| *s == Start::Generic)
                .filter_map(|(_, _, h)| h.first[0].map(|t| (t as f64).max(1.0)))
                .fold(f64::INFINITY, f64::min);
            let eps_ratio = params.eps[0] / params.eps[params.eps.len() - 1];
            let max_fittable = (params.max_steps as f64 / t_first_min).ln() / eps_ratio.ln();
            let exponent = ctx.threshold("theorem_exponent")?;
            let slope = if missed > 0 {
                Decision::new(Verdict::Refuted, "slope needs every generic run to reach every ε")
            } else {
                match slope_fit(&xs, &ys, Levels::SUITE) {
                    Some(f) => {
                        summary.push(format!("{name}: U={:.5} gap={width:.1e} slope={:.2}", cert.upper, f.slope));
                        f.decide_below(exponent).with("max_slope_before_censoring", max_fittable)
                    }
                    None => Decision::new(Verdict::Inconclusive, "slope fit failed (non-positive data)"),
                }
            };
            parts.push(bracket.prefixed(&format!("{name}.bracket")));
            parts.push(reach.prefixed(&format!("{name}.reach")));
            parts.push(slope.prefixed(&format!("{name}.slope")));
        }
        let d = Decision::all(parts);
        Ok(Evidence::from_decision(d)
            .summary(summary.join("; "))
            .note("R is the mean logistic loss (1/n)Σ log(1+exp(−y_i f_i)); V = λ‖θ‖²; L* bracket from convex/measure")
            .note("t_ε = first step with L[ρ_t] ≤ U + ε; the slope bound is a Welch-t bound over seeds of the generic start")
            .note("births: a fixed number of uniform particles per step carry the mass ησ (Monte-Carlo U^d)"))
    }
}

/// The checks of this file.
pub(super) fn checks() -> Vec<Box<dyn Claim>> {
    vec![Box::new(Convergence)]
}
