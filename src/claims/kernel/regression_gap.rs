//! `kernel.regression_gap` (ICLR'19 App. D, Thm D.3 / D.6; OpenReview Thm D.5 / D.10, Lemma D.11): on the
//! single-neuron regression task x ~ N(0, I_d), y = relu(ū⋆ᵀx), the minimum-ℓ1 interpolant over lifted features has
//! norm ≤ 1 (a single neuron) while the minimum-ℓ2 (kernel) interpolant has E‖α₂‖² = n, so the ℓ2 bound stays Ω(1).
//!
//! Parts, all at once:
//! 1. **Identity.** For fixed X, E_ū[y_ūᵀK̃⁻¹y_ū] = tr(K̃⁻¹ E_ū[y_ū y_ūᵀ]) = tr(K̃⁻¹K̃) = n exactly, with y_ū = relu(Xū),
//!    ū uniform on S^{d−1}. Monte Carlo over ū (Cholesky of K̃, all ū at once); Supported when |mean − n| ≤ 4·se +
//!    tol, tol = mean over ū of ‖z_ū‖‖K̃z_ū − y_ū‖ (the first-order error of the computed quadratic form).
//! 2. **ℓ2 bound flat.** T₂ = ‖α₂‖·√(tr K̃)/n (the Rademacher term of the ℓ2 ball that holds the kernel interpolant,
//!    ‖α₂‖² = yᵀK̃⁻¹y): the statement T₂ = Ω(1) is a lower bound, so the rule is one-sided — the log–log slope's CI
//!    lies wholly above −1/4, the midpoint between the claimed 0 and the ℓ1 rate −1/2 (Refuted when wholly below).
//!    A T₂ that grows with n is allowed by the statement and supports it.
//! 3. **ℓ1 certificate.** The LP min ‖a‖₁ s.t. Φa = y over a dictionary of directions {ū⋆} ∪ (2n random) (clarabel;
//!    primal recomputed: interpolation residual and ‖a‖₁) has ‖α₁‖₁ ≤ 1 + 1e-5, so T₁ = 2‖α₁‖₁‖X‖_F/n ≤ 2‖X‖_F/n.
//!    The dictionary contains ū⋆ because the continuum problem does; without it the LP would solve a different problem.
//! 4. **Test error.** At the largest n, the ℓ1 interpolant's test MSE is below the kernel interpolant's (bootstrap CI
//!    of the paired difference above 0).
//!
//! Control `kernel.regression_gap:half-n`: the same Monte Carlo against the false value n/2 must be Refuted.
//! Control `kernel.regression_gap:l2-decays-like-l1`: the T₂ rule reversed ("T₂ decays like the ℓ1 bound", slope CI
//! below −1/4) on the same sweep must be Refuted.

use super::common::sphere_gram;
use crate::experiments::bounds as rademacher;
use crate::claims::{Claim, Context, Decision, Evidence, Verdict};
use crate::convex::min_l1_interpolant::min_l1_interpolant;
use crate::convex::l1_svm::relu_features;
use crate::data::sphere;
use crate::kernels::{Kind, cross};
use crate::linalg::solve::Cholesky;
use crate::stats::{Levels, mean_ci, separation, slope_fit};
use crate::{Error, Result};
use nalgebra::{DMatrix, DVector};
use rand::Rng;
use rand_distr::StandardNormal;
use rayon::prelude::*;

fn gaussian<R: Rng + ?Sized>(n: usize, d: usize, rng: &mut R) -> DMatrix<f64> {
    DMatrix::from_fn(n, d, |_, _| rng.sample::<f64, _>(StandardNormal))
}

/// Monte-Carlo samples of y_ūᵀK̃⁻¹y_ū over `m` directions ū for fixed X (n × d); returns (samples, tolerance).
pub fn quadratic_form_samples<R: Rng + ?Sized>(x: &DMatrix<f64>, m: usize, rng: &mut R) -> Result<(Vec<f64>, f64)> {
    let k = sphere_gram(x)?;
    let ch = Cholesky::new(&k)?;
    let dirs = sphere::uniform(x.ncols(), m, rng)?;
    let y = relu_features(x, &dirs);
    let z = ch.solve(&y)?;
    let r = &k * &z - &y;
    let s: Vec<f64> = (0..m).map(|j| y.column(j).dot(&z.column(j))).collect();
    let tol = (0..m).map(|j| z.column(j).norm() * r.column(j).norm()).sum::<f64>() / m as f64;
    Ok((s, tol))
}


