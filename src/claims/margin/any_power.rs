//! `margin.any_power` (ICLR'19 Thm 2.1 for every r > 0): with the regularizer λ‖Θ‖^r the normalized margin of the
//! global minimizer tends to the same γ* as λ → 0, for every power r, not only r = 2.
//!
//! **Reduction to one dimension.** For the two-layer ReLU net the balanced form gives ‖Θ‖² = 2‖α‖₁ =: s for the
//! lifted weights α (`convex::l1_logistic`), so the r-problem is
//!
//! h(α) = L(Φα) + λ s(α)^{r/2},   L = mean logistic loss.
//!
//! For r ≥ 2 it is convex; for r < 2 the penalty is concave in s and α = 0 is always a local minimum (slope +∞ at
//! s = 0), so its global minimum needs a global search. Every ℓ1-lift solve at a penalty ν (minimize L + ν·s) returns a
//! certified dual value D_ν with L(Φα) + ν s(α) ≥ D_ν for *every* measure α, i.e. the tangent line
//! L ≥ D_ν − ν s. With the trivial line L ≥ 0, the upper envelope ψ(s) = max_j (D_j − ν_j s) is a certified lower
//! bound on the loss at norm s, and
//!
//! min_α h(α) ≥ LB = min_{0 ≤ s ≤ S} ψ(s) + λ s^{r/2},   S = (UB/λ)^{2/r}
//!
//! (beyond S the penalty alone exceeds UB). On each linear piece of ψ the function is concave (r ≤ 2, minimum at an
//! end) or convex (r > 2, minimum at an end or at the stationary s₀ = (2ν/(rλ))^{2/(r−2)}), so LB is a minimum over
//! finitely many points: every pairwise intersection of the lines in [0, S], 0, S and the s₀. UB is the smallest
//! h over the solutions computed (and h(0) = ln 2). The branch refines where LB is attained: a new solve at the
//! geometric mean of the two lines' ν meeting there (or, at a stationary s₀, at ν = λ(r/2)s₀^{r/2−1}), warm-started
//! from the nearest solved ν, until UB − LB ≤ `max_scaled_gap`/2·λ s^{r/2} or the solve budget is spent. The starting
//! tangents are `margin.limit`'s certified path (ν = 1e-2 … 1e-10) and ν = 1 (where α = 0 is optimal).
//!
//! The minimizer is the solution attaining UB; by the KKT conditions every nonzero local minimum of h lies on the ℓ1
//! path at ν = λ(r/2)s^{r/2−1}, and the recorded stationarity residual ln(ν/(λ(r/2)s^{r/2−1})) shows how close the
//! chosen solve is to it.
//!
//! Decision per task and r (all must hold): (1) every optimum certified, (UB − LB)/(λ s^{r/2}) ≤ `max_scaled_gap`,
//! and nonzero (UB < ln 2); (2) the limit rule ([`crate::stats::limit`]) on the margins against the certified bracket
//! [γ_LB/2, γ_UB/2] of the ℓ1-SVM, final relative gap ≤ `final_gap`.
//!
//! Near miss `margin.any_power:r-dependent-limit`: "the limit depends on r, γ_λ → (2/r)·γ*", on the r = 3 paths, by
//! `margin.limit:short-limit`'s rule (certified gaps non-increasing and the last below 1/3 refutes it).

use super::limit::{LimitParams, certified_paths, limit_twin};
use crate::claims::{Claim, Context, Decision, Evidence, Verdict};
use crate::convex::l1_logistic::{LogisticOptions, LogisticSolution, l1_logistic};
use crate::data::Dataset;
use crate::experiments::margin_path::CertifiedPath;
use crate::{Error, Result};
use serde::Serialize;

/// The powers r checked (besides r = 2, which is `margin.limit`).
pub const POWERS: [f64; 2] = [1.0, 3.0];

