//! The uncertified parts of `margin.limit`: multi-class (l = 3) two-layer nets and depth-3 nets, where the global
//! optimum Θ_λ and γ* cannot be certified.
//!
//! What is computed: the regularization path of trained nets (λ annealed along the path, each stage warm-started from
//! the previous one, several initializations, the one with the lowest final L_λ kept), and γ_best, the best normalized
//! margin found by direct margin maximization ([`crate::nets::maximize_margin`]) from many restarts. γ_best is only a
//! lower estimate of γ*; the evidence says so.
//!
//! Decision (ρ_k = γ_{λ_k}/γ_best along the path):
//! * Refuted when some γ_λ exceeds the certified crude ceiling γ* ≤ c_l K^{−K/2} min_i ‖x_i‖ of every depth-K
//!   bias-free ReLU net with ‖Θ‖ = 1 (|f(x)| ≤ Π_k ‖W_k‖_F ‖x‖ ≤ K^{−K/2}‖x‖ by AM–GM; c_l = 1 for one output,
//!   √2 for a score difference f_y − f_k) — nothing may beat a maximum;
//! * Supported when (i) ρ rises along the path: ρ_{k+1} ≥ ρ_k − `step_tol` for every k and ρ_last > ρ_first +
//!   `step_tol`, and (ii) the last ratio is at least the level the proof of the theorem guarantees for the global
//!   optimum with the comparison net s·Θ̄_best, s^a γ_best = ln(1/λ): L_λ* ≤ U(λ) = ln(1 + (l − 1)λ) +
//!   λ(ln(1/λ)/γ_best)^{r/a}, hence γ_λ ≥ γ_rate(λ) = −ln(expm1(nU))/(U/λ)^{a/r} (mean loss; a per-example loss
//!   ≤ nU bounds each margin, λ‖Θ‖^r ≤ U bounds the norm); the level is γ_rate(λ_last)/γ_best, derived, not tuned;
//!   (iii) γ_λ ≥ γ_rate(λ) at every λ where the floor is positive.
//! * Inconclusive otherwise (an optimizer that stalls says nothing about the theorem).
//!
//! `step_tol` = 1% of γ_best: the stage-to-stage noise allowed to a trained (uncertified) path.

use crate::claims::{Decision, Verdict};
use crate::experiments::memo::memo;
use crate::nets::path::{PathStage, regularization_path};
use crate::nets::train::maximize_margin_capped;
use crate::nets::{Model, Reduction, Targets, margin::margins};
use crate::{Error, Result};
use rayon::prelude::*;
use std::sync::Arc;

/// Sizes of the trained paths.
#[derive(Debug, Clone)]
pub struct TrainedParams {
    /// The λ path, decreasing.
    pub lambdas: Vec<f64>,
    /// Initializations of the path (the lowest final L_λ is kept).
    pub path_inits: usize,
    /// L-BFGS iterations per λ stage.
    pub path_iters: usize,
    /// Restarts of direct margin maximization (split over 4 parallel streams).
    pub margin_restarts: usize,
    /// L-BFGS iterations per smoothing stage of margin maximization.
    pub margin_iters: usize,
    /// Allowed drop of ρ between consecutive λ (in units of γ_best).
    pub step_tol: f64,
}

impl TrainedParams {
    /// Quick: λ = 1e-2 … 1e-6; full: λ = 1e-2 … 1e-9 with more restarts.
    pub fn for_tier(tier: crate::claims::Tier) -> Self {
        TrainedParams {
            lambdas: tier
                .pick(vec![1e-2, 1e-3, 1e-4, 1e-5, 1e-6], vec![1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9]),
            path_inits: tier.pick(4, 8),
            path_iters: tier.pick(400, 1000),
            margin_restarts: tier.pick(16, 64),
            margin_iters: tier.pick(200, 500),
            step_tol: 0.01,
        }
    }
}