/// One replicate of the interpolation comparison at size n.
struct Interp {
    n: usize,
    l1_norm: f64,
    l1_resid: f64,
    t1: f64,
    t1_cap: f64,
    t2: f64,
    mse_l1: f64,
    mse_l2: f64,
}

fn interpolation<R: Rng + ?Sized>(n: usize, d: usize, n_test: usize, rng: &mut R) -> Result<Interp> {
    let star = sphere::uniform(d, 1, rng)?;
    let x = gaussian(n, d, rng);
    let xt = gaussian(n_test, d, rng);
    let y = relu_features(&x, &star).column(0).into_owned();
    let yt = relu_features(&xt, &star).column(0).into_owned();
    // ℓ2: kernel interpolant.
    let k = sphere_gram(&x)?;
    let ch = Cholesky::new(&k)?;
    let beta = ch.solve(&DMatrix::from_column_slice(n, 1, y.as_slice()))?.column(0).into_owned();
    let norm2 = y.dot(&beta);
    let pred2 = cross(Kind::ReluSphere, &xt, &x)? * &beta;
    // ℓ1: LP over {ū⋆} ∪ 2n random directions.
    let extra = sphere::uniform(d, 2 * n, rng)?;
    let mut dirs = DMatrix::zeros(2 * n + 1, d);
    dirs.row_mut(0).copy_from(&star.row(0));
    dirs.rows_mut(1, 2 * n).copy_from(&extra);
    let (coef, resid) = min_l1_interpolant(&relu_features(&x, &dirs), &y)?;
    let pred1 = relu_features(&xt, &dirs) * &coef;
    let mse = |p: &DVector<f64>| (p - &yt).norm_squared() / n_test as f64;
    let l1 = coef.abs().sum();
    Ok(Interp {
        n,
        l1_norm: l1,
        l1_resid: resid,
        t1: rademacher::l1_term(l1, &x)?,
        t1_cap: rademacher::l1_term(1.0, &x)?,
        t2: rademacher::l2_term(norm2, &k)?,
        mse_l1: mse(&pred1),
        mse_l2: mse(&pred2),
    })
}

#[derive(Debug, Clone)]
struct Sizes {
    identity: Vec<(usize, usize)>,
    directions: usize,
    d: usize,
    ns: Vec<usize>,
    reps: usize,
    n_test: usize,
}

impl Sizes {
    fn for_tier(ctx: &Context) -> Sizes {
        Sizes {
            identity: ctx.tier.pick(vec![(12, 7), (40, 10)], vec![(12, 7), (40, 10), (100, 20), (200, 20)]),
            directions: ctx.tier.pick(20_000, 200_000),
            d: 8,
            ns: ctx.tier.pick(vec![16, 32, 64, 128], vec![16, 32, 64, 128, 256, 512]),
            reps: ctx.tier.pick(24, 32),
            n_test: ctx.tier.pick(1000, 4000),
        }
    }
}

/// Identity part against `target(n)`; returns the decision and a summary.
fn identity(ctx: &Context, sz: &Sizes, target: impl Fn(usize) -> f64 + Sync) -> Result<(Decision, String)> {
    let out: Vec<(Decision, String)> = sz
        .identity
        .par_iter()
        .enumerate()
        .map(|(rep, &(n, d))| {
            let mut rng = ctx.rng_named("identity", rep as u64);
            let x = gaussian(n, d, &mut rng);
            let (s, tol) = quadratic_form_samples(&x, sz.directions, &mut rng)?;
            let m = mean_ci(&s, Levels::SUITE);
            // y_ūᵀK̃⁻¹y_ū ≥ 0 is right-skewed: the lower tail uses the nonnegative rule
            let dec = m.decide_contains_nonnegative("y_ūᵀK̃⁻¹y_ū", target(n), tol).with("n", n).with("d", d).with("tol", tol);
            Ok((dec.prefixed(&format!("n{n}_d{d}")), format!("n={n}, d={d}: {:.4} ± {:.4}", m.mean, m.se)))
        })
        .collect::<Result<Vec<_>>>()?;
    let (decs, lines): (Vec<Decision>, Vec<String>) = out.into_iter().unzip();
    Ok((Decision::all(decs), lines.join("; ")))
}