/// One certified solve of the ℓ1 lift at penalty ν, reduced to what the bound needs.
#[derive(Debug, Clone)]
struct Tangent {
    nu: f64,
    /// Certified: L(Φα) + ν s(α) ≥ dual for every measure α.
    dual: f64,
    /// s = ‖Θ‖² = 2‖α‖₁ of the solution.
    s: f64,
    /// L(Φα) of the solution.
    loss: f64,
    /// min_i y_i f(x_i)/s of the solution.
    margin: f64,
    sol: Option<LogisticSolution>,
}

impl Tangent {
    fn from_solution(sol: &LogisticSolution) -> Self {
        let s = 2.0 * sol.alpha.lp_norm(1);
        Tangent {
            nu: sol.lambda,
            dual: sol.dual,
            s,
            loss: sol.primal - sol.lambda * s,
            margin: sol.margin,
            sol: Some(sol.clone()),
        }
    }
}

/// The certified global optimum of the r-problem at one λ.
#[derive(Debug, Clone, Serialize)]
pub struct PowerPoint {
    /// λ.
    pub lambda: f64,
    /// ν of the ℓ1 solve that attains UB.
    pub nu: f64,
    /// ‖Θ‖² of the minimizer.
    pub sq_norm: f64,
    /// γ_λ = min_i y_i f(x_i)/‖Θ‖² of the minimizer.
    pub margin: f64,
    /// h at the minimizer (an achieved value).
    pub upper: f64,
    /// Certified lower bound on min h over all networks.
    pub lower: f64,
    /// (upper − lower)/(λ s^{r/2}).
    pub scaled_gap: f64,
    /// ln(ν/(λ(r/2)s^{r/2−1})): 0 at an exact stationary point of h on the ℓ1 path.
    pub stationarity: f64,
    /// ℓ1-lift solves added by the branch for this λ.
    pub solves: usize,
}

/// LB = min over s ∈ [0, smax] of max_j (D_j − ν_j s) + λ s^{r/2} (and the trivial line 0), with the point attaining
/// it and the indices of the two lines active there (`usize::MAX` = the line L ≥ 0; equal indices at a stationary s₀).
fn lower_bound(lines: &[Tangent], lambda: f64, r: f64, smax: f64) -> (f64, f64, usize, usize) {
    let line = |j: usize, s: f64| if j == usize::MAX { 0.0 } else { lines[j].dual - lines[j].nu * s };
    let env = |s: f64| (0..lines.len()).map(|j| line(j, s)).fold(0.0, f64::max);
    let value = |s: f64| env(s) + lambda * s.powf(r / 2.0);
    let mut cands: Vec<f64> = vec![0.0, smax];
    let all: Vec<usize> = (0..lines.len()).chain(std::iter::once(usize::MAX)).collect();
    for (a, &i) in all.iter().enumerate() {
        for &j in &all[a + 1..] {
            let (ni, nj) = (if i == usize::MAX { 0.0 } else { lines[i].nu }, if j == usize::MAX { 0.0 } else { lines[j].nu });
            if ni != nj {
                let c = (line(i, 0.0) - line(j, 0.0)) / (ni - nj);
                if c > 0.0 && c < smax {
                    cands.push(c);
                }
            }
        }
        if r > 2.0 && i != usize::MAX {
            let s0 = (2.0 * lines[i].nu / (r * lambda)).powf(2.0 / (r - 2.0));
            if s0 > 0.0 && s0 < smax {
                cands.push(s0);
            }
        }
    }
    let (mut best, mut at) = (f64::INFINITY, 0.0);
    for &c in &cands {
        let v = value(c);
        if v < best {
            best = v;
            at = c;
        }
    }
    // the two lines highest at `at`
    let mut order: Vec<(f64, usize)> = all.iter().map(|&j| (line(j, at), j)).collect();
    order.sort_by(|x, y| y.0.total_cmp(&x.0));
    (best, at, order[0].1, order.get(1).map_or(usize::MAX, |o| o.1))
}