/// Per-stage numbers of a trained path.
#[derive(Debug, Clone)]
pub struct TrainedPath {
    /// λ values.
    pub lambdas: Vec<f64>,
    /// γ_λ = min_i margin_i/‖Θ‖^a (may be ≤ 0 before separation).
    pub margins: Vec<f64>,
    /// min_i margin_i/‖Θ‖: the wrong degree a = 1.
    pub margins_degree_one: Vec<f64>,
    /// L_λ(Θ_trained).
    pub objectives: Vec<f64>,
    /// ‖∇L_λ‖_∞ at the end of each stage.
    pub grad_inf: Vec<f64>,
    /// γ_best from direct margin maximization.
    pub gamma_best: f64,
    /// Homogeneity degree a.
    pub degree: f64,
    /// n.
    pub n: usize,
    /// l − 1 (1 for a single output).
    pub l_minus_one: f64,
    /// The certified crude ceiling c_l K^{−K/2} min_i ‖x_i‖ (unit-norm nets).
    pub ceiling: f64,
}

fn raw_normalized<M: Model, T: Targets + ?Sized>(m: &M, data: &T, degree: f64) -> Result<f64> {
    let worst = margins(m, data)?.min();
    let norm = m.param_norm();
    Ok(if norm > 0.0 { worst / norm.powf(degree) } else { f64::NEG_INFINITY })
}

/// Trains the path and maximizes the margin; `streams` names the random streams (seed, label) used.
pub fn run_path<M, T, I>(
    seed: u64,
    name: &str,
    data: &T,
    init: I,
    p: &TrainedParams,
    ceiling_const: f64,
) -> Result<TrainedPath>
where
    M: Model,
    T: Targets + ?Sized,
    I: Fn(&mut crate::seed::Rng) -> Result<M> + Sync,
{
    let paths: Vec<Result<Vec<PathStage<M>>>> = (0..p.path_inits as u64)
        .into_par_iter()
        .map(|r| {
            let mut rng = crate::seed::stream(seed, &["margin.limit", name, "path"], r);
            regularization_path(init(&mut rng)?, data, &p.lambdas, 2.0, Reduction::Mean, p.path_iters, 1e-12, 12)
        })
        .collect();
    let mut best: Option<Vec<PathStage<M>>> = None;
    for path in paths {
        let path = path?;
        let last = path.last().map(|s| s.objective).unwrap_or(f64::INFINITY);
        if best.as_ref().is_none_or(|b| last < b.last().map(|s| s.objective).unwrap_or(f64::INFINITY)) {
            best = Some(path);
        }
    }
    let path = best.ok_or_else(|| Error::Numerical("no path was trained".into()))?;
    let per = p.margin_restarts.div_ceil(4).max(1);
    let bests: Vec<Result<f64>> = (0..4u64)
        .into_par_iter()
        .map(|c| {
            let mut rng = crate::seed::stream(seed, &["margin.limit", name, "max-margin"], c);
            Ok(maximize_margin_capped(&init, data, per, p.margin_iters, 12, &mut rng)?.margin.unwrap_or(0.0))
        })
        .collect();
    let mut gamma_best: f64 = 0.0;
    for b in bests {
        gamma_best = gamma_best.max(b?);
    }
    let model = &path[0].model;
    let degree = model.degree();
    let min_norm = (0..data.len()).map(|i| data.inputs().row(i).norm()).fold(f64::INFINITY, f64::min);
    let depth = degree; // bias-free ReLU nets: degree = depth
    let ceiling = ceiling_const * depth.powf(-depth / 2.0) * min_norm;
    let l_minus_one = if model.outputs() == 1 { 1.0 } else { (model.outputs() - 1) as f64 };
    let mut out = TrainedPath {
        lambdas: p.lambdas.clone(),
        margins: Vec::new(),
        margins_degree_one: Vec::new(),
        objectives: Vec::new(),
        grad_inf: Vec::new(),
        gamma_best,
        degree,
        n: data.len(),
        l_minus_one,
        ceiling,
    };
    for s in &path {
        out.margins.push(raw_normalized(&s.model, data, degree)?);
        out.margins_degree_one.push(raw_normalized(&s.model, data, 1.0)?);
        out.objectives.push(s.objective);
        out.grad_inf.push(s.grad_inf);
    }
    Ok(out)
}