/// The interpolation sweep: one row per (n, replicate), each on its own stream.
fn interpolation_rows(ctx: &Context, sz: &Sizes) -> Result<Vec<Interp>> {
    let jobs: Vec<(usize, usize)> = sz.ns.iter().flat_map(|&n| (0..sz.reps).map(move |r| (n, r))).collect();
    jobs.par_iter()
        .map(|&(n, r)| interpolation(n, sz.d, sz.n_test, &mut ctx.rng_named(&format!("interp-n{n}"), r as u64)))
        .collect()
}

/// The Welch-t slope fit of one term (T₁ or T₂) against n.
fn term_slope(sz: &Sizes, rows: &[Interp], term: impl Fn(&Interp) -> f64) -> Result<crate::stats::SlopeFit> {
    let per: Vec<Vec<f64>> = sz.ns.iter().map(|&n| rows.iter().filter(|r| r.n == n).map(&term).collect()).collect();
    let xs: Vec<f64> = sz.ns.iter().map(|&n| n as f64).collect();
    slope_fit(&xs, &per, Levels::SUITE).ok_or_else(|| Error::Numerical("slope fit of a bound term failed".into()))
}

struct RegressionGap;

impl Claim for RegressionGap {
    fn id(&self) -> &str {
        "kernel.regression_gap"
    }
    fn check(&self, ctx: &mut Context) -> Result<Evidence> {
        let sz = Sizes::for_tier(ctx);
        let (ident, ident_summary) = identity(ctx, &sz, |n| n as f64)?;
        let rows = interpolation_rows(ctx, &sz)?;
        let fit2 = term_slope(&sz, &rows, |r| r.t2)?;
        let fit1 = term_slope(&sz, &rows, |r| r.t1)?;
        let max_l1 = rows.iter().map(|r| r.l1_norm).fold(0.0, f64::max);
        let max_resid = rows.iter().map(|r| r.l1_resid).fold(0.0, f64::max);
        let max_t1_ratio = rows.iter().map(|r| r.t1 / r.t1_cap).fold(0.0, f64::max);
        // accuracy allowed to the recomputed LP point (‖α₁‖₁ and the interpolation residual): the solver's reduced
        // accuracy — the LP is degenerate and often ends `AlmostSolved`
        let lp_tol = ctx.threshold("lp_tol")?;
        let cert = Decision::new(
            Verdict::from_bool(max_l1 <= 1.0 + lp_tol && max_resid <= lp_tol && max_t1_ratio <= 1.0 + lp_tol),
            format!(
                "min-ℓ1 interpolant: ‖α₁‖₁ ≤ 1 + {lp_tol:e} with interpolation residual ≤ {lp_tol:e} in every replicate \
                 (so T₁ ≤ 2‖X‖_F/n)"
            ),
        )
        .with_margin(1.0 + lp_tol - max_l1.max(max_t1_ratio), max_l1.max(max_t1_ratio) - 1.0 - lp_tol)
        .with("max_l1_norm", max_l1)
        .with("max_residual", max_resid);
        let last = *sz.ns.last().unwrap_or(&0);
        let mse1: Vec<f64> = rows.iter().filter(|r| r.n == last).map(|r| r.mse_l1).collect();
        let mse2: Vec<f64> = rows.iter().filter(|r| r.n == last).map(|r| r.mse_l2).collect();
        let sep = separation(&mse2, &mse1, 0.0, Levels::SUITE);
        let table = sz
            .ns
            .iter()
            .map(|&n| {
                let rs: Vec<&Interp> = rows.iter().filter(|r| r.n == n).collect();
                let mean = |f: &dyn Fn(&Interp) -> f64| rs.iter().map(|&r| f(r)).sum::<f64>() / rs.len() as f64;
                format!(
                    "n={n}: T₁={:.3} T₂={:.3} ‖α₁‖₁={:.3} mse ℓ1={:.2e} ℓ2={:.2e}",
                    mean(&|r| r.t1),
                    mean(&|r| r.t2),
                    mean(&|r| r.l1_norm),
                    mean(&|r| r.mse_l1),
                    mean(&|r| r.mse_l2)
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        let decision = Decision::all(vec![
            ident.prefixed("identity"),
            fit2.decide_above(ctx.threshold("l2_term_slope")?).prefixed("l2_term_slope"),
            // both ℓ1-side parts are computed with ū⋆ in the dictionary, so they hold by construction: recorded,
            // not counted (a column generation over the whole sphere without ū⋆ is not implemented)
            cert.prefixed("l1_certificate").reported_only("ū⋆ is in the dictionary, so ‖α₁‖₁ ≤ 1 by construction"),
            sep.prefixed("test_mse_l2_minus_l1")
                .reported_only("oracle-informed: the ℓ1 LP recovers the planted ū⋆ from its dictionary"),
        ]);
        Ok(Evidence::from_decision(decision)
            .metric("l1_term_slope", fit1.slope)
            .metric("l1_term_ci_lo", fit1.ci.0)
            .metric("l1_term_ci_hi", fit1.ci.1)
            .summary(format!(
                "identity {ident_summary}; ℓ2 term slope {:.3} [{:.3}, {:.3}], ℓ1 term slope {:.3}; {table}",
                fit2.slope, fit2.ci.0, fit2.ci.1, fit1.slope
            ))
            .note(format!("d = {} for the interpolation sweep; dictionary = ū⋆ plus 2n uniform directions", sz.d)))
    }
}

struct HalfN;

impl Claim for HalfN {
    fn id(&self) -> &str {
        "kernel.regression_gap:half-n"
    }
    fn check(&self, ctx: &mut Context) -> Result<Evidence> {
        let sz = Sizes::for_tier(ctx);
        let (dec, summary) = identity(ctx, &sz, |n| n as f64 / 2.0)?;
        Ok(Evidence::from_decision(dec).summary(format!("against n/2: {summary}")))
    }
}

/// Control `:l2-decays-like-l1`: the false twin "the kernel interpolant's bound decays like the ℓ1 bound", i.e. the
/// slope of T₂ lies below −1/4 (the midpoint between 0 and the ℓ1 rate −1/2) — the claim's one-sided T₂ rule with
/// its direction reversed, on a fresh interpolation sweep; it must be Refuted.
struct L2DecaysLikeL1;

impl Claim for L2DecaysLikeL1 {
    fn id(&self) -> &str {
        "kernel.regression_gap:l2-decays-like-l1"
    }
    fn check(&self, ctx: &mut Context) -> Result<Evidence> {
        let sz = Sizes::for_tier(ctx);
        let rows = interpolation_rows(ctx, &sz)?;
        let fit2 = term_slope(&sz, &rows, |r| r.t2)?;
        Ok(Evidence::from_decision(fit2.decide_below(ctx.threshold("l2_term_slope")?).prefixed("l2_term_slope"))
            .summary(format!("ℓ2 term slope {:.3} [{:.3}, {:.3}] vs the false bound < −1/4", fit2.slope, fit2.ci.0, fit2.ci.1)))
    }
}

/// The checks of this file, claim before controls.
pub(super) fn checks() -> Vec<Box<dyn Claim>> {
    vec![Box::new(RegressionGap), Box::new(HalfN), Box::new(L2DecaysLikeL1)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lp_recovers_a_single_atom() {
        // Φ with a column equal to y: the min-ℓ1 interpolant is that column with weight 1 (norm 1) when the other
        // columns cannot do better; here they are orthogonal unit columns scaled down.
        let phi = DMatrix::from_row_slice(2, 3, &[1.0, 0.5, 0.0, 1.0, 0.0, 0.5]);
        let y = DVector::from_vec(vec![1.0, 1.0]);
        let (a, r) = min_l1_interpolant(&phi, &y).unwrap();
        assert!(r < 1e-8 && (a.abs().sum() - 1.0).abs() < 1e-7, "{a:?}");
    }
}