/// The certified global optimum of h = L + λ s^{r/2} at one λ, refining the tangent pool `pool` (shared along the
/// path, so later λ reuse earlier solves).
fn power_optimum(
    data: &Dataset,
    pool: &mut Vec<Tangent>,
    lambda: f64,
    r: f64,
    stop_gap: f64,
    max_solves: usize,
    opts: &LogisticOptions,
) -> Result<PowerPoint> {
    let h = |t: &Tangent| t.loss + lambda * t.s.powf(r / 2.0);
    let mut solves = 0;
    let mut stuck = false;
    loop {
        let (ub_j, ub) = pool.iter().enumerate().map(|(j, t)| (j, h(t))).fold((usize::MAX, std::f64::consts::LN_2), |a, b| {
            if b.1 < a.1 { b } else { a }
        });
        let smax = (ub / lambda).powf(2.0 / r);
        let (lb, at, a, b) = lower_bound(pool, lambda, r, smax);
        let s_ub = if ub_j == usize::MAX { 0.0 } else { pool[ub_j].s };
        let unit = lambda * s_ub.powf(r / 2.0);
        let done = ub_j != usize::MAX && ub - lb <= stop_gap * unit;
        if done || stuck || solves >= max_solves {
            if ub_j == usize::MAX {
                return Err(Error::Numerical(format!("margin.any_power: r = {r}, λ = {lambda:e}: the zero net is the best found")));
            }
            let t = &pool[ub_j];
            return Ok(PowerPoint {
                lambda,
                nu: t.nu,
                sq_norm: t.s,
                margin: t.margin,
                upper: ub,
                lower: lb,
                scaled_gap: (ub - lb) / unit,
                stationarity: (t.nu / (lambda * (r / 2.0) * t.s.powf(r / 2.0 - 1.0))).ln(),
                solves,
            });
        }
        let nu_of = |j: usize| if j == usize::MAX { 0.0 } else { pool[j].nu };
        let nu_new = if a == b || b == usize::MAX && a != usize::MAX && r > 2.0 {
            lambda * (r / 2.0) * at.powf(r / 2.0 - 1.0)
        } else {
            let (na, nb) = (nu_of(a), nu_of(b));
            if na > 0.0 && nb > 0.0 { (na * nb).sqrt() } else { na.max(nb) / 10.0 }
        };
        if !(nu_new > 0.0 && nu_new.is_finite()) || pool.iter().any(|t| (t.nu / nu_new - 1.0).abs() < 1e-9) {
            // the branch cannot refine further: report what it has (its gap decides whether that certifies)
            stuck = true;
            continue;
        }
        let warm = pool
            .iter()
            .filter(|t| t.sol.is_some())
            .min_by(|x, y| (x.nu / nu_new).ln().abs().total_cmp(&(y.nu / nu_new).ln().abs()))
            .and_then(|t| t.sol.clone());
        let dirs = warm.as_ref().map(|w| w.dirs.clone()).ok_or_else(|| Error::Numerical("empty tangent pool".into()))?;
        let sol = l1_logistic(data, &dirs, nu_new, warm.as_ref(), opts)?;
        pool.push(Tangent::from_solution(&sol));
        solves += 1;
    }
}

/// The certified r-path over `lambdas` on one task, starting from its certified ℓ2 path (ν = the same λ grid) and a
/// solve at ν = 1.
fn power_path(data: &Dataset, shared: &CertifiedPath, lambdas: &[f64], r: f64, stop_gap: f64) -> Result<Vec<PowerPoint>> {
    let (_, _, sols) = shared;
    let opts = LogisticOptions::default();
    let mut pool: Vec<Tangent> = sols.iter().map(Tangent::from_solution).collect();
    let first = sols.first().ok_or_else(|| Error::Numerical("empty certified path".into()))?;
    let big = l1_logistic(data, &first.dirs, 1.0, Some(first), &opts)?;
    pool.push(Tangent::from_solution(&big));
    lambdas.iter().map(|&l| power_optimum(data, &mut pool, l, r, stop_gap, 40, &opts)).collect()
}