/// [`run_path`] once per (seed, name, params) in this process, shared by the claim and its controls.
pub fn run_path_shared<M, T, I>(
    seed: u64,
    name: &str,
    data: &T,
    init: I,
    p: &TrainedParams,
    ceiling_const: f64,
) -> Result<Arc<TrainedPath>>
where
    M: Model,
    T: Targets + ?Sized,
    I: Fn(&mut crate::seed::Rng) -> Result<M> + Sync,
{
    let key = format!("margin.limit/trained/{seed}/{name}/{p:?}");
    memo(&key, || run_path(seed, name, data, init, p, ceiling_const))
}

/// U(λ) = ln(1 + (l − 1)λ) + λ (ln(1/λ)/γ)^{r/a} (r = 2) and the floor −ln(expm1(nU))/(U/λ)^{a/r}.
pub fn rate_floor(lambda: f64, gamma: f64, degree: f64, n: usize, l_minus_one: f64) -> (f64, f64) {
    let r = 2.0;
    let u = (l_minus_one * lambda).ln_1p() + lambda * ((1.0 / lambda).ln() / gamma).powf(r / degree);
    let floor = -(n as f64 * u).exp_m1().ln() / (u / lambda).powf(degree / r);
    (u, floor)
}

/// The decision of the module docs on a trained path; `degree_one` feeds the wrong-degree margins instead.
pub fn decide(tp: &TrainedPath, p: &TrainedParams, degree_one: bool) -> Decision {
    let values = if degree_one { &tp.margins_degree_one } else { &tp.margins };
    let gb = tp.gamma_best;
    let ratios: Vec<f64> = values.iter().map(|v| v / gb).collect();
    let floors: Vec<(f64, f64)> =
        tp.lambdas.iter().map(|&l| rate_floor(l, gb, tp.degree, tp.n, tp.l_minus_one)).collect();
    let finite = gb > 0.0 && values.iter().all(|v| v.is_finite());
    let above_ceiling = values.iter().any(|v| *v > tp.ceiling);
    let rises = ratios.windows(2).all(|w| w[1] >= w[0] - p.step_tol)
        && ratios.last().copied().unwrap_or(f64::NAN) > ratios[0] + p.step_tol;
    let level = floors.last().map(|f| f.1 / gb).unwrap_or(f64::NAN);
    let ends_high = ratios.last().is_some_and(|r| *r >= level);
    let floor_ok = values.iter().zip(&floors).all(|(v, f)| !(f.1 > 0.0) || *v >= f.1);
    let comparison_ok: Vec<bool> = tp.objectives.iter().zip(&floors).map(|(o, f)| *o <= f.0).collect();
    let verdict = if !finite {
        Verdict::Inconclusive
    } else if above_ceiling {
        Verdict::Refuted
    } else if rises && ends_high && floor_ok {
        Verdict::Supported
    } else {
        Verdict::Inconclusive
    };
    Decision::new(
        verdict,
        format!(
            "UNCERTIFIED (γ* unknown; γ_best = best margin of {} direct-maximization restarts, a lower estimate): \
             Refuted if any γ_λ > crude certified ceiling c_l·K^(−K/2)·min‖x‖; Supported if ρ = γ_λ/γ_best rises \
             (ρ_(k+1) ≥ ρ_k − {tol}, ρ_last > ρ_first + {tol}), ρ_last ≥ γ_rate(λ_last)/γ_best and γ_λ ≥ γ_rate(λ) \
             wherever positive; else Inconclusive",
            p.margin_restarts,
            tol = p.step_tol
        ),
    )
    .with("lambdas", tp.lambdas.clone())
    .with("gamma_lambda", values.clone())
    .with("ratio_to_gamma_best", ratios.clone())
    .with("gamma_best", gb)
    .with("certified_ceiling", tp.ceiling)
    .with("degree", tp.degree)
    .with("rises", rises)
    .with("level_rate_over_best", level)
    .with("final_ratio", ratios.last().copied().unwrap_or(f64::NAN))
    .with("rate_floor", floors.iter().map(|f| f.1).collect::<Vec<_>>())
    .with("comparison_loss_bound_U", floors.iter().map(|f| f.0).collect::<Vec<_>>())
    .with("trained_objective", tp.objectives.clone())
    .with("trained_objective_at_most_U", comparison_ok.iter().filter(|b| **b).count() as u64)
    .with("stage_grad_inf", tp.grad_inf.clone())
}