/// The decision for one task and power.
fn decide(name: &str, shared: &CertifiedPath, path: &[PowerPoint], max_gap: f64, final_gap: f64, tol: f64) -> Decision {
    let (svm, _, _) = shared;
    let (lo, hi) = (svm.lower / 2.0, svm.upper / 2.0);
    let worst = path.iter().map(|q| q.scaled_gap).fold(0.0, f64::max);
    let certified = path.iter().all(|q| q.scaled_gap.is_finite() && q.scaled_gap <= max_gap && q.upper < std::f64::consts::LN_2);
    let cert = Decision::new(
        if certified { Verdict::Supported } else { Verdict::Inconclusive },
        format!("every optimum certified globally: (UB − LB)/(λ s^{{r/2}}) ≤ {max_gap}, and UB < ln 2 (not the zero net)"),
    )
    .with_margin(max_gap - worst, f64::NAN)
    .with("max_scaled_gap", worst)
    .with("scaled_gaps", path.iter().map(|q| q.scaled_gap).collect::<Vec<_>>())
    .with("stationarity", path.iter().map(|q| q.stationarity).collect::<Vec<_>>())
    .with("nus", path.iter().map(|q| q.nu).collect::<Vec<_>>())
    .with("sq_norms", path.iter().map(|q| q.sq_norm).collect::<Vec<_>>())
    .with("solves", path.iter().map(|q| q.solves as f64).collect::<Vec<_>>());
    let margins: Vec<f64> = path.iter().map(|q| q.margin).collect();
    let lim = crate::stats::limit("gamma_lambda", &margins, lo, hi, tol * hi, final_gap);
    Decision::all(vec![cert, lim]).prefixed(name)
}

#[derive(Clone, Copy, PartialEq)]
enum Variant {
    Claim,
    RDependent,
}

struct AnyPower {
    variant: Variant,
}

impl Claim for AnyPower {
    fn id(&self) -> &str {
        match self.variant {
            Variant::Claim => "margin.any_power",
            Variant::RDependent => "margin.any_power:r-dependent-limit",
        }
    }

    fn check(&self, ctx: &mut Context) -> Result<Evidence> {
        let p = LimitParams::for_tier(ctx.tier);
        p.validate()?;
        let (max_gap, final_gap, tol) =
            (ctx.threshold("max_scaled_gap")?, ctx.threshold("final_gap")?, ctx.threshold("limit_tol")?);
        ctx.progress("margin.any_power: certified ℓ2 paths, then the r = 1 and r = 3 branches");
        let (line, rings) = certified_paths(&p)?;
        let line_data = crate::data::line1d().with_bias();
        let rings_data = crate::data::rings2d().with_bias();
        let rings_lambdas = p.rings_lambdas();
        let powers: Vec<f64> = match self.variant {
            Variant::Claim => POWERS.to_vec(),
            Variant::RDependent => vec![3.0],
        };
        let key = |task: &str, r: f64| {
            format!("margin.any_power/{task}/r{r}/{:?}/{}x{}/{max_gap}", p.lambdas, p.circle_dirs, p.sphere_dirs)
        };
        // one unit of work per (task, r), in parallel; each is deterministic
        let mut jobs: Vec<(String, f64, bool)> = Vec::new();
        for &r in &powers {
            jobs.push(("line1d".into(), r, true));
            jobs.push(("rings2d".into(), r, false));
        }
        use rayon::prelude::*;
        let paths: Vec<Result<std::sync::Arc<Vec<PowerPoint>>>> = jobs
            .par_iter()
            .map(|(task, r, is_line)| {
                crate::experiments::memo::memo(&key(task, *r), || {
                    if *is_line {
                        power_path(&line_data, &line, &p.lambdas, *r, max_gap / 2.0)
                    } else {
                        power_path(&rings_data, &rings, &rings_lambdas, *r, max_gap / 2.0)
                    }
                })
            })
            .collect();
        let mut parts = Vec::new();
        let mut summary = Vec::new();
        for ((task, r, is_line), path) in jobs.iter().zip(paths) {
            let path = path?;
            let shared = if *is_line { &line } else { &rings };
            let name = format!("{task}.r{r}");
            let hi = shared.0.upper / 2.0;
            let last = path.last().map_or(f64::NAN, |q| q.margin);
            summary.push(format!("{name} {:.4} (λ = {:e})", last / hi, path.last().map_or(f64::NAN, |q| q.lambda)));
            parts.push(match self.variant {
                Variant::Claim => decide(&name, shared, &path, max_gap, final_gap, tol),
                Variant::RDependent => {
                    let margins: Vec<f64> = path.iter().map(|q| q.margin).collect();
                    let ratio = ctx.threshold("twin_limit_ratio")?;
                    let plateau = ctx.threshold("twin_plateau")?;
                    limit_twin(&name, hi, &margins, ratio, tol, plateau)
                }
            });
        }
        Ok(Evidence::from_decision(Decision::all(parts))
            .summary(format!("γ_λ/(γ_UB/2) at the smallest λ: {}", summary.join("; ")))
            .note("each optimum is the ℓ1-lift solution attaining the certified upper bound; the lower bound is the envelope of the lift's dual tangents over the norm s = ‖Θ‖² (module docs)")
            .note("the starting tangents are margin.limit's certified paths (shared), so the r = 1 and r = 3 branches add only the solves they need"))
    }
}

/// The checks of this file, claim before control.
pub(super) fn checks() -> Vec<Box<dyn Claim>> {
    vec![Box::new(AnyPower { variant: Variant::Claim }), Box::new(AnyPower { variant: Variant::RDependent })]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Exact tangents of the convex g(s) = ln(1 + e^{−s}) (slope −σ(−s)): the envelope bound never exceeds the true
    /// min_s g(s) + λ s^{r/2} (dense scan), and with dense tangents it closes on it and lands at the minimizer.
    #[test]
    fn envelope_bound_is_below_the_true_minimum_and_closes_with_dense_tangents() {
        let g = |s: f64| (-s).exp().ln_1p();
        let tangent = |s: f64| {
            let nu = 1.0 / (1.0 + s.exp());
            Tangent { nu, dual: g(s) + nu * s, s, loss: g(s), margin: f64::NAN, sol: None }
        };
        for r in [1.0, 3.0] {
            for lambda in [1e-2, 1e-4] {
                let smax = 400.0;
                let (mut best, mut arg) = (f64::INFINITY, 0.0);
                for k in 0..=100_000 {
                    let s = smax * k as f64 / 100_000.0;
                    let v = g(s) + lambda * f64::powf(s, r / 2.0);
                    if v < best {
                        best = v;
                        arg = s;
                    }
                }
                let sparse: Vec<Tangent> = [0.5, 3.0, 12.0].iter().map(|&s| tangent(s)).collect();
                let (lb, _, _, _) = lower_bound(&sparse, lambda, r, smax);
                assert!(lb <= best + 1e-12, "r = {r}, λ = {lambda}: sparse bound {lb} above the minimum {best}");
                let dense: Vec<Tangent> = (0..400).map(|k| tangent(k as f64 * 0.05)).collect();
                let (lb, at, _, _) = lower_bound(&dense, lambda, r, smax);
                assert!(lb <= best + 1e-12 && best - lb <= 1e-3 * best, "r = {r}, λ = {lambda}: {lb} vs {best}");
                assert!((at - arg).abs() <= 0.05 * arg.max(1.0), "r = {r}, λ = {lambda}: at {at} vs argmin {arg}");
            }
        }
    }
}