/// The certified part of a trained-path decision: Refuted exactly when the trained rule found a γ_λ above the
/// certified ceiling, Supported otherwise (also when the trained path merely failed to rise — an optimization
/// failure, not evidence about the theorem). The trained rule's own verdict and rule stay in the metrics
/// (`trained_rule_verdict`, `trained_rule`).
pub fn ceiling_only(trained: Decision) -> Decision {
    let above = trained.metrics.get("gamma_lambda").and_then(|v| v.as_array()).map(|vals| {
        let ceiling = trained.metrics.get("certified_ceiling").and_then(|c| c.as_f64()).unwrap_or(f64::NAN);
        (vals.iter().filter_map(|v| v.as_f64()).fold(f64::NEG_INFINITY, f64::max), ceiling)
    });
    let (top, ceiling) = above.unwrap_or((f64::NAN, f64::NAN));
    let usable = top.is_finite() && ceiling.is_finite();
    let mut d = Decision::new(
        Verdict::decide(usable, top <= ceiling, top > ceiling),
        "certified part of an uncertified path: Supported when every trained γ_λ ≤ the certified ceiling \
         c_l·K^(−K/2)·min‖x‖; Refuted when one exceeds it",
    )
    .with_margin(ceiling - top, top - ceiling)
    .with("trained_rule_verdict", trained.verdict.as_str())
    .with("trained_rule", trained.rule.clone());
    d.metrics.extend(trained.metrics);
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_certified_ceiling_decides() {
        let trained = |vals: Vec<f64>, v: Verdict| {
            Decision::new(v, "trained").with("gamma_lambda", vals).with("certified_ceiling", 1.0)
        };
        // a failed training run (Inconclusive) below the ceiling: the certified part holds
        let d = ceiling_only(trained(vec![0.1, 0.05], Verdict::Inconclusive));
        assert_eq!(d.verdict, Verdict::Supported);
        assert_eq!(d.metrics["trained_rule_verdict"], "inconclusive");
        // a margin above the certified ceiling refutes
        assert_eq!(ceiling_only(trained(vec![0.5, 1.2], Verdict::Refuted)).verdict, Verdict::Refuted);
        // no numbers: nothing to decide on
        assert_eq!(ceiling_only(Decision::new(Verdict::Inconclusive, "x")).verdict, Verdict::Inconclusive);
    }

    #[test]
    fn floor_matches_the_binary_two_layer_formula() {
        // a = r = 2, l − 1 = 1: U = ln(1 + λ) + λ b, b = ln(1/λ)/γ; floor = −ln(expm1(nU))/(U/λ)
        let (lambda, gamma, n) = (1e-8, 0.02, 8);
        let (u, f) = rate_floor(lambda, gamma, 2.0, n, 1.0);
        let b = (1.0 / lambda).ln() / gamma;
        assert!((u - (lambda.ln_1p() + lambda * b)).abs() < 1e-20);
        assert!((f - (-(8.0 * u).exp_m1().ln() / (u / lambda))).abs() < 1e-12);
        assert!(f > 0.0 && f < gamma);
    }
}
